"""A seed plan's table written as .docx and as .html gives the measures its .txt gives."""
from __future__ import annotations

import pytest

from builders import build_docx, build_html
from pipeline.read import read_document
from pipeline.segment import segment
from pipeline.segment.cell_tables import recover_tables
from pipeline.text import mask_markup

from conftest import CORPORA

FIELDS = ("number", "section", "task", "text", "deadline", "executors", "indicator", "purpose")


def measure_fields(measures):
    return [tuple(str(getattr(m, f)) for f in FIELDS) for m in measures]


def table_rows(doc_id: str):
    """The seed's recovered cell-per-line tables as rows of cell strings (paragraphs kept)."""
    text = (CORPORA / f"{doc_id}.txt").read_text(encoding="utf-8")
    tables = recover_tables(text, mask_markup(text))
    rows = []
    for table in tables:
        for row in table.rows:
            rows.append(["\n".join(p.strip() for p in c.text.splitlines() if p.strip()) for c in row.cells])
    return rows


@pytest.mark.parametrize("doc_id", ["berezan-2018-2026", "svatove-2019-2026", "chernihiv-2025"])
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_table_reads_the_same_from_every_format(tmp_path, doc_id, fmt):
    txt_measures = segment(read_document(CORPORA / f"{doc_id}.txt")).measures
    rows = table_rows(doc_id)
    width = max(len(r) for r in rows)
    rows = [r if len(r) in (1, width) else r + [""] * (width - len(r)) for r in rows]
    path = tmp_path / f"{doc_id}.{fmt}"
    (build_docx if fmt == "docx" else build_html)(path, ["План заходів"], rows)
    doc = read_document(path)
    assert doc.format == fmt and doc.tables
    measures = segment(doc).measures
    assert len(measures) == len(txt_measures)
    assert measure_fields(measures) == measure_fields(txt_measures)
    for m in measures:  # offsets address the rendered text
        assert m.text.split()[0] in doc.text[m.start : m.end]

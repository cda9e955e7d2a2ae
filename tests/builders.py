"""Build small .docx and .html documents from rows of cells, for tests of any stage.

Both builders take the same shape, so a test can check that a table reads the same from
either format::

    build_docx(path, ["Title"], [["№", "Захід"], ["1", "Перший\\nрядок два"]], ["After"])

* a cell string with ``"\\n"`` holds several paragraphs (``<br>``-separated lines in HTML);
* ``None`` as a cell continues the cell above it (docx vertical merge, HTML ``rowspan``);
* a row shorter than the widest one has its last cell merged across the rest
  (docx ``gridSpan``, HTML ``colspan``).
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Sequence

import docx

Rows = Sequence[Sequence["str | None"]]


def _width(rows: Rows) -> int:
    return max((len(row) for row in rows), default=0)


def _check(rows: Rows) -> None:
    if any(cell is None for cell in (rows[0] if rows else ())):
        raise ValueError("a cell in the first row cannot continue a cell above it")
    for row in rows:
        if not row:
            raise ValueError("a row needs at least one cell")
        if row[-1] is None and len(row) < _width(rows):
            raise ValueError("a short row's last cell spans to the right; it cannot also be None")


def _fill_docx_table(table, rows: Rows) -> None:
    # Cells are reached through ``row.cells``: python-docx's ``table.cell(i, j)`` rebuilds
    # the whole grid on every call, which makes large tables quadratic.
    width = _width(rows)
    table_rows = list(table.rows)
    for row_obj, row in zip(table_rows, rows):
        cells = row_obj.cells
        for cell, value in zip(cells, row):
            if value is None:
                continue
            lines = value.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
        if len(row) < width:
            cells[len(row) - 1].merge(cells[width - 1])
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                top = i - 1
                while rows[top][j] is None:
                    top -= 1
                table_rows[top].cells[j].merge(table_rows[i].cells[j])


def add_docx_table(container, rows: Rows):
    """Add a table of ``rows`` to a python-docx ``Document`` (or a cell, for nesting)."""
    _check(rows)
    table = container.add_table(rows=len(rows), cols=_width(rows))
    _fill_docx_table(table, rows)
    return table


def build_docx(
    path: str | Path,
    paragraphs_before: Sequence[str],
    rows: Rows,
    paragraphs_after: Sequence[str] = (),
) -> Path:
    """Write a .docx: paragraphs, one table (if ``rows``), paragraphs; return the path."""
    document = docx.Document()
    for text in paragraphs_before:
        document.add_paragraph(text)
    if rows:
        add_docx_table(document, rows)
    for text in paragraphs_after:
        document.add_paragraph(text)
    path = Path(path)
    document.save(str(path))
    return path


def html_table(rows: Rows) -> str:
    """The ``<table>`` markup for ``rows`` (see the module docstring for the shape)."""
    _check(rows)
    width = _width(rows)
    out = ['<table border="1">']
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, value in enumerate(row):
            if value is None:
                continue
            attrs = ""
            span = 1
            while i + span < len(rows) and j < len(rows[i + span]) and rows[i + span][j] is None:
                span += 1
            if span > 1:
                attrs += f' rowspan="{span}"'
            if j == len(row) - 1 and len(row) < width:
                attrs += f' colspan="{width - len(row) + 1}"'
            cell = "<br>\n".join(html.escape(line) for line in value.split("\n"))
            out.append(f"<td{attrs}>{cell}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_document(
    paragraphs_before: Sequence[str],
    rows: Rows,
    paragraphs_after: Sequence[str] = (),
    *,
    charset: str | None = "utf-8",
    title: str = "Test document",
) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = [f"<p>{html.escape(text)}</p>" for text in paragraphs_before]
    if rows:
        body.append(html_table(rows))
    body += [f"<p>{html.escape(text)}</p>" for text in paragraphs_after]
    return (
        f"<!DOCTYPE html>\n<html>\n<head>{meta}<title>{html.escape(title)}</title>"
        "<style>td { border: 1px solid }</style></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def build_html(
    path: str | Path,
    paragraphs_before: Sequence[str],
    rows: Rows,
    paragraphs_after: Sequence[str] = (),
    *,
    encoding: str = "utf-8",
    declare: bool = True,
) -> Path:
    """Write an .html file like :func:`build_docx` does a .docx, in ``encoding``.

    ``declare`` puts ``<meta charset>`` naming the encoding in the head.
    """
    text = html_document(paragraphs_before, rows, paragraphs_after, charset=encoding if declare else None)
    path = Path(path)
    path.write_bytes(text.encode(encoding))
    return path

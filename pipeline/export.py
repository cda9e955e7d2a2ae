"""export: the per-document JSON of the output contract and the dataset tables."""
from __future__ import annotations

import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from . import jsonio
from .models import DocumentResult


def to_contract(result: DocumentResult) -> dict[str, Any]:
    """The object ``plans extract --format json`` prints (CONTRACT.md)."""
    meta = result.segmentation.metadata
    approval = None
    if meta.approval is not None:
        approval = {"type": meta.approval.type, "date": meta.approval.date, "number": meta.approval.number}
    return {
        "doc_id": result.source.doc_id,
        "source": result.source.path,
        "text_sha256": result.text_sha256,
        "metadata": {
            "title": meta.title,
            "doc_type": meta.doc_type,
            "issuer": meta.issuer,
            "territory": meta.territory,
            "period": asdict(meta.period) if meta.period else None,
            "approval": approval,
        },
        "sections": [
            {"title": s.title, "number": s.number, "level": s.level, "kind": s.kind, "parent": s.parent,
             "start": s.start, "end": s.end}
            for s in result.segmentation.sections
        ],
        "mentions": [
            {"start": m.start, "end": m.end, "label": m.label, "text": m.text, "entity": m.entity, "norm": m.norm}
            for m in result.mentions
        ],
        "measures": [
            {
                "number": m.number, "section": m.section, "task": m.task, "text": m.text,
                "deadline": m.deadline, "deadline_norm": m.deadline_norm,
                "executors": m.executors, "executor_entities": m.executor_entities,
                "indicator": m.indicator, "purpose": m.purpose, "start": m.start, "end": m.end,
            }
            for m in result.segmentation.measures
        ],
    }


def dumps(result: DocumentResult, indent: int | None = None) -> str:
    """The contract object as JSON: indented for a person reading ``plans extract``,
    compact otherwise (:func:`dump_bytes`)."""
    if indent is None:
        return dump_bytes(result).decode("utf-8")
    return json.dumps(to_contract(result), ensure_ascii=False, indent=indent)


def dump_bytes(result: DocumentResult) -> bytes:
    """The contract object as compact UTF-8 JSON with a final line break: what ``plans run``
    writes to ``docs/<doc_id>.json``."""
    return jsonio.dumps(to_contract(result)) + b"\n"


# Temporary files are named ``.<name>.<random>.tmp`` beside their target.
TEMPORARY_GLOB = ".*.tmp"


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block
    ends, removed if it fails: a reader never sees half a file. (Not ``mkstemp``: its
    files are private to the owner, and the outputs should get the usual permissions.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) via a temporary file and a rename (:func:`atomic_target`)."""
    with atomic_target(path) as tmp:
        with open(tmp, "xb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)


TABLE_FORMATS = ("parquet", "csv")


def write_table(frame: pd.DataFrame, out_dir: Path, name: str, formats: tuple[str, ...] = TABLE_FORMATS) -> list[Path]:
    """Write ``name`` as Parquet and CSV (UTF-8 with BOM so spreadsheet programs read Cyrillic)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        with atomic_target(path) as tmp:
            if fmt == "parquet":
                frame.to_parquet(tmp, index=False)
            else:
                _write_csv(frame, tmp)
        written.append(path)
    return written


# The byte-order mark that lets spreadsheet programs see the CSV files are UTF-8.
_UTF8_BOM = "\ufeff".encode("utf-8")


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV through Arrow's writer (ten times faster than pandas' on a bulk
    run's tables). Text cells are quoted, missing values left empty, so an empty text
    (``""``) and a missing one stay distinct."""
    import pyarrow as pa
    from pyarrow import csv

    with open(path, "wb") as fh:
        fh.write(_UTF8_BOM)
        csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), fh,
                      csv.WriteOptions(quoting_style="needed"))

"""export: the per-document JSON of the output contract and the dataset tables."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

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
    """The contract object as JSON: compact for files (Python's C encoder writes it; with an
    indent the encoder falls back to pure Python, several times slower), indented for a
    person reading ``plans extract``."""
    if indent is None:
        return json.dumps(to_contract(result), ensure_ascii=False, separators=(",", ":"))
    return json.dumps(to_contract(result), ensure_ascii=False, indent=indent)


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TABLE_FORMATS = ("parquet", "csv")


def write_table(frame: pd.DataFrame, out_dir: Path, name: str, formats: tuple[str, ...] = TABLE_FORMATS) -> list[Path]:
    """Write ``name`` as Parquet and CSV (UTF-8 with BOM so spreadsheet programs read Cyrillic)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written

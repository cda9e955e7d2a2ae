"""export: the per-document JSON of the output contract and the dataset tables."""
from __future__ import annotations

import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from . import jsonio
from .models import DocumentResult

if TYPE_CHECKING:
    import pyarrow as pa


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


def dumps(result: DocumentResult, indent: int = 1) -> str:
    """The contract object as indented JSON, for a person reading ``plans extract`` (files
    get the compact :func:`dump_bytes`)."""
    return json.dumps(to_contract(result), ensure_ascii=False, indent=indent)


def dump_bytes(result: DocumentResult) -> bytes:
    """The contract object as compact UTF-8 JSON with a final line break: what ``plans run``
    writes to ``docs/<doc_id>.json``."""
    return jsonio.dumps(to_contract(result)) + b"\n"


# Temporary files are named ``.<name>.<random>.tmp`` beside their target.
TEMPORARY_GLOB = ".*.tmp"


def temporary_beside(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (not ``mkstemp``: its files are private to
    the owner, and the outputs should get the usual permissions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block
    ends, removed if it fails: a reader never sees half a file."""
    tmp = temporary_beside(path)
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

# The byte-order mark that lets spreadsheet programs see the CSV files are UTF-8.
_UTF8_BOM = "\ufeff".encode("utf-8")


class TableWriter:
    """One table as ``<name>.parquet`` and ``<name>.csv`` (UTF-8 with a byte-order mark, so
    spreadsheet programs read Cyrillic), written as its rows arrive: a bulk run never holds
    a whole table. Rows are gathered into Parquet row groups of about ``row_group_rows``.
    Each file has a temporary name until :meth:`close` renames it (:meth:`abort` removes it).

    Both files come from Arrow's writers (the CSV one is ten times faster than pandas'); in
    the CSV, text cells are quoted and missing values left empty, so an empty text (``""``)
    and a missing one stay distinct.
    """

    def __init__(self, out_dir: Path, name: str, schema: "pa.Schema", formats: tuple[str, ...] = TABLE_FORMATS,
                 row_group_rows: int = 50_000) -> None:
        import pyarrow.csv
        import pyarrow.parquet

        self.schema = schema
        self.row_group_rows = row_group_rows
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        # final path → the temporary one written until close()
        self._temporaries = {path: temporary_beside(path) for path in (out_dir / f"{name}.{fmt}" for fmt in formats)}
        self._parquet = self._csv = self._csv_file = None
        try:
            for path, tmp in self._temporaries.items():
                if path.suffix == ".parquet":
                    self._parquet = pyarrow.parquet.ParquetWriter(tmp, schema)
                else:
                    self._csv_file = open(tmp, "xb")
                    self._csv_file.write(_UTF8_BOM)
                    self._csv = pyarrow.csv.CSVWriter(self._csv_file, schema,
                                                      write_options=pyarrow.csv.WriteOptions(quoting_style="needed"))
        except BaseException:
            self.abort()
            raise

    def write(self, table: "pa.Table") -> None:
        """Rows (in the table's schema), after those written before."""
        self.rows += table.num_rows
        if self._csv is not None:
            self._csv.write_table(table)
        if self._parquet is not None:
            self._pending.append(table)
            self._pending_rows += table.num_rows
            if self._pending_rows >= self.row_group_rows:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending_rows:
            self._parquet.write_table(pa.concat_tables(self._pending), row_group_size=self._pending_rows)
        self._pending, self._pending_rows = [], 0

    def close(self) -> list[Path]:
        """Finish the files and give them their names; returns their paths."""
        if self._parquet is not None:
            self._flush()
        self._close_writers()
        for path, tmp in self._temporaries.items():
            os.replace(tmp, path)
        return list(self._temporaries)

    def abort(self) -> None:
        """Close and remove the unfinished files."""
        try:
            self._close_writers()
        finally:
            for tmp in self._temporaries.values():
                tmp.unlink(missing_ok=True)

    def _close_writers(self) -> None:
        writers, self._parquet, self._csv = (self._parquet, self._csv), None, None
        for writer in writers:
            if writer is not None:
                writer.close()
        if self._csv_file is not None:
            self._csv_file.close()
            self._csv_file = None

"""The linked dataset: one table per kind of thing, built from linked document results.

``TABLES`` is the schema — every table's columns in order, each with the description that
goes into the ``README.md`` written beside the tables — so the frames, the files and their
documentation cannot drift apart. Tables join on ``doc_id``, ``(doc_id, measure_index)``,
``(doc_id, mention_index)`` and ``entity``.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .link import Linking
from .models import DocumentResult

if TYPE_CHECKING:  # imported where frames and files are made: a bulk run's workers make rows only
    import pandas as pd
    import pyarrow as pa

TABLES: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "Document id: the file name without its extension.",
        "source": "Path of the source file as given to the pipeline.",
        "format": "txt, docx, html or pdf.",
        "text_sha256": "SHA-256 of the document text that offsets refer to.",
        "n_chars": "Length of that text in characters.",
        "title": "Title of the plan.",
        "doc_type": "Kind of document (calendar_plan, development_plan, strategy, report_and_plan, work_plan, …).",
        "issuer": "Body that issued the plan, in the nominative.",
        "territory": "Territory the plan covers.",
        "period_start": "First day of the plan period (ISO date).",
        "period_end": "Last day of the plan period (ISO date).",
        "approval_type": "Type of the act that approved the plan (same values as legal-act types).",
        "approval_date": "Date of the approving act (ISO date).",
        "approval_number": "Number of the approving act.",
        "n_sections": "Number of sections and tasks in the hierarchy.",
        "n_measures": "Number of planned measures.",
        "n_mentions": "Number of tagged mentions.",
    },
    "sections": {
        "doc_id": "Document id.",
        "section_index": "Position of the section in the document's hierarchy (0-based).",
        "number": "Section number as written (1, 1.2, II, …), or empty.",
        "title": "Section heading as written, white space collapsed.",
        "level": "Depth in the hierarchy (1 = top).",
        "kind": "section, or task (a heading row that groups measures).",
        "parent_index": "section_index of the enclosing section, or empty at the top.",
        "n_measures": "Measures whose section or task this is.",
        "start": "Offset of the heading in the document text.",
        "end": "End offset of the section in the document text.",
    },
    "measures": {
        "doc_id": "Document id.",
        "measure_index": "Position of the measure in the document (0-based).",
        "measure_id": "doc_id#measure_index: a key for the measure across tables.",
        "number": "Measure number as written (1.1.3), or empty.",
        "section": "Title of the section the measure belongs to.",
        "task": "Task (heading row) the measure belongs to, where the plan has one.",
        "text": "What is to be done, white space collapsed.",
        "deadline": "Deadline as written.",
        "deadline_kind": "date, interval, recurrence, ongoing or condition.",
        "deadline_start": "First day of the deadline interval (ISO date).",
        "deadline_end": "Last day of the deadline interval (ISO date).",
        "deadline_rrule": "RFC 5545 recurrence rule for a recurring deadline.",
        "executors": "Executors as written, separated by '; '.",
        "indicator": "Indicator of completion, where given.",
        "purpose": "Expected result or purpose, where given.",
        "start": "Offset of the measure in the document text.",
        "end": "End offset of the measure in the document text.",
    },
    "mentions": {
        "doc_id": "Document id.",
        "mention_index": "Position of the mention in the document (0-based, by offset).",
        "label": "PERSON, ORG, ROLE, LEGAL_ACT, PROGRAM or DATE.",
        "text": "The mention as written in the source.",
        "start": "Offset of the mention in the document text (text == source[start:end]).",
        "end": "End offset.",
        "entity": "Id of the entity the mention belongs to (empty for DATE).",
        "measure_index": "The measure the mention lies in, or empty.",
        "norm": "Normalised value as JSON (legal-act fields, date interval, nominative name, …).",
    },
    "entities": {
        "entity": "Entity id: label prefix and a hash of the canonical key, stable across runs.",
        "label": "PERSON, ORG, ROLE, LEGAL_ACT or PROGRAM.",
        "name": "Canonical name: nominative name, full organisation name, act title or citation.",
        "key": "Canonical key the id derives from.",
        "scope": "For persons and roles: the issuer (or document) they belong to; empty otherwise.",
        "n_mentions": "Mentions of the entity.",
        "n_documents": "Documents that mention it.",
        "documents": "Those documents' ids, separated by '; '.",
        "variants": "Distinct spellings seen, separated by ' | '.",
        "act_type": "Legal acts: type (law, code, cmu_resolution, …).",
        "act_issuer": "Legal acts: issuing body.",
        "act_date": "Legal acts: date of adoption (ISO date).",
        "act_number": "Legal acts: number, Roman numerals in Latin letters.",
        "act_title": "Legal acts: title without the outer quotes.",
        "act_url": "Legal acts: zakon.rada.gov.ua address, where one follows from the citation.",
    },
    "merges": {
        "entity": "The entity the merge belongs to.",
        "left": "Canonical key of one side of the merge.",
        "right": "Canonical key of the other side.",
        "rule": "The rule that joined them (see the linking thresholds in pipeline/data/linking.toml).",
        "score": "Similarity that met the rule's threshold (0–100), where the rule measures one.",
    },
    "measure_executors": {
        "doc_id": "Document id.",
        "measure_index": "The measure.",
        "position": "Position of the executor in the measure's executors list.",
        "executor": "The executor as written.",
        "entity": "The person, organisation or role entity it refers to, or empty when none was recognised.",
        "entity_label": "That entity's label.",
    },
    "citations": {
        "doc_id": "The citing document.",
        "measure_index": "The citing measure, or empty when the act is cited outside any measure.",
        "mention_index": "The mention that cites the act.",
        "entity": "The legal-act entity cited.",
        "text": "The citation as written.",
    },
}


@dataclass(slots=True)
class Dataset:
    """The linked dataset, one pandas frame per table of :data:`TABLES`."""

    documents: pd.DataFrame
    sections: pd.DataFrame
    measures: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    merges: pd.DataFrame
    measure_executors: pd.DataFrame
    citations: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# The columns that hold no text, and their types (every other column is text). The files
# declare these types whatever the rows hold: a column no document fills is still text.
_COLUMN_DTYPES = {
    **dict.fromkeys(("n_chars", "n_sections", "n_measures", "n_mentions", "section_index", "level", "start",
                     "end", "mention_index", "position", "n_documents"), "int64"),
    **dict.fromkeys(("parent_index", "measure_index"), "Int64"),  # empty where there is none
    "score": "float64",
}


@lru_cache(maxsize=None)
def arrow_schema(name: str) -> "pa.Schema":
    """Table ``name`` as Arrow types, with the pandas types it reads back as."""
    import pandas as pd
    import pyarrow as pa

    empty = pd.DataFrame({column: pd.Series([], dtype=_COLUMN_DTYPES.get(column, "str")) for column in TABLES[name]})
    return pa.Schema.from_pandas(empty, preserve_index=False)


def arrow_table(name: str, columns: dict[str, list]) -> "pa.Table":
    import pyarrow as pa

    return pa.Table.from_pydict(columns, schema=arrow_schema(name))


def _frame(name: str, columns: dict[str, list]) -> pd.DataFrame:
    return arrow_table(name, columns).to_pandas()


def _measure_of(measures: list, starts: list[int], offset: int) -> int | None:
    """Index of the measure whose span holds ``offset`` (``starts``: the measures' starts,
    in document order)."""
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and offset < measures[i].end:
        return i
    return None


# One document's rows (or a block of documents'), table by table.
DocumentRows = dict[str, list[dict]]

# A mention's norm as one JSON cell; an encoder built once (json.dumps builds one per call
# when given options, and a corpus has a norm per mention).
_norm_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def document_rows(result: DocumentResult) -> DocumentRows:
    """The table rows of one linked document (``Mention.entity`` set). ``entity_label`` of
    an executor is left for :meth:`DatasetBuilder.finish`, which knows every entity."""
    rows: DocumentRows = {"documents": [], "sections": [], "measures": [], "measure_executors": [],
                          "mentions": [], "citations": []}
    doc_id = result.source.doc_id
    seg = result.segmentation
    meta = seg.metadata
    rows["documents"].append({
        "doc_id": doc_id, "source": result.source.path, "format": result.source.format,
        "text_sha256": result.text_sha256, "n_chars": len(result.source.text),
        "title": meta.title, "doc_type": meta.doc_type, "issuer": meta.issuer, "territory": meta.territory,
        "period_start": meta.period.start if meta.period else None,
        "period_end": meta.period.end if meta.period else None,
        "approval_type": meta.approval.type if meta.approval else None,
        "approval_date": meta.approval.date if meta.approval else None,
        "approval_number": meta.approval.number if meta.approval else None,
        "n_sections": len(seg.sections), "n_measures": len(seg.measures), "n_mentions": len(result.mentions),
    })
    per_heading: dict[str, int] = {}
    for m in seg.measures:
        for heading in {m.section, m.task} - {None}:
            per_heading[heading] = per_heading.get(heading, 0) + 1
    for i, s in enumerate(seg.sections):
        rows["sections"].append({
            "doc_id": doc_id, "section_index": i, "number": s.number, "title": s.title, "level": s.level,
            "kind": s.kind, "parent_index": s.parent, "n_measures": per_heading.get(s.title, 0),
            "start": s.start, "end": s.end,
        })
    for i, m in enumerate(seg.measures):
        norm = m.deadline_norm or {}
        rows["measures"].append({
            "doc_id": doc_id, "measure_index": i, "measure_id": f"{doc_id}#{i}", "number": m.number,
            "section": m.section, "task": m.task, "text": m.text, "deadline": m.deadline,
            "deadline_kind": norm.get("kind"), "deadline_start": norm.get("start"),
            "deadline_end": norm.get("end"), "deadline_rrule": norm.get("rrule"),
            "executors": "; ".join(m.executors), "indicator": m.indicator, "purpose": m.purpose,
            "start": m.start, "end": m.end,
        })
        for position, (executor, entity) in enumerate(zip(m.executors, m.executor_entities)):
            rows["measure_executors"].append({
                "doc_id": doc_id, "measure_index": i, "position": position, "executor": executor,
                "entity": entity, "entity_label": None,
            })
    starts = [m.start for m in seg.measures]
    for i, mention in enumerate(result.mentions):
        measure_index = _measure_of(seg.measures, starts, mention.start)
        rows["mentions"].append({
            "doc_id": doc_id, "mention_index": i, "label": mention.label, "text": mention.text,
            "start": mention.start, "end": mention.end, "entity": mention.entity,
            "measure_index": measure_index,
            "norm": _norm_json(mention.norm) if mention.norm else None,
        })
        if mention.label == "LEGAL_ACT" and mention.entity:
            rows["citations"].append({
                "doc_id": doc_id, "measure_index": measure_index, "mention_index": i,
                "entity": mention.entity, "text": mention.text,
            })
    return rows


# Rows column by column (table → column → values): what a bulk run's workers send back,
# lighter to pass between processes and quicker to make a frame of than one dict per row.
Columns = dict[str, dict[str, list]]


def as_columns(rows: DocumentRows) -> Columns:
    return {name: {column: [row[column] for row in table_rows] for column in TABLES[name]}
            for name, table_rows in rows.items()}


def merge_columns(into: Columns, columns: Columns) -> None:
    for name, table in columns.items():
        target = into.setdefault(name, {column: [] for column in TABLES[name]})
        for column, values in table.items():
            target[column].extend(values)


def entity_rows(linking: Linking) -> DocumentRows:
    """The rows of the ``entities`` and ``merges`` tables."""
    rows: DocumentRows = {"entities": [], "merges": []}
    for entity in linking.entities:
        act = entity.act or {}
        rows["entities"].append({
            "entity": entity.id, "label": entity.label, "name": entity.name, "key": entity.key,
            "scope": entity.scope or None, "n_mentions": entity.n_mentions, "n_documents": len(entity.documents),
            "documents": "; ".join(entity.documents), "variants": " | ".join(entity.variants),
            "act_type": act.get("type"), "act_issuer": act.get("issuer"), "act_date": act.get("date"),
            "act_number": act.get("number"), "act_title": act.get("title"), "act_url": act.get("url"),
        })
        for merge in entity.merges:
            rows["merges"].append({
                "entity": entity.id, "left": merge.left, "right": merge.right, "rule": merge.rule,
                "score": merge.score,
            })
    return rows


def _label_executors(columns: Columns, labels: dict[str, str]) -> None:
    """``entity_label`` of the executors in ``columns`` (:func:`document_rows` leaves it)."""
    executors = columns.get("measure_executors")
    if executors is not None:
        executors["entity_label"] = [labels.get(entity) if entity else None for entity in executors["entity"]]


class DatasetBuilder:
    """The tables in memory, from linked documents added one at a time (for a bulk run,
    which never holds them all, :class:`DatasetWriter`)."""

    def __init__(self, linking: Linking) -> None:
        self.linking = linking
        self.columns: Columns = {name: {column: [] for column in columns} for name, columns in TABLES.items()}

    def add(self, result: DocumentResult) -> None:
        """Rows for one linked document (``Mention.entity`` set)."""
        merge_columns(self.columns, as_columns(document_rows(result)))

    def finish(self) -> Dataset:
        _label_executors(self.columns, {e.id: e.label for e in self.linking.entities})
        merge_columns(self.columns, as_columns(entity_rows(self.linking)))
        return Dataset(**{name: _frame(name, columns) for name, columns in self.columns.items()})


def build_dataset(results: Iterable[DocumentResult], linking: Linking) -> Dataset:
    """The tables for linked ``results`` (``Mention.entity`` set by :func:`pipeline.link.link_corpus`)."""
    builder = DatasetBuilder(linking)
    for result in results:
        builder.add(result)
    return builder.finish()


class DatasetWriter:
    """The tables of a bulk run written as the linked documents' rows arrive, so the run
    holds one block of rows at a time whatever the size of the corpus: each table's files
    grow (:class:`pipeline.export.TableWriter`) and get their names in :meth:`finish`."""

    def __init__(self, out_dir: Path, linking: Linking) -> None:
        from .export import TableWriter

        self.out_dir = out_dir
        self.linking = linking
        self.labels = {e.id: e.label for e in linking.entities}
        self.writers = {}
        try:
            for name in TABLES:
                self.writers[name] = TableWriter(out_dir, name, arrow_schema(name))
        except BaseException:
            self.abort()
            raise

    def add_columns(self, columns: Columns) -> None:
        """Rows of :func:`document_rows` (as :func:`as_columns`), in document order."""
        _label_executors(columns, self.labels)
        for name, table in columns.items():
            self.writers[name].write(arrow_table(name, table))

    def finish(self) -> list[Path]:
        """The entities and merges, then every file under its name, and ``README.md``."""
        from .export import write_atomic

        self.add_columns(as_columns(entity_rows(self.linking)))
        written = [path for name in TABLES for path in self.writers[name].close()]
        write_atomic(self.out_dir / "README.md", readme({name: writer.rows for name, writer in self.writers.items()}))
        return written + [self.out_dir / "README.md"]

    def abort(self) -> None:
        """Remove the unfinished files (a failed run leaves the previous tables as they were)."""
        for writer in self.writers.values():
            writer.abort()


def readme(rows: dict[str, int] | None = None) -> str:
    """The ``README.md`` written beside the tables: every table and column explained, with
    each table's number of ``rows`` when given."""
    lines = [
        "# The linked dataset",
        "",
        "Written by `plans run`. Each table is here as Parquet and as CSV (UTF-8 with a byte-order mark;",
        "text cells are quoted, so an unquoted empty cell is a missing value and `\"\"` an empty text).",
        "Offsets are Python string indices into the document text (`plans text PATH` prints it).",
        "Empty cells mean 'not given in the document' or 'not recognised'.",
        "",
    ]
    for name, columns in TABLES.items():
        count = f" — {rows[name]} rows" if rows is not None else ""
        lines += [f"## {name}{count}", "", "| column | meaning |", "| --- | --- |"]
        lines += [f"| `{column}` | {text} |" for column, text in columns.items()]
        lines.append("")
    return "\n".join(lines)


def write_dataset(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Every table of an in-memory ``dataset`` as ``<name>.parquet`` and ``<name>.csv``, plus
    ``README.md``."""
    import pyarrow as pa

    from .export import TableWriter, write_atomic

    written = []
    for name, frame in dataset.tables().items():
        writer = TableWriter(out_dir, name, arrow_schema(name))
        try:
            writer.write(pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False))
        except BaseException:
            writer.abort()
            raise
        written += writer.close()
    write_atomic(out_dir / "README.md", readme({name: len(frame) for name, frame in dataset.tables().items()}))
    return written + [out_dir / "README.md"]


def load_dataset(out_dir: Path) -> Dataset:
    """The tables a previous ``plans run`` wrote to ``out_dir``."""
    missing = [name for name in TABLES if not (out_dir / f"{name}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(f"{out_dir}: not a plans dataset (no {', '.join(missing)} table)")
    import pandas as pd

    return Dataset(**{name: pd.read_parquet(out_dir / f"{name}.parquet") for name in TABLES})


def is_dataset(path: Path) -> bool:
    return path.is_dir() and all((path / f"{name}.parquet").is_file() for name in TABLES)

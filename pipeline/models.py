"""The data that flows between the stages: read → segment → tag → normalise → link → export.

Every stage takes and returns these dataclasses, nothing else. All offsets are Python
string indices into ``SourceDocument.text`` (see CONTRACT.md): for a ``.txt`` file the
decoded file as read with ``newline=""``, for other formats the text ``plans text`` prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


# --------------------------------------------------------------------------- read


@dataclass(slots=True)
class Cell:
    """One table cell: ``text[start:end]`` is its raw content (markup and line breaks kept)."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Row:
    cells: list[Cell]

    @property
    def start(self) -> int:
        return min((c.start for c in self.cells), default=0)

    @property
    def end(self) -> int:
        return max((c.end for c in self.cells), default=0)


@dataclass(slots=True)
class Table:
    """A table with its rows in document order.

    ``origin`` says how it was obtained: ``"docx"``/``"html"`` when the source file marks
    it up, ``"cell_lines"``/``"row_lines"`` when the segmenter recovered it from plain text.
    """

    rows: list[Row]
    origin: str

    @property
    def start(self) -> int:
        return min((r.start for r in self.rows if r.cells), default=0)

    @property
    def end(self) -> int:
        return max((r.end for r in self.rows if r.cells), default=0)


@dataclass(slots=True)
class SourceDocument:
    """A document as read: its text plus whatever structure the file format made explicit."""

    doc_id: str
    path: str
    format: str  # "txt" | "docx" | "html" | "pdf"
    text: str
    encoding: str | None = None
    # Tables the file format marks up (docx, html). Plain text gives none: the segmenter
    # recovers them from the layout instead.
    tables: list[Table] = field(default_factory=list)


class ReadError(Exception):
    """A document that cannot be read; the message says why, in one line."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# --------------------------------------------------------------------------- segment


@dataclass(slots=True)
class Period:
    start: str | None  # ISO date
    end: str | None


@dataclass(slots=True)
class Approval:
    """The act that approves the document (type as the LEGAL_ACT ``type`` vocabulary)."""

    type: str | None
    date: str | None  # ISO date
    number: str | None
    issuer: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    territory: str | None = None
    period: Period | None = None
    approval: Approval | None = None


@dataclass(slots=True)
class Section:
    """A heading of the section hierarchy. ``parent`` is the index of the enclosing section.

    ``kind`` is ``"section"`` for a heading or ``"task"`` for a task / operational goal / sub-
    heading row: a task is part of the hierarchy but is not a measure's ``section``.
    """

    title: str  # as written, white space collapsed, number included
    number: str | None
    level: int
    start: int
    end: int
    parent: int | None = None
    kind: str = "section"


@dataclass(slots=True)
class Measure:
    """One planned activity. Text fields are white-space collapsed with markup removed."""

    number: str | None
    section: str | None
    task: str | None
    text: str
    deadline: str | None
    executors: list[str]
    indicator: str | None
    purpose: str | None
    start: int  # offset of the measure text in the document
    end: int
    deadline_norm: dict[str, Any] | None = None
    executor_entities: list[str | None] = field(default_factory=list)


@dataclass(slots=True)
class Segmentation:
    metadata: Metadata
    sections: list[Section]
    measures: list[Measure]


# --------------------------------------------------------------------------- tag / normalise / link


LABELS = ("PERSON", "ORG", "ROLE", "LEGAL_ACT", "PROGRAM", "DATE")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    label: str
    text: str
    norm: dict[str, Any] | None = None
    entity: str | None = None
    # What the tagger saw that the normaliser needs (e.g. the list heading that gives a
    # cited act its type). Internal: not part of the output contract.
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentResult:
    """Everything the pipeline knows about one document: what ``plans extract`` prints."""

    source: SourceDocument
    text_sha256: str
    segmentation: Segmentation
    mentions: list[Mention] = field(default_factory=list)

"""Plans whose tables were exported one row per line, with the cells separated by TABs.

::

    Заходи→Термін виконання→Відповідальний
    Проведення організаційно-методичних нарад:→→          (a sub-heading: the task)
    - для директорів мережі центрів …→Друга п'ятниця щомісячно→Колобова Я.В. …
    →→Савченко О.М.                                       (the row above, after a page break)

and month-grid calendars (:mod:`.calendar`), with the headings, sub-headings, numbered
lists and single-paragraph measures written between the tables (:mod:`.lists`).

The scanner reads the document line by line. A *plan body* starts at the first table
header (row header or month header), taking in the headings just above it, and ends at an
appendix heading (``Додаток …``: the legal basis is not a plan; the running header
``Додаток 1 до рішення …`` is not an appendix). A table goes on under new headings until
another header replaces it. Table rows are always measures; a paragraph is a measure only
inside a top-level section that has a month-grid calendar, so the narrative of a report
(bullets, ``1)`` paragraphs) never is. Lines another parser claimed, and one-cell-per-line
table lines (a single leading TAB), end any table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Measure, SourceDocument
from ..morph import parses
from ..text import Line, clean, nesting_depths, split_lines
from .calendar import CellSpan, Grid, Outline, month_headings
from .executors import split_executors
from .layout import LayoutResult, claimed_flags
from .lists import Block, Kind, block_measures, classify_block
from .notes import DASH_RE, PROPER_ADJECTIVE_RE, Joined, looks_unfinished, read_fields, starts_as_continuation
from .vocab import ROLES, vocabulary

# A table rule line ("--→---→--"); mask_markup blanks it too, but not before a "\r".
_RULE_RE = re.compile(r"^[ \t]*-{2,}(?:[ \t]+-{2,})*[ \t\r]*$")
# Longest column heading we expect ("Відповідальні за виконання (за згодою)" and the like).
_MAX_HEADER_CELL = 80
# Roles whose cells alone do not make a row a measure (a row number, a remark).
_AUX_ROLES = ("number", "note")


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The role of each column when ``cells`` is a plan-table header row
    (``Заходи→Термін виконання→Відповідальний``), else None (None also for a column whose
    heading is not in the vocabulary)."""
    roles = vocabulary().header_roles
    found: list[str | None] = []
    unknown = 0
    for cell in cells:
        title = clean(cell).lower().strip(" .:*")
        role = next((r for r in ROLES if roles[r].match(title)), None) if title else None
        if role is not None and role in found:
            return None  # two measure columns: not a header we understand
        unknown += bool(title) and role is None
        found.append(role)
    named = [r for r in found if r]
    # The measure column and its deadline or executors; other columns (financing, …)
    # may be unknown, as long as they are not most of the row.
    if "text" not in named or not {"deadline", "executors"} & set(named) or unknown > len(named):
        return None
    return found


# ------------------------------------------------------------------ row-per-line tables


@dataclass(slots=True)
class _Row:
    runs: dict[str, list[tuple[int, int]]]
    task: str | None


@dataclass(slots=True)
class RowTable:
    """One row-per-line table being read."""

    masked: str
    roles: list[str | None]
    outline: Outline
    rows: list[_Row] = field(default_factory=list)
    dash_rows: bool = False  # rows under the current colon sub-heading are "- …" items
    closed: int = -1  # len(rows) when a heading last came between rows

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def add_row(self, cells: list[CellSpan], page_break: bool) -> None:
        by_role: dict[str, CellSpan] = {}
        for role, cell in zip(self.roles, cells):
            if role and self.masked[cell.start : cell.end].strip():
                by_role[role] = cell
        text = by_role.get("text")
        fields = [r for r in by_role if r not in ("text", *_AUX_ROLES)]
        if text is None:
            # "→→Савченко О.М.": the row above goes on after a page break.
            if fields and self.rows and self.closed != len(self.rows):
                for role in fields:
                    self.rows[-1].runs.setdefault(role, []).append((by_role[role].start, by_role[role].end))
            elif not fields and by_role:
                # "1. Організаційна робота" written in the number column: a sub-heading.
                self._subheading(next(iter(by_role.values())))
            return
        content = self.masked[text.start : text.end]
        if not fields:
            if self.rows and self._continues(content, page_break):
                self.rows[-1].runs["text"].append((text.start, text.end))
                return
            self._subheading(text)
            return
        dash = bool(DASH_RE.match(content))
        if self.outline.task_from_colon and self.dash_rows and not dash:
            self.outline.task = None  # the "- …" items under "Нарад:" are over
        self.dash_rows = self.dash_rows or dash
        self.rows.append(_Row({r: [(c.start, c.end)] for r, c in by_role.items()}, self.outline.task))
        self.outline.saw_measure()

    def barrier(self) -> None:
        """A heading or paragraph came between rows: nothing continues the last row."""
        self.closed = len(self.rows)

    def _continues(self, content: str, page_break: bool) -> bool:
        """A text-only line continues the row above (``залежності».→→``)."""
        if self.closed == len(self.rows):
            return False
        runs = self.rows[-1].runs.get("text") or []
        if not runs:
            return False
        tail = self.masked[runs[-1][0] : runs[-1][1]].rstrip()
        if starts_as_continuation(content) or tail.endswith("-"):
            return True
        return page_break and looks_unfinished(tail)

    def _subheading(self, cell: CellSpan) -> None:
        self.barrier()
        block = classify_block(self.masked[cell.start : cell.end])
        if block.kind is Kind.SECTION:
            self.outline.open_section(block, cell.start, cell.end)
        elif block.kind in (Kind.TASK, Kind.MEASURE):
            self.outline.open_task(Block(Kind.TASK, block.title))
        self.dash_rows = False

    def measures(self) -> list[Measure]:
        out: list[Measure] = []
        has_deadline = self.column("deadline") is not None
        texts = [Joined.of(self.masked, row.runs.get("text", [])) for row in self.rows]
        # A table whose cells separate several activities with ";" lost the separator
        # elsewhere too: there a capital after a lower-case word also separates them.
        several = any(_SEMICOLON_RE.search(j.text) or j.text.rstrip().endswith(";") for j in texts)
        for row, joined in zip(self.rows, texts):
            deadline = self._cell(row, "deadline")
            executors = split_executors(self._cell(row, "executors", "\n"))
            number = (self._cell(row, "number") or "").rstrip(".") or None
            for a, b, task in split_row_text(joined.text, joins=several):
                f = read_fields(joined, a, b, timing_to_deadline=not has_deadline)
                if f is None:
                    continue
                out.append(
                    Measure(
                        number=number or f.number, section=None, task=task or row.task, text=f.text,
                        deadline=deadline if has_deadline else f.deadline,
                        executors=executors + [x for x in f.executors if x not in executors],
                        indicator=self._cell(row, "indicator"), purpose=self._cell(row, "purpose"),
                        start=f.start, end=f.end,
                    )
                )
        return out

    def _cell(self, row: _Row, role: str, sep: str = " ") -> str | None:
        runs = row.runs.get(role)
        if not runs:
            return None
        return clean(sep.join(self.masked[s:e] for s, e in runs)) if sep == " " else sep.join(
            self.masked[s:e] for s, e in runs
        )


# ------------------------------------------------------------------ several activities in one cell

_UPPER = "A-ZА-ЯҐЄІЇ"
_LOWER = "a-zа-яґєії'’ʼ"
_SEMICOLON_RE = re.compile(rf";\s+(?=[«\"“{_UPPER}])")
# A lower-case word, a space, a capitalised word: where an export joined two paragraphs.
_JOIN_RE = re.compile(rf"(?<=[{_LOWER}])\s+(?=[{_UPPER}][{_LOWER}-]+)")
_WORD_BEFORE = re.compile(rf"([{_LOWER}{_UPPER}-]+)$")
_WORD_AFTER = re.compile(rf"[{_UPPER}][{_LOWER}-]+")
_PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad", "LATN")
_CLOSED_CLASSES = ("PREP", "CONJ", "PRCL")
_COLON_TASK_RE = re.compile(rf"^(.{{3,}}?):\s+(?=[«\"“{_UPPER}])")


def _opens_activity(prev_word: str, word: str) -> bool:
    """``… з інвалідністю Велопробіг до …``: the capitalised word can only start a new
    phrase (a common noun or adjective in the nominative/accusative, after a word that is
    not a preposition or conjunction); proper names and genitives (``до Дня``,
    ``Київського``) never do."""
    if word.isupper() or not prev_word.islower() or PROPER_ADJECTIVE_RE.search(word):
        return False
    if any(p.tag.POS in _CLOSED_CLASSES for p in parses(prev_word)):
        return False
    found = parses(word.lower())
    if not found:
        return False
    for p in found:
        tag = str(p.tag)
        if p.tag.POS not in ("NOUN", "ADJF") or any(t in tag for t in _PROPER):
            return False
        if not any(case in tag for case in ("nomn", "accs", "voct")):
            return False
    return True


def split_row_text(text: str, joins: bool = True) -> list[tuple[int, int, str | None]]:
    """The activities of one measure cell, with the task a ``Heading: Activity`` part gives
    to itself and the parts after it.

    Exports join the paragraphs of a cell with ``; `` or a bare space, so a cell such as
    ``Міський фестиваль … з інвалідністю Велопробіг до Дня захисників`` holds two
    activities. A cell that is one measure with an enumeration (``Планування …: -
    зведений план …; - щомісячний план``) stays whole: a cut needs a capital after it.
    ``joins``: also cut where only a capital marks the join (see :meth:`RowTable.measures`)."""
    depth = nesting_depths(text)
    cuts: list[tuple[int, int]] = []  # (end of the part before, start of the next)
    for m in _SEMICOLON_RE.finditer(text):
        if depth[m.start()] == 0:
            cuts.append((m.start(), m.end()))
    for m in _JOIN_RE.finditer(text) if joins else ():
        if depth[m.start()] != 0:
            continue
        before = _WORD_BEFORE.search(text, 0, m.start())
        after = _WORD_AFTER.match(text, m.end())
        if before and after and len(text) - m.end() > len(after.group()) + 1:
            if _opens_activity(before.group(1), after.group()):
                cuts.append((m.start(), m.end()))
    cuts.sort()
    parts: list[tuple[int, int]] = []
    begin = 0
    for end, nxt in cuts:
        parts.append((begin, end))
        begin = nxt
    parts.append((begin, len(text)))
    if len(parts) == 1:
        return [(0, len(text), None)]
    out: list[tuple[int, int, str | None]] = []
    task: str | None = None
    for a, b in parts:
        m = _COLON_TASK_RE.match(text[a:b])
        if m:
            task = clean(m.group(1))
            a += m.end()
        out.append((a, b, task))
    return out


# ------------------------------------------------------------------ the scanner


def _cells(line: Line) -> list[CellSpan]:
    cells: list[CellSpan] = []
    pos = line.start
    for part in line.text.split("\t"):
        cells.append(CellSpan(pos, pos + len(part), part))
        pos += len(part) + 1
    return cells


def _foreign(line: Line) -> bool:
    """A one-cell-per-line table line (``→Термін виконання``): :mod:`.cell_tables`' layout."""
    return line.text.startswith("\t") and line.text.count("\t") == 1


@dataclass(slots=True)
class _Segment:
    """Measures of paragraphs in the current top-level section, kept until we know whether
    the section has a month-grid calendar: calendar plans write the activities without a
    month (supervision, methodical materials) as paragraphs and lists around the grid,
    while a row table holds all its measures in its rows, so there a paragraph is prose."""

    pending: list[Measure] = field(default_factory=list)
    has_grid: bool = False


class _Scanner:
    def __init__(self, source: str, masked: str, claimed: list[tuple[int, int]]):
        self.source = source
        self.masked = masked
        self.lines = split_lines(source)
        self.claimed = claimed
        # Which lines this parser may read: neither claimed nor cell_tables' layout.
        taken = claimed_flags(claimed, [(line.start, max(line.end, line.start + 1)) for line in self.lines])
        self.usable = [not t and not _foreign(line) for line, t in zip(self.lines, taken)]
        self.outline = Outline(on_section=self._section_opened)
        self.table: RowTable | Grid | None = None
        self.segment = _Segment()
        self.found = LayoutResult()

    # -- structure of the document

    def _header(self, line: Line) -> tuple[str, list] | None:
        if "\t" not in line.text or _foreign(line):
            return None
        texts = [self.masked[c.start : c.end] for c in _cells(line)]
        if any(len(t) > _MAX_HEADER_CELL for t in texts):
            return None  # column headings are short; rows of content are not headers
        roles = header_roles(texts)
        if roles:
            return "rows", roles
        headings = month_headings(texts)
        if headings:
            return "grid", headings
        return None

    def _body_start(self, header_index: int) -> int:
        """Where the body that this header opens starts: the headings right above the
        header belong to it (``I півріччя`` / ``4. Підвищення …`` / sub-headings), up to
        and including the first numbered top-level heading."""
        voc = vocabulary()
        start = header_index
        numbered = False
        for i in range(header_index - 1, max(header_index - 12, -1), -1):
            if not self.usable[i]:
                break
            line = self.lines[i]
            text = self.masked[line.start : line.end]
            if not text.strip():
                continue
            if "\t" in text:
                break
            block = classify_block(text)
            is_period = block.kind is Kind.SECTION and bool(voc.period_heading.match(block.title.rstrip(" .:")))
            if numbered and not is_period:
                break
            if block.kind not in (Kind.SECTION, Kind.TASK):
                break
            start = i
            if is_period:
                break
            numbered = block.kind is Kind.SECTION and block.level == 1
        return start

    def run(self) -> LayoutResult:
        headers = {i: h for i, line in enumerate(self.lines) if self.usable[i] and (h := self._header(line))}
        if not headers:
            return LayoutResult()
        in_body = False
        page_break = False
        first_header = min(headers)
        body_from = self._body_start(first_header)
        for i, line in enumerate(self.lines):
            if not in_body:
                if i < body_from:
                    continue
                if i not in headers and i != body_from:
                    continue
                in_body = True
                self.outline.top_number = None
            if not self.usable[i]:
                self._end_table()
                continue
            content = self.masked[line.start : line.end]
            if not content.strip() or _RULE_RE.match(content):
                page_break = True  # blank lines and table rules ("--→---") mark a page break
                continue
            if i in headers:
                self._start_table(*headers[i])
            elif "\t" in content:
                self._table_row(line, page_break)
            elif not self._paragraph(line):
                in_body = False  # an appendix: wait for the next table header
                nxt = [h for h in headers if h > i]
                body_from = self._body_start(nxt[0]) if nxt else len(self.lines)
            self.found.claimed.append((line.start, line.end))
            page_break = False
        self._end_table()
        self._close_segment()
        self.found.sections = self.outline.sections
        self.found.measures.extend(self.outline.measures)
        self.found.claimed = _merge(self.found.claimed)
        return self.found

    # -- tables

    def _start_table(self, kind: str, spec: list) -> None:
        self._end_table()
        self.outline.task = None
        self.outline.fresh_task = False
        if kind == "rows":
            self.table = RowTable(self.masked, spec, self.outline)
        else:
            self.segment.has_grid = True
            self.table = Grid(self.source, self.masked, spec, self.outline)

    def _end_table(self) -> None:
        if self.table is not None:
            self.outline.measures.extend(self.table.measures())
            self.table = None

    def _table_row(self, line: Line, page_break: bool) -> None:
        cells = _cells(line)
        if self.table is not None:
            self.table.add_row(cells, page_break)
            if isinstance(self.table, Grid):
                self.segment.has_grid = True  # a grid may go on under a new heading
            return
        filled = [c for c in cells if self.masked[c.start : c.end].strip()]
        if len(filled) == 1 and filled[0] is cells[0]:
            # A row spanning a table whose header came earlier: read it as a paragraph.
            self._block(cells[0].start, cells[0].end)

    # -- paragraphs

    def _paragraph(self, line: Line) -> bool:
        """Read a line outside the tables; False when it ends the plan body."""
        return self._block(line.start, line.end)

    def _block(self, start: int, end: int) -> bool:
        block = self.outline.classify(self.source[start:end])
        if self.table is not None:
            # A line between two rows: the row after it does not continue the row before.
            self.table.barrier()
        if block.kind is Kind.APPENDIX:
            self._end_table()
            self._close_segment()
            return False
        if block.kind is Kind.SECTION:
            # A table goes on under a new heading until another header replaces it: plans
            # often head each group of rows with a section title and no repeated header.
            self.outline.open_section(block, start, end)
        elif block.kind is Kind.TASK:
            self.outline.open_task(block)
        elif block.kind is Kind.MEASURE:
            self.outline.saw_measure(block.number)
            for f in block_measures(self.source, self.masked, start, end):
                self.segment.pending.append(
                    Measure(
                        number=f.number, section=None, task=self.outline.task, text=f.text,
                        deadline=f.deadline, executors=f.executors, indicator=None, purpose=None,
                        start=f.start, end=f.end,
                    )
                )
        return True

    def _section_opened(self, block: Block) -> None:
        if block.level == 1:
            self._close_segment()

    def _close_segment(self) -> None:
        if self.segment.has_grid:
            self.outline.measures.extend(self.segment.pending)
        self.segment = _Segment()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 2:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def parse(doc: SourceDocument, masked: str, claimed: list[tuple[int, int]] | None = None) -> LayoutResult:
    """Measures and sections of the row-per-line tables, month-grid calendars and lists
    of ``doc`` outside the ``claimed`` ranges."""
    return _Scanner(doc.text, masked, claimed or []).run()

"""Interpret a plan table — rows of cells, whatever layout they came from — as sections,
tasks and measures.

The same function reads tables recovered from plain text (:mod:`.cell_tables`) and tables
a .docx/.html reader marks up (``SourceDocument.tables``): it sees only
:class:`~pipeline.models.Table` rows and offsets into the document text.

What a row is comes from the table itself, not from any one document:

- the header row names the columns; their roles (task, measure, deadline, executors, …)
  come from the header words listed in ``pipeline/data/table_headers.toml``;
- a row of one cell (a cell spanning the table) is a heading: a section, or — inside a
  section numbered differently — a sub-heading that is the task of the rows under it;
- a data row opens a measure; its task cell, when filled, opens a task that later rows
  with an empty (vertically merged) task cell keep;
- a repeated header row or column-number row (``1 2 3 4 5``) after data is a page break:
  the running header before it is dropped, and a following row that opens no new item
  continues the measure the page broke (its cells' parts are joined with a space).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from ..models import Cell, Measure, Section, Table
from ..resources import load_data
from ..text import clean
from .executors import split_executors
from .layout import LayoutResult


# Roles a column can have. "other" columns are recognised header words we do not read.
FIELD_ROLES = ("number", "task", "measure", "deadline", "executors", "indicator", "purpose")

# No plan table is wider than this: bounds the search for a header row.
MAX_COLUMNS = 20


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class Vocabulary:
    roles: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    any_header: re.Pattern[str]  # all role patterns at once: a quick test for a header word
    headings: tuple[tuple[re.Pattern[str], int], ...]
    running_header: re.Pattern[str]
    not_heading: tuple[re.Pattern[str], ...]
    executor_note: re.Pattern[str]
    timing_note: re.Pattern[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_data("table_headers")
    flags = re.IGNORECASE
    roles = tuple(
        (r["name"], tuple(re.compile(p, flags) for p in r["patterns"])) for r in data["role"]
    )
    # A heading keyword counts only when a number follows it ("Розділ 1.", "ЦІЛЬ 2");
    # group 1 is the number as written. A Roman number needs its dot ("Розділ ІІ."): in
    # "ЗАВДАННЯ І ЗАХОДИ" the "І" is a conjunction.
    headings = tuple(
        (
            re.compile(
                rf"^(?:{h['words']})\s*(?:№\s*)?"
                rf"(\d{{1,3}}(?:\.\d{{1,3}})*(?=\.?(?:\s|$|[^\w.]))|{_ROMAN}(?=[.:]|$))",
                flags,
            ),
            int(h["level"]),
        )
        for h in data["heading"]
    )
    any_header = re.compile("|".join(f"(?:{p.pattern})" for _, ps in roles for p in ps), flags)
    running = re.compile("|".join(f"(?:{p})" for p in data["running_header"]["patterns"]), flags)
    not_heading = tuple(re.compile(p, flags) for p in data["not_heading"]["patterns"])
    notes = data["notes"]
    timing = re.compile(
        r"\(\s*([^()]*?\b(?:" + "|".join(notes["timing_words"]) + r")[^()]*?)\s*\)", flags
    )
    executor = re.compile(notes["executor"], flags)
    return Vocabulary(roles, any_header, headings, running, not_heading, executor, timing)


# --------------------------------------------------------------------------- numbers

# Roman numerals as typed in Ukrainian documents: Latin letters or their Cyrillic
# look-alikes (І, Х, and У for V as in "ІУ.", "УІ.").
_ROMAN = r"[IVXLІХУ]{1,6}"

# The number a list item or a heading opens with: "1.1.1.", "4.1.2 ", "1)", "1.Участь".
# A multi-level number needs no final dot; a single number needs a dot or bracket, so
# "2019-2026 роки" or "5 семінарів" are not numbers. A date ("01.03.2025") is not either.
_LIST_NUMBER = re.compile(
    r"(?P<multi>\d{1,3}(?:\.\d{1,3})+)\.?(?![\d.])"
    r"|(?P<single>\d{1,3})[.)](?![\d])"
)
_ROMAN_HEADING = re.compile(rf"(?P<roman>{_ROMAN})[.)](?=\s|[^\W\d_])")
_LETTERS = re.compile(r"[^\W\d_]")
_COLUMN_NUMBER = re.compile(r"(\d{1,2})\.?")


def list_number(text: str) -> tuple[str | None, int]:
    """The list number ``text`` opens with (without its dot or bracket) and where the rest
    of the text starts; ``(None, 0)`` when it opens with none."""
    m = _LIST_NUMBER.match(text)
    if not m:
        return None, 0
    number = m.group("multi") or m.group("single")
    rest = m.end()
    while rest < len(text) and text[rest].isspace():
        rest += 1
    return number, rest


def has_letters(text: str) -> bool:
    return bool(_LETTERS.search(text))


# --------------------------------------------------------------------------- row kinds


_UNKNOWN, _EMPTY = "?", ""

# The row and heading tests below are pure functions of a cell's text, asked again and
# again of the same texts (cell_tables groups rows with them, then measures_from_table
# classifies the same cells): their answers are cached. Bounded: a document has a few
# thousand distinct cell texts at most.
_TEXT_CACHE_SIZE = 4096


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _header_cell(text: str) -> str | None:
    """A header cell's role; ``_UNKNOWN`` for a short cell naming no known column,
    ``_EMPTY`` for an empty one; None for what no header cell is (long text, a numbered
    heading such as "СТРАТЕГІЧНА ЦІЛЬ 2. …", a bare number)."""
    if not text:
        return _EMPTY
    if len(text) > 80 or _COLUMN_NUMBER.fullmatch(text) or parse_heading(text).kind != "plain":
        return None
    return (header_role(text) if vocabulary().any_header.search(text) else None) or _UNKNOWN


def _roles_of(cells: Sequence[str]) -> tuple[str, ...] | None:
    """Column roles from header cells' roles (see :func:`_header_cell`), or None when
    they do not make a header row: at least a measure column and one more field, at most
    one empty cell and one cell naming no known column (then it must be a plain plan
    table with a deadline or executors column)."""
    if len(cells) < 2 or None in cells:
        return None
    empty = cells.count(_EMPTY)
    unknown = cells.count(_UNKNOWN)
    if empty > 1 or unknown > 1 or empty + unknown >= len(cells) - 1:
        return None
    roles = ["other" if r in (_EMPTY, _UNKNOWN) else r for r in cells]
    # One column per field: a second column naming the same field is not read.
    seen: set[str] = set()
    for i, role in enumerate(roles):
        if role in seen and role != "other":
            roles[i] = "other"
        seen.add(role)
    if "measure" not in seen and "task" in seen:
        # "Завдання | Термін | Виконавці": the tasks are the planned activities.
        roles[roles.index("task")] = "measure"
        seen.add("measure")
    fields = seen - {"other"}
    if "measure" not in fields or len(fields) < 2:
        return None
    if unknown and not fields & {"deadline", "executors"}:
        return None
    return tuple(roles)


def column_roles(texts: Sequence[str]) -> tuple[str, ...] | None:
    """The role of each column when ``texts`` is a header row, else None.

    A header row is short cells that name known columns, with at least a measure (or
    task) column and one other field column.
    """
    if not 2 <= len(texts) <= MAX_COLUMNS:
        return None
    cells: list[str] = []
    for text in texts:
        role = _header_cell(text)
        if role is None:
            return None
        cells.append(role)
    return _roles_of(cells)


def header_length(texts: Sequence[str], j: int, max_columns: int) -> int:
    """How many cells from ``texts[j]`` on form a header row (the longest such run that
    opens with a header word), 0 when none does. Each cell is looked at once."""
    if j >= len(texts) or not is_header_word(texts[j]):
        return 0
    cells: list[str] = []
    unknown = 0
    for text in texts[j : j + max_columns]:
        role = _header_cell(text)
        if role is None:
            break
        unknown += role == _UNKNOWN
        if unknown > 1:
            break
        cells.append(role)
    for k in range(len(cells), 1, -1):
        if _roles_of(cells[:k]) is not None:
            return k
    return 0


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def is_header_word(text: str) -> bool:
    """Could ``text`` be a header cell (short, and naming a known column)?"""
    return 0 < len(text) <= 80 and bool(vocabulary().any_header.search(text))


def header_role(text: str) -> str | None:
    """The column role a header cell names, or None when it names none we know."""
    for name, patterns in vocabulary().roles:
        if any(p.search(text) for p in patterns):
            return name
    return None


def column_number_count(texts: Sequence[str]) -> int | None:
    """``k`` when the row is the column-number row ``1 2 … k`` (k ≥ 2), else None."""
    if len(texts) < 2:
        return None
    for i, text in enumerate(texts, start=1):
        m = _COLUMN_NUMBER.fullmatch(text)
        if not m or int(m.group(1)) != i:
            return None
    return len(texts)


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def is_running_header(text: str) -> bool:
    """A page's running header or footer left inside a table ("Продовження додатку …")."""
    if not text:
        return False
    return bool(vocabulary().running_header.search(text))


@dataclass(frozen=True, slots=True)
class Heading:
    number: str | None  # as written, without its final dot
    kind: str  # what numbers it: "kw:<keyword level>", "roman", "arabic:<depth>", "plain"
    level: int


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def parse_heading(text: str) -> Heading:
    """Number, numbering kind and level of a heading row's text (a shared, immutable
    :class:`Heading`)."""
    for pattern, level in vocabulary().headings:
        m = pattern.match(text)
        if m:
            return Heading(m.group(1), f"kw:{level}", level)
    m = _ROMAN_HEADING.match(text)
    if m:
        return Heading(m.group("roman"), "roman", 1)
    number, _ = list_number(text)
    if number:
        depth = number.count(".") + 1
        return Heading(number, f"arabic:{depth}", depth)
    return Heading(None, "plain", 1)


# --------------------------------------------------------------------------- interpretation


@dataclass(slots=True)
class TableContext:
    """What the interpreter may know from outside the table.

    ``roles``: the column roles of the table this one continues (a table broken across
    pages and exported as two tables); used only when this table has no header row of
    its own and opens with a column-number row of the same width. After a plan table
    :func:`measures_from_table` leaves its last header's roles here, so passing one
    context through a document's tables in order carries them over.
    ``section``: the title of the heading in effect where the table starts; measures
    before the table's first heading row get it (None: left to the dispatcher).
    """

    roles: tuple[str, ...] | None = None
    section: str | None = None


@dataclass(slots=True)
class _Cell:
    start: int  # first non-space character (in the document text)
    end: int  # after the last non-space character
    text: str  # cleaned


@dataclass(slots=True)
class _Task:
    spans: list[tuple[int, int]]
    number: str | None
    level: int
    title: str = ""


@dataclass(slots=True)
class _Draft:
    """A measure being read: raw spans per field, joined when a page break splits a row."""

    number: str | None
    section: str | None
    task: _Task | None
    start: int
    end: int
    # Per field: (start, end, joiner) — the joiner goes before the part: a space where a
    # page break cut a phrase, a line break where a row of its own continues the measure
    # (for executors a line break separates two of them).
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)

    def add(self, role: str, start: int, end: int, joiner: str = " ") -> None:
        self.spans.setdefault(role, []).append((start, end, joiner))


_KIND_EMPTY, _KIND_HEADER, _KIND_NUMBERS, _KIND_HEADING, _KIND_DATA, _KIND_SKIP = range(6)


def _cells(row_cells: list[Cell], masked: str) -> list[_Cell]:
    """The row's cells with their spans narrowed to the text; repeats of one merged cell
    (a reader that gives a spanning cell once per grid column) are kept once."""
    out: list[_Cell] = []
    last: tuple[int, int] | None = None
    for c in row_cells:
        if (c.start, c.end) == last and c.start < c.end:
            continue
        last = (c.start, c.end)
        s, e = c.start, c.end
        raw = masked[s:e]
        text = raw.strip()  # str.strip removes exactly what str.isspace calls white space
        if raw:  # an empty span stays as it is
            s += len(raw) - len(raw.lstrip())
            e = s + len(text)
        out.append(_Cell(s, e, clean(text)))
    return out


def _row_kind(cells: list[_Cell]) -> int:
    texts = [c.text for c in cells]
    filled = [t for t in texts if t]
    if not filled:
        return _KIND_EMPTY
    if column_roles(texts) is not None:
        return _KIND_HEADER
    if column_number_count(texts) is not None:
        return _KIND_NUMBERS
    # One cell, or one text repeated in every filled cell (a horizontally merged cell).
    if len(cells) == 1 or (len(filled) > 1 and len(set(filled)) == 1 and len(filled) == len(texts)):
        text = filled[0]
        if _numbered_heading(text):
            return _KIND_HEADING
        if is_running_header(text) or any(p.search(text) for p in vocabulary().not_heading):
            return _KIND_SKIP
        return _KIND_HEADING
    # A strong heading in the first cell of an otherwise empty row (cells not merged).
    if len(filled) == 1 and texts[0] and strong_heading(texts[0]):
        return _KIND_HEADING
    return _KIND_DATA


def strong_heading(text: str) -> bool:
    """A heading no cell content looks like: "Розділ 2. …", "ІІІ. …", "СТРАТЕГІЧНА ЦІЛЬ 1."."""
    kind = parse_heading(text).kind
    return kind == "roman" or kind.startswith("kw:")


def _numbered_heading(text: str) -> bool:
    return parse_heading(text).kind != "plain"


class _Reader:
    """Walks the rows of one table in order, keeping the section and task in effect."""

    def __init__(self, masked: str, context: TableContext):
        self.masked = masked
        self.context = context
        self.roles: tuple[str, ...] | None = None
        self.section: tuple[str, Heading] | None = None
        self.top_kind: str | None = None
        self.task: _Task | None = None
        self.tasks: list[_Task] = []
        self.sections: list[Section] = []
        self.drafts: list[_Draft] = []
        self.break_pending = False
        self.numbered = False  # have the table's measures had numbers so far

    # ---- rows

    def header(self, roles: tuple[str, ...], after_data: bool) -> None:
        self.roles = roles
        if after_data:
            self.break_pending = True

    def heading(self, cell: _Cell) -> None:
        head = parse_heading(cell.text)
        # Headings numbered like the table's first section are sections; so is a numbered
        # heading after an unnumbered one (a title row above the numbered sections).
        if (
            self.section is None
            or head.kind == self.top_kind
            or (self.top_kind == "plain" and head.kind != "plain")
        ):
            self.top_kind = head.kind
            self.section = (cell.text, head)
            self.task = None
            self.sections.append(Section(cell.text, head.number, head.level, cell.start, cell.end))
        else:
            # A sub-heading inside a section numbered otherwise: the task of the rows below.
            self.task = _Task([(cell.start, cell.end)], head.number, self.section[1].level + 1, cell.text)
            self.tasks.append(self.task)
        self.break_pending = False

    def data(self, cells: list[_Cell]) -> None:
        assert self.roles is not None
        by_role = self._assign(cells)
        num = by_role.get("number")
        task = by_role.get("task")
        meas = by_role.get("measure")
        # "№ з/п" numbers the task when the row opens one (its task cell is filled) and
        # the measure otherwise.
        number_is_task = task is not None and bool(task.text)
        prev = self.drafts[-1] if self.drafts else None

        if prev is not None and self._continues(by_role):
            joiner = " " if self.break_pending else "\n"
            for role, cell in by_role.items():
                if not cell.text or role == "number":
                    continue
                if role == "task":
                    if prev.task is not None and cell.text != prev.task.title:
                        prev.task.spans.append((cell.start, cell.end))
                    continue
                prev.add(role, cell.start, cell.end, joiner)
            prev.end = max(prev.end, max(c.end for c in cells))
            self.break_pending = False
            return
        self.break_pending = False

        if task is not None and has_letters(task.text) and not (self.task and self.task.title == task.text):
            # A task cell with only a number ("1.2.") is a merge artifact: keep the task.
            # So is one repeating the current task (a reader that copies a vertically
            # merged cell into every row).
            tnum = num.text.rstrip(".") if (number_is_task and num and num.text) else list_number(task.text)[0]
            level = (self.section[1].level if self.section else 0) + 1
            self.task = _Task([(task.start, task.end)], tnum, level, task.text)
            self.tasks.append(self.task)
        if meas is None or not meas.text:
            return
        # The text starts after its own list number ("1.1.1. Внести …" → "Внести …").
        number = list_number(meas.text)[0]
        text_start = self._skip_number(meas.start, meas.end) if number else meas.start
        if not number_is_task and num is not None and num.text:
            number = num.text.strip().rstrip(".)") or number
        if number:
            self.numbered = True
        draft = _Draft(
            number=number,
            section=self.section[0] if self.section else self.context.section,
            task=self.task,
            start=text_start,
            end=max(c.end for c in cells),
        )
        draft.add("measure", text_start, meas.end)
        for role in ("deadline", "executors", "indicator", "purpose"):
            cell = by_role.get(role)
            if cell is not None and cell.text:
                draft.add(role, cell.start, cell.end)
        self.drafts.append(draft)

    # ---- helpers

    def _assign(self, cells: list[_Cell]) -> dict[str, _Cell]:
        """Map cells to column roles. A row with fewer cells than columns has merged cells
        on its left (number/task columns merge, field columns rarely do): align it right."""
        roles = self.roles or ()
        n = len(roles)
        shift = n - len(cells) if len(cells) < n else 0
        out: dict[str, _Cell] = {}
        for i, cell in enumerate(cells):
            j = i + shift
            if j >= n:
                break
            role = roles[j]
            if role in FIELD_ROLES and role not in out:
                out[role] = cell
        return out

    def _continues(self, by_role: dict[str, _Cell]) -> bool:
        """Does this row continue the previous measure rather than open a new item?"""
        num = by_role.get("number")
        task = by_role.get("task")
        meas = by_role.get("measure")
        num_text = num.text if num else ""
        task_text = task.text if task else ""
        if self.task is not None and task_text == self.task.title:
            task_text = ""  # the current task copied into every row of a merged cell
        meas_text = meas.text if meas else ""
        if not any(c.text for role, c in by_role.items() if role != "number"):
            return False
        if num_text:
            return False
        if task_text and list_number(task_text)[0] is not None:
            return False
        if meas_text and list_number(meas_text)[0] is not None:
            return False
        if self.break_pending:
            # After a page break a row opens a new item only by a number — or, in a table
            # whose measures are not numbered, by a capitalised measure text.
            if meas_text and not self.numbered and meas_text[0].isupper():
                return False
            return True
        # Without a page break: a row with nothing in its number, task and measure cells
        # is the rest of the previous row (an exporter split one row in two).
        return not meas_text and not task_text

    def _skip_number(self, start: int, end: int) -> int:
        number, offset = list_number(self.masked[start:end])
        return start + offset if number else start

    # ---- results

    def result(self) -> tuple[list[Section], list[Measure]]:
        for task in self.tasks:
            task.title = clean(" ".join(self.masked[s:e] for s, e in task.spans))
        sections = list(self.sections)
        for task in self.tasks:
            s, e = task.spans[0][0], task.spans[-1][1]
            sections.append(Section(task.title, task.number, task.level, s, e, kind="task"))
        measures = [m for m in (self._measure(d) for d in self.drafts) if m is not None]
        return sections, measures

    def _value(self, draft: _Draft, role: str) -> str:
        parts = draft.spans.get(role, ())
        return "".join((joiner if i else "") + self.masked[s:e] for i, (s, e, joiner) in enumerate(parts))

    def _measure(self, draft: _Draft) -> Measure | None:
        voc = vocabulary()
        text = self._value(draft, "measure")
        executors = split_executors(self._value(draft, "executors"))
        deadline = clean(self._value(draft, "deadline")) or None
        # Notes inside the text that belong to other fields (GUIDELINES, "Measures").
        notes: list[str] = []

        def take_executors(m: re.Match[str]) -> str:
            notes.append(m.group(1))
            return " "

        text = voc.executor_note.sub(take_executors, text)
        for note in notes:
            for name in split_executors(note):
                if name not in executors:
                    executors.append(name)
        if self.roles is not None and "deadline" not in self.roles and deadline is None:
            m = voc.timing_note.search(text)
            if m:
                deadline = clean(m.group(1))
                text = text[: m.start()] + " " + text[m.end() :]
        text = clean(text)
        if not text:
            return None
        return Measure(
            number=draft.number,
            section=draft.section,
            task=draft.task.title if draft.task else None,
            text=text,
            deadline=deadline,
            executors=executors,
            indicator=clean(self._value(draft, "indicator")) or None,
            purpose=clean(self._value(draft, "purpose")) or None,
            start=draft.start,
            end=draft.end,
        )


def measures_from_table(table: Table, masked: str, context: TableContext | None = None) -> LayoutResult:
    """Sections, tasks and measures of one table.

    ``masked`` is the document text with markup masked (:func:`~pipeline.text.mask_markup`);
    cell offsets index into it. A table with no header row (and no ``context.roles`` it
    continues) is not a plan table: nothing is returned and nothing claimed.
    """
    context = context or TableContext()
    rows = [_cells(r.cells, masked) for r in table.rows]
    kinds = [_row_kind(c) for c in rows]
    _skip_running_headers(rows, kinds)
    first = _first_used_row(rows, kinds, context)
    if first is None:
        return LayoutResult()
    reader = _Reader(masked, context)
    if context.roles is not None and _KIND_HEADER not in kinds[first:]:
        reader.roles = context.roles
    seen_data = False
    heading_since_data = False
    for cells, kind in zip(rows[first:], kinds[first:]):
        if kind == _KIND_HEADER:
            reader.header(column_roles([c.text for c in cells]) or (), seen_data and not heading_since_data)
        elif kind == _KIND_NUMBERS:
            if seen_data and not heading_since_data:
                reader.break_pending = True
        elif kind == _KIND_HEADING:
            reader.heading(next(c for c in cells if c.text))
            heading_since_data = True
        elif kind == _KIND_DATA and reader.roles is not None:
            lone = _lone_heading(cells, reader.roles)
            if lone is not None:
                reader.heading(lone)
                heading_since_data = True
                continue
            reader.data(cells)
            seen_data = True
            heading_since_data = False
    sections, measures = reader.result()
    if reader.roles:
        context.roles = reader.roles
    used = [c for cells in rows[first:] for c in cells]
    start = min(c.start for c in used)
    end = max(c.end for c in used)
    return LayoutResult(sections=sections, measures=measures, claimed=[(start, end)])


def _skip_running_headers(rows: list[list[_Cell]], kinds: list[int]) -> None:
    """A row whose one filled cell is a running header ("Продовження додатку …") right
    before a repeated header or column-number row is the page's header, whatever cell
    of an unmerged row the reader put it in."""
    following = _KIND_EMPTY
    for i in range(len(rows) - 1, -1, -1):
        kind = kinds[i]
        if kind in (_KIND_DATA, _KIND_HEADING) and following in (_KIND_HEADER, _KIND_NUMBERS):
            filled = [c.text for c in rows[i] if c.text]
            if len(filled) == 1 and is_running_header(filled[0]) and not _numbered_heading(filled[0]):
                kinds[i] = kind = _KIND_SKIP
        if kind != _KIND_EMPTY:
            following = kind


def _lone_heading(cells: list[_Cell], roles: tuple[str, ...]) -> _Cell | None:
    """A heading written in the first cell of an otherwise empty row (a reader that does
    not merge the row's cells) where that column holds numbers: "1. Робота з родинами"."""
    if len(cells) < 2 or not cells[0].text or any(c.text for c in cells[1:]):
        return None
    text = cells[0].text
    return cells[0] if roles[0] == "number" and has_letters(text) else None


def _first_used_row(rows: list[list[_Cell]], kinds: list[int], context: TableContext) -> int | None:
    """Index of the first row the table's interpretation starts at: the header row, or
    the heading rows right above it ("СТРАТЕГІЧНА ЦІЛЬ 1." above the header). Rows before
    those are not part of the plan table. None when the table has no header."""
    try:
        header = kinds.index(_KIND_HEADER)
    except ValueError:
        header = None
    if header is None:
        if context.roles is None:
            return None
        # A continuation table: adopt the known roles only when it opens with a
        # column-number row as wide as they are.
        for i, kind in enumerate(kinds):
            if kind == _KIND_EMPTY:
                continue
            if kind == _KIND_NUMBERS and len(rows[i]) == len(context.roles):
                return i
            return None
        return None
    first = header
    while first > 0 and kinds[first - 1] in (_KIND_HEADING, _KIND_EMPTY, _KIND_SKIP):
        first -= 1
    while first < header and kinds[first] != _KIND_HEADING:
        first += 1
    return first

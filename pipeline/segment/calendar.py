"""Month-grid calendars: a header row of month names, then rows whose cells list activities.

::

    Січень - Лютий→Березень→Квітень→Травень→Червень
    <p>Навчання … (Відп. Скоренко Л.П.)</p> <p>Арт-практикум …</p>→<p>…</p>→…

Each item of a cell (a ``<p>``, a paragraph of a .docx cell, a numbered ``<ol>`` entry) is
a measure whose deadline is its column's heading as written and whose executors come from
its ``(відп. …)`` note. A row that fills only its first cell spans the grid: a sub-heading
(the ``task`` of what follows), a direction of work (a section) or measures without a
month. A cell broken by a page break continues on a later line, column by column
(:meth:`Grid.add_row`).

The same code reads calendars from .txt lines (:mod:`.row_tables`) and from tables that
.docx/.html files mark up (:func:`is_calendar_table`, :func:`measures_from_calendar`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Measure, Section, Table
from ..text import clean, mask_markup
from .layout import LayoutResult
from .lists import Block, Fragment, Kind, classify_block, fragments, item_fields
from .notes import looks_unfinished, starts_as_continuation
from .vocab import vocabulary


def month_headings(cells: list[str]) -> list[str | None] | None:
    """The column headings when every non-empty cell is a month, a month range or another
    period heading (``Січень - Лютий``, ``II квартал``); None otherwise.

    The first cell may instead head a column of measures (``Захід→I квартал→II квартал…``):
    its heading is then None, and each row names its measure there (see :class:`Grid`)."""
    voc = vocabulary()
    titles = [clean(c) for c in cells]
    first = titles[0].lower().strip(" .:*") if titles else ""
    label = bool(first) and not voc.month_heading.match(titles[0]) and bool(voc.header_roles["text"].match(first))
    periods = [t for t in titles[1 if label else 0 :] if t]
    if len(periods) < 2 or not all(voc.month_heading.match(t) for t in periods):
        return None
    return [None, *titles[1:]] if label else titles


# A cell that only marks its column ("+", "х", "✓"): the row's measure falls in that period.
_MARK_RE = re.compile(r"^[+✓✔vVхХxX•*]+$")


@dataclass(slots=True)
class CellSpan:
    """A cell of a grid row: its source offsets and raw text (markup included)."""

    start: int
    end: int
    raw: str


@dataclass(slots=True)
class _Item:
    runs: list[tuple[int, int]]
    column: int | None  # None: a row spanning the grid
    task: str | None
    opened: bool
    tail: str  # the text of its last run, to judge whether a page break cut it
    deadline: str | None = None  # set when the row marks its periods ("+" cells)


@dataclass(slots=True)
class Outline:
    """Sections, the current task and the measures found so far; shared by the grid and
    the line scanner so that a sub-heading between two grid rows still applies."""

    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    task: str | None = None
    task_from_colon: bool = False
    # The last thing read was a sub-heading: a numbered line now opens a list.
    fresh_task: bool = False
    # The number of the last numbered list item, so that "2." after "1." stays a list.
    list_number: int | None = None
    # The number of the current top-level section: a smaller number opens a list.
    top_number: int | None = None
    # Told of every section opened (the line scanner closes its top-level segment).
    on_section: Callable[[Block], None] | None = None

    def open_section(self, block: Block, start: int, end: int) -> None:
        if self.on_section is not None:
            self.on_section(block)
        if block.level == 1:
            # A half-year block restarts the numbering ("II півріччя" then "4. …" again).
            self.top_number = int(block.number.split(".")[0]) if block.number else None
        self.sections.append(Section(block.title, block.number, block.level, start, end))
        self.task = None
        self.fresh_task = False
        self.list_number = None

    def open_task(self, block: Block) -> None:
        self.task = block.title
        self.task_from_colon = block.title.endswith(":")
        self.fresh_task = True
        self.list_number = None

    def saw_measure(self, number: str | None = None) -> None:
        self.fresh_task = False
        self.list_number = int(number) if number and number.isdigit() else None

    def classify(self, raw: str) -> Block:
        """What a line or spanning row is, given what came before it."""
        return classify_block(
            raw, after_task=self.fresh_task, top_number=self.top_number, list_number=self.list_number
        )


class Grid:
    """One month-grid calendar being read, row by row."""

    def __init__(self, source: str, masked: str, headings: list[str | None], outline: Outline):
        self.source = source
        self.masked = masked
        self.headings = headings
        # The first column names each row's measure rather than holding a period's items.
        self.labelled = bool(headings) and headings[0] is None
        self.outline = outline
        self.items: list[_Item] = []
        # The item each column's last cell ended with: the one a page break may have cut.
        self.last: dict[int, _Item] = {}

    @property
    def width(self) -> int:
        return len(self.headings)

    def add_row(self, cells: list[CellSpan], page_break: bool) -> None:
        """Read one row. ``page_break``: blank lines or a table rule came before it, so
        its first fragments may continue the items the previous row ended with."""
        frags = [fragments(c.raw, c.start, self.masked) for c in cells[: self.width]]
        filled = [k for k, f in enumerate(frags) if f]
        if not filled:
            return
        if self.labelled and filled != [0]:
            self._labelled_row(cells, frags, filled, page_break)
            return
        # A row that fills only its first cell spans the grid (a .docx/.html row whose
        # cells are merged has a single cell).
        if filled == [0] and self.width > 1:
            first = frags[filled[0]][0]
            target = self._continued(dict(self.last), 0, first, page_break, False, set())
            if target is not None:
                self._extend(target, first)
                for frag in frags[filled[0]][1:]:
                    self._new(frag, 0)
                return
            self._spanning(cells[filled[0]])
            return
        continued: set[int] = set()
        before = dict(self.last)  # what the previous rows ended with, not this row's items
        # A line after a page break whose first cell is empty continues the row above.
        resumes = page_break and 0 not in filled
        for k in filled:
            col_frags = frags[k]
            target = self._continued(before, k, col_frags[0], page_break, resumes, continued)
            if target is not None:
                continued.add(id(target))
                self._extend(target, col_frags[0])
                col_frags = col_frags[1:]
                self.last[k] = target
            for frag in col_frags:
                self.last[k] = self._new(frag, k)

    def barrier(self) -> None:
        """A heading or paragraph came between rows: nothing continues the last row."""
        self.last.clear()

    def _labelled_row(
        self, cells: list[CellSpan], frags: list[list[Fragment]], filled: list[int], page_break: bool
    ) -> None:
        """A row of a grid whose first column names the measure. When its period cells only
        mark the periods (``+``), the name is the measure and the marked headings its
        deadline; otherwise the period cells hold the items and the name is their task."""
        periods = [k for k in filled if k]
        texts = {k: " ".join(self.masked[f.start : f.end].strip() for f in frags[k]) for k in periods}
        label = frags[0]
        if label and all(_MARK_RE.match(t) for t in texts.values()):
            runs = [(f.start, f.end) for f in label]
            deadline = ", ".join(h for k in periods if (h := self.headings[k]))
            item = _Item(runs, None, self.outline.task, False, self.masked[runs[-1][0] : runs[-1][1]], deadline)
            self.items.append(item)
            self.outline.saw_measure()
            self.last = {0: item}
            return
        task = clean(" ".join(self.masked[f.start : f.end] for f in label)) or self.outline.task
        saved, self.outline.task = self.outline.task, task
        try:
            rest = [CellSpan(c.start, c.start, "") if k == 0 else c for k, c in enumerate(cells)]
            self.labelled = False
            self.add_row(rest, page_break)
        finally:
            self.labelled = True
            self.outline.task = saved

    def _continued(
        self, before: dict[int, _Item], k: int, frag: Fragment, page_break: bool, resumes: bool,
        taken: set[int],
    ) -> _Item | None:
        """The item that ``frag``, the first fragment of column ``k``, continues, if any.

        ``before``: the last item of each column before this row; ``resumes``: the row is
        a continuation line (a page break, then an empty first cell)."""
        text = self.masked[frag.start : frag.end]
        own = before.get(k)
        if own is not None:
            if id(own) in taken:
                return None
            if starts_as_continuation(text):
                return own
            # After a page break the item above may have been cut off.
            if page_break and looks_unfinished(own.tail):
                return own
            return None
        # Nothing above in this column: exports shift the cells of a continuation line
        # when the row above had empty cells, so a fragment that cannot open an item goes
        # to the nearest item on its left that was cut off.
        if not (starts_as_continuation(text) or (resumes and not frag.opened)):
            return None
        for j in range(k - 1, -1, -1):
            item = before.get(j)
            if item is not None and id(item) not in taken and looks_unfinished(item.tail):
                return item
        return None

    def _extend(self, item: _Item, frag: Fragment) -> None:
        item.runs.append((frag.start, frag.end))
        item.tail = self.masked[frag.start : frag.end]

    def _new(self, frag: Fragment, column: int | None) -> _Item:
        text = self.masked[frag.start : frag.end]
        item = _Item([(frag.start, frag.end)], column, self.outline.task, frag.opened, text)
        self.items.append(item)
        self.outline.saw_measure()
        return item

    def _spanning(self, cell: CellSpan) -> None:
        """A row that fills only its first cell: a heading or measures without a month."""
        block = self.outline.classify(cell.raw)
        self.last.clear()
        if block.kind is Kind.SECTION:
            self.outline.open_section(block, cell.start, cell.end)
        elif block.kind is Kind.TASK:
            self.outline.open_task(block)
        elif block.kind is Kind.MEASURE:
            for f in fragments(cell.raw, cell.start, self.masked):
                item = _Item([(f.start, f.end)], None, self.outline.task, f.opened,
                             self.masked[f.start : f.end])
                self.items.append(item)
                self.last[0] = item
            self.outline.saw_measure(block.number)

    def measures(self) -> list[Measure]:
        """The measures of every item read so far."""
        out: list[Measure] = []
        for item in self.items:
            deadline = item.deadline
            if deadline is None and item.column is not None:
                deadline = self.headings[item.column] or None
            undated = item.column is None and item.deadline is None
            for f in item_fields(self.masked, item.runs, timing_to_deadline=undated):
                out.append(
                    Measure(
                        number=f.number, section=None, task=item.task, text=f.text,
                        deadline=f.deadline if undated else deadline,
                        executors=f.executors, indicator=None, purpose=None,
                        start=f.start, end=f.end,
                    )
                )
        return out


# ------------------------------------------------------------------ marked-up tables


def _cell_spans(table_row, masked: str) -> list[CellSpan]:
    return [CellSpan(c.start, c.end, c.text) for c in table_row.cells]


def _header_index(table: Table) -> tuple[int, list[str]] | None:
    for i, row in enumerate(table.rows[:3]):
        headings = month_headings([c.text for c in row.cells])
        if headings:
            return i, headings
    return None


def is_calendar_table(table: Table, masked: str) -> bool:
    """True when one of the first rows of ``table`` is a header of month/period names."""
    return _header_index(table) is not None


def measures_from_calendar(table: Table, masked: str) -> LayoutResult:
    """The measures (and direction sub-headings) of a month-grid table read from a .docx
    or .html file. ``masked`` is the document text with markup masked; when a cell's text
    is not the slice of it at the cell's offsets, the cell's own text is used."""
    found = _header_index(table)
    if found is None:
        return LayoutResult()
    index, headings = found
    outline = Outline()
    usable = all(
        masked[c.start : c.end] == mask_markup(c.text) for r in table.rows for c in r.cells
    )
    if not usable:
        # Offsets do not address the cells: read each cell on its own text.
        result = LayoutResult()
        for row in table.rows[index + 1 :]:
            for col, cell in enumerate(row.cells[: len(headings)]):
                text = mask_markup(cell.text)
                for frag in fragments(cell.text, 0, text):
                    for f in item_fields(text, [(frag.start, frag.end)], timing_to_deadline=False):
                        result.measures.append(Measure(
                            number=f.number, section=None, task=None, text=f.text,
                            deadline=headings[col] or None, executors=f.executors,
                            indicator=None, purpose=None, start=cell.start, end=cell.end))
        return result
    grid = Grid(masked, masked, headings, outline)
    for row in table.rows[index + 1 :]:
        cells = _cell_spans(row, masked)
        if month_headings([c.raw for c in cells]):
            grid.headings = month_headings([c.raw for c in cells]) or grid.headings
            grid.last.clear()
            continue
        grid.add_row(cells, page_break=False)
    return LayoutResult(
        sections=outline.sections,
        measures=grid.measures(),
        claimed=[(table.start, table.end)],
    )


__all__ = ["CellSpan", "Grid", "Outline", "is_calendar_table", "measures_from_calendar", "month_headings"]

"""Tables exported one cell per line, and tables the file format marks up.

A text export of a Word table writes every cell on a new line that starts with a TAB;
a cell's further paragraphs follow on lines that do not start with a TAB, sometimes
after blank lines. Rows are not marked: a row is usually preceded by a blank line, but
blank lines also occur inside a row (between its cells, inside a cell). So rows are
recovered by counting cells against the width the header row (or the column-number row
``1 2 3 4 5``) gives, with a row of one cell standing for a heading that spans the table.

The recovered rows become :class:`~pipeline.models.Table` objects and are read by
:func:`.tables.measures_from_table`, exactly as tables from .docx/.html are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Cell, Row, SourceDocument, Table
from ..text import Line, clean, mask_markup, split_lines
from .layout import LayoutResult, is_claimed
from .tables import (
    MAX_COLUMNS,
    TableContext,
    column_roles,
    has_letters,
    header_length,
    is_header_word,
    is_running_header,
    measures_from_table,
    parse_heading,
    strong_heading,
)

# A cell line: a TAB opens it (a stray space or byte-order mark before it is tolerated).
_CELL_LINE = re.compile(r"[ \u00a0\ufeff]*\t")

# Text lines between two cell lines of one table: more than this and the text is prose
# between two tables, not the paragraphs of a cell.
MAX_TEXT_LINES_IN_TABLE = 40


@dataclass(slots=True)
class _Para:
    start: int
    end: int
    gap: int  # blank lines before it inside the cell


@dataclass(slots=True)
class _CellDraft:
    start: int  # after the opening TAB
    gap_before: int  # blank lines before the cell's line: a blank line may open a row
    paras: list[_Para] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.paras[-1].end


def parse(doc: SourceDocument, masked: str, claimed: list[tuple[int, int]] | None = None) -> LayoutResult:
    """Measures, sections and claimed ranges of the document's plan tables.

    The tables are the reader's (``doc.tables``, from .docx/.html) when it supplied any,
    else those recovered from the cell-per-line layout of the text. A table without a
    header row naming its columns is not a plan table and is left to other parsers, as
    is anything inside ``claimed``.
    """
    claimed = claimed or []
    tables = [t for t in doc.tables if t.rows] if doc.tables else recover_tables(doc.text, masked)
    result = LayoutResult()
    context = TableContext()  # carries the column roles from one table to the next
    for table in tables:
        if is_claimed(claimed, table.start, table.end):
            continue
        result = result.merge(measures_from_table(table, masked, context))
    return result


# --------------------------------------------------------------------------- recovery


def recover_tables(text: str, masked: str | None = None) -> list[Table]:
    """Tables written one cell per line, as rows of cells (origin ``"cell_lines"``).

    ``masked`` is ``text`` with markup masked (computed when not given): the layout is
    read from it, the cells keep the source text. Every run of cell lines becomes a
    table; whether it is a plan table (has a header) is for
    :func:`.tables.measures_from_table` to say.
    """
    if masked is None:
        masked = mask_markup(text)
    tables: list[Table] = []
    for region in _regions(split_lines(masked), masked):
        rows = _group_rows(region, masked)
        if rows:
            tables.append(Table([Row([Cell(c.start, c.end, text[c.start : c.end]) for c in r]) for r in rows], "cell_lines"))
    return tables


def _cell_text_starts(lines: list[Line]) -> list[int]:
    """For each line, where its cell's text starts (after the opening TAB, relative to the
    line), or -1 for a line that opens no cell. Matched once, read by several passes."""
    match = _CELL_LINE.match
    return [m.end() if (m := match(line.text)) else -1 for line in lines]


def _regions(lines: list[Line], masked: str) -> list[list[_CellDraft]]:
    """Split the text into runs of cells; each cell carries its continuation paragraphs.

    A text line continues the current cell, blank lines before it or not, while the table
    goes on after it (another cell line follows within a few paragraphs). Where it does
    not, the table has ended: a heading-like line, or a line after two blank lines, or too
    much prose closes it, and :func:`_trim_tail` drops what opens like new text.
    """
    cell_starts = _cell_text_starts(lines)
    resumes = _text_lines_to_next_cell(lines, cell_starts)
    regions: list[list[_CellDraft]] = []
    cells: list[_CellDraft] = []
    gap = 0  # blank lines since the last non-blank line
    text_lines = 0  # text lines since the last cell line
    has_text = False  # does the current cell hold any text yet

    def close() -> None:
        nonlocal cells
        if cells:
            _trim_tail(cells[-1], masked)
            regions.append(cells)
        cells = []

    for i, line in enumerate(lines):
        text_start = cell_starts[i]
        if text_start >= 0:
            start = line.start + text_start
            cells.append(_CellDraft(start, gap if cells else 0, [_Para(start, line.end, 0)]))
            text_lines = 0
            has_text = bool(line.text[text_start:].strip())
        elif not line.text or line.text.isspace():
            # White space only: a blank line (a line holding just a TAB is an empty cell).
            gap += 1
            continue
        elif cells:
            text_lines += 1
            table_goes_on = resumes[i] <= MAX_TEXT_LINES_IN_TABLE
            if (
                text_lines > MAX_TEXT_LINES_IN_TABLE
                or ((gap >= 1 or not table_goes_on) and _heading_like(line.text.strip(), gap))
                or (gap >= 2 and has_text and not table_goes_on)
            ):
                close()
            else:
                cells[-1].paras.append(_Para(line.start, line.end, gap))
                has_text = True
        gap = 0
    close()
    return regions


def _text_lines_to_next_cell(lines: list[Line], cell_starts: list[int]) -> list[int]:
    """For each line, how many text lines lie from it to the next cell line (a large
    number when no cell line follows); ``cell_starts`` as :func:`_cell_text_starts` gives."""
    out = [0] * len(lines)
    count = 1 << 30
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text
        if cell_starts[i] >= 0:
            count = 0
        elif text and not text.isspace():
            count += 1
        out[i] = count
    return out


def _heading_like(text: str, gap: int) -> bool:
    """A document heading after blank lines ("IV. Очікувані результати", "РОЗДІЛ 3") ends
    a table; a line in capitals does only after a wider gap (a cell may hold one)."""
    if strong_heading(text):
        return True
    if gap < 2:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and all(ch.isupper() for ch in letters)


def _trim_tail(cell: _CellDraft, masked: str) -> None:
    """The last cell of a table: a paragraph after a blank line that opens like a new
    sentence ("Керуючий справами …") is the text after the table, not the cell's."""
    for i in range(1, len(cell.paras)):
        para = cell.paras[i]
        if para.gap >= 1:
            first = masked[para.start : para.end].strip()[:1]
            if first and not (first.islower() or first.isdigit() or first in "(«\"-–"):
                del cell.paras[i:]
                return


def _trim_running_header(cell: _CellDraft, masked: str) -> None:
    """Drop a running header written as plain paragraphs at the end of the cell before a
    page break ("…\\n\\nПродовження таблиці\\n\\n1 2 3 4 5")."""
    for i in range(1, len(cell.paras)):
        para = cell.paras[i]
        if para.gap >= 1 and is_running_header(clean(masked[para.start : para.end])):
            del cell.paras[i:]
            return


def _blocks(cells: list[_CellDraft], masked: str) -> list[tuple[list[_CellDraft], list[str]]]:
    """Runs of cells with no blank line between them, each with its cells' cleaned texts;
    a header whose cells are spread over several runs (blank lines between header cells)
    is one run again."""
    blocks: list[tuple[list[_CellDraft], list[str]]] = []
    for cell in cells:
        text = clean(masked[cell.start : cell.end])
        if not blocks or cell.gap_before > 0:
            blocks.append(([cell], [text]))
        else:
            blocks[-1][0].append(cell)
            blocks[-1][1].append(text)
    merged: list[tuple[list[_CellDraft], list[str]]] = []
    for block, texts in blocks:
        if (
            merged
            and _all_header_words(merged[-1][1])
            and _all_header_words(texts)
            # A lone cell above a whole header stays a title ("План заходів на 2025 рік").
            and (len(merged[-1][0]) > 1 or column_roles(texts) is None)
        ):
            merged[-1] = (merged[-1][0] + block, merged[-1][1] + texts)
        else:
            merged.append((block, texts))
    return merged


def _all_header_words(texts: list[str]) -> bool:
    return len(texts) <= MAX_COLUMNS and all(
        is_header_word(t) and parse_heading(t).kind == "plain" for t in texts
    )


def _group_rows(cells: list[_CellDraft], masked: str) -> list[list[_CellDraft]]:
    """Group a run of cells into rows.

    Rows are as wide as the header (or the column-number row under it) says; blank lines
    (which open blocks of cells) and the look of a cell tell where a shorter row — a
    heading spanning the table, a running header — stands:

    - a block of one cell with text, where a row starts, is a heading;
    - so is, where a row starts, a strong heading ("Розділ 2.", "ІІІ.", "ЦІЛЬ 1.") or a
      cell with words where the first column holds numbers ("1.Участь у засіданнях …");
    - a running header ("Продовження додатку …") before a repeated header row is one too;
    - a block that would overflow the row being filled starts a new row.
    """
    rows: list[list[_CellDraft]] = []
    acc: list[_CellDraft] = []
    width: int | None = None
    first_role: str | None = None

    def flush() -> None:
        nonlocal acc
        if acc:
            rows.append(acc)
        acc = []

    blocks = _blocks(cells, masked)
    for bi, (block, texts) in enumerate(blocks):
        following = blocks[bi + 1][1] if bi + 1 < len(blocks) else []
        j = 0
        while j < len(block):
            # Header and column-number rows: a row of their own, and the width from now on.
            # They open a block or follow a complete row, so only there are they looked for.
            k = 0
            if j == 0 or not acc:
                k = _header_at(texts, j)
                if k:
                    first_role = (column_roles(texts[j : j + k]) or ("other",))[0]
                else:
                    k = _numbers_at(texts, j, width)
            if k:
                if acc or rows:  # a running header left as paragraphs of the cell before
                    _trim_running_header((acc or rows[-1])[-1], masked)
                flush()
                rows.append(block[j : j + k])
                width = k  # a column-number row under a header counts the leaf columns
                j += k
                continue
            if width is None:
                # Before any header: the cells up to the next header row are one row.
                h = j + 1
                while h < len(block) and not (_header_at(texts, h) or _numbers_at(texts, h, None)):
                    h += 1
                rows.append(block[j:h])
                j = h
                continue
            text = texts[j]
            if j == 0 and len(block) == 1 and not acc and has_letters(text):
                rows.append(block)  # a one-cell block opening a row: a spanning heading
                break
            if j == 0 and acc and len(acc) + len(block) > width:
                flush()  # the blank line before this block ended a short row
            if is_running_header(text) and _repeat_row_next(texts, j + 1, following, width):
                flush()
                rows.append([block[j]])
            elif not acc and _heading_at_row_start(text, first_role):
                rows.append([block[j]])
            else:
                acc.append(block[j])
                if len(acc) == width:
                    flush()
            j += 1
    flush()
    return rows


def _repeat_row_next(texts: list[str], j: int, following: list[str], width: int | None) -> bool:
    """Does a repeated header or column-number row start at ``texts[j]`` (or, past the
    end of the block, at the start of the next one)?"""
    if j >= len(texts):
        texts, j = following, 0
    return bool(_header_at(texts, j) or _numbers_at(texts, j, width))


def _heading_at_row_start(text: str, first_role: str | None) -> bool:
    if strong_heading(text):
        return True
    # The first column holds bare numbers ("1.1."): a numbered text there is a heading.
    return first_role == "number" and has_letters(text) and parse_heading(text).kind != "plain"


def _header_at(texts: list[str], j: int) -> int:
    """How many cells from ``texts[j]`` on form a header row (0: none)."""
    return header_length(texts, j, MAX_COLUMNS)


def _numbers_at(texts: list[str], j: int, width: int | None) -> int:
    """How many cells from ``texts[j]`` on form the column-number row ``1 2 … k``; a
    short run ("1", "2") counts only as wide as the known header."""
    k = 0
    while j + k < len(texts) and texts[j + k] in (str(k + 1), f"{k + 1}."):
        k += 1
    if k >= 3 or (k >= 2 and (width is None or k == width)):
        return k
    return 0

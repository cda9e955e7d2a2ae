"""HTML: visible text with block elements breaking lines, tables as in :mod:`.render`.

lxml's HTML parser is driven in event mode (a parser *target*): libxml2 tokenises and
repairs the markup (implied end tags, entities) and calls us for each start tag, end
tag and run of text. No tree is built, so nothing has to be traversed recursively and
libxml2's depth limit, which silently truncates a tree-building parse of deeply nested
markup, does not apply: 10,000 nested ``<div>`` cost nothing special.

The encoding comes from a BOM, then ``<meta charset>`` (or an XML declaration), then
detection as for plain text (:mod:`.encoding`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .common import ReadResult, Unreadable, require_text
from .encoding import decode
from .limits import MAX_TABLE_DEPTH
from .render import Block, TableBlock, render
from .txt import check_textual

# Content that is not part of the page's visible text.
_SKIPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "svg", "math", "object", "iframe"})

# Elements whose start and end break lines (cells and rows are handled as tables).
_BLOCKS = frozenset(
    """p div li h1 h2 h3 h4 h5 h6 tr td th table ul ol dl dt dd caption thead tbody tfoot
    section article header footer nav aside main blockquote pre hr address figure
    figcaption form fieldset legend center details summary body html""".split()
)

# HTML's white space (not NBSP, which the page means as a visible space).
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_SPACE_RUN = re.compile(r" {2,}")

# <meta charset="…">, <meta http-equiv="Content-Type" content="…; charset=…">, and the
# XML declaration of XHTML, looked for in the first bytes as browsers do.
_DECLARED = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_PRESCAN_BYTES = 4096

# Span attributes beyond this are errors or attacks; browsers clamp similarly.
_MAX_SPAN = 1000
# At most this many rowspan placeholders per real cell of a table (plus a little).
_PLACEHOLDERS_PER_CELL = 8


def declared_encoding(data: bytes) -> str | None:
    m = _DECLARED.search(data, 0, _PRESCAN_BYTES)
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode("ascii")


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


@dataclass(slots=True)
class _Flow:
    """Where text goes: the document, or one table cell."""

    blocks: list[Block] = field(default_factory=list)
    line: list[str] = field(default_factory=list)  # pieces of the line being built
    pre: int = 0  # depth of open <pre> elements: inside one, white space is kept

    def flush(self) -> None:
        """End the line being built: its text becomes one or more lines (``<br>`` splits)."""
        if not self.line:
            return
        joined = "".join(self.line)
        self.line.clear()
        if self.pre:
            lines = joined.split("\n")
        else:
            # Each piece had its white space collapsed already (``data``); only where two
            # pieces meet can a double space remain.
            if "  " in joined:
                joined = _SPACE_RUN.sub(" ", joined)
            lines = [line.strip(" ") for line in joined.split("\n")]
        start, end = 0, len(lines)
        while start < end and not lines[start].strip():
            start += 1
        while end > start and not lines[end - 1].strip():
            end -= 1
        self.blocks.extend(lines[start:end])


@dataclass(slots=True)
class _Table:
    block: TableBlock = field(default_factory=TableBlock)
    row: list[list[Block]] | None = None
    col: int = 0
    # Cells of earlier rows that span down: column → (rows still covered, colspan).
    pending: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The spans covering the open row: column → colspan.
    covering: dict[int, int] = field(default_factory=dict)
    cells: int = 0  # real cells so far
    placeholders: int = 0  # empty cells inserted for rowspans so far

    def open_row(self) -> None:
        self.close_row()
        self.row, self.col = [], 0
        self.covering = {c: span for c, (_, span) in self.pending.items()}
        self.pending = {c: (n - 1, span) for c, (n, span) in self.pending.items() if n > 1}

    def _cover(self) -> None:
        """Empty cells where rowspans from above cover the current column."""
        assert self.row is not None
        while self.col in self.covering:
            # Budgeted: a few bytes of markup (many cells with huge rowspans over many
            # short rows) must not make millions of empty cells.
            if self.placeholders < _PLACEHOLDERS_PER_CELL * self.cells + 64:
                self.row.append([])  # as a docx vMerge continuation: present, empty
                self.placeholders += 1
            self.col += self.covering.pop(self.col)

    def add_cell(self, blocks: list[Block], colspan: int, rowspan: int) -> None:
        if self.row is None:
            self.open_row()
        assert self.row is not None
        self._cover()
        if rowspan > 1:
            self.pending[self.col] = (rowspan - 1, colspan)
        self.row.append(blocks)
        self.cells += 1
        self.col += colspan

    def close_row(self) -> None:
        if self.row is None:
            return
        # Spans covering columns after the last cell of this row.
        for col in sorted(c for c in self.covering if c >= self.col):
            if col in self.covering:
                self.col = col
                self._cover()
        if self.row:
            self.block.rows.append(self.row)
        self.row = None


class _Target:
    """lxml parser target: builds the block model from parse events."""

    def __init__(self) -> None:
        self.document = _Flow()
        self.flows: list[_Flow] = [self.document]
        self.tables: list[_Table] = []
        # What each open element did on start, so its end can undo it: one entry per
        # element, "" for nothing special.
        self.open: list[str] = []
        self.skip = 0
        # Open cells: (the table they belong to, colspan, rowspan).
        self.cells: list[tuple[_Table, int, int]] = []

    @property
    def flow(self) -> _Flow:
        return self.flows[-1]

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        role = ""
        if self.skip or tag in _SKIPPED:
            self.skip += 1
            role = "skip"
        elif tag == "table":
            self.flow.flush()
            if len(self.tables) < MAX_TABLE_DEPTH:
                self.tables.append(_Table())
                role = "table"
        elif tag == "tr" and self._in_table():
            self.tables[-1].open_row()
            role = "tr"
        elif tag in ("td", "th") and self._in_table():
            self.flow.flush()
            self.cells.append((self.tables[-1], _span(attrib.get("colspan")), _span(attrib.get("rowspan"))))
            self.flows.append(_Flow())
            role = "cell"
        elif tag == "br":
            self.flow.line.append("\n")
        elif tag == "pre":
            self.flow.flush()
            self.flow.pre += 1
            role = "pre"
        elif tag in _BLOCKS:
            self.flow.flush()
        self.open.append(role)

    def _in_table(self) -> bool:
        """Whether the innermost open table, not a cell inside it, is the current container."""
        if not self.tables:
            return False
        return not self.cells or self.cells[-1][0] is not self.tables[-1]

    def end(self, tag: str) -> None:
        role = self.open.pop() if self.open else ""
        tag = tag.lower() if isinstance(tag, str) else ""
        if role == "skip":
            self.skip -= 1
        elif role == "table":
            table = self.tables.pop()
            table.close_row()
            self.flow.flush()  # a caption, or stray text inside the table, comes first
            if table.block.rows:
                self.flow.blocks.append(table.block)
        elif role == "tr":
            self.tables[-1].close_row()
        elif role == "cell":
            cell_flow = self.flows.pop()
            cell_flow.flush()
            table, colspan, rowspan = self.cells.pop()
            table.add_cell(cell_flow.blocks, colspan, rowspan)
        elif role == "pre":
            self.flow.flush()
            self.flow.pre -= 1
        elif tag in _BLOCKS:
            self.flow.flush()

    def data(self, text: str) -> None:
        if self.skip:
            return
        flow = self.flow
        if flow.pre:
            flow.line.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            flow.line.append(_HTML_SPACE.sub(" ", text))

    def close(self) -> list[Block]:
        self.flow.flush()
        return self.document.blocks


def read_html(data: bytes) -> ReadResult:
    text, encoding = decode(data, declared_encoding(data))
    require_text(text, "empty file (only white space)")
    check_textual(text, data, encoding)
    target = _Target()
    # The text is handed over as UTF-8 with that encoding forced, so a <meta> that
    # disagrees with what we decoded cannot make libxml2 decode it a second time.
    parser = etree.HTMLParser(
        target=target, encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        parser.feed(text.encode("utf-8"))
        blocks = parser.close()
    except etree.XMLSyntaxError as exc:  # libxml2 repairs HTML; this is the unrepairable rest
        raise Unreadable(f"unparseable HTML: {exc}") from None
    rendered, tables = render(blocks, "html")
    require_text(rendered, "no visible text in the HTML")
    return ReadResult(text=rendered, encoding=encoding, tables=tables)

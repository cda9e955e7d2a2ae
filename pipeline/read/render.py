"""Render marked-up documents (.docx, .html) as text that reads like our .txt exports.

Both readers first reduce their input to the same small block model, so a table looks
the same whichever format it came from:

* a paragraph is one line: its text and ``"\\n"``;
* a table is one block per row, each preceded by a blank line; in a row every cell
  starts on a new line with a TAB and ends with ``"\\n"``; the lines of a cell (its
  paragraphs; an empty paragraph is an empty line) are joined with ``"\\n"``::

      Paragraph before
      <blank>
      \\tcell 1.1
      \\tcell 1.2 line 1
      cell 1.2 line 2
      <blank>
      \\tcell 2.1
      \\tcell 2.2
      Paragraph after

* a table nested in a cell is rendered the same way inside the cell's text, without
  the final ``"\\n"`` (the cell's own line break follows it).

Each table also becomes a :class:`~pipeline.models.Table` whose cells' offsets are exact:
``text[cell.start:cell.end] == cell.text`` (the leading TAB is not part of the cell).
Nested tables are listed too, after the table that contains them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..models import Cell, Row, Table

# A block is a line of text or a table; a cell holds a list of blocks.
Block = Union[str, "TableBlock"]


@dataclass(slots=True)
class TableBlock:
    """A table as the readers see it: rows of cells, each cell a list of blocks.

    A cell that continues a vertically merged cell is an empty list; a horizontally
    merged cell is a single entry.
    """

    rows: list[list[list[Block]]] = field(default_factory=list)


class _Renderer:
    def __init__(self, origin: str):
        self.origin = origin
        self.parts: list[str] = []
        self.pos = 0
        self.tables: list[Table] = []

    def emit(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def document(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, str):
                self.emit(block)
                self.emit("\n")
            else:
                self.table(block)
                self.emit("\n")

    def table(self, block: TableBlock) -> None:
        """Emit a table, all but the line break after its last cell."""
        table = Table(rows=[], origin=self.origin)
        self.tables.append(table)  # before the nested ones it contains
        for i, row in enumerate(block.rows):
            if i:
                self.emit("\n")
            self.emit("\n")
            cells: list[Cell] = []
            for j, cell in enumerate(row):
                if j:
                    self.emit("\n")
                self.emit("\t")
                first_part, start = len(self.parts), self.pos
                self.cell(cell)
                cells.append(Cell(start, self.pos, "".join(self.parts[first_part:])))
            table.rows.append(Row(cells))

    def cell(self, blocks: list[Block]) -> None:
        for i, block in enumerate(blocks):
            if i:
                self.emit("\n")
            if isinstance(block, str):
                self.emit(block)
            else:
                self.table(block)


def render(blocks: list[Block], origin: str) -> tuple[str, list[Table]]:
    """The text of a document made of ``blocks``, and the tables in it (``origin`` given)."""
    renderer = _Renderer(origin)
    renderer.document(blocks)
    return "".join(renderer.parts), renderer.tables

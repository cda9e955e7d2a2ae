"""segment: metadata, section hierarchy and planned measures of a document.

Plans come in a handful of layouts. Each layout has its own parser that claims the parts
of the text it understands and returns a :class:`LayoutResult`:

- :mod:`.calendar` — month-grid tables that a .docx/.html file marks up;
- :mod:`.cell_tables` — tables exported one cell per line (a cell starts with a tab),
  tables broken across pages, sub-measures ``1)``; and tables marked up in .docx/.html,
  interpreted by :mod:`.tables` from their header words;
- :mod:`.row_tables` — tables exported one row per line with tab-separated cells,
  month-grid calendars whose ``<p>`` cells each hold measures, and their list items;
- :mod:`.numbered_lists` — plans written as numbered paragraphs with labelled fields
  (``Термін:``, ``Відповідальні:``), silent where a list carries no such evidence.

This module runs them in that order, each skipping what an earlier one claimed, and
merges what they find.
"""
from __future__ import annotations

from ..models import Segmentation, SourceDocument
from ..text import mask_markup
from . import cell_tables, numbered_lists, row_tables
from .calendar import is_calendar_table, measures_from_calendar
from .layout import LayoutResult, assign_sections
from .metadata import extract_metadata

__all__ = ["segment", "LayoutResult"]


def segment(doc: SourceDocument, masked: str | None = None) -> Segmentation:
    """``masked``: ``mask_markup(doc.text)`` when the caller has it already."""
    if masked is None:
        masked = mask_markup(doc.text)
    metadata = extract_metadata(doc, masked)
    found = LayoutResult()
    for table in doc.tables:
        if is_calendar_table(table, masked):
            found = found.merge(measures_from_calendar(table, masked))
    found = found.merge(cell_tables.parse(doc, masked, claimed=found.claimed))
    found = found.merge(row_tables.parse(doc, masked, claimed=found.claimed))
    found = found.merge(numbered_lists.parse(doc, masked, claimed=found.claimed))
    sections, measures = assign_sections(found.sections, found.measures)
    return Segmentation(metadata=metadata, sections=sections, measures=measures)

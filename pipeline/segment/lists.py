"""Lines outside the table cells: headings, sub-headings, numbered lists, single measures.

Between and around its tables a calendar plan writes

- numbered section headings (``1. Циклограма організаційної діяльності``, ``2.Методичне …``),
  half-year blocks (``I півріччя 2023``) and sub-headings that name a direction of work
  (``За напрямом роботи з сім'ями …``): sections;
- sub-headings of a group of activities (``Проведення супервізій, інтервізій за даним
  напрямком``, ``Методичні розробки (…) за напрямом роботи:``): the ``task`` of what follows;
- numbered items and single paragraphs that are measures themselves
  (``1. Інформаційно-методичний пакет … (відп. Шабатіна Г.М.).``).

:func:`classify_block` tells these apart from the line alone (plus whether a task heading
or a higher list number came just before); :func:`block_measures` reads the measures of a
block, which may hold several ``<p>`` items or an ``<ol>`` list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..text import clean
from .notes import Fields, Joined, find_notes, read_fields, split_activities
from .vocab import vocabulary

# Tags that separate the items of a cell or block in the text exports (and line breaks,
# which separate the paragraphs of a .docx cell).
ITEM_TAG_RE = re.compile(r"</?(?:p|li|ol|ul)\b[^>\n]*>|<br\s*/?>|\n", re.IGNORECASE)
_OPENING_TAG = re.compile(r"<(?:p|li)\b", re.IGNORECASE)
ITEM_MARKUP_RE = re.compile(r"<(?:p|li|ol|ul)\b", re.IGNORECASE)

SECTION_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*(?=[«\"A-ZА-ЯҐЄІЇ])")


class Kind(Enum):
    NONE = "none"
    FRONT = "front"  # table of contents, abbreviations, priorities: never measures
    APPENDIX = "appendix"  # "Додаток …": the plan body ends
    SECTION = "section"
    TASK = "task"
    MEASURE = "measure"


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    title: str = ""  # white space collapsed, markup removed, as written
    level: int = 0
    number: str | None = None


def classify_block(
    raw: str,
    *,
    after_task: bool = False,
    top_number: int | None = None,
    list_number: int | None = None,
) -> Block:
    """What a paragraph (or a table row spanning the whole table) is.

    ``after_task``: the previous block was a sub-heading, so a numbered line is a list item.
    ``top_number``: the number of the current top-level section; a smaller number opens a
    list, not a section (``1. Методичні рекомендації …`` inside section 5).
    ``list_number``: the number of the list item just read; the next number continues it.
    """
    voc = vocabulary()
    title = clean(raw)
    if not any(ch.isalpha() for ch in title):
        return Block(Kind.NONE)  # page numbers, rules, stray punctuation
    bare = title.rstrip(" .:")
    if voc.front_matter.match(bare):
        return Block(Kind.FRONT, title)
    if voc.appendix_heading.match(title):
        return Block(Kind.APPENDIX, title)
    if voc.period_heading.match(bare):
        return Block(Kind.SECTION, title, level=1)
    if ITEM_MARKUP_RE.search(raw):
        return Block(Kind.MEASURE, title)
    has_notes = bool(find_notes(title))
    words = len(title.split())
    m = SECTION_NUMBER_RE.match(title)
    if m:
        number = m.group(1)
        top = int(number.split(".")[0])
        is_item = (
            has_notes
            or (after_task and top == 1)
            or (list_number is not None and top == list_number + 1)
            or (top_number is not None and "." not in number and top < top_number)
        )
        if not is_item and words <= voc.max_heading_words:
            return Block(Kind.SECTION, title, level=number.count(".") + 1, number=number)
        return Block(Kind.MEASURE, title, number=number)
    if has_notes:
        return Block(Kind.MEASURE, title)
    if title.endswith(":"):
        return Block(Kind.TASK, title)
    if voc.direction_heading.search(title):
        return Block(Kind.SECTION, title, level=2)
    if voc.timing.search(title) or title.endswith(".") or words > voc.max_heading_words:
        return Block(Kind.MEASURE, title)
    return Block(Kind.TASK, title)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of a cell or block between item tags; ``opened`` when a ``<p>``/``<li>``
    opened it (a run that starts without one continues the item before it)."""

    start: int
    end: int
    opened: bool


def fragments(raw: str, base: int, masked: str) -> list[Fragment]:
    """The non-blank runs of ``raw`` (which starts at source offset ``base``) between
    item tags, in order."""
    out: list[Fragment] = []
    pos = 0
    opened = False
    for m in ITEM_TAG_RE.finditer(raw):
        if masked[base + pos : base + m.start()].strip():
            out.append(Fragment(base + pos, base + m.start(), opened))
        opened = bool(_OPENING_TAG.match(m.group()))
        pos = m.end()
    if masked[base + pos : base + len(raw)].strip():
        out.append(Fragment(base + pos, base + len(raw), opened))
    return out


def item_fields(
    masked: str, runs: list[tuple[int, int]], *, timing_to_deadline: bool
) -> list[Fields]:
    """The measures of one cell item (its runs joined): split into the activities written
    in it; a part without executors of its own that borrows them takes the next part's."""
    joined = Joined.of(masked, runs)
    parts = split_activities(joined.text)
    got: list[tuple[Fields, bool]] = []
    for a, b, number, borrows in parts:
        fields = read_fields(joined, a, b, timing_to_deadline=timing_to_deadline, number=number)
        if fields is not None:
            got.append((fields, borrows))
    for k in range(len(got) - 2, -1, -1):
        fields, borrows = got[k]
        if borrows and not fields.executors:
            fields.executors = list(got[k + 1][0].executors)
    return [f for f, _ in got]


def block_measures(source: str, masked: str, start: int, end: int) -> list[Fields]:
    """The measures of a paragraph or spanning row: each ``<p>`` item separately, an
    ``<ol>`` by its numbers; timing notes become the deadline (there is no deadline column)."""
    out: list[Fields] = []
    for frag in fragments(source[start:end], start, masked):
        out.extend(item_fields(masked, [(frag.start, frag.end)], timing_to_deadline=True))
    return out

"""date_tagger: DATE mentions — dates, months, quarters, years, ranges, deadlines,
recurrences and "Постійно".

The grammar lives in :mod:`pipeline.normalise.dates` (one reading for the tagger and the
normaliser). This component decides which of the expressions it finds are mentions of the
document, and what the normaliser cannot see from a mention's text alone:

- expressions inside a quoted name («План заходів на 2021 і 2022 роки», a programme's
  «… на період 2022-2025 років») and the dates of cited documents ("від 29.11.2021 «…»",
  "27.06.2019 № 309") are left out: they belong to a citation, not to the plan's time line;
- a deadline cell cut by a page break ("Постійно, починаючи" … repeated page header …
  "з 2018 року") is one mention on its first fragment, read with its continuation;
- the anchor year of units written without one ("Січень", "ІІ квартал", "протягом
  року"): the one year named in the same sentence, else the year of the enclosing
  heading ("І. Аналіз діяльності центру у 2024 році" opens a report section on 2024),
  else the plan's year (one calendar year of the metadata period; none for a multi-year
  plan). Without a metadata period the plan's year is read from the text ("план … на
  2023 рік").

Each candidate carries ``value`` (the parsed :class:`DateValue`) and ``anchor_year`` for
the normaliser.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Period
from ..normalise import dates as grammar
from ..normalise.dates import DateValue, Found
from . import add_candidate, document_text


@Language.factory("date_tagger")
def make_date_tagger(nlp: Language, name: str) -> "DateTagger":
    return DateTagger()


class DateTagger:
    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        ctx = doc._.context
        period = ctx.period if ctx is not None else None
        for found, anchor in find_dates(text, period):
            add_candidate(doc, found.start, found.end, "DATE", "date_tagger", value=found.value, anchor_year=anchor)
        return doc


def find_dates(text: str, period: Period | None) -> list[tuple[Found, int | None]]:
    """The DATE mentions of a (markup-masked) document with the anchor year of each."""
    found = grammar.scan(text)
    found = _drop_quoted(text, found)
    found = _drop_document_dates(text, found)
    found = _join_continuations(text, found)
    anchors = _Anchors(text, found, period)
    return [(f, anchors.year_for(i)) for i, f in enumerate(found)]


# --------------------------------------------------------------------------- exclusions


_OPEN_QUOTES = {"«": "»", "“": "”", "„": "“"}
_QUOTE_RE = re.compile(r"[«»“”„\"]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_MAX_QUOTE = 600  # a title longer than this is an unbalanced quote, not a title


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans of quoted names: «…» (nested), “…”, „…“ and "…" within a line.

    A quote around a bare number («_21_» in a form date) is not a name and is skipped.
    """
    regions: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for m in _QUOTE_RE.finditer(text):
        ch, pos = m.group(), m.start()
        # An opening quote never closed within reach is a typo: forget it, so it cannot
        # pair with a later closing quote and hide everything in between.
        while stack and pos - stack[0][0] > _MAX_QUOTE:
            stack.pop(0)
        if stack and stack[-1][1] == '"' and text.find("\n", stack[-1][0], pos) >= 0:
            stack.pop()  # straight quotes pair within a line only; guillemets may wrap
        if stack and (ch == _OPEN_QUOTES.get(stack[-1][1]) or (ch == '"' and stack[-1][1] == '"')):
            start, _ = stack.pop()
            if _LETTER_RE.search(text, start + 1, pos):
                regions.append((start, pos + 1))
            continue
        if ch in _OPEN_QUOTES or ch == '"':
            stack.append((pos, ch))
        # A stray closing quote is ignored.
    regions.sort()
    return _merge(regions)


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in regions:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _drop_quoted(text: str, found: list[Found]) -> list[Found]:
    regions = quoted_regions(text)
    if not regions:
        return found
    starts = [s for s, _ in regions]
    keep = []
    for f in found:
        k = bisect_right(starts, f.start) - 1
        inside = k >= 0 and regions[k][0] <= f.start < regions[k][1]
        straddles = k + 1 < len(regions) and f.start < regions[k + 1][0] < f.end
        if not inside and not straddles:
            keep.append(f)
    return keep


_WORD_BEFORE_RE = re.compile(r"([^\W\d_]+)[\s«»\"_]*$")
# "№" right after a date, on the same line ("27.06.2019  № 309"; not a "№" column header
# on the next line).
_NUMBER_AFTER_RE = re.compile(r"[ \u00a0.]*(?:р\.|року)?[ \u00a0.]*(?:№|N ?\d|No\b)")


def _drop_document_dates(text: str, found: list[Found]) -> list[Found]:
    """Drop the dates of cited documents: "від 29.11.2021 «…»", "27.06.2019 № 309"."""
    voc = grammar.vocabulary()
    keep = []
    for f in found:
        u = f.value.first
        if u is None or f.value.last is not None:
            keep.append(f)
            continue
        if f.value.kind == "point" and u.grain == "day":
            m = _WORD_BEFORE_RE.search(text, max(0, f.start - 24), f.start)
            if m and grammar.canon(m.group(1)) in voc.document_date_before:
                continue  # "наказ від 28.12.2022", "рішення від 9 липня"
        if u.year is not None and _NUMBER_AFTER_RE.match(text, f.end):
            continue  # "27.06.2019 № 309", "2022р. №278": a document's date
        keep.append(f)
    return keep


def _join_continuations(text: str, found: list[Found]) -> list[Found]:
    """Read a dangling "Постійно, починаючи" with the "з 2018 року" a page break moved.

    The continuation is the first open-start expression that begins a cell or line after a
    repeated page header (a continuation cue such as "Продовження додатку"), within a
    short distance. Without one, "Постійно" alone is kept.
    """
    voc = grammar.vocabulary()
    low = None
    out: list[Found] = []
    dropped: set[int] = set()
    for i, f in enumerate(found):
        if i in dropped:
            continue
        if f.value.kind != "dangling":
            out.append(f)
            continue
        if low is None:
            low = text.lower()
        limit = f.end + voc.continuation_distance
        cue = min((p for p in (low.find(c, f.end, limit) for c in voc.continuation_cues) if p >= 0), default=-1)
        joined = False
        if cue >= 0:
            for k in range(i + 1, len(found)):
                g = found[k]
                if g.start > limit:
                    break
                if g.start > cue and g.value.kind == "from" and _starts_cell(text, g.start):
                    out.append(Found(f.start, f.end, g.value))
                    dropped.add(k)
                    joined = True
                    break
        if not joined and f.ongoing_end is not None:
            out.append(Found(f.start, f.ongoing_end, DateValue("ongoing")))
    return out


def _starts_cell(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    return i == 0 or text[i - 1] in "\t\n"


# --------------------------------------------------------------------------- anchor years


# Headings that open a section: "І. Аналіз діяльності центру у 2024 році" (Roman: level
# 1), "2. Організаційна … діяльність" (level 2), "2.1. …" (level 3). Table rows (with
# tabs inside) are not headings.
_HEADING_LINE = (
    r"(?P<line>[ \t]*(?:(?P<roman>[IVXІХ]{1,5})|(?P<arabic>\d{1,2}(?:\.\d{1,2}){0,3}))\.?[ \t]+"
    r"(?P<title>[^\W\d_][^\t\n]{2,200}))$"
)
# The heading lines are those of "(?m)^" + _HEADING_LINE; but a pattern opening with "^"
# is tried at every position of the text, while one opening with the line break is only
# tried where the engine's quick scan finds one. So the first line is matched on its own.
_HEADING_FIRST_RE = re.compile(r"(?m)" + _HEADING_LINE)
_HEADING_AFTER_BREAK_RE = re.compile(r"(?m)\n" + _HEADING_LINE)


def _heading_lines(text: str) -> Iterator[re.Match[str]]:
    """The heading lines of ``text`` in order (group ``line`` spans the line)."""
    first = _HEADING_FIRST_RE.match(text)
    if first is not None:
        yield first
    yield from _HEADING_AFTER_BREAK_RE.finditer(text)


# A plan title naming its year ("Календарний план … на 2023 рік"): the plan's year when
# no metadata period is known. A range ("на 2018-2026 роки") means no single year.
_PLAN_YEAR_RE = re.compile(
    r"план\w*[^\t]{0,160}?\bна\s+(?P<a>(?:19|20)\d\d)(?:\s*[-–—]\s*(?P<b>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
# A full stop that ends a sentence (within a cell or line) — not the dot of an
# abbreviation a date uses ("2018 р.", "2022-2023 рр.", "ІІ кв.").
_SENTENCE_END_RE = re.compile(r"(?<![0-9 ]р)(?<!рр)(?<!кв)[.!?;](?=\s)")


def _explicit_year(f: Found) -> int | None:
    """The one calendar year an expression names outright ("у 2024 році", "Протягом 2024
    року", "І квартал 2025 року"), or None (ranges over years, relative ones, rules)."""
    v = f.value
    if v.kind not in ("interval", "point", "from") or v.first is None or v.first.year is None:
        return None
    if v.last is not None and v.last.year != v.first.year:
        return None
    return v.first.year


def _needs_anchor(value: DateValue) -> bool:
    return any(u is not None and u.year is None for u in (value.first, value.last)) and value.kind not in (
        "recurrence",
        "ongoing",
    )


class _Anchors:
    """The year that units without one are read in, position by position."""

    def __init__(self, text: str, found: list[Found], period: Period | None):
        self.text = text
        self.found = found
        self.starts = [f.start for f in found]
        self.years = [_explicit_year(f) for f in found]
        # "на 2025 рік" names a target, not the time a sentence speaks of ("На останньому
        # засіданні звітного періоду було затверджено план … на 2025 рік"): it anchors a
        # heading, not its sentence's neighbours.
        self.frame_years = [None if _targets(text, f) else y for f, y in zip(found, self.years)]
        self.default = grammar.period_year(period) if period is not None else self._plan_year_from_text()
        self.heading_pos: list[int] = []
        self.heading_year: list[int | None] = []
        self._headings()

    def _plan_year_from_text(self) -> int | None:
        m = _PLAN_YEAR_RE.search(self.text)
        if m:
            return None if m.group("b") else int(m.group("a"))
        counts = Counter(y for f, y in zip(self.found, self.years) if y is not None and f.value.first.grain == "year")
        if counts:
            year, n = counts.most_common(1)[0]
            if n >= 0.6 * sum(counts.values()):
                return year
        return None

    def _headings(self) -> None:
        """Each heading's effective year: its own single year, else its parent's (a
        heading without a year resets to the plan's year at its level)."""
        stack: list[tuple[int, int | None]] = []  # (level, year)
        for m in _heading_lines(self.text):
            level = 1 if m.group("roman") else min(3, 2 + m.group("arabic").count("."))
            while stack and stack[-1][0] >= level:
                stack.pop()
            own = self._single_year(m.start("title"), m.end("title"))
            stack.append((level, own))
            year = next((y for _, y in reversed(stack) if y is not None), None)
            self.heading_pos.append(m.start("line"))
            self.heading_year.append(year)

    def _single_year(self, start: int, end: int) -> int | None:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        years = {self.years[k] for k in range(lo, hi) if self.years[k] is not None}
        return years.pop() if len(years) == 1 else None

    def year_for(self, index: int) -> int | None:
        f = self.found[index]
        if not _needs_anchor(f.value):
            return self.default
        sentence = self._sentence_year(index)
        if sentence is not None:
            return sentence
        k = bisect_right(self.heading_pos, f.start) - 1
        if k >= 0 and self.heading_year[k] is not None:
            return self.heading_year[k]
        return self.default

    def _sentence_year(self, index: int) -> int | None:
        f = self.found[index]
        start, end = _sentence_bounds(self.text, f.start, f.end)
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        years = {self.frame_years[k] for k in range(lo, hi) if k != index and self.frame_years[k] is not None}
        return years.pop() if len(years) == 1 else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: within its cell or line, between full stops."""
    line_start = max(text.rfind("\t", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [e for e in (text.find("\t", end), text.find("\n", end)) if e >= 0]
    line_end = min(stops) if stops else len(text)
    before = None
    for m in _SENTENCE_END_RE.finditer(text, line_start, start):
        before = m
    after = _SENTENCE_END_RE.search(text, end, line_end)
    return (before.end() if before else line_start), (after.start() if after else line_end)


_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")


def _targets(text: str, f: Found) -> bool:
    """The expression opens with "на" ("на 2025 рік"): a target period."""
    m = _FIRST_WORD_RE.match(text, f.start)
    if m is None:
        return False
    return grammar.vocabulary().words.get(grammar.canon(m.group())) == ("PREP", "for")


__all__ = ["DateTagger", "find_dates", "quoted_regions"]

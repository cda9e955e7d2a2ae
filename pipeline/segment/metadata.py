"""Document metadata: title, kind, issuer, territory, planned period and approving act.

Ukrainian plans open with a fairly fixed header: an approval block (``ЗАТВЕРДЖЕНО`` /
``ЗАТВЕРДЖУЮ`` / ``Додаток до рішення …``) naming the act, its date and number, then
the title (``Календарний план … на 2023 рік``) broken over a few lines. Some documents put
a report on last year first and name the plan only later (``Перспективний план роботи …
на 2025 рік складений …``); some (a strategy's action plan) have no title at all and
give themselves away by their headings (``СТРАТЕГІЧНА ЦІЛЬ``).

Everything here works on the masked text (markup blanked, offsets kept). The approval
block and an undated title are only looked for in the header (the first lines), so the
cost does not grow with the document; the scans that do cover the whole text (a late
title, the dominant year, territory mentions) are single passes of bounded regexes.
Word lists live in ``pipeline/data/metadata_*.toml``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any, Iterator

from ..models import Approval, Metadata, Period, SourceDocument
from ..morph import parses
from ..resources import load_data
from ..text import Line, split_lines


# The header: where approval blocks and titles without a period are looked for.
HEAD_LINES = 120
HEAD_CHARS = 20_000
HEAD_LINE_CHARS = 2_000
# A title spans a few short lines; more than this is body text.
TITLE_MAX_LINES = 8
TITLE_MAX_CHARS = 600
# A title line that runs on into prose ("… на 2025 рік складений відповідно до …") must
# reach its period within this many characters.
TITLE_PERIOD_WITHIN = 300
# A title that states no period is accepted in the header only, and only this long.
TITLE_UNDATED_MAX_CHARS = 250
# Lines past the header that open like a title and are examined for a late title.
LATE_TITLE_CANDIDATES = 200
# An approval block is a handful of lines.
APPROVAL_MAX_LINES = 8
# Structure cues and report headings are looked for in this many lines.
STRUCTURE_LINES = 600

WORD = r"[^\W\d_](?:[\w'’ʼ-]*\w)?"
YEAR = r"((?:19|20)\d{2})"
DASH = r"[-‐‑–—]"
_FLAGS = re.IGNORECASE


# --------------------------------------------------------------------------- data


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so none shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Rules:
    month_of: dict[str, int]
    ordinal_of: dict[str, int]
    months_re: str
    ordinals_re: str
    title_heads: frozenset[str]
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    structure: tuple[tuple[str, re.Pattern[str]], ...]
    report_heading: re.Pattern[str]
    report_overrides: frozenset[str]
    markers: tuple[tuple[int, re.Pattern[str]], ...]
    any_marker: re.Pattern[str]  # all markers at once: a quick test before trying each
    acts: tuple[tuple[str, re.Pattern[str]], ...]
    type_rules: tuple[tuple[str, re.Pattern[str] | None, str], ...]
    org_heads: frozenset[str]
    positions: frozenset[str]
    issuer_stop: re.Pattern[str]
    abbreviation_skip: frozenset[str]
    administrations: tuple[tuple[re.Pattern[str], str, str], ...]
    unit_levels: dict[str, str]
    settlement_prefix: str


@cache
def _rules() -> _Rules:
    dates = load_data("metadata_dates")
    kinds = load_data("metadata_kinds")
    acts = load_data("metadata_acts")
    bodies = load_data("metadata_bodies")
    # Month names in every case are shared with the date normaliser (data/dates.toml).
    month_of = {form: int(n) for n, forms in load_data("dates")["months"].items() for form in forms}
    ordinal_of = {form: int(n) for n, forms in dates["ordinals"].items() for form in forms}
    markers = tuple(
        sorted((m["priority"], re.compile(r"(?:" + m["pattern"] + r")(?!\w)\s*:?", _FLAGS)) for m in acts["marker"])
    )
    return _Rules(
        month_of=month_of,
        ordinal_of=ordinal_of,
        months_re=_alternation(list(month_of)),
        ordinals_re=_alternation(list(ordinal_of)),
        title_heads=frozenset(kinds["title_heads"]),
        kinds=tuple((k["doc_type"], re.compile(k["pattern"], _FLAGS)) for k in kinds["kind"]),
        structure=tuple(
            (k["doc_type"], re.compile(r"[\s\d.]*(?:" + k["pattern"] + ")", _FLAGS)) for k in kinds["structure"]
        ),
        report_heading=re.compile(kinds["report"]["heading"], _FLAGS),
        report_overrides=frozenset(kinds["report"]["generic_kinds"]),
        markers=markers,
        any_marker=re.compile("|".join(f"(?:{p.pattern})" for _, p in markers), _FLAGS),
        acts=tuple((a["name"], re.compile(r"(?<!\w)(?:" + a["pattern"] + ")", _FLAGS)) for a in acts["act"]),
        type_rules=tuple(
            (r["act"], re.compile(r["issuer"], _FLAGS) if r.get("issuer") else None, r["type"])
            for r in acts["type_rule"]
        ),
        org_heads=frozenset(bodies["org_heads"]),
        issuer_stop=re.compile(r"\s(?:" + "|".join(bodies["issuer_stops"]) + r")(?!\w)|:", _FLAGS),
        positions=frozenset(bodies["positions"]),
        abbreviation_skip=frozenset(bodies["abbreviation_skip"]),
        administrations=tuple(
            (re.compile(a["pattern"], _FLAGS), a["name"], a["level"]) for a in bodies["administration"]
        ),
        unit_levels={u["lemma"]: u["level"] for u in bodies["territory_unit"]},
        settlement_prefix=bodies["settlement_prefix"],
    )


# --------------------------------------------------------------------------- small helpers


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_period(first: int, last: int) -> Period:
    return Period(f"{first:04d}-01-01", f"{last:04d}-12-31")


def _month_end(year: int, month: int) -> str:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1).isoformat()


def _pos(word: str) -> set[str]:
    return {str(p.tag.POS) for p in parses(word.lower())}


def _is_adjective(word: str) -> bool:
    return bool(_pos(word) & {"ADJF", "PRTF"})


def _is_abbreviation(word: str) -> bool:
    """``ЦСС``, ``ПМР``, ``КЗ``: two or more capitals, no lower-case letter."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 8


def _match_case(source: str, new: str) -> str:
    if len(source) > 1 and source.isupper():
        return new.upper()
    if source[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _capitalise(text: str | None) -> str | None:
    return text[:1].upper() + text[1:] if text else text


# --------------------------------------------------------------------------- morphology


def _nominative_form(parse: Any, number: str, gender: str | None, noun: bool) -> str | None:
    """The nominative of one analysed word in the given number (and gender, for adjectives).

    The Ukrainian dictionary leaves the singular unmarked and some nominative singulars
    untagged, so the lemma stands in for a singular noun rather than ``inflect``.
    """
    if noun and number == "sing":
        return parse.normal_form
    wanted = {"nomn", "plur"} if number == "plur" else {"nomn"} | ({gender} if gender else set())
    inflected = parse.inflect(wanted)
    return inflected.word if inflected else None


_PUNCT = ",.;:()«»\"“”"


@lru_cache(maxsize=20_000)
def to_nominative(phrase: str, likely_case: str | None = None) -> str:
    """Put the head of a noun phrase into the nominative, leaving its modifiers as written.

    ``Київського міського центру соціальних служб`` → ``Київський міський центр соціальних
    служб``: the leading adjectives and the first noun agree in case, number and gender,
    so the analysis they share fixes the case; everything after the head is a genitive
    modifier and stays. A phrase already in the nominative, or one the dictionary cannot
    make sense of, comes back unchanged. ``likely_case`` is the case the context expects
    (``gent`` after ``План роботи``): it is tried first, so the ambiguous ``служби``
    (genitive singular or nominative plural) is read as ``служба``.
    """
    tokens = phrase.split()
    words = [t.strip(_PUNCT).lower() for t in tokens]
    adjectives: list[int] = []
    head: int | None = None
    for i, word in enumerate(words):
        if not word or not word[0].isalpha():
            return phrase
        pos = _pos(word)
        if pos & {"ADJF", "PRTF"} and i < len(words) - 1:
            # A word that may be an adjective ("Березанської": adjective or surname) is
            # read as one unless it ends the phrase.
            adjectives.append(i)
            continue
        if "NOUN" not in pos:
            return phrase
        head = i
        break
    if head is None:
        return phrase
    cases = ("nomn", "gent", "datv", "loct", "ablt", "accs")
    if likely_case in cases:
        cases = (likely_case,) + tuple(c for c in cases if c != likely_case)
    for case in cases:
        for noun in parses(words[head]):
            if noun.tag.POS != "NOUN" or case not in noun.tag:
                continue
            number = "plur" if "plur" in noun.tag else "sing"
            agreeing = [_agreeing_adjective(words[i], case, number, noun.tag.gender) for i in adjectives]
            if any(a is None for a in agreeing):
                continue
            if case == "nomn":
                return phrase
            out = list(tokens)
            for i, adjective in zip(adjectives, agreeing):
                form = _nominative_form(adjective, number, noun.tag.gender, noun=False)
                out[i] = _match_case(tokens[i], form) if form else tokens[i]
            form = _nominative_form(noun, number, noun.tag.gender, noun=True)
            out[head] = _match_case(tokens[head], form) if form else tokens[head]
            return " ".join(out)
    return phrase


def _agreeing_adjective(word: str, case: str, number: str, gender: str | None) -> Any | None:
    """The analysis of ``word`` as an adjective in the given case, number and gender."""
    for p in parses(word):
        if p.tag.POS not in ("ADJF", "PRTF") or case not in p.tag:
            continue
        if ("plur" in p.tag) != (number == "plur"):
            continue
        if number == "sing" and gender is not None and p.tag.gender != gender:
            continue
        return p
    return None


# --------------------------------------------------------------------------- dates and periods


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int


@cache
def _date_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    r = _rules()
    numeric = re.compile(r"(?<![\d.])(\d{1,2})\s?[./]\s?(\d{1,2})\s?[./]\s?(\d{4}|\d{2})(?![\d])")
    # «_21_»_липня 2020, "21" липня 2020 р., 21 липня 2020 року
    textual = re.compile(
        r"(?<!\d)[«\"“„']?[\s_]*(\d{1,2})[\s_]*[»\"”']?[\s_]*(" + r.months_re + r")\b[\s_]*(\d{4})",
        _FLAGS,
    )
    iso = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
    return numeric, textual, iso


def find_date(text: str) -> tuple[str, _Found] | None:
    """The first well-formed date in ``text`` as an ISO string, with its span."""
    numeric, textual, iso = _date_patterns()
    month_of = _rules().month_of
    best: tuple[str, _Found] | None = None
    for m in numeric.finditer(text):
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        value = _iso(year, int(m.group(2)), int(m.group(1)))
        if value:
            best = (value, _Found(m.start(), m.end()))
            break
    for m in textual.finditer(text):
        if best and m.start() >= best[1].start:
            break
        value = _iso(int(m.group(3)), month_of[m.group(2).lower()], int(m.group(1)))
        if value:
            best = (value, _Found(m.start(), m.end()))
            break
    for m in iso.finditer(text):
        if best and m.start() >= best[1].start:
            break
        value = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if value:
            best = (value, _Found(m.start(), m.end()))
            break
    return best


@cache
def _period_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    r = _rules()
    unit = r"(?:\s*(?:рок\w*|рік|р\.\s?р\.?|рр\.?|р\.|pp\.?)(?!\w))?"
    return tuple(
        (kind, re.compile(pattern, _FLAGS))
        for kind, pattern in (
            ("academic", rf"(?<![\d.]){YEAR}\s*[/\-‐‑–—]\s*{YEAR}\s+навчальн\w*\s+(?:рік|рок\w*)"),
            ("range", rf"(?<![\d.]){YEAR}\s*{DASH}\s*{YEAR}(?!\d){unit}"),
            ("quarter", rf"(?<!\w)({r.ordinals_re})\s*квартал\w*\s+{YEAR}(?!\d){unit}"),
            ("half", rf"(?<!\w)({r.ordinals_re})\s*півріч\w*\s+{YEAR}(?!\d){unit}"),
            ("month", rf"(?<!\w)({r.months_re})\s+{YEAR}(?!\d){unit}"),
            ("until", rf"(?<!\w)до\s+{YEAR}\s*(?:рок\w*|р\.)"),
            ("year", rf"(?<![\d.]){YEAR}\s*(?:рік|року|роком|році|р\.|р(?!\w))"),
        )
    )


def _period_of(kind: str, m: re.Match[str]) -> Period | None:
    r = _rules()
    if kind == "academic":
        first, last = int(m.group(1)), int(m.group(2))
        return Period(f"{first:04d}-09-01", f"{last:04d}-08-31") if last == first + 1 else None
    if kind == "range":
        first, last = int(m.group(1)), int(m.group(2))
        return _year_period(first, last) if first <= last else None
    if kind in ("quarter", "half"):
        n = r.ordinal_of.get(m.group(1).lower())
        year = int(m.group(2))
        size = 3 if kind == "quarter" else 6
        if n is None or n * size > 12:
            return None
        return Period(f"{year:04d}-{(n - 1) * size + 1:02d}-01", _month_end(year, n * size))
    if kind == "month":
        month, year = r.month_of[m.group(1).lower()], int(m.group(2))
        return Period(f"{year:04d}-{month:02d}-01", _month_end(year, month))
    if kind == "until":
        return Period(None, f"{int(m.group(1)):04d}-12-31")
    return _year_period(int(m.group(1)), int(m.group(1)))


def find_period(text: str) -> tuple[Period, _Found] | None:
    """The planned period a title states, with its span.

    ``на 2023 рік``, ``на 2018-2026 роки``, ``на 2019 – 2026 роки``, ``на 2025-2027 рр.``,
    ``на ІІ квартал 2025 року``, ``на січень 2024 року``, ``на 2024/2025 навчальний рік``,
    ``до 2030 року``. A phrase introduced by ``на`` (what the plan covers) beats any other
    (``у 2024 році``, a year inside a cited programme), then the earliest wins; at one
    position the longest reading wins, so ``2019 – 2026 роки`` is not read as ``2019``.
    """
    candidates: list[tuple[int, int, int, Period, _Found]] = []
    for kind, pattern in _period_patterns():
        for m in pattern.finditer(text):
            period = _period_of(kind, m)
            if period is None:
                continue
            before = text[max(0, m.start() - 16) : m.start()].lower()
            introduced = re.search(r"(?<!\w)(?:на|на\s+період|протягом)\s*$", before) is not None
            candidates.append((0 if introduced else 1, m.start(), -(m.end() - m.start()), period, _Found(m.start(), m.end())))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: c[:3])
    return best[3], best[4]


# Literal first, context checked by hand: a leading look-behind would make the regex
# engine try every position of a long text.
_YEAR_MENTION = re.compile(r"(?:19|20)\d{2}(?!\d)")
_CITATION_BEFORE = re.compile(r"(?:від|№|закон\w*|постанов\w*)[^\n]{0,14}$", _FLAGS)


def dominant_year(text: str) -> int | None:
    """The year most mentioned in the text (deadlines, dates), citations of acts left out.

    A plan without a title period is dated by its own deadlines (``До червня 2025 року``);
    the dates after ``від``/``№`` belong to the laws and orders it cites, not to it.
    """
    counts: Counter[int] = Counter()
    for m in _YEAR_MENTION.finditer(text):
        if m.start() and text[m.start() - 1] in "0123456789№/":
            continue
        if _CITATION_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue
        counts[int(m.group())] += 1
    if not counts:
        return None
    # Ties go to the later year: a plan lists what is to come.
    return max(counts, key=lambda y: (counts[y], y))


# --------------------------------------------------------------------------- title


@dataclass(slots=True)
class _Title:
    text: str
    line: int  # index of the line it starts on
    period: Period | None


def _words(text: str, limit: int) -> list[str]:
    return re.findall(WORD, text)[:limit]


def opens_title(line_text: str) -> bool:
    """True when a line starts like a title: ≤ 2 adjectives then a kind noun in the nominative.

    ``Календарний план``, ``ПЛАН``, ``Міський план``, ``Стратегія розвитку …``; not
    ``Плану заходів …`` (a citation) nor a table cell or a bulleted line.
    """
    stripped = line_text.lstrip(" \u00a0")
    if not stripped or not stripped[0].isalpha():
        return False
    heads = _rules().title_heads
    for word in _words(stripped, 3):
        low = word.lower()
        for p in parses(low):
            if p.tag.POS == "NOUN" and p.normal_form in heads and ("nomn" in p.tag or low == p.normal_form):
                return True
        if not any(p.tag.POS == "ADJF" and "nomn" in p.tag for p in parses(low)):
            return False
    return False


def _is_place_line(text: str) -> bool:
    prefix = _rules().settlement_prefix
    return re.fullmatch(rf"\s*(?:{prefix})\s*[А-ЯІЇЄҐ][\w'’ʼ-]*(?:[\s-][А-ЯІЇЄҐ][\w'’ʼ-]*)?[\s,–-]*(?:\d{{4}}\s*(?:р\.|рік)?)?\s*", text) is not None


def _is_marker_line(text: str) -> bool:
    return _rules().any_marker.match(text.strip()) is not None


def _collect_title(lines: list[Line], i: int) -> _Title | None:
    """The title that opens on line ``i``, joined over its lines and cut after its period.

    A title continues on the next line when that line follows directly, or after blank
    lines when it starts in lower case (``ПЛАН`` / ``розвитку системи …`` / ``на 2019 –
    2026 роки``). It ends with its period, at a table, a place line (``м. Київ``), another
    block, or after a few lines.
    """
    parts: list[str] = []
    blank = False
    j = i
    while j < len(lines) and len(parts) < TITLE_MAX_LINES:
        text = lines[j].text
        if not text.strip():
            blank = True
            j += 1
            continue
        if j > i:
            first = text.strip()[0]
            if (
                _opens_cell(text)
                or _is_place_line(text)
                or _is_marker_line(text)
                or (blank and not first.islower())
                or not (first.isalpha() or first in "«\"(")
            ):
                break
        parts.append(text.strip())
        joined = " ".join(parts)
        found = find_period(joined[:TITLE_MAX_CHARS])
        if found:
            period, span = found
            return _Title(_sentence_case(_collapse(joined[: span.end]), parts[0]), i, period)
        if len(text) > TITLE_PERIOD_WITHIN or sum(map(len, parts)) > TITLE_MAX_CHARS:
            return None  # running prose, not a title
        blank = False
        j += 1
    if not parts:
        return None
    return _Title(_sentence_case(_collapse(" ".join(parts)), parts[0]), i, None)


def _sentence_case(title: str, first_line: str) -> str:
    """``ПЛАН розвитку …`` → ``План розвитку …``: a kind word set in capitals over the
    lower-case rest is typography; a title set wholly in capitals stays as written."""
    if first_line.isupper() and not title.isupper():
        head = first_line.strip()
        return head[:1] + head[1:].lower() + title[len(head) :]
    return title


@cache
def _title_candidates_re() -> re.Pattern[str]:
    heads = _alternation(sorted(_rules().title_heads))
    # A line start, spaces (markup is blanked into spaces), ≤ 2 words, a kind word. Bounded,
    # so one pass over a large text stays linear.
    return re.compile(rf"[ \u00a0]{{0,200}}(?:{WORD}[ \u00a0]{{1,3}}){{0,2}}(?:{heads})(?!\w)", _FLAGS)


def find_titles(masked: str, lines: list[Line], head_end: int) -> Iterator[_Title]:
    """Title candidates in document order.

    In the header any title opening counts; further on only a line that states its period
    itself (``Перспективний план роботи … на 2025 рік складений …``), since a report may
    come first. Past the header at most ``LATE_TITLE_CANDIDATES`` lines are examined, so
    a long document full of lines opening with "План …" costs no more than a short one.
    """
    late = 0
    opening = _title_candidates_re()
    table_seen = False
    for i, line in enumerate(lines):
        table_seen = table_seen or _opens_cell(line.text)
        if not opening.match(line.text):
            continue
        if _inside_cell(lines, i):
            continue
        # A title that states no period is only believed in the header, above any table.
        in_head = lines[i].start < head_end and not table_seen
        if not in_head:
            if late >= LATE_TITLE_CANDIDATES:
                return
            late += 1
            if not _YEAR_MENTION.search(lines[i].text, 0, TITLE_PERIOD_WITHIN):
                continue
        if not opens_title(lines[i].text):
            continue
        title = _collect_title(lines, i)
        if title is None:
            continue
        if title.period is None and (not in_head or not _looks_like_heading(title.text)):
            continue
        yield title


def _inside_cell(lines: list[Line], i: int) -> bool:
    """True when line ``i`` continues a table cell: the exports start each cell with a tab
    and run its further lines on without one, so the text above opens a cell."""
    for k in range(i - 1, max(-1, i - 3), -1):
        if lines[k].text.strip():
            return _opens_cell(lines[k].text)
    return False


def _opens_cell(text: str) -> bool:
    """A line that opens a table cell: one tab, then text. Several tabs are indentation
    (an approval block pushed to the right), not a cell."""
    return len(text) > 1 and text[0] == "\t" and text[1] != "\t"


def _looks_like_heading(text: str) -> bool:
    """A title without a period must still read as a heading, not a sentence of prose."""
    return len(text) <= TITLE_UNDATED_MAX_CHARS and not text.rstrip().endswith((".", ":", ";", ","))


# --------------------------------------------------------------------------- kind


def classify_title(title: str) -> str | None:
    low = _collapse(title).lower()
    for doc_type, pattern in _rules().kinds:
        if pattern.search(low):
            return doc_type
    return None


def classify_structure(lines: list[Line]) -> str | None:
    """The kind of a document without a title, from its headings (``СТРАТЕГІЧНА ЦІЛЬ 1.``)."""
    for line in lines[:STRUCTURE_LINES]:
        text = line.text.strip()
        if len(text) > 200:
            continue
        for doc_type, pattern in _rules().structure:
            if pattern.match(text):
                return doc_type
    return None


_NUMBERING = re.compile(r"^[\s\t]*(?:[IVXІХ]{1,5}|\d{1,2})[.)]\s*")


def has_report_before_plan(lines: list[Line], title: _Title | None, plan_year: int | None) -> bool:
    """True when a heading reports on past work ahead of (or about the year before) the plan.

    ``І. Аналіз діяльності центру у 2024 році`` before ``Перспективний план роботи … на
    2025 рік``. A heading placed after the title counts only when it names an earlier
    year or "минулий рік".
    """
    pattern = _rules().report_heading
    for k, line in enumerate(lines[:STRUCTURE_LINES]):
        text = _NUMBERING.sub("", line.text).strip()
        if not text or len(text) > 200 or not pattern.match(text):
            continue
        years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text)]
        about_the_past = bool(years) and plan_year is not None and max(years) < plan_year
        about_the_past = about_the_past or re.search(r"(?:минул|попередн)\w*\s+рок\w*", text, _FLAGS) is not None
        before_title = title is not None and k < title.line
        if about_the_past or (before_title and (not years or plan_year is None)):
            return True
    return False


# --------------------------------------------------------------------------- approval


@dataclass(slots=True)
class _Block:
    priority: int
    text: str  # the block's text after the marker, lines joined


_COLUMNS = re.compile(r"\t+| {3,}")


def _split_columns(text: str) -> list[str]:
    """``text`` split at its column gaps (``_COLUMNS``); most lines have none, and the
    substring tests are cheaper than the regex."""
    if "\t" not in text and "   " not in text:
        return [text]
    return _COLUMNS.split(text)


_NUMBER = re.compile(
    r"№\s*_*\s*((?:[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ]+)(?:\s?[-‐‑–—/]\s?[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ]+)*)"
)


def _marker_at(text: str) -> tuple[int, int] | None:
    """(priority, end of the marker) when ``text`` opens with an approval marker."""
    stripped = text.lstrip()
    rules = _rules()
    if not rules.any_marker.match(stripped):
        return None  # most lines: no marker at all
    lead = len(text) - len(stripped)
    for priority, pattern in rules.markers:
        m = pattern.match(stripped)
        if not m:
            continue
        rest = stripped[m.end() :].strip()
        if m.group().isupper() or not rest or any(act.match(rest) for _, act in rules.acts):
            return priority, lead + m.end()
    return None


def find_approval_blocks(lines: list[Line]) -> list[_Block]:
    """The approval blocks of the header, best first: each a marker's line and the lines below it.

    Blocks set side by side (``ПОГОДЖЕНО →→ ЗАТВЕРДЖЕНО``) are read column by column: the
    lines below contribute the cell in the marker's column when they split into as many.
    The block ends once it has its number and date (``від … № …``, blanks included), at a
    title, another marker or a table, or after a few lines.
    """
    blocks: list[tuple[int, int, _Block]] = []
    for i, line in enumerate(lines):
        columns = _split_columns(line.text)
        for c, cell in enumerate(columns):
            found = _marker_at(cell)
            if not found:
                continue
            priority, end = found
            parts = [cell[end:]]
            taken = 0
            for below in lines[i + 1 :]:
                if taken >= APPROVAL_MAX_LINES or _block_complete(" ".join(parts)):
                    break
                if not below.text.strip():
                    continue
                if len(columns) == 1 and _opens_cell(below.text):
                    break  # a table begins
                cells = _split_columns(below.text)
                text = cells[c] if len(columns) > 1 and len(cells) == len(columns) else below.text
                if _marker_at(text) or opens_title(text):
                    break
                parts.append(text)
                taken += 1
            blocks.append((priority, i, _Block(priority, _collapse(" ".join(parts)))))
    return [block for _, _, block in sorted(blocks, key=lambda b: (b[0], b[1]))]


def _block_complete(text: str) -> bool:
    """An act citation is complete with its number sign and its date (or ``від`` blank)."""
    return "№" in text and (find_date(text) is not None or re.search(r"(?<!\w)від(?!\w)", text, _FLAGS) is not None)


def find_approval(head: list[Line]) -> Approval | None:
    """The approving act: from the best block that names one (``ЗАТВЕРДЖЕНО`` before
    ``Додаток до …`` before ``ПОГОДЖЕНО``)."""
    for block in find_approval_blocks(head):
        approval = parse_approval(block)
        if approval is not None:
            return approval
    return None


def _act_type(act: str, issuer_words: str) -> str:
    for rule_act, issuer, act_type in _rules().type_rules:
        if rule_act == act and (issuer is None or issuer.search(issuer_words)):
            return act_type
    return "other"


# Where the words naming the act's issuer end: its date (``від``, ``27.06.2019``, a quoted
# day ``«_21_»``/``«___»``), its number or its title (``«Про …»``). Quotes that open a name
# (``КЗ «Центр …»``) and blanks inside it (``Рішення ___ сесії``) do not end it.
_ISSUER_END = re.compile(
    r"(?<!\w)від(?!\w)|№|\d{1,2}\s?[./]\s?\d{1,2}\s?[./]|[«\"“„][\s_]*[\d_]|(?<!\w)про(?!\w)|\(", _FLAGS
)


def parse_approval(block: _Block) -> Approval | None:
    """Type, date, number and issuer of the act in an approval block.

    ``Рішенням виконавчого комітету Березанської міської ради від «_21_»_липня 2020 № _112_``
    → executive_decision, 2020-07-21, 112. Blanks (``від ____ № ___``) leave date and number
    empty but the act stays. A block with no act word (a director's ``ЗАТВЕРДЖУЮ`` with a
    signature) is an approval only when it is dated.
    """
    text = block.text
    act_match: tuple[str, re.Match[str]] | None = None
    for name, pattern in _rules().acts:
        m = pattern.search(text)
        if m and (act_match is None or m.start() < act_match[1].start()):
            act_match = (name, m)
    if block.priority >= 1 and act_match is None:
        return None  # an annex or "ПОГОДЖЕНО" block that names no act approves nothing
    tail = text[act_match[1].end() :] if act_match else text
    found_date = find_date(tail)
    number_m = _NUMBER.search(tail)
    number = re.sub(r"\s+", "", number_m.group(1)) if number_m else None
    if act_match is None:
        if not found_date:
            return None
        return Approval("other", found_date[0], number, None, _collapse(text) or None)
    name, m = act_match
    end = _ISSUER_END.search(tail)
    issuer_words = _collapse((tail[: end.start()] if end else tail).replace("_", " ")).strip(" ,;:")
    act_type = _act_type(name, issuer_words)
    end_at = max(
        [m.end()]
        + ([m.end() + found_date[1].end] if found_date else [])
        + ([m.end() + number_m.end()] if number_m else [])
    )
    return Approval(act_type, found_date[0] if found_date else None, number, issuer_words or None, _collapse(text[m.start() : end_at]))


# --------------------------------------------------------------------------- issuer


def _abbreviation_expansion(masked: str, abbr: str) -> str | None:
    """The full name an abbreviation stands for, from the document's own definitions.

    ``Центр соціальних служб Покровської міської ради Дніпропетровської області (надалі -
    ЦСС ПМР ДО)``: the words before the definition are taken back as far as their initials
    spell the abbreviation (function words like ``та``, ``для`` may be skipped). Also a
    glossary line ``КМЦСС – Київський міський центр соціальних служб;``.
    """
    key = re.escape(abbr).replace(r"\ ", r"\s+")
    for m in re.finditer(rf"\((?:на)?далі\s*(?:{DASH}|:)?\s*[«\"]?{key}[»\"]?\s*\)", masked, _FLAGS):
        name = _name_by_initials(masked[max(0, m.start() - 400) : m.start()], abbr)
        if name:
            return to_nominative(name)
    glossary = re.compile(rf"(?m)^[ \t\-–•·*]*{key}\s*[*\s]*{DASH}\s*([^\n;]{{3,200}})")
    m = glossary.search(masked)
    if m:
        return _collapse(m.group(1)).rstrip(".;,")
    return None


def _name_by_initials(before: str, abbr: str) -> str | None:
    """The words ending ``before`` whose initials spell ``abbr``, as written, or None."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    skip = _rules().abbreviation_skip
    words = list(re.finditer(WORD, before))
    k = len(letters) - 1
    first: re.Match[str] | None = None
    for word in reversed(words):
        if k < 0:
            break
        text = word.group()
        if text[0].lower() == letters[k]:
            first = word
            k -= 1
        elif not (first is not None and text.lower() in skip):
            return None
    if k >= 0 or first is None or not first.group()[0].isupper():
        return None
    return _collapse(before[first.start() : words[-1].end()])


def issuer_from_title(title: str, period_start: int | None, masked: str) -> str | None:
    """The body a title names after its kind words, in the nominative.

    ``Календарний план Київського міського центру соціальних служб на 2023 рік`` →
    ``Київський міський центр соціальних служб``; ``Перспективний план роботи ЦСС ПМР ДО``
    → the abbreviation's definition in the text; ``План роботи КЗ «Центр …» … ради`` →
    as written (an abbreviated legal form takes no case). A genitive that is no body
    (``План розвитку системи …``) or a bare generic one (``План роботи закладу``) gives
    nothing.
    """
    r = _rules()
    body = title[:period_start] if period_start is not None else title
    tokens = list(re.finditer(r"\S+", body))
    # Skip the kind words: adjectives and the kind noun …
    k = 0
    while k < len(tokens) and k < 3:
        word = tokens[k].group().lower()
        k += 1
        if any(p.tag.POS == "NOUN" and p.normal_form in r.title_heads for p in parses(word)):
            break
    # … and at most one complement ("План роботи …", "План заходів …").
    for start in range(k, min(k + 2, len(tokens))):
        rest = body[tokens[start].start() :]
        stop = r.issuer_stop.search(" " + rest)
        phrase = rest[: stop.start() - 1] if stop else rest
        phrase = _collapse(re.sub(r"\s+(?:на|у|в)\s*$", "", phrase)).strip(" ,;")
        words = phrase.split()
        if not words:
            return None
        abbreviations = _leading_abbreviations(words)
        if abbreviations:
            after = words[len(abbreviations) :]
            if after and after[0][:1] in "«\"“":
                return phrase
            abbr = " ".join(abbreviations)
            return _abbreviation_expansion(masked, abbr) or abbr
        if _org_head(words) is not None:
            return _names_a_body(_capitalise(to_nominative(phrase, "gent")))
    return None


def _names_a_body(name: str | None) -> str | None:
    """``name`` unless it is only a generic head (``Заклад``, ``Виконавчий комітет``):
    a body is named by a proper word (capitalised, abbreviated, quoted) or by modifiers
    after its head (``Служба у справах дітей``)."""
    if not name:
        return None
    words = name.split()
    head = _org_head(words)
    if head is None:
        return None
    proper = any(w[:1].isupper() or w[:1] in "«\"“" or _is_abbreviation(w) for w in words[1:])
    return name if proper or head < len(words) - 1 else None


def _leading_abbreviations(words: list[str]) -> list[str]:
    out = []
    for w in words:
        if not _is_abbreviation(w):
            break
        out.append(w)
    return out


def _org_head(words: list[str]) -> int | None:
    """Index of the noun heading the phrase when it names a body (``центру``, ``відділу``)."""
    heads = _rules().org_heads
    for i, word in enumerate(words[:5]):
        low = word.strip(",.;:").lower()
        ps = parses(low)
        if any(p.tag.POS == "NOUN" and p.normal_form in heads for p in ps):
            return i
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in ps):
            return None
    return None


_COUNCIL = re.compile(rf"(?:{WORD}\s+)?(?:міськ|районн|обласн|селищн|сільськ)\w*\s+рад\w*", _FLAGS)


def issuer_from_approval(approval: Approval, territory: str | None) -> str | None:
    """The body whose act approves the plan, in the nominative.

    ``виконавчого комітету Березанської міської ради`` → ``Виконавчий комітет Березанської
    міської ради``; ``55 сесії Бучанської міської ради 8 скликання`` → ``Бучанська міська
    рада``; ``голови райдержадміністрації`` in ``Сватівський район`` → ``Сватівська районна
    державна адміністрація``.
    """
    words = approval.issuer
    if not words:
        return None
    if approval.type == "council_decision":
        m = _COUNCIL.search(words)
        if not m or not m.group()[0].isupper():
            return None
        return _capitalise(to_nominative(m.group(), "gent"))
    if approval.type == "head_order":
        return _administration(words, territory)
    if approval.type in ("cmu_resolution", "cmu_order"):
        return "Кабінет Міністрів України"
    tokens = words.split()
    # "наказом директора КЗ «…»": the body is what the signatory heads.
    while tokens and (tokens[0].isdigit() or any(p.normal_form in _rules().positions for p in parses(tokens[0].lower()))):
        tokens.pop(0)
    if not tokens:
        return None
    if _is_abbreviation(tokens[0]):
        return " ".join(tokens)
    if _org_head(tokens) is None:
        return None
    return _names_a_body(_capitalise(to_nominative(" ".join(tokens), "gent")))


def _administration(words: str, territory: str | None) -> str | None:
    r = _rules()
    # The head signs for the body named after "голови".
    body = re.sub(r"^.*?(?<!\w)голов\w*\s*", "", words, flags=_FLAGS)
    for pattern, name, level in r.administrations:
        m = pattern.search(body)
        if not m:
            continue
        before = body[: m.start()].split()
        if before and before[-1][:1].isupper() and _is_adjective(before[-1]):
            # The place is written: "голови Сватівської районної державної адміністрації".
            return _capitalise(to_nominative(before[-1] + " " + m.group(), "gent"))
        place = _territory_adjective(territory, level)
        return f"{place} {name}" if place else _capitalise(name)
    m = re.search(rf"({WORD})\s+((?:міськ|селищн|сільськ)\w*)\s+голов", words, _FLAGS)
    if m and m.group(1)[:1].isupper():
        # "Розпорядження Бучанського міського голови": the head of the council.
        place, level = _feminine_nominative(m.group(1)), _feminine_nominative(m.group(2))
        if place and level:
            return f"{place} {level} рада"
    return None


def _feminine_nominative(adjective: str) -> str | None:
    """``Сватівський``/``Бучанського`` → ``Сватівська``/``Бучанська`` (to agree with
    ``адміністрація``, ``рада``)."""
    for p in parses(adjective.lower()):
        if p.tag.POS == "ADJF":
            form = p.inflect({"nomn", "femn"})
            if form:
                return _match_case(adjective, form.word)
    return None


def _territory_adjective(territory: str | None, level: str) -> str | None:
    """``Сватівський`` from ``Сватівський район, Луганська область`` for a district
    administration, in the feminine (``адміністрація`` is feminine)."""
    if not territory:
        return None
    units = _rules().unit_levels
    for part in territory.split(","):
        words = part.split()
        if len(words) >= 2 and units.get(words[-1].lower()) == level:
            return _feminine_nominative(words[0])
    return None


# --------------------------------------------------------------------------- territory


def _unit_phrases(text: str) -> list[tuple[str, str]]:
    """Territorial units a text names, in order, as (level, nominative phrase).

    ``у Сватівському районі Луганської області`` → ``Сватівський район``, ``Луганська
    область``; ``Покровської міської територіальної громади`` → ``Покровська міська
    територіальна громада``. A unit needs its place adjective (capitalised).
    """
    units = _rules().unit_levels
    tokens = re.findall(WORD, text)
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        level = next((units[p.normal_form] for p in parses(tok.lower()) if p.tag.POS == "NOUN" and p.normal_form in units), None)
        if level is None:
            continue
        j = i
        while j > 0 and i - j < 4 and _is_adjective(tokens[j - 1]):
            j -= 1
        if j == i or not tokens[j][:1].isupper():
            continue
        out.append((level, to_nominative(" ".join(tokens[j : i + 1]))))
    return out


_SETTLEMENT_IN_TITLE = re.compile(r"(?<!\w)(?:м\.|міст[аоі])\s?([А-ЯІЇЄҐ][\w'’ʼ-]+)")


def territory_from_title(title: str) -> str | None:
    """``у Сватівському районі Луганської області`` → ``Сватівський район, Луганська
    область``; ``… міста Києва …`` → ``м. Київ``."""
    seen: list[str] = []
    for _, phrase in _unit_phrases(title):
        if phrase not in seen:
            seen.append(phrase)
    if seen:
        return ", ".join(seen)
    m = _SETTLEMENT_IN_TITLE.search(title)
    return f"м. {to_nominative(m.group(1))}" if m else None


def _place_line(lines: list[Line]) -> str | None:
    """A header line naming the place alone: ``м. Київ`` (often above the year)."""
    prefix = _rules().settlement_prefix
    for line in lines:
        if _is_place_line(line.text):
            m = re.match(rf"\s*((?:{prefix})\s*[А-ЯІЇЄҐ][\w'’ʼ-]*(?:[\s-][А-ЯІЇЄҐ][\w'’ʼ-]*)?)", line.text)
            if m:
                return _collapse(m.group(1))
    return None


# "Покровської міської територіальної громади Дніпропетровської області": found by its
# literal core, then the place adjective before it and the region after it.
_COMMUNITY_CORE = re.compile(r"територіальн\w*\s+громад\w*")
_COMMUNITY_LEAD = re.compile(r"[А-ЯІЇЄҐ][\w'’ʼ-]+\s+(?:міськ|селищн|сільськ)\w*\s+(?:об['’ʼ]єднан\w*\s+)?$")
_REGION_AFTER = re.compile(r"\s+([А-ЯІЇЄҐ][\w'’ʼ-]+\s+област\w*)")
_TOWN = re.compile(r"м\.\s?([А-ЯІЇЄҐ][\w'’ʼ-]+)")


def _communities(masked: str) -> Iterator[tuple[str, str | None]]:
    """(community, region or None) as written, for each community the text names."""
    for m in _COMMUNITY_CORE.finditer(masked):
        lead = _COMMUNITY_LEAD.search(masked, max(0, m.start() - 80), m.start())
        if lead is None:
            continue
        region = _REGION_AFTER.match(masked, m.end())
        yield masked[lead.start() : m.end()], region.group(1) if region else None


def territory_from_text(masked: str, head: list[Line]) -> str | None:
    """Where the plan applies when its title does not say: a place line of the header, else
    the territorial community the text names most, else the town it names most."""
    place = _place_line(head)
    if place:
        return place
    # Count the mentions as written first; only the distinct forms go through morphology.
    written = Counter(_communities(masked))
    counts: Counter[str] = Counter()
    regions: dict[str, Counter[str]] = {}
    for (name, region), n in written.items():
        community = to_nominative(_collapse(name))
        counts[community] += n
        if region:
            regions.setdefault(community, Counter())[to_nominative(_collapse(region))] += n
    if counts:
        community = max(counts, key=lambda c: (counts[c], -list(counts).index(c)))
        region = regions.get(community)
        return f"{community}, {region.most_common(1)[0][0]}" if region else community
    towns = Counter(
        m.group(1) for m in _TOWN.finditer(masked) if not (m.start() and masked[m.start() - 1].isalnum())
    )
    if towns:
        return "м. " + towns.most_common(1)[0][0]
    return None


# --------------------------------------------------------------------------- entry point


def _head(lines: list[Line]) -> list[Line]:
    """The first lines of the document, each cut to ``HEAD_LINE_CHARS`` (a text without
    line breaks must not make the header the whole document)."""
    return [
        Line(line.start, min(line.end, line.start + HEAD_LINE_CHARS), line.text[:HEAD_LINE_CHARS])
        for line in lines[:HEAD_LINES]
        if line.start < HEAD_CHARS
    ]


def extract_metadata(doc: SourceDocument, masked: str) -> Metadata:
    """Title, kind, issuer, territory, period and approval of one document (``None`` for
    whatever the document does not state)."""
    if not masked.strip():
        return Metadata()
    lines = split_lines(masked)
    head = _head(lines)
    head_end = head[-1].end if head else 0

    titles = find_titles(masked, lines, head_end)
    title = next(titles, None)
    doc_type = classify_title(title.text) if title else classify_structure(lines)
    period = title.period if title else None
    if doc_type == "report" and title is not None:
        # "Звіт про роботу за 2024 рік" followed by "План роботи на 2025 рік": the report is
        # a section, the plan's heading titles the document (its period is the planned one).
        plan = next((t for t in titles if t.period is not None and classify_title(t.text) != "report"), None)
        if plan is not None:
            title, doc_type, period = plan, "report_and_plan", plan.period
    if period is None:
        year = dominant_year(masked)
        period = _year_period(year, year) if year else None
    plan_year = int(period.start[:4]) if period and period.start else None
    if doc_type in _rules().report_overrides and has_report_before_plan(lines, title, plan_year):
        doc_type = "report_and_plan"

    approval = find_approval(head)

    territory = (territory_from_title(title.text) if title else None) or territory_from_text(masked, head)

    issuer = None
    if title is not None:
        span = find_period(title.text)
        issuer = issuer_from_title(title.text, span[1].start if span else None, masked)
    if approval is not None:
        approval.issuer = issuer_from_approval(approval, territory)
        issuer = issuer or approval.issuer

    return Metadata(
        title=title.text if title else None,
        doc_type=doc_type,
        issuer=issuer,
        territory=territory,
        period=period,
        approval=approval,
    )

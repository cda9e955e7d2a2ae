"""Date expressions: the grammar that reads them and the norm they resolve to.

One module holds both halves so that the tagger (:mod:`pipeline.tag.dates`) and the
normaliser read a date the same way:

- :func:`tokenise` finds the time vocabulary of ``data/dates.toml`` (month names in every
  case, quarter and half-year words, Roman/Arabic numerals, weekdays, recurrence adverbs,
  the prepositions that shape an interval…) with one precompiled alternation;
- :class:`_Parser` joins adjacent tokens (only white space may separate them, never a
  tab: a tab is a table cell boundary) into expressions and gives each a
  :class:`DateValue` — an interval of calendar :class:`Unit` s, an open start, a point
  (a deadline), a recurrence rule or "ongoing";
- :func:`resolve` turns a value into the contract's norm, anchoring units written without
  a year ("Січень", "ІІ квартал", "протягом року") to the year the caller supplies.

:func:`normalise_date` normalises a DATE mention (the tagger hands its parsed value and the
anchor year over in ``hints``); :func:`normalise_deadline` a measure's raw deadline text.
"""
from __future__ import annotations

import calendar
import functools
import operator
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from ..models import Period

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "dates.toml"

APOSTROPHES = "'’ʼ`"
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
_SPACE_RE = re.compile(r"\s+")


def canon(word: str) -> str:
    """The lookup key of a word or phrase: lower case, one apostrophe, single spaces."""
    return _SPACE_RE.sub(" ", _APOSTROPHE_RE.sub("'", word.lower())).strip()


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Unit:
    """A calendar unit as written: a day, month, quarter, half-year or year.

    ``year`` is None when the text names none ("Січень"); the unit is then ``rel`` years
    after the anchor year that :func:`resolve` receives. ``grain="numeral"`` is a bare
    number that only a neighbour makes a unit ("I" in "I, III квартал"); ``"quarters"`` is
    a count of quarters from the start of the year ("за 4 квартали 2024 року"), ``"months"``
    a count of months ("за 9 місяців 2024 року").
    """

    grain: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None
    rel: int = 0
    bare: bool = False  # a year written without "рік"/"р." (acceptable only in context)

    @property
    def full(self) -> bool:
        return self.grain != "numeral"


@dataclass(frozen=True, slots=True)
class DateValue:
    """What an expression means, before anchoring.

    kind: ``interval`` (first..last, or the one unit ``first``), ``from`` (open end, or
    first..last when a "по/до" end is written), ``point`` (one day: the first — or with
    ``edge="last"`` the last — day of ``first``), ``recurrence`` (``rrule``), ``ongoing``,
    or ``dangling`` ("Постійно, починаючи" whose object a page break moved away).
    """

    kind: str
    first: Unit | None = None
    last: Unit | None = None
    edge: str = "first"
    rrule: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """An expression found in a text: ``text[start:end]`` means ``value``."""

    start: int
    end: int
    value: DateValue
    # For a dangling "Постійно, починаючи": the end of "Постійно", the mention to keep when
    # no continuation is found.
    ongoing_end: int | None = None


# --------------------------------------------------------------------------- vocabulary


class Token(NamedTuple):
    # A tuple: tokens are made by the thousand, and tuple creation is the cheapest.
    kind: str
    value: Any
    start: int
    end: int


# ``_new_token((kind, value, start, end))`` is ``Token(kind, value, start, end)`` without
# the Python-level ``__new__`` a NamedTuple has (what ``Token._make`` does, bound in C):
# for the tokenisers' loops.
_new_token = functools.partial(tuple.__new__, Token)


@dataclass(slots=True)
class Vocabulary:
    words: dict[str, tuple[str, Any]]
    adjective_blockers: tuple[str, ...]
    conditions: tuple[str, ...]
    continuation_cues: tuple[str, ...]
    continuation_distance: int
    document_date_before: tuple[str, ...]
    number_sign_re: re.Pattern[str]  # "№ " just before a number
    token_re: re.Pattern[str]


def _word_pattern(word: str) -> str:
    """A vocabulary word as a regex: any apostrophe, any white space between words."""
    out = []
    for ch in word:
        if ch in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation for many words, as a trie so the engine branches once per letter."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        ends = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(_word_pattern(ch) + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Longer words first; the empty alternative (a word ends here) last.
        return f"(?:{body})?" if ends else body

    return emit(trie)


# A year's marker written on to the number: "2025р.", "2020-2021р.р.", "19.03.2022року".
_GLUED_YEAR_MARK_RE = re.compile(r"\s?(?:р\.\s?р\.|рр\.?|року|рік|році|роки|років|р\.|р)(?![^\W\d_])", re.IGNORECASE)
# Where a non-word token may start: a digit, an opening quote, a Roman numeral, a dash,
# a comma or a bracket. One character class keeps the engine's fast prefix scan; each
# kind is then read by its own small pattern (see :func:`_marks`).
_MARK_START_RE = re.compile(r"[0-9«\"„“IІV\-–—‐‑,()]")
# "01.07. 2016": a space may precede the year of a day.month date only.
_DIGITS_RE = re.compile(r"\d{1,2}\.\d{1,2}\.\s\d{4}(?!\d)|\d+(?:\.\d+)*")
_QDAY_RE = re.compile(r"[«\"„“][\s_]*(\d{1,2})[\s_]*[»\"”“]")
_ROMAN_RE = re.compile(r"[IІV]+")
_VALID_ROMAN_RE = re.compile(r"[IІ]{1,3}V?|V")
_ORDINAL_SUFFIX_RE = re.compile(r"-(?:го|ого|й|ий|е|а|ої|ше|ге)(?![^\W\d_])")
_PUNCT = {"-": "DASH", "–": "DASH", "—": "DASH", "‐": "DASH", "‑": "DASH", ",": "COMMA", "(": "LPAREN", ")": "RPAREN"}
_LETTER_RE = re.compile(r"[^\W\d_]")


def _load_vocabulary(path: Path = DATA_FILE) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words: dict[str, tuple[str, Any]] = {}

    def add(kind: str, value: Any, items: Iterable[str]) -> None:
        for item in items:
            words.setdefault(canon(item), (kind, value))

    for month, forms in data["months"].items():
        add("MONTH", int(month), forms)
    add("QUARTER", "sg", data["quarter"]["singular"] + data["quarter"]["abbreviations"])
    add("QUARTER", "pl", data["quarter"]["plural"])
    add("HALF", None, data["half_year"]["words"])
    add("YEARWORD", "sg", data["year_words"]["singular"])
    add("YEARWORD", "pl", data["year_words"]["plural"])
    add("YEARWORD", "abbr", data["year_words"]["abbreviations"])
    for period, forms in data["periods"].items():
        add("PERIOD", period, forms)
    for n, forms in data["ordinals"].items():
        add("ORD", int(n), forms)
    for n, forms in data["counts"].items():
        add("COUNT", int(n), forms)
    add("TIMES", None, data["times"]["words"])
    for word, n in data["times"]["multiplicative"].items():
        add("TIMES", int(n), [word])
    for code, forms in data["weekdays"].items():
        add("WEEKDAY", code, forms)
    rec = data["recurrence"]
    for word, rule in rec["adverbs"].items():
        add("FREQ", rule, [word])
    for stem, rule in rec["adjectives"]["stems"].items():
        add("FREQADJ", rule, [stem + ending for ending in rec["adjectives"]["endings"]])
    add("EVERY", None, rec["every"]["words"])
    add("ATLEAST", None, rec["at_least"]["phrases"])
    for sub, forms in data["prepositions"].items():
        add("WHOLE" if sub == "whole" else "PREP", sub, forms)
    rel = data["relative"]
    add("REL", 0, rel["current"])
    add("REL", 1, rel["next"])
    add("REL", -1, rel["previous"])
    add("REL", "reporting", rel["reporting"])
    add("PERIODWORD", None, rel["period_words"])
    add("EDGE", "end", data["edges"]["end"])
    add("EDGE", "start", data["edges"]["start"])
    add("DAYWORD", None, data["day_of_month"]["words"])
    add("ONGOING", None, data["ongoing"]["words"])
    add("CONJ", None, data["conjunctions"]["words"])

    letter = r"[^\W\d_]"
    # Matched against the lower-cased text (case folding in the engine costs a third).
    word_re = (
        rf"(?<!{letter})(?<![{APOSTROPHES}])(?:{_trie_regex(words)})"
        rf"(?!{letter})(?![{APOSTROPHES}]{letter})"
    )
    token_re = re.compile(word_re)
    return Vocabulary(
        words=words,
        adjective_blockers=tuple(canon(b) for b in rec["adjectives"]["blockers"]),
        conditions=tuple(canon(c) for c in data["conditions"]["phrases"]),
        continuation_cues=tuple(canon(c) for c in data["continuation"]["cues"]),
        continuation_distance=int(data["continuation"]["max_distance"]),
        document_date_before=tuple(canon(w) for w in data["citations"]["document_date_before"]),
        number_sign_re=re.compile(
            "(?:" + "|".join(rf"\b{re.escape(x)}" if x[:1].isalpha() else re.escape(x)
                             for x in data["citations"]["number_signs"]) + r")\s{0,3}$"
        ),
        token_re=token_re,
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return _load_vocabulary()


# --------------------------------------------------------------------------- tokens


def tokenise(text: str) -> list[Token]:
    """The time vocabulary of ``text`` in order; everything else is skipped."""
    # Each list is in order. Where a mark and a word start at the same place (the Roman
    # "І" and the conjunction "і"), the stable sort keeps the mark first.
    tokens = _marks(text) + _words(text)
    tokens.sort(key=_TOKEN_START)
    out: list[Token] = []
    end = -1
    for tok in tokens:
        if tok.start >= end:  # a Roman "І" beats the conjunction "і" read at the same place
            out.append(tok)
            end = tok.end
    return out


_TOKEN_START = operator.attrgetter("start")


def _words(text: str) -> list[Token]:
    voc = vocabulary()
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets exact
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    tokens = []
    append = tokens.append
    words = voc.words
    for m in voc.token_re.finditer(low):
        word = m.group()
        found = words.get(word) or words.get(canon(word))  # canon: apostrophes, spaces
        if found is not None:
            start, end = m.span()
            append(_new_token((found[0], found[1], start, end)))
    return tokens


def _marks(text: str) -> list[Token]:
    """Numbers, form days («_21_»), Roman numerals, dashes, commas and brackets."""
    tokens: list[Token] = []
    pos, n = 0, len(text)
    search = _MARK_START_RE.search
    while True:
        m = search(text, pos)
        if m is None:
            return tokens
        s = m.start()
        ch = text[s]
        pos = s + 1
        if "0" <= ch <= "9":
            digits = _DIGITS_RE.match(text, s)
            tok = _digit_token(text, s, digits)
            if tok is not None:
                tokens.append(tok)
                pos = tok.end
            else:
                pos = digits.end()
        elif ch in _PUNCT:
            tokens.append(_new_token((_PUNCT[ch], None, s, s + 1)))
        elif ch in "IІV":
            r = _ROMAN_RE.match(text, s)
            e = r.end()
            pos = e
            if (s == 0 or not _LETTER_RE.match(text, s - 1)) and (e >= n or not _LETTER_RE.match(text, e)):
                if _VALID_ROMAN_RE.fullmatch(r.group()):
                    tokens.append(Token("ROMAN", _roman_value(r.group()), s, e))
        else:
            q = _QDAY_RE.match(text, s)
            if q is not None and 1 <= int(q.group(1)) <= 31:
                tokens.append(Token("QDAY", int(q.group(1)), s, q.end()))
                pos = q.end()


def _digit_token(text: str, s: int, m: re.Match[str]) -> Token | None:
    """A date "28.12.2022", a day.month "10.12", a year "2025р." or a small number "29";
    ``m`` is the match of ``_DIGITS_RE`` at ``s``."""
    if s > 0 and text[s - 1] in "./,":
        return None  # the tail of "1.1.3", "538/1542", "2,5"
    e = m.end()
    group = m.group()
    # Only a dotted group may hold white space ("01.07. 2016").
    parts = [p.strip() for p in group.split(".")] if "." in group else [group]
    if len(parts) >= 3:
        d, mo, y = parts[0], parts[1], parts[2]
        if len(parts) == 3 and len(y) == 4 and y[:2] in ("19", "20") and len(d) <= 2 and len(mo) <= 2:
            day, month = int(d), int(mo)
            if 1 <= day <= 31 and 1 <= month <= 12:
                mark = _GLUED_YEAR_MARK_RE.match(text, e)
                return Token("NUMDATE", (day, month, int(y), mark is not None), s, mark.end() if mark else e)
        return None
    if len(parts) == 2:
        d, mo = parts
        if len(d) == 2 and len(mo) == 2 and "\n" not in m.group() and " " not in m.group():
            day, month = int(d), int(mo)
            if 1 <= day <= 31 and 1 <= month <= 12:
                return Token("DM", (day, month), s, e)
        return None
    digits = parts[0]
    if e < len(text) and text[e] in "/":
        return None
    if len(digits) == 4 and digits[:2] in ("18", "19", "20"):
        if _is_number_not_year(text, s, e):
            return None
        mark = _GLUED_YEAR_MARK_RE.match(text, e)
        if digits[:2] == "18" and mark is None:
            return None  # an older year only with "року"/"р." ("1847 року"), else a count
        if mark is not None and mark.group()[:1].isspace():
            mark = None  # "2018 р." is a year and a separate year word
        return Token("YEAR", (int(digits), mark is not None), s, mark.end() if mark else e)
    if len(digits) <= 2:
        suffix = _ORDINAL_SUFFIX_RE.match(text, e)
        return Token("NUM", int(digits), s, suffix.end() if suffix else e)
    return None


_ROMAN_DIGITS = {"I": 1, "І": 1, "V": 5}


def _roman_value(numeral: str) -> int:
    total = 0
    values = [_ROMAN_DIGITS[ch] for ch in numeral]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


# "2558 – ІІІ", "1972-XII", "1415-р": a law's or an order's number; but "2025 – I квартал"
# starts a range.
_LAW_NUMBER_TAIL = re.compile(r"\s?[-–]\s?(?:[IVXІХ]{1,5}|ВР|вр|р)\b(?![ \u00a0]*(?:кв|пів|[0-9]))")


def _is_number_not_year(text: str, start: int, end: int) -> bool:
    """A year-like number that is a document number: "№ 2010", "1972-XII", "2024-р"."""
    if vocabulary().number_sign_re.search(text, max(0, start - 6), start):
        return True
    return bool(_LAW_NUMBER_TAIL.match(text, end))


# Only white space (and the underscores of a form: «_21_»_липня) may separate the tokens
# of one expression; a tab is a cell boundary, and at most a few line breaks (a cell's
# wrapped lines) may intervene.
_GAP_RE = re.compile(r"[ \u00a0\r\n_]*")
_MAX_GAP = 24
_MAX_GAP_BREAKS = 4


def _links(text: str, tokens: list[Token]) -> list[bool]:
    links = [False] * len(tokens)
    only_gap = _GAP_RE.fullmatch
    a = tokens[0].end if tokens else 0  # the end of the token before token i
    for i in range(1, len(tokens)):
        tok = tokens[i]
        b = tok.start
        if b - a <= _MAX_GAP and only_gap(text, a, b) and text.count("\n", a, b) <= _MAX_GAP_BREAKS:
            links[i] = True
        a = tok.end
    return links


# --------------------------------------------------------------------------- recurrence rules


_RRULE_ORDER = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY")


def _rule(freq: str, interval: int = 1, **by: str) -> dict[str, str]:
    rule = {"FREQ": freq}
    if interval != 1:
        rule["INTERVAL"] = str(interval)
    rule.update({k: v for k, v in by.items() if v})
    return rule


def _parse_rule(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(";"))


def _format_rule(rule: dict[str, str]) -> str:
    """RFC 5545 text in the gold's part order: FREQ;INTERVAL;BYMONTH;BYMONTHDAY;BYDAY."""
    keys = [k for k in _RRULE_ORDER if k in rule] + sorted(k for k in rule if k not in _RRULE_ORDER)
    return ";".join(f"{k}={rule[k]}" for k in keys)


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_PERIOD_DAYS = {"day": 1, "week": 7}


def _every(period: str, count: int = 1, times: int = 1) -> dict[str, str]:
    """``times`` times every ``count`` periods as one regular rule.

    Month-based periods split into whole months when they can ("двічі на рік" → every 6
    months), else into weeks of a four-week month ("Два рази на місяць" → every 2 weeks,
    the gold's reading), else into days.
    """
    times = max(times, 1)
    if period in _PERIOD_MONTHS:
        months = _PERIOD_MONTHS[period] * count
        if months % times == 0:
            step = months // times
            return _rule("YEARLY", step // 12) if step % 12 == 0 else _rule("MONTHLY", step)
        weeks = months * 4
        if weeks % times == 0:
            return _rule("WEEKLY", weeks // times)
        return _rule("DAILY", max(1, months * 30 // times))
    days = _PERIOD_DAYS.get(period, 1) * count
    if days % times == 0:
        step = days // times
        return _rule("WEEKLY", step // 7) if step % 7 == 0 else _rule("DAILY", step)
    return _rule("DAILY", max(1, days // times))  # at least as often as written


def _interval_months(rule: dict[str, str]) -> int | None:
    """A rule's period in months (monthly/yearly rules only)."""
    n = int(rule.get("INTERVAL", "1"))
    if rule["FREQ"] == "MONTHLY":
        return n
    if rule["FREQ"] == "YEARLY":
        return 12 * n
    return None


# --------------------------------------------------------------------------- parser


class _Parser:
    """Joins linked tokens into expressions, left to right, longest rule first."""

    def __init__(self, text: str, tokens: list[Token] | None = None):
        self.text = text
        self.toks = tokenise(text) if tokens is None else tokens
        self.links = _links(text, self.toks)
        self.n = len(self.toks)
        self.voc = vocabulary()

    # ---- token access

    def at(self, j: int, *kinds: str, head: bool = False) -> Token | None:
        """Token ``j`` if it continues the expression (linked) and is of one of ``kinds``."""
        if j >= self.n or (not head and not self.links[j]):
            return None
        tok = self.toks[j]
        return tok if not kinds or tok.kind in kinds else None

    def prep(self, j: int, *subs: str, head: bool = False) -> Token | None:
        tok = self.at(j, "PREP", head=head)
        return tok if tok is not None and (not subs or tok.value in subs) else None

    def period_of(self, j: int) -> str | None:
        tok = self.at(j, "PERIOD", "QUARTER", "HALF", "YEARWORD")
        if tok is None:
            return None
        if tok.kind == "PERIOD":
            return tok.value
        if tok.kind == "YEARWORD":
            return "year" if tok.value != "abbr" else None
        return {"QUARTER": "quarter", "HALF": "half"}[tok.kind]

    # ---- driver

    def parse(self) -> list[Found]:
        out: list[Found] = []
        i = 0
        toks, links, n = self.toks, self.links, self.n
        while i < n:
            tok = toks[i]
            if tok.kind not in _DISPATCH:
                i += 1  # a comma, a dash, "рік"…: opens no expression of its own
                continue
            if tok.kind == "PREP" and tok.value != "starting" and (i + 1 >= n or not links[i + 1]):
                # r_prep's own first test, without the dispatch: a preposition with
                # nothing linked after it (most of those in prose) opens nothing.
                i += 1
                continue
            got = self.expression(i)
            if got is None:
                i += 1
                continue
            found, i = got
            out.extend(found)
        return out

    def expression(self, i: int) -> tuple[list[Found], int] | None:
        kind = self.toks[i].kind
        rules = _DISPATCH.get(kind, ())
        for rule in rules:
            got = rule(self, i)
            if got is not None:
                return got
        return None

    # ---- calendar units

    def year_tail(self, j: int, allow_comma: bool = False) -> tuple[int | None, int]:
        """An optional year after a unit: "2025 року", "2023", ", 2025р." (a comma only
        before a year that says it is one)."""
        tok = self.at(j, "YEAR")
        if tok is None and allow_comma and self.at(j, "COMMA"):
            nxt = self.at(j + 1, "YEAR")
            if nxt is not None and (nxt.value[1] or self.at(j + 2, "YEARWORD")):
                tok, j = nxt, j + 1
        if tok is None:
            return None, j
        j += 1
        if not tok.value[1] and self.at(j, "YEARWORD"):
            j += 1
        return tok.value[0], j

    def year_or_relative(self, j: int, allow_comma: bool = False) -> tuple[int | None, int, int]:
        """A year after a unit, written out ("2025 року") or relative ("поточного року",
        "наступного року"): (year, years after the anchor, next token)."""
        y, k = self.year_tail(j, allow_comma)
        if y is not None or not self.at(j, "REL"):
            return y, 0, k
        got = self.relative_year(j)
        if got is None:
            return None, 0, j
        u, k = got
        return u.year, u.rel, k

    def unit(self, j: int, head: bool = False, after_prep: bool = False) -> tuple[Unit, int] | None:
        tok = self.at(j, head=head)
        if tok is None:
            return None
        kind = tok.kind
        if kind == "NUMDATE":
            d, m, y, marked = tok.value
            j += 1
            if not marked and self.at(j, "YEARWORD"):
                j += 1
            return _valid(Unit("day", y, m, d)), j
        if kind == "DM":
            # "до 10.12": a day.month without a year only after a preposition (else it is
            # an item number such as "10.12").
            if not after_prep:
                return None
            d, m = tok.value
            return _valid(Unit("day", None, m, d)), j + 1
        if kind in ("NUM", "QDAY") and self.at(j + 1, "MONTH"):
            y, rel, k = self.year_or_relative(j + 2, allow_comma=True)
            return _valid(Unit("day", y, self.toks[j + 1].value, tok.value, rel=rel)), k
        if kind == "MONTH":
            y, rel, k = self.year_or_relative(j + 1, allow_comma=True)
            return Unit("month", y, tok.value, rel=rel), k
        if kind in ("NUM", "COUNT") and after_prep and self.period_of(j + 1) == "month":
            # "за 9 місяців 2024 року": January to September. Without a year it is a
            # duration ("протягом 6 місяців"), not a date.
            y, rel, k = self.year_or_relative(j + 2)
            if k == j + 2 or not 1 <= tok.value <= 12:
                return None
            return Unit("months", y, index=tok.value, rel=rel), k
        if kind in ("ROMAN", "NUM", "ORD"):
            n = tok.value
            nxt = self.at(j + 1, "QUARTER", "HALF")
            if nxt is not None:
                y, rel, k = self.year_or_relative(j + 2)
                if nxt.kind == "HALF":
                    return (Unit("half", y, index=n, rel=rel), k) if 1 <= n <= 2 else None
                if nxt.value == "pl" and kind == "NUM":
                    # "за 4 квартали 2024 року" covers quarters 1-4; without "за"/
                    # "протягом" a count of quarters is a duration, not a date.
                    return (Unit("quarters", y, index=n, rel=rel), k) if after_prep and 1 <= n <= 4 else None
                return (Unit("quarter", y, index=n, rel=rel), k) if 1 <= n <= 4 else None
            if kind == "QDAY":
                return None
            return Unit("numeral", index=n), j + 1
        if kind == "YEAR":
            y, marked = tok.value
            k = j + 1
            if not marked and self.at(k, "YEARWORD"):
                k, marked = k + 1, True
            return Unit("year", y, bare=not marked), k
        if kind == "REL":
            return self.relative_year(j)
        return None

    def relative_year(self, j: int) -> tuple[Unit, int] | None:
        """"наступний фінансовий рік", "поточного року", "звітного періоду (2024 року)"."""
        rel, reporting, k = 0, False, j
        while k < self.n and (k == j or self.links[k]) and self.toks[k].kind == "REL":
            value = self.toks[k].value
            if value == "reporting":
                reporting = True
            else:
                rel += value
            k += 1
        if k == j:
            return None
        word = self.at(k, "YEARWORD", "PERIODWORD")
        if word is None or (word.kind == "YEARWORD" and word.value != "sg"):
            return None
        if word.kind == "PERIODWORD" and not reporting:
            return None
        k += 1
        y, k2 = self.year_tail(k)
        if y is not None:
            return Unit("year", y), k2
        return Unit("year", rel=rel), k

    def bare_year_ok(self, i: int, unit: Unit, end: int) -> bool:
        """A year without "рік"/"р." is a date after a preposition or alone in its cell."""
        if not unit.bare:
            return True
        if i > 0 and self.links[i] and self.toks[i - 1].kind == "PREP" and self.toks[i - 1].value != "from":
            return not _counted_noun_follows(self.text, self.toks[end - 1].end)
        return _alone_in_cell(self.text, self.toks[i].start, self.toks[end - 1].end)

    def timeref(
        self, j: int, head: bool = False, allow_to: bool = False, after_prep: bool = False
    ) -> tuple[Unit, Unit | None, int] | None:
        """A unit, or a range of two ("2019-2026 роки", "ІІ-ІІІ квартал 2025 року",
        "з 25 листопада по 10 грудня 2024 року" when ``allow_to``)."""
        got = self.unit(j, head=head, after_prep=after_prep)
        if got is None:
            return None
        first, k = got
        sep = self.at(k)
        if sep is not None and (
            sep.kind == "DASH" or (allow_to and sep.kind == "PREP" and sep.value in ("through", "until"))
        ):
            got2 = self.unit(k + 1, after_prep=sep.kind == "PREP")
            if got2 is not None and got2[0].full:
                last = got2[0]
                completed = _complete(first, last)
                if completed is not None and _ordered(completed, last):
                    return completed, last, got2[1]
        if not first.full:
            return None
        return first, None, k

    # ---- rules: lists of units ("Лютий, червень, листопад", "I, III квартал")

    def r_units(self, i: int) -> tuple[list[Found], int] | None:
        after_prep = i > 0 and self.links[i] and self.toks[i - 1].kind == "PREP"
        items: list[tuple[int, Unit, Unit | None, int]] = []
        j, head = i, True
        while True:
            got = self.timeref(j, head=head, after_prep=after_prep and head)
            if got is None:
                got = self.unit(j, head=head)
                if got is None or got[0].full:
                    break
                got = (got[0], None, got[1])  # a partial item, completed below
            first, last, k = got
            items.append((j, first, last, k))
            sep = self.at(k, "COMMA", "CONJ")
            if sep is None or self.at(k + 1) is None or self.toks[k + 1].kind not in _UNIT_START:
                break
            j, head = k + 1, False
        while items and not items[-1][1].full:
            items.pop()
        if not items:
            return None
        marked_list = len(items) > 1 and any(it[1].grain == "year" and not it[1].bare for it in items)
        out: list[Found] = []
        tail: Unit | None = None
        for j0, first, last, k in reversed(items):
            if not first.full:
                if tail is None:
                    continue
                first = _complete(first, tail)
                if first is None:
                    continue
            elif tail is not None and last is None:
                first = _inherit_year(first, tail)
            if first.grain == "year" and first.bare and last is None and not (
                marked_list or self.bare_year_ok(j0, first, k)
            ):
                tail = first
                continue
            tail = last or first
            out.append(Found(self.toks[j0].start, self.toks[k - 1].end, _interval(first, last)))
        if not out:
            return None
        out.reverse()
        return out, items[-1][3]

    # ---- rules: prepositions

    def r_prep(self, i: int) -> tuple[list[Found], int] | None:
        sub = self.toks[i].value
        if sub != "starting" and self.at(i + 1) is None:
            # Every rule but a dangling "починаючи" needs the token after the preposition:
            # one with nothing linked after it (most prepositions of a text) opens nothing.
            return None
        handler = _PREP_RULES.get(sub)
        return handler(self, i) if handler else None

    def r_until(self, i: int) -> tuple[list[Found], int] | None:
        """"до 01 березня", "До червня 2025 року", "до кінця року", "До 29 числа …"."""
        got = self.r_day_of_month(i)
        if got is not None:
            return got
        j = i + 1
        edge = self.at(j, "EDGE")
        if edge is not None:
            return self.edge_point_from(i, j, edge)
        got2 = self.timeref(j, after_prep=True)
        if got2 is None:
            return None
        first, _, k = got2
        if first.bare and not self.bare_year_ok(j, first, k):
            return None
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("point", first))], k

    def edge_unit(self, j: int) -> tuple[Unit, int] | None:
        """The unit after "кінця"/"початку": "року", "2025 року", "І кварталу"."""
        word = self.at(j, "YEARWORD")
        if word is not None and word.value == "sg":
            return Unit("year"), j + 1
        got = self.timeref(j)
        if got is None:
            return None
        return got[0], got[2]

    def r_from(self, i: int) -> tuple[list[Found], int] | None:
        """"з 2018 року" (open end), "з 1 вересня по 31 грудня", "З 25.11.2024 по 10.12.2024"."""
        edge = self.at(i + 1, "EDGE")
        if edge is not None and edge.value == "start":
            got0 = self.edge_unit(i + 2)  # "з початку року": open from its first day
            if got0 is None:
                return None
            u, k = got0
            return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("from", u))], k
        if self.at(i + 1, "WEEKDAY"):
            return self.weekday_range(i)
        got = self.timeref(i + 1, allow_to=True, after_prep=True)
        if got is None:
            return None
        first, last, k = got
        if first.bare and last is None:
            return None  # "з 2000 осіб": a bare number after "з" is not a year
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("from", first, last))], k

    def r_document(self, i: int) -> tuple[list[Found], int] | None:
        """"від 1 вересня до 31 грудня": a range. Alone, "від" dates a cited document
        ("рішення від 21.07.2020"), which is no mention of the plan's time (the tagger
        drops such dates)."""
        got = self.timeref(i + 1, allow_to=True, after_prep=True)
        if got is None or got[1] is None:
            return None
        first, last, k = got
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("interval", first, last))], k

    def weekday_range(self, i: int) -> tuple[list[Found], int] | None:
        """"з понеділка по п'ятницю": every one of those weekdays."""
        first = self.toks[i + 1].value
        if not self.prep(i + 2, "through", "until") or not self.at(i + 3, "WEEKDAY"):
            return None
        a, b = _WEEKDAYS.index(first), _WEEKDAYS.index(self.toks[i + 3].value)
        if b <= a:
            return None
        rule = _rule("WEEKLY", BYDAY=",".join(_WEEKDAYS[a : b + 1]))
        return [Found(self.toks[i].start, self.toks[i + 3].end, DateValue("recurrence", rrule=_format_rule(rule)))], i + 4

    def r_starting(self, i: int, start: int | None = None, ongoing_end: int | None = None) -> tuple[list[Found], int] | None:
        """"починаючи з І кварталу 2018 року [до 2020 року]"; a dangling "починаючи"."""
        start = self.toks[i].start if start is None else start
        if self.prep(i + 1, "from", "document"):
            got = self.timeref(i + 2, allow_to=True, after_prep=True)
            if got is not None:
                first, last, k = got
                return [Found(start, self.toks[k - 1].end, DateValue("from", first, last))], k
        if _cell_ends(self.text, self.toks[i].end):
            return [Found(start, self.toks[i].end, DateValue("dangling"), ongoing_end=ongoing_end)], i + 1
        return None

    def r_during(self, i: int) -> tuple[list[Found], int] | None:
        """"протягом року", "Протягом 2025 року", "протягом звітного періоду 2024 року"."""
        j = i + 1
        while self.at(j, "WHOLE"):
            j += 1
        word = self.at(j, "YEARWORD")
        if word is not None and word.value == "sg":
            return [Found(self.toks[i].start, word.end, DateValue("interval", Unit("year")))], j + 1
        if self.at(j, "REL"):
            return self.relative_year_from(i, j)
        got2 = self.prepositional_timeref(j)
        if got2 is None:
            return None
        first, last, k = got2
        return [Found(self.toks[i].start, self.toks[k - 1].end, _interval(first, last))], k

    def prepositional_timeref(self, j: int):
        """The time reference after a preposition at ``j``, or None; a bare year on its own
        counts only where :meth:`bare_year_ok` allows it."""
        got = self.timeref(j, after_prep=True)
        if got is None:
            return None
        first, last, k = got
        if first.bare and last is None and not self.bare_year_ok(j, first, k):
            return None
        return got

    def edge_point_from(self, i: int, j: int, edge: Any) -> tuple[list[Found], int] | None:
        """"… кінця року": the edge word at ``j`` and its unit as one point from token ``i``."""
        got = self.edge_unit(j + 1)
        if got is None:
            return None
        u, k = got
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("point", u, edge=_edge(edge)))], k

    def relative_year_from(self, i: int, j: int) -> tuple[list[Found], int] | None:
        """The relative year at ``j`` ("наступного року") as one expression from token ``i``."""
        got = self.relative_year(j)
        if got is None:
            return None
        u, k = got
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("interval", u))], k

    def r_for(self, i: int) -> tuple[list[Found], int] | None:
        """"на 2025 рік", "на 2018-2026 роки", "на наступний фінансовий рік", "на 01 липня",
        "на кінець року"; also "станом на …" and "за 2024 рік", "за звітній період"."""
        j = i + 1
        edge = self.at(j, "EDGE")
        if edge is not None:
            return self.edge_point_from(i, j, edge)
        if self.at(j, "REL"):
            return self.relative_year_from(i, j)
        got2 = self.prepositional_timeref(j)
        if got2 is None:
            return None
        first, last, k = got2
        value = DateValue("point", first) if first.grain == "day" and last is None else _interval(first, last)
        return [Found(self.toks[i].start, self.toks[k - 1].end, value)], k

    def r_through(self, i: int) -> tuple[list[Found], int] | None:
        """"по вівторках": every such weekday."""
        days, k = self.weekday_list(i + 1)
        if not days:
            return None
        rule = _rule("WEEKLY", BYDAY=",".join(days))
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], k

    # ---- rules: ongoing

    def r_ongoing(self, i: int) -> tuple[list[Found], int] | None:
        """"Постійно"; "Постійно, починаючи з 2018 року" is one open interval."""
        tok = self.toks[i]
        j = i + 1
        if self.at(j, "COMMA"):
            j += 1
        if self.prep(j, "starting"):
            got = self.r_starting(j, start=tok.start, ongoing_end=tok.end)
            if got is not None:
                return got
        return [Found(tok.start, tok.end, DateValue("ongoing"))], i + 1

    # ---- rules: recurrences

    def r_freq(self, i: int) -> tuple[list[Found], int] | None:
        """"Щоквартально", "Щороку до 01 березня", "щороку І квартал", "щорічного аналізу"."""
        tok = self.toks[i]
        if tok.kind == "FREQADJ" and self.adjective_blocked(tok.end):
            return None
        rule = _parse_rule(tok.value)
        j = i + 1
        freq = rule["FREQ"]
        extra: list[Found] = []
        if freq == "YEARLY":
            j = self.yearly_details(j, rule)
            if "BYMONTH" not in rule:
                extra, j = self.parenthesised_day(j)
        elif freq == "WEEKLY" and "BYDAY" not in rule:
            k = j + 1 if self.prep(j, "in", "through") else j
            days, k2 = self.weekday_list(k)
            if days:
                rule["BYDAY"], j = ",".join(days), k2
        elif freq == "MONTHLY":
            # "щомісяця до 5 числа", "Щокварталу, до 10 числа": the day is part of the rule.
            k = j + 1 if self.at(j, "COMMA") and self.prep(j + 1, "until") else j
            got = self.r_day_of_month(k, head=False)
            if got is not None:
                rule["BYMONTHDAY"] = _parse_rule(got[0][0].value.rrule or "")["BYMONTHDAY"]
                j = got[1]
        end = self.toks[j - 1].end if not extra else tok.end
        return [Found(tok.start, end, DateValue("recurrence", rrule=_format_rule(rule)))] + extra, j

    def yearly_details(self, j: int, rule: dict[str, str]) -> int:
        """What follows "щороку": "на 01 липня та 01 січня", "до 01 березня", "у березні",
        "І квартал" (absorbed; a quarter adds no rule part, as in the gold)."""
        k = j + 1 if self.prep(j, "until", "for", "in", "as_of") else j
        days, months, k2 = self.day_month_list(k)
        if months:
            rule["BYMONTH"] = ",".join(str(m) for m in sorted(set(months)))
            if days:
                rule["BYMONTHDAY"] = ",".join(str(d) for d in sorted(set(days)))
            return k2
        got = self.unit(k)
        if got is not None and got[0].grain in ("quarter", "half") and got[0].year is None:
            return got[1]
        return j

    def parenthesised_day(self, j: int) -> tuple[list[Found], int]:
        """"щороку (до 10 січня)": the bracketed day is a yearly deadline of its own
        (a second mention; the brackets stay out of both)."""
        if not self.at(j, "LPAREN"):
            return [], j
        k = j + 1
        start_tok = self.at(k)
        if start_tok is None:
            return [], j
        k2 = k + 1 if self.prep(k, "until", "for", "in") else k
        days, months, k3 = self.day_month_list(k2)
        if not months or not self.at(k3, "RPAREN"):
            return [], j
        inner = _rule("YEARLY", BYMONTH=",".join(str(m) for m in sorted(set(months))),
                      BYMONTHDAY=",".join(str(d) for d in sorted(set(days))))
        found = Found(start_tok.start, self.toks[k3 - 1].end, DateValue("recurrence", rrule=_format_rule(inner)))
        return [found], k3 + 1

    def day_month_list(self, j: int) -> tuple[list[int], list[int], int]:
        """"01 липня та 01 січня", "10 січня", "березні": days and months of a yearly rule."""
        days: list[int] = []
        months: list[int] = []
        k = j
        while True:
            num = self.at(k, "NUM", "QDAY")
            dm = self.at(k, "DM")
            if num is not None and self.at(k + 1, "MONTH") and 1 <= num.value <= 31:
                days.append(num.value)
                months.append(self.toks[k + 1].value)
                k += 2
            elif dm is not None and self.toks[k - 1].kind in ("PREP", "COMMA", "CONJ"):
                days.append(dm.value[0])  # "Щорічно до 15.01" (a day.month after a preposition)
                months.append(dm.value[1])
                k += 1
            elif self.at(k, "MONTH") and not days:
                months.append(self.toks[k].value)
                k += 1
            else:
                break
            if self.at(k, "COMMA", "CONJ") and self.at(k + 1, "NUM", "MONTH", "DM"):
                k += 1
                continue
            break
        if self.at(k, "YEAR"):
            return [], [], j  # a dated day is not a yearly rule
        return days, months, k

    def adjective_blocked(self, end: int) -> bool:
        m = _NEXT_WORD_RE.match(self.text, end)
        if m is None:
            return False
        word = m.group(1)
        return word[:1].isupper() or canon(word).startswith(self.voc.adjective_blockers)

    def weekday_list(self, j: int) -> tuple[list[str], int]:
        days: list[str] = []
        k = j
        while self.at(k, "WEEKDAY"):
            days.append(self.toks[k].value)
            k += 1
            if self.at(k, "COMMA", "CONJ") and self.at(k + 1, "WEEKDAY"):
                k += 1
                continue
            break
        return _unique(days), k

    def r_weekdays(self, i: int) -> tuple[list[Found], int] | None:
        """"Четвер, п'ятниця, щотижнево", "Субота, неділя, щотижнево"."""
        days, k = self.weekday_list_head(i)
        if not days:
            return None
        j = k + 1 if self.at(k, "COMMA") else k
        mod = self.frequency(j)
        if mod is None or mod[0]["FREQ"] != "WEEKLY" or "BYDAY" in mod[0]:
            return None
        rule = dict(mod[0])
        rule["BYDAY"] = ",".join(days)
        return [Found(self.toks[i].start, self.toks[mod[1] - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], mod[1]

    def weekday_list_head(self, i: int) -> tuple[list[str], int]:
        days = [self.toks[i].value]
        k = i + 1
        while self.at(k, "COMMA", "CONJ") and self.at(k + 1, "WEEKDAY"):
            days.append(self.toks[k + 1].value)
            k += 2
        return _unique(days), k

    def frequency(self, j: int) -> tuple[dict[str, str], int] | None:
        """A frequency word group: an adverb, "кожного місяця", "один раз на квартал"."""
        tok = self.at(j, "FREQ")
        if tok is not None:
            return _parse_rule(tok.value), j + 1
        if self.at(j, "EVERY"):
            return self.every(j)
        if self.at(j, "ATLEAST", "TIMES", "COUNT", "NUM"):
            return self.times(j)
        return None

    def every(self, j: int) -> tuple[dict[str, str], int] | None:
        """"кожного місяця", "кожні два тижні", "кожного понеділка"."""
        k = j + 1
        days, k2 = self.weekday_list(k)
        if days:
            return _rule("WEEKLY", BYDAY=",".join(days)), k2
        count = 1
        num = self.at(k, "NUM", "COUNT")
        if num is not None:
            count, k = num.value, k + 1
        period = self.period_of(k)
        if period is None:
            return None
        return _every(period, count), k + 1

    def times(self, j: int) -> tuple[dict[str, str], int] | None:
        """"1 раз на місяць", "не рідше ніж 1 раз на місяць", "Два рази на місяць",
        "двічі на рік", "раз на два тижні", "один раз на квартал"."""
        k = j
        if self.at(k, "ATLEAST", head=k == j):
            k += 1
        times = 1
        num = self.at(k, "NUM", "COUNT", head=k == j)
        if num is not None:
            times, k = num.value, k + 1
        word = self.at(k, "TIMES", head=k == j)
        if word is None:
            return None
        if word.value is not None:
            times = word.value
        k += 1
        if not self.prep(k, "for", "in"):
            return None
        k += 1
        count = 1
        num = self.at(k, "NUM", "COUNT")
        if num is not None:
            count, k = num.value, k + 1
        period = self.period_of(k)
        if period is None or times < 1 or count < 1:
            return None
        return _every(period, count, times), k + 1

    def r_times(self, i: int) -> tuple[list[Found], int] | None:
        got = self.times(i)
        if got is None:
            return None
        rule, k = got
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], k

    def r_every(self, i: int) -> tuple[list[Found], int] | None:
        ord_rule = self.r_ordweekday(i + 1, head=False)
        if ord_rule is not None:
            found, k = ord_rule
            return [Found(self.toks[i].start, found[0].end, found[0].value)], k
        got = self.every(i)
        if got is None:
            return None
        rule, k = got
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], k

    def r_ordweekday(self, i: int, head: bool = True) -> tuple[list[Found], int] | None:
        """"Друга п'ятниця щомісячно", "Останній четвер місяця", "2, 4 субота кожного
        місяця", "Третя п'ятниця місяця, один раз на квартал" (one mention)."""
        ns: list[int] = []
        k = i
        while True:
            tok = self.at(k, "ORD", "NUM", head=head and k == i)
            if tok is None:
                break
            ns.append(tok.value)
            k += 1
            if self.at(k, "COMMA", "CONJ") and self.at(k + 1, "ORD", "NUM"):
                k += 1
                continue
            break
        if not ns or not self.at(k, "WEEKDAY"):
            return None
        day = self.toks[k].value
        k += 1
        month_word = False
        if self.at(k, "EVERY") and self.period_of(k + 1) == "month":
            k, month_word = k + 2, True
        elif self.period_of(k) == "month":
            k, month_word = k + 1, True
        months = 1
        j = k + 1 if self.at(k, "COMMA") else k
        mod = self.frequency(j)
        if mod is not None:
            got = _interval_months(mod[0])
            if got is not None:
                months, k = got, mod[1]
        elif not month_word:
            return None
        if not all(n in (1, 2, 3, 4, 5, -1, -2) for n in ns):
            return None
        rule = _rule("MONTHLY", months, BYDAY=",".join(f"{n}{day}" for n in ns))
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], k

    def r_day_of_month(self, i: int, head: bool = True) -> tuple[list[Found], int] | None:
        """"До 29 числа поточного місяця", "до 15 числа": a monthly deadline."""
        k = i
        if self.prep(k, "until", head=head):
            k += 1
        num = self.at(k, "NUM", head=head and k == i)
        if num is None or not 1 <= num.value <= 31 or not self.at(k + 1, "DAYWORD"):
            return None
        k += 2
        j = k
        while self.at(j, "REL", "EVERY"):
            j += 1
        if self.period_of(j) == "month":
            k = j + 1
        rule = _rule("MONTHLY", BYMONTHDAY=str(num.value))
        return [Found(self.toks[i].start, self.toks[k - 1].end, DateValue("recurrence", rrule=_format_rule(rule)))], k

    def r_number(self, i: int) -> tuple[list[Found], int] | None:
        if self.at(i + 1) is None:
            # A number alone is no date: each rule needs the token after it ("числа",
            # "раз", a weekday, a month, a quarter). Most numbers of a text are alone.
            return None
        for rule in (_Parser.r_day_of_month, _Parser.r_times, _Parser.r_ordweekday, _Parser.r_units):
            got = rule(self, i)
            if got is not None:
                return got
        return None


_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_NEXT_WORD_RE = re.compile(r"[ \u00a0]*([^\W\d_][\w'’ʼ-]*)")
_UNIT_START = frozenset({"NUMDATE", "NUM", "QDAY", "MONTH", "ROMAN", "ORD", "YEAR", "REL"})


_DISPATCH = {
    "ONGOING": (_Parser.r_ongoing,),
    "FREQ": (_Parser.r_freq,),
    "FREQADJ": (_Parser.r_freq,),
    "EVERY": (_Parser.r_every,),
    "ATLEAST": (_Parser.r_times,),
    "TIMES": (_Parser.r_times,),
    "COUNT": (_Parser.r_times,),
    "NUM": (_Parser.r_number,),
    "ORD": (_Parser.r_ordweekday, _Parser.r_units),
    "WEEKDAY": (_Parser.r_weekdays,),
    "PREP": (_Parser.r_prep,),
    "NUMDATE": (_Parser.r_units,),
    "QDAY": (_Parser.r_units,),
    "MONTH": (_Parser.r_units,),
    "ROMAN": (_Parser.r_units,),
    "YEAR": (_Parser.r_units,),
    "REL": (_Parser.r_units,),
}

_PREP_RULES = {
    "until": _Parser.r_until,
    "from": _Parser.r_from,
    "starting": _Parser.r_starting,
    "during": _Parser.r_during,
    "for": _Parser.r_for,
    "over": _Parser.r_for,
    "as_of": _Parser.r_for,
    "through": _Parser.r_through,
    "document": _Parser.r_document,
}


# --------------------------------------------------------------------------- unit helpers


def _valid(unit: Unit) -> Unit | None:
    if unit.grain == "day" and unit.month is not None:
        limit = calendar.monthrange(unit.year or 2000, unit.month)[1]  # 2000: 29 February
        if not 1 <= (unit.day or 0) <= limit:
            return None
    return unit


def _edge(tok: Token) -> str:
    return "last" if tok.value == "end" else "first"


def _interval(first: Unit, last: Unit | None) -> DateValue:
    if last is None and first.grain == "day":
        return DateValue("point", first)
    return DateValue("interval", first, last)


def _complete(partial: Unit, full: Unit) -> Unit | None:
    """The first element of a range or list, completed from the last: "ІІ" from "ІІІ
    квартал 2025 року", "25 листопада" from "10 грудня 2024 року", "1" from "15 вересня"."""
    if partial.grain == "numeral":
        n = partial.index or 0
        if full.grain in ("quarter", "quarters") and 1 <= n <= 4:
            return Unit("quarter", full.year, index=n, rel=full.rel)
        if full.grain == "half" and 1 <= n <= 2:
            return Unit("half", full.year, index=n, rel=full.rel)
        if full.grain == "day" and full.month is not None:
            return _valid(Unit("day", full.year, full.month, n, rel=full.rel))
        return None
    return _inherit_year(partial, full)


def _inherit_year(unit: Unit, other: Unit) -> Unit:
    """A unit without a year takes the year written after it ("червень-листопад 2023");
    a month later in the year than the end goes to the year before ("грудень-лютий 2024")."""
    if unit.year is not None or other.year is None or unit.grain == "year":
        return unit
    year = other.year
    if unit.month is not None and other.month is not None and (unit.month, unit.day or 0) > (other.month, other.day or 99):
        year -= 1
    return replace(unit, year=year)


def _ordered(first: Unit, last: Unit) -> bool:
    if first.grain == "year" and last.grain == "year":
        return first.year is not None and last.year is not None and 0 < last.year - first.year <= 50
    a, b = _first_day(first, 2000), _last_day(last, 2000)
    return a is None or b is None or a <= b


def _year_of(unit: Unit, anchor: int | None) -> int | None:
    if unit.year is not None:
        return unit.year
    return anchor + unit.rel if anchor is not None else None


def _first_day(unit: Unit, anchor: int | None) -> date | None:
    y = _year_of(unit, anchor)
    if y is None:
        return None
    g = unit.grain
    if g == "day":
        return date(y, unit.month or 1, unit.day or 1)
    if g == "month":
        return date(y, unit.month or 1, 1)
    if g == "quarter":
        return date(y, 3 * (unit.index or 1) - 2, 1)
    if g == "half":
        return date(y, 6 * (unit.index or 1) - 5, 1)
    return date(y, 1, 1)  # year, quarters


def _last_day(unit: Unit, anchor: int | None) -> date | None:
    y = _year_of(unit, anchor)
    if y is None:
        return None
    g = unit.grain
    if g == "day":
        return date(y, unit.month or 1, unit.day or 1)
    month = {"month": unit.month, "quarter": 3 * (unit.index or 1), "half": 6 * (unit.index or 1),
             "quarters": 3 * (unit.index or 4), "months": unit.index}.get(g, 12) or 12
    return date(y, month, calendar.monthrange(y, month)[1])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------------------- text context


_CELL_END_RE = re.compile(r"[ \u00a0\r\n]*(?:\t|$|\n[ \u00a0]*\t)")


def _cell_ends(text: str, pos: int) -> bool:
    """Nothing but white space follows ``pos`` in its table cell (or line run)."""
    return bool(_CELL_END_RE.match(text, pos))


def _alone_in_cell(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is all its cell or line holds (punctuation aside)."""
    i = start
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    if i > 0 and text[i - 1] not in "\t\n\r(":
        return False
    j = end
    while j < len(text) and text[j] in " \u00a0.,;:)":
        j += 1
    return j >= len(text) or text[j] in "\t\n\r"


_NOT_COUNTED = frozenset({"VERB", "INFN", "GRND", "ADVB", "PREP", "CONJ", "PRCL", "PRED"})


def _counted_noun_follows(text: str, end: int) -> bool:
    """"на 2000 осіб", "у 2000 нових місцях": a bare number before a noun (or its
    adjective) counts things; before a verb ("у 2013 повідомила") it is a year."""
    m = _NEXT_WORD_RE.match(text, end)
    if m is None or not m.group(1)[:1].islower():
        return False
    from ..morph import parses  # loaded only for this rare case

    return not any(p.tag.POS in _NOT_COUNTED for p in parses(m.group(1).lower()))


# --------------------------------------------------------------------------- public API


def scan(text: str) -> list[Found]:
    """Every date expression of ``text``, in order, not overlapping."""
    return list(_scan_cached(text)) if len(text) <= 500 else _Parser(text).parse()


@lru_cache(maxsize=20_000)
def _scan_cached(text: str) -> tuple[Found, ...]:
    # Deadline cells repeat ("Протягом року", "Щоквартально"): parse each wording once.
    return tuple(_Parser(text).parse())


def period_year(period: Period | None) -> int | None:
    """The plan's year when its period is one calendar year (else None)."""
    if period is None or not period.start or not period.end:
        return None
    start, end = period.start[:4], period.end[:4]
    return int(start) if start == end and start.isdigit() else None


def resolve(value: DateValue, anchor: int | None) -> dict[str, Any]:
    """The contract's norm of ``value``; units without a year are read in ``anchor``."""
    norm: dict[str, Any] = {"kind": value.kind, "start": None, "end": None, "rrule": None}
    kind = value.kind
    if kind == "recurrence":
        norm["rrule"] = value.rrule
        return norm
    if kind in ("ongoing", "dangling") or value.first is None:
        norm["kind"] = "ongoing"
        return norm
    first, last = value.first, value.last
    if kind == "point":
        day = _last_day(first, anchor) if value.edge == "last" else _first_day(first, anchor)
        norm.update(kind="date", start=_iso(day), end=_iso(day))
        return norm
    start = _first_day(first, anchor)
    if kind == "from" and last is None:
        norm.update(kind="interval", start=_iso(start))
        return norm
    end = _last_day(last or first, anchor)
    norm.update(kind="interval", start=_iso(start), end=_iso(end))
    return norm


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _best(found: list[Found]) -> Found | None:
    """The expression a mention's text stands for: the longest (the first of equals)."""
    usable = [f for f in found if f.value.kind != "dangling"]
    if not usable:
        return None
    return max(usable, key=lambda f: (f.end - f.start, -f.start))


def normalise_date(text: str, period: Period | None, hints: dict[str, Any]) -> dict[str, Any] | None:
    """The norm of a DATE mention.

    ``hints["value"]`` is the tagger's reading (it saw the neighbours: the year after a
    list, a page-break continuation, the yearly rule before a bracketed day) and
    ``hints["anchor_year"]`` the year bare units belong to (the sentence's, the report
    section's or the plan's). Without hints the text alone is read, in the plan's year.
    """
    hints = hints or {}
    value = hints.get("value")
    if not isinstance(value, DateValue):
        best = _best(scan(text))
        if best is None:
            return None
        value = best.value
    anchor = hints["anchor_year"] if "anchor_year" in hints else period_year(period)
    return resolve(value, anchor)


def normalise_deadline(text: str, period: Period | None) -> dict[str, Any] | None:
    """The norm of a measure's raw deadline text.

    One time expression gives its norm ("Протягом року (за потреби)" → the plan's year,
    with the condition noted). Several are all listed in ``parts``; the norm itself is
    the span from the first to the last when all are intervals ("Лютий, червень,
    листопад", "I, III квартал"), the most specific rule when a rule is refined ("щороку
    (до 10 січня)"), else the first one. A deadline without a time expression ("За
    потреби", "За окремим графіком", "Після припинення дії воєнного стану") is
    ``kind: "condition"`` with its text; an empty one (or a bare dash) is None.
    """
    if text is None or not _MEANINGFUL_RE.search(text):
        return None  # empty, or a dash for "no deadline"
    found = [f for f in scan(text) if f.value.kind != "dangling"]
    anchor = period_year(period)
    if not found:
        return {"kind": "condition", "start": None, "end": None, "rrule": None, "text": " ".join(text.split())}
    norms = [resolve(f.value, anchor) for f in found]
    norm = _combine(norms)
    if len(found) > 1:
        norm["parts"] = [n | {"text": text[f.start : f.end]} for f, n in zip(found, norms)]
    condition = _condition_in(text)
    if condition:
        norm["condition"] = condition
    return norm


_MEANINGFUL_RE = re.compile(r"[^\W_]")


def _combine(norms: list[dict[str, Any]]) -> dict[str, Any]:
    """One norm for a deadline's expressions (see :func:`normalise_deadline`)."""
    first = norms[0]
    if len(norms) == 1:
        return dict(first)
    if all(n["kind"] == "interval" and n["start"] and n["end"] for n in norms):
        return {"kind": "interval", "start": min(n["start"] for n in norms),
                "end": max(n["end"] for n in norms), "rrule": None}
    if all(n["kind"] == "recurrence" for n in norms):
        rules = [_parse_rule(n["rrule"]) for n in norms]
        base = rules[0]
        same = all(r["FREQ"] == base["FREQ"] and r.get("INTERVAL") == base.get("INTERVAL") for r in rules)
        if same:
            return dict(norms[max(range(len(rules)), key=lambda k: len(rules[k]))])
    return dict(first)


@lru_cache(maxsize=20_000)
def _condition_in(text: str) -> str | None:
    # cached: deadline cells repeat their wording throughout a plan
    low = canon(text)
    for phrase, pattern in _condition_patterns():
        if pattern.search(low):
            return phrase
    return None


@lru_cache(maxsize=1)
def _condition_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each condition phrase as a whole-word pattern, compiled once, in the vocabulary's
    order (the first phrase found is the one reported)."""
    return tuple((phrase, re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")) for phrase in vocabulary().conditions)


def is_condition(text: str) -> bool:
    """A deadline that names a condition and no time ("За потреби")."""
    return bool(text and text.strip()) and not [f for f in scan(text) if f.value.kind != "dangling"]

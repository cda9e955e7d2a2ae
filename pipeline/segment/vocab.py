"""The plan vocabulary of ``data/calendar.toml``, compiled once.

The words that recognise header rows, month headings, executor and timing notes live in a
reviewable data file rather than in code, so that a new plan's wording is a data change.
"""
from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parser
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_data


# Column roles of a plan table, in the order a header cell is tried against them.
ROLES = ("number", "text", "deadline", "executors", "indicator", "purpose", "note")


def _any(patterns: list[str], whole: bool = True) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^(?:{body})$" if whole else body, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    month_heading: re.Pattern[str]  # one grid column heading, whole cell
    header_roles: dict[str, re.Pattern[str]]  # role -> whole-cell pattern
    executor_note: re.Pattern[str]  # opens an executor note: "відп."
    timing: re.Pattern[str]  # a timing expression anywhere in a note
    trailing_recurrence: re.Pattern[str]
    person_and: str
    period_heading: re.Pattern[str]
    direction_heading: re.Pattern[str]
    appendix_heading: re.Pattern[str]
    front_matter: re.Pattern[str]
    max_heading_words: int


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_data("calendar")
    # Month names are shared with the date normaliser: the first form of each is the
    # nominative a calendar column is headed with, all forms mark a timing note.
    month_forms = load_data("dates")["months"]
    months = {
        "nominative": [forms[0] for forms in month_forms.values()],
        "forms": "(?:" + "|".join(re.escape(f) for forms in month_forms.values() for f in forms) + ")",
    }
    grid = data["grid"]
    single = "|".join([*(re.escape(m) for m in months["nominative"]), *grid["period_headings"]])
    one = rf"(?:{single}){grid['year_suffix']}"
    month_heading = re.compile(rf"^{one}(?:{grid['range_dash']}{one})?$", re.IGNORECASE)
    header = data["header"]
    notes = data["notes"]
    # Not inside a word; a digit may precede ("1раз на місяць").
    timing = [rf"(?<![^\W\d_]){months['forms']}(?!\w)", *(rf"(?<![^\W\d_])(?:{p})(?!\w)" for p in notes["timing"])]
    heads = data["headings"]
    return Vocabulary(
        month_heading=month_heading,
        header_roles={role: _any(header[role]) for role in ROLES},
        executor_note=re.compile(notes["executor_prefix"], re.IGNORECASE),
        timing=_any(timing, whole=False),
        trailing_recurrence=re.compile(notes["trailing_recurrence"], re.IGNORECASE),
        person_and=notes["person_and"],
        period_heading=re.compile(rf"^{heads['period']}$", re.IGNORECASE),
        direction_heading=re.compile(heads["direction"], re.IGNORECASE),
        appendix_heading=re.compile(rf"^{heads['appendix']}", re.IGNORECASE),
        front_matter=_any(heads["front_matter"]),
        max_heading_words=int(heads["max_heading_words"]),
    )


# --------------------------------------------------------------------------- pattern edges
#
# A pattern that opens with optional or many alternatives gives the engine no quick way to
# skip text: it is tried at every position. The characters a match can start (or end) with
# make a cheap test to run first. They are read from the parsed pattern, so the vocabulary
# stays the one source; where the parse does not tell, there is no test.


def parse_pattern(regex: str, flags: int) -> tuple[list, int]:
    """The top-level items of ``regex`` as the engine parses it, and its flags (inline
    ones included)."""
    parsed = _sre_parser.parse(regex, flags)
    return list(parsed.data), parsed.state.flags


def final_char_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The characters a match of ``pattern``, anchored at the end (``…$``), can end with,
    as a class; None when that cannot be told (no ``$`` at the end, ``$`` matching at
    every line end, a match that may end with any character)."""
    items, flags = parse_pattern(pattern.pattern, pattern.flags)
    if flags & re.MULTILINE or not items or items[-1] != (_sre.AT, _sre.AT_END):
        return None
    return edge_class(items[:-1], flags, last=True)


def edge_class(items: list, flags: int, *, last: bool = False) -> re.Pattern[str] | None:
    """A one-character pattern that matches every character a match of the parsed
    ``items`` can start with (``last``: end with), folding case as the pattern does; None
    when the parse does not tell (a category class, a back-reference, local flags, a
    match that may be empty)."""
    chars, nullable = _edge_chars(items, last)
    if chars is None or nullable or not chars:
        return None
    body = "".join(re.escape(ch) for ch in sorted(chars))
    return re.compile(f"[{body}]", flags & (re.IGNORECASE | re.ASCII))


def _edge_chars(items: list, last: bool) -> tuple[set[str] | None, bool]:
    """The characters a match of ``items`` can start (or end) with — None: not a known few
    — and whether it can match the empty string."""
    chars: set[str] = set()
    for op, av in reversed(items) if last else items:
        if op is _sre.LITERAL:
            got, nullable = {chr(av)}, False
        elif op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
            got, nullable = {chr(v) for _, v in av}, False
        elif op is _sre.BRANCH:
            got, nullable = set(), False
            for alternative in av[1]:
                alt, alt_nullable = _edge_chars(list(alternative.data), last)
                if alt is None:
                    return None, False
                got |= alt
                nullable = nullable or alt_nullable
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:  # a group without local flags
            got, nullable = _edge_chars(list(av[3].data), last)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            got, nullable = _edge_chars(list(av[2].data), last)
            nullable = nullable or av[0] == 0
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            got, nullable = set(), True  # zero width: the character comes from the next item
        else:
            return None, False
        if got is None:
            return None, False
        chars |= got
        if not nullable:
            return chars, False
    return chars, True

"""The plan vocabulary of ``data/calendar.toml``, compiled once.

The words that recognise header rows, month headings, executor and timing notes live in a
reviewable data file rather than in code, so that a new plan's wording is a data change.
"""
from __future__ import annotations

import re
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

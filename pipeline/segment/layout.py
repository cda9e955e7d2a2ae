"""What every layout parser returns, and how the dispatcher merges the results."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Measure, Section


@dataclass(slots=True)
class LayoutResult:
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    # Character ranges of the text this parser has interpreted; later parsers leave them alone.
    claimed: list[tuple[int, int]] = field(default_factory=list)

    def merge(self, other: "LayoutResult") -> "LayoutResult":
        return LayoutResult(
            sections=self.sections + other.sections,
            measures=self.measures + other.measures,
            claimed=sorted(self.claimed + other.claimed),
        )


def is_claimed(claimed: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps a claimed range."""
    return any(s < end and start < e for s, e in claimed)


def claimed_flags(claimed: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[bool]:
    """``is_claimed(claimed, start, end)`` for each of ``spans``, whose starts and ends
    must both be in order (the lines of a text): one sweep instead of a scan of
    ``claimed`` per span."""
    ranges = sorted(claimed)
    out: list[bool] = []
    k = 0  # ranges[:k] are those that start before the current span ends
    furthest = float("-inf")  # the furthest end among ranges[:k]
    for start, end in spans:
        while k < len(ranges) and ranges[k][0] < end:
            furthest = max(furthest, ranges[k][1])
            k += 1
        out.append(furthest > start)
    return out


def assign_sections(sections: list[Section], measures: list[Measure]) -> tuple[list[Section], list[Measure]]:
    """Order sections and measures by position, link each section to its parent and give a
    measure without a section the innermost heading (not task) that precedes it."""
    sections = sorted(sections, key=lambda s: s.start)
    stack: list[int] = []
    for i, sec in enumerate(sections):
        while stack and sections[stack[-1]].level >= sec.level:
            stack.pop()
        sec.parent = stack[-1] if stack else None
        stack.append(i)
    headings = [s for s in sections if s.kind == "section"]
    measures = sorted(measures, key=lambda m: m.start)
    j = -1
    for m in measures:
        while j + 1 < len(headings) and headings[j + 1].start <= m.start:
            j += 1
        if m.section is None and j >= 0:
            m.section = headings[j].title
    return sections, measures

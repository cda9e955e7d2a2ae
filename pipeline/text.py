"""Offset-preserving text utilities shared by every stage.

The text exports we receive carry markup (``**bold**``, ``<p>…</p>``, ``<ol …>``,
``[bookmark: _GoBack]``, ``--→---`` table rules). Rather than strip it, which would shift
every offset after it, :func:`mask_markup` overwrites it with spaces of the same length:
any position in the masked text is the same position in the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Markup the exporters leave in the text. Each alternative matches only markup, never words.
MARKUP_RE = re.compile(
    r"""
      \[bookmark:[^\]\n]*\]                     # Word bookmarks exported as text
    | </?(?:p|ol|ul|li|br|b|i|u|strong|em|span|div)\b[^>\n]*>   # stray HTML tags
    | \*\*                                      # markdown bold
    | (?m:^[ \t]*-{2,}(?:[ \t]+-{2,})*[ \t]*(?=\r?$))  # table rules "--\t---\t--", any line end
    """,
    re.VERBOSE | re.IGNORECASE,
)

_SPACE_RUN = re.compile(r"\s+")
# Apostrophe variants are kept as written: the gold copies text "as written".


def mask_markup(text: str) -> str:
    """Return ``text`` with markup replaced by spaces; length and line breaks are kept."""
    return MARKUP_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def clean(raw: str | None) -> str:
    """A field value as the guidelines want it: markup removed, white space collapsed."""
    if not raw:
        return ""
    return _SPACE_RUN.sub(" ", MARKUP_RE.sub(" ", raw)).strip()


def clean_or_none(raw: str | None) -> str | None:
    value = clean(raw)
    return value or None


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the document: ``text[start:end]``, its end-of-line characters excluded."""

    start: int
    end: int
    text: str


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[Line]:
    """Split on CRLF, lone CR and LF alike, keeping source offsets."""
    lines: list[Line] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        lines.append(Line(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    lines.append(Line(pos, len(text), text[pos:]))
    return lines


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``[start, end)`` so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def nesting_depths(text: str) -> list[int]:
    """Bracket and quote nesting before each character of ``text`` (unbalanced closers
    ignored): a comma or label inside «…» or (…) is part of a name, not a field boundary."""
    depth = 0
    out = []
    for ch in text:
        out.append(depth)
        if ch in "(«“":
            depth += 1
        elif ch in ")»”" and depth:
            depth -= 1
    return out

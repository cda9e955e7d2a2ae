"""Offset-preserving text utilities shared by every stage.

The text exports we receive carry markup (``**bold**``, ``<p>…</p>``, ``<ol …>``,
``[bookmark: _GoBack]``, ``--→---`` table rules). Rather than strip it, which would shift
every offset after it, :func:`mask_markup` overwrites it with spaces of the same length:
any position in the masked text is the same position in the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

# Apostrophe variants are kept as written: the gold copies text "as written".


def mask_markup(text: str) -> str:
    """Return ``text`` with markup replaced by spaces; length and line breaks are kept."""
    return MARKUP_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def clean(raw: str | None) -> str:
    """A field value as the guidelines want it: markup removed, white space collapsed."""
    if not raw:
        return ""
    return _clean(raw)


# Field values repeat (deadlines, executors, column headings, cells cleaned by one parser
# and again by the next): the last few thousand are kept.
@lru_cache(maxsize=8192)
def _clean(raw: str) -> str:
    # Every alternative of MARKUP_RE contains one of these literally; most field values
    # hold none, and the substring tests cost a fraction of the regex.
    if "<" in raw or "[" in raw or "**" in raw or "--" in raw:
        raw = MARKUP_RE.sub(" ", raw)
    # str.split() splits on exactly the characters r"\s" matches, so this is
    # re.sub(r"\s+", " ", raw).strip(), without the regex.
    return " ".join(raw.split())


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
    """Split on CRLF, lone CR and LF alike, keeping source offsets.

    The result is a new list the caller may change; the lines themselves are shared.
    """
    return list(_split_lines_cached(text))


# Several layout parsers split the same document (often the same string: masking leaves a
# text without markup unchanged), one after another: the last few splits are kept.
@lru_cache(maxsize=4)
def _split_lines_cached(text: str) -> tuple[Line, ...]:
    lines: list[Line] = []
    append = lines.append
    pos = 0
    if "\r" not in text:
        # Only LF breaks: str.split is much faster than the regex, offsets are cumulative.
        for part in text.split("\n"):
            end = pos + len(part)
            append(Line(pos, end, part))
            pos = end + 1
        return tuple(lines)
    for m in _LINE_BREAK.finditer(text):
        append(Line(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    append(Line(pos, len(text), text[pos:]))
    return tuple(lines)


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``[start, end)`` so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_BRACKET_RE = re.compile(r"[(«“)»”]")


def nesting_depths(text: str) -> list[int]:
    """Bracket and quote nesting before each character of ``text`` (unbalanced closers
    ignored): a comma or label inside «…» or (…) is part of a name, not a field boundary."""
    out = [0] * len(text)
    depth = 0
    since = 0  # the first character whose depth is ``depth``
    # The depth changes only at brackets: fill the runs between them, not each character.
    for m in _BRACKET_RE.finditer(text):
        at = m.start()
        if text[at] in "(«“":
            changed = depth + 1
        elif depth:
            changed = depth - 1
        else:
            continue
        if depth:
            out[since : at + 1] = [depth] * (at + 1 - since)
        depth, since = changed, at + 1
    if depth:
        out[since:] = [depth] * (len(text) - since)
    return out

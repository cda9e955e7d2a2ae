"""Abbreviations a document defines for itself.

Plans define their abbreviations in two ways, and both tell the taggers what an all-caps
token stands for (the canonical name of a body) and whether it names a body at all
(``КМЦСС`` does, ``ВПО`` — internally displaced persons — does not):

- a glossary (``Основні скорочення``, ``Перелік скорочень``): one definition a line,
  ``- КМЦСС – Київський міський центр соціальних служб;`` (the exporters' ``**`` bold
  markers are already masked to spaces);
- inline, right after the full name: ``Центр соціальних служб … (надалі - ЦСС ПМР ДО)``,
  ``(далі – Центр)``, ``Дитячим фондом ООН (Юнісеф)``.

This module finds the definitions and their offsets; whether an expansion names a body
is for the organisation tagger to judge (it knows the grammar of body names).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

_UP = "A-ZА-ЯІЇЄҐ"
_LOW = "a-zа-яіїєґ'’ʼ"
# An abbreviation: an all-caps word ("КМЦСС", "ВІЛ/СНІД", "ЦСС ПМР ДО"), or a
# capitalised contraction with a second capital or the "Мін…" of a ministry
# ("ПрАТ", "Мінсоцполітики").
_ABBR_WORD = rf"(?:[{_UP}][{_UP}0-9]+(?:[-/][{_UP}0-9]+)*[{_LOW}]{{0,2}}|[{_UP}][{_LOW}]*[{_UP}][{_UP}{_LOW}]*|Мін[{_LOW}]{{3,}})"
_ABBR = rf"{_ABBR_WORD}(?:[ ]{_ABBR_WORD}){{0,3}}"
_DASH = r"[-–—]"

# One glossary line: optional bullet, the abbreviation, a dash, the expansion up to the
# end of the line (a final ";" or "." excluded).
GLOSSARY_LINE_RE = re.compile(
    rf"^[ \t]*(?:[-–—•·*▪][ \t]*)?(?P<abbr>{_ABBR})(?:\*\*)?[ \t]*{_DASH}[ \t]*"
    rf"(?P<exp>[^\r\n;]*?[^\s;.,])[ \t]*[;.,]?[ \t]*$",
    re.MULTILINE,
)

# An inline definition after a name: "(надалі - ЦСС ПМР ДО)", "(далі – КМЦСС)",
# "(далі по тексту – Центр)", or just "(ЮНІСЕФ)".
INLINE_RE = re.compile(
    rf"\((?P<explicit>[ \t]*(?:надалі|далі)(?:[ \t]+по[ \t]+тексту)?[ \t]*{_DASH}?[ \t]*)?[«\"“]?"
    rf"(?P<abbr>{_ABBR})[»\"”]?[ \t]*\)",
)

# A reversed inline definition: "ОВА (обласна військова адміністрація)".
REVERSED_RE = re.compile(
    rf"(?<![{_UP}{_LOW}])(?P<abbr>{_ABBR_WORD})[ \t]+\((?P<exp>[{_UP}{_LOW}][{_LOW}{_UP}’'ʼ \-]{{8,120}})\)"
)


def _class_chars(spec: str) -> frozenset[str]:
    """The characters of a regex class body made of single characters and ranges
    (``"a-zа-яіїєґ'’ʼ"``)."""
    out: set[str] = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.update(map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1)))
            i += 3
        else:
            out.add(spec[i])
            i += 1
    return frozenset(out)


_UPPER_CHARS = _class_chars(_UP)
# what _ABBR_WORD is made of: capitals, small letters, apostrophes, digits, "-" and "/"
_ABBR_CHARS = _class_chars(_UP + _LOW + "0-9") | {"-", "/"}


def _reversed_matches(text: str) -> Iterator[re.Match[str]]:
    """``REVERSED_RE.finditer(text)``, found from the brackets.

    The regex opens with a look-behind, so the engine would try it at every position of the
    text. A match is an abbreviation, white space and "(": its abbreviation lies in the run
    of abbreviation characters that ends at the white space before a "(" (those characters
    include no white space), so it is tried only at the capitals of those runs.
    """
    resume = 0  # finditer goes on after the end of each match
    next_paren = text.find("(")
    while next_paren != -1:
        paren, next_paren = next_paren, text.find("(", next_paren + 1)
        k = paren
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k == paren:
            continue  # no white space before the bracket
        ws_start = k
        while k > 0 and text[k - 1] in _ABBR_CHARS:
            k -= 1
        for start in range(max(k, resume), ws_start):
            if text[start] in _UPPER_CHARS:
                m = REVERSED_RE.match(text, start)
                if m:
                    yield m
                    resume = m.end()
                    break


@dataclass(frozen=True, slots=True)
class Definition:
    """``abbr`` defined as ``text[exp_start:exp_end]``.

    ``kind`` is ``"glossary"`` or ``"reversed"`` (the expansion is known), or
    ``"inline"``: the expansion is the name written right before ``open_paren``, which
    the caller finds (it ends where the name ends).
    """

    abbr: str
    abbr_start: int
    abbr_end: int
    exp_start: int | None
    exp_end: int | None
    kind: str
    open_paren: int | None = None
    # True for "(надалі - …)": the writer says it is a definition. A bare "(ЮНІСЕФ)" is
    # one only when the letters fit the name before it.
    explicit: bool = False


def _is_real_abbreviation(abbr: str) -> bool:
    """Roman numerals and one-letter words are not abbreviations ("II – …" is a list)."""
    letters = abbr.replace(" ", "").replace("-", "").replace("/", "")
    if len(letters) < 2:
        return False
    return not re.fullmatch(r"[IVXLCІХУ]+", letters)


def find_definitions(text: str) -> list[Definition]:
    """All glossary, inline and reversed definitions of the text, in text order."""
    found: list[Definition] = []
    for m in GLOSSARY_LINE_RE.finditer(text):
        abbr = m.group("abbr")
        if not _is_real_abbreviation(abbr):
            continue
        found.append(Definition(abbr, m.start("abbr"), m.end("abbr"), m.start("exp"), m.end("exp"), "glossary"))
    for m in INLINE_RE.finditer(text):
        abbr = m.group("abbr")
        if _is_real_abbreviation(abbr):
            found.append(
                Definition(abbr, m.start("abbr"), m.end("abbr"), None, None, "inline", m.start(), bool(m.group("explicit")))
            )
    for m in _reversed_matches(text):
        abbr = m.group("abbr")
        # "РЦСС (за потребою інших …)" is a remark, not a definition: the letters must fit.
        if _is_real_abbreviation(abbr) and initials_match(abbr, m.group("exp")):
            found.append(Definition(abbr, m.start("abbr"), m.end("abbr"), m.start("exp"), m.end("exp"), "reversed"))
    found.sort(key=lambda d: d.abbr_start)
    return found


# Words an abbreviation skips ("ЦСССДМ" = центр соціальних служб для сім'ї, дітей та молоді).
FUNCTION_WORDS = frozenset(
    "та і й з із зі у в для по при до на від of and the for".split()
)
_WORD_RE = re.compile(rf"[{_UP}{_LOW}]+(?:-[{_UP}{_LOW}]+)*")


@lru_cache(maxsize=20_000)
def initials(words: str) -> str:
    """Upper-case initials of the content words ("інклюзивно-ресурсний" gives "ІР").

    Cached: the organisation tagger asks for the initials of every body's name."""
    out: list[str] = []
    for word in _WORD_RE.findall(words):
        if word.lower() in FUNCTION_WORDS:
            continue
        if word.isupper() and len(word) > 1:  # an abbreviation inside the name counts whole
            out.append(word)
            continue
        out.extend(part[0].upper() for part in word.split("-") if part)
    return "".join(out)


def initials_match(abbr: str, words: str) -> bool:
    """Whether ``abbr`` abbreviates ``words`` (hyphenated words may give one letter or two)."""
    letters = re.sub(r"[^A-ZА-ЯІЇЄҐ]", "", abbr.upper())
    full = initials(words)
    if letters == full:
        return True
    # "інклюзивно-ресурсний центр" is both ІРЦ and РЦ; try one letter per hyphenated word.
    short = "".join(
        w[0].upper() for w in _WORD_RE.findall(words) if w.lower() not in FUNCTION_WORDS
    )
    return letters == short

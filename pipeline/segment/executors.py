"""Split an executors cell into the individual persons, bodies and roles it names.

The guidelines: split at the commas, semicolons and line breaks that separate persons,
bodies or roles, never inside a body's name (``сектор охорони здоров’я, молоді та
спорту``); keep each part as written, qualifiers included (``(за згодою)``,
``– узагальнення``). Names written one after another without a comma
(``Колобова Я.В. Пітателєва Т.Є.``) are separate executors too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import morph
from ..resources import load_data
from ..text import clean

# A surname with initials, in either order, glued forms and a missing final dot included:
# "Пітателєва Т.Є.", "МальцеваК.В.", "Турченко Т.М", "Т.Є. Пітателєва", "Остролуцька Л.".
_UP = "А-ЯҐЄІЇ"
_LOW = "а-яґєії'’ʼ"
SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?"
INITIALS = rf"[{_UP}]\.\s?(?:[{_UP}]\.?)?"
PERSON_RE = re.compile(rf"(?:{SURNAME}\s?{INITIALS}|{INITIALS}\s?{SURNAME})")

_VOCABULARY = load_data("executors")
HEAD_NOUNS = frozenset(_VOCABULARY["head_nouns"])
HEAD_ABBREVIATIONS = frozenset(_VOCABULARY["head_abbreviations"])
_SPLIT_RE = re.compile(r"(\s*(?:[;\n]+|,)\s*)")
_WORD_RE = re.compile(rf"[{_UP}{_LOW}A-Za-z-]+")


@lru_cache(maxsize=50_000)
def _first_noun(part: str) -> tuple[str, bool] | None:
    """(lemma, is plural) of the first noun of ``part``, adjectives before it skipped."""
    for word in _WORD_RE.findall(part)[:6]:
        parses = morph.parses(word.lower())
        if not parses:
            return None
        best = parses[0]
        if best.tag.POS in ("ADJF", "PRTF") and best.normal_form not in HEAD_NOUNS:
            continue
        return best.normal_form, best.tag.number == "plur"
    return None


def _starts_new_executor(part: str, after_person: bool = False) -> bool:
    """Does this part, found after a separator, name a new executor?"""
    if not part:
        return False
    if part[0] == "(":
        return False  # a qualifier such as "(за згодою)"
    if part[0].isupper() or part[0] in "«\"" or part[0].isdigit():
        return True
    if PERSON_RE.match(part):
        return True
    first_word = _WORD_RE.match(part)
    if first_word and first_word.group().lower() in HEAD_ABBREVIATIONS:
        return True
    noun = _first_noun(part)
    if noun is None or noun[0] not in HEAD_NOUNS:
        return False
    lemma, plural = noun
    # "Остролицька Л., методист": a bare position word after a name describes that person;
    # "Мальцева К.В., психолог центру" names a second executor.
    describes_person = after_person and not plural and len(_WORD_RE.findall(part)) == 1
    return not describes_person


def _split_glued_persons(part: str) -> list[str]:
    """``Колобова Я.В. Пітателєва Т.Є.`` → two names; ``Скоренко Л.П. залучені …`` → two."""
    pieces: list[str] = []
    rest = part
    while True:
        m = PERSON_RE.match(rest)
        if not m:
            break
        end = m.end()
        tail = rest[end:]
        if not tail.strip():
            break
        # Only split when what follows is a new executor, not a qualifier ("– узагальнення").
        nxt = tail.lstrip()
        if nxt[:1] in "–-—(" or not tail[:1].isspace():
            break
        if not (PERSON_RE.match(nxt) or _starts_new_executor(nxt)):
            break
        pieces.append(rest[:end].strip())
        rest = nxt
    pieces.append(rest.strip())
    return [p for p in pieces if p]


# Two names joined by a conjunction are two executors ("Скоренко Л.П. та Шелест Н.О."); a
# conjunction inside a role or body ("Фахівці та психолог центру") is not touched.
_JOINED_PERSONS_RE = re.compile(rf"({PERSON_RE.pattern})\s+(?:та|і|й|and)\s+(?={PERSON_RE.pattern})")


def split_executors(raw: str | None) -> list[str]:
    """The executors of one cell, each as written (white space collapsed, markup removed)."""
    if not raw:
        return []
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _JOINED_PERSONS_RE.sub(r"\1\n", text)
    pieces = _SPLIT_RE.split(text)
    parts: list[str] = []
    separator = ""
    for i, piece in enumerate(pieces):
        if i % 2:  # a separator: remember it in case the next token continues this part
            separator = clean(piece) or " "
            continue
        token = clean(piece)
        if not token:
            continue
        if parts and not _starts_new_executor(token, after_person=bool(PERSON_RE.fullmatch(parts[-1]))):
            # A continuation keeps the punctuation it was written with.
            parts[-1] = f"{parts[-1]}{separator if separator == ' ' else separator + ' '}{token}"
        else:
            parts.append(token)
    result: list[str] = []
    for part in parts:
        result.extend(_split_glued_persons(part))
    return result

"""Split an executors cell into the individual persons, bodies and roles it names.

The guidelines: split at the commas, semicolons and line breaks that separate persons,
bodies or roles, never inside a body's name (``сектор охорони здоров’я, молоді та
спорту``); keep each part as written, qualifiers included (``(за згодою)``,
``– узагальнення``). Names written one after another without a comma
(``Колобова Я.В. Пітателєва Т.Є.``) are separate executors too.
"""
from __future__ import annotations

import re

from ..text import clean

# A surname with initials, in either order, glued forms and a missing final dot included:
# "Пітателєва Т.Є.", "МальцеваК.В.", "Турченко Т.М", "Т.Є. Пітателєва", "Остролуцька Л.".
_UP = "А-ЯҐЄІЇ"
_LOW = "а-яґєії'’ʼ"
SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?"
INITIALS = rf"[{_UP}]\.\s?(?:[{_UP}]\.?)?"
PERSON_RE = re.compile(rf"(?:{SURNAME}\s?{INITIALS}|{INITIALS}\s?{SURNAME})")

# Words that open the name of a body or a group of people when written in lower case
# after a comma; a lower-case continuation that is none of these stays with the part
# before it ("сектор охорони здоров’я, молоді та спорту").
_HEAD_WORDS = (
    "управління", "відділ", "відділи", "служба", "служби", "сектор", "департамент", "центр",
    "центри", "фінансове", "виконавчий", "виконком", "комісія", "рада", "органи", "заклади",
    "фахівці", "фахівець", "спеціалісти", "спеціаліст", "психолог", "психологи", "директор",
    "директори", "начальник", "начальники", "керівник", "керівники", "члени", "відповідальні",
    "відповідальний", "залучені", "соціальні", "працівники", "районний", "міський", "обласний",
    "територіальний", "громадські", "благодійні", "кну", "кнп", "кп", "ку", "го", "бо",
)
_SPLIT_RE = re.compile(r"(\s*(?:[;\n]+|,)\s*)")


def _starts_new_executor(part: str) -> bool:
    if not part:
        return False
    if part[0].isupper() or part[0] in "«\"(" or part[0].isdigit():
        return not part.startswith("(")
    first = re.split(r"[\s,]", part, maxsplit=1)[0].lower()
    return first in _HEAD_WORDS or bool(PERSON_RE.match(part))


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


def split_executors(raw: str | None) -> list[str]:
    """The executors of one cell, each as written (white space collapsed, markup removed)."""
    if not raw:
        return []
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
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
        if parts and not _starts_new_executor(token):
            # A continuation keeps the punctuation it was written with.
            parts[-1] = f"{parts[-1]}{separator if separator == ' ' else separator + ' '}{token}"
        else:
            parts.append(token)
    result: list[str] = []
    for part in parts:
        result.extend(_split_glued_persons(part))
    return result

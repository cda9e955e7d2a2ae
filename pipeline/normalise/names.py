"""Person names → their nominative "Surname I.P." key, with the parts written in full.

A plan writes one person many ways: ``Мальцева К.В.``, ``МальцеваК.В.``, ``Мальцевою К.В.``,
``Мальцева Ксенія Валеріївна``, ``К.В. Мальцева``, ``Катерина ЯХНО``. The linker groups
mentions by ``norm["name"]``, so every form must give the same key. pymorphy3's ``Surn``,
``Name`` and ``Patr`` tags (via the cached :mod:`pipeline.morph`) tell the parts apart and
give the nominative; the given name and patronymic also fix the surname's gender and case,
which an initials form leaves open.

The same morphology helpers serve the tagger (:mod:`pipeline.tag.persons`), which must
decide whether a capitalised word can be a surname, a given name or a patronymic.

Programme names get the same treatment (:func:`normalise_program`: the head phrase in the
nominative). Within one document :func:`add_canonical_names` joins spelling variants of a
person (``Пітателєва``/``Пітателева``, ``Остролицька Л.`` → ``Остролуцька Л.І.``) and shorter
citations of a programme into ``norm["canonical"]``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from ..resources import load_data
from .. import morph

UPPER = "A-ZА-ЯЄІЇҐ"
LOWER = "a-zа-яєіїґ"
APOSTROPHES = "'’ʼ`"

# A name word as written: capitalised (``Мальцева``, ``Семен-Оглу``, ``Дем’яненко``) or in
# capitals (``ЯХНО``). An initial is a lone capital letter (its dot may be missing).
_WORD_RE = re.compile(
    rf"[{UPPER}][{LOWER}{APOSTROPHES}]+(?:-[{UPPER}][{LOWER}{APOSTROPHES}]+)*"
    rf"|[{UPPER}]{{2,}}(?:[{APOSTROPHES}][{UPPER}]+)*(?:-[{UPPER}]{{2,}})*(?![{LOWER}])"
    rf"|(?P<initial>[{UPPER}])(?![{LOWER}{UPPER}])"
)
_APOS_RE = re.compile(f"[{APOSTROPHES}]")

def lookup_form(word: str) -> str:
    """The form pymorphy3's dictionary knows: lower case, ASCII apostrophe."""
    return _APOS_RE.sub("'", word.lower())


def _parses(word: str) -> tuple:
    return morph.parses(lookup_form(word))


@lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """Is the word form in the dictionary (not a guess)? pymorphy3's ``Parse.is_known``
    repeats a dictionary walk on every call; the answer is the same for the whole form."""
    return morph.analyzer().word_is_known(lookup_form(word))




@lru_cache(maxsize=1)
def _patronymic_table() -> list[tuple[str, str, str, str]]:
    """(stem ending, case ending, case, gender) rows, longest written ending first."""
    data = load_data("persons")["patronymics"]
    rows = []
    for gender, stems, endings in (
        ("masc", data["masculine_stems"], data["masculine_endings"]),
        ("femn", data["feminine_stems"], data["feminine_endings"]),
    ):
        for stem in stems:
            for case, forms in endings.items():
                rows.extend((stem, ending, case, gender) for ending in forms)
    rows.sort(key=lambda r: -len(r[0] + r[1]))
    return rows


def _patronymic_by_ending(word: str) -> list[tuple[str, str, str]]:
    """(case, gender, nominative) readings a patronymic's ending gives."""
    low = word.lower()
    found = []
    for stem, ending, case, gender in _patronymic_table():
        if low.endswith(stem + ending) and len(low) > len(stem + ending) + 2:
            base = low[: len(low) - len(ending)] if ending else low
            found.append((case, gender, base if gender == "masc" else base + "а"))
    return found


@lru_cache(maxsize=50_000)
def name_readings(word: str, tag: str) -> frozenset[tuple[str | None, str | None]]:
    """(case, gender) pairs of the singular readings of ``word`` tagged ``tag``.

    For ``Name`` and ``Patr`` only dictionary readings count (pymorphy3 guesses ``Name``
    for unknown words such as ``Імпофірм``); patronymics the dictionary does not tag are
    recognised by their endings. ``Surn`` readings include guesses: rare surnames are the
    rule, not the exception.
    """
    known = is_known(word)
    found = {
        (p.tag.case, p.tag.gender)
        for p in _parses(word)
        if tag in p.tag and p.tag.number != "plur" and (tag == "Surn" or known)
    }
    if tag == "Patr" and word[:1].isupper():
        found |= {(case, gender) for case, gender, _ in _patronymic_by_ending(word)}
    return frozenset(found)


def is_given_name(word: str) -> bool:
    return bool(name_readings(word, "Name"))


def is_patronymic(word: str) -> bool:
    return bool(name_readings(word, "Patr"))


@lru_cache(maxsize=50_000)
def surname_evidence(word: str) -> str:
    """How a capitalised word fares as a surname.

    ``"surname"``: the dictionary lists it as one (``Шелест``, ``Мальцевою``);
    ``"unknown"``: the dictionary does not know it, so it may well be a rare surname
    (``Скоренко``, ``Лоріашвілі``); ``"animate"``: known only as a word for a being
    (``Коваль``); ``"adjective"``: an adjective, as surnames in ``-ський`` are
    (``Реформатського``); ``"word"``: known only as an ordinary word or a place (``Києва``).
    """
    found = _parses(word)
    known = is_known(word)
    if known and any("Surn" in p.tag for p in found):
        return "surname"
    if not found or not known:
        return "unknown"
    if any("anim" in p.tag for p in found):
        return "animate"
    if any("ADJF" in p.tag for p in found):
        return "adjective"
    return "word"


def _title(word: str) -> str:
    """``ЯХНО`` → ``Яхно``; ``семен-оглу`` → ``Семен-Оглу`` (each hyphen part capitalised)."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _restore_apostrophe(result: str, written: str) -> str:
    """pymorphy3 answers with ``'``; keep the apostrophe the document used."""
    used = _APOS_RE.search(written)
    return result.replace("'", used.group()) if used else result


# Adjectival surnames: ``-ський/-цький/-зький`` decline as adjectives (``Остролицькою`` →
# ``Остролицька``); possessive ones in ``-ов/-ев/-єв/-ин/-ін/-їн`` decline partly so
# (``Крисовим`` → ``Крисов``), and pymorphy3 guesses them as adjectives ``крисовий``.
_ADJ_SURNAME_RE = re.compile(r"(?:[сцз]ький)$")
_POSSESSIVE_SURNAME_RE = re.compile(r"(?:ов|ев|єв|ин|ін|їн)ий$")


def _adjectival_nominative(p: Any) -> str | None:
    base = p.normal_form
    gender = p.tag.gender
    if _ADJ_SURNAME_RE.search(base):
        inflected = p.inflect({"nomn", gender} if gender else {"nomn"})
        return inflected.word if inflected else base
    if _POSSESSIVE_SURNAME_RE.search(base) and gender in ("masc", "femn"):
        stem = base[:-2]
        return stem + "а" if gender == "femn" else stem
    return None


def _nominative_part(part: str, cases: set[str] | None, gender: str | None) -> str | None:
    """The nominative of one surname word, or None when nothing better than as written.

    A form that can already be nominative is kept (``Мальцева`` is both a feminine
    nominative and a masculine genitive; plans list people in the nominative). Otherwise a
    surname reading gives the nominative of its own gender (``Мальцевою`` → ``Мальцева``,
    ``Ковальчуком`` → ``Ковальчук``), then an adjectival one; ``cases``/``gender`` restrict
    the readings when a given name or patronymic fixed them.
    """
    found = _parses(part)

    def fits(p: Any) -> bool:
        return (cases is None or p.tag.case in cases) and (gender is None or p.tag.gender in (gender, None))

    known = is_known(part)
    surname_like = [p for p in found if "Surn" in p.tag or "ADJF" in p.tag or not known]
    if (cases is None or "nomn" in cases) and any(p.tag.case == "nomn" and fits(p) for p in surname_like):
        return None
    for p in found:
        if "Surn" in p.tag and fits(p):
            inflected = p.inflect({"nomn", p.tag.gender} if p.tag.gender else {"nomn"})
            return inflected.word if inflected else p.normal_form
    for p in found:
        if "ADJF" in p.tag and fits(p):
            form = _adjectival_nominative(p)
            if form:
                return form
    return None


def nominative_surname(word: str, cases: set[str] | None = None, gender: str | None = None) -> str:
    """The surname in the nominative, capitalised; as written when nothing better is known."""
    whole = _nominative_part(word, cases, gender)
    if whole is None and "-" in word and not _can_be_nominative(word):
        # Double-barrelled masculine surnames decline in both parts (``Ковальчуком-Бойком``).
        parts = [_nominative_part(part, cases, gender) or part for part in word.split("-")]
        return _restore_apostrophe(_title("-".join(parts)), word)
    if whole is None:
        return _title(word) if word.isupper() else word
    return _restore_apostrophe(_title(whole), word)


def _can_be_nominative(word: str) -> bool:
    return any(p.tag.case == "nomn" for p in _parses(word))


def _given_nominative(word: str, tag: str, cases: set[str] | None, gender: str | None) -> str:
    """A given name or patronymic in the nominative (``Ксенії`` → ``Ксенія``)."""
    readings = [
        p for p in _parses(word)
        if tag in p.tag and (cases is None or p.tag.case in cases) and (gender is None or p.tag.gender == gender)
    ]
    if not readings and tag == "Patr":
        by_ending = [n for c, g, n in _patronymic_by_ending(word)
                     if (cases is None or c in cases) and (gender is None or g == gender)]
        if by_ending:
            return _restore_apostrophe(_title(by_ending[0]), word)
    if not readings or any(p.tag.case == "nomn" for p in readings):
        return _title(word) if word.isupper() else word
    p = readings[0]
    inflected = p.inflect({"nomn"})
    return _restore_apostrophe(_title(inflected.word if inflected else p.normal_form), word)


def _agreement(words: Iterable[str], surname: str | None = None) -> tuple[set[str] | None, str | None]:
    """Case and gender shared by the given-name and patronymic words, if they fix them.

    The surname's own readings narrow them further when it has any in common
    (``Олександра Мельника`` is a man in the genitive, ``Олександра Мельник`` a woman).
    """
    readings: frozenset | None = None
    for word in words:
        here = name_readings(word, "Name") or name_readings(word, "Patr")
        readings = here if readings is None else readings & here
    if not readings:
        return None, None
    if surname:
        narrowed = readings & {(c, g) for c, g in name_readings(surname, "Surn")}
        readings = narrowed or readings
    cases = {c for c, _ in readings if c}
    genders = {g for _, g in readings if g}
    return (cases or None), (genders.pop() if len(genders) == 1 else None)


def split_name(text: str) -> tuple[list[str], list[str]]:
    """The name words and the initials of a PERSON mention, in order."""
    words: list[str] = []
    initials: list[str] = []
    for m in _WORD_RE.finditer(text):
        if m.group("initial"):
            initials.append(m.group("initial"))
        else:
            words.append(m.group())
    return words, initials


def assign_parts(words: list[str]) -> tuple[str, str | None, str | None]:
    """(surname, given name, patronymic) of a written name's words.

    Ukrainian writes ``Прізвище Ім'я По батькові`` (lists, signatures) or ``Ім'я По батькові
    Прізвище`` and, in signatures, ``Ім'я ПРІЗВИЩЕ``; the Name/Patr tags tell which is which.
    """
    if len(words) >= 3:
        first, second, third = words[:3]
        if is_given_name(second) and is_patronymic(third):
            return first, second, third
        if is_given_name(first) and is_patronymic(second):
            return third, first, second
    if len(words) == 2:
        first, second = words
        if is_patronymic(second) and is_given_name(first):
            return first, None, None  # no surname written: keep the words as they are
        if is_given_name(first) and not is_given_name(second):
            return second, first, None
        if is_given_name(first) and second.isupper():
            return second, first, None
        if is_given_name(second):
            return first, second, None
    return words[0], None, None


def normalise_person(text: str) -> dict[str, Any] | None:
    """``{"name": "Мальцева К.В.", "surname", "initials", "given"?, "patronymic"?}``.

    ``name`` is the linking key: the surname in the nominative and the initials, each with
    its dot. ``given``/``patronymic`` appear, in the nominative, when written in full.
    """
    # A plan names its people again and again in the same words: each wording is read
    # once. The caller gets its own dict (the values are strings).
    found = _normalise_person(text)
    return dict(found) if found is not None else None


@lru_cache(maxsize=8192)
def _normalise_person(text: str) -> dict[str, Any] | None:
    """The work of :func:`normalise_person`, once per wording."""
    words, initials = split_name(text)
    if not words:
        return None
    surname_word, given, patronymic = assign_parts(words)
    cases, gender = _agreement([w for w in (given, patronymic) if w], surname_word)
    surname = nominative_surname(surname_word, cases, gender)
    norm: dict[str, Any] = {"surname": surname}
    letters = list(initials)
    if given:
        norm["given"] = _given_nominative(given, "Name", cases, gender)
        letters = [norm["given"][0]]
        if patronymic:
            norm["patronymic"] = _given_nominative(patronymic, "Patr", cases, gender)
            letters.append(norm["patronymic"][0])
    norm["initials"] = "".join(f"{ch}." for ch in letters)
    norm["name"] = f"{surname} {norm['initials']}".strip()
    return norm


# --------------------------------------------------------------------------- programmes

_PROGRAM_WORD_RE = re.compile(rf"[{UPPER}{LOWER}0-9{APOSTROPHES}]+(?:[-/][{UPPER}{LOWER}0-9{APOSTROPHES}]+)*")
_YEAR_RANGE_RE = re.compile(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)")
_BARE_UNTIL_RE = re.compile(r"\bдо\s+((?:19|20)\d\d)$")
_BARE_RANGE_RE = re.compile(r"\bна\s+((?:19|20)\d\d-(?:19|20)\d\d)$")
_CASE_PREFERENCE = ("nomn", "gent", "ablt", "datv", "loct", "accs", "voct")


@lru_cache(maxsize=1)
def _program_heads() -> frozenset[str]:
    data = load_data("programs")
    return frozenset(data["heads"]) | frozenset(data["quoted_only_heads"])


def _agreeing(adjective: str, head: Any) -> Any | None:
    """The reading of ``adjective`` that agrees with the head noun's reading ``head``."""
    for p in _parses(adjective):
        if p.tag.POS != "ADJF" or p.tag.case != head.tag.case or p.tag.number != head.tag.number:
            continue
        if head.tag.number == "sing" and p.tag.gender and head.tag.gender and p.tag.gender != head.tag.gender:
            continue
        return p
    return None


def _to_nominative(p: Any) -> str:
    wanted = {"nomn", p.tag.number} if p.tag.number else {"nomn"}
    if p.tag.POS == "ADJF" and p.tag.number == "sing" and p.tag.gender:
        wanted.add(p.tag.gender)
    inflected = p.inflect(wanted)
    return inflected.word if inflected else p.normal_form


def normalise_program(text: str) -> dict[str, Any]:
    """``{"name", "head"}``: the programme's name with its head phrase in the nominative.

    ``міської комплексної Програми підтримки сім'ї … до 2020`` → ``Міська комплексна
    програма підтримки сім’ї … до 2020 року``: the head noun and the adjectives before it are
    put in the nominative (in their number: ``соціальних заходів «…»`` → ``Соціальні заходи
    «…»``), the description stays as written; white space, apostrophes, year ranges and a
    period written without its noun are made uniform, so every mention of one programme gives
    the same name, which the linker uses as the entity key.
    """
    # A plan cites its programmes again and again in the same words: each wording is read
    # once. The caller gets its own dict (the values are strings).
    return dict(_normalise_program(text))


@lru_cache(maxsize=4096)
def _normalise_program(text: str) -> dict[str, Any]:
    """The work of :func:`normalise_program`, once per wording."""
    flat = re.sub(r"\s+", " ", text).strip()
    flat = _APOS_RE.sub("’", flat)
    flat = _YEAR_RANGE_RE.sub(r"\1-\2", flat)
    heads = _program_heads()
    words = list(_PROGRAM_WORD_RE.finditer(flat))
    head_index = next(
        (i for i, m in enumerate(words)
         if any(p.normal_form in heads and p.tag.POS == "NOUN" for p in _parses(m.group()))),
        None,
    )
    head_lemma = None
    if head_index is not None:
        head_word = words[head_index].group()
        adjectives = [m.group() for m in words[:head_index]]
        readings = [p for p in _parses(head_word) if p.normal_form in heads and p.tag.POS == "NOUN"]
        readings.sort(key=lambda p: (p.tag.number == "plur", _CASE_PREFERENCE.index(p.tag.case)
                                     if p.tag.case in _CASE_PREFERENCE else 9))
        chosen = next((h for h in readings if all(_agreeing(a, h) for a in adjectives)), readings[0] if readings else None)
        if chosen is not None:
            head_lemma = chosen.normal_form
            phrase = [_to_nominative(_agreeing(a, chosen)) if _agreeing(a, chosen) else a.lower() for a in adjectives]
            phrase.append(_to_nominative(chosen))
            phrase = [_restore_apostrophe(w, "’") for w in phrase]
            start, end = words[0].start(), words[head_index].end()
            flat = flat[:start] + " ".join(phrase) + flat[end:]
    flat = _BARE_UNTIL_RE.sub(r"до \1 року", flat)
    flat = _BARE_RANGE_RE.sub(r"на \1 роки", flat)
    name = flat[:1].upper() + flat[1:]
    return {"name": name, "head": head_lemma}

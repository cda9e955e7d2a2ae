"""person_tagger: named individuals, as plans write them.

Three shapes cover Ukrainian official writing:

- surname and initials, ``Пітателєва Т.Є.``, glued ``МальцеваК.В.``, the last dot missing
  ``Турченко Т.М``, one initial ``Остролицька Л.``, any case ``Мальцевою К.В.``;
- initials and surname, ``Т.Є. Пітателєва``, ``К.В. МАЛЬЦЕВА``;
- full names, ``Мальцева Ксенія Валеріївна``, ``Ксенія Валеріївна Мальцева``, and the
  signature form ``Катерина ЯХНО`` — recognised by pymorphy3's Name/Patr/Surn tags.

The span is the name only. A capitalised word is a surname only if it can be one: not a
position word (``Директор К.В. Мальцева``), not a place (``м. Києва``), not a label
(``Розділ А.``); a name right after an organisation word (``інститут Гордона Ньюфелда``,
``імені Т. Шевченка``) belongs to that organisation's name and is left out. The word
lists live in ``pipeline/data/persons.toml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import load_data
from .. import morph
from ..normalise.names import (
    APOSTROPHES,
    is_given_name,
    is_patronymic,
    lookup_form,
    name_readings,
    surname_evidence,
)
from . import add_candidate, document_text


# Plans name people in Cyrillic; Latin capitals followed by a dot are company forms
# (``Holding B. V.``, ``GmbH.``), so the patterns leave Latin out.
UPPER_CY = "А-ЯЄІЇҐ"
LOWER_CY = "а-яєіїґ"
_SP = r"[ \u00a0]"
# A surname as written: capitalised, an apostrophe or a second capitalised part allowed.
_SURNAME = rf"[{UPPER_CY}][{LOWER_CY}{APOSTROPHES}]+(?:-[{UPPER_CY}][{LOWER_CY}{APOSTROPHES}]+)?"
# A surname in capitals (``ЯХНО``): three letters or more, a whole word (checked for a vowel
# and against the abbreviations the dictionary knows later).
_CAPS = (
    rf"[{UPPER_CY}]{{3,}}(?:[{APOSTROPHES}][{UPPER_CY}]+)?(?:-[{UPPER_CY}]{{2,}})?"
    rf"(?![{UPPER_CY}{LOWER_CY}{APOSTROPHES}])"
)
# Two initials; the final dot may be missing as long as no letter follows.
_TWO_INITIALS = rf"[{UPPER_CY}]\.{_SP}?[{UPPER_CY}](?:\.|(?![\w{APOSTROPHES}]))"
# One initial, not followed by a second one or by a word glued to it.
_ONE_INITIAL = rf"[{UPPER_CY}]\.(?!{_SP}?[{UPPER_CY}][.{LOWER_CY}])(?![\w])"

# Surname then initials. Glued to the surname (``МальцеваК.В.``) only two initials count:
# a capital and a dot after a word are as often an abbreviation's end (``ЄДРПОУ.``).
_SURNAME_FIRST = re.compile(
    rf"(?<![\w{APOSTROPHES}\-])"
    rf"(?:(?P<sur>{_SURNAME}|{_CAPS}){_SP}{{1,2}}(?:(?P<ini2>{_TWO_INITIALS})|(?P<ini1>{_ONE_INITIAL}))"
    rf"|(?P<glued>{_SURNAME})(?P<gini>{_TWO_INITIALS}))"
)
_INITIALS_FIRST = re.compile(
    rf"(?<![\w{APOSTROPHES}.])(?:(?P<ini2>[{UPPER_CY}]\.{_SP}?[{UPPER_CY}]\.)|(?P<ini1>[{UPPER_CY}]\.))"
    rf"{_SP}?(?P<sur>{_SURNAME}|{_CAPS})(?![\w{APOSTROPHES}\-])"
)
# Capitalised words, for full names (checked word by word with pymorphy3 tags).
_NAME_WORD = re.compile(rf"(?<![\w{APOSTROPHES}\-])(?:{_SURNAME}|{_CAPS})(?![\w{APOSTROPHES}\-])")
_GAP = re.compile(rf"{_SP}{{1,3}}")
# Each pattern above starts with a capital that no letter or apostrophe precedes. Their
# look-behind at the start makes the regex engine try them at every position of the text;
# these capitals are found with a plain scan instead (the character class comes first),
# and the patterns are tried at them only.
_NAME_START = re.compile(rf"[{UPPER_CY}](?<![\w{APOSTROPHES}].)")
_PREV_TOKEN = re.compile(rf"([\w{APOSTROPHES}.\-]+)[\s\u00a0(]*$")
_OPENING_QUOTE = re.compile(r"[«\"“„][ \u00a0]*$")
_VOWELS = set("АЕЄИІЇОУЮЯ")


@dataclass(frozen=True, slots=True)
class Lexicon:
    position_words: frozenset[str]
    place_abbreviations: frozenset[str]
    organisation_words: frozenset[str]
    not_surnames: frozenset[str]
    surname_endings: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_data("persons")
    return Lexicon(
        frozenset(w.lower() for w in data["position_words"]),
        frozenset(w.lower() for w in data["place_abbreviations"]),
        frozenset(w.lower() for w in data["organisation_words"]),
        frozenset(w.lower() for w in data["not_surnames"]),
        tuple(data["surname_endings"]),
    )


@lru_cache(maxsize=50_000)
def has_surname_ending(word: str) -> bool:
    low = lookup_form(word)
    return any(low.endswith(e) for e in lexicon().surname_endings)


@lru_cache(maxsize=50_000)
def _lemmas(word: str) -> frozenset[str]:
    return frozenset(p.normal_form for p in morph.parses(lookup_form(word))) | {lookup_form(word)}


def plausible_surname(word: str, strong: bool) -> bool:
    """Can ``word`` be a surname here? ``strong``: two initials or a full name back it up.

    One initial is weak evidence (``Розділ А.``), so then the word must be a known surname
    or unknown to the dictionary; with two initials a word for a being (``Коваль``) or an
    adjective (``Реформатського``) is accepted too, but never a noun for a thing or a place
    (``Києва``).
    """
    lex = lexicon()
    lemmas = _lemmas(word)
    if lemmas & lex.position_words or lemmas & lex.not_surnames:
        return False
    if word.isupper():
        # Capitals are mostly abbreviations (``ЦСС``, ``ПМР``); a surname has vowels.
        if sum(ch in _VOWELS for ch in word) < 1 or any("Abbr" in p.tag for p in morph.parses(lookup_form(word))):
            return False
    evidence = surname_evidence(word)
    return evidence in ("surname", "unknown") or (strong and evidence in ("animate", "adjective"))


def _context_blocks(text: str, start: int) -> bool:
    """True when what precedes ``start`` makes a name there part of another name.

    A place or street (``м. Києва``, ``вул. І. Франка``), an organisation named after a
    person (``інститут Гордона Ньюфелда``, ``ФГ Мороза М.П.``) or a quoted title
    (``ТОВ «Ніка Ейр»``).
    """
    if _OPENING_QUOTE.search(text, max(0, start - 4), start):
        return True
    m = _PREV_TOKEN.search(text, max(0, start - 40), start)
    if not m:
        return False
    prev = m.group(1).lower()
    lex = lexicon()
    if prev in lex.place_abbreviations or prev in lex.organisation_words:
        return True
    return bool(_lemmas(prev.rstrip(".")) & lex.organisation_words)


def _name_starts(text: str) -> list[int]:
    return [m.start() for m in _NAME_START.finditer(text)]


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match at one of ``starts``
    (the positions of ``_name_starts(text)``)."""
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                yield m
                end = m.end()


def _initials_spans(text: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
    """Names written with initials, in either order; leftmost wins where they overlap.
    ``starts``: ``_name_starts(text)`` if the caller has them."""
    found: list[tuple[int, int]] = []
    starts = _name_starts(text) if starts is None else starts
    for m in _matches(_SURNAME_FIRST, text, starts):
        strong = m.group("ini1") is None
        if plausible_surname(m.group("sur") or m.group("glued"), strong):
            found.append((m.start(), m.end()))
    # this one opens with an initial: only the capitals a dot follows can start it
    for m in _matches(_INITIALS_FIRST, text, [i for i in starts if text.startswith(".", i + 1)]):
        strong = m.group("ini2") is not None
        sur = m.group("sur")
        # One initial before a word is often a sentence's last letter and the next word
        # (``… пункт В. Організація``): demand a known surname then.
        if strong and plausible_surname(sur, True) or surname_evidence(sur) == "surname" and plausible_surname(sur, False):
            found.append((m.start(), m.end()))
    return found


def _agree(given: str, patronymic: str) -> bool:
    return bool(name_readings(given, "Name") & name_readings(patronymic, "Patr"))


def _full_name_spans(text: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
    """``Surname Name Patronymic``, ``Name Patronymic Surname`` and ``Name SURNAME``.
    ``starts``: ``_name_starts(text)`` if the caller has them."""
    words = list(_matches(_NAME_WORD, text, _name_starts(text) if starts is None else starts))
    found: list[tuple[int, int]] = []
    if len(words) < 2:
        return found
    # Runs of capitalised words separated by spaces only; a name takes two words or more, so
    # only runs of two or more are read. joined[k]: words k and k + 1 are in one run.
    # (The gaps are cut out and matched in C: most capitalised words stand alone.)
    gaps = map(slice, [w.end() for w in words[:-1]], [w.start() for w in words[1:]])
    joined = list(map(_GAP.fullmatch, map(text.__getitem__, gaps)))
    last = len(joined)
    resume = 0
    for first in compress(range(last), joined):
        if first < resume:
            continue  # inside the run read already
        stop = first + 1
        while stop < last and joined[stop]:
            stop += 1
        run = words[first : stop + 1]
        resume = stop + 1
        j = 0
        while j < len(run) - 1:  # (the last word alone is no name)
            span = _full_name_at([w.group() for w in run[j : j + 3]])
            if span == 2 and _modified_noun(text, run[j].start(), run[j].group()):
                span = 0
            if span:
                found.append((run[j].start(), run[j + span - 1].end()))
                j += span
            else:
                j += 1
    return found


def _modified_noun(text: str, start: int, word: str) -> bool:
    """Is ``word`` (a given name by the dictionary) an ordinary noun with its adjective here?

    ``Верховної Ради Івахів``: ``Ради`` is a female name only in the dictionary's eyes; the
    agreeing adjective before it shows the common noun.
    """
    m = _PREV_TOKEN.search(text, max(0, start - 40), start)
    if not m:
        return False
    common = {(p.tag.case, p.tag.number) for p in morph.parses(lookup_form(word)) if "Name" not in p.tag}
    if not common:
        return False
    adjective = {(p.tag.case, p.tag.number) for p in morph.parses(lookup_form(m.group(1))) if "ADJF" in p.tag}
    return bool(common & adjective)


def _surname_slot(word: str) -> bool:
    """A full name's surname: a plausible surname that is not itself a given name."""
    return plausible_surname(word, True) and not is_given_name(word)


def _full_name_at(ws: list[str]) -> int:
    """How many of the words ``ws`` (up to three) form a full name starting at the first."""
    if len(ws) >= 3:
        a, b, c = ws[:3]
        if is_given_name(b) and is_patronymic(c) and _agree(b, c) and _surname_slot(a):
            return 3
        if is_given_name(a) and is_patronymic(b) and _agree(a, b) and _surname_slot(c):
            return 3
    if len(ws) >= 2:
        a, b = ws[:2]
        if not is_given_name(a) or a.isupper() or not _surname_slot(b):
            return 0
        evidence = surname_evidence(b)
        if b.isupper():
            return 2  # the signature form ``Катерина ЯХНО``
        if evidence == "surname":
            return 2  # ``Ксенія Мальцева``, ``Віктора Януковича``
        if evidence == "unknown" and not is_patronymic(b) and has_surname_ending(b):
            return 2  # a rare surname of a typical shape: ``Ксенія Пітателєва``
    return 0


class PersonTagger:
    """Proposes PERSON candidates; see the module docstring for the shapes it knows."""

    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        starts = _name_starts(text)
        spans = _full_name_spans(text, starts) + _initials_spans(text, starts)
        # Leftmost first, then longest: in a list ``Черкашина Л.Б. Сколобанова Ю.М.`` the
        # initials belong to the surname before them, not to the one after.
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        last_end = -1
        for start, end in spans:
            if start < last_end:
                continue
            last_end = end
            if not _context_blocks(text, start):
                add_candidate(doc, start, end, "PERSON", "person_tagger")
        return doc


@Language.factory("person_tagger")
def make_component(nlp: Language, name: str) -> PersonTagger:
    return PersonTagger()

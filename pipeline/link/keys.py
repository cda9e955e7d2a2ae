"""Comparison keys: what a mention's normalised value looks like to the deduplicator.

A key is what two mentions must share, exactly, to be taken for the same entity before any
fuzzy rule runs: persons by nominative surname and initials, bodies and programmes by the
lemmas of their words (so every case form of a name gives one key), acts by their canonical
id. Keys are cheap to compute and cached per distinct name, so a million mentions cost about
as much as their distinct names.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import morph

_APOSTROPHES_RE = re.compile(r"[’ʼ`']")
_WORD_RE = re.compile(r"[A-Za-zА-ЯЄІЇҐа-яєіїґ0-9']+(?:-[A-Za-zА-ЯЄІЇҐа-яєіїґ0-9']+)*")
_SPACES_RE = re.compile(r"\s+")


def is_abbreviation(word: str) -> bool:
    """``ЧМР``, ``КМЦСС``, ``ЦСС``: two or more letters, all capitals."""
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


@lru_cache(maxsize=500_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name as the linker compares them.

    Quotes, punctuation and apostrophe variants go; abbreviations stay in capitals (they may
    be expanded later); every other word becomes its lemma, so ``Департаменту соціальної
    політики`` and ``Департамент соціальної політики`` give the same tokens.
    """
    flat = _APOSTROPHES_RE.sub("'", name)
    tokens = []
    for word in _WORD_RE.findall(flat):
        if is_abbreviation(word):
            tokens.append(word)
        elif word.isdigit():
            tokens.append(word)
        else:
            tokens.append(morph.lemma(word.lower()))
    return tuple(tokens)


@lru_cache(maxsize=500_000)
def words(text: str) -> tuple[str, ...]:
    """The words as written, lower case, quotes and punctuation dropped: an act's title as
    compared (titles are fixed strings, so no lemmas), and a body's name where a typo has
    left a word the lemmatiser can only guess at."""
    return tuple(_WORD_RE.findall(_APOSTROPHES_RE.sub("'", text.lower())))


def flat(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def person_parts(norm: dict | None, text: str) -> tuple[str, str]:
    """(surname, initials) of a person, both as the name normaliser gives them."""
    norm = norm or {}
    surname = norm.get("surname") or flat(text).split(" ")[0]
    return surname, norm.get("initials") or ""


_CAPITALISED_RE = re.compile(r"[A-ZА-ЯЄІЇҐ]")


def names_itself(name: str) -> bool:
    """Does a body's name single it out wherever it is written? ``Міністерство соціальної
    політики України``, ``Дитячий фонд ООН``, ``ГО «Сила»`` do (a proper name, an
    abbreviation or a quoted name after the first word); ``Служба у справах дітей`` or
    ``Комісія з питань захисту прав дитини`` do not — every town has one, so such a name
    means the local body of the document that writes it."""
    words = _WORD_RE.findall(name)
    if any(q in name for q in "«»\"„“"):
        return True
    return any(_CAPITALISED_RE.match(w) for w in words[1:]) or (len(words) == 1 and is_abbreviation(words[0]))


@lru_cache(maxsize=500_000)
def proper_words(name: str) -> frozenset[str]:
    """The words of a name that are proper names (capitalised after the first word:
    ``Березанської``, ``Покровського``), as written in lower case and as lemmas. Two such
    words a letter apart may be two places, not a typo."""
    found = _WORD_RE.findall(_APOSTROPHES_RE.sub("'", name))[1:]
    proper = [w for w in found if w[:1].isupper() and not is_abbreviation(w)]
    return frozenset([w.lower() for w in proper] + [morph.lemma(w.lower()) for w in proper])

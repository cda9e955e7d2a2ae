"""pymorphy3 for Ukrainian, created once per process and cached per word form.

Plans repeat the same words thousands of times; caching the analyses keeps lemmatisation
off the profile. The analyser itself answers from the cache too, so every caller shares
it: the taggers, spaCy's lemmatizer (which holds :func:`analyzer`) and pymorphy3's own
units, which parse the parts of prefixed and hyphenated words again.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3
from pymorphy3.units import UnknAnalyzer

_ANALYZER: pymorphy3.MorphAnalyzer | None = None


class _CachedAnalyzer(pymorphy3.MorphAnalyzer):
    """A MorphAnalyzer whose ``parse`` and ``word_is_known`` answer from per-word caches
    (a fresh list each time: callers may change theirs; the Parse tuples cannot change)."""

    def parse(self, word: str) -> list:
        return list(parses(word))

    def word_is_known(self, word: str, strict: bool = False) -> bool:
        # pymorphy3 looks up the lower-case form only
        return _word_is_known(word.lower(), strict)


def analyzer() -> pymorphy3.MorphAnalyzer:
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = _CachedAnalyzer(lang="uk")
    return _ANALYZER


_parse = pymorphy3.MorphAnalyzer.parse  # the uncached analysis

# A Cyrillic word (no hyphen) in lower case. pymorphy3 analyses such a word, however it is
# capitalised, from its lower-case form alone: the casing as written matters only to the
# units for initials (one letter), Latin words, Roman and other numbers, punctuation,
# "по-" adverbs (a hyphen) and the last-resort unknown guess, which records the word as
# written. So "Центру" and "ЦЕНТРУ" share the analyses of "центру", unless that is the
# unknown guess.
_LOWER_CYRILLIC_RE = re.compile(r"[а-яёєіїґ'’ʼ]{2,}")


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """All analyses of a word form (a tuple, so the cache can hold it)."""
    low = word.lower()
    if low != word and _LOWER_CYRILLIC_RE.fullmatch(low):
        found = parses(low)
        if not any(isinstance(method[0], UnknAnalyzer) for p in found for method in p.methods_stack):
            return found
    return tuple(_parse(analyzer(), word))


@lru_cache(maxsize=200_000)
def _word_is_known(low: str, strict: bool) -> bool:
    return pymorphy3.MorphAnalyzer.word_is_known(analyzer(), low, strict)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The normal form of the most likely analysis, in lower case."""
    found = parses(word)
    return found[0].normal_form if found else word.lower()

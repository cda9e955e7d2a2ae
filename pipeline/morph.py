"""pymorphy3 for Ukrainian, created once per process and cached per word form.

Plans repeat the same words thousands of times; caching the analyses keeps lemmatisation
off the profile.
"""
from __future__ import annotations

from functools import lru_cache

import pymorphy3

_ANALYZER: pymorphy3.MorphAnalyzer | None = None


def analyzer() -> pymorphy3.MorphAnalyzer:
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = pymorphy3.MorphAnalyzer(lang="uk")
    return _ANALYZER


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """All analyses of a word form (a tuple, so the cache can hold it)."""
    return tuple(analyzer().parse(word))


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The normal form of the most likely analysis, in lower case."""
    found = parses(word)
    return found[0].normal_form if found else word.lower()

"""The tagging pipeline's speed-ups must not change what spaCy sees."""
from __future__ import annotations

import spacy

from conftest import CORPORA
from pipeline.tag import _fill_tokenizer_cache, get_nlp
from pipeline.text import mask_markup


def test_warming_the_tokenizer_cache_leaves_the_tokens_unchanged():
    nlp = get_nlp()
    fresh = spacy.blank("uk")
    for path in sorted(CORPORA.glob("*.txt")):
        text = mask_markup(path.read_text(encoding="utf-8"))
        _fill_tokenizer_cache(nlp, text)
        warmed = nlp.make_doc(text)
        cold = fresh.make_doc(text)
        assert [(t.idx, t.text_with_ws) for t in warmed] == [(t.idx, t.text_with_ws) for t in cold], path.name

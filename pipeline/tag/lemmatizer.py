"""spaCy's own Ukrainian lemmatizer (pymorphy3 mode), with a per-form cache, and the
component that lemmatises the tokens of the chosen mentions.

Without a statistical tagger every token goes through pymorphy3's lookup; plans repeat
the same few thousand word forms, so remembering the answer per form makes lemmatisation
cheap enough for the throughput target (about 5× faster on the seed corpus).
"""
from __future__ import annotations

from typing import Callable, Optional

from spacy.lang.uk import Ukrainian
from spacy.language import Language
from spacy.tokens import Doc
from spacy.lang.uk.lemmatizer import UkrainianLemmatizer
from spacy.pipeline.lemmatizer import lemmatizer_score
from spacy.tokens import Token
from thinc.api import Model

from .. import morph


class CachedUkrainianLemmatizer(UkrainianLemmatizer):
    def __init__(
        self,
        vocab,
        model: Optional[Model],
        name: str = "lemmatizer",
        *,
        mode: str = "pymorphy3",
        overwrite: bool = False,
        scorer: Optional[Callable] = lemmatizer_score,
    ) -> None:
        # Share the process-wide analyser instead of loading the dictionaries a second time.
        self._morph = morph.analyzer()
        super().__init__(vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)
        self._lookup_cache: dict[str, list[str]] = {}

    def pymorphy3_lookup_lemmatize(self, token: Token) -> list[str]:
        key = token.text
        found = self._lookup_cache.get(key)
        if found is None:
            found = self._pymorphy_lookup_lemmatize(token)
            if len(self._lookup_cache) < 500_000:
                self._lookup_cache[key] = found
        return found

    def pymorphy3_lemmatize(self, token: Token) -> list[str]:
        # With no POS tagger in the pipeline spaCy falls back to the lookup mode anyway.
        if not token.pos_:
            return self.pymorphy3_lookup_lemmatize(token)
        return super().pymorphy3_lemmatize(token)


@Ukrainian.factory(
    "cached_uk_lemmatizer",
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "pymorphy3", "overwrite": False, "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}},
)
def make_cached_lemmatizer(nlp, model, name, mode, overwrite, scorer):
    return CachedUkrainianLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


# Mentions whose words are inflected names of bodies, roles, programmes and people: their
# lemmas give case-independent keys ("фахівцями центру" and "Фахівці центру" → "фахівець
# центр") for normalisation and linking.
LEMMATIZED_LABELS = frozenset({"ORG", "ROLE", "PROGRAM", "PERSON"})


@Language.factory("mention_lemmatizer")
def make_mention_lemmatizer(nlp: Language, name: str) -> "MentionLemmatizer":
    return MentionLemmatizer(nlp.vocab)


class MentionLemmatizer:
    """spaCy's Ukrainian lemmatizer (pymorphy3) applied to the tokens of the chosen mentions.

    Runs after the resolver. Lemmatising only the mentions' tokens, not the whole text,
    keeps the cost proportional to what the lemmas are used for.
    """

    def __init__(self, vocab) -> None:
        self.lemmatizer = CachedUkrainianLemmatizer(vocab, None)

    def __call__(self, doc: Doc) -> Doc:
        for mention in doc._.mentions or []:
            if mention.label not in LEMMATIZED_LABELS:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            lemmas = []
            for token in span:
                if token.is_space:
                    continue
                lemma = self.lemmatizer.pymorphy3_lookup_lemmatize(token)[0]
                token.lemma_ = lemma
                if not token.is_punct:
                    lemmas.append(lemma)
            mention.attrs["lemma"] = " ".join(lemmas)
        return doc

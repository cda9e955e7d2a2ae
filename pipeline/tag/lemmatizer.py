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
from . import TokenOffsets, document_text


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
    """spaCy's Ukrainian lemmatizer (pymorphy3) applied to the words of the chosen mentions:
    each mention's ``lemma`` attribute.

    Runs after the resolver. Lemmatising only the mentions' words, not the whole text,
    keeps the cost proportional to what the lemmas are used for. The words are read from
    the Doc's token offsets (a Token object per word would cost more than the look-ups),
    and each distinct word is lemmatised once.
    """

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.lemmatizer = CachedUkrainianLemmatizer(vocab, None)
        self._lemmas: dict[str, str | None] = {}  # word → lemma; None: punctuation

    def _lemma(self, doc: Doc, i: int, word: str) -> str | None:
        found = self._lemmas.get(word, "")
        if found == "":
            token = doc[i]
            found = None if token.is_punct else self.lemmatizer.pymorphy3_lookup_lemmatize(token)[0]
            if len(self._lemmas) < 500_000:
                self._lemmas[word] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        mentions = [m for m in doc._.mentions or [] if m.label in LEMMATIZED_LABELS]
        if not mentions or not len(doc):
            return doc
        text = document_text(doc)
        tokens = TokenOffsets(doc)
        for mention in mentions:
            lemmas = []
            for i in range(*(tokens.expand(mention.start, mention.end) or (0, 0))):
                word = text[tokens.starts[i]:tokens.ends[i]]
                if word.isspace():
                    continue
                lemma = self._lemma(doc, i, word)
                if lemma is not None:
                    lemmas.append(lemma)
            mention.attrs["lemma"] = " ".join(lemmas)
        return doc

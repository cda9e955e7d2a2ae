from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("date_tagger")
def make_component(nlp: Language, name: str):
    return lambda doc: doc

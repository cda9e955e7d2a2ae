"""The Stanza NER model (PERSON, ORG) as an alternative to the shipped spaCy model.

Stanza and PyTorch are optional (``pip install .[stanza]``): this module imports them only
when a model is loaded, so the default pipeline never pays for them. The model is trained
here (``training/train_stanza.py``) and loaded from ``models/stanza_ner/`` fully offline:
``download_method=None`` and explicit model/pretrain paths, so Stanza reads no
``resources.json`` and never touches the network.

Stanza gets the words as spaCy's ``uk`` tokenizer splits them (the model was trained on the
same split), one "sentence" per line of the document: plans are tables and lists whose
lines rarely run on, and a line break inside a name is left to the rules.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from spacy.tokens import Doc

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
STANZA_DIR = MODELS_DIR / "stanza_ner"
MODEL_FILE = "uk_plans_nertagger.pt"
PRETRAIN_FILE = "uk_plans_pretrain.pt"
# Stanza's Pipeline insists on reading a resources.json; an empty one (shipped next to the
# model) lists no downloadable models, so nothing is looked up or fetched.
RESOURCES_FILE = "resources.json"
# Longer runs of words without a line break are cut (tables flattened into one line);
# the BiLSTM's context does not need more and long sequences are slow.
MAX_SENTENCE_TOKENS = 120


@dataclass(frozen=True, slots=True)
class StanzaPaths:
    model: Path
    pretrain: Path
    resources: Path


def model_paths(directory: Path = STANZA_DIR) -> StanzaPaths:
    paths = StanzaPaths(directory / MODEL_FILE, directory / PRETRAIN_FILE, directory / RESOURCES_FILE)
    missing = [str(p) for p in (paths.model, paths.pretrain, paths.resources) if not p.is_file()]
    if missing:
        raise FileNotFoundError(
            f"Stanza NER model not found ({', '.join(missing)}); regenerate it with "
            "`python training/train_stanza.py` or use backend 'spacy' or 'rules'."
        )
    return paths


def stanza_word(text: str) -> str:
    """A token as Stanza may take it: white space inside a token (a no-break space that
    spaCy kept in a word) would split it again, so it becomes an underscore."""
    return "".join("_" if ch.isspace() else ch for ch in text)


def token_sentences(doc: Doc, keep_together: frozenset[int] = frozenset(), max_len: int = MAX_SENTENCE_TOKENS) -> list[list[int]]:
    """Indices of the word tokens of ``doc``, grouped into sentences.

    A sentence ends at a white-space token holding a line break, or after ``max_len``
    words; never before a token in ``keep_together`` (training uses it so that no
    annotated name is cut in two).
    """
    sentences: list[list[int]] = []
    current: list[int] = []
    for token in doc:
        if token.is_space or not token.text.strip():
            if "\n" in token.text and current and token.i + 1 not in keep_together:
                sentences.append(current)
                current = []
            continue
        if len(current) >= max_len and token.i not in keep_together:
            sentences.append(current)
            current = []
        current.append(token.i)
    if current:
        sentences.append(current)
    return sentences


def _decode_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first, last + 1, label) word spans from BIOES (or BIO) tags, tolerant of a model
    that opens a span with I- or never closes it."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, typ = tag.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or typ != label):
            spans.append((start, i, label))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, label = i, typ
        if prefix in ("E", "S") and start is not None:
            spans.append((start, i + 1, label))
            start = None
    return spans


class StanzaNer:
    """A loaded Stanza NER pipeline that returns character spans of a spaCy Doc."""

    def __init__(self, paths: StanzaPaths | None = None) -> None:
        paths = paths or model_paths()
        try:
            import stanza
            import torch
        except ImportError as exc:  # the default install has neither
            raise ImportError("backend 'stanza' needs `pip install .[stanza]` (stanza and torch)") from exc
        # One thread unless the caller chose otherwise: the pipeline runs next to other work.
        if "OMP_NUM_THREADS" not in os.environ:
            torch.set_num_threads(1)
        logging.getLogger("stanza").setLevel(logging.WARNING)
        self.pipeline = stanza.Pipeline(
            lang="uk",
            processors="tokenize,ner",
            tokenize_pretokenized=True,
            download_method=None,
            ner_model_path=str(paths.model),
            ner_pretrain_path=str(paths.pretrain),
            # our own folder and (empty) resources file: ~/stanza_resources is never read
            dir=str(paths.model.parent),
            resources_filepath=str(paths.resources),
            allow_unknown_language=True,
            use_gpu=False,
            logging_level="ERROR",
        )

    def predict(self, docs: Iterable[Doc]) -> list[list[tuple[int, int, str]]]:
        """Character spans ``(start, end, label)`` for each doc, in one Stanza call."""
        docs = list(docs)
        sentences: list[list[int]] = []
        owners: list[int] = []
        for n, doc in enumerate(docs):
            for sent in token_sentences(doc):
                sentences.append(sent)
                owners.append(n)
        out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        if not sentences:
            return out
        words = [[stanza_word(docs[owners[k]][i].text) for i in sent] for k, sent in enumerate(sentences)]
        result: Any = self.pipeline(words)
        for k, sentence in enumerate(result.sentences):
            doc, sent = docs[owners[k]], sentences[k]
            tags = [token.ner for token in sentence.tokens]
            for first, last, label in _decode_tags(tags):
                start = doc[sent[first]].idx
                end = doc[sent[last - 1]].idx + len(doc[sent[last - 1]].text)
                out[owners[k]].append((start, end, label))
        return out

"""statistical_ner: names and bodies the rules do not know, from a trained NER model.

The rules tag PERSON and ORG very precisely on plans, but a new document names people and
bodies the rules have no pattern or word list for. This component runs a statistical model
(the shipped spaCy model, or the Stanza model for backend ``"stanza"``) and proposes its
PERSON/ORG spans only where no rule candidate overlaps: the model speaks where the rules
say nothing, and with the lowest priority. Its output is filtered conservatively (a person
must look like a full name, a body like a proper name, no places or generic plurals), so
that it adds few false positives to plans, whose text is far from the news the model
mostly learnt from.

ORG candidates carry the ``norm`` hint the normaliser expects (``{"name", "abbreviation"}``,
the name in the nominative, made by the organisation tagger's own grammar); PERSON names
are normalised from their text like the rule ones.
"""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .. import morph
from . import Candidate, TokenOffsets, document_text
from .stanza_backend import MODELS_DIR

SPACY_MODEL_DIR = MODELS_DIR / "uk_plans_ner"
MODEL_BACKENDS = ("spacy", "stanza")
LABELS = frozenset({"PERSON", "ORG"})
# Below every rule label (the lowest, ORG, is 30): a model span never wins an overlap.
MODEL_PRIORITY = 10

UPPER = "A-ZА-ЯЄІЇҐ"
_WORD = re.compile(r"[^\W\d_][^\W\d_'’ʼ\-]*(?:['’ʼ\-][^\W\d_]+)*")
_NAME_WORD = re.compile(rf"[{UPPER}][^\W\d_]*(?:['’ʼ][^\W\d_]+)*(?:-[{UPPER}][^\W\d_]+)?")
_ABBREVIATION = re.compile(rf"[{UPPER}]{{2,8}}")
_OPENING = tuple("«\"“„")
MAX_PERSON_WORDS = 4
MAX_ORG_WORDS = 15
MAX_QUOTED_WORDS = 3
# Parts of speech (pymorphy3) that do not end a name: prepositions, conjunctions, particles.
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL"})


# ------------------------------------------------------------------------------ features

# What pymorphy3 knows of a word is what a model trained on a few hundred texts lacks:
# whether it is a given name, a surname, a patronymic, an abbreviation, a being, and
# whether the dictionary knows it at all (a name it does not know is often foreign).
# The spaCy model reads this class as the token's TAG, set by its first component.
_MORPH_FLAGS = ("Name", "Surn", "Patr", "Abbr", "anim")


@lru_cache(maxsize=200_000)
def morph_class(word: str) -> str:
    """``NOUN|K|Name|anim``: part of speech of the likeliest reading, known (K) or
    unknown (U) to the dictionary, and the flags any reading has; ``_`` for no word."""
    if not word[:1].isalpha():
        return "_"
    low = word.lower()
    parses = morph.parses(low)
    if not parses:
        return "U"
    flags = [f for f in _MORPH_FLAGS if any(f in p.tag for p in parses)]
    known = "K" if morph.analyzer().word_is_known(low) else "U"
    return "|".join([str(parses[0].tag.POS or "X"), known, *flags])


@Language.factory("plans_morph_class")
def make_morph_class(nlp: Language, name: str) -> "MorphClass":
    return MorphClass()


class MorphClass:
    """First component of the shipped spaCy model: ``token.tag_ = morph_class(text)``."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.tag_ = morph_class(token.text)
        return doc


# ------------------------------------------------------------------------------ models

Predictor = Callable[[list[Doc]], list[list[tuple[int, int, str]]]]


@dataclass(slots=True)
class LoadedModel:
    backend: str
    predict: Predictor
    load_seconds: float
    # The vocabulary the model's Docs should share (then it reads them without a copy).
    vocab: Vocab | None = None


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(
            f"{what} not found at {path}; regenerate it with `python training/train_spacy.py` "
            "(or use backend 'rules')."
        )
    return path


def spacy_predictor(model: Language) -> Predictor:
    """The spaCy ``model`` over the tagging pipeline's own tokens (same ``uk`` tokenizer as
    in training, and no second tokenisation of long plans)."""

    def predict(docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        copies = [
            doc if doc.vocab is model.vocab
            else Doc(model.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
            for doc in docs
        ]
        return [
            [(e.start_char, e.end_char, e.label_) for e in out.ents]
            for out in model.pipe(copies, batch_size=max(1, len(copies)))
        ]

    return predict


def stanza_predictor() -> Predictor:
    from .stanza_backend import StanzaNer  # stanza and torch load only for this backend

    return StanzaNer().predict


@lru_cache(maxsize=None)
def load_model(backend: str) -> LoadedModel:
    """The model of ``backend``, loaded once per process."""
    if backend not in MODEL_BACKENDS:
        raise ValueError(f"unknown model backend {backend!r}; expected one of {MODEL_BACKENDS}")
    began = time.perf_counter()
    if backend == "spacy":
        model = spacy.load(_require(SPACY_MODEL_DIR, "spaCy NER model"))
        return LoadedModel(backend, spacy_predictor(model), time.perf_counter() - began, model.vocab)
    return LoadedModel(backend, stanza_predictor(), time.perf_counter() - began)


# ------------------------------------------------------------------------------ filters


@lru_cache(maxsize=20_000)
def _tags(word: str) -> tuple[str, ...]:
    return tuple(str(p.tag) for p in morph.parses(word.lower()))


def _is_place(word: str) -> bool:
    tags = _tags(word)
    return bool(tags) and all("Geox" in t for t in tags)


def _only_plural(word: str) -> bool:
    tags = _tags(word)
    return bool(tags) and all("plur" in t for t in tags) and not any("sing" in t for t in tags)


def plausible_person(text: str) -> bool:
    """Two to four capitalised words, each a name word, not all initials, on one line, no
    digits: the model may say "Директор" or "Програма" is a person; a full name is what the
    rules can miss."""
    if any(ch.isdigit() for ch in text) or "\n" in text or "\t" in text:
        return False
    words = text.replace(".", " ").split()
    if not 2 <= len(words) <= MAX_PERSON_WORDS:
        return False
    if not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    if all(len(w) == 1 for w in words):
        return False  # initials alone name nobody (``М.П.``: the place for the seal on a form)
    from .persons import lexicon  # the rules' position words ("Директор") are no names

    positions = lexicon().position_words
    if any(p.normal_form in positions for w in words for p in morph.parses(w.lower())[:1]):
        return False
    # Some word must be a name to the dictionary or unknown to it (a foreign name): two
    # known common words (``Кривого Рогу``) are a place or a title, not a person.
    return any(_name_like(w) for w in words)


def _name_like(word: str) -> bool:
    parts = morph_class(word).split("|")
    return "U" in parts[1:2] or bool({"Name", "Surn", "Patr"} & set(parts))


def _quotes_balanced(text: str) -> bool:
    """A span that opens a quote it does not close (or the reverse) cut a title apart."""
    return text.count("«") == text.count("»") and text.count('"') % 2 == 0


def _is_function_word(word: str) -> bool:
    tags = _tags(word)
    return bool(tags) and any(t.split(",")[0] in _FUNCTION_POS for t in tags)


def _titled_event(text: str) -> bool:
    """``ЦСС «Кейс менеджмент соціальної роботи»``: a long quoted title after a body's
    abbreviation names a course or an event held by it; a company's quoted name follows
    its legal form (``ТОВ «Укргеоекологія»``) and is short."""
    if "«" not in text:
        return False
    before, _, quoted = text.partition("«")
    from .orgs import DATA as ORG_DATA  # the org tagger's legal forms

    first = before.split()[0] if before.split() else ""
    return len(_WORD.findall(quoted)) > MAX_QUOTED_WORDS and first not in ORG_DATA.legal_forms


def plausible_org(text: str, before: str = "") -> bool:
    """A proper name of a body: starts with a capital or an opening quote, one line (a
    table cell is one line), not a place (``Київ``), not a generic plural
    (``Громадські організації``), a lone word only if it is an abbreviation (``ЦНАП``);
    not a piece of a quoted title (``before`` is the text just before the span), not cut
    after a preposition (``захист дітей з``), not a course held by a body."""
    if "\t" in text or "\n" in text or not text[:1]:
        return False
    if not (text[0].isupper() or text.startswith(_OPENING)):
        return False
    if before.rstrip().endswith(_OPENING) or not _quotes_balanced(text) or _titled_event(text):
        return False
    words = _WORD.findall(text)
    if not words or len(words) > MAX_ORG_WORDS or _is_function_word(words[-1]):
        return False
    if len(words) == 1:
        return bool(_ABBREVIATION.fullmatch(words[0])) and not _is_place(words[0])
    if all(w.isupper() for w in words):
        return False  # a heading in capitals (``ПОРЯДОК ОБ’ЄДНАННЯ ГРОМАД``), not a name
    return not _only_plural(words[0]) and not (len(words) <= 2 and all(_is_place(w) for w in words if w[0].isupper()))


def plausible(label: str, text: str, before: str = "") -> bool:
    if label == "PERSON":
        return plausible_person(text)
    return plausible_org(text, before) if label == "ORG" else False


def rules_know(label: str, text: str) -> bool:
    """Would the rule tagger of ``label`` tag (part of) ``text`` if it stood alone?

    Then the rules know the shape and left it out in the document for a reason of context
    (``інститут Гордона Ньюфелда`` is a body's name, ``мережі ЦСС м. Києва`` a network):
    the model is for the names the rules cannot read at all, not for overruling them.
    """
    if label == "PERSON":
        from . import persons

        return bool(persons._full_name_spans(text) or persons._initials_spans(text))
    from . import orgs

    # Also in the nominative: a genitive on its own (``Березанської міської ради`` opening a
    # table cell) is the rules' reading of the tail of a name wrapped from the line above.
    return bool(orgs.find_orgs(text) or orgs.find_orgs(org_norm(text)["name"]))


def org_norm(text: str) -> dict[str, Any]:
    """``{"name", "abbreviation"}`` as the organisation tagger makes it: its grammar puts
    the head phrase in the nominative (``Київським центром …`` → ``Київський центр …``);
    a name it cannot parse is kept as written."""
    from . import orgs  # the org tagger's grammar (loaded with the rules anyway)

    flat = " ".join(text.split())
    if _ABBREVIATION.fullmatch(flat):
        return {"name": flat, "abbreviation": flat}
    finder, phrase = orgs._head_phrase_of(flat)
    if phrase is not None and phrase.form is not None and phrase.start == 0:
        head = orgs._Namer(finder).head_name(phrase)
        tail = flat[finder.toks[phrase.end - 1].end :]
        return {"name": (head + tail).strip(), "abbreviation": None}
    return {"name": flat, "abbreviation": None}


# ------------------------------------------------------------------------------ component


class _Taken:
    """The spans of the rule candidates, asked whether a span overlaps any of them in
    O(log n): sorted by start, with the furthest end reached so far."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # candidates that start before the span ends
        return i > 0 and self.reach[i - 1] > start


def model_candidates(doc: Doc, spans: Iterable[tuple[int, int, str]], source: str) -> list[Candidate]:
    """The model's spans that no rule candidate overlaps and that pass the filters."""
    text = document_text(doc)
    taken = _Taken((c.start, c.end) for c in doc._.candidates or [])
    out = []
    for start, end, label in spans:
        if label not in LABELS or taken.overlaps(start, end):
            continue
        # spaCy spans end at a token; trailing punctuation of a sentence is not the name
        while end > start and text[end - 1] in ".,;:":
            end -= 1
        span_text = text[start:end]
        if not plausible(label, span_text, text[max(0, start - 3) : start]) or rules_know(label, span_text):
            continue
        attrs = {"model": source}
        if label == "ORG":
            attrs["norm"] = org_norm(span_text)
        out.append(Candidate(start, end, label, MODEL_PRIORITY, source, attrs))
    return out


@Language.factory("statistical_ner", default_config={"backend": "spacy"})
def make_statistical_ner(nlp: Language, name: str, backend: str) -> "StatisticalNer":
    return StatisticalNer(load_model(backend))


class StatisticalNer:
    """Adds the model's PERSON/ORG candidates where the rule taggers proposed nothing.

    Runs after every rule tagger (it reads their candidates) and before the resolver."""

    def __init__(self, model: LoadedModel) -> None:
        self.model = model
        self.source = f"statistical_ner:{model.backend}"

    def _add(self, doc: Doc, spans: list[tuple[int, int, str]]) -> Doc:
        found = model_candidates(doc, spans, self.source)
        if found:
            doc._.candidates = (doc._.candidates or []) + found
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return next(self._flush([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[Doc]:
        # One model call per batch: Stanza and spaCy both work faster on batches.
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)

    def _flush(self, batch: list[Doc]) -> Iterator[Doc]:
        # The model reads only the pieces where the rules left a name unexplained (about a
        # quarter of a plan's text), all pieces of a document as one Doc with a line break
        # between them: that keeps its cost a fraction of the tagging time.
        readings = []
        for doc in batch:
            tokens = TokenOffsets(doc)
            readings.append(_Reading(doc, tokens, open_pieces(doc, tokens), self.model.vocab or doc.vocab))
        predicted = self.model.predict([r.doc for r in readings])
        for reading, spans in zip(readings, predicted):
            yield self._add(reading.source, reading.original_spans(spans))


class _Reading:
    """The open pieces of a document joined into one Doc for the model, and the way back
    from the model's character offsets to the document's."""

    SEPARATOR = "\n"

    def __init__(self, source: Doc, tokens: "TokenOffsets", pieces: list[tuple[int, int]], vocab: Vocab) -> None:
        self.source = source
        self.tokens = tokens
        text = document_text(source)
        starts, ends, spaced = tokens.starts, tokens.ends, tokens.spaced
        words: list[str] = []
        spaces: list[bool] = []
        self.origin: list[int | None] = []  # the source token behind each token, or None
        for lo, hi in pieces:
            if words:
                words.append(self.SEPARATOR)
                spaces.append(False)
                self.origin.append(None)
            # from the token offsets: a Token object per word would cost more than the rest
            words += [text[starts[i]:ends[i]] for i in range(lo, hi)]
            spaces += spaced[lo:hi]
            self.origin += range(lo, hi)
        self.doc = Doc(vocab, words=words, spaces=spaces)

    def original_spans(self, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        out = []
        for start, end, label in spans:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            origin = self.origin[span.start:span.end]
            if None in origin:
                continue  # runs across two pieces
            out.append((self.tokens.starts[origin[0]], self.tokens.ends[origin[-1]], label))
        return out


# A piece of text is a line or a table cell; a capitalised word that is not the first of the
# piece or of a sentence may start a name.
_PIECE_RE = re.compile(r"[^\n\t]+")
_INNER_CAPITAL_RE = re.compile(rf"(?<![.!?;:]\s)(?<=\s|[«\"“„(])[{UPPER}][^\W\d_]*(?:['’ʼ-][^\W\d_]+)*")
# What pymorphy3 says of a word that may start a name: a given name, surname, patronymic,
# place, organisation or abbreviation, or a word the dictionary does not know.
_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")


@lru_cache(maxsize=100_000)
def may_start_name(word: str) -> bool:
    """A capitalised word inside a line that may begin a name the model should read:
    ``Проведення`` or ``Семінар`` (a sentence or list item starting after a dash) may not;
    ``Гордона``, ``ВІЛ``, ``Ньюфелда`` may."""
    if len(word) > 1 and word.isupper():
        # An abbreviation (``ЦСС``, ``ВПО``) may; a Roman numeral (``ІІ``) may not, nor a
        # heading word in capitals (``ЗАВДАННЯ``: longer than an abbreviation, and read
        # below as the common word it is).
        if _ROMAN_NUMERAL.fullmatch(word):
            return False
        if len(word) < _HEADING_WORD_LENGTH:
            return True
    low = word.lower()
    if not morph.analyzer().word_is_known(low):
        return True
    return any(tag in str(p.tag) for p in morph.parses(low) for tag in _NAME_TAGS)


_ROMAN_NUMERAL = re.compile(r"[IVXІХ]+")  # Latin, or Cyrillic І and Х as typed in plans
_HEADING_WORD_LENGTH = 5


# Tokens of context the model reads around a capital that may start a name: a name runs a
# few tokens (a body's name up to about fifteen) and the model needs a few before it.
WINDOW_BEFORE = 4
WINDOW_AFTER = 14


def open_pieces(doc: Doc, tokens: TokenOffsets) -> list[tuple[int, int]]:
    """The stretches of ``doc`` (token ranges) where a name may stand that no rule candidate
    covers: a window around each such capital, within its line or cell, overlapping windows
    joined. Only there is the model worth running (its spans elsewhere would be dropped as
    overlapping, or are sentence-initial words the filters reject anyway)."""
    text = document_text(doc)
    taken = _Taken((c.start, c.end) for c in doc._.candidates or [])
    pieces: list[tuple[int, int]] = []
    for piece in _PIECE_RE.finditer(text):
        line = tokens.expand(piece.start(), piece.end())
        if line is None or line[0] >= line[1]:
            continue
        line_start, line_end = line
        windows: list[list[int]] = []
        for capital in _INNER_CAPITAL_RE.finditer(text, piece.start(), piece.end()):
            if taken.overlaps(capital.start(), capital.start() + 1) or not may_start_name(capital.group()):
                continue  # inside a rule candidate, or a common word
            token = tokens.index(capital.start())
            if token < 0:
                continue
            lo = max(line_start, token - WINDOW_BEFORE)
            hi = min(line_end, token + WINDOW_AFTER)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        pieces += [(lo, hi) for lo, hi in windows]
    return pieces

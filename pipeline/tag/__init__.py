"""tag: find mentions of persons, organisations, roles, legal acts, programmes and dates.

The taggers are spaCy components on the Ukrainian language (``spacy.blank("uk")``),
registered with ``@Language.factory`` and run with ``nlp.pipe``. Each one proposes
:class:`Candidate` spans by *character* offsets (citations and glued names such as
``МальцеваК.В.`` do not follow token boundaries), and the ``mention_resolver`` keeps a
non-overlapping set. The text handed to the pipeline is the markup-masked document text, so
every offset is an offset into the source.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import spacy
from spacy.attrs import IDX, LENGTH, ORTH, SPACY
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from ..models import Measure, Mention, Period, SourceDocument


@dataclass(slots=True)
class TagContext:
    """What the taggers know about the document besides its text."""

    doc_id: str
    period: Period | None = None
    # Measures found by the segmenter: their executor cells are where roles act.
    measures: list[Measure] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """A proposed mention. Higher ``priority`` wins an overlap; then the longer span."""

    start: int
    end: int
    label: str
    priority: int
    source: str  # the component that proposed it
    # Facts the tagger saw that the normaliser needs (e.g. the list heading that gives an
    # act's type); the normaliser turns them into ``Mention.norm``.
    attrs: dict[str, Any] = field(default_factory=dict)


# Priorities: a citation swallows the dates and bodies inside it; a programme name beats the
# organisation or date inside it; a role phrase ("директори РЦСС") covers the body in it.
PRIORITY = {"LEGAL_ACT": 60, "PROGRAM": 50, "DATE": 40, "PERSON": 35, "ROLE": 32, "ORG": 30}

for _name in ("candidates", "context", "mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def document_text(doc: Doc) -> str:
    """The text a component reads. spaCy's ``doc.text`` joins every token anew on each
    access (the largest single cost once five taggers read it), so it is made once."""
    text = doc.user_data.get("plans.text")
    if text is None:
        text = doc.user_data["plans.text"] = doc.text
    return text


class TokenOffsets:
    """The offsets of a Doc's tokens as plain lists (read once from its arrays), and which
    token holds a character: ``Doc.char_span(…, alignment_mode="expand")`` for the many
    look-ups of one document. The tokens and their trailing white space tile the text, so
    the token at a character is the last to start at or before it."""

    def __init__(self, doc: Doc) -> None:
        if len(doc):
            starts, lengths, spaced = doc.to_array([IDX, LENGTH, SPACY]).T
            self.starts: list[int] = starts.tolist()
            self.ends: list[int] = (starts + lengths).tolist()
            self.spaced: list[bool] = spaced.astype(bool).tolist()
        else:
            self.starts, self.ends, self.spaced = [], [], []
        self.limit = self.ends[-1] + self.spaced[-1] if len(doc) else 0

    def index(self, char: int) -> int:
        """The token holding ``char`` (or its trailing white space); -1 outside the text."""
        if not 0 <= char < self.limit:
            return -1
        return bisect.bisect_right(self.starts, char) - 1

    def expand(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range of every token ``[start, end)`` touches (white space after a token
        is not the token); None outside the text."""
        first, last = self.index(start), self.index(end - 1)
        if first < 0 or last < 0:
            return None
        if start == self.ends[first]:
            first += 1
        return first, last + 1


def add_candidate(doc: Doc, start: int, end: int, label: str, source: str, **attrs: Any) -> None:
    ext = doc._  # spaCy builds a new accessor object on every ``doc._``: take it once
    candidates = ext.candidates
    if candidates is None:
        candidates = ext.candidates = []
    candidates.append(Candidate(start, end, label, PRIORITY[label], source, attrs))


def resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Greedy choice of non-overlapping candidates: priority first, then length, then position.

    The chosen spans are kept sorted by start, so each overlap test is a binary search and
    the whole choice stays O(n log n) however many candidates a long document has.
    """
    starts: list[int] = []
    chosen: list[Candidate] = []  # parallel to ``starts``
    ranked = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    for cand in ranked:
        if cand.end <= cand.start:
            continue
        i = bisect.bisect_left(starts, cand.start)
        if i < len(chosen) and chosen[i].start < cand.end:
            continue  # the next chosen span starts inside this one
        if i > 0 and chosen[i - 1].end > cand.start:
            continue  # the previous chosen span runs into this one
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen


@Language.factory("mention_resolver")
def make_mention_resolver(nlp: Language, name: str) -> "MentionResolver":
    return MentionResolver()


class MentionResolver:
    """Last component: turns the candidates into the document's non-overlapping mentions."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.mentions = resolve(doc._.candidates or [])
        return doc


# Component order: the order candidates are proposed does not matter (the resolver decides),
# but a later tagger may look at earlier candidates (e.g. roles next to names).
TAGGERS = ("legal_act_tagger", "program_tagger", "date_tagger", "person_tagger", "org_tagger", "role_tagger")


# Backends: the rules alone, or the rules plus a statistical PERSON/ORG model that speaks
# only where the rules say nothing (``statistical.py``). The spaCy model is the default;
# the Stanza one needs the optional stanza/torch install and is imported only when chosen.
BACKENDS = ("spacy", "stanza", "rules")
DEFAULT_BACKEND = "spacy"


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"unknown tagging backend {backend!r}; expected one of: {', '.join(BACKENDS)}")
    return backend


def _register_components() -> None:
    # Importing the modules runs their @Language.factory registrations.
    from . import dates, legal_acts, lemmatizer, orgs, persons, programs, roles, statistical  # noqa: F401


_TOKENIZER_CACHE_SIZE = 200_000  # chunks (runs between white space) whose split spaCy keeps


def build_nlp(taggers: Iterable[str] = TAGGERS, backend: str | None = None) -> Language:
    """The tagging pipeline; ``taggers`` picks a subset (e.g. to evaluate one of them).

    ``backend``: ``"spacy"`` (rules + the spaCy model), ``"stanza"`` (rules + the Stanza
    model) or ``"rules"``. Left out, the full tagger set gets the default model and a
    subset gets none, so that one tagger can still be evaluated on its own.
    """
    taggers = tuple(taggers)
    if backend is None:
        backend = DEFAULT_BACKEND if taggers == TAGGERS else "rules"
    check_backend(backend)
    _register_components()
    nlp = spacy.blank("uk")
    if isinstance(nlp.tokenizer, Tokenizer):
        # Room for the chunks of many plans (see _fill_tokenizer_cache): spaCy's default,
        # 10,000, is full after a few dozen documents and then caches nothing more.
        nlp.tokenizer.max_cache_size = _TOKENIZER_CACHE_SIZE
        nlp.tokenizer.rules = _without_plain_white_space(nlp.tokenizer.rules)
    for name in taggers:
        nlp.add_pipe(name)
    if backend != "rules":
        # after the rule taggers: it proposes only where none of them did
        nlp.add_pipe("statistical_ner", config={"backend": backend})
    nlp.add_pipe("mention_resolver")
    nlp.add_pipe("mention_lemmatizer")
    return nlp


def _without_plain_white_space(rules: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """spaCy's special cases less those for a bare line break, tab or space.

    Those only restate what the tokenizer does with white space anyway (one token, no other
    attribute), but any special case stops the tokenizer from caching the chunks after it
    in the text (see _fill_tokenizer_cache): without them it caches up to the first real
    special case (an abbreviation such as «м.»), not just to the first line break."""
    plain = {ch for ch in ("\n", "\t", " ") if rules.get(ch) == [{ORTH: ch}]}
    return {key: value for key, value in rules.items() if key not in plain}


_NLP: dict[str, Language] = {}


def get_nlp(backend: str = DEFAULT_BACKEND) -> Language:
    """The full tagging pipeline of ``backend``, built once per process and backend."""
    nlp = _NLP.get(check_backend(backend))
    if nlp is None:
        nlp = _NLP[backend] = build_nlp(TAGGERS, backend)
    return nlp


# Where a text may be cut into pieces that spaCy's tokenizer splits exactly as it splits
# the whole: after a line break or a tab (cell) that a non-space character follows, so
# that no chunk between white space, and no run of white space, is cut.
_PIECE_BREAK_RE = re.compile(r"(?<=[\n\t])(?=\S)")


def _fill_tokenizer_cache(nlp: Language, text: str) -> None:
    """Let spaCy's tokenizer remember the chunks of ``text`` before it tokenizes the whole.

    The tokenizer caches how it split each chunk (a run between white space), but stops
    caching for the rest of a text at the first special case it meets (an abbreviation
    such as «м.» or «р.», which plans use on every page), so past it every chunk goes through
    the prefix, suffix and infix searches again. Tokenizing the document cell by cell first
    lets each piece's chunks be cached up to its own first special case; the whole text is
    then tokenized, as before, mostly from the cache. The Doc is the same: spaCy caches
    only chunks whose split involved no special case, and a chunk's split depends on the
    chunk alone.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    for piece in _PIECE_BREAK_RE.split(text):
        tokenizer(piece)


def tag_documents(
    items: Iterable[tuple[SourceDocument, str, TagContext]],
    batch_size: int = 8,
    nlp: Language | None = None,
    backend: str = DEFAULT_BACKEND,
) -> Iterator[list[Mention]]:
    """Mentions for each ``(document, masked_text, context)``; texts in the order given.

    ``nlp``, when given, is used as built (its backend was chosen then); otherwise the
    cached pipeline of ``backend``. An unknown backend fails here, not at the first
    document."""
    check_backend(backend)
    return _tag(list(items), batch_size, nlp or get_nlp(backend))


def _tag(
    items: list[tuple[SourceDocument, str, TagContext]], batch_size: int, nlp: Language
) -> Iterator[list[Mention]]:
    def docs() -> Iterator[Doc]:
        for _, masked, ctx in items:
            _fill_tokenizer_cache(nlp, masked)
            doc = nlp.make_doc(masked)
            doc.user_data["plans.text"] = masked
            doc._.context = ctx
            yield doc

    for (source, _, _), doc in zip(items, nlp.pipe(docs(), batch_size=batch_size)):
        yield [
            Mention(c.start, c.end, c.label, source.text[c.start : c.end], hints=c.attrs)
            for c in doc._.mentions or []
        ]

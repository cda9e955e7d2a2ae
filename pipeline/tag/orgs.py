"""org_tagger: organisations, bodies and units, with a canonical name for linking.

A body's name in Ukrainian administrative text is a noun phrase around a *head noun*
(``управління``, ``центр``, ``служба``, ``рада`` …) in any case:

- adjectives before the head that agree with it, place adjectives among them
  (``Березанський міський центр``, ``районних в місті Києві центрів``);
- complements after it: genitive phrases (``соціального захисту населення та праці``),
  fixed prepositional phrases (``у справах дітей``, ``з питань …``, ``для сім'ї, дітей та
  молоді``, ``при виконавчому комітеті …``), an alternative in brackets (``(служба)``), a
  quoted name, a number, the parent body (``виконавчого комітету … ради``) or its
  abbreviation (``ЧМР``).

A head phrase is a body when something makes it specific (a complement, a place, a
quoted name, a capital in mid-sentence); a plural is a body only where a place fixes the
set. Besides head phrases the tagger finds legal-form names (``КНП «…»``, ``БО «БФ «…»»``),
abbreviations (defined in the document, or built from the usual parts: ``ЧМР``,
``ДОЦСС``), well-known national and international bodies, elliptic coordination
(``Оболонського та Дніпровського РЦСС``: one span per body) and items of executor lists.

Each mention gets ``norm = {"name", "abbreviation"}``: the canonical name in the nominative.
Within a document, short forms (``відділ освіти``, ``Центром соціальних служб``,
``ССД``) take the name of the fullest form of the same body, so they link together.
The word lists live in ``pipeline/data/orgs.toml``.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, repeat
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from ..morph import analyzer, parses
from . import add_candidate, document_text
from .abbreviations import Definition, find_definitions, initials, initials_match

# =========================================================================== tokens, words

_L = r"[^\W\d_]"
# Words keep inner apostrophes and hyphens ("сім’ї", "ВІЛ-інфікованих"); line breaks and
# tabs are tokens of their own because they separate table cells and list items.
# Each kind starts with characters of its own, so a token's text alone tells its kind.
# (Possessive quantifiers: nothing after a run of letters or digits could match if the run
# gave some back, so the regex engine need not keep the places to go back to.)
_TOKEN_KINDS = (
    ("w", rf"{_L}++(?:['’ʼ`]{_L}++|[-‐‑]{_L}++)*+"),
    ("n", r"\d++"),
    ("nl", r"\r\n|\r|\n"),
    ("tab", r"\t"),
    ("p", r"[^\s\w]"),
)
TOKEN_RE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _TOKEN_KINDS))
# The same tokens as one capturing group: re.split then returns the white space and the
# tokens in turn, without a match object per token.
_SPLIT_RE = re.compile("(" + "|".join(f"(?:{pattern})" for _, pattern in _TOKEN_KINDS) + ")")
# Roman numerals (quarters, convocations) look like abbreviations but are not.
_ROMAN_RE = re.compile(r"[IVXLCІХУМ]+")
_LABELS = frozenset({"Name", "Surn", "Patr", "Geox", "Abbr"})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


class Tok(NamedTuple):
    """A token (a tuple: documents have tens of thousands of them)."""

    start: int
    end: int
    text: str
    kind: str  # "w" word, "A" all-caps abbreviation, "n" number, "nl", "tab", "p" punctuation
    gap: int  # white space before the token (masked markup widens it)


def _kind(match: re.Match[str]) -> str:
    kind = match.lastgroup or "p"
    if kind == "w":
        word = match.group()
        if len(word) >= 2 and word.isupper():
            letters = word.replace("-", "")
            if len(letters) >= 2 and not _ROMAN_RE.fullmatch(letters):
                return "A"
    return kind


@lru_cache(maxsize=100_000)
def _token_kind(text: str) -> str:
    """The kind of a token, from its text (documents repeat their words)."""
    match = TOKEN_RE.match(text)
    assert match is not None and match.end() == len(text)
    # an abbreviation starts with a capital ("²Г" is a word)
    if match.lastgroup == "w" and text[0].isupper() and len(text) > 1 and text.isupper():
        return _kind(match)
    return match.lastgroup or "p"


class Tokens(Sequence[Tok]):
    """A text's tokens, kept column by column: a list of starts, of ends, of texts, of
    kinds and of gaps. Indexing one gives a :class:`Tok`, made on the spot.

    Documents have tens of thousands of tokens. One tuple object each (a NamedTuple stays
    tracked by the garbage collector for life, unlike a plain tuple of strings and ints)
    took longer to make than the split itself and made every full collection of the
    process walk them; five lists of strings and ints are a handful of objects. The
    grammars read the columns directly.
    """

    __slots__ = ("starts", "ends", "texts", "kinds", "gaps")

    def __init__(self, starts: list[int], ends: list[int], texts: list[str], kinds: list[str], gaps: list[int]):
        self.starts, self.ends, self.texts, self.kinds, self.gaps = starts, ends, texts, kinds, gaps

    @classmethod
    def of(cls, toks: "Sequence[Tok]") -> "Tokens":
        """The columns of a sequence of ``Tok`` (as is if it already has them)."""
        if isinstance(toks, Tokens):
            return toks
        cols = tuple(map(list, zip(*toks))) if toks else ([], [], [], [], [])
        return cls(*cols)

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.texts)))]
        # tuple.__new__ skips the NamedTuple's Python-level __new__
        return tuple.__new__(Tok, (self.starts[i], self.ends[i], self.texts[i], self.kinds[i], self.gaps[i]))

    def __iter__(self) -> Iterator[Tok]:
        return map(tuple.__new__, repeat(Tok), zip(self.starts, self.ends, self.texts, self.kinds, self.gaps))


def tokenize(text: str) -> Tokens:
    # Made without a Python-level step per token: the split gives white space, token,
    # white space, token, …, white space; the running sum of their lengths gives each
    # token's start and end.
    parts = _SPLIT_RE.split(text)
    bounds = list(accumulate(map(len, parts)))
    # (the last white space, after the last token, starts no token)
    texts = parts[1::2]
    return Tokens(bounds[0:-1:2], bounds[1::2], texts, list(map(_token_kind, texts)), list(map(len, parts[0:-1:2])))


def doc_tokens(doc: Doc) -> Tokens:
    """The document's tokens, made once and shared with the role tagger."""
    toks = doc.user_data.get("plans.tokens")
    if toks is None:
        toks = doc.user_data["plans.tokens"] = tokenize(document_text(doc))
    return toks


@lru_cache(maxsize=200_000)
def norm_word(word: str) -> str:
    low = word.lower()
    # str.translate is slow and most words have no apostrophe: translate only those that do
    if "’" in low or "ʼ" in low or "`" in low:
        return low.translate(_APOSTROPHES)
    return low


@dataclass(frozen=True, slots=True)
class Form:
    lemma: str  # lower case, apostrophes as "'"
    pos: str
    case: str | None
    number: str | None
    gender: str | None
    labels: frozenset[str]  # Name, Surn, Geox, Abbr …


def _plain(grammeme: str | None) -> str | None:
    return None if grammeme is None else str(grammeme)


@lru_cache(maxsize=200_000)
def forms(word: str) -> tuple[Form, ...]:
    out = []
    for p in parses(word):
        tag = p.tag
        labels = frozenset(tag.grammemes & _LABELS)
        case = tag.case
        if case is None and tag.POS in ("NOUN", "ADJF", "PRTF") and "Fixd" not in tag.grammemes:
            case = "nomn"  # the dictionary leaves the case off some nominatives ("відділ")
        # plain strings: pymorphy3's typed grammemes check every comparison in Python, and
        # the grammar compares cases, numbers and genders all the time
        out.append(
            Form(norm_word(p.normal_form), str(tag.POS), _plain(case), _plain(tag.number), _plain(tag.gender), labels)
        )
    return tuple(out)


@lru_cache(maxsize=200_000)
def is_function_word(word: str) -> bool:
    """A preposition, conjunction or particle, or most likely an adverb or a verb
    ("поруч", "дати")."""
    found = forms(word)
    if not found:
        return False
    return found[0].pos in ("ADVB", "VERB", "INFN") or any(f.pos in ("PREP", "CONJ", "PRCL") for f in found)


@lru_cache(maxsize=200_000)
def cases(word: str, pos: str) -> frozenset[str]:
    """Cases ``word`` can be in as a ``NOUN`` or as an adjective (``ADJ``: ADJF, PRTF)."""
    want = ("ADJF", "PRTF") if pos == "ADJ" else (pos,)
    return frozenset(f.case for f in forms(word) if f.pos in want and f.case)


# The grammar's own shortcuts to ``cases``: a cache keyed by the word alone is quicker to
# look up than one keyed by (word, pos).
@lru_cache(maxsize=200_000)
def noun_cases(word: str) -> frozenset[str]:
    return cases(word, "NOUN")


@lru_cache(maxsize=200_000)
def adj_cases(word: str) -> frozenset[str]:
    return cases(word, "ADJ")


@lru_cache(maxsize=200_000)
def head_forms(word: str, data: "OrgData") -> tuple["Form", ...]:
    """The analyses of ``word`` as a head noun of a body's name (none for most words)."""
    if norm_word(word)[:3] not in data.head_prefixes:
        return ()
    return tuple(f for f in forms(word) if f.pos == "NOUN" and f.lemma in data.heads)


@lru_cache(maxsize=200_000)
def adj_forms(word: str) -> tuple[Form, ...]:
    """The analyses of ``word`` as an adjective or participle (cached: the grammar asks
    for them at every word before a head)."""
    return tuple(f for f in forms(word) if f.pos in ("ADJF", "PRTF"))


@lru_cache(maxsize=200_000)
def adj_lemma_set(word: str) -> frozenset[str]:
    """The lemmas of ``word`` read as an adjective or participle."""
    return frozenset(f.lemma for f in adj_forms(word))


@lru_cache(maxsize=200_000)
def noun_lemmas(word: str, case: str | None = None) -> frozenset[str]:
    return frozenset(f.lemma for f in forms(word) if f.pos == "NOUN" and (case is None or f.case == case))


@lru_cache(maxsize=200_000)
def lemma_set(word: str) -> frozenset[str]:
    """The lemmas of all the analyses of ``word``."""
    return frozenset(f.lemma for f in forms(word))


@lru_cache(maxsize=100_000)
def _np_lemma(word: str, case: str, heads: frozenset[str]) -> str | None:
    """The lemma of a noun phrase's first noun ``word`` in ``case``; a body's head noun
    if it can be one ("ради" is the council, not "рад", gladness)."""
    found = noun_lemmas(word, case)
    return min(found & heads or found) if found else None


@lru_cache(maxsize=8)
def _adjectives_by_head(phrases: frozenset[str]) -> dict[str, frozenset[str]]:
    """``{"head": {"adjective", …}}`` for phrases "adjective head": ``f"{a} {head}" in
    phrases`` is then a look-up in a set, not a string to build. Every space splits."""
    out: dict[str, set[str]] = defaultdict(set)
    for phrase in phrases:
        for k, ch in enumerate(phrase):
            if ch == " ":
                out[phrase[k + 1 :]].add(phrase[:k])
    return {head: frozenset(adjectives) for head, adjectives in out.items()}


def first_lemma(word: str) -> str:
    found = forms(word)
    return found[0].lemma if found else norm_word(word)


def agrees(adj: Form, noun: Form) -> bool:
    """Same case and number, and the same gender in the singular."""
    if adj.case != noun.case or adj.number != noun.number:
        return False
    return noun.number == "plur" or adj.gender is None or noun.gender is None or adj.gender == noun.gender


# A head phrase narrows the readings of its head noun with each adjective before it. The
# readings left are a bit mask over ``head_forms(head, data)``: the same adjectives stand
# before the same heads throughout a corpus, so the agreement of each pair is cached.


@lru_cache(maxsize=100_000)
def _agreeing_readings(adjective: str, head: str, data: "OrgData") -> int:
    """Bit k: an adjective reading of ``adjective`` agrees with head reading k."""
    afs = adj_forms(adjective)
    mask = 0
    for k, hf in enumerate(head_forms(head, data)):
        if any(agrees(a, hf) for a in afs):
            mask |= 1 << k
    return mask


@lru_cache(maxsize=20_000)
def _plural_readings(head: str, data: "OrgData") -> int:
    mask = 0
    for k, hf in enumerate(head_forms(head, data)):
        if hf.number == "plur":
            mask |= 1 << k
    return mask


def _readings(hforms: tuple[Form, ...], mask: int) -> list[Form]:
    return [hf for k, hf in enumerate(hforms) if mask >> k & 1]


# prefer the nominative, then the case most heads of names are in
_CASE_ORDER = {"nomn": 0, "gent": 1, "ablt": 2, "datv": 3, "loct": 4, "accs": 5, "voct": 6}


def _head_form_rank(form: Form) -> tuple[bool, int]:
    """Bodies are named in the singular far more often ("комісії" is a genitive singular
    before a nominative plural); then the nominative first."""
    return form.number == "plur", _CASE_ORDER.get(form.case or "", 9)


@lru_cache(maxsize=100_000)
def _preferred_reading(head: str, data: "OrgData", mask: int) -> Form:
    return min(_readings(head_forms(head, data), mask), key=_head_form_rank)


# A place adjective: capitalised, with the -ськ-/-цьк-/-зьк- of adjectives made from place
# names ("Березанської", "Сватівський", "Дарницького"); a word cut at a page edge
# ("Дніпровськог") keeps the shape.
PLACE_ADJ_RE = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ'’ʼ]*(?:-[А-ЯІЇЄҐ]?[а-яіїєґ'’ʼ]+)*(?:ськ|цьк|зьк)[а-яіїєґ]{0,3}")


@lru_cache(maxsize=200_000)
def is_place_adj(word: str) -> bool:
    """A capitalised adjective made from a place name ("Березанської", "Дарницького");
    common adjectives of the same shape ("Міський", "Громадська") are not."""
    if not PLACE_ADJ_RE.fullmatch(word):
        return False
    return not any(f.lemma in DATA.not_place_adjectives for f in forms(word))


@lru_cache(maxsize=50_000)
def is_common_word(abbr: str) -> bool:
    """An all-caps word that the dictionary knows as an ordinary word, not an abbreviation."""
    word = abbr.lower()
    if not analyzer().word_is_known(word):
        return False
    return not any("Abbr" in p.tag.grammemes for p in parses(word))


def built_from_components(abbr: str, data: "OrgData") -> bool:
    """``ЧМР`` (Ч + міська рада), ``ДОЦСС`` (Д + обласний + центр соціальних служб):
    a body type's letters after at most one place initial and level letters."""
    for comp in data.components:
        if abbr.endswith(comp):
            prefix = abbr[: -len(comp)]
            rest = prefix[1:] if prefix and prefix[0] not in data.level_letters else prefix
            if len(prefix) <= 3 and all(ch in data.level_letters for ch in rest):
                return True
    return False


def is_cap(word: str) -> bool:
    return word[:1].isupper()


_WORD_KINDS = frozenset({"w", "A"})


def match_case(original: str, made: str) -> str:
    """``made`` with the capital letter and apostrophe of ``original``."""
    for apo in "’ʼ`":
        if apo in original:
            made = made.replace("'", apo)
            break
    if original.isupper() and len(original) > 1:
        return made.upper()
    return made[:1].upper() + made[1:] if original[:1].isupper() else made


@lru_cache(maxsize=50_000)
def inflect(word: str, form: Form, number: str | None, gender: str | None) -> str:
    """``word`` (analysed as ``form``) in the nominative of ``number``/``gender``."""
    want = {"nomn"}
    if number == "plur":
        want.add("plur")
    elif gender and form.pos != "NOUN":
        want.add(gender)
    if number == "sing" and form.number == "plur":
        # a plural made singular: the noun's normal form, the adjective in the gender
        if form.pos == "NOUN":
            return match_case(word, form.lemma)
        want = {"nomn", gender or "masc"}
    for p in parses(word):
        tag = p.tag
        if norm_word(p.normal_form) != form.lemma or tag.case != form.case or str(tag.POS) != form.pos:
            continue
        if form.number and tag.number != form.number:
            continue
        made = p.inflect(want)
        if made is not None:
            return match_case(word, made.word)
        # the dictionary leaves the case off some nominatives; the normal form is the
        # nominative singular (masculine for adjectives)
        if number != "plur" and (form.pos == "NOUN" or gender in (None, "masc")):
            return match_case(word, p.normal_form)
    return word


# =========================================================================== data


def _norm_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(norm_word(w) for w in words)


@dataclass(frozen=True, eq=False)
class OrgData:
    strong: frozenset[str]
    weak: frozenset[str]
    strict: frozenset[str]
    topic_heads: frozenset[str]
    named_after: frozenset[str]
    generic_phrases: frozenset[str]
    action_heads: frozenset[str]
    self_specific: frozenset[str]
    specific_bare: frozenset[str]
    complete: frozenset[str]
    levels: frozenset[str]
    requires: dict[str, frozenset[str]]
    class_markers: frozenset[str]
    non_body: frozenset[str]
    stop_nouns: frozenset[str]
    with_nouns: frozenset[str]
    prepositions: dict[str, frozenset[str]]
    place_nouns: frozenset[str]
    legal_forms: dict[str, str]
    non_bodies: frozenset[str]
    components: dict[str, str]
    level_letters: dict[str, str]
    known: dict[str, str]
    national_suffix: str
    national_heads: tuple[str, ...]
    place_names: frozenset[str]
    not_place_adjectives: frozenset[str]
    needs_modifier: frozenset[str]
    heads: frozenset[str] = frozenset()
    # first three letters of every head lemma: words with other beginnings are not
    # analysed when looking for heads (most words of a text are not heads)
    head_prefixes: frozenset[str] = frozenset()


def load_data(path: Path | None = None) -> OrgData:
    path = path or Path(__file__).resolve().parent.parent / "data" / "orgs.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    heads, comp, abbr = raw["heads"], raw["complements"], raw["abbreviations"]
    known: dict[str, str] = {}
    for entry in raw.get("known", []):
        for form in entry["forms"]:
            known[form] = entry["name"]
    return OrgData(
        strong=_norm_set(heads["strong"]),
        weak=_norm_set(heads["weak"]),
        strict=_norm_set(heads["strict"]),
        topic_heads=_norm_set(heads["topic_heads"]),
        named_after=_norm_set(heads["named_after"]),
        generic_phrases=_norm_set(heads["generic_phrases"]),
        action_heads=_norm_set(heads["action_heads"]),
        self_specific=_norm_set(heads["self_specific"]),
        specific_bare=_norm_set(heads["specific_bare"]),
        complete=_norm_set(heads["complete"]),
        levels=_norm_set(heads["level_adjectives"]),
        requires={norm_word(k): _norm_set(v) for k, v in heads.get("requires", {}).items()},
        class_markers=_norm_set(comp["class_markers"]),
        non_body=_norm_set(comp["non_body"]),
        stop_nouns=_norm_set(comp["stop_nouns"]),
        with_nouns=_norm_set(comp["with_nouns"]),
        prepositions={k: _norm_set(v) for k, v in comp["prepositions"].items()},
        place_nouns=_norm_set(raw["place"]["nouns"]),
        legal_forms=dict(raw["legal_forms"]),
        non_bodies=frozenset(abbr["non_bodies"]),
        components=dict(abbr["components"]),
        level_letters=dict(abbr["levels"]),
        known=known,
        national_suffix=raw["national"]["suffix"],
        national_heads=tuple(norm_word(h) for h in raw["national"]["heads"]),
        place_names=_norm_set(raw["place"]["names"]),
        not_place_adjectives=_norm_set(raw["place"]["not_place_adjectives"]),
        needs_modifier=_norm_set(heads["needs_modifier"]),
        heads=_norm_set(heads["strong"] + heads["weak"] + heads["strict"] + heads["self_specific"]),
        head_prefixes=frozenset(
            norm_word(h)[:3] for h in heads["strong"] + heads["weak"] + heads["strict"] + heads["self_specific"]
        ),
    )


DATA = load_data()

OPEN_QUOTES = "«„“\""
CONJ = frozenset({"та", "і", "й"})
# Punctuation after which a capital letter starts a sentence or a list item, so says
# nothing about a name.
_SENTENCE_START = frozenset(".!?:;-–—•·*▪")
# Prepositions and other words that stop a genitive phrase.
_STOP_WORDS = frozenset(
    "у в з із зі до на від за по при для про через між над під перед без щодо як що "
    "які який яка яке та і й або чи а але також тощо".split()
)


@lru_cache(maxsize=200_000)
def ends_noun_phrase(word: str) -> bool:
    """A stop word or a function word: no part of a noun phrase."""
    return norm_word(word) in _STOP_WORDS or is_function_word(word)


# =========================================================================== phrases


@dataclass(slots=True)
class Phrase:
    """A candidate body: tokens ``[start, end)`` of the document."""

    start: int
    end: int
    kind: str  # "head", "abbr", "legal", "known", "gloss", "ellipsis", "item"
    head: int | None = None
    form: Form | None = None  # the head's analysis (case, number, gender)
    adjs: list[int] = field(default_factory=list)
    place: bool = False  # a place adjective or "в місті Києві" before the head
    place_after: bool = False  # a place after the head ("ЦСС м. Києва")
    elliptic: bool = False  # the last of coordinated places sharing a plural head
    units: int = 0  # complements after the head
    quote: bool = False
    numbered: bool = False
    abbr_suffix: bool = False
    proper_complement: bool = False  # a name in the complement ("інститут Гордона Ньюфелда")
    parent_at: int | None = None  # where the parent body starts in the complement
    first_noun: str | None = None
    name: str = ""
    abbreviation: str | None = None
    owner: "Phrase | None" = None  # an elliptic item's body, whose noun it shares


@dataclass(slots=True)
class _Extension:
    """The state of extending a phrase over its complements."""

    ph: Phrase
    complete: bool  # a complete council's name: only places and topics may follow
    topic_ok: bool
    depth: int
    head_cap: bool  # the head noun is capitalised
    last: str = "head"  # what the previous unit was: head, genitive, place, topic, parent …

    def took(self, stop: int | None, kind: str, count: bool = True) -> int | None:
        if stop is not None:
            self.last = kind
            self.ph.units += int(count)
        return stop

    def parent(self, stop: int | None, at: int, abbreviation: bool = True) -> int | None:
        """The parent body (its abbreviation, or its name) from token ``at``."""
        if stop is not None:
            self.ph.abbr_suffix = self.ph.abbr_suffix or abbreviation
            if self.ph.parent_at is None:
                self.ph.parent_at = at
            self.last = "parent"
            self.ph.units += 1
        return stop


@dataclass(slots=True)
class _NP:
    end: int  # token index after the phrase
    first_noun: int | None  # index of its first noun
    lemma: str | None  # lemma of that noun


class _Finder:
    """The grammar of bodies' names, over the tokens of one text."""

    def __init__(self, text: str, toks: Sequence[Tok], data: OrgData = DATA):
        self.text = text
        self.toks = toks = Tokens.of(toks)
        self.n = len(toks)
        self.data = data
        # The grammar asks for the same facts of the same tokens again and again: it reads
        # the columns, not a Tok made for each question.
        self._texts: list[str] = toks.texts
        self._kinds: list[str] = toks.kinds
        self._gaps: list[int] = toks.gaps
        self._is_word: list[bool] = list(map(_WORD_KINDS.__contains__, self._kinds))
        self._distinct = set(self._texts)
        # the analyses of the words that can head a body's name, by token index (the
        # prefix test is head_forms' own first step, without a look-up in its cache)
        prefixes = data.head_prefixes
        self._head_at = {
            i: head_forms(self._texts[i], data)
            for i in self._indices_of(
                [w for w in self._distinct if norm_word(w)[:3] in prefixes and head_forms(w, data)]
            )
            if self._kinds[i] == "w"
        }
        self._head_idx: list[int] | None = None
        # abbreviation -> (is a body, canonical name or None)
        self.defined: dict[str, tuple[bool, str | None]] = {}
        self.multiword: dict[tuple[str, ...], str | None] = {}
        # names_body's answers by head index: (answer, depth found at, whether the depth
        # limit cut a phrase short on the way); the abbreviations defined change them
        self._names_body: dict[int, tuple[bool, int, bool]] = {}
        self._depth_cuts = 0  # how many times the depth limit cut a phrase short

    # ------------------------------------------------------------------ token helpers

    def word(self, i: int) -> Tok | None:
        if 0 <= i < self.n and self._is_word[i]:
            return self.toks[i]
        return None

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self._is_word[i]

    def text_of(self, i: int) -> str:
        return self._texts[i] if 0 <= i < self.n else ""

    def low_of(self, i: int) -> str:
        """``norm_word`` of token ``i``'s text ("" outside the text)."""
        return norm_word(self._texts[i]) if 0 <= i < self.n else ""

    def tokens_where(self, wanted: Callable[[str], bool]) -> list[int]:
        """Indices of the tokens whose text passes ``wanted``, in order.

        The test runs once per distinct text, not once per token: a document repeats its
        words, and the scans for heads, known names, Latin names and legal forms each
        pick out only a few tokens.
        """
        return self._indices_of([w for w in self._distinct if wanted(w)])

    def _indices_of(self, texts: list[str]) -> list[int]:
        """Indices of the tokens whose text is one of ``texts``."""
        if not texts:
            return []
        # compress and map run in C; a dict of indices by text would make a list per text
        # of the document, and more objects for the garbage collector to go through
        wanted = frozenset(texts)
        return list(compress(range(self.n), map(wanted.__contains__, self._texts)))

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self.toks.starts, offset)

    def boundary(self, i: int) -> bool:
        """A cell or line ends before token ``i``."""
        return i >= self.n or self._kinds[i] in ("nl", "tab")

    def span_text(self, start: int, end: int) -> str:
        """Tokens ``[start, end)`` with white space collapsed to single spaces."""
        out: list[str] = []
        broken = False
        texts, kinds, gaps = self._texts, self._kinds, self._gaps
        for k in range(start, end):
            if kinds[k] in ("nl", "tab"):
                broken = True
                continue
            text = texts[k]
            if out and (gaps[k] or broken) and text not in ".,)»”" and out[-1] not in "(«„":
                out.append(" ")
            broken = False
            out.append(text)
        return "".join(out)

    def sentence_start(self, i: int) -> bool:
        """Token ``i`` opens a sentence, a cell or a list item."""
        j = i - 1
        if j < 0:
            return True
        kind = self._kinds[j]
        if kind in ("nl", "tab", "n"):
            return True
        return kind == "p" and self._texts[j] in _SENTENCE_START

    # ------------------------------------------------------------------ word classes

    def head_forms(self, i: int) -> tuple[Form, ...]:
        return self._head_at.get(i, ())

    def is_head_word(self, i: int) -> bool:
        return i in self._head_at

    @property
    def head_indices(self) -> list[int]:
        """Indices of the tokens that can head a body's name, found once."""
        if self._head_idx is None:
            prefixes, texts = self.data.head_prefixes, self._texts
            self._head_idx = [i for i in self._head_at if norm_word(texts[i][:3]) in prefixes]
        return self._head_idx

    @staticmethod
    def is_name(word: str) -> bool:
        return any(f.labels & {"Name", "Surn"} for f in forms(word))

    def cap_ok(self, word: str) -> bool:
        """A capitalised word that may stand inside a complement."""
        if is_place_adj(word):
            return True
        if "-" in word and word.split("-")[0].isupper():  # "ВІЛ-інфекції"
            return True
        for f in forms(word):
            if "Abbr" in f.labels or f.lemma in self.data.heads or f.lemma in self.data.place_names:
                return True
        return False

    # ------------------------------------------------------------------ abbreviations

    def abbr_status(self, abbr: str) -> bool | None:
        """True: names a body; False: never does; None: unknown."""
        if abbr in self.defined:
            return self.defined[abbr][0]
        if abbr in self.data.known:
            return True
        if abbr in self.data.legal_forms or abbr in self.data.non_bodies:
            return False
        if len(abbr) >= 4 and is_common_word(abbr):
            return False  # "ВОДА" in a line written in capitals
        return True if built_from_components(abbr, self.data) else None

    def abbr_run(self, i: int) -> int | None:
        """End of a run of abbreviations at ``i`` that names a body ("ЦСС ПМР ДО")."""
        texts, kinds, gaps = self._texts, self._kinds, self._gaps
        if not (0 <= i < self.n and kinds[i] == "A"):
            return None
        for words, _ in sorted(self.multiword.items(), key=lambda kv: -len(kv[0])):
            if all(self.text_of(i + k) == w and (k == 0 or gaps[i + k] <= 2) for k, w in enumerate(words)):
                return i + len(words)
        j, body = i, False
        while j < self.n and kinds[j] == "A" and (j == i or gaps[j] <= 2):
            status = self.abbr_status(texts[j])
            if status is False:
                break
            if status is None and len(texts[j]) > 3:
                break
            body = body or bool(status)
            j += 1
        # a trailing unknown token joins only after a body ("ЦСС ПМР ДО", not "ДО ЦСС")
        while j > i and self.abbr_status(texts[j - 1]) is None and not body:
            j -= 1
        return j if body and j > i else None

    # ------------------------------------------------------------------ quotes, brackets

    def quote(self, i: int) -> int | None:
        """End (exclusive) of a quoted name opening at ``i``; nested quotes allowed.

        An unbalanced name (``«Лікарня «Соціотерапія»`` then other text) ends at the first
        inner closing quote once the line, the cell or 40 tokens run out.
        """
        if self.text_of(i) not in OPEN_QUOTES:
            return None
        depth, inner_close = 0, None
        j = i
        texts, kinds, gaps = self._texts, self._kinds, self._gaps
        while j < self.n and j - i < 40:
            if kinds[j] in ("nl", "tab") or (j > i and gaps[j] >= 5):
                break
            ch = texts[j]
            if ch == '"':
                depth = depth - 1 if depth else depth + 1
            elif ch in "«„" or (ch == "“" and (j == i or kinds[j - 1] != "w")):
                depth += 1
            elif ch in "»”“":
                depth -= 1
            if depth == 0 and j > i:
                return j + 1 if j > i + 1 else None
            if depth == 1 and ch in "»”“" and inner_close is None and j > i:
                inner_close = j + 1
            j += 1
        return inner_close

    def paren(self, i: int) -> int | None:
        """An alternative or an explanation in brackets inside a name:
        ``Управління (служба) у справах дітей``, ``центр … (надання соціальних послуг)``."""
        if self.text_of(i) != "(":
            return None
        words: list[str] = []
        j = i + 1
        texts, kinds = self._texts, self._kinds
        while j < self.n and j - i < 8:
            text = texts[j]
            if text == ")":
                break
            if kinds[j] != "w" or is_cap(text):
                return None
            words.append(text)
            j += 1
        if j >= self.n or texts[j] != ")" or not words:
            return None
        first = words[0]
        fs = forms(first)
        if not any(f.pos == "NOUN" for f in fs) or any(f.pos in ("ADJF", "PRTF", "PREP") for f in fs):
            return None
        return j + 1

    # ------------------------------------------------------------------ noun phrases

    def gen_np(self, i: int, allow_cap: bool = False, case: str = "gent", names_ok: bool = False) -> _NP | None:
        """A phrase of words that can all be in ``case`` (adjectives and nouns), from ``i``."""
        k, first_noun, last_noun = i, None, None
        n, texts, kinds = self.n, self._texts, self._kinds
        while k < n:
            if kinds[k] != "w":
                break
            word = texts[k]
            if ends_noun_phrase(word):
                break
            cap = word[0].isupper()
            if cap and not (
                allow_cap or self.cap_ok(word) or self.starts_body(k) or (names_ok and self.is_name(word))
            ):
                break
            if len(word) == 1 or (cap and self.initials_at(k + 1)):
                break  # "м." of a place; a person's name ("центру Петренко О.В.")
            if self._gaps[k] >= 5 and k > i:  # masked markup between: another cell or paragraph
                break
            if last_noun is not None and self.starts_body(k):
                break  # the parent body starts here: a unit of its own
            if case in noun_cases(word):
                first_noun = k if first_noun is None else first_noun
                last_noun = k
            elif case not in adj_cases(word):
                break
            elif (
                k + 1 < n
                and norm_word(texts[k + 1]) in CONJ
                and self.is_word(k + 2)
                and case in adj_cases(texts[k + 2])
                and case not in noun_cases(texts[k + 2])
            ):
                k += 2  # "сімейної та ґендерної політики": coordinated adjectives
            k += 1
            # "ВІЛ-інфекції/СНІДу": a slash joins two nouns
            if k + 1 < n and texts[k] == "/" and self._is_word[k + 1] and case in noun_cases(texts[k + 1]):
                last_noun = k + 1
                k += 2
        if k == i:
            return None
        if last_noun is None:
            # adjectives cut off at a page or cell edge ("… Березанської міської" | "ради")
            if self.boundary(k):
                return _NP(k, None, None)
            return None
        end = k if self.boundary(k) else last_noun + 1
        assert first_noun is not None
        return _NP(end, first_noun, _np_lemma(texts[first_noun], case, self.data.heads))

    def initials_at(self, k: int) -> bool:
        """Token ``k`` starts a person's initials ("О.", "О.В.")."""
        if not self.is_word(k):
            return False
        text = self._texts[k]
        return len(text) == 1 and text.isupper() and self.text_of(k + 1) == "."

    def named_after(self, j: int) -> int | None:
        """``імені В.Н. Каразіна``, ``імені Тараса Шевченка``: the end, or None."""
        k, words = j + 1, 0
        while k < self.n and k - j < 8:
            if self.initials_at(k):
                k += 2
                continue
            if not self.is_word(k) or not is_cap(self._texts[k]) or self._gaps[k] > 2:
                break
            k += 1
            words += 1
        return k if words else None

    def np_in(self, i: int, case: str, lemmas: frozenset[str] | None = None) -> int | None:
        """Adjectives then a noun in ``case`` (its lemma in ``lemmas`` if given); end index."""
        k = i
        while k < self.n and k - i < 5 and self._kinds[k] == "w":
            w = self._texts[k]
            nl = noun_lemmas(w, case)
            if nl and (not lemmas or nl & lemmas):
                return k + 1
            if case in adj_cases(w) and norm_word(w) not in _STOP_WORDS:
                k += 1
                continue
            return None
        return None

    def place_after_prep(self, i: int) -> int | None:
        """``місті Києві``, ``м. Києві``, ``Харківській області`` after ``в``/``у``."""
        if not self.is_word(i):
            return None
        texts = self._texts
        low = norm_word(texts[i])
        if low in ("місті", "місто") and self.is_word(i + 1) and is_cap(texts[i + 1]):
            return i + 2
        if low == "м" and self.text_of(i + 1) == "." and self.is_word(i + 2) and is_cap(texts[i + 2]):
            return i + 3
        if is_place_adj(texts[i]) and self.is_word(i + 1) and noun_lemmas(texts[i + 1], "loct") & self.data.place_nouns:
            return i + 2
        return None

    # ------------------------------------------------------------------ complements

    def prep_complement(self, i: int) -> int | None:
        low = norm_word(self._texts[i])
        allowed = self.data.prepositions.get(low)
        if low in ("в", "у"):
            place = self.place_after_prep(i + 1)
            if place:
                return place
            return self.np_in(i + 1, "loct", allowed) if allowed else None
        if low == "при":
            return self.np_in(i + 1, "loct")
        if low in ("з", "із", "зі"):
            end = self.np_in(i + 1, "gent", allowed) if allowed else None
            return end or self.np_in(i + 1, "ablt", self.data.with_nouns)
        if low == "по":
            return self.np_in(i + 1, "datv", allowed) or self.np_in(i + 1, "loct", allowed)
        if low == "для":
            return self.np_in(i + 1, "gent", allowed)
        return None

    def coordination(self, i: int) -> int | None:
        """``та праці``, ``, молоді та спорту``: more nouns of the same complement."""

        def ok(np: _NP | None) -> bool:
            # a conjunct that starts a new body or a new part of the sentence ends the name
            if np is None or np.first_noun is None or np.lemma is None:
                return False
            if np.lemma in self.data.heads or np.lemma in self.data.stop_nouns:
                return False
            noun = self._texts[np.first_noun]
            return not is_place_adj(noun) and (not is_cap(noun) or self.cap_ok(noun))

        if norm_word(self._texts[i]) in CONJ:
            np = self.gen_np(i + 1)
            if ok(np) and not (np and self.starts_body(i + 1)):
                return np.end
            return None
        if self._texts[i] != ",":
            return None
        k = i
        while self.text_of(k) == ",":
            np = self.gen_np(k + 1)
            if not ok(np) or self.starts_body(k + 1) or any(is_cap(self._texts[x]) for x in range(k + 1, np.end)):
                return None
            k = np.end
        if self.low_of(k) in CONJ:
            np = self.gen_np(k + 1)
            if ok(np) and not self.starts_body(k + 1):
                return np.end
        return None

    def starts_body(self, i: int) -> bool:
        """Adjectives and then a head noun, or a body abbreviation, start at ``i``."""
        k, n, heads, texts, is_word = i, self.n, self._head_at, self._texts, self._is_word
        while (
            0 <= k < n
            and is_word[k]
            and k not in heads
            and (is_place_adj(texts[k]) or (adj_cases(texts[k]) and not noun_cases(texts[k])))
        ):
            k += 1
        if k in heads:
            return True
        # only an abbreviation starts a run of them (the common case: no abbreviation)
        return 0 <= k < n and self._kinds[k] == "A" and bool(self.abbr_run(k))

    def complements(self, ph: Phrase, i: int, depth: int = 0) -> None:
        """Extend ``ph`` over the complements that start at token ``i``, one unit at a
        time (a bracket, a quoted name, a number, an abbreviation, a coordinated noun, a
        prepositional phrase, a genitive phrase); the first token no unit takes ends it."""
        d = self.data
        lemma = ph.form.lemma if ph.form else ""
        head_cap = ph.head is not None and is_cap(self._texts[ph.head])
        st = _Extension(
            ph,
            complete=lemma in d.complete and (lemma in d.self_specific or not d.levels.isdisjoint(self.adj_lemma_set(ph))),
            # topic complements ("з питань …", "у справах …") belong to the head itself
            topic_ok=lemma in d.topic_heads or bool(ph.adjs) or head_cap,
            depth=depth,
            head_cap=head_cap,
        )
        end = j = i
        n, kinds, gaps = self.n, self._kinds, self._gaps
        while j < n:
            kind = kinds[j]
            if (gaps[j] >= 5 and j > i) or kind == "tab":
                break  # another cell, or a paragraph of masked markup
            if kind == "nl":
                k = self.line_continuation(j, st.complete or ph.parent_at is not None, ph.units == 0)
                if k is None:
                    break
                j = k
                continue
            stop = self.unit(st, j)
            if stop is None:
                break
            j = end = stop
        ph.end = max(ph.end, end)

    def unit(self, st: "_Extension", j: int) -> int | None:
        """The end of the complement unit at ``j``, or None; records what it was."""
        text, kind, ph = self._texts[j], self._kinds[j], st.ph
        if text == "(":
            return st.took(self.paren(j), "paren")
        if text in OPEN_QUOTES and st.last == "head":
            stop = self.quote(j)
            ph.quote = ph.quote or stop is not None
            return st.took(stop, "quote", count=False)
        if text == "№" and j + 1 < self.n and self._kinds[j + 1] == "n":
            ph.numbered = True
            return st.took(j + 2, "number")
        if kind == "A":
            stop = self.abbr_run(j)
            if stop is None and st.last == "head" and self.abbr_status(text) is None:
                stop = j + 1  # "Управління МНС …": an unknown abbreviation names the parent
            return st.parent(stop, j)
        if text == ",":
            ok = ph.units and not st.complete and ph.parent_at is None
            return st.took(self.coordination(j) if ok else None, st.last, count=False)
        if kind != "w":
            return None
        low = norm_word(text)
        if low == "м" and self.text_of(j + 1) == "." and self.is_word(j + 2) and is_cap(self._texts[j + 2]):
            ph.place_after = True  # "ЦСС м. Києва"
            return st.took(j + 3, "place")
        if low in CONJ:
            ok = ph.units and not st.complete and ph.parent_at is None
            return st.took(self.coordination(j) if ok else None, st.last, count=False)
        if low in self.data.prepositions:
            return self.prep_unit(st, j, low)
        if low == "імені":
            stop = self.named_after(j)
            ph.proper_complement = ph.proper_complement or stop is not None
            return st.took(stop, "name")
        stop = self.adjectives_abbr(j)
        if stop is not None:  # "Рівненської ОДА": the parent by its abbreviation
            return st.parent(stop, j)
        return self.genitive_unit(st, j)

    def prep_unit(self, st: "_Extension", j: int, prep: str) -> int | None:
        """``у справах дітей``, ``з питань …``, ``для сім'ї …``, ``при виконавчому комітеті``,
        ``в Харківській області``."""
        d = self.data
        topic = prep in ("з", "із", "у", "в", "по") and not self.place_after_prep(j + 1)
        if topic and not (st.topic_ok and st.last in ("head", "place", "country", "paren")):
            # a topic after other complements is the topic of the sentence, not of the body;
            # "з інвалідністю" after "осіб" belongs to them
            if not (prep in ("з", "із", "зі") and self.np_in(j + 1, "ablt", d.with_nouns)):
                return None
        if st.complete and prep not in ("з", "із", "у", "в"):
            return None
        return st.took(self.prep_complement(j), "topic" if topic else "prep")

    def genitive_unit(self, st: "_Extension", j: int) -> int | None:
        """A genitive phrase: the body's domain (``соціального захисту населення``), its
        parent (``виконавчого комітету … ради``), a place or the country."""
        d, ph = self.data, st.ph
        lemma = ph.form.lemma if ph.form else ""
        # a person's name right after the head names an institution after them
        names_ok = st.last == "head" and lemma in d.named_after
        np = self.gen_np(j, allow_cap=st.head_cap, names_ok=names_ok)
        if np is None:
            # "запобігання поширенню …": a verbal noun governs a dative
            return st.took(self.np_in(j, "datv"), "genitive") if st.last == "verbal" else None
        is_parent = np.lemma in d.heads and self.names_body(np, st.depth)
        if st.complete and not is_parent and np.lemma not in d.place_nouns and np.lemma != "україна":
            return None
        first = self._texts[np.first_noun] if np.first_noun is not None else ""
        if names_ok and first and is_cap(first) and self.is_name(first):
            ph.proper_complement = True
        if is_parent:
            return st.parent(np.end, j, abbreviation=False)
        if ph.units == 0:
            ph.first_noun = np.lemma
        last_word = norm_word(self._texts[np.end - 1])
        kind = "country" if np.lemma == "україна" else "verbal" if last_word.endswith(("ння", "ття")) else "genitive"
        return st.took(np.end, kind)

    def adjectives_abbr(self, j: int) -> int | None:
        """Place or level adjectives then a body abbreviation (``Рівненської ОДА``,
        ``Дніпропетровського обласного ЦСС``): the end, or None."""
        k, n, kinds, levels = j, self.n, self._kinds, self.data.levels
        if "A" not in kinds[j + 1 : j + 4]:
            return None  # no abbreviation after one to three words (the common case)
        while k < n and kinds[k] == "w" and k - j < 3:
            w = self._texts[k]
            if not (is_place_adj(w) or not levels.isdisjoint(adj_lemma_set(w))):
                return None
            k += 1
        if k == j or not (k < n and kinds[k] == "A"):
            return None
        return self.abbr_run(k)

    def names_body(self, np: _NP, depth: int) -> bool:
        """A genitive phrase headed by a body noun is the parent body only when it names
        one itself (``виконавчого комітету … ради``, ``Нікопольської філії``), not a
        domain (``центр соціальних служб``)."""
        if np.first_noun is None:
            return False
        # The same parent is met again from each of the phrases it follows ("… комітету"
        # of "служби … комітету … ради" and then of "ради"). The answer depends on the
        # depth only where the depth limit cut a phrase short; one found without a cut
        # holds at any smaller depth too.
        head, sub_depth = np.first_noun, depth + 1
        known = self._names_body.get(head)
        if known is not None:
            names, found_at, cut = known
            if sub_depth == found_at or (not cut and sub_depth < found_at):
                self._depth_cuts += cut
                return names
        cuts_before = self._depth_cuts
        sub = self.head_phrase(head, depth=sub_depth)
        names = sub is not None and self.accept(sub)
        self._names_body[head] = (names, sub_depth, self._depth_cuts != cuts_before)
        return names

    def line_continuation(self, j: int, complete: bool, bare: bool) -> int | None:
        """After a line break at ``j``: where the name goes on, or None where it ends.

        A name goes on across a break into its parent body's place adjective
        (``служби у справах дітей`` | ``Сватівської райдержадміністрації``), or into a
        lower-case genitive where the head has no complement yet (``Київського міського
        центру`` | ``соціальних служб``); otherwise each line of a cell is an item.
        """
        k = j
        while k < self.n and self._kinds[k] == "nl" and k - j < 3:
            k += 1
        if not self.is_word(k) or self._kinds[k] == "A" or complete:
            return None
        nxt = self._texts[k]
        if is_cap(nxt):
            return k if is_place_adj(nxt) and "gent" in adj_cases(nxt) else None
        if not bare or not ("gent" in noun_cases(nxt) or "gent" in adj_cases(nxt)):
            return None
        return k

    def adj_lemmas(self, ph: Phrase) -> list[str]:
        out = []
        for a in ph.adjs:
            out.extend(f.lemma for f in adj_forms(self._texts[a]))
        return out

    def adj_lemma_set(self, ph: Phrase) -> frozenset[str]:
        """``set(self.adj_lemmas(ph))``, from the cached sets of each adjective."""
        if not ph.adjs:
            return frozenset()
        texts = self._texts
        lemmas = adj_lemma_set(texts[ph.adjs[0]])
        for a in ph.adjs[1:]:
            lemmas = lemmas | adj_lemma_set(texts[a])
        return lemmas

    def lemmas_before(self, i: int) -> frozenset[str]:
        """The lemmas of the word before token ``i`` (none if no word is there)."""
        return lemma_set(self._texts[i - 1]) if self.is_word(i - 1) else frozenset()

    # ------------------------------------------------------------------ head phrases

    def city_insert(self, j: int) -> int | None:
        """``… в місті Києві`` or ``… в м. Києві`` ending at token ``j``; index of ``в``."""
        if not (self.is_word(j) and self._texts[j][0].isupper()):
            return None
        if self.low_of(j - 1) == "місті" and self.low_of(j - 2) in ("в", "у"):
            return j - 2
        if self.text_of(j - 1) == "." and self.text_of(j - 2) == "м" and self.low_of(j - 3) in ("в", "у"):
            return j - 3
        return None

    def head_phrase(self, h: int, depth: int = 0, extend: bool = True) -> Phrase | None:
        """The phrase around head noun ``h``: its agreeing adjectives and, with ``extend``,
        its complements (``extend=False`` leaves them to the caller)."""
        hforms = self._head_at.get(h)
        if not hforms:
            return None
        ph = Phrase(h, h + 1, "head", head=h)
        texts, kinds, gaps = self._texts, self._kinds, self._gaps
        head_word = texts[h]
        surviving = (1 << len(hforms)) - 1  # all the head's readings
        i = h
        while True:
            j = i - 1
            # (city_insert wants a capitalised word at j: most often there is none)
            ins = None
            if (j == h - 1 or ph.adjs) and self.is_word(j) and texts[j][0].isupper():
                ins = self.city_insert(j)
                if ins is not None and self.is_word(ins - 1):
                    j = ins - 1
            if not self.is_word(j) or kinds[j] == "A" or gaps[i] > 3:
                break
            word = texts[j]
            if j >= 1 and texts[j - 1] == "." and self.low_of(j - 2) in ("м", "с", "смт"):
                break  # "м. Кам'янське": a town's name, not an adjective of the head
            if not adj_forms(word):
                break  # most words before a head are no adjectives: nothing agrees
            kept = surviving & _agreeing_readings(word, head_word, self.data)
            if not kept:
                # "Білоцерківського та Фастівського районних центрів": a singular place
                # adjective before a plural head shares the head with the ones before it
                plural_mask = surviving & _plural_readings(head_word, self.data)
                if (
                    plural_mask
                    and is_place_adj(word)
                    and any(
                        a.case == hf.case and a.number != "plur"
                        for a in adj_forms(word) for hf in _readings(hforms, plural_mask)
                    )
                    and (self.text_of(j - 1) == "," or norm_word(self.text_of(j - 1)) in CONJ)
                ):
                    surviving = plural_mask
                    ph.adjs.insert(0, j)
                    ph.place = ph.elliptic = True
                    i = j
                break
            surviving = kept
            ph.adjs.insert(0, j)
            if is_place_adj(word):
                ph.place = True
            if ins is not None:
                ph.place = True
            i = j
        ph.start = i
        ph.form = _preferred_reading(head_word, self.data, surviving)
        if extend and depth < 3:
            self.complements(ph, h + 1, depth)
        elif extend:
            self._depth_cuts += 1  # the depth limit leaves the complements off
        # the case the complement leaves: a head with an instrumental object is a verbal
        # noun ("управління процесом")
        return ph

    def is_fragment(self, ph: Phrase) -> bool:
        """A genitive phrase opening a cell continues the cell of the page before
        (``…служба у справах дітей`` | page break | ``виконавчого комітету … ради``)."""
        k = ph.start - 1
        texts, kinds = self._texts, self._kinds
        # lower-case genitive words before it in the cell belong to the same fragment
        while k >= 0 and kinds[k] == "w" and not is_cap(texts[k]):
            w = texts[k]
            if not (norm_word(w) in CONJ or "gent" in noun_cases(w) or "gent" in adj_cases(w)):
                return False
            k -= 1
        if k >= 0 and kinds[k] != "tab":
            return False  # only a table cell is cut by a page break

        def nominative(word: str) -> bool:
            return any(f.case == "nomn" and f.number != "plur" for f in forms(word))

        head = texts[ph.head]
        return not nominative(head) and (ph.start == ph.head or not nominative(texts[ph.start]))

    def is_class(self, ph: Phrase) -> bool:
        """A plural or a collection (``мережі центрів …``) names a class of bodies."""
        assert ph.form is not None
        return (ph.form.number == "plur" and not ph.place) or not self.data.class_markers.isdisjoint(self.lemmas_before(ph.start))

    def accept(self, ph: Phrase, glossary: bool = False) -> bool:
        """Whether a head phrase names one body."""
        d = self.data
        form = ph.form
        assert form is not None and ph.head is not None
        lemma = form.lemma
        adj = self.adj_lemma_set(ph)
        head_text = self._texts[ph.head]
        first_text = self._texts[ph.start]
        # a capital letter in mid-sentence marks a proper name ("засідання Методичної ради",
        # "Кабінету Міністрів"); a bare capitalised "Центру" is only the writer's respect
        capital = (
            is_cap(first_text)
            and not first_text.isupper()
            and not self.sentence_start(ph.start)
            and (bool(ph.adjs) or ph.units > 0)
        ) or (is_cap(head_text) and ph.head != ph.start and not head_text.isupper())
        if lemma in d.action_heads and not ph.adjs:
            capital = False  # "«Організація соціокультурних заходів …»" is an action
        if not (d.class_markers.isdisjoint(adj) and d.class_markers.isdisjoint(self.lemmas_before(ph.start))):
            return False
        if lemma in d.requires and not (adj & d.requires[lemma]) and not capital:
            return False
        if lemma in d.needs_modifier and not (ph.adjs or capital or ph.abbr_suffix or ph.quote):
            if not any(self.text_of(k) in ("з", "із", "у", "в") for k in range(ph.head + 1, ph.end)):
                return False  # "ради поляків", "раду дати": advice, not a council
        if form.number == "plur" and not glossary and not ph.place:
            return False
        if adj and not adj.isdisjoint(_adjectives_by_head(d.generic_phrases).get(lemma, ())) and not (ph.place or ph.quote):
            return False
        # "центрі Києва" is a place in a city; "… України" is the state's body
        city = ph.first_noun in d.place_names and ph.first_noun != "україна"
        if (ph.first_noun in d.non_body or city) and not (ph.place or capital or ph.quote):
            return False
        if lemma in d.strict:
            return ph.place or ph.numbered or (ph.quote and not self.quoted_body(ph))
        if lemma in d.weak:
            return ph.quote or ph.place or capital or ph.proper_complement
        if lemma in d.self_specific:
            return True
        if adj and not adj.isdisjoint(_adjectives_by_head(d.specific_bare).get(lemma, ())):
            return True
        return bool(ph.units or ph.place or ph.quote or ph.abbr_suffix or capital)

    def quoted_body(self, ph: Phrase) -> bool:
        """The quoted name after the head is itself a body's name (``клубу «Методичного
        центру …»``): the inner name is the body, not the head."""
        assert ph.head is not None
        k = ph.head + 2
        while self.is_word(k) and not self.is_head_word(k) and cases(self._texts[k], "ADJ"):
            k += 1
        return self.is_head_word(k) and self.toks.starts[k] < self.toks.starts[ph.end - 1]

    # ------------------------------------------------------------------ other phrases

    def legal_phrase(self, i: int) -> Phrase | None:
        """``КНП «…» ЧМР``, ``БО «БФ «Карітас Чернігів»»``, ``НГО Ресурсний центр``."""
        t = self.toks[i]
        if t.text not in self.data.legal_forms:
            return None
        ph = Phrase(i, i + 1, "legal")
        q = self.quote(i + 1) if i + 1 < self.n and self.toks[i + 1].gap <= 2 else None
        if q:
            ph.end = q
            ph.quote = True
            self.parent_suffix(ph)
            return ph
        # an unquoted name: capitalised words ("НГО Ресурсний центр")
        j = i + 1
        texts, kinds = self._texts, self._kinds
        if not (j < self.n and kinds[j] == "w" and is_cap(texts[j])):
            return None
        while j < self.n and kinds[j] == "w" and j - i <= 4:
            if norm_word(texts[j]) in _STOP_WORDS:
                break
            j += 1
        ph.end = j
        return ph

    def parent_suffix(self, ph: Phrase) -> None:
        """After a quoted name: the parent body's abbreviation or genitive name."""
        j = ph.end
        if j < self.n and self.toks[j].kind == "A":
            stop = self.abbr_run(j)
            if stop:
                ph.parent_at, ph.end, ph.abbr_suffix = j, stop, True
                return
        np = self.gen_np(j)
        if np and np.lemma in self.data.heads and self.toks[j].gap <= 2:
            ph.parent_at = j
            ph.end = np.end
            # the parent's own complements ("Міністерства охорони здоров'я України")
            sub = Phrase(np.first_noun or j, np.end, "head", head=np.first_noun)
            sub.form = next((f for f in forms(self.toks[np.first_noun].text) if f.pos == "NOUN"), None) if np.first_noun is not None else None
            self.complements(sub, np.end)
            ph.end = max(ph.end, sub.end)

    def abbr_phrase(self, i: int) -> Phrase | None:
        """A body abbreviation run with its place and level adjectives before it
        (``Дніпропетровського обласного ЦСС``) and a place after (``ЦСС м. Києва``)."""
        stop = self.abbr_run(i)
        if stop is None:
            return None
        ph = Phrase(i, stop, "abbr")
        j = i - 1
        texts, kinds, gaps = self._texts, self._kinds, self._gaps
        while 0 <= j < self.n and kinds[j] == "w" and gaps[j + 1] <= 3:
            w = texts[j]
            lem = {f.lemma for f in adj_forms(w)}
            if is_place_adj(w) or (lem & self.data.levels and not is_cap(w)):
                ph.adjs.insert(0, j)
                ph.place = ph.place or is_place_adj(w)
                j -= 1
                continue
            break
        ph.start = ph.adjs[0] if ph.adjs else i
        if self.text_of(stop) == "м" and self.text_of(stop + 1) == "." and self.is_word(stop + 2) and is_cap(texts[stop + 2]):
            ph.end = stop + 3
            ph.place_after = True
        before = {f.lemma for f in forms(self.text_of(ph.start - 1))} if self.is_word(ph.start - 1) else set()
        if before & self.data.class_markers:
            return None
        return ph

    # ------------------------------------------------------------------ passes

    def head_phrases(self, lo: int = 0, hi: int | None = None, glossary: bool = False) -> list[Phrase]:
        hi = self.n if hi is None else hi
        found: list[Phrase] = []
        covered = -1
        for h in self.head_indices:
            if h < lo or h >= hi or h < covered:
                continue
            ph = self.head_phrase(h)
            if ph is None:
                continue
            ph.end = min(ph.end, hi)
            if not glossary and self.is_fragment(ph):
                covered = ph.end  # the bodies inside belong to the cut-off name
                continue
            if self.accept(ph, glossary):
                found.append(ph)
                covered = ph.end
            elif not glossary and self.is_class(ph):
                # the heads in the complement of a class ("мережі центрів соціальних
                # служб") are no bodies either; its parent body may be
                covered = ph.parent_at if ph.parent_at is not None else ph.end
        return found


# =========================================================================== names


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What a canonical name is made of, for grouping the mentions of one body."""

    places: tuple[str, ...]  # lemmas of its place adjectives (and of "в місті Києві")
    pre: tuple[str, ...]  # other words before the head, as lemmas
    head: str | None
    post: tuple[str, ...]  # the complement up to the parent body
    gender: str | None
    plural: bool
    has_parent: bool

    @property
    def core(self) -> str:
        return " ".join((*self.pre, self.head or "", *self.post)).strip()


@lru_cache(maxsize=20_000)
def analyse_name(name: str) -> NameInfo:
    """Split a canonical name: ``Березанський міський центр соціальних служб виконавчого
    комітету …`` has the place ``березанський``, the core ``міський центр соціальний
    служба`` and a parent; short forms of one body share the core."""
    toks = tokenize(name)
    f = _Finder(name, toks)
    head = next((i for i in range(len(toks)) if f.is_head_word(i)), None)
    if head is None:
        # an abbreviation ("УПСЗН ВК ПМР ДО"): the first word is the body, the rest its parent
        words = [t for t in toks if t.kind in ("w", "A")]
        core = (norm_word(words[0].text),) if words and words[0].kind == "A" else tuple(norm_word(t.text) for t in words)
        return NameInfo((), (), None, core, None, False, len(words) > 1 and words[0].kind == "A")
    ph = f.head_phrase(head)
    assert ph is not None and ph.form is not None
    places: list[str] = []
    pre: list[str] = []
    # a place word the grammar could not read as an adjective ("Дніпровськог", cut short)
    places.extend(norm_word(t.text) for t in toks[: ph.start] if t.kind == "w" and PLACE_ADJ_RE.fullmatch(t.text))
    for k in range(ph.start, head):
        t = toks[k]
        if t.kind != "w":
            continue
        if k in ph.adjs and not is_place_adj(t.text):
            pre.append(first_lemma(t.text))
        elif is_cap(t.text):
            places.append(first_lemma(t.text))  # "Березанський", "Києві" of "в місті Києві"
    stop = ph.parent_at if ph.parent_at is not None else ph.end
    post: list[str] = []
    quoted = 0
    for k in range(head + 1, stop):
        t = toks[k]
        if t.text in "«„“":
            quoted += 1
        elif t.text in "»”":
            quoted -= 1
        elif t.kind in ("w", "A"):
            # inside a quoted name the words are the name itself, not to be lemmatised
            post.append(norm_word(t.text) if quoted or t.kind == "A" else first_lemma(t.text))
    return NameInfo(
        tuple(places), tuple(pre), ph.form.lemma, tuple(post), ph.form.gender,
        ph.form.number == "plur", ph.parent_at is not None,
    )


def _capitalise(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


class _Namer:
    """Canonical names of the phrases of one document."""

    def __init__(self, finder: _Finder):
        self.f = finder

    def head_name(self, ph: Phrase, number: str | None = None) -> str:
        f = self.f
        texts, kinds, gaps = f._texts, f._kinds, f._gaps
        form = ph.form
        assert form is not None and ph.head is not None
        number = number or form.number
        gender = form.gender
        out: list[str] = []
        broken = False
        for k in range(ph.start, ph.end):
            if kinds[k] in ("nl", "tab"):
                broken = True
                continue
            word = texts[k]
            if k in ph.adjs:
                af = next((a for a in forms(word) if a.pos in ("ADJF", "PRTF") and agrees(a, form)), None)
                if af:
                    word = inflect(word, af, number, gender)
            elif k == ph.head:
                word = inflect(word, form, number, gender)
            if out and (gaps[k] or broken) and word not in ".,)»”" and out[-1] not in "(«„":
                out.append(" ")
            broken = False
            out.append(word)
        name = _capitalise("".join(out))
        return self.national(name)

    def elliptic_name(self, ph: Phrase) -> str:
        """``Фастівського районних центрів …`` names one centre: the place adjective with
        the shared plural name in the singular."""
        place = self.f.toks[ph.adjs[0]].text
        rest = Phrase(ph.adjs[1] if len(ph.adjs) > 1 else ph.head, ph.end, "head", head=ph.head, form=ph.form)
        rest.adjs = ph.adjs[1:]
        return _capitalise(_with_adjectives(_singular(self.head_name(rest)), [place]))

    def national(self, name: str) -> str:
        low = norm_word(name)
        if low.startswith(self.f.data.national_heads) and self.f.data.national_suffix.lower() not in low:
            # "Кабінету Міністрів" → Кабінет Міністрів України; not a body of a region
            if not re.search(r"област|район|міськ|обласн", low):
                return f"{name} {self.f.data.national_suffix}"
        return name

    def legal_name(self, ph: Phrase) -> str:
        toks = self.f.toks
        form = self.f.data.legal_forms.get(toks[ph.start].text, toks[ph.start].text)
        rest = self.f.span_text(ph.start + 1, ph.end)
        if rest.count("«") > rest.count("»"):
            rest += "»" * (rest.count("«") - rest.count("»"))
        return f"{form} {rest}"


def _head_phrase_of(name: str) -> tuple["_Finder", Any]:
    """The finder over ``name`` and the phrase around its first head noun (None if none)."""
    toks = tokenize(name)
    f = _Finder(name, toks)
    head = next((i for i in range(len(toks)) if f.is_head_word(i)), None)
    return f, (None if head is None else f.head_phrase(head))


@lru_cache(maxsize=20_000)
def _singular(name: str) -> str:
    """A plural body name ("районні центри соціальних служб") in the singular."""
    f, ph = _head_phrase_of(name)
    if ph is None or ph.form is None or ph.form.number != "plur":
        return name
    gender = next((x.gender for x in forms(ph.form.lemma) if x.pos == "NOUN" and x.gender), None)
    ph.form = Form(ph.form.lemma, ph.form.pos, ph.form.case, ph.form.number, gender, ph.form.labels)
    out = _Namer(f).head_name(ph, number="sing")
    # the singular loses no words: keep whatever followed the phrase
    tail = name[f.toks[ph.end - 1].end :] if ph.end - 1 < len(f.toks) else ""
    return (out + tail).strip()


def _adjective_name(adjective: str, gender: str | None) -> str:
    """An adjective ("Оболонського", "обласний") in the nominative of the body's gender."""
    for fm in forms(adjective):
        if fm.pos in ("ADJF", "PRTF"):
            return inflect(adjective, fm, "sing", gender or "masc")
    return adjective


# =========================================================================== the tagger


@dataclass(slots=True)
class OrgMention:
    start: int  # character offsets
    end: int
    name: str
    abbreviation: str | None = None


def find_orgs(text: str, toks: Sequence[Tok] | None = None) -> list[OrgMention]:
    """The bodies named in ``text`` (markup already masked), with canonical names."""
    f = _Finder(text, toks if toks is not None else tokenize(text))
    toks = f.toks
    kinds = f._kinds
    namer = _Namer(f)
    defs = find_definitions(text)

    # 1. head phrases, legal forms, known bodies
    phrases = f.head_phrases()
    for i in f._indices_of(f._distinct.intersection(f.data.legal_forms)):
        if kinds[i] in ("A", "w"):
            ph = f.legal_phrase(i)
            if ph:
                phrases.append(ph)
    phrases.extend(_known_phrases(f))
    for ph in phrases:
        if ph.kind == "head":
            ph.name = namer.elliptic_name(ph) if ph.elliptic else namer.head_name(ph)
        elif ph.kind == "legal":
            ph.name = namer.legal_name(ph)

    # 2. the document's own definitions
    glossary_phrases = _read_definitions(f, namer, defs, phrases)

    # 3. abbreviations
    taken = {k for ph in phrases + glossary_phrases for k in range(ph.start, ph.end)}
    abbr_phrases: list[Phrase] = []
    resume = 0  # a found phrase's tokens are not looked at again
    # every abbreviation token is of kind "A" (_kind decides which are)
    for i in compress(range(f.n), map("A".__eq__, kinds)):
        if i < resume or i in taken:
            continue
        ph = f.abbr_phrase(i)
        if ph:
            abbr_phrases.append(ph)
            resume = ph.end

    chosen = _choose(phrases + glossary_phrases + abbr_phrases, toks)
    chosen.extend(_ellipsis(f, chosen))
    chosen.extend(_list_items(f, chosen))
    chosen.extend(_latin_partners(f, chosen))
    chosen.extend(_short_forms(f, chosen))
    chosen.sort(key=lambda p: p.start)

    _name_abbreviations(f, chosen)
    _link_short_forms(chosen)
    return [
        OrgMention(toks.starts[ph.start], toks.ends[ph.end - 1], ph.name, ph.abbreviation)
        for ph in chosen
    ]


@lru_cache(maxsize=4)
def _known_index(data: OrgData) -> tuple[dict[str, list[tuple[str, ...]]], dict[str, str]]:
    """The well-known names by their first token, the longest first, and the declinable
    one-word names by lemma; made once, not per document."""
    known = data.known
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for form in known:
        words = tuple(t.text for t in tokenize(form))
        by_first[words[0]].append(words)
    # sorted() is stable: names of one length keep the order of the word list
    sorted_first = {first: sorted(names, key=len, reverse=True) for first, names in by_first.items()}
    # one-word short names are declined ("Кабміну", "Мінрегіону"): match them by lemma
    by_lemma = {norm_word(form): name for form, name in known.items() if " " not in form and not form.isupper()}
    return sorted_first, by_lemma


def _known_phrases(f: _Finder) -> list[Phrase]:
    out = []
    known = f.data.known
    by_first, by_lemma = _known_index(f.data)
    # only tokens that begin a known name or share a declinable name's first letters can match
    for i in f.tokens_where(lambda w: w in by_first or w[:3] in _KNOWN_PREFIXES):
        t = f.toks[i]
        for words in by_first.get(t.text, ()):
            if all(f.text_of(i + k) == w for k, w in enumerate(words)):
                ph = Phrase(i, i + len(words), "known", name=known[" ".join(words)], abbreviation=None)
                if len(words) == 1 and t.kind == "A":
                    ph.abbreviation = t.text
                out.append(ph)
                break
        else:
            if t.kind == "w" and is_cap(t.text) and t.text[:3] in _KNOWN_PREFIXES:
                name = next((by_lemma[f.lemma] for f in forms(t.text) if f.lemma in by_lemma), None)
                if name:
                    out.append(Phrase(i, i + 1, "known", name=name))
    return out


# first letters of the declinable short names ("Кабмін", "Мінрегіон", "Нацполіція")
_KNOWN_PREFIXES = frozenset(form[:3] for form in DATA.known if " " not in form and not form.isupper())


def _read_definitions(f: _Finder, namer: _Namer, defs: list[Definition], phrases: list[Phrase]) -> list[Phrase]:
    """Register the document's abbreviations; return glossary expansions that name bodies."""
    out: list[Phrase] = []
    by_end = {f.toks.ends[ph.end - 1]: ph for ph in phrases if ph.end > ph.start}
    for d in defs:
        abbr = d.abbr
        if d.kind == "inline":
            # the name written right before "(": a phrase ending there
            k = d.open_paren
            while k > 0 and f.text[k - 1] in " \t":
                k -= 1
            ph = by_end.get(k)
            if ph is None:
                continue
            if not d.explicit and not (initials_match(abbr, f.span_text(ph.start, ph.end)) or f.abbr_status(abbr)):
                continue
            _define(f, abbr, True, ph.name)
            continue
        assert d.exp_start is not None and d.exp_end is not None
        lo, hi = f.index_at(d.exp_start), f.index_at(d.exp_end)
        body = None
        for ph in f.head_phrases(lo, hi, glossary=True):
            if ph.start == lo:
                body = ph
            break
        if body is None:
            _define(f, abbr, False, None)
            continue
        body.end = hi
        body.name = namer.head_name(body)
        body.kind = "gloss"
        _define(f, abbr, True, body.name)
        out.append(body)
    return out


def _define(f: _Finder, abbr: str, is_body: bool, name: str | None) -> None:
    if abbr in f.defined and f.defined[abbr][0]:
        return  # the first body definition stands
    f.defined[abbr] = (is_body, name)
    f._names_body.clear()  # the grammar reads the definitions
    words = tuple(abbr.split())
    if len(words) > 1 and is_body:
        f.multiword[words] = name


def _choose(phrases: list[Phrase], toks: Tokens) -> list[Phrase]:
    """Non-overlapping phrases, the longer first."""
    chosen: list[Phrase] = []
    used: set[int] = set()
    starts, ends = toks.starts, toks.ends
    for ph in sorted(phrases, key=lambda p: (-(ends[p.end - 1] - starts[p.start]), p.start)):
        span = set(range(ph.start, ph.end))
        if span & used:
            continue
        used |= span
        chosen.append(ph)
    return chosen


def _ellipsis(f: _Finder, chosen: list[Phrase]) -> list[Phrase]:
    """``Оболонського та Дніпровського РЦСС``: each place adjective before a body that
    starts with a place adjective names a body of the same kind."""
    out: list[Phrase] = []
    starts = {ph.start for ph in chosen}
    texts = f._texts
    for ph in list(chosen):
        if not is_place_adj(texts[ph.start]):
            # "Подільського, Печерського, РЦСС": the last adjective is parted by a comma
            parted = (
                ph.kind == "abbr"
                and f.text_of(ph.start - 1) == ","
                and f.is_word(ph.start - 2)
                and is_place_adj(texts[ph.start - 2])
                and f.text_of(ph.start - 3) in (",", "та", "і", "й")
            )
            if parted:
                ph.start -= 2
                ph.adjs.insert(0, ph.start)
                ph.place = True
            else:
                continue
        j = ph.start - 1
        while j >= 1:
            sep = texts[j]
            if not (sep == "," or norm_word(sep) in CONJ):
                break
            k = j - 1
            if f.text_of(k) == "," and norm_word(sep) in CONJ:
                k -= 1
            if not f.is_word(k) or not is_place_adj(texts[k]) or k in starts:
                break
            item = Phrase(k, k + 1, "ellipsis", place=True, adjs=[k], owner=ph)
            out.append(item)
            starts.add(k)
            j = k - 1
    return out


def _list_items(f: _Finder, chosen: list[Phrase]) -> list[Phrase]:
    """A bare head noun closing a list of bodies: ``Відділ освіти, Березанський міський
    центр соціальних служб, управління`` (the rest of the name is cut off by the page)."""
    out: list[Phrase] = []
    ends = {ph.end: ph for ph in chosen}
    for i in f.head_indices:
        text = f._texts[i]
        if is_cap(text) or not f.boundary(i + 1):
            continue
        if f.text_of(i - 1) != "," or (i - 1) not in ends:
            continue
        if not any(fm.case == "nomn" for fm in f.head_forms(i)):
            continue
        ph = Phrase(i, i + 1, "item", head=i, form=next(fm for fm in f.head_forms(i) if fm.case == "nomn"))
        ph.name = _capitalise(text)
        out.append(ph)
    return out


_LATIN_RE = re.compile(r"[A-Z][A-Za-z]*")


def _latin_partners(f: _Finder, chosen: list[Phrase]) -> list[Phrase]:
    """A Latin name next to a body in a list (``… та НГО Ресурсний центр та UNF``), or
    after ``організацією``, is a body too."""
    out: list[Phrase] = []
    # a Latin name starts with a Latin capital (most plans have none)
    latin = f.tokens_where(lambda w: "A" <= w[0] <= "Z")
    if not latin:
        return out
    ends = {ph.end for ph in chosen}
    used = {k for ph in chosen for k in range(ph.start, ph.end)}
    for i in latin:
        t = f.toks[i]
        if i in used or not _LATIN_RE.fullmatch(t.text) or t.text in f.data.non_bodies:
            continue
        j = i
        while f.is_word(j + 1) and _LATIN_RE.fullmatch(f._texts[j + 1]):
            j += 1
        prev = norm_word(f.text_of(i - 1))
        after_body = (prev in CONJ or prev == ",") and (i - 1) in ends
        after_org_noun = any(fm.lemma in ("організація", "фонд", "компанія", "партнер") for fm in forms(f.text_of(i - 1))) if f.is_word(i - 1) else False
        if after_body or after_org_noun:
            name = f.span_text(i, j + 1)
            out.append(Phrase(i, j + 1, "known", name=name))
    return out


def _short_forms(f: _Finder, chosen: list[Phrase]) -> list[Phrase]:
    """``міжвідомчої робочої групи`` after ``міжвідомчої робочої групи з реформування …``:
    adjectives and head of a body named in full before name it again."""
    out: list[Phrase] = []
    used = {k for ph in chosen for k in range(ph.start, ph.end)}
    full: list[tuple[int, tuple[str, ...], str, bool]] = []
    for ph in chosen:
        if ph.kind == "head" and ph.adjs and ph.units and ph.form:
            key = tuple(sorted(f.adj_lemmas(ph)) + [ph.form.lemma])
            # one adjective is enough where the full name tied the body to its owner
            full.append((ph.start, key, ph.name, ph.parent_at is not None or ph.place))
    if not full:
        return out
    for h in f.head_indices:
        if h in used:
            continue
        # the complements only matter where the adjectives and the head pass: extend then
        ph = f.head_phrase(h, extend=False)
        if ph is None or not ph.adjs or ph.form is None or ph.form.number == "plur":
            continue
        f.complements(ph, h + 1)
        if ph.units:
            continue
        if f.is_fragment(ph):
            continue
        if any(k in used for k in range(ph.start, ph.end)):
            continue
        ph.end = h + 1
        key = tuple(sorted(f.adj_lemmas(ph)) + [ph.form.lemma])
        for start, k2, name, owned in full:
            if start < ph.start and k2 == key and (owned or len(ph.adjs) >= 2):
                ph.name = name
                out.append(ph)
                used |= set(range(ph.start, ph.end))
                break
    return out


def _name_abbreviations(f: _Finder, chosen: list[Phrase]) -> None:
    """Names for abbreviations and elliptic items, from the document where it can tell."""
    # the document's full names by their initials: "ССД" = Служба у справах дітей …
    by_initials: dict[str, str] = {}
    for ph in chosen:
        if ph.kind in ("head", "gloss", "legal") and ph.name:
            full = _name_before_parent(ph.name)
            for variant in (full, _drop_places(full)):
                key = initials(variant)
                if len(key) >= 2:
                    by_initials.setdefault(key, ph.name)
    for ph in chosen:
        if ph.kind != "abbr":
            continue
        run = [f._texts[k] for k in range(ph.start, ph.end) if f._kinds[k] == "A"]
        ph.abbreviation = " ".join(run)
        name = _abbreviation_name(f, run, by_initials)
        if ph.adjs:
            # "Дніпропетровського обласного ЦСС", "Оболонського РЦСС": one body, in the
            # singular, with the adjectives written before the abbreviation
            name = _with_adjectives(_singular(name), [f.toks[a].text for a in ph.adjs])
        if ph.place_after:
            name = f"{name} {f.span_text(ph.end - 3, ph.end)}"  # "ЦСС м. Києва"
        ph.name = _capitalise(name)
    for ph in chosen:
        if ph.kind == "ellipsis" and ph.owner is not None:
            ph.name = _capitalise(_with_adjectives(_singular(ph.owner.name), [f.toks[ph.start].text]))


def _abbreviation_name(f: _Finder, run: list[str], by_initials: dict[str, str]) -> str:
    """The canonical name of a run of abbreviations (``ЦСС ПМР ДО``, ``УПСЗН ВК ПМР ДО``):
    the document's definition, a well-known body, a full name with these initials, or
    the body type the abbreviation is built from; the rest of the run (the parent) as
    written."""
    whole = " ".join(run)
    if whole in f.defined and f.defined[whole][1]:
        return f.defined[whole][1] or whole
    first, rest = run[0], " ".join(run[1:])
    name = (
        (f.defined[first][1] if first in f.defined else None)
        or f.data.known.get(first)
        or by_initials.get(first)
        or _component_name(f, first)
    )
    if name is None:
        return whole
    if analyse_name(name).has_parent:
        return name  # the full name already says whose body it is ("ПУ НФ ДОЦЗ")
    return f"{name} {rest}".strip()


def _with_adjectives(name: str, adjectives: list[str]) -> str:
    """``name`` led by ``adjectives`` in its gender, replacing its own place adjectives
    and any adjective it repeats (``Дніпропетровського обласного`` + ``обласний центр``)."""
    info = analyse_name(name)
    lead = [_adjective_name(a, info.gender) for a in adjectives]
    lemmas = {first_lemma(a) for a in adjectives}
    has_place = any(is_place_adj(a) for a in adjectives)
    words = name.split()
    while words and ((has_place and is_place_adj(words[0])) or first_lemma(words[0]) in lemmas):
        words.pop(0)
    rest = " ".join(words)
    if rest[:1].isupper() and not rest.split()[0].isupper():
        rest = rest[:1].lower() + rest[1:]
    return " ".join([*lead, rest]).strip()


@lru_cache(maxsize=20_000)
def _name_before_parent(name: str) -> str:
    f, ph = _head_phrase_of(name)
    if ph is None or ph.parent_at is None:
        return name
    return name[: f.toks[ph.parent_at].start].strip()


def _drop_places(name: str) -> str:
    words = name.split()
    while words and is_place_adj(words[0]):
        words.pop(0)
    out = " ".join(words)
    return out[:1].lower() + out[1:] if out else out


def _component_name(f: _Finder, abbr: str) -> str | None:
    """``ОВА`` → обласна військова адміністрація; ``КПДЮ`` keeps its place letter."""
    for comp, words in sorted(f.data.components.items(), key=lambda kv: -len(kv[0])):
        if abbr.endswith(comp):
            prefix = abbr[: -len(comp)]
            levels = [f.data.level_letters[ch] for ch in prefix if ch in f.data.level_letters]
            if prefix and len(levels) != len(prefix):
                return None  # a place letter we cannot expand: keep the abbreviation
            head_gender = analyse_name(words).gender
            lead = " ".join(_adjective_name(level, head_gender) for level in levels)
            return f"{lead} {words}".strip()
    return None


def _link_short_forms(chosen: list[Phrase]) -> None:
    """Short forms of a body take the name of its fullest form in the document.

    Mentions are grouped by their core (the name without place adjectives and parent
    body). Within a core, different places are different bodies, and a mention without a
    place joins the place written most often. A core that begins another one
    (``управління соціального захисту населення`` of ``… населення та праці``), or a bare
    head noun (``управління`` closing a list), joins the longer one.
    """
    infos = {id(ph): analyse_name(ph.name) for ph in chosen if ph.name}
    by_core: dict[tuple[str, bool], list[Phrase]] = defaultdict(list)
    for ph in chosen:
        if id(ph) in infos:
            info = infos[id(ph)]
            by_core[(info.core, info.plural)].append(ph)
    # shorter cores into longer ones with the same head and beginning
    cores = sorted(by_core, key=lambda k: -len(k[0]))
    # _extends wants the same head and words before it: only those cores are compared (a
    # group keeps the longest-first order; a group's first member never changes)
    same_start: dict[tuple, list[tuple[str, bool]]] = defaultdict(list)
    for k in cores:
        first = infos[id(by_core[k][0])]
        same_start[(first.head, first.pre, k[1])].append(k)
    for key in sorted(by_core, key=lambda k: len(k[0])):
        info = infos[id(by_core[key][0])]
        if info.head is None:
            continue
        longer = [
            k for k in same_start[(info.head, info.pre, key[1])]
            if k != key and k in by_core
            and _extends(infos[id(by_core[k][0])], info)
        ]
        if longer:
            target = max(longer, key=lambda k: len(by_core[k]))
            by_core[target].extend(by_core.pop(key))
    for members in by_core.values():
        by_place: dict[tuple[str, ...], list[Phrase]] = defaultdict(list)
        for ph in members:
            by_place[infos[id(ph)].places].append(ph)
        placed = [p for p in by_place if p]
        if placed:
            main = max(placed, key=lambda p: len(by_place[p]))
            by_place[main].extend(by_place.pop((), []))
        for phs in by_place.values():
            best = max(phs, key=lambda p: (_richness(infos[id(p)], p.name), len(p.name)))
            abbr = next((p.abbreviation for p in phs if p.abbreviation), None)
            for p in phs:
                p.name = best.name
                p.abbreviation = p.abbreviation or abbr


def _extends(long: NameInfo, short: NameInfo) -> bool:
    """``long`` names the same kind of body as ``short`` with more complement words."""
    if long.head != short.head or long.pre != short.pre:
        return False
    if not short.post:
        # a bare head closing a list ("…, управління")
        return bool(long.post) and not (short.pre or short.places or short.has_parent)
    return len(long.post) > len(short.post) and long.post[: len(short.post)] == short.post


def _richness(info: NameInfo, name: str) -> int:
    return len(info.places) * 2 + int(info.has_parent) + (0 if name.isupper() else 1)


# =========================================================================== component


@Language.factory("org_tagger")
def make_component(nlp: Language, name: str) -> "OrgTagger":
    return OrgTagger()


class OrgTagger:
    """Proposes ORG candidates with ``norm = {"name", "abbreviation"}``."""

    def __call__(self, doc: Doc) -> Doc:
        toks = doc_tokens(doc)
        found = find_orgs(document_text(doc), toks)
        doc.user_data["plans.orgs"] = [(m.start, m.end) for m in found]
        for m in found:
            add_candidate(
                doc, m.start, m.end, "ORG", "org_tagger",
                norm={"name": m.name, "abbreviation": m.abbreviation},
            )
        return doc

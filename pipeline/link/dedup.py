"""Deduplication: mentions → entities, within a document and across a corpus.

The work is done on *surfaces* — distinct ``(label, scope, key)`` triples (see
:mod:`.keys`) — not on mentions, so a corpus that repeats a few thousand names a million
times costs about as much as those names. Surfaces are joined by rules, each a data-driven
threshold in ``pipeline/data/linking.toml``; candidate pairs come from blocking (exact keys,
one-word-masked signatures, deletion neighbourhoods), never from all pairs, so cost grows
near-linearly with the number of distinct names. Every join is kept as a :class:`Merge`,
which is what ``plans explain`` prints.

An entity's id derives from its canonical key (the key of the surface chosen to represent
it by a fixed order, never by a counter), so re-running on the same input gives the same
ids, and adding documents leaves existing ids alone unless a new document joins two
entities or brings a fuller name that now represents one.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Iterator

from rapidfuzz.distance import Hamming, Levenshtein
from rapidfuzz.process import cdist

from ..normalise.names import is_known
from ..resources import load_data
from .keys import flat, is_abbreviation, name_tokens, person_parts, proper_words, words

ENTITY_LABELS = ("PERSON", "ORG", "ROLE", "LEGAL_ACT", "PROGRAM")
ID_PREFIX = {"PERSON": "person", "ORG": "org", "ROLE": "role", "LEGAL_ACT": "act", "PROGRAM": "program"}


@dataclass(slots=True)
class MentionRecord:
    """One mention as the deduplicator sees it."""

    doc_id: str
    label: str
    text: str
    norm: dict[str, Any] | None
    # Persons and roles are people of one issuer (or one document); other labels are corpus-wide.
    scope: str = ""


@dataclass(slots=True)
class Merge:
    """Why two surfaces are one entity."""

    left: str
    right: str
    rule: str
    score: float | None = None


@dataclass(slots=True)
class Surface:
    label: str
    scope: str
    key: str
    tokens: tuple[str, ...]
    norm: dict[str, Any] | None
    names: Counter = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    count: int = 0
    # Bodies: the tokens with abbreviations expanded as the citing document means them.
    expanded: tuple[str, ...] | None = None
    # Bodies and programmes: the proper-name words (keys.proper_words).
    proper: frozenset[str] = frozenset()


@dataclass(slots=True)
class Entity:
    id: str
    label: str
    key: str
    scope: str
    name: str
    n_mentions: int
    documents: list[str]
    variants: list[str]
    keys: list[str]
    merges: list[Merge]
    act: dict[str, Any] | None = None


@dataclass(slots=True)
class Clustering:
    entities: list[Entity]
    # The entity id of each record, in the order the records were given (None: no entity).
    assignment: list[str | None]


def entity_id(label: str, scope: str, key: str) -> str:
    digest = hashlib.sha1(f"{scope}\x1f{key}".encode("utf-8")).hexdigest()[:12]
    return f"{ID_PREFIX[label]}:{digest}"


# --------------------------------------------------------------------------- surfaces

def _surface_key(record: MentionRecord) -> tuple[str, tuple[str, ...], str]:
    """(key, tokens, display name) of a record."""
    norm = record.norm or {}
    if record.label == "PERSON":
        surname, initials = person_parts(norm, record.text)
        key = f"{surname.lower()} {initials.lower()}".strip()
        return key, (surname.lower(), initials.lower()), norm.get("name") or flat(record.text)
    if record.label in ("ORG", "PROGRAM"):
        name = norm.get("name") or flat(record.text)
        tokens = name_tokens(name)
        return " ".join(tokens), tokens, name
    if record.label == "LEGAL_ACT":
        key = norm.get("id") or f"act:text:{flat(record.text).lower()}"
        title = norm.get("title")
        return key, words(title) if title else (), title or flat(record.text)
    # ROLE: named by function; the lemmas make "фахівцями центру" and "Фахівці центру" one.
    key = norm.get("lemma") or flat(record.text).lower()
    return key, tuple(key.split()), flat(record.text)


class _Joiner:
    """Union-find over surfaces that remembers why each join was made."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.merges: list[tuple[int, int, str, float | None]] = []

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int, rule: str, score: float | None = None) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.merges.append((a, b, rule, score))


# --------------------------------------------------------------------------- blocking

def _deletions(word: str) -> Iterator[str]:
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


def near_words(words: list[str], max_edits: int, pairwise_limit: int) -> Iterator[tuple[int, int, int]]:
    """Pairs ``(i, j, distance)`` of distinct words at most ``max_edits`` apart (Levenshtein).

    A few words are compared all against all (rapidfuzz ``cdist``); many go through a
    deletion index (words one edit apart share a one-letter deletion), which finds the same
    pairs for one edit in near-linear time.
    """
    n = len(words)
    if n < 2:
        return
    if n <= pairwise_limit or max_edits > 1:
        matrix = cdist(words, words, scorer=Levenshtein.distance, score_cutoff=max_edits, workers=1)
        for i in range(n):
            for j in range(i + 1, n):
                d = int(matrix[i][j])
                if d <= max_edits and words[i] != words[j]:
                    yield i, j, d
        return
    index: dict[str, list[int]] = defaultdict(list)
    for i, word in enumerate(words):
        for variant in set(_deletions(word)):
            index[variant].append(i)
    seen: set[tuple[int, int]] = set()
    for members in index.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                d = Levenshtein.distance(words[i], words[j], score_cutoff=max_edits)
                if d <= max_edits:
                    yield i, j, d


def one_word_apart(
    items: list[tuple[int, str, tuple[str, ...]]], max_edits: int, pairwise_limit: int
) -> Iterator[tuple[int, int, str, str]]:
    """``(a, b, word_a, word_b)`` for items whose token tuples are equal but for one word,
    and that word at most ``max_edits`` apart. Blocking: each item is filed under its tokens
    with one position masked, so only items of one scope that agree everywhere else meet."""
    blocks: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for item, scope, tokens in items:
        for pos in range(len(tokens)):
            blocks[(scope, pos, tokens[:pos], tokens[pos + 1:])].append((item, tokens[pos]))
    for members in blocks.values():
        if len(members) < 2:
            continue
        words = sorted({w for _, w in members})
        by_word: dict[str, list[int]] = defaultdict(list)
        for item, word in members:
            by_word[word].append(item)
        for i, j, _ in near_words(words, max_edits, pairwise_limit):
            for a in by_word[words[i]]:
                for b in by_word[words[j]]:
                    yield a, b, words[i], words[j]


# --------------------------------------------------------------------------- rules

def _is_typo_pair(a: str, b: str, min_length: int) -> bool:
    """Two spellings one of which the dictionary does not know: a typo, not two words."""
    if min(len(a), len(b)) < min_length or a.isdigit() or b.isdigit():
        return False
    return not (is_known(a) and is_known(b))


class Deduplicator:
    """Turns :class:`MentionRecord` s into :class:`Entity` s. Configured by ``linking.toml``."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or load_data("linking")

    # ---- public

    def run(self, records: Iterable[MentionRecord]) -> Clustering:
        records = list(records)
        expansions = self._org_expansions(records) if self.config["org"].get("expand_abbreviations", True) else {}
        surfaces: list[Surface] = []
        index: dict[tuple, int] = {}
        assignment_surface: list[int | None] = []
        for n, record in enumerate(records):
            if record.label not in ENTITY_LABELS:
                assignment_surface.append(None)
                continue
            key, tokens, name = _surface_key(record)
            scope, expanded = record.scope, None
            if n in expansions:
                expanded, scope = expansions[n]
            ident = (record.label, scope, key, expanded)
            i = index.get(ident)
            if i is None:
                i = index[ident] = len(surfaces)
                surfaces.append(Surface(record.label, scope, key, tokens, record.norm, expanded=expanded,
                                        proper=proper_words(name) if record.label in ("ORG", "PROGRAM") else frozenset()))
            surface = surfaces[i]
            surface.names[name] += 1
            surface.documents.add(record.doc_id)
            surface.count += 1
            assignment_surface.append(i)

        joiner = _Joiner(len(surfaces))
        by_label: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(surfaces):
            by_label[s.label].append(i)
        self._link_orgs(surfaces, by_label["ORG"], joiner)
        self._link_persons(surfaces, by_label["PERSON"], joiner)
        self._link_acts(surfaces, by_label["LEGAL_ACT"], joiner)
        self._link_programs(surfaces, by_label["PROGRAM"], joiner)

        entities, surface_entity = self._entities(surfaces, joiner)
        return Clustering(
            entities=entities,
            assignment=[surface_entity[i] if i is not None else None for i in assignment_surface],
        )

    # ---- organisations

    def _org_expansions(self, records: list[MentionRecord]) -> dict[int, tuple[tuple[str, ...] | None, str]]:
        """For each body name with an abbreviation in it (``Департамент … ЧМР``, ``КМЦСС``):
        its tokens with the abbreviations expanded, and its scope.

        An abbreviation means what the citing document makes it mean — defined there
        (the tagger's ``abbreviation`` beside a full name), or the initials of exactly one
        multi-word body the document names — else what the whole corpus makes it mean, if
        that is one thing. ``ЧМР`` is Чернігівська міська рада in one plan and Черкаська in
        another; a name whose abbreviation stays ambiguous is the citing document's own.
        """
        from ..tag.abbreviations import initials

        per_doc: dict[str, dict[str, set[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(set))
        corpus: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        with_abbreviations: list[tuple[int, tuple[str, ...]]] = []
        for n, record in enumerate(records):
            if record.label != "ORG":
                continue
            norm = record.norm or {}
            name = norm.get("name") or flat(record.text)
            tokens = name_tokens(name)
            if _has_abbreviation(tokens):
                with_abbreviations.append((n, tokens))
                continue
            if len(tokens) < 2:
                continue
            for abbreviation in {norm.get("abbreviation"), initials(name)} - {None, ""}:
                per_doc[record.doc_id][abbreviation].add(tokens)
                corpus[abbreviation].add(tokens)
        found: dict[int, tuple[tuple[str, ...] | None, str]] = {}
        for n, tokens in with_abbreviations:
            record = records[n]
            mine = per_doc.get(record.doc_id, {})
            expanded: list[str] = []
            ambiguous = False
            for t in tokens:
                meanings = (mine.get(t) or corpus.get(t) or set()) if is_abbreviation(t) else {(t,)}
                if len(meanings) == 1:
                    expanded.extend(next(iter(meanings)))
                else:
                    # No meaning in the corpus: a well-known abbreviation (ООН, МВС), kept as
                    # written. Several: the citing document's own body, whichever it is.
                    ambiguous = ambiguous or len(meanings) > 1
                    expanded.append(t)
            scope = f"doc:{record.doc_id}" if ambiguous and len(tokens) > 1 else record.scope
            found[n] = (None if ambiguous else tuple(expanded), scope)
        return found

    def _link_orgs(self, surfaces: list[Surface], members: list[int], joiner: _Joiner) -> None:
        cfg = self.config["org"]
        by_expanded: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
        for i in members:
            by_expanded[(surfaces[i].scope, surfaces[i].expanded or surfaces[i].tokens)].append(i)
        for group in by_expanded.values():
            # The surface without abbreviations (if any) anchors the group.
            group.sort(key=lambda i: (surfaces[i].expanded is not None, surfaces[i].key))
            for other in group[1:]:
                joiner.join(group[0], other, "abbreviation")
        items = [(group[0], scope, tokens) for (scope, tokens), group in by_expanded.items()]
        self._join_spelling_variants(surfaces, items, cfg, "spelling", joiner)
        self._join_written_variants(surfaces, members, cfg, joiner)

    def _join_written_variants(self, surfaces: list[Surface], members: list[int], cfg, joiner: _Joiner) -> None:
        """A typo can make the lemmatiser guess a lemma further from the right one than the
        typo itself is (підтримкии → підтримкии, not підтримка): compare the words as
        written too."""
        written = [(i, surfaces[i].scope, words(surfaces[i].names.most_common(1)[0][0])) for i in members]
        self._join_spelling_variants(surfaces, written, cfg, "spelling", joiner)

    def _join_spelling_variants(self, surfaces, items, cfg, rule: str, joiner: _Joiner) -> None:
        limit = self.config["blocking"]["pairwise_limit"]
        for a, b, word_a, word_b in one_word_apart(items, cfg["max_token_edits"], limit):
            if not _is_typo_pair(word_a, word_b, cfg["min_token_length"]):
                continue
            # A proper name a letter apart (Ровківської/Ровкінської) may be another town: a typo
            # only when both spellings are in one document.
            if (word_a in surfaces[a].proper or word_b in surfaces[b].proper) \
                    and not surfaces[a].documents & surfaces[b].documents:
                continue
            joiner.join(a, b, rule, round(Levenshtein.normalized_similarity(surfaces[a].key, surfaces[b].key) * 100, 1))

    # ---- persons

    def _link_persons(self, surfaces: list[Surface], members: list[int], joiner: _Joiner) -> None:
        cfg = self.config["person"]
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in members:
            s = surfaces[i]
            blocks[(s.scope, s.tokens[1])].append(i)
        # Spelling variants: same scope and initials, surnames a letter apart.
        for (scope, initials), group in blocks.items():
            if len(group) < 2:
                continue
            ranked = sorted(group, key=lambda i: (-surfaces[i].count, surfaces[i].key))
            for x in range(len(ranked)):
                for y in range(x + 1, len(ranked)):
                    a, b = surfaces[ranked[x]].tokens[0], surfaces[ranked[y]].tokens[0]
                    if self._surname_variants(a, b, cfg):
                        joiner.join(ranked[x], ranked[y], "surname_spelling",
                             round(Hamming.normalized_similarity(a, b) * 100, 1))
        # Fewer initials (Остролицька Л.) join the one fuller person they fit.
        by_scope: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_scope[surfaces[i].scope].append(i)
        for scope, group in by_scope.items():
            by_surname: dict[str, list[int]] = defaultdict(list)
            for i in group:
                by_surname[surfaces[i].tokens[0]].append(i)
            for i in group:
                surname, initials = surfaces[i].tokens
                if not initials:
                    continue
                fuller = {
                    j for j in group
                    if len(surfaces[j].tokens[1]) > len(initials) and surfaces[j].tokens[1].startswith(initials)
                    and (surfaces[j].tokens[0] == surname or self._surname_variants(surfaces[j].tokens[0], surname, cfg))
                }
                if len({joiner.root(j) for j in fuller}) == 1:
                    joiner.join(min(fuller), i, "initials")

    @staticmethod
    def _surname_variants(a: str, b: str, cfg: dict[str, Any]) -> bool:
        if len(a) != len(b) or len(a) < cfg["min_surname_length"] or a == b:
            return False
        if cfg.get("same_last_letter", True) and a[-1] != b[-1]:
            return False
        return Hamming.distance(a, b) <= cfg["max_surname_substitutions"]

    # ---- legal acts

    def _link_acts(self, surfaces: list[Surface], members: list[int], joiner: _Joiner) -> None:
        cfg = self.config["legal_act"]
        full = [i for i in members if (surfaces[i].norm or {}).get("number")]
        partial = [i for i in members if not (surfaces[i].norm or {}).get("number") and surfaces[i].tokens]
        # A mistyped date: the same type, number and title are one act.
        by_number: dict[tuple, list[int]] = defaultdict(list)
        for i in full:
            norm = surfaces[i].norm or {}
            if norm.get("title"):
                by_number[(norm.get("type"), norm["number"].upper(), surfaces[i].tokens)].append(i)
        for group in by_number.values():
            group.sort(key=lambda i: surfaces[i].key)
            for other in group[1:]:
                joiner.join(group[0], other, "number_and_title")
        # A bare title joins the one full citation of that title (allowing a typo in a word).
        titled: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for i in full:
            if surfaces[i].tokens:
                titled[surfaces[i].tokens].add(i)
        items = [(i, "", surfaces[i].tokens) for i in full + partial if surfaces[i].tokens]
        near: dict[int, set[int]] = defaultdict(set)
        for a, b, _, _ in one_word_apart(items, cfg["max_title_token_edits"], self.config["blocking"]["pairwise_limit"]):
            near[a].add(b)
            near[b].add(a)
        full_set = set(full)
        for i in partial:
            kind = (surfaces[i].norm or {}).get("type")
            candidates = titled.get(surfaces[i].tokens, set()) | {j for j in near.get(i, ()) if j in full_set}
            candidates = {j for j in candidates if _compatible_types(kind, (surfaces[j].norm or {}).get("type"))}
            # Several citations already joined as one act (a mistyped date) are one candidate.
            if len({joiner.root(j) for j in candidates}) == 1:
                j = min(candidates, key=lambda j: surfaces[j].key)
                exact = surfaces[j].tokens == surfaces[i].tokens
                joiner.join(j, i, "title" if exact else "title_spelling",
                     None if exact else round(Levenshtein.normalized_similarity(" ".join(surfaces[j].tokens), " ".join(surfaces[i].tokens)) * 100, 1))

    # ---- programmes

    def _link_programs(self, surfaces: list[Surface], members: list[int], joiner: _Joiner) -> None:
        cfg = self.config["program"]
        self._join_spelling_variants(surfaces, [(i, surfaces[i].scope, surfaces[i].tokens) for i in members], cfg, "spelling", joiner)
        self._join_written_variants(surfaces, members, cfg, joiner)
        # Within one document a shorter name stands for the one fuller name that contains it.
        per_doc: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for doc in surfaces[i].documents:
                per_doc[doc].append(i)
        content = {i: _content(surfaces[i].tokens) for i in members}
        years = {i: _years(surfaces[i].tokens) for i in members}
        for doc in sorted(per_doc):
            group = sorted(per_doc[doc], key=lambda i: (-len(content[i]), surfaces[i].key))
            for i in group:
                words = content[i]
                if len(words) < cfg["min_content_words"]:
                    continue
                fuller = {
                    j for j in group
                    if j != i and words < content[j] and years[i] <= years[j]
                    and (surfaces[i].norm or {}).get("head") == (surfaces[j].norm or {}).get("head")
                }
                if len({joiner.root(j) for j in fuller}) == 1:
                    joiner.join(min(fuller), i, "shorter_name")

    # ---- entities

    def _entities(self, surfaces: list[Surface], joiner: _Joiner) -> tuple[list[Entity], list[str]]:
        components: dict[int, list[int]] = defaultdict(list)
        for i in range(len(surfaces)):
            components[joiner.root(i)].append(i)
        component_merges: dict[int, list[Merge]] = defaultdict(list)
        for a, b, rule, score in joiner.merges:
            component_merges[joiner.root(a)].append(Merge(surfaces[a].key, surfaces[b].key, rule, score))
        surface_entity = [""] * len(surfaces)
        entities = []
        for root, members in components.items():
            rep = min(members, key=lambda i: _representative_rank(surfaces[i]))
            s = surfaces[rep]
            # An expanded abbreviation names the body it stands for: ``… ЧМР`` cited by two
            # plans for two councils are two keys.
            key = " ".join(s.expanded) if s.expanded else s.key
            ident = entity_id(s.label, s.scope, key)
            names: Counter = Counter()
            documents: set[str] = set()
            for i in members:
                surface_entity[i] = ident
                names.update(surfaces[i].names)
                documents |= surfaces[i].documents
            rep_names = surfaces[rep].names
            name = min(rep_names, key=lambda n: (-rep_names[n], n))
            act = None
            if s.label == "LEGAL_ACT":
                act = _act_fields(s, [surfaces[i] for i in members])
                name = act.get("title") or name
            entities.append(Entity(
                id=ident, label=s.label, key=key, scope=s.scope, name=name,
                n_mentions=sum(surfaces[i].count for i in members), documents=sorted(documents),
                variants=sorted(names), keys=sorted(surfaces[i].key for i in members),
                merges=component_merges.get(root, []), act=act,
            ))
        entities.sort(key=lambda e: (e.label, e.id))
        return entities, surface_entity


@lru_cache(maxsize=200_000)
def _has_abbreviation(tokens: tuple[str, ...]) -> bool:
    """Cached: asked of every body's mention, and a corpus repeats its bodies' names."""
    return any(is_abbreviation(t) for t in tokens)


def _content(tokens: tuple[str, ...]) -> frozenset[str]:
    stop = _STOP_WORDS
    return frozenset(t for t in tokens if t.lower() not in stop)


# Words a programme's name may add or drop without naming another programme.
_STOP_WORDS = frozenset("та і й з із зі у в на до для щодо по рік період".split())


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _years(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset(y for t in tokens for y in _YEAR_RE.findall(t))


def _compatible_types(partial: str | None, full: str | None) -> bool:
    """A bare title's guessed type (or ``other``) fits any act; otherwise types must agree."""
    return partial in (None, "other") or partial == full


def _representative_rank(s: Surface) -> tuple:
    """The surface that names an entity, by a fixed order (never by counts across documents,
    so that adding documents rarely changes an id): the fullest form first, then the key."""
    if s.label == "LEGAL_ACT":
        norm = s.norm or {}
        return (not norm.get("number"), not norm.get("date"), s.key)
    if s.label == "PERSON":
        return (-len(s.tokens[1]), -s.count, s.key)
    if s.label == "PROGRAM":
        return (-len(s.tokens), s.key)
    return (_has_abbreviation(s.tokens), s.key)


def _act_fields(rep: Surface, members: list[Surface]) -> dict[str, Any]:
    """An act's structured fields: the representative citation's, gaps filled from the others."""
    fields = {k: (rep.norm or {}).get(k) for k in ("type", "issuer", "date", "number", "title", "url")}
    for s in sorted(members, key=_representative_rank):
        for k, v in (s.norm or {}).items():
            if k in fields and fields[k] is None and v is not None:
                fields[k] = v
    # A law cited by title alone has a number the mention does not write (its norm keeps
    # null), but the act has one: its canonical id is ``act:law:<number>``.
    parts = rep.key.split(":")
    if fields["number"] is None and len(parts) == 3 and parts[1] == fields["type"] and parts[2] != "title":
        fields["number"] = parts[2]
    return fields

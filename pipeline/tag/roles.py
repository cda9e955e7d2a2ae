"""role_tagger: people named by their position or group where they act.

A role phrase is a position or group noun (``фахівці``, ``психолог``, ``директори``,
``члени``), with agreeing adjectives before it (``залучені спеціалісти``), coordinated
positions (``Фахівці та психолог``, ``Керівник та члени``) and the body or team they
belong to (``центру``, ``ЦСС ПМР ДО``, ``методичної ради``, ``відділів міського
центру``). The span covers the whole phrase; the body inside is left to the resolver
(ROLE beats ORG in an overlap).

The guidelines annotate such people only where they *act*, which the text shows by:

- the executors column: the phrase is a cell, or an item of a list of executors, in the
  nominative (``Фахівці центру``; ``Пітателєва Т.Є., відповідальні за …, директори
  РЦСС``; ``(Відп. Скоренко Л.П. залучені спеціалісти програми)``); the segmenter's
  measures, when there are any, confirm executor items too;
- the agent of a passive in prose, in the instrumental (``фахівцями ЦСС ПМР ДО
  проведено``), or working together with someone (``спільно з соціальними
  працівниками``);
- the subject of prose (``Фахівці ЦСС ПМР ДО постійно вдосконалюють``);
- the genitive after a noun of their action (``за пропозиціями начальників відділів``).

Audiences (``семінар для спеціалістів РЦСС``, ``навчання фахівців``) and a position
word beside a person's name (``Остролицька Л., методист``) are not roles.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..text import clean
from . import add_candidate
from . import document_text
from .orgs import Tok, Tokens, agrees, cases, doc_tokens, find_orgs, forms, norm_word

_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "roles.toml"


def _norm_set(words: list[str]) -> frozenset[str]:
    return frozenset(norm_word(w) for w in words)


@dataclass(frozen=True, eq=False)  # hashed by identity: it keys the cache of role_forms
class RoleData:
    nouns: frozenset[str]
    responsible: dict[str, str]
    group_nouns: frozenset[str]
    job_prepositions: frozenset[str]
    job_nouns: frozenset[str]
    headings: frozenset[str]
    audience_prepositions: frozenset[str]
    joint_words: frozenset[str]
    agent_governors: frozenset[str]
    titles: frozenset[str]
    # first three letters of the position lemmas: other words are not analysed
    prefixes: frozenset[str] = frozenset()


def load_data(path: Path = _DATA_PATH) -> RoleData:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    comp, ctx = raw["complements"], raw["context"]
    return RoleData(
        nouns=_norm_set(raw["nouns"]),
        responsible={norm_word(k): v for k, v in raw["responsible"].items()},
        group_nouns=_norm_set(comp["group_nouns"]),
        job_prepositions=_norm_set(comp["job_prepositions"]),
        job_nouns=_norm_set(comp["job_nouns"]),
        headings=_norm_set(ctx["headings"]),
        audience_prepositions=_norm_set(ctx["audience_prepositions"]),
        joint_words=_norm_set(ctx["joint_words"]),
        agent_governors=_norm_set(ctx["agent_governors"]),
        titles=_norm_set(ctx["titles"]),
        prefixes=frozenset(norm_word(w)[:3] for w in [*raw["nouns"], *raw["responsible"]]),
    )


DATA = load_data()

_CONJ = frozenset({"та", "і", "й"})
# A person's name next to a role: "Черкашина Л.Б.", "Л.Б. Черкашина", "Мальцева Ксенія
# Валеріївна" (a capitalised word then initials, or three capitalised words).
_UP, _LOW = "А-ЯІЇЄҐ", "а-яіїєґ'’ʼ"
_SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?"
PERSON_AFTER_RE = re.compile(
    rf"[ \t]*(?:{_SURNAME}[ ]?[{_UP}]\.[ ]?(?:[{_UP}]\.?)?|[{_UP}]\.[ ]?(?:[{_UP}]\.)?[ ]?{_SURNAME}|{_SURNAME}[ ]+{_SURNAME}[ ]+{_SURNAME}(?:вна|вич|ична|ович|івна))"
)
PERSON_BEFORE_RE = re.compile(rf"(?:{_SURNAME}[ ]?[{_UP}]\.[ ]?(?:[{_UP}]\.?)?|[{_UP}]\.[ ]?[{_UP}]\.[ ]?{_SURNAME})[ \t]*[,;]?[ \t\r\n]*$")


@lru_cache(maxsize=100_000)
def role_forms(word: str, data: RoleData = DATA) -> tuple:
    """Analyses of ``word`` as a position noun, or as ``відповідальні`` used as one."""
    if norm_word(word[:3]) not in data.prefixes:
        return ()
    return tuple(
        f for f in forms(word)
        if (f.pos == "NOUN" and f.lemma in data.nouns) or (f.pos in ("ADJF", "PRTF") and f.lemma in data.responsible)
    )


@dataclass(slots=True)
class RolePhrase:
    start: int  # token indices, end exclusive
    end: int
    case: str
    modified: bool  # an adjective before the noun
    complement: bool  # the body, team or job after it
    lemma: str


class _Roles:
    """Finds role phrases in one text and decides where they act."""

    def __init__(self, text: str, toks: Sequence[Tok], org_spans: list[tuple[int, int]], data: RoleData = DATA):
        self.toks = toks = Tokens.of(toks)
        self.text, self.n, self.data = text, len(toks), data
        # the token columns (see orgs.Tokens): read directly, no Tok made per question
        self._texts, self._kinds = toks.texts, toks.kinds
        self.org_end = {s: e for s, e in org_spans}  # bodies by their start offset

    def index_ending_at(self, offset: int, default: int) -> int:
        """Index of the token that ends at ``offset`` (``default`` if none does).

        A binary search (token ends increase), not a table of all tokens: only a few
        bodies inside role phrases ask."""
        ends = self.toks.ends
        k = bisect_left(ends, offset)
        return k if k < self.n and ends[k] == offset else default

    def word(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < self.n and self._kinds[i] in ("w", "A") else None

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self._kinds[i] in ("w", "A")

    # ------------------------------------------------------------------ the phrase

    def phrase(self, i: int) -> RolePhrase | None:
        rforms = role_forms(self._texts[i], self.data)
        if not rforms:
            return None
        first = rforms[0]
        if first.pos != "NOUN":
            # "відповідальні" is a group only with its "за …"
            prep = self.data.responsible[first.lemma]
            if norm_word(self.text_of(i + 1)) != prep:
                return None
        # adjectives before it that agree ("залучені спеціалісти", "соціальними працівниками")
        start, surviving = i, list(rforms)
        texts, kinds, gaps = self._texts, self._kinds, self.toks.gaps
        while self.is_word(start - 1) and gaps[start] <= 2 and kinds[start - 1] == "w":
            prev = texts[start - 1]
            afs = [f for f in forms(prev) if f.pos in ("ADJF", "PRTF")]
            kept = [r for r in surviving if any(agrees(a, r) for a in afs)]
            if not kept or role_forms(prev, self.data):
                break
            surviving, start = kept, start - 1
        order = {"nomn": 0, "ablt": 1, "gent": 2, "datv": 3, "accs": 4, "loct": 5, "voct": 6}
        form = min(surviving, key=lambda f: order.get(f.case or "", 9))
        end = i + 1
        # coordinated positions: "Фахівці та психолог центру", "Психологи та соціальні
        # працівники центру", "Керівник та члени …"
        while norm_word(self.text_of(end)) in _CONJ:
            k = end + 1
            while (
                self.is_word(k) and kinds[k] == "w" and k - end < 3
                and not role_forms(texts[k], self.data) and cases(texts[k], "ADJ")
            ):
                k += 1  # "соціальні" of "та соціальні працівники"
            if not (self.is_word(k) and role_forms(texts[k], self.data)):
                break
            end = k + 1
        complement = False
        stop = self.complement(end, first.pos != "NOUN")
        if stop is not None:
            end, complement = stop, True
        return RolePhrase(start, end, form.case or "", start < i, complement, first.lemma)

    def text_of(self, i: int) -> str:
        return self._texts[i] if 0 <= i < self.n else ""

    def complement(self, j: int, responsible: bool) -> int | None:
        """End of the body, team or job after the position noun(s), or None."""
        texts, kinds, gaps, starts = self._texts, self._kinds, self.toks.gaps, self.toks.starts
        if j >= self.n or kinds[j] in ("nl", "tab") or gaps[j] > 3:
            return None
        low = norm_word(texts[j])
        if responsible:
            # "за реалізацію напрямів": the preposition and the nouns after it
            k = j + 1
            while self.is_word(k) and k - j <= 4 and norm_word(texts[k]) not in _CONJ:
                k += 1
            return k if k > j + 1 else None
        # a body the organisation tagger found
        org_end = self.org_end.get(starts[j])
        if org_end is not None:
            return self.index_ending_at(org_end, j) + 1
        if low in self.data.job_prepositions:
            k = j + 1
            while self.is_word(k) and "gent" in cases(texts[k], "ADJ") and "gent" not in cases(texts[k], "NOUN"):
                k += 1
            if self.is_word(k) and {f.lemma for f in forms(texts[k]) if f.case == "gent"} & self.data.job_nouns:
                return k + 1
            return None
        # a genitive chain of group nouns: "відділів міського центру", "методичної ради"
        end, k = None, j
        while True:
            m = k
            while self.is_word(m) and "gent" in cases(texts[m], "ADJ") and "gent" not in cases(texts[m], "NOUN"):
                m += 1
            if not self.is_word(m) or gaps[m] > 3:
                break
            org_end = self.org_end.get(starts[k])
            if org_end is not None:
                return self.index_ending_at(org_end, m) + 1
            lemmas = {f.lemma for f in forms(texts[m]) if f.pos == "NOUN" and f.case == "gent"}
            if not lemmas & self.data.group_nouns:
                break
            end = k = m + 1
        return end

    # ------------------------------------------------------------------ the context

    def prev_token(self, i: int) -> Tok | None:
        return self.toks[i - 1] if i > 0 else None

    def after_person(self, start: int) -> bool:
        """A person's name ends right before the phrase (possibly with a comma)."""
        pos = self.toks.starts[start]
        return bool(PERSON_BEFORE_RE.search(self.text[max(0, pos - 40) : pos]))

    def person_follows(self, end: int) -> bool:
        if end >= self.n:
            return False
        return bool(PERSON_AFTER_RE.match(self.text, self.toks.ends[end - 1]))

    def item_start(self, start: int, after_comma: bool = True) -> bool:
        """The phrase opens a cell, a line or an item of a list of executors."""
        prev = self.prev_token(start)
        if prev is None or prev.kind in ("nl", "tab"):
            return True
        if prev.text in (",", ";") and after_comma:
            return True
        if self.after_person(start):
            return True
        # "(Відп. …" / "(відп." right before
        return prev.text == "." and norm_word(self.text_of(start - 2)) == "відп"

    def item_end(self, end: int) -> bool:
        if end >= self.n:
            return True
        t = self.toks[end]
        if t.kind in ("nl", "tab") or t.text in (",", ";", ")", "–", "-"):
            return True
        return t.text == "(" and norm_word(self.text_of(end + 1)) in ("за", "у", "в")

    def acts(self, ph: RolePhrase, executors: "_Executors") -> bool:
        d = self.data
        start = self.toks.starts[ph.start]
        text = clean(self.text[start : self.toks.ends[ph.end - 1]])
        if norm_word(text) in d.headings or self.person_follows(ph.end) or self.quoted(ph.start):
            return False
        if ph.modified and " ".join(_lemmas(text)[-2:]) in d.titles:
            return False
        prev = self.word(ph.start - 1)
        prev_low = norm_word(prev.text) if prev else ""
        prev_lemmas = {f.lemma for f in forms(prev.text)} if prev else set()
        bare = not (ph.complement or ph.modified)
        if bare and self.after_person(ph.start):
            return False  # "Остролицька Л., методист": the person's position
        # an executor the segmenter split off this measure's executors cell
        for m_start, m_end, names in executors.around(start):
            if m_start <= start <= m_end and any(e == text or e.startswith(text + " ") for e in names):
                return True
        if ph.case == "nomn":
            # an executor cell or list item; a bare "психологи" only as a whole cell or line
            if self.item_start(ph.start, after_comma=not bare) and self.item_end(ph.end):
                return True
            # the subject of prose, named with its body ("Фахівці ЦСС ПМР ДО вдосконалюють");
            # "розпоряджень голови ОВА" is a genitive that looks like a plural subject
            if not ph.complement or prev_low in d.audience_prepositions or self.counted(ph.start):
                return False
            genitive_too = "gent" in cases(self.toks[ph.start].text, "NOUN") | cases(self.toks[ph.start].text, "ADJ")
            return not (genitive_too and prev is not None and cases(prev.text, "NOUN"))
        if ph.case == "ablt":
            if bare or self.in_object_list(ph.start):
                return False
            if prev_low in d.audience_prepositions:
                before = norm_word(self.text_of(ph.start - 2))
                return before in d.joint_words
            return True
        if ph.case == "gent":
            return bool(prev_lemmas & d.agent_governors)
        return False

    def in_object_list(self, start: int) -> bool:
        """The last item of a list the preposition before it governs: ``з дітьми,
        молоддю … та їх батьками, керівниками ЦКРОІ`` (people worked with, not agents)."""
        separators, k = 0, start - 1
        while k >= 0 and start - k < 20:
            t = self.toks[k]
            low = norm_word(t.text)
            if t.text == "," or low in _CONJ:
                separators += 1
            elif low in ("з", "із", "зі"):
                return separators >= 2 and norm_word(self.text_of(k - 1)) not in self.data.joint_words
            elif t.kind != "w":
                return False
            elif "ablt" not in cases(t.text, "NOUN") | cases(t.text, "ADJ") and not any(f.pos == "NPRO" for f in forms(t.text)):
                return False  # "з метою соціального захисту та підтримки, фахівцями …"
            k -= 1
        return False

    def quoted(self, i: int) -> bool:
        """Token ``i`` stands inside a quoted title on its line (``«… фахівцем із …»``)."""
        pos = self.toks.starts[i]
        line_start = self.text.rfind("\n", 0, pos) + 1
        before = self.text[line_start:pos]
        # a cell or a masked paragraph (<p>…</p>) starts afresh
        cut = max(before.rfind("\t"), before.rfind("     "))
        if cut >= 0:
            before = before[cut:]
        return before.count("«") > before.count("»")

    def counted(self, start: int) -> bool:
        """A staff count, not actors: ``з них: 2 – фахівці із соціальної роботи``."""
        prev = self.prev_token(start)
        return prev is not None and prev.text in ("–", "-", "—", ":") and self.toks[start - 2].kind == "n"

    def find(self, executors: list[tuple[int, int, list[str]]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        index = _Executors(executors)
        data = self.data
        # the position nouns are few: look at each distinct word once, then at its tokens
        # (compress and map pick those out in C)
        texts, kinds, starts, ends = self._texts, self._kinds, self.toks.starts, self.toks.ends
        nouns = frozenset(w for w in set(texts) if role_forms(w, data))
        resume = 0  # a phrase's tokens are not looked at again
        for i in compress(range(self.n), map(nouns.__contains__, texts)) if nouns else ():
            if i < resume or kinds[i] != "w":
                continue
            ph = self.phrase(i)
            if ph is not None:
                if self.acts(ph, index):
                    out.append((starts[ph.start], ends[ph.end - 1]))
                resume = ph.end
        return out


class _Executors:
    """The measures' executor lists, found by position without reading them all for every
    role phrase."""

    def __init__(self, executors: list[tuple[int, int, list[str]]]):
        self.items = sorted(executors, key=lambda e: e[0])
        self.starts = [e[0] for e in self.items]
        # a measure containing a position starts at most this far before it
        self.longest = max((e[1] - e[0] for e in self.items), default=0)

    def around(self, pos: int) -> list[tuple[int, int, list[str]]]:
        """The measures that may contain ``pos`` (a superset; the caller checks)."""
        lo = bisect_left(self.starts, pos - self.longest)
        hi = bisect_right(self.starts, pos)
        return self.items[lo:hi]


def _executors(doc: Doc) -> list[tuple[int, int, list[str]]]:
    """Each measure's span with the executors the segmenter split off it, if any."""
    ctx = doc._.context
    return [
        (m.start, m.end, [clean(e) for e in m.executors])
        for m in (getattr(ctx, "measures", None) or [])
        if m.executors
    ]


def _lemmas(text: str) -> list[str]:
    return [forms(w)[0].lemma if forms(w) else norm_word(w) for w in text.split()]


@Language.factory("role_tagger")
def make_component(nlp: Language, name: str) -> "RoleTagger":
    return RoleTagger()


class RoleTagger:
    """Proposes ROLE candidates (no norm: the entity is the phrase in lower case)."""

    def __call__(self, doc: Doc) -> Doc:
        toks = doc_tokens(doc)
        text = document_text(doc)
        org_spans = doc.user_data.get("plans.orgs")
        if org_spans is None:  # run without the organisation tagger
            org_spans = [(m.start, m.end) for m in find_orgs(text, toks)]
        finder = _Roles(text, toks, org_spans)
        for start, end in finder.find(_executors(doc)):
            add_candidate(doc, start, end, "ROLE", "role_tagger")
        return doc

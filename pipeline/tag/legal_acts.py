"""LEGAL_ACT tagger: citations of laws, codes, resolutions, orders, decisions and decrees.

A citation is found from its act word in any case ("Закону України", "постановою КМУ",
"рішенням 55 сесії міської ради 8 скликання", "ЗУ") followed by its issuer and then by any of
date, number, quoted title, notes and registration in whatever order they are written
(see :func:`pipeline.normalise.legal_acts.scan_parts`). Besides that:

- list items under a heading that names the act type ("Закони України:", "Накази:" with a
  ministry sub-heading) are citations without an act word; the heading's type and issuer
  travel to the normaliser as hints;
- a run of bare titles after a plural act word ("Законами України «…», «…»") gives one
  mention per title;
- an instrument approved by an act ("Порядку …, затвердженого постановою КМУ від …",
  "Порядку … (наказ … від … № …)") is one mention with its approving citation;
- codes, the Constitution and conventions cited by name; council sessions named instead of
  the decision ("(14 сесія 8 скликання)"); state standards and institution regulations
  cited by name;
- a title cited in full once is a mention wherever else the document repeats it, and
  citations of one act inside a document share its canonical id (``same_as`` hint).

The grammar lives in :mod:`pipeline.normalise.legal_acts`, the knowledge in
``pipeline/data/legal_acts.toml``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc

from ..normalise import legal_acts as acts
from . import add_candidate, document_text

SOURCE = "legal_act_tagger"


@dataclass(slots=True)
class Found:
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    issuer: str = ""  # the issuer phrase as cited
    plural: bool = False
    title_end: int = -1  # end of the last title when the citation ends with one
    instrument: str | None = None  # "Порядку …" when an instrument was cited by name


# --------------------------------------------------------------------------- citations
def _citations(text: str) -> list[Found]:
    """Citations that open with an act word."""
    lex = acts.lexicon()
    found: list[Found] = []
    for m, kind, plural in acts.find_heads(text):
        if kind in ("constitution", "code"):
            continue  # cited by name: see _named_acts
        gap_end = acts.scan_issuer(text, m.end())
        if kind == "convention":
            tail = _CONVENTION_TAIL.match(text, m.end())
            if tail:
                gap_end = max(gap_end, tail.end())
        parts = acts.scan_parts(text, gap_end)
        issuer = acts.collapse(text[m.end() : gap_end])
        if parts.strong:
            if plural and not parts.titles:
                continue  # "на виконання Законів України, Указів Президента": no one act
            end = parts.end
        elif kind == "convention" and gap_end > m.end():
            end = gap_end
        else:
            # An act word with its issuer alone names one act only after an approval verb:
            # "…, затвердженого розпорядженням міського голови".
            if plural or gap_end == m.end() or "\n" in text[m.end() : gap_end]:
                continue
            if not lex.approval.search(text[max(0, m.start() - 40) : m.start()].rstrip()):
                continue
            end = gap_end
        start = acts.article_before(text, acts.adjective_before(text, m.start()))
        title_end = parts.last_title_end if parts.last_title_end == end else -1
        found.append(Found(start, end, {}, kind, issuer, plural, title_end))
    return found


_CONVENTION_TAIL = re.compile(
    r"(?:\s+(?:ООН|Ради\s+Європи|Організації\s+Об'єднаних\s+Націй))?\s+(?:про|проти)(?:\s+[а-яіїєґ'-]+){1,10}"
)


def _named_acts(text: str) -> list[Found]:
    """The Constitution, codes and conventions cited by name ("ст. 5 Цивільного кодексу України")."""
    lex = acts.lexicon()
    found = []
    last = 0
    for hint in acts.named_act_hints(text):
        # Names lie around their keyword ("Цивільного процесуального кодексу України").
        m = lex.named_any.search(text, max(last, hint - 60), min(len(text), hint + 130))
        if not m or not (m.start() <= hint < m.end()):
            continue
        last = m.end()
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "'"):
            continue
        parts = acts.scan_parts(text, m.end())
        end = parts.end if parts.strong else m.end()
        found.append(Found(acts.article_before(text, m.start()), end, {}, "named"))
    return found


_PAREN_OPEN = re.compile(r"\(\s*\Z")
_PAREN_CLOSE = re.compile(r"\s*\)")


_SESSION_HINT = re.compile(r"сесі[їяю]")  # searched in the lower-cased text: fast


def _sessions(text: str) -> list[Found]:
    """A council session named in brackets instead of its decision: "(14 сесія 8 скликання)",
    "(І пленарне засідання 2 сесії 8 скликання) від 17.12.2020р.№15"."""
    lex = acts.lexicon()
    found = []
    last = 0
    for hint in _SESSION_HINT.finditer(text.lower()):
        m = lex.session.search(text, max(last, hint.start() - 60), min(len(text), hint.end() + 80))
        if not m or not (m.start() <= hint.start() < m.end()):
            continue
        last = m.end()
        before = _PAREN_OPEN.search(text, max(0, m.start() - 3), m.start())
        close = _PAREN_CLOSE.match(text, m.end())
        if not before or not close:
            continue
        parts = acts.scan_parts(text, close.end())
        if parts.strong:
            found.append(Found(before.start(), parts.end, {}, "decision", acts.collapse(m.group())))
        else:
            found.append(Found(m.start(), m.end(), {}, "decision", acts.collapse(m.group())))
    return found


_WORD = re.compile(r"\s+([^\s,;:«»“”„\"()]+)")


def _named_instruments(text: str) -> list[Found]:
    """State standards and institution regulations cited by name (type "other")."""
    lex = acts.lexicon()
    found = []
    for rx, tail in lex.named_instruments:
        for m in rx.finditer(text):
            end = m.end()
            n = 0
            while n < 8:
                w = _WORD.match(text, end)
                if not w or "\n" in text[end : w.start(1)]:
                    break
                word = w.group(1).rstrip(".")
                if tail == "genitive":  # the standard's subject: "соціального супроводу"
                    ok = word.islower() and acts.plain_genitive(word) and n < 6
                else:  # a name: capitalised words, abbreviations and the genitive words of a name
                    ok = word[:1].isupper() or (n > 0 and acts.plain_genitive(word.lower()))
                if not ok:
                    break
                end = w.start(1) + len(word)
                n += 1
            if n:
                found.append(Found(m.start(), end, {"type": "other"}, "instrument"))
    return found


# --------------------------------------------------------------------------- list headings
_SEP = re.compile(r"\s*(?:,|та|і|й)\s*")
_ITEM_CITATION = re.compile(r"№|«|“|\"|\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?(?:19|20)\d{2}")


def parse_heading(heading: str) -> dict[str, Any] | None:
    """What a list heading says about the items under it, or None when it names no act type.

    "Закони України" -> kinds [law]; "Постанови та розпорядження Кабінету Міністрів
    України" -> kinds [resolution, disposition] and the Cabinet as issuer; "Спільні накази"
    -> type joint_order (data file).
    """
    lex = acts.lexicon()
    s = acts.collapse(heading)
    for rx, h in lex.headings:
        if rx.fullmatch(s):
            return {"kinds": list(h.get("kinds", [])), "type": h.get("type"), "issuer": None}
    m = lex.head.match(s)
    hk = acts.head_kind(lex, m) if m else None
    if not hk:
        return None
    kinds = [hk[0]]
    pos = m.end()
    while True:
        sep = _SEP.match(s, pos)
        nxt = lex.head.match(s, sep.end()) if sep else None
        nk = acts.head_kind(lex, nxt) if nxt else None
        if not nk:
            break
        kinds.append(nk[0])
        pos = nxt.end()
    gap_end = acts.scan_issuer(s, pos)
    if s[gap_end:].strip():
        return None
    return {"kinds": kinds, "type": None, "issuer": acts.collapse(s[pos:gap_end]) or None}


def _is_issuer_heading(heading: str) -> bool:
    """A sub-heading naming the issuer of the items under it ("Міністерства соціальної
    політики України:")."""
    s = heading.strip()
    return bool(s) and s[0].isupper() and acts.scan_issuer(s, 0) >= len(s.rstrip())


def _list_items(text: str) -> list[Found]:
    lex = acts.lexicon()
    found: list[Found] = []
    current: dict[str, Any] | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        s = body.strip()
        if not s:
            continue
        if current is None and not (s.endswith(":") and len(s) <= 200) and not (len(s) <= 120 and lex.head.match(s)):
            continue  # outside a list only a heading counts, and this line can be none
        bullet = acts.BULLET.match(body)
        has_bullet = bullet.end() > 0 and body[: bullet.end()].strip() != ""
        if s.endswith(":") and len(s) <= 200:
            # A heading, numbered or not: "Закони України:", "2. Накази:".
            head = body[bullet.end() :].strip()[:-1].strip()
            parsed = parse_heading(head)
            if parsed:
                current = parsed
                continue
            if not has_bullet:
                if current and _is_issuer_heading(head):
                    current = {**current, "issuer": acts.collapse(head)}
                else:
                    current = None
                continue
        elif not has_bullet and len(s) <= 120:
            # Without a colon only a plural act word makes a heading ("Закони України").
            m = lex.head.match(s)
            hk = acts.head_kind(lex, m) if m else None
            parsed = parse_heading(s) if hk and hk[1] else None
            if parsed:
                current = parsed
                continue
        if current is None:
            continue
        starts_like_item = has_bullet or lex.from_date.match(s) or lex.bare_date.match(s) or s.startswith("№")
        if not starts_like_item:
            current = None  # prose: the list is over
            continue
        item_start = start + bullet.end()
        item_end = start + len(body)
        while item_end > item_start and body[item_end - start - 1] in " \t;.,":
            item_end -= 1
        item = text[item_start:item_end]
        if not _ITEM_CITATION.search(item):
            continue  # a wrapped fragment of the previous item
        attrs = {"kinds": current["kinds"]}
        if current.get("type"):
            attrs["type"] = current["type"]
        if current.get("issuer"):
            attrs["issuer"] = current["issuer"]
        found.append(Found(item_start, item_end, attrs, "item"))
    return found


# --------------------------------------------------------------------------- instruments
_CLAUSE_BOUNDARY = re.compile(r"[;:«»]|\.\s+(?=[А-ЯІЇЄҐA-Z])")
_LEAD_IN = re.compile(r"(?:^[\s\-–—•·▪●*\d.)]*|(?:^|\s)(?:до|з|із|згідно\s+з|за|у|в)\s*)\Z", re.IGNORECASE)


def _instrument_start(text: str, line_start: int, anchor: int) -> re.Match | None:
    """The instrument ("Порядку …") that the citation at ``anchor`` approves, on its line."""
    lex = acts.lexicon()
    prefix = text[line_start:anchor]
    boundary = 0
    for b in _CLAUSE_BOUNDARY.finditer(prefix):
        boundary = b.end()
    m = lex.instrument.search(prefix, boundary)
    if not m or not _LEAD_IN.search(prefix[boundary : m.start()]):
        return None
    return m


def _instrument_extensions(text: str, found: list[Found]) -> list[Found]:
    """"Порядку …, затвердженого постановою КМУ від …" and "Порядку … (наказ … від …)"."""
    lex = acts.lexicon()
    out = []
    for f in found:
        if f.kind in ("item", "instrument", None):
            continue
        line_start = text.rfind("\n", 0, f.start) + 1
        opened = _PAREN_OPEN.search(text, max(line_start, f.start - 3), f.start)
        closed = _PAREN_CLOSE.match(text, f.end)
        if opened and closed:
            anchor, end = opened.start(), closed.end()
        else:
            # "…, затвердженого постановою …": the name ends before the approval verb.
            window_start = max(line_start, f.start - 40)
            approved = lex.approval.search(text[window_start : f.start].rstrip())
            if not approved:
                continue
            anchor, end = window_start + approved.start(), f.end
        m = _instrument_start(text, line_start, anchor)
        if not m:
            continue
        name = acts.collapse(text[line_start + m.start() : anchor]).rstrip(" ,")
        out.append(Found(line_start + m.start(), end, {}, "extended", instrument=name))
    return out


# How titles of laws, decrees and resolutions begin: a quoted programme name in the same
# run ("«Комплексної програми …»") is not one of the acts.
_ACT_TITLE = re.compile(r"\s*(?:Про|Деякі|Питання)\b", re.IGNORECASE)
_RUN_SEP = re.compile(r"\s*,\s*(?:(?:та|і|й)\s+)?|\s+(?:та|і|й)\s+")


def _title_runs(text: str, found: list[Found]) -> list[Found]:
    """"Законами України «A», «B» та «C»": one mention per further title."""
    out = []
    for f in found:
        if not f.plural or f.title_end != f.end:
            continue
        pos = f.end
        while True:
            sep = _RUN_SEP.match(text, pos)
            t = acts.scan_title(text, sep.end()) if sep else None
            if not t or not t.closed or not _ACT_TITLE.match(text, t.start + 1):
                break
            attrs = {"kinds": [f.kind], "issuer": f.issuer} if f.issuer else {"kinds": [f.kind]}
            out.append(Found(t.start, t.end, attrs, "run"))
            pos = t.end
    return out


# --------------------------------------------------------------------------- choice and links
def _resolve(found: list[Found]) -> list[Found]:
    """Non-overlapping citations, the longest first (an item or an instrument with its
    approving act beats the citation inside it)."""
    starts: list[int] = []  # taken spans, sorted by start; they never overlap each other
    ends: list[int] = []
    chosen: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if f.end <= f.start:
            continue
        i = bisect.bisect_left(starts, f.end)  # taken spans starting before f ends: [0, i)
        if i and ends[i - 1] > f.start:
            continue
        starts.insert(i, f.start)
        ends.insert(i, f.end)
        chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


_OPENER = re.compile("[«“„\"]")


def _title_norm(title: str) -> str:
    return acts.collapse(title).lower()


def _propagate_titles(text: str, chosen: list[Found], norms: list[dict[str, Any]]) -> list[Found]:
    """A title the document cites in full is a mention wherever else it is repeated."""
    quoted: dict[str, dict[str, Any]] = {}
    out = []
    for f, norm in zip(chosen, norms):
        attrs = {"type": norm["type"], "issuer_name": norm.get("issuer"), "same_as": norm["id"]}
        if norm.get("url"):
            attrs["same_as_url"] = norm["url"]
        if f.instrument:
            words = f.instrument.split(" ")
            if len(words) < 4:
                continue
            # The instrument's first word in any case: "Порядок"/"Порядку".
            first = re.escape(words[0][: max(4, len(words[0]) - 2)]) + r"\w*"
            rx = re.compile(first + r"\s+" + r"\s+".join(map(re.escape, words[1:])))
            out.extend(Found(m.start(), m.end(), attrs, "bare") for m in rx.finditer(text))
        elif norm.get("title") and f.kind not in ("run", "item", "instrument") and len(norm["title"].split()) >= 3:
            quoted.setdefault(_title_norm(norm["title"]), attrs)
    if quoted:
        i = 0
        while (om := _OPENER.search(text, i)) is not None:
            t = acts.scan_title(text, om.start())
            if t and t.closed:
                attrs = quoted.get(_title_norm(text[t.start + 1 : t.end - 1]))
                if attrs:
                    out.append(Found(t.start, t.end, attrs, "bare"))
                i = t.end
            else:
                i = om.start() + 1
    return out


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and fuzz.token_sort_ratio(a.lower(), b.lower()) >= 90)


def _link_within(chosen: list[Found], norms: list[dict[str, Any]]) -> None:
    """Citations of one act in a document share the id of its fullest citation: one with a
    mistyped date, without number, or a bare title joins the citation that has them."""
    full_norms = [n for n in norms if n.get("number")]
    for f, n in zip(chosen, norms):
        if "same_as" in f.attrs:
            continue
        t = n["type"]
        target = None
        if n.get("number"):
            if t in ("law", "code"):
                continue
            # Same type, number and year, another day: a slip in one of the dates. The
            # citation that also gives the title is taken to be right.
            year = (n.get("date") or "")[:4]
            rivals = [m for m in full_norms if m["type"] == t and m["number"] == n["number"]
                      and m.get("date") != n.get("date") and (m.get("date") or "")[:4] == year
                      and m.get("title")]
            if rivals and not n.get("title"):
                target = rivals[0]
        else:
            same_type = [m for m in full_norms if m["type"] == t]
            if n.get("title"):
                hits = {m["id"]: m for m in same_type if _same(m.get("title"), n["title"])}
            elif n.get("date"):
                hits = {m["id"]: m for m in same_type if m.get("date") == n["date"]}
            else:
                hits = {m["id"]: m for m in same_type if m.get("issuer") == n.get("issuer")}
            if len(hits) == 1:
                target = next(iter(hits.values()))
        if target:
            f.attrs["same_as"] = target["id"]
            if target.get("url"):
                f.attrs["same_as_url"] = target["url"]


def find_acts(text: str) -> list[Found]:
    """All LEGAL_ACT mentions of a (markup-masked) document text."""
    text = acts.unify(text)
    citations = _citations(text)
    found = citations + _named_acts(text) + _sessions(text) + _named_instruments(text) + _list_items(text)
    found += _instrument_extensions(text, found)
    found += _title_runs(text, citations)
    chosen = _resolve(found)
    norms = [acts.normalise_act(text[f.start : f.end], f.attrs) for f in chosen]
    extra = _propagate_titles(text, chosen, norms)
    if extra:
        known = {id(f): n for f, n in zip(chosen, norms)}
        chosen = _resolve(chosen + extra)
        norms = [known.get(id(f)) or acts.normalise_act(text[f.start : f.end], f.attrs) for f in chosen]
    _link_within(chosen, norms)
    return chosen


class LegalActTagger:
    def __call__(self, doc: Doc) -> Doc:
        for f in find_acts(document_text(doc)):
            add_candidate(doc, f.start, f.end, "LEGAL_ACT", SOURCE, **f.attrs)
        return doc


@Language.factory("legal_act_tagger")
def make_component(nlp: Language, name: str) -> LegalActTagger:
    return LegalActTagger()

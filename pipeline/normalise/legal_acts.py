"""normalise.legal_acts: what a LEGAL_ACT citation says, as structured values.

``normalise_act("Закону України «Про соціальні послуги» від 17.01.2019р. № 2671-VIII", {})``
gives ``type`` (the LEGAL_ACT vocabulary of the guidelines), ``issuer`` (nominative),
``date`` (ISO), ``number`` (as written, spaces removed, Roman numerals in Latin letters),
``title`` (without outer quotes), ``article`` where one is cited, the canonical ``id`` and the
``url`` on zakon.rada.gov.ua where one follows from the citation.

This module also holds the citation grammar the tagger (:mod:`pipeline.tag.legal_acts`) uses
to find citations, so that finding and reading a citation cannot disagree. Knowledge (act
words, issuers, type rules, convocation suffixes, known acts) lives in
``pipeline/data/legal_acts.toml``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from typing import Any, Iterator

from rapidfuzz import fuzz, process

from ..resources import load_data
from ..morph import analyzer, parses


# Apostrophe variants -> "'"; one character for one, so offsets survive the replacement.
_APOSTROPHES = ("’", "ʼ", "`", "‘", "ꞌ")


def unify(text: str) -> str:
    """The text with apostrophes unified (same length, so offsets are kept)."""
    for ch in _APOSTROPHES:
        if ch in text:
            text = text.replace(ch, "'")
    return text


def collapse(text: str) -> str:
    """White space runs to one space, ends stripped."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- building blocks
# Roman numerals as typed in citations: Latin letters or their Cyrillic look-alikes (І, Х, С).
_ROMAN = r"[IVXLCІХС]+"
# An act number: "2657-ХІІ", "393/96-ВР", "Р-196/06-34-23", "740/1030/4154/321/614а", "735-р",
# with the spaced or half-spaced dash before a convocation numeral ("2558 – ІІІ", "2297- VI").
NUM = (
    r"(?:[A-Za-zА-ЯІЇЄҐа-яіїєґ]{1,3}[-–]?)?\d[\w/]*(?:[-–—][\w/]+)*"
    rf"(?:(?:\s+[-–—]\s*|[-–—]\s+)(?:{_ROMAN}|ВР|вр)(?![\w]))?"
)
# "№ 5", "N 1708-VII" (Latin N only before a digit), the doubled "№ № 3160-VI", "№ _112_"
# and blank forms "№ ________" (an act not yet numbered, in page headers).
NUMBER = rf"(?:№|(?-i:N)(?=\s*\d))(?:\s*№)?\s*(?:_*{NUM}|_{{2,}})"
_DATE_NUMERIC = r"\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?(?:19|20)\d{2}(?!\d)"
_YEAR_SUFFIX = r"(?:\s*(?:року|рік|р\.|р(?![\w])))?"


def _date_text(months: list[str]) -> str:
    # "21 липня 2020", "«_21_»_липня 2020"
    return rf"«?[\s_]*\d{{1,2}}[\s_]*»?[\s_]*(?:{'|'.join(months)})[\s_]*(?:19|20)\d{{2}}"


# A date not yet filled in: "від _______________", "від «___»________ 20__".
_DATE_BLANK = r"(?:«[\s_]*»[\s_]*_+(?:\s*(?:19|20)[\d_]{0,2})?|_{3,}(?:\s*(?:19|20)\d{2})?)"

# The place of issue between date and number in a document header: "12.01.2024 м. Суми № 5".
_PLACE = re.compile(r"(?:м|смт|с)\.\s*[А-ЯІЇЄҐ][\w'-]+")

# A blank date without "від" ("«___»__________2024 р."), counted only before a number.
_BLANK_DATE = re.compile(rf"{_DATE_BLANK}{_YEAR_SUFFIX}", re.IGNORECASE)

# "ст.16", "статті 26", "ч. 2 ст. 5", "пункту 3 частини першої статті 26", directly before
# the act ("ст.16 ЗУ «…»"): part of the citation.
ARTICLE_BEFORE = re.compile(
    r"(?:(?:п(?:ункт\w*|\.)|пп\.)\s*\d+[\w.]*\s*,?\s*)?"
    r"(?:(?:ч(?:астин\w*|\.))\s*(?:\d+|\w+)\s*,?\s*)?"
    r"(?:ст(?:атт\w*|ат\w*|\.)|стст\.)\s*(?P<art>\d+(?:[-–]\d+)?(?:\s*,\s*\d+)*)\s*\Z",
    re.IGNORECASE,
)
_ARTICLE_PARTS = re.compile(
    r"(?:(?:п(?:ункт\w*|\.)|пп\.)\s*(?P<point>\d+[\w.]*?)\.?\s*,?\s*)?"
    r"(?:(?:ч(?:астин\w*|\.))\s*(?P<part>\d+|\w+)\s*,?\s*)?"
    r"(?:ст(?:атт\w*|ат\w*|\.)|стст\.)\s*(?P<art>\d+(?:[-–]\d+)?(?:\s*,\s*\d+)*)",
    re.IGNORECASE,
)

# A council session named instead of the decision ("14 сесія 8 скликання", "І пленарне
# засідання 2 сесії 8 скликання", "сесії міської ради VIII скликання").
SESSION = (
    rf"(?:(?:{_ROMAN}\s+)?пленарн\w*\s+засіданн\w*\s+)?(?:засіданн\w*\s+)?"
    rf"(?:\d+|{_ROMAN})(?:-?[а-яі]{{1,2}})?\s+(?:(?:позачергов|чергов)\w*\s+)?сесі[їяю]\s+"
    rf"(?:[\w']+\s+){{0,4}}?(?:\d+|{_ROMAN})(?:-?[а-яі]{{1,2}})?\s+скликанн\w*"
)

BULLET = re.compile(r"[ \t]*(?:[-–—•·▪●◦*]|\d{1,3}[.)](?!\d)|[а-яa-z]\))?[ \t]*")


# --------------------------------------------------------------------------- the lexicon
@dataclass(frozen=True)
class Issuer:
    name: str
    cls: str
    pattern: re.Pattern


@dataclass(frozen=True)
class NamedAct:
    type: str
    title: str
    pattern: re.Pattern
    number: str | None
    date: str | None
    url: str | None


@dataclass
class Lexicon:
    """Everything the data file says, compiled once."""

    kind_of: dict[str, str]  # lower-case word form -> kind
    plural_only: frozenset[str]  # forms that are only plural ("законів", "постанов")
    abbreviations: dict[str, dict[str, str]]
    head: re.Pattern
    issuers: list[Issuer]
    issuer_any: re.Pattern
    issuer_classes: list[tuple[re.Pattern, str]]
    issuer_words: tuple[str, ...]
    ordinals: tuple[str, ...]  # "двадцять восьмої сесії", "восьмого скликання"
    issuer_glue: frozenset[str]
    type_rules: list[dict[str, Any]]
    type_adjective: re.Pattern  # "спільного " right before an act word
    adjective_types: list[tuple[re.Pattern, str]]
    headings: list[tuple[re.Pattern, dict[str, Any]]]
    instrument: re.Pattern
    named_instruments: list[tuple[re.Pattern, str]]
    approval: re.Pattern
    instrument_end: re.Pattern  # where an instrument's name ends and its approving act begins
    months: list[str]
    from_date: re.Pattern
    bare_date: re.Pattern
    date_value: re.Pattern
    number: re.Pattern
    paren_note: re.Pattern
    filler: re.Pattern
    year_only: re.Pattern
    registration: re.Pattern
    case_no: re.Pattern
    session: re.Pattern
    convocation: dict[str, str]
    soviet_convocation: dict[str, str]
    named_acts: list[NamedAct]
    named_any: re.Pattern
    named_words: tuple[str, ...]  # lower-case keywords, one of which every named act contains
    named_abbr: tuple[str, ...]  # case-sensitive abbreviations ("КЗпП", "ЦК України")
    law_titles: dict[str, str]
    issuer_heads: dict[str, tuple[str, str]]
    components: list[tuple[re.Pattern, bool]] = field(default_factory=list)
    # find_heads' quick scan for where ``head`` may match (see _head_matches): the act-word
    # stems, lower case, no flags (None: a stem has a letter the scan cannot vouch for)
    head_stems: re.Pattern | None = None


def _common_prefix(words: list[str]) -> str:
    prefix = words[0]
    for w in words[1:]:
        while not w.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _forms(lemma: str) -> list[tuple[str, bool]]:
    """All (form, is_plural) of a lemma, from pymorphy3's paradigm."""
    found = analyzer().parse(lemma)
    best = next((p for p in found if p.normal_form == lemma), found[0])
    return [(f.word.lower(), "plur" in f.tag) for f in best.lexeme] + [(lemma, False)]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_data("legal_acts")
    kind_of: dict[str, str] = {}
    singular: set[str] = set()
    plural: set[str] = set()
    stems: set[str] = set()
    for lemma, kind in data["kinds"].items():
        forms = _forms(lemma)
        # The regex matches any word that starts like an act word (a few stems scan fast);
        # head_kind() then keeps only the real forms ("законодавство" is not one).
        stems.add(_common_prefix([f for f, _ in forms]))
        for form, is_plural in forms:
            kind_of[form] = kind
            (plural if is_plural else singular).add(form)
    words = sorted(kind_of, key=len, reverse=True)
    abbreviations = {a["text"]: a for a in data.get("abbreviation", [])}
    abbr = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True)) or "(?!)"
    stems_rx = "|".join(map(re.escape, sorted(stems, key=len, reverse=True)))
    stem_letters = {ch for stem in stems for ch in stem}
    head = re.compile(
        rf"(?<![\w'])(?:(?P<word>(?:{stems_rx})[\w']*)|(?-i:(?P<abbr>{abbr})))(?![\w'])",
        re.IGNORECASE,
    )
    issuers = [
        Issuer(i["name"], i["class"], re.compile(rf"(?:{unify(i['pattern'])})(?![\w'])", re.IGNORECASE))
        for i in data.get("issuer", [])
    ]
    issuer_any = re.compile(
        "|".join(f"(?:{i.pattern.pattern})" for i in issuers) or "(?!)", re.IGNORECASE
    )
    months = data["dates"]["months"]
    date_any = rf"(?:{_DATE_NUMERIC}|{_date_text(months)})"
    kind_forms = "|".join(map(re.escape, words))
    named_acts = [
        NamedAct(
            a["type"], a["title"], re.compile(rf"(?:{unify(a['pattern'])})(?![\w'])", re.IGNORECASE),
            a.get("number"), a.get("date"), a.get("url"),
        )
        for a in data.get("named_act", [])
    ]
    lex = Lexicon(
        kind_of=kind_of,
        plural_only=frozenset(plural - singular),
        abbreviations=abbreviations,
        head=head,
        issuers=issuers,
        issuer_any=issuer_any,
        issuer_classes=[(re.compile(c["pattern"], re.IGNORECASE), c["class"]) for c in data["issuer_class"]],
        issuer_words=tuple(unify(w) for w in data["issuer_vocabulary"]["words"] + data["issuer_vocabulary"]["ordinals"]),
        ordinals=tuple(unify(w) for w in data["issuer_vocabulary"]["ordinals"]),
        issuer_glue=frozenset(data["issuer_vocabulary"]["glue"]),
        type_rules=data["type_rule"],
        type_adjective=re.compile(
            rf"(?<![\w'])(?:{'|'.join(a['pattern'] for a in data.get('type_adjective', [])) or '(?!)'})\s+\Z",
            re.IGNORECASE,
        ),
        adjective_types=[(re.compile(a["pattern"], re.IGNORECASE), a["type"]) for a in data.get("type_adjective", [])],
        headings=[(re.compile(h["pattern"], re.IGNORECASE), h) for h in data.get("heading", [])],
        instrument=re.compile(rf"(?<![\w'])(?:{data['instruments']['pattern']})(?![\w'])"),
        named_instruments=[(re.compile(n["pattern"]), n["tail"]) for n in data.get("named_instrument", [])],
        approval=re.compile(rf"(?:{data['approval']['participle']})\s*\Z", re.IGNORECASE),
        instrument_end=re.compile(
            rf"\s*\((?=[^()]*(?:від|№))|,?\s+(?:{data['approval']['participle']})(?![\w'])", re.IGNORECASE
        ),
        months=months,
        from_date=re.compile(rf"(?:від|вiд)\s*(?:{date_any}|{_DATE_BLANK}){_YEAR_SUFFIX}", re.IGNORECASE),
        bare_date=re.compile(rf"{date_any}{_YEAR_SUFFIX}", re.IGNORECASE),
        # Digits need no case folding, which would slow the scan several times over.
        date_value=re.compile(
            rf"(?P<d>\d{{1,2}})\s?\.\s?(?P<m>\d{{1,2}})\s?\.\s?(?P<y>(?:19|20)\d{{2}})(?!\d)"
            rf"|(?P<d2>\d{{1,2}})[\s_]*»?[\s_]*(?P<mon>(?i:{'|'.join(months)}))[\s_]*(?P<y2>(?:19|20)\d{{2}})"
        ),
        number=re.compile(NUMBER, re.IGNORECASE),
        # "(зі змінами …)", "(в редакції …)", "(зареєстровано …)", "(наказ Мінсоцполітики …)"
        paren_note=re.compile(
            rf"\((?=\s*(?:(?:зі|із|з)\s+змін|змін|(?:в|у)\s+редакці|[\w']*єстр|(?:{kind_forms})(?![\w'])))"
            r"(?:[^()\n]|\([^()\n]*\))*\)",
            re.IGNORECASE,
        ),
        filler=re.compile(r"(?:в|у)\s+редакції|(?:зі|із)\s+змінами", re.IGNORECASE),
        year_only=re.compile(r"(?:19|20)\d{2}\s*(?:року|р\.|р(?![\w]))", re.IGNORECASE),
        # A ministry order registered with the Ministry of Justice.
        registration=re.compile(
            rf",?\s*(?:зареєстрован\w*|з/р)\s+(?:в|у)\s+Міністерстві\s+юстиції(?:\s+України)?\s+"
            rf"(?:від\s+)?{date_any}{_YEAR_SUFFIX}\s*(?:за\s+)?№\s*{NUM}",
            re.IGNORECASE,
        ),
        case_no=re.compile(rf"(?:у|в)\s+справі\s+№\s*{NUM}", re.IGNORECASE),
        session=re.compile(SESSION, re.IGNORECASE),
        convocation=data["convocation_suffix"],
        soviet_convocation=data["soviet_convocation_suffix"],
        named_acts=named_acts,
        named_any=re.compile("|".join(f"(?:{a.pattern.pattern})" for a in named_acts) or "(?!)", re.IGNORECASE),
        named_words=tuple(data["named_act_search"]["words"]),
        named_abbr=tuple(data["named_act_search"]["abbreviations"]),
        law_titles={_title_key(t): n for t, n in data.get("law_titles", {}).items()},
        issuer_heads={k: (v[0], v[1]) for k, v in data.get("issuer_heads", {}).items()},
    )
    if stem_letters <= _UK_LOWER:
        lex.head_stems = re.compile(stems_rx)
    # Citation parts after the act word and issuer, in the order they are tried. A weak part
    # ("2022р.", "в редакції") counts only when a strong one follows it.
    lex.components = [
        (lex.registration, True),
        (lex.from_date, True),
        (lex.number, True),
        (lex.paren_note, True),
        (lex.case_no, True),
        (lex.bare_date, False),
        (_BLANK_DATE, False),
        (lex.year_only, False),
        (lex.filler, False),
        (_PLACE, False),
    ]
    return lex


def _title_key(title: str) -> str:
    return collapse(unify(title)).strip("«»“”„\"' ").lower()


# --------------------------------------------------------------------------- grammar
_OPEN_CLOSE = {"«": "»", "“": "”", "„": "“", '"': '"', "”": "”"}
_GUILLEMET_STEP = re.compile(r"[«»\r\n]")
_QUOTE_STEP = {c: re.compile("[" + re.escape(c) + r"\r\n]") for c in set(_OPEN_CLOSE.values())}
_OPENERS = re.compile("[" + re.escape("".join(_OPEN_CLOSE)) + "]")


@dataclass(slots=True)
class TitleSpan:
    start: int
    end: int  # after the closing quote, or where an unclosed title stops
    closed: bool


def scan_title(text: str, pos: int, limit: int = 700) -> TitleSpan | None:
    """A quoted title opening at ``pos``: nested «…«…»…» is followed to its close.

    A title left unclosed (a frequent typing slip) runs to the end of its line or to the
    first ``;`` there; the trailing ``.``/``,`` is left out.
    """
    if pos >= len(text) or text[pos] not in _OPEN_CLOSE:
        return None
    opener = text[pos]
    closer = _OPEN_CLOSE[opener]
    depth = 0
    stop = min(len(text), pos + limit)
    stepper = _GUILLEMET_STEP if opener == "«" else _QUOTE_STEP[closer]
    i = pos
    while True:
        m = stepper.search(text, i, stop)
        if not m:
            i = stop
            break
        i = m.start()
        ch = text[i]
        if ch in "\r\n":
            break
        if opener == "«":
            depth += 1 if ch == "«" else -1
            if depth == 0:
                return TitleSpan(pos, i + 1, True) if _has_words(text, pos, i) else None
        elif i > pos:
            return TitleSpan(pos, i + 1, True) if _has_words(text, pos, i) else None
        i += 1
    # Unclosed: to the end of the line, of the clause (";") or of the sentence, without
    # trailing punctuation. A stray straight quote is no title, nor is a whole paragraph.
    if opener == '"' or i < len(text) and i >= stop:
        return None
    end = i
    clause = _UNCLOSED_END.search(text, pos, end)
    if clause:
        end = clause.start()
    while end > pos + 1 and text[end - 1] in " \t.,":
        end -= 1
    if end - pos < 4 or end - pos > _UNCLOSED_MAX:
        return None
    return TitleSpan(pos, end, False)


_UNCLOSED_END = re.compile(r";|\.\s+(?=[А-ЯІЇЄҐA-Z])|[”“]")
_UNCLOSED_MAX = 400  # longer, an unclosed quote is a typing slip in prose, not a title

_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def _has_words(text: str, start: int, end: int) -> bool:
    """A title has words; "«_21_»" in a date does not."""
    return _TWO_LETTERS.search(text, start, end) is not None


_GAP_TOKEN = re.compile(r"(?P<ws>\s*)(?P<comma>,\s*)?(?P<tok>[^\s,;:«»“”„\"()№.]+)")
_SESSION_WORD = ("сесі", "скликанн", "пленарн", "засіданн")
_DIGITS = re.compile(rf"(?:\d+|{_ROMAN})(?:-?[а-яі]{{1,2}})?")


def _issuer_token(lex: Lexicon, tok: str) -> bool:
    """Can ``tok`` continue an issuer phrase? Capitalised words and abbreviations, the
    issuer vocabulary of the data file, and any other word in the genitive ("управління
    соціального захисту населення"): issuers are cited as genitive chains."""
    low = tok.lower()
    if tok[0].isupper():
        return True
    if low.startswith(lex.issuer_words):
        return True
    return plain_genitive(low)


@lru_cache(maxsize=50_000)
def plain_genitive(word: str) -> bool:
    """A noun or adjective that can be genitive, and nothing else: not a preposition
    ("про" is also an abbreviation), not a participle ("ратифікованої" starts a new clause)."""
    found = parses(word)
    if len(word) < 3 or not word.isalpha() or not found:
        return False
    for p in found:
        if p.tag.POS not in ("NOUN", "ADJF") or {"Abbr", "Fixd", "pssv", "actv"} & p.tag.grammemes:
            return False
    return any("gent" in p.tag for p in found)


def scan_issuer(text: str, pos: int, max_tokens: int = 45) -> int:
    """End of the issuer phrase that starts at ``pos`` (``pos`` itself when there is none).

    The phrase is made of named issuers from the data file, capitalised words,
    abbreviations, issuer vocabulary ("міського голови", "сесії міської ради 8 скликання")
    and the glue words between them. A tab (a table cell boundary), sentence punctuation,
    a quote, "від" or "№" ends it.
    """
    lex = lexicon()
    end = pos
    cur = pos
    n = 0
    while n < max_tokens:
        m = _GAP_TOKEN.match(text, cur)
        if not m:
            break
        ws = m.group("ws")
        if "\t" in ws or ws.count("\n") > 3:
            break
        tok_start = m.start("tok")
        named = lex.issuer_any.match(text, tok_start)
        if named and named.end() > tok_start:
            if m.group("comma") and end == pos:
                break
            end = cur = named.end()
            n += 1
            continue
        tok = m.group("tok")
        low = tok.lower()
        if low in ("від", "вiд"):
            break
        if low in lex.issuer_glue:
            if m.group("comma"):
                break
            cur = m.end()  # tentative: only kept if a content word follows
            n += 1
            continue
        if _DIGITS.fullmatch(tok) and (tok[0].isdigit() or tok.isupper()):
            # Session numbering ("55 сесії", "8 скликання", "І пленарне засідання") only.
            nxt = _GAP_TOKEN.match(text, m.end())
            if not (nxt and nxt.group("tok").lower().startswith(_SESSION_WORD)):
                break
        elif not _issuer_token(lex, tok):
            break
        elif m.group("comma") and not (tok[0].isupper() or low.startswith(lex.issuer_words)):
            break  # after a comma only a named body goes on ("…, Міністерства …")
        if m.group("comma") and end == pos:
            break
        end = cur = m.end()
        n += 1
    return end


@dataclass(slots=True)
class Parts:
    """What follows an act word: where the citation ends and what it contained."""

    end: int
    strong: int = 0
    titles: list[TitleSpan] = field(default_factory=list)
    last_title_end: int = -1


_WS = re.compile(r"\s*")


def scan_parts(text: str, pos: int) -> Parts:
    """Consume date, number, title, notes and registration after ``pos``, in any order."""
    lex = lexicon()
    parts = Parts(pos)
    pending = pos
    while True:
        ws = _WS.match(text, pending)
        if "\t" in ws.group() or ws.group().count("\n") > 3:
            break
        p = ws.end()
        if p >= len(text):
            break
        title = scan_title(text, p)
        if title:
            parts.titles.append(title)
            parts.end = pending = title.end
            parts.last_title_end = title.end
            parts.strong += 1
            if not title.closed:
                break
            continue
        for regex, strong in lex.components:
            m = regex.match(text, p)
            if m and m.end() > p:
                pending = m.end()
                if strong:
                    parts.end = m.end()
                    parts.strong += 1
                break
        else:
            break
    return parts


def article_before(text: str, start: int) -> int:
    """Start of an article reference that ends at ``start`` ("ст.16 " before "ЗУ")."""
    window = text[max(0, start - 80) : start]
    m = ARTICLE_BEFORE.search(window)
    if not m:
        return start
    return start - (len(window) - m.start())


def adjective_before(text: str, start: int) -> int:
    """Start of a type adjective that ends at ``start`` ("спільного " before "наказу")."""
    window = text[max(0, start - 30) : start]
    m = lexicon().type_adjective.search(window)
    return start - (len(window) - m.start()) if m else start


def mentions_named_act(text: str) -> bool:
    """Cheap test before the named-act patterns: does a keyword of one occur?"""
    lex = lexicon()
    low = text.lower()
    return any(w in low for w in lex.named_words) or any(a in text for a in lex.named_abbr)


def named_act_hints(text: str) -> list[int]:
    """Positions of the keywords of named acts in ``text`` (plain substring scans: fast)."""
    lex = lexicon()
    low = text.lower()
    hits: list[int] = []
    for needles, hay in ((lex.named_words, low), (lex.named_abbr, text)):
        for needle in needles:
            i = hay.find(needle)
            while i != -1:
                hits.append(i)
                i = hay.find(needle, i + 1)
    return sorted(hits)


def head_kind(lex: Lexicon, m: re.Match) -> tuple[str, bool] | None:
    """(kind, plural_only) of a head-word match; None when the word is no act word."""
    if m.group("abbr"):
        return lex.abbreviations[m.group("abbr")]["kind"], False
    word = m.group("word").lower()
    kind = lex.kind_of.get(word)
    if kind is None:
        return None
    return kind, word in lex.plural_only


def find_heads(text: str, pos: int = 0, end: int | None = None):
    """Act-word matches with their (kind, plural_only), in order."""
    lex = lexicon()
    for m in _head_matches(lex, text, pos, len(text) if end is None else end):
        hk = head_kind(lex, m)
        if hk:
            yield m, hk[0], hk[1]


# The lower-case Ukrainian letters. Of all characters, re.IGNORECASE takes for one of them
# only itself, its capital and (checked over all of Unicode) the old Cyrillic letter
# shapes U+1C80–U+1C85 ("ᲀ" for "в"): _FOLDS_RE finds those.
_UK_LOWER = frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")
_FOLDS_RE = re.compile("[\u1c80-\u1c88]")


def _head_matches(lex: Lexicon, text: str, pos: int, end: int) -> Iterator[re.Match]:
    """``lex.head.finditer(text, pos, end)``, found quicker.

    ``head`` opens with a look-behind and ignores case, so the regex engine tries it at
    every position of the text. The places where it can match are found instead by a plain
    scan of the lower-cased text for the stems (and of the text for the abbreviations),
    and ``head`` is matched there only. A match needs a non-word character before it, so
    none starts inside a stem the scan has passed over. The scan takes a character for a
    stem letter when its lower case is that letter; ``re.IGNORECASE`` also takes a few
    other characters (``ᲀ`` for ``в``): a text with one of them, or one whose lower case
    is longer (``İ``), is searched with ``head`` itself.
    """
    low = text.lower()
    if lex.head_stems is None or len(low) != len(text) or _FOLDS_RE.search(text):
        yield from lex.head.finditer(text, pos, end)
        return
    starts = [m.start() for m in lex.head_stems.finditer(low, pos, end)]
    for abbr in lex.abbreviations:
        i = text.find(abbr, pos, end)
        while i != -1:
            starts.append(i)
            i = text.find(abbr, i + 1, end)
    starts.sort()
    resume = pos  # finditer goes on after the end of each match
    for start in starts:
        if start < resume:
            continue
        m = lex.head.match(text, start, end)
        if m:
            yield m
            resume = m.end()


# --------------------------------------------------------------------------- normalisation
def _parse_date(text: str) -> str | None:
    lex = lexicon()
    for m in lex.date_value.finditer(text):
        try:
            if m.group("d"):
                d = Date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            else:
                month = lex.months.index(m.group("mon").lower()) + 1
                d = Date(int(m.group("y2")), month, int(m.group("d2")))
        except ValueError:
            continue
        return d.isoformat()
    return None


_ROMAN_MAP = str.maketrans({"І": "I", "Х": "X", "С": "C"})
# A well-formed Roman numeral (so that a letter suffix "-С" is not taken for one).
_VALID_ROMAN = re.compile(r"(?=[IVXLC])(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_NUMBER_SIGN = re.compile(r"^(?:№|N)(?:\s*№)?\s*", re.IGNORECASE)


def clean_number(raw: str) -> str | None:
    """The number as written, spaces and blanks removed, dashes unified, Roman numerals Latin."""
    s = _NUMBER_SIGN.sub("", raw.strip())
    s = re.sub(r"\s+", "", s).replace("–", "-").replace("—", "-").strip("_")
    if not s or not any(ch.isdigit() for ch in s):
        return None
    segments = s.split("-")
    for i in range(1, len(segments)):
        seg = segments[i]
        head, sep, rest = seg.partition("/")
        latin = head.translate(_ROMAN_MAP)
        if _VALID_ROMAN.fullmatch(latin):
            segments[i] = latin + sep + rest
    return "-".join(segments)


def _nominative_adj(word: str, gender: str) -> str:
    """Genitive adjective -> nominative of the head's gender ("міської" -> "міська")."""
    low = word.lower()
    rules = {
        "f": (("ської", "ська"), ("цької", "цька"), ("ьої", "я"), ("ої", "а")),
        "m": (("ського", "ський"), ("цького", "цький"), ("нього", "ній"), ("ього", "ій"), ("ого", "ий")),
        "n": (("ського", "ське"), ("цького", "цьке"), ("нього", "нє"), ("ього", "є"), ("ого", "е")),
    }[gender]
    for suffix, repl in rules:
        if low.endswith(suffix):
            out = word[: len(word) - len(suffix)] + repl
            return out
    return word


def nominative_issuer(phrase: str) -> str | None:
    """Issuer phrase as cited (genitive) -> nominative: "виконавчого комітету Березанської
    міської ради" -> "Виконавчий комітет Березанської міської ради"."""
    lex = lexicon()
    words = collapse(phrase).split(" ")
    words = [w for w in words if w]
    if not words:
        return None
    for i, w in enumerate(words):
        head = lex.issuer_heads.get(w.lower())
        if head:
            nom, gender = head
            if w[0].isupper():
                nom = nom[0].upper() + nom[1:]
            out = [_nominative_adj(a, gender) for a in words[:i]] + [nom] + words[i + 1 :]
            text = " ".join(out)
            return text[0].upper() + text[1:]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def find_issuers(phrase: str) -> tuple[list[str], list[str]]:
    """(canonical names, classes) of the issuers named in ``phrase``."""
    lex = lexicon()
    phrase = unify(phrase)
    names: list[str] = []
    classes: list[str] = []
    for m in lex.issuer_any.finditer(phrase):
        if m.start() > 0 and (phrase[m.start() - 1].isalnum() or phrase[m.start() - 1] == "'"):
            continue
        iss = next((i for i in lex.issuers if i.pattern.match(phrase, m.start())), None)
        if iss is None or m.end() == m.start():
            continue
        if iss.name not in names:
            names.append(iss.name)
            classes.append(iss.cls)
    if names:
        return names, classes
    # No body the data file knows: classify the words, and report the body in the
    # nominative when they name one by its head noun ("Київського міського центру …").
    # A bare "України" after "Закону" names the country, not a body: no issuer then.
    cls = _issuer_class(phrase) or "unknown"
    body = _strip_session(phrase)
    if any(w.lower() in lex.issuer_heads for w in body.split()):
        return [nominative_issuer(body)], [cls]
    return [], ([cls] if cls != "unknown" else [])


def _strip_session(phrase: str) -> str:
    """The council of a sitting: "55 сесії міської ради 8 скликання", "сесії Сватівської
    районної ради VII скликання" -> "міської ради", "Сватівської районної ради"."""
    words = phrase.split()
    if not any(w.lower().startswith(_SESSION_WORD) for w in words):
        return phrase
    ordinals = lexicon().ordinals
    kept = [w for w in words
            if not w.lower().startswith(_SESSION_WORD) and not _DIGITS.fullmatch(w)
            and not (w.islower() and w.startswith(ordinals))]
    return " ".join(kept)


def _issuer_class(phrase: str) -> str:
    for rx, cls in lexicon().issuer_classes:
        if rx.search(phrase):
            return cls
    return ""


def resolve_type(kinds: list[str], classes: list[str], number: str | None) -> str:
    """The LEGAL_ACT type from the act words, the issuers' classes and the number's shape."""
    lex = lexicon()
    kind = kinds[0] if kinds else ""
    if len(kinds) > 1:
        # "Постанови та розпорядження Кабінету Міністрів": a Cabinet order is numbered "-р".
        if number and re.search(r"-[рp]$", number, re.IGNORECASE) and "disposition" in kinds:
            kind = "disposition"
        else:
            kind = next((k for k in kinds if k != "disposition"), kinds[0])
    if kind == "order" and sum(c in ("ministry", "agency") for c in classes) >= 2:
        return "joint_order"
    cls = classes[0] if classes else ""
    for rule in lex.type_rules:
        if rule["kind"] not in ("*", kind):
            continue
        allowed = rule.get("issuer")
        if allowed is not None and cls not in allowed:
            continue
        return rule["type"]
    return "other"


_NAMED_KINDS = ("code", "constitution", "convention")
_DEFAULT_ISSUER = {
    "law": "Верховна Рада України",
    "code": "Верховна Рада України",
    "constitution": "Верховна Рада України",
    "president_decree": "Президент України",
    "cmu_resolution": "Кабінет Міністрів України",
    "cmu_order": "Кабінет Міністрів України",
}


@dataclass(slots=True)
class Reading:
    """A citation taken apart (the normaliser's view of the mention text)."""

    kinds: list[str] = field(default_factory=list)
    issuer_text: str = ""
    issuer_default: str | None = None
    title: str | None = None
    date: str | None = None
    number: str | None = None
    article: dict[str, str] | None = None
    registration: dict[str, str | None] | None = None
    instrument: str | None = None
    named: NamedAct | None = None
    forced_type: str | None = None


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


_TRAILING_CITATION = re.compile(
    rf"\s+(?:(?:від\s+)?{_DATE_NUMERIC}{_YEAR_SUFFIX}\s*(?:{NUMBER})?|{NUMBER}(?:\s+від\s+{_DATE_NUMERIC}{_YEAR_SUFFIX})?)\s*$",
    re.IGNORECASE,
)


_REGISTRATION_NOTE = re.compile(r"\([^()]*єстр[^()]*\)")
_AMENDMENT_NOTE = re.compile(r"\(\s*(?:зі|із|з)\s+змін[^()]*\)", re.IGNORECASE)


def read_citation(text: str) -> Reading:
    lex = lexicon()
    r = Reading()
    work = unify(text)
    # Titles: the first quoted one is the act's; all are hidden from the later steps.
    i = 0
    while (om := _OPENERS.search(work, i)) is not None:
        t = scan_title(work, om.start(), limit=len(work))
        if not t:
            i = om.start() + 1
            continue
        inner_end = t.end - 1 if t.closed else t.end
        inner = work[t.start + 1 : inner_end]
        if not t.closed:
            # "«Про … типу від 23.09.2009р. №3357": the date and number are the act's.
            tail = _TRAILING_CITATION.search(inner)
            if tail:
                inner = inner[: tail.start()]
                inner_end = t.start + 1 + tail.start()
        if r.title is None:
            r.title = collapse(inner) or None
        work = _mask(work, t.start, inner_end + (1 if t.closed else 0))
        i = t.end
    # Registration with the Ministry of Justice: its date and number are not the act's.
    registered = "єстр" in work or "з/р" in work
    notes = list(_REGISTRATION_NOTE.finditer(work)) + list(lex.registration.finditer(work)) if registered else []
    for m in notes:
        seg = m.group()
        nm = lex.number.search(seg)
        r.registration = {"date": _parse_date(seg), "number": clean_number(nm.group()) if nm else None}
        work = _mask(work, m.start(), m.end())
    # Amendments "(зі змінами від … № …)": another act's date and number.
    if "змін" in work.lower():
        for m in _AMENDMENT_NOTE.finditer(work):
            work = _mask(work, m.start(), m.end())
    # Article reference at the start.
    am = _ARTICLE_PARTS.match(work.lstrip())
    if am:
        off = len(work) - len(work.lstrip())
        r.article = {k: v for k, v in (("article", am.group("art")), ("part", am.group("part")), ("point", am.group("point"))) if v}
        work = _mask(work, off, off + am.end())
    # A named instrument: "Порядку …, затвердженого постановою …", "Порядку … (наказ …)",
    # or cited alone ("Державного стандарту соціального супроводу").
    stripped = work.lstrip(" -–—•·▪*(")
    if lex.instrument.match(stripped) or any(rx.match(stripped) for rx, _ in lex.named_instruments):
        rest_start = len(work) - len(stripped)
        cut = lex.instrument_end.search(work, rest_start)
        end = cut.start() if cut else len(work.rstrip())
        r.instrument = collapse(work[rest_start:end])
        work = _mask(work, rest_start, end)
    # Constitution, codes, conventions named in the data file.
    nm = lex.named_any.search(work) if mentions_named_act(work) else None
    for act in lex.named_acts:
        if nm and act.pattern.match(work, nm.start()):
            r.named = act
            break
    # The act word and the issuer phrase after it.
    hm, kind, _ = next(find_heads(work), (None, None, None))
    if hm:
        r.kinds = [kind]
        before = work[: hm.start()].split()
        for rx, adj_type in lex.adjective_types if before else ():
            if rx.fullmatch(before[-1]):
                r.forced_type = adj_type
        if hm.group("abbr"):
            r.issuer_default = lex.abbreviations[hm.group("abbr")].get("issuer")
        gap_end = scan_issuer(work, hm.end())
        r.issuer_text = collapse(work[hm.end() : gap_end])
    else:
        # A list item under a heading may open with its issuers ("Міністерства … та
        # Міністерства … від … № …"): the heading gave the type, the item the issuers.
        lead = len(work) - len(work.lstrip())
        gap_end = scan_issuer(work, lead)
        r.issuer_text = collapse(work[lead:gap_end])
    # A council sitting named instead of the decision: "(14 сесія 8 скликання)".
    sm = lex.session.search(work) if not r.kinds and "сесі" in work.lower() else None
    if sm:
        r.kinds = ["decision"]
        r.issuer_text = r.issuer_text or collapse(sm.group())
    r.date = _parse_date(work)
    num = lex.number.search(work)
    if num:
        r.number = clean_number(num.group())
    return r


def _law_url(number: str, year: int | None) -> str | None:
    lex = lexicon()
    m = re.fullmatch(r"(\d+)/(\d{2})-(?:ВР|BP|вр)", number, re.IGNORECASE)
    if m:
        return f"https://zakon.rada.gov.ua/laws/show/{m.group(1)}/{m.group(2)}-вр"
    m = re.fullmatch(r"(\d+)-([IVXLC]+)", number)
    if not m:
        return None
    roman = m.group(2)
    suffix = None
    if year is not None and year < 1990:
        suffix = lex.soviet_convocation.get(roman)
    if suffix is None:
        suffix = lex.convocation.get(roman)
    return f"https://zakon.rada.gov.ua/laws/show/{m.group(1)}-{suffix}" if suffix else None


def act_url(norm: dict[str, Any]) -> str | None:
    """The act's address on zakon.rada.gov.ua, where its number gives one."""
    t, number, date = norm.get("type"), norm.get("number"), norm.get("date")
    year = int(date[:4]) if date else None
    if not number:
        return None
    if t in ("law", "code") or (t == "other" and norm.get("issuer") == "Верховна Рада України"):
        # Resolutions of the Verkhovna Rada share the numbering of its laws.
        return _law_url(number, year)
    if t == "cmu_resolution" and year and re.fullmatch(r"\d+", number):
        return f"https://zakon.rada.gov.ua/laws/show/{number}-{year}-п"
    if t == "cmu_order" and year:
        m = re.fullmatch(r"(\d+)-[рp]", number, re.IGNORECASE)
        if m:
            return f"https://zakon.rada.gov.ua/laws/show/{m.group(1)}-{year}-р"
    if t == "president_decree":
        m = re.fullmatch(r"(\d+)/(\d{4})", number)
        if m:
            return f"https://zakon.rada.gov.ua/laws/show/{m.group(1)}/{m.group(2)}"
    return None


def known_law_number(title: str | None) -> str | None:
    """The number of a law from its title, for the laws listed in the data file."""
    if not title:
        return None
    key = _title_key(title)
    table = lexicon().law_titles
    if key in table:
        return table[key]
    # Words swapped or slightly misspelt ("Про протидію та запобігання …").
    best = process.extractOne(key, table.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=92)
    return table[best[0]] if best else None


def act_id(norm: dict[str, Any], text: str = "") -> str:
    """``act:<type>:<number>`` for laws and codes, else ``act:<type>:<date>:<number>``; with
    number or date missing, what there is plus the title (``act:law:title:Про …``)."""
    t = norm.get("type") or "other"
    number, date, title = norm.get("number"), norm.get("date"), norm.get("title")
    if t in ("law", "code", "constitution") and number:
        return f"act:{t}:{number}"
    if number and date:
        return f"act:{t}:{date}:{number}"
    parts = [f"act:{t}"]
    if date:
        parts.append(date)
    if number:
        parts.append(number)
    if title:
        parts.append(f"title:{title}")
    if len(parts) == 1:
        parts.append(collapse(text))
    return ":".join(parts)


def normalise_act(text: str, hints: dict[str, Any]) -> dict[str, Any]:
    """Structured values of one LEGAL_ACT mention (a fresh dict; see :func:`_normalise`)."""
    key = json.dumps(hints, ensure_ascii=False, sort_keys=True, default=str)
    return _fresh_copy(_normalise_cached(unify(text), key))


def _fresh_copy(value: Any) -> Any:
    """A copy of plain data (dicts and lists of strings, numbers, None) that shares no dict
    or list with ``value``: what copy.deepcopy gives, without its memo and dispatch."""
    if isinstance(value, dict):
        return {k: _fresh_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh_copy(v) for v in value]
    return value


@lru_cache(maxsize=4096)
def _normalise_cached(text: str, hints_key: str) -> dict[str, Any]:
    # The tagger reads each citation to link citations of one act; the normalise stage
    # then asks again for the same mention: the cache answers the second time.
    return _normalise(text, json.loads(hints_key))


def _normalise(text: str, hints: dict[str, Any]) -> dict[str, Any]:
    """Structured values of one LEGAL_ACT mention.

    ``hints`` come from the tagger: ``kinds``/``issuer`` given by a list heading
    ("Закони України:"), ``type`` where the tagger knows it (a named instrument),
    ``same_as``/``same_as_url`` when the document cites the same act in full elsewhere.
    """
    r = read_citation(text)
    kinds = r.kinds or list(hints.get("kinds") or [])
    issuer_text = r.issuer_text or hints.get("issuer") or ""
    names, classes = find_issuers(issuer_text) if issuer_text else ([], [])
    if not classes and issuer_text:
        classes = [_issuer_class(issuer_text) or "unknown"]
    number = r.number
    if hints.get("type"):
        act_type = hints["type"]
    elif r.forced_type:
        act_type = r.forced_type
    elif r.named and (not r.kinds or r.kinds[0] in _NAMED_KINDS):
        act_type = r.named.type
    else:
        act_type = resolve_type(kinds, classes, number)
    issuer = "; ".join(n for n in names if n) or r.issuer_default or hints.get("issuer_name") or _DEFAULT_ISSUER.get(act_type)
    title = r.title
    if r.instrument:
        title = _instrument_nominative(r.instrument)
    elif r.named and act_type in ("code", "constitution", "convention") and not title:
        title = r.named.title
    norm: dict[str, Any] = {
        "type": act_type,
        "issuer": issuer,
        "date": r.date,
        "number": number,
        "title": title,
    }
    if r.article:
        norm["article"] = r.article.get("article")
        if r.article.get("part"):
            norm["part"] = r.article["part"]
        if r.article.get("point"):
            norm["point"] = r.article["point"]
    if r.registration:
        norm["registration"] = r.registration
    # Canonical id and address: the full citation of the same act where the document has
    # one; else the number the data file knows for a code or law cited by name.
    canonical = dict(norm)
    if not number and r.named and r.named.number and act_type == r.named.type:
        canonical["number"] = r.named.number
        canonical["date"] = canonical["date"] or r.named.date
    elif not number and act_type == "law":
        known = known_law_number(title)
        if known:
            canonical["number"] = known
    norm["id"] = hints.get("same_as") or act_id(canonical, text)
    url = None
    if r.named and r.named.url and act_type == r.named.type and not number:
        url = r.named.url
    url = url or act_url(canonical) or hints.get("same_as_url")
    norm["url"] = url
    return norm


def _instrument_nominative(name: str) -> str:
    """The instrument's name with its head in the nominative: "Порядку призначення …" ->
    "Порядок призначення …", "Державного стандарту соціального супроводу" -> "Державний
    стандарт соціального супроводу", "Методичних рекомендацій …" -> "Методичні рекомендації …"."""
    words = name.split(" ")
    for j, w in enumerate(words[:4]):
        parses = analyzer().parse(w)
        if not parses or "ADJF" in parses[0].tag:
            continue
        noun = next((p for p in parses if "NOUN" in p.tag), None)
        if noun is None:
            return name
        plural = "plur" in noun.tag  # the Ukrainian dictionary leaves singular unmarked
        head = noun.inflect({"nomn", "plur"} if plural else {"nomn"})
        if head is None:
            return name
        out = [_match_case(words[j], head.word)]
        grammemes = {"nomn", "plur"} if plural else {"nomn", noun.tag.gender or "masc"}
        adjs = []
        for a in words[:j]:
            adj = next((p for p in analyzer().parse(a) if "ADJF" in p.tag), None)
            form = adj.inflect(grammemes) if adj else None
            adjs.append(_match_case(a, form.word) if form else a)
        return " ".join(adjs + out + words[j + 1 :])
    return name


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word

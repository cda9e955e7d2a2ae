"""program_tagger: named programmes, strategies, concepts, projects and plans.

A programme's name is a head noun (``програма``, ``стратегія``, ``концепція``,
``проєкт``, ``план``, ``ініціатива``; the list is in ``pipeline/data/programs.toml``) with
its agreeing adjectives before it and a description after it: genitive nouns and adjectives,
prepositional phrases, a quoted title and the period:

    міської комплексної Програми підтримки сім'ї та забезпечення прав дітей «Назустріч
    дітям» до 2020 року
    Плану заходів на 2024-2026 роки з реалізації Концепції розвитку охорони психічного
    здоров’я в Україні на період до 2030 року в Дніпропетровській області
    проекту «Арт-терапія: можливості для підтримки особистості»

When the whole name stands in quotes (``«Комплексної програми … на 2024-2028 роки»``) the
quotes bound it. Otherwise the description is read word by word with pymorphy3: a genitive
noun phrase goes on, a preposition from the data file opens the cases it governs, a comma
goes on only into a list of the same case, and anything else (a verb, a participle that
opens a clause, ``на місцевому рівні``, a tab or a blank line) ends it.

A phrase is a *named* programme only with evidence: a quoted title, a capital letter in
mid-sentence (``Регіонального плану``), a period, or a level adjective
(``міський план розвитку …``). Generic uses (``план роботи``, ``індивідуальні плани``,
``даної програми``, plurals) and the document's own title lines are not mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import load_data
from .. import morph
from ..normalise.names import is_known, lookup_form
from . import add_candidate, document_text


_LETTERS = "А-ЯЄІЇҐа-яєіїґA-Za-z"
_APOS = "'’ʼ`"
_WORD = rf"[{_LETTERS}0-9{_APOS}]+(?:[-/][{_LETTERS}0-9{_APOS}]+)*"
# One token after optional white space: a word (hyphen and slash compounds kept whole:
# ``ВІЛ-інфекції/СНІДу``, ``опікуни/піклувальники``) or one other character.
_TOKEN = re.compile(rf"(?P<ws>[ \t\r\n\u00a0]*)(?:(?P<word>{_WORD})|(?P<punct>\S))")
_WORD_BEFORE = re.compile(rf"(?P<word>{_WORD})(?P<ws>[ \u00a0]+)$")
# The period that closes a name: "на 2024-2028 роки", "до 2020 року", "на 2021 – 2023",
# "на період до 2030 року", "на 2021 і 2022 роки", "2022-2024 роки".
_YEAR = r"(?:19|20)\d\d"
_RANGE = rf"{_YEAR}(?:[ \u00a0]*(?:[-–—]|і|та|по|до)[ \u00a0]*{_YEAR})?"
_UNIT = rf"(?:роки|року|років|рік|рр\.|р\.)(?![{_LETTERS}])"
_PERIOD = re.compile(
    rf"[ \u00a0]*(?:\r?\n[ \u00a0]*)?(?:на|до)[ \u00a0]+(?:період[ \u00a0]+)?(?:з[ \u00a0]+|до[ \u00a0]+)?"
    rf"{_RANGE}(?:[ \u00a0]*{_UNIT})?"
    rf"|[ \u00a0]*{_RANGE}[ \u00a0]*{_UNIT}"
)
_OPENERS = {"«": "»", "“": "”", "„": "“", '"': '"'}
_CLOSERS = set("»”“\"")
# A capital after these is no sign of a name: a sentence, list item, cell or quotation opens.
_SENTENCE_START = set("\n\t.!?:;·•*-–—(«“„\"")
_COORDINATORS = frozenset({"та", "і", "й", "або"})
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")
_TITLE_ZONE = 3000  # the document's own title sits in its first lines


@dataclass(frozen=True, slots=True)
class Lexicon:
    heads: frozenset[str]
    quoted_only: frozenset[str]
    level_adjectives: frozenset[str]
    generic_adjectives: frozenset[str]
    generic_descriptors: frozenset[str]
    lowercase_generic: frozenset[str]
    prepositions: dict[str, frozenset[str]]
    after_period: dict[str, frozenset[str]]
    body_nouns: frozenset[str]
    abbreviations: frozenset[str]
    head_prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_data("programs")
    heads = frozenset(data["heads"])
    quoted = frozenset(data["quoted_only_heads"])
    # Every inflected form of every head, cut to four letters, picks the words worth a
    # dictionary look-up (``заходів`` and ``захід`` differ after the fourth letter).
    prefixes = set()
    for lemma in heads | quoted:
        for parse in morph.parses(lemma):
            prefixes.update(form.word[:4] for form in parse.lexeme)
    return Lexicon(
        heads=heads,
        quoted_only=quoted,
        level_adjectives=frozenset(data["level_adjectives"]),
        generic_adjectives=frozenset(data["generic_adjectives"]),
        generic_descriptors=frozenset(data["generic_descriptors"]),
        lowercase_generic=frozenset(data["lowercase_generic_descriptors"]),
        prepositions={k: frozenset(v) for k, v in data["prepositions"].items()},
        after_period={k: frozenset(v) for k, v in data["after_period"].items()},
        body_nouns=frozenset(data["body_nouns"]),
        abbreviations=frozenset(data["abbreviations"]),
        head_prefixes=tuple(sorted(prefixes)),
    )


@lru_cache(maxsize=1)
def _head_candidates_re() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in lexicon().head_prefixes)
    # A head is a whole word: ``Проект-Менас`` is a company's name, not a project.
    return re.compile(
        rf"(?<![{_LETTERS}{_APOS}\-])(?i:(?:{alternatives}))[{_LETTERS}{_APOS}]*(?![{_LETTERS}{_APOS}]|-[{_LETTERS}])"
    )


# --------------------------------------------------------------------------- morphology


@lru_cache(maxsize=100_000)
def _reading_of(word: str) -> tuple[tuple, bool]:
    """(analyses, known); a slash compound is read by its first part (``ВІЛ-інфекції/СНІДу``)."""
    if "/" in word and not is_known(word):
        word = word.split("/")[0]
    return morph.parses(lookup_form(word)), is_known(word)


def readings(word: str) -> tuple:
    return _reading_of(word)[0]


def known(word: str) -> bool:
    return _reading_of(word)[1]


def _cases(parses: tuple, *pos: str) -> set[str]:
    return {p.tag.case for p in parses if p.tag.case and (not pos or p.tag.POS in pos)}


def _is_nominal(parses: tuple) -> bool:
    return any(p.tag.POS in ("NOUN", "ADJF", "NPRO", "NUMR") for p in parses)


def _is_participle(parses: tuple) -> bool:
    """``затвердженої``, ``передбачених``: adjectives from verbs, able to open a clause."""
    return any(p.tag.POS == "ADJF" and ("pssv" in p.tag or "actv" in p.tag) for p in parses) and not any(
        p.tag.POS == "NOUN" for p in parses
    )


# Per word form, cached: pymorphy3 checks every grammeme access in Python, and a plan
# repeats its words. Each is the function above applied to ``readings(word)``.
@lru_cache(maxsize=100_000)
def _word_cases(word: str, pos: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(_cases(readings(word), *pos))


@lru_cache(maxsize=100_000)
def _word_is_nominal(word: str) -> bool:
    return _is_nominal(readings(word))


@lru_cache(maxsize=100_000)
def _word_is_participle(word: str) -> bool:
    return _is_participle(readings(word))


_NOT_NOMINAL = frozenset({"VERB", "INFN", "GRND", "ADVB", "PRED", "CONJ", "PRCL", "INTJ"})


@lru_cache(maxsize=100_000)
def _is_verbal(word: str) -> bool:
    """Known only as a verb form, adverb or particle: the end of a noun phrase."""
    return known(word) and all(p.tag.POS in _NOT_NOMINAL for p in readings(word))


# --------------------------------------------------------------------------- scanning


@dataclass(slots=True)
class Phrase:
    start: int
    head_start: int
    head_end: int
    end: int
    head_lemma: str
    head_parses: tuple
    adjectives: list[str] = field(default_factory=list)
    generic_adjective: bool = False
    enclosed: bool = False
    quoted_title: bool = False
    period: bool = False
    first_descriptor: frozenset[str] = frozenset()
    descriptors: int = 0


def _gap_ok(ws: str, next_word: str | None) -> bool:
    """May a name run over this white space? Not over a cell (tab) or paragraph break; a
    single line break only into a lower-case continuation (a wrapped table cell)."""
    if "\t" in ws:
        return False
    breaks = ws.count("\n") + (ws.count("\r") if "\n" not in ws else 0)
    if breaks == 0:
        return True
    return breaks == 1 and next_word is not None and next_word[:1].islower()


def _closing_quote(text: str, open_pos: int, limit: int = 700) -> int | None:
    """Index of the quote closing the one at ``open_pos``.

    Nested «…«…»…» quotes are counted; when a cell or paragraph ends before they balance
    (exporters drop inner closing quotes), the last closing quote seen is taken.
    """
    opener = text[open_pos]
    closer = _OPENERS.get(opener, "»")
    depth = 1
    last = None
    stop = min(len(text), open_pos + limit)
    i = open_pos + 1
    while i < stop:
        ch = text[i]
        if ch == "\t" or (ch == "\n" and "\n" in text[i + 1 : i + 3]):
            break
        if opener != '"' and ch == opener:
            depth += 1
        elif ch == closer or (opener == "«" and ch in "»"):
            depth -= 1
            last = i
            if depth == 0:
                return i
        i += 1
    return last


def _agrees(adj: tuple, head: tuple) -> bool:
    """Does an adjective agree with the head noun in case, number and (singular) gender?"""
    for a in adj:
        if a.tag.POS != "ADJF":
            continue
        for h in head:
            if a.tag.case != h.tag.case or a.tag.number != h.tag.number:
                continue
            if a.tag.number == "sing" and h.tag.gender and a.tag.gender and a.tag.gender != h.tag.gender:
                continue
            return True
    return False


def _extend_left(text: str, phrase: Phrase, lex: Lexicon) -> None:
    """Take in the agreeing adjectives before the head (``міської комплексної Програми``)."""
    pos = phrase.head_start
    while True:
        m = _WORD_BEFORE.search(text, max(0, pos - 60), pos)
        if not m or any(ch.isdigit() for ch in m.group("word")):
            return
        word = m.group("word")
        parses = readings(word)
        if not _agrees(parses, phrase.head_parses):
            return
        if {p.normal_form for p in parses if p.tag.POS == "ADJF"} & lex.generic_adjectives:
            phrase.generic_adjective = True
            return
        phrase.start = m.start("word")
        phrase.adjectives.insert(0, word)
        pos = phrase.start


def _opening_quote_before(text: str, pos: int) -> int | None:
    i = pos - 1
    while i >= 0 and text[i] in " \u00a0":
        i -= 1
    return i if i >= 0 and text[i] in _OPENERS else None


@dataclass(slots=True)
class _Scan:
    """Where the description scan stands."""

    pos: int
    expect: frozenset[str] | None = None  # cases the preceding preposition governs
    item_cases: set[str] | None = None  # cases of the current list item, for commas
    pending_comma: bool = False
    closed: bool = False  # after a period or quoted title only an allowed opening follows
    last_word: str | None = None


def _scan_description(text: str, phrase: Phrase, lex: Lexicon) -> None:
    """Extend ``phrase.end`` over the description, a quoted title and the period."""
    st = _Scan(phrase.head_end)
    while True:
        period = None if st.pending_comma else _PERIOD.match(text, st.pos)
        if period:
            phrase.end = st.pos = period.end()
            phrase.period = st.closed = True
            st.expect = None
            continue
        tok = _TOKEN.match(text, st.pos)
        if not tok or not _gap_ok(tok.group("ws"), tok.group("word")):
            return
        if tok.group("punct"):
            goes_on = _take_punct(text, tok, phrase, st, lex)
        else:
            goes_on = _take_word(text, tok, phrase, st, lex)
        if not goes_on:
            return


def _take_punct(text: str, tok: re.Match[str], phrase: Phrase, st: _Scan, lex: Lexicon) -> bool:
    """A quote, comma or bracket in the description; False where the name ends."""
    punct = tok.group("punct")
    if punct in _OPENERS and not st.pending_comma and not st.closed and not phrase.quoted_title:
        close = _closing_quote(text, tok.start("punct"))
        if close is None:
            return False
        if st.last_word is not None and _names_a_body(st.last_word, lex):
            # ``плану санації ДП «Укрвійськбуд»``: the quotes name the body; they are part of
            # the description but no evidence of a programme's own title.
            phrase.end = st.pos = close + 1
            return True
        # A quoted title follows the head or its genitive description, not a preposition
        # (``проєкту з організацією «…»``); the plural ``заходів`` needs it right after.
        if st.expect is not None or (phrase.descriptors and phrase.head_lemma in lex.quoted_only):
            return False
        phrase.end = st.pos = close + 1
        phrase.quoted_title = st.closed = True
        return True
    if punct == "," and not st.closed and st.item_cases:
        st.pending_comma = True
        st.pos = tok.end()
        return True
    if punct == "(" and not st.closed and not st.pending_comma:
        # ``сімей загиблих (померлих, зниклих безвісти …) Захисників``: a short aside inside
        # the name, followed by more of the genitive description.
        close = text.find(")", tok.end(), tok.end() + 120)
        if close < 0 or re.search(r"\d|[\t\n]", text[tok.end() : close]):
            return False
        nxt = _TOKEN.match(text, close + 1)
        if nxt and nxt.group("word") and "gent" in _word_cases(nxt.group("word"), ("NOUN", "ADJF")):
            st.pos = close + 1
            return True
    return False


def _take_word(text: str, tok: re.Match[str], phrase: Phrase, st: _Scan, lex: Lexicon) -> bool:
    """A word of the description; False where the name ends before it."""
    word = tok.group("word")
    low = word.lower()
    st.last_word = word
    if low in lex.abbreviations and text.startswith(".", tok.end()) and not st.closed:
        st.pos = tok.end() + 1  # ``Стратегії розвитку м. Києва``: the dot ends no name
        return True
    if st.closed:
        # After the period: ``… роки з реалізації Концепції …``, ``… року в … області``.
        allowed = lex.after_period.get(low)
        nxt = _TOKEN.match(text, tok.end())
        if allowed is None or (allowed and not (nxt and nxt.group("word") and nxt.group("word").lower() in allowed)):
            return False
        st.closed = False
    if low in lex.prepositions:
        st.expect = lex.prepositions[low]
        st.pending_comma = False
        st.item_cases = None
        st.pos = tok.end()
        return True
    if low in _COORDINATORS:
        st.pos = tok.end()
        return True
    parses = readings(word)
    if _is_adverb(word) and _adverb_before_modifier(text, tok.end()):
        st.pos = tok.end()  # ``внутрішньо переміщених осіб``: wait for the adjective
        return True
    if not parses or _is_verbal(word) or (not _word_is_nominal(word) and known(word)):
        return False
    if _word_is_participle(word) and not _modifies_next(text, tok.end(), parses):
        return False  # ``…, затвердженої рішенням``: a clause, not the name
    cases = _word_cases(word) or set(_CASES)  # unknown words: proper names, abbreviations
    if st.pending_comma:
        allowed_cases = st.item_cases or set()
        if {p.normal_form for p in parses} & (lex.heads | lex.quoted_only):
            return False  # the next list item is another programme
    else:
        allowed_cases = {"gent"} | (set(st.expect) if st.expect else set())
    fitting = cases & allowed_cases
    if not fitting:
        return False
    if st.pending_comma or st.item_cases is None:
        st.item_cases = fitting
    st.pending_comma = False
    phrase.end = st.pos = tok.end()
    if not phrase.first_descriptor:
        phrase.first_descriptor = frozenset(p.normal_form for p in parses)
    phrase.descriptors += 1
    return True


@lru_cache(maxsize=100_000)
def _is_adverb(word: str) -> bool:
    return known(word) and all(p.tag.POS == "ADVB" for p in readings(word))


def _names_a_body(word: str, lex: Lexicon) -> bool:
    """Is ``word`` (just before a quote) an abbreviation or a noun for a body, whose name the
    quote gives (``ДП «…»``, ``організацією «…»``)?"""
    capitals = sum(ch.isupper() for ch in word)
    if capitals >= 2 and len(word) <= 5 and not re.search("[A-Za-z]", word):
        return True  # ``ДП``, ``ГО``, ``ТОВ``, ``КНП``, ``ПрАТ``; not ``USAID``
    return bool({p.normal_form for p in readings(word) if p.tag.POS == "NOUN"} & lex.body_nouns)


def _adverb_before_modifier(text: str, pos: int) -> bool:
    nxt = _TOKEN.match(text, pos)
    return bool(nxt and nxt.group("word") and any(p.tag.POS == "ADJF" for p in readings(nxt.group("word"))))


def _modifies_next(text: str, pos: int, parses: tuple) -> bool:
    """A participle inside a name modifies the noun after it (``переміщених осіб``)."""
    nxt = _TOKEN.match(text, pos)
    if not nxt or not nxt.group("word") or nxt.group("ws").count("\n"):
        return False
    return bool(_cases(parses) & _cases(readings(nxt.group("word")), "NOUN"))


# --------------------------------------------------------------------------- decisions


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \u00a0\r":
        i -= 1
    if i < 0 or text[i] in _SENTENCE_START:
        return True
    # A list number: "1)", "2.1."
    return text[i] == ")" and i > 0 and text[i - 1].isdigit()


def _line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \u00a0\t":
        i -= 1
    return i < 0 or text[i] in "\r\n"


def _is_title(text: str, phrase: Phrase) -> bool:
    """The document's own title: near the top, a nominative head phrase that is a line of its
    own (``Міський план`` / ``розвитку системи …``), not a sentence that begins with it."""
    if phrase.start > _TITLE_ZONE or not _line_start(text, phrase.start):
        return False
    line_end = text.find("\n", phrase.end)
    rest = text[phrase.end : line_end if line_end >= 0 else len(text)]
    if rest.strip(" \u00a0\r\t*"):
        return False
    return any(p.tag.case == "nomn" for p in phrase.head_parses)


def _is_named(text: str, phrase: Phrase, lex: Lexicon) -> bool:
    if phrase.enclosed or phrase.quoted_title:
        return True
    if phrase.head_lemma in lex.quoted_only or phrase.generic_adjective:
        return False
    if phrase.first_descriptor & lex.generic_descriptors:
        return False
    first = text[phrase.start : phrase.start + 1]
    capitalised = first.isupper() and not text[phrase.start : phrase.head_end].isupper()
    if capitalised and not _sentence_start(text, phrase.start) and (phrase.adjectives or phrase.descriptors):
        return True
    lowercase_generic = bool(phrase.first_descriptor & lex.lowercase_generic) and phrase.descriptors == 1
    if phrase.period and not lowercase_generic:
        return True
    levels = {p.normal_form for w in phrase.adjectives for p in readings(w) if p.tag.POS == "ADJF"}
    return bool(levels & lex.level_adjectives) and phrase.descriptors > 0 and not lowercase_generic


@lru_cache(maxsize=20_000)
def _head_readings(word: str) -> tuple[tuple, tuple, tuple]:
    """A head candidate's readings as a programme noun, those in the singular, and its
    readings as a plural ``заходи``-like noun; cached per word form."""
    lex = lexicon()
    parses = readings(word)
    head = tuple(p for p in parses if p.normal_form in lex.heads and p.tag.POS == "NOUN")
    singular = tuple(p for p in head if p.tag.number != "plur")
    # ``заходи`` make a name only in the plural: ``заходу «Свято Миколая»`` is one event.
    quoted_only = tuple(
        p for p in parses if p.normal_form in lex.quoted_only and p.tag.POS == "NOUN" and p.tag.number == "plur"
    )
    return head, singular, quoted_only


# The lower-case Ukrainian letters. Of all characters, re.IGNORECASE takes for one of them
# only itself, its capital and (checked over all of Unicode) the old Cyrillic letter
# shapes U+1C80–U+1C85 ("ᲀ" for "в"): _FOLDS_RE finds those. The look-behind of
# _head_candidates_re takes the letters and their capitals for letters.
_UK_LOWER = frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")
_FOLDS_RE = re.compile("[\u1c80-\u1c88]")


@lru_cache(maxsize=1)
def _head_prefixes_re() -> re.Pattern[str] | None:
    """The head prefixes as a plain alternation, to scan lower-cased text with (None when a
    prefix has a character _head_candidates quickly cannot vouch for)."""
    prefixes = lexicon().head_prefixes
    if not prefixes or not all(ch in _UK_LOWER for p in prefixes for ch in p):
        return None
    return re.compile("|".join(map(re.escape, prefixes)))


def _head_candidates(text: str) -> Iterator[re.Match[str]]:
    """``_head_candidates_re().finditer(text)``, found quicker.

    The regex opens with a look-behind and ignores case, so the engine tries it at every
    position. Where it can match is found instead by a plain scan of the lower-cased text
    for the prefixes, and the regex is matched there only. A match needs a non-letter
    before it, so none starts inside a prefix the scan has passed over. A text whose lower
    case is longer (``İ``), or with a character that re.IGNORECASE also takes for a
    Ukrainian letter, is searched with the regex itself.
    """
    rx = _head_candidates_re()
    prefixes = _head_prefixes_re()
    low = text.lower()
    if prefixes is None or len(low) != len(text) or _FOLDS_RE.search(text):
        yield from rx.finditer(text)
        return
    resume = 0  # finditer goes on after the end of each match
    for c in prefixes.finditer(low):
        start = c.start()
        if start < resume:
            continue
        m = rx.match(text, start)
        if m:
            yield m
            resume = m.end()


def find_programs(text: str) -> list[Phrase]:
    """Named programme phrases in ``text`` (markup already masked), in document order."""
    lex = lexicon()
    found: list[Phrase] = []
    for m in _head_candidates(text):
        word = m.group()
        if word.isupper() and len(word) > 1:
            continue  # headings in capitals: "ПЛАН", "СТРАТЕГІЧНА ЦІЛЬ"
        head, singular, quoted_only = _head_readings(word)
        if head:
            if not singular:
                continue
            phrase = Phrase(m.start(), m.start(), m.end(), m.end(), singular[0].normal_form, singular)
        elif quoted_only:
            phrase = Phrase(m.start(), m.start(), m.end(), m.end(), quoted_only[0].normal_form, tuple(quoted_only))
        else:
            continue
        if found and phrase.head_start < found[-1].end:
            continue  # inside the previous name ("Концепції" in "Плану заходів … Концепції …")
        quote = _opening_quote_before(text, phrase.head_start)
        if quote is None:
            _extend_left(text, phrase, lex)
            quote = _opening_quote_before(text, phrase.start) if phrase.adjectives else None
        else:
            phrase.start = phrase.head_start
        if quote is not None and _quote_names_a_body(text, quote, lex):
            continue  # ``ГО «План Б»``: an organisation's name, not a programme
        if quote is not None and phrase.head_lemma not in lex.quoted_only:
            close = _closing_quote(text, quote)
            if close is not None and _enclosed_name(text[phrase.head_end : close]):
                phrase.enclosed = True
                phrase.end = close
        if not phrase.enclosed:
            _scan_description(text, phrase, lex)
        if phrase.head_lemma in lex.quoted_only and phrase.quoted_title and _quotes_a_programme(text, phrase, lex):
            continue  # "заходів «Комплексної програми …»": the programme is inside the quotes
        if _is_named(text, phrase, lex) and not _is_title(text, phrase):
            found.append(phrase)
    return found


# A sentence ends inside: a word of four letters or more, a full stop, a capital. (Short
# words before a dot are abbreviations: "м. Києва".)
_SENTENCE_END = re.compile(r"[а-яєіїґ]{4,}[.!?]\s+[А-ЯЄІЇҐ]")


def _enclosed_name(rest: str) -> bool:
    """Is the quoted text after the head the rest of a name, not quoted speech that happens to
    begin with ``Проект …``? A name has words after the head and no sentence break."""
    return bool(re.search(_WORD, rest)) and "\n" not in rest and not _SENTENCE_END.search(rest)


def _quote_names_a_body(text: str, quote: int, lex: Lexicon) -> bool:
    m = _WORD_BEFORE.search(text, max(0, quote - 60), quote)
    return bool(m and _names_a_body(m.group("word"), lex))


def _quotes_a_programme(text: str, phrase: Phrase, lex: Lexicon) -> bool:
    inner = _TOKEN.match(text, phrase.head_end)
    if not inner:
        return False
    rest = text[inner.end() : phrase.end]
    words = re.findall(_WORD, rest)[:4]
    return any({p.normal_form for p in readings(w)} & lex.heads for w in words)


class ProgramTagger:
    def __call__(self, doc: Doc) -> Doc:
        for phrase in find_programs(document_text(doc)):
            add_candidate(doc, phrase.start, phrase.end, "PROGRAM", "program_tagger", head=phrase.head_lemma)
        return doc


@Language.factory("program_tagger")
def make_component(nlp: Language, name: str) -> ProgramTagger:
    return ProgramTagger()

"""Plans written as numbered lists of paragraphs, the fields of each item labelled::

    І. Організаційна робота
    1. Забезпечити проведення оцінювання потреб сімей, які перебувають у складних
    життєвих обставинах.
    Термін: постійно.
    Відповідальні: фахівці із соціальної роботи.
    2. Оновити реєстр надавачів соціальних послуг – до 1 липня 2025 року, відділ …
    3. Провести семінар … (термін – І квартал; відповідальний – Коваленко О.І.)

The scanner reads the lines the earlier parsers left unclaimed and sorts each into a
list *item* (a number ``1.``, ``1.1.``, ``1)``, ``а)``, a Roman ``ІІ.``, a word heading
``Розділ 2.``, a bullet), a *field line* (``Термін: …``), a blank line, a table line or
claimed text (a barrier), or plain text: the wrapped continuation of the item above, an
unnumbered heading (short, capitalised, followed by an item) or prose. Items nest by
their marker style (``1.`` > ``1.1.`` > ``а)`` > ``-``), a style seen before closes the
items opened since.

A paragraph with field lines right below it is an item too, without a number: Word's
automatic numbering does not reach the text, and some plans never number their items.
A restart (``1.`` after ``4.``) or a jump (``5.`` after ``2.``) of the top-level numbers,
prose, a title or a table starts another list.

Whether an item is a planned measure is decided per *sibling group* (the items of one
parent): a third of its items need *evidence* — a field label or an executor note
``(відп. …)`` — or half of them that or ``text – deadline, executors``, so that a table
of contents, a list of priorities, a glossary, a list of legal acts or the
``1) забезпечено …`` narrative of a report (items in the impersonal past) give nothing.
Lists under front-matter headings (``Зміст``, ``Пріоритети …``, ``Закони України:``)
are never measures.

An item with children is a heading: a ``section`` (``І. …``, ``Розділ 2. …``, a
top-level ``1. Методична робота``) or a ``task`` (a line ending in ``:``, an imperative
line, a numbered heading inside a section). An enumeration under an item (``а) …; б) …``
or ``- …``) that carries no evidence of its own is part of that item's text, and fields
written after its last entry belong to the whole item.

The vocabulary (labels, heading words, front matter) is ``data/numbered_lists.toml``.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from ..models import Measure, Section, SourceDocument
from ..morph import parses
from ..normalise.dates import scan as scan_dates
from ..resources import load_data
from ..text import Line, clean, nesting_depths, split_lines
from .executors import HEAD_ABBREVIATIONS, HEAD_NOUNS, PERSON_RE, split_executors
from .layout import LayoutResult
from .notes import Fields, Joined, read_fields
from .vocab import edge_class, parse_pattern

FIELD_ROLES = ("deadline", "executors", "indicator", "purpose", "other", "note")

# --------------------------------------------------------------------------- vocabulary

_UP = "A-ZА-ЯҐЄІЇ"
_LOW = "a-zа-яґєії'’ʼ"


@dataclass(frozen=True, slots=True)
class _Vocab:
    label: re.Pattern[str]  # a label at a boundary (line start, "(", ";", ".", ",")
    # The same label read at the text's start, or with the boundary character before it
    # consumed: see :func:`_label_matches`.
    label_first: re.Pattern[str]
    label_after: re.Pattern[str]
    line_label: re.Pattern[str]  # a label opening a line
    after_comma: frozenset[str]
    named: re.Pattern[str]
    section_words: re.Pattern[str]
    roman: re.Pattern[str]
    bullet: re.Pattern[str]
    bullets: str
    title: re.Pattern[str]
    title_period: re.Pattern[str]
    front: re.Pattern[str]
    max_heading_words: int


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = load_data("numbered_lists")
    labels = data["labels"]
    sep = labels["separator"]
    groups = "|".join(f"(?P<{role}>{'|'.join(f'(?:{p})' for p in labels[role])})" for role in FIELD_ROLES)
    label = rf"(?:(?:{groups}){sep}|(?P<abbr>{labels['abbreviated_executors']})(?:{sep})?)(?![^\W\d_])"
    bullets = data["markers"]["bullets"]
    bullet_class = "[" + "".join(re.escape(ch) for ch in bullets) + "]"
    lead = rf"[ \t\u00a0]*(?:{bullet_class}[ \t\u00a0]*)?"
    marks = data["markers"]
    roman = marks["roman"]
    heads = data["headings"]
    words = f"(?:{marks['section_words']})|(?:{marks['task_words']})"
    return _Vocab(
        # The boundary character itself is not part of the match: "(" tells a bracket.
        label=re.compile(rf"(?:^|(?<=[\r\n(;.,]))(?P<lead>{lead})(?P<label>{label})", re.IGNORECASE | re.MULTILINE),
        label_first=re.compile(rf"(?P<lead>{lead})(?P<label>{label})", re.IGNORECASE),
        label_after=re.compile(
            rf"[\r\n(;.,](?P<lead>{lead}){_first_char_check(label)}(?P<label>{label})", re.IGNORECASE
        ),
        line_label=re.compile(rf"^{lead}(?:{label})", re.IGNORECASE),
        after_comma=frozenset(labels["after_comma"]),
        named=re.compile(
            rf"(?P<word>{words})\s+(?P<num>\d{{1,2}}(?:\.\d{{1,2}})*|{roman})(?![^\W\d_])\s*(?:[.:)–—-]\s*|$)",
            re.IGNORECASE,
        ),
        section_words=re.compile(rf"^(?:{marks['section_words']})$", re.IGNORECASE),
        roman=re.compile(rf"(?P<num>{roman})\.(?:\s*(?=[«\"„“{_UP}][{_LOW}{_UP}])|[ \t\u00a0]*$)"),
        bullet=re.compile(rf"{bullet_class}+(?=\s*\S)"),
        bullets=bullets,
        title=re.compile(rf"^(?:{'|'.join(heads['title'])})", re.IGNORECASE),
        title_period=re.compile(heads["title_period"], re.IGNORECASE),
        front=re.compile(rf"^(?:{'|'.join(f'(?:{p})' for p in heads['front'])})$", re.IGNORECASE),
        max_heading_words=int(heads["max_words"]),
    )


def _first_char_check(label: str) -> str:
    """A look-ahead for the characters a label can start with (empty when they cannot be
    told): most boundaries (a comma, a full stop) are followed by none of them, and the
    test spares the engine trying every alternative of the label there."""
    first = edge_class(*parse_pattern(label, re.IGNORECASE))
    return f"(?={first.pattern})" if first is not None else ""


# --------------------------------------------------------------------------- line kinds

BLANK, BARRIER, FIELD, ITEM, TEXT = "blank", "barrier", "field", "item", "text"

# "1.", "1.1.", "1.1", "1)", "1.Участь": a decimal number; what may follow is checked below.
_DEC_RE = re.compile(r"(?P<num>[1-9]\d?(?:\.(?:[1-9]\d?|0)){0,3})(?P<close>[.)])?")
_LETTER_RE = re.compile(rf"(?P<num>[а-яґєіїa-z])\)(?:\s*(?=[«\"„“{_UP}{_LOW}])|[ \t\u00a0]*$)")
_TABLE_RE = re.compile(r"\S[ \u00a0]*\t[ \t]*\S")
# Text after the number, or nothing: the item text then starts on the next line.
_TEXT_AFTER = re.compile(rf"\s+(?=[«\"„“{_UP}{_LOW}])|[ \t\u00a0]*$")
_GLUED_AFTER = re.compile(rf"(?=[«\"„“{_UP}])")
_INDENT = " \t\u00a0\ufeff"


@dataclass(frozen=True, slots=True)
class _Marker:
    style: tuple
    number: str | None
    first: bool  # the number that opens a sequence (1, а, I)
    start: int  # offsets in the line
    text: int
    kind: str = "item"  # "item", or "section"/"task" for word and Roman headings


def _marker(text: str) -> _Marker | None:
    voc = _vocab()
    s = len(text) - len(text.lstrip(_INDENT))
    m = voc.named.match(text, s)
    if m and (m.end() == len(text.rstrip()) or text[m.end() : m.end() + 1].strip()):
        word = " ".join(m.group("word").lower().split())
        kind = "section" if voc.section_words.match(word) else "task"
        return _Marker(("named", word), m.group("num"), _first(m.group("num")), s, m.end(), kind)
    m = voc.roman.match(text, s)
    if m:
        return _Marker(("roman",), m.group("num"), m.group("num") in ("I", "І"), s, m.end(), "section")
    m = _DEC_RE.match(text, s)
    if m:
        number, close = m.group("num"), m.group("close")
        depth = number.count(".") + 1
        after = _TEXT_AFTER.match(text, m.end())
        if after is None and close == "." and depth == 1:
            after = _GLUED_AFTER.match(text, m.end())  # "1.Участь у засіданнях"
        if after is not None and (close is not None or depth > 1):
            style = ("dec", depth, ")" if close == ")" else ".")
            return _Marker(style, number, number.rsplit(".", 1)[-1] == "1", s, after.end())
        return None
    m = _LETTER_RE.match(text, s)
    if m:
        return _Marker(("letter",), m.group("num"), m.group("num") in "аa", s, m.end())
    m = voc.bullet.match(text, s)
    if m:
        ch = m.group()[0]
        style = ("bullet", "-" if ch in "-–—" else ch)
        rest = len(text) - len(text[m.end() :].lstrip(_INDENT))
        return _Marker(style, None, False, s, rest)
    return None


def _first(number: str) -> bool:
    return number.rsplit(".", 1)[-1] in ("1", "I", "І")


_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = {"I": 1, "V": 5, "X": 10, "І": 1, "Х": 10, "У": 5}


def _ordinal(marker: _Marker) -> tuple[str, int] | None:
    """(prefix, position) of a marker's number in its sequence; None for bullets."""
    number = marker.number
    if number is None:
        return None
    kind = marker.style[0]
    if kind == "dec" or (kind == "named" and number[:1].isdigit()):
        prefix, _, last = number.rpartition(".")
        return prefix, int(last)
    if kind == "letter":
        alphabet = _LATIN if number in _LATIN else _LETTERS
        return "", alphabet.index(number) + 1
    values = [_ROMAN.get(ch, 0) for ch in number.upper()]
    total = sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))
    return "", total


def _sequence(prev: _Marker, new: _Marker) -> str:
    """How ``new`` follows ``prev`` of the same style: ``next`` (or a repeated number),
    ``restart`` (back to 1), ``jump`` (numbers skipped), ``other`` (a new prefix)."""
    a, b = _ordinal(prev), _ordinal(new)
    if a is None or b is None:
        return "next"
    if a[0] != b[0]:
        return "other"
    step = b[1] - a[1]
    slack = 2 if new.style[0] == "letter" else 1  # letter lists skip ґ, є, ї, й
    if 0 <= step <= slack:
        return "next"
    return "restart" if b[1] == 1 else "jump"


# --------------------------------------------------------------------------- the tree


@dataclass(eq=False, slots=True)
class _Heading:
    """An unnumbered heading paragraph: a section, or a task when it ends with a colon."""

    title: str
    kind: str
    start: int
    end: int
    run: int
    first_in_run: bool  # no item of its run came before it
    embedded: bool  # its run follows text another layout claimed (inside that layout's section)
    level: int = 1


@dataclass(eq=False, slots=True)
class _Node:
    marker: _Marker
    line_start: int  # offset of the marker
    text_start: int  # offset of the item text
    end: int  # end of the item's own lines (children excluded)
    parent: "_Node | None"
    group: tuple
    run: int
    front: bool
    level: int
    ctx_section: _Heading | None
    ctx_task: _Heading | None
    children: list["_Node"] = field(default_factory=list)
    read: "_Read | None" = None
    merged: bool = False  # its enumeration is part of its text
    absorbed: bool = False  # part of an ancestor's text
    kind: str = "item"
    title: str = ""

    @property
    def style(self) -> tuple:
        return self.marker.style

    @property
    def leaf(self) -> bool:
        return self.merged or not self.children


@dataclass(slots=True)
class _Read:
    """The fields of an item read from its text."""

    fields: Fields | None
    deadline: str | None
    executors: list[str]
    indicator: str | None
    purpose: str | None
    strong: bool  # a field label or an executor note
    timed: bool  # a deadline or executors label
    pair: bool  # "text – deadline, executors"
    line_fields_only: bool  # its evidence is labelled field lines, nothing inline
    narrative: bool  # opens with an impersonal past verb ("забезпечено", "проведено")
    end: int


class _Scanner:
    def __init__(self, source: str, masked: str, claimed: list[tuple[int, int]], per_line: bool = False):
        self.masked = masked
        # Every line is a paragraph (.docx, .html): no line wraps inside a paragraph.
        self.per_line = per_line
        self.lines = split_lines(source)
        self.kinds: list[tuple[str, _Marker | None]] = self._kinds(_merged(claimed))
        self.next_kind = self._next_kinds()
        self.nodes: list[_Node] = []
        self.headings: list[_Heading] = []
        # state
        self.run = 0
        self.root_group = 0
        self.root_last: dict[tuple, _Marker] = {}  # the last root item of each style
        self.stack: list[_Node] = []
        self.open: _Node | None = None  # the item that continuation lines extend
        self.blank = False
        self.field_empty = False  # the last field line had no value yet ("Відповідальні:")
        self.in_field = False
        self.front = False
        self.front_style: tuple | None = None
        self.item_in_run = False
        self.pending: list[_Heading] = []
        self.scope: dict[object, tuple[_Heading | None, _Heading | None]] = {}
        self.para: list[int] = []  # indices of the lines of the paragraph being read
        self.after_claimed = False

    # -- line kinds

    def _kinds(self, claimed: list[tuple[int, int]]) -> list[tuple[str, _Marker | None]]:
        out = []
        k = 0  # claimed ranges and lines are both in order: one sweep
        for line in self.lines:
            while k < len(claimed) and claimed[k][1] <= line.start:
                k += 1
            taken = k < len(claimed) and claimed[k][0] < max(line.end, line.start + 1)
            out.append(self._kind(line, taken))
        return out

    def _kind(self, line: Line, taken: bool) -> tuple[str, _Marker | None]:
        text = self.masked[line.start : line.end]
        if not text or text.isspace():
            return BLANK, None
        if taken:
            return BARRIER, None
        if _vocab().line_label.match(text):
            return FIELD, None
        marker = _marker(text)
        body = text[marker.text :] if marker else text
        if "\t" in body and _TABLE_RE.search(body):
            return BARRIER, None  # a row of tab-separated cells: a table, not a list
        if marker is not None:
            return ITEM, marker
        return TEXT, None

    def _next_kinds(self) -> list[str | None]:
        out: list[str | None] = [None] * len(self.lines)
        nxt: str | None = None
        for i in range(len(self.lines) - 1, -1, -1):
            out[i] = nxt
            if self.kinds[i][0] != BLANK:
                nxt = self.kinds[i][0]
        return out

    # -- the scan

    def run_scan(self) -> None:
        for i, line in enumerate(self.lines):
            kind, marker = self.kinds[i]
            if kind == BLANK:
                self._flush()
                self.blank = True
                self.field_empty = False
                continue
            if kind == BARRIER:
                self._flush()
                self._barrier(claimed=True)
            elif kind == FIELD:
                self._flush()
                if self.open is not None:
                    self.open.end = line.end
                    text = self.masked[line.start : line.end]
                    self.field_empty = not text[_vocab().line_label.match(text).end() :].strip()
                    self.in_field = True
            elif kind == ITEM:
                assert marker is not None
                if self.field_empty and self.open is not None and not any(n.style == marker.style for n in self.stack):
                    self.open.end = line.end  # "Відповідальні:" then "- Петренко І.В.;"
                else:
                    self._flush()
                    self._place(marker, line.start, line.end)
                    self.field_empty = self.in_field = False
            else:
                if self.para and not self.blank and not self.per_line:
                    self.para.append(i)
                elif self.open is not None and not self.blank and not self._breaks(i):
                    self.open.end = line.end
                else:
                    self._flush()
                    self.para = [i]
            self.blank = False
        self._flush()

    def _barrier(self, claimed: bool = False) -> None:
        """Claimed text, a table, prose, a title: what follows is a new list."""
        self.after_claimed = claimed
        self.run += 1
        self.root_group += 1
        self.root_last = {}
        self.stack.clear()
        self.open = None
        self.front = False
        self.front_style = None
        self.item_in_run = False
        self.pending = []
        self.in_field = self.field_empty = False

    def _breaks(self, i: int) -> bool:
        """A text line right below an item that is not its continuation: a heading of the
        next items, or after the item's fields an unnumbered item of its own."""
        if self.open is not None and not self.masked[self.open.text_start : self.open.end].strip():
            return False  # "1." alone on its line: its text follows
        text = clean(self.masked[self.lines[i].start : self.lines[i].end])
        prev = self.masked[self.lines[i - 1].start : self.lines[i - 1].end].rstrip() if i else ""
        ended = self.per_line or prev.endswith((".", ";", "!", "?"))
        if self.in_field and ended and _capitalised(text) and self._item_paragraph_at(i):
            return True
        if not _heading_like(text, 1) or not (self.next_kind[i] == ITEM or self._item_paragraph_after(i)):
            return False
        return text.endswith(":") or ended

    def _item_paragraph_at(self, i: int) -> bool:
        """The paragraph opening at line ``i`` has field lines right below it."""
        n = len(self.lines)
        for k in range(i, min(i + 8, n)):
            if self.kinds[k][0] != TEXT:
                return False
            if self.per_line or k + 1 >= n or self.kinds[k + 1][0] != TEXT:
                return self.next_kind[k] == FIELD
        return False

    def _flush(self) -> None:
        """Classify the paragraph just read: a heading of the items below, or a barrier."""
        if not self.para:
            return
        para = [self.lines[k] for k in self.para]
        last = self.para[-1]
        nxt = self.next_kind[last]
        self.para = []
        self.open = None
        text = clean(self.masked[para[0].start : para[-1].end])
        bare = text.rstrip(" .:")
        voc = _vocab()
        if voc.front.match(bare) or voc.front.match(text):
            self._barrier()
            self.front = True
            return
        if voc.title.match(text) or voc.title_period.search(text):
            self._barrier()
            return
        lead = _lead(self.masked[para[0].start : para[0].end])
        if nxt == FIELD:
            # A paragraph with field lines below it: an item whose number the export lost
            # (Word's automatic numbering) or never had.
            if self.front:
                self._barrier()
            self._place(_Marker(("para",), None, False, lead, lead), para[0].start, para[-1].end)
            return
        if _heading_like(text, len(para)) and (nxt == ITEM or (nxt == TEXT and self._item_paragraph_after(last))):
            if self.front:
                self._barrier()
            kind = "task" if text.endswith(":") else "section"
            self.pending.append(
                _Heading(text, kind, para[0].start + lead, para[-1].end, self.run, not self.item_in_run,
                         self.after_claimed)
            )
            self.in_field = self.field_empty = False
            return
        self._barrier()

    def _item_paragraph_after(self, i: int) -> bool:
        k = i + 1
        while k < len(self.lines) and self.kinds[k][0] == BLANK:
            k += 1
        return k < len(self.lines) and self._item_paragraph_at(k)

    def _place(self, marker: _Marker, start: int, end: int) -> None:
        stack = self.stack
        same = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].style == marker.style), None)
        if same is not None:
            del stack[same:]
        elif marker.style[0] == "dec":
            _, depth, close = marker.style
            while stack and stack[-1].style[0] == "dec" and stack[-1].style[2] == close and stack[-1].style[1] >= depth:
                stack.pop()
        parent = stack[-1] if stack else None
        if parent is None:
            prev = self.root_last.get(marker.style)
            # "1." after "4.", or "5." after "2.": another list, not the next item.
            broken = prev is not None and _sequence(prev, marker) in ("restart", "jump")
            leaves_front = self.front and self.front_style is not None and marker.style != self.front_style
            if (broken or leaves_front) and not self.pending:
                self._barrier()
            elif broken:
                self.root_group += 1
                self.root_last = {}
            if self.front and self.front_style is None:
                self.front_style = marker.style
            self.root_last[marker.style] = marker
        key: object = parent if parent is not None else ("root", self.run, self.root_group)
        section, task = self.scope.get(key, (None, None))
        for heading in self.pending:
            heading.level = parent.level + 1 if parent is not None else 1
            if heading.kind == "section":
                section, task = heading, None
            else:
                task = heading
            self.headings.append(heading)
        self.pending = []
        self.scope[key] = (section, task)
        level = parent.level + 1 if parent is not None else 1 + (section is not None)
        node = _Node(
            marker, start + marker.start, start + marker.text, end, parent,
            ("node", id(parent)) if parent is not None else key, self.run, self.front, level, section, task,
        )
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)
        stack.append(node)
        self.open = node
        self.item_in_run = True


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip(_INDENT))


def _capitalised(text: str) -> bool:
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.isupper()


def _heading_like(text: str, n_lines: int) -> bool:
    words = text.split()
    if not words or n_lines > 3 or len(words) > _vocab().max_heading_words:
        return False
    first = next((ch for ch in text if ch.isalpha()), "")
    if not first.isupper() or PERSON_RE.fullmatch(text.rstrip(" ,;")):
        return False
    return not (text.endswith((".", ";", ",")) and len(words) > 6)


# --------------------------------------------------------------------------- reading an item

_DASH_RE = re.compile(r"\s[–—-]\s+")
_NUMBER_BEFORE_RE = re.compile(r"(?:№|\d)\s*$")
_MAX_TAIL = 300
_FIELD_SEP_RE = re.compile(r"^\s*[,;]\s*")
_MARKER_LINE_RE = re.compile(r"(?m)^[ \t\u00a0]*(?:[-–—•·▪●○*]|\d{1,2}[.)]|[а-яa-z]\))[ \t\u00a0]*")
_LINE_END_PUNCT = re.compile(r"[ \t.;,]*(?=[\r\n]|$)|")
_EMPTY_BRACKET_RE = re.compile(r"\(\s*[,;:.]*\s*\)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:)])")
_WORD_RE = re.compile(rf"[{_UP}{_LOW}-]+")


def _close_of(text: str, open_at: int, limit: int) -> int | None:
    """The position of the ``)`` that closes the bracket opened at ``open_at``."""
    depth = 0
    for k in range(open_at, limit):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return None


def _role(m: re.Match[str]) -> str:
    if m.group("abbr"):
        return "executors"
    return next(r for r in FIELD_ROLES if m.group(r))


def _label_matches(raw: str) -> Iterator[re.Match[str]]:
    """The matches of ``_vocab().label`` in ``raw``, as its ``finditer`` gives them (a
    label starts where group ``lead`` does).

    That pattern opens with a look-behind, so the engine tries it at every character of
    every item. ``label_after`` consumes the boundary character instead, which lets the
    engine skip ahead to the next boundary; the text's start is tried on its own. A label
    may start right after the one before it ends (``відп. Термін:``), so each search
    resumes on that label's last character, a boundary for the next."""
    voc = _vocab()
    pos = 0
    m = voc.label_first.match(raw)
    if m is not None:
        yield m
        pos = m.end()
    search = voc.label_after.search
    while True:
        m = search(raw, max(pos - 1, 0))
        if m is None:
            return
        yield m
        pos = m.end()


def _labels(raw: str, stops: list[int]) -> list[tuple[int, int, str, int, int]]:
    """The labelled fields of ``raw``: (cut start, cut end, role, value start, value end).

    A bracket whose content opens with a label (``(термін – І квартал; відповідальний –
    Коваленко О.І.)``) is cut whole and its labels end at its closing bracket; elsewhere
    a label's value runs to the next label, the next entry line of an enumeration
    (``stops``) or the end. Labels inside other brackets are ordinary text."""
    voc = _vocab()
    depth: list[int] | None = None  # computed for the first label that needs it
    found: list[tuple[re.Match[str], str, tuple[int, int] | None]] = []
    bracket: tuple[int, int] | None = None  # the field bracket we are in: (open, close)
    for m in _label_matches(raw):
        at = m.start("lead")
        before = raw[at - 1] if at else "\n"
        role = _role(m)
        if before == "," and role not in voc.after_comma:
            continue
        if before in ".;," and not m.group("lead")[:1].isspace():
            continue  # "відп.Термін": no space after the mark, not a boundary
        if bracket is not None and at > bracket[1]:
            bracket = None
        if before == "(":
            close = _close_of(raw, at - 1, len(raw))
            bracket = (at - 1, close if close is not None else len(raw))
        elif bracket is None:
            if depth is None:
                depth = nesting_depths(raw)
            if depth[at] > 0:
                continue
        found.append((m, role, bracket))
    out: list[tuple[int, int, str, int, int]] = []
    for k, (m, role, br) in enumerate(found):
        vs = m.end()
        nxt = found[k + 1] if k + 1 < len(found) else None
        limit = nxt[0].start("lead") if nxt is not None else len(raw)
        if nxt is not None and nxt[2] is not None and nxt[2] != br:
            limit = min(limit, nxt[2][0])  # the next label opens a bracket
        k_stop = bisect.bisect_right(stops, vs)
        if k_stop < len(stops):
            limit = min(limit, stops[k_stop])
        cut_start, cut_end = m.start("lead"), limit
        if br is not None:
            limit = min(limit, br[1])
            if k == 0 or found[k - 1][2] != br:
                cut_start = br[0]
            cut_end = limit
            if nxt is None or nxt[2] != br:
                cut_end = min(br[1] + 1, len(raw))
                # A note that ends the line takes the line's final punctuation with it.
                cut_end += _LINE_END_PUNCT.match(raw, cut_end).end() - cut_end
        out.append((cut_start, cut_end, role, vs, limit))
    return out


def _strip_value(value: str) -> str:
    return clean(value).strip(" ,;–—-")


_LAST_WORD_DOT = re.compile(r"([^\W\d_]+)\.$")


def drop_full_stop(text: str) -> str:
    """``фахівці центру.`` → ``фахівці центру``: the full stop that ends a field line, not
    the dot of an initial (``Петренко І.В.``) or a short abbreviation (``обл.``)."""
    m = _LAST_WORD_DOT.search(text)
    if m is None:
        return text
    word = m.group(1)
    if len(word) >= 4 or (len(word) >= 2 and word.isupper()):
        return text[:-1].rstrip()
    return text


def _executor_parts(value: str) -> list[str]:
    parts = split_executors(_MARKER_LINE_RE.sub("", value))
    return [p for p in (drop_full_stop(part.strip(" ,;")) for part in parts) if p]


def _is_time_start(text: str) -> tuple[int, int] | None:
    """``text`` opens with a time expression (``до 1 липня 2025 року``, ``постійно``,
    ``І квартал, ІІІ квартал``): its span, or None."""
    found = [f for f in scan_dates(text[:160]) if f.value.kind != "dangling"]
    if not found:
        return None
    lead = re.match(r"(?:(?:у|в|з|із)\s+)?", text[: found[0].start], re.IGNORECASE)
    if text[: found[0].start].strip() and (lead is None or lead.end() != found[0].start):
        return None
    end = found[0].end
    for f in found[1:]:
        gap = text[end : f.start]
        if re.fullmatch(r"[\s,;]*(?:(?:та|і|й)\s+)?", gap):
            end = f.end
        else:
            break
    return found[0].start, end


def _executor_like(text: str) -> bool:
    """A short phrase naming executors: a name, a capitalised body, a head noun."""
    words = _WORD_RE.findall(text)
    if not words or len(words) > 15 or ":" in text:
        return False
    first = words[0]
    if first[0].isupper() or PERSON_RE.match(text) or first.lower() in HEAD_ABBREVIATIONS:
        return True
    for word in words[:3]:
        found = parses(word.lower())
        if not found:
            return False
        if found[0].normal_form in HEAD_NOUNS:
            return True
        if found[0].tag.POS not in ("ADJF", "PRTF"):
            return False
    return False


def _dash_fields(text: str) -> tuple[int, str, str | None] | None:
    """``Оновити реєстр … – до 1 липня 2025 року, відділ …``: where the text ends, the
    deadline and the executors (None when only a deadline follows the dash)."""
    # Deadline and executors are short: only a dash near the end can open them.
    window = max(0, len(text) - _MAX_TAIL)
    if text.find("-", window) < 0 and text.find("–", window) < 0 and text.find("—", window) < 0:
        return None  # no dash near the end (the tests are cheaper than the regex)
    dashes = list(_DASH_RE.finditer(text, window))
    if not dashes:
        return None
    depth = nesting_depths(text[window:])
    first = len(text) - len(text.lstrip())
    for m in reversed(dashes):
        if depth[m.start() - window] or m.start() <= first:
            continue
        if _NUMBER_BEFORE_RE.search(text[max(0, m.start() - 16) : m.start()]):
            continue  # "№ 2558 – ІІІ": a number, not a deadline
        tail = text[m.end() :]
        span = _is_time_start(tail)
        if span is None:
            continue
        rest = tail[span[1] :]
        if not rest.strip(" .;,"):
            return m.start(), tail[: span[1]].strip(), None
        sep = _FIELD_SEP_RE.match(rest)
        if sep is None:
            continue
        executors = drop_full_stop(rest[sep.end() :].strip().rstrip(" ;,"))
        if _executor_like(executors):
            return m.start(), tail[: span[1]].strip(), executors
    return None


def _narrative(text: str) -> bool:
    m = _WORD_RE.search(text)
    if not m:
        return False
    tags = [str(p.tag) for p in parses(m.group().lower())]
    return any("Impe" in t or ("VERB" in t and "past" in t) for t in tags) and not any("infn" in t for t in tags)


def read_item(masked: str, start: int, end: int, stops: list[int] | None = None) -> _Read:
    """The fields of the item text ``masked[start:end]`` (its number excluded); ``stops``
    are the offsets of the enumeration lines inside it."""
    raw = masked[start:end]
    rel_stops = sorted(s - start for s in (stops or []))
    labels = _labels(raw, rel_stops)
    values: dict[str, list[str]] = {r: [] for r in FIELD_ROLES}
    runs: list[tuple[int, int]] = []
    pos = 0
    line_only = True
    lead_chars = _INDENT + "".join(_vocab().bullets) if labels else ""
    for cs, ce, role, vs, ve in labels:
        runs.append((start + pos, start + cs))
        pos = max(pos, ce)
        values[role].append(raw[vs:ve])
        line_start = raw.rfind("\n", 0, cs) + 1
        if raw[line_start:cs].strip(lead_chars):
            line_only = False
    runs.append((start + pos, end))
    runs = [(a, b) for a, b in runs if b > a]
    joined = Joined.of(masked, runs)
    deadlines = [v for v in (_strip_value(x) for x in values["deadline"]) if v]
    executors: list[str] = []
    for value in values["executors"]:
        executors.extend(x for x in _executor_parts(value) if x not in executors)
    cut = len(joined.text)
    pair = False
    if not deadlines and not executors:
        dash = _dash_fields(joined.text)
        if dash is not None:
            cut, deadline, names = dash
            deadlines.append(deadline)
            if names:
                executors.extend(_executor_parts(names))
                pair = True
    fields = read_fields(joined, 0, cut, timing_to_deadline=not deadlines, number="") if joined.text else None
    if fields is not None:
        if labels:
            fields.text = _SPACE_BEFORE_PUNCT.sub("", _EMPTY_BRACKET_RE.sub("", fields.text)).strip(" ,;:–—-")
        if fields.deadline and not deadlines:
            deadlines.append(fields.deadline)
        executors.extend(x for x in fields.executors if x not in executors)
        if not fields.text:
            fields = None
    strong = any(values[r] for r in FIELD_ROLES if r != "note") or bool(fields and fields.has_executor_note)
    stripped_end = start + len(raw.rstrip())
    return _Read(
        fields=fields,
        deadline="; ".join(deadlines) or None,
        executors=executors,
        indicator="; ".join(v for v in map(_strip_value, values["indicator"]) if v) or None,
        purpose="; ".join(v for v in map(_strip_value, values["purpose"]) if v) or None,
        strong=strong,
        timed=bool(values["deadline"] or values["executors"]),
        pair=pair,
        line_fields_only=bool(labels) and line_only and not (fields and fields.has_executor_note) and not pair,
        narrative=bool(fields) and _narrative(fields.text),
        end=stripped_end,
    )


# --------------------------------------------------------------------------- decisions

_MINOR = ("letter", "bullet")


def _minor(child: _Node, parent: _Node) -> bool:
    """An enumeration inside an item rather than items of their own."""
    style = child.style
    if style[0] in _MINOR:
        return True
    return style[0] == "dec" and style[2] == ")" and parent.style[0] == "dec" and parent.style[2] == "."


def _is_measure_group(leaves: list[_Node]) -> bool:
    n = len(leaves)
    if not n or any(x.front for x in leaves):
        return False
    reads = [x.read for x in leaves if x.read is not None]
    if sum(r.narrative for r in reads) * 2 >= n:
        return False  # a report's "1) забезпечено …"
    paragraphs = [x.read for x in leaves if x.style[0] == "para" and x.read is not None]
    if paragraphs and len(paragraphs) == n and sum(r.timed for r in paragraphs) < 2:
        return False  # unnumbered paragraphs: two with a deadline or executors at least
    strong = sum(r.strong for r in reads)
    some = sum(r.strong or r.pair for r in reads)
    return strong >= max(1, math.ceil(n / 3)) or some >= max(1, math.ceil(n / 2))


def _descendants(node: _Node) -> list[_Node]:
    out: list[_Node] = []
    todo = list(reversed(node.children))
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(reversed(n.children))
    return out


def _infinitive_first(text: str) -> bool:
    m = _WORD_RE.search(text)
    return bool(m) and any("infn" in str(p.tag) for p in parses(m.group().lower()))


class _Builder:
    def __init__(self, scanner: _Scanner):
        self.scanner = scanner
        self.masked = scanner.masked

    def _read(self, node: _Node) -> None:
        node.read = read_item(self.masked, node.text_start, node.end)

    def _merge(self, node: _Node) -> None:
        """Make ``node`` one measure whose text runs over its enumeration."""
        desc = _descendants(node)
        end = max([node.end, *(d.end for d in desc)])
        node.read = read_item(self.masked, node.text_start, end, [d.line_start for d in desc])
        node.merged = True
        for d in desc:
            d.absorbed = True

    def decide(self) -> list[_Node]:
        nodes = self.scanner.nodes
        for node in nodes:
            self._read(node)
        for node in reversed(nodes):  # children before their parents
            if not node.children or node.marker.kind != "item":
                continue
            kids = node.children
            all_leaves = all(not k.children or k.merged for k in kids)
            minor = all_leaves and all(_minor(k, node) for k in kids)
            own = node.read is not None and (node.read.strong or node.read.pair)
            if minor and self._fields_after_enumeration(node):
                self._merge(node)
            elif _is_measure_group([k for k in kids if k.leaf]):
                continue
            elif all_leaves and (minor or own):
                # An enumeration without fields of its own, or sub-points under an item
                # that carries the fields: one measure.
                self._merge(node)
        groups: dict[tuple, list[_Node]] = {}
        for node in nodes:
            if node.leaf and not node.absorbed and node.marker.kind == "item":
                groups.setdefault(node.group, []).append(node)
        measures: list[_Node] = []
        for leaves in groups.values():
            if _is_measure_group(leaves):
                measures.extend(x for x in leaves if x.read and x.read.fields)
        return sorted(measures, key=lambda n: n.text_start)

    def _fields_after_enumeration(self, node: _Node) -> bool:
        """``Провести семінари для: а) …; б) … Термін: … Відповідальні: …``: the fields
        after the last entry are the whole item's."""
        kids = node.children
        if len(kids) < 2:
            return False
        *rest, last = kids
        if any(k.read and (k.read.strong or k.read.pair) for k in rest):
            return False
        if not (last.read and last.read.line_fields_only):
            return False
        own = node.read.fields.text if node.read and node.read.fields else ""
        lower = all(k.read and k.read.fields and k.read.fields.text[:1].islower() for k in kids)
        return own.rstrip().endswith(":") or lower


def _title(masked: str, node: _Node) -> str:
    end = node.read.fields.end if node.read and node.read.fields else node.end
    return clean(masked[node.line_start : max(end, node.text_start)])


def parse(doc: SourceDocument, masked: str, claimed: list[tuple[int, int]] | None = None) -> LayoutResult:
    """Measures and sections of the numbered lists of ``doc`` outside the ``claimed``
    ranges."""
    scanner = _Scanner(doc.text, masked, claimed or [], per_line=doc.format in ("docx", "html"))
    scanner.run_scan()
    if not scanner.nodes:
        return LayoutResult()
    builder = _Builder(scanner)
    chosen = builder.decide()
    if not chosen:
        return LayoutResult()
    dropped = _lone_first_headings(scanner.headings)
    # What the items with children are (parents come before their children).
    for node in scanner.nodes:
        if node.leaf:
            continue
        node.title = _title(masked, node)
        if node.marker.kind != "item":
            node.kind = node.marker.kind
        elif node.title.endswith(":") or _section_above(node, dropped) or _infinitive_first(
            node.read.fields.text if node.read and node.read.fields else ""
        ):
            node.kind = "task"
        else:
            node.kind = "section"
    result = LayoutResult()
    used_nodes: dict[int, _Node] = {}
    used_headings: dict[int, _Heading] = {}
    for node in chosen:
        read = node.read
        assert read is not None and read.fields is not None
        section, task = _context(node, dropped, used_nodes, used_headings)
        result.measures.append(
            Measure(
                number=(node.marker.number or None) if node.style[0] != "bullet" else None,
                section=section, task=task, text=read.fields.text, deadline=read.deadline,
                executors=read.executors, indicator=read.indicator, purpose=read.purpose,
                start=read.fields.start, end=max(read.end, read.fields.end),
            )
        )
        result.claimed.append((node.line_start, max(read.end, read.fields.end)))
    for node in used_nodes.values():
        result.sections.append(
            Section(node.title, node.marker.number, node.level, node.line_start,
                    node.read.end if node.read else node.end, kind=node.kind)
        )
        result.claimed.append((node.line_start, node.end))
    for heading in used_headings.values():
        result.sections.append(
            Section(heading.title, None, heading.level, heading.start, heading.end, kind=heading.kind)
        )
        result.claimed.append((heading.start, heading.end))
    result.claimed = sorted(result.claimed)
    return result


def _lone_first_headings(headings: list[_Heading]) -> set[int]:
    """An unnumbered heading right above the first item of a list, when the list has no
    other section heading, is more likely the end of the title block: dropped. Right
    after another layout's text it is a sub-heading inside that layout's section: a
    task. A heading ending with a colon is a task wherever it stands."""
    count: dict[int, int] = {}
    for h in headings:
        if h.kind == "section":
            count[h.run] = count.get(h.run, 0) + 1
    dropped: set[int] = set()
    for h in headings:
        if h.kind == "section" and h.first_in_run and count[h.run] == 1:
            if h.embedded:
                h.kind = "task"
            else:
                dropped.add(id(h))
    return dropped


def _section_above(node: _Node, dropped: set[int]) -> bool:
    n: _Node | None = node
    while n is not None:
        heading = n.ctx_section
        if heading is not None and heading.kind == "section" and id(heading) not in dropped:
            return True
        if n is not node and n.kind == "section":
            return True
        n = n.parent
    return False


def _context(
    node: _Node, dropped: set[int], used_nodes: dict[int, _Node], used_headings: dict[int, _Heading]
) -> tuple[str | None, str | None]:
    """The innermost section and task above a measure: its ancestors and the unnumbered
    headings between them."""
    section: str | None = None
    task: str | None = None
    n: _Node | None = node
    while n is not None and section is None:
        for heading in (n.ctx_task, n.ctx_section):
            if heading is None or id(heading) in dropped:
                continue
            if heading.kind == "section" and section is None:
                section = heading.title
                used_headings[id(heading)] = heading
            elif heading.kind == "task" and task is None and section is None:
                task = heading.title
                used_headings[id(heading)] = heading
        if section is not None:
            break
        parent = n.parent
        if parent is not None:
            if parent.kind == "section":
                section = parent.title
                used_nodes[id(parent)] = parent
            elif parent.kind == "task" and task is None:
                task = parent.title
                used_nodes[id(parent)] = parent
        n = parent
    return section, task

"""The fields of one measure read from its text: executor and timing notes, list numbers.

A measure's text often carries its other fields in brackets: ``(відп. Устінова Т.В.)``,
``(Остролуцька Л.І., Сколобанова Ю.М.)``, ``(1 раз на місяць)``, ``(березень, Крисов
Л.П.)``. The guidelines move them out of the text: executors always, timing only when the
row has no deadline column of its own.

A measure may also be written in several runs of the document (a cell broken across a
page). :class:`Joined` glues the runs into one string and maps positions back to source
offsets, so every field is read from one string and ``start`` still points into the source.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..morph import parses
from ..text import clean
from .executors import PERSON_RE, split_executors
from .vocab import final_char_class, vocabulary

# A bracket, with one level of nesting inside: "(відп. Іванов І.І. (за згодою))".
BRACKET_RE = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
# A list number or a dash opening an item: "1. ", "2) ", "- ", "– ", "• ".
NUMBER_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s+(?=\S)")
DASH_RE = re.compile(r"^\s*[-–—•·▪●]\s*")
_WORD_HYPHEN_END = re.compile(r"\w-$")


@dataclass(slots=True)
class Joined:
    """Runs of the source text glued into one string, with positions mapped back."""

    text: str
    _text_pos: list[int]
    _doc_pos: list[int]

    @classmethod
    def of(cls, source: str, runs: list[tuple[int, int]]) -> "Joined":
        parts: list[str] = []
        text_pos: list[int] = []
        doc_pos: list[int] = []
        length = 0
        for start, end in runs:
            while start < end and source[start].isspace():
                start += 1
            while end > start and source[end - 1].isspace():
                end -= 1
            if start == end:
                continue
            # A word hyphenated across a page break ("інформаційно-" + "профілактичних")
            # joins without a space; any other break is a space.
            sep = "" if not parts or _WORD_HYPHEN_END.search(parts[-1]) else " "
            parts.append(sep)
            length += len(sep)
            text_pos.append(length)
            doc_pos.append(start)
            parts.append(source[start:end])
            length += end - start
        return cls("".join(parts), text_pos, doc_pos)

    def doc_offset(self, i: int) -> int:
        """The source offset of character ``i`` of :attr:`text`."""
        if not self._text_pos:
            return 0
        k = max(bisect.bisect_right(self._text_pos, i) - 1, 0)
        return self._doc_pos[k] + max(i - self._text_pos[k], 0)


@dataclass(slots=True)
class Fields:
    """What a measure's text yields: the text itself and the fields its notes carry."""

    text: str
    start: int
    end: int
    number: str | None = None
    deadline: str | None = None
    executors: list[str] = field(default_factory=list)
    has_executor_note: bool = False


# ------------------------------------------------------------------ note classification


def _persons_joined(content: str) -> str:
    """``Скоренко Л.П. та Шелест Н.О.`` → ``Скоренко Л.П., Шелест Н.О.``: the conjunction
    between two named persons separates executors (split_executors splits at commas)."""
    conj = vocabulary().person_and
    return re.sub(
        rf"({PERSON_RE.pattern})\s+{conj}\s+(?={PERSON_RE.pattern})", r"\1, ", content
    )


def _is_person(part: str) -> bool:
    return bool(PERSON_RE.fullmatch(part.strip()))


def _name_parts(content: str) -> list[str]:
    conj = vocabulary().person_and
    return [p.strip() for p in re.split(rf"\s*[,;]\s*|\s+{conj}\s+", content) if p.strip()]


@dataclass(frozen=True, slots=True)
class Note:
    """A bracket that carries a field: its span in the string and what it gives."""

    start: int
    end: int
    executors: tuple[str, ...]
    deadline: str | None
    is_executor: bool  # names executors (so the text after it is a new activity)


def classify_bracket(content: str) -> tuple[list[str], str | None] | None:
    """Executors and timing of a bracket's content, or None when it is ordinary text
    (``(дводенний курс)``, ``(II частина)``, ``(за потребою …)``)."""
    voc = vocabulary()
    content = content.strip()
    if not content:
        return None
    m = voc.executor_note.match(content)
    if m:
        return split_executors(_persons_joined(content[m.end():].strip())), None
    parts = _name_parts(content)
    persons = [p for p in parts if _is_person(p)]
    if persons and len(persons) == len(parts):
        return split_executors(_persons_joined(content)), None
    if persons:
        # "(березень, Остролуцька Л.І.)": a timing and the persons, nothing else.
        timing = [p for p in parts if not _is_person(p)]
        if all(voc.timing.search(p) for p in timing):
            return [p for p in parts if _is_person(p)], ", ".join(timing)
        return None
    if voc.timing.search(content) and not PERSON_RE.search(content):
        return [], content
    return None


def find_notes(text: str) -> list[Note]:
    """The brackets of ``text`` that carry executors or timing, in order."""
    return list(_find_notes(text))


@lru_cache(maxsize=4096)
def _find_notes(text: str) -> tuple[Note, ...]:
    # Cached: a cell's text is read for notes when it is split, read and classified.
    notes: list[Note] = []
    for m in BRACKET_RE.finditer(text):
        got = classify_bracket(m.group()[1:-1])
        if got is not None:
            executors, deadline = got
            notes.append(Note(m.start(), m.end(), tuple(executors), deadline, bool(executors)))
    # An executor note whose opening bracket was lost or whose closing one never came:
    # "… спрямування відп. Шабатіна Г.М., Єрмачкова В.Ю.)." / "… (4 райони) (відп."
    tail = _open_executor_tail(text, notes)
    if tail is not None:
        notes.append(tail)
    return tuple(notes)


@lru_cache(maxsize=1)
def _open_executor_note() -> re.Pattern[str]:
    """An executor note's prefix, its opening bracket optional (compiled once)."""
    return re.compile(r"\(?\s*(?<!\w)" + vocabulary().executor_note.pattern, re.IGNORECASE)


def _open_executor_tail(text: str, notes: list[Note]) -> Note | None:
    last_end = notes[-1].end if notes else 0
    for m in _open_executor_note().finditer(text[last_end:]):
        if m.group().rstrip()[-1] not in ".:–—-":
            continue  # a prefix without its mark is ordinary text
        start = last_end + m.start()
        rest = text[last_end + m.end():]
        close = rest.find(")")
        body = rest if close < 0 else rest[:close]
        if "(" in body:
            continue
        end = len(text) if close < 0 else last_end + m.end() + close + 1
        if text[end:].strip(" .;,"):
            continue  # not at the end of the item: ordinary text
        return Note(start, end, tuple(split_executors(_persons_joined(body.strip()))), None, True)
    return None


# ------------------------------------------------------------------ splitting a cell


_UPPER_START = re.compile(r"[«\"“A-ZА-ЯҐЄІЇ]")


def split_activities(text: str) -> list[tuple[int, int, str | None, bool]]:
    """Split the text of one calendar cell item into the activities written in it.

    Exports join a cell's paragraphs with a space, so one ``<p>`` may hold several
    activities. They are recognised by: a numbered run ``1. … 2. …`` (an ``<ol>``); an
    executor note followed by a capitalised word (``… (відп. Крисов Л.П.) Навчання …``);
    a closing bracket followed by a capitalised word (``… (5 районів) Семинар …``): the
    part before such a bracket shares the executors of the part after it.

    Returns ``(start, end, number, borrows_executors)`` per activity.
    """
    numbered = _numbered_run(text)
    if numbered:
        return [(a, b, n, False) for a, b, n in numbered]
    cuts: list[tuple[int, bool]] = []
    notes = find_notes(text)
    note_ends = {n.end: n for n in notes}
    for m in re.finditer(r"\)[\s.;,]*\s(?=\S)", text):
        nxt = m.end()
        if not _UPPER_START.match(text, nxt):
            continue
        note = note_ends.get(m.start() + 1)
        if note is not None and note.is_executor:
            cuts.append((nxt, False))
        elif note is None and _bracket_closes_at(text, m.start()) and _may_open_activity(text, nxt):
            cuts.append((nxt, True))
    pieces: list[tuple[int, int, str | None, bool]] = []
    begin = 0
    for cut, borrows in cuts:
        pieces.append((begin, cut, None, borrows))
        begin = cut
    pieces.append((begin, len(text), None, False))
    return pieces


_WORD_RE = re.compile(r"[A-Za-zА-ЯҐЄІЇа-яґєії'’ʼ-]+")
# Adjectives made from place names (Київський, Дарницького) are capitalised mid-phrase.
PROPER_ADJECTIVE_RE = re.compile(r"(?:ськ|цьк|зьк)\w*$")
_PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")


def _may_open_activity(text: str, i: int) -> bool:
    """The capitalised word at ``text[i]`` can open a new phrase: a word that has a
    nominative reading and is not a name, an abbreviation or a place adjective
    (``(м. Київ) Дарницького району`` goes on; ``(5 районів) Семинар …`` starts anew)."""
    m = _WORD_RE.match(text, i)
    if not m:
        return text[i] in "«\"“"
    word = m.group()
    if word.isupper() or PROPER_ADJECTIVE_RE.search(word):
        return False
    readings = [str(p.tag) for p in parses(word.lower())]
    return any("nomn" in t and not any(x in t for x in _PROPER_TAGS) for t in readings)


def _bracket_closes_at(text: str, i: int) -> bool:
    """True when ``text[i] == ')'`` closes a bracket opened in ``text`` (not a stray one)."""
    depth = 0
    for ch in reversed(text[:i]):
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return True
            depth -= 1
    return False


_LIST_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+(?=[«\"“A-ZА-ЯҐЄІЇ])")


def _numbered_run(text: str) -> list[tuple[int, int, str]]:
    """``1. A 2. B`` → the items, when the numbers run 1, 2, … (two at least)."""
    found = [(m.start(), m.end(), int(m.group(1))) for m in _LIST_NUMBER.finditer(text)]
    run: list[tuple[int, int, int]] = []
    for item in found:
        if item[2] == len(run) + 1:
            run.append(item)
    if len(run) < 2 or text[: run[0][0]].strip():
        return []
    out = []
    for k, (s, e, n) in enumerate(run):
        stop = run[k + 1][0] if k + 1 < len(run) else len(text)
        out.append((e, stop, str(n)))
    return out


# ------------------------------------------------------------------ reading the fields


def read_fields(
    joined: Joined,
    start: int = 0,
    end: int | None = None,
    *,
    timing_to_deadline: bool,
    number: str | None = None,
) -> Fields | None:
    """The text, number, executors and (when the row has no deadline column) deadline of
    ``joined.text[start:end]``. None when no text is left."""
    end = len(joined.text) if end is None else end
    raw = joined.text[start:end]
    m = NUMBER_RE.match(raw)
    if m and number is None:
        number = m.group(1)
        start += m.end()
        raw = joined.text[start:end]
    m = DASH_RE.match(raw)
    if m:
        start += m.end()
        raw = joined.text[start:end]
    notes = find_notes(raw)
    executors: list[str] = []
    deadlines: list[str] = []
    keep: list[tuple[int, int]] = []
    pos = 0
    for note in notes:
        if note.deadline and not note.executors and not timing_to_deadline:
            continue  # a timing note stays in the text when the row has a deadline column
        keep.append((pos, note.start))
        pos = note.end
        executors.extend(x for x in note.executors if x not in executors)
        if note.deadline and timing_to_deadline:
            deadlines.append(clean(note.deadline))
    keep.append((pos, len(raw)))
    text = _glue(raw, keep)
    text = clean(text).strip(" ,;:")
    if not text:
        return None
    deadline = "; ".join(deadlines) or None
    if deadline is None and timing_to_deadline:
        tail = text.rstrip(" .")
        if _may_end_recurrence(tail):
            rec = vocabulary().trailing_recurrence.search(tail)
            if rec:
                deadline = rec.group().strip()
    lead = len(raw) - len(raw.lstrip())
    first = start + lead
    last = start + len(raw.rstrip())
    return Fields(
        text=text,
        start=joined.doc_offset(first),
        end=joined.doc_offset(max(last - 1, first)) + 1,
        number=number,
        deadline=deadline,
        executors=executors,
        has_executor_note=any(n.is_executor for n in notes),
    )


def _may_end_recurrence(text: str) -> bool:
    """False when ``trailing_recurrence`` cannot match ``text``: its last character (or the
    one before a final line break, where ``$`` also matches) is none a match can end with.

    The pattern is anchored at the end but opens with optional words, so a search tries it
    at every position of a measure's text; one character test spares that for nearly all.
    """
    last = _recurrence_last_char()
    if last is None:
        return True
    n = len(text)
    if n and last.match(text, n - 1):
        return True
    return n >= 2 and text[-1] == "\n" and bool(last.match(text, n - 2))


@lru_cache(maxsize=1)
def _recurrence_last_char() -> re.Pattern[str] | None:
    """What ``trailing_recurrence`` can end with, read from the pattern once."""
    return final_char_class(vocabulary().trailing_recurrence)


def _glue(raw: str, keep: list[tuple[int, int]]) -> str:
    """Join the kept spans. A note that ends the item takes its final punctuation with it
    ("сім'ї (відп. …)." → "сім'ї"); elsewhere punctuation that followed a note closes up
    to the word before it, replacing a separator left dangling ("сімей», (…), …")."""
    out = ""
    for k, (a, b) in enumerate(keep):
        piece = raw[a:b]
        if k and k == len(keep) - 1 and not piece.strip(" \t\r\n.,;:"):
            break  # only the full stop of a note that ended the item: it leaves with the note
        if out and piece.lstrip()[:1] in (".", ",", ";", ":"):
            out = out.rstrip().rstrip(",;:")
            piece = piece.lstrip()
        out += piece
    return out


def looks_unfinished(text: str) -> bool:
    """A cell item cut off by a page break: an open bracket or quote, or no closing
    punctuation (``… з питань протидії торгівлі``, ``«Застосування МіО як``)."""
    s = text.rstrip()
    if not s:
        return False
    if s.count("(") > s.count(")") or s.count("«") > s.count("»"):
        return True
    return s[-1].isalnum() or s[-1] in ",-–:"


def starts_as_continuation(text: str) -> bool:
    """A fragment that cannot open an item: it starts in lower case, or it closes a
    bracket it did not open (``Устінова Т.В.)``)."""
    s = text.lstrip()
    if not s or DASH_RE.match(s) or NUMBER_RE.match(s):
        return False  # a list item opens an item of its own, whatever its case
    first_alpha = next((ch for ch in s[:3] if ch.isalpha()), "")
    if first_alpha.islower():
        return True
    close = s.find(")")
    return close >= 0 and "(" not in s[:close]

"""Turn the bytes of a text file into ``str``: the encoding is detected, never assumed.

Order: a byte-order mark; an encoding the file declares (HTML ``<meta charset>``); BOM-less
UTF-16 recognised by its byte pattern; strict UTF-8; then charset-normalizer restricted to
the encodings Ukrainian documents actually come in, with a Ukrainian letter-frequency
model breaking the ties it cannot (cp1251 and KOI8-U both decode any Cyrillic bytes).

The text returned is exactly what ``open(path, encoding=ENCODING, newline="").read()``
gives for the returned ENCODING: line ends are kept as they are, only the BOM goes.
"""
from __future__ import annotations

import codecs
import math
import re
from collections import Counter

from charset_normalizer import from_bytes

from .common import Unreadable

# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The single-byte encodings our sources are written in (Cyrillic ones first; Mac Cyrillic
# is left out because it shares cp1251's lowercase and only adds confusions), plus
# cp1252 so that a Western-European text is not forced into Cyrillic. Latin-1 is left
# out on purpose: it decodes anything, so it would turn binary data into "text".
CYRILLIC_CANDIDATES = ("cp1251", "koi8_u", "cp866", "cp1125", "iso8859_5")
CANDIDATES = (*CYRILLIC_CANDIDATES, "cp1252")

# How much of a file the detector looks at: enough for a confident guess, small
# enough that detection stays cheap for a 100 MB file.
_SAMPLE_BYTES = 256 * 1024
_WINDOW_BYTES = 64 * 1024

# Relative frequencies (per cent) of Ukrainian letters in running text. Only their
# ratios matter: they score how Ukrainian a candidate decoding looks.
_UK_FREQ = {
    "о": 9.4, "а": 7.2, "н": 6.5, "и": 6.1, "і": 5.7, "в": 5.2, "т": 5.1, "е": 4.8,
    "р": 4.7, "с": 4.1, "у": 4.0, "л": 3.6, "к": 3.5, "д": 3.5, "м": 3.1, "я": 3.0,
    "п": 2.9, "ь": 2.9, "з": 2.3, "ч": 1.8, "б": 1.7, "г": 1.6, "й": 1.4, "х": 1.2,
    "ц": 1.0, "ж": 0.9, "ш": 0.8, "ю": 0.8, "є": 0.8, "ї": 0.6, "щ": 0.6, "ф": 0.3,
    "ґ": 0.05,
    # Punctuation that Ukrainian typography uses outside ASCII.
    "«": 0.3, "»": 0.3, "’": 0.3, "–": 0.2, "—": 0.2, "№": 0.1, "“": 0.1, "”": 0.1,
    "\xa0": 0.2, "…": 0.05,
}
_UK_LOGP = {ch: math.log(f / 100) for ch, f in _UK_FREQ.items()}
# Russian-only letters occur in Ukrainian documents (names, quotations), rarely.
_UK_LOGP.update({ch: math.log(0.0005) for ch in "ыэъё"})
_UNLIKELY_LOGP = math.log(0.00005)
# A lowercase letter followed by an uppercase one inside a word: what a case-swapping
# mis-decoding (cp1251 read as KOI8 or back) produces all over the text.
_CASE_FLIP = re.compile(r"[а-яіїєґ][А-ЯІЇЄҐ]")
# Below this mean log-probability per non-ASCII character a decoding is not Ukrainian.
_PLAUSIBLE_UK = -5.5


def _from_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _looks_utf16(sample: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``sample`` has the byte pattern of BOM-less UTF-16.

    Text in the Basic Multilingual Plane that is mostly ASCII or Cyrillic has, in every
    code unit, a high byte from a tiny set (0x00, 0x04, 0x20 punctuation) while the low
    bytes vary: one byte position is nearly constant, the other is not.
    """
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) & ~1]
    even, odd = sample[0::2], sample[1::2]
    n = len(even)

    def high_share(half: bytes) -> float:
        return (half.count(0) + half.count(4) + half.count(0x20)) / n

    if high_share(odd) > 0.9 and high_share(even) < 0.5:
        return "utf-16-le"
    if high_share(even) > 0.9 and high_share(odd) < 0.5:
        return "utf-16-be"
    return None


def ukrainian_score(text: str) -> float:
    """Mean log-probability of the non-ASCII characters of ``text`` under Ukrainian usage.

    Around -3 for Ukrainian text, far lower for a wrong decoding of it (box-drawing
    characters, swapped case, improbable letters); ``-inf`` when there is nothing to judge.
    """
    counts = Counter(text)
    total = 0
    logp = 0.0
    for ch, n in counts.items():
        if ch < "\x80":
            continue
        total += n
        logp += n * _UK_LOGP.get(ch.lower(), _UNLIKELY_LOGP)
    if not total:
        return float("-inf")
    flips = len(_CASE_FLIP.findall(text))
    return logp / total - 3.0 * flips / total


def _sample(data: bytes, error_at: int | None) -> bytes:
    """The head of the file, plus the stretch around the first non-UTF-8 byte if it lies later."""
    head = data[:_SAMPLE_BYTES]
    if error_at is not None and error_at >= _SAMPLE_BYTES - _WINDOW_BYTES // 2:
        head += b"\n" + data[max(0, error_at - _WINDOW_BYTES // 2) : error_at + _WINDOW_BYTES // 2]
    return head


def _rank_candidates(sample: bytes) -> list[str]:
    """Encodings to try, best first: charset-normalizer's plausible ones, re-ranked for Ukrainian."""
    matches = from_bytes(sample, cp_isolation=list(CANDIDATES))
    ranked = [m.encoding for m in matches]
    if not ranked:
        return []
    scored = []
    for encoding in ranked:
        if encoding not in CYRILLIC_CANDIDATES:
            continue
        try:
            decoded = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((ukrainian_score(decoded), encoding))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= _PLAUSIBLE_UK:
        best = scored[0][1]
        ranked.remove(best)
        ranked.insert(0, best)
    return ranked


# Declared encodings that Cyrillic pages are often mislabelled with.
_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15"})


def _python_name(encoding: str) -> str:
    """The canonical codec name (``cp1251``, ``koi8-u``, ``utf-16-le``), usable with ``open``."""
    return codecs.lookup(encoding).name


def _declared(declared: str | None) -> str | None:
    """A declared encoding we can honour: known to Python and not a lie we can see through."""
    if not declared:
        return None
    try:
        name = _python_name(declared)
    except LookupError:
        return None
    # A document that says UTF-16/32 in an ASCII-readable <meta> is not in UTF-16/32
    # (the HTML standard tells browsers to ignore that claim, and so do we).
    if name.startswith(("utf-16", "utf-32")):
        return None
    # KOI8-U is KOI8-R with Ukrainian letters in place of some box-drawing characters:
    # a Ukrainian page that says koi8-r means koi8-u.
    if name == "koi8-r":
        return "koi8-u"
    return name


_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00ff]")
_LATIN1_LETTER = re.compile(r"[\u00c0-\u00ff]")


def _cyrillic_in_disguise(text: str) -> bool:
    """Whether ``text``, decoded with a Western single-byte encoding, is Cyrillic mislabelled.

    In real Western-European text accented letters are a small minority; Cyrillic bytes
    read as cp1252/Latin-1 turn nearly every letter into one of À-ÿ.
    """
    sample = text[:_SAMPLE_BYTES]
    accented = len(_LATIN1_LETTER.findall(sample))
    return accented >= 20 and accented > 0.5 * len(_LATIN_LETTER.findall(sample))


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used.

    ``declared`` is an encoding the document names for itself; it is used if the bytes
    decode with it, and otherwise ignored. Raises :class:`Unreadable` when nothing fits.
    """
    encoding = _from_bom(data)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise Unreadable(f"undecodable: starts with a {encoding} byte-order mark but is not valid {encoding}") from None

    name = _declared(declared)
    if name is not None:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common: fall through to detection
        else:
            # Old Ukrainian sites often declare a Western charset for cp1251 pages.
            if name not in _WESTERN or not _cyrillic_in_disguise(text):
                return text, name

    utf16 = _looks_utf16(data[:_SAMPLE_BYTES])
    if utf16 is not None and len(data) % 2 == 0:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        error_at = exc.start

    for candidate in _rank_candidates(_sample(data, error_at)):
        try:
            return data.decode(candidate), _python_name(candidate)
        except UnicodeDecodeError:
            continue  # the sample decoded but a later byte does not: try the next
    raise Unreadable("undecodable: not UTF-8, UTF-16 or a known Cyrillic encoding (binary data?)")

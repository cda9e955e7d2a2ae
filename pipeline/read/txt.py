"""Plain text: decode the bytes, refuse what is binary rather than text."""
from __future__ import annotations

import re

from .common import ReadResult, Unreadable, require_text
from .encoding import decode
from .limits import MAX_CONTROL_SHARE

# C0 controls that never occur in text (TAB, LF, VT, FF, CR do: VT and FF come from
# Word's line and page breaks), and DEL.
_CONTROL_CHARS = "".join(map(chr, [*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F]))
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
_CONTROL_BYTES = _CONTROL_CHARS.encode("ascii")

# What a file is when it starts like this: for an error that says more than "binary".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (.docx?)"),
    (b"%PDF-", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (.doc?)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip data"),
)


def _ascii_compatible(encoding: str) -> bool:
    """Whether bytes 0x00-0x7F mean the ASCII characters (all but UTF-16/32 of ours)."""
    return not encoding.startswith(("utf-16", "utf-32"))


def check_textual(text: str, data: bytes, encoding: str) -> None:
    """Refuse decoded text that is really binary data: NUL bytes or many control characters."""
    if _ascii_compatible(encoding):
        # The same test on the bytes, where a control character is the same single
        # byte: bytes.translate runs about 5x faster than a regex over the str.
        nul = b"\x00" in data
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    else:
        nul = "\x00" in text
        controls = len(_CONTROL.findall(text))
    if nul:
        raise Unreadable("binary data (NUL bytes), not text")
    if controls > max(8, MAX_CONTROL_SHARE * len(text)):
        raise Unreadable(f"binary data ({controls} control characters), not text")


def read_txt(data: bytes) -> ReadResult:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Unreadable(f"binary data: the file is {what}, not plain text")
    text, encoding = decode(data)
    require_text(text, "empty file (only white space)")
    check_textual(text, data, encoding)
    return ReadResult(text=text, encoding=encoding)

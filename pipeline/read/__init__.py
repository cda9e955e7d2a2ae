"""read: turn a file into a :class:`~pipeline.models.SourceDocument`.

One entry point, :func:`read_document`. It checks the path (exists, a regular file,
a supported suffix, within the size limit, not empty), reads the bytes once and hands
them to the reader for the suffix:

* ``.txt`` – :mod:`.txt`: encoding detected (:mod:`.encoding`), text kept exactly;
* ``.docx`` – :mod:`.docx`: paragraphs and tables in order, tables as :class:`Table`;
* ``.html``/``.htm`` – :mod:`.html`: visible text, tables rendered like docx ones;
* ``.pdf`` – :mod:`.pdf`: the text layer.

Every problem with the file becomes a :class:`~pipeline.models.ReadError` with a one-line
reason; errors in our own code are not caught here and surface as what they are.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable

from ..models import ReadError, SourceDocument
from . import limits
from .common import ReadResult, Unreadable
from .docx import read_docx
from .html import read_html
from .pdf import read_pdf
from .txt import read_txt

# suffix → (format name, reader)
_READERS: dict[str, tuple[str, Callable[[bytes], ReadResult]]] = {
    ".txt": ("txt", read_txt),
    ".docx": ("docx", read_docx),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
}
SUPPORTED_SUFFIXES = tuple(_READERS)

__all__ = ["SUPPORTED_SUFFIXES", "read_document"]


def _os_reason(exc: OSError) -> str:
    """A short reason for an OS error: 'no such file', 'permission denied', ..."""
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def _read_bytes(path: Path, fmt: str) -> bytes:
    cap = limits.MAX_FILE_BYTES[fmt]
    try:
        # Opened first and checked through the open file, so what is checked is what is read.
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable("not a regular file")
            if info.st_size > cap:
                raise Unreadable(f"too large: {info.st_size // limits.MB} MB (limit {cap // limits.MB} MB for .{fmt})")
            # Read one byte past the cap: a file that grew since fstat is still refused.
            data = fh.read(cap + 1)
    except IsADirectoryError:
        raise Unreadable("is a directory") from None
    except OSError as exc:
        raise Unreadable(f"cannot open: {_os_reason(exc)}") from None
    if len(data) > cap:
        raise Unreadable(f"too large (limit {cap // limits.MB} MB for .{fmt})")
    if not data:
        raise Unreadable("empty file (0 bytes)")
    return data


def read_document(path: str | Path) -> SourceDocument:
    """Read ``path`` (.txt, .docx, .html/.htm or .pdf); raise :class:`ReadError` if it cannot be read."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise Unreadable("is a directory")
        suffix = path.suffix.lower()
        if suffix not in _READERS:
            raise Unreadable(
                f"unsupported file type {suffix or '(no suffix)'!r}; expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
        fmt, reader = _READERS[suffix]
        result = reader(_read_bytes(path, fmt))
    except Unreadable as exc:
        raise ReadError(name, exc.reason) from None
    return SourceDocument(
        doc_id=path.stem,
        path=name,
        format=fmt,
        text=result.text,
        encoding=result.encoding,
        tables=result.tables,
    )

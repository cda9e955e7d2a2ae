"""What the format readers share: the error they raise and the result they return."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Table


class Unreadable(Exception):
    """Raised by a format reader for bad input; :func:`read_document` adds the path.

    Readers work on bytes and do not know the path, so they raise this rather than
    :class:`~pipeline.models.ReadError`. ``reason`` is one short line.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class ReadResult:
    text: str
    encoding: str | None = None
    tables: list[Table] = field(default_factory=list)


def require_text(text: str, what: str = "no text") -> None:
    """Refuse a document with nothing but white space in it."""
    if not text or text.isspace():
        raise Unreadable(what)

"""read: turn a file into a :class:`~pipeline.models.SourceDocument`."""
from __future__ import annotations

from pathlib import Path

from ..models import ReadError, SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")


def read_document(path: str | Path) -> SourceDocument:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadError(str(path), str(exc)) from exc
    return SourceDocument(doc_id=path.stem, path=str(path), format="txt", text=text, encoding="utf-8")

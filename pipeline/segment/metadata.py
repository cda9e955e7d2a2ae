from __future__ import annotations

from ..models import Metadata, SourceDocument


def extract_metadata(doc: SourceDocument, masked: str) -> Metadata:
    return Metadata()

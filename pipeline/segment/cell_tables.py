from __future__ import annotations

from ..models import SourceDocument
from .layout import LayoutResult


def parse(doc: SourceDocument, masked: str, claimed: list[tuple[int, int]] | None = None) -> LayoutResult:
    return LayoutResult()

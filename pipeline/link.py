"""link: group mentions into entities and give every entity a stable id.

An id derives from the entity's canonical key (never from a counter), so re-running on the
same input, or adding a document, leaves existing ids unchanged.
"""
from __future__ import annotations

import bisect
import hashlib
import re

from .models import DocumentResult, Mention

_SPACES = re.compile(r"\s+")


def canonical_key(mention: Mention, doc_id: str) -> str | None:
    """The key that identifies what a mention refers to; None for labels without entities."""
    norm = mention.norm or {}
    text = _SPACES.sub(" ", mention.text).strip()
    if mention.label == "PERSON":
        # The same name in two unrelated documents is two people: persons are per document.
        return f"person:{doc_id}:{(norm.get('canonical') or norm.get('name') or text).lower()}"
    if mention.label == "ORG":
        return f"org:{(norm.get('name') or text).lower()}"
    if mention.label == "LEGAL_ACT":
        return norm.get("id") or f"act:{text.lower()}"
    if mention.label == "PROGRAM":
        return f"program:{(norm.get('canonical') or norm.get('name') or text).lower()}"
    if mention.label == "ROLE":
        # Roles are named by function; the lemmas make "фахівцями центру" and "Фахівці центру" one.
        return f"role:{norm.get('lemma') or text.lower()}"
    return None


def entity_id(key: str) -> str:
    prefix = key.split(":", 1)[0]
    return f"{prefix}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def link_document(result: DocumentResult) -> None:
    """Set ``Mention.entity`` and each measure's ``executor_entities`` in place."""
    doc_id = result.source.doc_id
    for mention in result.mentions:
        key = canonical_key(mention, doc_id)
        mention.entity = entity_id(key) if key else None
    # Mentions in document order, so each measure finds the ones inside it by binary search.
    actors = sorted(
        (m for m in result.mentions if m.label in ("PERSON", "ORG", "ROLE") and m.entity),
        key=lambda m: m.start,
    )
    starts = [m.start for m in actors]
    for measure in result.segmentation.measures:
        lo, hi = bisect.bisect_left(starts, measure.start), bisect.bisect_left(starts, measure.end)
        inside = actors[lo:hi]
        measure.executor_entities = [
            next((m.entity for m in inside if m.text in executor or executor in m.text), None)
            for executor in measure.executors
        ]

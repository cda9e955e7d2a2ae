"""link: deduplicate mentions into entities, within a document and across the corpus, and
link measures to their executors.

:func:`link_corpus` is the stage's interface: linked document results in, entity ids set
on every mention (``Mention.entity``) and measure (``Measure.executor_entities``), and the
:class:`Linking` — the entities, with the merges that made them — out. The deduplication
itself is :class:`~.dedup.Deduplicator`, which knows nothing of documents.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator, Sequence

from ..models import DocumentResult, Mention
from ..resources import load_data
from .dedup import ENTITY_LABELS, Clustering, Deduplicator, Entity, Merge, MentionRecord, entity_id
from .keys import flat, name_tokens, names_itself

__all__ = [
    "Linking", "Entity", "Merge", "MentionRecord", "NO_ENTITY", "Deduplicator", "link_corpus", "mention_records",
    "apply_entities", "document_scope", "entity_id",
]


@dataclass(slots=True)
class Linking:
    """The entities of a set of documents; ``by_id`` finds one."""

    entities: list[Entity]

    def by_id(self, entity: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity), None)


def document_scope(result: DocumentResult, by_issuer: bool = True) -> str:
    """Where the document's people belong: its issuer (a centre's staff are the same people
    across its yearly plans), or the document itself when the issuer is unknown."""
    issuer = result.segmentation.metadata.issuer
    if by_issuer and issuer:
        return "issuer:" + " ".join(name_tokens(issuer))
    return "doc:" + result.source.doc_id


# The record of a mention no entity comes of (a date): the deduplicator passes over it.
NO_ENTITY = MentionRecord(doc_id="", label="", text="", norm=None)


def mention_records(result: DocumentResult, config: dict | None = None) -> list[MentionRecord]:
    """What the deduplicator needs of one document's mentions, in mention order.

    A bulk run keeps the records of every document until it links them, so they are made
    small: a mention written again with the same norm gets the same record object (a plan
    names its bodies and staff over and over: half the records), and a date the shared
    :data:`NO_ENTITY`."""
    by_issuer = (config or load_data("linking"))["person"].get("scope_by_issuer", True)
    scope = document_scope(result, by_issuer)
    doc_id = result.source.doc_id
    made: dict[tuple[str, str], list[MentionRecord]] = {}
    records = []
    for m in result.mentions:
        if m.label not in ENTITY_LABELS:
            records.append(NO_ENTITY)
            continue
        same_text = made.setdefault((m.label, m.text), [])
        record = next((r for r in same_text if r.norm == m.norm), None)
        if record is None:
            record = MentionRecord(doc_id=doc_id, label=m.label, text=m.text, norm=m.norm,
                                   scope=scope if _is_local(m) else "")
            same_text.append(record)
        records.append(record)
    return records


def apply_entities(result: DocumentResult, ids: Iterator[str | None]) -> None:
    """Set the document's mention entities from ``ids`` (one per mention, in order, as the
    clustering assigned them) and its measures' executor entities."""
    for mention in result.mentions:
        mention.entity = next(ids)
    link_executors(result)


def link_corpus(results: Sequence[DocumentResult], deduplicator: Deduplicator | None = None) -> Linking:
    """Deduplicate the mentions of ``results`` into entities and set the ids in place.

    (A bulk run does the same in two passes over stored results, so that only the small
    mention records of all documents are in memory at once: :mod:`pipeline.ingest`.)"""
    deduplicator = deduplicator or Deduplicator()
    records = [r for result in results for r in mention_records(result, deduplicator.config)]
    clustering: Clustering = deduplicator.run(records)
    ids = iter(clustering.assignment)
    for result in results:
        apply_entities(result, ids)
    return Linking(clustering.entities)


def _is_local(mention: Mention) -> bool:
    """People, roles and bodies whose name does not single them out belong to the document's scope."""
    if mention.label in ("PERSON", "ROLE"):
        return True
    if mention.label == "ORG":
        return not names_itself((mention.norm or {}).get("name") or mention.text)
    return False


def link_executors(result: DocumentResult) -> None:
    """Each measure's ``executor_entities``: the person, body or role tagged inside the
    executor as written. The executor cell lies in the measure's row, which runs from the
    measure to the next one (measures and mentions are in document order: binary search)."""
    actors = sorted(
        (m for m in result.mentions if m.label in ("PERSON", "ORG", "ROLE") and m.entity),
        key=lambda m: m.start,
    )
    starts = [m.start for m in actors]
    measures = result.segmentation.measures
    text = result.source.text
    for k, measure in enumerate(measures):
        # A grid row can hold several measures before its executor cell: the row runs at
        # least to the end of the line the measure ends on.
        line_end = text.find("\n", measure.end)
        row_end = max(line_end if line_end >= 0 else len(text),
                      measures[k + 1].start if k + 1 < len(measures) else len(text))
        lo, hi = bisect.bisect_left(starts, measure.start), bisect.bisect_left(starts, row_end)
        inside = [(flat(m.text), m.entity) for m in actors[lo:hi]]
        measure.executor_entities = [
            next((entity for text, entity in inside if text in executor or executor in text), None)
            for executor in measure.executors
        ]

"""The analysis cache: one analysed document (before linking) per file, keyed by content.

A bulk run analyses each document once: the result of read → segment → tag → normalise is
stored under a key made of the file's content hash, its document id and the pipeline's
fingerprint (the code, data files and models that produced it), written atomically. A
re-run, or a run started again after being killed at any moment, finds what was done and
analyses only the rest; linking and export then run over all stored results, so the output
is the same as an uninterrupted run's. Files of an older pipeline are simply never found.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from . import jsonio
from .models import (
    Approval, DocumentResult, Measure, Mention, Metadata, Period, Section, Segmentation, SourceDocument,
)

_PACKAGE = Path(__file__).resolve().parent
_MODELS = _PACKAGE.parent / "models"


# What decides an analysis (read → segment → tag → normalise): a change to any of these makes
# every cached result stale. Linking and export run anew on every run, so their code is not
# part of the key.
ANALYSIS_PARTS = ("read", "segment", "tag", "normalise", "data", "models.py", "text.py", "morph.py",
                  "resources.py", "process.py", "store.py")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of the analysis stages' code and data files and of the shipped models."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in _PACKAGE.rglob("*")
        if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts
        and p.relative_to(_PACKAGE).parts[0] in ANALYSIS_PARTS
    )
    if _MODELS.is_dir():
        # Model weights are large: their size and name stand in for their content.
        files += sorted(p for p in _MODELS.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(_PACKAGE.parent)).encode())
        if path.suffix in (".py", ".toml", ".cfg", ".json", ".md"):
            digest.update(path.read_bytes())
        else:
            digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def cache_key(path: Path, doc_id: str, extra: str = "") -> str:
    """The key of a document's analysis: its bytes, its id, the pipeline and its options."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"\x1f{doc_id}\x1f{pipeline_fingerprint()}\x1f{extra}".encode())
    return digest.hexdigest()[:40]


def dump_result(result: DocumentResult) -> bytes:
    """An analysed document as JSON: text, segmentation and mentions with their norms (the
    read stage's tables and the taggers' internal hints are not needed after analysis)."""
    source = result.source
    meta = result.segmentation.metadata
    return jsonio.dumps({
        "source": {"doc_id": source.doc_id, "path": source.path, "format": source.format,
                   "text": source.text, "encoding": source.encoding},
        "text_sha256": result.text_sha256,
        "segmentation": {
            "metadata": {**_shallow(meta), "period": _shallow(meta.period), "approval": _shallow(meta.approval)},
            "sections": [_shallow(section) for section in result.segmentation.sections],
            "measures": [_shallow(measure) for measure in result.segmentation.measures],
        },
        "mentions": [[m.start, m.end, m.label, m.text, m.norm] for m in result.mentions],
    })


def _shallow(obj) -> dict | None:
    """A dataclass's fields as a dict, values as they are (``dataclasses.asdict`` deep-copies
    every value: a tenth of the cost of storing a result)."""
    return None if obj is None else {f.name: getattr(obj, f.name) for f in fields(obj)}


def load_result(data: bytes | str) -> DocumentResult:
    raw = json.loads(data)
    seg = raw["segmentation"]
    meta = seg["metadata"]
    metadata = Metadata(
        title=meta["title"], doc_type=meta["doc_type"], issuer=meta["issuer"], territory=meta["territory"],
        period=Period(**meta["period"]) if meta["period"] else None,
        approval=Approval(**meta["approval"]) if meta["approval"] else None,
    )
    return DocumentResult(
        source=SourceDocument(**raw["source"]),
        text_sha256=raw["text_sha256"],
        segmentation=Segmentation(
            metadata=metadata,
            sections=[Section(**s) for s in seg["sections"]],
            measures=[Measure(**m) for m in seg["measures"]],
        ),
        mentions=[Mention(start, end, label, text, norm) for start, end, label, text, norm in raw["mentions"]],
    )


class ResultCache:
    """``<folder>/<key>.json`` files, each an analysed document."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> DocumentResult | None:
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            return load_result(path.read_bytes())
        except (ValueError, KeyError, TypeError):
            return None  # a damaged entry is analysed again

    def put(self, key: str, result: DocumentResult) -> None:
        from .export import write_atomic

        write_atomic(self.path(key), dump_result(result))

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

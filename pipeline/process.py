"""The pipeline end to end: read → segment → tag → normalise → link, one document or many."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .link import Linking, link_corpus
from .models import DocumentResult, ReadError, SourceDocument
from .normalise import normalise
from .read import SUPPORTED_SUFFIXES, read_document
from .segment import segment
from .tag import TagContext, tag_documents
from .text import mask_markup

if TYPE_CHECKING:
    from .dataset import Dataset


@dataclass(slots=True)
class Failure:
    """A document the pipeline could not process, and why."""

    path: str
    stage: str
    error: str
    message: str


def analyse_documents(sources: list[SourceDocument], with_mentions: bool = True) -> list[DocumentResult]:
    prepared = []
    for source in sources:
        masked = mask_markup(source.text)
        seg = segment(source)
        ctx = TagContext(doc_id=source.doc_id, period=seg.metadata.period, measures=seg.measures)
        prepared.append((source, masked, ctx, seg))
    if with_mentions:
        mention_lists = tag_documents((s, m, c) for s, m, c, _ in prepared)
    else:
        mention_lists = ([] for _ in prepared)
    results = []
    for (source, _, _, seg), mentions in zip(prepared, mention_lists):
        normalise(mentions, seg.measures, seg.metadata.period)
        result = DocumentResult(
            source=source,
            text_sha256=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
            segmentation=seg,
            mentions=mentions,
        )
        results.append(result)
    return results


def process_document(path: str | Path) -> DocumentResult:
    """Run the whole pipeline on one file; raises :class:`ReadError` for unreadable input."""
    result = analyse_documents([read_document(path)])[0]
    link_corpus([result])
    return result


@dataclass(slots=True)
class CorpusRun:
    """A set of documents through the whole pipeline: the results, linked across documents,
    and the documents that failed."""

    results: list[DocumentResult]
    failures: list[Failure]
    linking: Linking


def process_corpus(paths: Iterable[Path], on_item: Callable[[DocumentResult | Failure], None] | None = None) -> CorpusRun:
    """Analyse every path, then link the mentions of all of them into entities."""
    results: list[DocumentResult] = []
    failures: list[Failure] = []
    for item in process_many(paths):
        (failures if isinstance(item, Failure) else results).append(item)
        if on_item is not None:
            on_item(item)
    return CorpusRun(results, failures, link_corpus(results))


def find_documents(root: str | Path) -> list[Path]:
    """Supported files under ``root`` (a file or a folder), in a stable order."""
    root = Path(root)
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        # A broken or looping symlink is kept, so the reader reports it instead of it
        # vanishing from the run unnoticed.
        if path.suffix.lower() in SUPPORTED_SUFFIXES and (path.is_file() or path.is_symlink()):
            found.append(path)
    return found


def process_many(paths: Iterable[Path], batch_size: int = 8) -> Iterator[DocumentResult | Failure]:
    """One result per path; a document that fails becomes a :class:`Failure` and the rest go on.

    Documents are analysed in batches (``nlp.pipe``), so a read failure may be reported
    before the results of the documents read just before it.
    """
    batch: list[SourceDocument] = []

    def flush() -> Iterator[DocumentResult | Failure]:
        if not batch:
            return
        try:
            yield from analyse_documents(batch)
        except Exception:
            # One bad document must not take its batch with it: redo them one by one.
            for source in batch:
                try:
                    yield from analyse_documents([source])
                except Exception as exc:  # noqa: BLE001 - reported, not hidden
                    yield Failure(source.path, "analyse", type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        batch.clear()

    for path in paths:
        try:
            batch.append(read_document(path))
        except ReadError as exc:
            yield Failure(str(path), "read", type(exc).__name__, exc.reason)
            continue
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


def corpus_dataset(root: str | Path) -> "Dataset":
    """The linked dataset of ``root``: read from a ``plans run`` output folder, or built by
    running the pipeline on the documents under ``root``."""
    from .dataset import build_dataset, is_dataset, load_dataset

    root = Path(root)
    if is_dataset(root):
        return load_dataset(root)
    paths = find_documents(root)
    if not paths:
        raise FileNotFoundError(f"{root}: neither a plans dataset nor a folder with documents")
    corpus = process_corpus(paths)
    return build_dataset(corpus.results, corpus.linking)

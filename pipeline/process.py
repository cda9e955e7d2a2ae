"""The pipeline end to end: read → segment → tag → normalise → link, one document or many."""
from __future__ import annotations

import hashlib
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .link import Linking, link_corpus
from .models import DocumentResult, ReadError, SourceDocument
from .normalise import normalise
from .read import SUPPORTED_SUFFIXES, limits, read_document
from .segment import segment
from .tag import TagContext, tag_documents
from .text import mask_markup

if TYPE_CHECKING:
    from .dataset import Dataset


class DocumentTooLong(ValueError):
    """A text past :data:`pipeline.read.limits.MAX_ANALYSED_CHARS`."""


@dataclass(slots=True)
class Failure:
    """A document the pipeline could not process, and why."""

    path: str
    stage: str
    error: str
    message: str


def analyse_documents(
    sources: list[SourceDocument], with_mentions: bool = True, backend: str = "spacy"
) -> list[DocumentResult]:
    """read → segment → tag → normalise for a batch of documents (tagged together with
    ``nlp.pipe``); linking across documents comes after, over all of them."""
    prepared = []
    for source in sources:
        if len(source.text) > limits.MAX_ANALYSED_CHARS:
            raise DocumentTooLong(
                f"{len(source.text):,} characters: longer than the {limits.MAX_ANALYSED_CHARS:,} the pipeline analyses"
            )
        masked = mask_markup(source.text)
        seg = segment(source, masked)
        ctx = TagContext(doc_id=source.doc_id, period=seg.metadata.period, measures=seg.measures)
        prepared.append((source, masked, ctx, seg))
    if with_mentions:
        mention_lists = tag_documents(((s, m, c) for s, m, c, _ in prepared), backend=backend)
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


def process_document(path: str | Path, backend: str = "spacy") -> DocumentResult:
    """Run the whole pipeline on one file; raises :class:`ReadError` for unreadable input."""
    result = analyse_documents([read_document(path)], backend=backend)[0]
    link_corpus([result])
    return result


@dataclass(slots=True)
class CorpusRun:
    """A set of documents through the whole pipeline: the results, linked across documents,
    and the documents that failed."""

    results: list[DocumentResult]
    failures: list[Failure]
    linking: Linking


def process_corpus(
    paths: Iterable[Path], on_item: Callable[[DocumentResult | Failure], None] | None = None, backend: str = "spacy"
) -> CorpusRun:
    """Analyse every path, then link the mentions of all of them into entities (in memory:
    for a folder of thousands of documents, :func:`pipeline.ingest.ingest`)."""
    results: list[DocumentResult] = []
    failures: list[Failure] = []
    for item in process_many(paths, backend=backend):
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


class DocumentTimeout(Exception):
    """A document ran past the per-document time limit."""


def _alarm(seconds: float | None) -> Callable[[], None]:
    """Raise :class:`DocumentTimeout` in this thread after ``seconds``; returns the function
    that cancels it. Only a process's main thread can take signals (a Dask worker thread
    cannot): there, and without a limit, nothing is armed."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return lambda: None

    def fire(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise DocumentTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    return cancel


def _failure(path: str, stage: str, exc: BaseException) -> Failure:
    if isinstance(exc, ReadError):
        return Failure(path, stage, type(exc).__name__, exc.reason)
    text = str(exc).strip()
    return Failure(path, stage, "Timeout" if isinstance(exc, DocumentTimeout) else type(exc).__name__,
                   text.splitlines()[0] if text else type(exc).__name__)


def process_many(
    paths: Iterable[Path], batch_size: int = 8, timeout: float | None = None, backend: str = "spacy"
) -> Iterator[DocumentResult | Failure]:
    """One result (not yet linked) per path; a document that fails — unreadable, a stage
    raises, it runs past ``timeout`` seconds — becomes a :class:`Failure` and the rest go on.

    Documents are analysed in batches (``nlp.pipe``); a batch that fails, or runs past the
    time of all its documents, is redone one by one, so only the culprit fails. A read
    failure may be reported before the results of the documents read just before it.
    """
    batch: list[SourceDocument] = []

    def analyse(sources: list[SourceDocument], seconds: float | None) -> list[DocumentResult]:
        cancel = _alarm(seconds)
        try:
            return analyse_documents(sources, backend=backend)
        finally:
            cancel()

    def flush() -> Iterator[DocumentResult | Failure]:
        if not batch:
            return
        try:
            yield from analyse(batch, timeout and timeout * len(batch))
        except Exception:  # noqa: BLE001 - redone one by one below
            for source in batch:
                try:
                    yield from analyse([source], timeout)
                except Exception as exc:  # noqa: BLE001 - reported, not hidden
                    yield _failure(source.path, "analyse", exc)
        batch.clear()

    for path in paths:
        cancel = _alarm(timeout)
        try:
            batch.append(read_document(path))
        except Exception as exc:  # noqa: BLE001 - a reader bug must not end the run either
            yield _failure(str(path), "read", exc)
            continue
        finally:
            cancel()
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

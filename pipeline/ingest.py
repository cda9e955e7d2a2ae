"""Bulk ingestion: many documents in parallel, incrementally, resumably, one failure at a time.

``ingest(paths, out, options)`` is what ``plans run`` does:

1. **analyse** — each document not yet in the analysis cache (``OUT/.cache``, keyed by its
   content, id and the pipeline's fingerprint: :mod:`pipeline.store`) is read, segmented,
   tagged and normalised in a worker (local processes, or a Dask cluster), in batches that
   go through ``nlp.pipe`` together; each result is stored atomically as it arrives, so a
   run killed at any moment loses only the batches in flight. A document that fails — it
   cannot be read, a stage raises, it runs past the per-document time limit — becomes a
   row of ``OUT/errors.csv`` and the run goes on.
2. **link** — over all stored results of this run, in two passes, so that only the small
   mention records of all documents are in memory at once: deduplication, then ids.
3. **export** — ``OUT/docs/<doc_id>.json`` and the dataset tables, each written atomically.

The output depends only on the set of documents and the pipeline, not on the order work
finished in, the number of workers, the engine, or on how many times the run was stopped.
"""
from __future__ import annotations

import csv
import gc
import io
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .export import TEMPORARY_GLOB, dump_bytes, write_atomic
from .link import MentionRecord, apply_entities, mention_records
from .process import Failure
from .resources import load_data
from .store import ResultCache, cache_key, dump_result

if TYPE_CHECKING:
    from .dataset import Columns

ERROR_COLUMNS = ["file", "stage", "error", "message"]


@dataclass(slots=True)
class RunOptions:
    workers: int = 1
    engine: str = "local"  # "local" (processes on this machine) or "dask"
    scheduler: str | None = None  # dask: tcp://HOST:PORT; None starts a LocalCluster
    timeout: float = 300.0  # seconds one document may take
    batch_size: int = 8  # documents per nlp.pipe batch (and per task)
    backend: str = "spacy"


@dataclass(slots=True)
class RunSummary:
    documents: int = 0
    analysed: int = 0
    cached: int = 0
    measures: int = 0
    mentions: int = 0
    entities: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)


@dataclass(slots=True)
class Job:
    path: str
    doc_id: str
    key: str
    size: int = 0  # bytes: the largest documents are analysed first


# --------------------------------------------------------------------------- worker tasks

# What a worker sends back for an analysed document: the result as stored in the cache, and
# the mention records linking needs (so the run does not read the result back to link it).
Analysed = tuple[bytes, list[MentionRecord]]


def analyse_jobs(jobs: Sequence[Job], timeout: float, backend: str) -> list[tuple[Job, Analysed | Failure]]:
    """Analyse a batch: each job's stored result and mention records, or its failure."""
    from .process import process_many

    config = load_data("linking")
    by_path = {job.path: job for job in jobs}
    out: list[tuple[Job, Analysed | Failure]] = []
    for item in process_many([Path(job.path) for job in jobs], len(jobs), timeout, backend):
        if isinstance(item, Failure):
            out.append((by_path[item.path], item))
        else:
            out.append((by_path[item.source.path], (dump_result(item), mention_records(item, config))))
    return out


def stored_records(jobs: Sequence[Job], cache_folder: str) -> list[tuple[Job, list[MentionRecord] | None]]:
    """The mention records of documents analysed by an earlier run (None: the entry is gone
    or damaged, and the document is analysed again)."""
    config = load_data("linking")
    cache = ResultCache(Path(cache_folder))
    out: list[tuple[Job, list[MentionRecord] | None]] = []
    for job in jobs:
        result = cache.get(job.key)
        out.append((job, None if result is None else mention_records(result, config)))
    return out


def export_jobs(first: int, jobs: Sequence[Job], ids: Sequence[Sequence[str | None]], cache_folder: str,
                docs_folder: str) -> tuple[int, Columns, int, int]:
    """Link and export a block of documents: set each mention's entity (``ids``: one list per
    job, as the clustering assigned them), write ``docs/<doc_id>.json`` and return the
    documents' table rows (from ``first``, the block's place in the run), measures, mentions."""
    from .dataset import as_columns, document_rows, merge_columns

    cache = ResultCache(Path(cache_folder))
    columns: Columns = {}
    measures = mentions = 0
    for job, entity_ids in zip(jobs, ids):
        result = cache.get(job.key)
        if result is None:
            raise RuntimeError(f"{job.path}: its analysis left the cache during the run")
        apply_entities(result, iter(entity_ids))
        write_atomic(Path(docs_folder) / f"{job.doc_id}.json", dump_bytes(result))
        merge_columns(columns, as_columns(document_rows(result)))
        measures += len(result.segmentation.measures)
        mentions += len(result.mentions)
    return first, columns, measures, mentions


def _prepare_worker(backend: str) -> None:
    """Build the tagging pipeline once per worker process, before the first batch (a no-op
    when the parent built it before forking)."""
    from .tag import get_nlp

    get_nlp(backend)


# --------------------------------------------------------------------------- engines

class LocalPool:
    """Tasks on ``workers`` local processes (in this process for one), results as they
    finish, at most two tasks per worker in flight, so memory stays bounded whatever the
    number of tasks. ``backend``: the tagging pipeline the tasks need (None: they tag nothing)."""

    def __init__(self, workers: int, backend: str | None) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            import multiprocessing

            # fork shares the imported modules and the loaded pipeline with the workers;
            # spawn where fork is unavailable.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            if method == "fork":
                if backend:
                    _prepare_worker(backend)  # built once here, inherited by every worker
                # The loaded modules and models live as long as the workers: out of the
                # collector's way, a collection does not walk them (nor touch, and so
                # copy, the memory the workers share with this process).
                gc.freeze()
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                            initializer=_prepare_worker if backend else None,
                                            initargs=(backend,) if backend else ())

    def map_unordered(self, fn: Callable, tasks: Iterable[tuple]) -> Iterator:
        if self.pool is None:
            for task in tasks:
                yield fn(*task)
            return
        pending: set[Future] = set()
        for task in tasks:
            pending.add(self.pool.submit(fn, *task))
            if len(pending) >= 2 * self.workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        for future in pending:
            yield future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            gc.unfreeze()  # this process may go on to other work: its objects are collectable again


def run_dask(fn: Callable, tasks: Iterable[tuple], options: RunOptions) -> Iterator:
    """The same tasks on a Dask distributed cluster (``options.scheduler``), or on a
    LocalCluster of ``options.workers`` processes when no scheduler is given; at most two
    tasks per worker thread in flight."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'plans[dask]'") from exc
    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, options.workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        limit = 2 * max(1, sum(client.nthreads().values()))
        running = as_completed()
        for task in tasks:
            running.add(client.submit(fn, *task, pure=False))
            if running.count() >= limit:
                future = next(running)
                yield future.result()
                future.release()
        for future in running:
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- the run

def plan_jobs(paths: Iterable[Path], cache: ResultCache) -> tuple[list[Job], list[Job], list[Failure]]:
    """(jobs to analyse, jobs already in the cache, failures found before analysis)."""
    todo, cached, failures = [], [], []
    seen: dict[str, str] = {}
    for path in paths:
        doc_id = path.stem
        if doc_id in seen:
            failures.append(Failure(str(path), "read", "DuplicateDocumentId",
                                    f"another document has the id {doc_id!r}: {seen[doc_id]}"))
            continue
        try:
            key = cache_key(path, doc_id)
        except OSError as exc:
            failures.append(Failure(str(path), "read", type(exc).__name__, exc.strerror or str(exc)))
            continue
        seen[doc_id] = str(path)
        job = Job(str(path), doc_id, key, _size(path))
        (cached if cache.has(key) else todo).append(job)
    return todo, cached, failures


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # a broken link: the reader reports it


def errors_csv(failures: Sequence[Failure]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    for f in sorted(failures, key=lambda f: (f.path, f.stage)):
        writer.writerow([f.path, f.stage, f.error, f.message])
    return buffer.getvalue()


def _blocks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# A batch holds at most this many bytes of documents (a large document goes alone), so a
# worker's memory stays bounded whatever the sizes in the folder.
BATCH_BYTES = 512 << 10


def _batches(jobs: list[Job], size: int) -> Iterator[list[Job]]:
    """``jobs`` in order, cut into batches of at most ``size`` documents and BATCH_BYTES."""
    batch: list[Job] = []
    total = 0
    for job in jobs:
        if batch and (len(batch) >= size or total + job.size > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(job)
        total += job.size
    if batch:
        yield batch


def ingest(
    paths: Sequence[Path], out: Path, options: RunOptions | None = None,
    on_progress: Callable[[int, int, Failure | None], None] | None = None,
) -> RunSummary:
    """Process ``paths`` into ``out``: per-document JSON, the dataset tables, ``errors.csv``.

    ``on_progress(done, total, failure)`` is called after each analysed (or failed) document."""
    from .dataset import DatasetWriter
    from .link import Deduplicator, Linking

    options = options or RunOptions()
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    cache = ResultCache(out / ".cache")
    for folder in (out, out / "docs", cache.folder):  # half-written files of a killed run
        for path in folder.glob(TEMPORARY_GLOB):
            path.unlink(missing_ok=True)
    todo, cached, failures = plan_jobs(sorted(paths), cache)
    summary = RunSummary(documents=len(todo) + len(cached) + len(failures), cached=len(cached))
    done = len(cached) + len(failures)
    if on_progress:
        on_progress(done, summary.documents, None)
    records: dict[str, list[MentionRecord]] = {}  # by cache key
    local = LocalPool(options.workers if options.engine == "local" else 1, options.backend if todo else None)
    try:
        # 1. analyse what is not in the cache; read the mention records of what is
        for block in local.map_unordered(stored_records, ((jobs, str(cache.folder)) for jobs in _blocks(cached, 32))):
            for job, mine in block:
                if mine is None:  # damaged or removed since the jobs were planned
                    todo.append(job)
                    summary.cached -= 1
                    done -= 1
                else:
                    records[job.key] = mine
        # The largest documents first: the run then ends on small batches, and no worker
        # waits long for the last one to finish (the output does not depend on the order).
        todo.sort(key=lambda job: (-job.size, job.path))
        tasks = ((batch, options.timeout, options.backend) for batch in _batches(todo, options.batch_size))
        analysed = (local.map_unordered(analyse_jobs, tasks) if options.engine == "local"
                    else run_dask(analyse_jobs, tasks, options))
        for batch_result in analysed:
            for job, outcome in batch_result:
                done += 1
                if isinstance(outcome, Failure):
                    failures.append(outcome)
                else:
                    stored, records[job.key] = outcome
                    write_atomic(cache.path(job.key), stored)
                    summary.analysed += 1
                if on_progress:
                    on_progress(done, summary.documents, outcome if isinstance(outcome, Failure) else None)

        # 2. link: deduplicate the mentions of all documents, in the order of their paths
        jobs = sorted((j for j in todo + cached if j.key in records), key=lambda j: j.path)
        deduplicator = Deduplicator()
        clustering = deduplicator.run(r for job in jobs for r in records[job.key])
        ids, start = [], 0
        for job in jobs:
            count = len(records.pop(job.key))
            ids.append(clustering.assignment[start:start + count])
            start += count
        del clustering.assignment

        # 3. export: each document's JSON and its table rows, made in blocks on the workers;
        # the tables grow block by block, in document order, as the blocks come back
        linking = Linking(clustering.entities)
        tables: DatasetWriter | None = None  # opened once the workers are busy (it imports pandas)
        try:
            block = 16
            tasks = ((i, jobs[i:i + block], ids[i:i + block], str(cache.folder), str(out / "docs"))
                     for i in range(0, len(jobs), block))
            waiting: dict[int, Columns] = {}  # blocks that came back before an earlier one
            written = 0  # the place in the run of the next block to write
            for first, columns, measures, mentions in local.map_unordered(export_jobs, tasks):
                tables = tables or DatasetWriter(out, linking)
                waiting[first] = columns
                summary.measures += measures
                summary.mentions += mentions
                while written in waiting:
                    tables.add_columns(waiting.pop(written))
                    written += block
            tables = tables or DatasetWriter(out, linking)
            tables.finish()
        except BaseException:
            if tables is not None:
                tables.abort()
            raise
    finally:
        local.close()
    write_atomic(out / "errors.csv", errors_csv(failures))
    _prune(out / "docs", {f"{job.doc_id}.json" for job in jobs})
    _prune(cache.folder, {f"{job.key}.json" for job in jobs})
    summary.entities = len(linking.entities)
    summary.failures = sorted(failures, key=lambda f: f.path)
    summary.seconds = time.perf_counter() - started
    return summary


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the JSON files of documents that are no longer in the run."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.json"):
        if path.name not in keep:
            path.unlink(missing_ok=True)

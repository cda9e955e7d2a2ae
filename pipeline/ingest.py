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
import io
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .models import DocumentResult
from .process import Failure
from .store import ResultCache, cache_key, dump_result

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


# --------------------------------------------------------------------------- workers

def analyse_jobs(jobs: Sequence[Job], timeout: float, backend: str) -> list[tuple[Job, str | Failure]]:
    """The worker's task: each job's analysed document (as stored JSON) or its failure."""
    from .process import process_many

    by_path = {job.path: job for job in jobs}
    out = []
    for item in process_many([Path(job.path) for job in jobs], len(jobs), timeout, backend):
        if isinstance(item, Failure):
            out.append((by_path[item.path], item))
        else:
            out.append((by_path[item.source.path], dump_result(item)))
    return out


def _warm_worker(backend: str) -> None:
    """Build the tagging pipeline once per worker process, before the first batch."""
    from .tag import get_nlp

    get_nlp(backend)


# --------------------------------------------------------------------------- engines

def _batches(jobs: list[Job], size: int) -> list[list[Job]]:
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def run_local(batches: list[list[Job]], options: RunOptions) -> Iterator[list[tuple[Job, str | Failure]]]:
    """Batches on ``options.workers`` processes (in this process for one worker), at most
    two batches per worker in flight, so memory stays bounded whatever the corpus size."""
    if options.workers <= 1:
        for batch in batches:
            yield analyse_jobs(batch, options.timeout, options.backend)
        return
    import multiprocessing

    # fork shares the imported modules with the workers; spawn where fork is unavailable.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(options.workers, mp_context=context, initializer=_warm_worker,
                             initargs=(options.backend,)) as pool:
        pending: set[Future] = set()
        queue = iter(batches)
        for batch in queue:
            pending.add(pool.submit(analyse_jobs, batch, options.timeout, options.backend))
            if len(pending) >= 2 * options.workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        for future in pending:
            yield future.result()


def run_dask(batches: list[list[Job]], options: RunOptions) -> Iterator[list[tuple[Job, str | Failure]]]:
    """The same batches on a Dask distributed cluster (``options.scheduler``), or on a
    LocalCluster of ``options.workers`` processes when no scheduler is given."""
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
        futures = client.map(analyse_jobs, batches, timeout=options.timeout, backend=options.backend, pure=False)
        for future in as_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


ENGINES = {"local": run_local, "dask": run_dask}


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
        job = Job(str(path), doc_id, key)
        (cached if cache.has(key) else todo).append(job)
    return todo, cached, failures


def errors_csv(failures: Sequence[Failure]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    for f in sorted(failures, key=lambda f: (f.path, f.stage)):
        writer.writerow([f.path, f.stage, f.error, f.message])
    return buffer.getvalue()


def ingest(
    paths: Sequence[Path], out: Path, options: RunOptions | None = None,
    on_progress: Callable[[int, int, Failure | None], None] | None = None,
) -> RunSummary:
    """Process ``paths`` into ``out``: per-document JSON, the dataset tables, ``errors.csv``.

    ``on_progress(done, total, failure)`` is called after each analysed (or failed) document."""
    from .dataset import DatasetBuilder, write_dataset
    from .export import dumps, write_atomic
    from .link import Deduplicator, Linking, apply_entities, mention_records

    options = options or RunOptions()
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    cache = ResultCache(out / ".cache")
    todo, cached, failures = plan_jobs(sorted(paths), cache)
    summary = RunSummary(documents=len(todo) + len(cached) + len(failures), cached=len(cached))
    done = len(cached) + len(failures)
    if on_progress:
        on_progress(done, summary.documents, None)
    ok_keys = {job.key for job in cached}
    engine = ENGINES[options.engine]
    for batch_result in engine(_batches(todo, options.batch_size), options):
        for job, outcome in batch_result:
            done += 1
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                write_atomic(cache.path(job.key), outcome)
                ok_keys.add(job.key)
                summary.analysed += 1
            if on_progress:
                on_progress(done, summary.documents, outcome if isinstance(outcome, Failure) else None)

    # Link: pass 1 collects the mention records of every document, pass 2 gives out the ids.
    jobs = sorted((j for j in todo + cached if j.key in ok_keys), key=lambda j: j.path)
    deduplicator = Deduplicator()
    records, counts = [], []
    for job in jobs:
        mine = mention_records(cache.get(job.key), deduplicator.config)
        records += mine
        counts.append(len(mine))
    clustering = deduplicator.run(records)
    del records
    linking = Linking(clustering.entities)
    builder = DatasetBuilder(linking)
    ids = iter(clustering.assignment)
    written = set()
    for job in jobs:
        result: DocumentResult = cache.get(job.key)
        apply_entities(result, ids)
        target = out / "docs" / f"{job.doc_id}.json"
        write_atomic(target, dumps(result) + "\n")
        written.add(target.name)
        builder.add(result)
        summary.measures += len(result.segmentation.measures)
        summary.mentions += len(result.mentions)
    write_dataset(builder.finish(), out)
    write_atomic(out / "errors.csv", errors_csv(failures))
    _prune(out / "docs", written)
    _prune(cache.folder, {f"{key}.json" for key in ok_keys})
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

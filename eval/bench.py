"""Speed and memory of the pipeline.

    python eval/bench.py                          # bulk: 100 and 400 synthetic plans, 2 workers
    python eval/bench.py --plans 50 --workers 2   # N = 50 (and 4N = 200)
    python eval/bench.py --folder DIR             # bulk run on any folder of documents instead
    python eval/bench.py --one-core [--folder DIR] [--repeat 5]   # one process, no workers

**Bulk** (the default): the whole `plans run` command. The synthetic corpus recombines the
seed plans: each new plan is one seed's preamble followed by a random selection of that
seed's top-level sections in a random order (the layout stays the seed's, the content and
length vary), with the years and the numbers in it shifted so that no two plans are the
same text. Each size runs as a fresh `plans run` process with an empty output folder, so
every document is analysed. Reported: documents/s, characters/s per core (characters ÷
wall time ÷ workers), the wall-time ratio 4N : N, start-up (imports and the tagging
pipeline, in a fresh process), and the peak memory of the whole process tree (the run and
its workers: the sum of their proportional set sizes, sampled every half second: reading
a process tree's PSS makes the kernel walk its page tables, which costs CPU the run needs).

**One core**: analysis (read → segment → tag → normalise) in this process over a folder
(the shipped corpus by default). Start-up (imports, pymorphy3 dictionaries, building the
spaCy pipeline) is timed apart from the steady state, which is the best of ``--repeat``
passes over the folder. Growth: each document repeated k times (k = 1, 2, 4, 8) into one
larger text, to show time per character stays flat.
"""
from __future__ import annotations

import argparse
import os
import resource
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 0.5
sys.path.insert(0, str(REPO))


def synthetic_corpus(folder: Path, n: int, seed: int = 11) -> tuple[int, int]:
    """Write ``n`` recombined plans into ``folder``; returns (characters, words)."""
    from pipeline.read import read_document
    from pipeline.segment import segment

    rng = random.Random(seed)
    seeds = []
    for path in sorted((REPO / "corpora").glob("*.txt")):
        source = read_document(path)
        starts = sorted({s.start for s in segment(source).sections if s.level == 1})
        if len(starts) < 2:
            continue
        bounds = starts + [len(source.text)]
        seeds.append((path.stem, source.text[:starts[0]], [source.text[a:b] for a, b in zip(bounds, bounds[1:])]))
    folder.mkdir(parents=True, exist_ok=True)
    chars = words = 0
    for i in range(n):
        stem, preamble, sections = seeds[i % len(seeds)]
        chosen = rng.sample(sections, k=rng.randint(max(1, len(sections) // 2), len(sections)))
        shift = rng.randint(-3, 3)
        text = preamble + "".join(chosen)
        # Shift years so no two plans are one text (and caches see new strings).
        text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + shift), text)
        (folder / f"{stem}-{i:05d}.txt").write_text(text, encoding="utf-8", newline="")
        chars += len(text)
        words += len(text.split())
    return chars, words


def folder_size(folder: Path) -> tuple[int, int, int]:
    from pipeline.process import find_documents
    from pipeline.read import read_document

    docs = chars = words = 0
    for path in find_documents(folder):
        try:
            text = read_document(path).text
        except Exception:  # noqa: BLE001 - unreadable files count as documents, not text
            text = ""
        docs += 1
        chars += len(text)
        words += len(text.split())
    return docs, chars, words


def tree_memory_mb(pid: int) -> float:
    """Memory of ``pid`` and all its descendants, from /proc: the sum of their proportional
    set sizes (PSS), so pages the forked workers share with the parent count once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack += children.get(p, [])
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024  # kB → MB


def timed_run(folder: Path, workers: int, extra: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB of the process tree) of one `plans run`."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "pipeline.cli", "run", str(folder), "-o", out, "--workers", str(workers),
                   "--no-progress", *extra]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = 0.0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_memory_mb(process.pid))
                stop.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"plans run failed:\n{stderr}")
        print(f"    {stdout.strip()}")
        return elapsed, peak


def startup_seconds(backend: str) -> float:
    code = f"import time; t=time.perf_counter(); from pipeline.tag import get_nlp; get_nlp({backend!r}); print(time.perf_counter()-t)"
    best = min(float(subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, capture_output=True,
                                    text=True).stdout) for _ in range(3))
    return best


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def bulk(args: argparse.Namespace) -> None:
    extra = ["--backend", args.backend]

    print(f"start-up (imports + tagging pipeline, best of 3 fresh processes): {startup_seconds(args.backend):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        if args.folder:
            corpora = [("folder", args.folder)]
        else:
            corpora = []
            for n in (args.plans, 4 * args.plans):
                folder = Path(tmp) / f"n{n}"
                synthetic_corpus(folder, n)
                corpora.append((f"N={n}", folder))
        rows = []
        for name, folder in corpora:
            docs, chars, words = folder_size(folder)
            print(f"{name}: {docs} documents, {chars:,} characters")
            wall, peak = timed_run(folder, args.workers, extra)
            rows.append((name, docs, chars, words, wall, peak))
    print(f"\n{'corpus':>8} {'docs':>6} {'chars':>12} {'wall s':>8} {'docs/s':>7} {'chars/s/core':>13} {'words/s':>9} {'peak MB (PSS)':>14}")
    for name, docs, chars, words, wall, peak in rows:
        print(f"{name:>8} {docs:>6} {chars:>12,} {wall:>8.1f} {docs / wall:>7.1f} {chars / wall / args.workers:>13,.0f} "
              f"{words / wall:>9,.0f} {peak:>14.0f}")
    if len(rows) == 2:
        print(f"\n4N / N wall time: {rows[1][4] / rows[0][4]:.2f} (characters: {rows[1][2] / rows[0][2]:.2f}×)")


def one_core(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    from pipeline.models import SourceDocument
    from pipeline.process import analyse_documents, find_documents
    from pipeline.read import read_document
    from pipeline.tag import get_nlp

    get_nlp(args.backend)
    startup = time.perf_counter() - started

    sources = [read_document(p) for p in find_documents(args.folder or REPO / "corpora")]
    chars = sum(len(s.text) for s in sources)
    words = sum(len(s.text.split()) for s in sources)
    analyse_documents(sources[:1], backend=args.backend)  # warm the caches once, as a long run would be
    passes = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        analyse_documents(sources, backend=args.backend)
        passes.append(time.perf_counter() - t0)
    best = min(passes)

    print(f"documents: {len(sources)}   characters: {chars:,}   words: {words:,}")
    print(f"start-up: {startup:.2f} s (imports, dictionaries, spaCy pipeline)")
    print(f"steady state (best of {args.repeat}): {best:.3f} s = {len(sources) / best:.1f} docs/s, "
          f"{chars / best:,.0f} chars/s, {words / best:,.0f} words/s (one core)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")

    print("\ngrowth: every document repeated k times")
    print(f"{'k':>3} {'chars':>12} {'seconds':>9} {'chars/s':>12} {'µs/char':>8}")
    for k in (int(x) for x in args.growth.split(",")):
        big = [SourceDocument(s.doc_id, s.path, s.format, "\n".join([s.text] * k), s.encoding) for s in sources]
        n = sum(len(s.text) for s in big)
        t0 = time.perf_counter()
        analyse_documents(big, backend=args.backend)
        dt = time.perf_counter() - t0
        print(f"{k:3d} {n:12,d} {dt:9.3f} {n / dt:12,.0f} {1e6 * dt / n:8.2f}")
    print(f"peak RSS after growth runs: {peak_rss_mb():.0f} MB")
    sys.stdout.flush()



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=100, help="bulk: N, synthetic plans in the smaller corpus")
    ap.add_argument("--workers", type=int, default=2, help="bulk: worker processes")
    ap.add_argument("--folder", type=Path, help="measure on this folder of documents")
    ap.add_argument("--backend", default="spacy")
    ap.add_argument("--one-core", action="store_true", help="analysis in this process instead of a bulk run")
    ap.add_argument("--repeat", type=int, default=3, help="one core: passes over the folder")
    ap.add_argument("--growth", default="1,2,4,8", help="one core: size multipliers for the growth table")
    args = ap.parse_args()
    (one_core if args.one_core else bulk)(args)


if __name__ == "__main__":
    main()

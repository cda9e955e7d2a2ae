"""Speed and memory of the pipeline: start-up, documents/s, chars/s and words/s per core,
peak memory, and how time grows with input size.

    python eval/bench.py                 # the shipped corpus
    python eval/bench.py DIR --repeat 5  # any folder of documents

Single process, so the chars/s figure is per core. Start-up (imports, pymorphy3
dictionaries, building the spaCy pipeline) is timed apart from the steady state, which is
the best of ``--repeat`` passes over the folder. Growth: each document repeated k times
(k = 1, 2, 4, 8) into one larger text, to show time per character stays flat.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", nargs="?", default="corpora", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--growth", default="1,2,4,8", help="size multipliers for the growth table")
    args = ap.parse_args()

    started = time.perf_counter()
    from pipeline.models import SourceDocument
    from pipeline.process import analyse_documents, find_documents
    from pipeline.read import read_document
    from pipeline.tag import get_nlp

    get_nlp()
    startup = time.perf_counter() - started

    sources = [read_document(p) for p in find_documents(args.directory)]
    chars = sum(len(s.text) for s in sources)
    words = sum(len(s.text.split()) for s in sources)
    analyse_documents(sources[:1])  # warm the caches once, as a long run would be
    passes = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        analyse_documents(sources)
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
        analyse_documents(big)
        dt = time.perf_counter() - t0
        print(f"{k:3d} {n:12,d} {dt:9.3f} {n / dt:12,.0f} {1e6 * dt / n:8.2f}")
    print(f"peak RSS after growth runs: {peak_rss_mb():.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Speed of each tagging backend: model load time and words/s, alone and in the tagger.

    OMP_NUM_THREADS=1 python eval/bench_backends.py [--backends rules,spacy,stanza] [--repeat 3]

For each backend: the time to load its statistical model (none for ``rules``), the time
to build the whole tagging pipeline, and words/s (white-space separated words, one core)
of (a) the model alone and (b) ``tag_documents`` (rules + model) on the held-out ner-uk
texts and on ``corpora/``, best of ``--repeat`` passes after a warm-up pass.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from pipeline.models import SourceDocument  # noqa: E402
from pipeline.tag import BACKENDS, TagContext, build_nlp, tag_documents  # noqa: E402
from pipeline.text import mask_markup  # noqa: E402


@dataclass(slots=True)
class Row:
    backend: str
    what: str
    texts: str
    words: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def best_time(run: Callable[[], object], repeat: int) -> float:
    run()  # warm-up: caches, lazy imports
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def text_sets() -> dict[str, list[tuple[str, str]]]:
    import ner_data
    from pipeline.read import read_document

    held = [(t.id, t.text) for t in ner_data.heldout_texts()]
    plans = [(p.stem, read_document(p).text) for p in sorted((ROOT / "corpora").glob("*.txt"))]
    return {"ner-uk held-out": held, "corpora": plans}


def bench(backend: str, sets: dict[str, list[tuple[str, str]]], repeat: int) -> tuple[float, float, list[Row]]:
    import spacy

    from pipeline.tag.statistical import load_model

    load = 0.0
    if backend != "rules":
        load = load_model(backend).load_seconds
    t0 = time.perf_counter()
    nlp = build_nlp(backend=backend)
    build = time.perf_counter() - t0
    rows = []
    blank = spacy.blank("uk")
    for name, texts in sets.items():
        words = sum(len(t.split()) for _, t in texts)
        items = [(SourceDocument(i, i, "txt", t), mask_markup(t), TagContext(i)) for i, t in texts]
        if backend != "rules":
            model = load_model(backend)
            docs = [blank.make_doc(mask_markup(t)) for _, t in texts]
            seconds = best_time(lambda: [model.predict(docs[k : k + 8]) for k in range(0, len(docs), 8)], repeat)
            rows.append(Row(backend, "model", name, words, seconds))
        seconds = best_time(lambda: list(tag_documents(items, nlp=nlp)), repeat)
        rows.append(Row(backend, "tagger", name, words, seconds))
    return load, build, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sets = text_sets()
    print(f"{'backend':8} {'load s':>7} {'build s':>8}")
    all_rows = []
    for backend in args.backends.split(","):
        load, build, rows = bench(backend, sets, args.repeat)
        print(f"{backend:8} {load:7.2f} {build:8.2f}")
        all_rows += rows
    print(f"\n{'backend':8} {'what':7} {'texts':16} {'words':>8} {'seconds':>8} {'words/s':>9}")
    for r in all_rows:
        print(f"{r.backend:8} {r.what:7} {r.texts:16} {r.words:8d} {r.seconds:8.2f} {r.words_per_second:9,.0f}")


if __name__ == "__main__":
    main()

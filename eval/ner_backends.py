"""``plans eval`` for each tagging backend: rules only, rules + spaCy model, rules + Stanza.

    python eval/ner_backends.py [--backends rules,spacy,stanza] [--gold eval/gold] [--json]

Runs the whole pipeline (``process_corpus``: segmentation, tagging, normalisation,
linking) on the gold corpus with each backend and scores it with ``eval/scorer.py``, as
``plans eval`` does for the default backend. The gold annotations are only scored against,
never read otherwise (``plans eval --backend B`` gives one backend's figures).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import scorer  # noqa: E402
from pipeline import export, process  # noqa: E402
from pipeline.tag import BACKENDS  # noqa: E402


def run_backend(backend: str, gold: Path, out: Path) -> scorer.Report:
    corpus = process.process_corpus(process.find_documents(gold / "corpus"), backend=backend)
    if corpus.failures:
        raise RuntimeError(f"{corpus.failures[0].path}: {corpus.failures[0].message}")
    pred = out / backend
    for result in corpus.results:
        export.write_atomic(pred / f"{result.source.doc_id}.json", export.dump_bytes(result))
    return scorer.score(gold, scorer.load_predictions(pred))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            reports[backend] = run_backend(backend, args.gold, Path(tmp))
    if args.json:
        print(json.dumps({b: asdict(r) for b, r in reports.items()}, ensure_ascii=False, indent=1))
        return
    for backend, report in reports.items():
        print(f"== backend {backend}")
        print("\n".join(scorer.format_report(report).splitlines()[:8]))


if __name__ == "__main__":
    main()

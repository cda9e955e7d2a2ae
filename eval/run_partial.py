"""Run part of the pipeline over a folder and write contract JSON, for scoring one stage.

    python eval/run_partial.py --segment-only -o /tmp/seg          # measures + metadata
    python eval/run_partial.py --taggers date_tagger -o /tmp/dates # one tagger's mentions
    python ../shared/tools/score.py --gold eval/gold --pred /tmp/seg
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from pipeline import export
from pipeline.link import link_document
from pipeline.models import DocumentResult
from pipeline.normalise import normalise
from pipeline.process import find_documents
from pipeline.read import read_document
from pipeline.segment import segment
from pipeline.tag import TagContext, build_nlp, tag_documents
from pipeline.text import mask_markup


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", nargs="?", default="eval/gold/corpus", type=Path)
    ap.add_argument("-o", "--out", required=True, type=Path)
    ap.add_argument("--segment-only", action="store_true", help="no tagging: mentions stay empty")
    ap.add_argument("--taggers", default="", help="comma-separated tagger components to run")
    args = ap.parse_args()
    nlp = None if args.segment_only else build_nlp([t for t in args.taggers.split(",") if t])
    for path in find_documents(args.directory):
        source = read_document(path)
        seg = segment(source)
        mentions = []
        if nlp is not None:
            ctx = TagContext(source.doc_id, seg.metadata.period, seg.measures)
            mentions = next(tag_documents([(source, mask_markup(source.text), ctx)], nlp=nlp))
        normalise(mentions, seg.measures, seg.metadata.period)
        result = DocumentResult(source, hashlib.sha256(source.text.encode()).hexdigest(), seg, mentions)
        link_document(result)
        export.write_atomic(args.out / f"{source.doc_id}.json", export.dump_bytes(result))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

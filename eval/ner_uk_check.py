"""How the rule taggers fare on text they were not written for: the lang-uk NER corpus.

    python eval/ner_uk_check.py [--corpus ../shared/ner-uk/train] [--subset ng]

ner-uk annotates news and public-procurement texts with its own conventions (PERS, ORG,
DOC for documents, DATE/PERIOD), so the figures are an out-of-domain sanity check, not a
score against our guidelines: overlap precision (how many of our spans overlap a span of
the matching label) and overlap recall (how many of theirs we overlap).
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from pipeline.models import SourceDocument
from pipeline.tag import TagContext, tag_documents
from pipeline.text import mask_markup

# Our label → the ner-uk labels that count as the same thing.
COUNTERPARTS = {"PERSON": {"PERS"}, "ORG": {"ORG"}, "LEGAL_ACT": {"DOC"}, "DATE": {"DATE", "PERIOD", "TIME"}}


def read_brat(path: Path) -> list[tuple[str, int, int]]:
    """``T<n>\tLABEL\tstart\tend\ttext`` lines (this copy's layout) or standard Brat
    ``T<n>\tLABEL start end[;start end]\ttext``; a discontinuous span keeps its outer bounds."""
    spans = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        fields = line.split("\t")
        if " " in fields[1]:
            label, rest = fields[1].split(" ", 1)
            numbers = [int(x) for x in rest.replace(";", " ").split()]
        else:
            label, numbers = fields[1], [int(fields[2]), int(fields[3])]
        spans.append((label, min(numbers), max(numbers)))
    return spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "ner-uk" / "train")
    ap.add_argument("--subset", default="ng", help="ng, bruk or all")
    args = ap.parse_args()
    folders = [args.corpus / s for s in (("ng", "bruk") if args.subset == "all" else (args.subset,))]
    texts = sorted(p for folder in folders for p in folder.glob("*.txt"))

    items, golds = [], []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        source = SourceDocument(path.stem, str(path), "txt", text)
        items.append((source, mask_markup(text), TagContext(path.stem)))
        golds.append(read_brat(path.with_suffix(".ann")))

    ours_total, ours_hit = defaultdict(int), defaultdict(int)
    theirs_total, theirs_hit = defaultdict(int), defaultdict(int)
    for mentions, gold in zip(tag_documents(items), golds):
        for label, wanted in COUNTERPARTS.items():
            mine = [(m.start, m.end) for m in mentions if m.label == label]
            theirs = [(s, e) for lab, s, e in gold if lab in wanted]
            ours_total[label] += len(mine)
            ours_hit[label] += sum(any(s < e2 and s2 < e for s2, e2 in theirs) for s, e in mine)
            theirs_total[label] += len(theirs)
            theirs_hit[label] += sum(any(s < e2 and s2 < e for s2, e2 in mine) for s, e in theirs)

    print(f"{len(texts)} texts from {', '.join(str(f) for f in folders)}")
    print(f"{'label':10} {'ours':>6} {'ovl-P':>6} {'theirs':>7} {'ovl-R':>6}")
    for label in COUNTERPARTS:
        p = ours_hit[label] / ours_total[label] if ours_total[label] else 0.0
        r = theirs_hit[label] / theirs_total[label] if theirs_total[label] else 0.0
        print(f"{label:10} {ours_total[label]:6d} {p:6.3f} {theirs_total[label]:7d} {r:6.3f}")


if __name__ == "__main__":
    main()

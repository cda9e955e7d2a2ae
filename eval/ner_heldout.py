"""PERSON/ORG precision, recall and F1 on the held-out slice of ner-uk (exact span match).

    python eval/ner_heldout.py [--backend spacy|stanza|rules] [--json]

The held-out texts are listed in ``training/heldout.txt``; neither model saw them, nor
their words when the Stanza vectors were trained. Two settings per backend:

- ``model``: the statistical model alone, its raw output (no filters);
- ``tagger``: the full tagger (rules + the model where the rules say nothing, filtered),
  i.e. what ``tag_documents(..., backend=...)`` returns.

Gold spans are ner-uk's PERS/ORG annotations, outermost where nested, as for training.
ner-uk is news and procurement text annotated by its own guidelines, so the ``tagger``
figures (tuned for plans) are expected to be below the ``model`` ones.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

LABELS = ("PERSON", "ORG")


@dataclass(slots=True)
class Score:
    backend: str
    setting: str
    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return asdict(self) | {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


Spans = set[tuple[int, int, str]]


def score(backend: str, setting: str, gold: list[Spans], pred: list[Spans]) -> list[Score]:
    out = []
    for label in LABELS:
        tp = fp = fn = 0
        for g, p in zip(gold, pred):
            g_l = {s for s in g if s[2] == label}
            p_l = {s for s in p if s[2] == label}
            tp += len(g_l & p_l)
            fp += len(p_l - g_l)
            fn += len(g_l - p_l)
        out.append(Score(backend, setting, label, tp, fp, fn))
    return out


def model_spans(backend: str, texts: list[str]) -> list[Spans]:
    import spacy

    from pipeline.tag.statistical import load_model

    nlp = spacy.blank("uk")
    model = load_model(backend)
    docs = [nlp.make_doc(t) for t in texts]
    out: list[Spans] = []
    for i in range(0, len(docs), 16):
        out += [set(spans) for spans in model.predict(docs[i : i + 16])]
    return out


def tagger_spans(backend: str, ids: list[str], texts: list[str]) -> list[Spans]:
    from pipeline.models import SourceDocument
    from pipeline.tag import TagContext, tag_documents
    from pipeline.text import mask_markup

    items = [(SourceDocument(i, i, "txt", t), mask_markup(t), TagContext(i)) for i, t in zip(ids, texts)]
    return [
        {(m.start, m.end, m.label) for m in mentions if m.label in LABELS}
        for mentions in tag_documents(items, backend=backend)
    ]


def evaluate(backend: str) -> list[Score]:
    import ner_data

    held = ner_data.heldout_texts()
    gold = [{(s.start, s.end, s.label) for s in t.spans} for t in held]
    texts = [t.text for t in held]
    scores: list[Score] = []
    if backend != "rules":
        scores += score(backend, "model", gold, model_spans(backend, texts))
    scores += score(backend, "tagger", gold, tagger_spans(backend, [t.id for t in held], texts))
    return scores


def heldout_count() -> int:
    import ner_data

    return len(ner_data.heldout_texts())


def print_table(scores: list[Score], n_texts: int) -> None:
    print(f"held-out ner-uk: {n_texts} texts (training/heldout.txt), exact span match")
    print(f"{'backend':8} {'setting':7} {'label':7} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for s in scores:
        print(
            f"{s.backend:8} {s.setting:7} {s.label:7} {s.tp:5d} {s.fp:5d} {s.fn:5d} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", default="spacy", choices=("spacy", "stanza", "rules"))
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()
    scores = evaluate(args.backend)
    if args.json:
        print(json.dumps([s.as_dict() for s in scores], ensure_ascii=False, indent=1))
    else:
        print_table(scores, heldout_count())


if __name__ == "__main__":
    main()

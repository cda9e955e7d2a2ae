"""Score the pipeline's contract JSON against a gold set (``eval/gold``).

The definitions are those of the reference scorer (``../shared/tools/score.py``), so the
figures agree (a test checks it); this module adds per-document figures and returns data
rather than printing, for ``plans eval`` and the tests.

- mentions: strict span+label P/R/F1, overlap F1 (same label, one-to-one, any overlap),
  normalisation accuracy (LEGAL_ACT type/date/number; DATE kind/start/end/rrule) and
  B-cubed F1 of entity clusters over the strictly matched mentions;
- measures: one-to-one matching on text similarity ≥ 0.85 (difflib ratio after
  normalising), then deadline accuracy and executors F1 over the matched pairs;
- metadata: doc_type, period and approval exactly, title by similarity ≥ 0.85.
"""
from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELS = ("PERSON", "ORG", "ROLE", "LEGAL_ACT", "PROGRAM", "DATE")
CLUSTERED = ("PERSON", "ORG", "LEGAL_ACT", "PROGRAM")
NORM_FIELDS = {"LEGAL_ACT": ("type", "date", "number"), "DATE": ("kind", "start", "end", "rrule")}
MATCH_THRESHOLD = 0.85
_LOOKALIKES = str.maketrans({"І": "I", "Х": "X", "У": "V", "М": "M", "С": "C", "Л": "L", "В": "B"})


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fold_text(value: str | None) -> str:
    """Apostrophes unified, white space collapsed, edge punctuation dropped, lower case."""
    if not value:
        return ""
    for apostrophe in ("’", "ʼ", "`"):
        value = value.replace(apostrophe, "'")
    return re.sub(r"\s+", " ", value).strip().strip(".;,").lower()


def fold_number(value: str | None) -> str:
    """An act number compared without spaces, with dashes unified and look-alikes Latin."""
    if not value:
        return ""
    value = re.sub(r"\s+", "", value).replace("–", "-").replace("—", "-").upper()
    return value.translate(_LOOKALIKES).replace("ВР", "BP")


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else float(not n_gold)
    recall = tp / n_gold if n_gold else float(not n_pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_f1(pairs: list[tuple[str, str]]) -> float:
    """B-cubed F1 of predicted clusters against gold clusters; ``pairs`` = (gold, pred) ids."""
    if not pairs:
        return 0.0
    members_gold: dict[str, list[int]] = defaultdict(list)
    members_pred: dict[str, list[int]] = defaultdict(list)
    for i, (g, p) in enumerate(pairs):
        members_gold[g].append(i)
        members_pred[p].append(i)
    precision = recall = 0.0
    for g, p in pairs:
        shared = sum(1 for j in members_pred[p] if pairs[j][0] == g)
        precision += shared / len(members_pred[p])
        recall += shared / len(members_gold[g])
    precision /= len(pairs)
    recall /= len(pairs)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Tally:
    """Counts accumulated over documents."""

    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    strict: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    overlap: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    norm_seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    norm_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clusters: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    measures_gold: int = 0
    measures_pred: int = 0
    measures_matched: int = 0
    deadlines_right: int = 0
    executors_gold: int = 0
    executors_pred: int = 0
    executors_shared: int = 0
    metadata_checked: int = 0
    metadata_wrong: list[str] = field(default_factory=list)


def _norm_equal(label: str, name: str, gold_value: Any, pred_value: Any) -> bool:
    if label == "LEGAL_ACT" and name == "number":
        return fold_number(gold_value) == fold_number(pred_value)
    if label == "DATE":
        return (gold_value or None) == (pred_value or None)
    return gold_value == pred_value


def tally_mentions(doc_id: str, gold: list[dict], pred: list[dict], tally: Tally) -> None:
    for g in gold:
        tally.gold[g["label"]] += 1
    for p in pred:
        if p.get("label") in LABELS:
            tally.pred[p["label"]] += 1
    gold_at = {(g["start"], g["end"], g["label"]): g for g in gold}
    seen: set[tuple] = set()
    for p in pred:
        key = (p.get("start"), p.get("end"), p.get("label"))
        if key not in gold_at or key in seen:
            continue
        seen.add(key)
        g = gold_at[key]
        label = g["label"]
        tally.strict[label] += 1
        if label in CLUSTERED and g.get("cluster"):
            tally.clusters[label].append((g["cluster"], str(p.get("entity") or f"__singleton_{doc_id}_{p['start']}")))
        if label in NORM_FIELDS and g.get("norm"):
            pred_norm = p.get("norm") or {}
            for name in NORM_FIELDS[label]:
                tally.norm_seen[f"{label}.{name}"] += 1
                tally.norm_right[f"{label}.{name}"] += _norm_equal(label, name, g["norm"].get(name), pred_norm.get(name))
    taken: set[int] = set()
    for p in pred:
        for i, g in enumerate(gold):
            if i in taken or g["label"] != p.get("label"):
                continue
            if p.get("start", 0) < g["end"] and g["start"] < p.get("end", 0):
                taken.add(i)
                tally.overlap[g["label"]] += 1
                break


def match_measures(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, most similar texts first."""
    gold_texts = [fold_text(g.get("text")) for g in gold]
    pred_texts = [fold_text(p.get("text")) for p in pred]
    scored = []
    for i, gt in enumerate(gold_texts):
        for j, pt in enumerate(pred_texts):
            if not gt or not pt:
                continue
            matcher = difflib.SequenceMatcher(None, gt, pt, autojunk=False)
            if matcher.real_quick_ratio() < MATCH_THRESHOLD:
                continue
            similarity = matcher.ratio()
            if similarity >= MATCH_THRESHOLD:
                scored.append((similarity, i, j))
    scored.sort(reverse=True)
    pairs, used_gold, used_pred = [], set(), set()
    for _, i, j in scored:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def tally_measures(gold: list[dict], pred: list[dict], tally: Tally) -> tuple[int, int, int]:
    """Adds to ``tally``; returns this document's (gold, pred, matched) counts."""
    pairs = match_measures(gold, pred)
    tally.measures_gold += len(gold)
    tally.measures_pred += len(pred)
    tally.measures_matched += len(pairs)
    for i, j in pairs:
        g, p = gold[i], pred[j]
        tally.deadlines_right += fold_text(g.get("deadline")) == fold_text(p.get("deadline"))
        gold_exec = {fold_text(x) for x in g.get("executors") or []}
        pred_exec = {fold_text(x) for x in p.get("executors") or []}
        tally.executors_gold += len(gold_exec)
        tally.executors_pred += len(pred_exec)
        tally.executors_shared += len(gold_exec & pred_exec)
    return len(gold), len(pred), len(pairs)


def metadata_mismatches(gold: dict, pred: dict) -> list[str]:
    """Names of the scored metadata fields the prediction gets wrong."""
    approval_g, approval_p = gold.get("approval"), pred.get("approval")
    title_g, title_p = gold.get("title"), pred.get("title")
    right = {
        "doc_type": gold.get("doc_type") == pred.get("doc_type"),
        "period": (gold.get("period") or {}) == {k: (pred.get("period") or {}).get(k) for k in ("start", "end")},
        "approval": (approval_g is None and not approval_p) or (
            approval_g is not None and isinstance(approval_p, dict)
            and approval_g.get("date") == approval_p.get("date")
            and fold_number(approval_g.get("number")) == fold_number(approval_p.get("number"))),
        "title": (title_g is None and not title_p) or (
            title_g is not None and ratio(fold_text(title_g), fold_text(title_p)) >= MATCH_THRESHOLD),
    }
    return [name for name, ok in right.items() if not ok]


@dataclass
class Report:
    docs: list[str]
    missing: list[str]
    labels: dict[str, dict[str, Any]]
    micro: dict[str, float]
    norm_accuracy: dict[str, float]
    measures: dict[str, Any]
    measures_by_doc: dict[str, dict[str, float]]
    metadata: dict[str, Any]


def score(gold_dir: Path, predictions: dict[str, dict], docs: list[str] | None = None) -> Report:
    """Score ``predictions`` (doc id → contract object) against the gold set in ``gold_dir``."""
    docs = docs or sorted(p.stem for p in (gold_dir / "corpus").glob("*.txt"))
    metadata_gold = {m["doc"]: m for m in read_jsonl(gold_dir / "metadata.jsonl")}
    tally = Tally()
    by_doc: dict[str, dict[str, float]] = {}
    missing = [d for d in docs if d not in predictions]
    for doc_id in docs:
        pred = predictions.get(doc_id, {})
        tally_mentions(doc_id, read_jsonl(gold_dir / "entities" / f"{doc_id}.jsonl"), pred.get("mentions", []), tally)
        if doc_id in metadata_gold:
            wrong = metadata_mismatches(metadata_gold[doc_id], pred.get("metadata") or {})
            tally.metadata_checked += 4
            tally.metadata_wrong += [f"{doc_id}.{name}" for name in wrong]
        gold_measures = read_jsonl(gold_dir / "measures" / f"{doc_id}.jsonl")
        if gold_measures:
            n_gold, n_pred, n_matched = tally_measures(gold_measures, pred.get("measures", []), tally)
            p, r, f = prf(n_matched, n_pred, n_gold)
            by_doc[doc_id] = {"gold": n_gold, "pred": n_pred, "p": p, "r": r, "f1": f}

    labels = {}
    for label in LABELS:
        p, r, f = prf(tally.strict[label], tally.pred[label], tally.gold[label])
        row: dict[str, Any] = {"gold": tally.gold[label], "pred": tally.pred[label], "p": p, "r": r, "f1": f,
                               "overlap_f1": prf(tally.overlap[label], tally.pred[label], tally.gold[label])[2]}
        if label in CLUSTERED:
            row["bcubed_f1"] = bcubed_f1(tally.clusters[label]) if tally.clusters[label] else None
        labels[label] = row
    micro = dict(zip(("p", "r", "f1"), prf(sum(tally.strict.values()), sum(tally.pred.values()), sum(tally.gold.values()))))
    p, r, f = prf(tally.measures_matched, tally.measures_pred, tally.measures_gold)
    measures = {
        "gold": tally.measures_gold, "pred": tally.measures_pred, "p": p, "r": r, "f1": f,
        "deadline_accuracy": tally.deadlines_right / tally.measures_matched if tally.measures_matched else None,
        "executors_f1": prf(tally.executors_shared, tally.executors_pred, tally.executors_gold)[2] if tally.measures_matched else 0.0,
    }
    metadata = {
        "accuracy": 1 - len(tally.metadata_wrong) / tally.metadata_checked if tally.metadata_checked else None,
        "wrong": tally.metadata_wrong,
    }
    norm_accuracy = {k: tally.norm_right[k] / n for k, n in sorted(tally.norm_seen.items()) if n}
    return Report(docs, missing, labels, micro, norm_accuracy, measures, by_doc, metadata)


def load_predictions(pred_dir: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(pred_dir.glob("*.json"))}


def format_report(report: Report) -> str:
    lines = []
    if report.missing:
        lines.append("missing predictions: " + ", ".join(report.missing))
    lines.append(f"{'label':10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'ovlF1':>6} {'B3F1':>6}")
    for label, row in report.labels.items():
        b3 = row.get("bcubed_f1")
        lines.append(f"{label:10} {row['gold']:5d} {row['pred']:5d} {row['p']:6.3f} {row['r']:6.3f} {row['f1']:6.3f} "
                     f"{row['overlap_f1']:6.3f} {'' if b3 is None else format(b3, '6.3f'):>6}")
    n_gold = sum(r["gold"] for r in report.labels.values())
    n_pred = sum(r["pred"] for r in report.labels.values())
    m = report.micro
    lines.append(f"{'micro':10} {n_gold:5d} {n_pred:5d} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}")
    for name, value in report.norm_accuracy.items():
        lines.append(f"norm {name:22} {value:6.3f}")
    ms = report.measures
    deadline = "n/a" if ms["deadline_accuracy"] is None else format(ms["deadline_accuracy"], ".3f")
    lines.append(f"measures gold={ms['gold']} pred={ms['pred']} P={ms['p']:.3f} R={ms['r']:.3f} F1={ms['f1']:.3f} "
                 f"deadline_acc={deadline} executors_F1={ms['executors_f1']:.3f}")
    for doc_id, row in report.measures_by_doc.items():
        lines.append(f"  {doc_id:24} gold={row['gold']:4d} pred={row['pred']:4d} F1={row['f1']:.3f}")
    md = report.metadata
    if md["accuracy"] is not None:
        lines.append(f"metadata accuracy={md['accuracy']:.3f}" + (f" wrong: {', '.join(md['wrong'])}" if md["wrong"] else ""))
    return "\n".join(lines)

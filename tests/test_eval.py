"""Our scorer (eval/scorer.py) must give the reference scorer's figures."""
from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys

import pytest

from conftest import GOLD, REPO, SHARED

REFERENCE = SHARED / "tools" / "score.py"


def load_scorer():
    spec = importlib.util.spec_from_file_location("eval_scorer", REPO / "eval" / "scorer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scorer = load_scorer()


def perturbed_predictions(seed: int = 7) -> dict[str, dict]:
    """Gold turned into an imperfect prediction: dropped, shifted, relabelled and invented
    mentions; wrong norms and clusters; merged, dropped and altered measures."""
    rng = random.Random(seed)
    predictions = {}
    metadata = {m["doc"]: m for m in scorer.read_jsonl(GOLD / "metadata.jsonl")}
    for corpus_file in sorted((GOLD / "corpus").glob("*.txt")):
        doc_id = corpus_file.stem
        mentions = []
        for g in scorer.read_jsonl(GOLD / "entities" / f"{doc_id}.jsonl"):
            roll = rng.random()
            if roll < 0.1:
                continue
            m = {"start": g["start"], "end": g["end"], "label": g["label"], "text": g["text"],
                 "entity": g.get("cluster"), "norm": dict(g["norm"]) if g.get("norm") else None}
            if roll < 0.2:
                m["end"] += 1
            elif roll < 0.25:
                m["label"] = "ORG" if g["label"] != "ORG" else "ROLE"
            elif roll < 0.35 and m["norm"]:
                key = rng.choice(sorted(m["norm"]))
                m["norm"][key] = None
            elif roll < 0.45:
                m["entity"] = f"cluster-{rng.randrange(5)}"
            mentions.append(m)
        mentions.append({"start": 0, "end": 3, "label": "DATE", "text": "xxx", "entity": None, "norm": None})
        measures = []
        for g in scorer.read_jsonl(GOLD / "measures" / f"{doc_id}.jsonl"):
            roll = rng.random()
            if roll < 0.08:
                continue
            m = dict(g)
            if roll < 0.15:
                m["text"] = m["text"][: max(1, len(m["text"]) // 2)]
            elif roll < 0.25:
                m["deadline"] = (m["deadline"] or "") + " року"
            elif roll < 0.35:
                m["executors"] = m["executors"][:-1] + ["Хтось Х.Х."]
            measures.append(m)
        meta = dict(metadata.get(doc_id, {}))
        if rng.random() < 0.5:
            meta["doc_type"] = "other"
        predictions[doc_id] = {"doc_id": doc_id, "metadata": meta, "mentions": mentions, "measures": measures}
    return predictions


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/tools/score.py is not beside the repository")
def test_our_scorer_agrees_with_the_reference(tmp_path):
    predictions = perturbed_predictions()
    for doc_id, obj in predictions.items():
        (tmp_path / f"{doc_id}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(REFERENCE), "--gold", str(GOLD), "--pred", str(tmp_path), "--json"],
                          capture_output=True, text=True, check=True)
    reference = json.loads(done.stdout)
    ours = scorer.score(GOLD, scorer.load_predictions(tmp_path))

    assert 0.3 < reference["micro"]["f1"] < 0.99  # the fixture really is imperfect
    for label, row in reference["labels"].items():
        for key, value in row.items():
            assert ours.labels[label][key] == pytest.approx(value), (label, key)
    assert ours.micro == pytest.approx(reference["micro"])
    assert ours.norm_accuracy == pytest.approx(reference["norm_accuracy"])
    for key, value in reference["measures"].items():
        assert ours.measures[key] == pytest.approx(value), key
    assert ours.metadata["accuracy"] == pytest.approx(reference["metadata"]["accuracy"])
    assert sorted(ours.metadata["wrong"]) == sorted(reference["metadata"]["wrong"])


def test_perfect_prediction_scores_one():
    doc_id = "chernihiv-2025"
    gold_entities = scorer.read_jsonl(GOLD / "entities" / f"{doc_id}.jsonl")
    prediction = {
        "metadata": next(m for m in scorer.read_jsonl(GOLD / "metadata.jsonl") if m["doc"] == doc_id),
        "mentions": [dict(g, entity=g.get("cluster")) for g in gold_entities],
        "measures": scorer.read_jsonl(GOLD / "measures" / f"{doc_id}.jsonl"),
    }
    report = scorer.score(GOLD, {doc_id: prediction}, docs=[doc_id])
    assert report.micro["f1"] == 1.0
    assert report.measures["f1"] == 1.0 and report.measures["executors_f1"] == 1.0
    assert report.metadata["accuracy"] == 1.0

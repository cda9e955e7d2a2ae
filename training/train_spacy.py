"""Train the shipped spaCy PERSON/ORG model in one command.

    OMP_NUM_THREADS=1 .venv/bin/python training/train_spacy.py [--max-steps N]

1. reads ner-uk (fixed split, see ``ner_data.py``) and the silver plans, writes
   ``training/heldout.txt`` and DocBins under ``training/data/``;
2. runs ``python -m spacy train training/spacy_ner.cfg`` (output in ``training/output/spacy``);
3. copies ``model-best`` to ``models/uk_plans_ner/`` without the training-only files.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ner_data  # noqa: E402
from ner_data import ROOT, DATA, Text  # noqa: E402

CONFIG = ROOT / "training" / "spacy_ner.cfg"
CODE = ROOT / "training" / "spacy_code.py"  # registers the config's own component
OUTPUT = ROOT / "training" / "output" / "spacy"
TARGET = ROOT / "models" / "uk_plans_ner"
# Plans are the target domain but only five documents: they count twice.
SILVER_WEIGHT = 2
# A span whose edges fall inside a token is widened to whole tokens only when that adds a
# suffix of a few letters (``ЖЕКу`` for ``ЖЕК``); a longer widening would teach wrong edges.
MAX_WIDENING = 3


def to_doc(nlp: spacy.Language, item: Text) -> tuple[Doc, int]:
    """The text as spaCy's ``uk`` tokenizer splits it, with its entities; and how many
    annotations could not be aligned to tokens (left out)."""
    doc = nlp.make_doc(item.text)
    ents, lost = [], 0
    for span in item.spans:
        ent = doc.char_span(span.start, span.end, span.label)
        if ent is None:
            wide = doc.char_span(span.start, span.end, span.label, alignment_mode="expand")
            if wide is not None and len(wide.text) - (span.end - span.start) <= MAX_WIDENING:
                ent = wide
        if ent is None:
            lost += 1
        else:
            ents.append(ent)
    doc.ents = filter_spans(ents)
    return doc, lost


def write_docbin(nlp: spacy.Language, items: list[Text], path: Path) -> int:
    db = DocBin(store_user_data=False)
    lost = 0
    for item in items:
        doc, n = to_doc(nlp, item)
        lost += n
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return lost


def prepare() -> tuple[Path, Path]:
    split, silver = ner_data.training_data()
    nlp = spacy.blank("uk")
    train_path, dev_path = DATA / "spacy_train.spacy", DATA / "spacy_dev.spacy"
    lost = write_docbin(nlp, split.train + silver * SILVER_WEIGHT, train_path)
    lost_dev = write_docbin(nlp, split.dev, dev_path)
    print(
        f"train: {len(split.train)} ner-uk texts + {len(silver)} silver pieces (x{SILVER_WEIGHT}); "
        f"dev: {len(split.dev)}; held out: {len(split.heldout)}; unaligned spans left out: {lost + lost_dev}"
    )
    return train_path, dev_path


def train(train_path: Path, dev_path: Path, max_steps: int | None) -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = [
        sys.executable, "-m", "spacy", "train", str(CONFIG), "--output", str(OUTPUT),
        "--paths.train", str(train_path), "--paths.dev", str(dev_path),
        "--code", str(CODE),
    ]
    if max_steps is not None:
        cmd += ["--training.max_steps", str(max_steps)]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)


def ship() -> None:
    """Copy model-best to models/: the pipeline files only (``spacy.load`` needs no more)."""
    best = OUTPUT / "model-best"
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(best, TARGET)
    # the training data paths of this machine are of no use to whoever loads the model
    cfg_path = TARGET / "config.cfg"
    cfg = re.sub(r'(?m)^(train|dev) = ".*"$', r"\1 = null", cfg_path.read_text(encoding="utf-8"))
    cfg_path.write_text(cfg, encoding="utf-8")
    meta_path = TARGET / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name="uk_plans_ner",
        version="0.1.0",
        description="PERSON/ORG (and auxiliary LOC) for Ukrainian plan documents; see models/README.md",
        license="CC BY-NC-SA 4.0",
        sources=[
            {
                "name": "Корпус NER-анотацій українських текстів (lang-uk ner-uk 2.0, training part)",
                "url": "https://github.com/lang-uk/ner-uk",
                "license": "CC BY-NC-SA 4.0",
            },
            {"name": "silver PERSON/ORG mentions of the rule taggers on corpora/", "url": "", "license": ""},
        ],
    )
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"shipped {best} → {TARGET} ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps of the config")
    ap.add_argument("--prepare-only", action="store_true", help="write the DocBins and stop")
    ap.add_argument("--ship-only", action="store_true", help="copy the last run's model-best to models/")
    args = ap.parse_args()
    if args.ship_only:
        ship()
        return
    train_path, dev_path = prepare()
    if args.prepare_only:
        return
    train(train_path, dev_path, args.max_steps)
    ship()


if __name__ == "__main__":
    main()

"""Train the Stanza PERSON/ORG model in one command.

    OMP_NUM_THREADS=1 .venv/bin/python training/train_stanza.py [--max-steps N]

Needs the ``train`` extra (gensim) besides stanza and torch.

1. the same data and split as the spaCy model (``ner_data.py``), tokenised by spaCy's
   ``uk`` tokenizer and cut into lines (``pipeline.tag.stanza_backend.token_sentences``,
   the cut the backend makes at run time), written as Stanza's JSON under ``training/data/``;
2. word vectors: fastText (gensim, one thread) on the lower-cased words of the training and
   development texts of ner-uk and of our plans — never the held-out texts — capped at the
   most frequent ``VOCAB`` words, converted to Stanza's pretrain format;
3. ``python -m stanza.models.ner_tagger`` (word BiLSTM-CRF with a character BiLSTM, no
   character language model, no transformer) on one CPU thread;
4. copies the model and the pretrain to ``models/stanza_ner/``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ner_data  # noqa: E402
from ner_data import DATA, ROOT, Text  # noqa: E402

from pipeline.tag.stanza_backend import (  # noqa: E402
    MODEL_FILE,
    PRETRAIN_FILE,
    RESOURCES_FILE,
    STANZA_DIR,
    stanza_word,
    token_sentences,
)

OUTPUT = ROOT / "training" / "output" / "stanza"
VOCAB = 50_000
DIM = 100
SILVER_WEIGHT = 2  # as for the spaCy model
MAX_WIDENING = 3


def bio_tags(doc: Doc, item: Text) -> list[str]:
    """BIO tag per token; spans aligned as the spaCy trainer aligns them."""
    tags = ["O"] * len(doc)
    for span in item.spans:
        ent = doc.char_span(span.start, span.end, span.label)
        if ent is None:
            wide = doc.char_span(span.start, span.end, span.label, alignment_mode="expand")
            ent = wide if wide is not None and len(wide.text) - (span.end - span.start) <= MAX_WIDENING else None
        if ent is None or any(tags[i] != "O" for i in range(ent.start, ent.end)):
            continue
        for i in range(ent.start, ent.end):
            tags[i] = ("B-" if i == ent.start else "I-") + span.label
    return tags


def to_sentences(nlp: spacy.Language, items: list[Text]) -> list[list[dict[str, str]]]:
    out = []
    for item in items:
        doc = nlp.make_doc(item.text)
        tags = bio_tags(doc, item)
        inside = frozenset(i for i, t in enumerate(tags) if t.startswith("I-"))
        for sent in token_sentences(doc, keep_together=inside):
            # a name across a line break stays whole: its white-space tokens are skipped
            out.append([{"text": stanza_word(doc[i].text), "ner": tags[i]} for i in sent])
    return out


def write_json(sentences: list[list[dict[str, str]]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")


def train_vectors(nlp: spacy.Language, texts: list[str], vec_path: Path) -> None:
    """fastText vectors written as a word2vec text file with the ``VOCAB`` commonest words."""
    from gensim.models import FastText

    sentences = []
    for text in texts:
        doc = nlp.make_doc(text)
        sentences += [[stanza_word(doc[i].text).lower() for i in sent] for sent in token_sentences(doc)]
    counts = Counter(w for s in sentences for w in s)
    model = FastText(vector_size=DIM, window=5, min_count=1, workers=1, epochs=15, seed=7, sg=1)
    model.build_vocab(corpus_iterable=sentences)
    model.train(corpus_iterable=sentences, total_examples=len(sentences), epochs=model.epochs)
    words = [w for w, _ in counts.most_common(VOCAB)]
    with vec_path.open("w", encoding="utf-8") as out:
        out.write(f"{len(words)} {DIM}\n")
        for w in words:
            out.write(w + " " + " ".join(f"{x:.5f}" for x in model.wv[w]) + "\n")
    print(f"vectors: {len(words)} words from {sum(counts.values())} tokens")


def make_pretrain(vec_path: Path, pt_path: Path) -> None:
    from stanza.models.common.pretrain import Pretrain

    if pt_path.exists():
        pt_path.unlink()
    pretrain = Pretrain(str(pt_path), str(vec_path), max_vocab=VOCAB)
    pretrain.load()  # reads the text vectors and saves the .pt


def prepare() -> tuple[Path, Path, Path]:
    split, silver = ner_data.training_data()
    nlp = spacy.blank("uk")
    train_json, dev_json = DATA / "stanza_train.json", DATA / "stanza_dev.json"
    write_json(to_sentences(nlp, split.train + silver * SILVER_WEIGHT), train_json)
    write_json(to_sentences(nlp, split.dev), dev_json)
    vec_path, pt_path = DATA / "vectors.vec", DATA / PRETRAIN_FILE
    train_vectors(nlp, [t.text for t in split.train + split.dev + silver], vec_path)
    make_pretrain(vec_path, pt_path)
    return train_json, dev_json, pt_path


def train(train_json: Path, dev_json: Path, pt_path: Path, max_steps: int) -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = [
        sys.executable, "-m", "stanza.models.ner_tagger", "--mode", "train", "--cpu",
        "--shorthand", "uk_plans", "--train_file", str(train_json), "--eval_file", str(dev_json),
        "--wordvec_pretrain_file", str(pt_path), "--pretrain_max_vocab", str(VOCAB),
        "--save_dir", str(OUTPUT), "--save_name", MODEL_FILE,
        "--hidden_dim", "192", "--char_hidden_dim", "64", "--char_emb_dim", "48",
        "--optim", "adam", "--lr", "0.002", "--min_lr", "1e-5", "--patience", "2",
        "--dropout", "0.4", "--word_dropout", "0.05",
        "--batch_size", "32", "--max_steps", str(max_steps), "--eval_interval", "250",
        "--max_steps_no_improve", "1500", "--log_step", "100", "--seed", "7",
    ]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)


def half_precision(model_in: Path, pretrain_in: Path, model_out: Path, pretrain_out: Path) -> None:
    """The two embedding tables (pretrained vectors and the fine-tuned ``delta`` of every
    training word) in float16: they are 9/10 of the size; loading copies them back into
    the float32 model, and tags do not change (the tests and ``eval/ner_heldout.py`` run on
    the shipped files)."""
    import torch

    pretrain = torch.load(pretrain_in, map_location="cpu", weights_only=True)
    emb = pretrain["emb"]
    pretrain["emb"] = (torch.from_numpy(emb) if not isinstance(emb, torch.Tensor) else emb).to(torch.float16)
    torch.save(pretrain, pretrain_out, _use_new_zipfile_serialization=False)
    model = torch.load(model_in, map_location="cpu", weights_only=False)
    for key, value in model["model"].items():
        if key.endswith("emb.weight") and value.numel() > 100_000:
            model["model"][key] = value.to(torch.float16)
    torch.save(model, model_out)


def ship(pt_path: Path) -> None:
    STANZA_DIR.mkdir(parents=True, exist_ok=True)
    half_precision(OUTPUT / MODEL_FILE, pt_path, STANZA_DIR / MODEL_FILE, STANZA_DIR / PRETRAIN_FILE)
    (STANZA_DIR / RESOURCES_FILE).write_text("{}\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in STANZA_DIR.glob("*.pt"))
    print(f"shipped {OUTPUT / MODEL_FILE} and {pt_path.name} → {STANZA_DIR} ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-steps", type=int, default=4000)
    ap.add_argument("--prepare-only", action="store_true", help="write the data and vectors and stop")
    ap.add_argument("--ship-only", action="store_true", help="copy the last run's model to models/")
    args = ap.parse_args()
    if args.ship_only:
        ship(DATA / PRETRAIN_FILE)
        return
    train_json, dev_json, pt_path = prepare()
    if args.prepare_only:
        return
    train(train_json, dev_json, pt_path, args.max_steps)
    ship(pt_path)


if __name__ == "__main__":
    main()

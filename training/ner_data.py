"""Training data for the PERSON/ORG models: the lang-uk ner-uk corpus plus silver plans.

Both trainers (``train_spacy.py``, ``train_stanza.py``) and the held-out evaluation
(``eval/ner_heldout.py``) read the data through this module, so they agree on the split,
the label mapping and the treatment of nested annotations.

- ner-uk (``../shared/ner-uk/train``): ``PERS`` → PERSON, ``ORG`` → ORG, other labels
  ignored; nested annotations keep the outermost span.
- silver: the PERSON and ORG mentions the rule taggers find on ``corpora/`` (the contract
  JSON ``plans run corpora`` writes, made with the rules only); plans are long, so they are
  cut into pieces at line breaks.

The held-out slice is fixed: within each sub-corpus (``bruk``, ``ng``) the texts are ordered
by a hash of their id and the first 15 % are held out; a further 8 % of the rest is the
development set that picks the best checkpoint while training. The held-out ids are kept
in ``training/heldout.txt``.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"
DATA = TRAINING / "data"
NER_UK = ROOT.parent / "shared" / "ner-uk" / "train"
HELDOUT_FILE = TRAINING / "heldout.txt"
SUBCORPORA = ("bruk", "ng")
LABEL_MAP = {"PERS": "PERSON", "ORG": "ORG"}
LABELS = ("PERSON", "ORG")
# Places are what a model most often takes for a person or a body (``Луганського``,
# ``Німеччині``): the models learn them as a label of their own, which the tagger ignores.
# The held-out gold has PERSON and ORG only.
AUX_LABEL_MAP = {"LOC": "LOC"}
HELDOUT_SHARE = 0.15
DEV_SHARE = 0.08
# Pieces of a plan are cut at line breaks once they reach this many characters.
SILVER_PIECE_CHARS = 1500

sys.path.insert(0, str(ROOT))


@dataclass(slots=True)
class Span:
    start: int
    end: int
    label: str


@dataclass(slots=True)
class Text:
    """One training text: its id (``ng/003d28360166``, ``silver/kyiv-kmcss-2023#3``)."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Split:
    train: list[Text]
    dev: list[Text]
    heldout: list[Text]


def read_brat(path: Path) -> list[tuple[str, int, int]]:
    # The evaluation script already parses this copy's layout; one parser for both.
    from eval.ner_uk_check import read_brat as _read_brat

    return _read_brat(path)


def outermost(spans: list[Span]) -> list[Span]:
    """Drop spans inside (or overlapping) a longer one: the outermost annotation wins."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _trim(text: str, span: Span) -> Span | None:
    """Spans with white space at an edge are shrunk to the words (spaCy refuses them)."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, span.label) if end > start else None


def read_ner_uk_text(path: Path, subcorpus: str, aux: bool = False) -> Text:
    """A ner-uk text with its PERSON/ORG spans (and LOC with ``aux``), outermost kept."""
    text = path.read_text(encoding="utf-8")
    mapping = LABEL_MAP | AUX_LABEL_MAP if aux else LABEL_MAP
    spans = [Span(s, e, mapping[lab]) for lab, s, e in read_brat(path.with_suffix(".ann")) if lab in mapping]
    trimmed = [t for t in (_trim(text, s) for s in spans) if t is not None]
    return Text(f"{subcorpus}/{path.stem}", text, outermost(trimmed))


def _rank(text_id: str) -> str:
    return hashlib.sha1(text_id.encode("utf-8")).hexdigest()


def split_ids(corpus: Path = NER_UK) -> tuple[list[str], list[str], list[str]]:
    """(train, dev, held-out) ids, stratified by sub-corpus, fixed by a hash of the id."""
    train, dev, heldout = [], [], []
    for sub in SUBCORPORA:
        ids = sorted((f"{sub}/{p.stem}" for p in (corpus / sub).glob("*.txt")), key=_rank)
        n_held = round(len(ids) * HELDOUT_SHARE)
        n_dev = round(len(ids) * DEV_SHARE)
        heldout += ids[:n_held]
        dev += ids[n_held : n_held + n_dev]
        train += ids[n_held + n_dev :]
    return sorted(train), sorted(dev), sorted(heldout)


def load_ner_uk(ids: list[str], corpus: Path = NER_UK, aux: bool = False) -> list[Text]:
    out = []
    for text_id in ids:
        sub, stem = text_id.split("/")
        out.append(read_ner_uk_text(corpus / sub / f"{stem}.txt", sub, aux))
    return out


def heldout_texts(corpus: Path = NER_UK) -> list[Text]:
    """The held-out slice as listed in ``training/heldout.txt``."""
    ids = [line.strip() for line in HELDOUT_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return load_ner_uk(ids, corpus)


def write_heldout(ids: list[str]) -> None:
    HELDOUT_FILE.write_text("\n".join(ids) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------ silver


def make_silver(out_dir: Path = DATA / "silver") -> Path:
    """Run the pipeline with the rules only on ``corpora/`` (once), as ``plans run corpora``
    does, and write its JSON: the silver mentions. Rules only, so that a shipped model never
    feeds its own output back into its training data."""
    if not (out_dir / "docs").is_dir():
        from eval.ner_backends import backend_in_process
        from pipeline import export, process

        with backend_in_process("rules"):
            corpus = process.process_corpus(process.find_documents(ROOT / "corpora"))
        for result in corpus.results:
            export.write_atomic(out_dir / "docs" / f"{result.source.doc_id}.json", export.dumps(result) + "\n")
    return out_dir


_LINE_END = re.compile(r"\n")


def _pieces(text: str, spans: list[Span], doc_id: str) -> list[Text]:
    """Cut a plan at line breaks into pieces of about SILVER_PIECE_CHARS; no span is cut."""
    cuts = [0]
    for m in _LINE_END.finditer(text):
        pos = m.end()
        if pos - cuts[-1] < SILVER_PIECE_CHARS:
            continue
        if any(s.start < pos < s.end for s in spans):
            continue
        cuts.append(pos)
    cuts.append(len(text))
    out = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        if not text[a:b].strip():
            continue
        inside = [Span(s.start - a, s.end - a, s.label) for s in spans if a <= s.start and s.end <= b]
        out.append(Text(f"silver/{doc_id}#{i}", text[a:b], inside))
    return out


def load_silver(out_dir: Path | None = None) -> list[Text]:
    """PERSON/ORG mentions of the rule taggers on our plans, as pieces of text."""
    out_dir = out_dir or make_silver()
    texts: list[Text] = []
    for path in sorted((out_dir / "docs").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        source = ROOT / "corpora" / f"{data['doc_id']}.txt"
        text = _decode(source)
        mentions = [m for m in data["mentions"] if m["label"] in LABELS]
        for m in mentions:  # the JSON's offsets must be offsets into the text read here
            if text[m["start"] : m["end"]] != m["text"]:
                raise ValueError(f"{path}: mention text does not match {source} at {m['start']}")
        spans = [Span(m["start"], m["end"], m["label"]) for m in mentions]
        spans = [t for t in (_trim(text, s) for s in spans) if t is not None]
        texts += _pieces(text, outermost(spans), data["doc_id"])
    return texts


def _decode(path: Path) -> str:
    """The document text as the pipeline reads it (``plans text`` prints the same), masked."""
    from pipeline.read import read_document
    from pipeline.text import mask_markup

    # The taggers see the markup-masked text (same length, markup blanked): train on that.
    return mask_markup(read_document(path).text)


def load_split() -> Split:
    """Training and development texts with the auxiliary LOC label; held-out without."""
    train_ids, dev_ids, held_ids = split_ids()
    return Split(load_ner_uk(train_ids, aux=True), load_ner_uk(dev_ids, aux=True), load_ner_uk(held_ids))


def training_data() -> tuple[Split, list[Text]]:
    """The fixed split (its held-out ids written to ``training/heldout.txt``) and the silver
    annotations of our plans: what both training scripts start from."""
    _, _, held_ids = split_ids()
    write_heldout(held_ids)
    return load_split(), load_silver()

"""The statistical PERSON/ORG models (issue 5): the shipped spaCy model, the Stanza backend,
and how the tagger uses them (only where the rules say nothing)."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.models import SourceDocument
from pipeline.tag import TagContext, build_nlp, get_nlp, tag_documents
from pipeline.tag.statistical import (
    SPACY_MODEL_DIR,
    load_model,
    may_start_name,
    org_norm,
    plausible_org,
    plausible_person,
    rules_know,
)

ROOT = Path(__file__).resolve().parents[1]

# Both names are ones the rules read too: the model must find them on its own.
PLAN_SENTENCE = (
    "Директор Петренко Олена Іванівна та Управління соціального захисту населення "
    "Бучанської міської ради провели нараду."
)
# Names the rules cannot read (a given name and surname without patronymic or initials, a
# body named by a contraction): whatever is tagged here comes from the model.
MODEL_ONLY_SENTENCE = "Звіт підготував Володимир Бондаренко, партнер – Держагентство резерву України."


def _items(texts: dict[str, str]) -> list[tuple[SourceDocument, str, TagContext]]:
    return [(SourceDocument(k, k, "txt", t), t, TagContext(k)) for k, t in texts.items()]


def _mentions(texts: dict[str, str], backend: str) -> dict[str, set[tuple[int, int, str]]]:
    return {
        k: {(m.start, m.end, m.label) for m in ms}
        for k, ms in zip(texts, tag_documents(_items(texts), backend=backend))
    }


@pytest.fixture(scope="module")
def spacy_model():
    return load_model("spacy")


@pytest.fixture(scope="module")
def plan_texts() -> dict[str, str]:
    from pipeline.read import read_document
    from pipeline.text import mask_markup

    texts = {p.stem: mask_markup(read_document(p).text) for p in (ROOT / "corpora").glob("chernihiv*.txt")}
    texts["plan_sentence"] = PLAN_SENTENCE
    texts["model_only"] = MODEL_ONLY_SENTENCE
    return texts


# ------------------------------------------------------------------------------ spaCy model


def test_spacy_model_is_shipped_small_and_loads_without_network():
    size = sum(p.stat().st_size for p in SPACY_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 30_000_000
    # A fresh interpreter with sockets disabled: spacy.load must not reach for anything. The
    # model's first component (pymorphy3 classes) is registered by pipeline.tag.statistical.
    code = (
        "import socket\n"
        "def _no(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = _no\n"
        "import spacy, pipeline.tag.statistical\n"
        f"nlp = spacy.load({str(SPACY_MODEL_DIR)!r})\n"
        "print(nlp.pipe_names, sorted(nlp.get_pipe('ner').labels))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "'ORG'" in out.stdout and "'PERSON'" in out.stdout


def test_spacy_model_tags_a_person_and_an_organisation(spacy_model):
    import spacy

    doc = spacy.blank("uk").make_doc(PLAN_SENTENCE)
    spans = {(PLAN_SENTENCE[s:e], label) for s, e, label in spacy_model.predict([doc])[0]}
    assert ("Петренко Олена Іванівна", "PERSON") in spans
    assert any(label == "ORG" and text.startswith("Управління соціального захисту") for text, label in spans)


def test_model_candidates_never_overlap_rule_candidates(plan_texts):
    nlp = get_nlp("spacy")
    for text in plan_texts.values():
        doc = nlp(text)
        cands = doc._.candidates or []
        rule = [c for c in cands if not c.source.startswith("statistical_ner")]
        model = [c for c in cands if c.source.startswith("statistical_ner")]
        lowest_rule = min((c.priority for c in rule), default=100)
        for m in model:
            assert m.priority < lowest_rule
            assert not any(r.start < m.end and m.start < r.end for r in rule), (m, text[m.start : m.end])


def test_model_adds_nothing_where_rules_tagged(plan_texts):
    both = _mentions({"s": PLAN_SENTENCE}, "spacy")["s"]
    rules = _mentions({"s": PLAN_SENTENCE}, "rules")["s"]
    assert both == rules
    assert {label for _, _, label in rules} >= {"PERSON", "ORG"}


def test_rules_backend_differs_from_spacy_only_by_added_person_and_org(plan_texts):
    rules = _mentions(plan_texts, "rules")
    model = _mentions(plan_texts, "spacy")
    added_any = False
    for key in plan_texts:
        assert rules[key] <= model[key], key
        added = model[key] - rules[key]
        assert {label for _, _, label in added} <= {"PERSON", "ORG"}
        added_any |= bool(added)
    assert added_any
    # the model is not idle: it finds the names the rules cannot read
    text = plan_texts["model_only"]
    assert {(text[s:e], label) for s, e, label in model["model_only"] - rules["model_only"]} == {
        ("Володимир Бондаренко", "PERSON"),
        ("Держагентство резерву України", "ORG"),
    }


def test_model_mentions_get_norms():
    source = SourceDocument("m", "m", "txt", MODEL_ONLY_SENTENCE)
    mentions = next(tag_documents([(source, MODEL_ONLY_SENTENCE, TagContext("m"))], backend="spacy"))
    orgs = [m for m in mentions if m.label == "ORG" and m.hints.get("model")]
    assert [m.hints["norm"] for m in orgs] == [{"name": "Держагентство резерву України", "abbreviation": None}]


# ------------------------------------------------------------------------------ filters


@pytest.mark.parametrize(
    "text, ok",
    [
        ("Петренко Олена Іванівна", True),
        ("Джек Донован", True),
        ("Директор Петренко", False),
        ("Програма", False),
        ("Олена 2024", False),
        ("Майдану Незалежності", False),
        ("М.П.", False),  # the place for the seal on a form
    ],
)
def test_person_filter(text, ok):
    assert plausible_person(text) is ok


@pytest.mark.parametrize(
    "text, ok",
    [
        ("ТОВ «Укргеоекологія»", True),
        ("ЦНАП", True),
        ("Київ", False),
        ("центр соціальних служб", False),
        ("Громадські організації", False),
        ("Соціально-правовий захист дітей з", False),
        ("ЦСС «Кейс менеджмент соціальної роботи»", False),
        ("ЦСС «Система послуг", False),
        ("ПОРЯДОК ОБ’ЄДНАННЯ ГРОМАД", False),
    ],
)
def test_org_filter(text, ok):
    assert plausible_org(text) is ok


@pytest.mark.parametrize(
    "word, ok",
    [
        ("Гордона", True),  # a surname
        ("ЦСС", True),  # an abbreviation
        ("КМЦСС", True),  # a longer one the dictionary does not know
        ("Ньюфелда", True),  # unknown to the dictionary
        ("Проведення", False),  # a common word
        ("ЗАВДАННЯ", False),  # a heading word in capitals
        ("ВИКОНАВЦІ", False),
        ("ІІ", False),  # Roman numerals, Cyrillic and Latin
        ("IV", False),
    ],
)
def test_the_model_reads_around_words_that_may_start_a_name(word, ok):
    assert may_start_name(word) is ok


def test_org_norm_puts_the_head_phrase_in_the_nominative():
    assert org_norm("Київським міським центром соціальних служб")["name"] == "Київський міський центр соціальних служб"
    assert org_norm("ЦНАП") == {"name": "ЦНАП", "abbreviation": "ЦНАП"}


def test_rules_know_the_shapes_they_read():
    assert rules_know("ORG", "Березанської міської ради")  # read in the nominative
    assert rules_know("PERSON", "Мальцева К.В.")
    assert not rules_know("ORG", "Укргеоекологія")


# ------------------------------------------------------------------------------ backends


@pytest.mark.parametrize("call", [build_nlp, get_nlp])
def test_unknown_backend_is_a_clear_error(call):
    with pytest.raises(ValueError, match="unknown tagging backend 'bert'.*spacy, stanza, rules"):
        call(backend="bert")


def test_unknown_backend_fails_before_any_document():
    with pytest.raises(ValueError, match="unknown tagging backend"):
        tag_documents([], backend="bert")


def test_subset_of_taggers_gets_no_model_unless_asked():
    assert "statistical_ner" not in build_nlp(["person_tagger"]).pipe_names
    assert "statistical_ner" in build_nlp(["person_tagger"], backend="spacy").pipe_names
    assert "statistical_ner" not in get_nlp("rules").pipe_names


def _refuse_network(*args, **kwargs):
    raise OSError("network used")


def test_stanza_backend_loads_offline_and_tags_a_person(tmp_path, monkeypatch):
    pytest.importorskip("stanza")
    import spacy

    # An empty resources dir and no sockets: the model must come from models/stanza_ner only.
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    monkeypatch.setattr(socket.socket, "connect", _refuse_network)
    load_model.cache_clear()
    model = load_model("stanza")
    text = "Угоду підписав директор Петренко Олена Іванівна ."
    doc = spacy.blank("uk").make_doc(text)
    spans = {(text[s:e], label) for s, e, label in model.predict([doc])[0]}
    assert ("Петренко Олена Іванівна", "PERSON") in spans
    assert list(tmp_path.iterdir()) == []  # nothing downloaded or written there

    # and in the tagger: rules first, the Stanza model where they say nothing
    source = SourceDocument("m", "m", "txt", MODEL_ONLY_SENTENCE)
    mentions = next(tag_documents([(source, MODEL_ONLY_SENTENCE, TagContext("m"))], backend="stanza"))
    added = {(m.text, m.label) for m in mentions if m.hints.get("model") == "statistical_ner:stanza"}
    assert ("Володимир Бондаренко", "PERSON") in added

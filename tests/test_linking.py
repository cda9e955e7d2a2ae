"""Entity ids: derived from canonical keys, stable across runs, shared by variants."""
from __future__ import annotations

import pytest

from conftest import CORPORA
from pipeline.process import process_document


@pytest.fixture(scope="module")
def pokrovsk():
    return process_document(CORPORA / "pokrovsk-css-2025.txt")


def entity_of(result, label, text):
    return {m.entity for m in result.mentions if m.label == label and m.text == text}


def test_ids_are_the_same_on_a_second_run(pokrovsk):
    again = process_document(CORPORA / "pokrovsk-css-2025.txt")
    assert [m.entity for m in again.mentions] == [m.entity for m in pokrovsk.mentions]


def test_an_abbreviation_joins_its_expansion(pokrovsk):
    abbreviation = entity_of(pokrovsk, "ORG", "ЦСС ПМР ДО")
    assert len(abbreviation) == 1
    assert abbreviation == entity_of(pokrovsk, "ORG", "Центр соціальних служб Покровської міської ради Дніпропетровської області")


def test_inflected_roles_are_one_entity_through_their_lemmas(pokrovsk):
    nominative = entity_of(pokrovsk, "ROLE", "фахівці ЦСС ПМР ДО")
    instrumental = entity_of(pokrovsk, "ROLE", "фахівцями ЦСС ПМР ДО")
    assert nominative and nominative == instrumental
    role = next(m for m in pokrovsk.mentions if m.label == "ROLE" and m.text == "фахівцями ЦСС ПМР ДО")
    assert role.norm["lemma"] == "фахівець цсс пмр до"


def test_measures_point_at_their_executors(pokrovsk):
    measure = next(m for m in pokrovsk.segmentation.measures if m.number == "2.2")
    assert measure.executors == ["МальцеваК.В.", "Войтова Г.П."]
    assert all(e and e.startswith("person:") for e in measure.executor_entities)


def test_repeated_mentions_share_one_record_and_link_as_before(pokrovsk):
    from pipeline.link import NO_ENTITY, Deduplicator, MentionRecord, mention_records

    records = mention_records(pokrovsk)
    assert len(records) == len(pokrovsk.mentions)
    assert all(r is NO_ENTITY for r, m in zip(records, pokrovsk.mentions) if m.label == "DATE")
    assert len({id(r) for r in records}) < len(records) / 2  # a plan repeats its names
    for r, m in zip(records, pokrovsk.mentions):
        assert r is NO_ENTITY or (r.label, r.text, r.norm) == (m.label, m.text, m.norm)
    # One record object per mention, as before the sharing: the same entities.
    unshared = [MentionRecord(r.doc_id, r.label, r.text, r.norm, r.scope) for r in records]
    assert Deduplicator().run(unshared).assignment == Deduplicator().run(records).assignment

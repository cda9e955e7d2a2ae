"""The deduplicator on its own: which mentions become one entity, and why."""
from __future__ import annotations

import pytest

from pipeline.link import Deduplicator, MentionRecord
from pipeline.normalise.legal_acts import normalise_act
from pipeline.normalise.names import normalise_person, normalise_program


def person(text, doc="d1", scope="doc:d1"):
    return MentionRecord(doc, "PERSON", text, normalise_person(text), scope)


def org(name, doc="d1", abbreviation=None, scope=""):
    return MentionRecord(doc, "ORG", name, {"name": name, "abbreviation": abbreviation}, scope)


def act(text, doc="d1", **hints):
    return MentionRecord(doc, "LEGAL_ACT", text, normalise_act(text, hints))


def program(text, doc="d1"):
    return MentionRecord(doc, "PROGRAM", text, normalise_program(text))


def groups(records):
    clustering = Deduplicator().run(records)
    by_entity = {}
    for record, entity in zip(records, clustering.assignment):
        by_entity.setdefault(entity, []).append(record.text)
    return clustering, sorted(sorted(g) for g in by_entity.values())


def same(records, a, b):
    clustering = Deduplicator().run(records)
    ids = {r.text: e for r, e in zip(records, clustering.assignment)}
    return ids[a] == ids[b]


def test_surname_spelling_variants_are_one_person_named_by_the_usual_spelling():
    records = [person("Пітателєва Т.Є.")] * 2 + [person("Пітателева Т.Є.")] * 3
    clustering, found = groups(records)
    assert len(found) == 1
    (entity,) = clustering.entities
    assert entity.name == "Пітателева Т.Є."
    assert [m.rule for m in entity.merges] == ["surname_spelling"]


def test_shorter_initials_join_the_one_person_they_fit():
    records = [person("Остролицька Л."), person("Остролуцька Л.І."), person("Мальцева Ксенія Валеріївна"),
               person("Мальцевої К.В.")]
    assert same(records, "Остролицька Л.", "Остролуцька Л.І.")
    assert same(records, "Мальцева Ксенія Валеріївна", "Мальцевої К.В.")


@pytest.mark.parametrize("a, b", [
    ("Крисов Л.П.", "Крисова Л.П."),   # another ending: another person (or gender)
    ("Бурик А.В.", "Бурик Г.В."),      # other initials
    ("Гуль А.В.", "Галь А.В."),        # short surnames a letter apart
])
def test_different_people_stay_apart(a, b):
    assert not same([person(a), person(b)], a, b)


def test_the_same_name_in_unrelated_documents_is_two_people_but_one_issuers_staff_is_one():
    unrelated = [person("Коваленко О.М.", "a", "doc:a"), person("Коваленко О.М.", "b", "doc:b")]
    assert len({e for e in Deduplicator().run(unrelated).assignment}) == 2
    same_issuer = [person("Коваленко О.М.", "a", "issuer:x"), person("Коваленко О.М.", "b", "issuer:x")]
    assert len({e for e in Deduplicator().run(same_issuer).assignment}) == 1


def test_case_forms_of_a_body_are_one_entity_through_lemmas():
    records = [org("Департамент соціальної політики"), org("Департаменту соціальної політики"),
               org("Департаментом соціальної політики")]
    assert len(groups(records)[1]) == 1


def test_an_abbreviation_suffix_is_expanded_from_the_corpus():
    records = [
        org("Чернігівська міська рада", "a"),
        org("Департамент соціальної політики ЧМР", "b"),
        org("Департамент соціальної політики Чернігівської міської ради", "c"),
    ]
    clustering, found = groups(records)
    assert len(found) == 2
    merged = next(e for e in clustering.entities if e.n_mentions == 2)
    assert merged.name == "Департамент соціальної політики Чернігівської міської ради"
    assert [m.rule for m in merged.merges] == ["abbreviation"]


def test_an_abbreviation_defined_in_one_document_joins_its_expansion_in_another():
    records = [org("Київський міський центр соціальних служб", "a", abbreviation="КМЦСС"), org("КМЦСС", "b")]
    assert len(groups(records)[1]) == 1


def test_quotes_do_not_matter_but_a_typo_is_joined_and_two_real_words_are_not():
    assert same([org("КНП «Центр первинної медико-санітарної допомоги»"),
                 org('КНП "Центр первинної медико-санітарної допомоги"')],
                "КНП «Центр первинної медико-санітарної допомоги»", 'КНП "Центр первинної медико-санітарної допомоги"')
    typo = [org("Управління соціального захисту населення Бучанської міської ради"),
            org("Управління соціальнго захисту населення Бучанської міської ради")]
    assert same(typo, typo[0].text, typo[1].text)
    towns = [org("Управління соціального захисту населення Бучанської міської ради"),
             org("Управління соціального захисту населення Буської міської ради")]
    assert not same(towns, towns[0].text, towns[1].text)


def test_a_bare_title_joins_the_full_citation_in_another_document():
    full = act("Закону України від 17.01.2019 № 2671-VIII «Про соціальні послуги»", "a")
    bare = act("ЗУ «Про соціальні послуги»", "b")
    title_only = act("«Про соціальну роботу з дітьми та молоддю»", "b", heading_type="law")
    records = [full, bare, title_only, act("Закону України від 21.06.2001 № 2558-III «Про соціальну роботу з дітьми та молоддю»", "c")]
    clustering, found = groups(records)
    assert len(found) == 2
    law = next(e for e in clustering.entities if "2671" in (e.act or {}).get("number", ""))
    assert law.act["url"] == "https://zakon.rada.gov.ua/laws/show/2671-19"


def test_a_title_cited_by_two_different_acts_is_not_guessed():
    a = act("постанова Кабінету Міністрів України від 01.06.2020 № 479 «Деякі питання діяльності центрів соціальних служб»", "a")
    b = act("наказ Міністерства соціальної політики України від 02.02.2021 № 51 «Деякі питання діяльності центрів соціальних служб»", "b")
    bare = MentionRecord("c", "LEGAL_ACT", "«Деякі питання діяльності центрів соціальних служб»",
                         {"type": "other", "number": None, "date": None, "title": "Деякі питання діяльності центрів соціальних служб",
                          "id": "act:other:title:Деякі питання діяльності центрів соціальних служб"})
    clustering = Deduplicator().run([a, b, bare])
    assert len(set(clustering.assignment)) == 3


def test_a_mistyped_date_joins_the_same_numbered_act_with_the_same_title():
    a = act("постанова Кабінету Міністрів України від 01.06.2020 № 479 «Деякі питання діяльності центрів соціальних служб»", "a")
    b = act("постанова Кабінету Міністрів України від 01.06.2021 № 479 «Деякі питання діяльності центрів соціальних служб»", "b")
    assert len(set(Deduplicator().run([a, b]).assignment)) == 1


def test_a_shorter_programme_name_joins_the_fuller_one_in_the_same_document_only():
    full = "Комплексна програма підтримки військовослужбовців Покровської громади Дніпропетровської області на 2024-2028 роки"
    short = "Комплексна програма підтримки військовослужбовців Покровської громади на 2024-2028 роки"
    other = "Комплексна програма підтримки військовослужбовців Покровської громади на 2021-2023 роки"
    assert same([program(full), program(short), program(other)], full, short)
    assert not same([program(full), program(short), program(other)], full, other)
    assert not same([program(full, "a"), program(short, "b")], full, short)


def test_ids_do_not_depend_on_order_or_on_unrelated_records():
    records = [person("Пітателєва Т.Є."), org("Міністерство соціальної політики України"),
               act("Закону України «Про соціальні послуги»")]
    first = Deduplicator().run(records).assignment
    reordered = Deduplicator().run(list(reversed(records)) + [org("Дитячий фонд ООН")]).assignment
    assert first == list(reversed(reordered[:3]))


def test_labels_without_entities_get_none():
    record = MentionRecord("d", "DATE", "2024 рік", {"kind": "interval"})
    assert Deduplicator().run([record]).assignment == [None]


def test_an_abbreviation_means_what_the_citing_document_makes_it_mean():
    records = [
        org("Чернігівська міська рада", "a"), org("Департамент соціальної політики ЧМР", "a"),
        org("Черкаська міська рада", "b"), org("Департамент соціальної політики ЧМР", "b"),
        org("Департамент соціальної політики ЧМР", "c"),  # no council named: which one is unknown
        org("Дитячий фонд ООН", "a"), org("Дитячим фондом ООН", "b"),  # a well-known abbreviation
    ]
    ids = Deduplicator().run(records).assignment
    assert len({ids[1], ids[3], ids[4]}) == 3
    assert ids[5] == ids[6]
    chernihiv = Deduplicator().run(records + [org("Департамент соціальної політики Чернігівської міської ради", "d")])
    assert chernihiv.assignment[1] == chernihiv.assignment[-1]


def test_a_place_name_a_letter_apart_is_a_typo_only_within_one_document():
    a = "Служба у справах дітей Ровківської міської ради"
    b = "Служба у справах дітей Ровкінської міської ради"
    assert same([org(a, "d1"), org(b, "d1")], a, b)
    assert not same([org(a, "d1"), org(b, "d2")], a, b)


def test_programme_names_a_typo_apart_are_one_but_other_years_are_not():
    a = "Програма підтримки сімей Ровківської громади на 2024-2026 роки"
    b = "Програма підтримки сімей Ровківської громади на 2025-2027 роки"
    typo = "Програма підтримкии сімей Ровківської громади на 2024-2026 роки"
    assert same([program(a, "d1"), program(typo, "d2")], a, typo)
    assert not same([program(a, "d1"), program(b, "d2")], a, b)

"""Document metadata: the five seeds against their gold, and headers in forms the seeds
do not use (other places, other acts, blanks, CRLF, side-by-side blocks, late titles)."""
from __future__ import annotations

import json
import time

import pytest

from pipeline.models import Metadata, SourceDocument
from pipeline.segment.metadata import (
    dominant_year,
    extract_metadata,
    find_date,
    find_period,
    to_nominative,
)
from pipeline.text import mask_markup

from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"


def meta(text: str, doc_id: str = "test") -> Metadata:
    doc = SourceDocument(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", text=text)
    return extract_metadata(doc, mask_markup(text))


def as_dict(m: Metadata) -> dict:
    return {
        "title": m.title,
        "doc_type": m.doc_type,
        "issuer": m.issuer,
        "territory": m.territory,
        "period": None if m.period is None else {"start": m.period.start, "end": m.period.end},
        "approval": None
        if m.approval is None
        else {"type": m.approval.type, "date": m.approval.date, "number": m.approval.number},
    }


# --------------------------------------------------------------------------- seeds

GOLD_META = {
    row["doc"]: row
    for row in (json.loads(line) for line in (GOLD / "metadata.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
}


@pytest.mark.parametrize("doc_id", sorted(GOLD_META))
def test_seed_metadata_matches_gold(doc_id, corpus_text):
    got = as_dict(meta(corpus_text(doc_id), doc_id))
    want = {k: v for k, v in GOLD_META[doc_id].items() if k != "doc"}
    assert got == want


# --------------------------------------------------------------------------- hand-written headers


def test_council_decision_strategy_2021_2027():
    m = meta(
        "ЗАТВЕРДЖЕНО\n"
        "рішенням 12 сесії Ірпінської міської ради VIII скликання\n"
        "від 12 березня 2024 року № 15-3/VIII\n\n"
        "СТРАТЕГІЯ\n"
        "розвитку Ірпінської міської територіальної громади\n"
        "на 2021-2027 роки\n\n"
        "1. Аналіз соціально-економічного стану громади\n"
    )
    assert m.title == "Стратегія розвитку Ірпінської міської територіальної громади на 2021-2027 роки"
    assert m.doc_type == "strategy_plan"
    assert (m.period.start, m.period.end) == ("2021-01-01", "2027-12-31")
    assert (m.approval.type, m.approval.date, m.approval.number) == ("council_decision", "2024-03-12", "15-3/VIII")
    assert m.issuer == "Ірпінська міська рада"
    assert m.territory == "Ірпінська міська територіальна громада"


def test_city_head_order_action_plan():
    m = meta(
        "ЗАТВЕРДЖЕНО\n"
        "Розпорядження міського голови\n"
        "від 05.02.2025 № 45-р\n\n"
        "План заходів\n"
        "щодо запобігання домашньому насильству у м. Фастів на 2025 рік\n"
        "\t№\n\tЗахід\n"
    )
    assert m.doc_type == "action_plan"
    assert m.title == "План заходів щодо запобігання домашньому насильству у м. Фастів на 2025 рік"
    assert (m.approval.type, m.approval.date, m.approval.number) == ("head_order", "2025-02-05", "45-р")
    assert (m.period.start, m.period.end) == ("2025-01-01", "2025-12-31")


def test_plain_work_plan_without_approval():
    m = meta("План роботи відділу освіти Бучанської міської ради на 2026 рік\n\n\t1\tНарада\tСічень\n")
    assert m.title == "План роботи відділу освіти Бучанської міської ради на 2026 рік"
    assert m.doc_type == "work_plan"
    assert m.issuer == "Відділ освіти Бучанської міської ради"
    assert m.approval is None
    assert (m.period.start, m.period.end) == ("2026-01-01", "2026-12-31")


def test_crlf_header_institution_order():
    m = meta(
        "ЗАТВЕРДЖУЮ\r\n"
        "Наказ Вінницького обласного центру соціальних служб\r\n"
        "від «15» січня 2024 р. № 7-од\r\n"
        "\r\n"
        "КАЛЕНДАРНИЙ ПЛАН\r\n"
        "роботи Вінницького обласного центру соціальних служб\r\n"
        "на 2024 рік\r\n"
        "\r\n"
        "м. Вінниця\r\n"
    )
    assert m.title == "Календарний план роботи Вінницького обласного центру соціальних служб на 2024 рік"
    assert m.doc_type == "calendar_plan"
    assert (m.approval.type, m.approval.date, m.approval.number) == ("other", "2024-01-15", "7-од")
    assert m.issuer == "Вінницький обласний центр соціальних служб"
    assert m.territory == "м. Вінниця"
    assert "\r" not in m.title


def test_blank_act_in_annex_header():
    m = meta(
        "Додаток\n"
        "до рішення виконавчого комітету\n"
        "Боярської міської ради\n"
        "від ____________ № _____\n\n"
        "Комплексна програма\n"
        "підтримки сім'ї та дітей Боярської міської територіальної громади\n"
        "на 2025-2027 рр.\n"
    )
    assert m.doc_type == "program"
    assert (m.period.start, m.period.end) == ("2025-01-01", "2027-12-31")
    assert m.approval is not None
    assert (m.approval.type, m.approval.date, m.approval.number) == ("executive_decision", None, None)
    assert m.issuer == "Виконавчий комітет Боярської міської ради"
    assert m.territory == "Боярська міська територіальна громада"


def test_side_by_side_blocks_take_the_approving_column():
    m = meta(
        "ПОГОДЖЕНО\t\t\t\tЗАТВЕРДЖЕНО\n"
        "Начальник управління освіти\t\t\t\tРішення виконавчого комітету\n"
        "_______ І.І. Петренко\t\t\t\tКонотопської міської ради\n"
        "\t\t\t\tвід 03.01.2023 № 4\n\n"
        "ПЛАН\n"
        "роботи служби у справах дітей на 2023 рік\n"
    )
    assert (m.approval.type, m.approval.date, m.approval.number) == ("executive_decision", "2023-01-03", "4")
    assert m.doc_type == "work_plan"
    assert m.title == "План роботи служби у справах дітей на 2023 рік"
    assert m.issuer == "Служба у справах дітей"


def test_cmu_resolution_and_ministry_order():
    cmu = meta("ЗАТВЕРДЖЕНО\nпостановою Кабінету Міністрів України\nвід 21 липня 2020 р. № 662\n\nДержавна програма\nна 2021-2025 роки\n")
    assert (cmu.approval.type, cmu.approval.date, cmu.approval.number) == ("cmu_resolution", "2020-07-21", "662")
    assert cmu.doc_type == "program"
    order = meta("ЗАТВЕРДЖЕНО\nНаказ Міністерства соціальної політики України\n12.03.2024 № 100\n\nПлан заходів на 2024 рік\n")
    assert (order.approval.type, order.approval.date, order.approval.number) == ("ministry_order", "2024-03-12", "100")


def test_military_administration_head_order_names_its_place():
    m = meta(
        "ЗАТВЕРДЖЕНО\n"
        "Розпорядження начальника Херсонської обласної військової адміністрації\n"
        "від 10.10.2023 № 845\n\n"
        "Регіональний план розвитку системи соціальних послуг на 2024-2026 роки\n"
    )
    assert m.doc_type == "development_plan"
    assert (m.approval.type, m.approval.number) == ("head_order", "845")
    assert m.issuer == "Херсонська обласна військова адміністрація"


def test_report_then_plan_title_later():
    body = "Протягом 2024 року центр проводив роботу.\n" * 30
    m = meta(
        "І. Звіт про роботу центру у 2024 році\n"
        + body
        + "Річний план роботи Центру надання соціальних послуг на 2025 рік складено відповідно до Положення.\n"
        + "\t1\tЗахід\tСічень 2025\n"
    )
    assert m.title == "Річний план роботи Центру надання соціальних послуг на 2025 рік"
    assert m.doc_type == "report_and_plan"
    assert (m.period.start, m.period.end) == ("2025-01-01", "2025-12-31")
    assert m.issuer == "Центр надання соціальних послуг"


def test_report_title_with_next_years_plan():
    m = meta("ЗВІТ\nпро роботу сектору молоді за 2024 рік та план роботи на 2025 рік\n")
    assert m.doc_type == "report_and_plan"
    assert (m.period.start, m.period.end) == ("2025-01-01", "2025-12-31")


def test_quarter_and_academic_year_periods():
    q = meta("План роботи методичного кабінету на ІІ квартал 2025 року\n")
    assert (q.period.start, q.period.end) == ("2025-04-01", "2025-06-30")
    a = meta("План роботи психологічної служби на 2024/2025 навчальний рік\n")
    assert (a.period.start, a.period.end) == ("2024-09-01", "2025-08-31")


def test_untitled_strategy_action_plan_dated_by_deadlines():
    m = meta(
        "\tСТРАТЕГІЧНА ЦІЛЬ 2.\nРозвиток громади\n\tОПЕРАЦІЙНІ ЦІЛІ\n"
        "\t2.1.1. Провести навчання\n\tДо березня 2026 року\n\tУправління освіти\n"
        "\t2.1.2. Відповідно до Закону від 17.01.2019 № 2671\n\tIV квартал 2026 року\n\tУправління освіти\n"
    )
    assert m.title is None
    assert m.doc_type == "strategy_plan"
    assert (m.period.start, m.period.end) == ("2026-01-01", "2026-12-31")
    assert m.approval is None


def test_abbreviation_in_title_expanded_from_glossary():
    m = meta(
        "План роботи КМЦСС на 2024 рік\n\nСкорочення\n- КМЦСС – Київський міський центр соціальних служб;\n"
    )
    assert m.issuer == "Київський міський центр соціальних служб"


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("text", ["", "   \n\r\n\t", "Просто текст без жодних ознак документа.\n"])
def test_no_metadata_gives_nones(text):
    assert as_dict(meta(text)) == {
        "title": None, "doc_type": None, "issuer": None, "territory": None, "period": None, "approval": None,
    }


def test_body_citations_are_not_an_approval():
    m = meta("Звітний текст.\nВідповідно до розпорядження міського голови від 20.01.2023 № 12 проведено роботу.\n")
    assert m.approval is None


def test_huge_text_stays_fast():
    header = "ЗАТВЕРДЖЕНО\nНаказ директора центру\nвід 01.12.2024 № 5\n\nКалендарний план\nна 2025 рік\n"
    body = "\t1.1. Захід щодо плану роботи у 2025 році\n\tСічень\n\tФахівці\n" * 60_000
    started = time.perf_counter()
    m = meta(header + body)
    assert time.perf_counter() - started < 10
    assert m.doc_type == "calendar_plan"
    assert m.approval.number == "5"


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "text,iso",
    [
        ("від «_21_»_липня 2020 № _112_", "2020-07-21"),
        ("від 28.12.2022 р. 2022р. №278", "2022-12-28"),
        ("12 березня 2024 року", "2024-03-12"),
        ("27.06.19", "2019-06-27"),
        ("від ____ № ___", None),
    ],
)
def test_find_date(text, iso):
    found = find_date(text)
    assert (found[0] if found else None) == iso


@pytest.mark.parametrize(
    "text,span",
    [
        ("на 2023 рік", ("2023-01-01", "2023-12-31")),
        ("на 2019 – 2026 роки", ("2019-01-01", "2026-12-31")),
        ("на 2025-2027 рр.", ("2025-01-01", "2027-12-31")),
        ("на січень 2024 року", ("2024-01-01", "2024-01-31")),
        ("на І півріччя 2025 року", ("2025-01-01", "2025-06-30")),
        ("до 2030 року", (None, "2030-12-31")),
        ("у 2024 році та на 2025 рік", ("2025-01-01", "2025-12-31")),
    ],
)
def test_find_period(text, span):
    period, _ = find_period(text)
    assert (period.start, period.end) == span


@pytest.mark.parametrize(
    "phrase,nominative",
    [
        ("Київського міського центру соціальних служб", "Київський міський центр соціальних служб"),
        ("виконавчого комітету Березанської міської ради", "виконавчий комітет Березанської міської ради"),
        ("Сватівському районі", "Сватівський район"),
        ("Покровської міської територіальної громади", "Покровська міська територіальна громада"),
        ("Центром соціальних служб", "Центр соціальних служб"),
        ("Центр соціальних служб", "Центр соціальних служб"),
    ],
)
def test_to_nominative(phrase, nominative):
    assert to_nominative(phrase) == nominative


def test_dominant_year_ignores_citations():
    text = "Закон від 01.06.2010 № 2297\nпостанова від 01.06.2010\nДо червня 2025 року\nПротягом 2025 року\n"
    assert dominant_year(text) == 2025


def test_report_heading_then_plan_heading_titles_the_plan():
    m = meta(
        "Звіт про роботу Центру соціальних служб Ніжинської міської ради у 2024 році\n\n"
        "Протягом 2024 року проведено 120 консультацій.\n\n"
        "План роботи Центру соціальних служб Ніжинської міської ради на 2025 рік\n"
        "\t1\tНарада\tСічень\n"
    )
    assert m.doc_type == "report_and_plan"
    assert m.title == "План роботи Центру соціальних служб Ніжинської міської ради на 2025 рік"
    assert (m.period.start, m.period.end) == ("2025-01-01", "2025-12-31")
    assert m.issuer == "Центр соціальних служб Ніжинської міської ради"


def test_signature_only_approval_is_dated_director_approval():
    m = meta(
        "ЗАТВЕРДЖУЮ\nДиректор центру\n__________ О.П. Коваль\n«10» січня 2025 р.\n\n"
        "ПЛАН РОБОТИ\nЦентру соціальних служб Ніжинської міської ради\nна 2025 рік\n"
    )
    assert (m.approval.type, m.approval.date, m.approval.number) == ("other", "2025-01-10", None)
    assert m.title == "План роботи Центру соціальних служб Ніжинської міської ради на 2025 рік"
    assert m.issuer == "Центр соціальних служб Ніжинської міської ради"
    undated = meta("ЗАТВЕРДЖУЮ\nДиректор центру\n__________ О.П. Коваль\n\nПлан роботи на 2025 рік\n")
    assert undated.approval is None


def test_measure_starting_with_approval_word_is_no_approval():
    m = meta("План роботи на 2025 рік\n\tЗатвердження плану роботи рішенням ради від 01.02.2025 № 3\n\tСічень\n")
    assert m.approval is None


@pytest.mark.parametrize("doc_id", sorted(GOLD_META))
def test_seed_metadata_survives_crlf(doc_id, corpus_text):
    text = corpus_text(doc_id)
    assert as_dict(meta(text.replace("\r\n", "\n").replace("\n", "\r\n"), doc_id)) == as_dict(meta(text, doc_id))

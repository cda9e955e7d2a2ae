"""DATE tagging and date/deadline normalisation (pipeline/tag/dates.py,
pipeline/normalise/dates.py, pipeline/data/dates.toml).

The first group uses expressions as the seed plans write them; the second, forms the
seed plans lack (other months and cases, other recurrences, ranges written otherwise);
then conditions and other look-alikes that must not be dates, anchoring, and deadlines.
"""
from __future__ import annotations

import pytest

from pipeline.models import Period
from pipeline.normalise.dates import normalise_date, normalise_deadline, resolve, scan
from pipeline.tag import TagContext, build_nlp, tag_documents
from pipeline.tag.dates import find_dates
from pipeline.models import SourceDocument

Y2023 = Period("2023-01-01", "2023-12-31")
Y2025 = Period("2025-01-01", "2025-12-31")
MULTI = Period("2018-01-01", "2026-12-31")


def tags(text: str, period: Period | None = Y2023) -> list[tuple[str, dict]]:
    """(mention text, norm) for each DATE the tagger finds in ``text``."""
    return [(text[f.start : f.end], resolve(f.value, anchor)) for f, anchor in find_dates(text, period)]


def norm(kind: str, start: str | None = None, end: str | None = None, rrule: str | None = None) -> dict:
    return {"kind": kind, "start": start, "end": end, "rrule": rrule}


def one(text: str, period: Period | None = Y2023) -> tuple[str, dict]:
    found = tags(text, period)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- seed-plan forms

SEED = [
    ("28.12.2022", "28.12.2022", norm("date", "2022-12-28", "2022-12-28")),
    ("«_21_»_липня 2020", "«_21_»_липня 2020", norm("date", "2020-07-21", "2020-07-21")),
    ("01 березня 2025 року", "01 березня 2025 року", norm("date", "2025-03-01", "2025-03-01")),
    ("Січень", "Січень", norm("interval", "2023-01-01", "2023-01-31")),
    ("2 квартал", "2 квартал", norm("interval", "2023-04-01", "2023-06-30")),
    ("ІІ квартал \n\n2018 року", "ІІ квартал \n\n2018 року", norm("interval", "2018-04-01", "2018-06-30")),
    ("ІV квартал\n2025 року", "ІV квартал\n2025 року", norm("interval", "2025-10-01", "2025-12-31")),
    ("ІІ-ІІІ кв. \n\n2019 року", "ІІ-ІІІ кв. \n\n2019 року", norm("interval", "2019-04-01", "2019-09-30")),
    ("I-II квартал 2023", "I-II квартал 2023", norm("interval", "2023-01-01", "2023-06-30")),
    ("II півріччя", "II півріччя", norm("interval", "2023-07-01", "2023-12-31")),
    ("I півріччя 2023", "I півріччя 2023", norm("interval", "2023-01-01", "2023-06-30")),
    ("2019-2026 роки", "2019-2026 роки", norm("interval", "2019-01-01", "2026-12-31")),
    ("2019-2026\n\nроки", "2019-2026\n\nроки", norm("interval", "2019-01-01", "2026-12-31")),
    ("2018 – 2020 роки", "2018 – 2020 роки", norm("interval", "2018-01-01", "2020-12-31")),
    ("2020-2021р.р.", "2020-2021р.р.", norm("interval", "2020-01-01", "2021-12-31")),
    ("2022-2023 р.р.", "2022-2023 р.р.", norm("interval", "2022-01-01", "2023-12-31")),
    ("червень-листопад 2023", "червень-листопад 2023", norm("interval", "2023-06-01", "2023-11-30")),
    ("Січень - Лютий", "Січень - Лютий", norm("interval", "2023-01-01", "2023-02-28")),
    ("Грудень 2025р.", "Грудень 2025р.", norm("interval", "2025-12-01", "2025-12-31")),
    ("Червень, 2025р.", "Червень, 2025р.", norm("interval", "2025-06-01", "2025-06-30")),
    ("Протягом року", "Протягом року", norm("interval", "2023-01-01", "2023-12-31")),
    ("Оновлення-впродовж року", "впродовж року", norm("interval", "2023-01-01", "2023-12-31")),
    ("Протягом 2025 року", "Протягом 2025 року", norm("interval", "2025-01-01", "2025-12-31")),
    ("На 2023 рік", "На 2023 рік", norm("interval", "2023-01-01", "2023-12-31")),
    ("За 2024 рік", "За 2024 рік", norm("interval", "2024-01-01", "2024-12-31")),
    ("у 2025 році", "2025 році", norm("interval", "2025-01-01", "2025-12-31")),
    ("В 2024 року прийнято участь", "2024 року", norm("interval", "2024-01-01", "2024-12-31")),
    ("за  4 квартали 2024 року", "за  4 квартали 2024 року", norm("interval", "2024-01-01", "2024-12-31")),
    ("протягом звітного періоду 2024 року", "протягом звітного періоду 2024 року",
     norm("interval", "2024-01-01", "2024-12-31")),
    ("З 25.11.2024 по 10.12.2024 року", "З 25.11.2024 по 10.12.2024 року", norm("interval", "2024-11-25", "2024-12-10")),
    ("з 25 листопада по 10 грудня 2024 року", "з 25 листопада по 10 грудня 2024 року",
     norm("interval", "2024-11-25", "2024-12-10")),
    ("Починаючи з І кварталу 2018 року", "Починаючи з І кварталу 2018 року", norm("interval", "2018-01-01")),
    ("Поетапно, починаючи \n\nз IІ кварталу 2018 року до 2020 року",
     "починаючи \n\nз IІ кварталу 2018 року до 2020 року", norm("interval", "2018-04-01", "2020-12-31")),
    ("Постійно, починаючи \n\nз 2018 року", "Постійно, починаючи \n\nз 2018 року", norm("interval", "2018-01-01")),
    ("До червня 2025 року", "До червня 2025 року", norm("date", "2025-06-01", "2025-06-01")),
    ("Формування – до 1 березня", "до 1 березня", norm("date", "2023-03-01", "2023-03-01")),
    ("до 2020 року", "до 2020 року", norm("date", "2020-01-01", "2020-01-01")),
    ("\tДо 2026\n", "До 2026", norm("date", "2026-01-01", "2026-01-01")),
    ("До 29 числа поточного місяця", "До 29 числа поточного місяця",
     norm("recurrence", rrule="FREQ=MONTHLY;BYMONTHDAY=29")),
    ("Щоквартально", "Щоквартально", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3")),
    ("Щокварталу", "Щокварталу", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3")),
    ("Щомісячно", "Щомісячно", norm("recurrence", rrule="FREQ=MONTHLY")),
    ("Щороку", "Щороку", norm("recurrence", rrule="FREQ=YEARLY")),
    ("Щовівторка", "Щовівторка", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=TU")),
    ("Щопонеділка", "Щопонеділка", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=MO")),
    ("Друга п'ятниця щомісячно", "Друга п'ятниця щомісячно", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=2FR")),
    ("Останній четвер місяця", "Останній четвер місяця", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=-1TH")),
    ("Останній вівторок місяця або за запитом", "Останній вівторок місяця",
     norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=-1TU")),
    ("Перший четвер кожного місяця", "Перший четвер кожного місяця", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=1TH")),
    ("Третя п'ятниця місяця, один раз на квартал", "Третя п'ятниця місяця, один раз на квартал",
     norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=3FR")),
    ("Третій вівторок місяця, щоквартально", "Третій вівторок місяця, щоквартально",
     norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=3TU")),
    ("2, 4 субота кожного місяця", "2, 4 субота кожного місяця", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=2SA,4SA")),
    ("Четвер, п'ятниця, щотижнево", "Четвер, п'ятниця, щотижнево", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=TH,FR")),
    ("(1 раз на місяць)", "1 раз на місяць", norm("recurrence", rrule="FREQ=MONTHLY")),
    ("(1раз на місяць)", "1раз на місяць", norm("recurrence", rrule="FREQ=MONTHLY")),
    ("(не рідше ніж 1 раз на місяць)", "не рідше ніж 1 раз на місяць", norm("recurrence", rrule="FREQ=MONTHLY")),
    ("Не рідше 1 разу на квартал, або за окремим графіком", "Не рідше 1 разу на квартал",
     norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3")),
    ("Раз на тиждень.", "Раз на тиждень", norm("recurrence", rrule="FREQ=WEEKLY")),
    ("Два рази на місяць", "Два рази на місяць", norm("recurrence", rrule="FREQ=WEEKLY;INTERVAL=2")),
    ("Щороку на 01 липня  та 01 січня", "Щороку на 01 липня  та 01 січня",
     norm("recurrence", rrule="FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1")),
    ("Щороку до\n01 березня", "Щороку до\n01 березня", norm("recurrence", rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1")),
    ("щороку І квартал", "щороку І квартал", norm("recurrence", rrule="FREQ=YEARLY")),
    ("проведення щорічного аналізу", "щорічного", norm("recurrence", rrule="FREQ=YEARLY")),
    ("щоквартальне телефонне опитування", "щоквартальне", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3")),
    ("Постійно", "Постійно", norm("ongoing")),
]


@pytest.mark.parametrize("text,span,expected", SEED, ids=[s[0][:40] for s in SEED])
def test_seed_plan_forms(text, span, expected):
    assert one(text) == (span, expected)


def test_lists_are_one_mention_per_item():
    assert tags("Лютий, червень, листопад") == [
        ("Лютий", norm("interval", "2023-02-01", "2023-02-28")),
        ("червень", norm("interval", "2023-06-01", "2023-06-30")),
        ("листопад", norm("interval", "2023-11-01", "2023-11-30")),
    ]
    # An elliptic numeral takes the quarter (and year) written after the list.
    assert tags("I, III квартал") == [
        ("I", norm("interval", "2023-01-01", "2023-03-31")),
        ("III квартал", norm("interval", "2023-07-01", "2023-09-30")),
    ]
    assert [t for t, _ in tags("\t2021, 2024, 2026 роки\n", MULTI)] == ["2021", "2024", "2026 роки"]
    assert [t for t, _ in tags("щомісячно, щоквартально")] == ["щомісячно", "щоквартально"]


def test_bracketed_day_after_yearly_rule_is_a_yearly_deadline():
    assert tags("щороку\n\n(до 10 січня)", MULTI) == [
        ("щороку", norm("recurrence", rrule="FREQ=YEARLY")),
        ("до 10 січня", norm("recurrence", rrule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=10")),
    ]


def test_range_and_ongoing_in_one_cell_are_two_mentions():
    assert [t for t, _ in tags("\t2019-2026 роки              постійно\n", MULTI)] == ["2019-2026 роки", "постійно"]


# --------------------------------------------------------------------------- forms the seed plans lack

HAND = [
    ("у ІІІ кварталі 2026 року", "ІІІ кварталі 2026 року", norm("interval", "2026-07-01", "2026-09-30")),
    ("у другому півріччі 2026 року", "другому півріччі 2026 року", norm("interval", "2026-07-01", "2026-12-31")),
    ("протягом першого кварталу", "протягом першого кварталу", norm("interval", "2023-01-01", "2023-03-31")),
    ("4-й квартал 2025 року", "4-й квартал 2025 року", norm("interval", "2025-10-01", "2025-12-31")),
    ("з 1 вересня по 31 грудня", "з 1 вересня по 31 грудня", norm("interval", "2023-09-01", "2023-12-31")),
    ("1-15 вересня", "1-15 вересня", norm("interval", "2023-09-01", "2023-09-15")),
    ("з вересня по грудень 2025 року", "з вересня по грудень 2025 року", norm("interval", "2025-09-01", "2025-12-31")),
    ("грудень 2024 – лютий 2025", "грудень 2024 – лютий 2025", norm("interval", "2024-12-01", "2025-02-28")),
    ("IV квартал 2025 – I квартал 2026 року", "IV квартал 2025 – I квартал 2026 року",
     norm("interval", "2025-10-01", "2026-03-31")),
    ("у березні", "березні", norm("interval", "2023-03-01", "2023-03-31")),
    ("до 15 жовтня", "до 15 жовтня", norm("date", "2023-10-15", "2023-10-15")),
    ("не пізніше 1 квітня 2025 року", "не пізніше 1 квітня 2025 року", norm("date", "2025-04-01", "2025-04-01")),
    ("до кінця 2025 року", "до кінця 2025 року", norm("date", "2025-12-31", "2025-12-31")),
    ("до кінця року", "до кінця року", norm("date", "2023-12-31", "2023-12-31")),
    ("станом на 01.01.2025", "станом на 01.01.2025", norm("date", "2025-01-01", "2025-01-01")),
    ("з 01.01.2025", "з 01.01.2025", norm("interval", "2025-01-01")),
    ("з початку року", "з початку року", norm("interval", "2023-01-01")),
    ("2027–2028 рр.", "2027–2028 рр.", norm("interval", "2027-01-01", "2028-12-31")),
    ("з 2018 по 2020 рік", "з 2018 по 2020 рік", norm("interval", "2018-01-01", "2020-12-31")),
    ("від 1 вересня до 31 грудня 2025 року", "від 1 вересня до 31 грудня 2025 року",
     norm("interval", "2025-09-01", "2025-12-31")),
    ("у наступному році", "наступному році", norm("interval", "2024-01-01", "2024-12-31")),
    ("за попередній рік", "за попередній рік", norm("interval", "2022-01-01", "2022-12-31")),
    ("щоп'ятниці", "щоп'ятниці", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=FR")),
    ("щоп’ятниці", "щоп’ятниці", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=FR")),
    ("перша середа кожного місяця", "перша середа кожного місяця", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=1WE")),
    ("двічі на рік", "двічі на рік", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=6")),
    ("раз на півроку", "раз на півроку", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=6")),
    ("тричі на рік", "тричі на рік", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=4")),
    ("до 15 числа", "до 15 числа", norm("recurrence", rrule="FREQ=MONTHLY;BYMONTHDAY=15")),
    ("щомісяця до 5 числа", "щомісяця до 5 числа", norm("recurrence", rrule="FREQ=MONTHLY;BYMONTHDAY=5")),
    ("кожні два тижні", "кожні два тижні", norm("recurrence", rrule="FREQ=WEEKLY;INTERVAL=2")),
    ("кожного понеділка", "кожного понеділка", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=MO")),
    ("по вівторках", "по вівторках", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=TU")),
    ("щотижня у середу", "щотижня у середу", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=WE")),
    ("з понеділка по п'ятницю", "з понеділка по п'ятницю", norm("recurrence", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")),
    ("щороку в грудні", "щороку в грудні", norm("recurrence", rrule="FREQ=YEARLY;BYMONTH=12")),
    ("щодня", "щодня", norm("recurrence", rrule="FREQ=DAILY")),
    ("раз у квартал", "раз у квартал", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3")),
    ("не рідше двох разів на рік", "не рідше двох разів на рік", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=6")),
    ("до 25 грудня поточного року", "до 25 грудня поточного року", norm("date", "2023-12-25", "2023-12-25")),
    ("у ІІ кварталі наступного року", "ІІ кварталі наступного року", norm("interval", "2024-04-01", "2024-06-30")),
    ("за 9 місяців 2024 року", "за 9 місяців 2024 року", norm("interval", "2024-01-01", "2024-09-30")),
    ("І-ІV квартали 2025 року", "І-ІV квартали 2025 року", norm("interval", "2025-01-01", "2025-12-31")),
    ("щоквартально до 5 числа", "щоквартально до 5 числа", norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5")),
    ("Щорічно до 15.01", "Щорічно до 15.01", norm("recurrence", rrule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15")),
    ("Щокварталу, до 10 числа", "Щокварталу, до 10 числа",
     norm("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10")),
    ("передостання п'ятниця місяця", "передостання п'ятниця місяця", norm("recurrence", rrule="FREQ=MONTHLY;BYDAY=-2FR")),
]


@pytest.mark.parametrize("text,span,expected", HAND, ids=[h[0][:40] for h in HAND])
def test_forms_the_seed_plans_lack(text, span, expected):
    assert one(text) == (span, expected)


# --------------------------------------------------------------------------- not dates

NOT_DATES = [
    "За потреби", "за потребою", "у разі потреби", "За запитом", "За окремим графіком",
    "При отриманні звернення/повідомлення", "Після припинення дії воєнного стану",
    "У період після припинення дії воєнного стану", "Відповідно до змін у законодавчій базі",
    "до Дня захисників та захисниць", "Міжнародного дня сім'ї",  # named days
    "2 дні", "на тиждень", "на 2 тижні", "протягом місяця", "40 годин на тиждень",  # durations
    "2 квартали", "протягом 6 місяців", "з 18 років", "на 5 років", "понад 2000 осіб", "на 2000 осіб",
    "№ 2020", "№ 2657-ХІІ", "2558 – ІІІ", "538/2016", "з 9.00 до 18.00", "1.1.10", "2.12. Забезпечити",
    "I етап", "ІІ рівня", "Березанської міської ради", "профілактика вікарної травми",
    "постійного місця проживання", "щомісячний план відділу", "щорічної Всеукраїнської акції",
    "щомісячна грошова допомога", "кожен учасник", "у понеділок",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text):
    assert tags(text) == []


def test_dates_of_cited_documents_and_quoted_titles_are_left_out():
    text = (
        "- від 29.11.2021 «План заходів на 2021 і 2022 роки з реалізації стратегії на період до 2030 року»\n"
        "Розпорядження голови \nрайдержадміністрації \n\n27.06.2019  № 309\n"
        "Наказ від 28.12.2022 р. 2022р. №278\n"
        "рішення від 9 липня\n"
        "Захід\tБерезень 2023\n"
    )
    assert [t for t, _ in tags(text)] == ["Березень 2023"]


def test_a_number_sign_on_the_next_line_is_no_citation():
    text = "План роботи відділу на 2024 рік\n№\tЗахід\tТермін\n"
    assert [t for t, _ in tags(text)] == ["на 2024 рік"]


def test_a_form_day_in_quotes_is_a_date_not_a_title():
    assert tags("Рішенням від «_21_»_липня 2020 № _112_") == []  # a cited act's date …
    assert [t for t, _ in tags("\t«_21_»_липня 2020\n")] == ["«_21_»_липня 2020"]


# --------------------------------------------------------------------------- anchoring


def test_bare_units_take_the_plan_year():
    assert one("Січень", Y2025)[1] == norm("interval", "2025-01-01", "2025-01-31")
    assert one("Протягом року", Y2025)[1] == norm("interval", "2025-01-01", "2025-12-31")


def test_a_multi_year_plan_gives_no_year():
    assert one("протягом року", MULTI)[1] == norm("interval")
    assert one("II півріччя", MULTI)[1] == norm("interval")
    assert one("на наступний фінансовий рік", MULTI)[1] == norm("interval")
    # … but an explicit year still resolves
    assert one("ІІ квартал 2019 року", MULTI)[1] == norm("interval", "2019-04-01", "2019-06-30")


def test_without_metadata_the_plan_year_is_read_from_the_title():
    text = "**Календарний план\nКиївського міського центру соціальних служб\nна 2023 рік**\n\nЗахід\tЛютий\n"
    assert tags(text, None)[-1] == ("Лютий", norm("interval", "2023-02-01", "2023-02-28"))
    multi = "План розвитку системи послуг на 2019 – 2026 роки\n\nЗахід\tпротягом року\n"
    assert tags(multi, None)[-1] == ("протягом року", norm("interval"))


def test_a_report_section_heading_anchors_its_content():
    text = (
        " І. Аналіз діяльності центру у 2024 році \n"
        "Соціальним супроводженням протягом року було охоплено 8 сімей.\n"
        "На останньому засіданні звітного періоду було затверджено план роботи на 2025 рік.\n"
        "ІI. Метою роботи ЦСС у 2025 році є:\n"
        "IV. Заходи по забезпеченню виконання завдань\n"
        "\t1.1.\tВисвітлення роботи центру\tПротягом року\n"
    )
    found = tags(text, Y2025)
    assert ("протягом року", norm("interval", "2024-01-01", "2024-12-31")) in found
    assert ("звітного періоду", norm("interval", "2024-01-01", "2024-12-31")) in found
    assert ("на 2025 рік", norm("interval", "2025-01-01", "2025-12-31")) in found
    assert found[-1] == ("Протягом року", norm("interval", "2025-01-01", "2025-12-31"))


def test_a_year_in_the_same_sentence_anchors_a_bare_month():
    found = tags("Звіт. У 2018 р. у березні проведено семінар. Далі у квітні.", Y2025)
    assert found == [
        ("2018 р.", norm("interval", "2018-01-01", "2018-12-31")),
        ("березні", norm("interval", "2018-03-01", "2018-03-31")),
        ("квітні", norm("interval", "2025-04-01", "2025-04-30")),
    ]


def test_a_deadline_cut_by_a_page_break_is_read_with_its_continuation():
    text = (
        "\t2.2.4. Забезпечити безперешкодний доступ до \n"
        "\tПостійно, починаючи \n"
        "\tВідділ освіти виконавчого комітету \n\n"
        "\tПродовження додатку\n\nдо рішення виконавчого комітету \n\n\t1\n\t2\n\t3\n\n"
        "\tприміщень закладів\n"
        "\tз 2018 року\n"
        "\tБерезанської міської ради\n"
    )
    assert tags(text, MULTI) == [("Постійно, починаючи", norm("interval", "2018-01-01"))]
    # Without a continuation only "Постійно" is a mention.
    assert tags("\tПостійно, починаючи \n\tВідділ освіти\n", MULTI) == [("Постійно", norm("ongoing"))]


# --------------------------------------------------------------------------- normaliser entry points


def test_normalise_date_reads_the_text_alone_in_the_plan_year():
    assert normalise_date("Лютий", Y2023, {}) == norm("interval", "2023-02-01", "2023-02-28")
    assert normalise_date("на 2025 рік", None, {}) == norm("interval", "2025-01-01", "2025-12-31")
    assert normalise_date("Лютий", None, {}) == norm("interval")
    assert normalise_date("Постійно", None, {}) == norm("ongoing")
    assert normalise_date("не дата", Y2023, {}) is None


def test_normalise_date_uses_the_taggers_hints():
    text = "I, III квартал 2022"
    (first, anchor), _ = find_dates(text, Y2023)
    hints = {"value": first.value, "anchor_year": anchor}
    assert normalise_date("I", Y2023, hints) == norm("interval", "2022-01-01", "2022-03-31")
    assert normalise_date("Січень", Y2023, {"anchor_year": 2024}) == norm("interval", "2024-01-01", "2024-01-31")


def test_normalise_deadline():
    assert normalise_deadline(None, Y2023) is None
    assert normalise_deadline("  ", Y2023) is None
    for condition in ("За потреби", "За запитом", "За окремим графіком", "Після припинення дії воєнного стану",
                      "При отриманні звернення/повідомлення"):
        got = normalise_deadline(condition, Y2025)
        assert got == {"kind": "condition", "start": None, "end": None, "rrule": None, "text": condition}
    assert normalise_deadline("ІІ квартал 2025 року", Y2025) == norm("interval", "2025-04-01", "2025-06-30")
    assert normalise_deadline("Протягом року", Y2025) == norm("interval", "2025-01-01", "2025-12-31")
    with_condition = normalise_deadline("Протягом року (за потреби)", Y2025)
    assert with_condition["start"] == "2025-01-01" and with_condition["condition"] == "за потреби"
    assert normalise_deadline("Постійно, починаючи з 2018 року", MULTI) == norm("interval", "2018-01-01")
    refined = normalise_deadline("щороку (до 10 січня)", MULTI)
    assert refined["rrule"] == "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=10" and len(refined["parts"]) == 2
    months = normalise_deadline("Лютий, червень, листопад", Y2023)
    assert (months["start"], months["end"]) == ("2023-02-01", "2023-11-30")
    assert [p["text"] for p in months["parts"]] == ["Лютий", "червень", "листопад"]
    first = normalise_deadline("2019-2026 роки постійно", MULTI)
    assert (first["kind"], first["start"], first["end"]) == ("interval", "2019-01-01", "2026-12-31")


# --------------------------------------------------------------------------- spaCy component


def test_date_tagger_component_proposes_candidates_with_hints():
    nlp = build_nlp(["date_tagger"])
    text = "Семінар\tЛютий, травень\tЧеркашина Л.Б.\nНарада\tЩовівторка\n"
    source = SourceDocument("t", "t.txt", "txt", text)
    mentions = next(tag_documents([(source, text, TagContext("t", Y2023))], nlp=nlp))
    assert [(m.text, m.label) for m in mentions] == [("Лютий", "DATE"), ("травень", "DATE"), ("Щовівторка", "DATE")]
    assert normalise_date(mentions[1].text, Y2023, mentions[1].hints) == norm("interval", "2023-05-01", "2023-05-31")


def test_scan_is_linear_in_the_number_of_tokens():
    # A long run of list items must not make the parser backtrack.
    text = ", ".join(["Лютий"] * 2000)
    assert len(scan(text)) == 2000

"""Plans written as numbered lists of paragraphs with labelled fields
(pipeline/segment/numbered_lists.py): hand-written plans in the list styles the seeds
lack, exact fields; lists that are not plans (contents, priorities, glossary, legal
acts, a report's narrative) give nothing; the seeds give nothing beside their tables."""
from __future__ import annotations

import pytest

from pipeline.models import Measure, SourceDocument
from pipeline.segment import cell_tables, numbered_lists, row_tables
from pipeline.segment.layout import LayoutResult, assign_sections
from pipeline.text import mask_markup

SEEDS = ("berezan-2018-2026", "chernihiv-2025", "kyiv-kmcss-2023", "pokrovsk-css-2025", "svatove-2019-2026")
FIELDS = ("number", "section", "task", "text", "deadline", "executors", "indicator", "purpose")


def parse_text(text: str, fmt: str = "txt", claimed=None) -> LayoutResult:
    doc = SourceDocument(doc_id="t", path=f"t.{fmt}", format=fmt, text=text)
    found = numbered_lists.parse(doc, mask_markup(text), claimed=claimed)
    found.sections, found.measures = assign_sections(found.sections, found.measures)
    return found


def rows(found: LayoutResult) -> list[tuple]:
    return [tuple(getattr(m, f) for f in FIELDS) for m in found.measures]


def check_offsets(text: str, measures: list[Measure]) -> None:
    """``start`` is where the measure text begins (after its number), ``end`` the end of
    the item."""
    for m in measures:
        first_word = m.text.split()[0]
        assert text[m.start :].startswith(first_word), (m.text, text[m.start : m.start + 30])
        assert m.start < m.end <= len(text) and not text[m.end - 1].isspace()


def lines(text: str, first: int, last: int) -> str:
    """Lines ``first``..``last`` (0-based, inclusive) of a corpus text, as written."""
    return "".join(text.splitlines(keepends=True)[first : last + 1])


# ------------------------------------------------------------------ hand-written plans

FIELD_LINES = """План роботи Центру соціальних служб Бучанської міської ради на 2025 рік

1. Забезпечити проведення оцінювання потреб сімей, які перебувають у складних життєвих обставинах.
Термін: постійно.
Відповідальні: фахівці із соціальної роботи.

2. Провести семінар для прийомних батьків щодо підтримки дітей з інвалідністю.
Термін: ІІ квартал 2025 року.
Відповідальна: Петренко І.В.
"""


def test_field_lines_under_each_item():
    found = parse_text(FIELD_LINES)
    assert rows(found) == [
        ("1", None, None,
         "Забезпечити проведення оцінювання потреб сімей, які перебувають у складних життєвих обставинах.",
         "постійно.", ["фахівці із соціальної роботи"], None, None),
        ("2", None, None, "Провести семінар для прийомних батьків щодо підтримки дітей з інвалідністю.",
         "ІІ квартал 2025 року.", ["Петренко І.В."], None, None),
    ]
    check_offsets(FIELD_LINES, found.measures)
    first = found.measures[0]
    assert FIELD_LINES[first.start - 3 : first.start] == "1. "
    assert FIELD_LINES[: first.end].endswith("фахівці із соціальної роботи.")
    assert found.sections == []  # the title is metadata, not a section


SAME_LINE = """ЗАТВЕРДЖЕНО
наказом директора
від 10.01.2025 № 3

ПЛАН ЗАХОДІВ
відділу соціальної роботи на 2025 рік

І. Організаційна робота
1.1. Оновити реєстр надавачів соціальних послуг громади – до 1 липня 2025 року, відділ соціальної роботи.
1.2. Провести нараду з керівниками закладів освіти (термін – І квартал; відповідальний – Коваленко О.І.).
1.3. Підготувати звіт про виконання плану – щокварталу, Петренко І.В., Сидоренко А.А.

ІІ. Методична робота
2.1. Розробити методичні рекомендації щодо ведення випадку – ІІ квартал, методист центру.
2.2. Провести навчання для фахівців
із соціальної роботи – протягом року, психолог центру.
"""


def test_fields_on_the_item_line_after_a_dash_or_in_a_bracket():
    found = parse_text(SAME_LINE)
    org, met = "І. Організаційна робота", "ІІ. Методична робота"
    assert rows(found) == [
        ("1.1", org, None, "Оновити реєстр надавачів соціальних послуг громади", "до 1 липня 2025 року",
         ["відділ соціальної роботи"], None, None),
        ("1.2", org, None, "Провести нараду з керівниками закладів освіти", "І квартал", ["Коваленко О.І."],
         None, None),
        ("1.3", org, None, "Підготувати звіт про виконання плану", "щокварталу",
         ["Петренко І.В.", "Сидоренко А.А."], None, None),
        ("2.1", met, None, "Розробити методичні рекомендації щодо ведення випадку", "ІІ квартал",
         ["методист центру"], None, None),
        ("2.2", met, None, "Провести навчання для фахівців із соціальної роботи", "протягом року",
         ["психолог центру"], None, None),
    ]
    assert [(s.title, s.number, s.kind) for s in found.sections] == [(org, "І", "section"), (met, "ІІ", "section")]
    check_offsets(SAME_LINE, found.measures)


NESTED = """Перспективний план роботи
Центру соціальних служб на 2025 рік

1. Методична робота
1.1. Підготувати методичні рекомендації для фахівців громади щодо роботи з
сім'ями, які виховують дітей з інвалідністю.
Строк: до 1 квітня 2025 року.
Виконавці: методист, психолог центру.
Очікуваний результат: підвищено кваліфікацію фахівців.
1.2. Провести семінари для:
а) прийомних батьків;
б) батьків-вихователів.
Термін виконання: ІІ–ІІІ квартал.
Відповідальний за виконання: Коваленко О.І.

2. Робота з сім'ями
2.1. Забезпечити соціальний супровід сімей, які перебувають у складних життєвих обставинах.
Мета: подолання складних життєвих обставин.
Термін виконання: постійно.
Відповідальні: фахівці із соціальної роботи.
2.2. Організувати роботу мобільної бригади:
а) виїзди до сімей – щотижня, фахівці центру;
б) консультування постраждалих – постійно, психолог центру.
"""
NESTED_ROWS = [
    ("1.1", "1. Методична робота", None,
     "Підготувати методичні рекомендації для фахівців громади щодо роботи з сім'ями, "
     "які виховують дітей з інвалідністю.",
     "до 1 квітня 2025 року.", ["методист", "психолог центру"], "підвищено кваліфікацію фахівців.", None),
    # an enumeration without fields of its own: one measure, the fields after it are its
    ("1.2", "1. Методична робота", None, "Провести семінари для: а) прийомних батьків; б) батьків-вихователів.",
     "ІІ–ІІІ квартал.", ["Коваленко О.І."], None, None),
    ("2.1", "2. Робота з сім'ями", None,
     "Забезпечити соціальний супровід сімей, які перебувають у складних життєвих обставинах.",
     "постійно.", ["фахівці із соціальної роботи"], None, "подолання складних життєвих обставин."),
    # sub-items with fields of their own: measures, their task line the task
    ("а", "2. Робота з сім'ями", "2.2. Організувати роботу мобільної бригади:", "виїзди до сімей", "щотижня",
     ["фахівці центру"], None, None),
    ("б", "2. Робота з сім'ями", "2.2. Організувати роботу мобільної бригади:", "консультування постраждалих",
     "постійно", ["психолог центру"], None, None),
]


def test_numbered_headings_sub_items_and_all_field_labels():
    found = parse_text(NESTED)
    assert rows(found) == NESTED_ROWS
    assert [(s.title, s.kind) for s in found.sections] == [
        ("1. Методична робота", "section"),
        ("2. Робота з сім'ями", "section"),
        ("2.2. Організувати роботу мобільної бригади:", "task"),
    ]
    check_offsets(NESTED, found.measures)


def test_crlf_line_ends_give_the_same_measures_and_true_offsets():
    crlf = NESTED.replace("\n", "\r\n")
    found = parse_text(crlf)
    assert rows(found) == NESTED_ROWS
    check_offsets(crlf, found.measures)
    lf = parse_text(NESTED).measures
    # every offset moves by the number of "\r" before it
    for a, b in zip(lf, found.measures):
        assert b.start == a.start + NESTED[: a.start].count("\n")


INLINE_LABELS = """Заходи з підтримки сімей з дітьми

1) Провести інформаційну кампанію щодо послуги патронату над дитиною. Термін: березень – квітень 2025 року. Відповідальний: відділ інформаційної роботи.
2) Організувати навчання кандидатів у прийомні батьки. Термін: за потреби. Відповідальні: Коваленко О.І., Бондар Н.М.
3) Забезпечити участь фахівців у засіданнях комісії з питань захисту прав дитини; строк – щомісяця; виконавці – фахівці із соціальної роботи.
"""


def test_labels_inside_the_item_line():
    found = parse_text(INLINE_LABELS)
    assert rows(found) == [
        ("1", None, None, "Провести інформаційну кампанію щодо послуги патронату над дитиною.",
         "березень – квітень 2025 року.", ["відділ інформаційної роботи"], None, None),
        ("2", None, None, "Організувати навчання кандидатів у прийомні батьки.", "за потреби.",
         ["Коваленко О.І.", "Бондар Н.М."], None, None),
        ("3", None, None, "Забезпечити участь фахівців у засіданнях комісії з питань захисту прав дитини",
         "щомісяця", ["фахівці із соціальної роботи"], None, None),
    ]
    check_offsets(INLINE_LABELS, found.measures)


UNNUMBERED_HEADINGS = """Організаційна робота

1. Скласти графік відпусток працівників центру.
Термін: січень.
Відповідальна: Мельник О.П.
2. Провести інвентаризацію майна.
Термін: грудень.
Відповідальний: завідувач господарства.

Методична робота
1. Оновити інформаційні матеріали для отримувачів послуг.
Термін: протягом року.
Відповідальні: методисти.
"""


def test_unnumbered_headings_and_numbering_that_restarts_under_them():
    found = parse_text(UNNUMBERED_HEADINGS)
    assert rows(found) == [
        ("1", "Організаційна робота", None, "Скласти графік відпусток працівників центру.", "січень.",
         ["Мельник О.П."], None, None),
        ("2", "Організаційна робота", None, "Провести інвентаризацію майна.", "грудень.",
         ["завідувач господарства"], None, None),
        ("1", "Методична робота", None, "Оновити інформаційні матеріали для отримувачів послуг.", "протягом року.",
         ["методисти"], None, None),
    ]
    check_offsets(UNNUMBERED_HEADINGS, found.measures)


def test_a_lone_heading_right_under_the_title_is_not_a_section():
    text = "Центр соціальних служб\n\n" + FIELD_LINES.split("\n\n", 1)[1]
    found = parse_text(text)
    assert [m.section for m in found.measures] == [None, None]
    assert found.sections == []


WORD_HEADINGS = """Розділ 1. Управління процесом реформування
Завдання 1. Забезпечити координацію діяльності суб'єктів
1.1. Створити міжвідомчу робочу групу з питань реформування (відп. Сидоренко А.А.).
1.2. Проводити засідання робочої групи (відп. Сидоренко А.А., Мельник О.П.).
Завдання 2. Удосконалити нормативну базу
2.1. Розробити положення про службу підтримки сімей (відп. юридичний відділ).

Розділ 2. Розвиток послуг
2.1. Запровадити послугу раннього втручання (відп. КНП «Центр первинної медичної допомоги»).
"""


def test_word_headings_and_executor_notes():
    found = parse_text(WORD_HEADINGS)
    r1, r2 = "Розділ 1. Управління процесом реформування", "Розділ 2. Розвиток послуг"
    t1, t2 = "Завдання 1. Забезпечити координацію діяльності суб'єктів", "Завдання 2. Удосконалити нормативну базу"
    assert rows(found) == [
        ("1.1", r1, t1, "Створити міжвідомчу робочу групу з питань реформування", None, ["Сидоренко А.А."], None, None),
        ("1.2", r1, t1, "Проводити засідання робочої групи", None, ["Сидоренко А.А.", "Мельник О.П."], None, None),
        ("2.1", r1, t2, "Розробити положення про службу підтримки сімей", None, ["юридичний відділ"], None, None),
        ("2.1", r2, None, "Запровадити послугу раннього втручання", None,
         ["КНП «Центр первинної медичної допомоги»"], None, None),
    ]
    assert [(s.title, s.kind, s.level) for s in found.sections] == [
        (r1, "section", 1), (t1, "task", 2), (t2, "task", 2), (r2, "section", 1),
    ]


TABS_AND_BLANKS = """ПЛАН РОБОТИ
служби у справах дітей

1.\tЗдійснювати контроль за умовами утримання
\tта виховання дітей у прийомних сім'ях
\tі дитячих будинках сімейного типу.

\tТермін виконання: постійно.
\tВідповідальні:
\t- Бондар Н.М.;
\t- Коваленко О.І.

2.\tВести облік дітей, які залишились без батьківського піклування.

\tТермін виконання: постійно.
\tВідповідальні: спеціалісти служби.
"""


def test_tab_after_the_number_blank_lines_and_a_bulleted_executors_list():
    found = parse_text(TABS_AND_BLANKS)
    assert rows(found) == [
        ("1", None, None,
         "Здійснювати контроль за умовами утримання та виховання дітей у прийомних сім'ях "
         "і дитячих будинках сімейного типу.",
         "постійно.", ["Бондар Н.М.", "Коваленко О.І."], None, None),
        ("2", None, None, "Вести облік дітей, які залишились без батьківського піклування.", "постійно.",
         ["спеціалісти служби"], None, None),
    ]
    check_offsets(TABS_AND_BLANKS, found.measures)


BULLETS_UNDER_A_TASK = """3. Інформаційна робота
3.1. Підготувати та розповсюдити інформаційні матеріали:
- буклет «Послуги центру» (відп. Ткаченко Л.М.);
- пам'ятку для внутрішньо переміщених осіб (відп. Бондар Н.М.);
- листівку щодо протидії домашньому насильству (відп. Ткаченко Л.М.).
3.2. Висвітлювати діяльність центру на офіційному сайті та в соціальних мережах (відп. Ткаченко Л.М.).
"""


def test_bullets_with_executor_notes_under_a_task_line():
    found = parse_text(BULLETS_UNDER_A_TASK)
    sec, task = "3. Інформаційна робота", "3.1. Підготувати та розповсюдити інформаційні матеріали:"
    assert rows(found) == [
        (None, sec, task, "буклет «Послуги центру»", None, ["Ткаченко Л.М."], None, None),
        (None, sec, task, "пам'ятку для внутрішньо переміщених осіб", None, ["Бондар Н.М."], None, None),
        (None, sec, task, "листівку щодо протидії домашньому насильству", None, ["Ткаченко Л.М."], None, None),
        ("3.2", sec, None, "Висвітлювати діяльність центру на офіційному сайті та в соціальних мережах", None,
         ["Ткаченко Л.М."], None, None),
    ]
    check_offsets(BULLETS_UNDER_A_TASK, found.measures)


SUB_POINTS = """1. Провести цикл семінарів для прийомних батьків (відп. Коваленко О.І.):
1.1. «Прихильність і травма»;
1.2. «Підлітковий вік».
2. Оновити банк даних прийомних сімей (відп. Бондар Н.М.).
"""


def test_sub_points_of_an_item_that_carries_the_fields_are_its_text():
    found = parse_text(SUB_POINTS)
    assert rows(found) == [
        ("1", None, None,
         "Провести цикл семінарів для прийомних батьків: 1.1. «Прихильність і травма»; 1.2. «Підлітковий вік».",
         None, ["Коваленко О.І."], None, None),
        ("2", None, None, "Оновити банк даних прийомних сімей", None, ["Бондар Н.М."], None, None),
    ]
    assert found.measures[0].end == SUB_POINTS.index("\n2.")


LETTERS = """Напрям 1. Підтримка сімей з дітьми
а) Запровадити послугу денного догляду для дітей з інвалідністю.
Відповідальний за виконання: управління соціального захисту населення.
Термін виконання: 2025–2026 роки.
Індикатор: кількість дітей, які отримали послугу.
б) Створити мобільну бригаду соціально-психологічної допомоги.
Відповідальний за виконання: Центр соціальних служб.
Термін виконання: IV квартал 2025 року.
Показник: бригада утворена.

Напрям 2. Кадрове забезпечення
а) Організувати навчання фахівців за програмою «Кейс-менеджмент».
Відповідальний за виконання: Центр соціальних служб, відділ кадрової роботи.
Термін виконання: щороку.
"""


def test_letter_items_under_word_headings_with_indicators():
    found = parse_text(LETTERS)
    n1, n2 = "Напрям 1. Підтримка сімей з дітьми", "Напрям 2. Кадрове забезпечення"
    assert rows(found) == [
        ("а", n1, None, "Запровадити послугу денного догляду для дітей з інвалідністю.", "2025–2026 роки.",
         ["управління соціального захисту населення"], "кількість дітей, які отримали послугу.", None),
        ("б", n1, None, "Створити мобільну бригаду соціально-психологічної допомоги.", "IV квартал 2025 року.",
         ["Центр соціальних служб"], "бригада утворена.", None),
        ("а", n2, None, "Організувати навчання фахівців за програмою «Кейс-менеджмент».", "щороку.",
         ["Центр соціальних служб", "відділ кадрової роботи"], None, None),
    ]
    check_offsets(LETTERS, found.measures)


WRAPPED = """1. Укласти меморандум про співпрацю з
Київським міським центром соціальних служб.
Термін: І квартал.
Відповідальні: директор.
Робота з громадою
2. Провести громадські слухання щодо потреб у соціальних послугах
громади.
Термін: ІІ квартал.
Відповідальні: заступник директора,
фахівці відділу.
3. Оприлюднити результати слухань на сайті.
"""


def test_wrapped_lines_and_a_heading_right_under_the_fields():
    found = parse_text(WRAPPED)
    assert rows(found) == [
        ("1", None, None, "Укласти меморандум про співпрацю з Київським міським центром соціальних служб.",
         "І квартал.", ["директор"], None, None),
        ("2", "Робота з громадою", None, "Провести громадські слухання щодо потреб у соціальних послугах громади.",
         "ІІ квартал.", ["заступник директора", "фахівці відділу"], None, None),
        ("3", "Робота з громадою", None, "Оприлюднити результати слухань на сайті.", None, [], None, None),
    ]
    check_offsets(WRAPPED, found.measures)


def test_docx_paragraphs_whose_automatic_numbers_were_lost(tmp_path):
    import docx

    from pipeline.read import read_document

    paragraphs = [
        "План роботи на 2025 рік", "Організаційна робота", "Скласти графік відпусток працівників центру.",
        "Термін: січень.", "Відповідальна: Мельник О.П.", "Провести інвентаризацію майна.", "Термін: грудень.",
        "Відповідальний: завідувач господарства.", "Методична робота",
        "Оновити інформаційні матеріали для отримувачів послуг.", "Термін: протягом року.", "Відповідальні: методисти.",
    ]
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = read_document(path)
    found = numbered_lists.parse(doc, mask_markup(doc.text), claimed=[])
    found.sections, found.measures = assign_sections(found.sections, found.measures)
    assert rows(found) == [
        (None, "Організаційна робота", None, "Скласти графік відпусток працівників центру.", "січень.",
         ["Мельник О.П."], None, None),
        (None, "Організаційна робота", None, "Провести інвентаризацію майна.", "грудень.",
         ["завідувач господарства"], None, None),
        (None, "Методична робота", None, "Оновити інформаційні матеріали для отримувачів послуг.",
         "протягом року.", ["методисти"], None, None),
    ]
    check_offsets(doc.text, found.measures)


# ------------------------------------------------------------------ lists that are not plans


def test_a_plan_followed_by_its_legal_basis():
    text = """1. Провести моніторинг надання соціальних послуг.
Термін: ІІ півріччя.
Відповідальні: відділ моніторингу.
2. Оприлюднити звіт про виконання плану.
Термін: до 31 грудня 2025 року.
Відповідальні: директор центру.

Нормативно-правова база

Закони України:
- від 17.01.2019 № 2671-VIII «Про соціальні послуги»;
- від 21.06.2001 № 2558 – ІІІ «Про соціальну роботу з сім'ями, дітьми та молоддю»;
Постанови Кабінету Міністрів України:
1. від 01.06.2020 № 479 «Деякі питання діяльності центрів соціальних служб»;
2. від 01.06.2020 № 587 «Про організацію надання соціальних послуг».
"""
    found = parse_text(text)
    assert [m.number for m in found.measures] == ["1", "2"]
    assert all("Закон" not in m.text and "від " not in m.text for m in found.measures)


@pytest.mark.parametrize(
    "text",
    [
        # a table of contents
        "Зміст\n1. Вступ ............ 3\n2. Аналіз роботи .... 5\n3. План заходів .... 9\n",
        "ЗМІСТ\n\n1. Загальні положення\n2. Мета і завдання\n3. Заходи\n",
        # a glossary, with dashes that are not deadlines
        "Основні скорочення\n1. ВПО – внутрішньо переміщені особи;\n2. СЖО – складні життєві обставини;\n"
        "3. ЦСС – центр соціальних служб, відділ.\n",
        "Терміни та визначення:\n- кейс-менеджмент – метод соціальної роботи;\n"
        "- супервізія – форма підтримки фахівців.\n",
        # priorities, even with a dash and a time expression
        "Пріоритети роботи на 2025 рік\n1. Розвиток сімейних форм виховання – постійно, фахівці центру.\n"
        "2. Підвищення якості соціальних послуг.\n",
        # a list of legal acts, numbered, with dates
        "Закони України:\n1. від 02.10.1992 № 2657-ХІІ «Про інформацію»;\n"
        "2. від 21.06.2001 № 2558 – ІІІ «Про соціальну роботу з дітьми та молоддю»;\n",
        # a plain list of goals: no fields anywhere
        "Основні завдання на 2025 рік:\n1. Підвищити якість соціальних послуг.\n"
        "2. Забезпечити раннє виявлення сімей.\n",
        # a report's narrative, even with an executor note and a deadline pattern
        "У 2024 році центром проведено значну роботу, зокрема:\n"
        "1) забезпечено інформування сімей – у 2024 році фахівцями центру здійснено 236 відвідувань "
        "(відп. Мальцева К.В.);\n"
        "2) здійснено соціальну роботу з 37 родинами – протягом року, фахівці центру;\n"
        "3) проведено 12 тренінгів для прийомних батьків.\n",
    ],
)
def test_lists_that_are_not_plans_give_nothing(text):
    assert parse_text(text).measures == []
    assert parse_text(text.replace("\n", "\r\n")).measures == []


def test_pokrovsk_report_narrative_gives_nothing(corpus_text):
    text = lines(corpus_text("pokrovsk-css-2025"), 45, 70)  # "1) забезпечено …", bullets, legal basis
    assert "1) забезпечено" in text
    assert parse_text(text).measures == []


def test_kyiv_front_matter_and_legal_appendix_give_nothing(corpus_text):
    kyiv = corpus_text("kyiv-kmcss-2023")
    front = lines(kyiv, 0, 52)  # title, contents, abbreviations, priorities "1. … 4."
    assert "Пріоритети" in front and "4. Унормування" in front
    assert parse_text(front).measures == []
    appendix = lines(kyiv, 360, 520)  # "Закони України:" "- від …" and the other acts
    assert parse_text(appendix).measures == []


@pytest.fixture(scope="module")
def seeds_after_tables(corpus_text):
    out = {}
    for doc_id in SEEDS:
        text = corpus_text(doc_id)
        doc = SourceDocument(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", text=text)
        masked = mask_markup(text)
        found = cell_tables.parse(doc, masked, claimed=[])
        found = found.merge(row_tables.parse(doc, masked, claimed=found.claimed))
        out[doc_id] = (doc, masked, found)
    return out


@pytest.mark.parametrize("doc_id", SEEDS)
def test_seeds_give_nothing_beside_their_tables(seeds_after_tables, doc_id):
    doc, masked, found = seeds_after_tables[doc_id]
    assert numbered_lists.parse(doc, masked, claimed=found.claimed).measures == []


def test_claimed_text_is_left_alone():
    claimed = [(0, len(FIELD_LINES) // 2)]
    found = parse_text(FIELD_LINES, claimed=claimed)
    assert all(m.start >= claimed[0][1] for m in found.measures)
    assert parse_text(FIELD_LINES, claimed=[(0, len(FIELD_LINES))]).measures == []


def test_numbers_that_jump_start_another_list():
    text = """1. Провести семінар для фахівців (відп. Коваленко О.І.).
2. Провести тренінг для батьків (відп. Бондар Н.М.).

5. Методична підтримка спеціалістів надавачів соціальних послуг
"""
    found = parse_text(text)
    assert [m.number for m in found.measures] == ["1", "2"]


def test_number_alone_on_its_line_and_a_heading_under_it():
    text = """І.
Організаційна робота
1.
Методична робота
1.1. Провести семінар для фахівців.
Термін: І квартал.
Відповідальні: методист.
2.
Забезпечити супровід сімей.
Термін: постійно.
Відповідальні: фахівці.
"""
    found = parse_text(text)
    assert rows(found) == [
        ("1.1", "І. Організаційна робота", "1. Методична робота", "Провести семінар для фахівців.", "І квартал.",
         ["методист"], None, None),
        ("2", "І. Організаційна робота", None, "Забезпечити супровід сімей.", "постійно.", ["фахівці"], None, None),
    ]
    check_offsets(text, found.measures)


def test_executors_wrapped_onto_a_capitalised_line_are_not_a_heading():
    text = """1. Провести семінар.
Відповідальні: відділ освіти,
Центр соціальних служб
2. Провести тренінг.
Відповідальні: психолог
Центр соціальних служб
3. Оновити реєстр (термін – ІІ квартал), відповідальні: психолог.
"""
    found = parse_text(text)
    assert rows(found) == [
        ("1", None, None, "Провести семінар.", None, ["відділ освіти", "Центр соціальних служб"], None, None),
        ("2", None, None, "Провести тренінг.", None, ["психолог", "Центр соціальних служб"], None, None),
        ("3", None, None, "Оновити реєстр", "ІІ квартал", ["психолог"], None, None),
    ]
    assert found.sections == []

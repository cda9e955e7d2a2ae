"""Tables one cell per line (pipeline/segment/cell_tables.py) and their interpretation
(pipeline/segment/tables.py): real corpus layouts, hand-written forms the corpus lacks,
and the same table given as Table objects, as a .docx/.html reader gives it."""
from __future__ import annotations

import pytest

from pipeline.models import Cell, Measure, Row, SourceDocument, Table
from pipeline.segment import cell_tables
from pipeline.segment.tables import (
    TableContext,
    column_number_count,
    column_roles,
    list_number,
    measures_from_table,
    parse_heading,
)
from pipeline.text import mask_markup


def parse_text(text: str, doc_id: str = "t"):
    doc = SourceDocument(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", text=text)
    return cell_tables.parse(doc, mask_markup(text))


@pytest.fixture(scope="module")
def corpus(corpus_text):
    cache: dict[str, tuple[str, object]] = {}

    def get(doc_id: str):
        if doc_id not in cache:
            text = corpus_text(doc_id)
            cache[doc_id] = (text, parse_text(text, doc_id))
        return cache[doc_id]

    return get


def by_number(measures: list[Measure], number: str) -> list[Measure]:
    return [m for m in measures if m.number == number]


def one(measures: list[Measure], number: str) -> Measure:
    found = by_number(measures, number)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def check_offsets(text: str, measures: list[Measure]) -> None:
    for m in measures:
        assert m.end > m.start
        first_word = m.text.split()[0]
        assert text[m.start :].startswith(first_word), (m.number, text[m.start : m.start + 30])


# --------------------------------------------------------------------------- vocabulary


def test_header_words_give_column_roles():
    assert column_roles(["Завдання", "Заходи", "Термін виконання", "Виконавці", "Індикатори (показники) виконання завдань"]) == (
        "task", "measure", "deadline", "executors", "indicator")
    assert column_roles(["№", "Захід", "Мета заходу", "Відповідальні", "Термін виконання"]) == (
        "number", "measure", "purpose", "executors", "deadline")
    assert column_roles(["ОПЕРАЦІЙНІ ЦІЛІ", "ЗАВДАННЯ І ЗАХОДИ", "ТЕРМІНИ", "ВИКОНАВЦІ"]) == (
        "task", "measure", "deadline", "executors")
    assert column_roles(["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальний за виконання",
                         "Очікуваний результат"]) == ("number", "measure", "deadline", "executors", "indicator")
    # A task column alone names the planned activities.
    assert column_roles(["Завдання", "Термін", "Виконавці"]) == ("measure", "deadline", "executors")
    # Not headers: data, prose, a statistics table.
    assert column_roles(["1.1.", "Провести нараду", "Щомісяця", "Фахівці центру"]) is None
    assert column_roles(["№", "Показник", "2023", "2024"]) is None


def test_column_number_row():
    assert column_number_count(["1", "2", "3", "4", "5"]) == 5
    assert column_number_count(["1.", "2.", "3."]) == 3
    assert column_number_count(["1", "3"]) is None
    assert column_number_count(["1.1.", "Провести"]) is None


def test_list_numbers_and_headings():
    assert list_number("1.1.1. Внести зміни") == ("1.1.1", 7)
    assert list_number("4.1.2 На офіційному сайті")[0] == "4.1.2"
    assert list_number("2) забезпечення доступу")[0] == "2"
    assert list_number("1.Участь у засіданнях")[0] == "1"
    assert list_number("2019-2026 роки")[0] is None
    assert list_number("01.03.2025 провести")[0] is None
    assert list_number("5 семінарів")[0] is None
    assert parse_heading("Розділ 2. Розвиток системи").number == "2"
    assert parse_heading("СТРАТЕГІЧНА ЦІЛЬ 1. Розширення").number == "1"
    assert parse_heading("ІУ. Кадрове забезпечення").kind == "roman"
    assert parse_heading("У. Інформаційно-просвітницька діяльність").number == "У"
    assert parse_heading("11.Участь у реалізації").number == "11"
    assert parse_heading("Проведення супервізій").kind == "plain"


# --------------------------------------------------------------------------- corpus layouts


def test_berezan_page_break_joins_the_broken_row(corpus):
    text, found = corpus("berezan-2018-2026")
    measures = found.measures
    assert len(measures) == 35
    check_offsets(text, measures)
    m = one(measures, "1.1.3")
    # "Продовження додатку / до рішення … / від ___ № ___" and "1 2 3 4 5" are dropped;
    # the cells after the break join the broken row's cells with a space.
    assert m.executors == [
        "Служба у справах дітей та сім’ї",
        "Березанський міський центр соціальних служб",
        "сектор житлово-комунального господарства виконавчого комітету Березанської міської ради",
        "фінансове управління",
    ]
    assert m.indicator.endswith("та осіб з їх числа, які його не мають")
    assert "Продовження" not in m.indicator
    m = one(measures, "2.2.4")
    assert m.text == "Забезпечити безперешкодний доступ до приміщень загальноосвітніх навчальних закладів осіб з інвалідністю на рівні з іншими особами"
    assert m.deadline == "Постійно, починаючи з 2018 року"
    assert m.executors == ["Відділ освіти виконавчого комітету Березанської міської ради"]
    # A task cell broken by the page joins too, for every measure under it.
    task = "2.3. Послуги для дітей-сиріт, дітей, позбавлених батьківського піклування, дітей з інвалідністю, (насамперед тих, які виходять із закладів інституційного догляду)"
    assert {m.task for m in measures if m.number.startswith("2.3.")} == {task}


def test_berezan_sections_and_merged_task_cells(corpus):
    text, found = corpus("berezan-2018-2026")
    m = one(found.measures, "1.1.2")
    assert m.section == "Розділ 1. Управління процесом реалізації Регіонального плану на місцевому рівні"
    assert m.task == "1.1. Нормативно-правове та фінансове забезпечення"  # the task cell is empty in its row
    assert m.start == text.index("1.1.2. Розробити") + len("1.1.2. ")
    # A new section closes the task: section 4 has none.
    assert all(m.task is None for m in found.measures if m.number.startswith("4."))
    assert one(found.measures, "4.1.2").text.startswith("На офіційному сайті")
    titles = {(s.number, s.level) for s in found.sections}
    assert {("1", 1), ("4", 1), ("1.1", 2), ("2.4", 2)} <= titles
    assert all(text[s.start : s.end].startswith(s.title[:10]) for s in found.sections)
    # The claimed range is the table, not the title above it.
    (start, end), = found.claimed
    assert text[start:].startswith("Завдання") and start > text.index("Міський план")


def test_svatove_sub_measures(corpus):
    text, found = corpus("svatove-2019-2026")
    measures = found.measures
    assert len(measures) == 51
    check_offsets(text, measures)
    first = measures[0]
    assert (first.number, first.text) == ("1", "проведення засідань міжвідомчої робочої групи з реформування системи інституційного догляду та виховання дітей")
    assert first.section == "І. Координація та взаємодія в процесі реформування системи інституційного догляду та виховання дітей в області"
    assert first.task == "Створення ефективних механізмів координації і взаємодії всіх субʼєктів реформування системи інституційного догляду та виховання дітей"
    sub = [m for m in measures if m.task and m.task.startswith("Створення системи якісних і ефективних соціальних послуг")]
    assert [m.number for m in sub] == [str(i) for i in range(1, 15)]
    m = sub[0]
    assert m.executors == ["Сватівський районний центр соціальних служб для сімʼї, дітей та молоді", "органи місцевого самоврядування (за згодою)"]
    # A task row with no number in its number cell still opens the task.
    assert any(m.task.startswith("Організація підготовки") and m.section.startswith("ІУ.") for m in measures)
    assert any(m.deadline is None and m.number == "6" for m in measures)  # an empty deadline cell


def test_chernihiv_operational_goals_and_executors_one_per_line(corpus):
    text, found = corpus("chernihiv-2025")
    measures = found.measures
    assert len(measures) == 32
    check_offsets(text, measures)
    m = one(measures, "1.1.2")
    # The stray "1.2." in the task cell of this row is no new task.
    assert m.task.startswith("1.1. Забезпечення системного підходу")
    assert m.section == "СТРАТЕГІЧНА ЦІЛЬ 1. Розширення спектру та кількості соціальних послуг для повного задоволення потреб громади"
    assert m.executors == [
        "Департамент соціальної політики ЧМР",
        "Чернігівський міський центр соціальних служб ЧМР",
        "Чернігівський міський територіальний центр соціального обслуговування (надання соціальних послуг) ЧМР",
    ]
    m = one(measures, "1.1.1")
    assert m.deadline == "До червня 2025 року"  # "[bookmark: _GoBack]" masked
    assert one(measures, "1.4.1").task.startswith("1.4. Забезпечення надання визначеного")  # "1.4.→Забезпечення"
    assert one(measures, "3.4.3").section.startswith("СТРАТЕГІЧНА ЦІЛЬ 3.")
    assert one(measures, "2.3.1").deadline == "Щороку до 01 березня"


def test_pokrovsk_purpose_and_cells_continued_after_blank_lines(corpus):
    text, found = corpus("pokrovsk-css-2025")
    measures = found.measures
    assert len(measures) == 59
    check_offsets(text, measures)
    # Nothing from the report part before "IV. Заходи по забезпеченню виконання завдань".
    table_start = text.index("IV. Заходи по забезпеченню")
    assert all(m.start > table_start for m in measures)
    assert all(s > table_start for s, _ in found.claimed)
    m = one(measures, "1.2")  # "→1.2.\n→\n\n\nУчасть у засіданнях …"
    assert m.text == "Участь у засіданнях комісії з питань захисту прав дитини"
    assert m.purpose.startswith("Визначення рівня дотримання прав дітей")
    assert m.section == "1.Участь у засіданнях комісій та нарадах"
    assert m.task is None
    m = one(measures, "2.2")
    assert m.executors == ["МальцеваК.В.", "Войтова Г.П."]
    assert m.deadline == "Відповідно до змін у законодавчій базі"
    assert one(measures, "3.5").deadline == "Грудень 2025р."
    assert one(measures, "11.1").section.startswith("11.Участь у реалізації")
    assert len(by_number(measures, "5.3")) == 2  # the numbering repeats in the source


def test_kyiv_row_layout_is_left_alone(corpus):
    _, found = corpus("kyiv-kmcss-2023")
    assert found.measures == [] and found.claimed == [] and found.sections == []


# --------------------------------------------------------------------------- hand-written forms

FOUR_COLUMNS = (
    "ПЛАН ЗАХОДІВ на 2025 рік\n"
    "\n"
    "\t№ п/п\n"
    "\tНайменування заходу\n"
    "\tСтрок виконання\n"
    "\tВідповідальний за виконання\n"
    "\n"
    "\t1\n\t2\n\t3\n\t4\n"
    "\n"
    "\tРозділ 1. Організаційні заходи\n"
    "\n"
    "\t1.\n"
    "\tПровести нараду з керівниками структурних підрозділів (відп. Петренко І.В.)\n"
    "\tДо 1 березня\n"
    "\t\n"
    "\n"
    "\t2.\n"
    "\tЗабезпечити підготовку звіту про виконання програми та\n"
    "\tЩокварталу,\n"
    "\tФінансове управління,\n"
    "\n"
    "\tСторінка 2\n"
    "\n"
    "\t1\n\t2\n\t3\n\t4\n"
    "\n"
    "\t\n"
    "\tподання його на розгляд сесії\n"
    "\tдо 5 числа\n"
    "\tвідділ економіки\n"
    "\n"
    "\t3.\n"
    "\tОновити реєстр надавачів соціальних послуг\n"
    "\tПротягом року\n"
    "\tУправління соціального захисту населення\n"
    "\n"
    "\n"
    "Міський голова                    Іван ПЕТРЕНКО\n"
)


def test_four_columns_other_header_words_and_another_running_header():
    found = parse_text(FOUR_COLUMNS)
    measures = found.measures
    assert [m.number for m in measures] == ["1", "2", "3"]
    first, second, third = measures
    assert first.text == "Провести нараду з керівниками структурних підрозділів"
    assert first.executors == ["Петренко І.В."]  # the "(відп. …)" note leaves the text
    assert first.deadline == "До 1 березня"
    assert first.section == "Розділ 1. Організаційні заходи"
    # "Сторінка 2" + the column-number row: a page break inside row 2.
    assert second.text == "Забезпечити підготовку звіту про виконання програми та подання його на розгляд сесії"
    assert second.deadline == "Щокварталу, до 5 числа"
    assert second.executors == ["Фінансове управління", "відділ економіки"]
    assert third.executors == ["Управління соціального захисту населення"]
    # The signature after the table is not part of it.
    assert "Міський голова" not in FOUR_COLUMNS[found.claimed[0][0] : found.claimed[0][1]]
    assert not any("Сторінка" in s.title for s in found.sections)


def test_crlf_line_ends_give_the_same_measures_at_the_same_places():
    crlf = FOUR_COLUMNS.replace("\n", "\r\n")
    lf_measures = parse_text(FOUR_COLUMNS).measures
    crlf_measures = parse_text(crlf).measures
    assert [(m.number, m.text, m.deadline, m.executors) for m in crlf_measures] == [
        (m.number, m.text, m.deadline, m.executors) for m in lf_measures
    ]
    for m in crlf_measures:
        assert crlf[m.start :].startswith(m.text.split()[0])


PLAIN_RUNNING_HEADER = (
    "\tЗміст заходу\n"
    "\tТермін\n"
    "\tВиконавці\n"
    "\tОчікуваний результат\n"
    "\n"
    "\t1.1. Організувати навчання фахівців центру\n"
    "\tІ квартал\n"
    "\tЦентр соціальних служб\n"
    "\tПроведено навчання для\n"
    "\n"
    "Закінчення додатка 2\n"
    "\n"
    "\tЗміст заходу\n"
    "\tТермін\n"
    "\tВиконавці\n"
    "\tОчікуваний результат\n"
    "\n"
    "\t\n"
    "\t\n"
    "\t\n"
    "\t100% фахівців\n"
    "\n"
    "\t1.2. Провести семінар\n"
    "\tІІ квартал\n"
    "\tЦентр соціальних служб\n"
    "\tПроведено семінар\n"
)


def test_running_header_as_plain_text_and_a_repeated_header_row():
    measures = parse_text(PLAIN_RUNNING_HEADER).measures
    assert [m.number for m in measures] == ["1.1", "1.2"]
    assert measures[0].indicator == "Проведено навчання для 100% фахівців"
    assert measures[1].text == "Провести семінар"


def test_no_header_no_table():
    text = "\tЗа 2024 рік надійшло 519 повідомлень.\n\tУ 2024 році послуги отримали 37 родин.\n"
    found = parse_text(text)
    assert found.measures == [] and found.claimed == []


def test_claimed_ranges_are_left_alone():
    found = cell_tables.parse(
        SourceDocument("t", "t.txt", "txt", FOUR_COLUMNS), mask_markup(FOUR_COLUMNS), claimed=[(0, len(FOUR_COLUMNS))]
    )
    assert found.measures == []


# --------------------------------------------------------------------------- Table objects

# A table as a .docx reader renders it: each row preceded by a blank line, each cell on a
# new line opened by a TAB, a cell's paragraphs on separate lines.
DOCX_ROWS = [
    ["№", "Захід", "Мета заходу", "Відповідальні", "Термін виконання"],
    ["1. Робота з родинами"],
    ["1.1.", "Раннє виявлення сімей у складних життєвих обставинах", "Оцінка потреб родини", "Фахівці центру", "Постійно"],
    ["1.2.", "Підготовка звітів", "Звіти,\nінформаційні листи", "Мальцева К.В.\nВойтова Г.П.", "Щокварталу"],
    ["2. Робота з прийомними сім’ями"],
    ["2.1.", "Організація навчання прийомних батьків", "Підвищення виховного потенціалу", "Сахарова Л.А.", "Протягом року"],
]


def render(rows: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    parts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    pos = 0
    for row in rows:
        parts.append("\n")
        pos += 1
        row_spans = []
        for cell in row:
            parts.append("\t")
            pos += 1
            row_spans.append((pos, pos + len(cell)))
            parts.append(cell + "\n")
            pos += len(cell) + 1
        spans.append(row_spans)
    return "".join(parts), spans


def fields(measures: list[Measure]) -> list[tuple]:
    return [(m.number, m.section, m.task, m.text, m.deadline, tuple(m.executors), m.indicator, m.purpose, m.start)
            for m in measures]


def test_table_objects_give_the_same_measures_as_their_text():
    text, spans = render(DOCX_ROWS)
    table = Table([Row([Cell(s, e, text[s:e]) for s, e in row]) for row in spans], "docx")
    masked = mask_markup(text)
    from_objects = measures_from_table(table, masked, TableContext())
    from_text = parse_text(text)
    assert fields(from_objects.measures) == fields(from_text.measures)
    assert len(from_objects.measures) == 3
    m = from_objects.measures[1]
    assert (m.number, m.section, m.purpose, m.executors) == ("1.2", "1. Робота з родинами", "Звіти, інформаційні листи",
                                                             ["Мальцева К.В.", "Войтова Г.П."])
    # The reader's tables are used as given when the document has them.
    doc = SourceDocument("t", "t.docx", "docx", text, tables=[table])
    assert fields(cell_tables.parse(doc, masked).measures) == fields(from_objects.measures)


def test_table_objects_with_a_merged_heading_repeated_per_column():
    # A reader that gives a horizontally merged cell once per grid column.
    text, spans = render(DOCX_ROWS)
    rows = []
    for row in spans:
        cells = [Cell(s, e, text[s:e]) for s, e in row]
        if len(cells) == 1:
            cells = cells * 5
        rows.append(Row(cells))
    found = measures_from_table(Table(rows, "docx"), mask_markup(text))
    assert [m.section for m in found.measures] == ["1. Робота з родинами"] * 2 + ["2. Робота з прийомними сім’ями"]
    assert [s.title for s in found.sections] == ["1. Робота з родинами", "2. Робота з прийомними сім’ями"]


def test_headerless_table_continues_a_known_header():
    text, spans = render([["1", "2", "3", "4", "5"], DOCX_ROWS[2]])
    table = Table([Row([Cell(s, e, text[s:e]) for s, e in row]) for row in spans], "docx")
    roles = column_roles(DOCX_ROWS[0])
    assert measures_from_table(table, mask_markup(text)).measures == []
    found = measures_from_table(table, mask_markup(text), TableContext(roles=roles))
    assert [m.number for m in found.measures] == ["1.1"]


def table_of(rows: list[list[str]]) -> tuple[str, Table]:
    text, spans = render(rows)
    return text, Table([Row([Cell(s, e, text[s:e]) for s, e in row]) for row in spans], "docx")


def test_table_objects_from_a_reader_that_merges_nothing():
    # Headings in the first cell of an otherwise empty row, a vertically merged task cell
    # copied into every row it spans, and a title row above numbered sections.
    rows = [
        ["План заходів на 2025 рік"],
        ["№ з/п", "Завдання", "Заходи", "Термін виконання", "Виконавці"],
        ["I. Організаційна робота", "", "", "", ""],
        ["1", "Підвищення якості послуг", "1) провести навчання фахівців", "І квартал", "Центр соціальних служб"],
        ["", "Підвищення якості послуг", "2) провести супервізію", "ІІ квартал", "Психолог центру"],
        ["", "Підвищення якості послуг", "", "", "відділ освіти"],
        ["Проведення інформаційних кампаній", "", "", "", ""],
        ["", "", "3) підготувати буклети", "Протягом року", "Фахівці центру"],
    ]
    text, table = table_of(rows)
    found = measures_from_table(table, mask_markup(text))
    got = [(m.number, m.section, m.task, m.text, m.executors) for m in found.measures]
    assert got == [
        ("1", "I. Організаційна робота", "Підвищення якості послуг", "провести навчання фахівців", ["Центр соціальних служб"]),
        ("2", "I. Організаційна робота", "Підвищення якості послуг", "провести супервізію", ["Психолог центру", "відділ освіти"]),
        ("3", "I. Організаційна робота", "Проведення інформаційних кампаній", "підготувати буклети", ["Фахівці центру"]),
    ]
    assert [(s.title, s.level) for s in found.sections if s.level == 1] == [
        ("План заходів на 2025 рік", 1), ("I. Організаційна робота", 1)]
    assert sum(1 for s in found.sections if s.title == "Підвищення якості послуг") == 1
    # The same rows as text, one cell per line, give the same measures.
    assert fields(parse_text(text).measures) == fields(found.measures)


NO_BLANK_LINES = (
    "\t№\n\tЗахід\n\tВідповідальні\n\tТермін виконання\n"
    "\t1. Робота з родинами\n"
    "\t1.1.\n\tОцінка потреб родин\n\tФахівці центру\n\tПостійно\n"
    "\t1.2.\n\tСоціальний супровід\nродин у СЖО\n\tМальцева К.В.\nВойтова Г.П.\n\tПротягом року\n"
    "\t2. Профілактика сирітства\n"
    "\t2.1.\n\tРобота з породіллями\n\tПсихолог центру\n\tЗа потреби\n"
)

SPLIT_HEADER = (
    "\tНайменування заходу\n"
    "\n"
    "\tТермін виконання\n"
    "\n"
    "\tВиконавці\n"
    "\tПримітка\n"
    "\n"
    "\tПровести семінар для батьків\n"
    "\tБерезень\n"
    "\tЦентр соціальних служб\n"
    "\t\n"
    "\n"
    "\tПідготувати звіт\n"
    "\tГрудень\n"
    "\tВідділ освіти\n"
    "\tза згодою\n"
)


def test_rows_without_blank_lines_are_counted_by_the_header():
    measures = parse_text(NO_BLANK_LINES).measures
    assert [(m.number, m.section, m.text, m.executors, m.deadline) for m in measures] == [
        ("1.1", "1. Робота з родинами", "Оцінка потреб родин", ["Фахівці центру"], "Постійно"),
        ("1.2", "1. Робота з родинами", "Соціальний супровід родин у СЖО", ["Мальцева К.В.", "Войтова Г.П."], "Протягом року"),
        ("2.1", "2. Профілактика сирітства", "Робота з породіллями", ["Психолог центру"], "За потреби"),
    ]


def test_header_cells_spread_over_blank_lines_and_unnumbered_measures():
    measures = parse_text(SPLIT_HEADER).measures
    assert [(m.number, m.text, m.deadline, m.executors) for m in measures] == [
        (None, "Провести семінар для батьків", "Березень", ["Центр соціальних служб"]),
        (None, "Підготувати звіт", "Грудень", ["Відділ освіти"]),
    ]


def test_notes_in_the_text_of_a_table_without_deadline_column():
    text = (
        "\t№\n\tЗміст заходу\n\tОчікуваний результат\n"
        "\n"
        "\t1.\n\tПровести нараду з фахівцями (1 раз на місяць) (відп. Коваль О.О., Петренко І.В.)\n\tПроведено наради\n"
    )
    (m,) = parse_text(text).measures
    assert (m.text, m.deadline, m.executors, m.indicator) == (
        "Провести нараду з фахівцями", "1 раз на місяць", ["Коваль О.О.", "Петренко І.В."], "Проведено наради")

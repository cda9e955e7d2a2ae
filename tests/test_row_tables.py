"""Row-per-line tables, month-grid calendars and the lists around them
(pipeline/segment/row_tables.py, calendar.py, lists.py, notes.py): real excerpts of
kyiv-kmcss-2023, hand-written forms the corpus lacks, and the other seeds, where these
parsers must find nothing."""
from __future__ import annotations

import pytest

from pipeline.models import Measure, SourceDocument
from pipeline.segment import cell_tables, row_tables
from pipeline.segment.calendar import is_calendar_table, measures_from_calendar, month_headings
from pipeline.segment.layout import LayoutResult, assign_sections
from pipeline.segment.notes import classify_bracket
from pipeline.segment.row_tables import header_roles, split_row_text
from pipeline.text import mask_markup

KYIV = "kyiv-kmcss-2023"
OTHER_SEEDS = ("berezan-2018-2026", "chernihiv-2025", "pokrovsk-css-2025", "svatove-2019-2026")


def parse_text(text: str, doc_id: str = "t", claimed=None) -> LayoutResult:
    doc = SourceDocument(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", text=text)
    found = row_tables.parse(doc, mask_markup(text), claimed=claimed)
    found.sections, found.measures = assign_sections(found.sections, found.measures)
    return found


def lines(text: str, first: int, last: int) -> str:
    """Lines ``first``..``last`` (0-based, inclusive) of a corpus text, as written."""
    return "".join(text.splitlines(keepends=True)[first : last + 1])


def find(measures: list[Measure], prefix: str) -> list[Measure]:
    return [m for m in measures if m.text.startswith(prefix)]


def one(measures: list[Measure], prefix: str) -> Measure:
    found = find(measures, prefix)
    assert len(found) == 1, (prefix, [m.text for m in found])
    return found[0]


@pytest.fixture(scope="module")
def kyiv(corpus_text) -> tuple[str, LayoutResult]:
    text = corpus_text(KYIV)
    return text, parse_text(text, KYIV)


# ------------------------------------------------------------------ row-per-line tables (corpus)


def test_row_continued_after_page_break_joins_executors(corpus_text):
    text = lines(corpus_text(KYIV), 53, 67)  # "1. Циклограма…", its table, "→→Савченко О.М."
    found = parse_text(text)
    assert len(found.measures) == 10
    m = one(found.measures, "Проведення апаратних нарад")
    assert m.deadline == "Щовівторка"
    assert m.executors == ["Колобова Я.В.", "Пітателєва Т.Є.", "Савченко О.М."]
    assert m.section == "1. Циклограма організаційної діяльності"
    assert not find(found.measures, "Савченко")


def test_row_text_continued_after_page_break(corpus_text):
    text = lines(corpus_text(KYIV), 90, 105)
    found = parse_text(text)
    m = one(found.measures, "«Складові соціальної роботи")
    assert m.text == "«Складові соціальної роботи з сім'ями, людьми з проблемами» залежності»."
    assert m.deadline == "II півріччя" and m.executors == ["Крисов Л.П."]
    assert not find(found.measures, "залежності")


def test_word_hyphenated_across_a_page_break_is_rejoined(corpus_text):
    text = lines(corpus_text(KYIV), 325, 334)
    m = one(parse_text(text).measures, "Забезпечення транспортними засобами соціоадаптаційних")
    assert m.text.endswith("інформаційно-профілактичних заходів.")


def test_subheading_row_gives_task_to_dash_rows(corpus_text):
    text = lines(corpus_text(KYIV), 69, 88)
    found = parse_text(text)
    dash = [m for m in found.measures if m.task == "Проведення організаційно-методичних нарад:"]
    assert len(dash) == 10
    assert dash[0].text == "для директорів мережі центрів соціальних служб."
    assert dash[0].deadline == "Друга п'ятниця щомісячно"
    assert dash[0].executors == ["Колобова Я.В.", "Пітателева Т.Є.", "Савченко О.М."]
    # A repeated header row and a row without a dash end the sub-heading.
    assert one(found.measures, "Засідання Методичної ради").task is None


def test_period_column_first_and_several_activities_in_a_cell(corpus_text):
    text = lines(corpus_text(KYIV), 336, 348)  # "Період виконання→Захід→Відповідальний"
    found = parse_text(text)
    june = [m for m in found.measures if m.deadline == "червень"]
    assert [m.text for m in june] == [
        "Фестиваль спортивної рибної ловлі для дітей та молоді з інвалідністю «Золота рибка»",
        "Денні відпочинкові програми для дітей з сімей отримувачів соціальних послуг",
    ]
    october = [m.text for m in found.measures if m.deadline == "жовтень"]
    assert october == [
        "Міський фестиваль творчості для дітей та молоді з інвалідністю",
        "Велопробіг до Дня захисників та захисниць",
    ]
    november = [m for m in found.measures if m.deadline == "листопад"]
    assert [(m.text, m.task) for m in november[1:]] == [
        ("Захід до дня соціального працівника", "Мотиваційні заходи для спеціалістів мережі"),
        ("Конкурс професійної майстерності.", "Мотиваційні заходи для спеціалістів мережі"),
    ]


# ------------------------------------------------------------------ month grids (corpus)


def test_calendar_cell_continued_after_page_break(corpus_text):
    text = lines(corpus_text(KYIV), 107, 121)
    found = parse_text(text)
    m = one(found.measures, "Семінар для спеціалістів РЦСС та інших надавачів соціальних послуг «Застосування МіО")
    assert m.text.endswith("«Застосування МіО як інструменту при організації надання послуг».")
    assert m.deadline == "Березень"
    assert m.executors == ["Філатова О.А.", "Барсукова О.С."]
    # The continuation line shifted this one a column right: it still ends the May item.
    m = one(found.measures, "Семінарів для спеціалістів РЦСС")
    assert m.text.endswith("«Застосування сучасних Google додатків інших інструментів/технологій в роботі спеціалістів соціальної сфери»")
    assert m.deadline == "Травень"
    assert not find(found.measures, "Google") and not find(found.measures, "інструменту")


def test_calendar_p_items_and_their_executor_notes(corpus_text):
    text = lines(corpus_text(KYIV), 107, 121)
    found = parse_text(text)
    first = [m for m in found.measures if m.deadline == "Січень - Лютий"]
    assert [m.text for m in first] == [
        "Навчання фізичних осіб, які надають соціальні послуги з догляду без здійснення "
        "підприємницької діяльності (дводенний курс)",
        "Арт-практикум: «Арт-коучінг: технології підтримки ресурсів» в рамках проекту "
        "«Арт-терапія: можливості для підтримки особистості» (II частина)",
        "Арт-практикум: в рамках проекту «Арт-терапія: можливості для підтримки особистості» (II частина)",
    ]
    assert first[0].executors == ["Скоренко Л.П.", "залучені спеціалісти програми"]
    assert first[2].executors == ["Шабатіна Г.М.", "залучені спеціалісти"]
    assert all(m.section == "4. Підвищення професійної компетентності спеціалістів надавачів соціальних послуг"
               for m in found.measures)
    # "(Скоренко Л.П. та Шелест Н.О.)": two persons; a note whose "(" was lost still counts.
    april = [m for m in found.measures if m.deadline == "Квітень"]
    assert april[1].executors == ["Скоренко Л.П.", "Шелест Н.О."]
    m = one(found.measures, "Семінар для спеціалістів РЦСС, (за потребою")
    assert m.text.endswith("соціального спрямування") and m.executors == ["Шабатіна Г.М.", "Єрмачкова В.Ю."]


def test_calendar_item_cut_mid_note_and_after_a_table_rule(corpus_text):
    text = lines(corpus_text(KYIV), 122, 141)
    found = parse_text(text)
    m = one(found.measures, "Тренінг для спеціалістів Гарячої лінії")
    assert m.text.endswith("насильству стосовно дітей (1547)") and m.deadline == "Січень - Лютий"
    m = one(found.measures, "Тренінг «Профілактика вікарної травми» для фахівців мережі ЦСС")
    assert m.executors == ["Устінова Т.В."] and m.deadline == "Квітень"
    m = one(found.measures, "Семінар для спеціалістів, які працюють із сім'ями загиблих під час воєнних дій киян і беруть участь у сповіщенні про смерть одного з членів сім'ї Голосіївського")
    assert m.deadline == "Січень - Лютий" and m.executors == ["Устінова Т.В."]
    assert not find(found.measures, "Голосіївського") and not find(found.measures, "людьми, запобігання")
    assert m.section.startswith("Методична підтримка спеціалістів за напрямом роботи з сім'ями")


def test_subheadings_paragraph_measures_and_numbered_lists(corpus_text):
    text = lines(corpus_text(KYIV), 107, 170)
    found = parse_text(text)
    m = one(found.measures, "Супервізія для спеціалістів РЦСС, які працюють із сім'ями загиблих")
    assert m.task == "Проведення супервізій, інтервізій за даним напрямком"
    assert m.deadline == "1 раз на місяць" and m.executors == ["Устінова Т.В."]
    assert m.text.endswith("одного з членів сім'ї")
    listed = [m for m in found.measures if m.number]
    assert [(m.number, m.deadline, m.executors) for m in listed] == [
        ("1", None, ["Шабатіна Г.М.", "Ермачкова В.Ю."]),
        ("2", None, ["Шабатіна Г.М."]),
        ("1", "березень", ["Остролуцька Л.І."]),
        ("2", "липень", ["Остролуцька Л.", "Скоренко Л."]),
    ]
    assert listed[0].task == "Методичні розробки (рекомендації, інформаційні матеріали тощо)"
    assert listed[0].text.startswith("Інформаційно-методичний пакет")
    m = one(found.measures, "Методичні рекомендації для спеціалістів РЦСС, які беруть участь")
    assert m.executors == ["Устінова Т.В."] and m.deadline is None


def test_spanning_rows_of_a_grid(corpus_text):
    text = lines(corpus_text(KYIV), 170, 189)
    found = parse_text(text)
    m = one([m for m in found.measures if m.deadline == "1раз на місяць"], "Супервізії для спеціалістів мережі")
    assert m.task == "Проведення супервізій, інтервізій за даним напрямком"
    assert m.text == "Супервізії для спеціалістів мережі центрів соціальних служб м. Києва за напрямами роботи з дітьми, молоддю та сім'ями"
    ol = [m for m in found.measures if m.number]
    assert [m.number for m in ol] == ["1", "2"]
    assert ol[1].executors == ["Сколобанова Ю.М.", "Шелест Н.О."]
    assert ol[1].text.endswith("(відповідно до внесених змін)")
    recurring = one(found.measures, "Супервізії для наставників")
    assert recurring.text == "Супервізії для наставників раз на місяць" and recurring.deadline == "раз на місяць"
    # "… (відп. …) Навчання для спеціалістів" + "відділу та тренерів …" on the next page.
    m = one(found.measures, "Навчання для спеціалістів відділу та тренерів в інституті Гордона Ньюфелда/")
    assert m.deadline == "Травень" and m.executors == []
    last = [m for m in found.measures if m.section == "Проведення супервізій, інтервізій за напрямами роботи з дітьми, молоддю та сім'ями"]
    assert [m.deadline for m in last] == ["Березень", "Квітень", "Травень", "Травень", "Червень"]


def test_split_activity_shares_the_note_of_the_next(kyiv):
    _, found = kyiv
    nov = [m for m in found.measures if m.deadline == "Листопад" and m.executors == ["Устінова Т.В."]]
    assert [m.text[:22] for m in nov] == ["Навчання «Основи травм", "Тренінг «Турбота фахів", "Семинар «Ресурсні допі"]


# ------------------------------------------------------------------ the whole document


def test_kyiv_offsets_point_at_the_measure_text(kyiv):
    text, found = kyiv
    assert len(found.measures) > 200
    for m in found.measures:
        assert text[m.start : m.start + 12] == m.text[:12]
        assert m.start < m.end


def test_front_matter_and_legal_appendix_give_no_measures(kyiv):
    text, found = kyiv
    body = text.index("1. Циклограма організаційної діяльності\n")
    appendix = text.index("\nДодаток\n")
    assert all(body < m.start < appendix for m in found.measures)
    assert all(s.start >= body for s in found.sections)
    assert not any(s.title.startswith("Додаток") for s in found.sections)


def test_sections_numbered_halves_and_directions(kyiv):
    _, found = kyiv
    titles = [s.title for s in found.sections]
    assert titles[:5] == [
        "1. Циклограма організаційної діяльності",
        "2.Методичне забезпечення соціальної роботи",
        "3. Підвищення професійної компетентності спеціалістів Київського міського центру соціальних служб",
        "I півріччя 2023",
        "4. Підвищення професійної компетентності спеціалістів надавачів соціальних послуг",
    ]
    assert "Проведення супервізій, інтервізій за даним напрямком" not in titles
    assert titles.count("За напрямом роботи з сім'ями/особами, які мають проблеми соціально небезпечних захворювань") == 2
    assert titles[-1] == "10. Участь в проведенні інформаційно-профілактичних заходах"


@pytest.mark.parametrize("doc_id", OTHER_SEEDS)
def test_other_seeds_give_nothing(corpus_text, doc_id):
    text = corpus_text(doc_id)
    assert parse_text(text, doc_id).measures == []
    doc = SourceDocument(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", text=text)
    claimed = cell_tables.parse(doc, mask_markup(text)).claimed
    after = parse_text(text, doc_id, claimed=claimed)
    assert after.measures == [] and after.sections == []


def test_claimed_ranges_are_left_alone(kyiv):
    text, found = kyiv
    cut = text.index("6. Практична соціальна робота.")
    again = parse_text(text, KYIV, claimed=[(cut, len(text))])
    assert again.measures and all(m.start < cut for m in again.measures)
    assert len(again.measures) < len(found.measures)


# ------------------------------------------------------------------ hand-written forms


CALENDAR_Q3 = (
    "3. Навчальні заходи\n"
    "\n"
    "Липень\tСерпень\tВересень\n"
    "<p>Семінар (відп. Іваненко О.П.)</p> <p>Тренінг для фахівців «Безпека</p>"
    "\t<p>Нарада директорів (відп.</p>\t\n"
    "\n"
    # After the page break: the August cell goes on and a new item follows; the July item
    # goes on in the September column, shifted because the row above left it empty.
    "\tПетренко І.І.)</p> <p>Конференція «Громада»</p>\tв громаді» (відп. Коваль М.М.)\n"
    "--\t--\t--\n"
    "\n"
    "Проведення супервізій за даним напрямком\t\t\n"
    "<p>Супервізія для спеціалістів (щомісячно) (відп. Іваненко О.П.)</p>\t\t\n"
    "\n"
    "Методичні розробки:\n"
    "\n"
    "1. Методичні рекомендації щодо роботи з громадою (вересень, Петренко І.І.).\n"
    "2. Порадник для батьків (Бондар Т.В.).\n"
    "\n"
    "Додаток\n"
    "\n"
    "1. Закон України «Про соціальні послуги» (Петренко І.І.).\n"
)


def test_handwritten_calendar_july_to_september():
    found = parse_text(CALENDAR_Q3)
    got = [(m.text, m.deadline, m.executors, m.task, m.number) for m in found.measures]
    assert got == [
        ("Семінар", "Липень", ["Іваненко О.П."], None, None),
        ("Тренінг для фахівців «Безпека в громаді»", "Липень", ["Коваль М.М."], None, None),
        ("Нарада директорів", "Серпень", ["Петренко І.І."], None, None),
        ("Конференція «Громада»", "Серпень", [], None, None),
        ("Супервізія для спеціалістів", "щомісячно", ["Іваненко О.П."],
         "Проведення супервізій за даним напрямком", None),
        ("Методичні рекомендації щодо роботи з громадою", "вересень", ["Петренко І.І."],
         "Методичні розробки:", "1"),
        ("Порадник для батьків", None, ["Бондар Т.В."], "Методичні розробки:", "2"),
    ]
    assert all(m.section == "3. Навчальні заходи" for m in found.measures)


ROW_TABLE_WITH_NOTE = (
    "2. Організаційна робота\n"
    "\n"
    "№ з/п\tЗміст заходу\tТермін виконання\tВиконавці\tПримітка\n"
    "1.\tПідготовка звіту про виконання плану\tДо 10 січня\tІваненко О.П., Петренко І.І.\tщорічно\n"
    "2.\tСпівпраця з громадськими організаціями (відп. Коваль М.М.)\tПротягом року\t\t\n"
    "\t\t\tБондар Т.В.\t\n"
    "3.\tМоніторинг надання соціальних послуг у закладах інформаційно-\tЩокварталу\tСидоренко А.А.\t\n"
    "\n"
    "\tаналітичного спрямування\t\t\t\n"
)


def test_handwritten_row_table_with_a_note_column():
    found = parse_text(ROW_TABLE_WITH_NOTE)
    got = [(m.number, m.text, m.deadline, m.executors) for m in found.measures]
    assert got == [
        ("1", "Підготовка звіту про виконання плану", "До 10 січня", ["Іваненко О.П.", "Петренко І.І."]),
        ("2", "Співпраця з громадськими організаціями", "Протягом року", ["Бондар Т.В.", "Коваль М.М."]),
        ("3", "Моніторинг надання соціальних послуг у закладах інформаційно-аналітичного спрямування",
         "Щокварталу", ["Сидоренко А.А."]),
    ]
    assert all("щорічно" not in (m.text, m.deadline) for m in found.measures)
    assert found.measures[0].section == "2. Організаційна робота"


def test_crlf_line_ends_give_the_same_measures_and_true_offsets():
    for text in (ROW_TABLE_WITH_NOTE, CALENDAR_Q3):
        crlf = text.replace("\n", "\r\n")
        plain = parse_text(text).measures
        found = parse_text(crlf).measures
        assert [(m.text, m.deadline, m.executors) for m in found] == [
            (m.text, m.deadline, m.executors) for m in plain
        ]
        for m in found:
            assert crlf[m.start : m.start + len(m.text[:8])] == m.text[:8]


def test_lowercase_months_quarters_and_ranges_are_grid_headers():
    assert month_headings(["Січень - Лютий", "Березень", "Квітень"]) == ["Січень - Лютий", "Березень", "Квітень"]
    assert month_headings(["липень–серпень", "вересень"]) is not None
    assert month_headings(["I квартал", "II квартал", "III квартал", "IV квартал"]) is not None
    assert month_headings(["Заходи", "Березень"]) is None
    assert month_headings(["Березень"]) is None


def test_header_rows_from_generic_words():
    assert header_roles(["Заходи", "Термін виконання", "Відповідальний"]) == ["text", "deadline", "executors"]
    assert header_roles(["Період виконання", "Захід", "Відповідальний"]) == ["deadline", "text", "executors"]
    assert header_roles(["№ з/п", "Найменування заходу", "Строк виконання", "Виконавці", "Джерела фінансування"]) == [
        "number", "text", "deadline", "executors", None,
    ]
    assert header_roles(["Заходи", "Щомісячно", "Іваненко О.П."]) is None
    assert header_roles(["Термін виконання", "Відповідальні"]) is None


def test_one_cell_per_line_tables_are_not_ours():
    text = "\tЗаходи\n\tТермін виконання\n\tВідповідальні\n\tНарада\n\tЩомісяця\n\tІваненко О.П.\n"
    assert parse_text(text).measures == []


def test_narrative_around_a_row_table_is_not_a_measure():
    text = (
        "1. Звіт за 2024 рік\n\n"
        "· проведено 20 консультацій (Іваненко О.П.);\n"
        "1) здійснено соціальний супровід 8 сімей.\n\n"
        "2. План на 2025 рік\n\n"
        "Заходи\tТермін виконання\tВідповідальні\n"
        "Нарада\tЩомісяця\tІваненко О.П.\n"
        "\n"
        "Директор центру                     О.П. Іваненко.\n"
    )
    found = parse_text(text)
    assert [m.text for m in found.measures] == ["Нарада"]


# ------------------------------------------------------------------ notes and cell splitting


def test_bracket_notes():
    assert classify_bracket("відп. Устінова Т.В.") == (["Устінова Т.В."], None)
    assert classify_bracket("Скоренко Л.П. та Шелест Н.О.") == (["Скоренко Л.П.", "Шелест Н.О."], None)
    assert classify_bracket("березень, Остролуцька Л.І.") == (["Остролуцька Л.І."], "березень")
    assert classify_bracket("2, 4 субота кожного місяця") == ([], "2, 4 субота кожного місяця")
    assert classify_bracket("1раз на місяць") == ([], "1раз на місяць")
    for ordinary in ("дводенний курс", "II частина", "5 районів", "відповідно до внесених змін",
                     "в рамках поглибленого курсу, 2 дні", "спільно з ГО «Точка Опори»"):
        assert classify_bracket(ordinary) is None, ordinary


def test_row_text_splits_only_between_activities():
    whole = "Планування роботи: - зведений план (встановленої форми); - щомісячний план відділу"
    assert split_row_text(whole) == [(0, len(whole), None)]
    text = "Фестиваль «Золота рибка» ; Денні програми для дітей;"
    parts = [text[a:b].strip(" ;") for a, b, _ in split_row_text(text)]
    assert parts == ["Фестиваль «Золота рибка»", "Денні програми для дітей"]
    text = "Ведення обліку працівників Київський міський центр соціальних служб"
    assert len(split_row_text(text)) == 1


# ------------------------------------------------------------------ tables from .docx / .html


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_calendar_tables_from_marked_up_files(tmp_path, suffix):
    from builders import build_docx, build_html
    from pipeline.read import read_document

    rows = [
        ["Липень", "Серпень", "Вересень"],
        ["Семінар А (відп. Іваненко О.П.)\nТренінг Б (відп. Петренко І.І.)", "", "Нарада В (Коваль М.М.)"],
        ["Проведення супервізій за даним напрямком:"],
        ["Супервізія для спеціалістів (1 раз на місяць) (відп. Іваненко О.П.)"],
    ]
    build = build_docx if suffix == ".docx" else build_html
    doc = read_document(build(tmp_path / f"plan{suffix}", ["План"], rows, ["Кінець"]))
    masked = mask_markup(doc.text)
    assert len(doc.tables) == 1 and is_calendar_table(doc.tables[0], masked)
    found = measures_from_calendar(doc.tables[0], masked)
    assert [(m.text, m.deadline, m.executors, m.task) for m in found.measures] == [
        ("Семінар А", "Липень", ["Іваненко О.П."], None),
        ("Тренінг Б", "Липень", ["Петренко І.І."], None),
        ("Нарада В", "Вересень", ["Коваль М.М."], None),
        ("Супервізія для спеціалістів", "1 раз на місяць", ["Іваненко О.П."],
         "Проведення супервізій за даним напрямком:"),
    ]
    for m in found.measures:
        assert doc.text[m.start : m.start + 5] == m.text[:5]


def test_row_table_goes_on_under_section_headings_and_running_headers():
    text = (
        "Додаток 1 до рішення виконавчого комітету від 12.01.2024 № 5\n\n"
        "1. Організаційна робота\n\n"
        "Заходи\tТермін виконання\tВідповідальні\n"
        "Нарада при директорові\tЩопонеділка\tІваненко О.П.\n"
        "\n"
        "Додаток 1 до рішення виконавчого комітету від 12.01.2024 № 5\n"
        "\n"
        "2. Методична робота\n"
        "Семінар для фахівців\tБерезень\tПетренко І.І.\n"
        "\t\tКоваль М.М.\n"
    )
    found = parse_text(text)
    got = [(m.text, m.deadline, m.executors, m.section) for m in found.measures]
    assert got == [
        ("Нарада при директорові", "Щопонеділка", ["Іваненко О.П."], "1. Організаційна робота"),
        ("Семінар для фахівців", "Березень", ["Петренко І.І.", "Коваль М.М."], "2. Методична робота"),
    ]


def test_a_heading_between_rows_stops_a_continuation():
    text = (
        "Заходи\tТермін виконання\tВідповідальні\n"
        "Нарада\tЩопонеділка\tІваненко О.П.\n"
        "Навчання персоналу:\t\t\n"
        "\t\tКоваль М.М.\n"
    )
    found = parse_text(text)
    assert [(m.text, m.executors) for m in found.measures] == [("Нарада", ["Іваненко О.П."])]


def test_grid_whose_first_column_names_the_measures():
    text = (
        "Захід\tI квартал\tII квартал\tIII квартал\tIV квартал\n"
        "Нарада директорів (відп. Іваненко О.П.)\t+\t\t+\t\n"
        "Семінари\t\t<p>Семінар А</p> <p>Семінар Б (відп. Коваль М.М.)</p>\t\t\n"
        "Звітність:\t\t\t\t\n"
        "Річний звіт\t\t\t\tх\n"
    )
    assert month_headings(text.splitlines()[0].split("\t"))[0] is None
    found = parse_text(text)
    got = [(m.text, m.deadline, m.executors, m.task) for m in found.measures]
    assert got == [
        ("Нарада директорів", "I квартал, III квартал", ["Іваненко О.П."], None),
        ("Семінар А", "II квартал", [], "Семінари"),
        ("Семінар Б", "II квартал", ["Коваль М.М."], "Семінари"),
        ("Річний звіт", "IV квартал", [], "Звітність:"),
    ]


def test_a_closing_bracket_splits_only_before_a_new_phrase():
    from pipeline.segment.notes import split_activities

    text = "Тренінг «Турбота» для РЦСС (5 районів) Семинар «Ресурси» для фахівців (відп. Устінова Т.В.)"
    assert len(split_activities(text)) == 2
    for whole in (
        "Семінар для фахівців ЦСС (м. Київ) Дарницького району (відп. Устінова Т.В.)",
        "Семінар (онлайн) (відп. Устінова Т.В.)",
        "Навчання (SPSS) для спеціалістів (відп. Устінова Т.В.)",
        "Зустріч з представниками (за згодою) ГО «Опора» (відп. Устінова Т.В.)",
    ):
        assert len(split_activities(whole)) == 1, whole


def test_executor_note_prefixes():
    assert classify_bracket("Відповідальні: Іваненко О.П., Петренко І.І.") == (["Іваненко О.П.", "Петренко І.І."], None)
    assert classify_bracket("відповідальна – Коваль М.М.") == (["Коваль М.М."], None)
    assert classify_bracket("відповідальні за реалізацію напрямів") is None

"""LEGAL_ACT tagging and normalisation.

Three groups: citations as the seed corpus writes them (found in ``corpora/``), citations in
forms the corpus lacks (hand-written, with exact spans, norms and addresses), and the
document-level behaviour (list headings, title runs, links between citations of one act).
"""
from __future__ import annotations

import pytest

from pipeline.normalise.legal_acts import act_url, clean_number, normalise_act
from pipeline.tag.legal_acts import find_acts, parse_heading
from pipeline.text import mask_markup


def acts_in(text: str) -> list[tuple[str, dict]]:
    """(span text, norm) of every LEGAL_ACT the tagger finds, normalised as the pipeline does."""
    return [(text[f.start : f.end], normalise_act(text[f.start : f.end], f.attrs)) for f in find_acts(text)]


def only_act(text: str) -> tuple[str, dict]:
    found = acts_in(text)
    assert len(found) == 1, found
    return found[0]


def assert_norm(norm: dict, expected: dict) -> None:
    for key, value in expected.items():
        assert norm.get(key) == value, (key, norm)


# --------------------------------------------------------------------------- hand-written forms
HAND_WRITTEN = [
    # A Cabinet order: number "-р", address "<n>-<yyyy>-р".
    (
        "Відповідно до розпорядження Кабінету Міністрів України від 09.12.2021 № 1617-р "
        "«Про затвердження планів заходів з реалізації Стратегії людського розвитку» центр працює.",
        "розпорядження Кабінету Міністрів України від 09.12.2021 № 1617-р «Про затвердження планів "
        "заходів з реалізації Стратегії людського розвитку»",
        {"type": "cmu_order", "issuer": "Кабінет Міністрів України", "date": "2021-12-09",
         "number": "1617-р", "id": "act:cmu_order:2021-12-09:1617-р",
         "url": "https://zakon.rada.gov.ua/laws/show/1617-2021-р"},
    ),
    # A presidential decree, capitalised act word in the instrumental case.
    (
        "Указом Президента України від 24.02.2022 № 64/2022 «Про введення воєнного стану в Україні» "
        "введено воєнний стан.",
        "Указом Президента України від 24.02.2022 № 64/2022 «Про введення воєнного стану в Україні»",
        {"type": "president_decree", "issuer": "Президент України", "date": "2022-02-24",
         "number": "64/2022", "title": "Про введення воєнного стану в Україні",
         "url": "https://zakon.rada.gov.ua/laws/show/64/2022"},
    ),
    # A Civil Code article: the code's number and address come from the data file.
    (
        "Згідно зі ст. 1 Цивільного кодексу України опікун діє.",
        "ст. 1 Цивільного кодексу України",
        {"type": "code", "article": "1", "number": None, "title": "Цивільний кодекс України",
         "id": "act:code:435-IV", "url": "https://zakon.rada.gov.ua/laws/show/435-15"},
    ),
    # Part and article of the Criminal Code (3rd convocation "-III" -> "-14").
    (
        "відповідальність за ч. 2 ст. 5 Кримінального кодексу України",
        "ч. 2 ст. 5 Кримінального кодексу України",
        {"type": "code", "article": "5", "part": "2", "id": "act:code:2341-III",
         "url": "https://zakon.rada.gov.ua/laws/show/2341-14"},
    ),
    # The Criminal Procedure Code with its own number written.
    (
        "Кримінального процесуального кодексу України від 13.04.2012 № 4651-VI",
        "Кримінального процесуального кодексу України від 13.04.2012 № 4651-VI",
        {"type": "code", "date": "2012-04-13", "number": "4651-VI", "id": "act:code:4651-VI",
         "url": "https://zakon.rada.gov.ua/laws/show/4651-17"},
    ),
    # A court ruling identified by its case number.
    (
        "Ухвалою Верховного Суду від 12.05.2021 у справі № 640/1234/19 відмовлено.",
        "Ухвалою Верховного Суду від 12.05.2021 у справі № 640/1234/19",
        {"type": "court_ruling", "issuer": "Верховний Суд", "date": "2021-05-12",
         "number": "640/1234/19", "url": None},
    ),
    # A decision of the Constitutional Court is a court ruling, not a council decision.
    (
        "рішення Конституційного Суду України від 22.06.2004 № 13-рп/2004",
        "рішення Конституційного Суду України від 22.06.2004 № 13-рп/2004",
        {"type": "court_ruling", "issuer": "Конституційний Суд України", "number": "13-рп/2004"},
    ),
    # An oblast council decision.
    (
        "Програма затверджена рішенням Київської обласної ради від 20.12.2023 № 123-15-VIII.",
        "рішенням Київської обласної ради від 20.12.2023 № 123-15-VIII",
        {"type": "council_decision", "issuer": "Київська обласна рада", "date": "2023-12-20",
         "number": "123-15-VIII", "id": "act:council_decision:2023-12-20:123-15-VIII", "url": None},
    ),
    # A ministry order registered with the Ministry of Justice: the registration is part of
    # the citation but its date and number are not the act's.
    (
        "наказом Міністерства соціальної політики України від 23.06.2020 № 429, зареєстрованим в "
        "Міністерстві юстиції України 10.07.2020 за № 643/34926, затверджено Класифікатор.",
        "наказом Міністерства соціальної політики України від 23.06.2020 № 429, зареєстрованим в "
        "Міністерстві юстиції України 10.07.2020 за № 643/34926",
        {"type": "ministry_order", "issuer": "Міністерство соціальної політики України",
         "date": "2020-06-23", "number": "429",
         "registration": {"date": "2020-07-10", "number": "643/34926"}, "url": None},
    ),
    # Upper case throughout.
    (
        "ЗАКОН УКРАЇНИ «ПРО СОЦІАЛЬНІ ПОСЛУГИ» від 17.01.2019 № 2671-VIII",
        "ЗАКОН УКРАЇНИ «ПРО СОЦІАЛЬНІ ПОСЛУГИ» від 17.01.2019 № 2671-VIII",
        {"type": "law", "issuer": "Верховна Рада України", "number": "2671-VIII",
         "url": "https://zakon.rada.gov.ua/laws/show/2671-19"},
    ),
    # Lower case throughout; a title alone still gets the law's id from the data file.
    (
        "відповідно до закону україни «про соціальні послуги» центр надає послуги",
        "закону україни «про соціальні послуги»",
        {"type": "law", "number": None, "date": None, "title": "про соціальні послуги",
         "id": "act:law:2671-VIII", "url": "https://zakon.rada.gov.ua/laws/show/2671-19"},
    ),
    # The Constitution with an article in the instrumental case.
    (
        "гарантовано статтею 32 Конституції України.",
        "статтею 32 Конституції України",
        {"type": "constitution", "article": "32", "id": "act:constitution:254к/96-ВР",
         "url": "https://zakon.rada.gov.ua/laws/show/254к/96-вр"},
    ),
    # A ratified convention.
    (
        "відповідно до Конвенції ООН про права дитини, ратифікованої Україною",
        "Конвенції ООН про права дитини",
        {"type": "convention", "title": "Конвенція про права дитини",
         "url": "https://zakon.rada.gov.ua/laws/show/995_021"},
    ),
    # An order of the head of an oblast military administration.
    (
        "розпорядженням голови Чернігівської обласної військової адміністрації від 12.01.2024 № 15 затверджено",
        "розпорядженням голови Чернігівської обласної військової адміністрації від 12.01.2024 № 15",
        {"type": "head_order", "issuer": "Голова Чернігівської обласної військової адміністрації",
         "date": "2024-01-12", "number": "15"},
    ),
    # A ministry abbreviation.
    (
        "наказ МОЗ України від 28.02.2020 № 587",
        "наказ МОЗ України від 28.02.2020 № 587",
        {"type": "ministry_order", "issuer": "Міністерство охорони здоров'я України", "number": "587"},
    ),
    # A joint order named as such, the issuers joined by "та".
    (
        "спільний наказ Міністерства освіти і науки України та Міністерства внутрішніх справ "
        "України від 01.02.2019 № 123/456",
        "спільний наказ Міністерства освіти і науки України та Міністерства внутрішніх справ "
        "України від 01.02.2019 № 123/456",
        {"type": "joint_order",
         "issuer": "Міністерство освіти і науки України; Міністерство внутрішніх справ України",
         "number": "123/456"},
    ),
    # An executive committee decision with the date written in words.
    (
        "рішення виконавчого комітету Чернігівської міської ради від 15 лютого 2024 року № 85 "
        "«Про затвердження плану»",
        "рішення виконавчого комітету Чернігівської міської ради від 15 лютого 2024 року № 85 "
        "«Про затвердження плану»",
        {"type": "executive_decision", "issuer": "Виконавчий комітет Чернігівської міської ради",
         "date": "2024-02-15", "number": "85", "title": "Про затвердження плану"},
    ),
    # A council session and convocation in ordinal words.
    (
        "Рішення двадцять восьмої сесії міської ради восьмого скликання від 15.12.2022 № 1523",
        "Рішення двадцять восьмої сесії міської ради восьмого скликання від 15.12.2022 № 1523",
        {"type": "council_decision", "issuer": "Міська рада", "date": "2022-12-15", "number": "1523"},
    ),
    # The Labour Code: a Soviet-era number "-VIII" (1971) has the address "-08".
    (
        "відповідно до Кодексу законів про працю України",
        "Кодексу законів про працю України",
        {"type": "code", "id": "act:code:322-VIII", "url": "https://zakon.rada.gov.ua/laws/show/322-08"},
    ),
    # A resolution of the Verkhovna Rada shares the numbering of its laws.
    (
        "постановою Верховної Ради України від 17.07.2020 № 807-IX «Про утворення та ліквідацію районів»",
        "постановою Верховної Ради України від 17.07.2020 № 807-IX «Про утворення та ліквідацію районів»",
        {"type": "other", "issuer": "Верховна Рада України", "number": "807-IX",
         "url": "https://zakon.rada.gov.ua/laws/show/807-20"},
    ),
    # An institution director's order: type "other", no address.
    (
        "наказом директора центру від 05.01.2024 № 3-од затверджено графік",
        "наказом директора центру від 05.01.2024 № 3-од",
        {"type": "other", "issuer": "Директор центру", "number": "3-од", "url": None},
    ),
    # "N" for the number sign, a Cabinet resolution with a textual date.
    (
        "Постанова Кабінету Міністрів України від 5 квітня 2017 р. N 268",
        "Постанова Кабінету Міністрів України від 5 квітня 2017 р. N 268",
        {"type": "cmu_resolution", "date": "2017-04-05", "number": "268",
         "url": "https://zakon.rada.gov.ua/laws/show/268-2017-п"},
    ),
    # A law of the 1990s numbered "/yy-ВР".
    (
        "Закону України від 21.05.1997 № 280/97-ВР",
        "Закону України від 21.05.1997 № 280/97-ВР",
        {"type": "law", "number": "280/97-ВР", "id": "act:law:280/97-ВР",
         "url": "https://zakon.rada.gov.ua/laws/show/280/97-вр"},
    ),
]


@pytest.mark.parametrize("text, span, expected", HAND_WRITTEN, ids=[c[1][:40] for c in HAND_WRITTEN])
def test_hand_written_citations(text, span, expected):
    found_span, norm = only_act(text)
    assert found_span == span
    assert_norm(norm, expected)


@pytest.mark.parametrize(
    "text",
    [
        "За рішенням суду дитину влаштовано в сім'ю.",
        "Прийнято рішення про надання соціальних послуг від 01.02.2024.",
        "На виконання законів України, указів Президента України, постанов Кабінету Міністрів "
        "України, наказів Міністерств центр працює.",
        "відповідно до чинного законодавства та законних інтересів дитини",
        "проведено 100% рішень щодо влаштування дітей",
        "відповідно до державного стандарту та потреб сімей з дітьми",
        "Державні стандарти надання соціальних послуг:",
    ],
)
def test_not_a_citation(text):
    assert acts_in(text) == []


# --------------------------------------------------------------------------- the seed corpus
def corpus_act(text: str, span: str) -> dict:
    """The norm of the mention whose text is exactly ``span`` (its first occurrence)."""
    start = text.find(span)
    assert start >= 0, span
    for f in find_acts(mask_markup(text)):
        if f.start == start:
            assert text[f.start : f.end] == span, text[f.start : f.end]
            return normalise_act(text[f.start : f.end], f.attrs)
    raise AssertionError(f"no mention starts at {start}: {span!r}")


CORPUS = [
    # Approval block of the document itself, across blank lines, date in words with blanks.
    ("berezan-2018-2026",
     "Рішенням виконавчого комітету\n\nБерезанської міської ради \n\nвід «_21_»_липня 2020 № _112_",
     {"type": "executive_decision", "date": "2020-07-21", "number": "112",
      "issuer": "Виконавчий комітет Березанської міської ради"}),
    # Running page header with the date and number left blank: linked to the approval block.
    ("berezan-2018-2026",
     "рішення виконавчого комітету \n\nБерезанської міської ради\n\nвід _______________ № ___________",
     {"type": "executive_decision", "date": None, "number": None,
      "id": "act:executive_decision:2020-07-21:112"}),
    # The institution's own order approving the plan, with a stray repeated year.
    ("kyiv-kmcss-2023", "Наказ Київського міського центру\nсоціальних служб\nвід 28.12.2022 р. 2022р. №278",
     {"type": "other", "date": "2022-12-28", "number": "278",
      "issuer": "Київський міський центр соціальних служб"}),
    # Head order without "від".
    ("svatove-2019-2026", "Розпорядження голови \nрайдержадміністрації \n\n27.06.2019  № 309",
     {"type": "head_order", "date": "2019-06-27", "number": "309"}),
    # List items: the heading gives the type; spaced dash and Cyrillic numerals.
    ("kyiv-kmcss-2023", "від 21.06.2001 № 2558 – ІІІ «Про соціальну роботу з дітьми та молоддю»",
     {"type": "law", "date": "2001-06-21", "number": "2558-III", "id": "act:law:2558-III",
      "url": "https://zakon.rada.gov.ua/laws/show/2558-14"}),
    ("kyiv-kmcss-2023", "від 15.03.2002 № 258/2002 «Про невідкладні додаткові заходи щодо зміцнення "
     "моральності у суспільстві та утвердження здорового способу життя»",
     {"type": "president_decree", "number": "258/2002", "url": "https://zakon.rada.gov.ua/laws/show/258/2002"}),
    ("kyiv-kmcss-2023", "від 28.08.2013 № 735-р «Про схвалення Стратегії державної політики щодо "
     "наркотиків на період до 2020 року»",
     {"type": "cmu_order", "number": "735-р", "url": "https://zakon.rada.gov.ua/laws/show/735-2013-р"}),
    ("kyiv-kmcss-2023", "від 12.10.2000 № 1545 «Про схвалення Концепції ранньої соціальної реабілітації дітей-інвалідів»",
     {"type": "cmu_resolution", "url": "https://zakon.rada.gov.ua/laws/show/1545-2000-п"}),
    # Joint order list item: the issuers open the item.
    ("kyiv-kmcss-2023", "ДДУзПВП та Мінсім'ямолодьспорт від 28.10.2008 № 288/4322 «Про затвердження Порядку "
     "взаємодії кримінально-виконавчої інспекції і центрів соціальних служб для сім'ї, дітей та молоді "
     "щодо забезпечення соціального супроводу і контролю за поведінкою дітей та молоді, які засуджені до "
     "покарань, не пов'язаних з позбавленням волі, звільнені від відбування покарання з випробуванням "
     "або умовно-достроково»",
     {"type": "joint_order", "number": "288/4322",
      "issuer": "Державний департамент України з питань виконання покарань; "
                "Міністерство України у справах сім'ї, молоді та спорту"}),
    # Ministry order under "Накази:" with the ministry as a sub-heading.
    ("kyiv-kmcss-2023", "від 23.06.2020 №429 «Про затвердження Класифікатора соціальних послуг»",
     {"type": "ministry_order", "issuer": "Міністерство соціальної політики України", "number": "429"}),
    # Council decision list item (issuer from the heading).
    ("kyiv-kmcss-2023", "від 08.12.2016 № 538/1542 «Про затвердження Міської цільової програми протидії "
     "епідемії ВІЛ-інфекції на 2017 - 2021 роки»",
     {"type": "council_decision", "issuer": "Київська міська рада", "number": "538/1542"}),
    # A state standard cited by name.
    ("kyiv-kmcss-2023", "Державного стандарту соціального супроводу",
     {"type": "other", "title": "Державний стандарт соціального супроводу"}),
    # Abbreviated Cabinet, number before date, glued "року".
    ("pokrovsk-css-2025", "постанови КМУ №333 від 19.03.2022року",
     {"type": "cmu_resolution", "date": "2022-03-19", "number": "333"}),
    # A bare title run after a plural act word: one mention per title.
    ("pokrovsk-css-2025", "Законами України «Про місцеве самоврядування в Україні»",
     {"type": "law", "number": None, "id": "act:law:280/97-ВР"}),
    ("pokrovsk-css-2025", "«Про соціальну роботу з сім’ями, дітьми та молоддю»",
     {"type": "law", "id": "act:law:2558-III"}),
    # Article reference and the abbreviation ЗУ.
    ("pokrovsk-css-2025", "ст.16 ЗУ «Про соціальну адаптацію осіб, які відбувають чи відбули покарання у "
     "виді обмеження волі або позбавлення волі на певний строк»",
     {"type": "law", "article": "16", "id": "act:law:3160-VI"}),
    # Head order with a prefixed number and straight quotes.
    ("pokrovsk-css-2025", "Розпорядження міського голови  №Р-10/06-34-23 від 20.01.2023 року \"Про затвердження "
     "Положення про мобільну бригаду соціально-психологічної допомоги особам, які постраждали від домашнього "
     "насильства у Покровській міській територіальній громаді та її складу у новій редакції\"",
     {"type": "head_order", "date": "2023-01-20", "number": "Р-10/06-34-23"}),
    # An instrument with the Cabinet resolution that approved it.
    ("pokrovsk-css-2025", "Порядку провадження органами опіки та піклування діяльності, пов’язаної із захистом "
     "прав дитини, затвердженого постановою КМУ від 24.09.2008 р. №866",
     {"type": "cmu_resolution", "date": "2008-09-24", "number": "866"}),
    # Council decisions named by session and convocation.
    ("pokrovsk-css-2025", "рішенням 55 сесії міської ради 8 скликання від 21.06.2024",
     {"type": "council_decision", "date": "2024-06-21", "number": None,
      "id": "act:council_decision:2024-06-21"}),
    ("pokrovsk-css-2025", "(І пленарне засідання  2 сесії 8 скликання) від 17.12.2020р.№15",
     {"type": "council_decision", "date": "2020-12-17", "number": "15"}),
    ("pokrovsk-css-2025", "14 сесія 8 скликання", {"type": "council_decision", "date": None}),
    # Half-spaced dash before the numeral, glued date and number sign.
    ("pokrovsk-css-2025", "Закону України «Про захист персональних даних» від 01.06.2010р. № 2297- VI",
     {"type": "law", "number": "2297-VI", "url": "https://zakon.rada.gov.ua/laws/show/2297-17"}),
    ("pokrovsk-css-2025", "Законом України від 20.10.2014 року N 1708-VIІ",
     {"type": "law", "number": "1708-VII", "url": "https://zakon.rada.gov.ua/laws/show/1708-18"}),
    # Unclosed title: its date and number still read.
    ("pokrovsk-css-2025", "Наказу Міністерства України у справах сім’ї, молоді та спорту «Про затвердження "
     "здійснення соціального супроводження прийомних сімей та дитячих будинків сімейного типу від "
     "23.09.2009р. №3357",
     {"type": "ministry_order", "date": "2009-09-23", "number": "3357",
      "title": "Про затвердження здійснення соціального супроводження прийомних сімей та дитячих будинків "
               "сімейного типу"}),
    # A joint order cited in brackets after the instrument it approved.
    ("pokrovsk-css-2025", "Порядку взаємодії центрів СССДМ та управлінь(відділів) освіти щодо підготовки до "
     "самостійного життя дітей-сиріт та дітей, позбавлених батьківського піклування, з числа учнів старших "
     "та випускних класів інтернатних закладів і шкіл соціальної реабілітації (наказ Мінсім’ямолодьспорту "
     "та Міносвіти від 28.09.2007р. №3455/853)",
     {"type": "joint_order", "date": "2007-09-28", "number": "3455/853"}),
    # An approval verb makes an act word with its issuer a citation.
    ("pokrovsk-css-2025", "розпорядженням міського голови", {"type": "head_order", "date": None}),
]


@pytest.mark.parametrize("doc, span, expected", CORPUS, ids=[f"{c[0][:6]}:{c[1][:30]}" for c in CORPUS])
def test_corpus_citations(corpus_text, doc, span, expected):
    assert_norm(corpus_act(corpus_text(doc), span), expected)


def test_corpus_mistyped_date_joins_full_citation(corpus_text):
    # "від 15.04.2017 року №268" is a slip for the resolution of 05.04.2017 cited in full.
    assert corpus_act(corpus_text("pokrovsk-css-2025"), "постанови КМУ від 15.04.2017 року №268")["id"] == (
        "act:cmu_resolution:2017-04-05:268"
    )


def test_corpus_bare_instrument_joins_its_citation(corpus_text):
    norm = corpus_act(corpus_text("pokrovsk-css-2025"), "Порядку призначення і виплати державної допомоги сім’ям з дітьми")
    assert norm["type"] == "cmu_resolution" and norm["id"] == "act:cmu_resolution:2001-12-27:1751"
    assert norm["date"] is None and norm["number"] is None


# --------------------------------------------------------------------------- document structure
def test_list_headings_give_type_and_issuer():
    doc = (
        "1. Закони України:\n"
        "- від 07.12.2017 № 2229-VIII «Про запобігання та протидію домашньому насильству»;\n"
        "Укази Президента України:\n"
        "- від 30.09.2019 № 722/2019 «Про Цілі сталого розвитку України на період до 2030 року».\n"
        "Постанови та розпорядження Кабінету Міністрів України:\n"
        "- від 01.06.2020 № 587 «Про організацію надання соціальних послуг»;\n"
        "- від 09.12.2021 № 1617-р «Про затвердження планів заходів»;\n"
        "Накази:\n"
        "Міністерства соціальної політики України:\n"
        "- від 23.06.2020 № 429 «Про затвердження Класифікатора соціальних послуг»;\n"
        "Плани заходів, затверджені міським головою:\n"
        "- від 29.11.2021 «План заходів на 2022 рік».\n"
    )
    found = acts_in(doc)
    assert [(s, n["type"]) for s, n in found] == [
        ("від 07.12.2017 № 2229-VIII «Про запобігання та протидію домашньому насильству»", "law"),
        ("від 30.09.2019 № 722/2019 «Про Цілі сталого розвитку України на період до 2030 року»", "president_decree"),
        ("від 01.06.2020 № 587 «Про організацію надання соціальних послуг»", "cmu_resolution"),
        ("від 09.12.2021 № 1617-р «Про затвердження планів заходів»", "cmu_order"),
        ("від 23.06.2020 № 429 «Про затвердження Класифікатора соціальних послуг»", "ministry_order"),
    ]
    assert found[4][1]["issuer"] == "Міністерство соціальної політики України"


def test_parse_heading():
    assert parse_heading("Закони України") == {"kinds": ["law"], "type": None, "issuer": "України"}
    assert parse_heading("Спільні накази")["type"] == "joint_order"
    assert parse_heading("Плани заходів") is None
    assert parse_heading("Рішення Київської міської ради")["issuer"] == "Київської міської ради"


def test_title_run_gives_one_mention_per_title():
    text = "Законами України «Про охорону дитинства», «Про соціальні послуги» та «Про оздоровлення та відпочинок дітей» визначено."
    assert [(s, n["id"]) for s, n in acts_in(text)] == [
        ("Законами України «Про охорону дитинства»", "act:law:2402-III"),
        ("«Про соціальні послуги»", "act:law:2671-VIII"),
        ("«Про оздоровлення та відпочинок дітей»", "act:law:375-VI"),
    ]


def test_page_header_with_blanks_joins_the_approving_act():
    doc = (
        "ЗАТВЕРДЖЕНО\nрішенням виконавчого комітету\nВишгородської міської ради\nвід 12.03.2024 № 45\n\n"
        "План\n\nПродовження додатку\nдо рішення виконавчого комітету\nВишгородської міської ради\n"
        "від ____________ № _____\n"
    )
    (s1, n1), (s2, n2) = acts_in(doc)
    assert s1 == "рішенням виконавчого комітету\nВишгородської міської ради\nвід 12.03.2024 № 45"
    assert s2 == "рішення виконавчого комітету\nВишгородської міської ради\nвід ____________ № _____"
    assert n2["date"] is None and n2["number"] is None
    assert n2["id"] == n1["id"] == "act:executive_decision:2024-03-12:45"


def test_component_passes_hints_to_the_normaliser():
    from pipeline.tag import build_nlp

    nlp = build_nlp(["legal_act_tagger"])
    doc = nlp("Закони України:\n- від 02.10.1992 № 2657-ХІІ «Про інформацію»;\n")
    (cand,) = doc._.mentions
    assert doc.text[cand.start : cand.end] == "від 02.10.1992 № 2657-ХІІ «Про інформацію»"
    assert cand.label == "LEGAL_ACT" and cand.attrs["kinds"] == ["law"]
    assert normalise_act(doc.text[cand.start : cand.end], cand.attrs)["url"] == (
        "https://zakon.rada.gov.ua/laws/show/2657-12"
    )


def test_unclosed_title_stops_at_the_sentence_or_clause():
    span, norm = only_act("Відповідно до Закону України «Про соціальні послуги центр працює. Інший абзац тексту.")
    assert span == "Закону України «Про соціальні послуги центр працює"
    assert norm["title"] == "Про соціальні послуги центр працює"
    # A stray straight quote opens no title: the citation ends with its number.
    span, _ = only_act('рішення виконкому від 01.02.2024 № 5 "щодо питання')
    assert span == "рішення виконкому від 01.02.2024 № 5"


def test_instrument_with_its_approving_act():
    span, norm = only_act(
        "відповідно до Положення про Центр соціальних служб Покровської міської ради, "
        "затвердженого рішенням виконавчого комітету від 12.02.2024 № 77, центр діє"
    )
    assert span == (
        "Положення про Центр соціальних служб Покровської міської ради, затвердженого рішенням "
        "виконавчого комітету від 12.02.2024 № 77"
    )
    assert_norm(norm, {"type": "executive_decision", "number": "77",
                       "title": "Положення про Центр соціальних служб Покровської міської ради"})


def test_header_with_place_between_date_and_number():
    span, norm = only_act("РОЗПОРЯДЖЕННЯ голови районної державної адміністрації 12.01.2024 м. Суми № 5")
    assert span.endswith("12.01.2024 м. Суми № 5")
    assert_norm(norm, {"type": "head_order", "date": "2024-01-12", "number": "5"})


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize(
    "raw, number",
    [
        ("№ 2558 – ІІІ", "2558-III"),
        ("№ 2297- VI", "2297-VI"),
        ("N 1708-VIІ", "1708-VII"),
        ("№ _112_", "112"),
        ("№ ___________", None),
        ("№ 393/96-ВР", "393/96-ВР"),
        ("№Р-196/06-34-23", "Р-196/06-34-23"),
        ("№ № 3160-VI", "3160-VI"),
        ("№ 735-р", "735-р"),
    ],
)
def test_clean_number(raw, number):
    assert clean_number(raw) == number


@pytest.mark.parametrize(
    "norm, url",
    [
        ({"type": "law", "number": "2657-XII", "date": "1992-10-02"}, "https://zakon.rada.gov.ua/laws/show/2657-12"),
        ({"type": "law", "number": "281-XIV", "date": "1998-12-01"}, "https://zakon.rada.gov.ua/laws/show/281-14"),
        ({"type": "law", "number": "1296-IV", "date": None}, "https://zakon.rada.gov.ua/laws/show/1296-15"),
        ({"type": "law", "number": "1000-V", "date": None}, "https://zakon.rada.gov.ua/laws/show/1000-16"),
        ({"type": "law", "number": "2671-VIII", "date": "2019-01-17"}, "https://zakon.rada.gov.ua/laws/show/2671-19"),
        ({"type": "law", "number": "1876-IX", "date": None}, "https://zakon.rada.gov.ua/laws/show/1876-20"),
        ({"type": "code", "number": "435-IV", "date": None}, "https://zakon.rada.gov.ua/laws/show/435-15"),
        ({"type": "code", "number": "322-VIII", "date": "1971-12-10"}, "https://zakon.rada.gov.ua/laws/show/322-08"),
        ({"type": "cmu_resolution", "number": "587", "date": "2020-06-01"}, "https://zakon.rada.gov.ua/laws/show/587-2020-п"),
        ({"type": "cmu_order", "number": "56-р", "date": "2019-02-06"}, "https://zakon.rada.gov.ua/laws/show/56-2019-р"),
        ({"type": "president_decree", "number": "6/2010", "date": "2010-01-06"}, "https://zakon.rada.gov.ua/laws/show/6/2010"),
        ({"type": "cmu_resolution", "number": "587", "date": None}, None),
        ({"type": "ministry_order", "number": "429", "date": "2020-06-23"}, None),
        ({"type": "council_decision", "number": "3", "date": "2023-06-30"}, None),
    ],
)
def test_act_url(norm, url):
    assert act_url(norm) == url


def test_normalise_without_hints_reads_the_citation_alone():
    norm = normalise_act("Закону України «Про соціальні послуги» від 17.01.2019р. № 2671-VIII", {})
    assert norm == {
        "type": "law", "issuer": "Верховна Рада України", "date": "2019-01-17", "number": "2671-VIII",
        "title": "Про соціальні послуги", "id": "act:law:2671-VIII",
        "url": "https://zakon.rada.gov.ua/laws/show/2671-19",
    }

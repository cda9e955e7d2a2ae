"""``plans compare``: the HTML comparison report, from the real corpus and from hostile data.

The corpus tests run the whole pipeline once (module fixture), build the report, and check
it against the dataset it was built from; a headless Chromium then renders it. The browser
is required, not optional: CI installs it (see .ci/run), and a missing browser fails loudly.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import lxml.html
import pandas as pd
import pytest

from pipeline.dataset import TABLES, Dataset
from pipeline.views.compare import (
    MAX_CHART_PLANS,
    TOP_EXECUTORS,
    compare_report,
    deadline_bucket,
    measures_per_section,
    write_report,
)

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "corpora"
SOCIAL_SERVICES_LAW = "Про соціальні послуги"
HEADINGS = ["Plans side by side", "Measures per section", "Measures by deadline", "Executors’ load",
            "Legal acts × plans"]


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def corpus_dataset() -> Dataset:
    """The linked dataset of the seed corpus, through the real pipeline (once per module)."""
    from pipeline.process import corpus_dataset, find_documents

    dataset = corpus_dataset(CORPORA)
    # corpus_dataset leaves failed documents out: every seed plan must have made it
    assert sorted(dataset.documents["doc_id"]) == sorted(p.stem for p in find_documents(CORPORA))
    return dataset


@pytest.fixture(scope="module")
def corpus_page(corpus_dataset: Dataset) -> str:
    return compare_report(corpus_dataset)


@pytest.fixture(scope="module")
def corpus_tree(corpus_page: str):
    return lxml.html.document_fromstring(corpus_page)


@pytest.fixture(scope="module")
def corpus_report_file(corpus_dataset: Dataset, tmp_path_factory) -> Path:
    return write_report(corpus_dataset, tmp_path_factory.mktemp("compare") / "report.html")


def make_dataset(**rows: list[dict]) -> Dataset:
    """A dataset from row dicts; tables not given are empty, missing columns empty cells."""
    return Dataset(**{name: pd.DataFrame(rows.get(name, []), columns=list(columns))
                      for name, columns in TABLES.items()})


def document(doc_id: str, title: str, n_measures: int = 0, **extra) -> dict:
    return {"doc_id": doc_id, "title": title, "doc_type": "calendar_plan", "n_sections": 1,
            "n_measures": n_measures, "n_mentions": 0, **extra}


def measure(doc_id: str, index: int, section: str | None = "1. Section", **extra) -> dict:
    return {"doc_id": doc_id, "measure_index": index, "measure_id": f"{doc_id}#{index}", "section": section,
            "text": f"measure {index}", "deadline_kind": "date", "deadline_start": "2025-05-01",
            "deadline_end": "2025-05-31", **extra}


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.fail("No headless browser found (chromium, chromium-browser or google-chrome). Install one: "
                    "`sudo apt-get install -y chromium` on Debian/Ubuntu (CI does this in .ci/run).")
    return found


def run_browser(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    command = [browser(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--hide-scrollbars", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class TagBalance(HTMLParser):
    """Every element closed, in order: stricter than lxml, which repairs what it parses."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source", "track"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[tuple] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:  # <path ... /> in SVG
        pass

    def handle_endtag(self, tag) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.errors.append((tag, self.open[-3:], self.getpos()))


def plan_ids(dataset: Dataset) -> list[str]:
    return dataset.documents["doc_id"].astype(str).tolist()


# --------------------------------------------------------------------------- the corpus report


def test_every_plan_appears(corpus_dataset: Dataset, corpus_tree) -> None:
    text = corpus_tree.text_content()
    assert len(corpus_dataset.documents) >= 2
    for row in corpus_dataset.documents.itertuples(index=False):
        assert str(row.doc_id) in text
        if isinstance(row.title, str) and row.title:
            # the side-by-side table shows each title (whole, or shortened with the whole in a tooltip)
            cell = corpus_tree.xpath(f'//table[contains(@class,"side-by-side")]//tr[@data-field="Title"]'
                                     f'/td[@data-doc="{row.doc_id}"]')[0]
            shown = " ".join((cell.text_content() + " " + " ".join(cell.xpath(".//@title"))).split())
            assert " ".join(row.title.split())[:60] in shown
    for heading in HEADINGS:
        assert heading in text


def test_per_section_counts_add_up_to_each_plans_measures(corpus_dataset: Dataset, corpus_tree) -> None:
    measures = corpus_dataset.measures.groupby("doc_id").size()
    for doc_id in plan_ids(corpus_dataset):
        tables = corpus_tree.xpath(f'//table[contains(@class,"per-section")][@data-doc="{doc_id}"]')
        expected = int(measures.get(doc_id, 0))
        if not expected:
            assert not tables
            continue
        counts = [int(td.text_content()) for td in tables[0].xpath('./tbody//td[contains(@class,"measures")]')]
        assert sum(counts) == expected
        total = tables[0].xpath('./tfoot//td[contains(@class,"total")]')[0].text_content()
        assert int(total) == expected
        documented = corpus_dataset.documents.set_index("doc_id").loc[doc_id, "n_measures"]
        assert int(documented) == expected


def test_deadline_table_counts_every_measure_once(corpus_dataset: Dataset, corpus_tree) -> None:
    measures = corpus_dataset.measures.groupby("doc_id").size()
    for doc_id in plan_ids(corpus_dataset):
        row = corpus_tree.xpath(f'//table[contains(@class,"deadlines")]//tr[@data-doc="{doc_id}"]')[0]
        cells = [td.text_content() for td in row.xpath('./td[@data-bucket]')]
        assert sum(int(c) for c in cells if c.isdigit()) == int(measures.get(doc_id, 0))
        assert int(row.xpath('./td[contains(@class,"total")]')[0].text_content()) == int(measures.get(doc_id, 0))


def test_executor_tables_are_top_n_and_match_the_dataset(corpus_dataset: Dataset, corpus_tree) -> None:
    executors = corpus_dataset.measure_executors
    for doc_id in plan_ids(corpus_dataset):
        tables = corpus_tree.xpath(f'//table[contains(@class,"executors")][@data-doc="{doc_id}"]')
        frame = executors[executors["doc_id"] == doc_id]
        if frame.empty:
            assert not tables
            continue
        counts = [int(td.text_content()) for td in tables[0].xpath('.//td[contains(@class,"measures")]')]
        assert 0 < len(counts) <= TOP_EXECUTORS
        assert counts == sorted(counts, reverse=True)
        # the busiest executor's count is the number of measures naming it (by entity, or text when unlinked)
        keys = frame["entity"].where(frame["entity"].notna() & (frame["entity"] != ""), "text:" + frame["executor"])
        assert counts[0] == frame.assign(key=keys).groupby("key")["measure_index"].nunique().max()


def test_legal_acts_matrix_marks_the_social_services_law(corpus_dataset: Dataset, corpus_tree) -> None:
    entities = corpus_dataset.entities
    law = entities[(entities["label"] == "LEGAL_ACT") & (entities["act_type"] == "law")
                   & (entities["act_title"] == SOCIAL_SERVICES_LAW)]
    assert len(law) == 1, law
    entity = law["entity"].iloc[0]
    citations = corpus_dataset.citations
    expected = citations[citations["entity"] == entity].groupby("doc_id").size()
    assert len(expected) >= 1

    row = corpus_tree.xpath(f'//table[contains(@class,"acts-matrix")]//tr[@data-entity="{entity}"]')
    assert len(row) == 1
    row = row[0]
    assert SOCIAL_SERVICES_LAW in row.text_content()
    for doc_id in plan_ids(corpus_dataset):
        cell = row.xpath(f'./td[@data-doc="{doc_id}"]')[0]
        n = int(expected.get(doc_id, 0))
        assert cell.text_content().strip() == (str(n) if n else "·")
        assert ("hit" in cell.get("class")) == bool(n)
    shared = len(expected) >= 2
    assert ("shared" in row.get("class").split()) == shared
    assert row.get("data-plans") == str(len(expected))


def test_legal_acts_matrix_covers_every_cited_act_in_order(corpus_dataset: Dataset, corpus_tree) -> None:
    citations = corpus_dataset.citations.dropna(subset=["entity"])
    rows = corpus_tree.xpath('//table[contains(@class,"acts-matrix")]/tbody/tr')
    assert {r.get("data-entity") for r in rows} == set(citations["entity"])
    n_plans = [int(r.get("data-plans")) for r in rows]
    assert n_plans == sorted(n_plans, reverse=True)
    # the summary's shared + unique equals the acts each plan cites
    per_plan = citations.groupby("doc_id")["entity"].nunique()
    for doc_id in plan_ids(corpus_dataset):
        summary = corpus_tree.xpath(f'//table[contains(@class,"acts-summary")]//tr[@data-doc="{doc_id}"]')[0]
        cells = [int(td.text_content()) for td in summary.xpath("./td")]
        assert cells[0] == int(per_plan.get(doc_id, 0)) == cells[1] + cells[2]


def test_no_external_resources(corpus_page: str, corpus_tree) -> None:
    assert not corpus_tree.xpath("//script | //link | //iframe | //img | //object | //embed")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", corpus_page)
    for element in corpus_tree.iter():
        for name in ("src", "href", "{http://www.w3.org/1999/xlink}href", "xlink:href"):
            value = (element.get(name) or "").strip()
            if not value or value.startswith("#"):
                continue
            assert element.tag == "a" and name == "href", (element.tag, name, value)
            assert urlparse(value).scheme == "https" and urlparse(value).hostname == "zakon.rada.gov.ua", value
    assert corpus_tree.xpath('//a[starts-with(@href,"https://zakon.rada.gov.ua/")]')


def test_report_parses_and_charts_are_inline_svg(corpus_dataset: Dataset, corpus_page: str, corpus_tree) -> None:
    assert corpus_page.startswith("<!DOCTYPE html>")
    balance = TagBalance()
    balance.feed(corpus_page)
    assert not balance.errors and not balance.open, (balance.errors[:5], balance.open)
    svgs = corpus_tree.xpath("//svg")
    assert svgs
    assert len(svgs) <= 2 * min(len(corpus_dataset.documents), MAX_CHART_PLANS)
    # text in charts stays text (svg.fonttype none): the Cyrillic names are searchable
    assert any(re.search("[А-Яа-яІіЇїЄєҐґ]", "".join(svg.itertext())) for svg in svgs)
    # ids are unique across the several SVGs in one page (clip paths must not collide)
    ids = corpus_tree.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_report_from_written_dataset_is_the_same(corpus_dataset: Dataset, corpus_page: str, tmp_path: Path) -> None:
    """`plans compare DIR` reads the tables back from Parquet: same page, byte for byte (and no
    run-dependent ids or dates in it)."""
    from pipeline.dataset import load_dataset, write_dataset

    write_dataset(corpus_dataset, tmp_path)
    assert compare_report(load_dataset(tmp_path)) == corpus_page


def test_write_report_is_atomic(corpus_report_file: Path) -> None:
    assert corpus_report_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in corpus_report_file.parent.iterdir()] == ["report.html"]


# --------------------------------------------------------------------------- in a browser


def test_chromium_renders_the_report(corpus_report_file: Path, tmp_path: Path) -> None:
    result = run_browser(["--dump-dom", corpus_report_file.as_uri()], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = lxml.html.document_fromstring(result.stdout)
    text = dom.text_content()
    for heading in HEADINGS:
        assert heading in text
    assert len(dom.xpath("//svg")) >= 2
    assert dom.xpath("//svg//text")


def test_chromium_screenshot_is_not_blank(corpus_report_file: Path, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    shot = tmp_path / "report.png"
    result = run_browser([f"--screenshot={shot}", "--window-size=1400,2000", corpus_report_file.as_uri()], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.is_file()
    with Image.open(shot) as image:
        assert image.size == (1400, 2000)
        grey = image.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 20  # a blank page has none
        # ink across the page, not one stray mark: most horizontal bands hold some
        bands = [grey.crop((0, y, 1400, y + 200)) for y in range(0, 2000, 200)]
        assert sum(1 for band in bands if band.getextrema()[0] < 128) >= 7


# --------------------------------------------------------------------------- small units


@pytest.mark.parametrize(("kind", "start", "end", "bucket"), [
    ("date", "2025-05-01", "2025-05-01", (2025, 2)),
    ("interval", "2023-01-01", "2023-12-31", (2023, 4)),  # the end decides
    ("interval", "2024-03-01", None, (2024, 1)),  # no end: the start decides
    ("recurrence", "2025-01-01", "2025-12-31", "recurring"),
    ("ongoing", None, None, "ongoing"),
    ("condition", None, None, "on condition"),
    (None, None, None, "no date"),
    ("date", "not a date", "", "no date"),
])
def test_deadline_bucket(kind, start, end, bucket) -> None:
    assert deadline_bucket(kind, start, end) == bucket


def test_measures_per_section_in_hierarchy_order() -> None:
    sections = pd.DataFrame({"doc_id": "a", "section_index": [0, 1, 2], "number": ["1", "1.1", "2"],
                             "title": ["First", "Task", "Second"]})
    measures = pd.DataFrame({"doc_id": "a", "measure_index": [0, 1, 2, 3],
                             "section": ["Second", "First", None, "First"], "task": [None, "Task", None, "Task"]})
    counts = measures_per_section(measures, sections)
    assert [(c.number, c.title, c.n_measures, c.n_tasks) for c in counts] == [
        ("1", "First", 2, 1), ("2", "Second", 1, 0), ("", "(not in any section)", 1, 0)]


# --------------------------------------------------------------------------- edge and hostile cases


def test_one_plan_without_citations(tmp_path: Path) -> None:
    dataset = make_dataset(
        documents=[document("solo", "Єдиний план", 2)],
        measures=[measure("solo", 0), measure("solo", 1, deadline_kind="ongoing")],
        measure_executors=[{"doc_id": "solo", "measure_index": 0, "position": 0, "executor": "Відділ освіти",
                            "entity": None, "entity_label": None}],
    )
    page = compare_report(dataset)
    tree = lxml.html.document_fromstring(page)
    assert "Єдиний план" in tree.text_content()
    assert "No plan cites a legal act" in tree.text_content()
    assert tree.xpath('//table[contains(@class,"executors")]//td[contains(text(),"Відділ освіти")]')
    path = write_report(dataset, tmp_path / "nested" / "one.html")
    assert path.read_text(encoding="utf-8") == page


def test_plan_with_no_measures_and_empty_dataset() -> None:
    dataset = make_dataset(
        documents=[document("full", "Plan with measures", 1), document("empty", "Plan without measures", 0)],
        measures=[measure("full", 0)],
        citations=[{"doc_id": "full", "measure_index": 0, "mention_index": 0, "entity": "act:x", "text": "Закон"}],
        entities=[{"entity": "act:x", "label": "LEGAL_ACT", "name": "Закон", "act_type": "law"}],
    )
    tree = lxml.html.document_fromstring(compare_report(dataset))
    assert "No measures were recognised in this plan." in tree.text_content()
    assert not tree.xpath('//table[contains(@class,"per-section")][@data-doc="empty"]')
    assert tree.xpath('//tr[@data-entity="act:x"]/td[@data-doc="empty"]')[0].text_content() == "·"
    # and nothing at all
    assert "<h1>" in compare_report(make_dataset())


def test_hostile_text_is_escaped() -> None:
    script = '<script>alert("x")</script>'
    dataset = make_dataset(
        documents=[document("evil", f"Plan {script}", 1, issuer=script, approval_number='1"><i class="injected">')],
        measures=[measure("evil", 0, section=f"Section {script}", task=script)],
        measure_executors=[{"doc_id": "evil", "measure_index": 0, "position": 0, "executor": script,
                            "entity": None, "entity_label": None}],
        citations=[{"doc_id": "evil", "measure_index": 0, "mention_index": 0, "entity": "act:e", "text": script}],
        entities=[{"entity": "act:e", "label": "LEGAL_ACT", "name": script, "act_type": "law",
                   "act_title": script, "act_url": "javascript:alert(1)"}],
    )
    page = compare_report(dataset, title=f"Report {script}")
    assert "<script" not in page
    assert 'href="javascript' not in page
    tree = lxml.html.document_fromstring(page)
    assert not tree.xpath("//script | //*[@class='injected']")
    assert script in tree.text_content()  # shown as text, not run


def test_many_plans_keep_charts_bounded() -> None:
    documents, measures = [], []
    for i in range(50):
        doc_id = f"plan-{i:02d}"
        documents.append(document(doc_id, f"План {i}", i % 4))
        measures += [measure(doc_id, j, deadline_end=f"20{20 + i % 6}-0{1 + j % 9}-01") for j in range(i % 4)]
    tree = lxml.html.document_fromstring(compare_report(make_dataset(documents=documents, measures=measures)))
    assert len(tree.xpath("//table[contains(@class,'side-by-side')]//thead/tr/th")) == 51
    assert len(tree.xpath("//svg")) <= 2 * MAX_CHART_PLANS
    assert tree.xpath("//div[@class='scroll']/table[contains(@class,'deadlines')]")

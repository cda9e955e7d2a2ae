"""The linked dataset that `plans run` writes, its views, and the stability of entity ids."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import CORPORA
from pipeline.cli import app
from pipeline.dataset import TABLES, load_dataset

FIXTURES = Path(__file__).resolve().parent / "fixtures"
runner = CliRunner()


def run_plans(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("five")
    for path in sorted(CORPORA.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    out = tmp_path_factory.mktemp("out5")
    run_plans("run", str(corpus), "-o", str(out))
    return corpus, out


@pytest.fixture(scope="module")
def six(five, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("six")
    for path in five[0].iterdir():
        shutil.copy(path, corpus / path.name)
    shutil.copy(FIXTURES / "bucha-css-2024.txt", corpus / "bucha-css-2024.txt")
    out = tmp_path_factory.mktemp("out6")
    run_plans("run", str(corpus), "-o", str(out))
    return corpus, out


def doc_entities(out: Path) -> dict[tuple[str, int, int], str]:
    ids = {}
    for path in sorted((out / "docs").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for m in doc["mentions"]:
            ids[(doc["doc_id"], m["start"], m["end"])] = m["entity"]
    return ids


def test_every_table_is_written_as_parquet_and_csv_with_its_columns_described(five):
    _, out = five
    dataset = load_dataset(out)
    readme = (out / "README.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        frame = dataset.tables()[name]
        assert list(frame.columns) == list(columns)
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert list(csv.columns) == list(columns) and len(csv) == len(frame)
        assert f"## {name}" in readme
        assert all(f"`{column}`" in readme for column in columns)
    assert len(dataset.documents) == 5 and dataset.measures["measure_id"].is_unique


def test_mentions_table_and_json_agree_and_every_entity_is_listed(five):
    _, out = five
    dataset = load_dataset(out)
    table = {(r.doc_id, r.start, r.end): (r.entity if isinstance(r.entity, str) else None)
             for r in dataset.mentions.itertuples()}
    assert table == doc_entities(out)
    listed = set(dataset.entities["entity"])
    assert {e for e in table.values() if e} == listed
    counts = dataset.mentions.dropna(subset=["entity"]).groupby("entity").size()
    assert (dataset.entities.set_index("entity")["n_mentions"] == counts).all()


def test_measures_link_to_their_executors_and_documents_to_the_acts_they_cite(five):
    _, out = five
    dataset = load_dataset(out)
    linked = dataset.measure_executors.dropna(subset=["entity"])
    assert len(linked) > 300
    assert set(linked["entity_label"]) <= {"PERSON", "ORG", "ROLE"}
    sample = linked[linked["entity_label"] == "PERSON"].iloc[0]
    person = dataset.entities.set_index("entity").loc[sample["entity"]]
    assert person["label"] == "PERSON" and sample["doc_id"] in person["documents"]
    acts = dataset.entities[dataset.entities["label"] == "LEGAL_ACT"]
    assert set(dataset.citations["entity"]) == set(acts["entity"])
    # A citation inside a measure names that measure.
    in_measure = dataset.citations.dropna(subset=["measure_index"]).iloc[0]
    measure = dataset.measures[(dataset.measures["doc_id"] == in_measure["doc_id"])
                               & (dataset.measures["measure_index"] == in_measure["measure_index"])].iloc[0]
    mention = dataset.mentions[(dataset.mentions["doc_id"] == in_measure["doc_id"])
                               & (dataset.mentions["mention_index"] == in_measure["mention_index"])].iloc[0]
    assert measure["start"] <= mention["start"] < measure["end"]


def test_ids_are_identical_on_a_second_run(five, tmp_path):
    corpus, out = five
    run_plans("run", str(corpus), "-o", str(tmp_path))
    assert doc_entities(tmp_path) == doc_entities(out)
    for name in ("entities", "merges", "mentions"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (out / f"{name}.csv").read_bytes()


def test_adding_a_sixth_document_leaves_existing_ids_alone(five, six):
    before, after = doc_entities(five[1]), doc_entities(six[1])
    assert {k: v for k, v in after.items() if k[0] != "bucha-css-2024"} == before
    # ... while the new plan's citations and bodies join the entities that were there.
    dataset = load_dataset(six[1])
    law = dataset.entities[dataset.entities["act_number"] == "2671-VIII"].iloc[0]
    assert "bucha-css-2024" in law["documents"]
    ministry = dataset.entities[dataset.entities["name"] == "Міністерство соціальної політики України"].iloc[0]
    assert "bucha-css-2024" in ministry["documents"] and ministry["n_documents"] >= 3


def test_legalbases_lists_the_law_on_social_services_cited_by_the_plans_that_cite_it(five):
    corpus, out = five
    csv = run_plans("acts", str(corpus), "--format", "legalbases")
    frame = pd.read_csv(pd.io.common.StringIO(csv))
    assert list(frame.columns) == ["legalActTitle", "legalActId", "legalActDate", "legalActType",
                                   "legalActAdopterName", "legalActUrl", "citedBy"]
    row = frame[frame["legalActUrl"] == "https://zakon.rada.gov.ua/laws/show/2671-19"]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["legalActTitle"] == "Про соціальні послуги" and row["legalActType"] == "Закон"
    assert row["legalActId"] == "2671-VIII" and row["legalActDate"] == "2019-01-17"
    dataset = load_dataset(out)
    law = dataset.entities[dataset.entities["act_number"] == "2671-VIII"]["entity"].iloc[0]
    citing = sorted(set(dataset.citations[dataset.citations["entity"] == law]["doc_id"]))
    assert row["citedBy"].split("; ") == citing and len(citing) >= 2
    # Each act once; the output folder gives the same index as the documents.
    assert frame["legalActUrl"].dropna().is_unique
    assert run_plans("acts", str(out), "--format", "legalbases") == csv


def test_acts_table_and_csv_outputs(five, tmp_path):
    _, out = five
    table = run_plans("acts", str(out))
    assert "Про соціальні послуги" in table and "2671-19" in table
    target = tmp_path / "acts.csv"
    run_plans("acts", str(out), "--format", "csv", "-o", str(target))
    index = pd.read_csv(target)
    assert index["entity"].is_unique and (index["n_documents"] >= 1).all()
    assert index["n_documents"].is_monotonic_decreasing


def test_explain_shows_the_mentions_and_why_they_were_joined(five):
    _, out = five
    dataset = load_dataset(out)
    merge = dataset.merges[dataset.merges["rule"] == "surname_spelling"].iloc[0]
    text = run_plans("explain", merge["entity"], "--data", str(out))
    assert "surname_spelling" in text and merge["left"] in text and merge["right"] in text
    assert text.count("kyiv-kmcss-2023 [") == dataset.entities.set_index("entity").loc[merge["entity"], "n_mentions"]
    result = runner.invoke(app, ["explain", "org:000000000000", "--data", str(out)])
    assert result.exit_code == 1 and "no entity" in result.output


def test_a_table_written_block_by_block_reads_back_as_the_whole_and_a_failed_one_leaves_nothing(five, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.dataset import arrow_schema
    from pipeline.export import TableWriter

    _, out = five
    mentions = pd.read_parquet(out / "mentions.parquet")
    whole = pa.Table.from_pandas(mentions, schema=arrow_schema("mentions"), preserve_index=False)
    writer = TableWriter(tmp_path, "mentions", arrow_schema("mentions"), row_group_rows=300)
    for start in range(0, whole.num_rows, 250):
        writer.write(whole.slice(start, 250))
    assert not (tmp_path / "mentions.parquet").exists()  # named only when complete
    writer.close()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "mentions.parquet"), mentions)
    assert pq.ParquetFile(tmp_path / "mentions.parquet").metadata.num_row_groups > 1
    csv = (tmp_path / "mentions.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and csv == (out / "mentions.csv").read_bytes()

    failed = TableWriter(tmp_path, "mentions", arrow_schema("mentions"))
    failed.write(whole.slice(0, 10))
    failed.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mentions.csv", "mentions.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "mentions.parquet"), mentions)


def test_an_empty_table_keeps_its_columns_and_their_types(tmp_path):
    from pipeline.dataset import Dataset, DatasetBuilder, write_dataset
    from pipeline.link import Linking

    empty: Dataset = DatasetBuilder(Linking([])).finish()
    write_dataset(empty, tmp_path)
    back = load_dataset(tmp_path)
    assert list(back.mentions.columns) == list(TABLES["mentions"]) and len(back.mentions) == 0
    assert str(back.mentions["measure_index"].dtype) == "Int64" and str(back.mentions["start"].dtype) == "int64"
    assert (tmp_path / "measures.csv").read_text(encoding="utf-8-sig").startswith('"doc_id","measure_index"')

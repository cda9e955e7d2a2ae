"""The command line: contract output, clear errors for bad documents, nothing lost for the rest."""
from __future__ import annotations

import json
import shutil

import pandas as pd
from typer.testing import CliRunner

from conftest import CORPORA
from pipeline.cli import app

runner = CliRunner()


def test_extract_prints_the_contract_with_exact_offsets(corpus_text):
    result = runner.invoke(app, ["extract", str(CORPORA / "chernihiv-2025.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    text = corpus_text("chernihiv-2025")
    assert obj["doc_id"] == "chernihiv-2025"
    assert set(obj) >= {"doc_id", "source", "text_sha256", "metadata", "mentions", "measures"}
    for mention in obj["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert obj["measures"], "the plan has measures"
    for measure in obj["measures"]:
        assert measure["end"] > measure["start"]
        first_word = measure["text"].split()[0]
        assert first_word in text[measure["start"] : measure["end"]]


def test_text_prints_the_source_text(corpus_text):
    result = runner.invoke(app, ["text", str(CORPORA / "svatove-2019-2026.txt")])
    assert result.exit_code == 0
    assert result.stdout == corpus_text("svatove-2019-2026")


def test_extract_of_a_bad_file_fails_with_one_line_naming_it(tmp_path):
    bad = tmp_path / "порожній план.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(bad) in lines[0]


def test_extract_of_a_missing_file_fails(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "nope.txt" in result.stderr


def test_run_reports_bad_documents_and_writes_the_rest(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CORPORA / "chernihiv-2025.txt", corpus)
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "loop.txt").symlink_to("loop.txt")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["chernihiv-2025.json"]
    assert "binary.txt" in result.stderr and "empty.txt" in result.stderr and "loop.txt" in result.stderr
    measures = pd.read_parquet(out / "measures.parquet")
    assert len(measures) == len(json.loads((out / "docs" / "chernihiv-2025.json").read_text())["measures"])
    assert pd.read_csv(out / "measures.csv").shape[0] == len(measures)


def test_eval_reports_a_backend_on_the_gold_set_and_on_the_held_out_slice():
    result = runner.invoke(app, ["eval", "--backend", "rules", "--json", "--out", "/tmp/plans-eval-test"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["backend"] == "rules"
    assert {(s["backend"], s["setting"], s["label"]) for s in report["heldout"]} == {
        ("rules", "tagger", "PERSON"), ("rules", "tagger", "ORG")}
    assert all(0 < s["f1"] <= 1 for s in report["heldout"])

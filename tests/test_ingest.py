"""Bulk runs: parallel, incremental, resumable, fault-isolated, on the local or the Dask engine."""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import build_docx
from conftest import CORPORA
from pipeline.cli import app
from pipeline.ingest import RunOptions, ingest
from pipeline.process import find_documents

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def tree_bytes(out: Path) -> dict[str, bytes]:
    """Every output file (not the cache) by its path under ``out``."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*")) if p.is_file() and ".cache" not in p.parts
    }


def errors(out: Path) -> dict[str, dict]:
    with open(out / "errors.csv", encoding="utf-8", newline="") as fh:
        return {Path(row["file"]).name: row for row in csv.DictReader(fh)}


def small_corpus(folder: Path, copies: int = 1) -> Path:
    """The seed plans, ``copies`` times over under different names."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(CORPORA.glob("*.txt")):
        for i in range(copies):
            shutil.copy(path, folder / (path.name if i == 0 else f"{path.stem}-copy{i}.txt"))
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted one-process run over the seed plans and two copies of each."""
    corpus = small_corpus(tmp_path_factory.mktemp("ref_in"), copies=3)
    out = tmp_path_factory.mktemp("ref_out")
    summary = ingest(find_documents(corpus), out, RunOptions(workers=1))
    assert not summary.failures and summary.analysed == 15
    return corpus, out


def run_command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out), "--no-progress"]


@pytest.fixture(scope="module")
def full_run_seconds(reference, tmp_path_factory):
    """How long a whole command-line run takes here, to kill one at a fraction of it."""
    started = time.perf_counter()
    subprocess.run(run_command(reference[0], tmp_path_factory.mktemp("timed")), check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


def test_two_workers_give_the_same_output_as_one(reference, tmp_path):
    corpus, out = reference
    result = runner.invoke(app, ["run", str(corpus), "-o", str(tmp_path), "--workers", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert tree_bytes(tmp_path) == tree_bytes(out)


def test_a_rerun_analyses_nothing_and_a_changed_document_alone_is_analysed_again(reference, tmp_path):
    corpus, out = reference
    shutil.copytree(out, tmp_path / "out")
    again = ingest(find_documents(corpus), tmp_path / "out", RunOptions())
    assert (again.analysed, again.cached) == (0, 15)
    assert tree_bytes(tmp_path / "out") == tree_bytes(out)
    changed = tmp_path / "in"
    shutil.copytree(corpus, changed)
    path = changed / "chernihiv-2025-copy1.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nДодаток. Контакти: Коваленко О.М.\n", encoding="utf-8")
    (changed / "svatove-2019-2026-copy2.txt").unlink()
    third = ingest(find_documents(changed), tmp_path / "out", RunOptions())
    assert (third.analysed, third.cached) == (1, 13)
    assert not (tmp_path / "out" / "docs" / "svatove-2019-2026-copy2.json").exists()
    assert len(list((tmp_path / "out" / ".cache").glob("*.json"))) == 14  # stale entries pruned


def test_half_written_files_of_a_killed_run_are_removed_by_the_next(reference, tmp_path):
    corpus, out = reference
    target = tmp_path / "out"
    shutil.copytree(out, target)
    stale = [target / ".measures.csv.1a2b3c.tmp", target / "docs" / ".kyiv.json.4d5e6f.tmp",
             target / ".cache" / ".0123abcd.json.778899.tmp"]
    for path in stale:
        path.write_text("half a fi", encoding="utf-8")
    (target / "measures.csv").write_text("an old table", encoding="utf-8")  # the tables are written afresh
    ingest(find_documents(corpus), target, RunOptions())
    assert not any(path.exists() for path in stale)
    assert tree_bytes(target) == tree_bytes(out)


@pytest.mark.parametrize("moment", [0.25, 0.6, 0.9])
def test_killed_at_any_moment_a_resumed_run_gives_byte_identical_output(reference, full_run_seconds, tmp_path, moment):
    """kill -9 part way through (while starting, analysing, or linking and writing), start
    again, and the output is the uninterrupted run's, byte for byte."""
    corpus, out = reference
    target = tmp_path / "out"
    command = run_command(corpus, target)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    time.sleep(full_run_seconds * moment)
    process.send_signal(signal.SIGKILL)
    process.wait()
    resumed = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert resumed.returncode == 0, resumed.stderr
    assert tree_bytes(target) == tree_bytes(out)
    assert not list(target.rglob("*.tmp"))


def test_the_dask_engine_gives_the_same_output_as_the_local_one(reference, tmp_path):
    pytest.importorskip("dask.distributed", reason="the dask extra is part of the test install")
    corpus, out = reference
    summary = ingest(find_documents(corpus), tmp_path, RunOptions(workers=2, engine="dask"))
    assert not summary.failures
    assert tree_bytes(tmp_path) == tree_bytes(out)


# --------------------------------------------------------------------------- hostile input

def docx_with(tmp_path: Path, name: str, document_xml: bytes | None = None, extra: dict | None = None) -> bytes:
    source = build_docx(tmp_path / f"base-{name}.docx", ["Базовий текст"], [["a", "b"]]).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            zout.writestr(item, data)
        for member, data in (extra or {}).items():
            zout.writestr(member, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A folder of everything a real-world folder may hold, with two good plans among it."""
    tmp = tmp_path_factory.mktemp("hostile_build")
    folder = tmp_path_factory.mktemp("hostile")
    plan = (CORPORA / "svatove-2019-2026.txt").read_text(encoding="utf-8")
    shutil.copy(CORPORA / "chernihiv-2025.txt", folder / "план Чернігів 2025.txt")  # spaces, Cyrillic
    (folder / "svatove-cp1251.txt").write_bytes(plan.encode("cp1251", errors="replace"))
    (folder / "svatove-koi8u.txt").write_bytes(plan.encode("koi8-u", errors="replace"))
    (folder / "svatove-utf16.txt").write_bytes(plan.encode("utf-16"))
    (folder / "svatove-crlf.txt").write_bytes(plan.replace("\n", "\r\n").encode("utf-8"))
    (folder / "svatove-cr.txt").write_bytes(plan.replace("\n", "\r").encode("utf-8"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    good_docx = build_docx(tmp / "good.docx", ["План роботи на 2025 рік"], [["№", "Захід", "Термін"], ["1", "Нарада", "Січень"]])
    (folder / "truncated.docx").write_bytes(good_docx.read_bytes()[:300])
    (folder / "bomb.docx").write_bytes(docx_with(tmp, "bomb", extra={"word/media/zeros.bin": bytes(60 * 1024 * 1024)}))
    secret = tmp / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xml = zipfile.ZipFile(good_docx).read("word/document.xml").decode("utf-8")
    head = xml.index("?>") + 2
    xxe = (xml[:head] + f'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           + xml[head:].replace("План роботи", "План &xxe; роботи", 1))
    (folder / "xxe.docx").write_bytes(docx_with(tmp, "xxe", xxe.encode("utf-8")))
    with open(folder / "huge.txt", "wb") as fh:  # 50 MB: read, then refused as too long to analyse
        unit = "1.1. Провести нараду з фахівцями центру\tСічень\tКоваленко О.М.\n".encode("cp1251")
        fh.write(unit * (50_000_000 // len(unit) + 1))
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 20_000 + "План на 2025 рік" + "</div>" * 20_000
                                        + "</body></html>", encoding="utf-8")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    out = tmp_path_factory.mktemp("hostile_out")
    result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--workers", "2", "--no-progress"])
    return folder, out, result


def test_every_hostile_input_is_reported_and_nothing_else_is_lost(hostile):
    folder, out, result = hostile
    assert result.exit_code == 0, result.output
    failed = errors(out)
    assert set(failed) == {"empty.txt", "binary.txt", "truncated.docx", "bomb.docx", "huge.txt", "loop-a.txt", "loop-b.txt"}
    assert failed["bomb.docx"]["stage"] == "read" and "zip bomb" in failed["bomb.docx"]["message"]
    assert "corrupt .docx" in failed["truncated.docx"]["message"]
    assert failed["huge.txt"]["error"] == "DocumentTooLong"
    assert all(row["error"] and row["message"] for row in failed.values())
    written = {p.name for p in (out / "docs").iterdir()}
    assert written == {"план Чернігів 2025.json", "svatove-cp1251.json", "svatove-koi8u.json", "svatove-utf16.json",
                       "svatove-crlf.json", "svatove-cr.json", "xxe.json", "nested.json"}
    assert "TOP-SECRET" not in (out / "docs" / "xxe.json").read_text(encoding="utf-8")


def test_each_encoding_and_line_end_gives_the_same_measures(hostile):
    import json

    _, out, _ = hostile
    measures = {
        name: [(m["number"], m["text"], m["deadline"]) for m in json.loads((out / "docs" / f"{name}.json").read_text())["measures"]]
        for name in ("svatove-cp1251", "svatove-koi8u", "svatove-utf16", "svatove-crlf", "svatove-cr")
    }
    assert len(measures["svatove-crlf"]) == 51
    assert measures["svatove-utf16"] == measures["svatove-crlf"] == measures["svatove-cr"]
    # cp1251 loses only the typographic apostrophe it cannot encode.
    assert len(measures["svatove-cp1251"]) == 51
    # KOI8-U cannot encode «», ’, – or № either: the text read is exactly what the file holds.
    plan = (CORPORA / "svatove-2019-2026.txt").read_text(encoding="utf-8")
    expected = hashlib.sha256(plan.encode("koi8-u", errors="replace").decode("koi8-u").encode("utf-8")).hexdigest()
    assert json.loads((out / "docs" / "svatove-koi8u.json").read_text())["text_sha256"] == expected


def test_strict_fails_the_run_when_a_document_failed(hostile, tmp_path):
    folder, _, _ = hostile
    small = tmp_path / "in"
    small.mkdir()
    shutil.copy(folder / "empty.txt", small)
    shutil.copy(CORPORA / "chernihiv-2025.txt", small)
    lenient = runner.invoke(app, ["run", str(small), "-o", str(tmp_path / "a"), "--no-progress"])
    strict = runner.invoke(app, ["run", str(small), "-o", str(tmp_path / "b"), "--no-progress", "--strict"])
    assert lenient.exit_code == 0 and strict.exit_code == 1
    assert (tmp_path / "b" / "docs" / "chernihiv-2025.json").is_file()


def test_a_document_past_the_time_limit_is_reported_as_a_timeout(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CORPORA / "kyiv-kmcss-2023.txt", corpus)
    summary = ingest(find_documents(corpus), tmp_path / "out", RunOptions(timeout=0.01))
    assert [(f.stage, f.error) for f in summary.failures] == [("analyse", "Timeout")]
    assert "kyiv-kmcss-2023.txt" in (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8")


def test_two_documents_with_one_id_are_reported(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    shutil.copy(CORPORA / "chernihiv-2025.txt", corpus / "a")
    shutil.copy(CORPORA / "chernihiv-2025.txt", corpus / "b")
    summary = ingest(find_documents(corpus), tmp_path / "out", RunOptions())
    assert [f.error for f in summary.failures] == ["DuplicateDocumentId"]
    assert len(list((tmp_path / "out" / "docs").iterdir())) == 1


def test_a_stored_analysis_reads_back_as_it_was():
    from dataclasses import asdict

    from pipeline.process import analyse_documents
    from pipeline.read import read_document
    from pipeline.store import dump_result, load_result

    result = analyse_documents([read_document(CORPORA / "pokrovsk-css-2025.txt")], backend="rules")[0]
    again = load_result(dump_result(result))
    assert asdict(again.segmentation) == asdict(result.segmentation)
    assert [(m.start, m.end, m.label, m.text, m.norm) for m in again.mentions] == \
        [(m.start, m.end, m.label, m.text, m.norm) for m in result.mentions]
    assert (again.source.text, again.text_sha256, again.source.format) == \
        (result.source.text, result.text_sha256, result.source.format)


def test_the_fast_json_writer_matches_the_standard_library_and_takes_any_value():
    import json

    from pipeline import jsonio
    from pipeline.export import dump_bytes, to_contract
    from pipeline.process import process_document

    result = process_document(CORPORA / "pokrovsk-css-2025.txt", backend="rules")
    standard = json.dumps(to_contract(result), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert dump_bytes(result) == standard.encode("utf-8")
    huge = {"number": 10 ** 30, "text": "№ 12/3 «Київ»"}  # past orjson's 64-bit integers
    assert json.loads(jsonio.dumps(huge)) == huge

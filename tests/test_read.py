"""The read stage: every format, every encoding, and every kind of bad input."""
from __future__ import annotations

import codecs
import io
import os
import random
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from typer.testing import CliRunner

from builders import add_docx_table, build_docx, build_html, html_document
from conftest import CORPORA
from pipeline.cli import app
from pipeline.models import ReadError
from pipeline.read import SUPPORTED_SUFFIXES, limits, read_document
from pipeline.read import docx as docx_reader
from pipeline.read import txt as txt_reader
from pipeline.read.docx import _paragraph_text
from pipeline.read.encoding import decode, ukrainian_score
from pipeline.read.pdf import PAGE_SEPARATOR

# Ukrainian text every candidate encoding can represent (KOI8-U has no «», ’ or №).
UK = (
    "Міський план розвитку системи надання соціальних послуг для дітей і сімей з дітьми\n"
    "на 2018-2026 роки. Затверджено рішенням виконавчого комітету міської ради.\n"
    "Забезпечити підвищення кваліфікації фахівців; їхня участь у навчанні є обов'язковою.\n"
    "Ґрунтовний аналіз потреб громади, І-ІV квартал 2025 року.\n"
)
# The same with the typography cp1251 and UTF-8 files actually carry.
UK_TYPOGRAPHIC = UK.replace("обов'язковою", "обов’язковою") + "Програма «Назустріч дітям», рішення № 112 — виконано.\n"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def reason_of(path: Path | str) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path)
    err = info.value
    assert err.path == str(path)
    assert "\n" not in err.reason and err.reason, "a reason is one non-empty line"
    return err.reason


def assert_exact_cells(doc) -> None:
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                assert doc.text[cell.start : cell.end] == cell.text
                # A cell starts right after the TAB that opens its line.
                assert doc.text[cell.start - 1] == "\t"


# --------------------------------------------------------------------------- txt encodings


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-8"), "utf-8"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-8-sig"), "utf-8-sig"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("cp1251"), "cp1251"),
        (UK, UK.encode("koi8-u"), "koi8-u"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-16"), "utf-16"),
        (UK_TYPOGRAPHIC, codecs.BOM_UTF16_LE + UK_TYPOGRAPHIC.encode("utf-16-le"), "utf-16"),
        (UK_TYPOGRAPHIC, codecs.BOM_UTF16_BE + UK_TYPOGRAPHIC.encode("utf-16-be"), "utf-16"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-16-le"), "utf-16-le"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-16-be"), "utf-16-be"),
        (UK_TYPOGRAPHIC, UK_TYPOGRAPHIC.encode("utf-32"), "utf-32"),
        (UK, UK.encode("cp1125"), "cp1125"),
    ],
    ids=["utf8", "utf8-bom", "cp1251", "koi8u", "utf16", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32", "cp1125"],
)
def test_txt_encodings(tmp_path, text, data, encoding):
    path = write(tmp_path / "doc.txt", data)
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == encoding
    assert doc.format == "txt" and doc.doc_id == "doc" and doc.tables == []
    # The contract's definition of a .txt document's text, for the encoding we report.
    with open(path, encoding=doc.encoding, newline="") as fh:
        assert fh.read() == doc.text


@pytest.mark.parametrize(
    "text",
    [
        "Затверджено рішенням міської ради від 21 липня 2020 року",
        "ПЛАН ЗАХОДІВ НА 2025 РІК",  # all capitals: case gives no hint
        "Виконавці: служба у справах дітей та сім'ї",
    ],
)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8-u"])
def test_short_cp1251_and_koi8u_are_told_apart(tmp_path, text, encoding):
    doc = read_document(write(tmp_path / "short.txt", text.encode(encoding)))
    assert (doc.text, doc.encoding) == (text, encoding)


def test_ukrainian_score_prefers_the_right_decoding():
    data = UK_TYPOGRAPHIC.encode("cp1251")
    assert ukrainian_score(data.decode("cp1251")) > ukrainian_score(data.decode("koi8-u")) + 0.5
    data = UK.encode("koi8-u")
    assert ukrainian_score(data.decode("koi8-u")) > ukrainian_score(data.decode("cp1251")) + 0.5
    assert ukrainian_score("plain ASCII") == float("-inf")


def test_non_utf8_bytes_far_into_a_file_are_found(tmp_path):
    # 1 MB of ASCII, then cp1251: the detector must look where UTF-8 failed, not only at the head.
    text = "x = 1;\n" * 150_000 + UK_TYPOGRAPHIC
    doc = read_document(write(tmp_path / "late.txt", text.encode("cp1251")))
    assert doc.encoding == "cp1251" and doc.text == text


def test_decode_honours_a_declaration_only_when_it_fits():
    data = UK_TYPOGRAPHIC.encode("cp1251")
    assert decode(data, "windows-1251") == (UK_TYPOGRAPHIC, "cp1251")
    assert decode(data, "utf-8") == (UK_TYPOGRAPHIC, "cp1251")  # wrong claim: detected instead
    assert decode(data, "no-such-charset") == (UK_TYPOGRAPHIC, "cp1251")
    assert decode(UK.encode("koi8-u"), "koi8-r") == (UK, "koi8-u")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "utf-16"])
def test_line_ends_are_kept(tmp_path, encoding):
    text = "Перший рядок\r\nДругий рядок\rТретій рядок\nЧетвертий\r\n\r\n"
    doc = read_document(write(tmp_path / "eol.txt", text.encode(encoding)))
    assert doc.text == text


def test_corpus_file_is_read_byte_exactly():
    path = CORPORA / "berezan-2018-2026.txt"
    doc = read_document(path)
    assert doc.encoding == "utf-8" and doc.doc_id == "berezan-2018-2026"
    assert doc.text.encode("utf-8") == path.read_bytes()
    with open(path, encoding="utf-8", newline="") as fh:
        assert doc.text == fh.read()


def test_every_corpus_file_reads_as_utf8():
    for path in sorted(CORPORA.glob("*.txt")):
        doc = read_document(path)
        assert doc.encoding == "utf-8", path
        assert doc.text.encode("utf-8") == path.read_bytes(), path


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_50_mb_text_reads_in_seconds(tmp_path, encoding):
    unit = UK_TYPOGRAPHIC.replace("\n", "\r\n") + "\t1.1.1. Захід\t2025\n"
    data = unit.encode(encoding)
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:
        for _ in range(50_000_000 // len(data) + 1):
            fh.write(data)
    size = path.stat().st_size
    assert size >= 50_000_000
    # CPU time, not wall time: the test must not fail because the machine is busy.
    started = time.process_time()
    doc = read_document(path)
    elapsed = time.process_time() - started
    assert doc.encoding == encoding
    assert len(doc.text) == size // len(data) * len(unit)
    assert doc.text.startswith(unit) and doc.text.endswith(unit)
    assert elapsed < 5.0, f"{size / 1e6:.0f} MB read in {elapsed:.2f} s"


# --------------------------------------------------------------------------- bad input, any format


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file(tmp_path, suffix):
    assert "empty" in reason_of(write(tmp_path / f"empty{suffix}", b""))


@pytest.mark.parametrize(
    "data", [b"   \r\n\t\n  ", codecs.BOM_UTF8 + b" \n", " \n\u3000\n".encode("utf-16")], ids=["spaces", "bom", "utf16"]
)
def test_white_space_only_txt_is_empty(tmp_path, data):
    assert "empty" in reason_of(write(tmp_path / "blank.txt", data))


def test_white_space_only_html_is_empty(tmp_path):
    assert reason_of(write(tmp_path / "blank.html", b"\n  \n"))
    assert "no visible text" in reason_of(write(tmp_path / "tags.html", b"<html><head><title>T</title></head><body> </body></html>"))


def test_missing_file(tmp_path):
    assert reason_of(tmp_path / "nope.txt") == "cannot open: no such file"


@pytest.mark.parametrize("name", ["folder", "folder.txt"])
def test_directory(tmp_path, name):
    (tmp_path / name).mkdir()
    assert reason_of(tmp_path / name) == "is a directory"


def test_symlink_loop(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    assert "symbolic link" in reason_of(a)


def test_symlink_to_a_file_is_followed(tmp_path):
    target = write(tmp_path / "real.txt", UK.encode("utf-8"))
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert read_document(link).text == UK


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    os.chmod(fifo, 0o600)
    # Opening a FIFO for reading blocks until a writer appears: give it one.
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        assert reason_of(fifo) == "not a regular file"
    finally:
        os.close(fd)


@pytest.mark.parametrize("name", ["report.doc", "plan.rtf", "README", "table.xlsx"])
def test_unsupported_suffix(tmp_path, name):
    assert "unsupported file type" in reason_of(write(tmp_path / name, UK.encode("utf-8")))


def test_suffix_case_does_not_matter(tmp_path):
    doc = read_document(write(tmp_path / "PLAN.TXT", UK.encode("utf-8")))
    assert doc.format == "txt" and doc.doc_id == "PLAN"


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.MAX_FILE_BYTES, "txt", 100)
    assert reason_of(write(tmp_path / "big.txt", b"a" * 101)).startswith("too large")
    assert read_document(write(tmp_path / "ok.txt", b"a" * 100)).text == "a" * 100


@pytest.mark.parametrize(
    "name",
    ["план заходів 2025.txt", "Програма «Діти».docx", "my plan (final).html", "звіт 2024 рік.pdf"],
)
def test_file_names_with_spaces_and_non_latin_letters(tmp_path, name):
    path = tmp_path / "папка з пробілами" / name
    path.parent.mkdir()
    if name.endswith(".txt"):
        write(path, UK.encode("cp1251"))
    elif name.endswith(".docx"):
        build_docx(path, ["Заголовок"], [["1", "Захід"]])
    elif name.endswith(".html"):
        build_html(path, ["Заголовок"], [["1", "Захід"]])
    else:
        write(path, make_pdf(["Report 2024"]))
    doc = read_document(path)
    assert doc.doc_id == path.stem and doc.path == str(path)
    assert doc.text.strip()


# --------------------------------------------------------------------------- txt: binary data


def test_nul_bytes_are_binary(tmp_path):
    assert "binary" in reason_of(write(tmp_path / "nul.txt", "Текст\x00\x00\x00дані".encode("utf-8")))


def test_random_bytes_are_binary(tmp_path):
    data = random.Random(7).randbytes(64 * 1024)
    reason = reason_of(write(tmp_path / "noise.txt", data))
    assert "binary" in reason or "undecodable" in reason


def test_control_characters_are_binary(tmp_path):
    text = "".join(f"рядок {i}\x01\x02\x1b\x7f\n" for i in range(200))
    assert "control characters" in reason_of(write(tmp_path / "ctl.txt", text.encode("utf-8")))


def test_a_few_stray_control_characters_are_tolerated(tmp_path):
    # Word exports carry the odd VT (line break) and FF (page break), and a rare stray.
    text = UK * 20 + "кінець\x0bрядка\x0cсторінка\x07\n"
    assert read_document(write(tmp_path / "word.txt", text.encode("utf-8"))).text == text


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_wrong_extension_txt(tmp_path, kind):
    if kind == "docx":
        data = build_docx(tmp_path / "real.docx", ["Текст"], []).read_bytes()
    else:
        data = make_pdf(["Hello"]) + random.Random(3).randbytes(2048)
    reason = reason_of(write(tmp_path / "renamed.txt", data))
    assert "binary" in reason and ("ZIP" in reason or "PDF" in reason)


def test_programming_errors_are_not_turned_into_read_errors(tmp_path, monkeypatch):
    def broken(data, declared=None):
        raise ZeroDivisionError("a bug, not bad input")

    monkeypatch.setattr(txt_reader, "decode", broken)
    with pytest.raises(ZeroDivisionError):
        read_document(write(tmp_path / "doc.txt", UK.encode("utf-8")))


# --------------------------------------------------------------------------- docx

ROWS = [
    ["№", "Захід", "Термін"],
    ["1.1", "Розробити план\nта затвердити його", "І квартал 2025 року"],
    ["1.2", "Провести навчання", "Постійно"],
]
EXPECTED_TABLE_TEXT = (
    "\n\t№\n\tЗахід\n\tТермін\n"
    "\n\t1.1\n\tРозробити план\nта затвердити його\n\tІ квартал 2025 року\n"
    "\n\t1.2\n\tПровести навчання\n\tПостійно\n"
)


def cell_texts(doc) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]


def test_docx_paragraphs_and_table(tmp_path):
    path = build_docx(tmp_path / "plan.docx", ["ЗАТВЕРДЖЕНО", "План заходів"], ROWS, ["Секретар ради", ""])
    doc = read_document(path)
    assert doc.format == "docx" and doc.encoding is None
    assert doc.text == "ЗАТВЕРДЖЕНО\nПлан заходів\n" + EXPECTED_TABLE_TEXT + "Секретар ради\n\n"
    assert cell_texts(doc) == [[list(r) for r in ROWS]]
    assert [t.origin for t in doc.tables] == ["docx"]
    assert_exact_cells(doc)
    first_row = doc.tables[0].rows[0]
    assert doc.text[first_row.start : first_row.end] == "№\n\tЗахід\n\tТермін"


def test_docx_cell_paragraphs_keep_empty_lines(tmp_path):
    doc = read_document(build_docx(tmp_path / "e.docx", [], [["a\n\nb", "", "\nc\n"]]))
    assert doc.text == "\n\ta\n\nb\n\t\n\t\nc\n\n"
    assert cell_texts(doc) == [[["a\n\nb", "", "\nc\n"]]]
    assert_exact_cells(doc)


def test_docx_merged_cells(tmp_path):
    rows = [
        ["Завдання", "Захід", "Термін"],
        ["1. Спільне завдання", "1.1. Перший захід", "2025"],
        [None, "1.2. Другий захід", "2026"],
        ["Розділ 2 (через усю ширину)"],
    ]
    doc = read_document(build_docx(tmp_path / "merged.docx", [], rows))
    assert cell_texts(doc) == [[
        ["Завдання", "Захід", "Термін"],
        ["1. Спільне завдання", "1.1. Перший захід", "2025"],
        ["", "1.2. Другий захід", "2026"],  # vertical continuation: an empty cell
        ["Розділ 2 (через усю ширину)"],  # horizontal merge: once
    ]]
    assert "\n\t\n\t1.2. Другий захід\n" in doc.text
    assert doc.text.count("Розділ 2") == 1
    assert_exact_cells(doc)


def test_docx_document_order_of_paragraphs_and_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Вступ")
    add_docx_table(document, [["Т1"]])
    document.add_paragraph("Між таблицями")
    add_docx_table(document, [["Т2-a", "Т2-b"]])
    document.add_paragraph("Кінець")
    path = tmp_path / "order.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.text == "Вступ\n\n\tТ1\nМіж таблицями\n\n\tТ2-a\n\tТ2-b\nКінець\n"
    assert cell_texts(doc) == [[["Т1"]], [["Т2-a", "Т2-b"]]]
    assert doc.tables[0].end < doc.text.index("Між") < doc.tables[1].start
    assert_exact_cells(doc)


def test_docx_nested_table(tmp_path):
    document = docx.Document()
    outer = add_docx_table(document, [["Показник", "значення"]])
    cell = outer.cell(0, 1)
    add_docx_table(cell, [["2025", "10"], ["2026", "20"]])
    cell.add_paragraph("після")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    doc = read_document(path)
    nested = "\n\t2025\n\t10\n\n\t2026\n\t20"
    # python-docx (like Word) puts an empty paragraph after a table inside a cell.
    assert doc.text == "\n\tПоказник\n\tзначення\n" + nested + "\n\nпісля\n"
    assert cell_texts(doc) == [
        [["Показник", "значення\n" + nested + "\n\nпісля"]],
        [["2025", "10"], ["2026", "20"]],
    ]
    assert_exact_cells(doc)


def test_docx_tables_nested_beyond_the_cap_become_lines(tmp_path):
    document = docx.Document()
    container = document
    for level in range(limits.MAX_TABLE_DEPTH + 8):
        table = add_docx_table(container, [[f"рівень {level}"]])
        container = table.rows[0].cells[0]
    container.add_paragraph("дно")
    path = tmp_path / "deep.docx"
    document.save(str(path))
    doc = read_document(path)
    assert len(doc.tables) == limits.MAX_TABLE_DEPTH
    assert "\nрівень 39\n" in doc.text and "дно" in doc.text
    assert_exact_cells(doc)


def test_docx_headers_and_footers_are_not_body_text(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Колонтитул угорі"
    document.sections[0].footer.paragraphs[0].text = "Сторінка 1"
    document.add_paragraph("Текст документа")
    path = tmp_path / "hf.docx"
    document.save(str(path))
    assert read_document(path).text == "Текст документа\n"


def test_docx_paragraph_text_follows_what_word_shows():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = f"""<w:p xmlns:w="{w}">
      <w:pPr><w:rPr><w:del w:id="0" w:author="x" w:date="2025-01-01T00:00:00Z"/></w:rPr></w:pPr>
      <w:r><w:t xml:space="preserve">Захід </w:t></w:r>
      <w:ins w:id="1" w:author="x"><w:r><w:t>вставлений</w:t></w:r></w:ins>
      <w:del w:id="2" w:author="x"><w:r><w:tab/><w:delText>видалений</w:delText></w:r></w:del>
      <w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t> посилання</w:t></w:r></w:hyperlink>
      <w:r><w:tab/><w:t>після табуляції</w:t><w:br/><w:t>новий рядок</w:t><w:br w:type="page"/></w:r>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
      <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
      <w:sdt><w:sdtContent><w:r><w:t>-поле</w:t></w:r></w:sdtContent></w:sdt>
      <w:r><w:t>1</w:t><w:noBreakHyphen/><w:t>2</w:t></w:r>
    </w:p>"""
    p = etree.fromstring(xml)
    assert _paragraph_text(p) == "Захід вставлений посилання\tпісля табуляції\nновий рядок7-поле1-2"


def docx_bytes_with(tmp_path, document_xml: bytes | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A valid .docx from the builder, with word/document.xml replaced and members added."""
    source = build_docx(tmp_path / "base.docx", ["Базовий текст"], [["a", "b"]]).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            zout.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def base_document_xml(tmp_path) -> bytes:
    source = build_docx(tmp_path / "base.docx", ["Базовий текст"], [["a", "b"]]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        return z.read("word/document.xml")


def test_docx_truncated(tmp_path):
    data = build_docx(tmp_path / "full.docx", ["Текст"] * 50, ROWS).read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 100):
        reason = reason_of(write(tmp_path / "cut.docx", data[:cut]))
        assert reason.startswith("corrupt .docx")


def test_docx_that_is_not_a_zip(tmp_path):
    assert "corrupt .docx" in reason_of(write(tmp_path / "text.docx", UK.encode("utf-8")))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)  # an old binary .doc renamed
    assert "corrupt .docx" in reason_of(write(tmp_path / "old.docx", ole))


def test_docx_without_document_xml(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/other.xml", "<x/>")
    assert reason_of(write(tmp_path / "hollow.docx", out.getvalue())) == "corrupt .docx: no word/document.xml in the archive"


def test_docx_with_broken_xml(tmp_path):
    data = docx_bytes_with(tmp_path, b"<w:document><w:body><w:p>")
    assert "corrupt .docx" in reason_of(write(tmp_path / "badxml.docx", data))


def test_docx_with_a_corrupt_member(tmp_path):
    data = bytearray(build_docx(tmp_path / "ok.docx", ["Текст " * 500], []).read_bytes())
    # Flip bytes inside the compressed word/document.xml: bad deflate data or a CRC error.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x55
    assert "corrupt .docx" in reason_of(write(tmp_path / "crc.docx", bytes(data)))


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    zeros = bytes(50 * 1024 * 1024)  # deflates about 1000:1
    data = docx_bytes_with(tmp_path, extra={"word/media/image1.png": zeros})
    assert len(data) < 1024 * 1024

    def must_not_open(*args, **kwargs):
        raise AssertionError("the archive was opened for inflating")

    monkeypatch.setattr(docx_reader.docx, "Document", must_not_open)
    reason = reason_of(write(tmp_path / "bomb.docx", data))
    assert reason.startswith("refused .docx") and "zip bomb" in reason


def test_docx_over_the_uncompressed_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_DOCX_UNCOMPRESSED", 10_000)
    data = docx_bytes_with(tmp_path, extra={"word/media/random.bin": random.Random(1).randbytes(20_000)})
    reason = reason_of(write(tmp_path / "large.docx", data))
    assert reason.startswith("refused .docx: declares")


def test_docx_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    original = base_document_xml(tmp_path).decode("utf-8")
    # Declare an external entity and use it in the first paragraph's text.
    decl_end = original.index("?>") + 2
    xml = (
        original[:decl_end]
        + f'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        + original[decl_end:].replace("Базовий текст", "Базовий текст &xxe; кінець", 1)
    )
    path = write(tmp_path / "xxe.docx", docx_bytes_with(tmp_path, xml.encode("utf-8")))
    try:
        doc = read_document(path)
    except ReadError as exc:  # refusing the document is acceptable too; leaking is not
        assert "TOP-SECRET" not in exc.reason
    else:
        assert "TOP-SECRET" not in doc.text
        assert doc.text.startswith("Базовий текст")


def test_docx_entity_expansion_bomb_is_not_expanded(tmp_path):
    original = base_document_xml(tmp_path).decode("utf-8")
    decl_end = original.index("?>") + 2
    levels = ['<!ENTITY lol0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        original[:decl_end]
        + f"\n<!DOCTYPE w:document [{''.join(levels)}]>"
        + original[decl_end:].replace("Базовий текст", "Базовий текст &lol9;", 1)
    )
    started = time.perf_counter()
    path = write(tmp_path / "lol.docx", docx_bytes_with(tmp_path, xml.encode("utf-8")))
    try:
        doc = read_document(path)
    except ReadError:
        pass
    else:
        assert "lollol" not in doc.text
    assert time.perf_counter() - started < 5


def test_docx_that_is_another_office_format(tmp_path):
    # A workbook renamed .docx: a valid package whose main part is not a Word document.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", "<workbook/>")
    assert "not a Word document" in reason_of(write(tmp_path / "book.docx", out.getvalue()))


def test_docx_without_text(tmp_path):
    document = docx.Document()
    path = tmp_path / "blank.docx"
    document.save(str(path))
    assert reason_of(path) == "no text in the document body"


# --------------------------------------------------------------------------- html


def test_html_table_renders_exactly_like_docx(tmp_path):
    rows = [
        ["Завдання", "Захід", "Термін"],
        ["1. Спільне", "1.1. Перший\nдругий рядок", "2025"],
        [None, "1.2. Другий", "2026"],
        ["Разом"],
    ]
    before, after = ["Додаток", "План заходів"], ["Секретар"]
    d = read_document(build_docx(tmp_path / "t.docx", before, rows, after))
    h = read_document(build_html(tmp_path / "t.html", before, rows, after))
    assert h.text == d.text
    assert cell_texts(h) == cell_texts(d)
    assert [(c.start, c.end) for t in h.tables for r in t.rows for c in r.cells] == [
        (c.start, c.end) for t in d.tables for r in t.rows for c in r.cells
    ]
    assert [t.origin for t in h.tables] == ["html"]
    assert h.format == "html" and h.encoding == "utf-8"
    assert_exact_cells(h)


def test_html_paragraphs_and_table(tmp_path):
    doc = read_document(build_html(tmp_path / "p.html", ["ЗАТВЕРДЖЕНО", "План заходів"], ROWS, ["Секретар ради"]))
    assert doc.text == "ЗАТВЕРДЖЕНО\nПлан заходів\n" + EXPECTED_TABLE_TEXT + "Секретар ради\n"
    assert_exact_cells(doc)


def test_html_text_rules(tmp_path):
    page = """<!DOCTYPE html><html><head><title>Назва</title><style>p {color: red}</style>
    <script>var s = "<p>не текст</p>";</script></head>
    <body>
      <h1>  План   заходів  </h1>
      <p>Перший&nbsp;абзац &amp; &laquo;лапки&raquo; &#8470; 5<br>новий рядок</p>
      <div>Блок <b>жирний</b> <i>курсив</i><div>вкладений</div>хвіст</div>
      <ul><li>пункт один<li>пункт два</ul>
      <!-- коментар -->
      <pre>  збережені   пробіли
 другий</pre>
      <noscript>увімкніть JavaScript</noscript>
      <p>кінець</p>
    </body></html>"""
    doc = read_document(write(tmp_path / "rules.html", page.encode("utf-8")))
    assert doc.text == (
        "План заходів\n"
        "Перший\xa0абзац & «лапки» № 5\n"
        "новий рядок\n"
        "Блок жирний курсив\n"
        "вкладений\n"
        "хвіст\n"
        "пункт один\n"
        "пункт два\n"
        "  збережені   пробіли\n"
        " другий\n"
        "кінець\n"
    )
    assert doc.tables == []


def test_html_row_and_col_spans(tmp_path):
    page = """<table>
      <tr><th rowspan="2">A</th><th colspan="2">B</th><th rowspan="3">C</th></tr>
      <tr><td>b1</td><td>b2</td></tr>
      <tr><td>a3</td><td>b3</td><td>x3</td></tr>
    </table>"""
    doc = read_document(write(tmp_path / "spans.htm", page.encode("utf-8")))
    assert cell_texts(doc) == [[["A", "B", "C"], ["", "b1", "b2", ""], ["a3", "b3", "x3", ""]]]
    assert_exact_cells(doc)


def test_html_rowspan_bomb_is_bounded(tmp_path):
    spanning = "".join(f'<td rowspan="1000">{i}</td>' for i in range(1000))
    page = f"<table><tr>{spanning}</tr>" + "<tr><td>x</td></tr>" * 999 + "</table>"
    doc = read_document(write(tmp_path / "spans.html", page.encode("utf-8")))
    cells = sum(len(row.cells) for row in doc.tables[0].rows)
    assert cells <= 9 * 1999 + 64
    assert_exact_cells(doc)


def test_html_malformed_table_is_repaired(tmp_path):
    page = b"<p>before<table><caption>Caption</caption><tr><td>a<td>b<tr><td>c</table>after"
    doc = read_document(write(tmp_path / "bad.html", page))
    assert doc.text == "before\nCaption\n\n\ta\n\tb\n\n\tc\nafter\n"
    assert cell_texts(doc) == [[["a", "b"], ["c"]]]
    assert_exact_cells(doc)


def test_html_nested_tables(tmp_path):
    page = "<table><tr><td>outer</td><td>x<table><tr><td>in1</td><td>in2</td></tr></table>y</td></tr></table>"
    doc = read_document(write(tmp_path / "nested.html", page.encode("utf-8")))
    assert doc.text == "\n\touter\n\tx\n\n\tin1\n\tin2\ny\n"
    assert cell_texts(doc) == [[["outer", "x\n\n\tin1\n\tin2\ny"]], [["in1", "in2"]]]
    assert_exact_cells(doc)


@pytest.mark.parametrize(
    ("encoding", "declare"),
    [("cp1251", True), ("cp1251", False), ("koi8-u", True), ("utf-8", False), ("utf-16", False)],
)
def test_html_encodings(tmp_path, encoding, declare):
    paragraphs = [line for line in UK.splitlines()]
    path = build_html(tmp_path / "enc.html", paragraphs, [["Захід", "Ґрунтовний"]], encoding=encoding, declare=declare)
    doc = read_document(path)
    assert doc.text == "\n".join(paragraphs) + "\n\n\tЗахід\n\tҐрунтовний\n"
    assert codecs.lookup(doc.encoding).name == codecs.lookup(encoding).name


def test_html_wrong_meta_charset_is_overruled(tmp_path):
    page = html_document([UK_TYPOGRAPHIC.replace("\n", " ")], [], charset="utf-8")
    doc = read_document(write(tmp_path / "liar.html", page.encode("cp1251")))
    assert doc.encoding == "cp1251"
    assert "Програма «Назустріч дітям»" in doc.text


def test_html_cp1251_mislabelled_as_western_is_detected(tmp_path):
    page = html_document([UK_TYPOGRAPHIC.replace("\n", " ")], [], charset="windows-1252")
    doc = read_document(write(tmp_path / "old-site.html", page.encode("cp1251")))
    assert doc.encoding == "cp1251"
    assert "Програма «Назустріч дітям»" in doc.text


def test_html_western_page_keeps_its_declared_charset(tmp_path):
    french = "Le conseil municipal a approuvé le programme de développement économique. " * 5
    page = html_document([french], [], charset="windows-1252")
    doc = read_document(write(tmp_path / "fr.html", page.encode("cp1252")))
    assert doc.encoding == "cp1252" and doc.text == french.strip() + "\n"


def test_html_xml_declaration_naming_another_encoding(tmp_path):
    page = '<?xml version="1.0" encoding="windows-1251"?>\n<html><body><p>Текст сторінки</p></body></html>'
    doc = read_document(write(tmp_path / "x.xhtml.html", page.encode("cp1251")))
    assert doc.text == "Текст сторінки\n" and doc.encoding == "cp1251"


def test_deeply_nested_html(tmp_path):
    depth = 10_000
    page = "<html><body>" + "<div>x" * depth + "глибоко" + "</div>" * depth + "<p>після</p></body></html>"
    started = time.process_time()
    doc = read_document(write(tmp_path / "deep.html", page.encode("utf-8")))
    assert time.process_time() - started < 5
    lines = doc.text.split("\n")
    assert lines[-3:] == ["xглибоко", "після", ""]
    assert lines.count("x") == depth - 1


def test_deeply_nested_html_tables(tmp_path):
    depth = 2_000
    page = "<table><tr><td>" * depth + "дно" + "</td></tr></table>" * depth + "<p>після</p>"
    doc = read_document(write(tmp_path / "deep-tables.html", page.encode("utf-8")))
    assert "дно" in doc.text and doc.text.endswith("після\n")
    assert len(doc.tables) == limits.MAX_TABLE_DEPTH
    assert_exact_cells(doc)


def test_html_with_nul_bytes(tmp_path):
    assert "binary" in reason_of(write(tmp_path / "nul.html", b"<p>a\x00b</p>"))


def test_html_that_is_binary_data(tmp_path):
    reason = reason_of(write(tmp_path / "noise.html", random.Random(11).randbytes(32 * 1024)))
    assert "binary" in reason or "undecodable" in reason


# --------------------------------------------------------------------------- pdf


def make_pdf(pages: list[str]) -> bytes:
    """A minimal PDF with one Helvetica text line per input line; an empty page has no text."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in text.split("\n"):
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        stream = "\n".join(ops + ["ET"]) if text else ""
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objects)} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_layer_page_by_page(tmp_path):
    doc = read_document(write(tmp_path / "plan.pdf", make_pdf(["Plan 2025\nMeasure 1.1", "Page two"])))
    assert doc.format == "pdf" and doc.encoding is None and doc.tables == []
    pages = doc.text.split(PAGE_SEPARATOR)
    assert len(pages) == 2
    assert re.sub(r"\s+", " ", pages[0]).strip() == "Plan 2025 Measure 1.1"
    assert pages[1].strip() == "Page two"


def test_pdf_without_text_layer(tmp_path):
    assert reason_of(write(tmp_path / "scan.pdf", make_pdf(["", ""]))) == "no text layer (scanned image PDF?)"


def test_pdf_corrupt(tmp_path):
    data = make_pdf(["Some text"])
    assert reason_of(write(tmp_path / "trunc.pdf", data[: len(data) // 3]))
    garbage = b"%PDF-1.7\n" + random.Random(5).randbytes(4096)
    assert reason_of(write(tmp_path / "garbage.pdf", garbage))


def test_pdf_that_is_not_a_pdf(tmp_path):
    assert reason_of(write(tmp_path / "text.pdf", UK.encode("utf-8"))) == "not a PDF file (no %PDF- header)"


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".html", ".pdf"])
def test_plans_text_prints_the_document_text(tmp_path, suffix):
    path = tmp_path / f"doc{suffix}"
    if suffix == ".txt":
        write(path, UK.replace("\n", "\r\n").encode("cp1251"))
    elif suffix == ".docx":
        build_docx(path, ["Перед"], ROWS, ["Після"])
    elif suffix == ".html":
        build_html(path, ["Перед"], ROWS, ["Після"])
    else:
        write(path, make_pdf(["Plan 2025", "Page two"]))
    result = CliRunner().invoke(app, ["text", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == read_document(path).text


def test_plans_text_reports_unreadable_input(tmp_path):
    path = write(tmp_path / "nul.txt", b"\x00\x01\x02")
    result = CliRunner().invoke(app, ["text", str(path)])
    assert result.exit_code != 0
    assert "binary" in result.output and "Traceback" not in result.output

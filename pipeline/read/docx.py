"""Word .docx: body paragraphs and tables in document order, rendered by :mod:`.render`.

python-docx opens the package (its XML parser neither resolves entities nor touches the
network, so an XXE document cannot pull in a local file); the body is then walked on the
XML itself, because python-docx's ``Document.paragraphs``/``tables`` lose the order of
paragraphs against tables, repeat merged cells, and its ``Paragraph.text`` skips runs
inside tracked insertions, content controls and simple fields.

Headers, footers, footnotes and text boxes are not body text and are left out. Before
anything is inflated, the zip directory is checked against the limits in
:mod:`.limits`, so a zip bomb is refused from its declared sizes alone.
"""
from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from .common import ReadResult, Unreadable, require_text
from .limits import MAX_DOCX_UNCOMPRESSED, MAX_TABLE_DEPTH, MAX_ZIP_MEMBERS, MAX_ZIP_RATIO, ZIP_RATIO_MIN_BYTES
from .render import Block, TableBlock, render

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_TC_PR, _V_MERGE, _H_MERGE, _VAL = _W + "tcPr", _W + "vMerge", _W + "hMerge", _W + "val"
_T, _BR, _TYPE = _W + "t", _W + "br", _W + "type"

# Elements that wrap other block-level (or row-, cell-level) content without adding any.
_BLOCK_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML})

# Inside a paragraph: containers whose runs are part of the visible text. Deleted text
# (w:del, w:moveFrom), field codes, text boxes and drawings are not in this set, so the
# walk never enters them.
_INLINE_CONTAINERS = frozenset(
    _W + tag
    for tag in ("r", "hyperlink", "ins", "moveTo", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml", "dir", "bdo")
)
# Run content that is text, as Word displays it (python-docx's mapping, which drops page
# and column breaks, and soft hyphens that are invisible unless a line wraps there).
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def check_zip(data: bytes) -> None:
    """Refuse a corrupt archive or a zip bomb, looking only at the zip's directory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Unreadable("corrupt .docx: not a zip archive (truncated, or not a Word 2007+ file?)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise Unreadable(f"refused .docx: {len(members)} archive members (limit {MAX_ZIP_MEMBERS})")
        names = {m.filename for m in members}
        if "word/document.xml" not in names:
            raise Unreadable("corrupt .docx: no word/document.xml in the archive")
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members)
        if total > MAX_DOCX_UNCOMPRESSED:
            raise Unreadable(
                f"refused .docx: declares {total // (1024 * 1024)} MB uncompressed "
                f"(limit {MAX_DOCX_UNCOMPRESSED // (1024 * 1024)} MB; zip bomb?)"
            )
        for m in members:
            if m.file_size > ZIP_RATIO_MIN_BYTES and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
                raise Unreadable(f"refused .docx: {m.filename} compressed {m.file_size // max(m.compress_size, 1)}:1 (zip bomb?)")
        if total > ZIP_RATIO_MIN_BYTES and total > MAX_ZIP_RATIO * max(packed, 1):
            raise Unreadable(f"refused .docx: compressed {total // max(packed, 1)}:1 overall (zip bomb?)")


def _open(data: bytes) -> etree._Element:
    """The ``w:body`` element, or :class:`Unreadable` for a package python-docx cannot open."""
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise Unreadable("corrupt .docx: not an Office Open XML package") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        # Member data that does not inflate, fails its CRC, or uses an unknown method.
        raise Unreadable(f"corrupt .docx: {exc}") from None
    except KeyError as exc:
        # A relationship pointing at a part the archive lacks.
        raise Unreadable(f"corrupt .docx: missing part {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"corrupt .docx: bad XML: {exc}") from None
    except ValueError as exc:
        # python-docx's "file is not a Word file, content type is ..." (e.g. a renamed .xlsx).
        raise Unreadable(f"not a Word document: {exc}") from None
    body = document.element.body
    if body is None:
        raise Unreadable("corrupt .docx: the document has no body")
    return body


def _paragraph_text(p: etree._Element) -> str:
    """The visible text of a ``w:p``: an explicit stack, so no input depth can overflow it."""
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _T:
                if el.text:
                    parts.append(el.text)
                # Children of w:t can only be entity references that were (rightly) not
                # resolved; the text after them is still text.
                for ref in el:
                    if ref.tail:
                        parts.append(ref.tail)
            elif tag in _INLINE_CONTAINERS:
                stack.append(iter(el))
                break
            elif tag == _BR:
                if el.get(_TYPE, "textWrapping") == "textWrapping":
                    parts.append("\n")
            else:
                text = _RUN_TEXT.get(tag)
                if text is not None:
                    parts.append(text)
        else:
            stack.pop()
    return "".join(parts)


def _children(el: etree._Element, tag: str):
    """Children of ``el`` with ``tag``, looking through content controls and custom XML."""
    stack = [iter(el)]
    while stack:
        for child in stack[-1]:
            if child.tag == tag:
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                stack.append(iter(child))
                break
        else:
            stack.pop()


def _flatten(el: etree._Element, out: list[Block]) -> None:
    """Every paragraph under ``el`` as a line: for tables nested beyond MAX_TABLE_DEPTH."""
    for p in el.iter(_P):
        out.append(_paragraph_text(p))


def _blocks(container: etree._Element, depth: int) -> list[Block]:
    """Paragraphs and tables of a body or a cell, in document order."""
    out: list[Block] = []
    stack = [iter(container)]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == _P:
                out.append(_paragraph_text(child))
            elif tag == _TBL:
                if depth < MAX_TABLE_DEPTH:
                    table = _table(child, depth + 1)
                    if table.rows:
                        out.append(table)
                else:
                    _flatten(child, out)
            elif tag in _BLOCK_WRAPPERS:
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return out


def _is_merge_continuation(tc: etree._Element) -> tuple[bool, bool]:
    """(vertical, horizontal): whether ``tc`` continues a cell merged from above / the left."""
    # w:tcPr, when present, is the cell's first child (the schema fixes the order).
    if not len(tc) or tc[0].tag != _TC_PR:
        return False, False
    vertical = horizontal = False
    for prop in tc[0]:
        if prop.tag == _V_MERGE:
            vertical = prop.get(_VAL, "continue") != "restart"
        elif prop.tag == _H_MERGE:  # legacy horizontal merge (Word writes w:gridSpan instead)
            horizontal = prop.get(_VAL, "continue") != "restart"
    return vertical, horizontal


def _table(tbl: etree._Element, depth: int) -> TableBlock:
    table = TableBlock()
    for tr in _children(tbl, _TR):
        row: list[list[Block]] = []
        for tc in _children(tr, _TC):
            vertical, horizontal = _is_merge_continuation(tc)
            if horizontal:
                continue  # shown once, in the cell the merge starts from
            # The continuation of a vertical merge holds (at most) an empty paragraph.
            row.append([] if vertical else _blocks(tc, depth))
        if row:
            table.rows.append(row)
    return table


def read_docx(data: bytes) -> ReadResult:
    check_zip(data)
    body = _open(data)
    text, tables = render(_blocks(body, 0), "docx")
    require_text(text, "no text in the document body")
    return ReadResult(text=text, encoding=None, tables=tables)

"""Limits that keep a hostile or accidental input from exhausting time or memory.

They are module constants so a deployment (or a test) can tune them in one place.
"""
from __future__ import annotations

MB = 1024 * 1024

# Largest file accepted, per format. Plain text is read whole into memory (bytes, then
# str), so 200 MB of text costs well under 1 GB; the office formats are capped lower
# because their parsers build object trees many times the file size.
MAX_FILE_BYTES: dict[str, int] = {
    "txt": 200 * MB,
    "html": 200 * MB,
    "docx": 100 * MB,
    "pdf": 200 * MB,
}

# A .docx is a zip archive: refuse it, before inflating anything, when the sizes the
# archive declares add up to more than this, or when a member of more than
# ZIP_RATIO_MIN_BYTES (or the whole) claims to inflate more than MAX_ZIP_RATIO times its
# compressed size (Word XML is typically 5-20x; small, repetitive parts can go higher
# harmlessly). Python's zipfile never inflates a member past its declared size (it
# stops there and fails the CRC check), so the declared sizes are binding.
MAX_DOCX_UNCOMPRESSED = 100 * MB
MAX_ZIP_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1 * MB
MAX_ZIP_MEMBERS = 10_000

# Tables nested deeper than this are rendered as plain lines inside the enclosing cell:
# real plans nest two or three levels; the cap bounds the renderer's recursion.
MAX_TABLE_DEPTH = 32

# A text whose share of C0 control characters (other than TAB, LF, VT, FF, CR) exceeds
# this is binary data that merely happened to decode.
MAX_CONTROL_SHARE = 0.01

# Longest text the pipeline analyses, in characters. Reading is cheap, but segmenting and
# tagging hold per-token objects (spaCy's own default limit is 1,000,000 characters); the
# longest real plans run to a few hundred thousand. A longer text is reported, not analysed.
MAX_ANALYSED_CHARS = 10_000_000

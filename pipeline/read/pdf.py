"""PDF: the text layer, page by page, via pypdf. A PDF without one (a scan) is refused."""
from __future__ import annotations

import io

from .common import ReadResult, Unreadable

# Pages are separated by a form feed on a line of its own: a page break that any line
# splitter sees as a line, and that no page text contains.
PAGE_SEPARATOR = "\n\f\n"


def _failure(exc: Exception) -> Unreadable:
    first = str(exc).splitlines()[0] if str(exc) else ""
    return Unreadable(f"corrupt PDF: {type(exc).__name__}: {first}".rstrip(": "))


def read_pdf(data: bytes) -> ReadResult:
    # The header may follow some junk, within the first KB (as readers tolerate).
    if data.find(b"%PDF-", 0, 1024) < 0:
        raise Unreadable("not a PDF file (no %PDF- header)")
    # Imported here: pypdf is a tenth of a second of every run's start-up, and most
    # folders hold no PDF.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf meets malformed files with whatever exception the broken structure leads it
    # to (KeyError, ValueError, TypeError, its own PdfReadError, ...). Only calls into
    # pypdf are guarded, and the exception's type is kept in the reason, so a bad file
    # is reported rather than crashing the run, and nothing is hidden.
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                # Many PDFs are "encrypted" only to set permissions, with an empty password.
                reader.decrypt("")
            except (FileNotDecryptedError, DependencyError, NotImplementedError) as exc:
                raise Unreadable(f"encrypted PDF: {exc}") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except Unreadable:
        raise
    except FileNotDecryptedError:
        raise Unreadable("encrypted PDF (password required)") from None
    except Exception as exc:  # noqa: BLE001 - see above: reported, never swallowed
        raise _failure(exc) from None
    if not any(page.strip() for page in pages):
        raise Unreadable("no text layer (scanned image PDF?)")
    return ReadResult(text=PAGE_SEPARATOR.join(pages), encoding=None)

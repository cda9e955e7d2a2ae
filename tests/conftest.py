from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "corpora"
GOLD = REPO / "eval" / "gold"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_text():
    """Read a seed plan exactly as the contract defines the text of a .txt file."""

    def read(doc_id: str) -> str:
        with open(CORPORA / f"{doc_id}.txt", encoding="utf-8", newline="") as fh:
            return fh.read()

    return read

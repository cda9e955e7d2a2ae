"""The reviewable knowledge files in ``pipeline/data/`` (TOML), loaded once per process."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """``load_data("dates")`` reads ``pipeline/data/dates.toml``."""
    with (DATA_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)

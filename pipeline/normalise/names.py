from __future__ import annotations

from typing import Any


def normalise_person(text: str) -> dict[str, Any] | None:
    return None

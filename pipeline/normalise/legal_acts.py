from __future__ import annotations

from typing import Any


def normalise_act(text: str, hints: dict[str, Any]) -> dict[str, Any] | None:
    return None

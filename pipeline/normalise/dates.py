from __future__ import annotations

from typing import Any

from ..models import Period


def normalise_date(text: str, period: Period | None, hints: dict[str, Any]) -> dict[str, Any] | None:
    return None


def normalise_deadline(text: str, period: Period | None) -> dict[str, Any] | None:
    return None

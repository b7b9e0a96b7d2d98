"""Policy-instrument classifier for measures (issue 7). Stub."""

from __future__ import annotations

from typing import Any


def classify_measures(measures: list[dict[str, Any]]) -> None:
    """Fill instrument, tool, confidence on each measure in place."""
    for m in measures:
        m.setdefault("instrument", None)
        m.setdefault("tool", None)
        m.setdefault("confidence", None)

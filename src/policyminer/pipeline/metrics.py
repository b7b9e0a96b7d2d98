"""Metrics: quantities with value, unit, comparator, kind, name, subject (issue 4). Stub."""

from __future__ import annotations

from typing import Any

from .context import DocContext


def find_metrics(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema metrics found in ``text``."""
    return []

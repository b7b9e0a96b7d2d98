"""Deadlines and time expressions (issue 6). Stub."""

from __future__ import annotations

from typing import Any

from .context import DocContext


def find_deadlines(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema deadlines (text, date, relation, duration, working_days, task, span)."""
    return []

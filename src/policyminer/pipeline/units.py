"""Responsible units and organizations (issue 5). Stub."""

from __future__ import annotations

from typing import Any

from .context import DocContext


def find_units(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema units (name, canonical, role, span) found in ``text``."""
    return []

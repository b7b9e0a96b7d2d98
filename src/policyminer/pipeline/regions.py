"""Administrative regions with codes (issue 5). Stub."""

from __future__ import annotations

from typing import Any

from .context import DocContext


def find_regions(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema regions (name, code, level, province, city, county, span) found in ``text``."""
    return []


def lookup_region(name: str, context: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Resolve a place name (full or short form) to a schema region dict, or None."""
    return None

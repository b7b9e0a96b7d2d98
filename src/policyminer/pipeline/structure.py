"""Section tree and measures (issue 3). Stub until implemented."""

from __future__ import annotations

from typing import Any

from .context import DocContext


def find_structure(text: str, ctx: DocContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (sections, measures).

    sections: flat list of {"id", "level", "heading", "enumerator", "kind", "span", "parent"}
    measures: schema measures {"id", "heading", "text", "path", "span"}.
    """
    return [], []

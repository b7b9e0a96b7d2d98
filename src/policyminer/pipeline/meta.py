"""Document metadata: title, 文号, issuers, date, doc type, region. Stub."""

from __future__ import annotations

from typing import Any


def find_meta(text: str, hints: dict[str, Any]) -> dict[str, Any]:
    return {"title": hints.get("title"), "doc_number": None, "issuers": [], "date": None,
            "published": hints.get("published"), "doc_type": None, "region": None}

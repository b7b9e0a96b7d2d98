"""The output record: one document dict following spec/document.schema.json."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA_ID = "policyminer/document@1"


def doc_id(text: str) -> str:
    """Stable id: the first 16 hex digits of the sha256 of the normalized text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    path = resources.files("policyminer") / "data" / "document.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate(document: dict[str, Any]) -> list[str]:
    """Schema errors of a document ([] when valid)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]

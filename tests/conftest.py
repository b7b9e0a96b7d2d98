"""Shared fixtures: corpus paths and one extraction of every corpus document per test session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
SEEDS = CORPORA / "seeds"
DEV = CORPORA / "dev"
GOVDOC = CORPORA / "external" / "govdoc-cn" / "397.pdf"

_CACHE: dict[str, dict[str, Any]] = {}


def extract_cached(path: Path) -> dict[str, Any]:
    """Extract a corpus document once per session (the pipeline is deterministic)."""
    from policyminer.api import extract_path

    key = str(path)
    if key not in _CACHE:
        _CACHE[key] = extract_path(path)[0]
    return _CACHE[key]


def gold_of(corpus: Path, name: str) -> dict[str, Any]:
    return json.loads((corpus / "gold" / f"{name}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_docs() -> list[Path]:
    return sorted(p for c in (SEEDS, DEV) for p in (c / "docs").iterdir()) + [GOVDOC]


@pytest.fixture(scope="session")
def extracted(corpus_docs: list[Path]) -> dict[str, dict[str, Any]]:
    return {p.name: extract_cached(p) for p in corpus_docs}

"""Keyword-rule baseline: the tool whose cue words occur most in the heading (x3) and body.

Kept as a baseline the learned model must beat and as the fallback when the model file
cannot be loaded. The cue lists live in ``data/tool_keywords.json``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from .features import select_body, select_heading

HEADING_WEIGHT = 3


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """Cue words per tool as one compiled alternation each (loaded once)."""
    raw = json.loads(resources.files("policyminer.data").joinpath("tool_keywords.json").read_text(encoding="utf-8"))
    pats = {t: re.compile("|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)))
            for t, ws in raw["tools"].items() if ws}
    return {"order": raw["order"], "default": raw["default"], "pats": pats}


def keyword_scores(heading: str, body: str = "") -> dict[str, int]:
    """Weighted cue counts per tool (only tools with a hit)."""
    rules = _rules()
    out: dict[str, int] = {}
    for tool, pat in rules["pats"].items():
        s = HEADING_WEIGHT * len(pat.findall(heading or "")) + len(pat.findall(body or ""))
        if s:
            out[tool] = s
    return out


def keyword_tool(heading: str, body: str = "") -> str:
    """The baseline's tool for one measure; the default tool when no cue matches."""
    rules = _rules()
    scores = keyword_scores(heading, body)
    if not scores:
        return rules["default"]
    best = max(scores.values())
    for tool in rules["order"]:
        if scores.get(tool) == best:
            return tool
    return rules["default"]


def keyword_predict(docs: list[str]) -> list[str]:
    """Baseline predictions for model inputs built by ``features.measure_text``."""
    return [keyword_tool(h, b) for h, b in zip(select_heading(docs), select_body(docs))]


def keyword_matrix(docs: list[str]) -> Any:
    """Cue-count features per tool (log-scaled), for stacking the rules into the learned model
    (FunctionTransformer step; columns in ``TOOL_COLUMNS`` order)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = []
    for h, b in zip(select_heading(docs), select_body(docs)):
        sc = keyword_scores(h, b)
        rows.append([np.log1p(sc.get(t, 0)) for t in TOOL_COLUMNS])
    return csr_matrix(np.array(rows, dtype=float).reshape(len(rows), len(TOOL_COLUMNS)))


TOOL_COLUMNS: tuple[str, ...] = ("S1", "S2", "S3", "S4", "S5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "D1", "D2", "D3")

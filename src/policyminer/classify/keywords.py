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
    # bound findall per feature column (None: a tool without cue words never scores)
    finds = [pats[t].findall if t in pats else None for t in TOOL_COLUMNS]
    return {"order": raw["order"], "default": raw["default"], "pats": pats, "finds": finds}


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


def keyword_counts(docs: list[str]) -> list[list[int]]:
    """Weighted cue counts per model input, one row in ``TOOL_COLUMNS`` order (the scores of
    ``keyword_scores``, zero for tools without a hit)."""
    finds = _rules()["finds"]
    rows = []
    for h, b in zip(select_heading(docs), select_body(docs)):
        rows.append([HEADING_WEIGHT * len(f(h)) + len(f(b)) if f is not None else 0 for f in finds])
    return rows


def keyword_features(docs: list[str]) -> Any:
    """``keyword_matrix`` as a dense array (what the fast scorer in ``model`` multiplies)."""
    import numpy as np

    log1p = _log1p_table()
    rows = [[log1p[c] if c < len(log1p) else np.log1p(c) for c in row] for row in keyword_counts(docs)]
    return np.array(rows, dtype=float).reshape(len(rows), len(TOOL_COLUMNS))


@lru_cache(maxsize=1)
def _log1p_table() -> tuple[float, ...]:
    # numpy's own log1p of small counts, looked up: the same floats the model was trained on
    import numpy as np

    return tuple(np.log1p(c) for c in range(256))


def keyword_matrix(docs: list[str]) -> Any:
    """Cue-count features per tool (log-scaled), for stacking the rules into the learned model
    (FunctionTransformer step; columns in ``TOOL_COLUMNS`` order)."""
    from scipy.sparse import csr_matrix

    return csr_matrix(keyword_features(docs))


TOOL_COLUMNS: tuple[str, ...] = ("S1", "S2", "S3", "S4", "S5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "D1", "D2", "D3")

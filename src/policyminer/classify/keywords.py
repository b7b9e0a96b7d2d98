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
_JOIN = "\n"


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """Cue words per tool as one compiled alternation each (loaded once)."""
    raw = json.loads(resources.files("policyminer.data").joinpath("tool_keywords.json").read_text(encoding="utf-8"))
    pats = {t: re.compile("|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)))
            for t, ws in raw["tools"].items() if ws}
    # (feature column, pattern) for ``keyword_counts``; a tool without cue words never scores
    columns = [(j, pats[t]) for j, t in enumerate(TOOL_COLUMNS) if t in pats]
    # texts can be scanned joined by _JOIN when no match can contain it (or be empty)
    joinable = all(w and _JOIN not in w for ws in raw["tools"].values() for w in ws)
    return {"order": raw["order"], "default": raw["default"], "pats": pats, "columns": columns,
            "joinable": joinable}


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


def keyword_counts(docs: list[str]) -> Any:
    """Weighted cue counts per model input (the scores of ``keyword_scores``, zero for tools
    without a hit) as an int array, one row per input, columns in ``TOOL_COLUMNS`` order."""
    import numpy as np

    rules = _rules()
    texts = [t for pair in zip(select_heading(docs), select_body(docs)) for t in pair]  # h0 b0 h1 b1 ...
    nt = len(TOOL_COLUMNS)
    if not rules["joinable"]:
        per_text = [[len(p.findall(t)) for _, p in rules["columns"]] for t in texts]
        hits = np.zeros((len(texts), nt), dtype=np.int64)
        hits[:, [j for j, _ in rules["columns"]]] = np.array(per_text, dtype=np.int64).reshape(len(texts), -1)
    else:
        # One scan per tool over all texts joined by a character no cue word contains: no match
        # can span two texts, so the matches are exactly those of the per-text scans (one C call
        # instead of two per measure); each match is given back to its text by its offset.
        joined = _JOIN.join(texts)
        ends = np.cumsum([len(t) + 1 for t in texts])  # where each text's separator ends
        starts: list[int] = []
        cols: list[int] = []
        for j, pat in rules["columns"]:
            found = [m.start() for m in pat.finditer(joined)]
            starts += found
            cols += [j] * len(found)
        which = np.searchsorted(ends, np.array(starts, dtype=np.int64), side="right")
        hits = np.bincount(which * nt + np.array(cols, dtype=np.int64),
                           minlength=len(texts) * nt).reshape(len(texts), nt)
    return HEADING_WEIGHT * hits[0::2] + hits[1::2]


def keyword_features(docs: list[str]) -> Any:
    """``keyword_matrix`` as a dense array (what the fast scorer in ``model`` multiplies)."""
    import numpy as np

    counts = keyword_counts(docs)
    table = _log1p_table()
    if counts.size and counts.max() >= len(table):
        table = np.array([np.log1p(c) for c in range(int(counts.max()) + 1)])
    return table[counts]


@lru_cache(maxsize=1)
def _log1p_table() -> Any:
    # numpy's scalar log1p of small counts, looked up: the same floats the model was trained on
    import numpy as np

    return np.array([np.log1p(c) for c in range(256)])


def keyword_matrix(docs: list[str]) -> Any:
    """Cue-count features per tool (log-scaled), for stacking the rules into the learned model
    (FunctionTransformer step; columns in ``TOOL_COLUMNS`` order)."""
    from scipy.sparse import csr_matrix

    return csr_matrix(keyword_features(docs))


TOOL_COLUMNS: tuple[str, ...] = ("S1", "S2", "S3", "S4", "S5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "D1", "D2", "D3")

"""Cross-region comparison tables from a batch: metrics by region (or province, year) and
measures by policy instrument.

Why: the researcher's question is "what did each place report or promise for metric X, as of
when, and where does it say so" — so every cell keeps its unit, as_of date and source document.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

BY = ("region", "province", "year")
UNKNOWN = "(未知)"


def load_frames(src: str | Path | Iterable[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Tables of a batch folder / documents.jsonl / documents in memory."""
    from .tables import documents_path, iter_jsonl, to_frames

    if isinstance(src, (str, Path)):
        return to_frames(iter_jsonl(documents_path(src)))
    return to_frames(src)


def _group_of_docs(docs: pd.DataFrame, by: str) -> pd.Series:
    """One group label per document (index: doc_id)."""
    if by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}")
    d = docs.drop_duplicates("doc_id").set_index("doc_id")
    if by == "year":
        g = d["year"].astype("string")
    elif by == "province":
        g = d["province"].astype("string")
    else:
        name = d["region_name"].astype("string")
        code = d["region_code"].astype("string")
        g = name.where(code.isna(), name.fillna("") + " " + code.fillna(""))
    return g.fillna(UNKNOWN).rename("group")


def metric_key(metrics: pd.DataFrame) -> pd.Series:
    """The canonical metric, else the metric's name as written."""
    return metrics["canonical"].fillna(metrics["name"]).fillna("").astype("string")


def metric_table(frames: dict[str, pd.DataFrame], metric: str | None = None, by: str = "region") -> pd.DataFrame:
    """Long table: one row per metric occurrence with group, value, unit, as_of and source document.

    ``metric`` matches the canonical key exactly, or is contained in the metric's name.
    """
    m = frames["metrics"].copy()
    docs = frames["documents"]
    cols = ["group", "metric", "name", "value", "unit", "base_value", "base_unit", "comparator", "kind",
            "as_of", "doc_id", "title", "date", "region_code", "text"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    m["metric"] = metric_key(m)
    if metric:
        hit = (m["canonical"] == metric).fillna(False) | m["name"].fillna("").str.contains(metric, regex=False)
        m = m[hit.astype(bool)]
    groups = _group_of_docs(docs, by)
    m = m.join(groups, on="doc_id")
    m["group"] = m["group"].fillna(UNKNOWN)
    m = m.join(docs.drop_duplicates("doc_id").set_index("doc_id")[["title"]], on="doc_id")
    m["as_of"] = m["as_of"].fillna(m["date"])
    m = m.sort_values(["metric", "group", "as_of", "doc_id"], na_position="first", kind="stable")
    return m[cols].reset_index(drop=True)


def latest(long: pd.DataFrame) -> pd.DataFrame:
    """The latest occurrence of each metric per group (by as_of, then document date)."""
    if long.empty:
        return long
    return long.groupby(["metric", "group"], sort=True, dropna=False).tail(1).reset_index(drop=True)


def metric_matrix(long: pd.DataFrame) -> pd.DataFrame:
    """Canonical metric x group, cells "value unit (as_of)" from :func:`latest`."""
    lt = latest(long)
    if lt.empty:
        return pd.DataFrame()

    def cell(r: pd.Series) -> str:
        v = r["value"]
        num = "" if pd.isna(v) else (f"{v:g}")
        when = "" if pd.isna(r["as_of"]) else f" ({pd.Timestamp(r['as_of']).date()})"
        return f"{num} {r['unit'] if not pd.isna(r['unit']) else ''}".strip() + when

    lt = lt.assign(cell=lt.apply(cell, axis=1))
    return lt.pivot(index="metric", columns="group", values="cell").fillna("")


def instrument_counts(frames: dict[str, pd.DataFrame], by: str = "region") -> pd.DataFrame:
    """Number of measures per group and policy instrument (supply / environment / demand / unlabelled)."""
    ms = frames["measures"]
    if ms.empty:
        return pd.DataFrame()
    groups = _group_of_docs(frames["documents"], by)
    t = ms.join(groups, on="doc_id")
    t["instrument"] = t["instrument"].fillna("unlabelled")
    out = t.pivot_table(index="group", columns="instrument", values="measure_id", aggfunc="count", fill_value=0)
    order = [c for c in ("supply", "environment", "demand", "unlabelled") if c in out.columns]
    out = out[order + [c for c in out.columns if c not in order]]
    out.columns.name = None
    return out


def tool_counts(frames: dict[str, pd.DataFrame], by: str = "region") -> pd.DataFrame:
    """Number of measures per group and sub-tool (S1..D3)."""
    ms = frames["measures"]
    if ms.empty:
        return pd.DataFrame()
    groups = _group_of_docs(frames["documents"], by)
    t = ms.join(groups, on="doc_id")
    t["tool"] = t["tool"].fillna("-")
    out = t.pivot_table(index="group", columns="tool", values="measure_id", aggfunc="count", fill_value=0)
    out.columns.name = None
    return out


def documents_by_group(frames: dict[str, pd.DataFrame], by: str = "region") -> pd.DataFrame:
    """Documents, measures and metrics per group."""
    docs = frames["documents"].drop_duplicates("doc_id")
    if docs.empty:
        return pd.DataFrame()
    g = _group_of_docs(docs, by)
    d = docs.join(g, on="doc_id")
    return d.groupby("group").agg(documents=("doc_id", "count"), measures=("n_measures", "sum"),
                                  metrics=("n_metrics", "sum"), deadlines=("n_deadlines", "sum"))


def compare(src: str | Path | Iterable[dict[str, Any]] | dict[str, pd.DataFrame], metric: str | None = None,
            by: str = "region") -> dict[str, pd.DataFrame]:
    """All comparison tables: ``metrics`` (long), ``matrix``, ``instruments``, ``tools``, ``documents``."""
    frames = src if isinstance(src, dict) else load_frames(src)
    long = metric_table(frames, metric, by)
    return {
        "metrics": long,
        "matrix": metric_matrix(long),
        "instruments": instrument_counts(frames, by),
        "tools": tool_counts(frames, by),
        "documents": documents_by_group(frames, by),
    }

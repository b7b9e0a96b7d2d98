"""Flatten extracted documents into tidy tables keyed by document id.

Researchers want one row per thing (measure, metric, unit, deadline, region mention) with the
document's region on every row, so a table can be filtered and grouped without joins. The
column list below is the single source of truth: the DataFrames, the Parquet schema and
``docs/data_dictionary.md`` are all built from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

# (column, arrow type, description) per table. Keep descriptions short: they are the data dictionary.
_DOC_REGION = [
    ("doc_id", pa.string(), "Document id (hash of the normalized text); joins every table"),
    ("region_code", pa.string(), "6-digit GB/T 2260 code of the document's region (meta.region.code)"),
    ("region_name", pa.string(), "Name of the document's region (meta.region.name)"),
    ("province", pa.string(), "Province of the document's region"),
]
_SPAN = [
    ("span_start", pa.int64(), "Start offset (characters) in the document's normalized text"),
    ("span_end", pa.int64(), "End offset (exclusive)"),
]

COLUMNS: dict[str, list[tuple[str, pa.DataType, str]]] = {
    "documents": _DOC_REGION + [
        ("region_level", pa.string(), "province | city | county | town"),
        ("city", pa.string(), "City of the document's region"),
        ("county", pa.string(), "County of the document's region"),
        ("title", pa.string(), "Title (meta.title)"),
        ("doc_number", pa.string(), "文号, e.g. 怀政办发〔2020〕4号"),
        ("issuers", pa.string(), "发文机关, joined with '; '"),
        ("date", pa.date32(), "成文日期, else publication date"),
        ("published", pa.date32(), "Publication date on the page"),
        ("year", pa.int32(), "Year of `date`"),
        ("doc_type", pa.string(), "通知, 通报, 方案, 意见, ..."),
        ("source_uri", pa.string(), "Where the document was read from"),
        ("source_format", pa.string(), "txt | html | pdf | docx | doc | md | csv | warc"),
        ("n_chars", pa.int64(), "Length of the normalized text (null when exported without text)"),
        ("n_measures", pa.int64(), "Number of measures"),
        ("n_metrics", pa.int64(), "Number of metrics"),
        ("n_units", pa.int64(), "Number of organizations named"),
        ("n_deadlines", pa.int64(), "Number of time expressions"),
        ("n_regions", pa.int64(), "Number of region mentions"),
        ("warnings", pa.string(), "Extraction warnings, joined with '; '"),
    ],
    "measures": _DOC_REGION + [
        ("measure_id", pa.string(), "Measure id within the document (m1, m2, ...)"),
        ("heading", pa.string(), "Heading or lead clause, without its enumerator"),
        ("path", pa.string(), "Enclosing section headings, outermost first, joined with ' > '"),
        ("instrument", pa.string(), "supply | environment | demand (spec/taxonomy.md)"),
        ("tool", pa.string(), "Sub-tool code, S1..S5, E1..E7, D1..D3"),
        ("confidence", pa.float64(), "Classifier confidence"),
        ("text", pa.string(), "Full text of the measure"),
    ] + _SPAN,
    "metrics": _DOC_REGION + [
        ("metric_id", pa.string(), "Metric id within the document (q1, q2, ...)"),
        ("name", pa.string(), "What is measured, as worded (办结率, 走访企业)"),
        ("canonical", pa.string(), "Canonical metric key from the lexicon"),
        ("value", pa.float64(), "Number as written (三千 -> 3000)"),
        ("unit", pa.string(), "Unit as written, multiplier included (亿元, %, 家)"),
        ("base_value", pa.float64(), "Value with 万/亿/千 applied"),
        ("base_unit", pa.string(), "Unit without multiplier (元, %, 家)"),
        ("comparator", pa.string(), "eq | ge | gt | le | lt | approx"),
        ("kind", pa.string(), "actual | target | change"),
        ("subject", pa.string(), "Who or what the number is about"),
        ("as_of", pa.date32(), "Date the value holds at (截至 ...)"),
        ("date", pa.date32(), "The document's date"),
        ("measure_id", pa.string(), "Enclosing measure, if any"),
        ("text", pa.string(), "The phrase the metric was read from"),
    ] + _SPAN,
    "units": _DOC_REGION + [
        ("name", pa.string(), "Organization as written (市发展改革委)"),
        ("canonical", pa.string(), "Full name with region (怀化市发展和改革委员会)"),
        ("role", pa.string(), "lead | responsible | mentioned"),
        ("measure_id", pa.string(), "Enclosing measure, if any"),
    ] + _SPAN,
    "deadlines": _DOC_REGION + [
        ("deadline_id", pa.string(), "Deadline id within the document (t1, t2, ...)"),
        ("text", pa.string(), "Time expression as written"),
        ("date", pa.date32(), "Resolved date (last day of a period)"),
        ("relation", pa.string(), "by | on | as_of | within | period"),
        ("duration", pa.string(), "ISO 8601 duration for `within` (P3D)"),
        ("working_days", pa.bool_(), "Duration counts working days"),
        ("task", pa.string(), "What is due"),
        ("measure_id", pa.string(), "Enclosing measure, if any"),
    ] + _SPAN,
    "regions": _DOC_REGION + [
        ("name", pa.string(), "Region mentioned in the text"),
        ("code", pa.string(), "Its 6-digit code"),
        ("level", pa.string(), "province | city | county | town"),
        ("mention_province", pa.string(), "Province of the mentioned region"),
        ("mention_city", pa.string(), "City of the mentioned region"),
        ("mention_county", pa.string(), "County of the mentioned region"),
    ] + _SPAN,
}

TABLES = tuple(COLUMNS)


def arrow_schema(table: str) -> pa.Schema:
    """The Parquet/Arrow schema of one table."""
    return pa.schema([pa.field(n, t) for n, t, _ in COLUMNS[table]])


def _s(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v if x is not None)
    return str(v)


def _f(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _i(v: Any) -> int | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _d(v: Any) -> str | None:
    """A YYYY-MM-DD string or None; anything else is dropped so a column keeps one type."""
    if isinstance(v, str) and len(v) >= 10 and v[4] == "-" and v[7] == "-":
        try:
            import datetime as dt

            return dt.date.fromisoformat(v[:10]).isoformat()
        except ValueError:
            return None
    return None


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _span(item: dict[str, Any]) -> tuple[int | None, int | None]:
    sp = item.get("span")
    if isinstance(sp, (list, tuple)) and len(sp) == 2:
        return _i(sp[0]), _i(sp[1])
    return None, None


def _region_of(doc: dict[str, Any]) -> dict[str, Any]:
    meta = _dict(doc.get("meta"))
    reg = meta.get("region")
    if isinstance(reg, str):  # tolerate gold-style region names
        reg = {"name": reg}
    return reg if isinstance(reg, dict) else {}


def doc_rows(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows one document contributes to each table."""
    meta = _dict(doc.get("meta"))
    reg = _region_of(doc)
    level = reg.get("level")
    province = reg.get("province") or (reg.get("name") if level == "province" else None)
    key = {
        "doc_id": _s(doc.get("id")),
        "region_code": _s(reg.get("code")),
        "region_name": _s(reg.get("name")),
        "province": _s(province),
    }
    date = _d(meta.get("date")) or _d(meta.get("published"))
    src = _dict(doc.get("source"))
    text = doc.get("text")
    lists = {k: [x for x in _list(doc.get(k)) if isinstance(x, dict)]
             for k in ("measures", "metrics", "units", "deadlines", "regions")}
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    out["documents"].append({
        **key,
        "region_level": _s(level),
        "city": _s(reg.get("city") or (reg.get("name") if level == "city" else None)),
        "county": _s(reg.get("county") or (reg.get("name") if level == "county" else None)),
        "title": _s(meta.get("title")),
        "doc_number": _s(meta.get("doc_number")),
        "issuers": _s(meta.get("issuers")),
        "date": date,
        "published": _d(meta.get("published")),
        "year": int(date[:4]) if date else None,
        "doc_type": _s(meta.get("doc_type")),
        "source_uri": _s(src.get("uri")),
        "source_format": _s(src.get("format")),
        "n_chars": len(text) if isinstance(text, str) else None,
        **{f"n_{k}": len(v) for k, v in lists.items()},
        "warnings": _s(doc.get("warnings")),
    })
    for m in lists["measures"]:
        s, e = _span(m)
        out["measures"].append({
            **key, "measure_id": _s(m.get("id")), "heading": _s(m.get("heading")),
            "path": " > ".join(str(p) for p in _list(m.get("path"))) or None,
            "instrument": _s(m.get("instrument")), "tool": _s(m.get("tool")),
            "confidence": _f(m.get("confidence")), "text": _s(m.get("text")),
            "span_start": s, "span_end": e,
        })
    for q in lists["metrics"]:
        s, e = _span(q)
        out["metrics"].append({
            **key, "metric_id": _s(q.get("id")), "name": _s(q.get("name")),
            "canonical": _s(q.get("canonical")), "value": _f(q.get("value")),
            "unit": _s(q.get("unit")), "base_value": _f(q.get("base_value")),
            "base_unit": _s(q.get("base_unit")), "comparator": _s(q.get("comparator")),
            "kind": _s(q.get("kind")), "subject": _s(q.get("subject")),
            "as_of": _d(q.get("as_of")), "date": date, "measure_id": _s(q.get("measure")),
            "text": _s(q.get("text")), "span_start": s, "span_end": e,
        })
    for u in lists["units"]:
        s, e = _span(u)
        out["units"].append({
            **key, "name": _s(u.get("name")), "canonical": _s(u.get("canonical")),
            "role": _s(u.get("role")), "measure_id": _s(u.get("measure")),
            "span_start": s, "span_end": e,
        })
    for t in lists["deadlines"]:
        s, e = _span(t)
        wd = t.get("working_days")
        out["deadlines"].append({
            **key, "deadline_id": _s(t.get("id")), "text": _s(t.get("text")),
            "date": _d(t.get("date")), "relation": _s(t.get("relation")),
            "duration": _s(t.get("duration")), "working_days": wd if isinstance(wd, bool) else None,
            "task": _s(t.get("task")), "measure_id": _s(t.get("measure")),
            "span_start": s, "span_end": e,
        })
    for r in lists["regions"]:
        s, e = _span(r)
        out["regions"].append({
            **key, "name": _s(r.get("name")), "code": _s(r.get("code")), "level": _s(r.get("level")),
            "mention_province": _s(r.get("province")), "mention_city": _s(r.get("city")),
            "mention_county": _s(r.get("county")), "span_start": s, "span_end": e,
        })
    return out


def to_arrow(results: Iterable[Any], seen: set[str] | None = None) -> dict[str, pa.Table]:
    """Arrow tables (typed per ``COLUMNS``) from documents; errors and non-dicts are skipped.

    A document whose id was already seen (the same normalized text, e.g. a notice reposted at
    another address) is skipped, so ``doc_id`` is unique in ``documents`` and nothing is
    counted twice. Pass the same ``seen`` set across chunks of one export.
    """
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    seen = set() if seen is None else seen
    for doc in results:
        if not isinstance(doc, dict):
            continue
        did = doc.get("id")
        if isinstance(did, str):
            if did in seen:
                continue
            seen.add(did)
        for t, rs in doc_rows(doc).items():
            rows[t].extend(rs)
    out = {}
    for t in TABLES:
        schema = arrow_schema(t)
        cols = {}
        for name, typ, _ in COLUMNS[t]:
            vals = [r.get(name) for r in rows[t]]
            if pa.types.is_date32(typ):
                import datetime as dt

                vals = [dt.date.fromisoformat(v) if v else None for v in vals]
            cols[name] = pa.array(vals, type=typ)
        out[t] = pa.table(cols, schema=schema)
    return out


def to_frames(results: Iterable[Any]) -> dict[str, pd.DataFrame]:
    """pandas DataFrames ``documents, measures, metrics, units, deadlines, regions`` keyed by ``doc_id``.

    ``results`` may mix documents and errors (as ``extract_many`` yields them); errors are skipped.
    Dates are ``datetime64``; strings use pandas' string dtype.
    """
    frames = {}
    for t, tbl in to_arrow(results).items():
        df = tbl.to_pandas()
        for name, typ, _ in COLUMNS[t]:
            if pa.types.is_date32(typ):
                df[name] = pd.to_datetime(df[name])
            elif pa.types.is_string(typ):
                df[name] = df[name].astype("string")
            elif pa.types.is_integer(typ):
                df[name] = df[name].astype("Int64" if typ == pa.int64() else "Int32")
            elif pa.types.is_boolean(typ):
                df[name] = df[name].astype("boolean")
        frames[t] = df
    return frames


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Documents of a ``documents.jsonl``; a torn last line (killed writer) is skipped."""
    with open(path, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield obj


def documents_path(src: str | Path) -> Path:
    """``DIR/documents.jsonl`` for a batch folder, or the file itself."""
    p = Path(src)
    return p / "documents.jsonl" if p.is_dir() else p


def data_dictionary_markdown() -> str:
    """The data dictionary, generated from ``COLUMNS`` so it cannot drift from the code."""
    lines = ["# Data dictionary", "",
             "Tables written by `policyminer export` / `policyminer batch --format ...` "
             "(Parquet: `<table>.parquet`, CSV: `<table>.csv`, DuckDB: tables in `notices.duckdb`). "
             "Every table is keyed by `doc_id` (one row per distinct document in `documents`: a notice "
             "whose normalized text was already exported, e.g. the same notice at another address, is "
             "skipped) and carries the document's region "
             "(`region_code`, `region_name`, `province`) on every row. "
             "Generated from `policyminer.export.tables.COLUMNS`.", ""]
    for t in TABLES:
        lines += [f"## {t}", "", "| column | type | meaning |", "|---|---|---|"]
        for name, typ, desc in COLUMNS[t]:
            lines.append(f"| `{name}` | {typ} | {desc} |")
        lines.append("")
    from .store import VIEW_DOCS, VIEWS

    lines += ["## Views (DuckDB)", "", "`notices.duckdb` also holds these views over the tables:", ""]
    for name in VIEWS:
        lines.append(f"- `{name}`: {VIEW_DOCS.get(name, '')}")
    lines += ["", "### 办结率 by region, in one query", "", "```sql",
              "-- duckdb out/notices.duckdb",
              "SELECT region_name, region_code, value, unit, as_of, title",
              "FROM metrics_by_region",
              "WHERE canonical = '办结率'",
              "ORDER BY region_code, as_of;",
              "```", "",
              "The latest value per region: `SELECT * FROM latest_metric_by_region WHERE canonical = '办结率'`. "
              "From Python: `duckdb.connect('out/notices.duckdb').sql(...).df()`; "
              "or `pandas.read_parquet('out/metrics.parquet')`.", ""]
    return "\n".join(lines)

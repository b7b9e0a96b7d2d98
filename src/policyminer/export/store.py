"""Write the flat tables as Parquet, CSV or an embedded DuckDB database with joining views.

DuckDB is the default store: one file a researcher can query with SQL (or open from R/pandas)
without a server; the views answer the usual questions ("办结率 by region") in one query.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from .tables import TABLES, iter_jsonl, documents_path, to_arrow

FORMATS = ("duckdb", "parquet", "csv")
DUCKDB_FILE = "notices.duckdb"

VIEWS: dict[str, str] = {
    # one row per metric with the document's place and time beside it
    "metrics_by_region": """
        SELECT m.region_code, m.region_name, m.province, d.city, d.county, d.region_level,
               d.year, m.canonical, m.name, m.value, m.unit, m.base_value, m.base_unit,
               m.comparator, m.kind, m.subject, COALESCE(m.as_of, m.date) AS as_of,
               m.doc_id, d.title, d.doc_number, d.date, d.source_uri, m.text
        FROM metrics m JOIN documents d USING (doc_id)""",
    # latest value of each canonical metric per region (by as_of, then document date)
    "latest_metric_by_region": """
        SELECT * EXCLUDE (rn) FROM (
            SELECT *, row_number() OVER (
                PARTITION BY region_code, region_name, COALESCE(canonical, name)
                ORDER BY as_of DESC NULLS LAST, date DESC NULLS LAST, doc_id) AS rn
            FROM metrics_by_region)
        WHERE rn = 1""",
    "measures_by_instrument": """
        SELECT d.region_code, d.region_name, d.province, d.year,
               COALESCE(m.instrument, 'unlabelled') AS instrument, m.tool,
               count(*) AS n_measures, count(DISTINCT m.doc_id) AS n_documents
        FROM measures m JOIN documents d USING (doc_id)
        GROUP BY ALL""",
    "units_by_region": """
        SELECT u.region_code, u.region_name, COALESCE(u.canonical, u.name) AS unit, u.role,
               count(*) AS n_mentions, count(DISTINCT u.doc_id) AS n_documents
        FROM units u GROUP BY ALL""",
    "deadlines_by_region": """
        SELECT t.region_code, t.region_name, t.date, t.relation, t.text, t.task,
               t.doc_id, d.title, d.date AS doc_date
        FROM deadlines t JOIN documents d USING (doc_id)""",
}


VIEW_DOCS: dict[str, str] = {
    "metrics_by_region": "every metric with its document's region, year, title and date; "
                         "`as_of` falls back to the document date",
    "latest_metric_by_region": "the latest value of each metric (canonical, else name) per region",
    "measures_by_instrument": "number of measures per region, year, instrument and tool",
    "units_by_region": "organizations named per region, by role, with mention and document counts",
    "deadlines_by_region": "every resolved deadline with its document",
}


def load_tables(src: str | Path | Iterable[dict[str, Any]]) -> dict[str, pa.Table]:
    """Arrow tables from a batch folder, a ``documents.jsonl`` or documents in memory."""
    if isinstance(src, (str, Path)):
        return to_arrow(iter_jsonl(documents_path(src)))
    return to_arrow(src)


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def write_parquet(tables: dict[str, pa.Table], out_dir: str | Path) -> list[Path]:
    """``<table>.parquet`` per table (zstd), each written to a temp name and renamed."""
    import pyarrow.parquet as pq

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, tbl in tables.items():
        p = out / f"{name}.parquet"
        tmp = _tmp(p)
        pq.write_table(tbl, tmp, compression="zstd")
        os.replace(tmp, p)
        paths.append(p)
    return paths


def write_csv(tables: dict[str, pa.Table], out_dir: str | Path) -> list[Path]:
    """``<table>.csv`` per table, UTF-8 with a header row."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, tbl in tables.items():
        p = out / f"{name}.csv"
        tmp = _tmp(p)
        tbl.to_pandas().to_csv(tmp, index=False, encoding="utf-8")
        os.replace(tmp, p)
        paths.append(p)
    return paths


def write_duckdb(tables: dict[str, pa.Table], path: str | Path) -> Path:
    """An embedded DuckDB file with one table per frame plus the ``VIEWS``; replaced atomically."""
    import duckdb

    p = Path(path)
    if p.suffix != ".duckdb" and (p.is_dir() or not p.suffix):
        p = p / DUCKDB_FILE
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(p)
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        if stale.exists():
            stale.unlink()
    con = duckdb.connect(str(tmp))
    try:
        for name in TABLES:
            tbl = tables.get(name)
            if tbl is None:
                continue
            con.register("_src", tbl)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _src')
            con.unregister("_src")
        for name, sql in VIEWS.items():
            con.execute(f'CREATE VIEW "{name}" AS {sql}')
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, p)
    return p


def export(src: str | Path | Iterable[dict[str, Any]], out_dir: str | Path,
           formats: Iterable[str] = ("duckdb",)) -> dict[str, list[Path]]:
    """Write the tables of ``src`` in each of ``formats`` under ``out_dir``; returns the files."""
    fmts = [f.strip().lower() for f in formats if f and f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown export format {bad[0]!r}; choose from {', '.join(FORMATS)}")
    tables = load_tables(src)
    out: dict[str, list[Path]] = {}
    for f in fmts:
        if f == "parquet":
            out[f] = write_parquet(tables, out_dir)
        elif f == "csv":
            out[f] = write_csv(tables, out_dir)
        else:
            out[f] = [write_duckdb(tables, Path(out_dir) / DUCKDB_FILE)]
    return out

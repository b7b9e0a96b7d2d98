"""Write the flat tables as Parquet, CSV or an embedded DuckDB database with joining views.

DuckDB is the default store: one file a researcher can query with SQL (or open from R/pandas)
without a server; the views answer the usual questions ("办结率 by region") in one query.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from .tables import TABLES, arrow_schema, documents_path, iter_jsonl, to_arrow

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


class _FileSink:
    """``<table>.parquet`` (zstd) or ``<table>.csv`` (UTF-8, header row, dates as YYYY-MM-DD) per
    table, written chunk by chunk into temporary files renamed into place at the end."""

    def __init__(self, out_dir: Path, fmt: str) -> None:
        self.final = {t: out_dir / f"{t}.{fmt}" for t in TABLES}
        self.tmp = {t: _tmp(p) for t, p in self.final.items()}
        if fmt == "parquet":
            import pyarrow.parquet as pq

            self.writers = {t: pq.ParquetWriter(self.tmp[t], arrow_schema(t), compression="zstd") for t in TABLES}
        else:
            import pyarrow.csv as pcsv

            self.writers = {t: pcsv.CSVWriter(str(self.tmp[t]), arrow_schema(t)) for t in TABLES}

    def write(self, chunk: dict[str, pa.Table]) -> None:
        for t, tbl in chunk.items():
            if tbl.num_rows:
                self.writers[t].write_table(tbl)

    def close(self, ok: bool) -> list[Path]:
        for w in self.writers.values():
            w.close()
        return _finish(self.tmp, self.final, ok)


class _DuckdbSink:
    """An embedded DuckDB file with one table per frame plus the ``VIEWS``; replaced atomically."""

    def __init__(self, path: Path) -> None:
        import duckdb

        self.final = path
        self.tmp = _tmp(path)
        for stale in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            if stale.exists():
                stale.unlink()
        self.con = duckdb.connect(str(self.tmp))
        for t in TABLES:  # typed, empty tables first, so an empty export still has every table
            self.con.register("_src", arrow_schema(t).empty_table())
            self.con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM _src')
            self.con.unregister("_src")

    def write(self, chunk: dict[str, pa.Table]) -> None:
        for t, tbl in chunk.items():
            if tbl.num_rows:
                self.con.register("_src", tbl)
                self.con.execute(f'INSERT INTO "{t}" SELECT * FROM _src')
                self.con.unregister("_src")

    def close(self, ok: bool) -> list[Path]:
        try:
            if ok:
                for name, sql in VIEWS.items():
                    self.con.execute(f'CREATE VIEW "{name}" AS {sql}')
                self.con.execute("CHECKPOINT")
        finally:
            self.con.close()
        return _finish({"db": self.tmp}, {"db": self.final}, ok)


def _finish(tmp: dict[str, Path], final: dict[str, Path], ok: bool) -> list[Path]:
    out = []
    for k, t in tmp.items():
        if ok:
            os.replace(t, final[k])
            out.append(final[k])
        else:
            t.unlink(missing_ok=True)
    return out


def _chunks(docs: Iterable[Any], size: int) -> Iterator[dict[str, pa.Table]]:
    batch: list[Any] = []
    seen: set[str] = set()
    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield to_arrow(batch, seen)
            batch = []
    if batch:
        yield to_arrow(batch, seen)


def export(src: str | Path | Iterable[dict[str, Any]], out_dir: str | Path,
           formats: Iterable[str] = ("duckdb",), chunk_docs: int = 500) -> dict[str, list[Path]]:
    """Write the tables of ``src`` in each of ``formats`` under ``out_dir``; returns the files.

    Documents are read and converted ``chunk_docs`` at a time, so memory does not grow with
    the size of the archive; each file appears (renamed into place) only once complete.
    """
    fmts = list(dict.fromkeys(f.strip().lower() for f in formats if f and f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown export format {bad[0]!r}; choose from {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = iter_jsonl(documents_path(src)) if isinstance(src, (str, Path)) else src
    sinks: dict[str, Any] = {}
    ok = False
    try:
        for f in fmts:
            sinks[f] = (_FileSink(out, f) if f in ("parquet", "csv")
                        else _DuckdbSink(out / DUCKDB_FILE))
        for chunk in _chunks(docs, max(1, chunk_docs)):
            for sink in sinks.values():
                sink.write(chunk)
        ok = True
    finally:
        files = {f: sink.close(ok) for f, sink in sinks.items()}
    return files

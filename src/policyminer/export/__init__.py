"""Datasets from batch output: flat tables, Parquet/CSV/DuckDB, comparison report, document views."""

from __future__ import annotations

from .tables import COLUMNS, TABLES, to_frames

__all__ = ["COLUMNS", "TABLES", "to_frames", "export"]


def export(*args, **kwargs):  # noqa: D103 - thin lazy re-export
    from .store import export as _export

    return _export(*args, **kwargs)


export.__doc__ = "Write tables as duckdb/parquet/csv; see :func:`policyminer.export.store.export`."

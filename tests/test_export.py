"""Datasets from documents: flat tables, Parquet/CSV/DuckDB, comparison report, document views."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyminer.export.compare import compare
from policyminer.export.report import write_report
from policyminer.export.show import render_html
from policyminer.export.store import VIEWS, export, load_tables
from policyminer.export.tables import COLUMNS, TABLES, data_dictionary_markdown, to_arrow, to_frames

ROOT = Path(__file__).resolve().parents[1]
NOTICES = [ROOT / "corpora/seeds/docs/001_3159178822529981.txt",  # 湖北省 住建厅: 办结率 89.1%
           ROOT / "corpora/seeds/docs/003_1321990955f5dc4b.txt",  # 福州: 办结率 99%
           ROOT / "corpora/seeds/docs/004_f5d32eee970b9eca.txt",  # 怀化市 work plan with measures
           ROOT / "corpora/dev/docs/d004.html"]                    # 德清县 固定资产投资


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    from policyminer.api import extract_path

    return [extract_path(p)[0] for p in NOTICES]


@pytest.fixture(scope="module")
def batch_dir(docs: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shaped like batch output (documents.jsonl), without paying for worker start-up."""
    d = tmp_path_factory.mktemp("batch")
    with open(d / "documents.jsonl", "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        f.write('{"schema": "policyminer/document@1", "id": "torn')  # a torn tail is ignored
    return d


def test_frames_have_documented_columns_and_region_on_every_row(docs: list[dict[str, Any]]) -> None:
    frames = to_frames(docs + [ValueError("an error from extract_many is skipped")])
    assert set(frames) == set(TABLES)
    for name, df in frames.items():
        assert list(df.columns) == [c for c, _, _ in COLUMNS[name]]
    codes = dict(zip(frames["documents"]["doc_id"], frames["documents"]["region_code"]))
    assert codes[docs[0]["id"]] == "420000" and codes[docs[3]["id"]] == "330521"
    for name in TABLES:
        df = frames[name]
        assert (df["region_code"].astype(object) == df["doc_id"].map(codes).astype(object)).all()
    assert len(frames["documents"]) == 4
    assert len(frames["measures"]) == sum(len(d["measures"]) for d in docs)
    assert str(frames["metrics"]["as_of"].dtype).startswith("datetime64")
    assert frames["metrics"]["value"].dtype == "float64"
    hb = frames["metrics"][(frames["metrics"]["doc_id"] == docs[0]["id"]) & (frames["metrics"]["canonical"] == "办结率")]
    assert 89.1 in set(hb["value"]) and set(hb["unit"]) == {"%"}


def test_parquet_csv_duckdb_and_the_banjielv_query(batch_dir: Path, tmp_path: Path) -> None:
    import duckdb
    import pyarrow.parquet as pq

    files = export(batch_dir, tmp_path, ["parquet", "csv", "duckdb"])
    assert {p.name for p in files["parquet"]} == {f"{t}.parquet" for t in TABLES}
    assert pq.read_schema(tmp_path / "metrics.parquet").field("as_of").type == "date32[day]"
    csv = pd.read_csv(tmp_path / "documents.csv", dtype=str)
    assert set(csv["region_code"]) == {"420000", "350100", "431200", "330521"}
    con = duckdb.connect(str(files["duckdb"][0]), read_only=True)
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(VIEWS) <= views
    # the README query: 办结率 by region
    rows = con.execute("""
        SELECT region_name, region_code, value, unit, as_of
        FROM metrics_by_region WHERE canonical = '办结率'
        ORDER BY region_code, as_of""").fetchall()
    by_code = {}
    for name, code, value, unit, as_of in rows:
        by_code.setdefault(code, set()).add(value)
        assert unit == "%"
    assert 89.1 in by_code["420000"] and 99.0 in by_code["350100"]
    latest = con.execute("SELECT region_code FROM latest_metric_by_region WHERE canonical = '办结率'").fetchall()
    assert sorted(r[0] for r in latest) == ["350100", "420000"]
    n_measures = con.execute("SELECT sum(n_measures) FROM measures_by_instrument WHERE region_code = '431200'").fetchone()[0]
    assert n_measures == len(json.loads(json.dumps([d for d in load_tables(batch_dir)["measures"].to_pylist()
                                                    if d["region_code"] == "431200"])))


def test_compare_tables(batch_dir: Path) -> None:
    res = compare(batch_dir, metric="办结率", by="region")
    assert set(res["metrics"]["group"]) == {"湖北省 420000", "福州 350100"}
    assert "89.1 %" in " ".join(res["matrix"].loc["办结率"].tolist()) or "100 %" in res["matrix"].loc["办结率"]["湖北省 420000"]
    by_province = compare(batch_dir, metric="办结率", by="province")
    assert set(by_province["metrics"]["group"]) == {"湖北省", "福建省"}
    by_year = compare(batch_dir, by="year")
    assert "2016" in set(by_year["documents"].index)
    inst = res["instruments"]
    if not inst.empty:
        assert inst.to_numpy().sum() == sum(len(r) for r in [load_tables(batch_dir)["measures"].to_pylist()])


def test_report_is_self_contained_with_charts_and_links(batch_dir: Path, tmp_path: Path) -> None:
    res = write_report(batch_dir, tmp_path / "report.html", metric="办结率")
    page = (tmp_path / "report.html").read_text("utf-8")
    assert res["n_figures"] >= 1
    assert re.search(r'<img class="chart" src="data:image/png;base64,[A-Za-z0-9+/]{1000,}', page)
    assert "<map" in page and '<area shape="rect"' in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing fetched from the network
    links = set(re.findall(r'href="(views/[0-9a-f]+\.html)"', page))
    assert links and all((tmp_path / link).is_file() for link in links)
    assert "湖北省 420000" in page and "办结率" in page


def test_view_highlights_every_kind_with_labels(docs: list[dict[str, Any]]) -> None:
    doc = docs[2]  # 怀化: metrics, units, deadlines, regions, measures
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>") and "<script src" not in page
    assert "pm-metric" in page and "pm-deadline" in page and "pm-unit-" in page
    assert "REGION 431200" in page  # highlighted, or in the tooltip of the unit that contains it
    assert "怀政办发〔2020〕4号" in page
    for m in doc["measures"][:3]:
        assert f'id="{m["id"]}"' in page and f'href="#{m["id"]}"' in page
    d = next(t for t in doc["deadlines"] if t.get("date"))
    assert d["date"] in page


def test_view_without_text_and_with_hostile_strings() -> None:
    doc = {"id": "x", "meta": {"title": "<script>alert(1)</script>"}, "text": None, "measures": [], "metrics": []}
    page = render_html(doc)
    assert "<script>alert" not in page and "without its text" in page
    doc = {"id": "y", "text": "截至6月底，<b>办结率</b>达到95%。", "meta": {},
           "metrics": [{"name": "办结率", "value": 95, "unit": "%", "text": "办结率</b>达到95%", "span": [13, 23]}],
           "deadlines": [{"text": "6月底", "date": "2020-06-30", "relation": "as_of", "span": [2, 5]}]}
    page = render_html(doc)
    assert "&lt;b&gt;" in page and "2020-06-30" in page


def test_data_dictionary_is_current() -> None:
    path = ROOT / "docs" / "data_dictionary.md"
    assert path.read_text("utf-8").strip() == data_dictionary_markdown().strip()


_json = st.recursive(st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True) | st.text(max_size=8),
                     lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(
                         ["id", "span", "name", "value", "unit", "date", "as_of", "region", "code", "meta", "text",
                          "metrics", "measures", "units", "deadlines", "regions", "path", "issuers"]), c, max_size=6),
                     max_leaves=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_json, max_size=3))
def test_tables_and_views_never_raise(items: list[Any]) -> None:
    tables = to_arrow(items)  # typed columns: a stray type in any field must not break a table
    assert set(tables) == set(TABLES)
    for it in items:
        if isinstance(it, dict):
            render_html(it)


def test_cli_export_compare_show(batch_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from policyminer.cli import app

    r = CliRunner()
    res = r.invoke(app, ["export", str(batch_dir), "--format", "parquet,csv", "--out", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t" / "metrics.parquet").is_file() and (tmp_path / "t" / "units.csv").is_file()
    res = r.invoke(app, ["compare", str(batch_dir), "--metric", "办结率", "--by", "province",
                         "--out", str(tmp_path / "r" / "report.html"), "--tables"])
    assert res.exit_code == 0, res.output
    assert "湖北省" in res.output and (tmp_path / "r" / "views").is_dir()
    assert r.invoke(app, ["compare", str(batch_dir), "--by", "planet"]).exit_code != 0
    res = r.invoke(app, ["show", str(batch_dir), "--doc", "", "--out", str(tmp_path / "v.html")])
    assert res.exit_code == 0, res.output
    assert "<mark" in (tmp_path / "v.html").read_text("utf-8")
    res = r.invoke(app, ["show", str(ROOT / "corpora/dev/docs/d004.html"), "--out", str(tmp_path / "d004.html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "d004.html").read_text("utf-8")
    assert "德清县" in page and "330521" in page and "246.79" in page
    assert r.invoke(app, ["show", str(tmp_path / "missing.txt")]).exit_code == 1

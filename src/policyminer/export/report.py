"""A self-contained HTML comparison report (charts as inline PNG) for researchers to open in a browser.

Every bar is clickable (an HTML image map) and every table row links to the view page of the
document the number came from (``views/<doc_id>.html``, written beside the report), so a reader
can check any figure against its source text in one click.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .compare import compare, latest, load_frames

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC",
                "AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC", "Droid Sans Fallback")
INSTRUMENT_COLORS = {"supply": "#2a9d8f", "environment": "#e9c46a", "demand": "#e76f51", "unlabelled": "#adb5bd"}
MAX_CHARTS = 8
MAX_BARS = 40
MAX_LISTED = 500  #: documents listed (and given a view page) at the end of the report
MAX_MATRIX_ROWS = 100


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """A font family that can draw Chinese labels, or None (labels then fall back to codes)."""
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    names = {f.name for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    for n in sorted(names):
        if any(k in n for k in ("CJK", "WenQuanYi", "Hei", "Song", "Ming", "Kai", "Han Sans")):
            return n
    return None


def _plt() -> Any:
    import logging

    import matplotlib

    matplotlib.use("Agg", force=True)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib.pyplot as plt

    fam = cjk_font()
    if fam:
        plt.rcParams["font.sans-serif"] = [fam, "DejaVu Sans"]
        plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _label(s: str, i: int) -> str:
    """Chinese labels only when a CJK font exists; else a number keyed to the table below the chart."""
    if cjk_font() or all(ord(c) < 0x2E80 for c in s):
        return s
    return f"#{i + 1}"


def _png_with_map(fig: Any, patches: list[Any], hrefs: list[str | None], titles: list[str], name: str) -> str:
    """The figure as an inline PNG plus an image map whose areas cover the bars."""
    buf = io.BytesIO()
    fig.canvas.draw()
    w, h = fig.canvas.get_width_height()
    areas = []
    for p, href, title in zip(patches, hrefs, titles):
        if not href:
            continue
        bb = p.get_window_extent()
        x0, x1 = 0, w  # the whole row (label, bar and value) is clickable, even for tiny bars
        y0, y1 = sorted((h - bb.y1, h - bb.y0))
        areas.append(f'<area shape="rect" coords="{int(x0)},{int(y0)},{int(x1) + 1},{int(y1) + 1}" '
                     f'href="{html.escape(href)}" title="{html.escape(title)}" alt="{html.escape(title)}">')
    fig.savefig(buf, format="png", dpi=fig.dpi)
    import matplotlib.pyplot as plt

    plt.close(fig)
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img class="chart" src="data:image/png;base64,{b64}" width="{w}" height="{h}" '
            f'usemap="#{name}" alt="{html.escape(name)}"><map name="{name}">{"".join(areas)}</map>')


def _view_href(doc_id: Any, views: dict[str, str]) -> str | None:
    return views.get(str(doc_id)) if doc_id is not None and not pd.isna(doc_id) else None


def metric_chart(rows: pd.DataFrame, metric: str, views: dict[str, str], name: str) -> tuple[str, pd.DataFrame]:
    """Horizontal bars: latest value of ``metric`` per group, in its most common unit."""
    plt = _plt()
    rows = rows[rows["value"].notna()]
    unit = rows["unit"].fillna("").mode().iloc[0] if not rows.empty else ""
    rows = rows[rows["unit"].fillna("") == unit].sort_values("value").tail(MAX_BARS)
    labels = [_label(str(g), i) for i, g in enumerate(rows["group"])]
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.38 * len(rows) + 1.2)), dpi=100)
    bars = ax.barh(range(len(rows)), rows["value"].astype(float), color="#457b9d")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel(unit or "value")
    ax.set_title(_label(metric, 0) if cjk_font() else f"metric ({unit})")
    for b, v in zip(bars, rows["value"]):
        ax.text(b.get_width(), b.get_y() + b.get_height() / 2, f" {v:g}", va="center", fontsize=8)
    ax.margins(x=0.15)
    fig.tight_layout()
    hrefs = [_view_href(d, views) for d in rows["doc_id"]]
    titles = [f"{g}: {v:g} {unit} ({t or ''})" for g, v, t in zip(rows["group"], rows["value"], rows["title"].fillna(""))]
    return _png_with_map(fig, list(bars), hrefs, titles, name), rows


def instrument_chart(counts: pd.DataFrame, name: str) -> str:
    """Stacked horizontal bars: measures per group by instrument."""
    plt = _plt()
    counts = counts.copy()
    counts["_t"] = counts.sum(axis=1)
    counts = counts.sort_values("_t").drop(columns="_t").tail(MAX_BARS)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.38 * len(counts) + 1.4)), dpi=100)
    left = [0] * len(counts)
    patches = []
    for col in counts.columns:
        vals = counts[col].tolist()
        bars = ax.barh(range(len(counts)), vals, left=left, label=col, color=INSTRUMENT_COLORS.get(col, None))
        patches.extend(bars)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(range(len(counts)), [_label(str(g), i) for i, g in enumerate(counts.index)])
    ax.set_xlabel("measures")
    ax.set_title("Measures by policy instrument")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return _png_with_map(fig, [], [], [], name)


def _table(df: pd.DataFrame, link_col: str | None, views: dict[str, str], cols: list[str] | None = None) -> str:
    if df is None or df.empty:
        return "<p><i>none</i></p>"
    d = df[cols] if cols else df
    rows = []
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ([d.index.name or ""] if not cols else []) + list(d.columns))
    for idx, r in df.iterrows():
        cells = [] if cols else [f"<th>{html.escape(str(idx))}</th>"]
        for c in d.columns:
            v = r[c]
            if isinstance(v, pd.Timestamp):
                s = str(v.date())
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                s = ""
            elif isinstance(v, float):
                s = f"{v:g}"
            else:
                s = str(v)
            s = html.escape(s)
            if c == link_col and (href := _view_href(r.get("doc_id"), views)):
                s = f'<a href="{html.escape(href)}">{s or "view"}</a>'
            cells.append(f"<td>{s}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="t"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


CSS = """body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:20px auto;
padding:0 16px;color:#212529}h1{font-size:1.5em}h2{border-bottom:1px solid #dee2e6;padding-bottom:4px;margin-top:32px}
table.t{border-collapse:collapse;font-size:.82em;margin:8px 0}table.t td,table.t th{border:1px solid #dee2e6;padding:3px 7px;
text-align:left;vertical-align:top}table.t thead th{background:#f1f3f5}img.chart{max-width:100%;height:auto;display:block;
margin:10px 0}figure{margin:0 0 26px}figcaption{font-size:.85em;color:#495057}.note{color:#6c757d;font-size:.85em}"""


def write_report(src: Any, out: str | Path, metric: str | None = None, by: str = "region",
                 max_views: int = 2000) -> dict[str, Any]:
    """Write the comparison report and the document views it links to; returns paths and tables."""
    from .show import write_view
    from .tables import documents_path, iter_jsonl

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frames = load_frames(src)
    tables = compare(frames, metric=metric, by=by)
    long = tables["metrics"]
    lt = latest(long)
    # which documents need a view page: every source of a charted or tabled number
    docs = frames["documents"].drop_duplicates("doc_id")
    listed = docs.head(MAX_LISTED)
    wanted = list(dict.fromkeys(list(lt["doc_id"].dropna().astype(str)) +
                                list(listed["doc_id"].dropna().astype(str))))[:max_views]
    views: dict[str, str] = {}
    if wanted and isinstance(src, (str, Path)):
        want = set(wanted)
        vdir = out.parent / "views"
        for doc in iter_jsonl(documents_path(src)):
            did = str(doc.get("id"))
            if did in want and did not in views:
                write_view(doc, vdir / f"{did}.html")
                views[did] = f"views/{did}.html"
    figures = []
    named = lt[lt["metric"].fillna("").str.len() > 0]
    keys = (named.groupby("metric")["group"].nunique().sort_values(ascending=False, kind="stable")
            if not named.empty else pd.Series(dtype=int))
    chosen = [metric] if metric and metric in set(lt["metric"]) else list(keys.index[:MAX_CHARTS])
    if metric and not chosen:
        chosen = list(keys.index[:MAX_CHARTS])
    for i, key in enumerate(chosen):
        rows = lt[lt["metric"] == key]
        if rows["value"].notna().sum() == 0:
            continue
        img, shown = metric_chart(rows, str(key), views, f"m{i}")
        tbl = _table(shown.sort_values("value", ascending=False),
                     "title", views, ["group", "value", "unit", "as_of", "comparator", "kind", "title", "date", "text"])
        figures.append(f'<figure id="metric-{i}">{img}<figcaption>{html.escape(str(key))} — latest value per '
                       f'{by} (click a bar or a title to open the source document)</figcaption>{tbl}</figure>')
    inst = tables["instruments"]
    inst_html = "<p><i>no measures</i></p>"
    if not inst.empty:
        inst_html = (f'<figure id="instruments">{instrument_chart(inst, "inst")}</figure>' + _table(inst, None, views)
                     + "<h3>By tool (spec/taxonomy.md: S1–S5 supply, E1–E7 environment, D1–D3 demand)</h3>"
                     + _table(tables["tools"], None, views))
        figures.append("")  # counted as a chart
    n_charts = sum(1 for f in figures if f) + (0 if inst.empty else 1)
    doc_list = _table(listed.assign(view=listed["title"].fillna(listed["doc_id"])), "view", views,
                      ["view", "region_name", "region_code", "date", "doc_number", "n_measures", "n_metrics"])
    if len(docs) > len(listed):
        doc_list += f'<p class="note">first {len(listed)} of {len(docs)} documents; all are in the datasets.</p>'
    matrix = tables["matrix"]
    if not matrix.empty:
        cover = (matrix != "").sum(axis=1).sort_values(ascending=False, kind="stable")
        matrix = matrix.loc[cover.index[:MAX_MATRIX_ROWS]]
    matrix_html = _table(matrix, None, views)
    if len(tables["matrix"]) > len(matrix):
        matrix_html += (f'<p class="note">{len(matrix)} of {len(tables["matrix"])} metrics shown (those reported by '
                        f"the most {html.escape(by)}s); the full table is in the datasets.</p>")
    font_note = "" if cjk_font() else ('<p class="note">No CJK font found for charts: bars are numbered; '
                                       "see the tables for names (install fonts-noto-cjk or fonts-wqy-zenhei).</p>")
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>policyminer comparison{(' — ' + html.escape(metric)) if metric else ''}</title><style>{CSS}</style></head><body>
<h1>Cross-{html.escape(by)} comparison{(' — ' + html.escape(metric)) if metric else ''}</h1>
<p class="note">{len(docs)} documents, {len(long)} metric values, {int(docs['n_measures'].sum() if not docs.empty else 0)}
measures. Generated {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by policyminer compare.</p>{font_note}
<h2>Metrics by {html.escape(by)}</h2>{''.join(f for f in figures if f) or '<p><i>no metrics</i></p>'}
<h2>Metric × {html.escape(by)} (latest value, unit, as of)</h2>{matrix_html}
<h2>Measures by instrument</h2>{inst_html}
<h2>Documents per {html.escape(by)}</h2>{_table(tables['documents'], None, views)}
<h2>Documents</h2>{doc_list}
</body></html>"""
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, "utf-8")
    tmp.replace(out)
    return {"path": out, "tables": tables, "n_figures": n_charts, "n_views": len(views)}

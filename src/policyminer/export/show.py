"""One notice as a self-contained HTML page: its text with every extraction highlighted in the
displaCy entity style, measures boxed with their instrument, and the outline beside it.

Why: a researcher checks extraction by eye before trusting a dataset. displaCy's ``ent`` style
renders character offsets directly (the ``span`` style puts a space after every token, which
breaks Chinese text), so overlapping items are resolved here: each character is highlighted by
at most one item, chosen by priority, and the rest stay visible in the tooltip of their host.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: highlight colours per kind (background of the mark)
COLORS = {"METRIC": "#ffd166", "UNIT-lead": "#ef476f", "UNIT-responsible": "#f78c6b",
          "UNIT-mentioned": "#f4c6d0", "DEADLINE": "#83d483", "REGION": "#8ecae6"}
INSTRUMENT_COLORS = {"supply": "#2a9d8f", "environment": "#e9c46a", "demand": "#e76f51", None: "#adb5bd"}
PRIORITY = {"METRIC": 0, "DEADLINE": 1, "UNIT": 2, "REGION": 3}

# displaCy's entity template with a tooltip (title) and a class per kind
TPL_ENT = (
    '<mark class="entity pm-{kind}" title="{tip}" style="background: {bg}; padding: 0.2em 0.35em; '
    'margin: 0 0.1em; line-height: 1; border-radius: 0.35em;">{text}<span style="font-size: 0.62em; '
    'font-weight: bold; line-height: 1; border-radius: 0.35em; vertical-align: middle; '
    'margin-left: 0.3rem">{label}</span></mark>'
)

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;color:#212529;background:#f8f9fa}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #dee2e6}
header h1{font-size:1.25em;margin:0 0 6px}
header .meta span{margin-right:16px;font-size:.9em;color:#495057}
.wrap{display:grid;grid-template-columns:300px 1fr;gap:0;align-items:start}
nav{position:sticky;top:0;max-height:100vh;overflow:auto;padding:12px 14px;border-right:1px solid #dee2e6;
background:#fff;font-size:.85em}
nav ul{list-style:none;padding-left:12px;margin:2px 0}
nav>ul{padding-left:0}
nav a{color:#1d3557;text-decoration:none}
nav a:hover{text-decoration:underline}
main{padding:16px 24px;background:#fff;min-height:100vh}
.measure{border-left:5px solid #adb5bd;margin:10px 0;padding:4px 10px;background:#fcfcfd}
.mlabel{font-size:.75em;font-weight:bold;color:#fff;display:inline-block;padding:1px 6px;border-radius:3px;margin-bottom:2px}
.badge{display:inline-block;font-size:.75em;padding:0 5px;border-radius:3px;color:#fff;margin-left:4px}
.legend mark{font-size:.8em;padding:1px 5px;border-radius:3px;margin-right:6px}
.entities{line-height:2.3;font-size:15px}
.entities br+br{display:none}
table.items{border-collapse:collapse;font-size:.8em;margin-top:18px}
table.items td,table.items th{border:1px solid #dee2e6;padding:2px 6px;text-align:left}
"""


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _color(label_kind: str) -> str:
    return COLORS.get(label_kind) or COLORS.get(label_kind.split("-")[0], "#ddd")


def _spans_of(doc: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """Candidate highlights: (start, end, kind, label, tip) for every item with a usable span."""
    out = []

    def ok(item: dict[str, Any]) -> tuple[int, int] | None:
        sp = item.get("span")
        if not (isinstance(sp, (list, tuple)) and len(sp) == 2):
            return None
        try:
            s, e = int(sp[0]), int(sp[1])
        except (TypeError, ValueError):
            return None
        return (s, e) if 0 <= s < e <= n else None

    for q in _list(doc.get("metrics")):
        if not isinstance(q, dict) or not (se := ok(q)):
            continue
        bits = [q.get("canonical") or q.get("name") or "", q.get("kind") or ""]
        if q.get("as_of"):
            bits.append(f"@{q['as_of']}")
        tip = (f"metric {q.get('name')} = {q.get('value')} {q.get('unit') or ''} "
               f"({q.get('comparator') or 'eq'}, base {q.get('base_value')} {q.get('base_unit') or ''})")
        out.append({"start": se[0], "end": se[1], "kind": "METRIC",
                    "label": "METRIC " + " ".join(b for b in bits if b), "tip": tip})
    for t in _list(doc.get("deadlines")):
        if not isinstance(t, dict) or not (se := ok(t)):
            continue
        when = t.get("date") or t.get("duration") or "?"
        if t.get("working_days"):
            when += " 工作日"
        out.append({"start": se[0], "end": se[1], "kind": "DEADLINE",
                    "label": f"DEADLINE {t.get('relation') or ''} {when}",
                    "tip": f"deadline {t.get('relation')} {when}; task: {t.get('task') or ''}"})
    for u in _list(doc.get("units")):
        if not isinstance(u, dict) or not (se := ok(u)):
            continue
        role = u.get("role") or "mentioned"
        canon = u.get("canonical")
        label = f"UNIT {role}" + (f" = {canon}" if canon and canon != u.get("name") else "")
        out.append({"start": se[0], "end": se[1], "kind": f"UNIT-{role}", "label": label,
                    "tip": f"organization {u.get('name')} ({role}); canonical: {canon or '-'}"})
    for r in _list(doc.get("regions")):
        if not isinstance(r, dict) or not (se := ok(r)):
            continue
        out.append({"start": se[0], "end": se[1], "kind": "REGION",
                    "label": f"REGION {r.get('code') or '?'}",
                    "tip": f"region {r.get('name')} {r.get('code') or ''} {r.get('level') or ''} "
                           f"{r.get('province') or ''}{r.get('city') or ''}{r.get('county') or ''}"})
    return out


def _resolve(spans: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Keep a non-overlapping subset, preferring kinds by PRIORITY then longer spans."""
    order = sorted(spans, key=lambda s: (PRIORITY.get(s["kind"].split("-")[0], 9), -(s["end"] - s["start"]), s["start"]))
    kept: list[dict[str, Any]] = []
    hidden: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for s in order:
        if any(s["start"] < e and b < s["end"] for b, e in taken):
            hidden.append(s)
            continue
        kept.append(s)
        taken.append((s["start"], s["end"]))
    kept.sort(key=lambda s: s["start"])
    for h in hidden:  # fold hidden items into their host's tooltip so nothing is lost
        for k in kept:
            if k["start"] < h["end"] and h["start"] < k["end"]:
                k["tip"] += " | also " + h["label"]
                break
    return kept, hidden


def _render_segment(text: str, spans: list[dict[str, Any]], offset: int) -> str:
    """displaCy entity markup for ``text`` (a slice starting at ``offset``)."""
    from spacy import displacy

    ents = []
    colors = {}
    for s in spans:
        label = html.escape(s["label"])
        colors[label.upper()] = _color(s["kind"])
        ents.append({"start": s["start"] - offset, "end": s["end"] - offset, "label": label,
                     "params": {"tip": html.escape(s["tip"], quote=True), "kind": s["kind"].lower()}})
    return displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True,
                           page=False, jupyter=False, options={"colors": colors, "template": TPL_ENT})


def _outline(doc: dict[str, Any]) -> str:
    """Nested list from ``sections`` if present, else from the measures' paths."""
    measures = [m for m in _list(doc.get("measures")) if isinstance(m, dict)]
    sections = doc.get("sections")
    if isinstance(sections, list) and sections and all(isinstance(s, dict) for s in sections):
        return _outline_sections(sections, measures)
    root: dict[str, Any] = {}
    for m in measures:
        node = root
        for p in _list(m.get("path")):
            node = node.setdefault(str(p), {})
        node.setdefault("\0measures", []).append(m)
    return _outline_tree(root) or "<p>(no measures)</p>"


def _measure_li(m: dict[str, Any]) -> str:
    inst = m.get("instrument")
    badge = (f'<span class="badge" style="background:{INSTRUMENT_COLORS.get(inst, "#adb5bd")}">'
             f'{html.escape(str(inst))} {html.escape(str(m.get("tool") or ""))}</span>') if inst else ""
    return (f'<li><a href="#{html.escape(str(m.get("id")))}">{html.escape(str(m.get("id")))} '
            f'{html.escape(str(m.get("heading") or "")[:40])}</a>{badge}</li>')


def _outline_tree(node: dict[str, Any]) -> str:
    items = []
    for key, child in node.items():
        if key == "\0measures":
            items.extend(_measure_li(m) for m in child)
        else:
            items.append(f"<li>{html.escape(key[:50])}{_outline_tree(child)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _outline_sections(sections: list[dict[str, Any]], measures: list[dict[str, Any]]) -> str:
    """Tree from ``parent`` ids (or nested ``children``); headed sections only, linked to their anchors."""
    by_measure = {str(m.get("id")): m for m in measures}
    kids: dict[Any, list[dict[str, Any]]] = {}

    def flatten(items: Iterable[Any], parent: Any, depth: int) -> None:
        for sec in items:
            if not isinstance(sec, dict) or depth > 12:
                continue
            kids.setdefault(sec.get("parent", parent), []).append(sec)
            flatten(_list(sec.get("children")), sec.get("id"), depth + 1)

    flatten(sections, None, 0)

    def rec(parent: Any, depth: int) -> str:
        lis = []
        for sec in kids.get(parent, []):
            sub = rec(sec.get("id"), depth + 1) if depth < 12 and sec.get("id") is not None else ""
            head = sec.get("heading")
            if not head:
                lis.append(sub[4:-5] if sub else "")  # unheaded (preamble, body): lift its children
                continue
            enum = str(sec.get("enumerator") or "")
            mid = sec.get("measure")
            target = str(mid) if mid and str(mid) in by_measure else f"sec-{sec.get('id')}"
            badge = ""
            if mid and str(mid) in by_measure:
                badge = _measure_li(by_measure[str(mid)]).split("</a>", 1)[1][:-5]
            lis.append(f'<li><a href="#{html.escape(target)}">{html.escape(enum)}{html.escape(str(head)[:48])}</a>'
                       f"{badge}{sub}</li>")
        return f"<ul>{''.join(lis)}</ul>" if any(lis) else ""

    return rec(None, 0) or "<p>(no headings)</p>"


def _section_starts(doc: dict[str, Any], n: int) -> dict[int, list[str]]:
    """Offsets where a headed section begins -> anchor ids, for the outline links."""
    out: dict[int, list[str]] = {}

    def walk(items: Iterable[Any], depth: int) -> None:
        for sec in items:
            if not isinstance(sec, dict) or depth > 12:
                continue
            sp = sec.get("span")
            if sec.get("heading") and isinstance(sp, (list, tuple)) and len(sp) == 2 and isinstance(sp[0], int) \
                    and 0 <= sp[0] < n:
                out.setdefault(sp[0], []).append(f"sec-{sec.get('id')}")
            walk(_list(sec.get("children")), depth + 1)

    walk(_list(doc.get("sections")), 0)
    return out


def render_html(doc: dict[str, Any]) -> str:
    """A self-contained HTML page (no external resources) for one extracted document."""
    text = doc.get("text") if isinstance(doc.get("text"), str) else ""
    meta = _dict(doc.get("meta"))
    region = meta.get("region") if isinstance(meta.get("region"), dict) else {}
    spans, hidden = _resolve(_spans_of(doc, len(text)))
    measures = sorted((m for m in _list(doc.get("measures")) if isinstance(m, dict)
                       and isinstance(m.get("span"), (list, tuple)) and len(m["span"]) == 2),
                      key=lambda m: m["span"][0])
    # cut the text into gaps and measure blocks; each block renders its own highlights
    blocks: list[tuple[int, int, dict[str, Any] | None]] = []
    pos = 0
    for m in measures:
        s, e = max(int(m["span"][0]), pos), min(int(m["span"][1]), len(text))
        if e <= s:
            continue
        if s > pos:
            blocks.append((pos, s, None))
        blocks.append((s, e, m))
        pos = e
    if pos < len(text):
        blocks.append((pos, len(text), None))
    starts = _section_starts(doc, len(text))
    if starts:
        inside_ent = [(sp["start"], sp["end"]) for sp in spans]
        cuts = sorted(o for o in starts if not any(a < o < b for a, b in inside_ent))
        split: list[tuple[int, int, dict[str, Any] | None]] = []
        for s, e, m in blocks:
            if m is not None:
                split.append((s, e, m))
                continue
            pos = s
            for o in cuts:
                if s < o < e:
                    split.append((pos, o, None))
                    pos = o
            split.append((pos, e, None))
        blocks = split
    parts = []
    j = 0
    for s, e, m in blocks:
        for anchor in starts.get(s, []):
            parts.append(f'<span id="{html.escape(anchor)}"></span>')
        inside = []
        while j < len(spans) and spans[j]["start"] < e:
            if spans[j]["end"] <= e and spans[j]["start"] >= s:
                inside.append(spans[j])
            else:
                hidden.append(spans[j])
            j += 1
        body = _render_segment(text[s:e], inside, s)
        if m is None:
            parts.append(body)
        else:
            inst = m.get("instrument")
            col = INSTRUMENT_COLORS.get(inst, "#adb5bd")
            lab = f"{m.get('id')} · {inst or 'unlabelled'}" + (f" · {m.get('tool')}" if m.get("tool") else "")
            if m.get("confidence") is not None:
                lab += f" · {float(m['confidence']):.2f}"
            parts.append(f'<section class="measure" id="{html.escape(str(m.get("id")))}" '
                         f'style="border-left-color:{col}"><div class="mlabel" style="background:{col}">'
                         f'{html.escape(lab)}</div> <b>{html.escape(str(m.get("heading") or ""))}</b>{body}</section>')
    if not text:
        parts.append("<p><i>This document was extracted without its text (--no-text); nothing to highlight.</i></p>")
    reg = (f"{region.get('name')} ({region.get('code') or 'no code'})" if region else "—")
    src = _dict(doc.get("source"))
    legend = "".join(f'<mark style="background:{c}">{html.escape(k)}</mark>' for k, c in COLORS.items())
    legend += "".join(f'<mark style="background:{c};color:#fff">measure: {html.escape(str(k))}</mark>'
                      for k, c in INSTRUMENT_COLORS.items() if k)
    counts = ", ".join(f"{len(_list(doc.get(k)))} {k}" for k in ("measures", "metrics", "units", "deadlines", "regions"))
    hidden_rows = "".join(
        f"<tr><td>{h['start']}–{h['end']}</td><td>{html.escape(text[h['start']:h['end']])}</td>"
        f"<td>{html.escape(h['label'])}</td></tr>" for h in sorted(hidden, key=lambda h: h["start"])[:500])
    hidden_html = (f"<details><summary>{len(hidden)} overlapping items shown only in tooltips</summary>"
                   f'<table class="items"><tr><th>span</th><th>text</th><th>label</th></tr>{hidden_rows}</table>'
                   f"</details>") if hidden else ""
    title = meta.get("title") or src.get("uri") or doc.get("id") or "notice"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(str(title))}</title>
<style>{CSS}</style></head><body>
<header><h1>{html.escape(str(title))}</h1><div class="meta">
<span>文号 {html.escape(str(meta.get('doc_number') or '—'))}</span>
<span>发文 {html.escape('、'.join(map(str, _list(meta.get('issuers')))) or '—')}</span>
<span>日期 {html.escape(str(meta.get('date') or '—'))}</span>
<span>地区 {html.escape(reg)}</span>
<span>来源 {html.escape(str(src.get('uri') or '—'))}</span>
<span>id {html.escape(str(doc.get('id') or ''))}</span></div>
<div class="meta"><span>{html.escape(counts)}</span></div>
<div class="legend">{legend}</div></header>
<div class="wrap"><nav><h3>Outline</h3>{_outline(doc)}</nav>
<main>{''.join(parts)}{hidden_html}</main></div>
<script type="application/json" id="pm-doc">{html.escape(json.dumps({k: doc.get(k) for k in ('id', 'meta', 'source')}, ensure_ascii=False))}</script>
</body></html>"""


def write_view(doc: dict[str, Any], out: str | Path) -> Path:
    """Write :func:`render_html` of ``doc`` to ``out``."""
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_html(doc), "utf-8")
    return p


def find_document(jsonl: str | Path, doc_id: str | None) -> dict[str, Any] | None:
    """The document of a ``documents.jsonl`` whose id starts with ``doc_id`` (first one if None)."""
    from .tables import iter_jsonl

    for d in iter_jsonl(jsonl):
        if doc_id is None or str(d.get("id", "")).startswith(doc_id):
            return d
    return None


def show_path(path: str, out: str | Path | None = None, doc_id: str | None = None) -> Path:
    """Extract ``path`` (or pick a document from a .jsonl / batch folder) and write its view page."""
    p = Path(path)
    if p.is_dir() or p.suffix == ".jsonl":
        from .tables import documents_path

        doc = find_document(documents_path(p), doc_id)
        if doc is None:
            raise ValueError(f"no document {doc_id or ''} in {path}")
    else:
        from .. import api
        from ..errors import IngestError

        if not p.is_file() and not path.startswith(("http://", "https://")):
            raise IngestError(path, "no such file")
        doc = api.extract_path(path)[0]
    name = (p.name if not (p.is_dir() or p.suffix == ".jsonl") else str(doc.get("id"))[:16]) or "notice"
    return write_view(doc, out or Path(f"{name}.view.html"))

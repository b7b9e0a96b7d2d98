"""The extraction pipeline: normalized text -> spaCy ``Doc`` -> components -> document dict.

Stages, in order (each a spaCy component over one shared ``Doc``):
 1. ``pm_meta``       title, 文号, issuers, date, region (``meta.py``)
 2. ``pm_structure``  section tree and measures (``structure.py``)
 3. ``pm_metrics``    quantities (``metrics.py``)
 4. ``pm_units``      responsible units and organizations (``units.py``)
 5. ``pm_regions``    administrative areas with codes (``regions.py``)
 6. ``pm_deadlines``  time expressions resolved against the anchor (``deadlines.py``)
 7. ``pm_classify``   policy instrument of each measure (``classify.py``)
 8. ``pm_link``       ids; each metric/unit/deadline gets the measure it falls in
Components are thin wrappers over ``find_*(text, ctx)`` functions that work on strings.

No component reads tokens, so ``analyze`` runs the stages over a plain stand-in for the Doc
(``doc._.pm`` and ``doc.text`` only) and never imports spaCy or segments the text: that keeps
startup under 2 s and the pipeline well above jieba's speed (benchmarks/run.py). The spaCy
pipeline (``get_nlp()``, segmented ``Doc``) gives the same result and is used by ``analyze``
when ``POLICYMINER_PIPELINE=spacy``; a component that needs words segments lazily with
``rules.segment.cutter``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import os
from typing import Any, Callable

from .context import DocContext

_NLP = None


def _ensure_extensions() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("pm"):
        Doc.set_extension("pm", default=None)


def _component(name: str, fn: Callable[[Any], None]) -> None:
    from spacy.language import Language

    if name not in Language.factories and name not in getattr(Language, "_components", {}):
        try:
            Language.component(name, func=lambda doc, _fn=fn: (_fn(doc), doc)[1])
        except ValueError:  # already registered in this process
            pass


def _ctx(doc: Any) -> DocContext:
    return doc._.pm["ctx"]


_MODULES: dict[str, Any] = {}


def _stage_fn(module: str, func: str) -> Callable[..., Any]:
    """A stage module's function. The module is imported on first use (importing the package
    stays cheap) and kept: an import statement per stage per document costs more than a
    dict lookup. The function is read off the module on every call, so a patched one runs."""
    mod = _MODULES.get(module)
    if mod is None:
        mod = _MODULES[module] = importlib.import_module(f"{__name__}.{module}")
    return getattr(mod, func)


def _run_meta(doc: Any) -> None:
    pm = doc._.pm
    ctx = _ctx(doc)
    meta = _stage_fn("meta", "find_meta")(ctx.text, pm["hints"], ctx)
    pm["meta"] = meta
    ctx.meta = meta
    ctx.region = meta.get("region")
    anchor = meta.get("date") or meta.get("published")
    if anchor:
        try:
            ctx.anchor = dt.date.fromisoformat(anchor)
        except ValueError:
            ctx.anchor = None


def _run_structure(doc: Any) -> None:
    ctx = _ctx(doc)
    sections, measures = _stage_fn("structure", "find_structure")(ctx.text, ctx)
    ctx.sections, ctx.measures = sections, measures
    doc._.pm["sections"], doc._.pm["measures"] = sections, measures


def _simple(key: str, module: str, func: str) -> Callable[[Any], None]:
    def run(doc: Any) -> None:
        ctx = _ctx(doc)
        doc._.pm[key] = _stage_fn(module, func)(ctx.text, ctx)

    return run


def _run_classify(doc: Any) -> None:
    _stage_fn("classify", "classify_measures")(doc._.pm.get("measures", []))


def _run_link(doc: Any) -> None:
    """Give ids, and attach every metric, unit and deadline to the measure containing it."""
    pm = doc._.pm
    measures = pm.get("measures", [])
    for i, m in enumerate(measures):
        m.setdefault("id", f"m{i + 1}")
    # the measures' starts, ends and ids read once into lists: the walk below runs per item
    # (thousands a document) and reads no dict of a measure
    starts = [m["span"][0] for m in measures]
    ends = [m["span"][1] for m in measures]
    ids = [m["id"] for m in measures]
    reach: list[int] = []  # reach[i]: furthest end among measures[:i+1] (stops the walk back early)
    far = -1
    for e in ends:
        far = e if e > far else far
        reach.append(far)
    bisect_right = bisect.bisect_right

    for key, prefix in (("metrics", "q"), ("units", None), ("deadlines", "t")):
        items = pm.get(key)
        if not items:
            continue
        for j, item in enumerate(items):
            if prefix and not item.get("id"):
                item["id"] = f"{prefix}{j + 1}"
            if item.get("measure") is None:
                span = item.get("span")
                if not span:
                    continue
                # the measure containing the span: the latest-starting one before it whose
                # span holds it (measure_of, inlined: a call per item costs more than the walk)
                a, b = span[0], span[1]
                i = bisect_right(starts, a) - 1
                found = None
                while i >= 0 and reach[i] >= b:
                    if starts[i] <= a and b <= ends[i]:
                        found = ids[i]
                        break
                    i -= 1
                item["measure"] = found
    # a metric governed by a 截至/截止 deadline earlier in its paragraph holds as of that date
    as_of = [d for d in pm.get("deadlines", []) if d.get("relation") == "as_of" and d.get("date")]
    if as_of:
        text = _ctx(doc).text  # Doc.text rebuilds the string from tokens on every call
        # deadlines sorted by start, found by bisection: a 2 MB bulletin is not metrics x deadlines
        order = sorted(range(len(as_of)), key=lambda k: as_of[k]["span"][0])
        d_starts = [as_of[k]["span"][0] for k in order]
        # per deadline, its paragraph's start and the first line break after it, each found in
        # one pass over the text (a flattened page has no line break: a search per metric
        # from the metric back to the paragraph start would be metrics x text)
        n_d = len(d_starts)
        para = [0] * n_d
        for k, d in enumerate(d_starts):
            prev = d_starts[k - 1] if k else 0
            cut = text.rfind("\n", prev, d)
            para[k] = cut + 1 if cut >= 0 else (para[k - 1] if k else 0)
        nl_after = [len(text)] * n_d
        for k in range(n_d - 1, -1, -1):
            nxt = d_starts[k + 1] if k + 1 < n_d else len(text)
            cut = text.find("\n", d_starts[k], nxt)
            nl_after[k] = cut if cut >= 0 else (nl_after[k + 1] if k + 1 < n_d else len(text))
        for metric in pm.get("metrics", []):
            if metric.get("as_of"):
                continue
            s = metric["span"][0]
            j = bisect.bisect_left(d_starts, s) - 1
            if j < 0 or nl_after[j] < s:  # no deadline before it in its paragraph
                continue
            # among deadlines starting in [para_start, s), the one latest in list order
            lo = bisect.bisect_left(d_starts, para[j])
            metric["as_of"] = as_of[max(order[lo:j + 1])]["date"]


STAGES: list[tuple[str, Callable[[Any], None]]] = [
    ("pm_meta", _run_meta),
    ("pm_structure", _run_structure),
    ("pm_metrics", _simple("metrics", "metrics", "find_metrics")),
    ("pm_units", _simple("units", "units", "find_units")),
    ("pm_regions", _simple("regions", "regions", "find_regions")),
    ("pm_deadlines", _simple("deadlines", "deadlines", "find_deadlines")),
    ("pm_classify", _run_classify),
    ("pm_link", _run_link),
]


def build_nlp(segmenter: str | None = None) -> Any:
    """``spacy.blank("zh")`` with a jieba segmenter, our user dictionary and our components.

    ``segmenter``: "rjieba" (default when installed; jieba's dictionary, Rust speed) or "jieba".
    """
    import jieba

    jieba.setLogLevel(60)  # before spaCy builds the jieba tokenizer, which logs on stderr
    import spacy

    from ..rules.segment import SegmenterTokenizer, default_segmenter, load_user_dict

    _ensure_extensions()
    segmenter = segmenter or default_segmenter()
    if segmenter == "rjieba":  # "char" builds no jieba tokenizer (its dictionary load costs seconds)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
        nlp.tokenizer = SegmenterTokenizer(nlp.vocab, "rjieba")
    else:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        load_user_dict("jieba")
    for name, fn in STAGES:
        _component(name, fn)
        nlp.add_pipe(name)
    return nlp


def get_nlp() -> Any:
    """The process-wide pipeline, built once."""
    global _NLP
    if _NLP is None:
        _NLP = build_nlp()
    return _NLP


class _Underscore:
    __slots__ = ("pm",)

    def __init__(self) -> None:
        self.pm: dict[str, Any] | None = None


class PlainDoc:
    """What the stages read of a spaCy ``Doc`` (``text`` and ``doc._.pm``), without tokens."""

    __slots__ = ("text", "_")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ = _Underscore()


def use_spacy() -> bool:
    """``POLICYMINER_PIPELINE=spacy`` runs the stages as spaCy components over a segmented Doc."""
    return os.environ.get("POLICYMINER_PIPELINE", "").strip().lower() == "spacy"


def analyze(text: str, hints: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run every component over normalized ``text``; return the parts of the document dict."""
    pm_init = {"ctx": DocContext(text=text), "hints": dict(hints or {})}
    if use_spacy():
        nlp = get_nlp()
        _ensure_extensions()
        doc = nlp.make_doc(text)
        doc._.pm = pm_init
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
    else:
        doc = PlainDoc(text)
        doc._.pm = pm_init
        for _name, fn in STAGES:
            fn(doc)
    pm = doc._.pm
    warnings = pm["ctx"].warnings  # only when a stage met a problem: the usual result keeps its keys
    return {
        "meta": pm.get("meta", {}),
        "sections": pm.get("sections", []),
        "measures": pm.get("measures", []),
        "metrics": pm.get("metrics", []),
        "units": pm.get("units", []),
        "regions": pm.get("regions", []),
        "deadlines": pm.get("deadlines", []),
        **({"warnings": list(warnings)} if warnings else {}),
    }

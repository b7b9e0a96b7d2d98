"""Build the measure classifier: candidates and baselines compared by grouped
cross-validation on the labelled measures, the winner refit on them plus the gold measures of
``corpora/dev`` and ``corpora/seeds``, and written in skops format. Each gold corpus is scored
by a model fitted without it, which ``policyminer eval`` uses too (``classify.heldout``).

Everything is seeded, single-threaded and order-stable, so ``train(..., seed=0)`` gives the
same model and the same scores on every run (a test checks this against the shipped file).
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from . import TOOLS, instrument_of
from .features import jieba_words, measure_text, select_body, select_heading
from .heldout import HELDOUT_DIR, fingerprint, gold_measures
from .keywords import keyword_matrix, keyword_predict

DEFAULT_DATA = Path("corpora/measures/measures.jsonl")
DEFAULT_OUT = Path("src/policyminer/data/models/instrument.skops")
GOLD_DIRS = (Path("corpora/dev/gold"), Path("corpora/seeds/gold"))
N_FOLDS = 5

# Candidate pipelines: (name, parameters). ``alpha`` > 0 adds an instrument model over the same
# features and decides jointly (model.JointModel); ``alpha`` 0 derives the instrument from the
# best tool. Chosen by cross-validated tool macro-F1 + instrument accuracy (``_selection``).
CANDIDATES: list[tuple[str, dict[str, Any]]] = [
    ("svm_text", {"clf": "svm", "C": 1.0, "body_weight": 0.5, "kw_weight": 0.0, "alpha": 0.0}),
    ("svm_text1_kw", {"clf": "svm", "C": 1.0, "body_weight": 1.0, "kw_weight": 1.0, "alpha": 0.0}),
    ("svm_text1b_kw", {"clf": "svm", "C": 1.0, "body_weight": 1.0, "body_lo": 1, "kw_weight": 1.0, "alpha": 0.0}),
    ("joint1_text1b_kw", {"clf": "svm", "C": 1.0, "body_weight": 1.0, "body_lo": 1, "kw_weight": 1.0, "alpha": 1.0}),
    ("joint2_text1b_kw", {"clf": "svm", "C": 1.0, "body_weight": 1.0, "body_lo": 1, "kw_weight": 1.0, "alpha": 2.0}),
]


def _selection(sc: dict[str, float]) -> tuple[float, float]:
    """What the winner maximizes: tool macro-F1 plus instrument accuracy (both are targets),
    ties broken by tool accuracy."""
    return (round(sc["tool_macro_f1"] + sc["instrument_accuracy"], 4), sc["tool_accuracy"])


def _features_key(params: dict[str, Any]) -> str:
    """Candidates differing only in ``alpha`` share fitted models during cross-validation."""
    return json.dumps({k: v for k, v in params.items() if k != "alpha"}, sort_keys=True)


# --------------------------------------------------------------------------- data

def load_corrections(path: str | Path) -> dict[str, str]:
    """Adjudicated tools by measure id (``corrections.jsonl`` beside the data; absent: none).

    Why a separate file: the first-pass labels stay in the data as the labellers' record, and
    every later decision (adjudicated disagreements, convention fixes) is kept with its reason."""
    p = Path(path).with_name("corrections.jsonl")
    out: dict[str, str] = {}
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                c = json.loads(line)
                if c.get("tool") in TOOLS:
                    out[str(c["id"])] = c["tool"]
    return out


def load_labelled(path: str | Path) -> tuple[list[str], list[str], list[str]]:
    """Model inputs, tool labels (corrections applied) and source-document groups from the labelled JSONL."""
    X: list[str] = []
    y: list[str] = []
    groups: list[str] = []
    fixed = load_corrections(path)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            r["tool"] = fixed.get(str(r.get("id")), r.get("tool"))
            if r.get("tool") not in TOOLS:
                continue
            X.append(measure_text(r.get("heading"), r.get("text")))
            y.append(r["tool"])
            src = r.get("source") or {}
            groups.append(f"{src.get('repo', '')}/{src.get('path', '')}" if isinstance(src, dict) else str(src))
    return X, y, groups


def load_gold(dirs: Iterable[str | Path] = GOLD_DIRS) -> dict[str, tuple[list[str], list[str]]]:
    """Gold measure headings per corpus, keyed by the corpus folder name (``dev``, ``seeds``)."""
    return {Path(d).parent.name: gold_measures(d) for d in dirs}


# --------------------------------------------------------------------------- model

def build_pipeline(params: dict[str, Any], seed: int = 0) -> Any:
    """TF-IDF over jieba words and character n-grams of the heading (plus, optionally,
    character n-grams of the body start and the keyword-rule cue counts), then a linear
    model with calibrated probabilities (sigmoid-calibrated LinearSVC, or logistic regression)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    parts = [
        ("head_words", Pipeline([
            ("sel", FunctionTransformer(select_heading)),
            ("tfidf", TfidfVectorizer(tokenizer=jieba_words, token_pattern=None, lowercase=False,
                                      ngram_range=(1, 2), sublinear_tf=True)),
        ])),
        ("head_chars", Pipeline([
            ("sel", FunctionTransformer(select_heading)),
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False, sublinear_tf=True,
                                      min_df=2)),
        ])),
    ]
    weights = {"head_words": 1.0, "head_chars": 1.0}
    if params.get("body_weight", 0) > 0:
        parts.append(("body_chars", Pipeline([
            ("sel", FunctionTransformer(select_body)),
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(int(params.get("body_lo", 2)), 3),
                                      lowercase=False, sublinear_tf=True, min_df=2)),
        ])))
        weights["body_chars"] = float(params["body_weight"])
    if params.get("kw_weight", 0) > 0:
        parts.append(("keywords", FunctionTransformer(keyword_matrix)))
        weights["keywords"] = float(params["kw_weight"])
    features = FeatureUnion(parts, transformer_weights=weights)
    if params["clf"] == "lr":
        clf: Any = LogisticRegression(C=params["C"], max_iter=3000, random_state=seed)
    else:
        clf = CalibratedClassifierCV(
            LinearSVC(C=params["C"], random_state=seed, max_iter=10000),
            method="sigmoid", cv=StratifiedKFold(3, shuffle=True, random_state=seed), ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


# --------------------------------------------------------------------------- scoring

def score(y_true: list[str], y_pred: list[str]) -> dict[str, float]:
    """Tool accuracy, tool macro-F1 (over tools present in y_true) and instrument accuracy."""
    from sklearn.metrics import f1_score

    n = len(y_true)
    if not n:
        return {"n": 0, "tool_accuracy": 0.0, "tool_macro_f1": 0.0, "instrument_accuracy": 0.0}
    labels = sorted(set(y_true))
    return {
        "n": n,
        "tool_accuracy": round(sum(a == b for a, b in zip(y_true, y_pred)) / n, 4),
        "tool_macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "instrument_accuracy": round(sum(instrument_of(a) == instrument_of(b) for a, b in zip(y_true, y_pred)) / n, 4),
    }


def _majority_predict(y_train: list[str], n: int) -> list[str]:
    top = sorted(Counter(y_train).items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return [top] * n


def _cross_validate(X: list[str], y: list[str], groups: list[str], seed: int) -> dict[str, dict[str, float]]:
    """Out-of-fold predictions per candidate and baseline; folds never split a source document."""
    from sklearn.model_selection import StratifiedGroupKFold

    from .model import JointModel

    folds = list(StratifiedGroupKFold(N_FOLDS, shuffle=True, random_state=seed).split(X, y, groups))
    Xa = np.array(X, dtype=object)
    ya = np.array(y, dtype=object)
    ia = np.array([instrument_of(t) for t in y], dtype=object)
    preds: dict[str, list[str | None]] = {name: [None] * len(y) for name, _ in CANDIDATES}
    preds["majority"] = [None] * len(y)
    preds["keywords"] = keyword_predict(X)
    configs: dict[str, tuple[dict[str, Any], bool]] = {}
    for _, params in CANDIDATES:
        key = _features_key(params)
        configs[key] = (params, configs.get(key, (params, False))[1] or params.get("alpha", 0) > 0)
    for tr, te in folds:
        Xtr, Xte = list(Xa[tr]), list(Xa[te])
        fitted: dict[str, tuple[Any, Any]] = {}
        for key, (params, needs_inst) in configs.items():
            tool = build_pipeline(params, seed).fit(Xtr, list(ya[tr]))
            inst = build_pipeline(params, seed).fit(Xtr, list(ia[tr])) if needs_inst else None
            fitted[key] = (tool, inst)
        for name, params in CANDIDATES:
            tool, inst = fitted[_features_key(params)]
            model = JointModel(tool, inst, params.get("alpha", 0.0))
            for i, p in zip(te, model.predict(Xte)):
                preds[name][i] = str(p)
        for i, p in zip(te, _majority_predict(list(ya[tr]), len(te))):
            preds["majority"][i] = p
    return {name: score(y, [str(p) for p in ps]) for name, ps in preds.items()}


def fit_model(params: dict[str, Any], X: list[str], y: list[str], seed: int = 0) -> dict[str, Any]:
    """The shipped object: tool pipeline, instrument pipeline (None when ``alpha`` is 0), alpha."""
    tool = build_pipeline(params, seed).fit(X, y)
    alpha = float(params.get("alpha", 0.0))
    inst = build_pipeline(params, seed).fit(X, [instrument_of(t) for t in y]) if alpha > 0 else None
    return {"tool": tool, "instrument": inst, "alpha": alpha}


def _heldout_one(model: Any, X: list[str], y: list[str], y_train: list[str]) -> dict[str, Any]:
    if not X:
        return {}
    return {
        "model": score(y, [str(p) for p in model.predict(X)]),
        "keywords": score(y, keyword_predict(X)),
        "majority": score(y, _majority_predict(y_train, len(y))),
    }


def _strip(model: Any) -> None:
    """Drop the vectorizers' ``stop_words_`` (terms cut by min_df, kept only for inspection):
    they would be most of the model file."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if model is None:
        return
    for _, part in model.named_steps["features"].transformer_list:
        steps = part.named_steps.values() if hasattr(part, "named_steps") else [part]
        for step in steps:
            if isinstance(step, TfidfVectorizer) and hasattr(step, "stop_words_"):
                del step.stop_words_


# --------------------------------------------------------------------------- entry point

def train(data_path: str | Path = DEFAULT_DATA, out_path: str | Path = DEFAULT_OUT, seed: int = 0,
          gold_dirs: Iterable[str | Path] = GOLD_DIRS, heldout_dir: str | Path = HELDOUT_DIR) -> dict[str, Any]:
    """Cross-validate on the labelled measures, pick, refit on them plus every gold corpus, and
    write ``out_path`` (skops) plus ``<out_path stem>.scores.json``.

    For each gold corpus it also fits the same pipeline *without* that corpus's gold, scores it
    there (``heldout`` in the scores) and writes it to ``heldout_dir`` as
    ``<stem>-without-<corpus>.skops``: ``policyminer eval`` uses it, so no corpus is ever scored
    by a model trained on its own gold (``classify.heldout``). Returns the scores.
    Deterministic for a given seed."""
    import sklearn
    import skops
    import skops.io as sio

    from ..commands import write_atomic
    from .model import JointModel

    t0 = time.perf_counter()
    X, y, groups = load_labelled(data_path)
    cv = _cross_validate(X, y, groups, seed)
    best_name, best_params = max(CANDIDATES, key=lambda c: _selection(cv[c[0]]))
    gold = load_gold(gold_dirs)
    out = Path(out_path)
    heldout_dir = Path(heldout_dir)

    def fit_with_gold(skip: str | None) -> dict[str, Any]:
        Xa, ya = list(X), list(y)
        for corpus, (Xg, yg) in gold.items():
            if corpus != skip:
                Xa += Xg
                ya += yg
        return fit_model(best_params, Xa, ya, seed)

    def dump(parts: dict[str, Any], path: Path) -> None:
        # written beside the target and renamed: a killed run never leaves half a model file
        _strip(parts["tool"])
        _strip(parts["instrument"])
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        sio.dump(parts, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        os.replace(tmp, path)

    heldout: dict[str, Any] = {}
    in_training: dict[str, Any] = {}
    for corpus, (Xg, yg) in gold.items():
        parts = fit_with_gold(skip=corpus)
        heldout[corpus] = _heldout_one(JointModel(parts["tool"], parts["instrument"], parts["alpha"]), Xg, yg, y)
        path = heldout_dir / f"{out.stem}-without-{corpus}.skops"
        dump(parts, path)
        in_training[corpus] = {"n": len(yg), "sha256": fingerprint(Xg, yg),
                               "without_model": path.as_posix()}
    parts = fit_with_gold(skip=None)
    result: dict[str, Any] = {
        "chosen": best_name,
        "params": best_params,
        "seed": seed,
        "n_train": len(y),
        "n_gold_train": sum(len(yg) for _, yg in gold.values()),
        "n_corrected": len(load_corrections(data_path)),
        "n_documents": len(set(groups)),
        "label_counts": dict(sorted(Counter(y).items())),
        "cv_folds": N_FOLDS,
        "cv": cv,
        "heldout": heldout,
        "heldout_note": "each gold corpus scored by the model trained on the labelled data plus the other gold corpora",
        "gold_in_training": in_training,
        "selection": "tool_macro_f1 + instrument_accuracy (cross-validated on the labelled data), then tool_accuracy",
        "versions": {"scikit-learn": sklearn.__version__, "skops": skops.__version__},
    }
    dump(parts, out)
    write_atomic(out.with_name(out.stem + ".scores.json"),
                 json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result


if __name__ == "__main__":  # pragma: no cover
    import sys

    res = train(*(sys.argv[1:3] or ()))
    print(json.dumps(res, ensure_ascii=False, indent=1))

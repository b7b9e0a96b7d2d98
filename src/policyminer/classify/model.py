"""The shipped measure classifier: loaded once from ``data/models/instrument.skops``.

The file holds two fitted pipelines over the same features: a tool model (15 classes) and an
instrument model (supply/environment/demand), plus the exponent ``alpha`` of the joint
decision ``P(tool) * P(instrument of tool) ** alpha`` (``JointModel``). The instrument gets its
own model because a tool-only model spreads an instrument's mass over several similar tools
(S3/S4/S5, D2/D3), so the single best tool can belong to the less likely instrument.

skops loads only the types it is told to trust. ``TRUSTED_TYPES`` names, beyond the
scikit-learn/numpy types skops trusts by default, exactly the functions and classes our
pipeline is built from; a model file that needs anything else is refused (and the keyword
rules are used instead), so a swapped model file can never run arbitrary code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from . import instrument_of
from .features import measure_text
from .keywords import keyword_tool

MODEL_RESOURCE = ("models", "instrument.skops")
#: predictions whose calibrated probability is below this are kept but flagged as uncertain
#: in the model card; callers filter with ``m["confidence"] < LOW_CONFIDENCE``
LOW_CONFIDENCE = 0.5
TRUSTED_TYPES: tuple[str, ...] = (
    "policyminer.classify.features.jieba_words",
    "policyminer.classify.features.select_body",
    "policyminer.classify.features.select_heading",
    "policyminer.classify.keywords.keyword_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
)

_MODEL: Any = None
_LOADED = False


def model_path() -> Path:
    """Where the packaged model file lives (works from an installed wheel too)."""
    ref = resources.files("policyminer.data").joinpath(MODEL_RESOURCE[0]).joinpath(MODEL_RESOURCE[1])
    return Path(str(ref))


class JointModel:
    """Tool and instrument models combined (not serialized itself: built at load time).

    ``predict_proba`` gives the joint tool scores ``P(tool) * Q(instrument(tool)) ** alpha``,
    renormalized per row; ``tool_proba`` the calibrated tool model alone (used as confidence).
    With no instrument model or ``alpha == 0`` it is the tool model.
    """

    def __init__(self, tool: Any, instrument: Any = None, alpha: float = 0.0) -> None:
        import numpy as np

        self.tool = tool
        self.instrument = instrument
        self.alpha = float(alpha)
        self.classes_ = tool.classes_
        self._cols = None
        if instrument is not None and self.alpha > 0:
            icls = [str(c) for c in instrument.classes_]
            self._cols = np.array([icls.index(instrument_of(str(c)) or "") for c in self.classes_])

    def tool_proba(self, docs: list[str]) -> Any:
        return self.tool.predict_proba(docs)

    def joint(self, P: Any, docs: list[str]) -> Any:
        """Joint scores from already computed tool probabilities ``P``."""
        import numpy as np

        if self._cols is None:
            return P
        Q = self.instrument.predict_proba(docs)[:, self._cols]
        J = P * Q ** self.alpha
        den = J.sum(axis=1, keepdims=True)
        return np.divide(J, den, out=np.array(P, dtype=float), where=den > 0)

    def predict_proba(self, docs: list[str]) -> Any:
        return self.joint(self.tool_proba(docs), docs)

    def predict(self, docs: list[str]) -> Any:
        return self.classes_[self.predict_proba(docs).argmax(axis=1)]


def _unpack(obj: Any) -> tuple[Any, Any, float]:
    """(tool pipeline, instrument pipeline or None, alpha) from a loaded model file; an older
    file with a bare tool pipeline has no instrument model."""
    if isinstance(obj, dict):
        return obj["tool"], obj.get("instrument"), float(obj.get("alpha", 0.0))
    return obj, None, 0.0


def load_model(path: str | Path | None = None) -> Any:
    """The fitted ``JointModel`` (plain scikit-learn parts), or None when the file is missing,
    unreadable or needs untrusted types."""
    import skops.io as sio

    p = Path(path) if path is not None else model_path()
    try:
        return JointModel(*_unpack(sio.load(p, trusted=list(TRUSTED_TYPES))))
    except Exception:  # missing file, corrupt file, or a type we do not trust
        return None


def get_model() -> Any:
    """The packaged model, loaded on first use (wrapped in the fast scorer when that reproduces it)."""
    global _MODEL, _LOADED
    if not _LOADED:
        _MODEL = _fast_or_plain(load_model())
        _LOADED = True
    return _MODEL


class _FastScorer:
    """The same probabilities as the fitted pipeline, without scikit-learn's per-call overhead.

    Per document the pipeline is called once with a handful of measures, where input validation
    and per-class calibrator calls cost more than the arithmetic. This replays the fitted
    vectorizers (analyzer, vocabulary, idf, sublinear tf, l2 norm, union weights), the LinearSVC
    decision function and the sigmoid calibration with numpy; ``_fast_or_plain`` only uses it
    after checking that it reproduces ``predict_proba``.
    """

    def __init__(self, model: Any) -> None:
        import numpy as np

        union = model.named_steps["features"]
        weights = union.transformer_weights or {}
        self.parts: list[tuple[Any, Any, dict[str, int] | None, Any, float]] = []
        for name, part in union.transformer_list:
            w = float(weights.get(name, 1.0))
            if hasattr(part, "named_steps"):
                sel = part.named_steps["sel"].func
                vec = part.named_steps["tfidf"]
                if vec.norm != "l2" or not vec.sublinear_tf or not vec.use_idf:
                    raise ValueError("unsupported vectorizer settings")
                self.parts.append((sel, vec.build_analyzer(), vec.vocabulary_, vec.idf_, w))
            else:
                self.parts.append((part.func, None, None, None, w))
        cal = model.named_steps["clf"]
        if len(cal.calibrated_classifiers_) != 1:
            raise ValueError("ensemble calibration not supported")
        cc = cal.calibrated_classifiers_[0]
        est = cc.estimator
        self.coef = np.asarray(est.coef_, dtype=float)
        self.intercept = np.asarray(est.intercept_, dtype=float)
        self.a = np.array([c.a_ for c in cc.calibrators], dtype=float)
        self.b = np.array([c.b_ for c in cc.calibrators], dtype=float)
        if len(self.a) != self.coef.shape[0]:
            raise ValueError("one calibrator per class expected")
        self.classes_ = cal.classes_
        self.model = model

    def _features(self, docs: list[str]) -> Any:
        import math

        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        blocks = []
        for sel, analyzer, vocab, idf, w in self.parts:
            if analyzer is None:  # a plain FunctionTransformer step (keyword cue counts)
                blocks.append(sel(docs) * w)
                continue
            rows, cols, vals = [], [], []
            for i, d in enumerate(sel(docs)):
                counts: dict[int, int] = {}
                for tok in analyzer(d):
                    j = vocab.get(tok)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                js = sorted(counts)
                v = np.array([(1.0 + math.log(counts[j])) * idf[j] for j in js])
                v *= w / np.sqrt((v * v).sum())
                rows += [i] * len(js)
                cols += js
                vals += v.tolist()
            blocks.append(csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab))))
        return hstack(blocks, format="csr")

    def predict_proba(self, docs: list[str]) -> Any:
        import numpy as np

        X = self._features(list(docs))
        df = X @ self.coef.T + self.intercept
        proba = 1.0 / (1.0 + np.exp(self.a * df + self.b))
        den = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / proba.shape[1])
        proba = np.divide(proba, den, out=uniform, where=den != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def predict(self, docs: list[str]) -> Any:
        return self.classes_[self.predict_proba(docs).argmax(axis=1)]


_CHECK = ["加大金融支持\n银行要加大信贷投放", "成立工作专班\n", "\n", "x\n" + "供水" * 50, "落实税费减免政策\n对受疫情影响的企业减免房产税"]


def _fast_or_plain(model: Any) -> Any:
    """The joint model with each part replaced by its fast scorer where that reproduces it."""
    if model is None:
        return None
    if isinstance(model, JointModel):
        inst = _fast_or_plain(model.instrument) if model.instrument is not None else None
        return JointModel(_fast_or_plain(model.tool), inst, model.alpha)
    try:
        import numpy as np

        fast = _FastScorer(model)
        if np.allclose(fast.predict_proba(_CHECK), model.predict_proba(_CHECK), rtol=0, atol=1e-9):
            return fast
    except Exception:  # any layout we do not replay exactly: use scikit-learn
        pass
    return model


def predict(items: list[tuple[str | None, str | None]], model: Any = None) -> list[tuple[str, str, float]]:
    """(tool, instrument, confidence) for each (heading, text); keyword rules if no model.

    The tool is the best joint score (tool and instrument models); ``confidence`` is the tool
    model's calibrated probability of that tool, so a tool picked because its instrument is
    likely, against the tool model's own first choice, shows up as low confidence."""
    if not items:
        return []
    docs = [measure_text(h, t) for h, t in items]
    model = model if model is not None else get_model()
    if model is None:
        out = []
        for d in docs:
            h, _, b = d.partition("\n")
            tool = keyword_tool(h, b)
            out.append((tool, instrument_of(tool) or "", 0.0))
        return out
    if isinstance(model, JointModel):
        P = model.tool_proba(docs)
        J = model.joint(P, docs)
    else:  # a bare fitted pipeline
        P = J = model.predict_proba(docs)
    classes = [str(c) for c in model.classes_]
    out = []
    for prow, jrow in zip(P, J):
        i = int(jrow.argmax())
        out.append((classes[i], instrument_of(classes[i]) or "", round(float(prow[i]), 3)))
    return out

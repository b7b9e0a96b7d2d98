"""The shipped measure classifier: loaded once from ``data/models/instrument.skops``.

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


def load_model(path: str | Path | None = None) -> Any:
    """The fitted pipeline, or None when the file is missing, unreadable or needs untrusted types."""
    import skops.io as sio

    p = Path(path) if path is not None else model_path()
    try:
        return sio.load(p, trusted=list(TRUSTED_TYPES))
    except Exception:  # missing file, corrupt file, or a type we do not trust
        return None


def get_model() -> Any:
    """The packaged model, loaded on first use."""
    global _MODEL, _LOADED
    if not _LOADED:
        _MODEL = load_model()
        _LOADED = True
    return _MODEL


def predict(items: list[tuple[str | None, str | None]], model: Any = None) -> list[tuple[str, str, float]]:
    """(tool, instrument, confidence) for each (heading, text); keyword rules if no model."""
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
    proba = model.predict_proba(docs)
    classes = [str(c) for c in model.classes_]
    out = []
    for row in proba:
        i = int(row.argmax())
        out.append((classes[i], instrument_of(classes[i]) or "", round(float(row[i]), 3)))
    return out

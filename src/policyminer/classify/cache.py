"""The model cache (issue 10): the fast scorer of a model file, stored so that a process can
rebuild it with numpy alone.

Loading the skops file imports scikit-learn, scipy and pandas (~3 s of CPU per process), though
predictions only ever use the fast scorer (``model._FastScorer``). Once a model file has been
loaded and its fast scorer checked against ``predict_proba``, the scorer's arrays are written to
a cache file named by the model file's SHA-256; a later process rebuilds the scorer from it with
numpy alone. The cache is derived data: written atomically, read without pickle, and ignored
(then rewritten) when it does not load, does not match this code's format, or does not reproduce
the check probabilities it stores. Functions are stored by name and only trusted ones
(``model.TRUSTED_TYPES``) are resolved.

Interface: ``load(model_file)`` gives the fast model (from the cache, else from the file, then
cached); ``cache_dir()`` and ``cache_file(model_file)`` say where; ``read`` and ``write`` are the
file format, ``file_sha256`` the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import model as _model
from .model import (_CHECK, _SEPARATORS, TRUSTED_TYPES, JointModel, _char_terms, _fast_or_plain, _FastScorer,
                    _Features, _KeyTable, _PairScorer, _word_terms)

#: 2: one int64 per key table slot and the character map (``model._char_map``); 1 had (key, value) pairs
CACHE_FORMAT = 2
CACHE_ENV = "POLICYMINER_CACHE_DIR"


def cache_dir() -> Path:
    """``$POLICYMINER_CACHE_DIR``, else ``$XDG_CACHE_HOME/policyminer``, else ``~/.cache/policyminer``."""
    import os

    d = os.environ.get(CACHE_ENV)
    if d:
        return Path(d)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg if xdg else Path.home() / ".cache") / "policyminer"


def file_sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_file(path: Path, sha: str | None = None) -> Path | None:
    """Where the cache of the model file ``path`` lives (None when the file cannot be read)."""
    try:
        sha = sha or file_sha256(path)
        # the format in the name: processes of two code versions do not keep replacing each other's cache
        return cache_dir() / f"instrument-{sha[:16]}-f{CACHE_FORMAT}.npz"
    except Exception:
        return None


def load(path: Path) -> Any:
    """The fast model of ``path``: from the cache when it holds it, else loaded and cached."""
    try:
        sha: str | None = file_sha256(path)
    except OSError:
        sha = None
    f = cache_file(path, sha) if sha else None
    if f is not None and f.exists():
        try:
            return read(f, sha)
        except Exception:  # corrupt, stale format, other code: rebuild below
            pass
    model = _fast_or_plain(_model.load_model(path))  # (model.load_model, looked up when called)
    if f is not None and model is not None:
        try:
            write(model, f, sha)
        except Exception:  # no cache dir, read-only, disk full, a model the cache cannot hold
            pass
    return model


def _resolve(name: str) -> Any:
    """A trusted policyminer function by its qualified name (the only names a cache may hold)."""
    import importlib

    if name not in TRUSTED_TYPES or not name.startswith("policyminer."):
        raise ValueError(f"untrusted function {name!r}")
    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _version() -> str:
    try:
        from .. import __version__

        return str(__version__)
    except Exception:
        return ""


def _check_outputs(model: JointModel) -> tuple[Any, Any]:
    return model.tool_and_joint(list(_CHECK))


def write(model: Any, f: Path, sha: str) -> None:
    """Write the fast scorer state of ``model`` to ``f`` (atomically); raises when it cannot be
    cached (a part that is not a fast scorer, an analyzer or function the cache cannot name)."""
    import json
    import os
    import tempfile

    import numpy as np

    if not isinstance(model, JointModel) or not isinstance(model.tool, _FastScorer):
        raise ValueError("not a fast model")
    if model.instrument is not None and not isinstance(model.instrument, _FastScorer):
        raise ValueError("not a fast model")
    arrays: dict[str, Any] = {}
    feature_sets: list[_Features] = []
    meta_features: list[Any] = []
    scorers: dict[str, Any] = {}
    for role, sc in (("tool", model.tool), ("instrument", model.instrument)):
        if sc is None:
            continue
        fs = sc.features
        if not any(fs is g for g in feature_sets):
            i = len(feature_sets)
            feature_sets.append(fs)
            meta_features.append(_features_state(fs, f"f{i}_", arrays))
        fi = next(i for i, g in enumerate(feature_sets) if g is fs)
        classes = np.asarray(sc.classes_)
        if not all(isinstance(c, str) for c in classes.tolist()):
            raise ValueError("classes that are not strings")
        scorers[role] = {"features": fi, "classes_object": classes.dtype == object}
        arrays[f"{role}_classes"] = classes.astype(str)
        arrays[f"{role}_coefT"] = sc.coefT
        arrays[f"{role}_intercept"] = sc.intercept
        arrays[f"{role}_a"] = sc.a
        arrays[f"{role}_b"] = sc.b
    P, J = _check_outputs(model)
    arrays["check_P"], arrays["check_J"] = np.asarray(P, dtype=float), np.asarray(J, dtype=float)
    meta = {"format": CACHE_FORMAT, "version": _version(), "sha256": sha, "alpha": model.alpha,
            "pair": model.pair is not None, "features": meta_features, "scorers": scorers}
    arrays["meta"] = np.array(json.dumps(meta))
    f.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f.name + ".", suffix=".tmp", dir=f.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, f)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _features_state(fs: _Features, prefix: str, arrays: dict[str, Any]) -> dict[str, Any]:
    """The metadata of ``fs`` (JSON) and its arrays (into ``arrays`` under ``prefix``)."""
    import numpy as np

    if fs.specs is None:
        raise ValueError("a feature part the cache cannot rebuild")
    parts = []
    texts = iter(fs.text_parts)
    funcs = iter(fs.func_parts)
    for k, spec in enumerate(fs.specs):
        key = f"{prefix}p{k}_"
        if spec["kind"] == "func":
            func = next(funcs)[0]
            if _part_function(spec["func"]) is not func:
                raise ValueError("a function the cache cannot name")
            parts.append(spec)
            continue
        sel = next(texts)[0]
        if _resolve(spec["sel"]) is not sel:
            raise ValueError("a selector the cache cannot name")
        part = {k2: spec[k2] for k2 in ("kind", "sel", "lo", "hi")}
        if spec["kind"] == "char":
            table = spec["table"]
            part["sep"] = spec["sep"]
            part["reach"] = int(len(table.steps))
            part["vbits"] = int(table.vbits)
            arrays[key + "slots"] = table.slots
            arrays[key + "cmap"] = spec["cmap"]
        else:  # word
            _resolve(spec["tokenizer"])
            part["tokenizer"] = spec["tokenizer"]
            terms = list(spec["cols"])
            arrays[key + "terms"] = np.frombuffer("".join(terms).encode("utf-8", "surrogatepass"), dtype=np.uint8)
            arrays[key + "lens"] = np.array([len(t) for t in terms], dtype=np.int64)
            arrays[key + "cols"] = np.array(list(spec["cols"].values()), dtype=np.int64)
        parts.append(part)
    arrays[prefix + "idf"] = fs.idf
    arrays[prefix + "part_weights"] = fs.part_weights
    return {"n_features": fs.n_features, "parts": parts}


def _part_function(name: str) -> Any:
    """The function the fast scorer calls for a function part named ``name`` (see ``_Features``)."""
    from .keywords import keyword_features, keyword_matrix

    func = _resolve(name)
    return keyword_features if func is keyword_matrix else func


def _features_from_state(meta: dict[str, Any], prefix: str, z: Any) -> _Features:
    import numpy as np

    fs = _Features.__new__(_Features)
    fs.text_parts, fs.func_parts, fs.signature, fs.specs = [], [], [], None
    fs.n_features = int(meta["n_features"])
    fs.idf = np.asarray(z[prefix + "idf"], dtype=float)
    fs.part_weights = np.asarray(z[prefix + "part_weights"], dtype=float)
    fs.weighted = bool((fs.part_weights != 1.0).any())
    if fs.idf.shape != (fs.n_features,):
        raise ValueError("idf does not fit the features")
    for k, part in enumerate(meta["parts"]):
        key = f"{prefix}p{k}_"
        kind = part["kind"]
        if kind == "func":
            first, width = int(part["first"]), int(part["width"])
            if not 0 <= first <= first + width <= fs.n_features:
                raise ValueError("function part outside the features")
            fs.func_parts.append((_part_function(part["func"]), first, width, float(part["w"])))
            continue
        lo, hi = int(part["lo"]), int(part["hi"])
        if kind == "char":
            if not 1 <= lo <= hi <= 3 or part["sep"] not in _SEPARATORS:
                raise ValueError("bad char part")
            table = _KeyTable.from_arrays(z[key + "slots"], int(part["reach"]), int(part["vbits"]))
            vals = table.values()
            if vals.size and (vals.max() >= fs.n_features):
                raise ValueError("column outside the features")
            cmap = np.asarray(z[key + "cmap"])
            if (cmap.ndim != 1 or not cmap.size or cmap.dtype not in (np.uint16, np.uint32)
                    or cmap.min() < 1 or cmap.max() != cmap[-1]):
                raise ValueError("bad character map")
            terms = _char_terms(table, part["sep"], lo, hi, cmap)
        elif kind == "word":
            blob = bytes(np.asarray(z[key + "terms"], dtype=np.uint8)).decode("utf-8", "surrogatepass")
            lens = np.asarray(z[key + "lens"], dtype=np.int64)
            cols = np.asarray(z[key + "cols"], dtype=np.int64)
            if lens.shape != cols.shape or int(lens.sum()) != len(blob) or (lens < 0).any():
                raise ValueError("bad word vocabulary")
            if cols.size and (cols.min() < 0 or cols.max() >= fs.n_features):
                raise ValueError("column outside the features")
            ends = np.cumsum(lens).tolist()
            starts = [0] + ends[:-1]
            get = dict(zip([blob[a:b] for a, b in zip(starts, ends)], cols.tolist())).get
            terms = _word_terms(get, _resolve(part["tokenizer"]), lo, hi)
        else:
            raise ValueError(f"unknown part kind {kind!r}")
        fs.text_parts.append((_resolve(part["sel"]), terms))
    if len(fs.part_weights) != len(fs.text_parts):
        raise ValueError("one weight per text part expected")
    return fs


def _scorer_from_state(role: str, features: _Features, classes_object: bool, z: Any) -> _FastScorer:
    import numpy as np

    sc = _FastScorer.__new__(_FastScorer)
    sc.features = features
    sc.coefT = np.ascontiguousarray(np.asarray(z[f"{role}_coefT"], dtype=float))
    sc.intercept = np.asarray(z[f"{role}_intercept"], dtype=float)
    sc.a = np.asarray(z[f"{role}_a"], dtype=float)
    sc.b = np.asarray(z[f"{role}_b"], dtype=float)
    classes = np.asarray(z[f"{role}_classes"])
    sc.classes_ = classes.astype(object) if classes_object else classes
    sc.model = None
    k = len(sc.classes_)
    if (sc.coefT.ndim != 2 or sc.coefT.shape != (features.n_features, k) or sc.intercept.shape != (k,)
            or sc.a.shape != (k,) or sc.b.shape != (k,)):
        raise ValueError("scorer arrays do not fit")
    return sc


def read(f: Path, sha: str | None) -> JointModel:
    """The fast model stored in ``f``; raises when the file is not a valid cache of model ``sha``."""
    import json

    import numpy as np

    with np.load(f, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta.get("format") != CACHE_FORMAT or meta.get("sha256") != sha or meta.get("version") != _version():
            raise ValueError("a cache of another model or format")
        features = [_features_from_state(m, f"f{i}_", z) for i, m in enumerate(meta["features"])]
        sc = meta["scorers"]
        tool = _scorer_from_state("tool", features[sc["tool"]["features"]], sc["tool"]["classes_object"], z)
        inst = None
        if sc.get("instrument") is not None:
            si = sc["instrument"]
            inst = _scorer_from_state("instrument", features[si["features"]], si["classes_object"], z)
        check_P, check_J = np.asarray(z["check_P"]), np.asarray(z["check_J"])
    model = JointModel(tool, inst, float(meta["alpha"]))
    if meta["pair"]:
        model.pair = _PairScorer(tool, inst)
    P, J = _check_outputs(model)
    if (P.shape != check_P.shape or J.shape != check_J.shape
            or not np.allclose(P, check_P, rtol=0, atol=1e-12) or not np.allclose(J, check_J, rtol=0, atol=1e-12)):
        raise ValueError("the cached scorer does not reproduce its check")
    return model

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

import contextlib
import re
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

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
        #: both models' probabilities from one feature pass (set by ``_fast_or_plain`` once checked)
        self.pair: Any = None
        if instrument is not None and self.alpha > 0:
            icls = [str(c) for c in instrument.classes_]
            self._cols = np.array([icls.index(instrument_of(str(c)) or "") for c in self.classes_])

    def tool_proba(self, docs: list[str]) -> Any:
        return self.tool.predict_proba(docs)

    def joint(self, P: Any, docs: list[str]) -> Any:
        """Joint scores from already computed tool probabilities ``P``."""
        if self._cols is None:
            return P
        return self._combine(P, self.instrument.predict_proba(docs))

    def _combine(self, P: Any, Q: Any) -> Any:
        import numpy as np

        Q = Q[:, self._cols]
        J = P * Q ** self.alpha
        den = J.sum(axis=1, keepdims=True)
        return np.divide(J, den, out=np.array(P, dtype=float), where=den > 0)

    def tool_and_joint(self, docs: list[str]) -> tuple[Any, Any]:
        """(``tool_proba``, ``predict_proba``) of ``docs``, with one feature pass when possible."""
        if self.pair is not None and self._cols is not None:
            P, Q = self.pair(docs)
            return P, self._combine(P, Q)
        P = self.tool_proba(docs)
        return P, self.joint(P, docs)

    def predict_proba(self, docs: list[str]) -> Any:
        return self.tool_and_joint(docs)[1]

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
    """The packaged model, loaded on first use (wrapped in the fast scorer when that reproduces it).

    Loaded from the model cache when it holds the fast scorer of this model file (numpy only, no
    scikit-learn import); otherwise from the skops file, and the cache is written (``cache.load``)."""
    global _MODEL, _LOADED
    if not _LOADED:
        from . import cache

        _MODEL = cache.load(model_path())
        _LOADED = True
    return _MODEL


@contextlib.contextmanager
def using(path: str | Path) -> Iterator[Any]:
    """Classify with the model file ``path`` inside the block, e.g. ``policyminer eval`` scoring a
    corpus with the model trained without that corpus's gold (``classify.heldout``)."""
    global _MODEL, _LOADED
    saved = (_MODEL, _LOADED)
    from . import cache

    model = cache.load(Path(path))
    if model is None:
        raise ValueError(f"{path}: not a readable classifier model file")
    _MODEL, _LOADED = model, True
    try:
        yield _MODEL
    finally:
        _MODEL, _LOADED = saved


def warm_cache() -> bool:
    """Make sure the model cache holds the packaged model, e.g. before starting worker processes
    so that none of them imports scikit-learn: loads the model (from a valid cache, else from the
    skops file, writing the cache). True when a cache file is there afterwards."""
    from . import cache

    f = cache.cache_file(model_path())
    return get_model() is not None and f is not None and f.exists()


_WHITE_SPACES = re.compile(r"\s\s+")  # TfidfVectorizer's whitespace folding before char n-grams
_SEPARATORS = ("\x00", "\x01", "\ufffe", "\uffff")  # candidates to join texts (not whitespace)


class _Features:
    """The feature pass of a fitted FeatureUnion, replayed without scipy and per-call sklearn checks.

    Columns are global (the union's order). Each TF-IDF part maps the texts it selects to one
    int64 per occurrence of a term in its vocabulary, (row, part) and global column packed
    (``_terms``); all rows and parts of a call are then counted, weighted (sublinear tf, idf, l2
    norm per row and part, union weight) and multiplied with the coefficients in a few numpy
    operations. Function parts (the keyword cue counts) are dense blocks.

    Two models fitted on the same texts with the same settings have equal parts (``same_as``);
    they then share one instance and one pass (``_PairScorer``).
    """

    def __init__(self, union: Any) -> None:
        import numpy as np

        from .keywords import keyword_features, keyword_matrix

        weights = union.transformer_weights or {}
        self.text_parts: list[tuple[Any, Any]] = []  # (selector, terms: see _terms)
        self.func_parts: list[tuple[Any, int, int, float]] = []  # (docs -> array, first col, width, weight)
        self.signature: list[Any] = []  # what two unions must share to share the pass
        #: how to rebuild each part without scikit-learn (the model cache); None: not cacheable
        self.specs: list[Any] | None = []
        idf_all: list[Any] = []
        part_weights: list[float] = []
        offset = 0
        for name, part in union.transformer_list:
            w = float(weights.get(name, 1.0))
            if hasattr(part, "named_steps"):
                sel = part.named_steps["sel"]
                vec = part.named_steps["tfidf"]
                if vec.norm != "l2" or not vec.sublinear_tf or not vec.use_idf or vec.binary:
                    raise ValueError("unsupported vectorizer settings")
                if sel.kw_args or sel.inverse_func is not None:
                    raise ValueError("unsupported selector")
                idf = np.asarray(vec.idf_, dtype=float)
                if len(idf) != len(vec.vocabulary_):
                    raise ValueError("vocabulary and idf differ")
                terms, spec = _terms(vec, offset)
                self.text_parts.append((sel.func, terms))
                if spec is None or self.specs is None:
                    self.specs = None
                else:
                    self.specs.append(dict(spec, sel=_qualname(sel.func)))
                self.signature.append((name, sel.func, vec.get_params(), vec.vocabulary_, idf.tolist(), w))
                idf_all.append(idf)
                part_weights.append(w)
                width = len(idf)
            else:
                if part.kw_args:
                    raise ValueError("unsupported function step")
                # the keyword cue counts, dense (keyword_matrix is the same numbers as csr)
                func = keyword_features if part.func is keyword_matrix else part.func
                width = part.transform(["\n"]).shape[1]
                self.func_parts.append((func, offset, width, w))
                if self.specs is not None:
                    self.specs.append({"kind": "func", "func": _qualname(part.func), "first": offset,
                                       "width": int(width), "w": w})
                self.signature.append((name, part.func, width, w))
                idf_all.append(np.zeros(width))
            offset += width
        if offset >= 1 << 32:
            raise ValueError("too many features")
        self.n_features = offset
        self.idf = np.concatenate(idf_all) if idf_all else np.zeros(0)
        self.part_weights = np.array(part_weights, dtype=float)
        self.weighted = bool((self.part_weights != 1.0).any())

    def same_as(self, other: "_Features") -> bool:
        if len(self.signature) != len(other.signature):
            return False
        return all(a == b for a, b in zip(self.signature, other.signature))

    def decision(self, docs: list[str], coefT: Any, intercept: Any) -> Any:
        """``X @ coefT + intercept`` for the union's features ``X`` of ``docs`` (n x classes)."""
        import numpy as np

        n = len(docs)
        df = np.zeros((n, coefT.shape[1]))
        nparts = len(self.text_parts)
        if nparts:
            selected: dict[Any, list[str]] = {}  # parts sharing a selector (the heading) select once
            keys = []
            for p, (sel, terms) in enumerate(self.text_parts):
                if sel not in selected:
                    selected[sel] = list(sel(docs))
                keys.append(terms(selected[sel], nparts, p))
            # one int64 per term occurrence: segment (row, part) above, global column below (see
            # ``_terms``); sorted, the order of the csr matrix sklearn builds (parts are column ranges)
            key = np.sort(np.concatenate(keys))
            if len(key):
                edge = np.empty(len(key) + 1, dtype=bool)  # where a run of equal keys starts (and the end)
                edge[0] = edge[-1] = True
                np.not_equal(key[1:], key[:-1], out=edge[1:-1])
                at = np.flatnonzero(edge)
                tf = at[1:] - at[:-1]
                key = key[at[:-1]]
                seg = key >> 32
                c = key & 0xFFFFFFFF
                v = (np.log(tf) + 1.0) * self.idf[c]  # sublinear tf x idf
                norm = np.sqrt(np.bincount(seg, weights=v * v, minlength=n * nparts))
                v = v / norm[seg]  # l2 per row and part
                if self.weighted:  # the union weights (x 1.0 changes nothing: skipped)
                    v = v * self.part_weights[seg % nparts]
                # each row's sum of v x coefficient rows, in column order (like the csr product)
                r = seg // nparts
                first = np.empty(len(r), dtype=bool)
                first[0] = True
                np.not_equal(r[1:], r[:-1], out=first[1:])
                starts = np.flatnonzero(first)
                contrib = coefT.take(c, axis=0)
                contrib *= v[:, None]
                df[r[starts]] = np.add.reduceat(contrib, starts, axis=0)
        for func, first_col, width, w in self.func_parts:
            X = func(docs)
            X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
            df += (X * w) @ coefT[first_col:first_col + width]
        df += intercept
        return df


def _qualname(func: Any) -> str:
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}"


def _terms(vec: Any, offset: int) -> tuple[Any, Any]:
    """(``terms``, spec). ``terms(texts, nparts, p)``: the terms ``vec.build_analyzer()`` yields
    for each text that are in its vocabulary, one int64 per occurrence (counted afterwards, so
    order does not matter): ``(row * nparts + p) << 32 | global column``, ``p`` being the part's
    number in the union.

    Character n-grams up to three characters (what train.py builds) are found with numpy
    (``_char_terms``); other analyzers run per text (``_token_terms``). The spec holds what
    rebuilds ``terms`` without scikit-learn (the model cache; None: not cacheable)."""
    plain = (vec.input == "content" and vec.preprocessor is None and not vec.lowercase
             and vec.strip_accents is None)
    lo, hi = vec.ngram_range
    if plain and vec.analyzer == "char" and 1 <= lo <= hi <= 3:
        table, sep, cmap = _char_table(vec.vocabulary_, offset, lo, hi)
        spec = {"kind": "char", "lo": lo, "hi": hi, "sep": sep, "table": table, "cmap": cmap}
        return _char_terms(table, sep, lo, hi, cmap), spec
    cols = {t: offset + j for t, j in vec.vocabulary_.items()}
    if plain and vec.analyzer == "word" and vec.tokenizer is not None and vec.stop_words is None:
        spec = {"kind": "word", "lo": lo, "hi": hi, "tokenizer": _qualname(vec.tokenizer), "cols": cols}
        return _word_terms(cols.get, vec.tokenizer, lo, hi), spec
    analyze = vec.build_analyzer()
    get = cols.get
    return _token_terms(lambda s: [get(t, -1) for t in analyze(s)]), None


def _word_terms(get: Any, tokenize: Any, lo: int, hi: int) -> Any:
    """``terms`` of a word analyzer with a tokenizer function (``get``: term -> global column)."""
    from itertools import repeat

    join = " ".join

    def word_terms(s: str) -> list[Any]:
        # sklearn's _word_ngrams: the tokens, then the space-joined runs of lo..hi tokens (the
        # runs of n as the n-tuples of n shifted token lists; map keeps the loops in C)
        toks = tokenize(s)
        out = list(map(get, toks, repeat(-1))) if lo == 1 else []
        for n in range(max(lo, 2), min(hi, len(toks)) + 1):
            out += map(get, map(join, zip(*[toks[i:] for i in range(n)])), repeat(-1))
        return out

    return _token_terms(word_terms)


def _token_terms(columns: Any) -> Any:
    """``terms`` from a per-text function giving the column of each term (-1: unknown)."""
    import numpy as np

    def terms(texts: list[str], nparts: int, p: int) -> Any:
        out: list[int] = []
        for i, s in enumerate(texts):
            seg = (i * nparts + p) << 32
            out += [seg | c for c in columns(s) if c >= 0]
        return np.array(out, dtype=np.int64)

    return terms


def _char_table(vocabulary: dict[str, int], offset: int, lo: int, hi: int) -> tuple["_KeyTable", str, Any]:
    """The hash table of a character n-gram vocabulary (keys: see ``_char_terms``), the
    separator ``_char_terms`` joins texts with (a character no vocabulary term contains) and the
    character map (code point -> character number, see ``_char_map``)."""
    if not all(lo <= len(t) <= hi for t in vocabulary):
        raise ValueError("a term that is no character n-gram of the fitted range")
    sep = next((c for c in _SEPARATORS if not any(c in t for t in vocabulary)), None)
    if sep is None:
        raise ValueError("no separator character")
    cmap = _char_map(sorted({ord(c) for t in vocabulary for c in t}))
    bits = _char_bits(cmap)
    keys = [_char_key(t, cmap, bits) for t in vocabulary]
    return _KeyTable(keys, [offset + j for j in vocabulary.values()]), sep, cmap


def _char_map(code_points: list[int]) -> Any:
    """Code point -> character number: 1, 2, ... for the vocabulary's characters (in code point
    order), and one more for every other character (also past the map's end, see ``_char_terms``).
    Numbering only the vocabulary's few thousand characters makes a 3-gram key ~35 bits instead of
    63, so a key and its column fit one int64 slot (``_KeyTable``): half the table per lookup."""
    import numpy as np

    other = len(code_points) + 1
    top = code_points[-1] + 2 if code_points else 1
    cmap = np.full(top, other, dtype=np.uint16 if other < 1 << 16 else np.uint32)
    cmap[np.array(code_points, dtype=np.int64)] = np.arange(1, other, dtype=cmap.dtype)
    return cmap


def _char_bits(cmap: Any) -> int:
    """Bits per character in a key: every character number (1..other) fits, and no number is 0,
    so keys of different lengths differ and a key holding the 'other' number matches no term."""
    return int(cmap[-1]).bit_length()


def _char_terms(table: "_KeyTable", sep: str, lo: int, hi: int, cmap: Any) -> Any:
    """Character n-grams (lo..hi <= 3) of all texts at once: every n-gram is an int64 key built
    from its characters' numbers (``_char_map``, ``_char_bits`` bits each), looked up in a hash
    table of the vocabulary. Same terms as sklearn's ``_char_ngrams``: whitespace runs folded to
    one space, then every n-gram inside a text. The texts are joined by a separator that no
    vocabulary term contains, so n-grams across two texts are never found."""
    import numpy as np

    ws = _WHITE_SPACES
    bits = _char_bits(cmap)
    if hi * bits + table.vbits + 1 > 63:
        raise ValueError("keys too long for the table")

    def terms(texts: list[str], nparts: int, p: int) -> Any:
        joined = sep.join(texts)
        if ws.search(joined):  # rare: fold per text, as the analyzer does
            texts = [ws.sub(" ", t) for t in texts]
            joined = sep.join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        num = cmap.take(cp, mode="clip").astype(np.int64)  # (clip: code points past the map are 'other')
        # the segment of the text each character belongs to (a separator to the text before it)
        seg = np.repeat((np.arange(len(texts), dtype=np.int64) * nparts + p) << 32, [len(t) + 1 for t in texts])
        keys = [num] if lo == 1 else []
        key = num
        for n in range(2, hi + 1):  # n-gram keys at each start: the (n-1)-gram key shifted, plus the next character
            key = (key[:-1] << bits) + num[n - 1:]
            if n >= lo:
                keys.append(key)
        at, cols = table.find(np.concatenate(keys))
        return np.concatenate([seg[:len(k)] for k in keys])[at] | cols

    return terms


class _KeyTable:
    """A hash table from positive int64 keys to columns, looked up for a whole array at once:
    open addressing with linear probing, sized 4x the keys so most lookups end at the first
    slot (a sorted-array binary search costs ~4x more here). Each slot is one int64: key, value
    and a flag, ``key << (vbits + 1) | value << 1 | displaced`` (0: empty), so a lookup reads 8
    bytes and the table is half the size of (key, value) pairs (it stays in cache between
    documents). ``displaced``: a key whose home is this slot sits further on; only then can a
    lookup that finds another key at home still find its key. A key sits at most ``reach`` slots
    after its home slot, so those few lookups check that window in one step."""

    _MULT = 0x9E3779B97F4A7C15  # Fibonacci hashing: the top bits of key * this (mod 2**64)

    def __init__(self, keys: list[int], values: list[int]) -> None:
        import numpy as np

        if any(k < 1 for k in keys) or any(v < 0 for v in values):
            raise ValueError("keys must be positive and values not negative")
        self.vbits = max(values, default=0).bit_length()
        if max(keys, default=0).bit_length() + self.vbits + 1 > 63:
            raise ValueError("keys and values too long for one slot")
        self.bits = max(4, (4 * len(keys)).bit_length())
        self.mask = (1 << self.bits) - 1
        slots = [0] * (1 << self.bits)
        displaced = set()
        reach = 0
        for k, v, s in zip(keys, values, self._slots(np.array(keys, dtype=np.int64)).tolist()):
            d = 0
            while slots[(s + d) & self.mask]:
                if slots[(s + d) & self.mask] >> (self.vbits + 1) == k:
                    raise ValueError("duplicate key")
                d += 1
            slots[(s + d) & self.mask] = k << (self.vbits + 1) | v << 1
            if d:
                displaced.add(s)
            reach = max(reach, d)
        for s in displaced:
            slots[s] |= 1
        self.slots = np.array(slots, dtype=np.int64)
        self.steps = np.arange(1, reach + 1)

    @classmethod
    def from_arrays(cls, slots: Any, reach: int, vbits: int) -> "_KeyTable":
        """A table from its ``slots`` array (the model cache), checked for shape."""
        import numpy as np

        bits = len(slots).bit_length() - 1
        if slots.ndim != 1 or len(slots) != 1 << bits or bits < 4 or slots.dtype != np.int64 or (slots < 0).any():
            raise ValueError("not a key table")
        self = cls.__new__(cls)
        self.bits, self.mask, self.vbits = bits, (1 << bits) - 1, int(vbits)
        self.slots = np.ascontiguousarray(slots)
        self.steps = np.arange(1, int(reach) + 1)
        return self

    def values(self) -> Any:
        """The stored values (for checks)."""
        s = self.slots[self.slots != 0]
        return (s >> 1) & ((1 << self.vbits) - 1)

    def _slots(self, keys: Any) -> Any:
        import numpy as np

        # top bits of the product: < 2**bits, so the int64 view is the same number (an index)
        return ((keys.view(np.uint64) * np.uint64(self._MULT)) >> np.uint64(64 - self.bits)).view(np.int64)

    def lookup(self, keys: Any) -> Any:
        """The value of each key (a contiguous int64 array of positive keys), -1 where absent."""
        import numpy as np

        at, values = self.find(keys)
        out = np.full(len(keys), -1, dtype=np.int64)
        out[at] = values
        return out

    def find(self, keys: Any) -> tuple[Any, Any]:
        """(where, value) of the keys (a contiguous int64 array of positive keys) that are in the
        table, in no particular order (callers count them): fewer array passes than ``lookup``."""
        import numpy as np

        shift = self.vbits + 1
        vmask = (1 << self.vbits) - 1
        slot = self._slots(keys)
        kv = self.slots.take(slot)
        hit = (kv >> shift) == keys
        at = np.flatnonzero(hit)
        values = (kv[at] >> 1) & vmask
        # another key at home: look further on, but only where a key of that home was displaced
        # (flag 1 > hit False; most lookups of absent keys end at home; an empty home has no flag)
        todo = np.flatnonzero((kv & 1) > hit)
        if todo.size and self.steps.size:
            kv = self.slots.take((slot[todo, None] + self.steps) & self.mask)  # todo x reach
            row, col = np.nonzero((kv >> shift) == keys[todo, None])  # at most one match per row (keys are unique)
            if row.size:
                at = np.concatenate([at, todo[row]])
                values = np.concatenate([values, (kv[row, col] >> 1) & vmask])
        return at, values


def _char_key(term: str, cmap: Any, bits: int) -> int:
    key = 0
    for ch in term:
        key = (key << bits) + int(cmap[ord(ch)])
    return key


class _FastScorer:
    """The same probabilities as the fitted pipeline, without scikit-learn's per-call overhead.

    Per document the pipeline is called once with a handful of measures, where input validation,
    scipy matrix construction and per-class calibrator calls cost more than the arithmetic. This
    replays the fitted union (``_Features``), the LinearSVC decision function and the sigmoid
    calibration with numpy; ``_fast_or_plain`` only uses it after checking that it reproduces
    ``predict_proba``.
    """

    def __init__(self, model: Any, like: "_FastScorer | None" = None) -> None:
        import numpy as np

        features = _Features(model.named_steps["features"])
        # a model with the same features as ``like`` reuses its instance (vocabularies, one pass)
        self.features = like.features if like is not None and like.features.same_as(features) else features
        cal = model.named_steps["clf"]
        if len(cal.calibrated_classifiers_) != 1:
            raise ValueError("ensemble calibration not supported")
        cc = cal.calibrated_classifiers_[0]
        est = cc.estimator
        self.coefT = np.ascontiguousarray(np.asarray(est.coef_, dtype=float).T)
        self.intercept = np.asarray(est.intercept_, dtype=float)
        self.a = np.array([c.a_ for c in cc.calibrators], dtype=float)
        self.b = np.array([c.b_ for c in cc.calibrators], dtype=float)
        if len(self.a) != self.coefT.shape[1] or self.coefT.shape[0] != self.features.n_features:
            raise ValueError("one calibrator per class and one coefficient per feature expected")
        self.classes_ = cal.classes_
        self.model = model

    @staticmethod
    def normalize(proba: Any) -> Any:
        """CalibratedClassifierCV's multiclass step: per-class sigmoid outputs scaled to sum to one
        (uniform where all are zero), values a rounding error above one clipped to one."""
        import numpy as np

        den = proba.sum(axis=1, keepdims=True)
        if den.all():
            proba = proba / den
        else:
            proba = np.divide(proba, den, out=np.full_like(proba, 1.0 / proba.shape[1]), where=den != 0)
        over = proba > 1.0
        if over.any():
            proba[over & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def predict_proba(self, docs: list[str]) -> Any:
        import numpy as np

        df = self.features.decision(list(docs), self.coefT, self.intercept)
        return self.normalize(1.0 / (1.0 + np.exp(self.a * df + self.b)))

    def predict(self, docs: list[str]) -> Any:
        return self.classes_[self.predict_proba(docs).argmax(axis=1)]


class _PairScorer:
    """Tool and instrument probabilities from one feature pass: the two models of the file are
    fitted on the same texts with the same settings, so their features are identical and only
    the coefficients differ (stacked side by side here)."""

    def __init__(self, tool: _FastScorer, instrument: _FastScorer) -> None:
        import numpy as np

        if tool.features is not instrument.features:
            raise ValueError("the models do not share their features")
        self.tool, self.instrument = tool, instrument
        self.features = tool.features
        self.coefT = np.ascontiguousarray(np.hstack([tool.coefT, instrument.coefT]))
        self.intercept = np.concatenate([tool.intercept, instrument.intercept])
        self.a = np.concatenate([tool.a, instrument.a])
        self.b = np.concatenate([tool.b, instrument.b])
        self.k = tool.coefT.shape[1]

    def __call__(self, docs: list[str]) -> tuple[Any, Any]:
        import numpy as np

        df = self.features.decision(docs, self.coefT, self.intercept)
        sig = 1.0 / (1.0 + np.exp(self.a * df + self.b))  # both models' calibrators at once
        return _FastScorer.normalize(sig[:, :self.k]), _FastScorer.normalize(sig[:, self.k:])


_CHECK = ["加大金融支持\n银行要加大信贷投放", "成立工作专班\n", "\n", "x\n" + "供水" * 50, "落实税费减免政策\n对受疫情影响的企业减免房产税"]


def _fast_or_plain(model: Any, like: Any = None) -> Any:
    """The joint model with each part replaced by its fast scorer where that reproduces it, and
    the tool and instrument scorers sharing one feature pass where their features are the same."""
    if model is None:
        return None
    if isinstance(model, JointModel):
        tool = _fast_or_plain(model.tool)
        inst = _fast_or_plain(model.instrument, like=tool) if model.instrument is not None else None
        joint = JointModel(tool, inst, model.alpha)
        try:
            import numpy as np

            pair = _PairScorer(tool, inst)
            P, Q = pair(_CHECK)
            if (np.allclose(P, model.tool.predict_proba(_CHECK), rtol=0, atol=1e-9)
                    and np.allclose(Q, model.instrument.predict_proba(_CHECK), rtol=0, atol=1e-9)):
                joint.pair = pair
        except Exception:  # not two fast scorers over the same features: one pass each
            pass
        return joint
    try:
        import numpy as np

        fast = _FastScorer(model, like if isinstance(like, _FastScorer) else None)
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
        P, J = model.tool_and_joint(docs)
    else:  # a bare fitted pipeline
        P = J = model.predict_proba(docs)
    import numpy as np

    classes = [str(c) for c in model.classes_]
    best = J.argmax(axis=1)
    conf = P[np.arange(len(best)), best].tolist()
    return [(classes[i], instrument_of(classes[i]) or "", round(c, 3)) for i, c in zip(best.tolist(), conf)]

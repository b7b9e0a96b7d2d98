"""The model cache (issue 10): the fast scorer's arrays, keyed by the model file's SHA-256, so a
process with the cache loads the classifier with numpy alone, never importing scikit-learn."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from policyminer.classify import cache as C
from policyminer.classify import model as M
from policyminer.classify.features import measure_text

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ROOT / "corpora" / "measures" / "measures.jsonl"


def _docs() -> list[str]:
    rows = [json.loads(line) for line in MEASURES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [measure_text(r["heading"], r["text"]) for r in rows] + ["", "\n", "第一条", "  \n\x00 \ufffe"]


def _items() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in MEASURES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["heading"], r["text"]) for r in rows[::7]]


def _npz(d: Path) -> list[Path]:
    return sorted(d.glob("instrument-*.npz"))


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A cache dir filled by one load of the packaged model, and that load's model."""
    d = tmp_path_factory.mktemp("cache")
    old = os.environ.get(C.CACHE_ENV)
    os.environ[C.CACHE_ENV] = str(d)
    try:
        fast = C.load(M.model_path())
    finally:
        if old is None:
            del os.environ[C.CACHE_ENV]
        else:
            os.environ[C.CACHE_ENV] = old
    return {"dir": d, "fast": fast}


def _no_skops(*_a, **_k):
    raise AssertionError("the skops file was loaded")


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(C.CACHE_ENV, str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert C.cache_dir() == tmp_path / "a"
    monkeypatch.delenv(C.CACHE_ENV)
    assert C.cache_dir() == tmp_path / "x" / "policyminer"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    assert C.cache_dir() == tmp_path / "h" / ".cache" / "policyminer"


def test_first_load_writes_the_cache_and_the_second_uses_it(warm: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _npz(warm["dir"])
    assert [f.name for f in files] == [f"instrument-{C.file_sha256(M.model_path())[:16]}-f{C.CACHE_FORMAT}.npz"]
    assert not list(warm["dir"].glob("*.tmp"))
    monkeypatch.setenv(C.CACHE_ENV, str(warm["dir"]))
    monkeypatch.setattr(M, "load_model", _no_skops)  # only the cache can give the model now
    cached = C.load(M.model_path())
    assert isinstance(cached, M.JointModel) and isinstance(cached.tool, M._FastScorer)
    assert (cached.pair is None) == (warm["fast"].pair is None)
    assert list(cached.classes_) == list(warm["fast"].classes_)
    docs = _docs()
    P0, J0 = warm["fast"].tool_and_joint(docs)
    P1, J1 = cached.tool_and_joint(docs)
    assert np.abs(P1 - P0).max() <= 1e-12 and np.abs(J1 - J0).max() <= 1e-12
    assert np.abs(cached.tool_proba(docs) - warm["fast"].tool_proba(docs)).max() <= 1e-12
    assert list(cached.predict(docs)) == list(warm["fast"].predict(docs))
    assert M.predict(_items(), model=cached) == M.predict(_items(), model=warm["fast"])


def test_cached_model_predicts_like_the_scikit_learn_pipelines(warm: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = M.load_model()
    assert hasattr(plain.tool, "named_steps")  # load_model keeps giving the real pipelines
    monkeypatch.setenv(C.CACHE_ENV, str(warm["dir"]))
    monkeypatch.setattr(M, "load_model", _no_skops)
    cached = C.load(M.model_path())
    docs = _docs()[::5]
    P0, J0 = plain.tool_and_joint(docs)
    P1, J1 = cached.tool_and_joint(docs)
    assert np.abs(P1 - P0).max() < 1e-9 and np.abs(J1 - J0).max() < 1e-9


def test_a_process_with_the_cache_never_imports_scikit_learn(warm: dict) -> None:
    items = _items()
    code = (
        "import json, sys\n"
        "from policyminer.classify.model import get_model, predict, _FastScorer\n"
        "m = get_model()\n"
        f"r = predict({items!r})\n"
        "heavy = sorted(k for k in ('sklearn', 'skops', 'scipy', 'pandas') if k in sys.modules)\n"
        "print(json.dumps({'fast': isinstance(m.tool, _FastScorer), 'r': r, 'loaded': heavy}))\n"
    )
    env = dict(os.environ, **{C.CACHE_ENV: str(warm["dir"])})
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src")] + [p for p in [env.get("PYTHONPATH")] if p])
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["loaded"] == [] and res["fast"]
    assert [tuple(t) for t in res["r"]] == M.predict(items, model=warm["fast"])


def test_corrupt_cache_is_ignored_and_rebuilt(warm: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "cache"
    shutil.copytree(warm["dir"], d)
    f = _npz(d)[0]
    f.write_bytes(b"PK\x03\x04 not a zip at all")
    monkeypatch.setenv(C.CACHE_ENV, str(d))
    m = C.load(M.model_path())
    docs = _docs()[::11]
    assert np.abs(m.predict_proba(docs) - warm["fast"].predict_proba(docs)).max() <= 1e-12
    # rewritten: a valid cache again
    assert C.read(f, C.file_sha256(M.model_path())) is not None
    assert [p.name for p in d.iterdir()] == [f.name]


def _rewrite(src: Path, dst: Path, change) -> None:
    with np.load(src, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    change(arrays, meta)
    arrays["meta"] = np.array(json.dumps(meta))
    with open(dst, "wb") as fh:
        np.savez(fh, **arrays)


@pytest.mark.parametrize("change", [
    lambda a, m: m.update(format=C.CACHE_FORMAT + 1),
    lambda a, m: m.update(version="0.0.0-other"),
    lambda a, m: m.update(sha256="0" * 64),
    lambda a, m: a.pop("tool_coefT"),
    lambda a, m: a.update(tool_coefT=a["tool_coefT"][:-1]),
    lambda a, m: a.update(instrument_a=a["instrument_a"][:1]) if "instrument_a" in a else a.pop("tool_b"),
    lambda a, m: a.update(f0_idf=a["f0_idf"][:-1]),
    lambda a, m: a.update(tool_intercept=a["tool_intercept"] + 1e-3),  # caught by the stored check
    lambda a, m: next(p for p in m["features"][0]["parts"] if "sel" in p).update(sel="os.system"),
], ids=["format", "version", "sha", "missing", "coef-shape", "calibration-shape", "idf-shape", "values", "untrusted"])
def test_invalid_cache_is_rejected(warm: dict, tmp_path: Path, change) -> None:
    f = tmp_path / "bad.npz"
    _rewrite(_npz(warm["dir"])[0], f, change)
    with pytest.raises(Exception):
        C.read(f, C.file_sha256(M.model_path()))


def test_invalid_cache_file_is_replaced_on_load(warm: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "cache"
    d.mkdir()
    src = _npz(warm["dir"])[0]
    _rewrite(src, d / src.name, lambda a, m: m.update(format=C.CACHE_FORMAT + 1))
    monkeypatch.setenv(C.CACHE_ENV, str(d))
    m = C.load(M.model_path())
    assert isinstance(m.tool, M._FastScorer)
    with np.load(d / src.name, allow_pickle=False) as z:
        assert json.loads(str(z["meta"]))["format"] == C.CACHE_FORMAT


def test_another_model_file_does_not_use_the_old_cache(warm: dict, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "cache"
    shutil.copytree(warm["dir"], d)
    old = _npz(d)
    other = tmp_path / "instrument.skops"
    shutil.copyfile(M.model_path(), other)
    with zipfile.ZipFile(other, "a") as zf:  # same model, other bytes: another SHA-256
        zf.comment = b"retrained"
    sha = C.file_sha256(other)
    assert sha != C.file_sha256(M.model_path())
    read: list[Path] = []
    real_read = C.read
    monkeypatch.setattr(C, "read", lambda f, s: read.append(f) or real_read(f, s))
    monkeypatch.setenv(C.CACHE_ENV, str(d))
    m = C.load(other)
    assert read == []  # the old file's cache was never looked at
    new = [f for f in _npz(d) if f not in old]
    assert [f.name for f in new] == [f"instrument-{sha[:16]}-f{C.CACHE_FORMAT}.npz"]
    assert M.predict(_items(), model=m) == M.predict(_items(), model=warm["fast"])
    # an old cache under the new name (or a clash of the 16-digit prefix) is refused by its full hash
    shutil.copyfile(old[0], new[0])
    with pytest.raises(ValueError):
        real_read(new[0], sha)


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(C.CACHE_ENV, str(blocker / "cache" if where == "under-a-file" else blocker))
    m = C.load(M.model_path())
    assert isinstance(m, M.JointModel) and isinstance(m.tool, M._FastScorer)
    assert M.predict([("加大金融支持", "银行要加大信贷投放")], model=m)[0][0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: dict, cold: bool) -> None:
    d = tmp_path / "cache"
    if cold:
        d.mkdir()
    else:
        shutil.copytree(warm["dir"], d)
        monkeypatch.setattr(M, "load_model", _no_skops)  # already warm: the skops file is not read
    monkeypatch.setenv(C.CACHE_ENV, str(d))
    monkeypatch.setattr(M, "_LOADED", False)
    monkeypatch.setattr(M, "_MODEL", None)
    assert M.warm_cache() is True
    assert [f.name for f in _npz(d)] == [f.name for f in _npz(warm["dir"])]


def test_a_cache_of_the_older_format_is_ignored(warm: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # format 1 stored (key, value) slot pairs under a name without the format: never read, and a
    # format-1 file put under this format's name is refused by its format (then rebuilt)
    src = _npz(warm["dir"])[0]
    d = tmp_path / "cache"
    d.mkdir()
    sha = C.file_sha256(M.model_path())
    (d / f"instrument-{sha[:16]}.npz").write_bytes(b"format 1 file")
    _rewrite(src, d / C.cache_file(M.model_path()).name, lambda a, m: m.update(format=1))
    monkeypatch.setenv(C.CACHE_ENV, str(d))
    with pytest.raises(ValueError):
        C.read(d / C.cache_file(M.model_path()).name, sha)
    m = C.load(M.model_path())
    assert M.predict(_items(), model=m) == M.predict(_items(), model=warm["fast"])
    with np.load(C.cache_file(M.model_path()), allow_pickle=False) as z:
        assert json.loads(str(z["meta"]))["format"] == C.CACHE_FORMAT

"""Batch runs: every input ends in documents or errors, kill -9 and resume, limits, Dask parity."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyminer.batch import (DOCUMENTS, ERRORS, BatchOptions, _repair, expand_inputs, run_batch,
                               sha256_file)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds" / "docs"
DEV = ROOT / "corpora" / "dev" / "docs"

# real notices of several formats (small ones, so the tests stay fast)
GOOD = [*sorted(SEEDS.iterdir())[:2], SEEDS / "004_f5d32eee970b9eca.txt", DEV / "d004.html", DEV / "d017.txt", DEV / "d013.csv", DEV / "d011.docx"]

# injected bad inputs: (name, bytes, the stage their error must carry)
BAD = [
    ("empty.txt", b"", "ingest"),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "ingest"),
    ("binary.html", b"\x00\x01\x02\xff" * 500, "ingest"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 300, "ingest"),
]

HELPER = '''
import os, time
from policyminer.batch import extract_input

def extract(path, no_text=False):
    data = open(path, "rb").read()
    if b"PM-TEST-SLEEP" in data:
        time.sleep(600)
    if b"PM-TEST-HOG" in data:
        hog = bytearray(8 * 1024 ** 3)  # beyond the address-space limit -> MemoryError
    if b"PM-TEST-CRASH" in data:
        os.kill(os.getpid(), 9)
    return extract_input(path, no_text=no_text)

def slow(path, no_text=False):
    time.sleep(0.4)
    return extract_input(path, no_text=no_text)
'''


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of good notices and injected bad files (nested, to exercise the recursive walk)."""
    d = tmp_path_factory.mktemp("inputs")
    (d / "nested").mkdir()
    for p in GOOD:
        shutil.copy(p, d / p.name)
    for name, data, _ in BAD:
        (d / "nested" / name).write_bytes(data)
    (d / "nested" / "notes.json").write_text("{}")  # not a notice suffix: skipped by the walk
    return d


@pytest.fixture(scope="module")
def local_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("local")
    summary = run_batch([str(inputs)], out, BatchOptions(jobs=2, timeout=60))
    return out, summary


@pytest.fixture(scope="module")
def dask_run(inputs: Path, local_run: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The same inputs on a Dask LocalCluster, right after the local run (same pipeline code)."""
    pytest.importorskip("distributed")
    out = tmp_path_factory.mktemp("dask")
    summary = run_batch([str(inputs)], out, BatchOptions(dask="local", dask_workers=2, timeout=60))
    return out, summary


def test_every_input_ends_in_documents_or_errors(inputs: Path, local_run: tuple[Path, dict],
                                                 dask_run: tuple[Path, dict]) -> None:
    # (dask_run is requested here so that it runs right after local_run, on the same code)
    out, summary = local_run
    docs, errs = _lines(out / DOCUMENTS), _lines(out / ERRORS)
    n_inputs = len(GOOD) + len(BAD)
    assert summary["inputs"] == n_inputs
    assert len(docs) + len(errs) == n_inputs
    assert {Path(d["batch"]["input"]).name for d in docs} == {p.name for p in GOOD}
    stage = {Path(e["path"]).name: e["stage"] for e in errs}
    assert stage == {name: st for name, _, st in BAD}
    assert all(e["error"] and e["sha256"] for e in errs)
    summary_file = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary_file["documents_total"] == len(GOOD) and summary_file["errors_total"] == len(BAD)


def test_documents_are_schema_valid_and_carry_provenance(local_run: tuple[Path, dict]) -> None:
    import jsonschema

    schema = json.loads((ROOT / "spec" / "document.schema.json").read_text("utf-8"))
    v = jsonschema.Draft202012Validator(schema)
    for d in _lines(local_run[0] / DOCUMENTS):
        assert not list(v.iter_errors(d))
        assert d["batch"]["sha256"] == sha256_file(d["batch"]["input"])[0]
        assert (d["batch"]["part"], d["batch"]["parts"]) == (0, 1)
    # the Huaihua notice keeps its real 文号 through the batch
    hh = next(d for d in _lines(local_run[0] / DOCUMENTS) if d["batch"]["input"].endswith("004_f5d32eee970b9eca.txt"))
    assert hh["meta"]["doc_number"] == "怀政办发〔2020〕4号"


def test_rerun_skips_everything(inputs: Path, local_run: tuple[Path, dict]) -> None:
    out, _ = local_run
    before = (out / DOCUMENTS).read_bytes(), (out / ERRORS).read_bytes()
    summary = run_batch([str(inputs)], out, BatchOptions(jobs=2))
    assert summary["this_run"]["processed"] == 0
    assert summary["this_run"]["skipped_already_done"] == len(GOOD) + len(BAD)
    assert ((out / DOCUMENTS).read_bytes(), (out / ERRORS).read_bytes()) == before
    # --retry-errors runs only the failed inputs again; they fail again, once each
    summary = run_batch([str(inputs)], out, BatchOptions(jobs=2, retry_errors=True))
    assert summary["this_run"]["processed"] == len(BAD)
    assert (out / DOCUMENTS).read_bytes() == before[0]
    assert sorted(Path(e["path"]).name for e in _lines(out / ERRORS)) == sorted(n for n, _, _ in BAD)


def test_timeout_memory_and_crash_are_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pm_batch_helper.py").write_text(HELPER)
    monkeypatch.syspath_prepend(str(tmp_path))
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "004_f5d32eee970b9eca.txt", src / "good.txt")
    for tag in ("SLEEP", "HOG", "CRASH"):
        (src / f"{tag.lower()}.txt").write_text(f"关于做好工作的通知\nPM-TEST-{tag}\n", "utf-8")
    (src / "after.txt").write_text("关于做好复工复产工作的通知\n一、6月底前完成。\n", "utf-8")
    opts = BatchOptions(jobs=2, timeout=10, max_memory_mb=2048, extractor="pm_batch_helper:extract")
    summary = run_batch([str(src)], tmp_path / "out", opts)
    errs = {Path(e["path"]).name: e for e in _lines(tmp_path / "out" / ERRORS)}
    assert errs["sleep.txt"]["stage"] == "timeout"
    assert errs["hog.txt"]["stage"] == "memory"
    assert errs["crash.txt"]["stage"] == "worker" and "SIGKILL" in errs["crash.txt"]["error"]
    docs = {Path(d["batch"]["input"]).name for d in _lines(tmp_path / "out" / DOCUMENTS)}
    assert docs == {"good.txt", "after.txt"}  # the worker was restarted and went on
    assert summary["this_run"]["worker_restarts"] >= 2


def test_sigkill_mid_run_then_resume(tmp_path: Path) -> None:
    (tmp_path / "pm_batch_helper.py").write_text(HELPER)
    src = tmp_path / "in"
    src.mkdir()
    notices = sorted(SEEDS.iterdir())
    for i in range(24):  # distinct inputs: same notices under new names, with a distinguishing line
        p = notices[i % len(notices)]
        (src / f"n{i:02d}{p.suffix}").write_bytes(p.read_bytes() + f"\n（第{i}份）\n".encode())
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")]),
           "POLICYMINER_BATCH_EXTRACTOR": "pm_batch_helper:slow"}
    cmd = [sys.executable, "-m", "policyminer.cli", "batch", str(src), "--out", str(out), "-j", "2", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        if len(_lines(out / DOCUMENTS)) >= 4:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first = len(_lines(out / DOCUMENTS))
    assert 4 <= first < 25
    with open(out / DOCUMENTS, "ab") as f:  # what a kill in the middle of a write would leave
        f.write(b'{"schema":"policyminer/document@1","id":"torn')
    env.pop("POLICYMINER_BATCH_EXTRACTOR")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    docs, errs = _lines(out / DOCUMENTS), _lines(out / ERRORS)
    keys = [(d["batch"]["input"], d["batch"]["part"]) for d in docs]
    assert len(keys) == len(set(keys))  # no duplicates
    assert {Path(k[0]).name for k in keys} == {f"n{i:02d}{notices[i % len(notices)].suffix}" for i in range(24)}
    assert [Path(e["path"]).name for e in errs] == ["empty.txt"]
    assert len(docs) + len(errs) == 25


def test_dask_local_cluster_gives_identical_documents(inputs: Path, local_run: tuple[Path, dict],
                                                       dask_run: tuple[Path, dict]) -> None:
    (local, _), (dask, summary) = local_run, dask_run
    assert summary["documents_total"] == len(GOOD) and summary["errors_total"] == len(BAD)
    local_docs = sorted((local / DOCUMENTS).read_text("utf-8").splitlines())
    dask_docs = sorted((dask / DOCUMENTS).read_text("utf-8").splitlines())
    assert dask_docs == local_docs
    strip = lambda rows: sorted((r["path"], r["stage"], r["error"]) for r in rows)  # noqa: E731
    assert strip(_lines(dask / ERRORS)) == strip(_lines(local / ERRORS))
    # resume works the same way on Dask: nothing left to do
    again = run_batch([str(inputs)], dask, BatchOptions(dask="local", dask_workers=2))
    assert again["this_run"]["processed"] == 0 and again["this_run"]["skipped_already_done"] == len(GOOD) + len(BAD)


def test_warc_archive_yields_one_document_per_notice(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    pages = [("http://example.gov.cn/a.html", (DEV / "d004.html").read_bytes(), "text/html; charset=utf-8"),
             ("http://example.gov.cn/b.txt", (SEEDS / "004_f5d32eee970b9eca.txt").read_bytes(), "text/plain"),
             ("http://example.gov.cn/c.html", b"", "text/html")]
    with open(warc, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for uri, body, ctype in pages:
            import io

            hdr = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=hdr))
    run_batch([str(warc)], tmp_path / "out", BatchOptions(jobs=1))
    docs = _lines(tmp_path / "out" / DOCUMENTS)
    assert [d["source"]["uri"] for d in docs] == [p[0] for p in pages[:2]]
    assert [d["batch"]["part"] for d in docs] == [0, 1] and docs[0]["batch"]["parts"] == 2
    assert docs[1]["meta"]["doc_number"] == "怀政办发〔2020〕4号"
    errs = _lines(tmp_path / "out" / ERRORS)
    assert [e["record"] for e in errs] == ["http://example.gov.cn/c.html"]


@pytest.mark.parametrize("spec, expect", [
    (["{d}"], ["a.txt", "b.html", "sub/c.pdf"]),
    (["{d}/*.txt"], ["a.txt"]),
    (["{d}/**/*.pdf"], ["sub/c.pdf"]),
    (["{d}/list.lst"], ["a.txt", "sub/c.pdf"]),
    (["@{d}/paths.txt"], ["b.html"]),
    (["{d}/a.txt", "{d}/a.txt"], ["a.txt"]),
])
def test_expand_inputs(tmp_path: Path, spec: list[str], expect: list[str]) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.html", "sub/c.pdf", "sub/skip.json"):
        (tmp_path / name).write_text("x")
    (tmp_path / "list.lst").write_text("a.txt\n# comment\nsub/c.pdf\n")
    (tmp_path / "paths.txt").write_text("b.html\n")
    # the .lst file and paths.txt are list files, not notices; keep them out of the folder walk
    got, missing = expand_inputs([s.format(d=tmp_path) for s in spec], exclude=("list.lst", "paths.txt"))
    assert [Path(g).relative_to(tmp_path).as_posix() for g in got] == expect
    assert missing == []


def test_expand_inputs_reports_missing_and_keeps_urls(tmp_path: Path) -> None:
    got, missing = expand_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "*.pdf"),
                                  "https://www.gov.cn/zhengce/content/2020-04/01/content_1.htm"])
    assert got == ["https://www.gov.cn/zhengce/content/2020-04/01/content_1.htm"]
    assert [m["stage"] for m in missing] == ["input", "input"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_repair_never_raises_and_leaves_whole_lines(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "documents.jsonl"
    good = b'{"id":"a","batch":{"input":"x","sha256":"1","part":0,"parts":1}}\n'
    p.write_bytes(good + data)
    recs = _repair(p)
    raw = p.read_bytes()
    assert raw == b"" or raw.endswith(b"\n")
    assert recs[0]["id"] == "a"
    assert len(raw.split(b"\n")[:-1]) == len(recs)

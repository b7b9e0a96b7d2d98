"""Batch extraction over thousands of inputs: parallel, resumable, crash-proof.

Why it is built this way:
- Each input is extracted in a *child process* (``python -m policyminer.batch --child``) that loads
  the pipeline once and runs under ``RLIMIT_AS``; the parent enforces a per-document timeout by
  killing the child. One pathological file therefore costs one error record and a restarted
  child, never the run. The same child is used under Dask (one per Dask worker process), so
  local and cluster runs share limits, outputs and error records.
- Only the parent writes. An input's documents are appended as whole lines in one ``write``
  followed by ``fsync``; every line carries ``batch: {input, sha256, part, parts}``. On restart
  the tail of ``documents.jsonl`` is repaired (torn last line and incomplete multi-document inputs
  dropped), and inputs whose (input, sha256 of bytes) already appear in ``documents.jsonl`` or
  ``errors.jsonl`` are skipped, so ``kill -9`` at any moment loses nothing and duplicates nothing.
- Every input ends in exactly one of ``documents.jsonl`` (>= 1 line) or ``errors.jsonl`` (1 line).

Where the time goes: a child's start-up (imports and the warm-up, which loads the measure
classifier: skops, scikit-learn, scipy) costs seconds of CPU, several times the extraction of
a notice, so short batches are dominated by it; a child told to stop exits with ``os._exit``
(it has sent every result and writes no file), skipping the teardown of everything it loaded.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import hashlib
import importlib
import json
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCUMENTS = "documents.jsonl"
ERRORS = "errors.jsonl"
SUMMARY = "summary.json"
LOG = "batch.log"
LOCK = ".batch.lock"

#: file suffixes picked up when walking a folder (named files are always taken)
NOTICE_SUFFIXES = (".txt", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".md",
                   ".csv", ".warc", ".warc.gz")
LIST_SUFFIXES = (".lst", ".list")
DEFAULT_EXTRACTOR = "policyminer.batch:extract_input"
WARMUP_TEXT = ("关于做好2020年优化营商环境工作的通知\n各县市区人民政府：\n"
               "一、市发展改革委牵头，6月底前完成，办结率达到95%以上。\n怀化市人民政府\n2020年3月2日\n")


# ----------------------------------------------------------------------------- inputs

@dataclass
class Task:
    """One input: an absolute path or URL, and the sha256 of its bytes (None for URLs)."""

    input: str
    sha256: str | None = None
    size: int = 0

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.input, self.sha256)


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def _looks_like_list(path: Path) -> bool:
    """A .txt whose every line is an existing path or a URL is a list of inputs, not a notice."""
    try:
        if path.stat().st_size > 50_000_000:
            return False
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        return False
    base = path.parent
    return all(_is_url(ln) or (base / ln).exists() or Path(ln).exists() for ln in lines[:200])


def _walk(folder: Path, exclude: tuple[str, ...]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            low = name.lower()
            if name.startswith(".") or not low.endswith(NOTICE_SUFFIXES):
                continue
            p = Path(root) / name
            if not _excluded(p, exclude):
                yield p


def _excluded(p: Path, exclude: tuple[str, ...]) -> bool:
    s = p.as_posix()
    return any(fnmatch.fnmatch(s, pat) or fnmatch.fnmatch(p.name, pat) for pat in exclude)


def expand_inputs(inputs: Iterable[str], exclude: Iterable[str] = ()) -> tuple[list[str], list[dict[str, Any]]]:
    """Inputs (absolute paths or URLs, each once, in order) and error records for those not found.

    Accepts files, folders (walked recursively for notice suffixes), glob patterns, URLs, and list
    files (``.lst``/``.list``, ``@file``, or a ``.txt`` of paths/URLs) whose relative lines are
    resolved against the list's folder.
    """
    excl = tuple(exclude)
    out: list[str] = []
    missing: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(s: str) -> None:
        if s not in seen:
            seen.add(s)
            out.append(s)

    def visit(item: str, base: Path | None, depth: int) -> None:
        item = item.strip()
        if not item or item.startswith("#"):
            return
        if _is_url(item):
            add(item)
            return
        forced_list = item.startswith("@")
        if forced_list:
            item = item[1:]
        p = Path(item).expanduser()
        if base is not None and not p.is_absolute():
            p = base / p
        if p.is_dir():
            for f in _walk(p, excl):
                add(os.path.abspath(f))
            return
        if p.is_file():
            low = p.name.lower()
            if depth < 3 and (forced_list or low.endswith(LIST_SUFFIXES)
                              or (low.endswith(".txt") and _looks_like_list(p))):
                try:
                    lines = p.read_text("utf-8").splitlines()
                except (OSError, UnicodeDecodeError) as e:
                    missing.append(_missing_record(str(p), f"cannot read list file: {e}"))
                    return
                for ln in lines:
                    visit(ln, p.parent, depth + 1)
                return
            add(os.path.abspath(p))
            return
        if any(ch in item for ch in "*?["):
            pattern = str(p)
            hits = sorted(glob.glob(pattern, recursive=True))
            files = []
            for h in hits:
                hp = Path(h)
                if hp.is_dir():
                    files.extend(_walk(hp, excl))
                elif hp.is_file() and not _excluded(hp, excl):
                    files.append(hp)
            if not files:
                missing.append(_missing_record(item, "glob pattern matched no file"))
            for f in files:
                add(os.path.abspath(f))
            return
        missing.append(_missing_record(str(p), "no such file or folder"))

    for it in inputs:
        visit(str(it), None, 0)
    return out, missing


def _missing_record(path: str, error: str) -> dict[str, Any]:
    return {"path": path, "stage": "input", "error": error, "sha256": None}


def sha256_file(path: str) -> tuple[str | None, int]:
    """Hex sha256 and size of a file's bytes; (None, 0) if it cannot be read."""
    h = hashlib.sha256()
    n = 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                n += len(chunk)
    except OSError:
        return None, 0
    return h.hexdigest(), n


# ----------------------------------------------------------------------------- extraction (child side)

def extract_input(path: str, no_text: bool = False) -> list[Any]:
    """Default extractor: the library's documents for one input.

    A WARC archive yields one document per archived notice or attachment; a record that cannot
    be read is returned as its ``PolicyminerError`` (written to errors.jsonl as ``archive#uri``)
    instead of failing the whole archive.
    """
    from . import api

    if path.lower().endswith((".warc", ".warc.gz")):
        return list(_extract_warc(path, no_text))
    return list(api.extract_path(path, no_text=no_text))


def _extract_warc(path: str, no_text: bool) -> Iterator[Any]:
    from .api import document_from_raw
    from .errors import PolicyminerError
    from .ingest import read_bytes
    from .ingest.warc import iter_warc

    for rec in iter_warc(path):
        try:
            raw = read_bytes(rec.content, rec.uri, rec.uri, content_type=rec.content_type)
            if rec.fetched_at and not getattr(raw, "fetched_at", None):
                try:
                    raw.fetched_at = rec.fetched_at
                except AttributeError:
                    pass
            doc = document_from_raw(raw, no_text=no_text)
            doc["source"]["archive"] = path
            if rec.fetched_at and not doc["source"].get("fetched_at"):
                doc["source"]["fetched_at"] = rec.fetched_at
            if rec.parent:
                doc["source"]["parent"] = rec.parent
            yield doc
        except PolicyminerError as e:
            yield e


def _load_callable(spec: str) -> Callable[..., Any]:
    mod, _, name = spec.partition(":")
    return getattr(importlib.import_module(mod), name)


_VALIDATOR: Any = None


def _validator() -> Callable[[dict[str, Any]], str | None] | None:
    """A schema check returning an error message or None; None when the schema is not installed.

    fastjsonschema compiles the schema to Python (about 12x faster than jsonschema, which
    would otherwise cost more than the extraction of a large notice); jsonschema is the fallback.
    """
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = False
        try:
            here = Path(__file__).resolve().parent
            schema = None
            for cand in (here / "data" / "document.schema.json",
                         here.parent.parent / "spec" / "document.schema.json"):
                if cand.is_file():
                    schema = json.loads(cand.read_text("utf-8"))
                    break
            if schema:
                _VALIDATOR = _compile_schema(schema)
        except Exception:  # noqa: BLE001 - validation is a safety net, never a crash
            _VALIDATOR = False
    return _VALIDATOR or None


def _compile_schema(schema: dict[str, Any]) -> Callable[[dict[str, Any]], str | None]:
    try:
        import fastjsonschema

        body = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}  # 2020-12 keywords used are draft-7 too
        fast = fastjsonschema.compile(body)

        def check(doc: dict[str, Any]) -> str | None:
            try:
                fast(doc)
            except fastjsonschema.JsonSchemaException as e:
                return str(e.message)[:300]
            return None

        return check
    except ImportError:
        import jsonschema

        v = jsonschema.Draft202012Validator(schema)

        def check_slow(doc: dict[str, Any]) -> str | None:
            err = next(iter(v.iter_errors(doc)), None)
            if err is None:
                return None
            where = "/".join(str(x) for x in err.absolute_path) or "(document)"
            return f"{where}: {err.message[:300]}"

        return check_slow


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _root_causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (library errors wrap component failures)."""
    out: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(out) < 10:
        out.append(e)
        e = e.__cause__ or e.__context__
    return out


def _error_fields(exc: BaseException) -> tuple[str, str]:
    if any(isinstance(e, MemoryError) for e in _root_causes(exc)):
        return "memory", "out of memory (per-document memory limit reached)"
    if isinstance(exc, RecursionError):
        return "extract", "RecursionError: input too deeply nested"
    stage = getattr(exc, "stage", None)
    reason = getattr(exc, "reason", None)
    if stage and reason is not None:
        return str(stage), str(reason)
    return "extract", f"{type(exc).__name__}: {exc}"


def _part_error(task: Task, e: BaseException) -> dict[str, Any]:
    """Error record of one unreadable record inside a multi-document input (a WARC)."""
    stage, msg = _error_fields(e)
    src = getattr(e, "source", None) or "?"
    return {"path": f"{task.input}#{src}", "stage": stage, "error": msg[:2000], "sha256": task.sha256,
            "input": task.input, "record": src}


def run_one(fn: Callable[..., Any], task: Task, no_text: bool, validate: bool) -> tuple:
    """Extract one input; a result tuple ``("ok", key, lines, chars, secs, rss)`` or ``("error", ...)``."""
    t0 = time.perf_counter()
    try:
        items = list(fn(task.input, no_text=False))  # text kept to count characters, dropped below
        docs = [d for d in items if isinstance(d, dict)]
        part_errors = [_part_error(task, e) for e in items if isinstance(e, BaseException)]
        if not docs:
            if len(items) == 1 and part_errors:
                raise items[0]
            why = (f"no document found in input ({len(part_errors)} unreadable records, first: "
                   f"{part_errors[0]['error']})") if part_errors else "no document found in input"
            return ("error", task.key, "ingest", why, time.perf_counter() - t0, _peak_rss_mb())
        val = _validator() if validate else None
        lines = []
        chars = 0
        for i, doc in enumerate(docs):
            doc["batch"] = {"input": task.input, "sha256": task.sha256, "part": i, "parts": len(docs)}
            if val is not None and (msg := val(doc)) is not None:
                return ("error", task.key, "schema", msg, time.perf_counter() - t0, _peak_rss_mb())
            text = doc.get("text")
            chars += len(text) if isinstance(text, str) else 0
            if no_text:
                doc["text"] = None
            lines.append(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        return ("ok", task.key, b"".join(lines), chars, time.perf_counter() - t0, _peak_rss_mb(), part_errors)
    except BaseException as e:  # noqa: BLE001 - every failure becomes an error record
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        stage, msg = _error_fields(e)
        return ("error", task.key, stage, msg[:2000], time.perf_counter() - t0, _peak_rss_mb())


def _send(stream: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _recv(stream: Any) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("child closed its pipe")
    (n,) = struct.unpack("<Q", head)
    data = stream.read(n)
    if len(data) < n:
        raise EOFError("child closed its pipe mid-message")
    return pickle.loads(data)


def _child_main(argv: list[str]) -> int:
    """Child process: limit memory, load the pipeline once, then extract tasks from stdin."""
    opts = json.loads(argv[0])
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to the log, never into the protocol stream
    proto_in = os.fdopen(os.dup(0), "rb")
    mem = opts.get("max_memory_mb")
    if mem:
        import resource

        lim = int(mem) * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        except (ValueError, OSError):
            pass
    fn = _load_callable(opts.get("extractor") or DEFAULT_EXTRACTOR)
    warm = opts.get("warmup")
    if warm:
        try:
            _load_callable(warm)()
        except Exception as e:  # noqa: BLE001 - warm-up is best effort unless the pipeline cannot load
            root = next((x for x in _root_causes(e) if isinstance(x, (MemoryError, ImportError))), None)
            if root is not None:
                hint = f" (is --max-memory {mem} MB too low?)" if mem else ""
                _send(proto_out, ("fatal", os.getpid(), f"{type(root).__name__}: {root}"[:500] + hint))
                return 3
    _send(proto_out, ("ready", os.getpid(), _peak_rss_mb()))
    while True:
        try:
            msg = _recv(proto_in)
        except EOFError:
            msg = None
        if msg is None:
            # Told to stop (or the parent is gone): every result is already sent and the child
            # writes no file, so skip the interpreter's teardown of the loaded pipeline and
            # models, which takes longer than the last documents of a short batch.
            for stream in (proto_out, sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(0)
        _send(proto_out, run_one(fn, msg, bool(opts.get("no_text")), bool(opts.get("validate", True))))


def warmup() -> None:
    """Load the pipeline and its data files before the first timed document."""
    from . import api

    api.extract(WARMUP_TEXT)


# ----------------------------------------------------------------------------- child handle (parent side)

class Child:
    """A running child extractor, talked to over framed pickles on its stdin/stdout."""

    def __init__(self, opts: dict[str, Any], log_path: str | None) -> None:
        self.opts = opts
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.ready = False
        self.task: Task | None = None
        self.started = 0.0
        self.done = 0
        self.peak_rss_mb = 0.0

    def start(self) -> None:
        log = open(self.log_path, "ab") if self.log_path else None  # None: inherit (Dask worker log)
        env = dict(os.environ)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        src = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join([p for p in [src, *sys.path, env.get("PYTHONPATH", "")] if p])
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "policyminer.batch", "--child", json.dumps(self.opts)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
                start_new_session=True)
        finally:
            if log is not None:
                log.close()
        self.ready = False
        self.task = None
        self.done = 0

    @property
    def stdout(self) -> Any:
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout

    def submit(self, task: Task) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.task = task
        self.started = time.monotonic()
        _send(self.proc.stdin, task)

    def read(self) -> Any:
        msg = _recv(self.stdout)
        if msg[0] == "fatal":
            raise RuntimeError(f"batch worker cannot start: {msg[2]}")
        if msg[0] == "ready":
            self.ready = True
            self.peak_rss_mb = max(self.peak_rss_mb, msg[2])
        else:
            self.task = None
            self.done += 1
            self.peak_rss_mb = max(self.peak_rss_mb, msg[5])
        return msg

    def death_reason(self) -> str:
        code = self.proc.wait(timeout=10) if self.proc else None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            return f"worker killed by {name} (likely memory exhausted)"
        return f"worker exited with code {code}"

    def kill(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for s in (self.proc.stdin, self.proc.stdout):
            try:
                if s:
                    s.close()
            except OSError:
                pass
        self.proc = None
        self.ready = False

    def ask_stop(self) -> None:
        """Tell the child to exit once idle (it exits at once); :meth:`stop` then reaps it."""
        if self.proc is None:
            return
        try:
            _send(self.proc.stdin, None)
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        self.ask_stop()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.kill()


def _timeout_result(task: Task, timeout: float) -> tuple:
    return ("error", task.key, "timeout", f"no result within {timeout:g} s; worker killed and restarted",
            timeout, 0.0)


def _crash_result(task: Task, reason: str) -> tuple:
    return ("error", task.key, "worker", reason, 0.0, 0.0)


# ----------------------------------------------------------------------------- output files

def _repair(path: Path) -> list[dict[str, Any]]:
    """Drop a torn last line and, in documents, inputs whose parts are not all present.

    Returns the parsed records that remain. Only the tail can be damaged (single appending
    writer), so the common case is a cheap truncate.
    """
    if not path.exists():
        return []
    with open(path, "rb") as f:
        data = f.read()
    end = data.rfind(b"\n") + 1
    records: list[dict[str, Any]] = []
    bad = end < len(data)
    groups: dict[tuple, list[int]] = {}
    for raw in data[:end].split(b"\n")[:-1]:
        try:
            rec = json.loads(raw)
        except ValueError:
            bad = True
            continue
        if not isinstance(rec, dict):
            bad = True
            continue
        b = rec.get("batch") if isinstance(rec.get("batch"), dict) else None
        if b is not None:
            groups.setdefault((str(b.get("input")), str(b.get("sha256"))), []).append(len(records))
        records.append(rec)
    drop: set[int] = set()
    for idxs in groups.values():
        parts = records[idxs[0]]["batch"].get("parts")
        parts = parts if isinstance(parts, int) and parts > 0 else 1
        have = {repr(records[i]["batch"].get("part")) for i in idxs}
        if len(have) < parts:
            drop.update(idxs)
        elif len(idxs) > len(have):  # a duplicated part (should not happen): keep the first copy
            seen: set = set()
            for i in idxs:
                p = repr(records[i]["batch"].get("part"))
                if p in seen:
                    drop.add(i)
                seen.add(p)
    if drop:
        records = [r for i, r in enumerate(records) if i not in drop]
        bad = True
    if bad:
        tmp = path.with_name(path.name + ".repair")
        with open(tmp, "wb") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    return records


class _Appender:
    """Whole-line appends: one write per input, then fsync, so a kill never leaves half a record."""

    def __init__(self, path: Path, fsync: bool = True) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.fsync = fsync

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        if self.fsync:
            os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)


# ----------------------------------------------------------------------------- the batch

@dataclass
class BatchOptions:
    """How to run a batch; the defaults suit a laptop."""

    jobs: int = 0  #: worker processes (0: all cores)
    timeout: float = 120.0  #: seconds per input before its worker is killed
    max_memory_mb: int = 2048  #: address-space limit per worker
    no_text: bool = False  #: leave ``text`` out of documents.jsonl
    validate: bool = True  #: check every document against the schema
    retry_errors: bool = False  #: re-run inputs recorded in errors.jsonl
    exclude: tuple[str, ...] = ()  #: glob patterns skipped when walking folders
    dask: str | None = None  #: "local" or a scheduler address
    dask_workers: int = 2  #: workers of ``--dask local``
    max_tasks_per_worker: int = 2000  #: recycle workers to keep memory flat
    #: "module:function(path, no_text=...) -> list[dict]"; env POLICYMINER_BATCH_EXTRACTOR overrides
    extractor: str = field(default_factory=lambda: os.environ.get("POLICYMINER_BATCH_EXTRACTOR", DEFAULT_EXTRACTOR))
    warmup: str | None = field(default_factory=lambda: os.environ.get("POLICYMINER_BATCH_WARMUP",
                                                                      "policyminer.batch:warmup"))
    fsync: bool = True
    formats: tuple[str, ...] = ()  #: export formats to write after the batch
    extra: dict[str, Any] = field(default_factory=dict)

    def child_opts(self) -> dict[str, Any]:
        return {"extractor": self.extractor, "warmup": self.warmup, "no_text": self.no_text,
                "validate": self.validate, "max_memory_mb": self.max_memory_mb}


ProgressFn = Callable[[dict[str, Any]], None]


def _hkey(x: Any) -> str | None:
    return x if x is None or isinstance(x, str) else str(x)


def plan(inputs: Iterable[str], out_dir: str | Path, opts: BatchOptions) -> dict[str, Any]:
    """Repair the output files and work out what is left to do (used by :func:`run_batch`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = _repair(out / DOCUMENTS)
    errs = _repair(out / ERRORS)
    if opts.retry_errors and errs:
        # forget failed inputs (they run again); keep unreadable records of archives that are done
        errs = [e for e in errs if e.get("record")]
        tmp = out / (ERRORS + ".repair")
        with open(tmp, "wb") as f:
            for e in errs:
                f.write(json.dumps(e, ensure_ascii=False).encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out / ERRORS)
    done: set[tuple] = set()
    done_urls: set[str] = set()
    for d in docs:
        b = d.get("batch") or {}
        done.add((_hkey(b.get("input")), _hkey(b.get("sha256"))))
        done_urls.add(_hkey(b.get("input")))
    for e in errs:
        done.add((_hkey(e.get("path")), _hkey(e.get("sha256"))))
        done_urls.add(_hkey(e.get("path")))
    paths, missing = expand_inputs(inputs, opts.exclude)
    todo: list[Task] = []
    skipped = 0
    new_missing = [m for m in missing if (m["path"], None) not in done]
    for p in paths:
        if _is_url(p):
            if p in done_urls:
                skipped += 1
            else:
                todo.append(Task(p, None, 0))
            continue
        sha, size = sha256_file(p)
        if sha is None:
            if (p, None) in done:
                skipped += 1
            else:
                new_missing.append({"path": p, "stage": "input", "error": "cannot read file", "sha256": None})
            continue
        if (p, sha) in done:
            skipped += 1
        else:
            todo.append(Task(p, sha, size))
    return {"todo": todo, "missing": new_missing, "skipped": skipped,
            "error_keys": {(_hkey(e.get("path")), _hkey(e.get("sha256"))) for e in errs},
            "inputs": len(paths) + len(missing), "prior_docs": len(docs), "prior_errors": len(errs)}


def run_batch(inputs: Iterable[str], out_dir: str | Path, opts: BatchOptions | None = None,
              on_progress: ProgressFn | None = None) -> dict[str, Any]:
    """Extract every input into ``out_dir``; returns the summary (also written to summary.json)."""
    opts = opts or BatchOptions()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    import fcntl

    lock = open(out / LOCK, "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise RuntimeError(f"another batch is writing to {out}") from None
    try:
        return _run_locked(inputs, out, opts, on_progress)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _run_locked(inputs: Iterable[str], out: Path, opts: BatchOptions,
                on_progress: ProgressFn | None) -> dict[str, Any]:
    t_start = time.time()
    pl = plan(inputs, out, opts)
    todo: list[Task] = pl["todo"]
    state: dict[str, Any] = {
        "total": len(todo) + len(pl["missing"]), "completed": 0, "documents": 0, "errors": 0,
        "chars": 0, "skipped": pl["skipped"], "errors_by_stage": {}, "peak_rss_mb": 0.0,
        "worker_restarts": 0, "extract_seconds": 0.0,
    }
    docs_out = _Appender(out / DOCUMENTS, opts.fsync)
    errs_out = _Appender(out / ERRORS, opts.fsync)
    by_key = {t.key: t for t in todo}

    def record(res: tuple) -> None:
        kind, key = res[0], res[1]
        if kind == "ok":
            fresh = [r for r in (res[6] if len(res) > 6 else []) if (r["path"], r["sha256"]) not in pl["error_keys"]]
            if fresh:
                res = res[:6] + (fresh,)
                errs_out.write(b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in res[6]))
                state["record_errors"] = state.get("record_errors", 0) + len(res[6])
            docs_out.write(res[2])
            state["documents"] += res[2].count(b"\n")
            state["chars"] += res[3]
        else:
            task = by_key.get(key)
            rec = {"path": key[0], "stage": res[2], "error": res[3], "sha256": key[1],
                   "size": task.size if task else None}
            errs_out.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
            state["errors"] += 1
            state["errors_by_stage"][res[2]] = state["errors_by_stage"].get(res[2], 0) + 1
        state["extract_seconds"] += res[4] or 0.0
        state["peak_rss_mb"] = max(state["peak_rss_mb"], res[5] or 0.0)
        state["completed"] += 1
        if on_progress:
            on_progress(state)

    if on_progress:
        on_progress(state)
    interrupted = False
    try:
        for m in pl["missing"]:
            record(("error", (m["path"], None), m["stage"], m["error"], 0.0, 0.0))
        if todo:
            if opts.dask:
                _run_dask(todo, opts, record, state, out)
            else:
                _run_local(todo, opts, record, state, out)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        docs_out.close()
        errs_out.close()
    summary = _summary(out, pl, state, opts, t_start, interrupted)
    if opts.formats and not interrupted:
        from .export.store import export

        files = export(out, out, opts.formats)
        summary["exports"] = {k: [str(p) for p in v] for k, v in files.items()}
    tmp = out / (SUMMARY + ".tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    os.replace(tmp, out / SUMMARY)
    if interrupted:
        raise KeyboardInterrupt
    return summary


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def _summary(out: Path, pl: dict[str, Any], state: dict[str, Any], opts: BatchOptions,
             t_start: float, interrupted: bool) -> dict[str, Any]:
    elapsed = time.time() - t_start
    n_err = _count_lines(out / ERRORS)
    return {
        "finished": not interrupted,
        "started_at": dt.datetime.fromtimestamp(t_start, dt.timezone.utc).isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed, 2),
        "inputs": pl["inputs"],
        "documents_total": _count_lines(out / DOCUMENTS),
        "errors_total": n_err,
        "this_run": {
            "processed": state["completed"], "skipped_already_done": state["skipped"],
            "documents": state["documents"], "errors": state["errors"],
            "errors_by_stage": state["errors_by_stage"], "chars": state["chars"],
            "docs_per_s": round(state["completed"] / elapsed, 2) if elapsed > 0 else None,
            "chars_per_s": round(state["chars"] / elapsed) if elapsed > 0 else None,
            "extract_seconds": round(state["extract_seconds"], 2),
            "worker_restarts": state["worker_restarts"],
            "peak_rss_mb_per_worker": round(state["peak_rss_mb"], 1),
        },
        "options": {"jobs": opts.jobs or os.cpu_count(), "timeout_s": opts.timeout,
                    "max_memory_mb": opts.max_memory_mb, "dask": opts.dask, "no_text": opts.no_text},
        "files": {"documents": str(out / DOCUMENTS), "errors": str(out / ERRORS), "log": str(out / LOG)},
    }


def _run_local(todo: list[Task], opts: BatchOptions, record: Callable[[tuple], None],
               state: dict[str, Any], out: Path) -> None:
    """A pool of child processes driven by one selector loop (timeouts and crashes handled here)."""
    jobs = max(1, min(opts.jobs or os.cpu_count() or 1, len(todo)))
    queue = list(reversed(todo))
    child_opts = opts.child_opts()
    log = str(out / LOG)
    children = [Child(child_opts, log) for _ in range(jobs)]
    sel = selectors.DefaultSelector()
    startup_failures = 0

    def start(c: Child) -> None:
        c.start()
        sel.register(c.stdout, selectors.EVENT_READ, c)

    def restart(c: Child) -> None:
        try:
            sel.unregister(c.stdout)
        except (KeyError, ValueError, AssertionError):
            pass
        c.kill()
        state["worker_restarts"] += 1
        if queue or any(x.task for x in children):
            start(c)

    try:
        for c in children:
            start(c)
        while queue or any(c.task for c in children):
            for c in children:
                if c.proc is not None and c.ready and c.task is None and queue:
                    if c.done >= opts.max_tasks_per_worker:
                        restart(c)
                        continue
                    c.submit(queue.pop())
            busy = [c for c in children if c.task is not None]
            now = time.monotonic()
            wait = 1.0
            if busy:
                wait = max(0.0, min(wait, min(c.started + opts.timeout - now for c in busy)))
            for sk, _ in sel.select(timeout=wait):
                c = sk.data
                try:
                    msg = c.read()
                except (EOFError, OSError, pickle.UnpicklingError):
                    task = c.task
                    reason = c.death_reason()
                    if task is not None:
                        record(_crash_result(task, reason))
                    elif not c.ready:
                        startup_failures += 1
                        if startup_failures > 3 * jobs:
                            raise RuntimeError(f"batch workers cannot start ({reason}); see {log}")
                    restart(c)
                    continue
                if msg[0] != "ready":
                    startup_failures = 0
                    record(msg)
            now = time.monotonic()
            for c in children:
                if c.task is not None and now - c.started > opts.timeout:
                    task = c.task
                    record(_timeout_result(task, opts.timeout))
                    restart(c)
            state["peak_rss_mb"] = max([state["peak_rss_mb"]] + [c.peak_rss_mb for c in children])
    except BaseException:
        for c in children:  # interrupted or failed: do not wait for documents in progress
            c.kill()
        raise
    finally:
        for c in children:  # all children exit together rather than one after the other
            c.ask_stop()
        for c in children:
            c.stop()
        sel.close()


# ----------------------------------------------------------------------------- Dask

_DASK_CHILDREN: dict[int, Child] = {}  # one extraction child per Dask worker thread


def dask_task(task: Task, child_opts: dict[str, Any], timeout: float) -> tuple:
    """Run one input in this Dask worker thread's persistent child, with the same limits as local runs."""
    tid = threading.get_ident()
    c = _DASK_CHILDREN.get(tid)
    if c is None or c.proc is None or c.proc.poll() is not None or c.opts != child_opts:
        if c is not None:
            c.kill()
        c = _DASK_CHILDREN[tid] = Child(child_opts, os.environ.get("POLICYMINER_BATCH_LOG"))
        c.start()
        try:
            while not c.ready:
                c.read()
        except (EOFError, OSError) as e:
            reason = c.death_reason()
            c.kill()
            _DASK_CHILDREN.pop(tid, None)
            return _crash_result(task, f"worker could not start: {reason} ({e})")
    c.submit(task)
    sel = selectors.DefaultSelector()
    sel.register(c.stdout, selectors.EVENT_READ)
    try:
        if not sel.select(timeout=timeout):
            c.kill()
            _DASK_CHILDREN.pop(tid, None)
            return _timeout_result(task, timeout)
        try:
            return c.read()
        except (EOFError, OSError, pickle.UnpicklingError):
            reason = c.death_reason()
            c.kill()
            _DASK_CHILDREN.pop(tid, None)
            return _crash_result(task, reason)
    finally:
        sel.close()


def _run_dask(todo: list[Task], opts: BatchOptions, record: Callable[[tuple], None],
              state: dict[str, Any], out: Path) -> None:
    """Submit inputs to a Dask cluster with a bounded number in flight; the parent still writes."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if opts.dask == "local":
        cluster = LocalCluster(n_workers=opts.dask_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=0)
        client = Client(cluster)
    else:
        client = Client(opts.dask)
    try:
        nthreads = max(1, sum(client.nthreads().values()))
        window = 2 * nthreads
        child_opts = opts.child_opts()
        queue = list(reversed(todo))
        ac = as_completed()
        inflight: dict[Any, Task] = {}

        def submit_next() -> None:
            t = queue.pop()
            fut = client.submit(dask_task, t, child_opts, opts.timeout, pure=False,
                                key=f"policyminer-{hashlib.sha1(repr(t.key).encode()).hexdigest()}-{time.time_ns()}")
            inflight[fut] = t
            ac.add(fut)

        while queue and len(inflight) < window:
            submit_next()
        for fut in ac:
            task = inflight.pop(fut)
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker, CancelledError ...
                res = _crash_result(task, f"dask: {type(e).__name__}: {e}"[:2000])
            fut.release()
            record(res)
            if queue:
                submit_next()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        sys.exit(_child_main(sys.argv[2:]))
    sys.exit("usage: python -m policyminer.batch --child OPTIONS_JSON (internal)")

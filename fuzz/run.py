"""Mutation fuzzer over the ingest layer (HTML and PDF first), hypothesis-free and dependency-free.

Why not atheris: it is not installable for this Python everywhere; a byte/structure mutator
with a supervising parent finds the same class of bugs here (uncaught exceptions, native
crashes in pdfium/lxml, hangs) and needs nothing beyond the standard library.

    .venv/bin/python fuzz/run.py --minutes 10 [--pipeline-every 20] [--seed 1]

The parent starts a worker process that loops: pick a seed (fuzz/corpus/* plus the real
HTML/PDF notices of corpora/dev and the small files of corpora/bad), mutate it, call
``policyminer.ingest.read_bytes`` (and every ``--pipeline-every``-th input the whole
``document_from_raw``). An IngestError/ExtractError is the expected outcome for junk; any
other exception is a finding. Before each input the worker writes it to ``fuzz/work/current``
so that when the worker dies (segfault) or hangs (no heartbeat for ``--hang`` seconds) the
parent saves that input as a finding and starts a new worker.

Findings go to ``fuzz/findings/<kind>-<sha1>.<ext>`` with a ``.txt`` note (traceback);
inputs that end in a new outcome (a new error reason class) are added to ``fuzz/corpus/``
when small, so later runs start from them. Stats of each run are appended to
``fuzz/runs.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
CORPUS = FUZZ / "corpus"
FINDINGS = FUZZ / "findings"
WORK = FUZZ / "work"
MAX_CORPUS_FILE = 64 * 1024

HTML_TOKENS = [b"<div>", b"</div>", b"<table>", b"<tr><td>", b"</td></tr>", b"<br>", b"<p>", b"</p>",
               b"<script>", b"</script>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"&#x0;", b"&#55296;",
               b"&nbsp;", b"&amp", b"<meta charset=\"big5\">", b"<meta charset=\"gb2312\">",
               b"<meta charset=\"utf-16\">", b"<title>", b"</title>", b"<h1 class=\"title\">",
               b"<div class=\"article-content\">", b"<a href=\"x\">", b"<style>", b"\x00", b"\xff\xfe",
               "发布时间：2024年3月1日".encode("utf-8"), "一、".encode("utf-8"), "。".encode("gbk"),
               b"<svg><foreignObject>", b"<math>", b"<template>", b"<frameset>", b"<?xml version='1.0'?>",
               b"<!DOCTYPE html>", b"<html>", b"<body>", b"</body></html>", b"<img src=x>"]
PDF_TOKENS = [b"obj", b"endobj", b"stream\n", b"\nendstream", b"xref", b"trailer", b"startxref",
              b"%%EOF", b"/Length 999999", b"/Length -1", b"/Filter /FlateDecode", b"/Filter /LZWDecode",
              b"/Type /Page", b"/Count 100000", b"/Kids [1 0 R]", b"/Parent 1 0 R", b"<< /Encrypt 1 0 R >>",
              b"BT /F1 12 Tf (\xe4\xb8\x80) Tj ET", b"/Font << /F1 3 0 R >>", b"9999999999", b"-0.0",
              b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"/ToUnicode 3 0 R", b"/Annots [", b"%PDF-1.7\n"]


def seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed: our corpus, real HTML/PDF notices, the bad-input files."""
    out = []
    paths = sorted(CORPUS.glob("*"))
    paths += sorted((ROOT / "corpora" / "dev" / "docs").glob("*.htm*"))
    paths += sorted((ROOT / "corpora" / "dev" / "docs").glob("*.pdf"))
    paths += sorted(p for p in (ROOT / "corpora" / "bad").glob("*") if p.suffix in (".pdf", ".html", ".htm"))
    for p in paths:
        if p.is_file():
            out.append((p.name, p.read_bytes()))
    return out


def _ext(name: str) -> str:
    s = Path(name).suffix.lower()
    return s if s in (".pdf", ".html", ".htm", ".docx", ".txt") else ".bin"


def mutate(rng: random.Random, data: bytes, ext: str, pool: list[bytes]) -> bytes:
    """One to eight stacked mutations: bytes, chunks, format tokens, splices, truncation."""
    buf = bytearray(data)
    tokens = PDF_TOKENS if ext == ".pdf" else HTML_TOKENS
    for _ in range(rng.randint(1, 8)):
        n = len(buf)
        op = rng.randrange(11)
        if n == 0:
            buf += rng.choice(tokens)
            continue
        i = rng.randrange(n)
        if op == 0:  # flip bits
            for _ in range(rng.randint(1, 16)):
                j = rng.randrange(n)
                buf[j] ^= 1 << rng.randrange(8)
        elif op == 1:  # random bytes overwrite
            k = rng.randint(1, 32)
            buf[i:i + k] = os.urandom(k)
        elif op == 2:  # delete a chunk
            del buf[i:i + rng.randint(1, max(1, n // 8))]
        elif op == 3:  # duplicate a chunk (nesting, repeated objects)
            k = rng.randint(1, min(4096, n - i))
            buf[i:i] = buf[i:i + k] * rng.randint(1, 50)
        elif op == 4:  # insert a format token
            buf[i:i] = rng.choice(tokens) * rng.choice((1, 1, 1, 10, 1000))
        elif op == 5:  # truncate
            del buf[rng.randrange(n):]
        elif op == 6:  # splice with another seed
            other = rng.choice(pool)
            if other:
                j = rng.randrange(len(other))
                buf[i:] = other[j:j + rng.randint(1, 65536)]
        elif op == 7:  # interesting numbers in ASCII digits
            m = re.search(rb"\d+", bytes(buf[i:i + 200]))
            if m:
                s, e = i + m.start(), i + m.end()
                buf[s:e] = rng.choice([b"0", b"-1", b"2147483648", b"99999999999999999999", b"1e308", b"NaN"])
        elif op == 8:  # re-encode a slice (GBK/UTF-16 mixtures)
            k = rng.randint(1, 2048)
            try:
                piece = bytes(buf[i:i + k]).decode("utf-8", "ignore").encode(rng.choice(["gb18030", "utf-16", "big5"]), "ignore")
                buf[i:i + k] = piece
            except LookupError:
                pass
        elif op == 9:  # deep nesting for HTML, deep dict/array nesting for PDF
            tok = (b"<div><span>" if ext != ".pdf" else rng.choice([b"<<", b"["]))
            buf[i:i] = tok * rng.choice((100, 5000, 50000))
        else:  # swap two chunks
            j = rng.randrange(n)
            k = rng.randint(1, 256)
            a, b = bytes(buf[i:i + k]), bytes(buf[j:j + k])
            buf[i:i + len(a)], buf[j:j + len(b)] = b, a
    return bytes(buf[: 8 * 1024 * 1024])


def _outcome_key(exc: BaseException | None) -> str:
    if exc is None:
        return "ok"
    reason = re.sub(r"[0-9.]+|\(.*", "", str(getattr(exc, "reason", exc)))[:60]
    return f"{type(exc).__name__}:{reason}"


def worker(seed: int, pipeline_every: int, status_path: Path) -> None:
    """The fuzz loop (runs until killed)."""
    import logging

    logging.disable(logging.WARNING)  # pdfminer logs every malformed operator
    from policyminer.errors import PolicyminerError
    from policyminer.ingest import read_bytes

    document_from_raw = None
    if pipeline_every:
        from policyminer.api import document_from_raw
    rng = random.Random(seed)
    pool = seeds()
    raw_pool = [d for _, d in pool]
    seen: set[str] = set()
    WORK.mkdir(parents=True, exist_ok=True)
    current = WORK / f"current-{os.getpid()}"
    n = 0
    stats = {"inputs": 0, "errors": 0, "ok": 0, "findings": 0, "pipeline": 0}
    last_status = time.monotonic()
    while True:
        name, data = rng.choice(pool)
        ext = _ext(name)
        data = mutate(rng, data, ext, raw_pool)
        current.write_bytes(ext.encode() + b"\n" + data)
        exc: BaseException | None = None
        try:
            raw = read_bytes(data, "fuzz", "input" + ext)
            if document_from_raw is not None and n % pipeline_every == 0:
                stats["pipeline"] += 1
                document_from_raw(raw, no_text=True)
            stats["ok"] += 1
        except PolicyminerError as err:
            exc = err
            stats["errors"] += 1
        except RecursionError as err:  # noqa: PERF203
            exc = err
            save_finding("exception", data, ext, traceback.format_exc())
            stats["findings"] += 1
        except Exception as err:  # noqa: BLE001 - anything else is a bug in our code
            exc = err
            save_finding("exception", data, ext, traceback.format_exc())
            stats["findings"] += 1
        key = _outcome_key(exc)
        if key not in seen:
            seen.add(key)
            if len(data) <= MAX_CORPUS_FILE:
                h = hashlib.sha1(data).hexdigest()[:12]
                CORPUS.mkdir(parents=True, exist_ok=True)
                p = CORPUS / f"new-{h}{ext}"
                if not p.exists() and len(list(CORPUS.glob("new-*"))) < 200:
                    p.write_bytes(data)
                    pool.append((p.name, data))
        n += 1
        stats["inputs"] = n
        if time.monotonic() - last_status > 2:
            status_path.write_text(json.dumps(stats))
            last_status = time.monotonic()


def _signature(note: str) -> str:
    """Exception type and the innermost frame: one finding per distinct bug."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', note)
    last = note.strip().splitlines()[-1] if note.strip() else ""
    where = f"{Path(frames[-1][0]).name}:{frames[-1][1]}" if frames else ""
    return f"{last.split(':')[0]}@{where}"


def save_finding(kind: str, data: bytes, ext: str, note: str) -> Path:
    FINDINGS.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:12]
    if kind == "exception":
        sig = _signature(note)
        h = hashlib.sha1(sig.encode()).hexdigest()[:12]
        note = f"signature: {sig}\n\n{note}"
    p = FINDINGS / f"{kind}-{h}{ext}"
    if not p.exists():
        p.write_bytes(data)
        (FINDINGS / f"{kind}-{h}{ext}.txt").write_text(note, encoding="utf-8")
    return p


def supervise(minutes: float, hang: float, pipeline_every: int, seed: int) -> dict:
    """Run workers for ``minutes``; restart them after crashes and hangs, which become findings."""
    WORK.mkdir(parents=True, exist_ok=True)
    t_end = time.monotonic() + minutes * 60
    totals = {"inputs": 0, "errors": 0, "ok": 0, "findings": 0, "pipeline": 0, "crashes": 0, "hangs": 0}
    started = time.time()
    k = 0
    while time.monotonic() < t_end:
        status = WORK / f"status-{seed}-{k}.json"
        proc = subprocess.Popen([sys.executable, __file__, "--worker", "--seed", str(seed * 1000 + k),
                                 "--pipeline-every", str(pipeline_every), "--status", str(status)])
        cur = WORK / f"current-{proc.pid}"
        last_mtime, last_change = None, time.monotonic()
        ended = None
        while time.monotonic() < t_end:
            time.sleep(0.5)
            rc = proc.poll()
            if rc is not None:
                ended = ("crash", f"worker exited with code {rc}")
                break
            try:
                m = cur.stat().st_mtime_ns
            except FileNotFoundError:
                m = None
            if m != last_mtime:
                last_mtime, last_change = m, time.monotonic()
            elif m is not None and time.monotonic() - last_change > hang:
                ended = ("hang", f"no progress for {hang:.0f} s")
                proc.kill()
                proc.wait()
                break
        else:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        try:
            st = json.loads(status.read_text())
        except (OSError, ValueError):
            st = {}
        for key in ("inputs", "errors", "ok", "findings", "pipeline"):
            totals[key] += st.get(key, 0)
        if ended and cur.exists():
            blob = cur.read_bytes()
            ext, _, data = blob.partition(b"\n")
            save_finding(ended[0], data, ext.decode(errors="replace"), ended[1])
            totals["crashes" if ended[0] == "crash" else "hangs"] += 1
            print(f"finding: {ended[0]} ({ended[1]})", flush=True)
        for f in (cur, status):
            try:
                f.unlink()
            except FileNotFoundError:
                pass
        k += 1
    totals["seconds"] = round(time.time() - started, 1)
    totals["started"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))
    totals["seed"] = seed
    with open(FUZZ / "runs.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(totals) + "\n")
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--hang", type=float, default=30.0, help="seconds without progress that count as a hang")
    ap.add_argument("--pipeline-every", type=int, default=20, help="run the whole pipeline on every N-th input (0: never)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--status", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.seed, args.pipeline_every, args.status)
        return
    totals = supervise(args.minutes, args.hang, args.pipeline_every, args.seed)
    print(json.dumps(totals))


if __name__ == "__main__":
    main()

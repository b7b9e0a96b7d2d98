"""Memory benchmark for `policyminer batch`: 10,000 notices made by repeating the corpora.

Why: a researcher's archive has tens of thousands of notices; worker memory must stay flat
(no growth with the number of documents processed) and under 500 MB per worker.

Each copy gets a distinguishing last line, so every input is a distinct file with its own
content hash (nothing is skipped as already done). The batch runs as a subprocess; this
script samples the resident memory of every worker process (psutil) every second and reports
the peak per worker and the peak over time windows, so growth would be visible.

    .venv/bin/python benchmarks/bench_batch_memory.py [--n 10000] [--jobs 2] [--out /tmp/pm-bench]

Not part of `make test` (it takes a while).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def make_inputs(n: int, dest: Path) -> list[Path]:
    """``n`` notices cycling through corpora/*/docs, each with a unique trailing line."""
    src = sorted(p for c in ("seeds", "dev") for p in (ROOT / "corpora" / c / "docs").iterdir() if p.is_file())
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = src[i % len(src)]
        sub = dest / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        q = sub / f"c{i:05d}_{p.name}"
        data = p.read_bytes()
        if p.suffix in (".txt", ".csv", ".html"):
            data += f"\n<!-- copy {i} -->\n".encode() if p.suffix == ".html" else f"\n（副本{i}）\n".encode("utf-8")
        # binary formats (pdf, doc, docx) are copied as they are: their path makes them distinct inputs
        q.write_bytes(data)
        out.append(q)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("/tmp/pm-bench-memory"))
    ap.add_argument("--keep", action="store_true", help="Reuse inputs/outputs (resume a stopped run)")
    args = ap.parse_args()
    if not args.keep and args.out.exists():
        shutil.rmtree(args.out)
    inputs_dir = args.out / "inputs"
    if not inputs_dir.exists():
        t = time.time()
        make_inputs(args.n, inputs_dir)
        print(f"generated {args.n} inputs in {time.time() - t:.1f} s", file=sys.stderr)
    out = args.out / "batch"
    cmd = [sys.executable, "-m", "policyminer.cli", "batch", str(inputs_dir), "--out", str(out),
           "-j", str(args.jobs), "--no-text", "-q"]
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak: dict[int, float] = {}
    timeline: list[tuple[float, int, float]] = []  # (seconds, docs done, max worker RSS MB now)
    docs_file = out / "documents.jsonl"
    errs_file = out / "errors.jsonl"

    def done() -> int:
        n = 0
        for f in (docs_file, errs_file):
            if f.exists():
                with open(f, "rb") as fh:
                    n += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        return n

    last_line = 0.0
    main_peak = 0.0
    while proc.poll() is None:
        now_max = 0.0
        try:
            kids = parent.children(recursive=True)
        except psutil.Error:
            kids = []
        for k in kids:
            try:
                rss = k.memory_info().rss / 2**20
            except psutil.Error:
                continue
            peak[k.pid] = max(peak.get(k.pid, 0.0), rss)
            now_max = max(now_max, rss)
        try:
            main_peak = max(main_peak, parent.memory_info().rss / 2**20)
        except psutil.Error:
            pass
        el = time.time() - t0
        if el - last_line >= 10:
            timeline.append((round(el, 1), done(), round(now_max, 1)))
            last_line = el
        time.sleep(1.0)
    err = proc.stderr.read() if proc.stderr else ""
    elapsed = time.time() - t0
    summary = json.loads((out / "summary.json").read_text("utf-8")) if (out / "summary.json").exists() else {}
    n_done = done()
    # memory flatness: max worker RSS in each tenth of the run
    tenths = []
    for k in range(10):
        lo, hi = k * len(timeline) // 10, (k + 1) * len(timeline) // 10
        window = timeline[lo:hi] or timeline[lo:lo + 1]
        if window:
            tenths.append(max(w[2] for w in window))
    report = {
        "inputs": args.n, "jobs": args.jobs, "elapsed_s": round(elapsed, 1),
        "inputs_per_s": round(n_done / elapsed, 2) if elapsed else None,
        "documents": summary.get("documents_total"), "errors": summary.get("errors_total"),
        "errors_by_stage": summary.get("this_run", {}).get("errors_by_stage"),
        "chars_per_s": summary.get("this_run", {}).get("chars_per_s"),
        "worker_processes_seen": len(peak),
        "peak_rss_mb_per_worker_max": round(max(peak.values()), 1) if peak else None,
        "peak_rss_mb_per_worker_median": round(sorted(peak.values())[len(peak) // 2], 1) if peak else None,
        "peak_rss_mb_batch_parent": round(main_peak, 1),
        "peak_rss_mb_self_reported": summary.get("this_run", {}).get("peak_rss_mb_per_worker"),
        "max_worker_rss_mb_by_tenth_of_run": tenths,
        "exit_code": proc.returncode,
    }
    (args.out / "memory_report.json").write_text(json.dumps({**report, "timeline": timeline}, indent=1))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if proc.returncode:
        print(err[-3000:], file=sys.stderr)
    return 0 if (report["peak_rss_mb_per_worker_max"] or 0) < 500 else 1


if __name__ == "__main__":
    sys.exit(main())

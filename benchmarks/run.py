"""Speed benchmark (issue 10): the whole pipeline against Python jieba segmentation alone.

Times are CPU seconds of this process (time.process_time: what one idle core takes), except
batch and startup wall times. Why ratios: this machine is shared, so absolute times move with the load; jieba.lcut over
the same texts, measured interleaved with the pipeline (round by round), is the floor the
pipeline is compared with. Goal: pipeline chars/s >= 2 x jieba chars/s.

    make bench                      # ~10 MB corpus, everything
    .venv/bin/python benchmarks/run.py --mb 2 --no-batch --no-eval   # quick look

Measures in one run:
 1. jieba.lcut (Python, default mode: precise + HMM) over the normalized texts
 2. policyminer.pipeline.analyze on the same texts; and ingest + normalize + analyze from the
    original files (document_from_raw), the figure a user sees
 3. each stage's share (time per spaCy component, tokenizer included); --profile adds cProfile
 4. startup (wall time of `policyminer extract small.txt`, median of 3) and peak RSS
 5. `policyminer batch --jobs 2` over the corpus files
 6. ingest alone: HTML pages/s and PDF pages/s
 7. dev-set F1 with the default segmenter (rjieba) and with POLICYMINER_SEGMENTER=jieba
The corpus repeats the real notices of corpora/seeds and corpora/dev (24 + 5 documents);
each copy is a separate document (no document-level caching exists; the spaCy vocabulary is
warm after the first copy, as it is in any long batch). Results go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SOURCES = [ROOT / "corpora" / "seeds" / "docs", ROOT / "corpora" / "dev" / "docs"]


def _files() -> list[Path]:
    return [p for d in SOURCES for p in sorted(d.iterdir()) if p.is_file()]


def load_corpus() -> tuple[list[Path], list[tuple[str, dict, str]]]:
    """(files, [(normalized text, hints, format)]) for every readable real notice."""
    from policyminer.ingest import read
    from policyminer.normalize import normalize

    files, docs = [], []
    for p in _files():
        try:
            raw = read(p)
        except Exception as exc:  # noqa: BLE001 - e.g. .doc without antiword: leave it out, say so
            print(f"  (skipped {p.name}: {exc})")
            continue
        norm = normalize(raw.text, layout=raw.format in ("pdf", "doc", "docx"))
        files.append(p)
        docs.append((norm.text, raw.hints, raw.format))
    return files, docs


class StageTimer:
    """Wraps every stage of the pipeline with a clock (the plain path and the spaCy path)."""

    def __init__(self) -> None:
        import policyminer.pipeline as pipeline

        self.pipeline = pipeline
        self.acc: Counter[str] = Counter()
        acc = self.acc
        self._orig = list(pipeline.STAGES)

        def timed(name, fn):
            def run(doc):
                t = time.process_time()
                try:
                    return fn(doc)
                finally:
                    acc[name] += time.process_time() - t
            return run

        pipeline.STAGES[:] = [(name, timed(name, fn)) for name, fn in self._orig]

    def restore(self) -> None:
        self.pipeline.STAGES[:] = self._orig


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_core(docs: list[tuple[str, dict, str]], target_chars: int, profile: bool) -> dict:
    """(1), (2) and (3): interleaved rounds of jieba.lcut and analyze over the same texts."""
    import jieba

    from policyminer.pipeline import analyze

    jieba.setLogLevel(60)
    jieba.lcut("预热词典")
    for text, hints, _ in docs:  # warm-up: imports, gazetteers, first vocabulary
        analyze(text, hints)
    per_round = sum(len(t) for t, _, _ in docs)
    rounds = max(1, round(target_chars / per_round))
    timer = StageTimer()
    prof = cProfile.Profile() if profile else None
    t_jieba = t_pipe = 0.0
    notices = 0
    try:
        for r in range(rounds):
            t = time.process_time()
            for text, _, _ in docs:
                jieba.lcut(text)
            t_jieba += time.process_time() - t
            if prof:
                prof.enable()
            t = time.process_time()
            for text, hints, _ in docs:
                analyze(text, hints)
            t_pipe += time.process_time() - t
            if prof:
                prof.disable()
            notices += len(docs)
    finally:
        timer.restore()
    # the spaCy path (segmented Doc, POLICYMINER_PIPELINE=spacy) on one round, for comparison
    os.environ["POLICYMINER_PIPELINE"] = "spacy"
    try:
        for _ in range(2):  # warm-up: the spaCy vocabulary and string store fill on first sight
            for text, hints, _ in docs:
                analyze(text, hints)
        t_spacy = t_spacy_j = 0.0
        for _ in range(2):
            t = time.process_time()
            for text, hints, _ in docs:
                analyze(text, hints)
            t_spacy += time.process_time() - t
            t = time.process_time()
            for text, _, _ in docs:
                jieba.lcut(text)
            t_spacy_j += time.process_time() - t
        # what the spaCy path pays before any component runs: rjieba + Doc construction
        from policyminer.pipeline import get_nlp

        nlp = get_nlp()
        t = time.process_time()
        for _ in range(2):
            for text, _, _ in docs:
                nlp.make_doc(text)
        t_doc = (time.process_time() - t) / 2
    finally:
        os.environ.pop("POLICYMINER_PIPELINE", None)
    chars = per_round * rounds
    out = {"spacy_ratio": t_spacy_j / t_spacy, "spacy_cps": 2 * per_round / t_spacy,
           "doc_ratio": t_spacy_j / 2 / t_doc, "doc_cps": per_round / t_doc, "rounds": rounds, "notices": notices, "chars": chars, "mb": chars and sum(
        len(t.encode("utf-8")) for t, _, _ in docs) * rounds / 1e6,
           "jieba_s": t_jieba, "pipeline_s": t_pipe, "stages": dict(timer.acc)}
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(30)
        out["profile"] = s.getvalue()
    return out


def bench_end_to_end(files: list[Path], target_chars: int, chars_per_round: int) -> dict:
    """(2b) ingest + normalize + analyze from the original bytes, as `extract` does."""
    from policyminer.api import document_from_raw
    from policyminer.ingest import read_bytes

    blobs = [(p.name, p.read_bytes()) for p in files]
    rounds = max(1, round(target_chars / chars_per_round / 4))  # a quarter of the core corpus is plenty
    t = time.process_time()
    t_ingest = 0.0
    n = 0
    for _ in range(rounds):
        for name, data in blobs:
            t0 = time.process_time()
            raw = read_bytes(data, name, name)
            t_ingest += time.process_time() - t0
            document_from_raw(raw, no_text=True)
            n += 1
    total = time.process_time() - t
    return {"notices": n, "chars": chars_per_round * rounds, "seconds": total, "ingest_s": t_ingest}


def bench_ingest(min_seconds: float = 3.0) -> dict:
    """(6) HTML and PDF pages/s through ingest alone (read_bytes: parse, main text, furniture)."""
    import pypdfium2 as pdfium

    from policyminer.ingest import read_bytes

    out = {}
    dev = ROOT / "corpora" / "dev" / "docs"
    for kind, pattern in (("html", "*.htm*"), ("pdf", "*.pdf")):
        files = sorted(dev.glob(pattern))
        blobs = [(p.name, p.read_bytes()) for p in files]
        if kind == "pdf":
            pages_per = [len(pdfium.PdfDocument(b)) for _, b in blobs]
        else:
            pages_per = [1] * len(blobs)
        for name, b in blobs:
            read_bytes(b, name, name)
        t = time.process_time()
        pages = 0
        while True:
            for (name, b), n in zip(blobs, pages_per):
                read_bytes(b, name, name)
                pages += n
            if time.process_time() - t >= min_seconds:
                break
        el = time.process_time() - t
        out[kind] = {"files": len(blobs), "pages": pages, "seconds": el, "pages_per_s": pages / el,
                     "mb_per_s": sum(len(b) for _, b in blobs) * (pages / sum(pages_per)) / el / 1e6}
    return out


def bench_startup(small: Path, repeats: int = 3) -> dict:
    """(4) wall time and peak RSS of `policyminer extract small.txt` (fresh process each time)."""
    walls, rsss, cpus = [], [], []
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
            "w=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(w, u.ru_maxrss/1024, r.returncode, u.ru_utime+u.ru_stime)")
    for _ in range(repeats):
        res = subprocess.run([sys.executable, "-c", code, str(BIN / "policyminer"), "extract", str(small)],
                             capture_output=True, text=True, cwd=ROOT)
        w, rss, rc, cpu = res.stdout.split()
        if rc != "0":
            raise RuntimeError(f"extract failed: {res.stderr[-500:]}")
        walls.append(float(w))
        rsss.append(float(rss))
        cpus.append(float(cpu))
    return {"wall_s": statistics.median(walls), "walls": walls, "peak_rss_mb": max(rsss),
            "cpu_s": statistics.median(cpus)}


def bench_batch(files: list[Path], sizes: dict[str, int], copies: int, jobs: int = 2) -> dict:
    """(5) `policyminer batch --jobs 2` over ``copies`` copies of the real notices."""
    tmp = Path(tempfile.mkdtemp(prefix="pm-bench-batch-"))
    try:
        src = tmp / "in"
        src.mkdir()
        n = chars = 0
        for c in range(copies):
            for p in files:
                data = p.read_bytes()
                # a distinct last line, so no copy is skipped as already done (content hash)
                if p.suffix.startswith(".htm"):
                    data += f"\n<!-- copy {c} -->\n".encode()
                elif p.suffix == ".txt":
                    data += f"\n副本{c}\n".encode("utf-8")
                elif c > 0:
                    continue  # other formats: one copy
                chars += sizes.get(p.name, 0)
                (src / f"c{c:03d}_{p.name}").write_bytes(data)
                n += 1
        out = tmp / "out"
        cmd = [str(BIN / "policyminer"), "batch", str(src), "--out", str(out), "--jobs", str(jobs),
               "--quiet", "--no-text"]
        t = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600)
        wall = time.perf_counter() - t
        if res.returncode not in (0, 1) or not (out / "documents.jsonl").exists():
            return {"skipped": f"batch failed (rc {res.returncode}): {res.stderr.strip()[-300:]}"}
        with open(out / "documents.jsonl", encoding="utf-8") as fh:
            docs = sum(1 for _ in fh)
        errs = sum(1 for _ in open(out / "errors.jsonl", encoding="utf-8")) if (out / "errors.jsonl").exists() else 0
        return {"inputs": n, "documents": docs, "errors": errs, "seconds": wall, "jobs": jobs, "chars": chars}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_ROW = re.compile(r"^(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")


def bench_eval(corpus: Path) -> dict:
    """(7) dev-set F1 per field with the default segmenter and with Python jieba."""
    out = {}
    for seg in ("rjieba", "jieba"):
        env = dict(os.environ, POLICYMINER_SEGMENTER=seg)
        res = subprocess.run([str(BIN / "policyminer"), "eval", str(corpus)], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=1800)
        rows = {}
        for line in res.stdout.splitlines():
            m = _ROW.match(line.strip())
            if m:
                rows[m.group(1)] = float(m.group(4))
        out[seg] = rows
    return out


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of the repeated corpus (UTF-8 MB of normalized text)")
    ap.add_argument("--batch-copies", type=int, default=4)
    ap.add_argument("--no-batch", action="store_true")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also print the cProfile top functions of (2)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = ap.parse_args()

    lines: list[str] = []

    def say(s: str = "") -> None:
        print(s, flush=True)
        lines.append(s)

    from policyminer.rules.segment import default_segmenter

    t0 = time.time()
    print("loading corpus …", flush=True)
    files, docs = load_corpus()
    chars_round = sum(len(t) for t, _, _ in docs)
    bytes_round = sum(len(t.encode("utf-8")) for t, _, _ in docs)
    target_chars = int(args.mb * 1e6 / (bytes_round / chars_round))
    print("startup …", flush=True)
    small = Path(tempfile.mkdtemp(prefix="pm-bench-")) / "small.txt"
    small.write_text("关于做好春季农业生产工作的通知\n各县（市、区）人民政府：\n4月底前，县农业农村局完成高标准农田建设10万亩。\n",
                     encoding="utf-8")
    startup = bench_startup(small)
    print("core: jieba vs pipeline …", flush=True)
    core = bench_core(docs, target_chars, args.profile)
    print("end to end …", flush=True)
    e2e = bench_end_to_end(files, target_chars, chars_round)
    print("ingest …", flush=True)
    ing = bench_ingest()
    batch = {"skipped": "--no-batch"} if args.no_batch else bench_batch(files, {p.name: len(t) for p, (t, _, _) in zip(files, docs)},
                                                                  args.batch_copies)
    ev = {} if args.no_eval else bench_eval(ROOT / "corpora" / "dev")

    jc = core["chars"] / core["jieba_s"]
    pc = core["chars"] / core["pipeline_s"]
    say(f"# policyminer benchmark ({dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC)")
    say()
    say(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (shared; compare ratios, not absolute times). "
        f"Python {platform.python_version()}, segmenter `{default_segmenter()}`.")
    say(f"Corpus: {len(docs)} real notices (corpora/seeds + corpora/dev) x {core['rounds']} = "
        f"{core['notices']} notices, {core['chars']:,} chars ({core['mb']:.1f} MB UTF-8) of normalized text.")
    say()
    say("| measure | notices/s | chars/s | vs jieba.lcut |")
    say("|---|---:|---:|---:|")
    say(f"| (1) jieba.lcut alone (Python, default mode) | {core['notices'] / core['jieba_s']:.1f} | {fmt_rate(jc)} | 1.00 |")
    say(f"| (2) pipeline `analyze` on normalized text | {core['notices'] / core['pipeline_s']:.1f} | {fmt_rate(pc)} | **{pc / jc:.2f}** |")
    say(f"| (2s) same via spaCy components over a segmented Doc (POLICYMINER_PIPELINE=spacy, two rounds after two warm-up rounds) | "
        f"- | {fmt_rate(core['spacy_cps'])} | {core['spacy_ratio']:.2f} |")
    say(f"| (2d) of which: building the segmented spaCy Doc alone (rjieba + Doc, no component) | "
        f"- | {fmt_rate(core['doc_cps'])} | {core['doc_ratio']:.2f} |")
    ec = e2e["chars"] / e2e["seconds"]
    say(f"| (2b) ingest + normalize + pipeline from files | {e2e['notices'] / e2e['seconds']:.1f} | {fmt_rate(ec)} | {ec / jc:.2f} |")
    if "skipped" not in batch:
        bc = batch["chars"] / batch["seconds"]
        say(f"| (5) `policyminer batch --jobs 2` ({batch['inputs']} files, wall incl. startup) | "
            f"{batch['documents'] / batch['seconds']:.1f} | {fmt_rate(bc)} | {bc / jc:.2f} |")
    say()
    say(f"Ratio (2)/(1) = **{pc / jc:.2f}** (goal >= 2.0).")
    if "skipped" in batch:
        say(f"(5) batch: skipped — {batch['skipped']}")
    say()
    say("(3) Stage shares of (2) (CPU time per stage; 'other' = analyze's own work):")
    say()
    say("| stage | share | chars/s alone |")
    say("|---|---:|---:|")
    stages = core["stages"]
    other = core["pipeline_s"] - sum(stages.values())
    for name, sec in sorted(stages.items(), key=lambda kv: -kv[1]) + [("other", other)]:
        say(f"| {name} | {100 * sec / core['pipeline_s']:.1f}% | {fmt_rate(core['chars'] / sec) if sec > 0 else '-'} |")
    say()
    say("(4) Startup and memory:")
    say()
    say(f"- `policyminer extract small.txt`: {startup['cpu_s']:.2f} s CPU (user+sys, median of 3; what an idle "
        f"core takes), {startup['wall_s']:.2f} s wall on this loaded machine (runs "
        f"{', '.join(f'{w:.2f}' for w in startup['walls'])}); peak RSS {startup['peak_rss_mb']:.0f} MB (goal < 2 s)")
    say(f"- this benchmark process after (2): peak RSS {rss_mb():.0f} MB")
    say(f"- ingest share of (2b): {100 * e2e['ingest_s'] / e2e['seconds']:.1f}%")
    say()
    say("(6) Ingest alone (read_bytes: parse, main text, furniture removal), per core:")
    say()
    say("| format | files | pages/s | MB/s | goal |")
    say("|---|---:|---:|---:|---|")
    for kind, goal in (("html", ">= 200 pages/s"), ("pdf", ">= 20 pages/s")):
        g = ing[kind]
        say(f"| {kind} | {g['files']} | {g['pages_per_s']:.1f} | {g['mb_per_s']:.2f} | {goal} |")
    if ev:
        say()
        say("(7) Dev-set F1 (`policyminer eval corpora/dev`), default segmenter vs Python jieba:")
        say()
        say("| field | rjieba (default) | jieba |")
        say("|---|---:|---:|")
        for field in ev.get("rjieba", {}):
            a, b = ev["rjieba"].get(field), ev.get("jieba", {}).get(field)
            say(f"| {field} | {a:.3f} | {b:.3f} |" if b is not None else f"| {field} | {a:.3f} | - |")
    if core.get("profile"):
        say()
        say("cProfile of (2), top functions by own time:")
        say("```")
        for ln in core["profile"].splitlines():
            if ln.strip():
                say(ln.rstrip())
        say("```")
    runs = ROOT / "fuzz" / "runs.jsonl"
    if runs.exists():
        rs = [json.loads(x) for x in runs.read_text(encoding="utf-8").splitlines() if x.strip()]
        say()
        say(f"Fuzzing (fuzz/run.py, fuzz/runs.jsonl): {len(rs)} runs, {sum(r['seconds'] for r in rs) / 60:.0f} min, "
            f"{sum(r['inputs'] for r in rs):,} inputs ({sum(r['pipeline'] for r in rs):,} through the whole pipeline), "
            f"{sum(r['findings'] for r in rs)} uncaught exceptions, {sum(r['crashes'] for r in rs)} crashes, "
            f"{sum(r['hangs'] for r in rs)} hangs; findings and fixes in fuzz/findings/README.md.")
        for r in rs:
            say(f"- {r['started']}: {r['seconds'] / 60:.0f} min, {r['inputs']:,} inputs, {r['findings']} exceptions, "
                f"{r['crashes']} crashes, {r['hangs']} hangs")
    say()
    say(f"Benchmark wall time {time.time() - t0:.0f} s.")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()

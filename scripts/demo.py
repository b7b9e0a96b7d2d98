"""`make demo`: the main job on the bundled sample corpus.

Batches corpora/seeds and corpora/dev into out/ (documents.jsonl, errors.jsonl), exports the
datasets, writes the comparison report, and scores both corpora against their gold files.
Prints where each file is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out"
CLI = [sys.executable, "-m", "policyminer.cli"]


def run(*args: str) -> int:
    print("$ policyminer " + " ".join(args), flush=True)
    return subprocess.call(CLI + list(args), cwd=ROOT)


def has_command(name: str) -> bool:
    return subprocess.run(CLI + [name, "--help"], capture_output=True, cwd=ROOT).returncode == 0


def main() -> int:
    OUT.mkdir(exist_ok=True)
    status = 0
    if has_command("batch"):
        status |= run("batch", "corpora/seeds/docs", "corpora/dev/docs", "--out", str(OUT / "batch"))
        if has_command("export"):
            for fmt in ("parquet", "duckdb", "csv"):
                status |= run("export", str(OUT / "batch"), "--format", fmt)
        if has_command("compare"):
            status |= run("compare", str(OUT / "batch"), "--out", str(OUT / "report.html"))
    else:
        status |= run("extract", "corpora/seeds/docs/004_f5d32eee970b9eca.txt", "--out-dir", str(OUT / "json"), "--pretty")
    for corpus in ("seeds", "dev"):
        status |= run("eval", f"corpora/{corpus}", "--out", str(OUT / f"eval-{corpus}"))
    print("\nOutputs:")
    for p in sorted(OUT.rglob("*")):
        if p.is_file() and "predictions" not in p.parts:
            print(f"  {p.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())

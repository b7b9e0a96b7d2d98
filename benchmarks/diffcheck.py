"""Differential check for speed work: the pipeline's output must not change.

A faster stage is only welcome if it finds the same things. This script runs
``policyminer.pipeline.analyze`` over every real notice in corpora/ (seeds, dev, heldout,
external) plus seeded variants of them (sentence shuffles, random windows, cross-document
splices, so that code paths the originals do not reach are exercised too) and writes one
JSON line per text. Run it on the old code and on the new code and compare:

    .venv/bin/python benchmarks/diffcheck.py --out /tmp/before.jsonl
    ... change code ...
    .venv/bin/python benchmarks/diffcheck.py --out /tmp/after.jsonl --against /tmp/before.jsonl

With ``--against`` it prints, per output field, how many texts differ, and the first
differences, and exits 1 if anything differs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ["seeds", "dev", "heldout", "heldout2"]


def _originals() -> Iterator[tuple[str, str, dict[str, Any]]]:
    from policyminer.errors import PolicyminerError
    from policyminer.ingest import read
    from policyminer.normalize import normalize

    paths = [p for c in CORPORA for p in sorted((ROOT / "corpora" / c / "docs").iterdir()) if p.is_file()]
    paths += sorted(p for p in (ROOT / "corpora" / "external" / "govdoc-cn").iterdir() if p.is_file())
    for p in paths:
        try:
            raw = read(p)
        except PolicyminerError:
            continue
        norm = normalize(raw.text, layout=raw.format in ("pdf", "doc", "docx"))
        yield str(p.relative_to(ROOT)), norm.text, dict(raw.hints)


def texts(variants: int = 6, seed: int = 20261122) -> list[tuple[str, str, dict[str, Any]]]:
    """The originals and seeded variants of them: (name, text, hints)."""
    rng = random.Random(seed)
    orig = list(_originals())
    out = list(orig)
    paras = [(n, para) for n, t, _ in orig for para in t.split("\n") if para.strip()]
    for name, text, _ in orig:
        sents = [s for s in re.split(r"(?<=[。；！？\n])", text) if s]
        for k in range(variants):
            kind = k % 3
            if kind == 0:
                s = sents[:]
                rng.shuffle(s)
                out.append((f"{name}#shuffle{k}", "".join(s), {}))
            elif kind == 1 and len(text) > 50:
                a = rng.randrange(0, max(1, len(text) - 50))
                b = min(len(text), a + rng.randint(50, 4000))
                out.append((f"{name}#window{k}", text[a:b], {}))
            else:
                picked = [rng.choice(paras)[1] for _ in range(rng.randint(3, 30))]
                out.append((f"{name}#splice{k}", "\n".join(picked), {}))
    return out


def run(out: Path) -> dict[str, dict[str, Any]]:
    from policyminer.pipeline import analyze

    results: dict[str, dict[str, Any]] = {}
    t0 = time.process_time()
    with out.open("w", encoding="utf-8") as fh:
        for name, text, hints in texts():
            try:
                parts = analyze(text, hints)
                rec = {"name": name, **{k: parts[k] for k in sorted(parts)}}
            except Exception as exc:  # noqa: BLE001 - a crash is a difference too
                rec = {"name": name, "error": f"{type(exc).__name__}: {exc}"}
            line = json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str)
            fh.write(line + "\n")
            results[name] = json.loads(line)
    print(f"{len(results)} texts, {time.process_time() - t0:.1f} s CPU -> {out}", file=sys.stderr)
    return results


def compare(new: dict[str, dict[str, Any]], old_path: Path, show: int = 8) -> int:
    old = {}
    for line in old_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        old[rec["name"]] = rec
    per_field: dict[str, list[str]] = {}
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                per_field.setdefault(field, []).append(name)
    if not per_field:
        print(f"identical: {len(new)} texts")
        return 0
    for field, names in per_field.items():
        print(f"{field}: {len(names)} texts differ")
        for name in names[:show]:
            a, b = old.get(name, {}).get(field), new.get(name, {}).get(field)
            if isinstance(a, list) and isinstance(b, list):
                ja = {json.dumps(x, ensure_ascii=False, sort_keys=True) for x in a}
                jb = {json.dumps(x, ensure_ascii=False, sort_keys=True) for x in b}
                print(f"  {name}: only before {sorted(ja - jb)[:3]} only after {sorted(jb - ja)[:3]}")
            else:
                print(f"  {name}: before {json.dumps(a, ensure_ascii=False)[:300]} after {json.dumps(b, ensure_ascii=False)[:300]}")
    return 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--against", type=Path, help="an earlier --out file to compare with")
    args = ap.parse_args()
    new = run(args.out)
    if args.against:
        sys.exit(compare(new, args.against))


if __name__ == "__main__":
    main()

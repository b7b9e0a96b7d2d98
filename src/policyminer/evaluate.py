"""Score extracted documents against gold files, following spec/annotation.md.

Each field is scored with precision, recall and F1 micro-averaged over documents; metric
names, tools and instruments are scored on matched pairs. ``tests/test_evaluate.py``
checks that these figures equal the reference scorer's (tools/score.py) on the dev set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

FIELDS = ["meta.title", "meta.doc_number", "meta.date", "meta.issuers", "meta.region", "measures",
          "metrics", "responsible_units", "organizations", "deadlines", "regions"]
_MULT = [("百万", 1e6), ("千万", 1e7), ("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3)]
_PUNCT = re.compile(r"[\s\u3000，。、；：！？“”‘’《》〈〉（）()【】\[\]「」『』\-—·,.;:!?\"']")
_PLACE_SUFFIX = re.compile(r"(特别行政区|综合实验区|自治区|自治州|自治县|省|市|县|区|州|新区|地区|盟|旗)$")
_REGION_SUFFIX = re.compile(r"(省|市|县|区|自治州|州|自治县|自治区|特别行政区|新区|地区|盟|旗)$")
#: the Dice threshold at which two measure headings (or deadline texts) are the same item
DICE_MATCH = 0.6


def _norm(s: Any) -> str:
    return "" if s is None else re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))


def _bare(s: Any) -> str:
    return _PUNCT.sub("", _norm(s))


def _strip_note(s: Any) -> str:
    return re.sub(r"[（(][^()（）]*[)）]$", "", _norm(s))


def base_quantity(value: Any, unit: Any) -> tuple[float | None, str]:
    """(value with 万/亿/千 applied, unit without the multiplier)."""
    u = _norm(unit)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None, u
    for prefix, mult in _MULT:
        if u.startswith(prefix):
            return v * mult, u[len(prefix):]
    return v, u


def dice(a: Any, b: Any) -> float:
    """Character-bigram Dice coefficient after removing spaces and punctuation."""
    a, b = _bare(a), _bare(b)
    if not a or not b:
        return 0.0
    if len(a) == 1 or len(b) == 1:
        return 1.0 if a == b else 0.0
    bigrams_b = [b[i:i + 2] for i in range(len(b) - 1)]
    pool: dict[str, int] = {}
    for g in bigrams_b:
        pool[g] = pool.get(g, 0) + 1
    hit = 0
    for i in range(len(a) - 1):
        g = a[i:i + 2]
        if pool.get(g):
            pool[g] -= 1
            hit += 1
    return 2 * hit / ((len(a) - 1) + len(bigrams_b))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _greedy(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> tuple[int, int, int]:
    pool = list(pred)
    tp = 0
    for g in gold:
        for i, p in enumerate(pool):
            if same(g, p):
                pool.pop(i)
                tp += 1
                break
    return tp, len(pool), len(gold) - tp


def _place_key(name: Any) -> str:
    n = _norm(name)
    k = _PLACE_SUFFIX.sub("", n)
    return k if len(k) >= 2 else n


def _same_region(g: Any, p: Any) -> bool:
    g, p = _norm(g), _norm(p)
    if g == p:
        return True
    kg, kp = _REGION_SUFFIX.sub("", g), _REGION_SUFFIX.sub("", p)
    return bool(g and p) and kg == kp and len(kg) >= 2


class Scorer:
    """Accumulates tallies over documents."""

    def __init__(self) -> None:
        self.t = {f: Tally() for f in FIELDS}
        self.names_ok = self.names_all = 0
        self.tool_ok = self.inst_ok = self.tool_all = 0
        self.docs = 0
        self.failed: list[str] = []

    def _meta(self, gm: dict[str, Any], pm: dict[str, Any]) -> None:
        for key in ("title", "doc_number", "date"):
            gv, pv = gm.get(key), pm.get(key)
            if gv is None and pv is None:
                continue
            ok = (_bare(gv) == _bare(pv)) if key == "title" else (_norm(gv) == _norm(pv))
            self.t[f"meta.{key}"].add(int(ok and gv is not None), int(pv is not None and not ok),
                                      int(gv is not None and not ok))
        gi = {_norm(x) for x in gm.get("issuers") or []}
        pi = {_norm(x) for x in pm.get("issuers") or []}
        self.t["meta.issuers"].add(len(gi & pi), len(pi - gi), len(gi - pi))
        greg = gm.get("region")
        preg = (pm.get("region") or {}).get("name") if isinstance(pm.get("region"), dict) else None
        if greg or preg:
            ok = bool(greg and preg and _same_region(greg, preg))
            self.t["meta.region"].add(int(ok), int(bool(preg) and not ok), int(bool(greg) and not ok))

    def _metrics(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        def same(g: dict[str, Any], p: dict[str, Any]) -> bool:
            gv, gu = base_quantity(g.get("value"), g.get("unit"))
            pv, pu = base_quantity(p.get("value"), p.get("unit"))
            if gv is None or pv is None:
                return False
            close = abs(gv - pv) <= 1e-4 * max(abs(gv), abs(pv)) or gv == pv
            return close and (gu == pu or not gu or not pu)

        pool = [m for m in pred.get("metrics") or [] if isinstance(m, dict)]
        tp = fn = 0
        # core items claim their predictions first, so a non-core twin cannot take them
        for g in sorted(gold.get("metrics", []), key=lambda g: not g.get("core", True)):
            cands = [i for i, p in enumerate(pool) if same(g, p)]
            hit = None
            if cands:
                gn = _bare(g.get("name"))
                named = [i for i in cands if gn and _bare(pool[i].get("name")) and
                         (gn in _bare(pool[i].get("name")) or _bare(pool[i].get("name")) in gn)]
                hit = pool.pop((named or cands)[0])
            if not g.get("core", True):
                continue
            if hit is None:
                fn += 1
                continue
            tp += 1
            if g.get("name"):
                self.names_all += 1
                a, b = _bare(g.get("name")), _bare(hit.get("name"))
                self.names_ok += int(bool(a and b) and (a in b or b in a))
        self.t["metrics"].add(tp, len(pool) if gold.get("metrics_complete", True) else 0, fn)

    def _units(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        units = [u for u in pred.get("units") or [] if isinstance(u, dict)]
        gu = {_strip_note(x) for x in gold.get("responsible_units", [])}
        pu = {_strip_note(u.get("name")) for u in units if u.get("role") in ("lead", "responsible")}
        self.t["responsible_units"].add(len(gu & pu), len(pu - gu), len(gu - pu))
        go = {_strip_note(x) for x in gold.get("organizations", [])}
        po = {_strip_note(u.get("name")) for u in units}
        self.t["organizations"].add(len(go & po), len(po - go), len(go - po))

    def _deadlines(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        def same(g: dict[str, Any], p: dict[str, Any]) -> bool:
            if g.get("date"):
                return _norm(g.get("date")) == _norm(p.get("date"))
            a, b = _bare(g.get("text")), _bare(p.get("text"))
            return (len(a) >= 2 and len(b) >= 2 and (a in b or b in a)) or dice(a, b) >= DICE_MATCH

        preds = [d for d in pred.get("deadlines") or [] if isinstance(d, dict)]
        self.t["deadlines"].add(*_greedy(gold.get("deadlines", []), preds, same))

    def _regions(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        gr = {_place_key(x) for x in gold.get("regions", [])} - {""}
        pr = {_place_key(r.get("name")) for r in pred.get("regions") or []
              if isinstance(r, dict) and r.get("name")} - {""}
        self.t["regions"].add(len(gr & pr), len(pr - gr), len(gr - pr))

    def _measures(self, gold: dict[str, Any], pred: dict[str, Any]) -> None:
        pool = [m for m in pred.get("measures") or [] if isinstance(m, dict)]
        tp = 0
        golds = gold.get("measures", [])
        for g in golds:
            best, bi = 0.0, None
            for i, p in enumerate(pool):
                d = dice(g.get("heading"), p.get("heading"))
                if d > best:
                    best, bi = d, i
            if bi is None or best < DICE_MATCH:
                continue
            p = pool.pop(bi)
            tp += 1
            if g.get("tool"):
                self.tool_all += 1
                self.tool_ok += int(p.get("tool") == g.get("tool"))
                self.inst_ok += int(p.get("instrument") == g.get("instrument"))
        self.t["measures"].add(tp, len(pool), len(golds) - tp)

    def add(self, gold: dict[str, Any], pred: dict[str, Any] | None) -> None:
        """Score one document; ``pred`` None counts as a failure (an empty prediction)."""
        self.docs += 1
        if not isinstance(pred, dict):
            self.failed.append(gold.get("file", "?"))
            pred = {}
        self._meta(gold.get("meta", {}), pred.get("meta", {}) or {})
        self._metrics(gold, pred)
        self._units(gold, pred)
        self._deadlines(gold, pred)
        self._regions(gold, pred)
        self._measures(gold, pred)

    def report(self) -> dict[str, Any]:
        rep: dict[str, Any] = {"docs": self.docs, "failed": self.failed}
        for f in FIELDS:
            p, r, f1 = self.t[f].prf()
            t = self.t[f]
            rep[f] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f1, 3), "tp": t.tp, "fp": t.fp, "fn": t.fn}
        rep["metric_name_acc"] = round(self.names_ok / self.names_all, 3) if self.names_all else None
        rep["tool_acc"] = round(self.tool_ok / self.tool_all, 3) if self.tool_all else None
        rep["instrument_acc"] = round(self.inst_ok / self.tool_all, 3) if self.tool_all else None
        return rep


def load_gold(corpus: Path) -> list[dict[str, Any]]:
    golds = []
    for gp in sorted((corpus / "gold").glob("*.gold.json")):
        golds.append(json.loads(gp.read_text(encoding="utf-8")))
    return golds


def score(golds: list[dict[str, Any]], preds: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """Scores for gold documents against predictions keyed by doc file name."""
    s = Scorer()
    for g in golds:
        s.add(g, preds.get(g["file"]))
    return s.report()


def format_table(rep: dict[str, Any]) -> str:
    rows = [f"{'field':20s} {'P':>6s} {'R':>6s} {'F1':>6s}   {'tp':>5s} {'fp':>5s} {'fn':>5s}"]
    for f in FIELDS:
        x = rep[f]
        rows.append(f"{f:20s} {x['p']:6.3f} {x['r']:6.3f} {x['f1']:6.3f}   {x['tp']:5d} {x['fp']:5d} {x['fn']:5d}")
    rows.append(f"metric names right on matched: {rep['metric_name_acc']}; tool acc: {rep['tool_acc']}; "
                f"instrument acc: {rep['instrument_acc']}")
    rows.append(f"docs {rep['docs']}, failed {len(rep['failed'])}" + (f": {' '.join(rep['failed'][:10])}" if rep["failed"] else ""))
    return "\n".join(rows)

"""`policyminer eval` follows annotation.md and agrees with the reference scorer."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from policyminer.evaluate import base_quantity, dice, load_gold, score

from .conftest import DEV, SEEDS, extract_cached

REF = Path(__file__).with_name("reference_score.py")


def _reference() -> Any:
    spec = importlib.util.spec_from_file_location("reference_score", REF)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_base_quantity_and_dice() -> None:
    assert base_quantity(130, "亿元") == (1.3e10, "元")
    assert base_quantity(5000, "万") == (5e7, "")
    assert dice("实行领导挂点、部门包点", "实行领导挂点部门包点") == 1.0
    assert dice("加大金融支持", "加强工作督查") < 0.6


@pytest.mark.parametrize("corpus", [DEV, SEEDS], ids=["dev", "seeds"])
def test_eval_agrees_with_reference_scorer(corpus: Path, tmp_path: Path) -> None:
    golds = load_gold(corpus)
    preds = {g["file"]: extract_cached(corpus / "docs" / g["file"]) for g in golds}
    for name, doc in preds.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ours = score(golds, preds)
    ref_out = tmp_path / "ref.json"
    _reference().main([str(corpus / "gold"), str(tmp_path), "--json", str(ref_out)])
    ref = json.loads(ref_out.read_text(encoding="utf-8"))
    for key, val in ref.items():
        assert ours[key] == val, key


def test_missing_prediction_counts_as_failure() -> None:
    golds = load_gold(SEEDS)
    rep = score(golds, {})
    assert len(rep["failed"]) == len(golds)
    assert rep["metrics"]["tp"] == 0

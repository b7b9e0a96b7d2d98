"""The CLI: one JSON per input, clear one-line errors, exit codes, --out-dir, eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from policyminer.cli import app

from .conftest import DEV, SEEDS

runner = CliRunner()


def test_extract_several_paths_in_one_process() -> None:
    res = runner.invoke(app, ["extract", str(SEEDS / "docs" / "004_f5d32eee970b9eca.txt"), str(DEV / "docs" / "d004.html"), "--no-text"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.strip().split("\n")]
    assert [d["meta"]["title"] for d in lines][1] == "1-10月德清县固定资产投资结构趋稳趋优"
    assert lines[0]["text"] is None


def test_extract_out_dir_and_failure_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    res = runner.invoke(app, ["extract", str(DEV / "docs" / "d004.html"), str(bad), str(tmp_path / "missing.pdf"),
                              "--out-dir", str(tmp_path / "out"), "--pretty"])
    assert res.exit_code == 1
    assert (tmp_path / "out" / "d004.html.json").exists()
    assert f"{bad}: empty file" in res.stderr
    assert "missing.pdf: no such file" in res.stderr
    assert "Traceback" not in res.output


def test_extract_from_stdin() -> None:
    text = "关于做好复工复产工作的通知\n各县市区：4月底前，全市重点规模企业产能恢复至90%。\n"
    proc = subprocess.run([sys.executable, "-m", "policyminer.cli", "extract", "-"], input=text.encode(),
                          capture_output=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["meta"]["title"] == "关于做好复工复产工作的通知"


def test_outline_prints_a_tree() -> None:
    res = runner.invoke(app, ["extract", str(SEEDS / "docs" / "004_f5d32eee970b9eca.txt"), "--outline"])
    assert res.exit_code == 0, res.output
    assert "主要措施" in res.stdout


def test_eval_prints_table_and_writes_scores(tmp_path: Path) -> None:
    res = runner.invoke(app, ["eval", str(SEEDS), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "meta.title" in res.stdout
    scores = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    assert scores["docs"] == 5 and scores["meta.doc_number"]["f1"] == 1.0

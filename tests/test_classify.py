"""Measure classifier (issue 7): data, keyword baseline, shipped skops model, pipeline stage."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyminer.classify import TOOLS, instrument_of
from policyminer.classify.features import clean, jieba_words, measure_text
from policyminer.classify.keywords import keyword_tool
from policyminer.classify.model import TRUSTED_TYPES, load_model, model_path, predict
from policyminer.pipeline.classify import classify_measures

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "corpora" / "measures" / "measures.jsonl"
SCORES = model_path().with_name("instrument.scores.json")


def _rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- data


def test_labelled_data_is_complete_and_consistent() -> None:
    rows = _rows()
    assert len(rows) >= 600
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["tool"] in TOOLS
        assert r["instrument"] == instrument_of(r["tool"])
        assert r["heading"] and isinstance(r["text"], str) and r["labeller"]
        assert {"repo", "path", "commit"} <= set(r["source"])


def test_corrections_refer_to_items_and_change_their_label() -> None:
    from policyminer.classify.train import load_corrections

    rows = {r["id"]: r for r in _rows()}
    path = DATA.with_name("corrections.jsonl")
    if not path.exists():
        pytest.skip("no corrections file")
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len({c["id"] for c in lines}) == len(lines)
    for c in lines:
        assert c["id"] in rows and c["tool"] in TOOLS and c["instrument"] == instrument_of(c["tool"])
        assert c["was"] == rows[c["id"]]["tool"] != c["tool"] and c["reason"]
    assert load_corrections(DATA) == {c["id"]: c["tool"] for c in lines}


def test_no_dev_or_seed_gold_heading_in_training_data() -> None:
    gold = set()
    for f in list((ROOT / "corpora" / "dev" / "gold").glob("*.json")) + list((ROOT / "corpora" / "seeds" / "gold").glob("*.json")):
        gold |= {m["heading"] for m in json.loads(f.read_text(encoding="utf-8")).get("measures") or []}
    assert not gold & {r["heading"] for r in _rows()}


# --------------------------------------------------------------------------- features / baseline


@pytest.mark.parametrize(
    "heading, text, expected",
    [
        ("（一）加大金融支持", "加大金融支持。各银行要加大信贷投放。", "加大金融支持\n各银行要加大信贷投放。"),
        ("3. 建立问题台账", "", "建立问题台账\n"),
        ("一是强化组织领导", None, "强化组织领导\n"),
        ("第五条 创业服务奖励", "", "创业服务奖励\n"),
    ],
)
def test_measure_text_strips_enumerator_and_repeated_heading(heading: str, text: str | None, expected: str) -> None:
    assert measure_text(heading, text) == expected


@lru_cache(maxsize=1)
def _segmenters() -> tuple:
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    py = jieba.Tokenizer()
    py.initialize()
    return rjieba.Jieba(), py


def test_model_tokens_are_the_same_with_rjieba_and_python_jieba() -> None:
    """The model's word features come from a private rjieba instance; it must cut exactly like
    the Python jieba the model could also be trained or run with (POLICYMINER_SEGMENTER=jieba)."""
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    py = jieba.Tokenizer()
    rs = rjieba.Jieba()
    rs.add_word("不该影响私有实例", 99999, None)  # words added elsewhere must not leak in
    texts = [r["heading"] for r in _rows()] + [r["text"] for r in _rows()[::3]]
    texts += ["ＡＢＣ公司2023年度5G+工业互联网#1项目，完成率98.5%", "x-ray 与 C++ 及 a.b_c", ""]
    for s in texts:
        assert rs.cut(s, False) == py.lcut(s, HMM=False), s


@given(st.text(alphabet=st.sampled_from(list("加大金融支持力度企业服务中心政府采购项目建设的了是在") + list("ab1 .%+#-，。、")), max_size=40))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_rjieba_cuts_like_python_jieba_on_arbitrary_text(s: str) -> None:
    rs, py = _segmenters()
    assert rs.cut(s, False) == py.lcut(s, HMM=False)


@given(st.lists(st.sampled_from(list("一二三（）(、.是第条 \u3000\n。；，：加大金融支持") + ["加大金融支持", "12."]), max_size=30).map("".join),
       st.lists(st.sampled_from(list("一二三（）(、.是第条 \u3000\n。；，：企业服务") + ["加大金融支持", "  " * 20, "。" * 30]), max_size=200).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_measure_text_on_a_prefix_equals_the_full_cleaning(heading: str, text: str) -> None:
    from policyminer.classify.features import BODY_CHARS, _body

    h = clean(heading)
    assert measure_text(heading, text) == h + "\n" + _body(h, clean(text))[:BODY_CHARS]


def test_jieba_words_keeps_words_drops_punctuation() -> None:
    words = jieba_words("加大金融支持，降低融资成本")
    assert "金融" in words and "融资" in words and "，" not in words


@pytest.mark.parametrize(
    "heading, tool",
    [  # example measures from spec/taxonomy.md
        ("贷款贴息", "E2"),
        ("政策宣讲", "E7"),
        ("成立工作专班", "E5"),
        ("缓缴社保", "E3"),
        ("招商引资", "D2"),
        ("在岗培训补贴", "S1"),
    ],
)
def test_keyword_baseline_on_taxonomy_examples(heading: str, tool: str) -> None:
    assert keyword_tool(heading) == tool


# --------------------------------------------------------------------------- shipped model


def test_shipped_model_needs_only_trusted_types() -> None:
    import skops.io as sio

    assert set(sio.get_untrusted_types(file=model_path())) <= set(TRUSTED_TYPES)
    assert load_model() is not None


def test_fast_scorer_reproduces_the_pipeline() -> None:
    import numpy as np

    from policyminer.classify.model import JointModel, _FastScorer, get_model

    fast, plain = get_model(), load_model()
    assert isinstance(fast, JointModel) and isinstance(fast.tool, _FastScorer)
    assert fast.instrument is None or isinstance(fast.instrument, _FastScorer)
    docs = [measure_text(r["heading"], r["text"]) for r in _rows()[::3]] + ["", "\n", "第一条"]
    assert np.abs(fast.predict_proba(docs) - plain.predict_proba(docs)).max() < 1e-9
    assert np.abs(fast.tool_proba(docs) - plain.tool_proba(docs)).max() < 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=120)), min_size=1, max_size=8))
def test_fast_scorer_on_arbitrary_text(pairs: list[tuple[str, str]]) -> None:
    """Whitespace runs, separator-like and surrogate characters, texts with or without the
    heading/body newline: the shared feature pass still gives scikit-learn's probabilities."""
    import numpy as np

    from policyminer.classify.model import get_model

    fast, plain = get_model(), load_model()
    docs = [h + "\n" + b for h, b in pairs] + [h + b for h, b in pairs[:2]]
    docs += [measure_text(h, b) for h, b in pairs]
    P, J = fast.tool_and_joint(docs)
    P0, J0 = plain.tool_and_joint(docs)
    assert np.abs(P - P0).max() < 1e-9 and np.abs(J - J0).max() < 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text("人才资金服务保障金融政务社会务\n \x00", max_size=30),
                          st.text("人才资金服务保障金融政务社会务\n \x00", max_size=60)), max_size=6))
def test_keyword_counts_of_joined_texts_equal_per_text_scores(pairs: list[tuple[str, str]]) -> None:
    from policyminer.classify.keywords import TOOL_COLUMNS, keyword_counts, keyword_scores

    docs = [h.replace("\n", "") + "\n" + b for h, b in pairs]
    counts = keyword_counts(docs)
    for d, row in zip(docs, counts.tolist()):
        h, _, b = d.partition("\n")
        scores = keyword_scores(h, b)
        assert row == [scores.get(t, 0) for t in TOOL_COLUMNS]


def test_key_table_finds_exactly_the_stored_keys() -> None:
    import random

    import numpy as np

    from policyminer.classify.model import _KeyTable

    rng = random.Random(7)
    for hi in (50, 5000, 2**42):  # dense keys collide a lot: long probe runs (keys and values share 63 bits)
        keys = sorted({rng.randint(1, hi) for _ in range(3000)})
        values = [rng.randint(0, 10**6) for _ in keys]
        table = _KeyTable(keys, values)
        stored = dict(zip(keys, values))
        queries = [rng.choice(keys) for _ in range(2000)] + [rng.randint(1, hi) for _ in range(2000)]
        got = table.lookup(np.array(queries, dtype=np.int64)).tolist()
        assert got == [stored.get(k, -1) for k in queries]
        at, values = table.find(np.array(queries, dtype=np.int64))  # the hits only, any order
        assert sorted(zip(at.tolist(), values.tolist())) == [(i, stored[k]) for i, k in enumerate(queries) if k in stored]


class _Fixed:
    """A stand-in fitted model returning fixed probabilities."""

    def __init__(self, classes: list[str], row: list[float]) -> None:
        import numpy as np

        self.classes_ = np.array(classes)
        self.row = np.array(row)

    def predict_proba(self, docs: list[str]):
        import numpy as np

        return np.tile(self.row, (len(docs), 1))


@pytest.mark.parametrize(
    "alpha, tool",
    [(0.0, "S5"),  # tool model alone: the single best tool
     (1.0, "E1"),  # the instrument model is sure it is environment: best environment tool
     (2.0, "E1")],
)
def test_joint_decision_prefers_the_likely_instrument(alpha: float, tool: str) -> None:
    from policyminer.classify.model import JointModel

    tools = _Fixed(["E1", "E4", "S5"], [0.3, 0.25, 0.45])
    instruments = _Fixed(["demand", "environment", "supply"], [0.0, 0.8, 0.2])
    model = JointModel(tools, instruments, alpha)
    (got, instrument, conf), = predict([("x", "y")], model=model)
    assert (got, instrument) == (tool, instrument_of(tool))
    assert conf == {"S5": 0.45, "E1": 0.3}[tool]  # the tool model's own probability
    assert abs(model.predict_proba(["x"]).sum() - 1.0) < 1e-9


def test_model_with_untrusted_type_is_refused(tmp_path: Path) -> None:
    import os

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    bad = tmp_path / "bad.skops"
    sio.dump(FunctionTransformer(os.getcwd), bad)
    assert load_model(bad) is None
    assert load_model(tmp_path / "missing.skops") is None


@pytest.mark.parametrize(
    "heading, tool",
    [  # real measure headings of corpora/seeds (004: 怀化 notice) with a clear lead
        ("加大金融支持", "E2"),
        ("明确责任分工", "E5"),
        ("加强工作督查", "E6"),
        ("建立问题台账", "E6"),
        ("实行领导挂点、部门包点", "E5"),
        ("切实加强电、气的供应保障工作", "S5"),
        ("加强人才支撑", "S1"),
        ("加大政府采购支持中小企业力度", "D1"),
    ],
)
def test_model_on_real_headings(heading: str, tool: str) -> None:
    (pred_tool, instrument, conf), = predict([(heading, "")])
    assert pred_tool == tool
    assert instrument == instrument_of(tool)
    assert 0.0 < conf <= 1.0


def test_retraining_reproduces_shipped_scores(tmp_path: Path) -> None:
    from policyminer.classify.train import train

    got = train(DATA, tmp_path / "instrument.skops", seed=0, heldout_dir=tmp_path / "heldout")
    got.pop("seconds", None)
    shipped = json.loads(SCORES.read_text(encoding="utf-8"))
    for entry in got["gold_in_training"].values():  # written under tmp_path here, under models/ when shipped
        entry["without_model"] = "models/heldout/" + Path(entry["without_model"]).name
    assert json.loads(json.dumps(got, sort_keys=True)) == shipped
    # and the refit models predict like the shipped ones
    heads = [(r["heading"], r["text"]) for r in _rows()[::7]]
    assert predict(heads, model=load_model(tmp_path / "instrument.skops")) == predict(heads)
    for corpus in ("dev", "seeds"):
        name = f"instrument-without-{corpus}.skops"
        assert predict(heads, model=load_model(tmp_path / "heldout" / name)) == \
            predict(heads, model=load_model(ROOT / "models" / "heldout" / name))


# --------------------------------------------------------------------------- gold in training, held out in eval

def test_eval_scores_each_gold_corpus_with_the_model_that_never_saw_it(tmp_path: Path) -> None:
    """The shipped model is trained on the dev and seed gold; eval must not score them with it."""
    import shutil

    from policyminer.classify.heldout import gold_measures, model_for

    without_dev, note = model_for(ROOT / "corpora" / "dev" / "gold", SCORES)
    assert without_dev is not None and without_dev.name == "instrument-without-dev.skops" and "trained without" in note
    path, note = model_for(ROOT / "corpora" / "seeds" / "gold", SCORES)
    assert path is not None and path.name == "instrument-without-seeds.skops"
    # a corpus the model never saw is scored with the shipped model, silently
    assert model_for(ROOT / "corpora" / "heldout" / "gold", SCORES) == (None, "")
    # recognised by content, not by folder name
    copy = tmp_path / "renamed" / "gold"
    shutil.copytree(ROOT / "corpora" / "seeds" / "gold", copy)
    assert model_for(copy, SCORES)[0] is not None
    # the leave-out model really did not see the dev gold: the shipped one has memorised it
    X, y = gold_measures(ROOT / "corpora" / "dev" / "gold")
    shipped = sum(t == g for (t, _, _), g in zip(predict([(x, "") for x in X]), y)) / len(y)
    without = sum(t == g for (t, _, _), g in zip(predict([(x, "") for x in X], model=load_model(without_dev)), y)) / len(y)
    assert shipped > 0.95 and without < 0.9


def test_eval_warns_when_the_leave_out_model_is_missing(tmp_path: Path) -> None:
    from policyminer.classify.heldout import model_for

    info = json.loads(SCORES.read_text(encoding="utf-8"))
    info["gold_in_training"]["dev"]["without_model"] = "models/heldout/gone.skops"
    scores = tmp_path / "instrument.scores.json"
    scores.write_text(json.dumps(info), encoding="utf-8")
    path, note = model_for(ROOT / "corpora" / "dev" / "gold", scores)
    assert path is None and "NOT held out" in note


def test_eval_prints_which_classifier_scored_the_corpus() -> None:
    import io

    from policyminer.commands import run_eval

    buf = io.StringIO()
    assert run_eval(ROOT / "corpora" / "seeds", None, buf) == 0
    assert "instrument-without-seeds.skops" in buf.getvalue()


def test_using_a_bad_model_file_is_an_error(tmp_path: Path) -> None:
    from policyminer.classify.model import using

    bad = tmp_path / "x.skops"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="x.skops"):
        with using(bad):
            pass


# --------------------------------------------------------------------------- pipeline stage


def test_classify_stage_on_a_real_notice() -> None:
    from policyminer.api import extract_path

    doc = extract_path(ROOT / "corpora" / "seeds" / "docs" / "004_f5d32eee970b9eca.txt")[0]
    measures = doc["measures"]
    assert len(measures) >= 10
    for m in measures:
        assert m["tool"] in TOOLS
        assert m["instrument"] == instrument_of(m["tool"])
        assert 0.0 <= m["confidence"] <= 1.0
    by_heading = {clean(m["heading"]): m["tool"] for m in measures}
    assert by_heading.get("加大金融支持") == "E2"


def test_classify_measures_empty_and_missing_fields() -> None:
    classify_measures([])
    ms = [{"heading": None, "text": None}, {}]
    classify_measures(ms)
    assert all(m["tool"] in TOOLS and m["instrument"] in {"supply", "environment", "demand"} for m in ms)


def test_a_classifier_failure_is_logged_not_swallowed(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    # the measures stay unlabelled (None) and extraction goes on, but the failure is logged
    import logging

    from policyminer.classify import model

    def broken(items: list, model: object = None) -> list:
        raise NameError("name 'docs' is not defined")

    monkeypatch.setattr(model, "predict", broken)
    ms = [{"heading": "加大金融支持", "text": "银行要加大信贷投放"}]
    with caplog.at_level(logging.WARNING, logger="policyminer.pipeline.classify"):
        classify_measures(ms)
    assert ms[0]["tool"] is None and ms[0]["instrument"] is None and ms[0]["confidence"] is None
    logged = [r for r in caplog.records if r.name == "policyminer.pipeline.classify"]
    assert len(logged) == 1 and logged[0].levelno == logging.WARNING and logged[0].exc_info is not None
    assert "NameError" in logged[0].getMessage()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.text(max_size=300))
def test_never_raises_on_arbitrary_text(heading: str, text: str) -> None:
    ms = [{"heading": heading, "text": text, "path": []}]
    classify_measures(ms)
    assert ms[0]["tool"] in TOOLS
    keyword_tool(heading, text)
    measure_text(heading, text)

"""Normalization: script, width, conversion noise, whitespace, and the offset map."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from policyminer.ingest import read
from policyminer.normalize import normalize

from .conftest import SEEDS


def test_pinyin_glosses_removed_and_script_simplified() -> None:
    n = normalize("持續(xù)落實“一企一議”機制,探索創(chuàng)新服務企業(yè)和重大項目模式")
    assert n.text == "持续落实“一企一议”机制,探索创新服务企业和重大项目模式"


def test_seed_003_has_no_glosses_left() -> None:
    text = normalize(read(SEEDS / "docs" / "003_1321990955f5dc4b.txt").text).text
    assert "(yè)" not in text and "(chǎn)" not in text and "企业" in text and "復" not in text


def test_brackets_that_are_not_glosses_stay() -> None:
    assert normalize("住(城)建局、PPP(ppp)模式、企业(项目)").text == "住(城)建局、PPP(ppp)模式、企业(项目)"


def test_width_folding_keeps_chinese_punctuation() -> None:
    n = normalize("走访企业３３４０家，办结率８９．１％（截至７月１０日）：ＡＢＣ")
    assert n.text == "走访企业3340家，办结率89.1%（截至7月10日）：ABC"


def test_spaces_inside_chinese_removed_runs_kept_as_one() -> None:
    assert normalize("税务 总局 办 公厅 文件").text == "税务总局办公厅文件"
    assert normalize("2019 年 1 月 1 日").text == "2019年1月1日"
    assert normalize("万载县统计局    国家统计局万载调查队").text == "万载县统计局 国家统计局万载调查队"


def test_blank_lines_collapsed_and_edges_trimmed() -> None:
    assert normalize("  一、总体要求  \n\n\n\n（一）加强领导\r\n").text == "一、总体要求\n\n（一）加强领导"


def test_offsets_point_back_to_source() -> None:
    src = "各縣市區：\n\n\n  截至７月１０日，企業(yè)走訪３３４０家。"
    n = normalize(src)
    i = n.text.index("3340")
    assert src[n.to_source(i):n.to_source(i) + 4] == "３３４０"
    j = n.text.index("企业")
    assert src[n.to_source(j)] == "企"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_never_raises_and_offsets_are_monotonic(s: str) -> None:
    n = normalize(s)
    assert len(n.offsets) == len(n.text)
    assert all(0 <= o < max(1, len(s)) for o in n.offsets)
    assert n.offsets == sorted(n.offsets)


def test_web_text_keeps_breaks_but_joins_wrapped_words() -> None:
    # in crawler dumps a single space may be the only trace of a line break after a heading,
    # while a wrap inside a word ('交通运 输') is joined when the joined characters are a word
    n = normalize("交通运 输、灭火救 援，2.强化媒体宣传工作 县政府要加强", layout=False)
    assert n.text == "交通运输、灭火救援，2.强化媒体宣传工作 县政府要加强"


def test_official_place_names_survive_script_conversion() -> None:
    # OpenCC maps 乾 to 干, but 乾县 and 於潜镇 are official names
    assert normalize("开工周至至乾县高速，於潜镇").text == "开工周至至乾县高速，於潜镇"
    assert normalize("乾坤").text == "乾坤"

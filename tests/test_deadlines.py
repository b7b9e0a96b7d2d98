"""find_deadlines on real notices (corpora/seeds, corpora/dev) and on edge cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.pipeline.context import DocContext
from policyminer.pipeline.deadlines import find_deadlines, find_schedules

ROOT = Path(__file__).resolve().parents[1] / "corpora"


def _doc(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def _run(text: str, anchor: dt.date | None, title: str = "") -> list[dict]:
    return find_deadlines(text, DocContext(text=text, anchor=anchor, meta={"title": title}))


def _triples(items: list[dict]) -> list[tuple]:
    return [(d["text"], d["date"], d["relation"]) for d in items]


@pytest.fixture(scope="module")
def seed004() -> list[dict]:
    return _run(_doc("seeds/docs/004_f5d32eee970b9eca.txt"), dt.date(2020, 4, 21))


@pytest.mark.parametrize(
    "expected",
    [("4月底前", "2020-04-30", "by"), ("6月底前", "2020-06-30", "by"), ("全年", "2020-12-31", "period"),
     ("4月份", "2020-04-30", "period"), ("6月底", "2020-06-30", "by")],
)
def test_seed004_deadlines(seed004: list[dict], expected: tuple) -> None:
    assert expected in _triples(seed004)


def test_seed004_within_and_limits(seed004: list[dict]) -> None:
    within = [d for d in seed004 if d["relation"] == "within"]
    six = [d for d in within if d["text"] == "不超过6个月"]
    assert six and six[0]["duration"] == "P6M" and six[0]["date"] is None
    texts = [d["text"] for d in within]
    assert texts.count("限期") == 1  # 限期办结 yes, 限期退出要求 (a kind of mine) no
    assert "限时" in texts


def test_seed004_no_schedules_or_cited_titles(seed004: list[dict]) -> None:
    texts = [d["text"] for d in seed004]
    # 《…行动计划(2018—2020)》 is a cited title; 月调度、季督查 is a recurring schedule
    assert not any("2018" in t or "2020" in t for t in texts)
    assert "当年" not in texts  # 不超过当年新增税收的20%: not a time frame
    for d in seed004:
        a, b = d["span"]
        assert b > a
        assert d["task"]


def test_seed004_spans_point_at_text(seed004: list[dict]) -> None:
    text = _doc("seeds/docs/004_f5d32eee970b9eca.txt")
    for d in seed004:
        a, b = d["span"]
        assert text[a:b].replace(" ", "").endswith(d["text"][-2:])


def test_seed000_by_date_and_working_days() -> None:
    out = _run(_doc("seeds/docs/000_41e52e51830b3dfc.txt"), dt.date(2020, 5, 27))
    assert ("10月1日前", "2020-10-01", "by") in _triples(out)
    three = [d for d in out if d["text"] == "3个工作日"]
    assert three and three[0]["relation"] == "within" and three[0]["working_days"] is True
    # 4月3日，省厅召开了…会议 / 4月份…开展了: when it happened, not a deadline
    assert not any(d["text"] in ("4月3日", "4月29日", "5月9日", "4月份") for d in out)


def test_seed001_as_of() -> None:
    out = _run(_doc("seeds/docs/001_3159178822529981.txt"), dt.date(2023, 7, 11))
    assert ("截至7月10日", "2023-07-10", "as_of") in _triples(out)
    assert not any("5-6月" in d["text"] for d in out)  # 于今年5-6月集中开展: an event


def test_seed002_no_anchor_keeps_expression() -> None:
    out = _run(_doc("seeds/docs/002_8c08af7b3efce9ce.txt"), None)
    trip = _triples(out)
    assert ("上半年", None, "period") in trip
    assert ("截止目前", None, "as_of") in trip
    assert "全年" not in [d["text"] for d in out]  # 月督办、季排名、半年拉练、全年结账: schedule


def test_seed003_quarter_and_now() -> None:
    out = _run(_doc("seeds/docs/003_1321990955f5dc4b.txt"), None)
    texts = [d["text"] for d in out]
    assert "一季度" in texts and "截至目前" in texts and "今年1月~2月" in texts
    assert not any("以来" in t for t in texts)


def test_bulletin_reports_the_year_before_publication() -> None:
    text = "万载县2022年国民经济和社会发展统计公报\n全年实现生产总值262.6亿元。年末常住人口488403人，比上年末增加353人。"
    out = _run(text, dt.date(2023, 5, 1), "万载县2022年国民经济和社会发展统计公报")
    assert ("全年", "2022-12-31", "period") in _triples(out)
    assert ("年末", "2022-12-31", "as_of") in _triples(out)


def test_pdf_line_wrapped_inside_a_sentence() -> None:
    text = "1人口特征\n2021年，深圳市户籍人口\n4630.94万人，其中男性311.85\n万人。\n三、教育\n2021年工作回顾\n1.总体情况\n"
    out = _run(text, dt.date(2022, 12, 1), "2021年深圳市社会性别统计报告")
    assert _triples(out) == [("2021年", "2021-12-31", "period")]


def test_undated_bulletin_reports_the_year_before() -> None:
    text = "全年实现生产总值262.6亿元。"
    out = _run(text, dt.date(2024, 3, 20), "某县国民经济和社会发展统计公报")
    assert _triples(out) == [("全年", "2023-12-31", "period")]


def test_work_report_switches_to_the_plan_year() -> None:
    text = ("一、2025年主要工作\n全年为企业减负超3300亿元。\n二、今年工作\n"
            "今年经济社会发展主要预期目标为：全省生产总值增长5%。全年开行3000列以上。")
    trip = _triples(_run(text, dt.date(2026, 1, 22), "2026年浙江省政府工作报告"))
    assert ("全年", "2025-12-31", "period") in trip
    assert ("今年", "2026-12-31", "period") in trip
    assert ("全年", "2026-12-31", "period") in trip


def test_dev_d025_working_day_limits() -> None:
    out = _run(_doc("dev/docs/d025.txt"), dt.date(2015, 9, 10))
    texts = [d["text"] for d in out]
    assert texts.count("5个工作日内") == 4
    assert texts.count("每季度终了后15日内") == 2
    assert all(d["working_days"] for d in out if "工作日" in d["text"])
    assert not any(t.startswith("每年") for t in texts)


def test_dev_d024_festival_and_ranges() -> None:
    out = _run(_doc("dev/docs/d024.txt"), dt.date(2013, 1, 7))
    trip = _triples(out)
    assert ("2013年春节前", "2013-02-10", "by") in trip
    assert ("2013年3月前", "2013-03-31", "by") in trip
    assert ("2013年1月至3月", "2013-03-31", "period") in trip


def test_dev_d022_publicity_period() -> None:
    out = _run(_doc("dev/docs/d022.txt"), dt.date(2017, 9, 22))
    trip = _triples(out)
    assert ("2017年9月22日至2017年9月26日", "2017-09-26", "period") in trip
    assert ("公示期限内", "2017-09-26", "within") in trip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("各单位要于6月30日前完成整改。", [("6月30日前", "2020-06-30", "by")]),
        ("4月3日，省厅召开了全系统视频会议。", []),
        ("年初以来，全县解决问题763个。", []),
        ("自2019年1月1日起全面施行。", []),
        ("全县实行“日沟通、周报告、月调度、季督查”机制。", []),
        ("每月对问题办理情况进行通报。", []),
        ("根据《行动计划(2018—2020年)》(怀办发〔2018〕57号)执行。", []),
        ("截至目前，共召开督办会6次。", [("截至目前", None, "as_of")]),
        ("目前已在分办、督办中。", []),
        ("比2019年增长5%。", []),
        ("对问题限期整改到位。", [("限期", None, "within")]),
        ("建立交办问题处理机制，相关责任单位限期办结。", [("限期", None, "within")]),
        ("符合单独保留和限期退出要求的砂石矿山。", []),
        ("一季度末前，完成投资50亿元。", [("一季度末前", "2020-03-31", "by")]),
        ("应于收到申请之日起5个工作日内办结。", [("5个工作日内", None, "within")]),
        ("即日起至2020年12月31日，对企业减免租金。", [("即日起至2020年12月31日", "2020-12-31", "period")]),
        ("项目须于9月30日完成。", []),  # 于 + bare day: the date of an act, not a cue
        ("9月30日完成主体工程建设。", [("9月30日", "2020-09-30", "on")]),
        ("5月20日召开推进会。", []),
        ("争取实现半年目标任务。", []),
        ("年内完成改造任务。", [("年内", "2020-12-31", "within")]),
        ("各乡镇于2020年5月10日—5月20日开展自查。", [("2020年5月10日—5月20日", "2020-05-20", "period")]),
        ("力争2025年全市规上工业增加值增长8%。", [("2025年", "2025-12-31", "by")]),
        ("上年末全市常住人口95.3万人。", [("上年末", "2019-12-31", "as_of")]),
        ("项目建设工期18个月。", [("18个月", None, "within")]),
        ("对企业诉求实行“1个工作日响应、3天办结”。", [("1个工作日", None, "within"), ("3天", None, "within")]),
        ("开展了3天集中培训。", []),
        ("受到2019年疫情影响的企业。", []),
        ("注：2019年数据已根据第四次全国经济普查结果进行修订。", []),
        ("2019年全县实际参加高考人数6396人（6月高考，剔除3月份单招录取的930人）。",
         [("2019年", "2019-12-31", "period")]),
        ("完成时限：2020年12月。", [("2020年12月", "2020-12-31", "by")]),
        ("“十四五”期间，全市累计完成投资5000亿元。", [("“十四五”期间", "2025-12-31", "period")]),
        ("每年12月底前报送年度总结。", []),
        ("2019年，全市完成投资100亿元，同比增长5%。全年力争完成投资120亿元以上。",
         [("2019年", "2019-12-31", "period"), ("全年", "2020-12-31", "period")]),
        ("2019年，全市完成投资100亿元。各地要在6月底前完成整改。",
         [("2019年", "2019-12-31", "period"), ("6月底前", "2020-06-30", "by")]),
        ("报名截止6月30日17:00前。", [("截止6月30日17:00前", "2020-06-30", "by")]),
    ],
)
def test_sentences(text: str, expected: list[tuple]) -> None:
    assert _triples(_run(text, dt.date(2020, 4, 21))) == expected


def test_schedules_in_seed000() -> None:
    s = find_schedules(_doc("seeds/docs/000_41e52e51830b3dfc.txt"))
    assert [(x["text"], x["every"]) for x in s] == [("每月对问题办理情况进行通报", "P1M")]


def test_schedules_are_kept_apart() -> None:
    s = find_schedules("实行“日沟通、周报告、月调度、季督查”机制，每月一通报。")
    got = {(x["every"], x["action"]) for x in s}
    assert {("P1D", "沟通"), ("P1W", "报告"), ("P1M", "调度"), ("P3M", "督查"), ("P1M", "通报")} <= got


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200),
                 st.text(alphabet="0123456789年月日至前内底末季度上下半全今明截止到个工作天周期限目前春节—-~、，。；\n"
                          "十一二三四五六七八九〇每终了后不超过公示“”过去这未来时第比增长万人《》（）注：", max_size=120)),
       st.one_of(st.none(), st.dates()))
def test_never_raises(text: str, anchor: dt.date | None) -> None:
    out = find_deadlines(text, DocContext(text=text, anchor=anchor))
    assert isinstance(out, list)
    for d in out:
        a, b = d["span"]
        assert 0 <= a < b <= len(text)


class _ScanCounter(str):
    """A text that counts the chars its find/rfind calls search through."""

    scanned = 0

    def rfind(self, sub, start=None, end=None):  # type: ignore[override]
        lo, hi = start or 0, len(self) if end is None else end
        type(self).scanned += max(0, hi - lo)
        return str.rfind(self, sub, start, end)

    def find(self, sub, start=None, end=None):  # type: ignore[override]
        lo, hi = start or 0, len(self) if end is None else end
        type(self).scanned += max(0, hi - lo)
        return str.find(self, sub, start, end)


def test_line_starts_are_not_searched_back_per_candidate() -> None:
    """A page without line breaks (a flattened HTML page): the note-line and caption tests
    need each candidate's line start; found once, not by a search back to the page start
    per candidate (quadratic: minutes on a few MB)."""
    unit = "2023年，全市完成投资5亿元，同比增长3%；"
    text = _ScanCounter(unit * 400)
    _ScanCounter.scanned = 0
    out = find_deadlines(text, DocContext(text=text, anchor=dt.date(2024, 3, 1)))
    assert len(out) == 400
    assert _ScanCounter.scanned < 40 * len(text)  # was ~200 x len(text)


def test_bare_time_limits() -> None:
    """期限内/时限内 without a label word or a preposition before them (期 and 时 start
    expressions too)."""
    assert _triples(_run("整改期限内未完成的，予以通报。", dt.date(2024, 3, 1))) == [("期限内", None, "within")]
    assert _triples(_run("各单位须在办结时限内答复。", dt.date(2024, 3, 1))) == [("时限内", None, "within")]
    assert _run("同时限制外地车辆。", dt.date(2024, 3, 1)) == []


def test_plan_period_without_quotes_frames_a_figure() -> None:
    got = _triples(_run("十四五规划期内，全市累计完成投资500亿元。", dt.date(2024, 3, 1)))
    assert got == [("十四五规划期内", "2025-12-31", "period")]
    assert got == [(t.replace("“", "").replace("”", ""), d, r) for t, d, r in
                   _triples(_run("“十四五”规划期内，全市累计完成投资500亿元。", dt.date(2024, 3, 1)))]


def test_wave_dash_range_of_years() -> None:
    got = _triples(_run("2020〜2022年，全市累计完成投资500亿元。", dt.date(2024, 3, 1)))
    assert got == [("2020〜2022年", "2022-12-31", "period")]


def test_durations_without_ge_alone() -> None:
    assert _triples(_run("整改须3星期内完成。", dt.date(2024, 3, 1))) == [("3星期内", None, "within")]
    assert _triples(_run("收到材料后5自然日内答复。", dt.date(2024, 3, 1))) == [("5自然日内", None, "within")]


def test_a_validity_period_is_no_deadline() -> None:
    # 有效期限内 says how long something is valid, not by when something must be done; a bare
    # 期限内/规定期限内 still is one
    from policyminer.api import extract

    assert extract("证书在有效期限内可以继续使用。")["deadlines"] == []
    assert [d["text"] for d in extract("各单位应在规定期限内完成整改。")["deadlines"]] == ["规定期限内"]

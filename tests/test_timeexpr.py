"""resolve_time: every form of issue 6, resolved against an anchor date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyminer.rules import timeexpr
from policyminer.rules.timeexpr import cn_int, resolve_time

A2020 = dt.date(2020, 4, 21)


@pytest.mark.parametrize(
    "text, anchor, date, relation",
    [
        ("4月底前", A2020, "2020-04-30", "by"),
        ("6月底前", A2020, "2020-06-30", "by"),
        ("6月底", A2020, "2020-06-30", "by"),
        ("6月30日前", A2020, "2020-06-30", "by"),
        ("10月1日前", dt.date(2020, 5, 27), "2020-10-01", "by"),
        ("10月1日之前", dt.date(2020, 5, 27), "2020-10-01", "by"),
        ("10月1日以前", dt.date(2020, 5, 27), "2020-10-01", "by"),
        ("6月前", A2020, "2020-06-30", "by"),  # month-only limits -> last day
        ("三月末前", A2020, "2020-03-31", "by"),  # a past month stays in the anchor year
        ("年底前", A2020, "2020-12-31", "by"),
        ("2020年底", A2020, "2020-12-31", "by"),
        ("上半年", A2020, "2020-06-30", "period"),
        ("下半年", A2020, "2020-12-31", "period"),
        ("今年上半年", A2020, "2020-06-30", "period"),
        ("一季度", A2020, "2020-03-31", "period"),
        ("第三季度", A2020, "2020-09-30", "period"),
        ("一季度末", dt.date(2020, 1, 10), "2020-03-31", "by"),
        ("一季度末", A2020, "2020-03-31", "as_of"),  # behind the notice: stock-taking
        ("12月末", dt.date(2021, 3, 1), "2021-12-31", "by"),
        ("全年", A2020, "2020-12-31", "period"),
        ("年内", A2020, "2020-12-31", "within"),
        ("今年", A2020, "2020-12-31", "period"),
        ("明年", A2020, "2021-12-31", "period"),
        ("明年6月底前", A2020, "2021-06-30", "by"),
        ("4月份", A2020, "2020-04-30", "period"),
        ("5月上旬", A2020, "2020-05-10", "period"),
        ("5月中旬", A2020, "2020-05-20", "period"),
        ("5月下旬", A2020, "2020-05-31", "period"),
        ("十二月中旬前", A2020, "2020-12-20", "by"),
        ("截至7月10日", dt.date(2023, 7, 11), "2023-07-10", "as_of"),
        ("截止7月10日", dt.date(2023, 7, 11), "2023-07-10", "as_of"),
        ("截止2022年底", dt.date(2023, 12, 15), "2022-12-31", "as_of"),
        ("至2022年底", dt.date(2023, 12, 15), "2022-12-31", "as_of"),
        ("到2015年底", dt.date(2017, 5, 15), "2015-12-31", "as_of"),
        ("到2035年", dt.date(2026, 2, 2), "2035-12-31", "by"),
        ("2022年末", dt.date(2023, 5, 1), "2022-12-31", "as_of"),
        ("2021年度", dt.date(2023, 12, 15), "2021-12-31", "period"),
        ("2017年9月22日至2017年9月26日", dt.date(2017, 9, 22), "2017-09-26", "period"),
        ("2013年1月至3月", dt.date(2013, 1, 7), "2013-03-31", "period"),
        ("9月22日至26日", dt.date(2017, 9, 22), "2017-09-26", "period"),
        ("3月1日到5月31日", dt.date(2024, 2, 1), "2024-05-31", "period"),
        ("2024年3月1日—2024年5月31日", dt.date(2024, 2, 1), "2024-05-31", "period"),
        ("2021—2025年", dt.date(2021, 2, 1), "2025-12-31", "period"),
        ("1-10月", dt.date(2016, 11, 22), "2016-10-31", "period"),
        ("今年1月~2月", dt.date(2020, 4, 1), "2020-02-29", "period"),
        ("即日起至2024年12月31日", dt.date(2024, 3, 1), "2024-12-31", "period"),
        ("自即日起至2024年12月31日", dt.date(2024, 3, 1), "2024-12-31", "period"),
        ("2013年春节前", dt.date(2013, 1, 7), "2013-02-10", "by"),
        ("春节前", dt.date(2024, 1, 5), "2024-02-10", "by"),
        ("国庆节前", dt.date(2024, 1, 5), "2024-10-01", "by"),
        ("“十四五”期间", dt.date(2022, 1, 1), "2025-12-31", "period"),
        ("十五五时期", dt.date(2026, 2, 2), "2030-12-31", "period"),
        ("过去一年", dt.date(2026, 2, 2), "2025-12-31", "period"),
        ("过去五年", dt.date(2026, 2, 2), "2025-12-31", "period"),
        ("今后五年", dt.date(2026, 2, 2), "2030-12-31", "period"),
        ("二〇二〇年十二月三十一日前", None, "2020-12-31", "by"),
        ("6月30日24时前", A2020, "2020-06-30", "by"),
        ("6月30日17:00前", A2020, "2020-06-30", "by"),
        ("截止6月30日", A2020, "2020-06-30", "by"),  # a closing date still ahead
        ("截至3月31日", A2020, "2020-03-31", "as_of"),  # already past: stock-taking
        ("本月底前", A2020, "2020-04-30", "by"),
        ("月内", A2020, "2020-04-30", "within"),
        ("2022年前三季度", A2020, "2022-09-30", "period"),
        ("2023年1-6月", A2020, "2023-06-30", "period"),
        ("2020年12月31日", None, "2020-12-31", "on"),
    ],
)
def test_resolves_dates(text: str, anchor: dt.date | None, date: str | None, relation: str | None) -> None:
    r = resolve_time(text, anchor)
    if relation is None:
        return
    assert r is not None, text
    assert r["date"] == date
    assert r["relation"] == relation


@pytest.mark.parametrize(
    "text, duration, working_days",
    [
        ("3个工作日内", "P3D", True),
        ("10个工作日内", "P10D", True),
        ("3日内", "P3D", False),
        ("15天内", "P15D", False),
        ("不超过6个月", "P6M", False),
        ("两周内", "P2W", False),
        ("一个月内", "P1M", False),
        ("每季度终了后15日内", "P15D", False),
        ("24小时内", "PT24H", False),
        ("未来3-5年内", "P5Y", False),
        ("半年内", "P6M", False),
        ("半个月内", "P15D", False),
        ("三个月以内", "P3M", False),
    ],
)
def test_durations_are_within_without_date(text: str, duration: str, working_days: bool) -> None:
    r = resolve_time(text, "2020-05-27")
    assert r is not None
    assert (r["relation"], r["date"], r["duration"], r["working_days"]) == ("within", None, duration, working_days)


@pytest.mark.parametrize("text, relation", [("截至目前", "as_of"), ("截止目前", "as_of"), ("至目前", "as_of"),
                                            ("目前", "as_of"), ("限期", "within"), ("限时", "within"),
                                            ("规定期限内", "within"), ("入汛前", "by"), ("春节期间", "period")])
def test_undated_expressions(text: str, relation: str) -> None:
    r = resolve_time(text, "2020-04-21")
    assert r is not None and r["relation"] == relation and r["date"] is None


@pytest.mark.parametrize(
    "text, anchor, date",
    [
        ("2月底前", "2024-01-05", "2024-02-29"),  # leap year
        ("2月底前", "2023-01-05", "2023-02-28"),
        ("2月底前", "2100-01-05", "2100-02-28"),  # century, not leap
        ("2月底前", "2000-01-05", "2000-02-29"),
        ("一季度", "2024-05-01", "2024-03-31"),
        ("上半年", "2024-02-29", "2024-06-30"),
        ("年底前", "2023-12-31", "2023-12-31"),  # year end on the anchor day
        ("12月底前", "2019-12-31", "2019-12-31"),
        ("第四季度", "2019-03-01", "2019-12-31"),
        ("下半年", "2019-03-01", "2019-12-31"),
    ],
)
def test_leap_years_and_year_ends(text: str, anchor: str, date: str) -> None:
    assert resolve_time(text, anchor)["date"] == date


def test_anchor_as_string_or_date_and_missing_anchor() -> None:
    assert resolve_time("6月底前", "2020-04-21") == resolve_time("6月底前", dt.date(2020, 4, 21))
    r = resolve_time("6月底前", None)
    assert r is not None and r["date"] is None and r["relation"] == "by"
    assert resolve_time("上半年", None)["date"] is None


def test_start_and_period_fields() -> None:
    r = resolve_time("上半年", "2020-04-21")
    assert r["start"] == "2020-01-01"
    r = resolve_time("2017年9月22日至2017年9月26日", "2017-09-22")
    assert (r["start"], r["date"]) == ("2017-09-22", "2017-09-26")


@pytest.mark.parametrize("text", ["召开会议", "", "年", "2022", "3个", "自2020年1月1日起", "年初以来", "月调度"])
def test_not_time_expressions(text: str) -> None:
    assert resolve_time(text, "2020-04-21") is None


@pytest.mark.parametrize("s, n", [("十二", 12), ("二十三", 23), ("三十一", 31), ("两", 2), ("二〇二二", 2022), ("7", 7)])
def test_cn_int(s: str, n: int) -> None:
    assert cn_int(s) == n


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789年月日至前内底末季度上下半全今明截止到个工作天周期限目前春节—-~十一二三四五六七八九〇", max_size=30),
       st.one_of(st.none(), st.dates(), st.text(max_size=12)))
def test_never_raises(text: str, anchor: object) -> None:
    r = resolve_time(text, anchor)
    assert r is None or isinstance(r, dict)


# TIME_RE tests a cue char's second char before it tries the grammar (speed); the one-char
# test (_FIRST) it replaces is the reference: both must find exactly the same expressions.
_ONE_CHAR = re.compile(timeexpr._FIRST + timeexpr._BODY)


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.from_regex(re.compile(timeexpr._BODY), fullmatch=True),
       st.text(alphabet="在于到至自从中年月上 ，的2一", max_size=3),
       st.text(alphabet="前内底末年月日的，", max_size=3))
def test_second_char_test_keeps_every_expression(core: str, before: str, after: str) -> None:
    text = before + core + after
    assert _found(timeexpr.TIME_RE, text) == _found(_ONE_CHAR, text)
    assert [(m.span(), m.groupdict()) for m in timeexpr.iter_times(text)] == _found(_ONE_CHAR, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789零〇一二两三十百年月日号天周时个小工季至到前后截止于在自从即今明去当本上下次同全第"
                        "春节元旦国庆劳动端午中秋清明主汛期入“”\"刚过这未来目规定法公示承诺办理约限每不得超最长压缩控制减少降半"
                        "度底末初内终旬份以起之止开始 \u3000\n，。的和", max_size=40))
def test_second_char_test_on_random_text(text: str) -> None:
    assert _found(timeexpr.TIME_RE, text) == _found(_ONE_CHAR, text)
    assert [(m.span(), m.groupdict()) for m in timeexpr.iter_times(text)] == _found(_ONE_CHAR, text)


def _iter_times_both_paths(text: str) -> list[list[tuple[tuple[int, int], dict]]]:
    """iter_times on the regex path (short texts) and on the numpy path (long texts)."""
    out = [[(m.span(), m.groupdict()) for m in timeexpr.iter_times(text)]]
    saved = timeexpr._NUMPY_MIN_CHARS
    try:
        timeexpr._NUMPY_MIN_CHARS = 0
        out.append([(m.span(), m.groupdict()) for m in timeexpr.iter_times(text)])
    finally:
        timeexpr._NUMPY_MIN_CHARS = saved
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789零〇○一二两三十百年月日号天周时个小工季至到前后截止于在自从即今明去当本上下次同全第"
                        "春节元旦国庆劳动端午中秋清明主汛期入“”\"刚过这未来目规定法公示承诺办理约限每不得超最长压缩控制减少降半"
                        "度底末初内终旬份以起之止开始星然服务 \u3000\xa0\n\t，。的和-~～—－–\U00020000", max_size=60))
def test_numpy_start_table_keeps_every_expression(text: str) -> None:
    """The pair table is a superset of the start test: same matches as TIME_RE.finditer."""
    for found in _iter_times_both_paths(text):
        assert found == _found(timeexpr.TIME_RE, text)


def test_numpy_start_table_on_a_long_notice() -> None:
    text = ("各地要在2024年6月底前完成摸底，截至3月31日已完成80%。全年力争新增10万户，"
            "自即日起至12月31日开展专项行动，公示期限内无异议的，于5个工作日内办结。\n") * 40
    assert len(text) > timeexpr._NUMPY_MIN_CHARS
    assert [(m.span(), m.groupdict()) for m in timeexpr.iter_times(text)] == _found(timeexpr.TIME_RE, text)


def test_iter_times_on_a_notice() -> None:
    text = ("各地要在2024年6月底前完成摸底，截至3月31日已完成80%。全年力争新增10万户，"
            "自即日起至12月31日开展专项行动，公示期限内无异议的，于5个工作日内办结。\n"
            "“十四五”时期，过去五年累计投入；国庆节前、春节期间，每季度终了后15日内报送。")
    found = [m.group() for m in timeexpr.iter_times(text)]
    assert found == [m.group() for m in _ONE_CHAR.finditer(text)]
    assert found[:3] == ["在2024年6月底前", "截至3月31日", "全年"]
    assert "于5个工作日内" in found and "每季度终了后15日内" in found and len(found) == 11


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789零一二十年月日号个工作天前后底内截至到于在全上半今本第季度春节 \n，。的", max_size=80),
       st.integers(min_value=0, max_value=80), st.integers(min_value=0, max_value=80))
def test_iter_times_between_is_finditer_on_the_slice(text: str, lo: int, length: int) -> None:
    long_text = text * (timeexpr._NUMPY_MIN_CHARS // max(1, len(text)) + 1) if text else "x"
    starts = timeexpr.time_starts(long_text)
    assert starts is not None or not text
    if starts is None:
        return
    hi = min(len(long_text), lo + length)
    between = [(m.start() - lo, m.end() - lo, m.groups()) for m in timeexpr.iter_times_between(long_text, starts, lo, hi)]
    assert between == [(m.start(), m.end(), m.groups()) for m in timeexpr.TIME_RE.finditer(long_text[lo:hi])]


def test_numpy_start_table_after_prepositions() -> None:
    """A preposition is tried only when an expression may start right after it; a duration
    after one (自3星期) passes though the number alone would not start one."""
    text = ("在全省推行，从严管理，自3星期内完成，至 2024年底，于 5个自然日内，在一季度，"
            "自即日起至12月31日，到“十四五”末，在12个服务组，截至到3月，至\u30004月底前。\n") * 20
    for found in _iter_times_both_paths(text):
        assert found == _found(timeexpr.TIME_RE, text)
    assert any(g["dur"] == "3星期" for _, g in _iter_times_both_paths(text)[1])


def test_range_reach_bounds_the_grammar() -> None:
    """Where no range sign stands in text[start + 1:start + _RANGE_REACH], the grammar is
    tried without its range alternative: the sign of any range must lie in that reach (the
    pre group, then the longest first end and a space)."""
    import re._parser as sre_parse  # the widths the compiled grammar has

    first_end = (r"(?:(?P<pre>[自从]?即日起[至到]|截至到?|截止到?|截止至|至|到|于|在|自|从)\s?)?"
                 rf"(?:{timeexpr._POINT}|{timeexpr._YEARP}?\s?{timeexpr._MD}|(?:19|20)[0-9]{{2}})\s?")
    assert sre_parse.parse(first_end).getwidth()[1] < timeexpr._RANGE_REACH
    assert re.sub(r"\\s\?|\(\?:|\)|\|", "", timeexpr._RSEP) == timeexpr._RANGE_SIGNS  # the signs of _RSEP
    assert timeexpr._BODY.count(timeexpr._RANGE) == 1 and timeexpr._RSEP in timeexpr._RANGE


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789一二三十年月日号底前内季度上下半全今本至到—–－-~～〜 ，。的在于自从截止", max_size=60),
       st.integers(min_value=0, max_value=60))
def test_range_free_grammar_where_no_sign_follows(text: str, pad: int) -> None:
    """Ranges far from and near their start (padding in between): same matches on the numpy
    path (range alternative skipped where no sign is in reach) as TIME_RE.finditer."""
    text = text.replace("至", "至" + "年" * pad, 1) if pad % 3 == 0 else text
    long_text = (text + "的" * pad + "\n") * 3
    for found in _iter_times_both_paths(long_text):
        assert found == _found(timeexpr.TIME_RE, long_text)


def test_bare_time_limit() -> None:
    assert resolve_time("期限内", "2024-03-01")["relation"] == "within"
    assert resolve_time("时限内", "2024-03-01")["relation"] == "within"


def test_plan_period_without_quotes() -> None:
    """十四五规划期 is the plan period with or without quotes (规 may follow a numeral)."""
    for text in ("十四五规划期", "“十四五”规划期"):
        r = resolve_time(text, "2024-03-01")
        assert r is not None and (r["start"], r["date"]) == ("2021-01-01", "2025-12-31")


@pytest.mark.parametrize("sign", ["至", "-", "～", "~", "〜"])
def test_wave_dash_is_a_range_sign(sign: str) -> None:
    """〜 (U+301C, WAVE DASH) like ～ and 至: a range of years, a duration's range."""
    r = resolve_time(f"2020{sign}2022年", "2024-03-01")
    assert r is not None and (r["start"], r["date"]) == ("2020-01-01", "2022-12-31")
    r = resolve_time(f"3{sign}5个工作日内", "2024-03-01")
    assert r is not None and r["duration"] == "P5D"


@pytest.mark.parametrize("text,duration", [("3星期内", "P3W"), ("5自然日内", "P5D"), ("三星期内", "P3W"),
                                           ("3个星期内", "P3W"), ("5个自然日内", "P5D")])
def test_durations_without_ge(text: str, duration: str) -> None:
    """A number then 星期/自然日 with or without 个 (星 and 自 may follow a number)."""
    r = resolve_time(text, "2024-03-01")
    assert r is not None and (r["duration"], r["relation"]) == (duration, "within")

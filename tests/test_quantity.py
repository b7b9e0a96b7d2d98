"""Numerals, units and comparators: the quantity layer behind ``policyminer.parse_quantity``."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.rules import numbers, quantity
from policyminer.rules.numbers import chinese_to_number, parse_number
from policyminer.rules.quantity import iter_quantities, parse_quantity


@pytest.mark.parametrize("text,value", [
    ("3340", 3340.0),
    ("1,100.76", 1100.76),
    ("89.1", 89.1),
    ("三千四百", 3400.0),
    ("两千", 2000.0),
    ("十", 10.0),
    ("十二", 12.0),
    ("一百零五", 105.0),
    ("三千五", 3500.0),
    ("一万二千", 12000.0),
    ("二〇二二", 2022.0),
    ("九成", 90.0),
    ("2成", 20.0),
    ("百分之九十五", 95.0),
    ("百分之九十五点五", 95.5),
    ("千分之三", 3.0),
    ("三分之一", 1 / 3),
    ("1/4", 0.25),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "三四", "第", "1/0", "十四五规划"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_chinese_positional_needs_zero() -> None:
    # 三四轮 means "three or four rounds", not 34
    assert chinese_to_number("三四") is None
    assert chinese_to_number("二〇二〇") == 2020.0


@pytest.mark.parametrize("text,value,unit,base_value,base_unit,comparator", [
    ("3.5万元", 3.5, "万元", 35000.0, "元", "eq"),
    ("五千多万元", 5000.0, "万元", 5e7, "元", "approx"),
    ("5000多万", 5000.0, "万", 5e7, "", "approx"),
    ("1.2亿", 1.2, "亿", 1.2e8, "", "eq"),
    ("5.2万亿元", 5.2, "万亿元", 5.2e12, "元", "eq"),
    ("两千余家", 2000.0, "家", 2000.0, "家", "approx"),
    ("十余家", 10.0, "家", 10.0, "家", "approx"),
    ("10万余人", 10.0, "万人", 1e5, "人", "approx"),
    ("930多家", 930.0, "家", 930.0, "家", "approx"),
    ("九成", 90.0, "%", 90.0, "%", "eq"),
    ("百分之九十五", 95.0, "%", 95.0, "%", "eq"),
    ("千分之三", 3.0, "‰", 3.0, "‰", "eq"),
    ("9.56‰", 9.56, "‰", 9.56, "‰", "eq"),
    ("0.7个百分点", 0.7, "个百分点", 0.7, "个百分点", "eq"),
    ("翻一番", 1.0, "番", 1.0, "番", "eq"),
    ("翻了两番", 2.0, "番", 2.0, "番", "eq"),
    ("超万亿元", 1.0, "万亿元", 1e12, "元", "gt"),
    ("9千亿元", 9000.0, "亿元", 9e11, "元", "eq"),
    ("3个工作日", 3.0, "个工作日", 3.0, "个工作日", "eq"),
    ("24小时", 24.0, "小时", 24.0, "小时", "eq"),
    ("6个月", 6.0, "个月", 6.0, "个月", "eq"),
    ("48.4千公顷", 48.4, "千公顷", 48400.0, "公顷", "eq"),
    ("26400元/年", 26400.0, "元/年", 26400.0, "元/年", "eq"),
    ("27微克/立方米", 27.0, "微克/立方米", 27.0, "微克/立方米", "eq"),
    ("1,192户", 1192.0, "户", 1192.0, "户", "eq"),
    ("3179万元", 3179.0, "万元", 31790000.0, "元", "eq"),
    ("19.6亿斤", 19.6, "亿斤", 1.96e9, "斤", "eq"),
    ("76.9万标准箱", 76.9, "万标准箱", 769000.0, "标准箱", "eq"),
    ("9600平方公里", 9600.0, "平方公里", 9600.0, "平方公里", "eq"),
    ("3日内", 3.0, "日", 3.0, "日", "le"),
])
def test_units(text: str, value: float, unit: str, base_value: float, base_unit: str, comparator: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q["value"] == pytest.approx(value)
    assert q["unit"] == unit
    assert q["base_value"] == pytest.approx(base_value)
    assert q["base_unit"] == base_unit
    assert q["comparator"] == comparator


@pytest.mark.parametrize("text,comparator", [
    ("130亿元以上", "ge"),
    ("不低于40%", "ge"),
    ("不少于10家", "ge"),
    ("至少3次", "ge"),
    ("超过97%", "gt"),
    ("逾50万人", "gt"),
    ("400万元以下", "le"),
    ("5%以内", "le"),
    ("不超过6个月", "le"),
    ("不足5%", "lt"),
    ("不到3天", "lt"),
    ("约2350亿元", "approx"),
    ("近70万辆", "approx"),
    ("八成左右", "approx"),
    ("5000多万", "approx"),
    ("3340家", "eq"),
])
def test_comparators(text: str, comparator: str) -> None:
    q = parse_quantity(text)
    assert q is not None and q["comparator"] == comparator


@pytest.mark.parametrize("text,values,unit", [
    ("3-5天", [3.0, 5.0], "天"),
    ("3至5个", [3.0, 5.0], "个"),
    ("1-2个市州", [1.0, 2.0], "个"),
    ("380～440毫米", [380.0, 440.0], "毫米"),
    ("40%-70%", [40.0, 70.0], "%"),
])
def test_ranges_give_two(text: str, values: list[float], unit: str) -> None:
    qs = list(iter_quantities(text))
    assert [q.value for q in qs] == values
    assert all(q.unit == unit for q in qs)


@pytest.mark.parametrize("text", [
    "2020年", "2018—2020年", "7月10日", "没有数字", "一个缩影", "千家万户", "14:58", "经过一番努力",
    "一次性补贴", "三四轮", "千亿级产业",
])
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


def test_doctests() -> None:
    for mod in (numbers, quantity):
        failed, _ = doctest.testmod(mod)
        assert failed == 0


def test_public_name() -> None:
    import policyminer

    assert policyminer.parse_quantity("3.5万元")["base_value"] == 35000.0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%万亿元个家项一二两三十百千多余以上下约近超过不低于至-~第年月日“”《》、，。 abc")), max_size=40))
def test_never_raises(text: str) -> None:
    parse_quantity(text)
    list(iter_quantities(text))
    parse_number(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_any_text(text: str) -> None:
    parse_quantity(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.,%万亿元个家一二两三十百千多余约近超过不低于至到-~年日内前成分之翻番半级/ ")
                                + ["百分之", "千分之", "个百分点", "左右", "以上", "\n"]), max_size=30).map("".join))
def test_pre_cue_prefilter_never_skips_a_cue(text: str) -> None:
    """The backward search for a comparator cue is skipped only where no cue can end."""
    pre_re, last = quantity._pre_re(), quantity._pre_last()
    for end in range(1, len(text) + 1):
        if pre_re.search(text, max(0, end - 8), end):
            assert text[end - 1] in last


def test_a_comparator_cue_does_not_cross_a_line_break() -> None:
    # ``$`` also matches before a final newline: the backward cue search took 不超过 from the end of
    # the line before as the cue of a figure that starts the next line
    assert parse_quantity("不超过5%")["comparator"] == "le"
    assert parse_quantity("不超过\n5%")["comparator"] == "eq"
    assert [(q.comparator, q.start) for q in iter_quantities("补助标准不超过\n5%")] == [("eq", 8)]
    assert [(q.comparator, q.start) for q in iter_quantities("补助标准\n不超过5%")] == [("le", 5)]

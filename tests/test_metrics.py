"""Metric component on real notices (seeds) and on the exclusions of annotation.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.pipeline.context import DocContext
from policyminer.pipeline.metrics import canonical_name, find_metrics

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds" / "docs"


def _text(name: str) -> str:
    from policyminer.ingest import read
    from policyminer.normalize import normalize
    from policyminer.settings import DEFAULT

    return normalize(read(SEEDS / name, DEFAULT).text).text


@pytest.fixture(scope="module")
def seed001() -> list[dict]:
    text = _text("001_3159178822529981.txt")
    return find_metrics(text, DocContext(text=text, anchor=dt.date(2023, 7, 11)))


@pytest.fixture(scope="module")
def seed004() -> list[dict]:
    text = _text("004_f5d32eee970b9eca.txt")
    return find_metrics(text, DocContext(text=text, anchor=dt.date(2020, 4, 21)))


def _find(metrics: list[dict], value: float, unit: str, start: int = 0) -> dict:
    for m in metrics[start:]:
        if m["value"] == value and m["unit"] == unit:
            return m
    raise AssertionError(f"no metric {value} {unit}")


@pytest.mark.parametrize("value,unit,name,subject", [
    (3340, "家", "走访企业", "全省住建系统"),
    (3459, "次", "帮扶活动", "全省住建系统"),
    (2348, "项", "问题建议", "全省住建系统"),
    (2092, "项", "已办结", "全省住建系统"),
    (89.1, "%", "办结率", "全省住建系统"),
    (99.98, "%", "满意率", "全省住建系统"),
    (274, "家", "走访企业", "厅本级"),
    (87.8, "%", "办结率", "厅本级"),
    (3066, "家", "走访企业", "市州住建系统单位"),
    (89.25, "%", "办结率", "市州住建系统单位"),
])
def test_seed001_figures(seed001: list[dict], value: float, unit: str, name: str, subject: str) -> None:
    m = _find(seed001, value, unit)
    assert name in m["name"]
    assert m["subject"] == subject
    assert m["comparator"] == "eq"


def test_seed001_as_of_and_kind(seed001: list[dict]) -> None:
    first = _find(seed001, 3340, "家")
    assert first["as_of"] == "2023-07-10"
    assert first["kind"] == "actual"
    assert first["canonical"] == "走访企业数"
    assert _find(seed001, 89.1, "%")["canonical"] == "办结率"
    # spans point at the figure in the text
    assert all(m["span"][0] < m["span"][1] for m in seed001)


def test_seed001_no_dates_or_phones(seed001: list[dict]) -> None:
    values = {m["value"] for m in seed001}
    assert 2023 not in values and 7 not in values and 4668555 not in values


@pytest.mark.parametrize("value,unit,comparator,kind,name", [
    (110, "个", "eq", "target", "新开工重点建设项目"),
    (130, "亿元", "ge", "target", "年度投资额"),
    (630, "亿元", "ge", "target", "重点项目投资"),
    (90, "%", "eq", "target", "产能"),
    (8, "%", "ge", "change", "增加值增长"),
    (385, "个", "eq", None, "市级重点项目"),
    (44, "个", "eq", None, "重点基础设施项目"),
    (2, "亿元", "ge", None, "产值"),
    (500, "万元", "ge", None, "年纳税收规模"),
    (20, "%", "le", "target", "财政各类无偿支持"),
    (95, "%", "eq", None, "到户电价水平"),
    (6, "个月", "le", None, "短期延续"),
    (50, "%", "ge", None, "农副产品份额"),
])
def test_seed004_figures(seed004: list[dict], value: float, unit: str, comparator: str,
                         kind: str | None, name: str) -> None:
    m = _find(seed004, value, unit)
    assert m["comparator"] == comparator
    if kind is not None:
        assert m["kind"] == kind
    assert name in m["name"]


def test_seed004_base_values(seed004: list[dict]) -> None:
    m = _find(seed004, 130, "亿元")
    assert m["base_value"] == 1.3e10 and m["base_unit"] == "元"


def test_seed004_slogans_excluded(seed004: list[dict]) -> None:
    # 「5个100」工程, 四张网, 一个项目、一套人马、一套方案 and 文号 〔2020〕4号 are not metrics
    texts = " ".join(m["text"] for m in seed004)
    assert "5个100" not in texts and "四张网" not in texts and "一套人马" not in texts
    assert not any(m["value"] == 100 and m["unit"] == "个" for m in seed004)


def _metrics(text: str) -> list[dict]:
    return find_metrics(text, DocContext(text=text))


@pytest.mark.parametrize("text", [
    "4月3日,省厅召开了全系统视频会议。",
    "怀政办发〔2020〕4号",
    "电话:0717-4668555",
    "扎实开展第一轮“下沉企业、助企纾困”活动。",
    "公布第二批办事清单。",
    "一是成立工作专班。二是精准纾困解难。",
    "(一)成立帮扶工作队 1.实行领导挂点",
    "做好“六稳”工作,落实“六保”任务。",
    "以“5个100”产业项目建设为引领,重点突出“四张网”。",
    "做到“两手抓、两不误”。",
    "持续落实“一企一议”机制。",
    "按照“一个项目、一套人马、一套方案”要求。",
    "编制2018—2020年行动计划。",
    "谋划“十四五”规划。",
    "发布时间:2021-04-24 14:58",
    "出台了《关于支持企业复工复产的六条措施》。",
    "落实“两需求一贯通”机制。",
])
def test_exclusions(text: str) -> None:
    assert _metrics(text) == []


@pytest.mark.parametrize("text,value,unit,name", [
    ("全省住建系统共走访企业3340家。", 3340, "家", "走访企业"),
    ("派出12个服务工作组。", 12, "个", "服务工作组"),
    ("办理时限压缩至3个工作日。", 3, "个工作日", "办理时限"),
    ("保底资金比例降低至2.5%。", 2.5, "%", "保底资金比例"),
    ("初步达成5000多万建材采购合作意向。", 5000, "万", "建材采购合作意向"),
    ("养老助餐点覆盖九成以上城乡社区。", 90, "%", "城乡社区"),
    ("出生率为9.56‰。", 9.56, "‰", "出生率"),
    ("常住人口性别比为122.44。", 122.44, "", "性别比"),
    ("组织一次消防逃生演练。", 1, "次", "消防逃生演练"),
])
def test_single_figures(text: str, value: float, unit: str, name: str) -> None:
    ms = _metrics(text)
    assert len(ms) == 1
    assert ms[0]["value"] == value and ms[0]["unit"] == unit
    assert name in ms[0]["name"]


def test_change_borrows_name() -> None:
    ms = _metrics("全年实现生产总值262.6亿元,同比增长5.3%。")
    assert [m["value"] for m in ms] == [262.6, 5.3]
    assert ms[1]["name"] == "生产总值增长"
    assert ms[1]["kind"] == "change"


def test_breakdown_keeps_parts() -> None:
    ms = _metrics("对全省48家企业(建筑业企业24家,房地产企业24家)开展结对帮扶。")
    assert [(m["value"], m["name"]) for m in ms] == [(48, "企业"), (24, "建筑业企业"), (24, "房地产企业")]


def test_respectively() -> None:
    ms = _metrics("适龄儿童入园率和普惠率分别达96%和94%。")
    assert [(m["value"], m["name"]) for m in ms] == [(96, "适龄儿童入园率"), (94, "普惠率")]


def test_distant_comparator() -> None:
    ms = _metrics("单个企业获得财政各类无偿支持不超过当年新增税收的20%。")
    assert ms[0]["comparator"] == "le"


def test_canonical_lexicon() -> None:
    assert canonical_name("企业反馈满意率") == "满意率"
    assert canonical_name("收集企业问题建议") == "收集问题数"
    assert canonical_name(None) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    assert isinstance(_metrics(text), list)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%万亿元个家项次一二三十百多余以上下约不超过至-、，。：；()（）“”《》\n共累计增长同比其中")), max_size=60))
def test_never_raises_numeric_text(text: str) -> None:
    for m in _metrics(text):
        assert 0 <= m["span"][0] < m["span"][1] <= len(text)


def test_list_shares_unit() -> None:
    ms = _metrics("战略性新兴产业、高新技术产业、装备制造业增加值占规模以上工业比重比上年提高3.9、2.0、2.9个百分点。")
    assert [(m["value"], m["unit"]) for m in ms] == [(3.9, "个百分点"), (2.0, "个百分点"), (2.9, "个百分点")]


def test_list_names_respectively() -> None:
    ms = _metrics("工业、制造业、工业技改投资分别增长9.4%、13.3%、6.1%。")
    assert [m["name"] for m in ms] == ["工业投资增长", "制造业投资增长", "工业技改投资增长"]
    ms = _metrics("城镇和农村居民人均可支配收入分别增长4.3%、5.5%。")
    assert ms[0]["name"] == "城镇居民人均可支配收入增长"


def test_tab_table_cells() -> None:
    text = ("序号\t部门名称\t职位名称\t联系电话\t招考人数\n"
            "1\t宜春市中级人民法院\t文秘岗科员\t3595332\t1\n"
            "2\t宜春市人民检察院\t检察侦查岗\t3512221\t4\n")
    ms = _metrics(text)
    assert [(m["value"], m["name"]) for m in ms] == [
        (1, "宜春市中级人民法院文秘岗科员招考人数"), (4, "宜春市人民检察院检察侦查岗招考人数")]


def test_flattened_pdf_table() -> None:
    text = ("表2 2021年深圳市分区户籍人口及性别比\n户籍人口\n（万人）\n男性\n(万人)\n女性\n（万人）\n"
            "户籍人口性别比\n（女=100）\n福田区124.88 60.48 64.40 93.91\n")
    ms = _metrics(text)
    got = [(m["value"], m["unit"], m["name"]) for m in ms]
    assert got == [(124.88, "万人", "福田区户籍人口"), (60.48, "万人", "福田区户籍人口男性"),
                   (64.4, "万人", "福田区户籍人口女性"), (93.91, "", "福田区户籍人口性别比")]


@pytest.mark.parametrize("text,value,unit", [
    ("普惠小微企业贷款余额超万亿元。", 1, "万亿元"),
    ("一般公共预算收入突破9千亿元。", 9000, "亿元"),
    ("牧业产值增长-3.2%。", -3.2, "%"),
    ("城乡居民收入比缩小至2.54。", 2.54, ""),
    ("每人每年补助26400元/年。", 26400, "元/年"),
])
def test_special_forms(text: str, value: float, unit: str) -> None:
    ms = _metrics(text)
    assert (ms[0]["value"], ms[0]["unit"]) == (value, unit)


@pytest.mark.parametrize("text,kind", [
    ("力争全年地区生产总值增长6%左右。", "change"),
    ("到2025年,森林覆盖率达到45%。", "target"),
    ("截至6月底,累计走访企业320家。", "actual"),
    ("2023年,全市粮食产量达到18万吨。", "actual"),  # a past year makes 达到 a result
    ("确保全年新增市场主体5万户以上。", "target"),
])
def test_kinds(text: str, kind: str) -> None:
    ms = find_metrics(text, DocContext(text=text, anchor=dt.date(2024, 3, 1)))
    assert ms[-1]["kind"] == kind


@pytest.mark.parametrize("text", [
    "建设“15分钟生活圈”。",
    "对连续排名后3位的区县进行约谈。",
    "经过一番努力,问题得到解决。",
    "引进千万元以上项目。",
    "组建一个专班,推行一次性告知。",
])
def test_more_exclusions(text: str) -> None:
    assert _metrics(text) == []


def test_as_of_from_jiezhi() -> None:
    text = "截至7月10日,全省共走访企业3340家。"
    ms = find_metrics(text, DocContext(text=text, anchor=dt.date(2023, 7, 11)))
    assert ms[0]["as_of"] == "2023-07-10"


def test_penalty_range_and_bare_ratio() -> None:
    ms = _metrics("处一万元以上五万元以下罚款。容积率不大于2.5。")
    assert [(m["value"], m["unit"], m["comparator"]) for m in ms] == [
        (1, "万元", "ge"), (5, "万元", "le"), (2.5, "", "le")]
    assert ms[1]["name"] == "罚款"


# --------------------------------------------------------------------------- names on unseen notices (synthetic)

def _names(sentence: str) -> list[tuple[float, str, str | None]]:
    from policyminer.normalize import normalize

    t = normalize(sentence).text
    return [(m["value"], m["unit"], m["name"]) for m in find_metrics(t, DocContext(text=t))]


@pytest.mark.parametrize("sentence,value,name", [
    # 5. a bare verb before the number: the noun phrase after it
    ("到2026年，打造80个“5G＋智慧园区”典型应用场景。", 80, "典型应用场景"),
    ("引导推动1500家规上工业企业实施数字化改造。", 1500, "规上工业企业"),
    ("鼓励企业扩充40条自动化生产线。", 40, "自动化生产线"),
    ("对新认定的省级制造业单项冠军企业，市级给予一次性奖补80万元。", 80, "一次性奖补"),
    # 6. clause heads: modal + 自…之日起 / 在 …内 time limits, 省级按照…, 在…基础上
    ("行政许可事项清单应当自调整之日起15个工作日内更新清单。", 15, "更新清单时限"),
    ("县级民政部门应当在7个工作日内作出审批决定。", 7, "审批决定时限"),
    ("市级按照实际贷款利息的40%给予贴息。", 40, "贴息"),
    ("对再次获评的企业，在原有奖励基础上再给予20万元奖励。", 20, "奖励"),
    # 7. caps after a grant clause
    ("对符合条件的小微企业给予贷款贴息，单个企业最高不超过30万元。", 30, "贷款贴息"),
    ("对新建的智能工厂按设备投资额给予补助，补助比例不超过15%，最高800万元。", 800, "补助"),
    ("单个项目补助不超过300万元。", 300, "补助"),
])
def test_names_are_no_bare_verbs_or_clause_heads(sentence, value, name):
    got = [n for v, _, n in _names(sentence) if v == value]
    assert got and got[0] == name, _names(sentence)


def test_respectively_shares_name_each_part():
    got = _names("新能源、新材料和生物医药产业分别占比达35%、25%和15%。")
    assert [n for _, _, n in got] == ["新能源占比", "新材料占比", "生物医药产业占比"]


def test_respectively_grant_names_every_amount():
    got = _names("对评为示范的园区，分别给予80万元、50万元奖励。")
    assert [n for _, _, n in got] == ["奖励", "奖励"]


def test_regional_breakdown_names_the_topic_with_place_as_subject():
    from policyminer.normalize import normalize

    t = normalize("全市固定资产投资同比增长6.2%。分县区看，东城区增长12.4%，西城区下降3.5%。").text
    ms = find_metrics(t, DocContext(text=t))
    by_value = {m["value"]: m for m in ms}
    assert by_value[12.4]["name"] == "投资增长" and by_value[12.4]["subject"] == "东城区"
    assert by_value[3.5]["name"] == "投资下降" and by_value[3.5]["subject"] == "西城区"


@pytest.mark.parametrize("sentence,value,name", [
    ("全年新增市级重点项目120个。", 120, "市级重点项目"),  # level words stay inside a name
    ("全县在校学生8.5万人。", 8.5, "在校学生"),
])
def test_names_keep_level_words_and_in_nouns(sentence, value, name):
    got = [n for v, _, n in _names(sentence) if v == value]
    assert got and name in got[0], _names(sentence)


@pytest.mark.parametrize("sentence,value,name", [
    ("对通过认定的社区食堂，按每个餐位300元的标准发放一次性建设补助。", 300, "一次性建设补助"),
    ("企业购置研发设备的，按不超过设备投资额8%的比例给予补助。", 8, "补助"),
    ("支持建设一批中试基地，每个基地给予不超过150万元补助。", 150, "补助"),
    ("对新获批的国家级技术创新中心，一次性给予300万元资金支持。", 300, "资金支持"),
])
def test_grant_standards_and_caps_are_named_by_the_grant(sentence, value, name):
    got = [n for v, _, n in _names(sentence) if v == value]
    assert got and got[0] == name, _names(sentence)


def test_shares_of_a_total_and_lists_with_ji():
    got = _names("农业、工业和服务业分别占全县生产总值的12%、38%和50%。")
    assert [n for _, _, n in got] == ["农业占比", "工业占比", "服务业占比"]
    got = _names("国有企业、民营企业、外商及港澳台商投资企业分别增长4.2%、7.1%和2.4%。")
    assert [n for _, _, n in got] == ["国有企业增长", "民营企业增长", "外商及港澳台商投资企业增长"]


def test_breakdown_by_place_after_a_total():
    from policyminer.normalize import normalize

    t = normalize("全省一般公共预算收入完成860亿元，增长3.2%。各市中，东山市完成120亿元，增长4.4%。").text
    ms = {m["value"]: m for m in find_metrics(t, DocContext(text=t))}
    assert ms[120]["name"] == "一般公共预算收入" and ms[120]["subject"] == "东山市"
    assert ms[4.4]["name"] == "一般公共预算收入增长"
    # 城镇 is no place: the figure keeps its own name
    t = normalize("全市居民恩格尔系数为28.5%，其中城镇为27.1%。").text
    assert all(m["subject"] != "城镇" for m in find_metrics(t, DocContext(text=t)))


@pytest.mark.parametrize("sentence,value,name", [
    ("新增城镇就业2.4万人，城镇调查失业率控制在5.5%以内。", 2.4, "新增城镇就业"),  # 城镇 is no subject
    ("对吸纳脱贫劳动力就业的企业，按每人1500元给予一次性吸纳就业补贴。", 1500, "一次性吸纳就业补贴"),
])
def test_names_of_employment_and_hiring_grants(sentence, value, name):
    got = [n for v, _, n in _names(sentence) if v == value]
    assert got and got[0] == name, _names(sentence)


def test_subjects_are_no_rates_or_housing_estates():
    got = _names("全省政务服务事项网上可办率达到97.3%，全程网办率达到86.1%。")
    assert got[0][2] == "全省政务服务事项网上可办率"
    got = _names("完成老旧小区改造138个，惠及居民2.6万户。")
    assert got[0][2] == "老旧小区改造"


def test_places_sharing_a_rate_name():
    got = _names("东河、西河、南河三地的按时办结率分别为99.3%、98.2%和97.6%。")
    assert [n for _, _, n in got] == ["东河按时办结率", "西河按时办结率", "南河按时办结率"]


@pytest.mark.parametrize("sentence,value,name", [
    ("审核部门应当在受理后5个工作日内完成初审。", 5, "完成初审时限"),
    ("区人社部门在15个工作日内完成审核，并将结果告知申请人。", 15, "完成审核时限"),
    ("奖励资金在公示结束后20个工作日内拨付到位。", 20, "奖励资金拨付时限"),
    ("市财政部门收到申请后，应于10日内将补助资金拨付至企业账户。", 10, "补助资金拨付时限"),
    ("企业应在项目竣工后6个月内提出验收申请。", 6, "提出验收申请时限"),
    ("保障性租赁住房租赁合同期限一般为3年。", 3, "保障性租赁住房租赁合同期限"),
])
def test_time_limits_of_regulations(sentence, value, name):
    got = [n for v, _, n in _names(sentence) if v == value]
    assert got and got[0] == name, _names(sentence)


def test_respectively_grant_after_a_paying_body():
    got = _names("对首次认定的高新技术企业，区级财政分别给予40万元、20万元补助。")
    assert [n for _, _, n in got] == ["补助", "补助"]


def test_office_suffix_does_not_split_a_rate():
    got = _names("全省平均办结率为96.1%，其中东湖市最高，为99.4%。")
    assert got[0][2] == "全省平均办结率" and got[0][2] != "结率"


def test_ranked_rates_in_brackets_name_the_rate_with_the_place():
    from policyminer.normalize import normalize

    t = normalize("各县（市、区）中，增速排名前三的是东阳县（18.2%）、西岭区（15.4%）和南山县（12.8%）。").text
    ms = find_metrics(t, DocContext(text=t))
    assert [(m["name"], m["subject"]) for m in ms] == [("增速", "东阳县"), ("增速", "西岭区"), ("增速", "南山县")]


def test_cap_keeps_a_named_grant_total():
    got = _names("单个企业年度补助总额不超过400万元。")
    assert got[0][2] == "年度补助总额"


# --- speed helpers (issue 10): each must give exactly what the plain regex gives ---------------

_SPEED_ALPHABET = list("0123456789./、 \u3000\n甲乙区县市（）()[]“”的了为达增长下降同比比上年共计累计合计总计")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPEED_ALPHABET + ["٣", "a"]), max_size=40))
def test_slash_fractions_are_the_regex_matches(text: str) -> None:
    import re

    from policyminer.pipeline import metrics

    plain = re.compile(r"(?=\d)(?<![\d/.])(\d{1,3})/(\d{1,3})(?![\d/])")
    assert [(m.span(), m.groups()) for m in metrics._slash_fractions(text)] == \
        [(m.span(), m.groups()) for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SPEED_ALPHABET + ["3岁", "男", "表1"]), max_size=50).map("".join))
def test_numeric_row_lines_are_the_regex_matches(text: str) -> None:
    from policyminer.pipeline import metrics

    assert [(m.span(), m.group(0)) for m in metrics._num_row_matches(text)] == \
        [(m.span(), m.group(0)) for m in metrics._NUM_ROW_RE.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("一二化解债强甲乙")), min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet=st.sampled_from(list("一二化解债强甲乙")), max_size=40))
def test_word_alternation_matches_like_the_plain_one(words: list[str], text: str) -> None:
    import re

    from policyminer.pipeline.metrics import _word_alternation

    words = sorted(set(words), key=len, reverse=True)
    plain = re.compile("|".join(re.escape(w) for w in words))
    grouped = re.compile(_word_alternation(words))
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _cue_words() -> list[str]:
    from policyminer.pipeline import metrics

    words = {w for row in metrics._read("metric_cues.tsv") if len(row) >= 2 for w in row[1].split(",") if w}
    words |= {row[0] for row in metrics._read("metric_kinds.tsv")}
    return sorted(words)


def _check_prefilters(s: str) -> None:
    """A cue pattern anchored at the end (start) can only match a string whose last (first)
    character is in its prefilter set: the prefilters skip no match."""
    from policyminer.pipeline import metrics

    c = metrics._cues()
    for key, chars in (("strip_tail", "strip_tail_end"), ("change", "change_end"), ("verb_tail", "verb_tail_end"),
                       ("org_suffix", "org_suffix_end"), ("grant_end", "grant_end_end"),
                       ("head_noun_end", "head_noun_end_end")):
        if c[key].search(s):
            assert s[-1:] in c[chars], (key, s)
    for key, chars in (("strip_head", "strip_head_start"), ("per_unit", "per_unit_start"),
                       ("r_stop_start", "r_stop_start_first"), ("clause_head", "clause_head_first")):
        if c[key].match(s):
            assert s[:1] in c[chars], (key, s)
    if c["modal_only"].fullmatch(s) and s:
        assert s[-1:] in c["modal_only_end"], s
    if metrics._kind_cues()[0].search(s):
        assert s[-1:] in metrics._kind_change_end(), s
    for rx, chars in ((metrics._CMP_TAIL_RE, metrics._CMP_TAIL_END), (metrics._DE_END_RE, metrics._DE_END_CHARS),
                      (metrics._NEAR_END_RE, metrics._NEAR_END_CHARS)):
        if rx.search(s):
            assert s[-1:] in chars, (rx.pattern, s)
    for rx, chars in ((metrics._CHANGE_PREFIX_RE, metrics._CHANGE_PREFIX_FIRST),
                      (metrics._TASK_LEAD_RE, metrics._TASK_LEAD_FIRST), (metrics._CMP_HEAD_RE, metrics._CMP_HEAD_FIRST)):
        if rx.match(s):
            assert s[:1] in chars, (rx.pattern, s)


def test_end_and_start_prefilters_never_skip_a_match_of_a_cue_word() -> None:
    for w in _cue_words():
        for pre in ("", "甲", "的", "全省", "每人"):
            for post in ("", "\n", "甲", "的", "至"):
                _check_prefilters(pre + w + post)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SPEED_ALPHABET), st.sampled_from(_cue_words())), max_size=6).map("".join))
def test_end_and_start_prefilters_never_skip_a_match(s: str) -> None:
    _check_prefilters(s)


def test_a_figure_at_the_start_of_the_text_is_kept() -> None:
    # nothing precedes offset 0: the tests on the character before a figure (排名后3位, “…”五种)
    # must not fire there ("" is in every string)
    for text, value, unit in (("3名同志获得表彰。", 3.0, "名"), ("12位专家参加评审。", 12.0, "位"),
                              ("五家企业入选。", 5.0, "家")):
        got = [(m["value"], m["unit"]) for m in find_metrics(text, DocContext(text=text))]
        assert (value, unit) in got, (text, got)
        assert got == [(m["value"], m["unit"]) for m in find_metrics("。" + text, DocContext(text="。" + text))]
    assert find_metrics("排名后3位。", DocContext(text="排名后3位。")) == []  # a rank stays dropped


def test_a_long_flattened_table_names_every_row() -> None:
    # the walk up to the header passes the rows of the same table without counting them: a row
    # more than 60 lines below the header still gets the column names and units
    from policyminer.pipeline import metrics

    rows = "\n".join(f"甲区{100 + i}.5 {50 + i}.2" for i in range(80))
    text = "表1 各区户籍人口\n户籍人口（万人） 男性（万人）\n" + rows + "\n"
    got = [(m["name"], m["unit"]) for m in metrics._numeric_rows(text)]
    assert len(got) == 160
    assert set(got) == {("甲区户籍人口", "万人"), ("甲区户籍人口男性", "万人")}

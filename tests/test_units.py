"""Responsible units and organizations on real notices, by-rule cases and a never-raises property."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.pipeline.context import DocContext
from policyminer.pipeline.units import find_units

from .conftest import DEV, SEEDS, extract_cached

HUAIHUA = {"name": "怀化市", "code": "431200", "level": "city", "province": "湖南省", "city": "怀化市", "county": None}
HUBEI = {"name": "湖北省", "code": "420000", "level": "province", "province": "湖北省", "city": None, "county": None}


def _units(text: str, region: dict[str, Any] | None = None, meta: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return find_units(text, DocContext(text=text, region=region, meta=meta or {"title": "关于印发工作方案的通知"}))


def _roles(units: list[dict[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for u in units:
        out.setdefault(u["name"], set()).add(u["role"])
    return out


def _tasked(units: list[dict[str, Any]]) -> set[str]:
    return {u["name"] for u in units if u["role"] in ("lead", "responsible")}


# ---------------------------------------------------------------- real notices

SEED_004_UNITS = {
    "市发展改革委", "怀化高新区", "怀化经开区", "市工业和信息化局", "市统计局", "市商务局", "市住房城乡建设局",
    "市自然资源和规划局", "市生态环境局", "市财政局", "市交通运输局", "市人力资源社会保障局", "市司法局",
    "市卫生健康委", "市优化办", "市政务服务中心", "中国人民银行怀化中心支行", "怀化银保监分局",
    "国网怀化供电分公司", "市城市管理和综合执法局", "市科技局", "市应急管理局", "市政府金融办",
    "市市场监管局", "市税务局",
}


@pytest.fixture(scope="module")
def seed004() -> dict[str, Any]:
    return extract_cached(SEEDS / "docs" / "004_f5d32eee970b9eca.txt")


def test_seed_004_every_listed_unit_is_responsible(seed004: dict[str, Any]) -> None:
    assert _tasked(seed004["units"]) == SEED_004_UNITS


def test_seed_004_leads_where_marked(seed004: dict[str, Any]) -> None:
    text = seed004["text"]
    leads = [u for u in seed004["units"] if u["role"] == "lead"]
    assert {u["name"] for u in leads} == {"市发展改革委", "市工业和信息化局"}
    for u in leads:  # each lead mention carries its (项目牵头)/(企业牵头) note right after it
        s, e = u["span"]
        assert text[s:e] == u["name"]
        assert re.match(r"[（(](项目|企业)牵头[)）]", text[e:e + 6])
    # 市发展改革委 is lead in items 1-3 (项目牵头) and plainly responsible in items 4, 5, 8, 12
    roles = _roles(seed004["units"])
    assert roles["市发展改革委"] == {"lead", "responsible"}


def test_seed_004_canonical_and_measure_links(seed004: dict[str, Any]) -> None:
    units = seed004["units"]
    canon = {u["name"]: u["canonical"] for u in units}
    assert canon["市发展改革委"] == "怀化市发展和改革委员会"
    assert canon["市住房城乡建设局"] == "怀化市住房和城乡建设局"
    assert canon["市人力资源社会保障局"] == "怀化市人力资源和社会保障局"
    measures = {m["id"]: m for m in seed004["measures"]}
    # the 责任单位 list of item 1 (实行领导挂点、部门包点) belongs to that measure
    first = [u for u in units if u["role"] == "lead" and u["name"] == "市发展改革委"][0]
    assert first["measure"] in measures
    assert "实行领导挂点" in measures[first["measure"]]["heading"]
    # every tasked unit inside the numbered items is linked to the item containing it
    for u in units:
        if u["role"] != "mentioned" and u["measure"]:
            m = measures[u["measure"]]
            assert m["span"][0] <= u["span"][0] and u["span"][1] <= m["span"][1]


def test_seed_004_organizations_and_generic_collectives(seed004: dict[str, Any]) -> None:
    names = {u["name"] for u in seed004["units"]}
    for org in ("怀化市人民政府办公室", "省发展改革委", "省自然资源厅", "省工业和信息化部门", "市工业和信息化部门"):
        assert org in names
    assert not names & {"各县市区", "各县市区人民政府", "市直有关单位", "相关责任部门"}
    assert "省工业和信息化部门" not in _tasked(seed004["units"])  # named, but given no task


def test_d023_pingtan_lists_without_generic_members() -> None:
    doc = extract_cached(DEV / "docs" / "d023.txt")
    tasked = _tasked(doc["units"])
    for name in ("区经济发展局", "投资促进委员会", "党工委台湾工作部", "人行平潭支行", "区金融控股集团",
                 "区检察院", "区法院", "区人大工委", "政协工委"):
        assert name in tasked
    assert "各区属国企" not in {u["name"] for u in doc["units"]}
    names = {u["name"] for u in doc["units"]}
    assert {"平潭综合实验区党工委", "平潭综合实验区管委会", "党中央", "海峡两岸仲裁中心"} <= names


def test_d024_shared_department_lists() -> None:
    doc = extract_cached(DEV / "docs" / "d024.txt")
    tasked = _tasked(doc["units"])
    assert {"公安部门", "文化部门", "安监部门", "旅游部门", "宗教管理部门", "气象部门", "供电公司", "筹建组"} <= tasked
    names = {u["name"] for u in doc["units"]}
    # 由…等部门和单位组成的…联动机制: named, not tasked
    assert {"供水部门", "医疗救护部门", "工程抢险部门"} <= names - tasked
    assert "平潭县人民政府" in names - tasked  # 主送, told only 请认真贯彻执行


# ---------------------------------------------------------------- by rule

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 责任单位 lists: colon, brackets, separators, notes, 等 tails
        ("(责任单位:市发展改革委(项目牵头)、市工业和信息化局(企业牵头)、怀化高新区、各县市区等)",
         {"市发展改革委": "lead", "市工业和信息化局": "lead", "怀化高新区": "responsible"}),
        ("〔责任单位：市财政局、市税务局，市人力资源社会保障局等〕",
         {"市财政局": "responsible", "市税务局": "responsible", "市人力资源社会保障局": "responsible"}),
        ("责任单位：区经济发展局、投资促进委员会，各区属国企4.支持民营企业",
         {"区经济发展局": "responsible", "投资促进委员会": "responsible"}),
        ("牵头单位：市商务局；配合单位：市财政局、市市场监管局。",
         {"市商务局": "lead", "市财政局": "responsible", "市市场监管局": "responsible"}),
        # 由X牵头/负责, 会同Y
        ("身份认定工作由区社会事业局牵头，其他相关部门予以协助。", {"区社会事业局": "lead"}),
        ("区级基金由区财政金融部门会同区卫生行政部门提出后报区管委会审定。",
         {"区财政金融部门": "responsible", "区卫生行政部门": "responsible"}),
        ("基金由区社会事业局负责管理。", {"区社会事业局": "responsible"}),
        # X牵头、Y配合
        ("市住建局牵头，市自然资源局配合，做好用地保障。", {"市住建局": "lead", "市自然资源局": "responsible"}),
        # directive subjects
        ("省建筑事业中心要认真履行职责。", {"省建筑事业中心": "responsible"}),
        ("。县政府应当组织有关部门制定应急预案。", {"县政府": "responsible"}),
        ("，税务机关应及时回复并反馈结果。", {"税务机关": "responsible"}),
        ("。农业、气象部门要加强监测预警。", {"农业部门": "responsible", "气象部门": "responsible"}),
        ("工商行政管理部门和城市市容环境卫生行政主管部门负责对户外广告设施依法予以清理。",
         {"工商行政管理部门": "responsible", "城市市容环境卫生行政主管部门": "responsible"}),
        ("县委办、县政府办牵头，县委组织部、县委宣传部配合。",
         {"县委办": "lead", "县政府办": "lead", "县委组织部": "responsible", "县委宣传部": "responsible"}),
        ("（牵头单位：县农业农村局；责任单位：县财政局、县生态环境分局，各乡镇（街道））",
         {"县农业农村局": "lead", "县财政局": "responsible", "县生态环境分局": "responsible"}),
        ("由市商务委牵头，会同市口岸物流办、重庆海关等单位研究制定实施细则。",
         {"市商务委": "lead", "市口岸物流办": "responsible", "重庆海关": "responsible"}),
        ("。国家税务总局浙江省税务局落实税收优惠政策。", {"国家税务总局浙江省税务局": "responsible"}),
        # mentioned only
        ("经市人民政府同意，现将方案印发给你们。", {"市人民政府": "mentioned"}),
        ("严格执行省发展改革委《关于阶段性降低企业用电成本的通知》。", {"省发展改革委": "mentioned"}),
        ("对外市配套企业统一报省、市工业和信息化部门加大跨区域协调力度。",
         {"省工业和信息化部门": "mentioned", "市工业和信息化部门": "mentioned"}),
        ("省厅成立由厅党组书记任组长的活动领导小组。", {"厅党组": "mentioned", "活动领导小组": "mentioned"}),
        ("新华社北京5月9日电 国务院新闻办公室今天举行发布会。", {"新华社": "mentioned", "国务院新闻办公室": "mentioned"}),
    ],
)
def test_roles_by_rule(text: str, expected: dict[str, str]) -> None:
    roles = _roles(_units(text, HUAIHUA))
    for name, role in expected.items():
        assert name in roles, (name, roles)
        assert role in roles[name], (name, roles[name])
        if role == "mentioned":
            assert roles[name] == {"mentioned"}


@pytest.mark.parametrize(
    "text",
    [
        "请各县市区人民政府、市直有关单位认真组织实施。",
        "各有关单位要高度重视，相关部门要密切配合。",
        "全省住建系统要持续推进。各市州要抓好落实。",
        "各级财政部门要加强资金保障。",
        "加强部门协作，形成工作合力，营造良好格局。",
        "中国特色社会主义进入新时代。",
        "各设区市政府要抓好落实。",
        "信息来源：怀化市人民政府门户网站",
        "根据《通知》（发改办财金规〔2019〕860号）精神。",
        "支持上市公司做大做强，推进社区卫生服务中心建设。",
    ],
)
def test_generic_collectives_and_non_names(text: str) -> None:
    assert _units(text, HUAIHUA) == []


@pytest.mark.parametrize(
    ("name", "region", "meta", "canonical"),
    [
        ("市发展改革委", HUAIHUA, {}, "怀化市发展和改革委员会"),
        ("市住建局", HUAIHUA, {}, "怀化市住房和城乡建设局"),
        ("省住建厅", HUBEI, {}, "湖北省住房和城乡建设厅"),
        ("省厅", HUBEI, {"issuers": ["湖北省住房和城乡建设厅"]}, "湖北省住房和城乡建设厅"),
        ("市卫健委", HUAIHUA, {}, "怀化市卫生健康委员会"),
        ("怀化市人民政府办公室", HUAIHUA, {}, "怀化市人民政府办公室"),
    ],
)
def test_canonical_names(name: str, region: dict[str, Any], meta: dict[str, Any], canonical: str) -> None:
    text = f"{name}要认真履行职责。"
    meta = {"title": "关于做好工作的通知", **meta}
    got = [u for u in find_units(text, DocContext(text=text, region=region, meta=meta)) if u["name"] == name]
    assert got and got[0]["canonical"] == canonical


def test_spans_point_at_names_and_tasked_role_survives() -> None:
    text = "市财政局负责资金保障。会议听取了市财政局的汇报。"
    units = _units(text, HUAIHUA)
    for u in units:
        assert text[u["span"][0]:u["span"][1]] == u["name"] or u["name"].endswith(("部门", "机关"))
    assert _roles(units)["市财政局"] == {"responsible"}


def test_news_dateline_assigns_no_tasks() -> None:
    text = "新华社北京3月5日电 国家发展改革委会同财政部、工业和信息化部加快推进重大项目建设。"
    units = _units(text, None, {"title": "加快推进重大项目建设"})
    assert {"新华社", "国家发展改革委", "财政部", "工业和信息化部"} <= {u["name"] for u in units}
    assert _tasked(units) == set()


def test_report_assigns_no_tasks() -> None:
    text = "宜昌市住建局成立了活动领导小组，黄冈市住建局联合发改等部门共同推进落实。"
    units = _units(text, HUBEI, {"title": "全省住建系统服务企业月活动情况通报"})
    assert {"宜昌市住建局", "黄冈市住建局", "活动领导小组"} <= {u["name"] for u in units}
    assert _tasked(units) == set()


# ---------------------------------------------------------------- held-out failure classes
# Synthetic sentences written in the style of real notices (assessment plans, regulations,
# statistical 通报, task groups, news), one class per block.

_ASSESS_TABLE = (
    "考核项目\t考核内容\t分值\t牵头考核单位\t评分标准\n"
    "数据共享（20分）\t按时完成数据目录编制\t10\t市大数据中心\t未完成扣5分\n"
    "\t按要求归集电子证照\t10\t市政务服务管理局、市大数据中心\t每少一项扣1分\n"
    "网络安全（10分）\t落实网络安全责任制\t10\t市委网信办\t发生事件不得分\n"
)
_TASK_TABLE = (
    "序号\t工作任务\t主责单位\t配合单位\t完成时限\n"
    "1\t建设统一身份认证平台\t市大数据局\t各县区人民政府\t2023年12月底前\n"
    "2\t推进一网通办\t市政务服务中心（牵头）、市行政审批局\t市直各部门\t持续推进\n"
)


@pytest.mark.parametrize(
    ("text", "tasked", "not_tasked"),
    [
        # 1. assessment plans: label variants inline and as table columns
        (_ASSESS_TABLE, {"市大数据中心", "市政务服务管理局", "市委网信办"}, {"牵头考核单位"}),
        (_TASK_TABLE, {"市大数据局", "市政务服务中心", "市行政审批局"}, {"市直各部门", "各县区人民政府"}),
        ("1.政务数据共享（牵头考核单位：市大数据中心；配合单位：市政务服务中心、市财政局）",
         {"市大数据中心", "市政务服务中心", "市财政局"}, set()),
        ("考核部门：市人力资源社会保障局\n主责单位：市住房和城乡建设局\n实施主体：县人民政府",
         {"市人力资源社会保障局", "市住房和城乡建设局", "县人民政府"}, set()),
        # 2. regulations: subjects of 应当/负责 after 第X条, functional names, shared lists
        ("第五条 县级以上人民政府网信部门负责本行政区域内公共数据安全的监督管理工作。",
         {"县级以上人民政府网信部门"}, set()),
        ("第六条 政务部门应当建立健全数据安全管理制度。", {"政务部门"}, set()),
        ("第八条 县级以上地方人民政府发展改革、财政、网信等部门按照各自职责做好相关工作。",
         {"发展改革部门", "财政部门", "网信部门"}, {"网信部门部门"}),
        ("第九条 网信部门、公安部门等部门应当加强协作。", {"网信部门", "公安部门"}, {"网信部门部门"}),
        ("第十条 设区的市人民政府大数据主管部门负责统筹推进本市公共数据管理工作。",
         {"设区的市人民政府大数据主管部门"}, set()),
        # 3. statistical 通报: breakdown by responsible body
        ("按责任单位（主管单位）划分：自治区发展改革委12个、交通运输厅8个、水利厅5个。",
         {"自治区发展改革委", "交通运输厅", "水利厅"}, set()),
        ("从责任单位看，省住房城乡建设厅3个、省自然资源厅2个。", {"省住房城乡建设厅", "省自然资源厅"}, set()),
        # 4. task groups
        ("成立工作专班，由市商务局牵头，市发展改革委、市财政局参加。",
         {"市商务局", "市发展改革委", "市财政局"}, set()),
        ("领导小组成员单位包括：市委宣传部、市教育局、市民政局。", {"市委宣传部", "市教育局", "市民政局"}, set()),
        ("成员单位：市公安局、市交通运输局、市应急管理局。", {"市公安局", "市交通运输局", "市应急管理局"}, set()),
        ("牵头单位为市商务局，配合单位为市财政局、市税务局。", {"市商务局", "市财政局", "市税务局"},
         {"配合单位为市财政局"}),
        ("市发展改革委为组长单位，市财政局、市统计局为副组长单位。", {"市发展改革委", "市财政局", "市统计局"}, set()),
        ("序号\t工作任务\t责任单位及责任人\t完成时限\n1\t编制规划\t市自然资源局\t年底前", {"市自然资源局"}, set()),
        ("按责任单位划分：自治区发展改革委12个（占48%）、交通运输厅8个。", {"自治区发展改革委", "交通运输厅"}, set()),
        ("工作专班由市商务局牵头，市发展改革委、市财政局等部门参加。", {"市商务局", "市发展改革委", "市财政局"}, set()),
        ("市公安局、市交通运输局等单位要加强协作。", {"市公安局", "市交通运输局"}, set()),
        ("市民政局要做好困难群众救助工作，市民要积极参与。", {"市民政局"}, {"市民"}),
        ("1.省级财政部门于每年一季度前预拨补助资金。", {"省级财政部门"}, set()),
        ("第四条 市人民政府大数据主管部门（以下简称市大数据主管部门）负责统筹全市公共数据管理工作。",
         {"市人民政府大数据主管部门"}, set()),
        ("市住建局要指导县级住建部门同步开展活动。", {"市住建局"}, {"县级住建部门"}),
        ("责任单位（部门）：市财政局、市税务局", {"市财政局", "市税务局"}, set()),
        ("序号\t任务\t责 任 单 位\n1\t编制规划\t市自然资源局", {"市自然资源局"}, set()),
    ],
)
def test_heldout_classes_tasked(text: str, tasked: set[str], not_tasked: set[str]) -> None:
    units = _units(text, None, {"title": "关于印发考核办法的通知"})
    got = _tasked(units)
    assert tasked <= got, (tasked - got, got)
    assert not (not_tasked & {u["name"] for u in units}), not_tasked & {u["name"] for u in units}


def test_group_words_unmasked_only_inside_one_name() -> None:
    units = _units("市政府推进改革委员会工作，县政府落实领导小组部署。", None)
    names = {u["name"] for u in units}
    assert "市政府" in names and "县政府" in names
    assert not any(n.startswith(("市政府推进", "县政府落实")) for n in names)


def test_statistical_report_breakdown_is_tasked() -> None:
    text = "截至6月底，全区共有在建项目25个。按责任单位（主管单位）划分：自治区发展改革委12个、交通运输厅8个。"
    units = _units(text, None, {"title": "关于重点项目推进情况的通报", "doc_type": "通报"})
    assert {"自治区发展改革委", "交通运输厅"} <= _tasked(units)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("近日，市委全面深化改革委员会办公室、市委全面深化改革工作领导小组办公室召开会议。",
         {"市委全面深化改革委员会办公室", "市委全面深化改革工作领导小组办公室"}),
        ("会上，市优化营商环境工作领导小组办公室通报了有关情况。", {"市优化营商环境工作领导小组办公室"}),
        ("贵阳综合保税区管理委员会、经济技术开发区管理委员会共同举办活动。",
         {"贵阳综合保税区管理委员会", "经济技术开发区管理委员会"}),
        ("据了解，铜仁市住房公积金管理中心今年已发放贷款。", {"铜仁市住房公积金管理中心"}),
        ("签约仪式上，航天恒星科技有限公司负责人表示将全力推进项目。", {"航天恒星科技有限公司"}),
        ("双方与中铁十局集团有限公司、中建三局集团有限公司签约。", {"中铁十局集团有限公司", "中建三局集团有限公司"}),
        ("浪潮集团、腾讯云计算（北京）有限责任公司等企业参加了会议。", {"浪潮集团", "腾讯云计算（北京）有限责任公司"}),
        ("江苏省数据局联合国家信息中心发布了报告。", {"江苏省数据局", "国家信息中心"}),
        ("高新区管理委员会与华为技术有限公司签署合作协议。", {"高新区管理委员会", "华为技术有限公司"}),
        ("代表团走进航天恒星科技有限公司参观交流。", {"航天恒星科技有限公司"}),
    ],
)
def test_news_bodies_are_organizations(text: str, names: set[str]) -> None:
    units = _units(text, None, {"title": "新闻", "doc_type": "报道"})
    got = {u["name"] for u in units}
    assert names <= got, (names - got, got)
    assert _tasked(units) == set()


@pytest.mark.parametrize(
    "text",
    [
        "以细化政府财政总预算、总决算和部门预算决算为抓手。",
        "突破农村体育、社区体育和机关体育的薄弱环节。",
        "分主管部门看，投资增长较快。",
        "第十一条 县级以上人民政府应当加强对数据工作的领导。",
        "第七条 县级以上人民政府有关部门应当按照职责做好工作。",
        "被考核单位：各县区人民政府、市直各部门",
    ],
)
def test_no_false_bodies(text: str) -> None:
    assert _units(text, None) == []


# ---------------------------------------------------------------- never raises

_ALPHABET = st.sampled_from(
    list("市省县区局厅委办中心由牵头负责会同要应、，。：（）()〔〕责任单位等各有关部门和与“”\n\t 0123")
    + ["发展改革委", "住建局", "领导小组", "牵头考核单位", "第五条", "县级以上", "按责任单位划分：", "有限公司"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=120), st.lists(_ALPHABET, max_size=60).map("".join)))
def test_never_raises(text: str) -> None:
    units = find_units(text, DocContext(text=text, region=HUAIHUA))
    assert isinstance(units, list)
    for u in units:
        assert u["role"] in ("lead", "responsible", "mentioned")
        assert 0 <= u["span"][0] <= u["span"][1] <= len(text)
    assert find_units(text, None) is not None


# ---------------------------------------------------------------- speed shortcuts change nothing
#
# find_units masks only the pieces of the text that can hold a name (``_Cut``) and scans some
# alternations one literal at a time (``_finditer_any``); these check both against the plain way.

import policyminer.pipeline.units as units_mod  # noqa: E402

_PIECES_ALPHABET = st.sampled_from(
    list("市省县区局厅委办中心由牵头负责会同要应的为以据等在、，。：（）()“”\n\t 01A")
    + ["发展改革委", "领导小组", "委员会", "办公室", "人民政府", "有限公司", "（北京）", "“一对一”", "党中央",
       "各", "有关", "同级", "设区市", "市直", "联合会同", "建设部", "部门", "机关", "农业、气象部门", "怀化"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES_ALPHABET, max_size=50).map("".join))
def test_cut_masks_like_the_whole_text(text: str) -> None:
    units_mod._load()  # (the name tests' data, loaded by find_units; this test may run first)
    whole, generic_ends = units_mod._mask(text)
    cut = units_mod._Cut(text, [])
    for (a, b), c in zip(cut.spans, cut.starts):
        assert cut.masked[c: c + b - a] == whole[a:b]
    assert {cut.to_text(g) for g in cut.generic_ends if cut.text[g - 1: g] != "\n"} <= generic_ends
    units_mod._new_document()
    plain = units_mod._mentions(text, whole, generic_ends)
    units_mod._new_document()
    via_cut = [(cut.to_text(s), cut.to_text(s) + e - s, n) for s, e, n in units_mod._mentions(cut.text, cut.masked, cut.generic_ends)]
    assert sorted(via_cut) == sorted(plain)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("“”（）()北京集团有限股份、\n按从分部门单位主体：机关体预") + ["有限公司", "按部门分："]), max_size=40).map("".join))
def test_finditer_any_is_finditer_of_the_alternation(text: str) -> None:
    for pats in (units_mod._QUOTED, units_mod._SHARED_TAIL, units_mod._BREAKDOWN_HEAD):
        alternation = re.compile("|".join(p.pattern for p in pats))
        assert [m.span() for m in units_mod._finditer_any(pats, text)] == [m.span() for m in alternation.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES_ALPHABET, max_size=40).map("".join), st.booleans())
def test_one_suffix_fast_path_is_the_general_loop(text: str, generic_start: bool) -> None:
    """_names_one (stretches with one suffix) finds what _names_in_run finds for them."""
    units_mod._load()
    masked, _ = units_mod._mask(text)
    for run in set(masked.split("\0")):
        ends = [(m.end(), m.group()) for m in units_mod._SRE.finditer(run)]
        if len(ends) == 1:
            units_mod._new_document()
            assert units_mod._names_one(run, generic_start, *ends[0]) == units_mod._names_in_run(run, 0, generic_start, ends)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES_ALPHABET, max_size=40).map("".join), st.integers(0, 200), st.integers(0, 30))
def test_masked_at_is_a_slice_of_the_full_masked_text(text: str, a: int, k: int) -> None:
    """_Cut.masked_at (what shared lists read) is full_masked()[a:b], inside a piece or not."""
    units_mod._load()
    cands = units_mod._shared_candidates(text)
    cut = units_mod._Cut(text, [(m.start(1), m.end(1)) for _, m in cands])
    full = cut.full_masked()
    for lo, hi in [(a, a + k)] + [(m.start(1) + j, m.end(1)) for _, m in cands for j in (0, 1)]:
        assert cut.masked_at(lo, hi) == full[lo:hi]


def test_boundary_words_listed_once() -> None:
    """org_boundaries.txt lists every word (plain, re: or generic:) once: a second copy changes
    nothing but hides which words the file really holds (it held a pasted block twice)."""
    # (a generic word is masked too: listing it also as a plain word is a second copy)
    words = [ln.strip().removeprefix("generic:") for ln in units_mod._lines("org_boundaries.txt")]
    seen: set[str] = set()
    twice = [w for w in words if w in seen or seen.add(w)]
    assert twice == []


@pytest.mark.parametrize("text", ["本级财政部门要加强资金监管。", "各地要督促本级财政部门加强资金监管。"])
def test_longest_generic_word_opens_the_stretch(text: str) -> None:
    """本级 is a generic word, and so is 本 before a level or body (本(?=[级区市…])): the longer
    match must win, so that the stretch after 本级 starts generic (as after 同级) and 财政部门 is
    no body of its own."""
    assert _units(text) == []


@pytest.mark.parametrize(
    "text, name",
    [("积极争取国家发展改革委支持。", "国家发展改革委"), ("认真学习中共中央办公厅印发的文件。", "中共中央办公厅"),
     ("争取国务院办公厅支持。", "国务院办公厅")],
)
def test_national_prefix_inside_a_stretch_starts_a_name(text: str, name: str) -> None:
    """A national prefix (国家, 中共, 国务院 …) after words the mask keeps (争取, 学习) starts a name,
    as a level or place prefix there does (the prefix test was anchored at the stretch's start)."""
    assert name in {u["name"] for u in _units(text)}


@pytest.mark.parametrize(
    "text, name",
    [("成立习近平新时代中国特色社会主义思想研究中心。", "习近平新时代中国特色社会主义思想研究中心"),
     ("全国文明城市达到13个。西安国家版本馆、陕西考古博物馆建成开放。", "西安国家版本馆")],
)
def test_national_prefix_inside_does_not_cut_a_name_short(text: str, name: str) -> None:
    """A national word inside a stretch is a last resort: a name taken from the stretch's start
    stays whole."""
    assert name in {u["name"] for u in _units(text)}


def test_national_level_is_no_prefix_inside_a_stretch() -> None:
    """国家级 names a class (国家级技术中心, 国家级重点实验室), as 省级 does after a level character."""
    assert "国家级技术中心" not in {u["name"] for u in _units("推动产业基地发展，建设好国家级技术中心、做强做大。")}


def test_lexicon_files_list_each_line_once() -> None:
    """No data file under the package repeats a line (a second copy changes nothing but hides what
    the file holds); org_list_labels.txt is sectioned, and its sections may share a label."""
    from importlib import resources

    data = resources.files("policyminer.data")
    for f in sorted(data.iterdir(), key=lambda p: p.name):
        if f.name.endswith((".txt", ".tsv")) and f.name != "org_list_labels.txt":
            lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()]
            lines = [ln for ln in lines if ln and not ln.startswith("#")]
            seen: set[str] = set()
            assert [ln for ln in lines if ln in seen or seen.add(ln)] == [], f.name

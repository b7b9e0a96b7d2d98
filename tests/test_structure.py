"""Section tree and measures on real notices (corpora/seeds, corpora/dev) and small cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.normalize import normalize
from policyminer.pipeline.context import DocContext
from policyminer.pipeline.structure import find_structure, format_outline, measure_of

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds" / "docs"
DEV = ROOT / "corpora" / "dev" / "docs"


def run(text: str, **meta: str) -> tuple[list[dict], list[dict]]:
    return find_structure(text, DocContext(text=text, meta=dict(meta)))


def seed(name: str) -> str:
    return normalize((SEEDS / name).read_text(encoding="utf-8")).text


def headings(text: str, **meta: str) -> list[str]:
    return [m["heading"] for m in run(text, **meta)[1]]


# --------------------------------------------------------------------------- real notices


@pytest.fixture(scope="module")
def huaihua() -> tuple[str, list[dict], list[dict]]:
    text = seed("004_f5d32eee970b9eca.txt")
    secs, ms = run(text)
    return text, secs, ms


def test_seed004_all_19_numbered_measures(huaihua):
    _, _, ms = huaihua
    assert len(ms) == 19
    assert [m["id"] for m in ms] == [f"m{i}" for i in range(1, 20)]
    assert ms[0]["heading"] == "实行领导挂点、部门包点"
    assert ms[0]["path"] == ["三、主要措施", "(一)成立帮扶工作队"]
    assert ms[18]["heading"] == "严格目标考核"
    assert ms[18]["path"] == ["四、保障措施"]


def test_seed004_measure14_path(huaihua):
    text, _, ms = huaihua
    m14 = ms[13]
    assert m14["heading"] == "加大金融支持"
    assert m14["path"] == ["三、主要措施", "(五)强化要素保障"]
    # the span covers the whole item, up to the next sibling heading
    s, e = m14["span"]
    assert text[s:e].startswith("14.加大金融支持")
    assert "市政府金融办等" in text[s:e] and "15.提升审批服务效能" not in text[s:e]
    assert m14["text"] == text[s:e].strip()


def test_seed004_background_and_groups_are_not_measures(huaihua):
    _, secs, ms = huaihua
    heads = {m["heading"] for m in ms}
    # 工作目标 / 实施范围 are background, (一)成立帮扶工作队 groups items 1-2
    assert not heads & {"工作目标", "实施范围", "主要措施", "成立帮扶工作队", "保障措施"}
    kinds = [s["kind"] for s in secs]
    assert kinds[0] == "preamble"
    assert "signature" in kinds  # 怀化市人民政府办公室 / 2020年4月21日 under the cover letter


def test_seed004_tree_levels(huaihua):
    _, secs, _ = huaihua
    by_id = {s["id"]: s for s in secs}
    s14 = next(s for s in secs if s.get("measure") == "m14")
    assert s14["enumerator"] == "14." and s14["level"] == 3
    parent = by_id[s14["parent"]]
    assert (parent["enumerator"], parent["heading"], parent["level"]) == ("(五)", "强化要素保障", 2)
    assert by_id[parent["parent"]]["heading"] == "主要措施"


def test_seed000_five_yishi_measures():
    hs = headings(seed("000_41e52e51830b3dfc.txt"))
    assert hs == ["成立工作专班,分片包干实施", "精准纾困解难,落实帮扶责任", "及时出台政策措施,加大宣传贯彻力度",
                  "上下联动开展活动,形成浓厚氛围", "加强分办督办,有力有序务求实效"]


def test_seed001_problems_section_skipped_and_next_steps_kept():
    text = seed("001_3159178822529981.txt")
    secs, ms = run(text)
    hs = [m["heading"] for m in ms]
    assert len(hs) == 8
    assert hs[0] == "高度重视、组织严密,凸显地方特色和行业特性"
    assert hs[5].startswith("省厅各责任处室(单位)要持续推进剩余30项企业问题建议的承诺办理")
    assert all("个别单位" not in h for h in hs)  # 三、问题不足 is background
    assert [s["kind"] for s in secs if s["kind"] in ("attachment", "signature")] == ["attachment", "signature"]


def test_seed002_truncated_page_and_yishi_inside_item():
    hs = headings(seed("002_8c08af7b3efce9ce.txt"))
    assert hs == ["协调服务不断增强", "行政审批不断提速", "融资服务不断拓展", "坚持落实专题协调制度",
                  "建立检查督办和难点问题交办制度", "建立健全年度考核制度"]


def test_seed003_unnumbered_subheads():
    hs = headings(seed("003_1321990955f5dc4b.txt"))
    assert hs == ["仓山:复工“指导员”解难题", "晋安:“三步骤”工作法抢时间", "闽侯:促进企业释放产能", "连江:制定政策解决问题"]


def _dev(name: str) -> str:
    from policyminer.ingest import read

    return normalize(read(DEV / name).text).text


def test_flattened_page_d023_28_measures():
    # a crawled page flattened into one line: "责任单位：区经济发展局2.全面落实…"
    ms = run(_dev("d023.txt"))[1]
    assert len(ms) == 28
    assert ms[1]["heading"] == "全面落实公平竞争审查制度"
    assert ms[27]["heading"] == "加强党的全面领导"


def test_statistical_bulletin_keeps_only_yishi_items():
    text = _dev("d019.html")
    hs = headings(text, title="万载县2015年国民经济和社会发展统计公报")
    assert hs == ["加强对饮用水源的监测", "加强对国控企业的环境监测", "加强对关系民生利益的环境监测",
                  "加强标准化建设，提升环境监测水平"]


# --------------------------------------------------------------------------- enumeration styles


@pytest.mark.parametrize("items, expected", [
    (["一、加强组织领导。各地要成立专班。", "二、强化资金保障。财政要安排资金。"], ["加强组织领导", "强化资金保障"]),
    (["(一)加强组织领导。各地要成立专班。", "(二)强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["（一）加强组织领导。各地要成立专班。", "（二）强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["1.加强组织领导。各地要成立专班。", "2.强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["1、加强组织领导。各地要成立专班。", "2、强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["1．加强组织领导；各地要成立专班。", "2．强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["(1)加强组织领导。", "(2)强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["①加强组织领导。", "②强化资金保障。"], ["加强组织领导", "强化资金保障"]),
    (["第一条 为规范资金管理，制定本办法。", "第二条 财政部门负责资金拨付。"], ["财政部门负责资金拨付"]),
    (["一、加强组织领导", "各地要成立专班。", "二、强化资金保障", "财政要安排资金。"], ["加强组织领导", "强化资金保障"]),
])
def test_enumeration_styles(items, expected):
    text = "关于做好有关工作的通知\n各单位：\n" + "\n".join(items) + "\n"
    assert headings(text) == expected


def test_yishi_run_inside_paragraph():
    text = "今年以来，我市采取以下措施：一是减免租金，惠及企业120家；二是发放贷款贴息；三是开展用工招聘。\n"
    assert headings(text) == ["减免租金,惠及企业120家".replace(",", "，"), "发放贷款贴息", "开展用工招聘"]


def test_nested_mixture_four_levels():
    text = ("工作方案\n一、主要任务\n(一)优化营商环境\n1.深化审批改革。推行一网通办。\n"
            "(1)压缩审批时限。\n(2)减少申报材料。\n2.降低企业成本。落实减税政策。\n"
            "(二)扩大有效投资\n3.加快项目建设。\n二、保障措施\n(一)加强组织领导。\n(二)强化督查考核。\n")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["压缩审批时限", "减少申报材料", "降低企业成本", "加快项目建设",
                                          "加强组织领导", "强化督查考核"]
    assert ms[0]["path"] == ["一、主要任务", "(一)优化营商环境", "1.深化审批改革"]
    assert ms[3]["path"] == ["一、主要任务", "(二)扩大有效投资"]  # numbering runs on across (一)/(二)
    levels = {s["heading"]: s["level"] for s in secs if s["kind"] == "heading"}
    assert levels["主要任务"] == 1 and levels["优化营商环境"] == 2 and levels["深化审批改革"] == 3
    assert levels["压缩审批时限"] == 4


def test_mid_sentence_enumerators_are_not_headings():
    text = ("一、加大家庭育儿支持。对依法生育子女的家庭，一、二孩给予产假，按照本办法第(一)项执行，"
            "并发放《政策汇编(一)》。\n二、支持托育服务。按每托位500元发放补贴。\n")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["加大家庭育儿支持", "支持托育服务"]
    assert all(s["enumerator"] in (None, "一、", "二、") for s in secs)


def test_list_of_things_after_yixia_and_parent_with_own_directives():
    text = ("通知如下：一、立即开展排查整治。各片区要深刻吸取事故教训，立即启动房屋安全隐患排查整治工作。"
            + "按照部门督导、片区主责的原则，充分运用网格化巡查机制，明确排查重点，制定排查方案，严明工作时限。" * 4
            + "（一）5月底前完成以下房屋排查：1.2022年前已排查的经营性自建房；2.2022年以来新投用的经营性自建房。"
            "（二）年底前完成以下房屋排查：1．擅自改扩建的房屋；2．涉疫房屋。二、建立报告制度。各片区要明确专人负责。")
    assert headings(text) == ["立即开展排查整治", "5月底前完成以下房屋排查", "年底前完成以下房屋排查", "建立报告制度"]


def test_numbers_in_running_text_are_not_enumerators():
    text = ("一、经济运行\n全区地区生产总值增长5.1%。一、二、三产业增加值分别增长4.2%、5%、5.4%。\n"
            "二、主要措施\n(一)扩大有效投资。\n(二)提振消费。\n")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["经济运行", "扩大有效投资", "提振消费"]


def test_background_sections_yield_no_measures():
    text = ("一、工作目标\n到2025年，全市企业达到100家。\n二、存在的主要问题\n(一)融资难问题突出。\n(二)用工紧张。\n"
            "三、工作措施\n(一)加强融资服务。\n(二)做好用工保障。\n")
    assert headings(text) == ["加强融资服务", "做好用工保障"]


def test_list_of_materials_is_not_measures():
    text = ("(一)申请。医疗机构按季度提交申请。申请时应提交以下材料：1.审批表。2.身份证明复印件。3.收费票据。"
            "(二)审核。经办机构负责审核材料是否齐全。\n")
    assert headings(text) == ["申请", "审核"]


def test_directive_parent_sentence_is_a_measure():
    text = ("一、各级各部门要高度重视，加强领导，明确专门负责人，切实做好信息公开工作。\n"
            "二、各级各部门要突出工作重点，完善各项日常工作机制，强化年终考核。今年要重点做好以下工作："
            "(一)推进财政资金公开透明；(二)加强网站建设。\n")
    hs = headings(text)
    assert len(hs) == 4 and hs[1].startswith("各级各部门要突出工作重点") and hs[2] == "推进财政资金公开透明"


def test_no_structure_one_section():
    text = "1-10月，全县固定资产投资完成246.79亿元，同比增长15.3%。总体全县投资结构趋稳趋优。"
    secs, ms = run(text)
    assert ms == []
    assert len(secs) == 1 and secs[0]["span"] == [0, len(text)] and secs[0]["kind"] == "body"


def test_articles_chapters_signature_and_attachment_body():
    text = ("怀化市中小企业发展专项资金管理办法\n第一章 总则\n第一条 为规范专项资金管理，根据有关规定，制定本办法。\n"
            "第二条 本办法所称专项资金，是指市财政预算安排的资金。\n第二章 支持方向\n"
            "第三条 专项资金重点支持中小企业技术改造。\n第四条 市财政局负责资金拨付，市工信局负责项目审核。\n"
            "第三章 附则\n第五条 本办法自2024年1月1日起施行。\n怀化市财政局\n2023年12月1日\n"
            "附件1\n项目申报表\n一、项目名称\n二、申报单位\n")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["专项资金重点支持中小企业技术改造", "市财政局负责资金拨付，市工信局负责项目审核"]
    assert ms[0]["path"] == ["第二章支持方向"]
    kinds = [s["kind"] for s in secs]
    assert kinds[0] == "preamble" and "signature" in kinds
    att = next(s for s in secs if s["kind"] == "attachment")
    assert att["heading"] == "附件1 项目申报表"
    # the form's fields are sections of the attachment, not measures (and numbering restarts there)
    fields = [s for s in secs if s.get("parent") == att["id"]]
    assert [(f["enumerator"], f["heading"]) for f in fields] == [("一、", "项目名称"), ("二、", "申报单位")]
    assert "  第一条 为规范专项资金管理" in format_outline(secs)


def test_flattened_articles_references_notes_and_circled_details():
    text = ("扶持措施实施细则（试行）第一条依据有关文件精神，特制定本细则。第二条申请扶持的商户须符合本细则第五条“申请条件”。"
            "第三条扶持内容1.租金优惠。给予第一年免租金优惠。①2014年6月底前签订合同的。②2015年5月底前签订合同的。"
            "2.纳税补贴。按个人所得税的20%予以补贴。备注1.“申请条件”中的“正常运营”指：按时开业。2.其他事项另行规定。"
            "第四条本细则自发布之日起执行。")
    secs, ms = run(text)
    arts = [s["enumerator"] for s in secs if s["enumerator"] and s["enumerator"].startswith("第")]
    assert arts == ["第一条", "第二条", "第三条", "第四条"]  # 第五条“申请条件” is a reference
    assert [m["heading"] for m in ms] == ["申请扶持的商户须符合本细则第五条“申请条件”", "租金优惠", "纳税补贴"]


def test_parts_half_brackets_and_questions():
    text = ("第一部分 总体要求\n一、指导思想\n坚持以人民为中心。\n第二部分 主要任务\n一、优化营商环境\n"
            "1) 推行一网通办。\n2) 压缩审批时限。\n二、什么是一网通办？\n答：一网通办是指线上办理。\n三、扩大有效投资\n")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["推行一网通办", "压缩审批时限", "扩大有效投资"]
    assert ms[0]["path"] == ["第二部分主要任务", "一、优化营商环境"]


def test_several_attachments_flattened_and_scope_sections():
    text = ("一、工作措施（一）加强统筹协调。成立领导小组。（二）加强经费保障。做好经费保障工作。"
            "附件：1.任务分解表 2.招商考评办法 附件1 任务分解表 序号 部门 任务数 1 金井片区 6 "
            "附件2 招商考评办法一、考评对象（一）片区管理局（二）区直部门。二、认定范围（一）统计时间：全年。"
            "（二）项目认定程序1.经办机构审核材料。2.财政部门复核拨付。三、奖惩设置（一）给予经费奖励。（二）严禁弄虚作假。")
    secs, ms = run(text)
    atts = [s["heading"] for s in secs if s["kind"] == "attachment"]
    assert atts == ["附件：1.任务分解表 2.招商考评办法", "附件1 任务分解表", "附件2 招商考评办法"]
    assert [m["heading"] for m in ms] == ["加强统筹协调", "加强经费保障", "经办机构审核材料", "财政部门复核拨付",
                                          "给予经费奖励", "严禁弄虚作假"]
    assert ms[2]["path"] == ["二、认定范围", "(二)项目认定程序".replace("(", "（").replace(")", "）")]


def test_ordinal_comma_points_in_a_speech():
    text = "同志们：\n今年的工作，我讲三点意见。第一，要提高政治站位。各级要充分认识。第二，要突出工作重点。第三，要强化责任落实。\n"
    assert headings(text) == ["要提高政治站位", "要突出工作重点", "要强化责任落实"]


def test_empty_text():
    assert run("") == ([], [])


def test_signature_and_attachment_flattened():
    text = ("各单位：现将有关事项通知如下。一、加强领导。要成立专班。二、狠抓落实。要定期督查。"
            "附件：《工作任务清单》平潭综合实验区管委会办公室2012年7月18日 来源：中国平潭")
    secs, ms = run(text)
    assert [m["heading"] for m in ms] == ["加强领导", "狠抓落实"]
    sig = next(s for s in secs if s["kind"] == "signature")
    assert text[sig["span"][0]:sig["span"][1]] == "平潭综合实验区管委会办公室2012年7月18日"
    att = next(s for s in secs if s["kind"] == "attachment")
    assert text[att["span"][0]:att["span"][1]] == "附件：《工作任务清单》"
    assert ms[1]["span"][1] <= att["span"][0]


def test_outline_and_lookup(huaihua):
    text, secs, ms = huaihua
    out = format_outline(secs)
    lines = out.splitlines()
    assert lines[0].startswith("[preamble]")
    line14 = next(ln for ln in lines if "[m14]" in ln)
    assert line14.strip().startswith("14.加大金融支持") and line14.startswith("    ")
    i = text.index("政银企合作")
    assert measure_of(ms, [i, i + 5]) == "m14"
    assert measure_of(ms, [0, 3]) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二三四五六十(（)）1234.．、是第条章：:。；，\n 附件年月日局要加强工作目标①②")) ,
               max_size=300) | st.text(max_size=200))
def test_never_raises(text):
    secs, ms = find_structure(text, DocContext(text=text))
    for m in ms:
        assert 0 <= m["span"][0] <= m["span"][1] <= len(text)
    for s in secs:
        assert 0 <= s["span"][0] <= s["span"][1] <= len(text)


# --------------------------------------------------------------------------- generalization classes (synthetic notices)

_REGULATION = """某市中小企业技术改造资金管理办法

第一条 为规范中小企业技术改造资金管理，提高资金使用效益，结合本市实际，制定本办法。
第二条 本办法所称技术改造资金，是指市级财政预算安排用于支持中小企业技术改造的专项资金。
第三条 申请资金支持的企业应当符合下列条件：
（一）在本市依法登记注册，具有独立法人资格；
（二）近三年内无重大安全生产事故；
（三）项目已完成备案手续。
第四条 市工业和信息化局负责编制年度资金使用计划，会同市财政局组织项目评审。
第五条 对符合条件的技术改造项目，按照设备投资额的10%给予补助，单个企业最高不超过200万元。
第六条 有下列情形之一的，不予支持：
（一）弄虚作假骗取资金的；
（二）列入失信名单的。
第七条 违反本办法规定，截留、挪用资金的，依照有关规定追究相关人员责任。
第八条 本办法由市工业和信息化局负责解释。
第九条 本办法自2024年1月1日起施行，有效期5年。
"""


def test_regulation_only_prescribing_articles_are_measures():
    hs = headings(_REGULATION)
    assert len(hs) == 2
    assert hs[0].startswith("市工业和信息化局负责编制年度资金使用计划")
    assert hs[1].startswith("对符合条件的技术改造项目")


_PLAN_WITH_BOXES = """某市养老服务体系建设规划

三、主要任务
（一）完善居家社区养老服务网络
1.建设社区养老服务中心。每个街道至少建设1个具备全日托养功能的综合养老服务中心。
2.发展老年助餐服务。推动社区老年食堂建设，到2025年覆盖率达到80%。
专栏3 社区养老服务设施建设工程
1.街道综合养老服务中心：建设50个。
2.社区老年食堂：建设300个。
（二）提升机构养老服务能力
3.推进公办养老机构改革。深化公建民营改革。
4.加强护理型床位建设。护理型床位占比达到60%以上。
专栏4 养老机构提质工程
（1）特困供养机构改造提升工程：改造提升30家。
（2）护理型床位建设工程：新增护理型床位5000张。
四、保障措施
（一）强化组织领导。各级政府要将养老服务纳入经济社会发展规划。
（二）加强资金保障。各级财政要加大投入力度。
"""


def test_plan_boxes_are_not_measures():
    hs = headings(_PLAN_WITH_BOXES)
    assert hs == ["建设社区养老服务中心", "发展老年助餐服务", "推进公办养老机构改革", "加强护理型床位建设",
                  "强化组织领导", "加强资金保障"]


_UNNUMBERED_PARAGRAPHS = """某区2024年城市更新工作方案

为推进城市更新工作，结合我区实际，制定本方案。
一、重点任务
（一）推进老旧小区改造。2024年计划改造老旧小区30个，惠及居民1.2万户，重点完善水电气等基础设施。
加装电梯
在具备条件的老旧小区推进既有住宅加装电梯，全年完成加装电梯100部，优先保障老年人出行需求。
完善配套设施
同步建设养老托育、便民市场等公共服务设施，推动完整社区建设，打造15分钟生活圈。
（二）推进城中村改造。稳妥推进城中村改造项目5个，改善群众居住条件，提升城市品质和形象。
"""


def test_numbered_section_with_unnumbered_paragraphs_is_one_measure():
    assert headings(_UNNUMBERED_PARAGRAPHS) == ["推进老旧小区改造", "推进城中村改造"]


_BULLETIN_RANKS = """关于全省12345热线工作情况的通报

各市人民政府，省直有关单位：
现将2024年第三季度全省12345热线工作情况通报如下。
一、总体情况
第三季度全省热线共受理群众诉求120万件，按时办结率98.5%。
二、展示台
（一）按时办结率排名前三的市
A市、B市、C市。
（二）群众满意率排名前三的市
D市、E市、F市。
三、曝光台
（一）按时办结率排名后三位的市
G市、H市、I市。
四、下一步工作要求
（一）提高办理质效。各地要压实承办单位责任，提高一次办结率。
（二）强化督办考核。对群众反映集中的问题要开展专项督办。
"""


def test_ranking_boards_of_a_bulletin_are_not_measures():
    assert headings(_BULLETIN_RANKS) == ["提高办理质效", "强化督办考核"]


_YISHI_IN_TASK = """某县2024年优化营商环境工作要点

一、主要任务
1.深化审批制度改革。推进“一网通办”，压缩审批时限。
2.加强市场监管。落实“双随机、一公开”监管。
3.强化要素保障。围绕重点项目需求，一是加大用地保障，优先保障重点项目用地；二是加强融资支持，扩大中小企业信贷投放；三是保障用工需求，举办招聘活动20场；四是降低用能成本，落实电价优惠政策；五是优化水电气报装，压缩报装时间至5个工作日。
4.提升政务服务水平。推行帮办代办服务。
"""


def test_yishi_run_inside_a_numbered_task_gives_measures():
    hs = headings(_YISHI_IN_TASK)
    assert hs[0] == "深化审批制度改革" and hs[-1] == "提升政务服务水平"
    assert [h[:6] for h in hs[2:7]] == ["加大用地保障", "加强融资支持", "保障用工需求", "降低用能成本", "优化水电气报"]


def test_plan_boxes_in_a_flattened_page():
    flat = _PLAN_WITH_BOXES.replace("\n", " ")
    hs = headings(flat)
    assert "街道综合养老服务中心" not in " ".join(hs) and "特困供养机构改造提升工程" not in " ".join(hs)
    assert "推进公办养老机构改革" in hs


def test_ranking_lists_by_score_are_not_measures():
    text = ("关于2024年上半年政务服务“好差评”情况的通报\n\n一、总体情况\n上半年全市共收到评价12万条，好评率99.6%。\n"
            "二、评价结果\n1.好评率前五名的单位：市人社局、市医保局、市税务局、市公安局、市民政局。\n"
            "2.差评整改率后三位的单位：甲区、乙县、丙县。\n三、工作要求\n"
            "（一）抓好差评整改。各单位要在5个工作日内完成差评核实整改。\n（二）加强结果运用。评价结果纳入年度绩效考核。\n")
    assert headings(text) == ["抓好差评整改", "加强结果运用"]


# --- the scanning shortcuts find exactly what a plain scan finds ------------------------------

_PIECES = ["1", "12", "123", "０", "٣", ".", "．", "、", ")", "）", "(", "（", " ", "\u3000", "\n", "\t", "一", "二",
           "十", "是", "第", "章", "条", "部分", "，", "①", "年", "月", "日", "2023年", "附件", "附件1：", "附表",
           "专栏", "专栏2", "办公室", "人民政府", "某某市人民政府办公室", "2023年5月6日", "二〇二三年五月六日",
           "印发", "。", "》", "强调：", "要求，", "中", "x", "   "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_scanning_shortcuts_match_plain_finditer(text: str) -> None:
    from policyminer.pipeline import structure as S

    r = S._rules()

    def spans(it):
        return [(m.span(), m.groupdict(), m.lastgroup) for m in it]

    assert spans(S._enum_matches(text)) == spans(S._ENUM.finditer(text))
    assert spans(S._signature_matches(text)) == spans(r["signature"].finditer(text))
    assert spans(S._speech_matches(text)) == spans(r["speech"].finditer(text))
    assert spans(S._matches_at(S._ATT, text, S._literal_at(text, "附"))) == spans(S._ATT.finditer(text))
    assert spans(S._matches_at(S._ATT_ALONE, text, S._lines_with(text, "附"))) == spans(S._ATT_ALONE.finditer(text))
    assert spans(S._matches_at(S._TABLE_ROW, text, S._lines_with(text, "\t"))) == spans(S._TABLE_ROW.finditer(text))
    assert spans(S.finditer_before(r["box"], text, "专栏", 0, S._BOX_AFTER)) == spans(r["box"].finditer(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("目标情况问题范围对象所称是指包括排名前后位名的本办法自起施行中\n1２")), max_size=16))
def test_word_lists_agree_with_one_alternation(s: str) -> None:
    import json
    import re
    from importlib import resources

    from policyminer.pipeline.structure import _AnyOf

    raw = json.loads(resources.files("policyminer.data").joinpath("structure.json").read_text(encoding="utf-8"))
    for key in ("background_titles", "scope_titles", "definitional_headings", "article_not_measure"):
        plain = re.compile("|".join(f"(?:{p})" for p in raw[key]))
        fast = _AnyOf(raw[key])
        assert fast.search(s) == bool(plain.search(s)), (key, s)
        if any(plain.search(s[:k]) for k in range(1, len(s) + 1)):
            assert fast.may_match_prefix(s)

"""Regions with administrative codes on real notices, ambiguous place strings and non-places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyminer.ingest import read
from policyminer.normalize import normalize
from policyminer.pipeline.context import DocContext
from policyminer.pipeline.regions import find_regions, lookup_region, region_names

from .conftest import DEV, SEEDS


def _regions_of(path: Path, region: str | None) -> list[dict[str, Any]]:
    text = normalize(read(path).text).text
    ctx = DocContext(text=text, region=lookup_region(region) if region else None)
    return find_regions(text, ctx)


def _by_name(regions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in regions}


# ---------------------------------------------------------------- real notices


def test_seed_000_cities_and_prefectures_with_codes() -> None:
    got = _by_name(_regions_of(SEEDS / "docs" / "000_41e52e51830b3dfc.txt", "湖北省"))
    expected = {
        "湖北省": "420000", "武汉市": "420100", "宜昌市": "420500", "黄石市": "420200",
        "十堰市": "420300", "荆州市": "421000", "咸宁市": "421200", "恩施州": "422800",
        "随州市": "421300", "天门市": "429006",
    }
    for name, code in expected.items():
        assert name in got, name
        assert got[name]["code"] == code, name
    assert got["恩施州"]["level"] == "city" and got["恩施州"]["province"] == "湖北省"
    assert got["天门市"]["level"] == "county"  # province-administered county-level city
    assert got["武汉市"]["span"][1] - got["武汉市"]["span"][0] == 3


def test_seed_002_towns_and_development_zones() -> None:
    got = _by_name(_regions_of(SEEDS / "docs" / "002_8c08af7b3efce9ce.txt", "洪湖市"))
    assert got["洪湖市"]["code"] == "421083" and got["洪湖市"]["city"] == "荆州市"
    assert got["曹市镇"]["level"] == "town" and got["曹市镇"]["code"].startswith("421083")
    assert got["府场镇"]["county"] == "洪湖市"
    assert "洪湖开发区" in got and got["洪湖开发区"]["county"] == "洪湖市"
    assert "新滩新区" in got  # named after the town 新滩镇


def test_seed_004_high_tech_zones_but_no_body_short_forms() -> None:
    regions = _regions_of(SEEDS / "docs" / "004_f5d32eee970b9eca.txt", "怀化市")
    names = {r["name"] for r in regions}
    assert {"怀化市", "怀化高新区", "怀化经开区"} <= names
    # 怀化 inside 怀化银保监分局 / 国网怀化供电分公司 is not a separate mention
    assert "怀化" not in names


def test_dev_d001_townships_of_wanzai() -> None:
    got = _by_name(_regions_of(DEV / "docs" / "d001.html", "万载县"))
    assert got["万载县"]["code"] == "360922"
    for town in ("康乐街道", "黄茅镇", "株潭镇", "潭埠镇", "鹅峰乡"):
        assert got[town]["level"] == "town" and got[town]["county"] == "万载县", town


def test_dev_d010_shenzhen_districts() -> None:
    got = _by_name(_regions_of(DEV / "docs" / "d010.pdf", "深圳市"))
    assert got["南山区"]["code"] == "440305" and got["福田区"]["code"] == "440304"
    assert "深汕特别合作区" in got and "大鹏新区" in got


# ---------------------------------------------------------------- lookup_region


@pytest.mark.parametrize(
    "name,code,level",
    [
        ("武汉", "420100", "city"),
        ("武汉市", "420100", "city"),
        ("恩施州", "422800", "city"),
        ("黔东南州", "522600", "city"),
        ("神农架林区", "429021", "county"),
        ("长阳县", "420528", "county"),
        ("广西", "450000", "province"),
        ("内蒙古", "150000", "province"),
        ("襄樊", "420600", "city"),  # renamed 襄阳 in 2010
        ("襄樊市", "420600", "city"),
        ("思茅市", "530800", "city"),  # renamed 普洱 in 2007
        ("监利县", "421088", "county"),  # 监利市 since 2020
        ("郧县", "420304", "county"),  # 郧阳区 since 2014
        ("香港", "810000", "province"),
    ],
)
def test_lookup_region(name: str, code: str, level: str) -> None:
    r = lookup_region(name)
    assert r is not None and r["code"] == code and r["level"] == level


@pytest.mark.parametrize(
    "name,context,code",
    [
        ("鼓楼区", {"code": "350100"}, "350102"),  # 福州
        ("鼓楼区", {"code": "320100"}, "320106"),  # 南京
        ("鼓楼区", {"code": "320300"}, "320302"),  # 徐州
        ("朝阳区", {"code": "110000"}, "110105"),  # 北京
        ("朝阳区", {"code": "220100"}, "220104"),  # 长春
        ("朝阳", None, "211300"),  # the prefecture-level city before the districts
        ("朝阳", {"code": "110000"}, "110105"),  # in a Beijing notice, the district
    ],
)
def test_same_name_units_follow_the_context(name: str, context: dict[str, str] | None, code: str) -> None:
    r = lookup_region(name, context)
    assert r is not None and r["code"] == code


@pytest.mark.parametrize("name", ["", "安", "中国", "京津冀", "长三角", "发改委", "abc", "各县市区"])
def test_lookup_non_places(name: str) -> None:
    assert lookup_region(name) is None


def test_region_names_has_full_and_short_forms() -> None:
    names = region_names()
    assert {"武汉", "武汉市", "恩施州", "广西壮族自治区", "广西"} <= names
    assert "安" not in names


# ---------------------------------------------------------------- ambiguous strings in context


def _names(text: str, region: str | None = None) -> set[str]:
    ctx = DocContext(text=text, region=lookup_region(region) if region else None)
    return {r["name"] for r in find_regions(text, ctx)}


@pytest.mark.parametrize(
    "text,region,expected",
    [
        ("加强安全生产监管。", None, set()),  # 安全 is not 安
        ("江山如画，资源丰富，合作共赢。", None, set()),  # 江山市, 资源县, 合作市 short forms
        ("公安机关要加强巡查。", None, set()),  # 公安县
        ("新增城市绿地100处。", None, set()),  # not 增城市
        ("入选国家乡村振兴示范县。", None, set()),  # not 范县
        ("文化、体育和娱乐业。", None, set()),  # not 乐业县
        ("扩大城市和县城体检。", None, set()),  # not 和县
        ("人民银行怀化中心支行、怀化银保监分局", "怀化市", set()),  # short forms inside bodies
        ("九江港完成货物吞吐量1.8亿吨。", None, set()),
        ("开工诸暨至嵊州高速公路。", None, set()),
        ("新华社上海11月30日电 会议在京召开。", None, set()),  # dateline city
        ("支持宝鸡、杨凌等建设先进制造业基地。", "陕西省", {"宝鸡", "杨凌"}),
        ("宝鸡、咸阳分别成为千亿级城市。", "陕西省", {"宝鸡", "咸阳"}),
        ("福建省教育厅印发通知。", None, {"福建省"}),  # full form inside a body counts
        ("湖北省武汉市江岸区", None, {"湖北省", "武汉市", "江岸区"}),
        ("在上海主持召开座谈会。", None, {"上海"}),
        ("推动新疆生产建设兵团改革。", None, {"新疆生产建设兵团"}),
        ("阳泉市城区、郊区", None, {"阳泉市", "城区", "郊区"}),  # common words after their parent
        ("以更大力度推动法治陕西、平安陕西建设。", None, {"陕西"}),  # 平安区 is not meant
        ("良渚古城遗址公园、杭州国家版本馆", "浙江省", set()),  # 公园区 is not meant
        ("推广“畅游平潭”APP。", "福建省", set()),  # a brand, not a place
        ("农村居民收入增速快于城镇居民。", None, set()),  # not 于城镇
        ("推动西安区域协调发展。", "陕西省", {"西安"}),  # 西安 + 区域, not 吉林's 西安区
        ("确保府谷、定边机场建成投运。", "陕西省", set()),  # members of a facility name
        ("吸引20名台湾音乐制作人入驻。", None, {"台湾"}),  # a province's short form before a noun
        ("加快海南自贸港建设。", None, set()),
        ("共建上海（长三角）国际科技创新中心。", None, set()),
        ("现在的位置：海峡网>新闻中心>福建频道>福州新闻", None, set()),  # breadcrumb
        ("开工750千伏定靖西输变电工程。", "陕西省", set()),  # a county short form of another province
        ("北京时间10月1日", None, set()),
        ("在上海证券交易所上市。", None, set()),
        ("北京冬奥会成功举办。", None, set()),
        ("湖南卫视播出。", None, set()),
        ("支持香港融入国家发展大局。", None, {"香港"}),
        ("在北京召开会议。", None, {"北京"}),
    ],
)
def test_places_and_non_places(text: str, region: str | None, expected: set[str]) -> None:
    assert _names(text, region) == expected


def test_county_followed_by_its_towns_bare_names() -> None:
    text = "昌平南口、马池口等全国重点实验室集群建设取得重要进展。"
    got = _by_name(find_regions(text, DocContext(text=text, region=lookup_region("北京市"))))
    assert got["昌平"]["code"] == "110114"
    assert got["南口"]["level"] == "town" and got["南口"]["county"] == "昌平区"
    assert got["马池口"]["code"].startswith("110114")


def test_dev_d012_beijing_report() -> None:
    got = _by_name(_regions_of(DEV / "docs" / "d012.csv", "北京市"))
    assert {"北京市", "雄安新区", "通州区", "香港特别行政区", "澳门特别行政区", "台湾"} <= set(got)
    # short forms only inside names of zones, campuses and lines
    assert not {"天津", "亦庄", "良乡", "怀柔", "平谷"} & set(got)


def test_same_name_district_by_document_region() -> None:
    text = "鼓楼区开展专项整治。"
    fz = find_regions(text, DocContext(text=text, region=lookup_region("福州市")))
    nj = find_regions(text, DocContext(text=text, region=lookup_region("南京市")))
    assert fz[0]["code"] == "350102" and fz[0]["city"] == "福州市"
    assert nj[0]["code"] == "320106" and nj[0]["city"] == "南京市"


def test_same_name_district_by_preceding_city() -> None:
    got = _by_name(find_regions("长春市朝阳区", DocContext(text="长春市朝阳区")))
    assert got["朝阳区"]["code"] == "220104"


def test_one_entry_per_place_with_fullest_form() -> None:
    text = "武汉加快发展。武汉市政府部署工作，武汉、宜昌两地联动。"
    regions = find_regions(text, DocContext(text=text))
    wuhan = [r for r in regions if r["code"] == "420100"]
    assert len(wuhan) == 1 and wuhan[0]["name"] == "武汉市"
    assert text[slice(*wuhan[0]["span"])] == "武汉市"


def test_spans_point_at_the_name() -> None:
    text = "关于黄茅镇、株潭镇的通知。万载县人民政府"
    for r in find_regions(text, DocContext(text=text, region=lookup_region("万载县"))):
        assert text[r["span"][0]:r["span"][1]] == r["name"]


@pytest.mark.parametrize("text,region,town,code", [
    # the town names of the code table use CJK extension chars (not in U+4E00-U+9FFF), at the
    # start, inside and at the end of the name: every char of the stem is tested as CJK
    ("枞阳县𠙶山镇、会宫镇开展工作。", "枞阳县", "𠙶山镇", "340722119"),
    ("长沙县㮾梨街道召开会议", "长沙县", "㮾梨街道", "430121004"),
    ("唐山市丰南区柳树𨟠镇和黄各庄镇", "丰南区", "柳树𨟠镇", "130207110"),
    ("汕头市金平区𬶍莲街道", "金平区", "𬶍莲街道", "440511006"),
    ("枞阳县𠙶山开发区", "枞阳县", "𠙶山开发区", None),
])
def test_towns_with_cjk_extension_chars(text: str, region: str, town: str, code: str | None) -> None:
    got = _by_name(find_regions(text, DocContext(text=text, region=lookup_region(region))))
    assert town in got
    if code:
        assert got[town]["code"] == code and got[town]["level"] == "town"


def test_town_stem_must_be_cjk_throughout() -> None:
    # a stem is the 2-4 chars before the suffix: one that is not CJK throughout names no town
    from policyminer.pipeline import regions

    assert regions._all_cjk("会宫") and regions._all_cjk("𠙶山") and regions._all_cjk("柳树𨟠")
    assert not regions._all_cjk("会1") and not regions._all_cjk("a山") and not regions._all_cjk("会 宫")
    assert not regions._all_cjk("")


@pytest.mark.parametrize("repeat", [1, 40])  # a short text (regexes) and a long one (numpy starts)
def test_town_suffix_spellings_and_common_words(repeat: int) -> None:
    # the town pass looks only at suffixes whose two chars before end a town of the table: the
    # 街办 and 街道办事处 spellings still find 星沙街道, 城镇 in 推进城镇化 and 城乡 find nothing
    text = "长沙县星沙街办、星沙街道办事处和黄兴镇推进城镇化、城乡融合。" * repeat
    got = find_regions(text, DocContext(text=text, region=lookup_region("长沙县")))
    assert [(r["name"], r["code"]) for r in got] == [
        ("长沙县", "430121"), ("星沙街道办事处", "430121001"), ("黄兴镇", "430121102")]
    assert got[1]["span"] == [text.index("星沙街道办事处"), text.index("星沙街道办事处") + 7]


# ---------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("湖北省武汉市县区镇乡街道新高开发经州盟旗自治的、，。至港( )1a和")) | st.characters(), max_size=80))
def test_never_raises(text: str) -> None:
    out = find_regions(text, DocContext(text=text))
    assert isinstance(out, list)
    for r in out:
        s, e = r["span"]
        assert 0 <= s < e <= len(text)
    lookup_region(text)


def test_a_failure_inside_the_stage_is_reported_not_swallowed(monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    # a programming error (a NameError once went unnoticed) leaves the document without regions
    # but says so: logged, and a warning on the document naming the stage and the exception
    import logging

    from policyminer.pipeline import regions

    def broken(text: str, ctx: Any) -> list[dict[str, Any]]:
        raise NameError("name 'stem' is not defined")

    monkeypatch.setattr(regions, "_find", broken)
    text = "湖北省武汉市"
    ctx = DocContext(text=text)
    ctx.warnings = []  # type: ignore[attr-defined]  # the document's warnings, where the context carries them
    with caplog.at_level(logging.WARNING, logger="policyminer.pipeline.regions"):
        assert find_regions(text, ctx) == []
    assert len(ctx.warnings) == 1  # type: ignore[attr-defined]
    assert "regions" in ctx.warnings[0] and "NameError" in ctx.warnings[0]  # type: ignore[attr-defined]
    logged = [r for r in caplog.records if r.name == "policyminer.pipeline.regions"]
    assert logged and logged[0].levelno == logging.WARNING and logged[0].exc_info is not None
    assert "NameError" in logged[0].getMessage()
    # a context without a warnings list (a bare DocContext) still gets the log and an empty result
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="policyminer.pipeline.regions"):
        assert find_regions(text, DocContext(text=text)) == []
        assert find_regions(text, None) == []
    assert len([r for r in caplog.records if r.name == "policyminer.pipeline.regions"]) == 2


# ---------------------------------------------------------------- the name scanner


def _leftmost_longest(words: set[str], text: str) -> list[tuple[int, int, str]]:
    """The scan's contract, by brute force: at each position the longest name, then on."""
    longest = max(map(len, words))
    out, i = [], 0
    while i < len(text):
        w = next((text[i:i + n] for n in range(longest, 1, -1) if text[i:i + n] in words), None)
        if w:
            out.append((i, i + len(w), w))
            i += len(w)
        else:
            i += 1
    return out


_NAMES = sorted(region_names())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_NAMES) | st.text(alphabet="的和、在市县区省州中国发展\u3000 \n", max_size=3)
                | st.characters(), max_size=25))
def test_scanner_finds_every_name(pieces: list[str]) -> None:
    # the pair table (numpy) and the char-class regex must both give the brute-force answer
    from policyminer.pipeline import regions

    scanner = regions._gaz().pattern
    text = "".join(pieces)
    expected = _leftmost_longest(scanner.words, text)
    min_chars = regions._NUMPY_MIN_CHARS
    try:
        regions._NUMPY_MIN_CHARS = 0  # the pair table (numpy) on every text
        assert scanner.finditer(text) == expected
        scanner._pair_starts = lambda _text: None  # the regex path
        assert scanner.finditer(text) == expected
    finally:
        scanner.__dict__.pop("_pair_starts", None)
        regions._NUMPY_MIN_CHARS = min_chars


_HEAD_WORDS = ["新华社", "中国网", "人民网", "来源：", "信息来源:", "当前位置", "版权所有", "ICP备", "扫一扫",
               "高新区", "国家级经济技术开发区", "新区", "街道", "街办", "镇", "乡", "苏木", "北京", "电"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_WORDS) | st.sampled_from(_NAMES[:300])
                | st.text(alphabet="的和、在市县区省州中国发展新华网站人民\u3000 \n12", max_size=3), max_size=40))
def test_pattern_starts_from_the_pair_table(pieces: list[str]) -> None:
    # every literal-led pattern, tried only where the pair table says it may start, finds what
    # its own regex scan finds
    from policyminer.pipeline import regions

    text = "".join(pieces)
    min_chars = regions._NUMPY_MIN_CHARS
    try:
        regions._NUMPY_MIN_CHARS = 0
        starts = regions._gaz().pattern.starts(text)
    finally:
        regions._NUMPY_MIN_CHARS = min_chars
    if starts is None:  # no numpy, or an empty text
        return
    for (group, _heads), at in zip(regions._HEADED, starts[1:]):
        for pattern in group:  # the patterns of a group share one list of starts
            assert [m.span() for m in regions._matches_at(pattern, text, at)] == \
                [m.span() for m in pattern.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="增城市示范县娱乐业巴中国在京沪和与省、1 ", min_size=1, max_size=8), st.data())
def test_word_tests_kept_per_window_answer_as_computed(text: str, data: Any) -> None:
    from policyminer.pipeline import regions

    s = data.draw(st.integers(min_value=0, max_value=len(text)))
    for strict in (False, True):
        fresh = (s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff"
                 and regions._word_across_left_uncached(text, s, strict))
        assert regions._word_across_left(text, s, strict) == fresh
        assert regions._word_across_left(text, s, strict) == fresh  # the kept answer


@pytest.mark.parametrize("pipeline", ["", "spacy"])
def test_a_failing_stage_reaches_the_document_warnings(monkeypatch: pytest.MonkeyPatch, pipeline: str) -> None:
    # the extracted document says which stage failed; the other stages' results are kept
    from policyminer.api import extract
    from policyminer.pipeline import regions

    def broken(text: str, ctx: Any) -> list[dict[str, Any]]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setenv("POLICYMINER_PIPELINE", pipeline)
    monkeypatch.setattr(regions, "_find", broken)
    doc = extract("湖北省住房和城乡建设厅关于开展服务企业活动的通知\n一、走访企业3340家，办结率89.1%。")
    assert doc["regions"] == []
    assert any("regions" in w and "ZeroDivisionError" in w for w in doc["warnings"])
    assert any(m["value"] == 3340 for m in doc["metrics"])


@pytest.mark.parametrize("text, name", [("对口支援广西", "广西"), ("我们去了九江", "九江"), ("浙江", "浙江")])
def test_a_short_form_at_the_very_end_of_a_text_stands_alone(text: str, name: str) -> None:
    # the next-character test read "" at the end, and "" is in every string ("" in "(（")
    assert name in [r["name"] for r in find_regions(text, DocContext(text=text))]


def test_a_short_form_heading_a_name_at_the_end_is_still_no_place() -> None:
    assert find_regions("九江港", DocContext(text="九江港")) == []

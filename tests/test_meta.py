"""Metadata on real notices: title, 文号, issuers, 成文日期, region with code."""

from __future__ import annotations

import pytest

from .conftest import DEV, GOVDOC, SEEDS, extract_cached


def test_govdoc_397_pdf_metadata() -> None:
    meta = extract_cached(GOVDOC)["meta"]
    assert meta["doc_number"] == "发改办财金规〔2019〕860号"
    assert meta["title"] == "关于加强个人所得税纳税信用建设的通知"
    assert meta["issuers"] == ["国家发展改革委办公厅", "税务总局办公厅"]
    assert meta["date"] == "2019-08-20"
    assert meta["doc_type"] == "通知"


def test_seed_004_cover_notice_signature() -> None:
    meta = extract_cached(SEEDS / "docs" / "004_f5d32eee970b9eca.txt")["meta"]
    assert meta["doc_number"] == "怀政办发〔2020〕4号"
    assert meta["issuers"] == ["怀化市人民政府办公室"]
    assert meta["date"] == "2020-04-21"
    assert meta["region"]["name"] == "怀化市" and meta["region"]["code"] == "431200"


def test_cited_doc_numbers_are_not_the_documents() -> None:
    # d017 cites 国办发〔2012〕26号 and 闽政办〔2012〕99号 but has no 文号 of its own
    assert extract_cached(DEV / "docs" / "d017.txt")["meta"]["doc_number"] is None


@pytest.mark.parametrize("name,title,issuers,date,region", [
    ("d001.html", "万载县2022年国民经济和社会发展统计公报", ["万载县统计局", "国家统计局万载调查队"], "2023-05-01", "万载县"),
    ("d003.html", "江西省2022年国民经济和社会发展统计公报", ["江西省统计局", "国家统计局江西调查总队"], "2023-03-28", "江西省"),
    ("d004.html", "1-10月德清县固定资产投资结构趋稳趋优", ["德清县发改局"], "2016-11-22", "德清县"),
    ("d009.doc", "公安机关录用人民警察体能测评标准及实施规范", [], None, None),
    ("d010.pdf", "2021年深圳市社会性别统计报告", ["深圳市统计局", "深圳市妇女儿童工作委员会", "深圳市性别平等促进办公室"], "2022-12-01", "深圳市"),
    ("d012.csv", "2026年北京市政府工作报告", ["北京市人民政府"], "2026-02-02", "北京市"),
    ("d017.txt", "平潭综合实验区管委会办公室关于2012年政府信息公开重点工作安排的通知", ["平潭综合实验区管委会办公室"], "2012-07-18", "平潭综合实验区"),
    ("d023.txt", None, ["平潭综合实验区党工委", "平潭综合实验区管委会"], "2023-10-24", "平潭综合实验区"),
])
def test_dev_metadata(name: str, title: str | None, issuers: list[str], date: str | None, region: str | None) -> None:
    meta = extract_cached(DEV / "docs" / name)["meta"]
    if title:
        assert meta["title"] == title
    assert meta["issuers"] == issuers
    assert meta["date"] == date
    assert (meta["region"] or {}).get("name") == region


def test_chinese_numeral_signature_date() -> None:
    from policyminer.pipeline.meta import find_meta

    meta = find_meta("关于做好防汛工作的通知\n各县区：\n请认真落实。\n怀化市人民政府办公室\n二〇二〇年四月二十一日", {})
    assert meta["date"] == "2020-04-21"
    assert meta["issuers"] == ["怀化市人民政府办公室"]
    assert meta["title"] == "关于做好防汛工作的通知"


def test_law_database_layout_bracketed_doc_number_and_bare_date() -> None:
    from policyminer.pipeline.meta import find_meta

    text = ("包头市人民政府办公室关于印发《包头市2022年数字政府建设考评办法》的通知\n（包府办发〔2022〕43号）\n"
            "各旗、县、区人民政府：\n现印发给你们，请认真贯彻落实。\n2022年4月14日\n一、考评对象\n")
    meta = find_meta(text, {})
    assert meta["doc_number"] == "包府办发〔2022〕43号"
    assert meta["date"] == "2022-04-14"
    assert meta["issuers"] == ["包头市人民政府办公室"]


def test_site_owner_page_title_is_not_the_headline() -> None:
    from policyminer.pipeline.meta import find_meta

    meta = find_meta("各有关单位：\n请按要求执行。", {"title_candidates": ["保定市住房公积金管理中心"]})
    assert meta["title"] is None


def test_meta_scanning_shortcuts_match_plain_search() -> None:
    import random

    from policyminer.pipeline import meta as M
    from policyminer.pipeline.structure import finditer_before

    pieces = ["国办发", "〔2020〕", "[2019]", "（ 2021 ）", "3号", " 号", "12", "号", "中", "\n", " ", "。", "）", "》",
              "管委会办公室", "2015年9月10日", "印发", "（德清县发改局）", "[1]", "①", "※", "x"]
    rng = random.Random(11)
    for _ in range(3000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        a, b = M.DOC_NUMBER.search(t), M._search_doc_number(t)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), t
        inline = finditer_before(M._INLINE_SIG, t, "日", M._INLINE_SIG_REACH, M._INLINE_SIG_AFTER)
        assert [m.span() for m in inline] == [m.span() for m in M._INLINE_SIG.finditer(t)], t
        assert M._drop_footnote(t) == M._FOOTNOTE.sub("", t), t


def test_failed_region_lookup_is_logged_and_reported(monkeypatch, caplog) -> None:
    """A region lookup that raises leaves the region empty, but is logged and added to the
    document's warnings instead of being swallowed silently."""
    import logging

    import policyminer.pipeline.regions as regions
    from policyminer.pipeline.context import DocContext
    from policyminer.pipeline.meta import find_meta

    def broken(text, ctx):
        raise RuntimeError("gazetteer broken")

    monkeypatch.setattr(regions, "find_regions", broken)
    text = "关于做好防汛工作的通知\n各县区：\n请认真落实。\n怀化市人民政府办公室\n二〇二〇年四月二十一日"
    ctx = DocContext(text=text)
    with caplog.at_level(logging.WARNING, logger="policyminer.pipeline.meta"):
        meta = find_meta(text, {}, ctx)
    assert meta["region"] is None
    assert meta["issuers"] == ["怀化市人民政府办公室"]  # the rest of the metadata as usual
    assert ctx.warnings and all("gazetteer broken" in w for w in ctx.warnings)
    assert any("gazetteer broken" in rec.getMessage() for rec in caplog.records)
    assert find_meta(text, {})["region"] is None  # without a context: no error either


def test_failed_region_lookup_reaches_the_extracted_document(monkeypatch) -> None:
    """Through the whole pipeline: meta's region lookup (like the regions stage) fails inside
    the gazetteer search; the document says so and keeps the rest of its metadata."""
    import policyminer.pipeline.regions as regions
    from policyminer.api import extract
    from policyminer.pipeline.meta import find_meta

    def broken(text, ctx):
        raise RuntimeError("gazetteer broken")

    monkeypatch.setattr(regions, "_find", broken)
    text = "关于做好防汛工作的通知\n各县区：\n请认真落实。\n怀化市人民政府办公室\n二〇二〇年四月二十一日"
    doc = extract(text)
    assert doc["meta"]["issuers"] == ["怀化市人民政府办公室"]
    assert sum("gazetteer broken" in w for w in doc["warnings"]) >= 2  # meta's lookup and the regions stage
    from policyminer.pipeline.context import DocContext

    ctx = DocContext(text=text)
    find_meta(text, {}, ctx)
    assert any("gazetteer broken" in w for w in ctx.warnings)  # meta passes on its lookup's warnings

"""Document metadata: title, 文号, issuers (发文机关/落款), date (成文日期), doc type, region.

Signals, strongest first: the 公文 layout in the text (title line, standalone 文号 line,
signature block of issuer lines above a date line), then the page's own title and date
candidates from ingest (``hints``), then bylines. Cited 文号 of other documents (inside
brackets or after 《…》) are never this document's.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from ..rules.dates import ABS_DATE, ABS_MONTH, parse_date
from .structure import _max_width, finditer_before

_log = logging.getLogger(__name__)

DOC_TYPES = ("实施意见", "指导意见", "工作方案", "实施方案", "行动方案", "通知", "通报", "公报", "方案", "意见",
             "报告", "决定", "办法", "规定", "细则", "批复", "函", "纪要", "要点", "规划", "计划", "措施",
             "公告", "通告", "条例", "公示", "决议", "讲话", "标准", "规范", "清单", "名单", "目录", "一览表",
             "职位表", "统计表", "汇总表", "情况表")
_DOC_TYPE_OF = {"实施意见": "意见", "指导意见": "意见", "工作方案": "方案", "实施方案": "方案", "行动方案": "方案"}
_TITLE_END = re.compile("(?:" + "|".join(DOC_TYPES) + r")(?:[（(][^()（）]{1,20}[)）])?$")
_ISSUER_CODE_MAX = 14  # characters of the issuer's code before the brackets (国办发, 皖政办秘 …)
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,%d}?)" % _ISSUER_CODE_MAX + r"\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,5})\s*号")
# DOC_NUMBER after its issuer prefix: starts with a plain character class, so the regex engine
# skips to the brackets in C; DOC_NUMBER itself tries its lazy prefix at every Chinese character
_DOC_NUMBER_CORE = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,5}\s*号")


def _search_doc_number(s: str) -> re.Match[str] | None:
    """``DOC_NUMBER.search(s)``, started just before the first place the number itself occurs."""
    core = _DOC_NUMBER_CORE.search(s) if "号" in s else None
    if not core:
        return None
    k = core.start()
    while k > 0 and s[k - 1].isspace():
        k -= 1
    return DOC_NUMBER.search(s, max(0, k - _ISSUER_CODE_MAX))
_SENT_PUNCT = re.compile(r"[。；;！？!?]")
_NAV = re.compile(r"(>|＞|»|当前位置|首页|网站|门户|位置[:：])")
_SITE_SPLIT = re.compile(r"\s*(?:_|--|—{2}|\s-\s|\s\|\s|\|)\s*")
_TITLE_CUT = re.compile(r"\s*(?:来源|发布时间|发布日期|时间|作者|信息来源|浏览次数)\s*[:：].*$")
_NATIONAL = re.compile(r"^(国务院|国家|中共中央|中央|全国|最高人民|财政部|教育部|科技部|工业和信息化部|公安部|民政部|司法部|"
                       r"人力资源社会保障部|人力资源和社会保障部|自然资源部|生态环境部|住房城乡建设部|住房和城乡建设部|交通运输部|水利部|"
                       r"农业农村部|商务部|文化和旅游部|国家卫生健康委|应急管理部|中国人民银行|审计署|税务总局|海关总署|市场监管总局|"
                       r"国家发展改革委|发展改革委|外交部|国防部)")


@lru_cache(maxsize=1)
def issuer_suffixes() -> tuple[str, ...]:
    path = resources.files("policyminer") / "data" / "org_issuer_suffixes.txt"
    words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    return tuple(sorted(set(words), key=len, reverse=True))


def looks_like_org(s: str) -> bool:
    s = s.strip()
    if not (3 <= len(s) <= 40) or _SENT_PUNCT.search(s) or re.search(r"[，,:：\d]", s):
        return False
    return s.endswith(issuer_suffixes())


def split_orgs(s: str) -> list[str]:
    """'发展改革委办公厅 税务总局办公厅' or 'A党工委B管委会' -> the bodies it names."""
    parts = [p for p in re.split(r"[\s、，,]+", s.strip()) if p]
    out: list[str] = []
    for p in parts:
        out.extend(_split_glued(p))
    return out


def _split_glued(s: str) -> list[str]:
    # split 'X党工委X管委会' where the second body repeats the region prefix of the first
    for suf in ("党工委", "党委", "人民政府", "管委会", "委员会"):
        i = s.find(suf)
        if 0 < i and i + len(suf) < len(s):
            head, tail = s[: i + len(suf)], s[i + len(suf):]
            if looks_like_org(tail) and len(tail) >= 4 and head[:2] == tail[:2]:
                return [head] + _split_glued(tail)
    return [s]


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line.strip()))
        pos += len(line) + 1
    return out


def _date_line(s: str) -> str | None:
    """ISO date when the line is only a date (a signature or byline date), else None."""
    s2 = s.strip().strip("（）() ")
    if not s2 or len(s2) > 20:
        return None
    m = ABS_DATE.fullmatch(s2) or ABS_MONTH.fullmatch(s2)
    if not m:
        m2 = ABS_DATE.match(s2)
        if m2 and s2[m2.end():].strip() in ("印发", "发布", "发"):
            m = m2
    return parse_date(s2) if m else None


def _signature(lines: list[tuple[int, str]]) -> tuple[list[str], str | None, int | None]:
    """Issuers and date of the first signature block (org lines directly above a date line)."""
    nonempty = [(i, pos, s) for i, (pos, s) in enumerate(lines) if s]
    for k, (_i, pos, s) in enumerate(nonempty):
        date = _date_line(s)
        if not date:
            continue
        orgs: list[str] = []
        j = k - 1
        while j >= 0 and len(orgs) < 4:
            prev = nonempty[j][2]
            names = split_orgs(prev)
            if names and all(looks_like_org(n) for n in names):
                orgs = names + orgs
                j -= 1
                continue
            break
        if orgs:
            return orgs, date, pos
    return [], None, None


_INLINE_SIG = re.compile(r"(?:^|[。\n》）)])\s*([\u4e00-\u9fff]{4,40}?)\s*((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)(?=\s*(?:印发)?\s*(?:$|\n|[\u4e00-\u9fff“《]))")
# _INLINE_SIG's width without its whitespace runs, and what it reads after the date's 日
_INLINE_SIG_REACH = _max_width(_INLINE_SIG.pattern.replace(r"\s*", ""))
_INLINE_SIG_AFTER = re.compile(r"\s*(?:印发)?\s*")


def _inline_signature(text: str) -> tuple[list[str], str | None]:
    """Flattened dumps: '…请认真贯彻落实。平潭综合实验区管委会办公室2015年9月10日…'."""
    for m in finditer_before(_INLINE_SIG, text, "日", _INLINE_SIG_REACH, _INLINE_SIG_AFTER):
        names = split_orgs(m.group(1))
        if names and all(looks_like_org(n) for n in names):
            return names, parse_date(m.group(2))
    return [], None


#: endings of a body's name that a site puts as the page <title> (a meeting, 座谈会, is no site)
_SITE_OWNER = ("中心", "局", "厅", "委员会", "人民政府", "政府", "办公室", "办公厅", "管委会", "协会")


def _first_date_line(lines: list[tuple[int, str]]) -> str | None:
    """Without a signature block, a full date standing alone on its line is the 成文日期
    (法规库 layouts print it under the title, without the issuer)."""
    for _p, s in lines:
        s2 = s.strip().strip("（）() ")
        if s2 and len(s2) <= 16 and ABS_DATE.fullmatch(s2):
            return parse_date(s2)
    return None


def _clean_title(t: str) -> str | None:
    t = " ".join(t.split())
    t = _TITLE_CUT.sub("", t)
    parts = [p for p in _SITE_SPLIT.split(t) if p]
    if not parts:
        return None
    t = max(parts[:2], key=lambda p: (bool(re.search(r"[\u4e00-\u9fff]{4}", p)) and not _site_name(p), len(p)))
    t = t.strip(" 　")
    if len(t) < 5 or _NAV.search(t) or _site_name(t) or (looks_like_org(t) and t.endswith(_SITE_OWNER)):
        return None  # a page <title> that is only the site owner's name is no headline
    return t


def _site_name(t: str) -> bool:
    return bool(re.search(r"(网站|门户|政府网|网$|人民政府$|^中国[\u4e00-\u9fff]{2,4}$|LANGUAGE)", t))


_FOOTNOTE = re.compile(r"(?:\[\d{1,2}\]|[①-⑩*※])$")
_FOOTNOTE_WIDTH = _max_width(_FOOTNOTE.pattern)


def _drop_footnote(s: str) -> str:
    """``_FOOTNOTE.sub("", s)`` for a line: the mark can only be its last few characters."""
    if _FOOTNOTE_WIDTH is None:
        return _FOOTNOTE.sub("", s)
    m = _FOOTNOTE.search(s, max(0, len(s) - _FOOTNOTE_WIDTH - 1))  # $ may stand before a last \n
    return s[:m.start()] + s[m.end():] if m else s


def _title_from_text(lines: list[tuple[int, str]], news: bool) -> str | None:
    """A 公文 title line near the top, or a headline followed by its date/source line."""
    top = [_drop_footnote(s) for s in [s for _p, s in lines[:40] if s][:15]]
    for k, s in enumerate(top):
        if len(s) > 100 or _SENT_PUNCT.search(s) or _NAV.search(s) or s.count(" ") >= 3:
            continue  # sentences, breadcrumbs and menu bars ('首 页 机构设置 工作动态 …') are no titles
        names = split_orgs(s)
        if names and all(looks_like_org(n) for n in names):
            continue  # a byline, not a headline
        nxt_line = top[k + 1] if k + 1 < len(top) else ""
        # titles wrapped over two lines: '…测评标准' + '及实施规范'
        if nxt_line and nxt_line[0] in "及和与暨的" and len(nxt_line) <= 30 and _TITLE_END.search(nxt_line) \
                and not _SENT_PUNCT.search(nxt_line):
            return s + nxt_line
        if _TITLE_END.search(s) and len(s) >= 6 and not s.startswith(("附件", "根据", "按照")):
            return s
        if news and 6 <= len(s) <= 60 and k + 1 < len(top):
            nxt = " ".join(top[k + 1: k + 3])
            if re.match(r"^\s*(?:(?:19|20)\d{2}[-年/.]\d{1,2}[-月/.]\d{1,2}|发布时间|来源)", nxt):
                return s
    return None


def _title_candidates(hints: dict[str, Any], text: str) -> str | None:
    cands = [c for c in (_clean_title(t) for t in hints.get("title_candidates", [])) if c]
    if not cands:
        return None
    head = "".join(text[:3000].split())  # whitespace removed (str.split splits where a regex \s would)
    for c in cands:  # a candidate the article itself repeats is its headline
        if re.sub(r"\s", "", c) in head:
            return c
    return cands[0]


def _doc_number(lines: list[tuple[int, str]], hints: dict[str, Any]) -> str | None:
    hint = (hints.get("doc_number") or "").strip()
    if hint:
        m = DOC_NUMBER.search(hint)
        return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else hint
    for _p, s in lines[:60]:
        m = _search_doc_number(s)
        if not m:
            continue
        before = s[: m.start()]
        after = s[m.end():]
        # standalone: nothing (or only 签发人/页码) around it, not inside a citation
        if before.strip() == "" and not re.match(r"\s*[)）]", after) and len(after.strip()) <= 12:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
        if before.strip() in ("(", "（") and re.fullmatch(r"\s*[)）]\s*", after):
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"  # a line that is only '（皖政办秘〔2021〕82号）'
        if m.start() == 0 and re.match(r"\s*[\u4e00-\u9fff]", after) and len(s) > 40:
            # flattened dumps: '闽岚综实管办〔2013〕9号平潭综合实验区…关于…的通知…'
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return None


_BYLINE = re.compile(r"[（(]([\u4e00-\u9fff]{3,30})[)）]\s*$")
_BYLINE_WIDTH = _max_width(_BYLINE.pattern.replace(r"\s*", ""))


def _byline(text: str) -> list[str]:
    """A news byline '（德清县发改局）' closing the article."""
    t = text.strip()
    # the byline ends the stripped text, so only its last characters are searched
    m = _BYLINE.search(t, max(0, len(t) - _BYLINE_WIDTH) if _BYLINE_WIDTH is not None else 0)
    if m and looks_like_org(m.group(1)):
        return [m.group(1)]
    return []


_WORK_REPORT = re.compile(r"^(?:(?:19|20)\d{2}年)?(.{2,12}?)(?:(?:19|20)\d{2}年)?(?:人民)?政府工作报告$")


def _issuers_from_title(title: str | None) -> list[str]:
    if not title:
        return []
    w = _WORK_REPORT.match(title)
    if w and re.search(r"(省|市|县|区|自治区|州|盟|旗)$", w.group(1)):
        return [w.group(1) + "人民政府"]  # a 政府工作报告 is the government's report
    m = re.match(r"^(.+?)(?:关于|印发|转发|第[一二三四五六七八九十百\d]{1,5}次(?:全体)?会议)", title)
    if not m:
        return []
    names = split_orgs(m.group(1))
    return names if names and all(looks_like_org(n) for n in names) else []


def _doc_type(title: str | None, text: str) -> str | None:
    if title:
        m = _TITLE_END.search(title)
        if m:
            word = re.sub(r"[（(].*$", "", m.group(0))
            return _DOC_TYPE_OF.get(word, word)
    if re.search(r"(新华社|本报讯|记者|电\s|讯\s)", text[:300]):
        return "报道"
    return None


def _region(meta: dict[str, Any], text: str, hints: dict[str, Any],
            warnings: list[str] | None = None) -> dict[str, Any] | None:
    from .regions import find_regions, lookup_region

    from .context import DocContext

    for iss in meta.get("issuers") or []:
        if _NATIONAL.match(iss):
            return {"name": "全国", "code": None, "level": None, "province": None, "city": None, "county": None}
        found = _safe_regions(find_regions, iss, DocContext(text=iss), warnings)
        if found and found[0]["span"][0] == 0:
            return _strip_span(found[0])
    title = meta.get("title") or ""
    found = _safe_regions(find_regions, title, DocContext(text=title), warnings)
    if found:
        return _strip_span(found[0])
    hint = hints.get("region_hint")
    if hint:
        r = lookup_region(hint, None)
        if r:
            return dict(r, name=hint)
    found = _safe_regions(find_regions, text[:4000], DocContext(text=text[:4000]), warnings)
    if found:
        parent = _common_parent(found, lookup_region)
        if parent:
            return parent
        provinces = {r.get("province") or r["name"] for r in found}
        if len(provinces) > 2:
            return None  # a text about many provinces (长三角, 中部地区) has no one region
        counts: dict[str, int] = {}
        for r in found:
            counts[r.get("code") or r["name"]] = counts.get(r.get("code") or r["name"], 0) + 1
        best = max(found, key=lambda r: (counts[r.get("code") or r["name"]], -found.index(r)))
        return _strip_span(best)
    return None


def _common_parent(found: list[dict[str, Any]], lookup: Any) -> dict[str, Any] | None:
    """Reports on several counties of one city, naming no higher area, are about that city."""
    counties = [r for r in found if r.get("level") == "county" and r.get("city")]
    by_city: dict[str, set[str]] = {}
    for r in counties:
        by_city.setdefault(r["city"], set()).add(r.get("code") or r["name"])
    if not by_city:
        return None
    city, codes = max(by_city.items(), key=lambda kv: len(kv[1]))
    province = next(r.get("province") for r in counties if r["city"] == city)
    higher = [r for r in found if r.get("level") in ("province", "city") and r.get("province") == province]
    if len(codes) >= 2 and not higher:
        r = lookup(city, None)
        return _strip_span(r) if r else None
    return None


def _safe_regions(fn: Any, text: str, ctx: Any, warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """``fn(text, ctx)`` (a region finder) sorted by position; [] when it fails. A failure is
    logged and reported in ``ctx.warnings``; the warnings of ``ctx`` (a context made for this
    lookup) are passed on to ``warnings``, the document's list, so that none is lost."""
    try:
        found = sorted(fn(text, ctx) or [], key=lambda r: r.get("span", [0])[0])
    except Exception as exc:  # noqa: BLE001 - metadata must not fail because region lookup did
        message = f"meta: region lookup failed ({type(exc).__name__}: {exc}); no region from this text"
        _log.warning(message, exc_info=True)
        own = getattr(ctx, "warnings", None)
        if isinstance(own, list):
            own.append(message)
        found = []
    own = getattr(ctx, "warnings", None)
    if warnings is not None and own and own is not warnings:
        warnings.extend(own)
    return found


def _strip_span(r: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "code", "level", "province", "city", "county")
    return {k: r.get(k) for k in keys}


def find_meta(text: str, hints: dict[str, Any], ctx: Any = None) -> dict[str, Any]:
    """Metadata of one document from its normalized text and ingest hints.

    Problems met on the way (a region lookup that failed) are logged and, when ``ctx`` (the
    document's DocContext) is given, added to its ``warnings``."""
    lines = _lines(text)
    news = bool(hints.get("title_candidates")) or not hints.get("title")
    title = None
    if hints.get("title"):  # a dump header's or front matter's title is the title as given
        title = _TITLE_CUT.sub("", " ".join(hints["title"].split())) or None
    if not title:
        title = _title_from_text(lines, news=True)
    if not title and hints.get("title_candidates"):
        title = _title_candidates(hints, text)
    if title:
        title = re.sub(r"\s+", "", title) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", title) else title
    doc_number = _doc_number(lines, hints)
    issuers, sig_date, _pos = _signature(lines)
    if not issuers:
        issuers, sig_date2 = _inline_signature(text)
        sig_date = sig_date or sig_date2
    if not issuers:
        issuers = _issuers_from_title(title)
    if not issuers:
        issuers = _byline(text)
    if not issuers and hints.get("issuer") and looks_like_org(hints["issuer"]):
        issuers = [hints["issuer"].strip()]
    published = hints.get("published")
    if not published:
        for cand in list(hints.get("title_candidates", [])) + [hints.get("page_text_head", "")]:
            m = re.search(r"((?:19|20)\d{2}-\d{1,2}-\d{1,2})", cand or "")
            if m:
                published = parse_date(m.group(1))
                break
    if not published:
        for _p, s in lines[:15]:
            m = re.match(r"^\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2})", s)
            if m:
                published = parse_date(m.group(1))
                break
    if not sig_date:
        sig_date = _first_date_line(lines)
    date = sig_date or hints.get("date") or published
    meta: dict[str, Any] = {
        "title": title,
        "doc_number": doc_number,
        "issuers": list(dict.fromkeys(issuers)),
        "date": date,
        "published": published,
        "doc_type": _doc_type(title, text),
        "region": None,
    }
    warnings = getattr(ctx, "warnings", None)
    meta["region"] = _as_written(_region(meta, text, hints, warnings if isinstance(warnings, list) else None), text)
    return meta


def _as_written(region: dict[str, Any] | None, text: str) -> dict[str, Any] | None:
    """Name the region the way the text does: the full form when it occurs, else the short one."""
    if not region or not region.get("level"):
        return region
    full = region.get({"province": "province", "city": "city", "county": "county"}.get(region["level"], ""), None)
    if not full:
        return region
    if full in text:
        return dict(region, name=full)
    if region["name"] in text:
        return region
    short = re.sub(r"(特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|自治县|省|市|县|区|盟|旗)$", "", full)
    if len(short) >= 2 and short in text:
        return dict(region, name=short)
    return region

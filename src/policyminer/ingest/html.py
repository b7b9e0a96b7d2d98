"""Main text of a government web page: the article block, without navigation and furniture.

1. parse once with lxml; drop script/style/nav/header/footer/forms;
2. score every block bottom-up (one pass, no recursion) by Chinese sentence punctuation
   outside links, and pick the smallest block holding most of the page's prose;
3. render that block to lines (block elements and <br> break lines, table rows become
   tab-separated lines), then drop furniture lines (上一篇/下一篇, 打印/关闭, 分享, ICP …).
Title and publication-date candidates are kept from <title>, <meta> and headline classes.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html as lhtml

_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "select", "option", "button",
              "nav", "header", "footer", "aside", "svg", "canvas", "object", "embed", "head",
              "textarea", "input", "map")
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "article", "blockquote", "pre", "dd", "dt", "dl", "center", "tbody",
          "thead", "hr", "figure", "figcaption", "address", "main"}
_PUNCT = re.compile(r"[，。；：！？、,;]")
_NAV_CLASS = re.compile(r"(^|[\s_-])(nav|menu|footer|foot|header|breadcrumb|crumb|share|sidebar|"
                        r"side|copyright|bottom|topbar|toolbar|related|reldoc|links?|friend|"
                        r"pagination|pager|print|ewm|qrcode|fenxiang|bdshare)([\s_-]|$)", re.I)
#: a chosen block must keep this share of the page's prose punctuation; 0.6 keeps bulletins whose
#: figures sit in sibling tables, while dropping footers (addresses, copyright) that carry a few marks
KEEP_SHARE = 0.6

FURNITURE = re.compile(
    r"^\s*[【\[（(]?\s*(上一篇|下一篇|上一条|下一条|打印(本页|此页)?|关闭(窗口|本页)?|【?\s*关闭\s*】?|【?\s*打印\s*】?|"
    r"分享到|分享|收藏|扫一扫|扫码|字号|【?\s*字体|大\s*中\s*小|返回(顶部|首页|列表)|"
    r"版权所有|主办单位|承办单位|技术支持|网站标识码|网站地图|联系我们|ICP|京ICP|.{0,6}ICP备|"
    r"公网安备|.{0,4}公网安备|政府网站找错|无障碍|繁體|简体|当前位置|您现在的位置|您的位置|"
    r"责任编辑|编辑[:：]|来源[:：].{0,30}$|浏览次数|阅读次数|点击数|视力保护色|【\s*(大|中|小)\s*】|责编|关注公众号|相关链接|相关文章|相关阅读|附件下载|图为.{0,80}摄[)）]?$|.{0,20}[(（].{0,10}摄[)）]$)")
_FURN_ANY = re.compile(r"(Copyright|©|ICP备|公网安备|网站标识码|版权所有)", re.I)

_DATE = r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_PUB = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|时间|日期|发布)\s*[:：]?\s*" + _DATE)
_META_DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "dc.date",
                    "article:published_time", "lastmodifiedtime", "date")
_META_TITLE_NAMES = ("articletitle", "og:title", "title", "dc.title")


def _class_id(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _parse(text: str) -> Any:
    parser = lhtml.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
    root = lhtml.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    return root


def _candidates(root: Any) -> dict[str, list[str]]:
    titles: list[str] = []
    dates: list[str] = []
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if not content:
            continue
        if name in _META_TITLE_NAMES:
            titles.append(content)
        if name in _META_DATE_NAMES:
            dm = re.search(_DATE, content)
            if dm:
                dates.append(f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}")
    for el in root.iter("h1", "h2"):
        t = " ".join(el.text_content().split())
        if 4 <= len(t) <= 120:
            titles.append(t)
    for el in root.xpath("//*[contains(@class,'title') or contains(@id,'title')]"):
        t = " ".join(el.text_content().split())
        if 4 <= len(t) <= 120:
            titles.append(t)
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        titles.append(" ".join(t.text_content().split()))
    return {"titles": titles, "dates": dates}


def _clean_tree(root: Any) -> None:
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for el in root.xpath("//*[@style]"):  # only elements with a style can be hidden by it
        if not isinstance(el.tag, str):
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            el.drop_tree() if el.getparent() is not None else None


def _score(root: Any) -> tuple[dict[Any, float], dict[Any, float]]:
    """Bottom-up punctuation counts outside links, and link text lengths, per element."""
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    punct: dict[Any, float] = {}
    links: dict[Any, float] = {}
    count = _PUNCT_COUNT
    for el in reversed(elements):
        own = el.text or ""
        in_link = el.tag == "a"
        if in_link:
            p = 0.0
            ln = float(len(own.strip()))
        else:
            p = float(count(own)) if own else 0.0
            ln = 0.0
        for child in el:
            if child not in punct:  # comments and PIs are not scored, nor their tails
                continue
            p += punct[child]
            ln += links[child]
            tail = child.tail
            if tail:
                if in_link:
                    ln += len(tail.strip())
                else:
                    p += count(tail)
        if p and _NAV_CLASS.search(_class_id(el)):
            p *= 0.2
        punct[el], links[el] = p, ln
    return punct, links


def _PUNCT_COUNT(s: str) -> int:
    return len(_PUNCT.findall(s))


def _main_block(root: Any) -> Any:
    body = root.find("body")
    if body is None:
        body = root
    punct, links = _score(body)
    best_total = punct.get(body, 0.0)
    if best_total < 3:
        return body
    node = body
    # descend while one child still holds KEEP_SHARE of the prose
    while True:
        kids = [c for c in node if isinstance(c.tag, str)]
        nxt = None
        for c in kids:
            if punct.get(c, 0.0) >= KEEP_SHARE * best_total:
                nxt = c
                break
        if nxt is None:
            return node
        node = nxt


def _ends_line(out: list[str]) -> bool:
    for piece in reversed(out):
        if "\n" in piece:
            return not piece[piece.rindex("\n") + 1:].strip()
        if piece.strip():
            return False
    return True


_CELL_GAP = re.compile(r"[ \t\u00a0\u3000]*\t[ \t\u00a0\u3000]*")
_LINE_EDGE = re.compile(r"^[ \t\u00a0\u3000\r]+|[ \t\u00a0\u3000\r]+$", re.M)
_TABS = re.compile(r"\t+")


def _tidy_lines(text: str) -> str:
    """Per line: cell separators without padding, no edge blanks (one regex pass each)."""
    return _TABS.sub("\t", _LINE_EDGE.sub("", _CELL_GAP.sub("\t", text)))


def _render(el: Any, inner: Any = None) -> Any:
    """Text of an element, one line per block, table rows as tab-separated cells.

    Inside a table cell, block elements (<p>, <div>, <br>) only separate words: a row stays
    one line so that its cells can be read together. With ``inner`` (a descendant), returns
    (text of el, text of inner) from one walk, so a page is rendered once.
    """
    if inner is not None and (inner is el or any(
            isinstance(a.tag, str) and a.tag.lower() in ("td", "th") for a in inner.iterancestors())):
        return _render(el), _render(inner)  # inside a cell it renders differently alone
    out: list[str] = []
    cell_depth = 0
    mark = [None, None]

    stack: list[tuple[Any, bool]] = [(el, False)]
    block = _BLOCK
    while stack:
        cur, closing = stack.pop()
        if cur.__class__ is str:
            out.append(cur)
            continue
        tag = cur.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        in_cell = tag in ("td", "th")
        if closing:
            if in_cell:
                cell_depth -= 1
                out.append("\t")
            elif tag in block:
                out.append(" " if cell_depth > 0 and tag != "tr" else "\n")
            if cur is inner:
                mark[1] = len(out)
            if cur.tail and cur is not el:  # the element's own tail is not its content
                out.append(cur.tail)
            continue
        if cur is inner:
            mark[0] = len(out)
        if in_cell:
            cell_depth += 1
        elif tag in ("tr", "tbody", "thead", "table") and cell_depth == 0:
            if not _ends_line(out):  # rows of a table on consecutive lines
                out.append("\n")
                if cur is inner:  # rendered alone, it would start the output
                    mark[0] = len(out)
        elif tag in block:
            out.append(" " if cell_depth > 0 else "\n")
        if tag == "br":
            out.append(" " if cell_depth > 0 else "\n")
        stack.append((cur, True))
        stack.extend([(child, False) for child in reversed(cur)])
        if cur.text:
            stack.append((cur.text, False))

    text = _tidy_lines("".join(out))
    if inner is None:
        return text
    if mark[0] is None or mark[1] is None:
        return text, _render(inner)
    return text, _tidy_lines("".join(out[mark[0]:mark[1]]))


#: whole lines that are widget labels, never notice text
_SHORT_FURNITURE = re.compile(
    r"^[•·\s]*(下载|全屏|加大|还原|减小|放大|缩小|打印|收藏|关闭|分享|】|【|\||免责声明|手机看新闻|打赏|"
    r"\d*相关评论|今日头条|品牌推荐|换一批|相关报道[:：]?|信息二维码|模糊搜索[:：]?|关键字[:：]?|字[:：]|"
    r"扫码查看手机站|掃碼查看手機站|手机版|电脑版|返回顶部|首页|搜索|登录|注册|无障碍|English|繁體|简体|"
    r"上一页|下一页|尾页|相关附件[:：]?|相關附件[:：]?)[•·\s]*$")
_CONTACT = re.compile(r"^(电\s*话|電\s*話|传\s*真|郵\s*箱|邮\s*箱|网\s*址|網\s*址|地\s*址|客服热线|联系电话)\s*[:：]")


def drop_furniture(text: str) -> str:
    """Remove page-furniture lines (navigation, share/print widgets, copyright, ICP)."""
    kept = []
    for line in text.split("\n"):
        s = line.strip()
        if s and len(s) <= 12 and _SHORT_FURNITURE.match(s):
            continue
        if s and len(s) <= 80 and _CONTACT.match(s):
            continue
        if s and len(s) < 60 and (FURNITURE.match(s) or _FURN_ANY.search(s)):
            continue
        if s and _FURN_ANY.search(s) and len(_PUNCT.findall(s)) < 3:
            continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def page_dates(text: str) -> list[str]:
    return [f"{int(y):04d}-{int(m):02d}-{int(d):02d}" for y, m, d in _PUB.findall(text)]


def extract_html(text: str) -> tuple[str, dict[str, Any]]:
    """Return (main text, hints) for an HTML page given as decoded text."""
    root = _parse(text)
    cands = _candidates(root)
    _clean_tree(root)
    # hold a reference to every element while scoring and rendering: lxml then reuses one
    # Python proxy per element instead of building (and class-looking-up) it on every visit
    alive = list(root.iter())
    body = root.find("body")
    block = _main_block(root)
    whole, main = _render(body if body is not None else root, block)
    del alive
    hints: dict[str, Any] = {"title_candidates": cands["titles"]}
    # the date printed on the page beats <meta> dates, which re-published pages rewrite
    dates = page_dates(whole[:20000]) + cands["dates"]
    if dates:
        hints["published"] = dates[0]
    hints["page_text_head"] = whole[: whole.find(main[:30]) if main[:30] and main[:30] in whole else 0][-2000:]
    return drop_furniture(main), hints

"""Page furniture that survives in flattened crawler dumps and plain-text page copies:
breadcrumbs, share widgets, CSS and Word style residue, 来源/附件下载 tails, copyright lines."""

from __future__ import annotations

import re

from .html import drop_furniture

_BREADCRUMB = re.compile(r"(?:当前位置|您现在的位置|您的位置|当前所在位置)\s*[:：][^。\n]{0,300}?"
                         r"(?:时间|发布时间|日期)\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_SHARE = re.compile(r"(?:微信\s*微博\s*QQ\s*空间|分享到\s*[:：]?|【\s*打印\s*】|【\s*关闭\s*】)")
_CSS_COMMENT = re.compile(r"/\*.{0,5000}?\*/", re.S)
_CSS_BLOCK = re.compile(r"\{[^{}\n]{0,2000}\}")
_SELECTOR_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:#*\\-")
#: a CSS selector before a rule block is at most this long (bounds the backward scan)
SELECTOR_MAX = 300


def _strip_css(text: str) -> str:
    """CSS comments and `selector { rules }` blocks. Why not one regex: the nested quantifier
    (?:[sel]+\\s*)+ backtracks exponentially on a long run of letters with no brace (fuzz hang)."""
    text = _CSS_COMMENT.sub("", text)
    out: list[str] = []
    last = 0
    for m in _CSS_BLOCK.finditer(text):
        s = m.start()
        if s < last:
            continue
        i = s
        floor = max(last, s - SELECTOR_MAX)
        while i > floor and (text[i - 1] in _SELECTOR_CHARS or text[i - 1].isspace()):
            i -= 1
        while i < s and text[i].isspace():  # a selector starts with a selector character
            i += 1
        if i == s:
            continue
        out.append(text[last:i])
        last = m.end()
    out.append(text[last:])
    return "".join(out)
_WORD_STYLE = re.compile(r"Normal\s+\d+\s+[\d.]+\s*磅\s*\d+\s+\d+\s+(?:false\s+|true\s+)+[A-Za-z0-9]*")
_TAIL = re.compile(r"(?:来源\s*[:：][^\n。]{0,30})?附件下载\s*$", re.M)
#: where a flattened page's footer starts: from here on it is link lists and site notices
_FOOTER_START = re.compile(r"(?:来源\s*[:：][^\n。]{0,30}?)?(?:附件下载|扫一扫在手机上查看|相关链接|友情链接|网站标识码|"
                           r"版权所有|ICP备|主办单位\s*[:：]|【\s*打印\s*】|【\s*关闭\s*】|打印本页|关闭窗口)")
#: at most this many sentence ends may follow a footer marker for the rest to count as footer
FOOTER_MAX_SENTENCES = 2


def _cut_flat_footer(line: str) -> str:
    if len(line) < 200:
        return line
    for m in _FOOTER_START.finditer(line):
        if m.start() > 0 and line.count("。", m.start()) <= FOOTER_MAX_SENTENCES:
            return line[: m.start()]
    return line


def clean_text_furniture(text: str) -> str:
    """Remove furniture from text that did not come through the HTML extractor."""
    text = "\n".join(_cut_flat_footer(line) for line in text.split("\n"))
    text = _WORD_STYLE.sub("", text)
    text = _strip_css(text)
    text = _BREADCRUMB.sub("", text)
    text = _SHARE.sub("", text)
    text = _TAIL.sub("", text)
    return drop_furniture(text)

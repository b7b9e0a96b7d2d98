"""Page furniture that survives in flattened crawler dumps and plain-text page copies:
breadcrumbs, share widgets, CSS and Word style residue, 来源/附件下载 tails, copyright lines."""

from __future__ import annotations

import re

from .html import drop_furniture

_BREADCRUMB = re.compile(r"(?:当前位置|您现在的位置|您的位置|当前所在位置)\s*[:：][^。\n]{0,300}?"
                         r"(?:时间|发布时间|日期)\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_SHARE = re.compile(r"(?:微信\s*微博\s*QQ\s*空间|分享到\s*[:：]?|【\s*打印\s*】|【\s*关闭\s*】)")
_CSS = re.compile(r"/\*.*?\*/|(?:[A-Za-z0-9_.:#*\\-]+\s*)+\{[^{}\n]{0,2000}\}", re.S)
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
    text = _CSS.sub("", text)
    text = _BREADCRUMB.sub("", text)
    text = _SHARE.sub("", text)
    text = _TAIL.sub("", text)
    return drop_furniture(text)

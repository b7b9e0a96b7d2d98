"""Section tree and measures (issue 3).

A notice enumerates its action items in several styles, often nested: 一、 / (一) / 1. / (1) /
① headings, 一是…二是… runs, 第X条 articles, bold one-line sub-heads in web pages. Crawled
text is frequently flattened into one line, so an enumerator cannot be recognised by its
position alone: candidates are found anywhere with one regex and accepted only when they
continue (or convincingly start) a numbered sequence. The hierarchy follows the order in
which styles first appear (the usual 一、 > (一) > 1. > (1), but any order works), kept on a
stack as in a recursive-descent parser.

Measures are the action items among the sections: leaves, plus parents whose own heading
is a full directive sentence. Background sections (工作目标, 存在的主要问题, 实施范围 …),
lists of things rather than actions (材料, 条件 …) and definitional clauses are left out.
The word lists live in ``data/structure.json``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import Any, Iterable, Iterator

from .context import DocContext

# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """Compiled rules from data/structure.json (loaded once)."""
    raw = json.loads(resources.files("policyminer.data").joinpath("structure.json").read_text(encoding="utf-8"))
    sig_issuer = r"[\u4e00-\u9fff][\u4e00-\u9fff（）() \t\u3000\n]{1,80}?" + raw["signature_issuer_suffix"]
    return {
        "background": _AnyOf(raw["background_titles"]),
        "scope": _AnyOf(raw["scope_titles"]),
        "definitional": _AnyOf(raw["definitional_headings"]),
        "lead_bg": re.compile(raw["list_leadin_background"]),
        "lead_action": re.compile(raw["list_leadin_action"]),
        "lead_things": re.compile(raw["list_leadin_things"]),
        "bulletin": re.compile(raw["bulletin_markers"]),
        "standard": re.compile(raw["standard_markers"]),
        "furniture": re.compile(raw["furniture"]),
        "article_not": _AnyOf(raw.get("article_not_measure", [])),
        "lead_sentence": re.compile(raw.get("list_leadin_sentence") or r"(?!x)x"),
        "box": re.compile(raw.get("box_heading") or r"(?!x)x", re.M),
        "signature": re.compile(
            r"(?:(?<=[。）)》\n])|^)[ \t\u3000]*(?P<iss>" + sig_issuer + r")"
            r"[ \t\u3000\n]*(?P<date>" + _DATE + r")(?P<tail>[ \t\u3000]*印发)?",
            re.M,
        ),
        # most characters a signature match holds before its date's 日, whitespace runs aside
        "signature_reach": _max_width(sig_issuer + _DATE.replace(r"\s*", "")),
        "speech": re.compile(r"^[ \t\u3000]*(?:[\u4e00-\u9fff]{2,4}?|他|她)" + raw["speech_verbs"] + r"[，,:：]", re.M),
        "speech_verb": re.compile(raw["speech_verbs"] + r"[，,:：]"),  # in every line "speech" matches
        "speech_words": _words(raw["speech_verbs"]),
    }


class _AnyOf:
    """Whether any of several regexes occurs in a string: ``search(s)`` is true or false.

    The regexes anchored at the start (``^…``) are tried at position 0 only, the others searched
    as one alternation: searching all of them at every position of a heading costs far more.
    """

    def __init__(self, patterns: list[str]) -> None:
        head = [p for p in patterns if _anchored(p)]
        rest = [p for p in patterns if not _anchored(p)]
        self._head = re.compile("|".join(f"(?:{p})" for p in head)) if head else None
        self._rest = re.compile("|".join(f"(?:{p})" for p in rest)) if rest else None
        # when every regex of a group ends in $, a string must end in one of these characters
        self._head_last = _last_chars(head)
        self._rest_last = _last_chars(rest)
        # when every regex of a group needs one of a few characters, a string must hold one
        self._rest_gate = _required_chars(rest)

    def search(self, s: str) -> bool:
        last = s[-1:]
        if self._head and (self._head_last is None or last in self._head_last) and self._head.match(s):
            return True
        return bool(self._rest and (self._rest_last is None or last in self._rest_last)
                    and (self._rest_gate is None or self._rest_gate.search(s)) and self._rest.search(s))

    def may_match_prefix(self, s: str) -> bool:
        """False when no prefix of ``s`` (``s`` itself included) can match (by the filters above)."""
        if self._head and (self._head_last is None or not self._head_last.isdisjoint(s)):
            return True
        return bool(self._rest and (self._rest_last is None or not self._rest_last.isdisjoint(s))
                    and (self._rest_gate is None or self._rest_gate.search(s)))


def _required_chars(patterns: list[str]) -> re.Pattern[str] | None:
    """A character class that every match of any of ``patterns`` holds a character of (built
    from a literal each pattern cannot match without); None when some pattern has none."""
    chars: set[str] = set()
    try:
        from re import _parser

        for p in patterns:
            parsed = _parser.parse(p)
            need = None if parsed.state.flags & re.IGNORECASE else _need_of(list(parsed.data))
            if need is None:
                return None
            chars |= need
    except Exception:  # noqa: BLE001 - a private module: without it, no shortcut
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]") if chars else None


def _need_of(seq: list[Any]) -> set[str] | None:
    """The smallest set of characters one of which every match of parsed ``seq`` holds."""
    from re import _constants as C

    best: set[str] | None = None
    for op, av in seq:
        need = None
        if op is C.LITERAL:
            need = {chr(av)}
        elif op is C.IN and all(o is C.LITERAL for o, _a in av):
            need = {chr(a) for _o, a in av}
        elif op is C.SUBPATTERN and not (av[1] or av[2]):
            need = _need_of(list(av[3].data))
        elif op is C.BRANCH:
            sets = [_need_of(list(b.data)) for b in av[1]]
            need = None if any(x is None for x in sets) else set().union(*sets)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            need = _need_of(list(av[2].data))
        if need is not None and (best is None or len(need) < len(best)):
            best = need
    return best


def _last_chars(patterns: list[str]) -> frozenset[str] | None:
    """The characters that a match of any of ``patterns``, all ending in ``$``, can end with
    (plus the newline that ``$`` may stand before); None when some pattern is not of that kind."""
    out: set[str] = {"\n"}
    try:
        from re import _constants as C, _parser

        for p in patterns:
            parsed = _parser.parse(p)
            data = list(parsed.data)
            if parsed.state.flags & re.IGNORECASE or not data or data[-1] != (C.AT, C.AT_END):
                return None
            chars = _last_of(data[:-1])
            if chars is None:
                return None
            out |= chars
    except Exception:  # noqa: BLE001 - a private module: without it, no shortcut
        return None
    return frozenset(out)


def _last_of(seq: list[Any]) -> set[str] | None:
    """Characters that the parsed regex ``seq`` (re._parser data) can end with; None if unknown."""
    from re import _constants as C

    if not seq:
        return None
    op, av = seq[-1]
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        return {chr(a) for _o, a in av} if all(o is C.LITERAL for o, _a in av) else None
    if op is C.SUBPATTERN:
        return None if av[1] or av[2] else _last_of(list(av[3].data))  # no inline flags
    if op is C.BRANCH:
        sets = [_last_of(list(b.data)) for b in av[1]]
        return None if any(x is None for x in sets) else set().union(*sets)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        own = _last_of(list(av[2].data))
        if own is None or av[0] >= 1:
            return own
        before = _last_of(seq[:-1])  # the repeat may match nothing
        return None if before is None else own | before
    return None


def _anchored(pattern: str) -> bool:
    """The regex can only match at the start of the string (begins with ^, no top-level |)."""
    try:
        from re import _constants, _parser

        data = _parser.parse(pattern).data
        return bool(data) and data[0] == (_constants.AT, _constants.AT_BEGINNING)
    except Exception:  # noqa: BLE001 - a private module: without it, search everywhere
        return False


def _words(pattern: str) -> list[str] | None:
    """The words of a regex that is a plain alternation of words (``(强调|指出)``); else None."""
    try:
        from re import _constants as C, _parser

        data = list(_parser.parse(pattern).data)
        while len(data) == 1 and data[0][0] is C.SUBPATTERN and not (data[0][1][1] or data[0][1][2]):
            data = list(data[0][1][3].data)
        alts = [list(b.data) for b in data[0][1][1]] if len(data) == 1 and data[0][0] is C.BRANCH else [data]
        if any(not alt or any(op is not C.LITERAL for op, _a in alt) for alt in alts):
            return None
        return ["".join(chr(a) for _op, a in alt) for alt in alts]
    except Exception:  # noqa: BLE001 - a private module: without it, no shortcut
        return None


def _max_width(pattern: str) -> int | None:
    """Most characters a match of ``pattern`` can span; None when unbounded (or unknown)."""
    try:
        from re import _parser  # the width the regex compiler itself computes

        hi = _parser.parse(pattern).getwidth()[1]
    except Exception:  # noqa: BLE001 - a private module: without it, scan the whole text
        return None
    return hi if hi < 10_000 else None


# --------------------------------------------------------------------------- patterns

_CN_VAL = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = (r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
         r"\s*[\d一二三四五六七八九十]{1,3}\s*日")
_DATE_RE = re.compile(_DATE)

_ENUM = re.compile(
    r"(?=[(（第一二三四五六七八九十\d\u2460-\u2473])"  # first-character prefilter: ~4x faster scan
    r"(?:(?P<B>[(（][ \u3000]?(?P<b>[一二三四五六七八九十]{1,3})[ \u3000]?[)）])"
    r"|(?P<D>[(（][ \u3000]?(?P<d>\d{1,2})[ \u3000]?[)）])"
    r"|(?P<G>第(?P<g>[一二三四五六七八九十百零〇\d]{1,5})(?P<gk>[章节条]|部分))"
    r"|(?P<K>第(?P<k>[一二三四五六七八九十]{1,3})[，,、](?![一二三四五六七八九十]))"
    r"|(?P<F>(?P<f>[一二三四五六七八九十]{1,3})是)"
    r"|(?P<A>(?P<a>[一二三四五六七八九十]{1,3})[ \u3000]?[、．.])"
    r"|(?P<C>(?<![0-9A-Za-z.．])(?P<c>\d{1,2})[ \u3000]?[.．、](?:(?!\d)|(?=(?:19|20)\d\d年)))"
    r"|(?P<J>(?<![(（0-9A-Za-z.．])(?P<j>\d{1,2})[)）])"
    r"|(?P<E>[\u2460-\u2473]))"
)
# Where _ENUM can start, found with a regex that begins with a plain character class, so that
# the regex engine skips all other characters in C instead of entering the pattern at each one.
# The class holds the first characters of the non-numeric branches and, for the numbered ones
# (C 1. and J 1)), the separator after the digits: digits are too common to be tried one by
# one. Each alternative then checks what that branch needs next (or before, for a separator).
# Hits are a superset of _ENUM's starts; _enum_matches() tries _ENUM there.
_ENUM_SEPS = ".．、)）"
_ENUM_AT = re.compile(
    r"[(（第一二三四五六七八九十\u2460-\u2473.．、)）]"
    r"(?:(?<=[(（])(?=[ \u3000]?[一二三四五六七八九十\d])"  # B, D
    r"|(?<=第)(?=[一二三四五六七八九十百零〇\d])"  # G, K
    r"|(?<=[一二三四五六七八九十])(?=[一二三四五六七八九十]{0,2}(?:是|[ \u3000]?[、．.]))"  # F, A
    r"|(?<=[\u2460-\u2473])"  # E
    r"|(?<=\d[)）])"  # J, hit on its bracket
    r"|(?:(?<=\d[.．、])|(?<=\d[ \u3000][.．、]))(?:(?!\d)|(?=(?:19|20)\d\d年)))"  # C, hit on its separator
)
_REF_AFTER = re.compile(r"[ \t]*(?:规定|的|所|中|第|之|至|和|或|及|、|，|,|“|\(|（|款|项)")
_REF_BEFORE = set("本照据按见于和或及、至的第和与")
_LABEL_BEFORE = re.compile(r"(?:备注|注|说明|注释|附注)[ \t]*[:：]?[ \t]*$")
_CN_LIST_NEXT = re.compile(r"[一二三四五六七八九十]{1,2}[、，,]")
_SENT_END = re.compile(r"[。；;！？!?\n]")
_HEAD_END = re.compile(r"[。；;！？!?\n：:]")
_HSPACE = " \t\u3000\xa0"
_SPACE = _HSPACE + "\n"
_BAD_AFTER = set("，,。、；;：:)）》」』】!！?？”’.．…-—~～%％")
_F_BAD_PREV = set("统唯之万同单归专划均整合逐不独择第每总这那哪惟")
_ATT = re.compile(r"(?:(?<=[。\n \t\u3000])|^)附[ \t\u3000]*[件表][ \t\u3000]*(?P<n>\d{0,2})[ \t\u3000]*[:：]", re.M)
_ATT_ALONE = re.compile(r"^[ \t\u3000]*附[ \t\u3000]*[件表][ \t\u3000]*\d{0,2}[ \t\u3000]*$", re.M)
_ATT_ITEM_SPLIT = re.compile(r"(?<![\d.．])(\d{1,2}(?:-\d{1,2})?)[.、．](?!\d)")
_ATT_LABEL = re.compile(r"附[ \t\u3000]*[件表][ \t\u3000]*[\d-]{0,5}")
_LIST_CONT = re.compile(r"\n[ \t\u3000]*\d{1,2}[.．、][^\n。]{1,80}(?=\n|$)")
_AFTER_DATE_BAD = re.compile(r"[ \t\u3000]*(?:召开|出台|起|前|以来|至|到|发布|开始|举行|在|，|,|的|以|期间|印发[了的]|为|是|上午|下午|晚|讯|电|，)")
_LINES = re.compile(r"[^\n]+")
_TABLE_ROW = re.compile(r"^[^\n\t]*\t[^\n\t]*\t[^\n]*$", re.M)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TERMINAL = set("。；;，,：:！？!?、")
_PARA_END = set("。！？!?”」』)）…")
_DIRECTIVE = re.compile(r"(要|必须|坚持|着力|应当|务必)")
_ADDRESSED = re.compile(r"^[^，,。；;]{1,10}?(要|必须|务必)")

# a space run after a CJK phrase (written to start with its space class: the regex engine then
# skips other characters in C)
_SPACE_BREAK = re.compile(r"[ \t\u3000\xa0](?<=[\u4e00-\u9fff\u201d\u300b)）][ \t\u3000\xa0])[ \t\u3000\xa0]*"
                          r"(?=[\u4e00-\u9fff\u201c\u300a(（\d])")
_RANK = {"G部分": 0, "G章": 0, "G节": 1, "A": 2, "B": 3, "G条": 4, "C": 5, "D": 6, "J": 6, "E": 7}
_DIGIT = re.compile(r"\d")
_QUESTION = re.compile(r"[？?]")
_FORM_TITLE = re.compile(r"^\s*附\s*表|(表|名单|名录|目录|模板|格式|样式|范本)(\s*[（(][^)）]{0,10}[)）])?\s*$")
_GLUED_DATE = re.compile(r"(?<=[\u4e00-\u9fff])(?:\d{4}年|\d{1,2}月)")
_FIRST_CLAUSE = re.compile(r"[，,；;：:]")

_WINDOW = {"A": 6000, "B": 6000, "C": 4000, "D": 3000, "E": 3000, "F": 3000, "G": 8000, "K": 4000, "J": 3000}


def _cn_int(s: str) -> int | None:
    """Chinese or Arabic numeral string -> int (一 -> 1, 十二 -> 12, 二十 -> 20)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            cur = _CN_VAL[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    pos: int
    end: int  # end of the enumerator (heading text starts after whitespace)
    style: str
    value: int | None
    boundary: int  # 2 line start, 1 after sentence punctuation/space, 0 glued
    enum: str
    comma: bool = False  # preceded by a comma (allowed for 一是 runs)
    heading_end: int | None = None  # fixed heading end for sub-heads / speech points
    hstart: int | None = None


@dataclass(slots=True)
class _Item:
    cand: _Cand
    level: int
    parent: int | None  # index into items
    seg_root: int | None  # attachment section index
    list_id: int
    role: str = "heading"  # or "list" (enumerated things, not actions)
    end: int = 0
    children: list[int] = field(default_factory=list)


# the value of a one-character numeral, most enumerators' (what _cn_int gives, looked up)
_ONE_NUMERAL = {c: _cn_int(c) for c in "〇零一二两三四五六七八九十0123456789"}


def _boundary(text: str, pos: int) -> tuple[int, bool]:
    j = pos - 1
    while j >= 0 and text[j] in _HSPACE:
        j -= 1
    if j < 0 or text[j] == "\n":
        return 2, False
    if j < pos - 1:
        return 1, False
    ch = text[j]
    if ch in "。；;：:！？!?":
        return 1, False
    if ch in "，,、":
        return 0, True
    return 0, False


def _content_after(text: str, end: int) -> bool:
    n = len(text)
    k = end
    while k < n and text[k] in _SPACE:
        k += 1
    return k < n and text[k] not in _BAD_AFTER


def _enum_matches(text: str) -> Iterator[re.Match[str]]:
    """``_ENUM.finditer(text)``, trying _ENUM only where _ENUM_AT says it can start (about one
    character in 250). The starts come in text order: between a number and its separator
    there are only digits and a space, none of which is a hit."""
    match = _ENUM.match
    end = 0
    for h in _ENUM_AT.finditer(text):
        p = h.start()
        starts: tuple[int, ...] = (p,)
        if text[p] in _ENUM_SEPS:  # the separator after 1 or 2 digits: either can start
            last = p - 2 if text[p - 1] in " \u3000" else p - 1
            if last > 0 and text[last - 1].isdecimal():  # str.isdecimal is what \d matches
                starts = (last - 1, last)
            else:
                starts = (last,)
        for p in starts:
            if p < end:  # finditer's matches do not overlap
                continue
            m = match(text, p)
            if m:
                end = m.end()
                yield m


def _candidates(text: str, masked: list[tuple[int, int]]) -> list[_Cand]:
    out: list[_Cand] = []
    starts = [m[0] for m in masked]
    for m in _enum_matches(text):
        pos = m.start()
        if starts:
            i = bisect.bisect_right(starts, pos) - 1
            if i >= 0 and masked[i][0] <= pos < masked[i][1]:
                continue
        style = m.lastgroup
        if style is None:
            continue
        if style == "G":
            num = m.group("g")
            style = "G" + m.group("gk")
        elif style == "E":
            num = None
        else:
            num = m.group(style.lower())
        if num is None:
            val = ord(m.group("E")) - 0x2460 + 1
        else:
            val = _ONE_NUMERAL.get(num)
            if val is None:
                val = _cn_int(num)
        if val is None or val <= 0:
            continue
        mend = m.end()
        if not _content_after(text, mend):
            continue
        b, comma = _boundary(text, pos)
        prev = text[pos - 1] if pos > 0 else ""
        if style == "F":
            if prev and prev in _F_BAD_PREV:
                continue
            if comma:
                b = 1
        if style == "A" and (prev == "第" or _CN_LIST_NEXT.match(text, mend)):
            continue  # 第一、 / 一、二、三产业
        if style[0] == "G":
            # 第五条 opening an article, not a reference to one (依照本办法第五条规定, 第五条“申请条件”)
            if _REF_AFTER.match(text, mend) or (prev and prev in _REF_BEFORE):
                continue
            if b == 0 and not (prev and prev in "）)》”」』】"):
                continue
        if style == "J" and b == 0:
            continue  # 1) only opening a line or a sentence
        if style == "K":
            if comma:
                b = 1
            if b == 0:
                continue
        out.append(_Cand(pos, mend, style, val, b, m.group(0).strip(), comma))
    return out


def _speech_matches(text: str) -> Iterator[re.Match[str]]:
    """``speech.finditer(text)``: a speech point is a line that opens with its speaker and verb,
    so only the lines holding a verb are tried (the regex would be entered at every character)."""
    r = _rules()
    speech, verb, words = r["speech"], r["speech_verb"], r["speech_words"]
    if words is not None:  # found by their first characters with str.find, faster than a regex scan
        starts = sorted({text.rfind("\n", 0, i) + 1 for c in {w[0] for w in words} for i in _literal_at(text, c)
                         if verb.match(text, i)})
    else:
        starts = sorted({text.rfind("\n", 0, v.start()) + 1 for v in verb.finditer(text)})
    for ls in starts:
        m = speech.match(text, ls)
        if m:
            yield m


def _line_heads(text: str, masked: list[tuple[int, int]]) -> list[_Cand]:
    """Unnumbered one-line sub-heads (bold headings of web pages) and speech points."""
    r = _rules()
    lines: list[tuple[int, int, str]] = []  # (start, end, stripped text) of the non-blank lines
    pos = 0
    for seg in text.split("\n"):
        t = seg.strip()
        if t:
            lines.append((pos, pos + len(seg), t))
        pos += len(seg) + 1
    mstarts = [a for a, _ in masked]
    heads: list[_Cand] = []
    for i in range(1, len(lines) - 1):
        s, e, t = lines[i]
        if not 4 <= len(t) <= 40 or t[-1] in _TERMINAL:
            continue
        # the cheap tests first (all of them must pass)
        prev, nxt = lines[i - 1][2], lines[i + 1][2]
        if len(prev) < 25 or prev[-1] not in _PARA_END or not (len(nxt) >= 40 or (len(nxt) >= 15 and nxt[-1] in _PARA_END)):
            continue
        k = bisect.bisect_right(mstarts, s) - 1
        if k >= 0 and masked[k][0] <= s < masked[k][1]:
            continue
        if _ENUM.match(t) or r["furniture"].search(t) or _DATE_RE.search(t):
            continue
        if len(_CJK.findall(t)) < 0.7 * len(t):
            continue
        if r["furniture"].search(prev[:30]) or r["furniture"].search(nxt[:20]):
            continue
        off = s + (len(text[s:e]) - len(text[s:e].lstrip()))
        heads.append(_Cand(off, off, "H", None, 2, "", heading_end=off + len(t)))
    if len(heads) < 2:
        heads = []
    speech: list[_Cand] = []
    for m in _speech_matches(text):
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        sent = _SENT_END.search(text, m.end(), eol)
        hend = sent.start() if sent else eol
        if not _DIRECTIVE.search(text[m.end():hend]):
            continue
        off = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        speech.append(_Cand(off, m.end(), "S", None, 2, "", heading_end=hend, hstart=m.end()))
    if len(speech) < 3:
        speech = []
    return heads + speech


# --------------------------------------------------------------------------- barriers


def _literal_at(text: str, lit: str) -> Iterator[int]:
    """Offsets of ``lit`` in ``text`` (str.find: much faster than a regex scan)."""
    i = text.find(lit)
    while i >= 0:
        yield i
        i = text.find(lit, i + 1)


def _lines_with(text: str, lit: str) -> Iterator[int]:
    """Start offsets of the lines that contain ``lit``."""
    i = text.find(lit)
    while i >= 0:
        yield text.rfind("\n", 0, i) + 1
        eol = text.find("\n", i)
        if eol < 0:
            return
        i = text.find(lit, eol)


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterator[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches can only start at ``starts``
    (ascending): the text between them is never scanned."""
    end = 0
    for i in starts:
        if i < end:  # finditer's matches do not overlap
            continue
        m = pattern.match(text, i)
        if m:
            end = max(m.end(), i + 1)
            yield m


_WS = re.compile(r"\s")


def finditer_before(pattern: re.Pattern[str], text: str, lit: str, reach: int | None,
                    after: re.Pattern[str], at: Iterable[int] | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, scanning only the stretches around each ``lit``.

    For a pattern whose every match contains ``lit`` (a signature's date ends in 日), starting at
    most ``reach`` characters before it, whitespace not counted, and reading (lookaheads too) no
    further after it than ``after`` matches, plus one character. Overlapping stretches are
    merged, so the leftmost, non-overlapping matches finditer picks in a stretch are the ones it
    picks in the whole text. ``reach`` None: the whole text is scanned. ``at``: the offsets of
    the ``lit`` that a match can hold (ascending; default: every ``lit`` in the text).
    """
    if reach is None:
        yield from pattern.finditer(text)
        return
    n = len(text)
    stretches: list[list[int]] = []
    for d in _literal_at(text, lit) if at is None else at:
        lo = d - reach
        while lo > 0:  # widen by the whitespace inside the stretch until that is stable
            wider = d - reach - len(_WS.findall(text, lo, d))
            if wider >= lo:
                break
            lo = wider
        lo = max(0, lo)
        while lo > 0 and text[lo - 1].isspace():  # whitespace right before the stretch counts too
            lo -= 1
        lo = max(0, lo - 1)
        hi = min(n, after.match(text, d + len(lit)).end() + 1)
        if stretches and lo <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], hi)
        else:
            stretches.append([lo, hi])
    for lo, hi in stretches:
        yield from pattern.finditer(text, lo, hi)


_SIG_AFTER = re.compile(r"[ \t\u3000]*(?:印发)?")  # what a signature reads after its date's 日


_DATE_CN_DIGITS = set("一二三四五六七八九十")  # with \d (str.isdecimal), what _DATE reads between 月 and 日


def _date_days(text: str) -> Iterator[int]:
    """Offsets of the 日 that can end a _DATE (月, 1 to 3 numerals, 日, whitespace between): the
    other 日 (今日, 日常, 节假日 …) hold no signature, and their stretches cost a regex scan."""
    for d in _literal_at(text, "日"):
        j = d - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        k = j
        while k >= 0 and j - k < 4 and (text[k] in _DATE_CN_DIGITS or text[k].isdecimal()):
            k -= 1
        if not 1 <= j - k <= 3:
            continue
        while k >= 0 and text[k].isspace():
            k -= 1
        if k >= 0 and text[k] == "月":
            yield d


def _signature_matches(text: str) -> Iterator[re.Match[str]]:
    """``signature.finditer(text)``: every signature ends in its date, the date in 日."""
    r = _rules()
    return finditer_before(r["signature"], text, "日", r["signature_reach"], _SIG_AFTER, _date_days(text))


def _barriers(text: str) -> tuple[list[tuple[int, int, str]], list[int], dict[int, str | None]]:
    """Signature blocks and attachment lists/bodies: (spans with kind, stack reset points,
    attachment body starts with the title the list gives them)."""
    r = _rules()
    sigs: list[tuple[int, int, str]] = []
    for m in _signature_matches(text):
        after = text[m.end():m.end() + 8]
        if _AFTER_DATE_BAD.match(after):
            continue
        iss = m.group("iss")
        start = m.start("iss")
        # the issuer lines are short: keep only the trailing lines of at most 40 chars each
        parts = iss.split("\n")
        keep = []
        for p in reversed(parts):
            if len(p.strip()) > 40:
                break
            keep.append(p)
        if not keep:
            continue
        start = m.start("iss") + len(iss) - len("\n".join(reversed(keep)))
        while start < m.end() and text[start] in _SPACE:
            start += 1
        sigs.append((start, m.end(), "signature"))
    resets = [e for _, e, _ in sigs]
    atts: list[tuple[int, int, str]] = []
    bodies: dict[int, str | None] = {}
    sig_starts = sorted(s for s, _, _ in sigs)
    for na, m in enumerate(_matches_at(_ATT, text, _literal_at(text, "附"))):
        if na >= 20:  # a real notice lists a handful; more is a table or noise
            break
        s = m.start()
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        stop = text.find("。", m.end(), eol)
        end = eol = min(eol, stop if stop >= 0 else eol, m.end() + 300)
        k = bisect.bisect_right(sig_starts, s)
        if k < len(sig_starts):
            end = min(end, sig_starts[k])
        # attachment bodies repeating a listed title (附件：1.X 2.Y … then 附件1 X …) end the list
        seg = text[m.end():end]
        marks = list(_ATT_ITEM_SPLIT.finditer(seg))
        if marks:
            listed = [(mk.group(1), seg[mk.end():(marks[i + 1].start() if i + 1 < len(marks) else len(seg))])
                      for i, mk in enumerate(marks)]
        else:
            listed = [("", seg)]
        first_body = None
        for num, t in listed[:10]:
            t = re.split(r"附[ \t\u3000]*[件表]", t, maxsplit=1)[0].strip(" \t\u3000《》“”")
            key = t[:8]
            if len(key) < 4:
                continue
            body = re.compile(r"附[ \t\u3000]*[件表][ \t\u3000]*" + (re.escape(num) if num else r"[\d-]{0,5}")
                              + r"[ \t\u3000:：.．]*《?" + re.escape(key))
            bm = body.search(text, m.end() + 1)
            if bm and bm.start() > m.start():
                bodies.setdefault(bm.start(), t)
                first_body = bm.start() if first_body is None else min(first_body, bm.start())
        if first_body is not None and first_body < end:
            end = first_body
        # multi-line lists: following short numbered lines
        while True:
            c = _LIST_CONT.match(text, end)
            if not c or eol != end:
                break
            end = c.end()
            eol = end
        atts.append((s, end, "attachment"))
    # a line reading just 附件 / 附件2 after the signature (or after the attachment list) opens a body
    last_sig = sigs[-1][1] if sigs else None
    first_att = atts[0][1] if atts else None
    for m in _matches_at(_ATT_ALONE, text, _lines_with(text, "附")):
        if any(s <= m.start() < e for s, e, _ in atts):
            continue
        if (last_sig is not None and m.start() >= last_sig - 1) or (last_sig is None and first_att is not None
                                                                    and m.start() >= first_att):
            bodies.setdefault(m.start(), None)
    spans = sorted(sigs + atts)
    # drop overlaps (keep the earlier span)
    clean: list[tuple[int, int, str]] = []
    for sp in spans:
        if clean and sp[0] < clean[-1][1]:
            continue
        clean.append(sp)
    for b in sorted(bodies):
        clean.append((b, b, "attachment_body"))
    resets.extend(bodies)
    return sorted(clean), sorted(set(resets)), bodies


# --------------------------------------------------------------------------- parsing


def _has_next(index: dict[tuple[str, int], list[int]], c: _Cand) -> bool:
    """A later candidate of the same style continues the sequence (value + 1) nearby."""
    pos = index.get((c.style, (c.value or 0) + 1))
    if not pos:
        return False
    j = bisect.bisect_right(pos, c.pos)
    return j < len(pos) and pos[j] <= c.pos + _WINDOW.get(c.style[0], 3000)


# up to the last clause (sentence) end of a string: a greedy .* backs off from the end to it,
# which is cheaper than one rfind per punctuation character
_LAST_CLAUSE_END = re.compile(r".*[。；;！？!?\n，,：:]", re.S)
_LAST_SENT_END = re.compile(r".*[。；;！？!?\n]", re.S)


def _lead_in(text: str, pos: int, style: str) -> str | None:
    """The clause introducing a list that starts at ``pos`` when it announces the list."""
    k = pos - 1
    while k >= 0 and text[k] in _SPACE:
        k -= 1
    if k < 0:
        return None
    end_ch = text[k]
    label = _LABEL_BEFORE.search(text, max(0, k - 6), k + 1)
    if label:
        return "注"  # a 备注/注 list holds notes
    if end_ch in "：:" or (style == "F" and end_ch in "。；;"):
        lo = max(0, k - 300)
        seg = text[lo:k]
        m = _LAST_CLAUSE_END.match(seg)
        clause = seg[m.end():] if m else seg
        # 有下列情形之一的，不予支持： the conditions are announced earlier in the sentence
        m = _LAST_SENT_END.match(seg)
        scut = m.end() - 1 if m else -1
        if end_ch in "：:" and _rules()["lead_sentence"].search(seg[scut + 1:]):
            return "下列条件：" + clause
        return clause
    return None


def _parse(text: str, cands: list[_Cand], resets: list[int], seg_roots: list[tuple[int, int]]) -> list[_Item]:
    """Accept the candidates that form numbered sequences and give each its level and parent.

    A stack holds the open lists, outermost first. A candidate continues a list on the stack
    (value + 1), restarts one (value 1, confirmed by a following 2), opens a nested list, or
    continues a list closed by a new parent ((一) 1. 2. (二) 3.). Glued candidates (no space or
    punctuation before them) are accepted only when the sequence confirms them.
    """
    r = _rules()
    items: list[_Item] = []
    stack: list[dict[str, Any]] = []
    list_counter = 0
    ri = 0
    root_pos = [p for p, _ in seg_roots]
    index: dict[tuple[str, int], list[int]] = {}
    for c in cands:
        if c.value is not None:
            index.setdefault((c.style, c.value), []).append(c.pos)
    popped: dict[str, dict[str, Any]] = {}
    last_reset = 0

    def _pop(i: int) -> None:
        for d, e in enumerate(stack[i:], start=i):
            popped[e["style"]] = e | {"depth": d}
        del stack[i:]

    for k, c in enumerate(cands):
        while ri < len(resets) and resets[ri] <= c.pos:
            stack = []
            popped = {}
            last_reset = resets[ri]
            ri += 1
        j = bisect.bisect_right(root_pos, c.pos) - 1
        seg_root = seg_roots[j][1] if j >= 0 else None
        idx = None
        for i, e in enumerate(stack):
            if e["style"] == c.style:
                idx = i
                break
        accept = False
        new_list = False
        cont = popped.get(c.style)
        if idx is None and cont and c.value == cont["last"] + 1 and (c.boundary >= 1 or (not c.comma and cont["runon"])) and (
                cont["depth"] == len(stack) or (c.boundary == 2 and cont["depth"] > len(stack))):
            # numbering that runs on across parents: (一) 1. 2. (二) 3. 4.
            list_counter_keep = cont["list"]
            parent = stack[-1]["item"] if stack else None
            stack.append(dict(cont, item=len(items), last=c.value))
            top = stack[-1]
            it = _Item(c, len(stack), parent, seg_root, list_counter_keep, role=top["role"])
            items.append(it)
            popped.pop(c.style, None)
            continue
        if (idx is None and c.boundary == 2 and c.value and c.value > 1 and stack and c.style in _RANK
                and stack[0]["style"] in _RANK and _RANK[c.style] < _RANK[stack[0]["style"]]):
            # a higher-level heading of a page that starts mid-document
            for e in stack:
                popped[e["style"]] = e | {"depth": stack.index(e)}
            stack = []
            list_counter += 1
            stack.append({"style": c.style, "last": c.value, "item": len(items), "list": list_counter,
                          "runon": False, "role": "heading"})
            items.append(_Item(c, 1, None, seg_root, list_counter))
            continue
        if c.style == "H" and idx is None and stack and stack[-1]["style"] not in ("H", "S"):
            continue  # unnumbered paragraph titles inside a numbered section: the section is the measure
        if c.style in ("H", "S"):
            accept = True
            new_list = idx is None
        elif idx is not None:
            e = stack[idx]
            if c.value == e["last"] + 1 and (c.boundary >= 1 or not c.comma or e["runon"]):
                accept = True
            elif c.value == 1 and (c.boundary == 2 or (c.boundary == 1 and _has_next(index, c))
                                   or (c.boundary == 0 and c.style != "A" and _has_next(index, c))):
                accept = True
                new_list = True
        else:
            if c.value == 1:
                if c.boundary == 2 or (c.boundary == 1 and _has_next(index, c)):
                    accept = True
                elif c.boundary == 0 and (c.style != "A" or c.pos - last_reset <= 80) and _has_next(index, c):
                    accept = True  # 一、 glued only right after an attachment title
            elif c.boundary == 2 and not stack and not items and _has_next(index, c):
                accept = True  # a truncated page that starts at (二)
            new_list = accept
        if not accept:
            continue
        if new_list:
            list_counter += 1
            if idx is not None:
                _pop(idx)
            parent = stack[-1]["item"] if stack else None
            lead = _lead_in(text, c.pos, c.style) if c.style not in ("H", "S") else None
            # ① runs are the finest detail (conditions, examples): the item above is the measure
            role = "list" if c.style == "E" and stack else "heading"
            if lead and ((r["lead_bg"].search(lead) and not r["lead_action"].search(lead))
                         or r["lead_things"].search(lead)):
                role = "list"
            stack.append({"style": c.style, "last": c.value or 0, "item": len(items), "list": list_counter,
                          "runon": c.boundary == 0, "role": role})
        else:
            _pop(idx + 1)
            parent = stack[idx - 1]["item"] if idx > 0 else None
            stack[idx]["last"] = c.value or 0
            stack[idx]["item"] = len(items)
        top = stack[-1]
        it = _Item(c, len(stack), parent, seg_root, top["list"], role=top["role"])
        if parent is not None and items[parent].seg_root != seg_root:
            it.parent = None
        items.append(it)
    return items


def _heading(text: str, c: _Cand, limit: int, flat: bool = False) -> tuple[str, bool, int]:
    """Lead clause after the enumerator: (heading, ended by sentence punctuation, end offset)."""
    if c.heading_end is not None:
        hs = c.hstart if c.hstart is not None else c.pos
        return text[hs:c.heading_end].strip(), c.style == "S", c.heading_end
    s = c.end
    n = min(limit, len(text))
    while s < n and text[s] in _SPACE:
        s += 1
    m = _HEAD_END.search(text, s, n)
    e = m.start() if m else n
    term = bool(m) and text[m.start()] in "。；;！？!?"
    # a run of spaces after a CJK phrase marks a flattened line break
    # (the first one 4 or more characters in: a break cannot start inside an earlier one, which
    # holds the whole space run, so searching from s + 4 finds the one finditer would)
    ms = _SPACE_BREAK.search(text, s + 4, e)
    if ms:
        e = ms.start()
        term = False
    if flat:
        # flattened page: a title runs straight into a dated sentence (…活动2013年春节前，…)
        comma = _FIRST_CLAUSE.search(text, s, e)
        md = _GLUED_DATE.search(text, s + 6, comma.start() if comma else e)
        if md:
            e = md.start()
            term = False
    if e - s > 200:
        e = s + 200
        term = False
    return text[s:e].strip().rstrip("，,：:、"), term, e


# --------------------------------------------------------------------------- public


def find_structure(text: str, ctx: DocContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (sections, measures) for normalized ``text``; never raises."""
    try:
        return _find_structure(text or "", ctx)
    except Exception:  # noqa: BLE001 - a component must never break the pipeline
        return ([{"id": "s1", "level": 0, "enumerator": None, "heading": None, "kind": "body",
                  "span": [0, len(text or "")], "parent": None}] if text else []), []


def _find_structure(text: str, ctx: DocContext | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not text.strip():
        return [], []
    r = _rules()
    n = len(text)
    barriers, resets, body_titles = _barriers(text)
    masked = [(s, e) for s, e, k in barriers if k != "attachment_body"]
    masked += [(m.start(), m.end()) for m in _matches_at(_TABLE_ROW, text, _lines_with(text, "\t"))]  # table cells
    masked.sort()
    att_bodies = [s for s, e, k in barriers if k == "attachment_body"]
    cands = _candidates(text, masked) + _line_heads(text, masked)
    cands.sort(key=attrgetter("pos", "style"))
    # de-duplicate candidates at the same position (keep numbered)
    uniq: list[_Cand] = []
    for c in cands:
        if uniq and uniq[-1].pos == c.pos:
            continue
        uniq.append(c)
    cands = _drop_boxes(text, uniq)

    sections: list[dict[str, Any]] = []

    def add(kind: str, span: tuple[int, int], level: int = 0, enumerator: str | None = None,
            heading: str | None = None, parent: str | None = None) -> int:
        sections.append({"id": f"s{len(sections) + 1}", "level": level, "enumerator": enumerator,
                         "heading": heading, "kind": kind, "span": [span[0], span[1]], "parent": parent})
        return len(sections) - 1

    # attachment bodies become top-level sections that hold their own headings
    seg_roots: list[tuple[int, int]] = []
    for b in att_bodies:
        eol = text.find("\n", b)
        if 0 <= eol - b <= 8:  # 附件1 on its own line, the title on the next
            nxt_eol = text.find("\n", eol + 1)
            eol = nxt_eol if nxt_eol >= 0 else n
        title_end = eol if 0 <= eol - b <= 80 else b + min(40, n - b)
        later_bodies = [x for x in att_bodies if x > b]
        end = later_bodies[0] if later_bodies else n
        listed = body_titles.get(b)
        if listed:
            label = _ATT_LABEL.match(text, b)
            head = f"{label.group(0).strip(' :：.．')} {listed}" if label else listed
        else:
            head = re.sub(r"\s*\n\s*", " ", text[b:title_end].strip())
        idx = add("attachment", (b, end), heading=head[:60])
        seg_roots.append((b, idx))

    items = _parse(text, cands, resets, seg_roots)

    # ends: next item at the same or a higher level, a barrier, or the segment end
    stops = sorted({s for s, _, k in barriers if k != "attachment_body"} | set(att_bodies) | set(resets) | {n})
    open_: list[int] = []
    for i, it in enumerate(items):
        p = it.cand.pos
        # close everything beyond a barrier/reset first
        while open_:
            top = items[open_[-1]]
            k = bisect.bisect_right(stops, top.cand.pos)
            stop = stops[k] if k < len(stops) else n
            if stop <= p:
                top.end = stop
                open_.pop()
                continue
            break
        while open_ and items[open_[-1]].level >= it.level and (
                items[open_[-1]].seg_root == it.seg_root):
            items[open_.pop()].end = p
        # anything left open from another segment closes too
        while open_ and items[open_[-1]].seg_root != it.seg_root:
            items[open_.pop()].end = p
        open_.append(i)
    for i in open_:
        top = items[i]
        k = bisect.bisect_right(stops, top.cand.pos)
        top.end = stops[k] if k < len(stops) else n
    for i, it in enumerate(items):
        if it.parent is not None:
            items[it.parent].children.append(i)
        if it.cand.style in ("F", "S"):
            eol = text.find("\n", it.cand.end, it.end)  # bounded: a flattened page has no newline to find
            if 0 <= eol < it.end:
                it.end = eol
        if it.end <= it.cand.pos:
            it.end = min(n, it.cand.end)

    # headings
    flat = text.count("\n") * 400 < n  # a page flattened into one line: headings run into their text
    starts = [it.cand.pos for it in items]
    heads: list[tuple[str, bool, int]] = []
    for i, it in enumerate(items):
        nxt = starts[i + 1] if i + 1 < len(items) else n
        heads.append(_heading(text, it.cand, min(nxt, it.end) if it.end > it.cand.end else nxt, flat))

    # top-level tiling: preamble, barriers, items
    first = items[0].cand.pos if items else None
    top_spans = [(s, e, k) for s, e, k in barriers if k in ("signature", "attachment")]
    pre_end = min([first] + [s for s, _, _ in top_spans] if first is not None else [s for s, _, _ in top_spans] or [n])
    if pre_end > 0 and text[:pre_end].strip():
        add("preamble" if items else "body", (0, pre_end))
    for s, e, k in top_spans:
        add(k, (s, e), heading=re.sub(r"\s+", " ", text[s:e].strip())[:60])
    sec_of_item: list[int] = []
    seg_sec = {idx: idx for _, idx in seg_roots}
    for i, it in enumerate(items):
        parent = sec_of_item[it.parent] if it.parent is not None else seg_sec.get(it.seg_root) if it.seg_root is not None else None
        h = heads[i][0]
        sec = add("heading", (it.cand.pos, it.end), level=it.level, enumerator=it.cand.enum or None,
                  heading=h, parent=sections[parent]["id"] if parent is not None else None)
        if it.role == "list":
            sections[sec]["list"] = True
        sec_of_item.append(sec)
    # unstructured stretches between top-level parts (the plan's title and lead after a cover letter)
    tops = sorted((sec["span"][0], sec["span"][1]) for sec in sections if sec["parent"] is None)
    pos = 0
    for a, b in tops + [(n, n)]:
        if a > pos and text[pos:a].strip():
            first_line = text[pos:a].strip().split("\n", 1)[0].strip()
            add("body", (pos, a), heading=first_line[:40] if len(first_line) <= 40 else None)
        pos = max(pos, b)

    # measures
    bulletin = _is_bulletin(text, ctx)
    standard = _is_standard(text, ctx)
    excluded = [False] * len(items)
    scope_only = [False] * len(items)
    squeezed = [_squeeze(hd[0]) for hd in heads]
    form_roots: dict[int, bool] = {}  # attachment section -> holds a form (its title, tested once)
    for i, it in enumerate(items):
        h = squeezed[i]
        title = h.rstrip("。；;")
        # the cheap tests first: the title is read only for an item none of them excludes
        p = it.parent
        bad = it.role == "list" or not h or (p is not None and excluded[p])
        if not bad and p is not None and scope_only[p] and not any(items[c].role != "list" for c in it.children):
            bad = True  # the items a scope section enumerates
        if not bad and it.seg_root is not None:
            if it.seg_root not in form_roots:
                form_roots[it.seg_root] = bool(_FORM_TITLE.search(sections[it.seg_root]["heading"] or ""))
            bad = form_roots[it.seg_root]  # forms and tables appended to a notice hold no measures
        if not bad:
            bad = _is_background(title, flat and not it.children)
        excluded[i] = bad
        # a scope section (实施范围, 救助对象) is no measure itself, but procedures under it can be
        if not bad and r["scope"].search(title):
            scope_only[i] = True
    measures: list[dict[str, Any]] = []
    for i, it in enumerate(items):
        if excluded[i] or scope_only[i]:
            continue
        _h, term, hend = heads[i]
        hs = squeezed[i]
        if (bulletin and it.cand.style != "F") or standard:
            continue
        kids = [c for c in it.children if items[c].role != "list"]
        if kids:
            own = items[kids[0]].cand.pos - hend
            depth = 0
            p = it.parent
            while p is not None:
                depth += 1
                p = items[p].parent
            sentence = term and 25 <= len(hs) <= 150 and bool(_ADDRESSED.search(hs))
            # a heading with a substantial directive text of its own before its sub-items acts itself
            if not (sentence or (depth >= 1 and own >= 300) or (term and own >= 200)):
                continue
        elif r["definitional"].search(hs) or _QUESTION.search(text, hend, hend + 1) or hs.startswith("问"):
            continue  # definitions; the questions of a Q&A
        if it.cand.style == "G条" and r["article_not"].search(hs):
            continue  # articles of conditions, legal liability and entry into force prescribe no action
        path = []
        p = it.parent
        while p is not None:
            path.append((items[p].cand.enum or "") + squeezed[p])
            p = items[p].parent
        mid = f"m{len(measures) + 1}"
        sections[sec_of_item[i]]["measure"] = mid
        measures.append({"id": mid, "heading": hs, "text": text[it.cand.pos:it.end].strip(),
                         "path": path[::-1], "span": [it.cand.pos, it.end]})
    return _in_text_order(sections), measures


# what box_heading reads after 专栏 (a number of up to 3 characters), to bound finditer_before
_BOX_AFTER = re.compile(r"[ \t\u3000]*.{0,3}")


def _drop_boxes(text: str, cands: list[_Cand]) -> list[_Cand]:
    """专栏 boxes of a plan (专栏1 重点工程 …) list projects, not measures: drop their heading and
    the items inside. A box runs to the next heading that continues the numbering before it."""
    box = _rules()["box"]
    if "专栏" not in text:
        return cands
    starts = [m.start() + len(m.group(0)) - len(m.group(0).lstrip())
              for m in finditer_before(box, text, "专栏", 0, _BOX_AFTER)]
    if not starts:
        return cands
    out: list[_Cand] = []
    last: dict[str, int] = {}
    i, n = 0, len(cands)
    bi = 0
    while i < n:
        c = cands[i]
        if bi < len(starts) and starts[bi] <= c.pos:
            b = starts[bi]
            bi += 1
            seen_one: set[str] = set()
            # skip the box heading and its content
            while i < n:
                c = cands[i]
                if c.pos > b + 2 and c.style in last and c.value == last[c.style] + 1 \
                        and c.style not in seen_one:
                    break
                if c.pos > b + 2 and (bi < len(starts) and c.pos >= starts[bi]):
                    break
                if c.value == 1:
                    seen_one.add(c.style)
                i += 1
            continue
        if c.value is not None:
            last[c.style] = c.value
        out.append(c)
        i += 1
    return out


def _in_text_order(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sections sorted by position (parents before children), ids renumbered s1, s2 … (the
    section dicts are changed in place)."""
    keys = sorted([(sec["span"][0], sec["level"], i) for i, sec in enumerate(sections)])
    out = [sections[k[2]] for k in keys]
    new_id = {sec["id"]: f"s{k + 1}" for k, sec in enumerate(out)}
    for sec in out:
        sec["id"] = new_id[sec["id"]]
        if sec.get("parent"):
            sec["parent"] = new_id.get(sec["parent"])
    return out


def _squeeze(s: str) -> str:
    """``s`` without whitespace (str.split() splits at exactly what ``\\s`` matches)."""
    return "".join(s.split())


def _is_background(title: str, flat: bool = False) -> bool:
    """Background sections (目标, 基本情况, 存在的问题 …) yield no measures, also when the
    heading runs straight into its text in flattened pages (基本情况截止2022年底…)."""
    bg = _rules()["background"]
    if bg.search(title):
        return True
    if not flat:
        return False
    m = _FIRST_CLAUSE.search(title)
    first = title[:m.start()] if m else title
    if len(first) >= 6 and bg.may_match_prefix(first[:8]):
        # the heading is a short title and the rest a sentence (long, or carrying figures)
        return any(bg.search(first[:k]) and (len(first) - k >= 2 or _DIGIT.search(first, k))
                   for k in range(2, 9))
    return False


def _is_standard(text: str, ctx: DocContext | None) -> bool:
    """Technical standards (测评标准, 技术规范) describe procedures, not policy measures."""
    meta = getattr(ctx, "meta", None) or {}
    title = meta.get("title") or text[:300]
    return bool(_rules()["standard"].search(title))


def _is_bulletin(text: str, ctx: DocContext | None) -> bool:
    """Statistical bulletins report figures; only their explicit 一是… runs are measures."""
    r = _rules()
    meta = getattr(ctx, "meta", None) or {}
    title = meta.get("title") or ""
    doc_type = meta.get("doc_type") or ""
    if title:
        return bool(r["bulletin"].search(title)) or "统计" in doc_type
    # no title known: a line of its own near the top naming the bulletin
    return any(r["bulletin"].search(ln) and len(ln) <= 60 and not ln.startswith(("根据", "据"))
               for ln in text[:600].splitlines())


def measure_of(measures: list[dict[str, Any]], span: list[int] | tuple[int, int]) -> str | None:
    """Id of the innermost measure whose span contains ``span`` (measures in text order)."""
    if not measures or not span:
        return None
    starts = [m["span"][0] for m in measures]
    i = bisect.bisect_right(starts, span[0]) - 1
    while i >= 0:
        m = measures[i]
        if m["span"][0] <= span[0] and span[1] <= m["span"][1]:
            return m.get("id")
        i -= 1
    return None


def format_outline(sections: list[dict[str, Any]]) -> str:
    """Indented tree of the sections, one heading per line, with measure ids."""
    lines: list[str] = []
    depth: dict[str, int] = {}
    for s in sections:
        d = depth.get(s.get("parent") or "", -1) + 1 if s.get("parent") else 0
        depth[s["id"]] = d
        kind = s.get("kind")
        if kind == "heading":
            enum = s.get("enumerator") or ""
            label = f"{enum}{' ' if enum.startswith('第') else ''}{s.get('heading') or ''}"
        else:
            head = (s.get("heading") or "").replace("\n", " ")
            label = f"[{kind}]" + (f" {head}" if head else "")
        tag = f"  [{s['measure']}]" if s.get("measure") else ""
        lines.append("  " * d + label[:80] + tag)
    return "\n".join(lines)

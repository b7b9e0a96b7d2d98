"""Metrics: quantities with value, unit, comparator, kind, name and subject (issue 4).

Numbers and units come from ``rules.quantity`` (data-driven regex); this module decides which of
them are metrics (annotation.md: not dates, 文号, ordinals, slogans, titles) and names them from
the clause around the number: the noun phrase before it (走访企业3340家), or after it for counts
(派出12个服务工作组), or, for a bare change (同比增长5.3%), the previous figure's name plus the
verb. Cue words live in ``data/metric_cues.tsv``, ``data/metric_kinds.tsv``,
``data/metric_names.tsv`` and ``data/slogans.txt``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import operator
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from ..rules.numbers import ARABIC, parse_number
from ..rules.quantity import Quantity, comparator_cues, iter_quantities
from ..rules.quantity import _pre_re as _pre_cue_re
from .context import DocContext

# clause breaks for names; sentence breaks for subject / kind / as_of
_HARD_BREAK = "，,。；;：:！？!?\n\t|"
_HARD_BREAK_RE = re.compile(r"[，,。；;：:！？!?\n\t|]")
_HARD_BREAK_CHARS = frozenset(_HARD_BREAK) | {""}  # "" : the text ends there
_LAST_HARD_BREAK_RE = re.compile(r"[，,。；;：:！？!?\n\t|][^，,。；;：:！？!?\n\t|]*\Z")  # the last one before endpos
_SENT_BREAK = "。；;！？!?\n"
_SENT_BREAK_RE = re.compile(f"[{_SENT_BREAK}]")
_PAREN_RE = re.compile(r"[（(][^（）()]{0,40}[)）]")
_QUOTE_CHARS = "“”\"「」『』‘’《》〈〉【】"
_QUOTE_DEL = str.maketrans("", "", _QUOTE_CHARS)
_QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{0,12})[”\"」』]")
_TITLE_RE = re.compile(r"《[^《》\n]{0,80}》")
_UNITLESS_END = r"(?![\d.%％‰:：/万亿千百元个家项人倍年月日天号])"
# (patterns that open with an alternation of plain words: the engine jumps to where a word starts)
_BARE_RATIO_RE = re.compile(
    rf"(?:性别比|指数|系数|比率|比例|收入比|倍差|满意度|得分|评分|容积率)"
    rf"(?:为|是|达到|达|从|由|缩小至|扩大至|提升至|提高至|提高到|下降至|降至|升至|不大于|不小于|不超过|不低于|不高于|大于|小于)?"
    rf"(?P<num>{ARABIC}){_UNITLESS_END}"
    rf"(?:(?:缩小|扩大|提升|提高|下降|降低|增加|上升|调整)(?:至|到|为)(?P<num2>{ARABIC}){_UNITLESS_END})?")
_RATIO_CHAIN_RE = re.compile(
    rf"(?:比重|比例|结构|占比)(?:调整)?(?:为|是|由)?(?:[^\d\n，,。；]{{0,12}})?"
    rf"(?P<chain>\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?){{1,3}})(?![\d.:：])")
_LIST_BEFORE_RE = re.compile(r"((?:\d+\.\d+|\d+)、)+$")
_SLASH_FRACTION_RE = re.compile(r"(?<![\d/.])(\d{1,3})/(\d{1,3})(?![\d/])")
_DIGIT_SLASH_RE = re.compile(r"/(?<=\d/)(?=\d)")  # opens with "/": the engine jumps from slash to slash
_CHANGE_PREFIX_RE = re.compile(
    r"^(?:(?:同比|与上年|与去年|比上年末?|比去年(?:同期)?|比上年同期|较上年末?|较去年(?:同期)?|与上年相比|比\d{4}年(?:末)?|较\d{4}年(?:末)?"
    r"|按可比价(?:格)?计算|扣除价格因素|实际|名义|分别|全年|累计|平均|年均)[,，]?)+")
_CHANGE_PREFIX_FIRST = frozenset("同与比较按扣实名分全累平年")  # what a _CHANGE_PREFIX_RE match can start with
_ENUM_PREFIX_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])")
_AS_OF_RE = re.compile(r"(?:截至|截止|截止到|截至到)(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
_OPEN_PAREN_RE = re.compile(r"[（(]")
_NUM_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?")
#: 共 as "in all" (not 公共, 共同, 共享, 共建 …). The character before is checked after 共 is read
#: ((?<![公总一]共), same test as (?<![公总一]) before it): an alternation whose words all start with
#: a plain character lets the regex engine jump to the candidate positions.
_GONG = r"共(?<![公总一]共)(?![同享建识性青产治赢商担计用生济])"
_CMP_TAIL_RE = re.compile(r"(?:同比|比上年末?|比去年(?:同期)?|较上年末?|较去年(?:同期)?|[比较]\d{4}年末?|分别|年均|平均)+$")
_CMP_TAIL_END = frozenset("比年末期别均\n")  # what a _CMP_TAIL_RE match can end with (prefilter)
_YEAR_RE = re.compile(r"((?:19|20)\d\d)年")
_R_NUM_RE = re.compile(r"\d|[二两三四五六七八九十百千](?=[二两三四五六七八九十百千]*[万亿]?[元个家项名人次户件条](?!级))")
_CN_DIGIT_RE = re.compile(r"[一二两三四五六七八九十百千]")
_HEAD_LEAD_RE = re.compile(r"^(?:其中|截至目前|目前|同时|全年|今年)")
_PER_RE = re.compile("给予|每人|每年|每月")
_DIGIT_RE = re.compile(r"\d")
_DISTANT_CMP_RE = re.compile(r"(不超过|不低于|不少于|不高于|不得超过|不得低于|最高不超过|最低不低于)[^，,。；;]{0,16}的$")
_DE_END_RE = re.compile(r"[的了]$")
_NEAR_END_RE = re.compile(r"(?:同比|比上年末?|较上年末?|约|近|超过|超|达到|达)$")
# what a match of the two can end with (prefilters; $ also matches before a final newline)
_DE_END_CHARS = frozenset("的了\n")
_NEAR_END_CHARS = frozenset("比年末约近过超到达\n")
_LAST_BRACKET_RE = re.compile(r".*[()（）\[\]【】]", re.S)
_FOOTNOTE_RE = re.compile(r"\[\d{1,2}\]")
_YEAR_HEAD_RE = re.compile(r"^(?:\d{4}年(?:末|底|度|初)?|[一二三四]季度|上半年|下半年|前三季度)[,，]?")
_FROM_TO_RE = re.compile(r"^(?:提升|提高|增长|增加|下降|降低|减少|扩大|缩小|上升|压缩|缩短|调整)(?:至|到|为)$")
_NOT_TARGET_RE = re.compile(r"要求|主要|重要|需要|必要|要点|要素|纪要|摘要|将近|即将|将其|将有关|计划单列|计划生育")
_PAREN_NAME_RE = re.compile(r"[（(]([\u4e00-\u9fff]{3,12})[)）](?:为|达|是)?$")
_FURNITURE_RE = re.compile(r"本站|版权|侵权|转载|ICP|备案号|浏览次数|点击数|阅读数|访问量")
_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])([^\n]{0,30})$", re.M)
# prefilters for _clean_left: the first characters a match of _YEAR_HEAD_RE / _ENUM_PREFIX_RE can
# start with (besides digits); is any character _LAST_BRACKET_RE / _QUOTE_DEL look for present
# (a one-class search is cheaper than the scan or the translate it saves)
_YEAR_HEAD_FIRST = frozenset("一二三四上下前")
_ENUM_FIRST = frozenset("一二三四五六七八九十(（")
_CLEAN_HEAD_CHARS = _YEAR_HEAD_FIRST | _ENUM_FIRST  # (digits too, but a letters-only string has none)
_ANY_BRACKET_RE = re.compile(r"[()（）\[\]【】]")
_ANY_QUOTE_RE = re.compile(f"[{re.escape(_QUOTE_CHARS)}]")
_ANY_MARK_RE = re.compile(f"[{re.escape(_QUOTE_CHARS)}()（）\\[\\]]")  # either of the two


def _read(name: str) -> list[list[str]]:
    path = resources.files("policyminer") / "data" / name
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.rstrip("\n").split("\t"))
    return out


class _AnyChar:
    """Stands for "any character" where a prefilter cannot rule anything out (an empty cue list)."""

    def __contains__(self, ch: object) -> bool:
        return True


def _last_chars(words: list[str], extra: str = "") -> frozenset[str] | _AnyChar:
    """What a string must end with to match an end-anchored alternation of ``words`` (``(?:…)$``):
    the words' last characters, and newline because ``$`` also matches before a final newline.
    Used as ``s[-1:] in chars``; an empty word would match anywhere, so then nothing is ruled out."""
    if not words or not all(words):
        return _AnyChar()
    return frozenset(w[-1] for w in words) | frozenset(extra) | {"\n"}


def _first_chars(words: list[str], extra: str = "") -> frozenset[str] | _AnyChar:
    """What a string must start with to match a start-anchored alternation of ``words`` (``^(?:…)``)."""
    if not words or not all(words):
        return _AnyChar()
    return frozenset(w[0] for w in words) | frozenset(extra)


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    """Cue lists from ``data/metric_cues.tsv`` (group \\t words, comma separated)."""
    groups: dict[str, list[str]] = {}
    for row in _read("metric_cues.tsv"):
        if len(row) >= 2:
            groups.setdefault(row[0], []).extend(w for w in row[1].split(",") if w)

    def alt(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(set(groups.get(key, [])), key=len, reverse=True))

    def ends(*keys: str, extra: str = "") -> frozenset[str] | _AnyChar:
        return _last_chars([w for k in keys for w in groups.get(k, [])], extra)

    def starts(*keys: str, extra: str = "") -> frozenset[str] | _AnyChar:
        return _first_chars([w for k in keys for w in groups.get(k, [])], extra)

    return {
        # X(?:X)* rather than (?:X)+: a pattern that opens with the word alternation lets the regex
        # engine skip to the positions where a word can start (same matches)
        "strip_tail": re.compile(rf"(?:{alt('strip_tail')})(?:{alt('strip_tail')})*$"),
        "strip_head": re.compile(rf"^(?:{alt('strip_head')})+"),
        # prefilters: the characters a match can end (or start) with; a string whose last (first)
        # character is none of them cannot match, and the regex call is skipped
        "strip_tail_end": ends("strip_tail"),
        "strip_head_start": starts("strip_head"),
        "change_end": ends("change"),
        "verb_tail_end": ends("verb_tail"),
        "org_suffix_end": ends("org_suffix"),
        "grant_end_end": ends("grant", extra="额金度准"),
        "head_noun_end_end": ends("head_noun", "change", extra="比年"),
        "per_unit_start": starts("per_unit"),
        "inner_verb_any": re.compile(alt("inner_verb") or "(?:)"),  # prefilter: the words without the context test
        "split": re.compile(rf"(?:{alt('subject_split')}|{_GONG})"),
        "head_noun": re.compile(rf"(?:{alt('head_noun')})"),
        "head_noun_end": re.compile(rf"({alt('head_noun')})(?:同比|比上年)?(?:{alt('change')})?$"),
        "inner_verb": re.compile(rf"(?<=[\u4e00-\u9fff])(?<![已未均全将可要并])(?:{alt('inner_verb')})(?=[\u4e00-\u9fff])"),
        "r_stop_start": re.compile(rf"^(?:{alt('right_stop_start')})"),
        "r_stop_mid": re.compile(rf"(?:{alt('right_stop_mid')})"),
        "r_stop_start_first": starts("right_stop_start"),
        "verb_tail": re.compile(rf"(?:{alt('verb_tail')})$"),
        "subject": re.compile(
            rf"^(?P<lead>其中|截至目前|目前|同时)?[,，]?(?P<s>[\u4e00-\u9fff]{{1,12}}(?:{alt('subject_suffix')}))(?![级属直域内率结理])"),
        # prefilter for "subject": a match ends with a suffix, within reach of the clause start
        "subject_end": re.compile(f"[{re.escape(''.join(sorted({w[-1] for w in groups.get('subject_suffix', [])})))}]"
                                  if groups.get("subject_suffix") else "(?:)"),
        "subject_reach": 4 + 1 + 12 + max(map(len, groups.get("subject_suffix", [""]))),
        "org_suffix": re.compile(rf"(?:{alt('org_suffix')})$"),
        "change": re.compile(rf"(?:{alt('change')})$"),
        # name repair: clause material that is no name (应当自…之日起, 省级按照…, 单个企业)
        "modal_only": re.compile(rf"^(?:[\u4e00-\u9fff]{{0,16}}?(?:{alt('modal')}|(?<=[部位局委厅府业关心构])[应须需]))?"
                                 rf"(?:(?:自|从|在|于)?[^，,。；;]{{0,20}}?(?:之日起|以后|之后))?$"),
        "modal_only_end": ends("modal", extra="应须需起后"),
        "modal_cut": re.compile(rf"^[\u4e00-\u9fff]{{0,16}}?(?:{alt('modal')})(?:(?:自|从)?[^，,。；;]{{0,20}}?(?:之日起))?"),
        "clause_head": re.compile(rf"^(?:{alt('clause_level')})?(?:{alt('clause_prep')})(?=[\u4e00-\u9fff]{{2}})"),
        "clause_head_first": starts("clause_level", "clause_prep"),
        "per_unit": re.compile(rf"^(?:{alt('per_unit')})+"),
        "grant": re.compile(rf"(?:给予|安排|奖励|补助|补贴)?(?P<obj>[\u4e00-\u9fff]{{0,8}}?)(?P<g>{alt('grant')})"),
        "grant_end": re.compile(rf"(?:{alt('grant')})(?:总额|金额|资金|额度|标准)?$"),
        "duration": frozenset(groups.get("duration_unit", [])),
        "place": re.compile(rf"^(?P<p>[\u4e00-\u9fff]{{1,6}}?(?:{alt('place_suffix')}))(?P<v>(?:同比)?(?:{alt('change')}))$"),
    }


@lru_cache(maxsize=1)
def _kind_cues() -> tuple[re.Pattern[str], ...]:
    rows = _read("metric_kinds.tsv")

    def alt(kind: str) -> str:
        words = [r[0] for r in sorted(rows, key=lambda r: -len(r[0])) if len(r) > 1 and r[1] == kind]
        return "|".join(_GONG if w == "共" else re.escape(w) for w in words)

    return (re.compile(rf"(?:{alt('change')})(?P<to>至|到|为)?$"), re.compile(alt("target")), re.compile(alt("actual")),
            re.compile(alt("target_weak")), re.compile(alt("past")))


@lru_cache(maxsize=1)
def _kind_change_end() -> frozenset[str] | _AnyChar:
    """What a string must end with to match the change pattern of ``_kind_cues`` (prefilter)."""
    words = [r[0] for r in _read("metric_kinds.tsv") if len(r) > 1 and r[1] == "change"]
    return _last_chars(words, extra="至到为")


@lru_cache(maxsize=1)
def _slogans() -> re.Pattern[str]:
    path = resources.files("policyminer") / "data" / "slogans.txt"
    words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    return re.compile(_word_alternation(sorted(words, key=len, reverse=True)))


def _word_alternation(words: list[str]) -> str:
    """``a|b|…`` for plain ``words``, with the words that share a first character grouped behind it
    (化解|化债|强化 -> 化(?:解|债)|强化): the engine then tries one branch per first character, not
    one per word. Same matches: the order of the words within a group is kept, and words with
    different first characters cannot match at the same place."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[:1], []).append(w[1:])
    return "|".join(re.escape(f + rests[0]) if len(rests) == 1
                    else re.escape(f) + "(?:" + "|".join(re.escape(r) for r in rests) + ")"
                    for f, rests in groups.items())


@lru_cache(maxsize=1)
def _names() -> list[tuple[str, str]]:
    out = []
    for row in _read("metric_names.tsv"):
        if len(row) >= 2:
            for a in row[1].split(","):
                if a:
                    out.append((a, row[0]))
    out.sort(key=lambda p: -len(p[0].rstrip("$")))
    return out


@lru_cache(maxsize=1)
def _names_re() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = _names()
    alts = [re.escape(a[:-1]) + "$" if a.endswith("$") else re.escape(a) for a, _ in pairs]
    return re.compile("|".join(alts)), {a.rstrip("$"): k for a, k in pairs}


@lru_cache(maxsize=4096)
def canonical_name(name: str | None) -> str | None:
    """The lexicon key of a metric name (longest alias it contains), else None."""
    if not name:
        return None
    return _canonical(name)


@lru_cache(maxsize=4096)
def _canonical(name: str) -> str | None:
    # names repeat within and across notices: each is looked up once (the lexicon is fixed once read)
    rx, keys = _names_re()
    best = None
    for m in rx.finditer(name):
        if best is None or len(m.group(0)) > len(best):
            best = m.group(0)
    return keys[best] if best else None


def _positions(text: str, chars: str) -> list[int]:
    """Sorted positions of any of ``chars`` in ``text``: str.find per character is much faster
    than a regex character-class scan, which tests every character of the text."""
    out: list[int] = []
    find = text.find
    for ch in chars:
        i = find(ch)
        while i >= 0:
            out.append(i)
            i = find(ch, i + 1)
    out.sort()
    return out


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The spans of _QUOTE_RE.finditer(text), tried only at the opening quotes (few; found with
    str.find): a match starts with one, and matches do not overlap."""
    out: list[tuple[int, int]] = []
    match = _QUOTE_RE.match
    end = 0
    for i in _positions(text, _OPEN_QUOTES):
        if i < end:
            continue  # inside the previous match
        m = match(text, i)
        if m:
            end = m.end()
            out.append((i, end))
    return out


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    i = bisect.bisect_right(starts, s) - 1
    return i >= 0 and spans[i][0] <= s and e <= spans[i][1]


def _keep_short_paren(m: re.Match[str]) -> str:
    """首台（套）, 中欧班列（西安）: a short note inside a name stays (without its brackets)."""
    inner = m.group(0)[1:-1]
    if inner.isascii() and inner.isalpha() and len(inner) <= 5:
        return inner  # 生产总值(GDP)
    return inner if len(inner) <= 4 and not _DIGIT_RE.search(inner) and m.end() < len(m.string) else ""


def _clean_left(left: str, enum: bool = True) -> str:
    # each step is tried only when a cheap character test says it can apply
    c = _cues()
    # brackets or quotes (most clauses have none; str.isalpha rules them out without a regex call:
    # no bracket or quote character is a letter)
    special = not left.isalpha() and _ANY_MARK_RE.search(left) is not None
    if special:
        if "[" in left:
            left = _FOOTNOTE_RE.sub("", left)
        if "（" in left or "(" in left:
            left = _PAREN_RE.sub("", left)
    if left[:1] in _YEAR_HEAD_FIRST or left[:1].isdigit():
        left = _YEAR_HEAD_RE.sub("", left)
    if special:
        mb = _LAST_BRACKET_RE.search(left) if _ANY_BRACKET_RE.search(left) else None
        if mb:  # an unbalanced bracket: the name starts after it
            left = left[mb.end():]
    left = left.strip("、 ")
    if special and _ANY_QUOTE_RE.search(left):
        left = left.translate(_QUOTE_DEL)
    if enum and (left[:1] in _ENUM_FIRST or left[:1].isdigit()):
        left = _ENUM_PREFIX_RE.sub("", left)
    tail, tail_end = c["strip_tail"], c["strip_tail_end"]
    for _ in range(3):
        if left[-1:] not in tail_end:
            break
        new = tail.sub("", left)
        if new == left:
            break
        left = new
    return left


_OPEN_QUOTES = "“\"「『"
#: where a _R_NUM_RE match can start (one character class: the engine jumps to the candidates)
_R_NUM_FIRST_RE = re.compile(r"[\d二两三四五六七八九十百千]")
_LEAD_QUOTE_RE = re.compile(r"[“\"「『][^”\"」』\n]{0,16}?[0-9A-Za-z＋+][^”\"」』\n]{0,16}[”\"」』](?=[\u4e00-\u9fff])")


def _right_name(text: str, end: int) -> str:
    # each regex is tried only when a cheap character test says it can match
    if text[end:end + 1] in _HARD_BREAK_CHARS:
        return ""  # the clause ends at the figure (most do): nothing to the right
    c = _cues()
    seg = text[end:end + 24]
    m = _HARD_BREAK_RE.search(seg)
    if m:
        seg = seg[:m.start()]
    if seg.startswith("的"):
        seg = seg[1:]
    if seg[:1] in _OPEN_QUOTES:
        mq = _LEAD_QUOTE_RE.match(seg)
        if mq:  # 打造100个“5G＋工业互联网”典型应用案例: the noun after the quoted label
            seg = seg[mq.end():]
        seg = seg.lstrip(_OPEN_QUOTES)
    if "（" in seg or "(" in seg:
        seg = _PAREN_RE.sub("", seg)
        k = _OPEN_PAREN_RE.search(seg)
        if k:
            seg = seg[:k.start()]
    if not seg or not ("\u4e00" <= seg[0] <= "\u9fff") or (seg[0] in c["r_stop_start_first"]
                                                          and c["r_stop_start"].match(seg)):
        return ""
    m = c["r_stop_mid"].search(seg, 1)
    if m:
        seg = seg[:m.start()]
    m = _R_NUM_FIRST_RE.search(seg, 1)
    if m:
        m = _R_NUM_RE.search(seg, m.start())
        if m:
            seg = seg[:m.start()]
    if _ANY_QUOTE_RE.search(seg):
        seg = seg.translate(_QUOTE_DEL)
    return seg[:14]


def _resolve_as_of(m: re.Match[str], anchor: dt.date | None) -> str | None:
    year = int(m.group(1)) if m.group(1) else (anchor.year if anchor else None)
    if year is None:
        return None
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_metrics(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema metrics found in ``text``; never raises."""
    try:
        return _find(text, ctx)
    except Exception:  # noqa: BLE001 - a component must not break the pipeline on odd text
        return []


_RETRO_TITLE = re.compile(r"公报|统计|情况的?报告|工作报告|总结|通报|进展|成效|回顾")


def _retrospective(ctx: DocContext | None) -> bool:
    """Documents that report what happened (公报, 通报, news) rather than plan it."""
    meta = getattr(ctx, "meta", None) or {}
    if meta.get("doc_type") in ("公报", "通报", "报道"):
        return True
    title = meta.get("title") or ""
    return bool(_RETRO_TITLE.search(title)) and "政府工作报告" not in title


_BY_POSITION = operator.attrgetter("num_start", "range_part")
#: the ideographs that the tests on the character before a figure look for (第, 届, 前/后, numerals);
#: a figure after any other ideograph skips those tests (they can only drop a figure, so their
#: order does not matter)
_BEFORE_CJK_TESTED = frozenset("第届前后一二两三四五六七八九十百千万")


def _find(text: str, ctx: DocContext | None) -> list[dict[str, Any]]:
    if not text:
        return []
    c = _cues()
    anchor = getattr(ctx, "anchor", None)
    excluded = list(getattr(ctx, "excluded", None) or [])
    excluded += _spans(_TITLE_RE, text)
    quotes = _quote_spans(text)
    excluded += [(a, b) for a, b in quotes if _CN_DIGIT_RE.search(text, a, b)]
    quote_starts = [a for a, _ in quotes]
    excluded += _spans(_slogans(), text)
    excluded.sort()
    ex_starts = [s for s, _ in excluded]

    sent_breaks = _positions(text, _SENT_BREAK)
    furniture = [m.start() for m in _FURNITURE_RE.finditer(text)]
    as_of_list = list(_AS_OF_RE.finditer(text))
    as_of_starts = [m.start() for m in as_of_list]
    change_re0, target_re0, actual_re0, weak_re0, past_re0 = _kind_cues()  # noqa: F841
    masked = _NOT_TARGET_RE.sub(lambda m: "\x00" * len(m.group(0)), text)
    target_pos = [m.start() for m in target_re0.finditer(masked)]
    actual_pos = [m.start() for m in actual_re0.finditer(text)]
    weak_pos = [m.start() for m in weak_re0.finditer(text)]
    # a figure after an actual cue or a past time (去年, an earlier year) is actual: one list
    actual_pos += [m.start() for m in past_re0.finditer(text)]
    if anchor:
        actual_pos += [m.start() for m in _YEAR_RE.finditer(text) if int(m.group(1)) < anchor.year]
    actual_pos.sort()
    # in a bulletin or news report, 实现/完成/全年 report results; in a plan they state targets
    weak_kind = "actual" if _retrospective(ctx) else "target"
    inf = math.inf
    headings = [(m.start(), m.group(1)) for m in _HEADING_RE.finditer(text)]
    heading_starts = [h[0] for h in headings]

    quantities: list[Quantity] = list(iter_quantities(text))
    extra = _extra_quantities(text)
    quantities += extra
    listed = _listed(text, quantities)
    if extra or listed:  # (iter_quantities yields in order of position: its matches do not overlap)
        quantities += listed
        quantities.sort(key=_BY_POSITION)

    change, change_end = c["change"], c["change_end"]
    kind_change_end = _kind_change_end()
    inner_verb_any = c["inner_verb_any"]
    strip_head_start, verb_tail_end, head_noun_end_end = c["strip_head_start"], c["verb_tail_end"], c["head_noun_end_end"]
    strip_tail_end = c["strip_tail_end"]
    # the cue patterns the loop reads, as locals (a dict look-up per figure each adds up)
    subject_re, org_suffix_re, split_re, strip_head_re = c["subject"], c["org_suffix"], c["split"], c["strip_head"]
    verb_tail_re, head_noun_re, inner_verb_re, head_noun_end_re = c["verb_tail"], c["head_noun"], c["inner_verb"], c["head_noun_end"]
    out: list[dict[str, Any]] = []
    prev_end = -1
    sent_start, sent_bound = 0, -1  # the current sentence: [sent_start, sent_bound) ends at a break
    para, para_bound = -1, -1  # the current paragraph: after the newline at para, up to para_bound
    # the current sentence's subject, last level name and first kind cues (locals: read per figure)
    sent_subject: str | None = None
    sent_name: str | None = None
    cue_first: tuple[float, float, float, str] = (inf, inf, inf, weak_kind)
    para_state: dict[str, Any] = {"para": -2}
    subject_end, subject_reach = c["subject_end"], c["subject_reach"]
    text_len = len(text)
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
    for q in quantities:
        s, e = q.num_start, q.num_end
        if s < prev_end and q.range_part != 2:
            continue
        q_start, q_end, unit, chinese, q_kind = q.start, q.end, q.unit, q.chinese, q.kind
        before = text[s - 1] if s > 0 else ""
        after = text[q_end] if q_end < text_len else ""
        if not before or ("\u4e00" <= before <= "\u9fff" and before not in _BEFORE_CJK_TESTED):
            # nothing before (the text starts with the figure: "" is in every string, so the tests
            # below would fire), or an ideograph none of the tests on the character before looks for
            negative = False
        else:
            negative = before in "-－" and s >= 2 and ("\u4e00" <= text[s - 2] <= "\u9fff") and unit in ("%", "个百分点")
            if before == "第" or (not negative and before and (before.isascii() and (before.isalnum() or before in ".:/#_-@"))):
                continue
            if before in "-－~～" and s >= 2 and text[s - 2].isdigit():
                continue  # the second half of a date or code range that the unit layer did not take
            if before == "届" or (chinese and before in "”\"」』"):
                continue  # 十二届十一次全会; “…、…”五种 counts the quoted list, not work
            if before in "前后" and unit in ("位", "名"):
                continue  # 排名后3位, 前10名: ranks
            if chinese and s > 0 and before in "一二两三四五六七八九十百千万":
                continue
        if after and (after.isdigit() or (after.isascii() and after.isalpha())):
            continue  # 5个100, 5G
        if furniture:
            k = bisect_left(furniture, s - 36)
            if k < len(furniture) and furniture[k] < q_end + 30:
                continue
        if excluded:  # (_inside, inline)
            i = bisect_right(ex_starts, s) - 1
            if i >= 0 and excluded[i][0] <= s and e <= excluded[i][1]:
                continue
        if after and "\u4e00" <= after <= "\u9fff" and quotes and _inside(quotes, quote_starts, s, q_end):
            continue  # “15分钟生活圈”: a figure inside a quoted name
        if q.value == 0 and q.range_part:
            continue  # 0—6岁: the open end of a band
        if after in "级吨" and text.startswith(("级", "吨级"), q_end):
            continue  # 30万吨级: a class, not a quantity
        if chinese:
            if text[s:e] in ("十", "百", "千") and (unit[:1] in "万亿" or q_kind == "money") and after \
                    and "\u4e00" <= after <= "\u9fff" and after not in "的，,。；以左多余":
                continue  # 千万元以上项目, 千万吨炼化, 百万亩造林: a size class, not a figure
            if q_end + 2 <= text_len and text[s] in text[q_end:q_end + 3] and text[s] in "一二两三四五六七八九十":
                continue  # 一企一议, 一户一档: enumerative slogans
        # (figures come in order: the sentence and paragraph change only past their ends)
        if s > sent_bound:  # past the sentence of the previous figure: find this one's
            j = bisect_right(sent_breaks, s - 1)
            sent_start = sent_breaks[j - 1] + 1 if j > 0 else 0
            sent_bound = sent_breaks[j] if j < len(sent_breaks) else text_len
            # the first cue of each kind list in this sentence: a figure after it has that kind
            j = bisect_left(target_pos, sent_start)
            k = bisect_left(actual_pos, sent_start)
            w = bisect_left(weak_pos, sent_start)
            cue_first = (target_pos[j] if j < len(target_pos) else inf, actual_pos[k] if k < len(actual_pos) else inf,
                         weak_pos[w] if w < len(weak_pos) else inf, weak_kind)
            sent_subject = sent_name = None
        if s > para_bound:  # past the paragraph of the previous figure: find this one's
            para = text.rfind("\n", 0, s)
            para_bound = text.find("\n", s)
            if para_bound < 0:
                para_bound = text_len
            if para_state["para"] != para:
                para_state = {"para": para}
        # clause containing the number
        # only a break in the last 50 counts, and only one after the sentence start (the break before
        # it is a hard break too): the window starts at the later of the two
        mh = _LAST_HARD_BREAK_RE.search(text, sent_start if sent_start > s - 50 else (s - 50 if s > 50 else 0), s)
        cl_start = max(sent_start, s - 50, mh.start() + 1 if mh else 0)
        left_raw = text[prev_end if prev_end > cl_start else cl_start:q_start]
        if prev_end > cl_start and "、" in left_raw[:-1]:
            left_raw = left_raw[left_raw.rindex("、", 0, len(left_raw) - 1) + 1:]
        pre_cmp = None
        if q.comparator == "eq" and q_start > cl_start and text[q_start - 1] in "的\n":  # _DISTANT_CMP_RE ends in 的$
            pre_cmp = _distant_comparator(text[cl_start:q_start])
        if left_raw.isalpha() and left_raw[0] not in _CLEAN_HEAD_CHARS and left_raw[-1] not in strip_tail_end:
            left = left_raw  # letters only, no year/enumerator head, no tail word: _clean_left keeps it as is
        else:
            left = _clean_left(left_raw)
        if not left and cl_start > 1 and text[cl_start - 1] == "\n" and "\u4e00" <= text[cl_start - 2] <= "\u9fff":
            ls = cl_start - 1  # a line broken inside a sentence (PDF): the name is on the line before
            while ls > max(0, cl_start - 30) and text[ls - 1] not in _HARD_BREAK:
                ls -= 1
            left = _clean_left(text[ls:cl_start - 1])
        from_to = prev_end > cl_start and _FROM_TO_RE.match(left_raw.strip()) and out
        mp = _PAREN_NAME_RE.search(left_raw) if ("）" in left_raw or ")" in left_raw) else None
        if mp:
            left = mp.group(1)
        # subject
        subj = None
        if (cl_start == sent_start or text[cl_start - 1] in "，,") \
                and subject_end.search(text, cl_start, min(q_start, cl_start + subject_reach)):
            ms = subject_re.match(text[cl_start:q_start])
            if ms and ms.end() < q_start - cl_start and _good_subject(ms.group("s")) and (
                    cl_start == sent_start or ms.group("lead") or org_suffix_re.search(ms.group("s"))):
                subj = ms.group("s")
        sp = split_re.search(left)
        if sp:
            head = left[:sp.start()]
            head = _HEAD_LEAD_RE.sub("", head)
            if 2 <= len(head) <= 14 and not subj and _good_subject(head):
                subj = head
            left = left[sp.end():]
        if subj and left.startswith(subj) and len(left) > len(subj) + 1:
            left = left[len(subj):]
        elif subj and left == subj and _right_name(text, q_end):
            left = ""  # 区属国企107名管理人员…: the subject is not what is counted
        if subj:
            sent_subject = subj
        if left[:1] in strip_head_start:
            left = strip_head_re.sub("", left)
        name = left[-30:]
        if prev_end > cl_start and left_raw.rstrip().endswith(("、", "和", "及", "与")):
            name = ""
        right = "" if after in _HARD_BREAK_CHARS else _right_name(text, q_end)  # (its first test, inline)
        use_right = False
        if right:
            verbish = name[-1:] in verb_tail_end and bool(verb_tail_re.search(name))
            if q_kind == "percent":
                use_right = len(name) <= 1 or verbish or (after == "的" and len(name) <= 4)
            else:
                use_right = len(name) <= 1 or verbish or (len(name) <= 3 and q_kind in ("count", "multiplier"))
        if right and not use_right and q_kind not in ("percent", "fraction") and after == "的" \
                and (q_start < s or not name or _PER_RE.search(left_raw)):
            use_right = True  # 不超过6个月的短期延续: the figure qualifies the noun after 的
        if from_to:
            name = out[-1]["name"] or ""
            use_right = False
        elif use_right:
            name = right
        else:
            core = _CHANGE_PREFIX_RE.sub("", name) if name[:1] in _CHANGE_PREFIX_FIRST else name
            if core in ("占", "占比", "比重", "占比重") and sent_name:
                core = name = sent_name + "占比"
            if (not core or (core[-1:] in change_end and change.fullmatch(core))) and sent_name:
                # a bare change borrows the figure it changes; absolute changes keep 比上年
                keep = name if q_kind not in ("percent", "percentage_point", "permille") else core
                name = sent_name + (keep or "").removeprefix("同比")
            elif core != name and core:
                name = core
            elif name[-1:] in change_end and change.search(name) and para_state.get("head") \
                    and not head_noun_re.search(name):
                mc = change.search(name)
                if name[:mc.start()].endswith("业"):  # 采矿业增长 under 工业增加值 -> 采矿业增加值增长
                    name = name[:mc.start()] + para_state["head"] + name[mc.start():]
            if inner_verb_any.search(name):
                name = inner_verb_re.sub("", name)
        name, place = _repair_name(name, q, text, left_raw, right, sent_start, para_state, c)
        if place:
            sent_subject = place
        i = bisect_right(heading_starts, q_start) - 1
        under_goal = i >= 0 and q_start - headings[i][0] < 3000 and "目标" in headings[i][1]
        kind = _kind(q, left_raw, change_re0, kind_change_end, under_goal, cue_first)
        if kind in ("actual", "target"):
            para_state["kind"] = kind
        elif kind is None:
            kind = para_state.get("kind")
        name_change = name[-1:] in change_end and change.search(name)
        if name and kind != "change" and not name_change:
            sent_name = name
        elif name and name_change:
            base = change.sub("", name)
            base = _CMP_TAIL_RE.sub("", base) if base[-1:] in _CMP_TAIL_END else base
            if len(base) >= 2:  # 收入增长7%以上, 达到1.8万元: the level figure is 收入
                sent_name = base
        if name:
            hn = head_noun_end_re.search(name) if name[-1:] in head_noun_end_end else None
            if hn:
                para_state["head"] = hn.group(1)
            if name[:1] == "全" and _SCOPE_HEAD_RE.match(name):  # 全省…增长: the figures of places that follow break it down
                base = _CMP_TAIL_RE.sub("", change.sub("", _SCOPE_HEAD_RE.sub("", name)))
                if len(base) >= 2:
                    para_state["topic"] = base
                    para_state["place_topic"] = True
        as_of = None
        if as_of_starts:
            k = bisect_left(as_of_starts, s) - 1
            if k >= 0 and as_of_starts[k] >= sent_start and as_of_list[k].end() <= s:
                as_of = _resolve_as_of(as_of_list[k], anchor)
        comparator = q.comparator if pre_cmp is None else pre_cmp
        if negative:
            q.value, q.base_value = -q.value, -q.base_value
            q.start = q.num_start = q_start = s - 1
        out.append({
            "name": name or None,
            "canonical": canonical_name(name),
            "value": q.value,
            "unit": unit,
            "base_value": q.base_value,
            "base_unit": q.base_unit,
            "comparator": comparator,
            "kind": kind,
            "subject": sent_subject,
            "as_of": as_of,
            "text": text[max(cl_start, q_start - 16) if use_right is False else q_start:
                         q_end + (len(right) + 1 if use_right else 0)].strip("，,。；; "),
            "span": [q_start, q_end],
        })
        prev_end = q_end
    _apply_respectively(text, out)
    table = (_table_metrics(text) if "\t" in text else []) + _numeric_rows(text)
    if table:  # a table cell is read once, as a cell
        cells = sorted((t["span"][0], t["span"][1]) for t in table)
        cell_starts = [a for a, _ in cells]
        out = [m for m in out if not _inside(cells, cell_starts, m["span"][0], m["span"][0] + 1)] + table
        out.sort(key=lambda m: m["span"][0])
    return out


_AFTER_LIMIT_RE = re.compile(r"(?:以内|之内|内)(?:完成|予以|进行|作出)?")
_LIMIT_PHRASE_RE = re.compile(r"[^，,。；;：:！？!?\n\t|（(]{2,12}")
_IN_CLAUSE_RE = re.compile(r"在[\u4e00-\u9fff]{1,16}(?:的基础上|基础上|期间|过程中)")
_RATE_NOUN_RE = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:增速|增幅|办结率|满意率|完成率|达标率|覆盖率|占比|比重|[\u4e00-\u9fff]{2}率)(?=排名|排在|位列|居|最|依次|分别|前|后|较|的是|为|：|:)")
_OWNER_CUT_RE = re.compile(r"^.*(?:的是|是|为|和|及)")
_BRACKET_OWNER_RE = re.compile(r"([\u4e00-\u9fff]{2,10})[（(]$")
_TIME_ANCHOR_RE = re.compile(r"(?:后|以后|之后|起|之日起)$")
_BA_RE = re.compile(r"^(?:将|把|对)")
_TO_PLACE_RE = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:(?:至|到)[\u4e00-\u9fff]{2,10}|到位|完毕)$")
_LIGHT_VERB_RE = re.compile(r"^(?:作出|做出|进行|予以|给予|完成)(?=[\u4e00-\u9fff]{3})")
_NOT_PLACE_RE = re.compile(r"^[全各本]?(?:城区|市区|县区|区县|市州|县市区|开发区|园区|新区|社区|景区|辖区|地区|区)$|(?:城镇|乡镇|村镇|集镇|县城)$")
_MODAL_CHARS = frozenset("应必务则律须需要将可")
_HEAD_CHARS = frozenset("各全要应须需确力争努不最至省市县区州乡国中财按依根参对在")
_MODAL_CHAR_RE = re.compile(f"[{''.join(sorted(_MODAL_CHARS))}]")  # any of _MODAL_CHARS (one class search)
_REPAIR_TRIGGER_RE = re.compile(f"[{''.join(sorted(_MODAL_CHARS))}给每]")  # a modal, 给予 or 每 may occur
# what a _TASK_LEAD_RE / _CMP_HEAD_RE match can start with (prefilters)
_TASK_LEAD_FIRST = frozenset("各全要应须需确力争努")
_CMP_HEAD_FIRST = frozenset("不最至")
_GRANT_AFTER_CHARS = frozenset("的比标额上给予发安")
_PER_TAIL_RE = re.compile(r"(?:每人|每户|每年|每月|每季度|每个|每家)+$")
_CMP_TAIL_NAME_RE = re.compile(r"(?:不低于|不少于|不超过|不高于|达到|达|为)$")
_PER_HEAD_RE = re.compile(r"^每|每(?:人|户|年|月|个|家|床|托位|平方米|亩)")
_BARE_PLACE_RE = re.compile(r"[省市县区州镇乡盟旗各全本]+")
_PLACE_ONLY_RE = re.compile(r"^([\u4e00-\u9fff]{1,6}?)(?:完成|实现|达到|达)?$")
_SCOPE_HEAD_RE = re.compile(r"^(?:全省|全市|全县|全区|全州|全盟|全旗|全镇|全国|全乡)")
_GRANT_AFTER_RE = re.compile(r"(?:的)?(?:比例|标准|额度|上限)?(?:给予|予以|发放|安排)")
_TASK_LEAD_RE = re.compile(r"^(?:各地|各级|各部门|各单位|各县区|各区县|各市州|各县市区|全省|全市|全县|全区)?"
                           r"(?:要|应|须|需)?(?:确保|力争|争取|努力)")
_CMP_HEAD_RE = re.compile(r"^(?:不超过|不低于|不少于|不高于|不得超过|不得低于|最高不超过|最低不低于|最高|最低|最多|至少)")


def _modal_only(c: dict[str, Any], name: str) -> bool:
    """``modal_only`` fullmatches ``name``; a non-empty match ends with a modal or 之日起/以后/之后."""
    return name[-1:] in c["modal_only_end"] and c["modal_only"].fullmatch(name) is not None or not name


def _repair_name(name: str, q: Quantity, text: str, left_raw: str, right: str, sent_start: int,
                 para_state: dict[str, Any], c: dict[str, Any]) -> tuple[str, str | None]:
    """Unseen notices put clause material before a figure (应当自…之日起, 省级按照…, 单个企业最高):
    no name is a bare modal, preposition or level word. Returns (name, place that is the subject).
    ``c``: ``_cues()``."""
    if not name:
        name = ""
    q_start, q_end, unit = q.start, q.end, q.unit
    if q_start > 0 and text[q_start - 1] in "（(" and unit == "%":
        # 增速排名前三的是东阳县（18.2%）: the rate the sentence ranks, the place before the bracket
        mp = _BRACKET_OWNER_RE.search(text, max(sent_start, q_start - 13), q_start)
        owner = _OWNER_CUT_RE.sub("", mp.group(1)) if mp else ""
        if not name or (owner and c["place"].match(owner + "增长")):
            rates = _RATE_NOUN_RE.findall(text, sent_start, q_start)
            if rates:
                return rates[0], (owner if len(owner) >= 2 else None)
    # (text[q_end:q_end + 30], the text after the figure, is sliced where a test reads it: most figures need none)
    # time limits: 应当自受理之日起10个工作日内更新目录 -> 更新目录时限
    if unit in c["duration"] and (not name or _modal_only(c, name) or _TIME_ANCHOR_RE.search(name)
                                  or c["org_suffix"].search(name)):
        after = text[q_end:q_end + 30]
        ma = _AFTER_LIMIT_RE.match(after)
        if ma or text[q.num_end:q_end].endswith("内"):
            mp = _LIMIT_PHRASE_RE.match(after, ma.end() if ma else 0)
            if mp:
                phrase = _LIGHT_VERB_RE.sub("", _BA_RE.sub("", mp.group(0)))
                phrase = _TO_PLACE_RE.sub("", phrase)  # 将补助资金拨付至企业账户 -> 补助资金拨付
                k = name.find("在")
                if k >= 2 and not c["org_suffix"].search(name[:k]) and name[:k] not in phrase \
                        and _MODAL_CHARS.isdisjoint(name[:k]):  # an agent takes a modal (企业应在…)
                    phrase = name[:k] + phrase  # 补贴资金在公示结束后…拨付到位 -> 补贴资金拨付
                return (phrase or mp.group(0)) + "时限", None
    # one class search says whether a modal, 给(予) or 每 occurs: most names hold none, and the
    # three tests for them are skipped
    trig = _REPAIR_TRIGGER_RE.search(name) is not None
    if trig and _MODAL_CHAR_RE.search(name):
        if _modal_only(c, name):
            return (right or ""), None
        cut = c["modal_cut"].match(name)
        if cut and cut.end() < len(name) and len(name) - cut.end() >= 2:
            name = name[cut.end():]
    if name and name[0] in _HEAD_CHARS:
        # 各地要确保…, 不超过设备投资额: task leads and comparators are not part of the name
        if name[0] in _TASK_LEAD_FIRST:
            name = _TASK_LEAD_RE.sub("", name)
        if name[:1] in _CMP_HEAD_FIRST:
            name = _CMP_HEAD_RE.sub("", name)
        # 省级按照…, 对…, 在原有奖励基础上: clause heads are not part of the name
        head = c["clause_head"].match(name) if name[:1] in c["clause_head_first"] else None
        if head:
            name = name[head.end():]
        elif name[:1] == "在" and _IN_CLAUSE_RE.fullmatch(name):
            name = right or ""
        trig = _REPAIR_TRIGGER_RE.search(name) is not None  # (the name changed)
    # 给予一次性奖补100万元, 按…的50%给予贴息: the grant is what the figure measures
    if trig:
        k = name.rfind("给予")
        if k >= 0 and c["grant_end"].search(name) and len(name) - k - 2 >= 2:
            name = name[k + 2:]
    if text[q_end:q_end + 1] in _GRANT_AFTER_CHARS:
        after = text[q_end:q_end + 30]
        ga = _GRANT_AFTER_RE.match(after)
        if ga and unit.endswith(("元", "%")):
            mg = c["grant"].match(after, ga.end())
            if mg and not c["grant_end"].search(name):
                return mg.group("obj") + mg.group("g"), None  # 按每托位500元的标准发放一次性建设补贴
    # 单个企业最高不超过50万元, 补助比例不超过20%，最高500万元: the cap of the grant
    if q.comparator in ("le", "lt") or "最高" in left_raw or "最多" in left_raw:  # capped
        per = c["per_unit"].match(name)
        if per:
            name = name[per.end():]
        if unit.endswith(("元", "%")) and (not name or (per and not c["grant_end"].search(name)) or not (
                cleaned := c["strip_head"].sub("", _clean_left(left_raw))) or c["per_unit"].fullmatch(cleaned)):
            if right and c["grant_end"].search(right):
                return right, None  # 每个平台给予不超过100万元补助
            grants = list(c["grant"].finditer(text, sent_start, q_start))
            if grants:
                return grants[-1].group("g"), None
    # 按每托位500元, 每人每年补助100元 after 给予…运营补贴: the standard of the grant
    if trig and "每" in name:
        if name[0] != "每":
            name = _PER_TAIL_RE.sub("", name) or name  # 农村低保标准不低于每人每年
            name = _CMP_TAIL_NAME_RE.sub("", name) or name
        if "每" in name and unit.endswith("元") and _PER_HEAD_RE.search(name):
            grants = list(c["grant"].finditer(text, sent_start, q_start))
            if grants:
                return grants[0].group("g"), None
    # 中卫市增长36.4% under 固定资产投资增长…: the topic's figure, the place as subject
    topic = para_state.get("head") or para_state.get("topic")
    if not topic or not name or len(name) > 12:
        return name, None
    mpl = c["place"].match(name) if name[-1:] in c["change_end"] else None  # place ends with a change verb
    if mpl and _NOT_PLACE_RE.search(mpl.group("p")):
        mpl = None
    if mpl:
        return topic + mpl.group("v").removeprefix("同比"), mpl.group("p")
    mpo = _PLACE_ONLY_RE.match(name) if para_state.get("place_topic") else None
    if mpo and c["place"].match(mpo.group(1) + "增长") and not _NOT_PLACE_RE.search(mpo.group(1)) and topic and para_state.get("place_topic") \
            and (unit.endswith("元") or unit == "%") and not _BARE_PLACE_RE.fullmatch(mpo.group(1)):
        return topic, mpo.group(1)  # 甲市完成180亿元 after 全省一般公共预算收入完成…
    return name, None


_NOT_SUBJECT_END = ("城镇", "小区", "社区", "景区", "校区", "辖区", "街区", "厂区", "矿区", "库区", "林区", "牧区", "山区", "灾区")


def _good_subject(s: str) -> bool:
    return len(s) >= 3 and "是" not in s and not s.endswith(_NOT_SUBJECT_END) and s[0] not in "完实每各对需可在按以将为从由向和及与或等其这该此已共累" and not _DIGIT_RE.search(s)


def _distant_comparator(clause: str) -> str | None:
    """不超过当年新增税收的20%: a comparator cue earlier in the clause governs the figure."""
    pre, _ = comparator_cues()
    m = _DISTANT_CMP_RE.search(clause)
    if m:
        return pre.get(m.group(1), "le" if "超过" in m.group(1) or "高于" in m.group(1) else "ge")
    return None


def _kind(q: Quantity, left_raw: str, change_re: re.Pattern[str], change_end: frozenset[str] | _AnyChar,
          under_goal: bool, cue_first: tuple[float, float, float, str]) -> str | None:
    """``cue_first``: the first target, actual (or past) and weak cue positions in the sentence (inf
    if none), and what a weak cue makes a figure."""
    near = left_raw.rstrip()
    last = near[-1:]
    if last in _DE_END_CHARS:
        near = _DE_END_RE.sub("", near)
        last = near[-1:]
    if last in _NEAR_END_CHARS:
        near = _NEAR_END_RE.sub("", near)
        last = near[-1:]
    if last in change_end:
        m = change_re.search(near)
        if m and not m.group("to"):
            return "change"
    qs = q.start
    first_target, first_actual, first_weak, weak_kind = cue_first
    if first_target < qs:
        return "target"
    if under_goal:  # in a 工作目标 section 完成/实现 state goals
        return "target"
    if first_actual < qs:
        return "actual"
    if first_weak < qs:
        return weak_kind
    return None


_TAB_LINE_RE = re.compile(r"^[^\n]*\t[^\n]*$", re.M)
_CELL_NUM_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*[%％‰]?$")
_SKIP_COL_RE = re.compile(r"序号|编号|电话|联系人|地址|地点|邮编|代码|备注|时间|日期|年份|号码|学历|专业|条件|邮箱|网址|姓名")
_UNIT_COL_RE = re.compile(r"^(?:计量)?单位$")
_HEADER_UNIT_RE = re.compile(r"[（(]([^（）()]{1,8})[)）]")


def _table_metrics(text: str) -> list[dict[str, Any]]:
    """Rows of tab-separated tables (docx/html tables): a numeric cell is a metric named by its row
    label cells and its column header, with the unit from the header or a 计量单位 column."""
    from ..rules.quantity import unit_table

    units = unit_table()
    out: list[dict[str, Any]] = []
    lines = [(m.start(), m.group(0)) for m in _TAB_LINE_RE.finditer(text)]
    header: list[str] | None = None
    prev_end = -2
    for start, line in lines:
        cells = line.split("\t")
        if start != prev_end + 1:
            header = None
        prev_end = start + len(line)
        nums = [i for i, c in enumerate(cells) if _CELL_NUM_RE.match(c.strip())]
        texts = [i for i, c in enumerate(cells) if c.strip() and i not in nums]
        if not nums or (header is None and len(nums) < len(texts)) and not header:
            if len(texts) >= 2:
                header = [c.strip() for c in cells]
            continue
        if header is None:
            continue
        unit_col = next((i for i, h in enumerate(header) if _UNIT_COL_RE.match(h)), None)
        label = "".join(cells[i].strip() for i in texts
                        if i != unit_col and not (i < len(header) and _SKIP_COL_RE.search(header[i])))
        offs = []
        pos = start
        for c in cells:
            offs.append(pos)
            pos += len(c) + 1
        for i in nums:
            h = header[i] if i < len(header) else ""
            if _SKIP_COL_RE.search(h) or (i == 0 and not h):
                continue
            raw = cells[i].strip()
            unit = ""
            if raw[-1] in "%％‰":
                unit = "‰" if raw[-1] == "‰" else "%"
                raw = raw[:-1].strip()
            else:
                mu = _HEADER_UNIT_RE.search(h)
                if mu and (mu.group(1) in units or mu.group(1)[:1] in "万亿" and mu.group(1)[1:] in units
                           or mu.group(1) in ("万", "亿")):
                    unit = mu.group(1)
                elif "%" in h or "％" in h:
                    unit = "%"
                elif unit_col is not None and unit_col < len(cells):
                    unit = cells[unit_col].strip()
            try:
                v = float(raw.replace(",", ""))
            except ValueError:
                continue
            mult = 1.0
            base_unit = unit
            for p_, m_ in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
                if unit.startswith(p_):
                    mult, base_unit = m_, unit[len(p_):]
                    break
            hname = _HEADER_UNIT_RE.sub("", h)
            name = label + hname
            a = offs[i] + cells[i].find(cells[i].strip())
            out.append({"name": name or None, "canonical": canonical_name(name), "value": v, "unit": unit,
                        "base_value": v * mult, "base_unit": base_unit, "comparator": "eq", "kind": None,
                        "subject": None, "as_of": None, "text": line.strip()[:60],
                        "span": [a, a + len(cells[i].strip())]})
    return out


_ROW_SEG = r"(?:[\u4e00-\u9fff][\u4e00-\u9fff（）()]{0,10}|\d{1,2}(?:[-~～]\d{1,2})?岁[\u4e00-\u9fff]{0,3})"
_ROW_NUMS = r"\d+(?:\.\d+)?(?:[ \u3000]\d+(?:\.\d+)?)+"
_NUM_ROW_RE = re.compile(rf"^(?:{_ROW_SEG}{_ROW_NUMS})+$", re.M)
_NUMS_GAP_RE = re.compile(r"\d[ \u3000]\d")  # what _nums_gaps finds (it scans with str.find, not this)
_ROW_PART_RE = re.compile(rf"(?P<label>{_ROW_SEG})(?P<nums>{_ROW_NUMS})")
_COL_HEAD_RE = re.compile(r"([\u4e00-\u9fff]{1,16})\s*[（(]([^（）()\n]{1,8})[)）]")
_CAPTION_RE = re.compile(r"^表\s*\d+")


_LONE_UNIT_RE = re.compile(r"^\s*[（(]([^（）()]{1,8})[)）]\s*$")


def _col_unit(u: str, units: dict[str, Any]) -> str:
    if u in ("%", "％"):
        return "%"
    return u if (u in units or u in ("万", "亿") or (u[:1] in "万亿" and u[1:] in units)) else ""


def _nums_gaps(text: str) -> list[int]:
    """Where a figure, a space and a figure start (the starts of _NUMS_GAP_RE matches, possibly
    overlapping ones too: the caller only asks which lines hold one). Found from the spaces, which
    are few, with str.find: a regex scan tries every digit."""
    out = []
    n = len(text)
    for sp in " \u3000":
        i = text.find(sp, 1)
        while i >= 0:
            if i + 1 < n and text[i - 1].isdecimal() and text[i + 1].isdecimal():  # isdecimal: what \d matches
                out.append(i - 1)
            i = text.find(sp, i + 1)
    out.sort()
    return out


def _num_row_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of _NUM_ROW_RE.finditer(text), tried only on the lines that hold a figure, a space
    and a figure (a row needs that; a match is always one whole line)."""
    line_end = -1
    for g in _nums_gaps(text):
        if g < line_end:
            continue  # this line was tried
        line_start = text.rfind("\n", 0, g) + 1
        line_end = text.find("\n", g)
        if line_end < 0:
            line_end = len(text)
        m = _NUM_ROW_RE.match(text, line_start, line_end)
        if m:
            yield m


def _columns(head_lines: list[str], units: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, unit) of each column named in the header lines of a numeric table."""
    cols = []
    for k, line in enumerate(head_lines):
        for h in _COL_HEAD_RE.finditer(line) if not _CAPTION_RE.match(line) else ():
            cols.append((h.group(1), h.group(2)))
        lone = _LONE_UNIT_RE.match(line)
        if lone:
            prev = head_lines[k - 1] if k > 0 else ""
            if _CAPTION_RE.match(prev):  # 表5 …性别比幼儿园在校学生性别比: the last words name the column
                prev = re.sub(r"^.*?(?:情况|统计|数据)?[表]?\s*\d*\s*\d{4}年[^\s]*?(?:比|数)", "", prev)[-12:]
            cols.append((prev if not _LONE_UNIT_RE.match(prev) else "", lone.group(1)))
    return [(re.sub(r"^\d{4}年", "", n_), _col_unit(u, units)) for n_, u in cols]


def _numeric_rows(text: str) -> list[dict[str, Any]]:
    """Statistic tables flattened to lines (PDF): 福田区124.88 60.48 64.40 93.91. Columns are named and
    given units by the header lines above (户籍人口（万人） 男性（万人） … 性别比（女=100））."""
    from ..rules.quantity import unit_table

    units = unit_table()
    out: list[dict[str, Any]] = []
    # whether a line is a row is read once per line (by its start), and the columns once per header
    row_line: dict[int, bool] = {}
    cols_of: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    # the header lines found above each row (by its start): the walk up from a row whose line above
    # is a row goes on exactly as the walk from that row did, so it takes that row's header (else
    # a long table is quadratic: each row would pass all the rows above it again)
    head_of: dict[int, list[str]] = {}
    for m in _num_row_matches(text):
        # header: lines above, up to the table caption or a sentence. The rows of the table are
        # passed without counting them (a row far below its header keeps the column names); the
        # other lines end the walk or are header lines (at most 12)
        head_lines: list[str] = []
        pos = m.start()
        while pos > 0 and len(head_lines) < 12:
            prev_start = text.rfind("\n", 0, pos - 1) + 1
            line = text[prev_start:pos - 1]
            pos = prev_start
            is_row = row_line.get(prev_start)
            if is_row is None:
                is_row = row_line[prev_start] = _NUM_ROW_RE.fullmatch(line) is not None
            if is_row:
                if not head_lines and prev_start in head_of:
                    head_lines = head_of[prev_start]
                    break
                continue
            if "。" in line or len(line) > 60:
                break
            head_lines.insert(0, line)
            if _CAPTION_RE.match(line):
                break
        head_of[m.start()] = head_lines
        head_key = tuple(head_lines)
        cols = cols_of.get(head_key)
        if cols is None:
            cols = cols_of[head_key] = _columns(head_lines, units)
        for part in _ROW_PART_RE.finditer(m.group(0)):
            label = part.group("label")
            nums = list(_NUM_TOKEN_RE.finditer(part.group("nums")))
            use_cols = cols[-len(nums):] if len(cols) >= len(nums) else None
            for j, nm in enumerate(nums):
                v = float(nm.group(0))
                cname, unit = use_cols[j] if use_cols else ("", "")
                mult, base_unit = 1.0, unit
                for p_, m_ in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
                    if unit.startswith(p_):
                        mult, base_unit = m_, unit[len(p_):]
                        break
                a = m.start() + part.start("nums") + nm.start()
                if j > 0 and use_cols and len(cname) <= 2 and use_cols[0][0]:
                    cname = use_cols[0][0] + cname  # 户籍人口 | 男性 -> 户籍人口男性
                name = label + cname
                out.append({"name": name, "canonical": canonical_name(name), "value": v, "unit": unit,
                            "base_value": v * mult, "base_unit": base_unit, "comparator": "eq", "kind": None,
                            "subject": None, "as_of": None, "text": part.group(0)[:60], "span": [a, a + len(nm.group(0))]})
    return out


def _listed(text: str, qs: list[Quantity]) -> list[Quantity]:
    """比上年提高3.9、2.0、2.9个百分点: the listed numbers share the last one's unit."""
    out = []
    # _LIST_BEFORE_RE ends with 、$ (a final newline aside): one pass picks the figures after 、 or
    # a newline (few) before the per-figure tests
    for q in [q for q in qs if q.num_start and text[q.num_start - 1] in "、\n"]:
        if not q.unit or q.chinese or q.range_part:
            continue
        m = _LIST_BEFORE_RE.search(text, max(0, q.num_start - 40), q.num_start)
        if not m or (m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".、")):
            continue
        items = list(_NUM_TOKEN_RE.finditer(m.group(0)))
        if not any("." in it.group(0) for it in items) and "." not in text[q.num_start:q.num_end]:
            continue  # 1、2、3 are more often enumerators than figures
        for it in items:
            v = float(it.group(0))
            a, b = m.start() + it.start(), m.start() + it.end()
            out.append(Quantity(v, q.unit, v * (q.base_value / q.value if q.value else 1), q.base_unit,
                                q.comparator, q.kind, a, b, a, b, False))
    return out


def _slash_fractions(text: str) -> Iterator[re.Match[str]]:
    """The matches of _SLASH_FRACTION_RE.finditer(text), found from the slashes between two digits
    (few) rather than by trying every digit: a match starts where the digits before its slash start."""
    for sl in _DIGIT_SLASH_RE.finditer(text):
        i = sl.start()
        j = i - 1
        while j > 0 and i - j < 4 and text[j - 1].isdecimal():  # isdecimal: what \d matches
            j -= 1
        m = _SLASH_FRACTION_RE.match(text, j)
        if m:
            yield m


def _extra_quantities(text: str) -> list[Quantity]:
    """Unit-less figures the unit layer skips: named ratios (性别比为122.44) and fractions (1/3)."""
    out = []
    for m in _BARE_RATIO_RE.finditer(text):
        v = parse_number(m.group("num"))
        if v is None:
            continue
        pm = _pre_cue_re().search(text, max(0, m.start("num") - 8), m.start("num"))
        cmp_ = comparator_cues()[0].get(pm.group(0), "eq") if pm else "eq"
        out.append(Quantity(v, "", v, "", cmp_, "ratio", pm.start() if pm else m.start("num"), m.end("num"),
                            m.start("num"), m.end("num"), False))
        if m.group("num2"):
            v2 = parse_number(m.group("num2"))
            if v2 is not None:
                out.append(Quantity(v2, "", v2, "", "eq", "ratio", m.start("num2"), m.end("num2"),
                                    m.start("num2"), m.end("num2"), False))
    for m in _RATIO_CHAIN_RE.finditer(text):
        for p in _NUM_TOKEN_RE.finditer(m.group("chain")):
            v = float(p.group(0))
            a, b = m.start("chain") + p.start(), m.start("chain") + p.end()
            out.append(Quantity(v, "", v, "", "eq", "ratio", a, b, a, b, False))
    for m in _slash_fractions(text):
        a, b = int(m.group(1)), int(m.group(2))
        if not b or a >= b:
            continue
        v = round(a / b, 6)
        out.append(Quantity(v, "", v, "", "eq", "fraction", m.start(), m.end(), m.start(), m.end(), False))
    return out


_SHARE_VERB_RE = re.compile(r"占比|占|比重|占比重|所占比重|所占比例|占[^，,。；;、]{1,12}?的?(?:比重|比例)?")
_LIST_SPLIT_RE = re.compile(r"和|、")
_GROUP_OF_RE = re.compile(r"^([\u4e00-\u9fff]{2,10}?)等?[一二三四五六七八九十两\d]{1,2}(?:个|家|所)?(?:地|市|县|区|省|家|类|项|个)[\u4e00-\u9fff]{0,4}?的([\u4e00-\u9fff]{2,12})$")
_LIST_VERB_END_RE = re.compile(r"^(?:分别)|(?:为|达到|达|是|超过|超|约)$")
_GROUP_GAP_RE = re.compile(r"[和、及与]|以及")
_PARTS_SPLIT_RE = re.compile(r"和|、|及|与")
_LIST_VERB_RE = re.compile(r"(?:分别)?(?:为|是|达到|达|超过|超|约|增长|下降|提高|降低|增加|减少|上升|下滑|回落|提升|扩大|缩小|年均增长)$")


def _apply_respectively(text: str, metrics: list[dict[str, Any]]) -> None:
    """A、B(分别)增长3%、5%: as many names listed before the verb as figures after it, in order."""
    c = _cues()
    n = len(metrics)
    spans = [m["span"] for m in metrics]
    # metric j joins the group of j - 1 when 1-2 characters of 和、及与/以及 lie between them; most
    # join none: one pass over the spans finds the joins, and the groups are their runs
    joins = [j for j, (_, a), (b, _) in zip(range(1, n), spans, spans[1:])
             if 0 < b - a <= 2 and _GROUP_GAP_RE.fullmatch(text, a, b)]
    nj = 0
    while nj < len(joins):
        i, j = joins[nj] - 1, joins[nj] + 1  # the group is metrics i .. j - 1
        nj += 1
        while nj < len(joins) and joins[nj] == j:
            j += 1
            nj += 1
        group = list(range(i, j))
        s = metrics[i]["span"][0]
        seg = text[max(0, s - 50):s]
        mb = _HARD_BREAK_RE.search(seg[::-1])
        if mb:
            seg = seg[len(seg) - mb.start():]
        k = seg.rfind("分别")
        if k >= 0:
            clause, verb = seg[:k], seg[k + 2:]
        else:
            mv = _LIST_VERB_RE.search(seg)
            if not mv:
                continue
            clause, verb = seg[:mv.start()], mv.group(0)
        verb = _LIST_VERB_END_RE.sub("", verb)
        parts = [p for p in _PARTS_SPLIT_RE.split(_clean_left(clause, enum=False) if clause else "") if p]
        if len(parts) > len(group):  # 外商及港澳台商投资企业: 及/与 inside one item
            parts = [p for p in _LIST_SPLIT_RE.split(_clean_left(clause, enum=False)) if p]
        if k >= 0 and not _CHANGE_PREFIX_RE.sub("", _clean_left(clause)) and i >= len(group):
            # 接待游客1.2亿人次, 旅游收入1350亿元, 同比分别增长18.3%和21.6%: the figures named before
            prev = metrics[i - len(group):i]
            if all(p_.get("name") and _SENT_BREAK_RE.search(text, p_["span"][1], s) is None for p_ in prev):
                add_verb = verb if c["change"].search(verb or "-") else ""
                for idx, p_ in zip(group, prev):
                    metrics[idx]["name"] = p_["name"] + add_verb
                    if add_verb:
                        metrics[idx]["kind"] = "change"
                    metrics[idx]["canonical"] = canonical_name(metrics[idx]["name"])
                continue
        last_name = metrics[group[-1]].get("name") or ""
        if k >= 0 and last_name and len(parts) != len(group) and (
                not any(metrics[g].get("name") for g in group[:-1])
                or (c["grant_end"].search(last_name) and not any(
                    c["grant_end"].search(metrics[g].get("name") or "") for g in group[:-1]))):
            for idx in group[:-1]:  # 分别给予50万元、30万元奖励: the noun after the last figure names all
                metrics[idx]["name"] = metrics[group[-1]]["name"]
                metrics[idx]["canonical"] = metrics[group[-1]].get("canonical")
            continue
        mg = _GROUP_OF_RE.match(parts[-1]) if len(parts) == len(group) else None
        if mg:  # 东山、西山、南山三地的按时办结率分别为…: each place with the shared name
            parts[-1] = mg.group(1)
            add_verb = verb if c["change"].search(verb or "-") else ""
            for idx, p in zip(group, parts):
                metrics[idx]["name"] = p + mg.group(2) + add_verb
                metrics[idx]["canonical"] = canonical_name(metrics[idx]["name"])
            continue
        if len(parts) == len(group):
            last = parts[-1]
            head = next((h for h in _shared_heads() if last.endswith(h) and len(last) > len(h)), "")
            add_verb = verb if c["change"].search(verb or "-") else ""
            if not add_verb and _SHARE_VERB_RE.fullmatch(verb or ""):
                add_verb = "占比"  # A、B和C分别占比达30%、20%和10%: A占比, B占比, C占比
            for idx, p in zip(group, parts):
                if add_verb:
                    metrics[idx]["kind"] = "change"
                if p is not last and len(p) <= 2 and len(last) > len(p) + 1 and last[:len(p)] != p \
                        and not head.startswith(last[len(p):]):
                    name = p + last[len(p):]  # 城镇和农村居民人均可支配收入 -> 城镇居民人均可支配收入
                elif not head or p.endswith(head) or p[-1] in "数率额量值入资":
                    name = p
                else:
                    name = p + head
                metrics[idx]["name"] = name + add_verb
                metrics[idx]["canonical"] = canonical_name(metrics[idx]["name"])


@lru_cache(maxsize=1)
def _shared_heads() -> list[str]:
    words = []
    for row in _read("metric_cues.tsv"):
        if len(row) >= 2 and row[0] in ("head_noun", "shared_head"):
            words.extend(w for w in row[1].split(",") if w)
    return sorted(set(words), key=len, reverse=True)

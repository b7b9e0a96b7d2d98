"""Chinese time expressions of government notices, resolved against an anchor date.

One master regex (``TIME_RE``) finds candidate expressions in running text; ``interpret``
turns one match into ``date`` (ISO end of the period / the deadline day), ``start``,
``relation`` (by, on, as_of, within, period) and ``duration`` (ISO 8601). Cue words and
the calendar facts that are data (春节 dates, 五年规划 periods) live in
``data/time_cues.json``. ``resolve_time`` is the public, single-expression entry point.

Year-less expressions (6月底前, 全年, 一季度) take ``ref_year`` when the caller knows which
year the passage reports on, else the anchor's year: a month already past in the anchor
year stays in that year (annotation.md).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

__all__ = ["resolve_time", "interpret", "TIME_RE", "iter_times", "iter_times_between", "time_starts",
           "cues", "cn_int"]


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """Cue lists from ``data/time_cues.json`` (loaded once)."""
    try:
        path = resources.files("policyminer") / "data" / "time_cues.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except Exception:  # pragma: no cover - packaging problem; keep working without festivals
        return {}


# ---------------------------------------------------------------- numerals
from .dates import cn_int  # noqa: E402  (shared with absolute-date parsing)


# ---------------------------------------------------------------- the master regex
_NUM = r"(?:[0-9]{1,3}|[零〇○一二两三四五六七八九十百]{1,4})"
_YR = r"(?:(?:19|20)[0-9]{2}|[一二][〇零○一二三四五六七八九]{3})\s?年"
_RELY = r"(?:今年|明年|去年|前年|后年|当年|本年|上年|次年|同年|上一年|下一年)"
_MD = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DD = r"(?:3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_MON = rf"{_MD}\s?月份?(?:底|末|初|上旬|中旬|下旬|上中旬|中下旬)?"
_DAY = rf"{_DD}\s?[日号]"
_HOUR = r"(?:[0-9]{1,2}|[零一二两三四五六七八九十]{1,3})\s?(?:[时点](?:[0-9]{1,2}分)?|[:：][0-9]{2})"
_QTR = r"(?:第?[一二三四1-4]|前[一二两三])季度(?:末|底)?"
_YTAIL = r"(?:年?底|年?末|初|内|度|上半年|下半年|全年)"
_YEARP = rf"(?:{_YR}|{_RELY})"
_RSEP = r"\s?(?:至|到|—|–|－|-|~|～|〜)\s?"
_POINT = (
    rf"(?:{_YEARP}\s?)?(?:{_QTR}|{_MON}(?:\s?{_DAY}(?:\s?{_HOUR})?)?)"  # (year) month (day (hour)) / quarter
    rf"|{_YEARP}{_YTAIL}?"  # 2022年, 2022年底, 今年上半年
    rf"|(?:本月|当月|下月|次月)(?:\s?{_DAY}|底|末|内)?"
    r"|上半年|下半年|全年|年底|年末|年初|年内|月内|月底|月末"
)
_POINT2 = rf"(?:{_POINT}|{_DAY}|{_MD}\s?月)"
_FEST = r"春节|元旦|国庆节?|五一|劳动节|端午节?|中秋节?|清明节?|主汛期|汛期|入汛|汛前"
_PLAN = r"[“\"]?十[一二三四五六]五[”\"]?(?:时期|期间|规划期|末|初)"
_SPAN = r"(?:刚刚)?过去的?|这|今后|未来"
_DPRE = (r"不得超过|最长不超过|不超过|不超|最长|压缩至|压缩到|压减至|缩短至|缩短到|缩减至|控制在|减少至|降至"
         r"|每?个?(?:季度|月|年度?)终了后|未来|今后")
DPRE_RE = re.compile(rf"(?:{_DPRE})")
_DUNIT = r"个?工作日|个?自然日|日|天|周|个?星期|个月|个?小时|年"

# every expression starts with one of these characters: a cheap first test that lets the
# engine skip most positions (5x faster on long notices)
_FIRST = (r"(?=[0-9]{1,4}\s?[年月日号天周时个小工季星自\-~～〜—－–至到]"
          r"|[零〇○一二两三四五六七八九十百]{1,4}\s?[年月日号天周时个小工季星自\-~～〜—－–至到前劳节期末初规]"
          r"|[截至到于在自从即今明去前后当本上下次同全年月季第春元国劳端中清主汛入“\"刚过这未目规法公承办约限每不最压缩控减降半期时])")

# The cue chars (在, 年, 中, 全, 上 …) stand in every sentence, and at each of them the
# engine would try the whole grammar below. So a cue char is tried only when the next char
# can continue an expression: its possible second chars, read off the grammar (a
# preposition before any expression, 截至/截止, 即日起, relative years 今年/上一年,
# quarters 第一季度/前三季度, 上半年/年底/月末, 本月, festivals, plans “十四五”, spans 过去五年,
# duration prefixes 不超过/每季度终了后, 半年, 目前, limits 公示期限/期限内/限期). TIME_RE then
# matches exactly what it matches with _FIRST (tests/test_timeexpr.py checks this) and
# runs twice as fast. A cue char missing here keeps the one-char test.
_CUES = "截至到于在自从即今明去前后当本上下次同全年月季第春元国劳端中清主汛入“\"刚过这未目规法公承办约限每不最压缩控减降半期时"
_ANY_START = r"\s0-9零〇○一二两三四五六七八九十百" + _CUES + "期时个"  # first chars of any expression
_CUE_NEXT = {
    "截": "[至止]", "即": "日",
    "至": f"[{_ANY_START}]", "到": f"[{_ANY_START}]", "于": f"[{_ANY_START}]", "在": f"[{_ANY_START}]",
    "自": f"[{_ANY_START}]", "从": f"[{_ANY_START}]",  # 自即日起 too: 即 is a cue char
    "今": "[年后]", "明": "年", "去": "年", "前": "[年一二两三]", "后": "年", "当": "[年月]", "本": "[年月]",
    "上": "[年一半]", "下": "[一半月]", "次": "[年月]", "同": "年", "全": "年", "年": "[底末初内度终]",
    "月": "[内底末终]", "季": "度", "第": "[一二三四1-4]", "春": "节", "元": "旦", "国": "庆", "劳": "动",
    "端": "午", "中": "秋", "清": "明", "主": "汛", "汛": "[期前]", "入": "汛", "“": "十", "\"": "十",
    "刚": "刚", "过": "去", "这": "[0-9零〇○一二两三四五六七八九十百]", "未": "来", "目": "前", "规": "定",
    "法": "定", "公": "示", "承": "诺", "办": "理", "约": "定", "限": "[期时]", "期": "限", "时": "限", "每": "[个季月年]",
    "不": "[得超]", "最": "长", "压": "[缩减]", "缩": "[短减]", "控": "制", "减": "少", "降": "至",
    "半": r"[\s个工自日天周星小年]",
}
# an Arabic or Chinese number starts an expression when a unit (or a range sign) follows it;
# what may follow its first char is also what the start table below marks
# 星/自: 3星期, 5自然日 (without 个); 〜 (U+301C) is a range sign too
_DIGIT_UNITS = r"年月日号天周时个小工季星自\-~～〜—－–至到"
_CN_DIGITS = "零〇○一二两三四五六七八九十百"
_NUMERALS = frozenset("0123456789" + _CN_DIGITS)
_CN_UNITS = _DIGIT_UNITS + "前劳节期末初规"  # 规: 十四五规划期
_DIGIT_NEXT = rf"[0-9\s{_DIGIT_UNITS}]"
# the one-char prepositions of the pre group, which no expression itself starts with
_PREPOSITIONS = "至到于在自从"
# what a digit-led expression holds within five chars of its start: 年/月/季 (a year, month,
# quarter), a range sign, or a duration's unit. Not 个: after at most three digits and a
# space, 个 is a duration's (个月, 个工作日, 个自然日, 个星期, 个小时) and its next char, still
# within five, says so; 12个服务组 then starts nothing. Not 号 or 时: a day or hour comes
# only after a month or a range sign. (A Chinese numeral may run to four chars: 个 stays.)
_DIGIT_NEAR = "".join(c for c in _DIGIT_UNITS if c not in "个号时")
_CN_NEXT = rf"[{_CN_DIGITS}\s{_CN_UNITS}]"
_FIRST_TIGHT = (
    rf"(?=[0-9]{{1,4}}\s?[{_DIGIT_UNITS}]"
    rf"|[{_CN_DIGITS}]{{1,4}}\s?[{_CN_UNITS}]"
    # the cheap char-class test first: most positions hold no cue char at all
    + "|(?=[" + _CUES + "])(?:" + "|".join(re.escape(c) + f"(?={nxt})" for c, nxt in _CUE_NEXT.items())
    + ("|[" + "".join(c for c in _CUES if c not in _CUE_NEXT) + "]" if set(_CUES) - set(_CUE_NEXT) else "")
    + "))"
)

# a range: its sign (_RSEP) comes after its first end, within _RANGE_REACH chars of the
# expression's start (the pre group and the longest first end; tests/test_timeexpr.py checks
# the bound against the grammar)
_RANGE = (rf"(?:{_POINT}){_RSEP}(?:{_POINT2})|{_YEARP}?\s?{_MD}{_RSEP}{_MD}\s?月份?"
          rf"|(?:19|20)[0-9]{{2}}{_RSEP}(?:19|20)[0-9]{{2}}\s?年")
_RANGE_SIGNS = "至到—–－-~～〜"  # the chars of _RSEP
_RANGE_REACH = 38  # a range's sign stands in text[start + 1:start + _RANGE_REACH]


def _body(range_alt: str) -> str:
    return (
        r"(?:(?P<pre>[自从]?即日起[至到]|截至到?|截止到?|截止至|至|到|于|在|自|从)\s?)?"
        r"(?:"
        rf"(?P<range>{range_alt})"
        rf"|(?P<fest>(?:{_YEARP})?(?:{_FEST}))(?=前|之前|以前|期间|后)"
        rf"|(?P<plan>{_PLAN})"
        rf"|(?P<span>(?:{_SPAN})(?:{_NUM}))年(?![0-9])"
        rf"|(?P<point>{_POINT}(?:\s?{_DAY})?)"
        rf"|(?P<dur>(?:(?:{_DPRE})\s?)?(?:{_NUM}(?:\s?[-~～〜至到]\s?{_NUM})?|半)\s?(?:{_DUNIT}))"
        r"|(?P<now>目前)"
        r"|(?P<limit>(?:规定|法定|公示|承诺|办理|约定)?(?<!有效)(?:期限|时限)内|限期|限时)"  # not 有效期限内: a validity period
        r")"
        r"(?P<suf>底前|末前|之前|以前|前|以内|之内|内|期间|以来|起|开始|至今|止|后)?"
    )


_BODY = _body(_RANGE)
TIME_RE = re.compile(_FIRST_TIGHT + _BODY)
# TIME_RE where no range sign follows a start: trying the range alternative (its first end
# parsed again and again) is ~40% of a match call, and most starts have no range sign near.
# Same groups (range never set), so the same match wherever the range cannot match.
_NO_RANGE_RE = re.compile(_FIRST_TIGHT + _body("(?!)"))

# the same matches as TIME_RE.finditer, found faster over long texts: a pattern that starts
# with a char class lets the engine jump from start char to start char in C (TIME_RE starts
# with a lookahead, so it is entered at every position); only where the start test passes
# is the grammar tried
_TIME_START = re.compile(f"[0-9零〇○一二两三四五六七八九十百{_CUES}](?<=(?={_FIRST_TIGHT}).)")


# numpy's fixed cost per call pays off from a few hundred chars; short texts (a title, one
# expression) keep the regex and do not import numpy
_NUMPY_MIN_CHARS = 500
_PAIRS: list[Any] = []  # the start table, built on first use


def _start_table(np: Any) -> Any:
    """Which (first char, second char) pairs may start an expression, by the low 10 bits of
    both code points (a superset: TIME_RE.match decides). Read off the start test above:
    a digit or Chinese numeral and what may follow it, each cue char and its second chars."""
    if not _PAIRS:
        table = np.zeros(1 << 20, dtype=bool)
        rows = [(c, _DIGIT_NEXT) for c in "0123456789"] + [(c, _CN_NEXT) for c in _CN_DIGITS]
        rows += [(c, _CUE_NEXT.get(c, "(?s:.)")) for c in _CUES]
        # every char a second-char class may match: the whitespace of \s lies below U+3001,
        # the others are written out in the classes
        universe = "".join(chr(i) for i in range(0x3001)) + "".join(sorted(
            set(_DIGIT_NEXT + _CN_NEXT + "".join(_CUE_NEXT.values())) - {chr(i) for i in range(0x3001)}))
        seconds: dict[str, list[int]] = {}
        for first, nxt in rows:
            if nxt not in seconds:
                seconds[nxt] = sorted({ord(x) & 1023 for x in re.findall(nxt, universe)})
            if nxt == "(?s:.)":  # any second char, or none (the last char of the text)
                table[(ord(first) & 1023) << 10:((ord(first) & 1023) + 1) << 10] = True
            else:
                table[[(ord(first) & 1023) << 10 | x for x in seconds[nxt]]] = True
        # a number starts an expression only with a unit within five chars (1-4 numerals, a
        # space): units by the low 10 bits (bit 1 after digits, bit 2 after Chinese numerals;
        # a superset), numerals by their exact code point (BMP; one more entry for the rest).
        # The pair test reads low bits only (件, 水, 破 share them with cue chars): the first
        # char is checked exactly too, cue chars marked with bit 4
        units = np.zeros(1024, dtype=np.uint8)
        numerals = np.zeros(0x10001, dtype=np.uint8)
        for bit, chars, cls in ((1, "0123456789", _DIGIT_NEAR), (2, _CN_DIGITS, _CN_UNITS)):
            units[[ord(c) & 1023 for c in re.findall(f"[{cls}]", universe)]] |= bit
            numerals[[ord(c) for c in chars]] = bit
        numerals[[ord(c) for c in _CUES]] = 4  # all in the BMP, none a numeral
        numerals[[ord(c) for c in _PREPOSITIONS]] |= 8
        # range signs by their low 10 bits (bit 16 of the units table: a superset, read off
        # the text with the units)
        units[[ord(c) & 1023 for c in _RANGE_SIGNS]] |= 16
        _PAIRS.extend((table, units, numerals))
    return _PAIRS


def _numpy() -> Any:
    try:
        import numpy

        return numpy
    except ImportError:  # pragma: no cover - numpy comes with scikit-learn and pandas
        return None


class Starts(list):  # type: ignore[type-arg]
    """What time_starts gives: the positions (a list of ints, in order) and, in ``ranged``,
    for each whether a range sign follows within _RANGE_REACH chars (else no range can
    start there, and the grammar is tried without its range alternative)."""

    def __init__(self, at: list[int], ranged: list[bool]) -> None:
        super().__init__(at)
        self.ranged = ranged


def time_starts(text: str) -> Starts | None:
    """Positions where an expression may start, from one numpy pass over the char pairs of a
    long text (a regex scan tests a large char class at every position, ~3x slower); None
    for a short text or without numpy."""
    if len(text) < _NUMPY_MIN_CHARS:
        return None
    np = _numpy()
    if np is None:
        return None
    # numpy costs ~1 us a call whatever the size, and a notice is a few thousand chars: few
    # calls, each over the whole text, rather than many over the candidates
    table, units, numerals = _start_table(np)
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    low = cp & 1023
    pairs = low << 10  # the last char pairs with 0
    pairs[:-1] |= low[1:]
    at = np.flatnonzero(table.take(pairs))
    # numbers pass the pair test whatever digit follows (12345.67): keep those with a unit
    # in the next five chars (cue chars, bit 4, pass)
    unit = np.zeros(n + 5, dtype=np.uint8)
    unit[:n] = units.take(low)
    near = unit[1:n + 1] | unit[2:n + 2] | unit[3:n + 3] | unit[4:n + 4] | unit[5:n + 5]
    kind = numerals.take(np.minimum(cp.take(at), 0x10000))
    sel = (kind & (near.take(at) | 4)) != 0
    at, kind = at[sel], kind[sel]
    # for each start, whether a range sign (or a char sharing its low bits) stands in
    # text[start + 1:start + _RANGE_REACH]
    sign_at = np.flatnonzero(unit & 16)
    ranged = (np.searchsorted(sign_at, at + 1) != np.searchsorted(sign_at, at + _RANGE_REACH)).tolist()
    starts = at.tolist()
    # a preposition starts an expression only when one starts right after it (or after a
    # space): 在全省, 从严 start nothing. After it: a start that passed the tests above (the
    # next start within two chars), or any numeral (自3星期 is matched though 3星期 alone
    # fails a number's start test). Few per notice: checked here one by one
    drop = [k for k in np.flatnonzero(kind & 8).tolist()
            if not (k + 1 < len(starts) and starts[k + 1] <= starts[k] + 2)
            and not any(c in _NUMERALS for c in text[starts[k] + 1:starts[k] + 3])]
    for k in reversed(drop):
        del starts[k], ranged[k]
    return Starts(starts, ranged)


def _ranged(starts: list[int]) -> list[bool]:
    """Per start, whether the range alternative must be tried (always, for a plain list)."""
    ranged = getattr(starts, "ranged", None)
    return ranged if ranged is not None else [True] * len(starts)


def iter_times(text: str, starts: list[int] | None = None) -> Iterator[re.Match[str]]:
    """The matches of ``TIME_RE.finditer(text)``, found faster. ``starts``: what
    ``time_starts(text)`` gave, when the caller has it already."""
    match = TIME_RE.match
    if starts is None:
        starts = time_starts(text)
    if starts is not None:
        pos = 0
        plain = _NO_RANGE_RE.match
        for i, ranged in zip(starts, _ranged(starts)):
            if i >= pos:
                m = (match if ranged else plain)(text, i)
                if m is not None:
                    yield m
                    pos = m.end()  # TIME_RE never matches the empty string
        return
    search = _TIME_START.search
    pos = 0
    while True:
        hit = search(text, pos)
        if hit is None:
            return
        m = match(text, hit.start())
        if m is None:
            pos = hit.start() + 1
            continue
        yield m
        pos = max(m.end(), hit.start() + 1)  # TIME_RE never matches the empty string


def iter_times_between(text: str, starts: list[int], lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The matches of ``TIME_RE.finditer(text[lo:hi])``, as matches in ``text`` (offsets in
    ``text``); ``starts`` from ``time_starts(text)``. Its positions in [lo, hi) are a
    superset of the starts in the slice too: the start test only looks ahead, and sees no
    more in the slice than in the text; TIME_RE has no look-behind and no anchor, so
    matching with ``hi`` as end position is matching the slice."""
    match, plain = TIME_RE.match, _NO_RANGE_RE.match
    ranged = _ranged(starts)
    pos = lo
    for k in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
        i = starts[k]
        if i >= pos:
            # no range sign in text[i + 1:i + _RANGE_REACH]: none before hi either
            m = (match if ranged[k] else plain)(text, i, hi)
            if m is not None:
                yield m
                pos = m.end()


_Y4 = re.compile(r"((?:19|20)[0-9]{2}|[一二][〇零○一二三四五六七八九]{3})\s?年")
_RELY_RE = re.compile(_RELY)
_MONTH_RE = re.compile(rf"({_MD})\s?月(份)?(底|末|初|上旬|中旬|下旬|上中旬|中下旬)?")
_DAY_RE = re.compile(rf"(?<![0-9])({_DD})\s?[日号]")
_QTR_RE = re.compile(r"(?:第?([一二三四1-4])|前([一二两三]))季度(末|底)?")
_DUR_RE = re.compile(rf"({_NUM}|半)(?:\s?[-~～〜至到]\s?({_NUM}))?\s?({_DUNIT})")
_RANGE_SPLIT = re.compile(_RSEP)
_MD_RANGE = re.compile(rf"^({_YEARP})?\s?({_MD}){_RSEP}({_MD})\s?月份?$")

# compiled once: interpret runs for every match of every notice
_SPACES = re.compile(r"\s+")
_QUOTES = re.compile(r"[“”\"]")
_SPAN_HEAD = re.compile(r"^(?:刚刚)?过去的?|^这|^今后|^未来")
_YEAR4 = re.compile(r"(?:19|20)[0-9]{2}")

_REL_OFFSET = {"今年": 0, "本年": 0, "当年": 0, "同年": 0, "明年": 1, "次年": 1, "下一年": 1,
               "后年": 2, "去年": -1, "上年": -1, "上一年": -1, "前年": -2}


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        return None


def _as_date(anchor: Any) -> dt.date | None:
    if anchor is None:
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    try:
        return dt.date.fromisoformat(str(anchor).strip()[:10])
    except ValueError:
        return None


def _year_of(s: str, anchor: dt.date | None, ref_year: int | None,
             report_year: int | None = None) -> tuple[int | None, bool]:
    """(year, explicit) for the year part of an expression; None when unknown."""
    # both year patterns end in 年: without it neither is searched (interpret runs per match)
    m = _Y4.search(s) if "年" in s else None
    if m:
        y = cn_int(m.group(1))
        return (y if y and 1900 <= y <= 2100 else None), True
    m = _RELY_RE.search(s) if "年" in s else None
    if m:
        word = m.group(0)
        if anchor is None:
            return None, False
        if word in ("今年", "本年") and report_year:
            return report_year, False
        if word in ("当年", "同年") and ref_year:
            return ref_year, False
        return anchor.year + _REL_OFFSET.get(word, 0), False
    if anchor is None:
        return None, False
    return (ref_year or report_year or anchor.year), False


def _point_bounds(s: str, anchor: dt.date | None, ref_year: int | None,
                  report_year: int | None = None) -> tuple[dt.date | None, dt.date | None, str]:
    """(start, end, grain) of one point expression; grain in day/month/quarter/half/year."""
    y, _explicit = _year_of(s, anchor, ref_year, report_year)
    # each pattern needs its literal (季度, 月, 日/号): without it, no search
    q = _QTR_RE.search(s) if "季度" in s else None
    mm = _MONTH_RE.search(s) if "月" in s else None
    dd = _DAY_RE.search(s) if ("日" in s or "号" in s) else None
    if y is None:
        grain = "day" if dd else "month" if mm else "quarter" if q else "year"
        if "末" in s or "底" in s:
            grain += "_end"
        return None, None, grain
    if q:
        if q.group(1):
            n = cn_int(q.group(1)) or 1
            start, end = dt.date(y, 3 * n - 2, 1), _month_end(y, 3 * n)
        else:
            n = cn_int(q.group(2)) or 1
            start, end = dt.date(y, 1, 1), _month_end(y, 3 * n)
        return start, end, "quarter_end" if q.group(3) else "quarter"
    if mm:
        m = cn_int(mm.group(1))
        if not m or not 1 <= m <= 12:
            return None, None, "month"
        if dd:
            d = cn_int(dd.group(1))
            day = _safe_date(y, m, d or 0)
            return day, day, "day"
        mod = mm.group(3) or ""
        start, end = dt.date(y, m, 1), _month_end(y, m)
        if mod == "上旬":
            end = dt.date(y, m, 10)
        elif mod == "中旬":
            start, end = dt.date(y, m, 11), dt.date(y, m, 20)
        elif mod == "下旬":
            start = dt.date(y, m, 21)
        elif mod == "中下旬":
            start = dt.date(y, m, 11)
        elif mod == "上中旬":
            end = dt.date(y, m, 20)
        elif mod == "初":
            end = dt.date(y, m, 10)
        return start, end, ("month_end" if mod in ("底", "末") else "month")
    if "上半年" in s:
        return dt.date(y, 1, 1), dt.date(y, 6, 30), "half"
    if "下半年" in s:
        return dt.date(y, 7, 1), dt.date(y, 12, 31), "half"
    if "本月" in s or "当月" in s or "下月" in s or "次月" in s or "月内" in s or "月底" in s or "月末" in s:
        if anchor is None:
            return None, None, ("day" if dd else "month")
        y2, m2 = anchor.year, anchor.month
        if "下月" in s or "次月" in s:
            y2, m2 = (y2 + 1, 1) if m2 == 12 else (y2, m2 + 1)
        if dd:
            day = _safe_date(y2, m2, cn_int(dd.group(1)) or 0)
            return day, day, "day"
        return dt.date(y2, m2, 1), _month_end(y2, m2), (
            "month_end" if ("底" in s or "末" in s) else "month")
    if "年初" in s or s.endswith("初"):
        return dt.date(y, 1, 1), dt.date(y, 1, 31), "year_start"
    if "年中" in s or s.endswith("年中"):
        return dt.date(y, 1, 1), dt.date(y, 6, 30), "half"
    grain = "year_end" if ("底" in s or "末" in s) else "year"
    return dt.date(y, 1, 1), dt.date(y, 12, 31), grain


def _duration(s: str) -> tuple[str | None, bool | None]:
    m = _DUR_RE.search(s)
    if not m:
        return None, None
    unit = m.group(3)
    if m.group(1) == "半":  # 半年内, 半个月内
        return {"年": "P6M", "个月": "P15D", "日": "PT12H", "天": "PT12H"}.get(unit, None), False
    n = cn_int(m.group(2) or m.group(1))
    if n is None:
        return None, None
    if "工作日" in unit:
        return f"P{n}D", True
    if "小时" in unit:
        return f"PT{n}H", False
    if unit in ("日", "天") or "自然日" in unit:
        return f"P{n}D", False
    if unit == "周" or "星期" in unit:
        return f"P{n}W", False
    if "月" in unit:
        return f"P{n}M", False
    return f"P{n}Y", False


def interpret(m: re.Match[str], anchor: Any = None, ref_year: int | None = None,
              report_year: int | None = None) -> dict[str, Any] | None:
    """Meaning of one ``TIME_RE`` match: text, date, start, relation, duration, working_days.

    Returns None for start points (…以来, 自…起) which are not deadlines.
    """
    try:
        return _interpret(m, _as_date(anchor), ref_year, report_year)
    except Exception:
        return None


def _interpret(m: re.Match[str], anchor: dt.date | None, ref_year: int | None,
               report_year: int | None) -> dict[str, Any] | None:
    pre, suf = m.group("pre") or "", m.group("suf") or ""
    kind = m.lastgroup  # the body's group, closed last unless a suffix follows
    if kind == "suf" or kind == "pre" or kind is None:
        for k in ("range", "fest", "plan", "span", "dur", "point", "now", "limit"):
            if m.group(k) is not None:
                kind = k
                break
    core = m.group(kind) or ""
    if suf in ("以来", "起", "开始", "至今"):
        return None
    out: dict[str, Any] = {"text": None, "date": None, "start": None, "relation": "period",
                           "duration": None, "working_days": None, "kind": kind}
    keep_pre = pre if (pre in ("截至到", "截止到", "截止至", "截至", "截止", "至", "到") or "即日" in pre) else ""
    text = keep_pre + core + (suf if suf not in ("止", "后") else "")
    by = suf in ("前", "之前", "以前", "底前", "末前")
    as_of = pre.startswith("截")

    if kind == "dur":
        dur, wd = _duration(core)
        drop = cues().get("duration_prefixes_drop", [])
        shown = core
        for p in drop:
            if shown.startswith(p):
                shown = shown[len(p):]
                break
        text = shown + (suf if suf in ("以内", "之内", "内") else "")
        out.update(relation="within", duration=dur, working_days=wd)
        if not dur:
            return None
    elif kind == "limit":
        out.update(relation="within")
    elif kind == "now":
        out.update(relation="as_of")
    elif kind == "plan":
        name = _QUOTES.sub("", core)[:3]
        yrs = cues().get("plans", {}).get(name)
        if yrs:
            out["start"] = f"{yrs[0]}-01-01"
            out["date"] = f"{yrs[1]}-12-31"
        out["relation"] = "as_of" if core.endswith("末") else "period"
    elif kind == "span":
        n = cn_int(_SPAN_HEAD.sub("", core)) or 1
        if anchor is not None:
            if core.startswith(("今后", "未来")):
                out["start"] = f"{anchor.year}-01-01"
                out["date"] = f"{anchor.year + n - 1}-12-31"
            else:
                out["start"] = f"{anchor.year - n}-01-01"
                out["date"] = f"{anchor.year - 1}-12-31"
        out["duration"] = f"P{n}Y"
        text = core + "年"
        if suf in ("内", "以内", "之内"):
            out.update(relation="within", date=None, start=None)
            text += suf
    elif kind == "fest":
        y, _ = _year_of(core, anchor, ref_year if suf == "期间" else None, report_year)
        name = _RELY_RE.sub("", _Y4.sub("", core)).strip("“”\"")
        day = None
        if y is not None:
            if name == "春节":
                md = cues().get("spring_festival", {}).get(str(y))
                day = dt.date.fromisoformat(f"{y}-{md}") if md else None
            else:
                md = cues().get("festivals_fixed", {}).get(name)
                day = dt.date.fromisoformat(f"{y}-{md}") if md else None
        if suf == "期间":
            out.update(relation="period", date=None)
        elif suf == "后":
            return None
        else:
            out.update(relation="by", date=_iso(day))
    elif kind == "range":
        parts = _RANGE_SPLIT.split(core, maxsplit=1)
        mr = _MD_RANGE.match(core)
        if mr:
            yp = mr.group(1) or ""
            s0, e0, _ = _point_bounds(f"{yp}{mr.group(2)}月", anchor, ref_year, report_year)
            s1, e1, _ = _point_bounds(f"{yp}{mr.group(3)}月", anchor, ref_year, report_year)
        elif len(parts) == 2 and _YEAR4.fullmatch(parts[0].strip()):
            y0, y1 = int(parts[0]), cn_int(parts[1].strip().rstrip("年").strip()) or 0
            s0, e1 = _safe_date(y0, 1, 1), _safe_date(y1, 12, 31)
        else:
            a, b = parts[0], parts[1] if len(parts) > 1 else ""
            s0, e0, _ = _point_bounds(a, anchor, ref_year, report_year)
            # the second end inherits what it leaves out (year, month) from the first
            yb = _Y4.search(b) or _RELY_RE.search(b)
            if not yb:
                ya = (_Y4.search(a) or _RELY_RE.search(a))
                if ya:
                    b = ya.group(0) + b
            if not _MONTH_RE.search(b) and _DAY_RE.search(b):
                ma = _MONTH_RE.search(a)
                if ma:
                    b = (_Y4.search(a).group(0) if _Y4.search(a) else "") + ma.group(1) + "月" + b
            s1, e1, _ = _point_bounds(b, anchor, ref_year, report_year)
        out.update(relation="period", start=_iso(s0), date=_iso(e1))
        if by:
            out["relation"] = "by"
    elif kind == "point":
        # a deadline (…前, …内) of a notice looks ahead from its own date, whatever year the
        # passage before it talked about
        ry = None if (by or suf in ("内", "以内", "之内")) else ref_year
        s0, e0, grain = _point_bounds(core, anchor, ry, report_year)
        out.update(start=_iso(s0), date=_iso(e0))
        if grain in ("month_end", "quarter_end"):
            out["grain_end"] = True
        if by:
            out["relation"] = "by"
            if grain == "day" and suf in ("前", "之前", "以前"):
                out["start"] = None
        elif as_of:
            out["relation"] = "as_of"
        elif pre in ("至", "到") or "即日" in pre:
            past = anchor is not None and e0 is not None and e0 < anchor
            out["relation"] = "as_of" if (past and grain.endswith("_end")) or (past and grain == "day") else "by"
            if past and grain in ("year", "half", "quarter", "month"):
                out["relation"] = "as_of"
        elif suf in ("内", "以内", "之内") or core.endswith("内"):
            out["relation"] = "within"
        elif grain == "day":
            out["relation"] = "on"
        elif core.endswith("年末") or (core.endswith("末") and grain == "year_end"):
            out["relation"] = "as_of"
        elif grain.endswith("_end"):
            # 6月底 ahead of the notice is a deadline; 12月末 behind it is a stock-taking date
            past = anchor is not None and e0 is not None and e0 < anchor
            out["relation"] = "as_of" if past else "by"
        elif grain == "year" and anchor is not None and e0 is not None and e0.year > anchor.year \
                and _Y4.match(core):
            out["relation"] = "by"  # a target year ahead of the notice (实现2035年…翻一番)
        else:
            out["relation"] = "period"
    if as_of and kind in ("point", "range", "now"):
        # 截止6月30日 in a notice of March is a closing date, not a stock-taking date
        future = anchor is not None and out.get("date") and out["date"] > anchor.isoformat()
        out["relation"] = "by" if future else "as_of"
    if "即日" in pre and kind == "point":  # 即日起至2024年12月31日: from the document date to X
        out.update(relation="period", start=_iso(anchor))
    if out["relation"] in ("by", "as_of", "within"):
        out["start"] = None  # a deadline or a stock-taking date has no start
    out["text"] = _SPACES.sub("", text)
    return out


def resolve_time(text: str, anchor: Any = None, ref_year: int | None = None) -> dict[str, Any] | None:
    """Resolve one time expression against ``anchor`` (a date or ISO string).

    Returns None unless the whole of ``text`` is a time expression; else a dict with
    ``date`` (ISO end of the period or the deadline day), ``start``, ``relation``
    (by, on, as_of, within, period), ``duration`` (ISO 8601) and ``working_days``.

    >>> r = resolve_time("4月底前", "2020-04-21"); r["date"], r["relation"]
    ('2020-04-30', 'by')
    >>> r = resolve_time("截至7月10日", "2023-07-11"); r["date"], r["relation"]
    ('2023-07-10', 'as_of')
    >>> r = resolve_time("3个工作日内", "2020-05-27"); r["duration"], r["working_days"], r["relation"]
    ('P3D', True, 'within')
    >>> r = resolve_time("上半年", "2024-02-29"); r["start"], r["date"]
    ('2024-01-01', '2024-06-30')
    >>> resolve_time("2月底前", "2024-01-05")["date"]
    '2024-02-29'
    >>> resolve_time("召开会议", "2024-01-05") is None
    True
    """
    try:
        s = re.sub(r"\s+", "", text or "")
        if not s or len(s) > 40:
            return None
        m = TIME_RE.fullmatch(s)
        if not m:
            return None
        r = interpret(m, anchor, ref_year)
        if r is not None:
            r.pop("kind", None)
            r.pop("grain_end", None)
        return r
    except Exception:
        return None

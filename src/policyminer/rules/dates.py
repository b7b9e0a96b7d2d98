"""Absolute dates as written in notices: 2020年4月21日, 2020-04-21, 二〇二〇年四月二十一日."""

from __future__ import annotations

import datetime as dt
import re

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
CN_MD = "[一二三四五六七八九十]{1,3}"
ABS_DATE = re.compile(
    rf"((?:19|20)\d{{2}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"
    rf"|((?:19|20)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})"
    rf"|({CN_YEAR})\s*年\s*({CN_MD})\s*月\s*({CN_MD})\s*日")
ABS_MONTH = re.compile(rf"((?:19|20)\d{{2}})\s*年\s*(\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*日)|({CN_YEAR})\s*年\s*({CN_MD})\s*月(?!\s*{CN_MD}\s*日)")


def cn_int(s: str) -> int | None:
    """Small integers written in Arabic or Chinese numerals (十二, 二十三, 二〇二〇, 3).

    >>> cn_int("二十三"), cn_int("十"), cn_int("二〇二〇"), cn_int("12"), cn_int("百")
    (23, 10, 2020, 12, 100)
    """
    s = (s or "").strip()
    if not s:
        return None
    if s.isdigit():
        try:
            return int(s)
        except ValueError:
            return None
    if all(c in _CN_DIGIT for c in s):  # digit by digit: 二〇二〇
        n = 0
        for c in s:
            n = n * 10 + _CN_DIGIT[c]
        return n
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGIT:
            cur = _CN_DIGIT[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def _cn(s: str) -> int:
    return cn_int(s) or 0


def _mk(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(s: str) -> str | None:
    """ISO date of the first full date in ``s``; a month-only date gives its first day."""
    m = ABS_DATE.search(s)
    if m:
        g = m.groups()
        if g[0]:
            return _mk(int(g[0]), int(g[1]), int(g[2]))
        if g[3]:
            return _mk(int(g[3]), int(g[4]), int(g[5]))
        return _mk(_cn(g[6]), _cn(g[7]), _cn(g[8]))
    m = ABS_MONTH.search(s)
    if m:
        g = m.groups()
        if g[0]:
            return _mk(int(g[0]), int(g[1]), 1)
        return _mk(_cn(g[2]), _cn(g[3]), 1)
    return None

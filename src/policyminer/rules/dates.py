"""Absolute dates as written in notices: 2020年4月21日, 2020-04-21, 二〇二〇年四月二十一日."""

from __future__ import annotations

import datetime as dt
import re

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
CN_MD = "[一二三四五六七八九十]{1,3}"
ABS_DATE = re.compile(
    rf"((?:19|20)\d{{2}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"
    rf"|((?:19|20)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})"
    rf"|({CN_YEAR})\s*年\s*({CN_MD})\s*月\s*({CN_MD})\s*日")
ABS_MONTH = re.compile(rf"((?:19|20)\d{{2}})\s*年\s*(\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*日)|({CN_YEAR})\s*年\s*({CN_MD})\s*月(?!\s*{CN_MD}\s*日)")


def cn_small(s: str) -> int:
    """一..三十一 and 〇-digits to int (years are read digit by digit)."""
    if all(c in _CN_DIGIT for c in s) and len(s) > 1 and "十" not in s:
        v = 0
        for c in s:
            v = v * 10 + _CN_DIGIT[c]
        return v
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT.get(a, 1) if a else 1) * 10 + (_CN_DIGIT.get(b, 0) if b else 0)
    return _CN_DIGIT.get(s, 0) if len(s) == 1 else int(s)


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
        return _mk(cn_small(g[6]), cn_small(g[7]), cn_small(g[8]))
    m = ABS_MONTH.search(s)
    if m:
        g = m.groups()
        if g[0]:
            return _mk(int(g[0]), int(g[1]), 1)
        return _mk(cn_small(g[2]), cn_small(g[3]), 1)
    return None

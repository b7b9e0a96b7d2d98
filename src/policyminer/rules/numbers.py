"""Numerals as written in Chinese notices -> floats.

Notices mix Arabic digits (3,340 / 89.1 / 5.3％), Chinese numerals (三千四百, 两千, 十余, 一百),
mixtures (3.5万, 1.2亿) and word forms (九成, 百分之九十五, 千分之三, 三分之一). The metric
component needs one small, total parser for all of them: every function here returns ``None``
instead of raising, so that arbitrary text never breaks extraction.
"""

from __future__ import annotations

import re

CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
            "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
            "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNIT = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

#: characters that may make up a Chinese numeral (without 万/亿, which the unit layer reads)
CN_NUM_CHARS = "零〇○一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
#: an Arabic number: 1,100.76 / 3340 / 0.5 / .5 is not accepted (too often a list marker)
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: a Chinese numeral made of digits and 十百千 (万/亿 are multipliers handled by units)
CHINESE = rf"[{CN_NUM_CHARS}]+"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"

_ARABIC_RE = re.compile(rf"^(?:{ARABIC})$")
_CHINESE_RE = re.compile(rf"^[{CN_NUM_CHARS}万萬亿億]+$")
_PCT_RE = re.compile(rf"^百分之({NUMBER}(?:点[{CN_NUM_CHARS}]+)?)$")
_PERMILLE_RE = re.compile(rf"^千分之({NUMBER})$")
_FRACTION_RE = re.compile(rf"^({NUMBER})分之({NUMBER})$")
_SLASH_FRACTION_RE = re.compile(r"^(\d+)/(\d+)$")
_CHENG_RE = re.compile(rf"^({NUMBER}(?:\.\d+)?)成$")


def _chinese_section(s: str) -> int | None:
    """Value of a numeral below 10000 (三千四百, 十二, 一百零五, 两千)."""
    total, digit = 0, None
    for ch in s:
        if ch in CN_DIGIT:
            if digit is not None:  # two digits in a row: read as positional (二〇二二)
                digit = digit * 10 + CN_DIGIT[ch]
            else:
                digit = CN_DIGIT[ch]
        elif ch in CN_SMALL_UNIT:
            mult = CN_SMALL_UNIT[ch]
            total += (1 if digit is None else digit) * mult
            digit = None
        else:
            return None
    if digit is not None:
        # 三千五 -> 3500, 两万三 (handled above) ; a trailing digit after 千/百 is one place lower
        if total and s[-2:-1] and s[-2] in CN_SMALL_UNIT and digit < 10:
            total += digit * CN_SMALL_UNIT[s[-2]] // 10
        else:
            total += digit
    return total


def chinese_to_number(s: str) -> float | None:
    """三千四百 -> 3400, 一万二千 -> 12000, 二〇二二 -> 2022, 十 -> 10; None if not a numeral."""
    if not s or not _CHINESE_RE.match(s):
        return None
    if all(ch in CN_DIGIT for ch in s):  # positional: 二〇二二 (三四 is "three or four": no value)
        if len(s) > 1 and not any(ch in "零〇○" for ch in s):
            return None
        v = 0
        for ch in s:
            v = v * 10 + CN_DIGIT[ch]
        return float(v)
    total = 0
    rest = s
    for big, mult in (("亿", 100_000_000), ("億", 100_000_000), ("万", 10_000), ("萬", 10_000)):
        if big in rest:
            head, _, rest = rest.partition(big)
            if big in rest:
                return None
            hv = chinese_to_number(head) if head else 1.0
            if hv is None:
                return None
            total += hv * mult
    if rest:
        sv = _chinese_section(rest)
        if sv is None:
            return None
        total += sv
    return float(total)


def parse_number(s: str) -> float | None:
    """Any single numeral: '1,100.76', '89.1', '三千四百', '百分之九十五' (-> 95), '九成' (-> 90),
    '三分之一' / '1/3' (-> 0.333…), '千分之三' (-> 3). None when ``s`` is not a numeral.

    >>> parse_number("1,100.76"), parse_number("三千四百"), parse_number("九成")
    (1100.76, 3400.0, 90.0)
    """
    if not s or not isinstance(s, str):
        return None
    s = s.strip()
    try:
        if _ARABIC_RE.match(s):
            return float(s.replace(",", ""))
        m = _PCT_RE.match(s)
        if m:
            return _num_with_point(m.group(1))
        m = _PERMILLE_RE.match(s)
        if m:
            return parse_number(m.group(1))
        m = _CHENG_RE.match(s)
        if m:
            v = parse_number(m.group(1))
            return None if v is None else v * 10
        m = _FRACTION_RE.match(s)
        if m:
            den, num = parse_number(m.group(1)), parse_number(m.group(2))
            return None if not den or num is None else num / den
        m = _SLASH_FRACTION_RE.match(s)
        if m:
            num, den = float(m.group(1)), float(m.group(2))
            return None if not den else num / den
        return chinese_to_number(s)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None


def _num_with_point(s: str) -> float | None:
    """九十五点五 -> 95.5 (the 点 decimal of spoken percentages)."""
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = parse_number(whole)
        if w is None or not frac or not all(ch in CN_DIGIT for ch in frac):
            return None
        return float(f"{int(w)}." + "".join(str(CN_DIGIT[ch]) for ch in frac))
    return parse_number(s)

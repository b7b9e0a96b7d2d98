"""Number + unit + comparator: the quantity layer shared by the metric component and the
public ``policyminer.parse_quantity``.

Units, counters and multipliers come from ``data/units.tsv`` and comparator cues from
``data/comparators.tsv``; the code only assembles them into one regex (built once, lazily), so
adding a counter is a data change. ``value`` stays as written (5000多万 -> 5000 with unit 万)
and ``base_value``/``base_unit`` strip the multiplier, which is what makes figures comparable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from .numbers import ARABIC, CN_NUM_CHARS, _num_with_point, chinese_to_number, parse_number

__all__ = ["parse_quantity", "iter_quantities", "Quantity", "unit_table"]


@dataclass
class UnitInfo:
    unit: str
    multiplier: float
    base_unit: str
    kind: str
    not_followed_by: str
    chinese_ok: bool


@dataclass(slots=True)  # slots: one is built per figure, its fields read many times
class Quantity:
    """One quantity found in text (a range gives two, ``range_part`` 1 and 2)."""

    value: float
    unit: str
    base_value: float
    base_unit: str
    comparator: str
    kind: str  # unit kind: percent, money, count, time, ...
    start: int  # span of the whole expression incl. comparator cues
    end: int
    num_start: int  # span of the numeral itself
    num_end: int
    chinese: bool
    range_part: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "base_value": self.base_value,
                "base_unit": self.base_unit, "comparator": self.comparator}


def _read_tsv(name: str) -> list[list[str]]:
    path = resources.files("policyminer") / "data" / name
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def unit_table() -> dict[str, UnitInfo]:
    """Units and multipliers from ``data/units.tsv`` keyed by their written form."""
    table = {}
    for row in _read_tsv("units.tsv"):
        row = row + [""] * (6 - len(row))
        table[row[0]] = UnitInfo(row[0], float(row[1] or 1), row[2], row[3], row[4], row[5] != "0")
    return table


@lru_cache(maxsize=1)
def comparator_cues() -> tuple[dict[str, str], dict[str, str]]:
    """(pre cues, post cues) -> comparator, from ``data/comparators.tsv``."""
    pre, post = {}, {}
    for row in _read_tsv("comparators.tsv"):
        if len(row) >= 3:
            (pre if row[1] == "pre" else post)[row[0]] = row[2]
    return pre, post


def _alt(words: list[str]) -> str:
    return _grouped([re.escape(w) for w in sorted(words, key=len, reverse=True)], [w[:1] for w in sorted(words, key=len, reverse=True)])


def _grouped(alts: list[str], firsts: list[str]) -> str:
    """``a|b|…`` for the regex alternatives ``alts``, with the ones that start with the same literal
    character (``firsts``, one per alternative) grouped behind it: 万元|万人|亿元 -> 万(?:元|人)|亿元.
    The engine then tries one branch per first character, not one per alternative (the unit
    alternation has over a hundred, tried after every numeral). Same matches, backtracking
    included: the alternatives that can match at a place all share its first character, and they
    are tried in their original order."""
    groups: dict[str, list[str]] = {}
    for a, f in zip(alts, firsts):
        groups.setdefault(f, []).append(a)
    out = []
    for f, members in groups.items():
        ef = re.escape(f)
        if len(members) == 1:
            out.append(members[0])
        else:
            out.append(ef + "(?:" + "|".join(m[len(ef):] for m in members) + ")")
    return "|".join(out)


_NUM = rf"(?:{ARABIC}|[{CN_NUM_CHARS}]+)"
_RANGE_SEP = r"[-~～—–－至到]{1,2}"


@lru_cache(maxsize=1)
def _quantity_re() -> re.Pattern[str]:
    table = unit_table()
    mults = [u for u, i in table.items() if i.kind == "multiplier"]
    bases, base_firsts = [], []
    for u, info in sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True):
        if info.kind == "multiplier":
            continue
        alt = re.escape(u)
        if info.not_followed_by:
            alt += f"(?!{info.not_followed_by})"
        bases.append(alt)
        base_firsts.append(u[:1])
    pre, post = comparator_cues()
    first = set("0123456789翻半万一") | set(CN_NUM_CHARS)
    first_class = "".join(sorted(re.escape(ch) for ch in first))
    # what a multiplier, 多/余, a unit or a /per part can start with
    unit_first = "".join(sorted(re.escape(ch) for ch in {u[0] for u in table if u} | set("多余/")))
    # the lookahead lets the scanner skip most positions with one character-class test; comparator
    # cues before the number are found afterwards by _pre_re (a backward look), not scanned for
    rx = re.compile(
        rf"(?=[{first_class}])"
        r"(?:"
        # 百分之/千分之 stand before their groups and 翻 is tested with one character first, so that
        # re passes over these branches with one character test each (a branch that starts with
        # a group is entered first); the three start where the match starts (_build reads that)
        rf"百分之(?P<pct>{_NUM}(?:点[{CN_NUM_CHARS}]+)?)"
        rf"|千分之(?P<pml>{_NUM})"
        rf"|(?<=[翻了])(?P<fan>(?:(?<=翻)|(?<=翻了))(?P<fann>[一二两三四五六七八九十]|\d+)番)"
        # (?=…) guards below: necessary conditions, checked cheaply before a branch re-reads the
        # numeral (分之 / 成 right after the run of numeral characters; a unit character next).
        # The first reads the run once for both 分之 and 成 (each branch's own guard implies it:
        # the 成 run's characters are a subset, and neither 分 nor 成 is a numeral character)
        rf"|(?=[\d,.{CN_NUM_CHARS}]*+[分成])(?:"
        rf"(?=[\d,.{CN_NUM_CHARS}]*+分之)(?P<frac>{_NUM}分之{_NUM})"
        rf"|(?=[\d.一二两三四五六七八九十]*+成)(?P<cheng>(?:\d+(?:\.\d+)?|[一二两三四五六七八九]|十)成)(?![为员本果功立交效都熟品绩型长效就全人])"
        r")"
        rf"|(?P<half>一半)"
        rf"|(?:(?P<n1>{_NUM})(?:(?P<k>[千百])(?=万|亿))?|(?P<bare>(?<=[超破近逾上过])(?=万)))"
        rf"(?:\s?(?P<u1>%|％)?{_RANGE_SEP}(?P<n2>{_NUM}))?"
        r"(?P<ap1>多|余|几)?\s?"
        rf"(?:(?=[{unit_first}])"
        rf"(?P<mult>(?:{_alt(mults)})(?!级))?(?P<ap2>多|余)?"
        rf"(?P<base>{_grouped(bases, base_firsts)})?"
        r"(?P<per>/(?:年|月|日|天|人|户|亩|吨|平方米|千瓦时|立方米|公里|小时|人次|辆|台|次|个|床|百亿元|亿元|万元|万人|十万人|千人|百人))?"
        r")?"
        r")"
        rf"(?P<post>{_alt(list(post))})?"
    )
    if sorted(rx.groupindex, key=rx.groupindex.get) != list(_GROUPS) or rx.groups != len(_GROUPS):
        raise RuntimeError("_GROUPS does not list the groups of the quantity regex in order")
    return rx


#: units a bare Chinese 一 may carry (一个/一家/一项 are usually not counts: 一个缩影, 一家一户)
_ONE_OK = {"次", "倍", "天", "年", "个工作日", "工作日", "日", "个月", "小时", "个小时", "亿", "万", "万亿", "亿元", "万元"}


@lru_cache(maxsize=1)
def _pre_re() -> re.Pattern[str]:
    pre, _ = comparator_cues()
    # \Z, not $: $ also matches before a final newline, and a cue ending the line before
    # (不超过⏎5%) would govern a figure that starts the next line
    return re.compile(rf"(?:{_alt(list(pre))})\Z")


def _comparator(pre: str | None, post: str | None, approx: bool) -> str:
    pre_map, post_map = comparator_cues()
    if post and post_map.get(post) in ("ge", "le", "gt", "lt"):
        c = post_map[post]
        if pre and pre_map.get(pre) in ("gt", "ge") and c == "ge":
            return "ge"
        return c
    if pre and pre in pre_map:
        return pre_map[pre]
    if approx or (post and post_map.get(post) == "approx"):
        return "approx"
    return "eq"


#: the groups of ``_quantity_re`` in order, read with one ``m.groups()`` call per match (checked at build)
#: (only groups the code reads: each one costs the scan a mark and m.groups() an item)
_GROUPS = ("pct", "pml", "fan", "fann", "frac", "cheng", "half",
           "n1", "k", "bare", "u1", "n2", "ap1", "mult", "ap2", "base", "per", "post")
_N1, _MULT, _BASE, _BARE = (_GROUPS.index(n) for n in ("n1", "mult", "base", "bare"))
_N2_GROUP, _BASE_GROUP = _GROUPS.index("n2") + 1, _BASE + 1  # group numbers (a number is read faster than a name)
_N1_GROUP = _N1 + 1  # its group number (no group encloses it: it is the last one closed when none after it matched)
_OTHER_FORMS = tuple(_GROUPS.index(n) for n in ("pct", "pml", "fan", "frac", "cheng", "half"))


@lru_cache(maxsize=1)
def _pre_last() -> frozenset[str]:
    """Characters a pre cue can end with: a match whose preceding character is none of these has no
    pre cue, and the backward search is skipped."""
    pre, _ = comparator_cues()
    return frozenset(w[-1] for w in pre if w)


@lru_cache(maxsize=None)
def _comparator_of(pre: str | None, post: str | None, approx: bool) -> str:
    return _comparator(pre, post, approx)


def _qty(value: float, unit: str, base_unit: str, mult: float, comparator: str, kind: str, start: int, end: int,
         ns: int, ne: int, chinese: bool, part: int = 0) -> Quantity:
    bv = value * mult
    if bv == int(bv) and abs(bv) < 1e15:  # int() raises on inf/nan: the caller skips the match
        bv = float(int(bv))
    return Quantity(value, unit, bv, base_unit, comparator, kind, start, end, ns, ne, chinese, part)


def iter_quantities(text: str) -> Iterator[Quantity]:
    """Every number-with-unit in ``text`` (no context filtering: that is the metric layer's job).

    Bare numbers without a unit are skipped, except fractions (unit "").
    """
    if not text:
        return
    table = unit_table()
    pre_re = _pre_re()
    pre_last = _pre_last()
    unit_of, cmp_of, digits = _UNIT_OF, _comparator_of, _DIGITS
    for m in _quantity_re().finditer(text):
        if m.lastindex == _N1_GROUP:
            continue  # a bare numeral (统一, 2021-04-24): no group after the numeral matched
        g = m.groups()
        n1 = g[_N1]
        if n1:
            (_pct, _pml, _fan, _fann, _frac, _cheng, _half,
             _n1, k, _bare, u1, n2, ap1, mult_s, ap2, base_s, per, post) = g
            if not (mult_s or base_s):
                continue  # a bare numeral (统一, 2021-04-24): nothing to build
            if k or u1 or n2 or base_s == "日" or n1[0] not in digits:
                build = _build_numeral  # a range, 9千亿, 10日, a Chinese numeral: the general path
            else:
                # the common case, an Arabic number with a unit: _build_numeral's steps for it
                # inline (no call, no tests that cannot apply; bigger numbers overflow in int())
                got = unit_of.get((mult_s or "", base_s or "", per or ""))
                unit, mult, kind, base_unit, _info = (
                    got if got is not None else _unit_of(table, mult_s or "", base_s or "", per or ""))
                v1 = float(n1.replace(",", "") if "," in n1 else n1)
                if base_s == "年" and (v1 >= 1000 or len(n1) == 4):
                    continue  # a year (2020年), not a duration
                m_start, end = m.span()
                pm = pre_re.search(text, max(0, m_start - 8), m_start) if m_start and text[m_start - 1] in pre_last else None
                if pm:
                    pre, start = pm.group(0), pm.start()
                else:
                    pre, start = None, m_start
                ns, ne = m.span(_N1_GROUP)
                bv = v1 * mult
                try:
                    if bv == int(bv) and abs(bv) < 1e15:
                        bv = float(int(bv))
                except (ValueError, OverflowError):  # pragma: no cover - inf: skipped, as _build_numeral's are
                    continue
                # no cue and no 多/余: _comparator's answer is eq (the common case: no call)
                cmp_ = cmp_of(pre, post, bool(ap1 or ap2)) if pre or post or ap1 or ap2 else "eq"
                yield Quantity(v1, unit, bv, base_unit, cmp_, kind, start, end, ns, ne, False)
                continue
        elif g[_BARE] is None and not any(g[i] for i in _OTHER_FORMS):
            continue
        else:
            build = _build
        try:
            built = build(m, g, table, text, pre_re, pre_last)
        except (ValueError, OverflowError, ZeroDivisionError):  # pragma: no cover - defensive
            continue
        if built is None:
            continue
        if type(built) is tuple:  # a range: both ends
            yield from built
        else:
            yield built


#: the value of a Chinese numeral n1 (all CN_NUM_CHARS: what parse_number reaches for it after its
#: other forms fail, none of which such a string can match); a notice repeats a few (一, 两, 三十)
_cn_value = lru_cache(maxsize=1024)(chinese_to_number)

#: the first characters of an Arabic numeral (n1 is all Arabic or all Chinese numeral characters)
_DIGITS = frozenset("0123456789")


def _build(m: re.Match[str], g: tuple[str | None, ...], table: dict[str, UnitInfo], text: str,
           pre_re: re.Pattern[str], pre_last: frozenset[str]) -> Quantity | tuple[Quantity, Quantity] | None:
    """The quantity of one match (``g``: its groups) without a numeral (百分之…, 三分之一, 九成, 一半,
    超万亿元); None when it is none. ``_build_numeral`` reads the matches with one."""
    (pct, pml, fan, fann, frac, cheng, half,
     n1, k, _bare, u1, n2, ap1, mult_s, ap2, base_s, per, post) = g
    mult_s, base_s = mult_s or "", base_s or ""
    m_start, end = m.span()
    pm = pre_re.search(text, max(0, m_start - 8), m_start) if m_start and text[m_start - 1] in pre_last else None
    pre = pm.group(0) if pm else None
    start = pm.start() if pm else m_start

    for whole, num, group, unit, kind, parse in ((pct, pct, "pct", "%", "percent", _num_with_point),
                                                 (pml, pml, "pml", "‰", "permille", parse_number),
                                                 (fan, fann, "fan", "番", "ratio", parse_number)):
        if whole:  # 百分之五, 千分之三, 翻两番: the unit is in the words
            v = parse(num)
            if v is None:
                return None
            return _qty(v, unit, unit, 1, _comparator_of(pre, post, False), kind, start, end,
                        m_start, m.end(group), True)
    if frac:
        v = parse_number(frac)
        if v is None:
            return None
        r = _qty(v, "", "", 1, _comparator_of(pre, post, False), "fraction", start, end,
                 m.start("frac"), m.end("frac"), True)
        r.value = round(r.value, 6)
        r.base_value = r.value
        return r
    if cheng:
        v = parse_number(cheng)
        if v is None:
            return None
        return _qty(v, "%", "%", 1, _comparator_of(pre, post, False), "percent", start, end,
                    m.start("cheng"), m.end("cheng"), not cheng[0].isdigit())
    if half:
        return _qty(50.0, "%", "%", 1, _comparator_of(pre, post, False), "percent", start, end,
                    m.start("half"), m.end("half"), True)
    # 超万亿元, 突破万列: a bare 万 counts one
    if not mult_s or n2:
        return None
    info = table.get(base_s)
    ms = m.start("mult")
    r = _qty(1.0, mult_s + base_s, info.base_unit if info else "", table[mult_s].multiplier,
             _comparator_of(pre, post, False), info.kind if info else "multiplier", start, end, ms, ms, True)
    r.num_end = r.num_start + 1
    return r


#: (multiplier, unit, /per part) -> (unit, multiplier, kind, base unit, UnitInfo): a few dozen
#: combinations occur, so each is worked out once (unit_table is fixed once read)
_UNIT_OF: dict[tuple[str, str, str], tuple[str, float, str, str, UnitInfo | None]] = {}


def _unit_of(table: dict[str, UnitInfo], mult_s: str, base_s: str, per: str) -> tuple[str, float, str, str, UnitInfo | None]:
    key = (mult_s, base_s, per)
    got = _UNIT_OF.get(key)
    if got is None:
        if per and not base_s:
            per = ""
        unit = mult_s + base_s + per
        mult = table[mult_s].multiplier if mult_s else 1.0
        info = table.get(base_s)
        kind = info.kind if info else "multiplier"
        if info is not None and info.multiplier != 1:  # 千公顷
            mult *= info.multiplier
        base_unit = (info.base_unit + per) if info else ""
        got = _UNIT_OF[key] = (unit, mult, kind, base_unit, info)
    return got


def _build_numeral(m: re.Match[str], g: tuple[str | None, ...], table: dict[str, UnitInfo], text: str,
                   pre_re: re.Pattern[str], pre_last: frozenset[str]) -> Quantity | tuple[Quantity, Quantity] | None:
    """The quantity (or the two ends of a range) of a match with a numeral (n1); the comparator cue
    before it is looked up only once the match is known to be a quantity."""
    (_pct, _pml, _fan, _fann, _frac, _cheng, _half,
     n1, k, _bare, u1, n2, ap1, mult_s, ap2, base_s, per, post) = g
    mult_s, base_s = mult_s or "", base_s or ""
    m_start, end = m.span()
    # n1 is all Chinese numeral characters or all Arabic (the regex reads one or the other)
    chinese = n1[0] in CN_NUM_CHARS
    if not mult_s and not base_s:
        # a bare number: fractions written 1/3 are handled by the metric layer
        return None
    if u1 and base_s != "%":
        return None
    got = _UNIT_OF.get((mult_s, base_s, per or ""))  # (_unit_of's look-up, inline: most calls find it)
    unit, mult, kind, base_unit, info = got if got is not None else _unit_of(table, mult_s, base_s, per or "")
    if base_s == "日" and (text[m.end(_BASE_GROUP):m.end(_BASE_GROUP) + 1] not in "内前"
                           or "月" in text[max(0, m.start(_N1_GROUP) - 3):m.start(_N1_GROUP)]):
        return None  # 10日 is a date unless it is a limit (3日内)
    if chinese:
        if info is not None and not info.chinese_ok:
            return None
        if n1 == "一" and not n2 and unit not in _ONE_OK and kind not in ("money", "percent") \
                and base_s not in _ONE_OK:
            return None
        if len(n1) == 1 and n1 in "十百千" and not mult_s and kind in ("count",):
            # 千家万户, 百花: a lone 十/百/千 before a counter is an idiom, not a count
            if base_s not in ("条", "项", "个", "家") or (end < len(text) and text[end:end + 1] == "万"):
                return None
        v1 = _cn_value(n1)
        if v1 is None:
            return None
    else:
        v1 = float(n1.replace(",", "") if "," in n1 else n1)  # what parse_number does with an Arabic numeral
    approx = bool(ap1 or ap2)
    if k:  # 9千亿元 -> 9000 亿元
        v1 *= 1000 if k == "千" else 100
    if base_s == "年" and (v1 >= 1000 or (not chinese and len(n1) == 4)):
        return None  # a year (2020年), not a duration
    pm = pre_re.search(text, max(0, m_start - 8), m_start) if m_start and text[m_start - 1] in pre_last else None
    pre = pm.group(0) if pm else None
    start = pm.start() if pm else m_start
    cmp_ = _comparator_of(pre, post, approx)
    if n2:
        v2 = parse_number(n2)
        if v2 is None or v2 <= v1 or chinese != (n2[0] in CN_NUM_CHARS):
            # not a range (3-2, 2020-2021 handled by the caller as years), read the last number only
            if v2 is None:
                return None
            ns2 = m.start(_N2_GROUP)
            return _qty(v2, unit, base_unit, mult, cmp_, kind, start if pre else ns2, end, ns2, m.end(_N2_GROUP), False)
        r1 = _qty(v1, unit, base_unit, mult, cmp_, kind, start, end, m.start(_N1_GROUP), m.end(_N1_GROUP), chinese, 1)
        r2 = _qty(v2, unit, base_unit, mult, cmp_, kind, start, end, m.start(_N2_GROUP), m.end(_N2_GROUP), chinese, 2)
        return r1, r2
    ns, ne = m.span(_N1_GROUP)
    bv = v1 * mult  # (what _qty does, inline)
    if bv == int(bv) and abs(bv) < 1e15:  # int() raises on inf/nan: the caller skips the match
        bv = float(int(bv))
    return Quantity(v1, unit, bv, base_unit, cmp_, kind, start, end, ns, ne, chinese)


def parse_quantity(text: str) -> dict[str, Any] | None:
    """The first quantity in ``text`` as a mapping, or ``None`` when it holds none.

    >>> parse_quantity("3.5万元")
    {'value': 3.5, 'unit': '万元', 'base_value': 35000.0, 'base_unit': '元', 'comparator': 'eq'}
    >>> parse_quantity("五千多万元")
    {'value': 5000.0, 'unit': '万元', 'base_value': 50000000.0, 'base_unit': '元', 'comparator': 'approx'}
    >>> parse_quantity("130亿元以上")["comparator"], parse_quantity("不超过20%")["comparator"]
    ('ge', 'le')
    >>> parse_quantity("九成")["value"], parse_quantity("百分之九十五")["unit"]
    (90.0, '%')
    >>> parse_quantity("没有数字") is None
    True
    """
    if not isinstance(text, str) or not text:
        return None
    for qty in iter_quantities(text):
        return qty.as_dict()
    return None

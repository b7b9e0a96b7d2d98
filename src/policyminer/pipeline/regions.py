"""Administrative regions with codes (issue 5).

Every province, prefecture and county of the current Ministry of Civil Affairs code table
(``data/regions.tsv``), their short forms (武汉, 恩施州, 长阳县), former names
(``data/region_renames.tsv``), special areas that act as administrative units
(``data/region_areas.tsv``: 新区, 兵团, 综合实验区 ...) and towns (``data/towns.tsv``:
镇/乡/街道/苏木, recognised by suffix and checked against the table) are found in the text.

Why the word checks: a full form counts wherever it stands, even inside a body's name
(福建省 in 福建省教育厅), but a short form counts only where it stands as a place
(annotation.md): 怀化 in 怀化银保监分局, 九江 in 九江港, 诸暨 in 诸暨至嵊州高速 are not
regions; 宝鸡 in 「宝鸡、咸阳分别…」 is. Short forms that are also common words
(资源, 合作, 公安, 江山 …; ``data/region_short_stop.txt``) count only inside a place
enumeration. A dateline city (新华社北京…电) is not a region.

Output: one dict per place (deduplicated by code), ``name`` the fullest form the text
uses and ``span`` the first occurrence of that form.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from .context import DocContext

_log = logging.getLogger(__name__)

_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "town": 3, None: 4}


@dataclass(frozen=True)
class _Reg:
    code: str
    name: str
    level: str | None
    parent: str  # parent code ('' for provinces)


@dataclass(frozen=True)
class _Cand:
    reg: _Reg
    kind: str  # full | alias | short | old
    weak: bool = False  # needs an enumeration or a place context to count


# see _Gazetteer.facts
_FormFacts = tuple[list[_Cand], bool, list[_Cand], list[_Cand], list[_Cand], "str | None", frozenset[str], bool]


# ---------------------------------------------------------------- data loading


def _data_lines(name: str) -> Iterable[list[str]]:
    try:
        text = resources.files("policyminer.data").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


_ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
                   "新区", "省", "市", "县", "区", "盟", "旗")


class _Gazetteer:
    """All names, built once; lookups are dict hits."""

    def __init__(self) -> None:
        self.regs: dict[str, _Reg] = {}
        for row in _data_lines("regions.tsv"):
            if len(row) >= 4:
                code, name, level, parent = (c.strip() for c in row[:4])
                self.regs[code] = _Reg(code, name, level, parent)
        nations = sorted((r[0].strip() for r in _data_lines("ethnic_groups.txt") if r and r[0].strip()),
                         key=len, reverse=True)
        self.stop: set[str] = {r[0].strip() for r in _data_lines("region_short_stop.txt") if r and r[0].strip()}
        self.forms: dict[str, list[_Cand]] = {}
        for reg in self.regs.values():
            self._add(reg.name, _Cand(reg, "full", weak=reg.name in self.stop))
            for alias, kind in _short_forms(reg, nations):
                self._add(alias, _Cand(reg, kind, weak=kind == "short" and alias in self.stop))
        # former names -> current unit
        for row in _data_lines("region_renames.tsv"):
            if len(row) >= 2 and row[1].strip() in self.regs:
                old, reg = row[0].strip(), self.regs[row[1].strip()]
                if old not in self.forms:
                    self._add(old, _Cand(reg, "old"))
                for short, kind in _short_forms(_Reg("", old, reg.level, reg.parent), nations):
                    if short not in self.forms:
                        self._add(short, _Cand(reg, "old" if kind == "alias" else "short", weak=short in self.stop))
        # special areas (no code of their own): name, parent code, kind, short forms
        self.areas: dict[str, _Reg] = {}
        for row in _data_lines("region_areas.tsv"):
            if len(row) >= 2:
                name, parent = row[0].strip(), row[1].strip()
                reg = _Reg("", name, None, parent)
                self.areas[name] = reg
                self._add(name, _Cand(reg, "full"))
                for short in (row[3].split(",") if len(row) > 3 else []):
                    if short.strip():
                        self._add(short.strip(), _Cand(reg, "short", weak=short.strip() in self.stop))
        # towns: name -> [(code9, county code)]
        self.towns: dict[str, list[tuple[str, str]]] = {}
        self.towns_by_county: dict[str, list[tuple[str, str]]] = {}
        for row in _data_lines("towns.tsv"):
            if len(row) >= 3:
                self.towns.setdefault(row[1].strip(), []).append((row[0].strip(), row[2].strip()))
        # the last two chars of each town's stem with its suffix (丰镇 of 新丰镇): a suffix whose
        # two chars before make no such tail (城镇 in 推进城镇化) ends no town of the table
        self.town_tails = {name[-len(suf) - 2:] for name in self.towns for suf in ("街道", "镇", "乡", "苏木")
                           if name.endswith(suf) and len(name) >= len(suf) + 2}
        # town short stems ("康乐" of 康乐街道) for the 街办 spelling
        self.pattern = _Scanner(self.forms, [heads for _, heads in _HEADED])
        self._facts: dict[str, _FormFacts] = {}
        self._short_facts: dict[str, tuple[bool, bool]] = {}

    def facts(self, form: str) -> "_FormFacts":
        """What the rules ask of a form's candidates, worked out once per form (the same names
        recur in every document): (candidates, has a short form, strong ones (not short, not
        weak), usable ones (not weak), counties, the code of the one unit a full or alias form
        names without doubt or None, the first two chars of the counties' bare town names
        (``_town_stems``: a name that cannot start after the form needs no look at each county),
        whether a word of ``_FALSE_SUFFIX_WORDS`` may start at its last char)."""
        try:
            return self._facts[form]
        except KeyError:
            cands = self.forms.get(form, [])
            fulls = [c for c in cands if c.kind in ("full", "alias") and c.reg.code and not c.weak]
            counties = [c for c in cands if c.reg.level == "county"]
            f = self._facts[form] = (cands, any(c.kind == "short" for c in cands),
                                     [c for c in cands if c.kind != "short" and not c.weak],
                                     [c for c in cands if not c.weak], counties,
                                     fulls[0].reg.code if len(fulls) == 1 else None,
                                     frozenset(stem[:2] for c in counties for stem in _town_stems(c.reg.code)),
                                     form[-1:] in _FALSE_SUFFIX_HEADS)
            return f

    def short_facts(self, form: str) -> tuple[bool, bool]:
        """(every usable candidate is a short form, every one is a province), once per form."""
        try:
            return self._short_facts[form]
        except KeyError:
            usable = self.facts(form)[3]
            facts = self._short_facts[form] = (bool(usable) and all(c.kind == "short" for c in usable),
                                               all(c.reg.level == "province" for c in usable))
            return facts

    def _add(self, form: str, cand: _Cand) -> None:
        if len(form) < 2:
            return
        lst = self.forms.setdefault(form, [])
        if all(c.reg != cand.reg for c in lst):
            lst.append(cand)

    def ancestors(self, reg: _Reg) -> list[_Reg]:
        out, code = [], reg.parent
        while code and code in self.regs and len(out) < 4:
            out.append(self.regs[code])
            code = self.regs[code].parent
        return out


def _strip_nations(stem: str, nations: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for n in nations:
            if stem.endswith(n) and len(stem) > len(n):
                stem, changed = stem[: -len(n)], True
    return stem


def _short_forms(reg: _Reg, nations: list[str]) -> list[tuple[str, str]]:
    """Short and alias forms of one unit: 恩施土家族苗族自治州 -> 恩施州 (alias), 恩施 (short)."""
    name, out = reg.name, []
    for suf in _ADMIN_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            stem = _strip_nations(name[: -len(suf)], nations)
            if suf == "自治州" and len(stem) >= 2:
                out.append((stem + "州", "alias"))
            elif suf == "自治县" and len(stem) >= 2:
                out.append((stem + "县", "alias"))
            elif suf == "自治旗" and len(stem) >= 2:
                out.append((stem + "旗", "alias"))
            elif suf in ("自治区", "特别行政区") and stem != name[: -len(suf)]:
                pass
            if len(stem) >= 2 and stem != name:
                out.append((stem, "short"))
            break
    return out


# numpy's fixed cost per call pays off from a few hundred chars (it replaces six regex
# scans); a short text (a title, `policyminer extract` on a few lines) keeps the regexes and
# does not import numpy at all
_NUMPY_MIN_CHARS = 500


@lru_cache(maxsize=1)
def _numpy() -> Any:
    try:
        import numpy

        return numpy
    except ImportError:  # pragma: no cover - numpy comes with scikit-learn and pandas
        return None


class _Scanner:
    """Leftmost-longest dictionary scan: find where a name may start, then a dict keyed by
    the first two chars gives the candidate lengths (a big alternation in ``re`` is ten
    times slower: ``re`` tries its branches one by one).

    Where a name may start: the positions whose two chars begin some name (names are two
    chars or more). numpy tests every pair of chars of the text at once; the Python loop
    then visits only those few positions (a char-class regex leaves ten times more to
    visit, and that loop was the cost). Without numpy, the regex.

    The same numpy pass tells where the literal-led patterns of ``heads`` may start (bit
    k + 1 of the pair table for ``heads[k]``, a tuple of the literals every match begins
    with): each ``re`` scan of a long text costs as much as the whole pair test. Heads are
    common word starts (合作 of 合作区, 中国 of 中国网, 技术 of 技术支持), so where no head of a
    group is a single char, the pair of its second and third chars is tested too (bit k + 4
    of the pair at the next position): most false starts go, for a shift and two ands."""

    def __init__(self, words: Iterable[str], heads: Iterable[Iterable[str]] = ()) -> None:
        self.words = set(words)
        self.heads = [tuple(h) for h in heads]
        lens: dict[str, set[int]] = {}
        for w in self.words:
            lens.setdefault(w[:2], set()).add(len(w))
        self.lens = {k: sorted(v, reverse=True) for k, v in lens.items()}
        first = "".join(sorted({w[0] for w in self.words}))
        second = "".join(sorted({w[1] for w in self.words if len(w) > 1}))
        self.two_chars = bool(self.words) and all(len(w) > 1 for w in self.words)
        if self.two_chars:
            self.first = re.compile("[" + re.escape(first) + "](?=[" + re.escape(second) + "])")
        else:
            self.first = re.compile("[" + re.escape(first) + "]") if first else re.compile("(?!)")
        self._pairs: Any = None  # numpy table, built on first use
        # bits kept whatever follows: the names' bit and the heads' groups with a one-char head
        self._keep = 1 | sum(2 << k for k, h in enumerate(self.heads) if any(len(x) < 2 for x in h))

    def _table(self, np: Any) -> Any:
        if self._pairs is None:
            table = np.zeros(1 << 20, dtype=np.uint8)
            for w in self.words:
                table[(ord(w[0]) & 1023) << 10 | (ord(w[1]) & 1023)] |= 1
            for k, heads in enumerate(self.heads):
                bit, second = 2 << k, 16 << k
                for h in heads:
                    row = (ord(h[0]) & 1023) << 10
                    if len(h) > 1:
                        table[row | (ord(h[1]) & 1023)] |= bit
                    else:  # a one-char head: whatever follows it
                        table[row:row + 1024] |= bit
                    if len(h) > 2:  # the pair at the next position
                        table[(ord(h[1]) & 1023) << 10 | (ord(h[2]) & 1023)] |= second
                    elif len(h) == 2:  # whatever follows the second char
                        row = (ord(h[1]) & 1023) << 10
                        table[row:row + 1024] |= second
            self._pairs = table
        return self._pairs

    def starts(self, text: str) -> list[list[int]] | None:
        """[name starts, starts of heads[0], heads[1], ...]: supersets of the positions where a
        name or a head's pattern may match (callers test each one exactly); None without
        numpy, for one-char words or on a short text (the regexes are cheaper there).

        Each pair of chars is looked up in a table indexed by the low 10 bits of both code
        points: every name's pair is marked, so no start is missed, and few other pairs
        share an entry (a handful per thousand chars). The last char pairs with 0."""
        if len(text) < _NUMPY_MIN_CHARS or not self.two_chars or len(self.heads) > 3:
            return None
        np = _numpy()
        if np is None:
            return None
        table = self._table(np)
        low = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) & 1023
        pairs = low << 10
        pairs[:-1] |= low[1:]
        flags = table.take(pairs)
        if self._keep != (2 << len(self.heads)) - 1:  # some group tests its second pair
            nxt = np.zeros_like(flags)
            np.right_shift(flags[1:], 3, out=nxt[:-1])  # the next pair's bit k + 4 on bit k + 1
            nxt |= self._keep
            flags &= nxt
        at = np.flatnonzero(flags)
        bits = flags.take(at)
        out: list[list[int]] = [at.take(np.flatnonzero(bits & 1)).tolist()]
        out += [[] for _ in self.heads]
        # head starts are few (a few hundred per 100K chars): sorted into their groups in Python,
        # cheaper than a handful of numpy calls per group
        hb = np.flatnonzero(bits & ((2 << len(self.heads)) - 2))
        if hb.size:
            for i, b in zip(at.take(hb).tolist(), bits.take(hb).tolist()):
                for k in range(1, len(out)):
                    if b >> k & 1:
                        out[k].append(i)
        return out

    def _pair_starts(self, text: str) -> list[int] | None:
        """Where a name may start (see ``starts``), or None for the regex path."""
        found = self.starts(text)
        return found[0] if found is not None else None

    def match(self, text: str, i: int) -> str | None:
        for n in self.lens.get(text[i:i + 2], ()):
            w = text[i:i + n]
            if w in self.words:
                return w
        return None

    def finditer(self, text: str, starts: list[int] | None = None) -> list[tuple[int, int, str]]:
        """The names in ``text``; ``starts``: where they may start, when already known."""
        out: list[tuple[int, int, str]] = []
        pos = 0
        lens, words = self.lens, self.words
        if starts is None:
            starts = self._pair_starts(text)
        for i in (starts if starts is not None else (m.start() for m in self.first.finditer(text))):
            if i < pos:
                continue
            for n in lens.get(text[i:i + 2], ()):  # self.match, inlined: this is the hot loop
                w = text[i:i + n]  # shorter than n at the end of the text
                if w in words:
                    pos = i + len(w)
                    out.append((i, pos, w))
                    break
        return out


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (sorted, a
    superset; None: no such list, run the regex). The pattern never matches empty."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    match = pattern.match
    for i in starts:
        if i >= pos:
            m = match(text, i)
            if m is not None:
                yield m
                pos = m.end()


@lru_cache(maxsize=1)
def _gaz() -> _Gazetteer:
    return _Gazetteer()


# ---------------------------------------------------------------- context rules

# chars after a short form that leave it standing as a place (not the head of a name)
_FREE_NEXT = set("、，。；：！？,.;:!?）)】]》」』”\"' \t\r\n和与及或等的在是为作成要已将也都共均则就还又并而以于对向把被由从到已正")
_FREE_NEXT_WORDS = ("同胞", "人民", "群众", "地区", "境内", "全境", "一带", "周边", "当地", "方面", "籍",
                    "本地", "各地", "市民", "居民", "人口", "城区", "经济", "发展", "段", "两地", "三地",
                    "考察", "调研", "举行", "举办", "召开", "开展", "实现", "建成", "成为", "分别", "累计",
                    "全年", "新增", "共有", "境", "地方", "一体化", "片区", "园区", "区域", "市场", "县域")
# words before a short form that make it a place (在上海, 支持台湾, 赴京)
_PLACE_PREV = ("在", "赴", "到", "抵", "位于", "包括", "含", "支持", "助力", "帮扶", "对口", "援助", "覆盖",
               "落户", "前往", "学习", "走进", "毗邻", "携手")
_ENUM_SEP = set("、和与及")
# a dateline: 新华社北京11月30日电, 中新社上海电
_DATELINE_HEADS = ("新华社", "中新社", "中国新闻社", "新华网", "中新网", "人民网", "央视网", "中国网")
_DATELINE = re.compile("(?:" + "|".join(_DATELINE_HEADS) + r")(?:记者[^，。\n]{0,8}?)?"
                       r"\s*([\u4e00-\u9fff]{2,8}?)\s*(?:\d{1,2}月\d{1,2}日)?\s*(?:电|讯)")
# towns: the suffix, after a CJK char; the name before it (2-4 chars) is checked against the
# table. A plain alternation of literals lets ``re`` skip to the suffix chars; no suffix
# starts inside another one (道, 办, 木 start none), so non-overlapping matches see them all.
_TOWN_SUFFIXES = ("街道办事处", "街道", "街办", "镇", "乡", "苏木")
_TOWN = re.compile("|".join(_TOWN_SUFFIXES))
# areas named after a place: 怀化高新区, 洪湖开发区, 新滩新区
_AREA_HEADS = ("高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "经开区", "开发区",
               "综合实验区", "示范区", "新片区", "合作区", "新区")
# (?:国家级)?(...) spelt out as one alternation of literals, in the same order: ``re`` then
# jumps to the first chars instead of trying the pattern at every position
_AREA_WORDS = tuple(["国家级" + h for h in _AREA_HEADS] + list(_AREA_HEADS))
_AREA_SUFFIX = re.compile("|".join(_AREA_WORDS))
_CJK = re.compile(r"[\u4e00-\u9fff]")
# town names use CJK ideographs beyond the unified block too (𠙶山镇, 㮾梨街道, 柳树𨟠镇): extension
# A, the compatibility ideographs and the supplementary-plane extensions
_CJK_WIDE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _all_cjk(stem: str) -> bool:
    """Every char of ``stem`` is a CJK ideograph (a town stem; not empty)."""
    return _CJK_WIDE.fullmatch(stem) is not None


def _prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _affinity(code: str, ref: str | None) -> int:
    """How much of the hierarchy two codes share: 2 same province, 4 same city, 6 same county."""
    if not code or not ref:
        return 0
    p = _prefix_len(code[:6], ref[:6])
    return 6 if p >= 6 else 4 if p >= 4 else 2 if p >= 2 else 0


def _code_of(reg: _Reg) -> str:
    if reg.code:
        return reg.code
    g = _gaz()
    return g.regs[reg.parent].code if reg.parent in g.regs else ""


class _Spans:
    """Intervals [start, end) with a containment test in O(log n); overlapping ones merged."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        i = bisect.bisect_right(self.starts, a)
        if i and self.ends[i - 1] > a:  # overlaps the previous one: extend it
            i -= 1
            self.ends[i] = max(self.ends[i], b)
        else:
            self.starts.insert(i, a)
            self.ends.insert(i, b)
        while i + 1 < len(self.starts) and self.starts[i + 1] < self.ends[i]:
            self.ends[i] = max(self.ends[i], self.ends.pop(i + 1))
            self.starts.pop(i + 1)

    def covers(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a) - 1
        return i >= 0 and self.ends[i] >= b

    def __bool__(self) -> bool:
        return bool(self.starts)


class _Refs:
    """The document's region and the places named unambiguously, indexed by code prefix so
    that every affinity test is a set lookup (texts may name thousands of places)."""

    def __init__(self, doc: str | None, others: Iterable[str] = ()) -> None:
        self.doc = (doc or "")[:6]
        self.p2: set[str] = set()
        self.p4: set[str] = set()
        self.p6: set[str] = set()
        for c in others:
            c = c[:6]
            if not c or c == self.doc:
                continue
            self.p2.add(c[:2])
            if not c.endswith("0000"):
                self.p4.add(c[:4])
            if not c.endswith("00"):
                self.p6.add(c)
        if self.doc:
            self.p2.add(self.doc[:2])
            if not self.doc.endswith("0000"):
                self.p4.add(self.doc[:4])
            if not self.doc.endswith("00"):
                self.p6.add(self.doc)

    def score(self, code: str) -> int:
        code = code[:6]
        if not code:
            return 0
        return _affinity(code, self.doc) * 10 + (code[:2] in self.p2) + (code[:4] in self.p4) + (code in self.p6)

    def near(self, code: str, level: int) -> bool:
        """Shares the province (2), city (4) or county (6) with some reference."""
        code = code[:6]
        return bool(code) and code[:level] in (self.p2 if level == 2 else self.p4 if level == 4 else self.p6)


def _significant(code: str) -> str:
    """The part of a code that its children share: 42 for 420000, 4201 for 420100."""
    c = code[:6]
    return c[:2] if c.endswith("0000") else c[:4] if c.endswith("00") else c


_KIND_RANK = {"full": 0, "alias": 1, "old": 2, "short": 3}


def _choose(cands: list[_Cand], refs: _Refs, prev_code: str | None) -> _Cand:
    """Same-name units (鼓楼区, 朝阳区): the one under the preceding mention, else nearest the
    document's region and the other places named, else the higher level."""
    if len(cands) == 1:
        return cands[0]

    def key(c: _Cand) -> tuple[int, ...]:
        code = _code_of(c.reg)
        under_prev = int(bool(prev_code) and code != prev_code and code.startswith(_significant(prev_code or "")))
        aff = refs.score(code)
        return (-under_prev, _KIND_RANK.get(c.kind, 4), -aff, _LEVEL_RANK.get(c.reg.level, 4))

    return min(cands, key=key)


def _stands_alone(text: str, s: int, e: int, prev_is_region: bool, province: bool = False) -> bool:
    """A short form is a place, not the head of a name (九江港, 怀化银保监分局, 诸暨至嵊州).

    A province's short form before a noun still names the province (台湾同胞, 浙江经验)
    unless the noun makes it a body or facility (海南自贸港, 湖南大学)."""
    nxt = text[e:e + 1]
    before = text[max(0, s - 2):s]
    if before.endswith("至") or nxt == "至":
        return False
    if prev_is_region and s > 0 and text[s - 1] in _ENUM_SEP:
        return True
    if nxt and nxt in "(（":  # ("" is in every string: a form at the very end stands alone)
        return False
    if not nxt or nxt in _FREE_NEXT or not _CJK.match(nxt) and not nxt.isalnum():
        return True
    if nxt.isdigit():
        return True
    if text.startswith(_FREE_NEXT_WORDS, e):
        return True
    if province:
        if _binds_to_name(text, e) or _FACILITY_HEAD.match(text, e) or text.startswith("时间", e):
            return False
        m = _PROVINCE_NAME_AHEAD.match(text, e)
        return not m or bool(_VERBISH.search(m.group()))
    if text.endswith(_PLACE_PREV, 0, s):
        # a place after a locative verb, unless a name follows directly (在九江港)
        return not _binds_to_name(text, e)
    return False


_NAME_HEADS = re.compile(r"(?:港|机场|电厂|铁路|高速|公路|航道|大学|学院|银行|支行|分行|海关|分局|局|厅|委|办|公司|集团"
                         r"|中心|日报|报社|电视台|医院|学校|中学|小学|综保区|保税区|科学城|大学城|产业园|基地|峰会"
                         r"|论坛|站|路|街|大道|桥|湖|山|江|河)")


_BODY_AHEAD = re.compile(r"[^\s、，。；：,;:!?！？()（）“”\"]{0,8}?(?:局|厅|委员会|委|办公室|院|公司|集团|银行|支行|分行|"
                         r"中心|协会|商会|学会|研究所|事务所|馆|港|机场|大学|学院|学校|医院|园)")
# verbs between a place and a later body mean the place stands alone (在上海主持召开…中心)
_VERBISH = re.compile(r"召开|举办|举行|主持|出席|考察|调研|视察|开展|参加|成立|设立|建设|推进|实施|落地|开业|成功|圆满|隆重"
                      r"|融入|加快|加强|深化|推动|促进|打造|参与|对接|交流|国家")
# what follows a province's short form in names of things rather than places
_PROVINCE_NAME_AHEAD = re.compile(r"[^\s、，。；：,;:!?！？]{0,6}?(?:自贸|卫视|日报|电视|广播|网|频道|队|话|菜|籍|路|街|大道"
                                  r"|大会|峰会|博览会|运动会|冬奥会|奥运会|论坛|交易所|节|杯|赛)")
# the head noun of an enumeration that makes its members parts of facility names (府谷、定边机场)
_FACILITY_HEAD = re.compile(r"(?:机场|电厂|港|铁路|高铁|高速|公路|航道|大桥|水库|电站|支线)")


def _binds_to_name(text: str, e: int) -> bool:
    if _NAME_HEADS.match(text, e):
        return True
    m = _BODY_AHEAD.match(text, e)
    return bool(m) and not _VERBISH.search(m.group())


# page furniture left in crawler dumps: link lists, footers, "related news" blocks, source lines
_FURNITURE_WORDS = ("相关链接", "友情链接", "版权所有", "主办单位", "承办单位", "网站标识码", "ICP备", "技术支持", "网站地图",
                    "新闻推荐", "相关新闻", "相关阅读", "延伸阅读", "热点推荐", "扫一扫")
_FURNITURE = re.compile("|".join(_FURNITURE_WORDS))
# each label spelt out as its own alternative (same order as (?:来源|信息来源|…)[:：]…): an
# alternation of literals lets ``re`` jump to the labels' first chars
_SOURCE_LABELS = ("来源", "信息来源", "发布机构", "发文机关", "来源单位")
_PLACE_LABELS = ("当前位置", "现在的位置", "您的位置", "您现在的位置", "所在位置")
_SOURCE_LINE = re.compile("|".join(
    [w + r"[:：]\s*[^\s|，。]{0,40}" for w in _SOURCE_LABELS] + [w + r"[:：]?[^\n]*" for w in _PLACE_LABELS]))

# the literal-led patterns whose starts the name scanner's numpy pass finds too (every match
# begins with one of the literals: the patterns are built from them). Patterns in one group
# share one list of starts (a superset for each): the rare page-furniture heads need no list
# of their own, and every list costs a few numpy calls per document.
_HEADED: list[tuple[tuple[re.Pattern[str], ...], tuple[str, ...]]] = [
    ((_DATELINE, _SOURCE_LINE, _FURNITURE), _DATELINE_HEADS + _SOURCE_LABELS + _PLACE_LABELS + _FURNITURE_WORDS),
    ((_AREA_SUFFIX,), _AREA_WORDS), ((_TOWN,), _TOWN_SUFFIXES)]


def _excluded_spans(text: str, ctx: DocContext | None,
                    heads_at: dict[re.Pattern[str], list[int]] | None = None) -> list[tuple[int, int]]:
    """Spans where a place name is not a region mention: datelines and page furniture.
    ``heads_at``: where the patterns may start (``_Scanner.starts``), when known."""
    at = (heads_at or {}).get
    out = [(m.start(1), m.end(1)) for m in _matches_at(_DATELINE, text, at(_DATELINE))]
    out += [(m.start(), m.end()) for m in _matches_at(_SOURCE_LINE, text, at(_SOURCE_LINE))]
    for m in _matches_at(_FURNITURE, text, at(_FURNITURE)):
        end = text.find("\n\n", m.end())
        out.append((m.start(), min(m.end() + 400, end if end > 0 else len(text))))
    return out


def _region_dict(reg: _Reg, surface: str, span: tuple[int, int]) -> dict[str, Any]:
    try:
        prov, city, county = _HIERARCHY[reg]
    except KeyError:  # at most one entry per gazetteer unit
        prov, city, county = _HIERARCHY[reg] = _hierarchy(reg)
    return {"name": surface, "code": reg.code or None, "level": reg.level, "province": prov,
            "city": city, "county": county, "span": [span[0], span[1]]}


# a unit's province, city and county names, worked out once per unit (the table is fixed)
_HIERARCHY: dict[_Reg, tuple[str | None, str | None, str | None]] = {}


def _hierarchy(reg: _Reg) -> tuple[str | None, str | None, str | None]:
    g = _gaz()
    chain = [reg] + g.ancestors(reg)
    prov = next((r.name for r in chain if r.level == "province"), None)
    city = next((r.name for r in chain if r.level == "city"), None)
    county = next((r.name for r in chain if r.level == "county"), None)
    if city is None and prov and chain[-1].name in ("北京市", "天津市", "上海市", "重庆市") and reg.level != "province":
        city = prov
    return prov, city, county


def _town_reg(name: str, refs: _Refs) -> _Reg | None:
    g = _gaz()
    hits = g.towns.get(name)
    if not hits:
        return None
    best = hits[0] if len(hits) == 1 else max(hits, key=lambda h: refs.score(h[1]))
    return _Reg(best[0], name, "town", best[1])


def _town_is_local(reg: _Reg, refs: _Refs) -> bool:
    return refs.near(reg.parent, 4)


# ---------------------------------------------------------------- public API


def find_regions(text: str, ctx: DocContext | None = None) -> list[dict[str, Any]]:
    """Schema regions (name, code, level, province, city, county, span) found in ``text``.

    A failure inside the stage leaves the document without regions but does not stop the
    pipeline; it is logged (with the traceback) and added to the document's warnings
    (``ctx.warnings``, where the context carries that list), so that a programming error
    is seen rather than silently taken for a document without places."""
    try:
        return _find(text or "", ctx)
    except Exception as exc:  # noqa: BLE001 - any bug here: report it, keep the other stages
        message = f"regions stage failed ({type(exc).__name__}: {exc}); no regions for this document"
        _log.warning(message, exc_info=True)
        warnings = getattr(ctx, "warnings", None)
        if isinstance(warnings, list):
            warnings.append(message)
        return []


def _find(text: str, ctx: DocContext | None) -> list[dict[str, Any]]:
    g = _gaz()
    if not text:
        return []
    _sync_memos()
    doc_code = None
    if ctx is not None and isinstance(ctx.region, dict):
        doc_code = ctx.region.get("code") or None
        if not doc_code and ctx.region.get("name"):
            name = str(ctx.region["name"])
            area = g.areas.get(name)
            r = None if area else lookup_region(name)
            doc_code = area.parent if area else (r.get("code") if r else None)
    starts = g.pattern.starts(text)  # None: a short text, the regexes
    heads_at = {p: at for (group, _), at in zip(_HEADED, starts[1:]) for p in group} if starts is not None else {}
    excluded = _Spans(_excluded_spans(text, ctx, heads_at))
    is_excluded = excluded.covers

    # one pass over the names found: each with its form's facts (looked up once), the
    # unambiguous full forms (the context for same-name units and for towns) and the counties
    # a bare town name may follow
    raw: list[tuple[int, int, str, _FormFacts]] = []
    named: list[str] = []
    county_raw: list[tuple[int, int, str, _FormFacts]] = []
    facts, known = g.facts, g._facts.get
    last_end = -10
    for s, e, form in (g.pattern.finditer(text, starts[0]) if starts is not None else g.pattern.finditer(text)):
        f = known(form) or facts(form)
        if f[7] and text[e - 1:e + 1] in _FALSE_SUFFIX_WORDS:  # rare: the form ends in 区, 市, 州 or 县
            r = _trim_false_suffix(text, (s, e, form))
            if r is None:
                continue
            s, e, form = r
            f = facts(form)
        if excluded and is_excluded(s, e):
            continue
        item = (s, e, form, f)
        if f[4] and text[e:e + 2] in f[6]:
            county_raw.append(item)  # (kept below: followed by its towns, it counts)
        elif not f[3] and s - last_end > 1 and text[e:e + 1] not in _ENUM_SEP:
            # a common word (资源, 合作) that follows no name and no enumeration sign follows:
            # never qualified nor enumerated below (the place it would follow ends at or before
            # the previous name's end), and no area is named after it
            last_end = e
            continue
        last_end = e
        raw.append(item)
        if f[5]:
            named.append(f[5])
    refs = _Refs(doc_code, named)
    found: list[tuple[int, int, _Reg, str]] = []
    # areas named after a place or town: 怀化高新区, 洪湖开发区, 新滩新区
    area_spans = _Spans()
    raw_by_end = {r[1]: r for r in raw}
    for m in _matches_at(_AREA_SUFFIX, text, heads_at.get(_AREA_SUFFIX)):
        s = m.start()
        parent: _Reg | None = None
        s0 = s
        prior = [r for r in (raw_by_end.get(s),) if r and r[3][3] and not _word_across_left(text, r[0])]
        if prior:
            s0, _, form, _ = prior[-1]
            parent = _choose(g.forms[form], refs, None).reg
        else:
            for k in (4, 3, 2):
                stem = text[max(0, s - k):s]
                if len(stem) < k or not _all_cjk(stem):
                    continue
                names = [stem + suf for suf in ("镇", "乡", "街道") if stem + suf in g.towns]
                if not names:
                    continue
                regs = [t for t in (_town_reg(n, refs) for n in names) if t and _town_is_local(t, refs)]
                if regs:
                    s0, parent = s - k, g.regs.get(regs[0].parent)
                    break
        if parent is None:
            continue
        name = text[s0:m.end()]
        if name in g.areas or is_excluded(s0, m.end()):
            continue  # listed areas come from the gazetteer pass
        found.append((s0, m.end(), _Reg("", name, None, parent.code or parent.parent), name))
        area_spans.add(s0, m.end())

    # a county followed by its towns' bare names: 昌平南口、马池口 (towns of 昌平区)
    forced: dict[int, _Reg] = {}
    town_spans = _Spans()
    for s, e, form, f in county_raw:  # (a county, and a bare town name of it may start after it)
        for c in f[4]:
            towns = _town_stems(c.reg.code)
            if not towns:
                continue
            hits = []
            pos = e
            while True:
                stem = None
                for n in (4, 3, 2):
                    if text[pos:pos + n] in towns:
                        stem = text[pos:pos + n]
                        break
                if not stem or _CJK.match(text[pos + len(stem):pos + len(stem) + 1] or "a") and \
                        text[pos + len(stem)] not in "、和与及等":
                    break
                hits.append((pos, pos + len(stem), towns[stem], stem))
                pos += len(stem)
                if text[pos:pos + 1] != "、":
                    break
                pos += 1
            if hits:
                forced[s] = c.reg
                for h in hits:
                    found.append(h)
                    town_spans.add(h[0], h[1])
                break

    prev_end, prev_code = -10, None
    for s, e, form, f in raw:
        if (area_spans.starts and area_spans.covers(s, e)) or (town_spans.starts and town_spans.covers(s, e)):
            continue
        cands, has_short, strong, usable = f[0], f[1], f[2], f[3]
        if not cands:
            continue
        if s in forced:
            found.append((s, e, forced[s], form))
            prev_end, prev_code = e, forced[s].code
            continue
        adjacent = s - prev_end <= 1
        if not usable and not adjacent and text[e:e + 1] not in _ENUM_SEP:
            continue  # a common word (资源, 合作) far from any place: neither qualified nor enumerated below
        prev_is_region = 0 <= s - prev_end <= 1
        if not prev_is_region and s and "\u4e00" <= text[s - 1] <= "\u9fff" and \
                _word_across_left(text, s, strict=not has_short):  # (the CJK test of the call, first)
            continue  # 新增城市 is not 增城市, 示范县 is not 范县, 娱乐业 is not 乐业
        if s > 0 and text[s - 1] in "(（" and text[e:e + 1] in ")）" and _CJK.match(text[e + 1:e + 2] or "a") \
                and has_short:
            continue  # 金华(义乌)中欧班列: a short form in brackets inside a name
        if strong:
            chosen = strong[0] if len(strong) == 1 else _choose(strong, refs, prev_code if adjacent else None)
        else:
            in_enum = (prev_is_region and s > 0 and text[s - 1] in _ENUM_SEP) or (
                text[e:e + 1] in _ENUM_SEP and _next_is_region(text, e + 1))
            if not usable:
                # common words (城区, 资源, 江山): only qualified (阳泉市城区) or enumerated
                qualified = adjacent and prev_code and any(
                    _code_of(c.reg).startswith(_significant(prev_code)) for c in cands)
                ends_item = not _CJK.match(text[e:e + 1] or "。") or text[e:e + 1] in _ENUM_SEP or \
                    text[e:e + 1] in "等的"
                starts_item = s == 0 or not _CJK.match(text[s - 1]) or text[s - 1] in _ENUM_SEP or \
                    prev_is_region
                if not ((in_enum and ends_item and starts_item) or qualified):
                    continue
                usable = cands
            if usable is cands:
                all_short = all(c.kind == "short" for c in usable)  # (usable is not empty)
                province = all(c.reg.level == "province" for c in usable)
            else:
                all_short, province = g.short_facts(form)
            if all_short:
                if text[e:e + 1] == "至" or text[max(0, s - 1):s] == "至":
                    continue  # 诸暨至嵊州高速: ends of a route name
                if in_enum and _enum_tail_is_facility(text, e):
                    continue
                # outside an enumeration the name must stand alone and run into no word on its
                # right (在巴中国: 巴中 is not a place here); before a separator or a particle it
                # does both (the two tests would say so). Most names that fail, fail the first.
                if not in_enum and text[e:e + 1] not in _FREE_NEXT and (
                        not _stands_alone(text, s, e, prev_is_region, province) or _word_across_right(text, e)):
                    continue
                if _inside_quoted_name(text, s, e):
                    continue  # “数字平潭”, “畅游平潭”APP: a slogan or brand
                # county short forms only inside their own province (南山 in a 深圳 notice), or
                # in an enumeration of places
                if f[4] and not in_enum:  # (no county among the candidates: nothing to drop)
                    usable = [c for c in usable if c.reg.level != "county" or refs.near(_code_of(c.reg), 2)]
                    if not usable:
                        continue
            chosen = usable[0] if len(usable) == 1 else _choose(usable, refs, prev_code if adjacent else None)
        found.append((s, e, chosen.reg, form))
        prev_end, prev_code = e, chosen.reg.code or _code_of(chosen.reg)

    # towns: suffix with a name from the table (康乐街道; 康乐街办 -> 康乐街道), local only
    taken: _Spans | None = None  # the places found so far; built when a town needs it
    n_found = len(found)
    new_towns = _Spans()
    for m in _matches_at(_TOWN, text, heads_at.get(_TOWN)):
        q = m.start()
        if not q or not ("\u4e00" <= text[q - 1] <= "\u9fff" or _all_cjk(text[q - 1])):  # common case first
            continue
        suffix = m.group()
        end = m.end()
        if suffix == "乡" and text[end:end + 1] in _NOT_TOWN_AFTER_XIANG:
            continue
        norm_suffix = _TOWN_NORM.get(suffix, suffix)
        if text[q - 2:q] + norm_suffix not in g.town_tails:
            continue  # (no stem of 2-4 chars before it names a town)
        best = None
        for k in range(4, 1, -1):
            s = q - k
            if s < 0:
                continue
            stem = text[s:q]
            if stem + norm_suffix not in g.towns or not _all_cjk(stem):
                continue  # (_town_reg would say None)
            reg = _town_reg(stem + norm_suffix, refs)
            if reg is not None and (_town_is_local(reg, refs) or _unique_town(text, s, stem, norm_suffix)):
                best = (s, end, reg)
                break
        if best is None:
            continue
        s, e, reg = best
        if taken is None:
            taken = _Spans((f[0], f[1]) for f in found[:n_found])
        if taken.covers(s, e) or new_towns.covers(s, e) or is_excluded(s, e):
            continue
        found.append((s, e, reg, text[s:e]))
        new_towns.add(s, e)
    if new_towns:
        found = [f for f in found if f[2].level == "town" or not new_towns.covers(f[0], f[1])]

    # one entry per place: the fullest form, its first span
    by_place: dict[str, dict[str, Any]] = {}
    for s, e, reg, form in sorted(found, key=lambda f: f[0]):
        key = reg.code or "area:" + reg.name
        cur = by_place.get(key)
        if cur is None or len(form) > len(cur["name"]):
            by_place[key] = _region_dict(reg, form, (s, e))
    return sorted(by_place.values(), key=lambda d: d["span"][0])


def _unique_town(text: str, s: int, stem: str, suffix: str) -> bool:
    """A town outside the document's area counts when its name is unique in China and is no
    common word (中心镇, 重点镇 and 城关镇 are not places of their own)."""
    g = _gaz()
    if len(stem) < 2 or stem in g.stop or len(g.towns.get(stem + suffix, ())) != 1:
        return False
    if _word_freq().get(stem, 0) >= 5 or _word_across_left(text, s, strict=True):
        return False
    if _word_freq().get(stem[-1] + suffix[0], 0) >= 50:
        return False  # 快于城镇居民: 城镇, 城乡, 大街 are words
    return not any(_word_freq().get(stem[i:], 0) >= 50 for i in range(1, len(stem) - 1))


_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|民族乡|镇|乡|苏木)$")


@lru_cache(maxsize=None)
def _town_stems(county_code: str) -> dict[str, _Reg]:
    """Bare names of one county's towns (马池口 for 马池口镇), two chars or more."""
    g = _gaz()
    if not g.towns_by_county:
        for name, hits in g.towns.items():
            for code, county in hits:
                g.towns_by_county.setdefault(county, []).append((code, name))
    out: dict[str, _Reg] = {}
    for code, name in g.towns_by_county.get(county_code, []):
        stem = _TOWN_SUFFIX.sub("", name)
        if len(stem) >= 2 and stem != name and stem not in g.forms and stem not in g.stop:
            out[stem] = _Reg(code, name, "town", county_code)
    return out


_NOT_TOWN_AFTER_XIANG = set("村镇土亲情愁间下里贤野音")
_TOWN_NORM = {"街办": "街道", "街道办事处": "街道"}


@lru_cache(maxsize=1)
def _word_freq() -> dict[str, int]:
    """jieba's dictionary, to see whether a short form is the tail of another word (娱乐业)."""
    try:
        import jieba

        jieba.dt.check_initialized()
        return jieba.dt.FREQ
    except Exception:
        return {}


def _enum_tail_is_facility(text: str, e: int) -> bool:
    """In 府谷、定边机场 every member names a facility: follow the enumeration to its end."""
    g = _gaz()
    pos = e
    for _ in range(12):
        if text[pos:pos + 1] not in ("、", "和", "与", "及"):
            break
        w = g.pattern.match(text, pos + 1)
        if not w:
            break
        pos = pos + 1 + len(w)
    return bool(_FACILITY_HEAD.match(text, pos))


def _inside_quoted_name(text: str, s: int, e: int) -> bool:
    """Inside “…” together with other words (“数字平潭”), a short form names a brand or slogan."""
    left = text.rfind("“", max(0, s - 12), s)
    if left < 0 or "”" in text[left:s]:
        return False
    right = text.find("”", e, e + 12)
    return right >= 0 and "“" not in text[e:right] and (right - left - 1) > (e - s)


def _word_across_right(text: str, e: int) -> bool:
    """A dictionary word made of the name's last char and the next one (巴中|国 -> 中国)."""
    if e >= len(text):
        return False
    w = text[e - 1:e + 1]
    try:
        return _ACROSS_RIGHT[w]
    except KeyError:
        pass
    found = _ACROSS_RIGHT[w] = not (text[e] in _FREE_NEXT or not _CJK.match(text[e])) and \
        _word_freq().get(w, 0) >= 50 and w not in _gaz().forms
    return found


# the word tests read only a few chars around the name, and the same pairs recur within a
# notice: their answers are kept per window of chars, for one document at a time (kept across
# documents they would also make a benchmark that repeats notices look faster than a stream of
# new ones is; emptied per document, they need no size bound)
_ACROSS_RIGHT: dict[str, bool] = {}
# by (strict, two chars before the name or fewer): the window alone does not tell the latter
_ACROSS_LEFT: tuple[dict[str, bool], ...] = ({}, {}, {}, {})


def _sync_memos() -> None:
    """Start each document with empty memos (this also follows any change of jieba's
    dictionary, e.g. the user dictionary the spaCy pipeline loads)."""
    _ACROSS_RIGHT.clear()
    for memo in _ACROSS_LEFT:
        memo.clear()


def _word_across_left(text: str, s: int, strict: bool = False) -> bool:
    """Is there a dictionary word that starts before ``s`` and runs into the name?"""
    if s <= 0 or not "\u4e00" <= text[s - 1] <= "\u9fff":  # _CJK, without a regex call
        return False
    memo = _ACROSS_LEFT[2 * (s >= 2) + bool(strict)]
    window = text[s - 2:s + 2] if s >= 2 else text[:s + 2]
    try:
        return memo[window]
    except KeyError:
        pass
    found = memo[window] = _word_across_left_uncached(text, s, strict)
    return found


def _word_across_left_uncached(text: str, s: int, strict: bool) -> bool:
    freq = _word_freq()
    forms = _gaz().forms
    for k in ((1, 2) if s >= 2 else (1,)):
        if text[s - k] in _NONWORD_HEAD:
            continue
        for j in ((1,) if strict else (1, 2)):
            w = text[s - k:s + j]
            if len(w) == k + j and freq.get(w, 0) >= (20 if k + j == 2 else 3) and w not in forms:
                return True
    return False


# bigrams like 省武 / 市宜 are not words; 在/于 + place are handled by _PLACE_PREV
_NONWORD_HEAD = frozenset("省市县区州在赴到至和与及、")


# a full name whose last char starts another word: 西安区域 is 西安 + 区域, not 西安区
_FALSE_SUFFIX_WORDS = frozenset({"区域", "区间", "区块", "区位", "区别", "市场", "市值", "市面", "市容", "州际", "县域"})
_FALSE_SUFFIX_HEADS = frozenset(w[0] for w in _FALSE_SUFFIX_WORDS)


def _trim_false_suffix(text: str, r: tuple[int, int, str]) -> tuple[int, int, str] | None:
    s, e, form = r
    if text[e - 1:e + 1] in _FALSE_SUFFIX_WORDS and len(form) > 2:
        short = form[:-1]
        return (s, e - 1, short) if short in _gaz().forms else None
    return r


def _next_is_region(text: str, pos: int) -> bool:
    return bool(_gaz().pattern.match(text, pos))


def lookup_region(name: str, context: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Resolve a place name (full or short form) to a schema region dict, or None.

    ``context`` may carry ``code`` (a parent or the document's region) to pick among
    same-name units (鼓楼区)."""
    try:
        if not name or not isinstance(name, str):
            return None
        name = name.strip()
        g = _gaz()
        ref = str(context.get("code") or "") if isinstance(context, dict) else ""
        cands = g.forms.get(name)
        if cands:
            c = _choose(cands, _Refs(ref), None)
            d = _region_dict(c.reg, name, (0, len(name)))
        else:
            t = _town_reg(name, _Refs(ref))
            if t is None:
                return None
            d = _region_dict(t, name, (0, len(name)))
        d.pop("span", None)
        return d
    except Exception:
        return None


@lru_cache(maxsize=1)
def _all_names() -> frozenset[str]:
    return frozenset(_gaz().forms)


def region_names() -> set[str]:
    """All full, alias, former and short names of provinces, prefectures, counties and areas."""
    return set(_all_names())

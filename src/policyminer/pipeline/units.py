"""Responsible units and organizations (issue 5).

Who must act: members of 责任单位/牵头单位 lists, bodies in 由X牵头/负责 and X会同Y clauses and
the subjects of directives (X要/应/负责…) get role ``lead`` or ``responsible``; every other
government body, party organ, public institution, state enterprise or bank named in the text
gets role ``mentioned``.

How names are found, without segmentation (speed): the text is *masked* -- every character that
cannot be inside a name (punctuation, digits, Latin) and every boundary word (由, 会同, 的, 要 ...,
``data/org_boundaries.txt``) is replaced by NUL, keeping offsets. A name is then a stretch of
unmasked text ending in an organization suffix (``data/org_suffixes.txt``), accepted when it starts
with a level or place prefix (市/省/区/怀化/湖北省 ...) or its core names a department field
(``data/org_fields.txt``), or its suffix is unambiguous (委员会, 办公室, 领导小组 ...). Generic
collectives (``data/org_generic.txt``) are dropped. Shared lists (农业、气象部门) give one unit per
member, completed with the shared word.

Output: one entry per lead/responsible mention (so each can be linked to its measure), plus one
``mentioned`` entry (the first mention) for each name never given a task. ``canonical`` is the
full name with the region filled in from the document's region (市发展改革委 in a 怀化 notice ->
怀化市发展和改革委员会) and abbreviations expanded (``data/departments.tsv``).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from .context import DocContext

_HAN = "\u4e00-\u9fff\u3007"
_NUL = "\0"
_MAX_NAME = 26

# --------------------------------------------------------------------------- data


def _lines(name: str) -> list[str]:
    try:
        raw = (resources.files("policyminer") / "data" / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    return [ln.rstrip("\n") for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def _suffixes() -> tuple[re.Pattern[str], dict[str, str]]:
    """Suffix regex (longest first, with not-followed-by exclusions) and suffix -> tier."""
    tiers: dict[str, str] = {}
    alts: list[tuple[str, str]] = []
    for ln in _lines("org_suffixes.txt"):
        parts = ln.split("\t")
        suf = parts[0].strip()
        if not suf or suf in tiers:
            continue
        tiers[suf] = parts[1].strip() if len(parts) > 1 else "B"
        bad = parts[2].strip() if len(parts) > 2 else ""
        alts.append((suf, f"(?![{re.escape(bad)}])" if bad else ""))
    # a trie, not a longest-first alternation (re would try every suffix one by one at each
    # place): at a place only one chain of words fits, and the trie tries it deepest first,
    # each word's exclusion where the word ends -- the longest suffix that fits, as before
    pat = _trie([a[0] for a in alts], dict(alts)) if alts else "(?!)"
    return re.compile(f"(?:{pat})"), tiers


def _trie(words: list[str], tails: dict[str, str] | None = None) -> str:
    """One regex for many literal words, as a character trie (Python's re tries alternatives
    one by one; a trie keeps masking fast on long texts). ``tails``: a condition (lookahead)
    a word must meet where it ends; a longer word is always tried before a shorter one."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = (tails or {}).get(w, "")

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        end = node.get("")
        if end:  # a word ends here, under a condition: tried after the longer words
            alts.append(end)
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end == "" else body

    return build(root)


def _class(chars: Any) -> str:
    """A regex character class of the given characters."""
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _width(pat: str) -> int | None:
    """Match length of a fixed-width pattern (all boundary words are), else None."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        lo, hi = _parser.parse(pat).getwidth()
    except Exception:
        return None
    return lo if lo == hi else None


_LEADING_LOOKBEHIND = re.compile(rf"\(\?<([!=])([^()\[\]\\]*)\)([{_HAN}]+)(.*)")


def _lookbehind_last(pat: str) -> str:
    """``(?<!华)为`` -> ``为(?<!华为)``: the same matches, but the pattern starts with a literal."""
    m = _LEADING_LOOKBEHIND.fullmatch(pat)
    if not m:
        return pat
    kind, behind, lit, rest = m.groups()
    return f"{lit}(?<{kind}{behind}{lit}){rest}"


@lru_cache(maxsize=1)
def _boundaries() -> tuple[list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    """Boundary words as (regex, NUL replacement) per fixed width, longest first (masking by plain
    ``sub`` runs in C), and the generic-prefix words."""
    plain: list[str] = []
    generic: list[str] = []
    for ln in _lines("org_boundaries.txt"):
        target = plain
        if ln.startswith("generic:"):
            ln = ln[len("generic:"):]
            target = generic
        pat = ln[3:] if ln.startswith("re:") else re.escape(ln.strip())
        target.append(pat)
    by_width: dict[int, tuple[list[str], list[str]]] = {}
    for pat in plain + generic:
        w = _width(pat)
        if w:
            lit = re.escape(re.sub(r"\\(.)", r"\1", pat)) == pat
            by_width.setdefault(w, ([], []))[0 if lit else 1].append(re.sub(r"\\(.)", r"\1", pat) if lit else pat)
    passes = []
    for w, (lits, pats) in sorted(by_width.items(), reverse=True):
        # literals in one trie (or class) pass; each conditional word in its own pass, so that
        # every pass starts with a literal (or a class of first characters) and runs at C speed:
        # re only skips ahead to candidate positions when the pattern starts with a literal, a
        # class or a branch of literals (not with a lookaround)
        if lits:
            if w == 1:
                lit = _class(lits)
            else:
                # the first two characters tested as classes (bitmaps), the word itself behind
                # them: re tries the trie's branches only where both fit (the trie alone scans
                # its branches at every place a first character occurs); same matches
                lit = f"{_class(x[0] for x in lits)}{_class(x[1] for x in lits)}{'.' * (w - 2)}(?<={_trie(lits)})"
            passes.append((re.compile(lit, re.S), _NUL * w))
        for pat in dict.fromkeys(pats):  # a word listed twice is masked by its first pass
            passes.append((re.compile(_lookbehind_last(pat)), _NUL * w))
    # longest match first: by the length of what a word matches, not of its pattern (本(?=[级…])
    # is a longer pattern than 本级 but matches one character: 本级 must win); widths are fixed
    return passes, re.compile("|".join(sorted(generic, key=lambda p: _width(p) or 0, reverse=True)) or "(?!)")


@lru_cache(maxsize=1)
def _fields() -> re.Pattern[str]:
    # a trie: only ever asked whether some word matches, never which (faster than an alternation)
    words = sorted({w.strip() for w in _lines("org_fields.txt") if w.strip()})
    return re.compile(_trie(words) or "(?!)")


@lru_cache(maxsize=1)
def _generic() -> tuple[frozenset[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    cur = exact
    for ln in _lines("org_generic.txt"):
        s = ln.strip()
        if s == "[prefix]":
            cur = prefixes  # type: ignore[assignment]
            continue
        if isinstance(cur, set):
            cur.add(s)
        else:
            cur.append(s)
    return frozenset(exact), tuple(prefixes)


@lru_cache(maxsize=1)
def _departments() -> list[tuple[str, str]]:
    out = []
    for ln in _lines("departments.tsv"):
        parts = ln.split("\t")
        if len(parts) >= 2 and parts[0].strip():
            out.append((parts[0].strip(), parts[1].strip()))
    out.sort(key=lambda p: -len(p[0]))
    return out


@lru_cache(maxsize=1)
def _known() -> tuple[frozenset[str], re.Pattern[str]]:
    names = {w.strip() for w in _lines("org_known.txt") if w.strip()}
    # a trie: the longest name at the leftmost place, as a longest-first alternation finds it
    # (which re tries name by name at every place a first character occurs)
    return frozenset(names), re.compile(_trie(sorted(names)) or "(?!)")


@lru_cache(maxsize=1)
def _known_start() -> re.Pattern[str]:
    names, _ = _known()
    return re.compile(_trie(sorted(n for n in names if len(n) >= 2)) or "(?!)")  # asked only whether one matches


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Region names (full and short) from the regions component, if it provides them."""
    names: set[str] = set()
    try:
        from . import regions as _regions

        fn = getattr(_regions, "region_names", None)
        got = fn() if callable(fn) else None
        for n in got or ():
            if isinstance(n, str) and len(n) >= 2:
                names.add(n)
                short = _LEVEL_TAIL.sub("", n)
                if len(short) >= 2:
                    names.add(short)
    except Exception:  # the regions helper may still be a stub
        pass
    return frozenset(names)


_ZONE = re.compile(rf"^[{_HAN}]{{0,4}}(?:综合实验区|实验区|开发区|高新区|经开区|新区|园区|示范区|合作区|自贸区|综合保税区|保税区)")
_LEVEL_TAIL = re.compile(r"(?:特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|自治县|省|市|县|区|州|盟|旗)$")
_LEVEL = "省市县区州盟旗镇乡"
_NATIONAL = re.compile(r"^(?:国家|中国|中共|中华|中央|国务院|全国|党中央|自治区)")
# the same words inside a stretch (not before 级: 国家级重点实验室 is a class of bodies)
_NATIONAL_AT = re.compile(_NATIONAL.pattern[1:] + "(?!级)")
_NATIONAL_FIRST = "国中全党自"  # every character a _NATIONAL match starts with
_NATIONAL_FIRST_RE = re.compile(f"[{_NATIONAL_FIRST}]")
_PLACEISH = re.compile(rf"^[{_HAN}]{{0,7}}?(?:自治区|自治州|自治县|省|市|县|区|州|盟|旗)(?!级)")
_BAD_LEAD = re.compile(r"(?:[0-9一二两三四五六七八九十百千]*[年月日号第届次个家项名位批期类支条和与及])+")
_BAD_LEAD_FIRST = frozenset("0123456789一二两三四五六七八九十百千年月日号第届次个家项名位批期类支条和与及")  # (its first characters)
# a person's title inside a stretch: 平潭县县长陈昌明区政法领导小组 is two things, not one name
_TITLE = re.compile(r"(?:县长|市长|省长|区长|乡长|镇长|局长|厅长|书记|主任|组长|主席|部长|处长|科长|院长|董事长|总经理|常委(?!会)|委员(?!会)|代表(?!大会|团|处))")
# a stretch ending in one of these words is no body (格局 is no 局, 餐厅 no 厅, 干部 no 部) ...
_BAD_END_WORDS = (
    "格局 布局 大局 全局 开局 结局 当局 餐厅 大厅 客厅 展厅 场所 住所 网站 车站 驿站 加油站 充电站 "
    "基站 内部 外部 全部 局部 东部 西部 南部 北部 中部 干部 俱乐部 剧院 影院 庭院 书院 部署 评委 住院 经办 "
    "控制室 业主委员会 居民委员会 村民委员会 法治政府 数字政府 服务型政府 副中心 医疗集团 分中心 城市中心 "
    "办事处室 服务站 工作站 创新中心 文化中心 枢纽中心 运营中心 物流中心 商务中心"
).split()
# ... nor in one of these forms: 数据中心 (not 大数据中心), 快办/通办/督办..., 三个部门/两室
# Both are written backwards and matched at the start of the reversed name: only its end is read
# (a search for ``(?:...)$`` tries every place in the name, several times slower).
_BAD_END_FORMS_REVERSED = r"心中据数(?!大)|办[快急速即通代帮领网督承举创交查主协分]|(?:门部|[部室局院])[个家支批]?[0-9一二两三四五六七八九十百千]+"
_BAD_END_REVERSED = re.compile(f"{_trie(sorted(w[::-1] for w in _BAD_END_WORDS))}|{_BAD_END_FORMS_REVERSED}")


def _bad_end(name: str) -> bool:
    """Does ``name`` end in a word or form that is no body? (``$``: also before a final newline)"""
    rev = name[::-1]
    return bool(_BAD_END_REVERSED.match(rev) or rev[:1] == "\n" and _BAD_END_REVERSED.match(rev, 1))

# --------------------------------------------------------------------------- masking

_NONNAME = re.compile(rf"[^{_HAN}“”]")
# ... and a bracketed place or form inside a company name: 腾讯云计算（北京）有限责任公司, 某某（集团）有限公司
_BRACKETED = rf"[{_HAN}]{{2,6}}[)）](?=[{_HAN}]{{0,12}}?(?:有限|股份|集团))"
_QUOTED = (  # one pattern per opening character: see _finditer_any
    re.compile("“[^”\n“]{1,12}”"), re.compile(f"（{_BRACKETED}"), re.compile(f"\\({_BRACKETED}"),
)


def _finditer_any(pats: tuple[re.Pattern[str], ...], text: str) -> list[re.Match[str]] | Iterator[re.Match[str]]:
    """What ``re.finditer`` finds for the alternation of ``pats``, when each starts with its own
    literal (so that at most one matches at a place): left to right, without overlap. Each
    pattern is searched alone, so that re skips ahead to its literal (an alternation makes re
    test a set of characters at every place, several times slower).

    Each pattern's own matches, when no two of them overlap, are exactly that (the alternation
    searching on from a match's end finds each pattern's next match, as the pattern's own scan
    did): one finditer per pattern, in C. Only overlaps need the merge step by step."""
    found = [ms for ms in (p.finditer(text) for p in pats) for ms in (list(ms),) if ms]
    if len(found) <= 1:
        return found[0] if found else []
    ms = sorted((m for f in found for m in f), key=_START)
    if all(a.end() <= b.start() for a, b in zip(ms, itertools.islice(ms, 1, None))):
        return ms
    return _merge_any(pats, text)


_START = operator.methodcaller("start")


def _merge_any(pats: tuple[re.Pattern[str], ...], text: str) -> Iterator[re.Match[str]]:
    """_finditer_any step by step (overlapping matches)."""
    nxt = [p.search(text) for p in pats]
    pos = 0
    while True:
        best = None
        for k, m in enumerate(nxt):
            if m is not None and m.start() < pos:  # overlapped by the last match: look again
                m = nxt[k] = pats[k].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best, bk = m, k
        if best is None:
            return
        yield best
        pos = best.end()
        nxt[bk] = pats[bk].search(text, pos)


@lru_cache(maxsize=1)
def _inner() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Group-name endings and the boundary words allowed inside such names (org_name_inner.txt)."""
    sec = _sections("org_name_inner.txt", "word", ("word", "suffix"))
    return re.compile(f"(?:{_alt(sec['suffix'])})(?:办公室)?"), re.compile(_alt(sec["word"]))


def _sections(name: str, first: str, keys: tuple[str, ...]) -> dict[str, list[str]]:
    """A word list split into ``[section]`` blocks; words before any header go to ``first``."""
    sec: dict[str, list[str]] = {k: [] for k in keys}
    cur = first
    for ln in _lines(name):
        w = ln.strip()
        if w.startswith("[") and w.endswith("]"):
            cur = w[1:-1]
            continue
        sec.setdefault(cur, []).append(w)
    return sec


def _alt(ws: list[str]) -> str:
    """Longest-first regex alternation of literal words (never matches when empty)."""
    return "|".join(map(re.escape, sorted(set(ws), key=len, reverse=True))) or "(?!)"


_ALL_HAN = re.compile(rf"[{_HAN}]+")


def _ends_in_suffix(name: str) -> bool:
    sre, _ = _suffixes()
    return any(m.end() == len(name) for m in sre.finditer(name))


def _unmask_groups(text: str, masked: str) -> str:
    """Restore boundary words inside committee/task-group names (市委全面深化改革委员会办公室):
    from an anchored start right after a boundary, up to the group ending, when every masked
    word in between is one that such names use."""
    suf_re, word_re = _inner()
    spans: list[tuple[int, int]] = []
    for m in suf_re.finditer(text):
        a, b = m.span()
        lo = max(0, a - 20)
        if _NUL not in masked[lo:a]:
            continue
        for p in range(lo, a - 1):
            if not (p == 0 or masked[p - 1] == _NUL) or masked[p] == _NUL:
                continue
            if not _ALL_HAN.fullmatch(text, p, a) or not _anchored(text[p:b]):
                continue
            seg = masked[p:a]
            z1 = seg.find(_NUL)
            head = text[p: p + z1] if z1 >= 0 else ""
            if head and not head.endswith("委") and (_known()[0].__contains__(head) or _ends_in_suffix(head)):
                break  # 市政府推进改革委员会: a body and a verb, not one name (市委全面深化改革委员会 is one)
            k = p
            ok = True
            while True:
                z = masked.find(_NUL, k, a)
                if z < 0:
                    break
                w = word_re.match(text, z)
                if not w or masked[z: w.end()] != _NUL * (w.end() - z):
                    ok = False
                    break
                k = w.end()
            if ok and _NUL in seg:
                spans.append((p, a))
            break
    if not spans:
        return masked
    parts: list[str] = []
    last = 0
    for p, a in spans:
        if p < last:
            continue
        parts.append(masked[last:p])
        parts.append(text[p:a])
        last = a
    parts.append(masked[last:])
    return "".join(parts)


def _mask(text: str) -> tuple[str, set[int]]:
    """NUL out non-name characters and boundary words; return masked text and the offsets
    right after a generic prefix (各, 有关, 同级 ...)."""
    passes, gre = _boundaries()
    masked = _NONNAME.sub(_NUL, text)
    before = masked
    for bre, nul in passes:
        masked = bre.sub(nul, masked)
    generic_ends = {m.end() for m in gre.finditer(before) if masked[m.start():m.end()] == _NUL * (m.end() - m.start())}
    masked = _unmask_groups(text, masked)
    # short quoted names keep their inner text: “除火患、保平安”冬春专项行动领导小组, “一对一”服务专班
    parts: list[str] = []
    last = 0
    for m in _finditer_any(_QUOTED, text):
        parts.append(masked[last:m.start()])
        parts.append(m.group())
        last = m.end()
    if parts:
        parts.append(masked[last:])
        masked = "".join(parts)
    return masked, generic_ends


# --------------------------------------------------------------------------- windows
#
# Most of a notice names no organization: only ~15% of the text lies in stretches that hold
# a suffix or a known name. Masking is local -- boundary words and the restored quotes and
# group names never reach past a character outside [汉字“”] or a quoted span (call such a
# maximal stretch a *piece*) -- so masking only the pieces that can hold a name, cut out into
# one short string (pieces joined by a newline, itself masked), gives exactly the masked
# text of those pieces, for a fraction of the regex passes.

_LIVE = re.compile(f"[{_HAN}“”]*")


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern[str] | None:
    """A suffix (exclusions ignored: masking only removes characters) or a known name, then
    the rest of its piece. Matched at the word's last character (fewer candidates than first
    characters), the word itself checked behind it. None when a word is not all Han: then
    the whole text is masked."""
    _, tiers = _suffixes()
    words = set(tiers) | _known()[0]
    if not words or any(not _ALL_HAN.fullmatch(w) for w in words):
        return None
    # a word ending in another word (有限责任公司: 公司) finds no piece the shorter one misses
    words = {w for w in words if not any(len(v) < len(w) and w.endswith(v) for v in words)}
    by_last: dict[str, list[str]] = {}
    for w in sorted(words):
        by_last.setdefault(w[-1], []).append(w)
    alts = []
    # one-character words (局, 委, 办 ...) first: re tries the branches in order at each candidate
    for last, ws in sorted(by_last.items(), key=lambda kv: (kv[0] not in kv[1], kv[0])):
        if last in ws:
            alts.append(re.escape(last))
            continue
        by_len: dict[int, list[str]] = {}
        for w in ws:
            by_len.setdefault(len(w), []).append(w)
        behind = "|".join(f"(?<={'|'.join(map(re.escape, v))})" for _, v in sorted(by_len.items()))
        alts.append(f"{re.escape(last)}(?:{behind})")
    return re.compile(f"(?:{'|'.join(alts)})[{_HAN}“”]*")


class _Cut:
    """The pieces of ``text`` that can hold a name, cut out and masked: ``text``/``masked``/
    ``generic_ends`` in cut coordinates; ``to_text`` maps an offset back."""

    __slots__ = ("n", "spans", "starts", "text", "masked", "generic_ends")

    def __init__(self, text: str, extra: list[tuple[int, int]]) -> None:
        n = self.n = len(text)
        trig = _trigger()
        if trig is None:
            spans = [(0, n)] if n else []
        else:
            spans = self._pieces(text, trig, extra)
        # the pieces joined by a newline, one before the first and after the last when text
        # precedes or follows them (the character before a piece is masked: keep one in the cut)
        head = 1 if spans and spans[0][0] > 0 else 0
        starts = list(itertools.accumulate((b - a + 1 for a, b in spans[:-1]), initial=head)) if spans else []
        cut = "\n".join([text[a:b] for a, b in spans])
        if head:
            cut = "\n" + cut
        if spans and spans[-1][1] < n:
            cut += "\n"
        self.spans = spans
        self.starts = starts
        self.text = cut
        self.masked, self.generic_ends = _mask(cut)

    @staticmethod
    def _pieces(text: str, trig: re.Pattern[str], extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
        n = len(text)
        live = text
        # a quoted span is restored whole: it joins the pieces it touches (only one holding a
        # character outside names changes anything; most hold 汉字 only)
        nonname = _NONNAME.search
        quoted = [sp for m in _finditer_any(_QUOTED, text) for sp in (m.span(),) if nonname(text, *sp)]
        if quoted:
            parts: list[str] = []
            last = 0
            for a, b in quoted:
                parts.append(text[last:a])
                parts.append(_NONNAME.sub("“", text[a:b]))
                last = b
            parts.append(text[last:])
            live = "".join(parts)
        rev = live[::-1]
        back = _LIVE.match
        out: list[tuple[int, int]] = []
        for m in trig.finditer(live):  # rev[n - s:] runs back from text[s - 1]
            out.append((n - back(rev, n - m.start()).end(), m.end()))
        if extra:
            for a, b in extra:
                out.append((n - back(rev, n - a).end(), back(live, b).end()))
            out.sort()
            merged = [out[0]]
            for a, b in out[1:]:
                if a <= merged[-1][1]:
                    if b > merged[-1][1]:
                        merged[-1] = (merged[-1][0], b)
                else:
                    merged.append((a, b))
            out = merged
        return out

    def to_text(self, c: int) -> int:
        i = bisect.bisect_right(self.starts, c) - 1
        return c - self.starts[i] + self.spans[i][0]

    def masked_at(self, a: int, b: int) -> str:
        """``full_masked()[a:b]`` without building the whole string (a notice-long copy for a
        few short slices): a shared list lies inside one piece (its span is passed as extra)."""
        if a < b:
            i = bisect.bisect_right(self.spans, (a, self.n + 1)) - 1  # the last piece starting at or before a
            if i >= 0 and b <= self.spans[i][1]:
                c = self.starts[i] + a - self.spans[i][0]
                return self.masked[c: c + b - a]
        return self.full_masked()[a:b]

    def full_masked(self) -> str:
        """The masked text in text coordinates (NUL outside the pieces)."""
        parts: list[str] = []
        last = 0
        for (a, b), c in zip(self.spans, self.starts):
            parts.append(_NUL * (a - last))
            parts.append(self.masked[c: c + b - a])
            last = b
        parts.append(_NUL * (self.n - last))
        return "".join(parts)


# --------------------------------------------------------------------------- names

# The data the name tests read, as module globals once loaded (``_load``): the tests run
# thousands of times per notice, and a call to an lru_cache'd accessor costs about as much as
# the cheap test it feeds.
_SRE: re.Pattern[str]
_TIERS: dict[str, str]
_PLACES: frozenset[str]
_PLACE_HEADS: frozenset[str]
_FIELDS: re.Pattern[str]
_KNOWN_NAMES: frozenset[str]
_KNOWN_RE: re.Pattern[str]
_KNOWN_START: re.Pattern[str]
_GENERIC_EXACT: frozenset[str]
_GENERIC_PREFIX: re.Pattern[str]
_LABEL_CELL: re.Pattern[str]
# the characters a match of each can start with: a set test before the regex call (which
# costs as much as the whole test); the regex still decides
_SUFFIX_FIRST: frozenset[str]
_FIELDS_FIRST: frozenset[str]
_KNOWN_FIRST: frozenset[str]
_GENERIC_FIRST: frozenset[str]
_LOADED = False


def _load() -> None:
    global _SRE, _TIERS, _PLACES, _PLACE_HEADS, _FIELDS, _KNOWN_NAMES, _KNOWN_RE, _KNOWN_START
    global _GENERIC_EXACT, _GENERIC_PREFIX, _LABEL_CELL, _LOADED
    global _SUFFIX_FIRST, _FIELDS_FIRST, _KNOWN_FIRST, _GENERIC_FIRST
    if _LOADED:
        return
    _SRE, _TIERS = _suffixes()
    _PLACES, _PLACE_HEADS = _place_names(), _place_heads()
    _FIELDS = _fields()
    _KNOWN_NAMES, _KNOWN_RE = _known()
    _KNOWN_START = _known_start()
    _GENERIC_EXACT = _generic()[0]
    _GENERIC_PREFIX = _generic_prefix_re()
    _LABEL_CELL = _labels()[1]
    _SUFFIX_FIRST = frozenset(w[0] for w in _TIERS)
    _FIELDS_FIRST = frozenset(w.strip()[0] for w in _lines("org_fields.txt") if w.strip())
    _KNOWN_FIRST = frozenset(n[0] for n in _KNOWN_NAMES if len(n) >= 2)
    _GENERIC_FIRST = frozenset(w[0] for w in _generic()[1] if w)
    _LOADED = True


# Name tests are pure functions of short strings, and a notice names the same bodies again and
# again: each is memoized for one document (emptied when the next document starts, so a long
# batch never grows the memos and no document gets faster for having been seen before).
_DOC_MEMOS: list[Any] = []  # dicts and lru_cache'd functions, emptied per document


def _per_document(fn: Any) -> Any:
    memoized = lru_cache(maxsize=None)(fn)  # unbounded here; emptied per document
    _DOC_MEMOS.append(memoized)
    return memoized


def _new_document() -> None:
    for memo in _DOC_MEMOS:
        if isinstance(memo, dict):
            memo.clear()
        else:
            memo.cache_clear()



@lru_cache(maxsize=1)
def _generic_prefix_re() -> re.Pattern[str]:
    _, prefixes = _generic()
    return re.compile("(?:" + ("|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))) or "(?!)") + ").")


@_per_document
def _is_generic(name: str) -> bool:
    m = _ABOVE_LEVEL.match(name) if name[:1] in _ABOVE_FIRST else None
    if m:
        rest = name[m.end():]
        return not name.endswith(("部门", "机关", "机构")) or len(rest) < 4 or _is_generic(rest)
    return name in _GENERIC_EXACT or name[:1] in _GENERIC_FIRST and bool(_GENERIC_PREFIX.match(name))


@lru_cache(maxsize=1)
def _place_heads() -> frozenset[str]:
    """First two characters of every place name: a cheap test before _place_prefix."""
    return frozenset(n[:2] for n in _place_names())


def _place_prefix(name: str, p: int = 0) -> int:
    """Length of a place name at ``name[p:]`` that can open an organization name, else 0.

    A full form (怀化市, 湖北省) always can; a short form (怀化, 平潭) only when a department
    word, a suffix or a known name follows (怀化银保监分局, 平潭消防支队), so that 和政 in
    和政府 or 武平 in a person's name 余作武平潭… do not open a name."""
    if name[p: p + 2] not in _PLACE_HEADS:  # (also when there are no places)
        return 0
    for k in range(min(9, len(name) - p), 1, -1):
        cand = name[p: p + k]
        if cand not in _PLACES:
            continue
        if cand[-1] in "省市县区州旗盟" or cand.endswith(("自治区", "自治州", "自治县", "新区", "实验区")):
            return k
        rest = name[p + k:]
        r0 = rest[:1]
        if (
            r0 in _FIELDS_FIRST and _FIELDS.match(rest) or r0 in _SUFFIX_FIRST and _SRE.match(rest)
            or r0 in _KNOWN_FIRST and _KNOWN_START.match(rest)
        ):
            return k
    return 0


@_per_document
def _anchored(name: str) -> bool:
    if name[0] in _ABOVE_FIRST and _ABOVE_LEVEL.match(name):
        return True
    if name[0] in _LEVEL and (
        not name.startswith(("市场", "区域", "县域", "州级", "县城", "市区", "省会", "市民", "区块"))
        or name.startswith("市民政")  # 市民政局 is 市 + 民政局, not 市民
    ):
        return name[1:2] != "级"
    # (every zone word ends in 区, at most 9 characters in: a cheap test before _ZONE)
    if name[0] == "厅" or name[0] in _NATIONAL_FIRST and _NATIONAL.match(name) or "区" in name[:9] and _ZONE.match(name):  # 厅党组: the issuer itself
        return True
    return name[:2] in _PLACE_HEADS and _place_prefix(name) > 0


@_per_document
def _valid(name: str, suffix: str, tier: str) -> bool:
    if len(name) > _MAX_NAME or name.count("“") != name.count("”"):
        return False
    # the costly end and title tests last: most candidates already fail the tier's test (all
    # the tests are pure, so their order does not change the answer)
    return _valid_core(name, suffix, tier) and not (_bad_end(name) or _TITLE.search(name))


def _valid_core(name: str, suffix: str, tier: str) -> bool:
    core = name[: len(name) - len(suffix)]
    if not core:
        for k in range(1, len(suffix)):
            if suffix[k:] in _TIERS:
                return _valid(name, suffix[k:], _TIERS[suffix[k:]])
        return False
    if _is_generic(name):
        return False
    if tier == "A":
        return len(core) >= 2 or core in _LEVEL or _anchored(name)
    if len(suffix) == 1 and core in _PLACES and core[-1] not in "省市县区州旗盟" and not _FIELDS.fullmatch(core):
        return False  # 通州院, 亦庄院: a campus or a place, not a body
    if _anchored(name) or name.endswith(_FUNCTIONAL_END) and _functional(name):
        return True
    if core[0] in _KNOWN_FIRST and _KNOWN_START.match(core):
        return True  # 领导小组办公室
    return 2 <= len(core) <= 14 and bool(_FIELDS.search(core))


@_per_document
def _strong_start(name: str) -> bool:
    """Does ``name`` begin like an organization (level/place/national prefix, field word)?"""
    if _anchored(name) or name.endswith(_FUNCTIONAL_END) and _functional(name):
        return True
    return name[0] in _FIELDS_FIRST and bool(_FIELDS.match(name)) or name[0] in _KNOWN_FIRST and bool(_KNOWN_START.match(name))


# functional names standing alone (政务部门, 网信部门, 审计机关): regulations name bodies by function
_FUNCTIONAL_END = ("部门", "机关")
_FUNCTIONAL = re.compile(rf"(?![和求])(?:(?![与及或对])[{_HAN}]){{2,8}}(?<![和])(?:部门|机关)")
@_per_document
def _functional(name: str) -> bool:
    """政务部门, 审计机关; not 分主管部门 (a generic name behind a stray character)."""
    return (
        name.endswith(_FUNCTIONAL_END) and bool(_FUNCTIONAL.fullmatch(name))
        and not _is_generic(name[1:]) and not _is_generic(name)
        and not _LABEL_CELL.fullmatch(name)  # 考核部门, 责任部门: a column label
    )


# 县级以上人民政府网信部门: a class of governments opens a functional name; alone it is generic
# (省级财政部门 likewise: the one provincial body; 县级住建部门 in a city notice stays generic)
_ABOVE_LEVEL = re.compile(
    r"^(?:(?:[省市县区乡镇]级以[上下]|设区的市级?以?上?)(?:地方)?(?:各级)?(?:人民)?政府|省级(?!以))"
)
_ABOVE_FIRST = "省市县区乡镇设"  # every character an _ABOVE_LEVEL match starts with


# a level character right after these is part of a word (社区, 城市, 节省), not a prefix
_LEVEL_WORD_BEFORE = {"区": "社园小城景地郊街山辖片厂矿营校库验发新开范作贸税", "市": "城超门股都夜楼车市上", "省": "节反", "县": "", "州": ""}


def _start_points(run: str, start: int, stop: int) -> Iterator[int]:
    """Where else a name can begin after ``start`` (which always can), up to ``stop``; lazily,
    as the caller mostly needs none or the first."""
    quoted = "“" in run
    heads = _PLACE_HEADS
    for p in range(start + 1, min(len(run) - 1, stop + 1)):
        if quoted and run.count("“", 0, p) > run.count("”", 0, p):
            continue  # inside a quoted name
        ch = run[p]
        if ch in _LEVEL_WORD_BEFORE:
            if run[p + 1] != "级" and run[p - 1] not in _LEVEL_WORD_BEFORE[ch] and run[p: p + 3] != "市政" + run[p + 2: p + 3].replace("府", "_"):
                yield p
        # (a national prefix was also tested here with _NATIONAL.match(run, p), but its ``^``
        # never matches at p > 0, so it never added a point; dropped, output unchanged)
        elif run[p: p + 2] in heads and _place_prefix(run, p):  # (the heads test saves a call)
            yield p


def _national_points(run: str, start: int, stop: int) -> Iterator[int] | tuple[()]:
    """Where a national prefix (国家, 中共, 国务院 ...) begins inside the stretch, after ``start``
    up to ``stop``: asked only when nothing is taken from the stretch's start or another point
    (争取国务院办公厅支持 -> 国务院办公厅). As a point of equal rank it cut real names short
    (习近平新时代中国特色社会主义思想研究中心, 西安国家版本馆)."""
    # most stretches hold no character a national prefix starts with: one class search (in C)
    # says so, and the points can only begin from the first such character on
    hi = min(len(run) - 1, stop + 1)
    first = _NATIONAL_FIRST_RE.search(run, start + 1, hi) if start + 1 < hi else None
    if first is None:
        return ()
    return _national_from(run, first.start(), hi)


def _national_from(run: str, lo: int, hi: int) -> Iterator[int]:
    quoted = "“" in run
    for p in range(lo, hi):
        if run[p] in _NATIONAL_FIRST and _NATIONAL_AT.match(run, p):
            if quoted and run.count("“", 0, p) > run.count("”", 0, p):
                continue  # inside a quoted name
            yield p


def _longest_from(run: str, p: int, ends: list[tuple[int, str]], i: int) -> tuple[int, str, str, bool] | None:
    """The longest valid (or generic) name starting at ``p``: (end index, name, suffix, generic)."""
    tiers = _TIERS
    for j in range(len(ends) - 1, i - 1, -1):
        e, suf = ends[j]
        if e - p > _MAX_NAME or e - len(suf) < p:
            continue
        name = run[p:e]
        if _is_generic(name):
            return j, name, suf, True
        if _valid(name, suf, tiers.get(suf, "B")):
            return j, name, suf, False
    return None


@_per_document
def _split_inner(name: str) -> list[tuple[int, str]]:
    """平潭综合实验区党工委平潭综合实验区管委会, 市委市政府 -> two names (offsets within name)."""
    sre, tiers, places = _SRE, _TIERS, _PLACES
    first = sre.search(name)
    if first is None or first.end() >= len(name) - 1:  # what the loop below finds at once
        return [(0, name)]
    for m in sre.finditer(name):
        k = m.end()
        if k >= len(name) - 1:
            break
        rest = name[k:]
        full_place = any(rest[:n] in places and rest[n - 1] in "省市县区州旗盟" for n in range(3, min(9, len(rest))))
        if _NATIONAL.match(name) and full_place:
            continue  # 国家税务总局浙江省税务局 is one body
        if (rest[0] in "省市县区" and rest[1:2] != "级") or full_place:
            left = name[:k]
            if any(x.end() < len(rest) for x in sre.finditer(rest)):
                continue  # 市委市政府督查室: one joint office
            rm = [x for x in sre.finditer(rest) if x.end() == len(rest)]
            if rm and _valid(left, m.group(), tiers.get(m.group(), "B")) and _valid(
                rest, rm[-1].group(), tiers.get(rm[-1].group(), "B")
            ):
                return [(0, left)] + [(k + o, n) for o, n in _split_inner(rest)]
    return [(0, name)]


def _names_one(run: str, generic_start: bool, e0: int, suf: str) -> list[tuple[int, int, str]]:
    """_names_in_run for a stretch with one suffix (about 90% of stretches): at most one name,
    ending at ``e0``; the same tests in the same order, without the general loop's bookkeeping."""
    b = e0 - len(suf)  # where the suffix begins: no name starts after it
    start = 0
    if run[:1] in _BAD_LEAD_FIRST:
        lead = _BAD_LEAD.match(run)
        if lead:
            start = lead.end()
            generic_start = False
    if generic_start:
        # the general path takes run[start:e0] as the generic first name (valid or not) when it
        # is short enough, and nothing is left after it
        if e0 - start <= _MAX_NAME:
            return []
    if start >= len(run):
        return []
    tier = _TIERS.get(suf, "B")
    at_start = None  # (name, generic)
    if e0 - start <= _MAX_NAME and b >= start:
        name = run[start:e0]
        if _is_generic(name):
            if _ABOVE_LEVEL.match(name):
                return []  # a class of governments: dropped
            at_start = (name, True)
        # a valid name here that does not start strongly is only taken at the end, and only for
        # an A-tier suffix: for another, the cheaper start test first (the tests are pure)
        elif (tier == "A" or _strong_start(name)) and _valid(name, suf, tier):
            if _strong_start(name):
                return [(start + o, start + o + len(n), n) for o, n in _split_inner(name)]
            at_start = (name, False)
    # (_start_points yields nothing when its range is empty: no generator for it)
    found = _name_from(run, _start_points(run, start, b) if min(len(run) - 1, b + 1) > start + 1 else (),
                       e0, suf, tier)
    if found is not None:
        return found
    if at_start is None or at_start[1] or _TIERS.get(suf) != "A":
        if at_start is None or not at_start[1]:
            return _name_from(run, _national_points(run, start, b), e0, suf, tier) or []
        return []
    name = at_start[0]
    return [(start + o, start + o + len(n), n) for o, n in _split_inner(name)]


def _name_from(run: str, points: Any, e0: int, suf: str, tier: str) -> list[tuple[int, int, str]] | None:
    """The name ending at ``e0`` from the first start point that gives a valid one (split into
    its inner names); [] when a generic word comes first (it ends the search); None when no
    point gives a name."""
    for p in points:
        if e0 - p > _MAX_NAME:
            continue
        name = run[p:e0]
        if _is_generic(name):
            return []
        if _strong_start(name) and _valid(name, suf, tier):
            return [(p + o, p + o + len(n), n) for o, n in _split_inner(name)]
    return None


def _names_in_run(run: str, base: int, generic_start: bool, ends: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Organization names inside one unmasked stretch (offsets into the text), given the
    stretch's suffixes as (end, suffix)."""
    tiers = _TIERS
    if not ends:
        return []
    out: list[tuple[int, int, str]] = []
    start = 0
    lead = _BAD_LEAD.match(run) if run[:1] in _BAD_LEAD_FIRST else None
    if lead:
        start = lead.end()
        generic_start = False
    i = 0
    if generic_start:  # 各设区市政府, 有关县市区人民政府: the first name of the stretch is generic
        got = _longest_from(run, start, ends, 0)
        if got is None:
            e0, suf0 = ends[0]
            if e0 - start <= _MAX_NAME:
                got = (0, run[start:e0], suf0, True)
        if got is not None:
            start += len(got[1])
            while i < len(ends) and ends[i][0] <= start:
                i += 1
        generic_start = False
    while i < len(ends) and start < len(run):
        chosen = None
        at_start = _longest_from(run, start, ends, i)
        if at_start is not None:
            j, name, suf, generic = at_start
            if generic and _ABOVE_LEVEL.match(name):
                chosen = (start, j, name, True)
            elif not generic and _strong_start(name):
                chosen = (start, j, name, generic_start)
        if chosen is None:
            # no name can begin after the last suffix still ahead begins
            stop = ends[i][0] - len(ends[i][1]) if i == len(ends) - 1 else max(e - len(suf) for e, suf in ends[i:])
            for p in _start_points(run, start, stop):
                got = _longest_from(run, p, ends, i)
                if got is None:
                    continue
                j, name, suf, generic = got
                if generic:
                    chosen = (p, j, name, True)
                    break
                if _strong_start(name):
                    chosen = (p, j, name, False)
                    break
        if chosen is None:
            got = at_start
            if got is None or got[3] or tiers.get(got[2]) != "A" or generic_start:
                if got is None or not got[3]:  # a national prefix inside, the last resort
                    for p in _national_points(run, start, stop):
                        got = _longest_from(run, p, ends, i)
                        if got is None:
                            continue
                        if got[3]:
                            chosen = (p, got[0], got[1], True)
                            break
                        if _strong_start(got[1]):
                            chosen = (p, got[0], got[1], False)
                            break
                if chosen is None:
                    break
            else:
                chosen = (start, got[0], got[1], False)
        p, j, name, drop = chosen
        if not drop:
            for o, n in _split_inner(name):
                out.append((base + p + o, base + p + o + len(n), n))
        generic_start = False
        start = p + len(name)
        lead = _BAD_LEAD.match(run, start) if run[start: start + 1] in _BAD_LEAD_FIRST else None
        if lead:
            start = lead.end()
        while i < len(ends) and ends[i][0] <= start:
            i += 1
    return out


def _inside_any(spans: list[tuple[int, int]]) -> Any:
    """A test "does offset s lie in one of these [a, b) spans" (``any(a <= s < b ...)``) by
    bisection: the furthest end among the spans starting at or before s lies beyond s. (A scan
    of all spans per offset is quadratic on a long document.)"""
    spans = sorted(spans)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))

    def inside(s: int) -> bool:
        k = bisect.bisect_right(starts, s) - 1
        return k >= 0 and reach[k] > s

    return inside


_CONJ = re.compile(r"[和与]")


def _split_conj(s: int, e: int, name: str) -> list[tuple[int, int, str]]:
    """市财政局和市税务局 -> two names; 人力资源和社会保障局 stays one."""
    if "和" not in name and "与" not in name:  # (what _CONJ finds)
        return [(s, e, name)]
    sre, tiers = _SRE, _TIERS
    for m in _CONJ.finditer(name):
        left, right = name[: m.start()], name[m.end():]
        if right[:1] in "省市县区" or right[:1] in _NATIONAL_FIRST and _NATIONAL.match(right):
            rm = [x for x in sre.finditer(right) if x.end() == len(right)]
            lm = [x for x in sre.finditer(left) if x.end() == len(left)]
            if rm and _valid(right, rm[-1].group(), tiers.get(rm[-1].group(), "B")) and not (
                lm and _valid(left, lm[-1].group(), tiers.get(lm[-1].group(), "B"))
            ):
                return [(s + m.end(), e, right)]  # 中央和省委 -> 省委
        lm = [x for x in sre.finditer(left) if x.end() == len(left)]
        if lm and right and _valid(left, lm[-1].group(), tiers.get(lm[-1].group(), "B")):
            out = [(s, s + len(left), left)]
            rs = s + m.end()
            rm = [x for x in sre.finditer(right) if x.end() == len(right)]
            if rm and _valid(right, rm[-1].group(), tiers.get(rm[-1].group(), "B")):
                out.extend(_split_conj(rs, e, right))
            return out
    return [(s, e, name)]


_HEADER_WORDS = "标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|页面链接"
_HEADER = re.compile(rf"^[ \t]*(?:{_HEADER_WORDS})[ \t]*[:：].*$", re.M)
# ``^`` in multiline mode gives re no place to skip to: it tries a match at every character.
# A header line holds one of the words, which re can skip ahead to (most notices have none)
_HEADER_WORD = re.compile(_HEADER_WORDS)


_RUN_NAMES: dict[tuple[str, bool], list[tuple[int, int, str]]] = {}
_DOC_MEMOS.append(_RUN_NAMES)  # the same stretch recurs in a notice (市发展改革委, 各县市区人民政府)


def _mentions(text: str, masked: str, generic_ends: set[int]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    sre = _SRE
    # each unmasked stretch holding a suffix, found by its first suffix; the scan goes on after
    # the stretch. A stretch holds no NUL, so a suffix never spans two, and its suffixes are the
    # ones a scan of the stretch alone finds (only asked when the stretch is new)
    # (one scan for all suffixes: the ones inside a stretch already handled are passed over,
    # which is what a new search from the stretch's end found)
    n = len(masked)
    it = sre.finditer(masked)
    rfind, find, memo = masked.rfind, masked.find, _RUN_NAMES
    sm = next(it, None)
    while sm is not None:
        a, b = sm.span()
        rs = rfind(_NUL, 0, a) + 1
        re_ = find(_NUL, b)
        if re_ < 0:
            re_ = n
        nxt = next(it, None)
        key = (masked[rs:re_], rs in generic_ends)
        names = memo.get(key)
        if names is None:
            # the stretch's suffixes: the first is sm, the rest are the next matches before its
            # end (a stretch holds no NUL, so a suffix never spans two; a scan of the stretch
            # alone, ending where the NUL stands, finds the same)
            if nxt is None or nxt.start() >= re_:
                found = _names_one(key[0], key[1], b - rs, sm.group())
            else:
                ends = [(b - rs, sm.group())]
                while nxt is not None and nxt.start() < re_:
                    ends.append((nxt.end() - rs, nxt.group()))
                    nxt = next(it, None)
                found = _names_in_run(key[0], 0, key[1], ends)
            # (a name without 和/与 is never split: no call for it)
            names = _RUN_NAMES[key] = [
                x for f in found for x in (_split_conj(*f) if "和" in f[2] or "与" in f[2] else (f,))
            ]
        for s, e, name in names:
            out.append((rs + s, rs + e, name))
        while nxt is not None and nxt.start() < re_:
            nxt = next(it, None)
        sm = nxt
    # organizations named without a suffix (党中央, 新华社, 中石化 ...), standing on their own
    kre = _KNOWN_RE
    covered = _inside_any([(s, e) for s, e, _ in out])
    for m in kre.finditer(text):
        s, e = m.span()
        if s > 0 and masked[s - 1] != _NUL or _NUL in masked[s:e]:
            continue
        if covered(s):
            continue
        if e < len(text) and sre.match(text, e):
            continue  # a longer name with a suffix, found above if valid
        out.append((s, e, m.group()))
    return out


# shared lists: 农业、气象部门要…; 公安、文化、安监等部门; 省、市工业和信息化部门
_SHARED = re.compile(
    rf"((?:[{_HAN}]{{1,12}}、)+[{_HAN}]{{1,12}}?)(?:等[0-9一二三四五六七八九十]*个?)?(部门|机关)"
)


_SHARED_TAIL = (re.compile("部门(?![预决职内间规协])"), re.compile("机关(?!体)"))  # not 部门预算, 机关体育
_GOV_BEFORE_LIST = re.compile(rf"[{_HAN}]{{0,12}}?政府(?=[{_HAN}]{{2}})")
_SHARED_BACK = re.compile(
    rf"((?:[{_HAN}]{{1,12}}、)+[{_HAN}]{{1,12}}?)(?:等[0-9一二三四五六七八九十]*个?)?$"
)
_LIST_CHARS = re.compile(rf"[{_HAN}、0-9]*")  # every character _SHARED_BACK can match


def _shared_candidates(text: str) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Shared words (部门, 机关) with a 、-list right before them: (shared word, list)."""
    out = []
    if "、" not in text:
        return out
    rev = ""
    for t in _finditer_any(_SHARED_TAIL, text):
        if text[t.end(): t.end() + 1] in ("、", "等"):
            continue  # 网信部门、公安部门等部门: the list goes on to a later shared word
        w0 = max(0, t.start() - 120)
        if "、" not in text[max(w0, t.start() - 30): t.start()]:
            continue
        # the list holds only 汉字, 、 and digits: start the search where that stretch does
        # (``$`` may also match before a final newline), not at every place in the window
        rev = rev or text[::-1]
        end = t.start() - 1 if text[t.start() - 1] == "\n" else t.start()
        first = len(text) - _LIST_CHARS.match(rev, len(text) - end).end()
        m = _SHARED_BACK.search(text, max(w0, first), t.start())
        if m:
            out.append((t, m))
    return out


def _shared_lists(text: str, masked_at: Any, cands: list[tuple[re.Match[str], re.Match[str]]]) -> list[tuple[int, int, str, int]]:
    """Members of shared lists: (start, end, name, end of the shared word). ``masked_at(a, b)``:
    the masked text of text[a:b]."""
    sre, tiers = _suffixes()
    out: list[tuple[int, int, str, int]] = []
    for t, m in cands:
        word = t.group()
        items: list[tuple[int, str]] = []
        pos = m.start(1)
        for k, it in enumerate(m.group(1).split("、")):
            s = pos
            pos += len(it) + 1
            if k == 0:  # trim what precedes the list: 县政府要组织教育 -> 教育
                seg = masked_at(s, s + len(it))
                cut = seg.rfind(_NUL)
                if cut >= 0:
                    s, it = s + cut + 1, it[cut + 1:]
                g = _GOV_BEFORE_LIST.match(it)
                if g and not it.endswith(word):  # 县级以上人民政府发展改革、财政等部门 -> 发展改革部门
                    s, it = s + g.end(), it[g.end():]
            it = it.strip()
            if it:
                items.append((s, it))
        if len(items) < 2 or items[-1][1].endswith(("和", "与", "及")):
            continue  # 总预算、总决算和部门预算: the shared word is not the list's
        if any(len(it) > 10 or _NUL in masked_at(s, s + len(it)) for s, it in items[1:]):
            continue
        last_core = items[-1][1]
        if last_core[:1] in _LEVEL and len(last_core) > 2:
            last_core = last_core[1:]
        names, _ = _known()
        for s, it in items:
            if _is_generic(it) or it in ("各", "有关", "相关"):
                continue
            if it in _LEVEL or it in ("省级", "市级", "县级"):
                name = it + last_core + word  # 省、市工业和信息化部门 -> 省工业和信息化部门
                out.append((s, s + len(it), name, t.end()))
                continue
            full = [x for x in sre.finditer(it) if x.end() == len(it)]
            if it.endswith(word) or it in names or it in tiers or full and _valid(it, full[-1].group(), tiers.get(full[-1].group(), "B")):
                out.append((s, s + len(it), it, t.end()))  # 残联 stays 残联
            else:
                out.append((s, s + len(it), it + word, t.end()))
    return out


# --------------------------------------------------------------------------- roles

@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Task-list labels (data/org_list_labels.txt): inline ``label：``, a whole table header cell,
    and the lead prefixes."""
    sec = _sections("org_list_labels.txt", "prefix", ("prefix", "head", "lead"))
    label = f"(?:{_alt(sec['prefix'])})(?:{_alt(sec['head'])})"
    # not after 被/非: the test follows each prefix (``A(?<![被非]A)``), so that the pattern
    # starts with literals and re skips ahead to them instead of trying every position
    prefixes = sorted(set(sec["prefix"]), key=len, reverse=True)
    not_after = "|".join(f"{re.escape(w)}(?<![被非]{re.escape(w)})" for w in prefixes) or "(?!)"
    inline_label = f"(?:{not_after})(?:{_alt(sec['head'])})"
    return (
        re.compile(rf"{inline_label}(?:[（(][{_HAN}]{{1,6}}[)）])?[ \t]*(?:(?:为|包括|有)?[ \t]*[:：]|为(?=[{_HAN}]))"),
        re.compile(
            rf"[ \t]*(?:[（(][^()（）]{{0,8}}[)）])?{label}(?:[及和/、][{_HAN}]{{1,6}})?(?:[（(][^()（）]{{0,12}}[)）])?[ \t]*"
        ),
        re.compile(_alt(sec["lead"])),
    )
_LIST_BODY = re.compile(
    rf"(?:[{_HAN}“”]+(?:[（(][^()（）\n]{{1,12}}[)）])?[ \t]*(?:[、，,；;和及/][ \t]*)?)+"
)
_ENUM_IN_LIST = re.compile(r"[一二三四五六七八九十]+、|[0-9]+[.．、]|[（(][一二三四五六七八九十0-9]+[)）]")
_AREA_END = re.compile(r"(?:高新区|经开区|开发区|新区|园区|示范区|实验区|自贸区|试验区|区|县|市|州|镇|乡|街道)$")
_NOTE = re.compile(r"[（(]([^()（）]*)[)）]")
_ITEM_SPLIT = re.compile(r"[、，,；;/]|(?<=[局委办厅院会部])[和及]")
_TAIL = re.compile(r"(?:等(?:单位|部门)?|等相关单位|牵头|配合)$")

_DIRECTIVE = re.compile(
    r"(?:要|应当|应(?![急用])|须|必须|需要|需|负责|牵头|会同|依法|按照|要按|将|积极|切实|认真|及时|协助|"
    r"配合|相互配合|参照|严格|督促|在|按|[，,][ \t]*负责|各[^，。；,;]{0,12}?(?:要|应|须))"
)
_LEAD_AFTER = re.compile(r"[ \t]*(?:牵头|为牵头单位|为组长单位)")
_RESP_AFTER = re.compile(r"[ \t]*(?:[，,][ \t]*)?(?:负责|会同|配合|协助|参与|具体负责|参加(?![会活座培评比大仪典])|为(?:成员|责任|配合|参与|副组长)单位)")
_MODAL = re.compile(r"(?:要(?!求)|应当|应(?![急用])|须|必须|各[^，。；,;]{0,12}?(?:要|应|须))")
_YOU_VERB = re.compile(
    r"[ \t]*(?:牵头|负责|会同|组织|统筹|协调|实施|承担|制定|审核|指导|督促|提出|具体|商|联合|按照|依法|根据|会商|"
    r"审定|确定|报|向|对|统一|加强|做好)"
)
_SUBJECT_VERB = re.compile(
    r"(?:开展|汇总|收到|审核|审批|组织|制定|建立|做好|加强|落实|推进|实施|完善|督促|指导|办理|受理|核查|检查|"
    r"认定|拨付|预拨|出具|提供|发放|统筹|协调|承担|每年|每季度|于)"
)
_YOU = re.compile(r"由[ \t]*$")
_WITH_BEFORE = re.compile(r"(?:会同|商|配合)[ \t]*$")
_CLAUSE_START = re.compile(r"(?:^|[。；;：:！!？?\n，,、]|第[一二三四五六七八九十百零〇0-9]+条|[0-9]+[.、．]|[（(][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+、)[ \t]*$")
_OBJ_BEFORE = re.compile(r"(?:组织|会同|协调|督促|要求|联合)[ \t]*$")
_COMPOSED = re.compile(r"^[^。；;]{0,60}?(?:组成|构成)")


def _item_is_unit(name: str) -> bool:
    sre, tiers = _suffixes()
    full = [x for x in sre.finditer(name) if x.end() == len(name)]
    if full:
        return True
    names, _ = _known()
    return name in names or bool(_AREA_END.search(name))


_BREAKDOWN_HEAD = tuple(  # one pattern per opening word: see _finditer_any
    re.compile(
        rf"{w}[ \t]*(?:[^：:\n。；，,]{{0,6}}?(?:单位|部门|主体))(?:[（(][^()（）\n]{{0,12}}[)）])?[ \t]*"
        r"(?:(?:划分|分类|分|统计|排名|排序|来看|看)[ \t]*[:：，,]|[:：])"
    )
    for w in ("按", "从", "分")
)
_BREAKDOWN_BODY = re.compile(
    rf"(?:[{_HAN}“”]+(?:[（(][^()（）\n]{{1,16}}[)）])?[ \t]*[0-9.]*[ \t]*[个项件家条宗笔万亿元%]*"
    rf"(?:[（(][^()（）\n]{{1,16}}[)）])?[ \t]*(?:[、，,；;和及/][ \t]*)?)+"
)
_COUNT_TAIL = re.compile(rf"[ \t]*[0-9.]+[ \t]*[个项件家条宗笔万亿元%]*[{_HAN}]{{0,4}}$")  # 12个, 8个项目


def _items_of(body: str, base: int, lead_list: bool, out: list[tuple[int, int, str, str]]) -> None:
    """Split one list body (a 责任单位 list or a table cell) into its bodies."""
    cut = _ENUM_IN_LIST.search(body)
    if cut:
        body = body[: cut.start()]
    pos = 0
    for piece in _ITEM_SPLIT.split(body):
        s = base + body.find(piece, pos) if piece else base + pos
        pos = s - base + len(piece)
        raw = piece.strip()
        if not raw:
            continue
        s += piece.find(raw)
        note = " ".join(_NOTE.findall(raw))
        name = _COUNT_TAIL.sub("", _NOTE.sub("", raw)).strip()
        name = _TAIL.sub("", name).strip()
        if not name or len(name) > _MAX_NAME or _is_generic(name) or len(name) < 2:
            continue
        if len(name) > 15 or not (_item_is_unit(name)):
            continue
        role = "lead" if (lead_list or "牵头" in note or "牵头" in raw[len(name):]) else "responsible"
        out.append((s, s + len(name), name, role))


_CELL_SPLIT = re.compile(r"\t")


def _table_items(text: str, out: list[tuple[int, int, str, str]]) -> None:
    """Table columns headed by a task label (责任单位, 牵头考核单位 …): each row's cell in that
    column lists bodies. Rows come one a line, cells tab-separated; a row with fewer cells (merged
    cells on the left) is aligned from the right."""
    if "\t" not in text:
        return
    _, cell_re, lead_re = _labels()
    cols: list[tuple[int, int, bool]] = []  # (index from left, from right, lead)
    pos = 0
    for line in text.split("\n"):
        ls = pos
        pos += len(line) + 1
        if "\t" not in line:
            if len(line.strip()) > 30:  # a paragraph ends the table; a short line may be a cell's wrap
                cols = []
            continue
        cells = line.split("\t")
        head = [(k, bool(lead_re.search(c))) for k, c in enumerate(cells) if cell_re.fullmatch(c.replace(" ", ""))]
        if head:
            cols = [(k, len(cells) - k, ld) for k, ld in head]
            continue
        if not cols:
            continue
        starts = []
        off = ls
        for c in cells:
            starts.append(off)
            off += len(c) + 1
        for k, back, ld in cols:
            idx = k if len(cells) >= k + back else len(cells) - back
            if 0 <= idx < len(cells) and cells[idx].strip():
                _items_of(cells[idx], starts[idx], ld, out)


def _list_items(text: str) -> list[tuple[int, int, str, str]]:
    """Members of 责任单位 lists, task-labelled table columns and 按责任单位划分 breakdowns:
    (start, end, name, role)."""
    out: list[tuple[int, int, str, str]] = []
    inline, _, lead_re = _labels()
    for h in inline.finditer(text):
        b = _LIST_BODY.match(text, h.end())
        if b:
            body = b.group()
            nxt = inline.search(body)  # 牵头单位为X，配合单位为Y: stop at the next label
            if nxt:
                body = body[: nxt.start()]
            _items_of(body, b.start(), bool(lead_re.search(h.group())), out)
    for h in _finditer_any(_BREAKDOWN_HEAD, text):
        b = _BREAKDOWN_BODY.match(text, h.end())
        if b:
            _items_of(b.group(), b.start(), False, out)
    _table_items(text, out)
    return out


def _propagate(text: str, found: list[tuple[int, int, str, str | None]]) -> None:
    """A、B、C written as one chain share a task: 省委宣传部、省委网信办要…, 会同X、Y、Z研究…"""
    found.sort(key=operator.itemgetter(0))
    chains: list[list[int]] = []
    for k, (s, e, name, role) in enumerate(found):
        if chains and k > 0 and found[k - 1][1] <= s and text[found[k - 1][1]: s] in ("、", "和", "与", "及"):
            chains[-1].append(k)
        else:
            chains.append([k])
    for chain in chains:
        if len(chain) > 1 and any(found[k][3] in ("lead", "responsible") for k in chain):
            # 县委办、县政府办牵头: a 牵头 after the chain's last member leads them all
            share = "lead" if found[chain[-1]][3] == "lead" else "responsible"
            for k in chain:
                s, e, name, role = found[k]
                if role is None:
                    found[k] = (s, e, name, share)


_ETC = re.compile(
    r"[ \t]*(?:等[0-9一二三四五六七八九十]*个?(?:相关|有关)?(?:成员)?(?:单位|部门)?|[（(]以下简称[^()（）\n]{1,20}[)）])"
)


# Cheap tests before the role patterns (each pattern still decides): the first character of
# ``after`` past blanks that _LEAD_AFTER / _RESP_AFTER can start with, and every character a
# _CLAUSE_START match can end on (it must end the text before s, past blanks: ``^`` only when
# nothing but blanks precede)
_LEAD_FIRST = "牵为"
_RESP_FIRST = "，,负会配协参具为"
_CLAUSE_LAST = frozenset("。；;：:！!？?\n，,、条.．)）")
_ETC_FIRST = frozenset(" \t等（(")


def _clause_start(before: str) -> bool:
    """``_CLAUSE_START.search(before)``, asked only where it can match."""
    t = before.rstrip(" \t")
    return (not t or t[-1] in _CLAUSE_LAST) and bool(_CLAUSE_START.search(before))


def _role_of(text: str, s: int, e: int, normative: bool) -> str | None:
    # 市公安局、市交通运输局等单位要…: the verb follows the 等
    etc = _ETC.match(text, e) if text[e: e + 1] in _ETC_FIRST else None
    k = etc.end() if etc else e
    after = text[k: k + 8]
    before = text[max(0, s - 12): s]
    if not normative:  # a report tells what bodies did; only an explicit 要/应/须 assigns a task
        if (s == 0 or _clause_start(before)) and _MODAL.match(after):
            return "responsible"
        return None
    a0 = after.lstrip(" \t")[:1]  # ('' is in every string: then the pattern decides)
    if "由" in before and _YOU.search(before):
        if _COMPOSED.match(text[e: e + 80]) or not _YOU_VERB.match(after):
            return None
        return "lead" if a0 in _LEAD_FIRST and _LEAD_AFTER.match(after) else "responsible"
    if a0 in _LEAD_FIRST and _LEAD_AFTER.match(after):
        return "lead"
    if a0 in _RESP_FIRST and _RESP_AFTER.match(after):
        return "responsible"
    if ("同" in before or "商" in before or "合" in before) and _WITH_BEFORE.search(before):
        return "responsible"
    if s == 0 or _clause_start(before):
        if _DIRECTIVE.match(after) or _SUBJECT_VERB.match(after):
            return "responsible"
    return None


_NORMATIVE_TITLE = re.compile(r"(?:通知|方案|意见|办法|措施|规定|细则|计划|决定|要点|规划|指引|指南|条例|公告)")
_REPORT_TITLE = re.compile(r"(?:通报|报道|公报|报告|总结|新闻|发布会|综述)")


_REPORT_TYPES = frozenset({"公报", "报告", "报道", "通报", "公示", "标准", "新闻", "讲话", "总结", "年鉴"})
_NEWS_HEAD = re.compile(r"新华社|中新社|记者|本报讯|[0-9]+月[0-9]+日(?:电|讯)|消息[，,]")


def _normative(text: str, ctx: DocContext | None) -> bool:
    """Does the document assign tasks (通知, 方案, 意见 …) rather than report (公报, 报道 …)?"""
    title, doc_type = "", None
    if ctx is not None and isinstance(ctx.meta, dict):
        title = str(ctx.meta.get("title") or "")
        doc_type = ctx.meta.get("doc_type")
    if doc_type in _REPORT_TYPES:
        return False
    if doc_type is None and _NEWS_HEAD.search(text[:200]):
        return False
    if not title:
        title = text[:200]
    if _REPORT_TITLE.search(title) and not re.search(r"印发|转发", title):
        return False
    return True


# --------------------------------------------------------------------------- canonical


def _doc_regions(ctx: DocContext | None) -> dict[str, str]:
    """Names of the document's own region by level: {'省': 湖北省, '市': 怀化市, '县': ..., '区': ...}."""
    out: dict[str, str] = {}
    reg = ctx.region if ctx is not None and isinstance(ctx.region, dict) else None
    if not reg:
        return out
    name = str(reg.get("name") or "")
    level = reg.get("level")
    prov, city, county = reg.get("province"), reg.get("city"), reg.get("county")
    if isinstance(prov, str) and prov:
        out["省"] = prov
    if isinstance(city, str) and city:
        out["市"] = city
    if isinstance(county, str) and county:
        out["县"] = county
    if name:
        if level == "province" or name.endswith(("省", "自治区")):
            out["省"] = name
            if name.endswith("市"):  # 北京市, 重庆市: 市委 is the province-level 市委
                out["市"] = name
            if name.endswith("自治区"):
                out["自治区"] = name
        elif name.endswith("州") or level == "city" or name.endswith("市") and level != "county":
            out["市"] = name
            if name.endswith("州"):
                out["州"] = name
        elif name.endswith("区"):
            out["区"] = name
            out.setdefault("县", name)
        else:
            out["县"] = name
            if name.endswith("市") and "市" not in out:
                out["市"] = name
    if "省" not in out and name:
        try:
            from .regions import lookup_region

            info = lookup_region(name, reg)
            if isinstance(info, dict) and isinstance(info.get("province"), str):
                out["省"] = info["province"]
        except Exception:
            pass
    return out


@lru_cache(maxsize=1)
def _dept_map() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Abbreviation -> full name, the full names, and the last characters of both."""
    pairs = _departments()
    return dict(pairs), frozenset(full for _, full in pairs), frozenset(w[-1:] for p in pairs for w in p)


@lru_cache(maxsize=1)
def _dept_longest() -> int:
    """Length of the longest abbreviation or full name."""
    return max((len(w) for p in _departments() for w in p), default=0)


def _expand_core(core: str) -> str:
    """市发展改革委 -> 市发展和改革委员会: the longest known abbreviation ending the core."""
    short_to_full, fulls, last = _dept_map()
    if core[-1:] not in last:  # no abbreviation or full name ends like this
        return core
    for k in range(max(0, len(core) - _dept_longest()), len(core)):  # (no longer tail can be one)
        tail = core[k:]
        if tail in fulls:
            return core
        full = short_to_full.get(tail)
        if full is not None:
            return core[:k] + full
    return core


_SELF_REF = re.compile(r"[省市县区本]?[厅局委]")
_PLACE_AND_CORE = re.compile(r"^(.{2,9}?(?:自治区|自治州|省|市|县|区|州))(.+)$")


def _canonical(name: str, regions: dict[str, str], issuers: list[str]) -> str:
    # self-references to the issuer: 省厅, 本厅, 厅 -> the issuing 厅 named in the metadata
    if _SELF_REF.fullmatch(name):
        for iss in issuers:
            if iss.endswith(name[-1]) and (name[0] not in "省市县区" or name[0] in iss):
                return _canonical(iss, regions, [])
    for lvl in ("自治区", "省", "市", "县", "区", "州"):
        if name.startswith(lvl) and lvl in regions and not name.startswith(("市场", "区域")):
            rest = name[len(lvl):]
            if rest and not rest.startswith("级"):
                return regions[lvl] + _expand_core(rest)
    m = _PLACE_AND_CORE.match(name)
    if m:
        return m.group(1) + _expand_core(m.group(2))
    return _expand_core(name)


# --------------------------------------------------------------------------- main


# 怀化市人民政府门户网站 is a website; 发改办财金规〔2019〕860号 is a document number
_NOT_A_BODY_AFTER = re.compile(r"(?:门户)?网站|官网|网(?![络格点])|[\u4e00-\u9fff]{0,6}[〔\[［(（][0-9]{4}[〕\]］)）]")


def _excluded_lines(text: str) -> list[tuple[int, int]]:
    if not _HEADER_WORD.search(text, 0, 3000):
        return []
    return [m.span() for m in _HEADER.finditer(text, 0, 3000)]


def find_units(text: str, ctx: DocContext | None = None) -> list[dict[str, Any]]:
    """Schema units (name, canonical, role, span) found in ``text``; never raises."""
    try:
        return _find_units(text, ctx)
    except Exception:  # a component must never break the pipeline
        return []


def _find_units(text: str, ctx: DocContext | None) -> list[dict[str, Any]]:
    if not text or not isinstance(text, str):
        return []
    _load()
    _new_document()
    cands = _shared_candidates(text)
    cut = _Cut(text, [(m.start(1), m.end(1)) for _, m in cands])
    skip = _excluded_lines(text)

    def skipped(s: int) -> bool:
        return any(a <= s < b for a, b in skip)

    mentions = []
    starts, spans, bisect_right, not_a_body = cut.starts, cut.spans, bisect.bisect_right, _NOT_A_BODY_AFTER.match
    for s, e, name in _mentions(cut.text, cut.masked, cut.generic_ends):
        i = bisect_right(starts, s) - 1  # (cut.to_text, inline: called for every mention)
        t = s - starts[i] + spans[i][0]
        s, e = t, t + e - s
        if not (skip and skipped(s)) and not not_a_body(text, e):
            mentions.append((s, e, name))
    shared = [x for x in _shared_lists(text, cut.masked_at, cands) if not skipped(x[0])] if cands else []
    listed = [x for x in _list_items(text) if not skipped(x[0])]
    normative = _normative(text, ctx)

    found: list[tuple[int, int, str, str | None]] = []
    in_list = _inside_any([(s, e) for s, e, _, _ in listed])
    for s, e, name, role in listed:
        found.append((s, e, name, role))
    for s, e, name in mentions:
        if in_list(s):
            continue
        found.append((s, e, name, _role_of(text, s, e, normative)))
    # a shared list is tasked when it is the subject of a directive or the object of 组织/会同…
    groups: dict[int, list[tuple[int, int, str]]] = {}
    for s, e, name, m_end in shared:
        groups.setdefault(m_end, []).append((s, e, name))
    for m_end, members in groups.items():
        first = min(x[0] for x in members)
        after = text[m_end: m_end + 8].lstrip("，, ")
        before = text[max(0, first - 8): first]
        role: str | None = None
        if _COMPOSED.match(text[m_end: m_end + 80]) or "由" in before[-3:] and _COMPOSED.match(text[m_end: m_end + 80]):
            role = None
        elif normative and (
            _DIRECTIVE.match(after) or _SUBJECT_VERB.match(after) or after[:2] in ("联合", "共同", "分别")
            or _OBJ_BEFORE.search(before) or _WITH_BEFORE.search(before)
        ):
            role = "responsible"
        for s, e, name in members:
            found.append((s, e, name, role))
    _propagate(text, found)

    regions = _doc_regions(ctx)
    issuers = [str(x) for x in (ctx.meta.get("issuers") or [])] if ctx is not None and isinstance(ctx.meta, dict) else []
    units: list[dict[str, Any]] = []
    tasked: set[str] = set()
    seen_mentioned: set[str] = set()
    # (found is in start order: _propagate sorted it)
    for s, e, name, role in found:
        if role in ("lead", "responsible"):
            tasked.add(name)
    emitted: set[tuple[str, str, int]] = set()
    canonical: dict[str, str] = {}  # regions and issuers are the document's: one answer per name

    def canon(name: str) -> str:
        got = canonical.get(name)
        if got is None:
            got = canonical[name] = _canonical(name, regions, issuers)
        return got

    for s, e, name, role in found:
        if role in ("lead", "responsible"):
            if (name, role, s) in emitted:
                continue
            emitted.add((name, role, s))
            units.append({"name": name, "canonical": canon(name), "role": role, "span": [s, e]})
        elif name not in tasked and name not in seen_mentioned:
            seen_mentioned.add(name)
            units.append({"name": name, "canonical": canon(name), "role": "mentioned", "span": [s, e]})
    return units

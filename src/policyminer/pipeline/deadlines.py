"""Deadlines and time expressions (issue 6).

Finds every time expression that sets when something must be done or as of when a figure
holds (annotation.md, deadlines), resolved against the document's date. The grammar and
the resolver are in ``rules/timeexpr.py``; this module decides which matches are
deadlines:

* a cue makes an expression a deadline by itself: …前 (by), 截至… (as_of), …内 / 限期 /
  不超过N个月 (within), 到/至… (by, or as_of when already past), 春节前;
* a bare period (2022年, 全年, 年末, 4月份, 上半年, 目前, 过去五年) counts only when it frames
  a figure: a number follows in its sentence before the next clause-level time expression
  (or, when it opens a paragraph, anywhere in the paragraph); forward-looking frames
  (今年…, 今后五年, 年内) and planned ranges still ahead of the notice count by themselves;
* never: start points (…以来, 自…起), recurring schedules (每月, 月调度、季督查), comparisons
  (比2021年), dates in cited titles 《…》 and 文号, events (4月3日召开了会议), the document's
  own dates.

Year-less expressions (全年, 年末, 12月底) are resolved to the year the passage reports on:
the last explicit year written before them, else the year a review/bulletin reports on
(its title's year when earlier than the document date), else the anchor's year. Deadlines
(…前, …内) and stated targets (全年力争…) look ahead from the anchor instead.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from ..rules.timeexpr import DPRE_RE, TIME_RE, cues, interpret, iter_times, iter_times_between, time_starts
from .context import DocContext

_QUOTED = re.compile(r"《[^《》]{0,200}》|〔[0-9]{4}〕|\[[0-9]{4}\]")
_QUOTED_FIRST = "《〔["  # every match starts with one of these
_BOUNDARY = re.compile(r"[。；;！？!?\n]")
_CLAUSE_PUNCT = re.compile(r"[，,：:、（）()]")
# header lines and date lines, each as (at the text start, after a newline): the second
# starts with a literal, so the engine jumps from newline to newline instead of trying the
# line-start anchor at every position (see _line_spans)
_HEADER_BODY = r"[ \t]*(?:发布时间|发布日期|成文日期|更新时间|来源|信息来源|索引号|文号)[:：].*$"
_HEADER_LINE = (re.compile(r"(?m)^" + _HEADER_BODY), re.compile(r"(?m)\n" + _HEADER_BODY))
_DATE_BODY = (r"[ \t]*(?:(?:19|20)[0-9]{2}\s?年\s?[0-9]{1,2}\s?月\s?[0-9]{1,2}\s?日"
              r"|[一二][〇零○一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)(?:印发)?[ \t]*$")
_DATE_LINE = (re.compile(r"(?m)^" + _DATE_BODY), re.compile(r"(?m)\n" + _DATE_BODY))
_TITLE_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年")
# a digit not preceded by 第, a digit or a point: written digit first, the look-behind (two
# chars wide) after it, so that a search skips to the digits by the char class instead of
# testing the look-behind at every position (same matches as (?<![第0-9.])[0-9])
_DIGIT_FIG = re.compile(r"[0-9](?<![第0-9.][0-9])")
_CN_FIG = "一二两三四五六七八九十百千"  # the numerals of rules["cn_fig"]
# every char a figure (_DIGIT_FIG, rules["cn_fig"]) needs: without one, a window holds none
_FIG_CHAR = re.compile(f"[0-9{_CN_FIG}]")
_COMPARE_BEFORE = ("比", "较", "同比", "与", "和", "跟", "同")
_SCHEDULE_NEXT = re.compile(r"^[^\W\d]{1,2}、")


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    c = cues()
    units = c.get("figure_units", "个项家次人名户件元亿万")
    verbs = c.get("event_verbs", [])
    sched_units = c.get("schedule_units", {})
    sched_verbs = c.get("schedule_verbs", [])
    unit_alt = "|".join(sorted((re.escape(u) for u in sched_units), key=len, reverse=True)) or "月"
    verb_alt = "|".join(re.escape(v) for v in sched_verbs) or "调度"
    return {
        # (?<![第N])[N]+[units], the numeral first (see _DIGIT_FIG)
        "cn_fig": re.compile(rf"[{_CN_FIG}](?<![第{_CN_FIG}][{_CN_FIG}])[{_CN_FIG}]*[{re.escape(units)}]"),
        "event": re.compile("|".join(re.escape(v) for v in verbs) + r"|了" if verbs else r"了"),
        "dur_skip": tuple(c.get("duration_skip_before", [])),
        "dur_labels": tuple(c.get("duration_labels", [])),
        "schedule": re.compile(
            rf"每(?:一)?个?(?P<u1>{unit_alt})[^，。；,;：:\n]{{0,14}}?(?P<v1>{verb_alt})"
            rf"|(?<![0-9一二三四五六七八九十])(?P<u2>{unit_alt})(?P<v2>{verb_alt})(?=[、，,。；;\s”\"」）)]|$)"
        ),
        "sched_units": sched_units,
        "limit_verbs": tuple(c.get("limit_verbs", [])),
        "period_labels": tuple(c.get("period_labels", [])),
        "clause_initial_only": tuple(c.get("clause_initial_only", [])),
        "comparison_after": tuple(c.get("comparison_after", [])),
        "table_cues": tuple(c.get("table_cues", [])),
        # a window can end with a table cue only if it holds the cue's first char (removing
        # time expressions only deletes chars): one char-class search; None: an empty cue,
        # always test
        "table_cue_firsts": (None if not c.get("table_cues") or "" in c["table_cues"] else re.compile(
            "[" + "".join(sorted({re.escape(w[0]) for w in c.get("table_cues", [])})) + "]")),
        "on_verbs": tuple(c.get("on_verbs", [])) or ("完成",),
        "to_verb_heads": c.get("to_verb_heads", ""),
        "target": re.compile("|".join(re.escape(w) for w in c.get("target_words", ["力争"]))),
        "result": re.compile("|".join(re.escape(w) for w in c.get("result_words", ["同比"]))),
        "retro_words": re.compile("|".join(re.escape(w) for w in c.get("retrospective_title_words", []))) if c.get("retrospective_title_words") else None,
        "furniture": re.compile("|".join(re.escape(w) for w in c.get("furniture_words", []))) if c.get("furniture_words") else None,
    }


def _excluded_spans(text: str, ctx: DocContext | None) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _quoted(text)]
    spans += _line_spans(_HEADER_LINE, text)
    spans += _line_spans(_DATE_LINE, text)
    if ctx is not None:
        for s in ctx.excluded or []:
            try:
                spans.append((int(s[0]), int(s[1])))
            except (TypeError, ValueError, IndexError):
                continue
    spans.sort()
    return spans


def _quoted(text: str) -> list[re.Match[str]]:
    """``_QUOTED.finditer(text)``: tried only where a first char stands (found by str.find,
    which skips through the text far faster than the regex's own scan)."""
    at: list[int] = []
    for ch in _QUOTED_FIRST:
        i = text.find(ch)
        while i >= 0:
            at.append(i)
            i = text.find(ch, i + 1)
    at.sort()
    out, pos, match = [], 0, _QUOTED.match
    for i in at:
        if i >= pos:
            m = match(text, i)
            if m is not None:
                out.append(m)
                pos = m.end()  # never empty
    return out


def _line_spans(patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    """The spans of ``(?m)^body`` in ``text``: body at the start, then after each newline
    (the newline is not part of the span; a match never ends in one, so none is skipped)."""
    first, after_newline = patterns
    head = first.match(text)
    out = [head.span()] if head else []
    out += [(m.start() + 1, m.end()) for m in after_newline.finditer(text, head.end() if head else 0)]
    return out


def _inside(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    i = bisect.bisect_right(starts, a) - 1
    while i >= 0:
        s, e = spans[i]
        if s <= a and b <= e:
            return True
        if a - s > 1000:
            break
        i -= 1
    return False


def _report_year(text: str, ctx: DocContext | None) -> int | None:
    """The year a review or bulletin reports on, when it is earlier than the anchor."""
    anchor = ctx.anchor if ctx is not None else None
    if anchor is None:
        return None
    title = ""
    if ctx is not None and isinstance(ctx.meta, dict):
        title = str(ctx.meta.get("title") or "")
    if not title:
        title = text[:200].split("\n", 1)[0]
    m = _TITLE_YEAR.search(title)
    words = _rules()["retro_words"]
    if not (words and words.search(title)):
        return None
    if not m:
        # an undated bulletin reports on the year before its publication
        return anchor.year - 1 if ("公报" in title or "年报" in title) else None
    y = int(m.group(1))
    return y if y < anchor.year else None


# the last boundary before a position: greedy, then back from the end (no walk over every
# boundary of the 200 chars before)
_LAST_BOUNDARY = re.compile(r"(?s:.*)[。；;！？!?\n]")


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    lo = a - 200 if a > 200 else 0
    last = _LAST_BOUNDARY.match(text, lo, a)
    s = last.end() if last else lo
    hi = b + 200
    m = _BOUNDARY.search(text, b, hi)  # an end past the text is the text's end
    if m:
        return s, m.start()
    n = len(text)
    return s, hi if hi < n else n


_NEWLINE = re.compile("\n")


class _Lines:
    """Line starts: a search back from each candidate to its line start is quadratic on a
    page without line breaks. A short search back finds most (lines are short); beyond it,
    the text's line breaks, found once, answer by bisection."""

    _NEAR = 256

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines: list[int] | None = None

    def start(self, a: int) -> int:
        """The start of the line holding position a: ``text.rfind("\n", 0, a) + 1``."""
        i = self.text.rfind("\n", max(0, a - self._NEAR), a)
        if i >= 0 or a <= self._NEAR:
            return i + 1
        if self.newlines is None:
            self.newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        k = bisect.bisect_left(self.newlines, a)
        return self.newlines[k - 1] + 1 if k else 0


_NOTE_LINE = re.compile(r"[ \t　]*(?:注|说明|备注|资料来源|数据来源)[0-9]*[:：]")
_CAPTION = re.compile(r"[ \t]*表\s?[0-9一二三四五六七八九十]+[ \t]*")


def _has_figure(window: str, rules: dict[str, Any], where: tuple[str, int, list[int] | None] | None = None) -> bool:
    """A number in the window that is not itself part of a time expression. ``where``:
    (text, offset, time_starts(text)) when the window is ``text[offset:offset + len]``."""
    if not window:
        return False
    w = None
    if _FIG_CHAR.search(window):  # else no figure is left once the time expressions are removed
        if where is not None and where[2] is not None:
            # the text before the first place a time expression may start is kept as it is:
            # a figure there is a figure of the stripped window (most frames hold one early)
            text, lo, starts = where
            k = bisect.bisect_left(starts, lo)
            head = window if k == len(starts) else window[:starts[k] - lo]
            if _DIGIT_FIG.search(head) or rules["cn_fig"].search(head):
                return True
            if len(head) == len(window):
                w = window  # no time expression in the window
        if w is None:
            w = _without_times(window, where)
            if _DIGIT_FIG.search(w) or rules["cn_fig"].search(w):
                return True
    # a sentence that introduces a table of figures: …情况如下:
    if not rules["table_cues"]:
        return False
    firsts = rules["table_cue_firsts"]
    if firsts is not None and firsts.search(window) is None:
        return False
    if w is None:
        w = _without_times(window, where)
    return w.rstrip().endswith(rules["table_cues"])


def _without_times(window: str, where: tuple[str, int, list[int] | None] | None = None) -> str:
    """``TIME_RE.sub("", window)``: the text between the matches of iter_times (the same
    matches as TIME_RE.finditer, found without trying the grammar at every position); in a
    long text, from the text's start candidates (no scan of the window)."""
    if where is not None and where[2] is not None:
        text, lo, starts = where
        hi = lo + len(window)
        found = iter_times_between(text, starts, lo, hi)
    else:
        text, lo, hi = window, 0, len(window)
        found = iter_times(window)
    pieces, pos = [], lo
    for m in found:
        pieces.append(text[pos:m.start()])
        pos = m.end()
    if not pieces:
        return window
    pieces.append(text[pos:hi])
    return "".join(pieces)


def _in_parens(text: str, a: int) -> bool:
    lo = a - 40 if a > 40 else 0
    i = text.rfind("(", lo, a)
    j = text.rfind("（", lo, a)
    i = i if i > j else j
    if i < 0:  # most candidates: no bracket opens in the 40 chars before (no slice made)
        return False
    seg = text[i:a]
    return ")" not in seg and "）" not in seg and "\n" not in seg


def find_deadlines(text: str, ctx: DocContext) -> list[dict[str, Any]]:
    """Schema deadlines (text, date, relation, duration, working_days, task, span)."""
    try:
        return _find(text or "", ctx)
    except Exception:
        return []


def _find(text: str, ctx: DocContext | None) -> list[dict[str, Any]]:
    if not text:
        return []
    rules = _rules()
    anchor = ctx.anchor if ctx is not None else None
    report_year = _report_year(text, ctx)
    spans = _excluded_spans(text, ctx)
    starts = [s for s, _ in spans]
    # reach[k]: the furthest end among spans[:k + 1]; a match ending past it is inside none of
    # them, and most matches stand after the spans before them (no walk back in _inside)
    reach: list[int] = []
    far = -1
    for _, e in spans:
        far = e if e > far else far
        reach.append(far)
    bisect_right = bisect.bisect_right
    cands: list[tuple[re.Match[str], dict[str, Any]]] = []
    anchor_iso = anchor.isoformat() if anchor is not None else None
    # the meaning of a match depends only on its groups and the years it is read against,
    # and a notice repeats its expressions (2024年, 年底前): interpret each once. The memo's
    # dicts are shared: only a kept deadline gets its own copy (most candidates are dropped)
    memo: dict[tuple[Any, ...], dict[str, Any] | None] = {}

    def interpret_once(m: re.Match[str], ref: int | None, report: int | None) -> dict[str, Any] | None:
        key = (m.groups(), ref, report)
        r = memo.get(key, memo)
        if r is memo:
            r = memo[key] = interpret(m, anchor, ref, report)
        return r

    ref_year: int | None = None
    tstarts = time_starts(text)  # None: a short text
    for m in iter_times(text, tstarts):
        a, b = m.span()
        if b - a < 2 and m.group("now") is None:
            continue
        k = bisect_right(starts, a) - 1
        if k >= 0 and reach[k] >= b and _inside(spans, starts, a, b):
            continue
        key = (m.groups(), ref_year, report_year)  # interpret_once, inlined: it runs per match
        info = memo.get(key, memo)
        if info is memo:
            info = memo[key] = interpret(m, anchor, ref_year, report_year)
        kind = info.get("kind") if info else None
        if (kind == "point" and anchor is not None and report_year is None
                and ref_year is not None and ref_year < anchor.year
                and _YEARLESS.fullmatch(m.group("point") or "") and _targets(text, b, rules)):
            # 全年…力争 in a notice that mentioned last year's results: this year's target
            info = interpret_once(m, anchor.year, None)
        # the year a passage reports on: explicit years (not comparisons or targets); the
        # year is written in the match, so a match without 19/20 has none (no group calls)
        mt = text[a:b]
        y = _explicit_year(m) if ("19" in mt or "20" in mt) else None
        if y is not None and not text[max(0, a - 2):a].endswith(_COMPARE_BEFORE) and m.group("pre") not in ("到", "至"):
            # earlier years in a passage are comparisons or background, not what it reports on
            lo = report_year if report_year else (anchor.year - 1 if anchor else None)
            if lo is None or lo <= y <= (anchor.year if anchor else y):
                ref_year = y
        elif (info and kind == "point" and anchor is not None and "年" in mt
              and (m.group("point") or "").startswith(("今年", "本年"))):
            ref_year = int(info["date"][:4]) if info.get("date") else ref_year
        if info is None:
            continue
        cands.append((m, info))

    out: list[dict[str, Any]] = []
    labeled: list[tuple[str, str]] = []
    lines = _Lines(text)
    for i, (m, shared) in enumerate(cands):
        a, b = m.span()
        keep = _keep(text, m, shared, cands, i, rules, tstarts, anchor_iso, lines)
        if not keep:
            continue
        s, e = _sentence(text, a, b)
        kind = shared.get("kind")
        info = shared.copy()  # the shared dict stays as it is; its key order is kept
        info.pop("kind", None)
        info.pop("grain_end", None)
        if keep == "by":
            info["relation"] = "by"  # a labelled time limit (完成时限：2024年12月)
        lead = text[max(0, a - 12):a]
        if kind in ("point", "range") and "期限" in lead and info.get("date"):
            labeled.append((lead, info["date"]))
        elif kind == "limit" and info.get("date") is None:
            word = (m.group("limit") or "")[:2]
            if word not in ("期限", "时限", "限期", "限时"):
                for lab, date in reversed(labeled):
                    if word in lab:
                        info["date"] = date
                        break
        if m.group("pre") in ("于", "在", "自", "从"):
            a = m.end("pre")  # the preposition is not part of the expression
        while a < b and text[a].isspace():
            a += 1
        task = text[s:e].strip()
        if rules["furniture"] and rules["furniture"].search(task):
            continue  # site furniture: 本站将在3个工作日内删除
        info["task"] = task or None
        info["span"] = [a, b]
        out.append(info)
    return out


_YEARLESS = re.compile(r"全年|年内|年底|上半年|下半年|第?[一二三四1-4]季度|前[一二两三]季度|[0-9]{1,2}月份?.*")


def _targets(text: str, b: int, rules: dict[str, Any]) -> bool:
    """The clause after b states a target (力争…以上) rather than a result (同比增长)."""
    mm = _BOUNDARY.search(text, b, min(len(text), b + 120))
    w = text[b:mm.start() if mm else min(len(text), b + 120)]
    return bool(rules["target"].search(w)) and not rules["result"].search(w)


_LEAD_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s?年")


def _explicit_year(m: re.Match[str]) -> int | None:
    g = m.group("point") or m.group("range") or m.group("fest")
    if not g or not g.startswith(("19", "20")):  # what _LEAD_YEAR needs first: no regex call
        return None
    mm = _LEAD_YEAR.match(g)
    return int(mm.group(1)) if mm else None


def _keep(text: str, m: re.Match[str], info: dict[str, Any], cands: list, i: int,
          rules: dict[str, Any], tstarts: list[int] | None = None, anchor_iso: str | None = None,
          lines: _Lines | None = None) -> bool | str:
    """Whether a candidate is a deadline: True, or "by" when a label makes it one (its
    relation is then by); ``info`` is the interpretation shared by equal matches (read only)."""
    a, b = m.span()
    lines = lines or _Lines(text)
    where = (text, b, tstarts)  # every window below starts at b
    pre, suf = m.group("pre", "suf")
    pre, suf = pre or "", suf or ""
    kind = info.get("kind")
    before = text[max(0, a - 4):a]
    after = text[b:b + 12]
    cue_by = suf in ("前", "之前", "以前", "底前", "末前")
    cue_within = suf in ("内", "以内", "之内") or (kind == "point" and (m.group("point") or "").endswith("内"))
    cue_asof = pre.startswith("截")
    cue_to = pre in ("至", "到") or "即日" in pre
    if pre in ("至", "到") and a > 0 and text[a - 1] in rules["to_verb_heads"]:
        cue_to = False  # 受到2022年…, 甚至2023年…: a verb or adverb, not "by/until"

    # recurring schedules and enumerated schedule words: 每月, 月调度、季督查, 年底总评
    if before.endswith(("每", "每年", "每个")):
        return False
    if kind in ("point", "range") and not (cue_by or cue_asof or cue_to or cue_within):
        if before.endswith("、") or _SCHEDULE_NEXT.match(after):
            if not _has_figure(after, rules, where):
                return False

    if kind == "dur":
        core_text = m.group("dur") or ""
        has_pre = DPRE_RE.match(core_text) is not None
        if before.endswith(rules["dur_skip"]) and not has_pre:
            return False
        if cue_within or has_pre:
            return True
        lab = text[max(0, a - 8):a].rstrip(" :：为是")
        if lab.endswith(rules["dur_labels"]):
            return True
        # 1个工作日响应、3天办结: a time limit on an act
        nxt = text[b:b + 4]
        return "工作日" in core_text or nxt.startswith(rules["limit_verbs"]) or nxt[:2] in ("响应", "答复")
    if kind == "limit":
        core = m.group("limit") or ""
        if core in ("限期", "限时"):
            nxt = text[b:b + 4]
            return any(nxt.startswith(v) or nxt[1:].startswith(v) or nxt[2:].startswith(v)
                       for v in rules["limit_verbs"])
        return True
    if kind == "fest":
        return True
    if kind == "now":
        if not (pre in ("截至", "截止", "至", "到", "截至到", "截止到")):
            ch = text[a - 1:a] if a > 0 else "\n"
            if ch and ch not in "，,。；;：:\n \t　)）":
                return False
        return _has_figure(_frame(text, m, cands, i, lines), rules, where)
    if kind in ("point", "range", "span", "plan"):
        # a planned period still ahead of the notice (于3月1日至5月31日开展专项行动)
        if kind == "range" and anchor_iso and info.get("date") and info["date"] >= anchor_iso:
            return True
        if pre in ("于", "在") and not (cue_by or cue_within):
            return False
        if before.endswith(_COMPARE_BEFORE) and not (cue_by or cue_asof or cue_to):
            return False
        if cue_by or cue_asof or cue_within:
            return True
        if cue_to or (kind == "range" and pre in ("从", "自")):
            return True
        if info.get("grain_end"):
            return True

        core = m.group(kind) or ""
        if text.startswith(rules["comparison_after"], b):
            return False
        lab = text[max(0, a - 6):a].rstrip(" \t")
        if lab.endswith(rules["period_labels"]):
            if kind == "point" and lab.rstrip(":：为是").endswith(("时限", "期限")):
                return "by"  # 完成时限：2024年12月
            return True
        if core in rules["clause_initial_only"] and a > 0 and text[a - 1] not in "，,。；;：:\n \t　、":
            return False
        line_start = lines.start(a)
        if _in_parens(text, a) or _NOTE_LINE.match(text, line_start):
            return False  # (6月高考，剔除3月份…) and 注：… lines are notes, not frames
        if _CAPTION.fullmatch(text, line_start, a):
            return True
        window = _frame(text, m, cands, i, lines)
        # month/day-level dates followed by a past-tense event: when it happened
        if kind == "range" or (kind == "point" and _MONTH_OR_DAY.search(core)):
            if rules["event"].search(window):
                return False
        if kind == "point" and info.get("relation") == "on":
            # a bare day is a deadline only when the clause says what ends or is done that day
            return text[b:b + 4].lstrip("，, ").startswith(rules["on_verbs"])
        if _has_figure(window, rules, where):
            return True
        # forward-looking frames are targets by themselves: 今年…, 今后五年, 年内
        if _forward(core, info, m) and (kind == "span" or not rules["event"].search(window)):
            return True
        # a paragraph opened by a period (这五年，…; 2025年是…) frames the whole paragraph
        if kind in ("span", "plan") or core in ("今年", "本年", "当年", "全年") or _YEAR_ONLY.fullmatch(core):
            if _para_start(text, a):
                return _has_figure(_paragraph(text, b), rules, where)
        return False
    return False


_MONTH_OR_DAY = re.compile(r"[月日号]")
_YEAR_ONLY = re.compile(r"(?:19|20)[0-9]{2}\s?年度?")
_PARA_LEAD = re.compile(r"(?:^|\n)[ \t　]*(?:各位代表[！!，,]?)?[ \t　]*$")


def _para_start(text: str, a: int) -> bool:
    return bool(_PARA_LEAD.search(text[max(0, a - 12):a])) or a == 0


def _paragraph(text: str, b: int) -> str:
    e = text.find("\n", b, b + 600)
    return text[b:e if e >= 0 else min(len(text), b + 600)]


def _forward(core: str, info: dict[str, Any], m: re.Match[str]) -> bool:
    if m.group("span") is not None:
        return core.startswith(("今后", "未来"))
    return m.group("point") is not None and core in ("今年", "明年", "年内", "本年内", "今年内")


_NEW_ITEM = re.compile(r"[ \t　]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、．](?![0-9])|[0-9]+\.(?![0-9])|第|表|图|注|附)")


def _soft_break(text: str, nl: int, lines: _Lines) -> bool:
    """A line break inside a sentence: a long line that does not end a clause, followed by
    a line that does not start a new item."""
    line_start = lines.start(nl)
    if nl - line_start < 12 or nl == 0:
        return False
    prev = text[nl - 1]
    if prev in "。；;！？!?：:，,、）)】]”\"" or prev.isspace():
        return False
    return _NEW_ITEM.match(text, nl + 1) is None and nl + 1 < len(text)


def _frame(text: str, m: re.Match[str], cands: list, i: int, lines: _Lines) -> str:
    """The text a bare period frames: up to the sentence end, or to the next time
    expression that opens a new clause."""
    b = m.end()
    mm = _BOUNDARY.search(text, b, min(len(text), b + 150))
    end = mm.start() if mm else min(len(text), b + 150)
    if mm and mm.group() == "\n" and _soft_break(text, mm.start(), lines):
        # a PDF line wrapped inside the sentence (2021年，深圳市常住人口\n11761.48万人)
        mm2 = _BOUNDARY.search(text, mm.end(), min(len(text), mm.end() + 100))
        end = mm2.start() if mm2 else min(len(text), mm.end() + 100)
    if i + 1 < len(cands):
        nxt = cands[i + 1][0]
        if nxt.start() < end and _CLAUSE_PUNCT.search(text, b, nxt.start()):
            end = nxt.start()
    return text[b:end]


def find_schedules(text: str) -> list[dict[str, Any]]:
    """Recurring schedules (每月通报, 日沟通、周报告、月调度、季督查): not deadlines, kept apart.

    Each item: {text, every (ISO 8601 period), action, span}.
    """
    try:
        rules = _rules()
        out = []
        for m in rules["schedule"].finditer(text or ""):
            unit = m.group("u1") or m.group("u2")
            verb = m.group("v1") or m.group("v2")
            out.append({"text": m.group(0), "every": rules["sched_units"].get(unit),
                        "action": verb, "span": [m.start(), m.end()]})
        return out
    except Exception:
        return []

"""Normalized text: Simplified script, half-width digits and letters, no conversion noise.

Chinese punctuation (，。：；（）！？) is kept as written; only full-width digits, letters and
a few symbols are folded. Every step keeps a map from normalized offsets back to the
ingested text, so spans can be shown in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: 企業(yè): a pinyin syllable with a tone mark glossed after a character by a converter
_PINYIN_GLOSS = re.compile(
    rf"(?<=[{_CJK}])[(（]([a-zü]{{0,5}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]{{0,5}})[)）]")
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FOLD.update({ord("％"): "%", ord("．"): ".", ord("／"): "/", ord("－"): "-", ord("＋"): "+",
              ord("＝"): "=", ord("＜"): "<", ord("＞"): ">", ord("＆"): "&", ord("＃"): "#",
              ord("＠"): "@", ord("＿"): "_", ord("\u3000"): " ", ord("\u00a0"): " ",
              ord("\u2002"): " ", ord("\u2003"): " ", ord("\u2009"): " ", ord("\u00ad"): "-", ord("\x0b"): "\n", ord("\x0c"): "\n"})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\x00-\x08\x0e-\x1f]")
_MULTI_SPACE = re.compile(r"[ ]{2,}")
_SINGLE_SPACE = re.compile(rf"(?<=[{_CJK}0-9，。、；：）（“”《》])[ ](?=[{_CJK}（“《])|(?<=[{_CJK}，。、；：）（“”《》])[ ](?=[0-9])")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
#: a dictionary word across a gap must be at least this frequent in jieba's dictionary to join it
WORD_FREQ_MIN = 20
_EDGE_SPACE = re.compile(r"[ \t]+(?=\n)|(?<=\n)[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Normalized:
    """Normalized text and, for each of its characters, the offset in the source text."""

    text: str
    offsets: list[int]

    def to_source(self, i: int) -> int:
        """Source offset of normalized offset ``i`` (``len(text)`` maps past the end)."""
        if i >= len(self.offsets):
            return (self.offsets[-1] + 1) if self.offsets else 0
        return self.offsets[i]


def _apply(text: str, offs: list[int], pattern: re.Pattern[str],
           repl: str | Callable[[re.Match[str]], str]) -> tuple[str, list[int]]:
    pieces: list[str] = []
    new_offs: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        s, e = m.span()
        r = repl(m) if callable(repl) else repl
        pieces.append(text[last:s])
        new_offs.extend(offs[last:s])
        pieces.append(r)
        for i in range(len(r)):
            new_offs.append(offs[min(s + i, e - 1)] if e > s else (offs[s] if s < len(offs) else (offs[-1] + 1 if offs else 0)))
        last = e
    if not pieces:
        return text, offs
    pieces.append(text[last:])
    new_offs.extend(offs[last:])
    return "".join(pieces), new_offs


_CONVERTER = None


def _freq() -> dict[str, int]:
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def _inside_word(text: str, i: int) -> bool:
    """Is the space at ``i`` a line-wrap inside a word ('交通运 输') rather than a break
    between a heading and its paragraph ('强化宣传工作 县政府要…')? Joined, would the characters
    around it form a dictionary word?"""
    freq = _freq()
    left, right = text[max(0, i - 2):i], text[i + 1:i + 3]
    for a in (left[-1:], left[-2:]):
        for b in (right[:1], right[:2]):
            w = a + b
            if len(w) >= 2 and freq.get(w, 0) >= WORD_FREQ_MIN:
                return True
    return False


def _t2s(text: str) -> str:
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER.convert(text)


_PROTECTED: re.Pattern[str] | None = None


def _protected() -> re.Pattern[str]:
    """Place names that OpenCC would damage (乾县 -> 干县, 於潜镇): official names keep them."""
    global _PROTECTED
    if _PROTECTED is None:
        from importlib import resources

        names: list[str] = []
        for fname in ("regions.tsv", "towns.tsv"):
            path = resources.files("policyminer") / "data" / fname
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    parts = line.split("\t")
                    if len(parts) > 1 and not line.startswith("#"):
                        names.append(parts[1])
        changed = {ch for ch in set("".join(names)) if _t2s(ch) != ch}
        risky = sorted({n for n in names if any(ch in changed for ch in n) and _t2s(n) != n}, key=len, reverse=True)
        _PROTECTED = re.compile("|".join(map(re.escape, risky)) or "(?!)")
    return _PROTECTED


def to_simplified(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """OpenCC t2s; lines whose length changes are converted character by character."""
    conv = _t2s(text)
    if len(conv) == len(text):
        keep = list(_protected().finditer(text))
        if keep:
            chars = list(conv)
            for m in keep:
                chars[m.start():m.end()] = m.group(0)
            conv = "".join(chars)
        return conv, offs
    out_lines = []
    pos = 0
    for line in text.split("\n"):
        c = _t2s(line)
        if len(c) != len(line):
            c = "".join(_t2s(ch) if len(_t2s(ch)) == 1 else ch for ch in line)
        out_lines.append(c)
        pos += len(line) + 1
    return "\n".join(out_lines), offs


def normalize(text: str, layout: bool = True) -> Normalized:
    """Normalize ingested text; see the module docstring for what changes.

    ``layout``: the text comes from a laid-out page (PDF, Word), where single spaces between
    Chinese characters are letter-spacing and are removed. In web text and crawler dumps a
    single space often is the only trace of a line break (a heading glued to its paragraph),
    so there it is kept.
    """
    offs = list(range(len(text)))
    text = text.replace("\r", "\n")
    text, offs = _apply(text, offs, _ZERO_WIDTH, "")
    text = text.translate(_FOLD)
    if len(text) != len(offs):  # translate deleted characters: redo with offsets
        raise AssertionError("width folding must be 1:1")
    text, offs = _apply(text, offs, _PINYIN_GLOSS, "")
    text, offs = to_simplified(text, offs)
    text, offs = _apply(text, offs, _MULTI_SPACE, "\x01")
    if layout:
        text, offs = _apply(text, offs, _SINGLE_SPACE, "")
    else:
        text, offs = _apply(text, offs, _CJK_GAP, lambda m: "" if _inside_word(text, m.start()) else " ")
    text, offs = _apply(text, offs, re.compile("\x01"), " ")
    text, offs = _apply(text, offs, _EDGE_SPACE, "")
    text, offs = _apply(text, offs, _BLANK_LINES, "\n\n")
    # trim
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Normalized(text[start:end], offs[start:end])

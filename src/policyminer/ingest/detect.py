"""Format and encoding detection from content (magic bytes, markup), not only extensions."""

from __future__ import annotations

import re

_HTML_HINT = re.compile(rb"<!doctype html|<html|<head|<body|<meta |<div|<p>|<table|<title", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENC = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)

#: GB2312 and GBK pages routinely contain GB18030-only characters; decode them as the superset.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "gb_2312-80": "gb18030", "euc-cn": "gb18030", "big5-hkscs": "big5hkscs",
            "utf8": "utf-8", "unicode": "utf-8"}

BINARY_FORMATS = ("pdf", "docx", "doc", "warc")


def canonical_encoding(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().lower()
    return _ALIASES.get(n, n)


def sniff_format(data: bytes, name: str = "") -> str | None:
    """Format from magic bytes and markup; the file name only breaks ties between text formats."""
    head = data[:4096]
    lname = name.lower()
    # PDF readers accept junk before the header, but then the file also ends like a PDF
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and b"%%EOF" in data[-4096:]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"WARC/") or (head.startswith(b"\x1f\x8b") and ".warc" in lname):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        return None  # some other gzip: not a notice we can read
    if lname.endswith(".csv"):
        return "csv"
    if lname.endswith((".md", ".markdown")):
        return "md"  # markdown may embed HTML; the md reader handles both
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_HINT.search(stripped[:2048]):
        return "html"
    if lname.endswith((".md", ".markdown")):
        return "md"
    if lname.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    return "txt"


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192]) or _XML_ENC.search(data[:512])
    return canonical_encoding(m.group(1).decode("ascii", "ignore")) if m else None


def _cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return cjk / len(sample)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding).

    Order: BOM, strict UTF-8 (browser-saved pages keep a stale GB2312 declaration but are
    UTF-8), the declared charset if it decodes cleanly, then charset-normalizer restricted to
    the encodings Chinese sites use.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = canonical_encoding(declared)
    if enc and enc != "utf-8":
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    candidates: list[tuple[float, str, str]] = []
    for cand in ("gb18030", "big5", "big5hkscs", "utf-8"):
        text = data.decode(cand, errors="replace")
        bad = text.count("\ufffd")
        candidates.append((bad / max(1, len(text)) - _cjk_ratio(text) * 0.01, cand, text))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000], cp_isolation=["utf_8", "gb18030", "big5", "big5hkscs"]).best()
        if best is not None:
            enc2 = canonical_encoding(best.encoding.replace("_", "-"))
            text = data.decode(enc2 or "utf-8", errors="replace")
            candidates.append(((text.count("\ufffd") / max(1, len(text))) - 0.001, enc2 or "utf-8", text))
    except Exception:  # noqa: BLE001 - detection is best effort; fall back to the candidates
        pass
    candidates.sort(key=lambda c: c[0])
    _, enc3, text = candidates[0]
    # Big5 bytes often decode "cleanly" as GB18030 into rare characters; prefer the decoding
    # whose characters are common (jieba's dictionary characters are a good proxy).
    if enc3 == "gb18030":
        alt = [c for c in candidates if c[1] in ("big5", "big5hkscs") and c[0] <= candidates[0][0] + 0.002]
        if alt and _common_ratio(alt[0][2]) > _common_ratio(text) + 0.05:
            return alt[0][2], alt[0][1]
    return text, enc3


_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质")


def _common_ratio(text: str) -> float:
    sample = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    if not sample:
        return 0.0
    return sum(1 for c in sample if c in _COMMON) / len(sample)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text in any encoding we read (images, executables, junk)."""
    head = data[:65536]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM is text (decode() reads it)
        return False
    if b"\x00" in head:
        nul = head.count(b"\x00")
        if nul / len(head) > 0.01:
            return True
    ctrl = len(head.translate(None, _TEXT_BYTES))  # C speed; a generator over 64 KB took ~10 ms
    return ctrl / len(head) > 0.05


_TEXT_BYTES = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))

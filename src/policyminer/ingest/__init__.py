"""Read any notice into a :class:`RawDocument`: main text plus hints for the metadata stage.

Formats are detected from content (magic bytes, markup) and the name only breaks ties:
txt (with crawler metadata headers), md, csv dumps (one notice per row), html, pdf, docx,
doc, and http(s) URLs. Every failure is an :class:`~policyminer.errors.IngestError` naming
the input and the reason.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IngestError
from ..settings import DEFAULT, Settings
from . import detect


@dataclass
class RawDocument:
    """What ingest found: the main text before normalization, and where it came from."""

    uri: str
    format: str
    text: str
    encoding: str | None = None
    fetched_at: str | None = None
    #: title, published, doc_number, issuer, title_candidates … from page or dump headers
    hints: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


_HEADER = re.compile(r"^(标题|发布时间|发布日期|文号|发文字号|发布机构|发文机关|来源|栏目|原文链接|本地目录|索引号|主题分类|成文日期)\s*[:：]\s*(.*)$")
_BODY_MARK = re.compile(r"^=+\s*正文\s*=+\s*$")
_TEXT_COLUMNS = ("full_text", "text", "content", "正文", "内容", "body", "fulltext")
_TITLE_COLUMNS = ("title", "标题", "name")
_DATE_COLUMNS = ("publish_date", "pubdate", "date", "发布时间", "发布日期", "published")


def _iso(s: str | None) -> str | None:
    if not s:
        return None
    m = re.search(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})", s)
    if not m:
        return None
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _read_txt(text: str) -> tuple[str, dict[str, Any]]:
    """Plain text; a crawler dump's 标题:/发布时间:/文号:/发布机构: header feeds the hints."""
    lines = text.split("\n")
    hints: dict[str, Any] = {}
    header_end = None
    for i, line in enumerate(lines[:40]):
        if _BODY_MARK.match(line.strip()):
            header_end = i + 1
            break
    head = lines[: header_end or 12]
    found = {}
    for line in head:
        m = _HEADER.match(line.strip())
        if m:
            found[m.group(1)] = m.group(2).strip()
    if len(found) >= 2 or header_end is not None:
        hints["header"] = found
        if found.get("标题"):
            hints["title"] = found["标题"]
        pub = _iso(found.get("发布时间") or found.get("发布日期"))
        if pub:
            hints["published"] = pub
        if found.get("文号") or found.get("发文字号"):
            hints["doc_number"] = found.get("文号") or found.get("发文字号")
        if found.get("发布机构") or found.get("发文机关"):
            hints["issuer"] = found.get("发文机关") or found.get("发布机构")
        if found.get("成文日期"):
            hints["date"] = _iso(found["成文日期"])
        if header_end is None:
            header_end = max(i for i, ln in enumerate(head) if _HEADER.match(ln.strip())) + 1
        body = "\n".join(lines[header_end:])
        return body, hints
    return text, hints


def _read_csv(text: str, source: str) -> tuple[str, dict[str, Any]]:
    """A dump with one notice per row: the text column of every row, in file order."""
    csv.field_size_limit(1 << 30)
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise IngestError(source, f"malformed CSV ({exc})") from exc
    if not rows:
        raise IngestError(source, "CSV has no data rows")
    cols = {c.strip().lstrip("\ufeff").lower(): c for c in rows[0].keys() if c}
    tcol = next((cols[c] for c in _TEXT_COLUMNS if c in cols), None)
    if tcol is None:
        raise IngestError(source, f"CSV has no text column (looked for {', '.join(_TEXT_COLUMNS)})")
    parts = [r.get(tcol) or "" for r in rows]
    hints: dict[str, Any] = {}
    first = rows[0]
    title_col = next((cols[c] for c in _TITLE_COLUMNS if c in cols), None)
    date_col = next((cols[c] for c in _DATE_COLUMNS if c in cols), None)
    if title_col and first.get(title_col):
        hints["title"] = first[title_col].strip()
    if date_col and _iso(first.get(date_col)):
        hints["published"] = _iso(first.get(date_col))
    for key in ("province", "region", "city", "county"):
        if key in cols and first.get(cols[key]):
            hints.setdefault("region_hint", first[cols[key]].strip())
    return "\n\n".join(parts), hints


_FRONT = re.compile(r"^\ufeff?\s*---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_HTML_BODY = re.compile(r"<(?:div|p|table|span|br)\b", re.I)


def _front_matter(text: str) -> tuple[str, dict[str, Any]]:
    """YAML front matter of static-site and crawler markdown (title:, date:) feeds the hints."""
    m = _FRONT.match(text)
    if not m:
        return text, {}
    hints: dict[str, Any] = {}
    for line in m.group(1).split("\n"):
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip().strip("'\"")
        if key == "title" and value:
            hints["title"] = value
        elif key in ("date", "published", "pubdate") and value:
            hints["published"] = _iso(value) or _rfc_date(value)
    return text[m.end():], {k: v for k, v in hints.items() if v}


def _rfc_date(value: str) -> str | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _read_md(text: str) -> str:
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?m)^\s*[-*+]\s+", "", text)
    return text


def read_bytes(data: bytes, source: str, name: str = "", settings: Settings = DEFAULT,
               content_type: str | None = None) -> RawDocument:
    """Read one notice from bytes; ``name`` (a file name or URL) only breaks format ties."""
    if not data or not data.strip():
        raise IngestError(source, "empty file")
    fmt = detect.sniff_format(data, name)
    if content_type and fmt == "txt":
        ct = content_type.lower()
        if "html" in ct:
            fmt = "html"
        elif "pdf" in ct:
            fmt = "pdf"
    if fmt is None:
        raise IngestError(source, "compressed or binary data of an unsupported kind")
    limit = settings.max_binary_bytes if fmt in detect.BINARY_FORMATS else settings.max_bytes
    if len(data) > limit:
        raise IngestError(source, f"input is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit for {fmt}")
    if fmt == "pdf":
        from .pdf import pdf_text

        return RawDocument(source, "pdf", pdf_text(data, source, settings.max_pdf_pages))
    if fmt == "docx":
        from .office import docx_text

        return RawDocument(source, "docx", docx_text(data, source, settings.max_unzipped_bytes))
    if fmt == "doc":
        from .office import doc_text

        return RawDocument(source, "doc", doc_text(data, source))
    if fmt == "warc":
        raise IngestError(source, "a WARC archive holds many documents: use `policyminer batch` on it")
    if detect.looks_binary(data):
        raise IngestError(source, "binary data, not text, HTML, PDF or Word")
    text, enc = detect.decode(data, detect.declared_charset(data) if fmt == "html" else None)
    if text.count("\ufffd") > max(20, len(text) // 50):
        raise IngestError(source, f"undecodable text (tried UTF-8, GB18030, Big5; best was {enc})")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if fmt == "html":
        from lxml.etree import LxmlError

        from .html import extract_html

        try:
            main, hints = extract_html(text)
        except (ValueError, TypeError, LxmlError) as exc:  # ParserError: "Document is empty" (fuzz)
            raise IngestError(source, f"unparsable HTML ({exc})") from exc
        if not main.strip():
            raise IngestError(source, "HTML page has no main text")
        return RawDocument(source, "html", main, enc, hints=hints)
    if fmt == "csv":
        from .furniture import clean_text_furniture

        body, hints = _read_csv(text, source)
        return RawDocument(source, "csv", clean_text_furniture(body), enc, hints=hints)
    if fmt == "md":
        body, hints = _front_matter(text)
        if _HTML_BODY.search(body[:2000]):  # markdown dumps of web pages often keep the HTML
            from .html import extract_html

            main, html_hints = extract_html(body)
            html_hints.update(hints)
            return RawDocument(source, "md", main, enc, hints=html_hints)
        return RawDocument(source, "md", _read_md(body), enc, hints=hints)
    from .furniture import clean_text_furniture

    body, hints = _read_txt(text)
    return RawDocument(source, "txt", clean_text_furniture(body), enc, hints=hints)


def read_path(path: str | Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a local file."""
    p = Path(path)
    src = str(path)
    if not p.exists():
        raise IngestError(src, "no such file")
    if p.is_dir():
        raise IngestError(src, "is a directory (use `policyminer batch` for folders)")
    try:
        size = p.stat().st_size
        limit = max(settings.max_bytes, settings.max_binary_bytes)
        if size > limit:
            raise IngestError(src, f"input is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit")
        data = p.read_bytes()
    except PermissionError as exc:
        raise IngestError(src, "permission denied") from exc
    except OSError as exc:
        raise IngestError(src, f"cannot read ({exc.strerror or exc})") from exc
    return read_bytes(data, src, p.name, settings)


def read_url(url: str, settings: Settings = DEFAULT) -> RawDocument:
    """Fetch one URL (timeouts, size cap) and read it."""
    import datetime as dt

    import httpx

    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", url):
        raise IngestError(url, "malformed URL")
    try:
        with httpx.Client(timeout=settings.http_timeout, follow_redirects=True, max_redirects=5,
                          headers={"User-Agent": settings.user_agent}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise IngestError(url, f"HTTP {resp.status_code}")
                chunks = []
                total = 0
                for chunk in resp.iter_bytes():
                    total += len(chunk)
                    if total > settings.max_bytes:
                        raise IngestError(url, f"response over the {settings.max_bytes / 1e6:.0f} MB limit")
                    chunks.append(chunk)
                ctype = resp.headers.get("content-type", "")
    except httpx.InvalidURL as exc:
        raise IngestError(url, f"malformed URL ({exc})") from exc
    except httpx.TimeoutException as exc:
        raise IngestError(url, "timed out") from exc
    except httpx.HTTPError as exc:
        raise IngestError(url, f"unreachable ({type(exc).__name__}: {exc})") from exc
    data = b"".join(chunks)
    doc = read_bytes(data, url, url.split("?")[0].rsplit("/", 1)[-1], settings, content_type=ctype)
    doc.fetched_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return doc


def read(source: str | Path, settings: Settings = DEFAULT) -> RawDocument:
    """A path or an http(s) URL."""
    s = str(source)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", s):
        if not s.lower().startswith(("http://", "https://")):
            raise IngestError(s, "unsupported URL scheme (only http and https)")
        return read_url(s, settings)
    return read_path(source, settings)

"""WARC archive of a crawl: append-only writer and a reader for `batch`.

Why WARC: it is the archivists' format (ISO 28500), keeps the raw bytes and the
HTTP headers of every response, and other tools (pywb, warcio) can replay it.

Layout written by :class:`WarcStore` (one gzip member per record, so a crash can
only damage the tail, which the crawler truncates on resume):

* one ``warcinfo`` record when the file is created;
* one ``response`` record per fetched URL (final attempt after retries), including
  redirects (3xx), errors (4xx/5xx) and the robots.txt of each host, each followed by the
  ``request`` record that asked for it (``WARC-Concurrent-To`` the response);
* ``revisit`` records when ``--refresh`` refetches a list page whose payload did not change.

Payloads are stored *identity-decoded*: HTTP ``Content-Encoding`` (gzip/br) is undone
and the original value kept in ``X-Policyminer-Orig-Content-Encoding``, so every reader
sees the document bytes. Extra WARC headers (allowed by the standard):

* ``WARC-Policyminer-Kind``: ``list`` | ``notice`` | ``attachment`` | ``robots``
* ``WARC-Policyminer-Parent``: for attachments, the notice page that links them
* ``WARC-Policyminer-Via``: the page the URL was discovered on
* ``WARC-Truncated: length`` when the size cap cut the payload
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable, Iterator, NamedTuple, Optional, Sequence

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

KIND_HEADER = "WARC-Policyminer-Kind"
PARENT_HEADER = "WARC-Policyminer-Parent"
VIA_HEADER = "WARC-Policyminer-Via"
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class CrawlRecord(NamedTuple):
    """One archived document, as `batch` consumes it.

    ``uri``: final URL of the document; ``content``: the payload bytes (raw, not
    decoded to text); ``content_type``: the HTTP Content-Type header ("" if none);
    ``fetched_at``: ISO-8601 UTC time of the fetch (the WARC-Date); ``parent``: for an
    attachment the URL of the notice page linking it, else None.
    """

    uri: str
    content: bytes
    content_type: str
    fetched_at: str
    parent: Optional[str]


def utc_now() -> str:
    """WARC-Date style timestamp (second precision is what WARC/1.0 readers expect)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcStore:
    """Append-only gzip WARC file; every write is flushed and fsynced before returning.

    The crawler commits its state only after a record is durable, so the byte
    offset returned by :meth:`write_response` is a safe resume point.
    """

    def __init__(self, path: Path, info: Optional[dict] = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        self._fh: IO[bytes] = open(self.path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        if fresh:
            rec = self._writer.create_warcinfo_record(self.path.name, info or {"software": "policyminer/0.1"})
            self._write(rec)

    @property
    def offset(self) -> int:
        return self._fh.tell()

    def _write(self, rec, request=None) -> int:
        self._writer.write_record(rec)
        if request is not None:
            req_line, req_headers = request
            req = self._writer.create_warc_record(
                rec.rec_headers.get_header("WARC-Target-URI"), "request",
                http_headers=StatusAndHeaders(req_line, list(req_headers), protocol="", is_http_request=True),
                warc_headers_dict={"WARC-Date": rec.rec_headers.get_header("WARC-Date"),
                                   "WARC-Concurrent-To": rec.rec_headers.get_header("WARC-Record-ID")})
            self._writer.write_record(req)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return self._fh.tell()

    def write_response(
        self,
        uri: str,
        status: int,
        reason: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        fetched_at: str,
        kind: str,
        parent: Optional[str] = None,
        via: Optional[str] = None,
        truncated: bool = False,
        ip: Optional[str] = None,
        revisit_of: Optional[tuple[str, str]] = None,
        request: Optional[tuple[str, Sequence[tuple[str, str]]]] = None,
    ) -> int:
        """Append one response (or revisit) record and its request record; return the new end offset.

        ``request`` is ``("GET /path HTTP/1.1", headers sent)``.
        """
        hdrs: list[tuple[str, str]] = []
        for k, v in headers:
            lk = k.lower()
            if lk == "content-encoding":
                hdrs.append(("X-Policyminer-Orig-Content-Encoding", v))
            elif lk not in _DROP_HEADERS:
                hdrs.append((k, v))
        hdrs.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason or 'OK'}".strip(), hdrs, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": fetched_at, KIND_HEADER: kind}
        if parent:
            warc_headers[PARENT_HEADER] = parent
        if via:
            warc_headers[VIA_HEADER] = via
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        if revisit_of is not None:
            orig_uri, orig_date = revisit_of
            rec = self._writer.create_revisit_record(
                uri, digest=self._digest(body), refers_to_uri=orig_uri, refers_to_date=orig_date,
                http_headers=http_headers, warc_headers_dict=warc_headers)
            return self._write(rec, request)
        rec = self._writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http_headers,
            warc_headers_dict=warc_headers)
        return self._write(rec, request)

    @staticmethod
    def _digest(body: bytes) -> str:
        import base64
        import hashlib

        return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")

    def close(self) -> None:
        try:
            self._fh.close()
        except OSError:
            pass


class ArchivedResponse(NamedTuple):
    """Everything :func:`iter_responses` knows about one response record."""

    uri: str
    status: int
    content: bytes
    content_type: str
    fetched_at: str
    kind: str
    parent: Optional[str]
    via: Optional[str]
    truncated: bool
    rec_type: str


def iter_responses(path: Path | str) -> Iterator[ArchivedResponse]:
    """Every response/revisit record in a WARC (ours or anyone's); stops quietly at a damaged tail."""
    try:
        fh = open(path, "rb")
    except OSError:
        return
    with fh:
        try:
            for rec in ArchiveIterator(fh):
                if rec.rec_type not in ("response", "revisit"):
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                status = 0
                ctype = ""
                if rec.http_headers is not None:
                    try:
                        status = int(rec.http_headers.get_statuscode() or 0)
                    except ValueError:
                        status = 0
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                content = rec.content_stream().read() if rec.rec_type == "response" else b""
                yield ArchivedResponse(
                    uri=uri,
                    status=status,
                    content=content,
                    content_type=ctype,
                    fetched_at=rec.rec_headers.get_header("WARC-Date") or "",
                    kind=rec.rec_headers.get_header(KIND_HEADER) or _guess_kind(uri, ctype),
                    parent=rec.rec_headers.get_header(PARENT_HEADER),
                    via=rec.rec_headers.get_header(VIA_HEADER),
                    truncated=rec.rec_headers.get_header("WARC-Truncated") is not None,
                    rec_type=rec.rec_type,
                )
        except Exception:  # a torn last record (killed writer) or a foreign malformed file
            return


def valid_length(path: Path | str) -> int:
    """Byte length of the readable prefix of a WARC (where a torn tail starts)."""
    end = 0
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                rec.content_stream().read()
                end = it.get_record_offset() + it.get_record_length()
    except Exception:
        pass
    return end


def _guess_kind(uri: str, ctype: str) -> str:
    """Kind for WARCs written by other tools: HTML is a notice, other documents attachments."""
    low = uri.lower().split("?")[0]
    if low.endswith("/robots.txt"):
        return "robots"
    if "html" in ctype.lower() or low.endswith((".html", ".htm", ".shtml", "/")):
        return "notice"
    return "attachment"


def iter_warc(path: Path | str, kinds: Iterable[str] = ("notice", "attachment")) -> Iterator[CrawlRecord]:
    """Documents of a crawl archive for `batch`: 2xx, complete, of the given kinds, each URI once.

    Yields :class:`CrawlRecord` tuples ``(uri, content, content_type, fetched_at, parent)``.
    Redirects, errors, list pages, robots.txt and size-capped (truncated) payloads are skipped;
    when a URI was archived twice the first complete copy wins.
    """
    wanted = set(kinds)
    seen: set[str] = set()
    for r in iter_responses(path):
        if r.rec_type != "response" or not (200 <= r.status < 300) or r.truncated:
            continue
        if r.kind not in wanted or r.uri in seen:
            continue
        seen.add(r.uri)
        yield CrawlRecord(r.uri, r.content, r.content_type, r.fetched_at, r.parent)

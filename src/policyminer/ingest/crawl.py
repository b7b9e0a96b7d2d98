"""Polite, resumable crawler that brings a government site's notices home into a WARC.

Why its own crawler: researchers start from a notice list (政策文件, 通知公告), not from
files, and government servers are small and easily hurt. So the crawler is polite
(robots.txt per RFC 9309 incl. Crawl-delay, one request at a time per host with a delay
after each response, a clear User-Agent, backoff on 5xx/429/timeouts, no retry on 4xx,
conditional GETs when refreshing) and archival (every response in ``crawl.warc.gz`` with
its headers and request, an index ``crawl.jsonl``, a state file that lets a rerun continue
where a killed run stopped, fetching nothing twice).

Output directory::

    crawl.warc.gz   WARC/1.0, see policyminer.ingest.warc (read it back with iter_warc)
    crawl.jsonl     one line per fetched or skipped URL: url, status, content_type, sha256,
                    size, fetched_at, kind (list|notice|attachment|robots), parent (the
                    notice an attachment hangs on), via (page it was found on), depth,
                    date (from the list entry), error; plus location/truncated/attempts/
                    refresh/revisit when they apply
    state.json      frontier, seen URLs, robots rules, list digests; replaced atomically;
                    holds the byte offsets of the WARC and the index it is consistent with
                    (a rerun truncates anything written after them and refetches those URLs;
                    without it the state is rebuilt from the archive and the index)
    crawl.lock      one crawl per folder (flock; released by the OS even on SIGKILL)

Page kinds: start URLs and pagination are *list* pages; entries of a list (profile
``[list] item``/``link``, or URLs matching ``[notice] url``) are *notices*; documents
(PDF/DOC/DOCX/XLS/...) linked from a notice are *attachments* of it. Notices are not
crawled for further notices. Depth: start lists and their pagination are depth 0,
their notices depth 1; other list pages linked from a list (sub-columns) are followed
only while a notice under them stays within ``max_depth``. Attachments of a fetched
notice are always fetched. ``max_pages`` caps list+notice fetches over the whole archive
(a ``refresh`` pass gets its own budget). Hosts: those of the start URLs, their
subdomains (www. stripped), the profile's ``hosts`` and ``allow_hosts``.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import heapq
import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import tomllib

from .robots import Robots
from .warc import CrawlRecord, WarcStore, iter_responses, iter_warc, utc_now, valid_length

__all__ = ["crawl", "iter_warc", "CrawlRecord", "load_profile", "list_profiles", "discover",
           "sniff_encoding", "USER_AGENT"]

USER_AGENT = "policyminer/0.1 (+research crawler)"
WARC_NAME = "crawl.warc.gz"
INDEX_NAME = "crawl.jsonl"
STATE_NAME = "state.json"
_STATE_VERSION = 1
_REDIRECTS = {301, 302, 303, 307, 308}
_PRIO = {"robots": -1, "attachment": 0, "notice": 1, "list": 2}

# ---------------------------------------------------------------------------
# site profiles


@dataclass(frozen=True)
class Profile:
    """A compiled site profile (data/sites/<name>.toml merged over generic.toml)."""

    name: str
    hosts: tuple[str, ...]
    start: tuple[str, ...]
    list_url: tuple[re.Pattern, ...]
    item: str
    link: str
    date_sel: str
    require_date: bool
    notice_url: tuple[re.Pattern, ...]
    content: str
    notice_date: str
    page_script: tuple[re.Pattern, ...]
    page_total_var: Optional[re.Pattern]
    page_current_var: Optional[re.Pattern]
    page_fmt: str
    page_text: Optional[re.Pattern]
    page_url: tuple[re.Pattern, ...]
    date_text: tuple[re.Pattern, ...]
    date_url: tuple[re.Pattern, ...]
    date_loose: tuple[re.Pattern, ...]
    attach_re: re.Pattern


def _sites_dir():
    return resources.files("policyminer").joinpath("data", "sites")


def list_profiles() -> list[str]:
    """Names of the shipped site profiles."""
    try:
        return sorted(p.name[:-5] for p in _sites_dir().iterdir() if p.name.endswith(".toml"))
    except (OSError, FileNotFoundError):
        return []


def _read_toml(name_or_path: str) -> dict:
    p = Path(name_or_path)
    if p.suffix == ".toml" and p.exists():
        return tomllib.loads(p.read_text(encoding="utf-8"))
    res = _sites_dir().joinpath(f"{name_or_path}.toml")
    if not res.is_file():
        raise ValueError(f"unknown site profile {name_or_path!r}; shipped: {', '.join(list_profiles())}")
    return tomllib.loads(res.read_text(encoding="utf-8"))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


def _res(patterns: Iterable[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


@functools.lru_cache(maxsize=32)
def load_profile(name_or_path: Optional[str] = None) -> Profile:
    """Profile by shipped name ("trs_wcm") or path to a .toml; None gives the generic profile."""
    d = _read_toml("generic")
    if name_or_path and name_or_path != "generic":
        d = _merge(d, _read_toml(name_or_path))
    ls, nt, pg, dt, at = (d.get(k, {}) for k in ("list", "notice", "pagination", "dates", "attachments"))
    texts = pg.get("text", [])
    page_text = (re.compile(r"^[\s\[【(（]*(?:" + "|".join(texts) + r")[\s\]】)）]*$", re.I)
                 if texts else None)
    exts = "|".join(re.escape(e.lower().lstrip(".")) for e in at.get("ext", []))
    return Profile(
        name=str(d.get("name", name_or_path or "generic")),
        hosts=tuple(h.lower() for h in d.get("hosts", [])),
        start=tuple(d.get("start", [])),
        list_url=_res(ls.get("url", [])),
        item=ls.get("item", "li"),
        link=ls.get("link", "a[href]"),
        date_sel=ls.get("date", ""),
        require_date=bool(ls.get("require_date", True)),
        notice_url=_res(nt.get("url", [])),
        content=nt.get("content", ""),
        notice_date=nt.get("date", ""),
        page_script=tuple(re.compile(p) for p in pg.get("script", [])),
        page_total_var=re.compile(pg["total_var"]) if pg.get("total_var") else None,
        page_current_var=re.compile(pg["current_var"]) if pg.get("current_var") else None,
        page_fmt=pg.get("page", "{name}_{n}.{ext}"),
        page_text=page_text,
        page_url=_res(pg.get("url", [])),
        date_text=_res(dt.get("text", [])),
        date_url=_res(dt.get("url", [])),
        date_loose=_res(dt.get("loose", [])),
        attach_re=re.compile(r"\.(?:%s)(?:$|[?#&;])" % (exts or "pdf"), re.I),
    )


# ---------------------------------------------------------------------------
# URLs, encodings, dates

_CTRL = re.compile(r"[\t\r\n\x00-\x1f]")  # browsers drop these inside hrefs
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


def normalize_url(url: str, base: Optional[str] = None) -> Optional[str]:
    """Absolute http(s) URL without fragment, lower-case host, no default port; None if not crawlable."""
    try:
        url = _CTRL.sub("", (url or "").strip())
        if not url or url.lower().startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
            return None
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname.lower()
        port = parts.port
        netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
        path = quote(parts.path or "/", safe=_SAFE_PATH)  # 附件.pdf and spaces, as browsers send them
        query = quote(parts.query, safe=_SAFE_QUERY)
        return urlunsplit((scheme, netloc, path, query, ""))
    except ValueError:
        return None


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "unicode": "utf-8", "utf8": "utf-8", "big5": "big5hkscs"}


def _codec(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None  # not base64/uu/zlib


def sniff_encoding(body: bytes, content_type: str = "") -> str:
    """Encoding of an HTML payload: BOM, HTTP charset, <meta charset>, then charset-normalizer.

    GB2312/GBK labels are widened to GB18030 (a superset; sites often mislabel GBK as GB2312).
    A declared charset that does not decode the head of the page cleanly is not trusted.
    """
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = body[:4096]
    candidates = []
    m = _CT_CHARSET.search(content_type or "")
    if m:
        candidates.append(_codec(m.group(1)))
    m = _META_CHARSET.search(head)
    if m:
        candidates.append(_codec(m.group(1).decode("ascii", "ignore")))
    sample = body[:65536]
    for enc in candidates:
        if not enc:
            continue
        try:
            sample.decode(enc)
            return enc
        except LookupError:
            continue
        except UnicodeDecodeError as e:
            if e.start >= len(sample) - 4:  # cut in the middle of a character
                return enc
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None and best.encoding:
            return _codec(best.encoding) or "gb18030"
    except Exception:
        pass
    return "gb18030"


def decode_html(body: bytes, content_type: str = "") -> str:
    """Text of a page for link extraction, decoded the way ingest decodes (stored bytes stay raw)."""
    m = _CT_CHARSET.search(content_type or "")
    try:
        from .detect import declared_charset, decode

        declared = (m.group(1) if m else None) or declared_charset(body)
        return decode(body, declared)[0]
    except Exception:  # ingest's decoder missing or failing: our own sniffing
        return body.decode(sniff_encoding(body, content_type), errors="replace")


def _date_from(patterns: Sequence[re.Pattern], text: str) -> Optional[str]:
    for p in patterns:
        for m in p.finditer(text):
            try:
                return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            except (ValueError, IndexError):
                continue
    return None


# ---------------------------------------------------------------------------
# link discovery


_INDEX_PAGE = re.compile(r"(?:^|/)(?P<name>index|list|default)(?:_\d+)?\.(?P<ext>s?html?)$", re.I)
_JS_VAR = "\\b{}\\s*=\\s*[\"']?(\\d+)"


def _js_int(token: str, text: str) -> Optional[int]:
    """A pager argument: a literal, or a variable assigned a number in the page (var countPage = 34)."""
    if token.isdigit():
        return min(int(token), 100000)
    m = re.search(_JS_VAR.format(re.escape(token)), text)
    return min(int(m.group(1)), 100000) if m else None


@dataclass
class Link:
    url: str
    kind: str  # list | notice | attachment
    date: Optional[str] = None
    pager: bool = False  # pagination of the same list (same depth)
    title: Optional[str] = None


_HTMLISH = re.compile(rb"<(?:!doctype|html|head|body|a\s)", re.I)


def _looks_html(body: bytes, content_type: str) -> bool:
    ct = (content_type or "").lower()
    if "html" in ct or "xml" in ct:
        return True
    if ct and not ct.startswith("text/"):
        return False
    return bool(_HTMLISH.search(body[:2048]))


def discover(body: bytes, content_type: str, page_url: str, page_kind: str,
             profile: Optional[Profile] = None) -> list[Link]:
    """Links worth following from a fetched page, classified (never raises).

    From a list page: notices, attachments, pagination and other list pages; from a
    notice: its attachments only.
    """
    try:
        return _discover(body, content_type, page_url, page_kind, profile or load_profile(None))
    except Exception:
        return []


def _soup(markup: str):
    from bs4 import BeautifulSoup

    if len(markup) > 512:
        return BeautifulSoup(markup, "lxml")
    import warnings

    with warnings.catch_warnings():  # bs4 warns when short markup looks like a file name or URL
        warnings.simplefilter("ignore")
        return BeautifulSoup(markup, "lxml")


def _discover(body: bytes, content_type: str, page_url: str, page_kind: str, prof: Profile) -> list[Link]:

    if page_kind not in ("list", "notice") or not _looks_html(body, content_type):
        return []
    text = decode_html(body, content_type)
    soup = _soup(text)
    base = page_url
    b = soup.find("base", href=True)
    if b is not None:
        base = normalize_url(b["href"], page_url) or page_url
    docs = [soup]
    for s in soup.find_all("script"):  # Hanweb keeps list entries in <script type="text/xml"> CDATA
        st = s.string or ""
        if "href" in st and "<a" in st.lower():
            docs.append(_soup(st.replace("<![CDATA[", "").replace("]]>", "")))

    out: dict[str, Link] = {}

    def add(link: Link) -> None:
        old = out.get(link.url)
        if old is None or _PRIO[link.kind] < _PRIO[old.kind] or (link.date and not old.date):
            if old is not None and old.date and not link.date:
                link.date = old.date
            out[link.url] = link

    if page_kind == "notice":
        for d in docs:
            for a in d.find_all("a", href=True):
                u = normalize_url(a["href"], base)
                if u and prof.attach_re.search(u):
                    add(Link(u, "attachment", title=a.get_text(" ", strip=True) or None))
            # documents shown inline by a PDF viewer rather than linked
            for el in d.find_all(("iframe", "embed", "object")):
                src = el.get("src") or el.get("data") or ""
                if "file=" in src:  # pdf.js viewer: viewer.html?file=/a/b.pdf
                    src = src.split("file=", 1)[1].split("&", 1)[0]
                u = normalize_url(unquote(src), base) if src else None
                if u and prof.attach_re.search(u):
                    add(Link(u, "attachment", title=el.get("title") or None))
        return list(out.values())

    # list page: entries first (they carry dates)
    items: dict[str, tuple[Optional[str], str]] = {}
    undated: set[str] = set()
    for d in docs:
        for it in d.select(prof.item):
            a = it.select_one(prof.link)
            if a is None or not a.get("href"):
                continue
            u = normalize_url(a["href"], base)
            if not u or u in items:
                continue
            dt = None
            if prof.date_sel:
                for el in it.select(prof.date_sel):
                    dt = _date_from(prof.date_text, el.get_text(" ", strip=True))
                    if dt:
                        break
            text_it = it.get_text(" ", strip=True)[:200]
            if dt is None:
                dt = _date_from(prof.date_text, text_it)
            title = (a.get("title") or a.get_text(" ", strip=True) or "").strip()
            # "03-15" or "2024年3月" still marks a dated entry (the year may sit in a heading)
            dated = dt is not None or any(p.search(text_it) for p in prof.date_loose)
            items[u] = (dt, title) if dated else (None, title)
            if not dated:
                undated.add(u)

    page_dir = page_url.rsplit("/", 1)[0] + "/"
    page_path = urlsplit(page_url).path
    for d in docs:
        for a in d.find_all("a", href=True):
            href = a["href"]
            u = normalize_url(href, base)
            if not u or u == page_url:
                continue
            atext = a.get_text(" ", strip=True)
            if prof.attach_re.search(u):
                add(Link(u, "attachment", date=items.get(u, (None, ""))[0], title=atext or None))
                continue
            dt = items.get(u, (None, ""))[0] or _date_from(prof.date_url, u)
            if any(p.search(u) for p in prof.notice_url):
                add(Link(u, "notice", date=dt, title=items.get(u, (None, atext))[1] or atext or None))
                continue
            same_list = u.startswith(page_dir) or urlsplit(u).path == page_path
            if same_list and (any(p.search(u) for p in prof.page_url)
                              or (prof.page_text is not None and prof.page_text.match(atext)
                                  and any(p.search(u) for p in prof.list_url + prof.page_url))):
                add(Link(u, "list", pager=True))
                continue
            if u in items and (u not in undated or not prof.require_date) \
                    and not any(p.search(u) for p in prof.list_url):
                add(Link(u, "notice", date=dt, title=items[u][1] or atext or None))
                continue
            if any(p.search(u) for p in prof.list_url):
                add(Link(u, "list"))

    # createPageHTML(total, current, "index", "html") pagers write their links with JS; follow
    # the next page only, so a crawl pages back in order and `since` can stop it early
    pagers = 0
    for p in prof.page_script:
        for m in p.finditer(text):
            total, cur = _js_int(m.group("total"), text), _js_int(m.group("current"), text)
            if total is None or cur is None:
                continue
            pagers += 1
            if 0 <= cur < total - 1:
                u = normalize_url(prof.page_fmt.format(name=m.group("name"), n=cur + 1, ext=m.group("ext")), base)
                if u and u != page_url:
                    add(Link(u, "list", pager=True))
    if not pagers and prof.page_total_var is not None and prof.page_current_var is not None:
        mt, mc = prof.page_total_var.search(text), prof.page_current_var.search(text)
        path = urlsplit(page_url).path
        mp = _INDEX_PAGE.search(path)
        name, ext = (mp.group("name"), mp.group("ext")) if mp else ("index", "html") if path.endswith("/") else ("", "")
        if mt and mc and name:
            total, cur = int(mt.group("n")), int(mc.group("n"))
            if 0 <= cur < total - 1:
                u = normalize_url(prof.page_fmt.format(name=name, n=cur + 1, ext=ext), page_url)
                if u and u != page_url:
                    add(Link(u, "list", pager=True))
    return list(out.values())


# ---------------------------------------------------------------------------
# scheduling


@dataclass(order=False)
class Task:
    url: str
    kind: str
    depth: int = 0
    parent: Optional[str] = None
    via: Optional[str] = None
    date: Optional[str] = None
    seq: int = 0
    refresh: bool = False

    def key(self) -> tuple[float, int]:
        # revisited list pages first: a refresh is asked for to see what is new, now
        return (0.5 if self.refresh and self.kind == "list" else _PRIO.get(self.kind, 3), self.seq)


class _Scheduler:
    """Per-host queues; at most `per_host` requests in flight per host, `delay` s between them."""

    def __init__(self, delay: float, per_host: int, page_budget: Optional[int]) -> None:
        self.cv = threading.Condition()
        self.delay = delay
        self.per_host = max(1, per_host)
        self.host_delay: dict[str, float] = {}
        self.queues: dict[str, list[tuple[tuple[float, int], str, Task]]] = {}
        self.queued: dict[str, Task] = {}
        self.inflight: dict[str, Task] = {}
        self.busy: dict[str, int] = {}
        self.next_ok: dict[str, float] = {}
        self.page_budget = page_budget
        self.stopped = False
        self.active = 0  # tasks taken by workers and not finished

    def push(self, t: Task) -> None:
        with self.cv:
            if t.url in self.queued or t.url in self.inflight:
                return
            h = host_of(t.url)
            heapq.heappush(self.queues.setdefault(h, []), (t.key(), t.url, t))
            self.queued[t.url] = t
            self.cv.notify_all()

    def has(self, url: str) -> bool:
        with self.cv:
            return url in self.queued or url in self.inflight

    def _eligible(self, t: Task) -> bool:
        return t.kind in ("attachment", "robots") or self.page_budget is None or self.page_budget > 0

    def pop(self) -> Optional[Task]:
        with self.cv:
            while True:
                if self.stopped:
                    return None
                best = None
                for h, q in self.queues.items():
                    if q and self.busy.get(h, 0) < self.per_host and self._eligible(q[0][2]):
                        nk = self.next_ok.get(h, 0.0)
                        if best is None or nk < best[0]:
                            best = (nk, h)
                if best is not None:
                    h = best[1]
                    _, _, t = heapq.heappop(self.queues[h])
                    del self.queued[t.url]
                    self.inflight[t.url] = t
                    self.busy[h] = self.busy.get(h, 0) + 1
                    self.active += 1
                    if t.kind in ("list", "notice") and self.page_budget is not None:
                        self.page_budget -= 1
                    return t
                if not self.active:
                    return None  # nothing runnable and no worker that could add work
                self.cv.wait(0.5)

    def finish(self, t: Task, held: str) -> None:
        """The worker is done with `t`; a task it could not settle (stop, crash) stays in the frontier."""
        with self.cv:
            left = self.inflight.pop(t.url, None)
            if left is not None and left.url not in self.queued:
                heapq.heappush(self.queues.setdefault(host_of(left.url), []), (left.key(), left.url, left))
                self.queued[left.url] = left
            self.busy[held] = max(0, self.busy.get(held, 1) - 1)
            self.active -= 1
            self.cv.notify_all()

    def settle(self, t: Task, then: Optional[Task] = None) -> None:
        """The task's outcome is committed: it leaves the frontier (or continues as `then`)."""
        with self.cv:
            self.inflight.pop(t.url, None)
            if then is not None:
                self.inflight[then.url] = then

    def switch(self, held: str, host: str) -> str:
        """Move this worker's host slot from `held` to `host` (for cross-host redirects)."""
        if held == host:
            return held
        with self.cv:
            self.busy[held] = max(0, self.busy.get(held, 1) - 1)
            self.cv.notify_all()
            while self.busy.get(host, 0) >= self.per_host and not self.stopped:
                self.cv.wait(0.5)
            self.busy[host] = self.busy.get(host, 0) + 1
        return host

    def wait_turn(self, host: str) -> None:
        """Sleep until this host may be asked again (the slot is already held)."""
        while True:
            with self.cv:
                wait = self.next_ok.get(host, 0.0) - time.monotonic()
                if wait <= 0 or self.stopped:
                    # one at a time: the delay runs from the end of the previous response
                    self.next_ok[host] = float("inf") if self.per_host == 1 else time.monotonic() + self.delay
                    return
            time.sleep(min(wait, 0.5))

    def done_request(self, host: str) -> None:
        with self.cv:
            self.next_ok[host] = time.monotonic() + self.host_delay.get(host, self.delay)
            self.cv.notify_all()

    def snapshot(self) -> list[Task]:
        with self.cv:
            tasks = list(self.inflight.values()) + list(self.queued.values())
        return sorted(tasks, key=lambda t: t.seq)


# ---------------------------------------------------------------------------
# fetching


@dataclass
class Hop:
    url: str
    status: Optional[int] = None
    reason: str = ""
    headers: list = field(default_factory=list)
    body: bytes = b""
    fetched_at: str = ""
    truncated: bool = False
    error: Optional[str] = None
    location: Optional[str] = None
    attempts: int = 0
    elapsed_ms: int = 0
    ip: Optional[str] = None
    request: Optional[tuple[str, list]] = None

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def content_type(self) -> str:
        return self.header("content-type") or ""


class _Crawler:
    def __init__(self, out_dir: Path, starts: list[str], profile: Profile, *, allow, deny,
                 allow_hosts, max_pages, max_depth, since, refresh, delay, per_host, workers,
                 max_bytes, timeout, max_time, retries, backoff, max_redirects, user_agent,
                 trust_env, retry_failed, obey_robots, verify, on_fetch=None) -> None:
        self.on_fetch = on_fetch
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock_fh = _lock_dir(self.out)
        self.verify = verify
        self.prof = profile
        self.allow = re.compile(allow) if allow else None
        self.deny = re.compile(deny) if deny else None
        self.max_depth = max_depth
        self.since = since
        self.refresh = refresh
        self.workers = max(1, workers)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_time = max_time
        self.retries = retries
        self.backoff = backoff
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.trust_env = trust_env
        self.obey_robots = obey_robots
        self.lock = threading.RLock()
        self.robots: dict[str, Robots] = {}
        self.robots_locks: dict[str, threading.Lock] = {}
        self.seen: set[str] = set()
        self.done: dict[str, str] = {}  # url -> outcome ("ok", "error", "skip")
        # list url -> [sha256, fetched_at, etag, last_modified] of its last 200 response
        self.list_digests: dict[str, list] = {}
        self.refreshed: set[str] = set()  # list pages revisited in the current refresh pass
        self.pages_done = 0
        self.seq = 0
        self.stats = {"fetched": 0, "lists": 0, "notices": 0, "attachments": 0, "errors": 0,
                      "robots_skipped": 0, "since_skipped": 0, "redirects": 0, "bytes": 0}
        self.starts = [u for u in (normalize_url(s) for s in starts) if u]
        self.hosts = {host_of(u) for u in self.starts} | set(profile.hosts) | {h.lower() for h in allow_hosts}
        self.suffixes = {h.split(":")[0][4:] if h.startswith("www.") else h.split(":")[0] for h in self.hosts}
        self.state_path = self.out / STATE_NAME
        self.index_path = self.out / INDEX_NAME
        self.warc_path = self.out / WARC_NAME
        self._last_save = 0.0
        self._save_cost = 0.0
        self._load_state(retry_failed)
        page_budget = None if max_pages is None else max(0, max_pages - self.pages_done)
        if refresh and max_pages is not None:
            page_budget = max_pages  # a refresh is a new pass: its own page budget
        self.sched = _Scheduler(delay, per_host, page_budget)
        for h, r in self.robots.items():
            d = r.crawl_delay()
            if d is not None:
                self.sched.host_delay[h] = max(delay, min(d, 60.0))
        self.warc = WarcStore(self.warc_path, {"software": user_agent, "format": "WARC File Format 1.0",
                                               "description": "policyminer crawl", "isPartOf": self.out.name})
        self.index = open(self.index_path, "ab")
        for t in self._pending:
            self.sched.push(t)
        for u in self.starts:
            if u not in self.seen:
                self._enqueue(Task(u, "list", 0))
            elif self.refresh:
                self._refresh(Task(u, "list", 0, refresh=True))
        self._save_state(force=True)

    # -- state ------------------------------------------------------------
    def _load_state(self, retry_failed: bool) -> None:
        self._pending: list[Task] = []
        if self.state_path.exists():
            try:
                st = json.loads(self.state_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                st = None
            if st and st.get("version") == _STATE_VERSION:
                for p, key in ((self.warc_path, "warc_offset"), (self.index_path, "index_offset")):
                    off = int(st.get(key, 0))
                    if p.exists() and p.stat().st_size > off:
                        with open(p, "r+b") as fh:  # drop what was written after the last commit
                            fh.truncate(off)
                self.seen = set(st.get("seen", []))
                self.done = dict(st.get("done", {}))
                self.list_digests = dict(st.get("list_digests", {}))
                if not self.refresh:  # a new --refresh starts a new pass
                    self.refreshed = set(st.get("refreshed", []))
                self.pages_done = int(st.get("pages_done", 0))
                self.seq = int(st.get("seq", 0))
                self.robots = {h: Robots.from_state(r) for h, r in st.get("robots", {}).items()}
                self._pending = [t for t in (Task(**d) for d in st.get("frontier", []))
                                 if t.refresh or t.url not in self.done]
                if retry_failed:
                    for rec in self._iter_index():
                        if rec.get("error") and rec.get("url") in self.done and rec.get("kind") != "robots" \
                                and self.done.get(rec["url"]) == "error":
                            self.done.pop(rec["url"])
                            self._pending.append(Task(rec["url"], rec.get("kind", "notice"),
                                                      rec.get("depth", 1), rec.get("parent"), rec.get("via"),
                                                      rec.get("date"), self._next_seq()))
                return
        if self.warc_path.exists() and self.warc_path.stat().st_size > 0:
            # no usable state but an archive: keep what is archived, rediscover from the start pages
            good = valid_length(self.warc_path)
            if good < self.warc_path.stat().st_size:
                with open(self.warc_path, "r+b") as fh:
                    fh.truncate(good)
            for r in iter_responses(self.warc_path):
                self.seen.add(r.uri)
                self.done[r.uri] = "ok"
                if r.kind == "robots" and r.status:
                    self.robots[host_of(r.uri)] = Robots(r.content.decode("utf-8", "replace"), r.status)
            if self.index_path.exists():  # failures and robots skips are only in the index
                data = self.index_path.read_bytes()
                if data and not data.endswith(b"\n"):
                    with open(self.index_path, "r+b") as fh:
                        fh.truncate(data.rfind(b"\n") + 1)
                for rec in self._iter_index():
                    u = rec.get("url")
                    if isinstance(u, str) and u not in self.done:
                        self.seen.add(u)
                        self.done[u] = "error" if rec.get("error") else "ok"
            self.refresh = True

    def _iter_index(self) -> Iterator[dict]:
        try:
            with open(self.index_path, "rb") as fh:
                for line in fh:
                    try:
                        yield json.loads(line)
                    except ValueError:
                        continue
        except OSError:
            return

    def _save_state(self, force: bool = False) -> None:
        """Atomic snapshot (write temp, fsync, rename); throttled so it costs <= ~5% of the time."""
        now = time.monotonic()
        if not force and now - self._last_save < 20 * self._save_cost:
            return
        with self.lock:
            st = {
                "version": _STATE_VERSION,
                "warc_offset": self.warc.offset,
                "index_offset": self.index.tell(),
                "starts": self.starts,
                "profile": self.prof.name,
                "pages_done": self.pages_done,
                "seq": self.seq,
                "seen": sorted(self.seen),
                "done": self.done,
                "list_digests": self.list_digests,
                "refreshed": sorted(self.refreshed),
                "robots": {h: r.to_state() for h, r in self.robots.items() if not r.unavailable},
                "frontier": [asdict(t) for t in self.sched.snapshot()],
            }
            tmp = self.state_path.with_suffix(".json.tmp")
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(st, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.state_path)
            try:
                dfd = os.open(self.out, os.O_RDONLY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)
            except OSError:
                pass
        self._last_save = time.monotonic()
        self._save_cost = self._last_save - now

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # -- policy -----------------------------------------------------------
    def host_allowed(self, url: str) -> bool:
        h = host_of(url)
        if h in self.hosts:
            return True
        bare = h.split(":")[0]
        return any(bare == s or bare.endswith("." + s) for s in self.suffixes)

    def url_allowed(self, url: str, kind: str) -> bool:
        if not self.host_allowed(url):
            return False
        if self.deny is not None and self.deny.search(url):
            return False
        if self.allow is not None and kind != "attachment" and url not in self.starts \
                and not self.allow.search(url):
            return False
        return True

    def _enqueue(self, t: Task, force: bool = False) -> bool:
        with self.lock:
            if not force and t.url in self.seen:
                return False
            self.seen.add(t.url)
            if not t.seq:
                t.seq = self._next_seq()
        self.sched.push(t)
        return True

    # -- HTTP ---------------------------------------------------------------
    def _robots_for(self, client, url: str) -> Robots:
        h = host_of(url)
        with self.lock:
            lk = self.robots_locks.setdefault(h, threading.Lock())
        with lk:
            r = self.robots.get(h)
            if r is not None:
                return r
            parts = urlsplit(url)
            rurl = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
            hop = self._fetch(client, rurl, h)
            hops = [hop]
            while hop.status in _REDIRECTS and hop.location and len(hops) <= 5:  # RFC 9309: follow >= 5
                nxt = normalize_url(hop.location, hop.url)
                if not nxt or host_of(nxt) != h or any(x.url == nxt for x in hops):
                    break
                hop = self._fetch(client, nxt, h)
                hops.append(hop)
            if hop.status is None:
                r = Robots(None, 0)
            elif hop.status in _REDIRECTS:
                r = Robots(None, 404)
            else:
                text = hop.body.decode("utf-8", errors="replace") if hop.status == 200 else None
                r = Robots(text, hop.status)
            d = r.crawl_delay()
            if d is not None:
                with self.sched.cv:
                    self.sched.host_delay[h] = max(self.sched.delay, min(d, 60.0))
            with self.lock:  # rules and their archive records land in the same state snapshot
                self.robots[h] = r
                self.seen.add(rurl)
                for x in hops:
                    self._commit_hop(x, Task(rurl, "robots"), "robots")
            return r

    def _fetch(self, client, url: str, host: str, headers: Optional[dict] = None) -> Hop:
        """One URL, no redirects followed, with retries for 5xx/429/timeouts and caps on size and time."""
        import httpx

        hop = Hop(url)
        for attempt in range(self.retries + 1):
            hop = Hop(url, attempts=attempt + 1)
            self.sched.wait_turn(host)
            t0 = time.monotonic()
            hop.fetched_at = utc_now()
            retry_after = None
            try:
                with client.stream("GET", url, headers=headers) as resp:
                    hop.status = resp.status_code
                    hop.reason = resp.reason_phrase or ""
                    hop.headers = list(resp.headers.multi_items())
                    hop.location = resp.headers.get("location")
                    rq = resp.request
                    target = rq.url.raw_path.decode("ascii", "replace") or "/"
                    hop.request = (f"{rq.method} {target} HTTP/1.1", list(rq.headers.multi_items()))
                    try:
                        ns = resp.extensions.get("network_stream")
                        addr = ns.get_extra_info("server_addr") if ns is not None else None
                        hop.ip = addr[0] if addr else None
                    except Exception:
                        hop.ip = None
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > self.max_bytes:
                            hop.truncated = True
                            hop.error = f"size cap exceeded ({self.max_bytes} bytes)"
                            break
                        if time.monotonic() - t0 > self.max_time:
                            raise httpx.ReadTimeout(f"time cap exceeded ({self.max_time:g} s)")
                    hop.body = b"".join(chunks)[: self.max_bytes]
                    ra = resp.headers.get("retry-after")
                    if ra and ra.strip().isdigit():
                        retry_after = min(float(ra), 60.0)
            except httpx.TimeoutException as e:
                hop.status, hop.error = None, f"timeout: {e}" if str(e) else "timeout"
            except httpx.HTTPError as e:
                hop.status, hop.error = None, f"{type(e).__name__}: {e}"
            except Exception as e:  # never let one URL kill the crawl
                hop.status, hop.error = None, f"{type(e).__name__}: {e}"
            finally:
                hop.elapsed_ms = int((time.monotonic() - t0) * 1000)
                self.sched.done_request(host)
            retryable = hop.status is None or hop.status >= 500 or hop.status == 429
            if not retryable or attempt >= self.retries:
                break
            pause = retry_after if retry_after is not None else self.backoff * (2 ** attempt)
            time.sleep(pause)
        if hop.status is not None and hop.status >= 400 and not hop.error:
            hop.error = f"HTTP {hop.status}"
        return hop

    # -- one task -------------------------------------------------------------
    def process(self, client, task: Task) -> None:
        ctx = {"task": task, "held": host_of(task.url)}
        try:
            self._process(client, task, ctx)
        finally:
            self.sched.finish(ctx["task"], ctx["held"])

    def _process(self, client, task: Task, ctx: dict) -> None:
        url = task.url
        chain = [url]
        cur = task
        while True:
            if self.sched.stopped:
                return
            host = host_of(url)
            if host != ctx["held"]:
                ctx["held"] = self.sched.switch(ctx["held"], host)
            robots = self._robots_for(client, url) if self.obey_robots else None
            if robots is not None and not robots.allowed(url):
                if robots.unavailable:
                    self._commit_skip(url, cur, f"robots.txt unavailable ({robots.status or 'no answer'}): "
                                                "host treated as disallowed", failed=True)
                else:
                    self._commit_skip(url, cur, "robots.txt disallows")
                return
            cond = None
            if cur.refresh and cur.kind == "list":  # conditional GET: a 304 costs the server nothing
                prev = self.list_digests.get(url) or []
                cond = {k: v for k, v in (("If-None-Match", prev[2] if len(prev) > 2 else None),
                                          ("If-Modified-Since", prev[3] if len(prev) > 3 else None)) if v}
            hop = self._fetch(client, url, host, cond or None)
            if hop.status in _REDIRECTS and hop.location:
                target = normalize_url(hop.location, url)
                if target is None:
                    hop.error = f"bad redirect location {hop.location!r}"
                elif target in chain:
                    hop.error = "redirect loop"
                elif len(chain) > self.max_redirects:
                    hop.error = "too many redirects"
                elif not self.url_allowed(target, task.kind):
                    hop.error = f"redirect off the allowed hosts/patterns: {target}"
                else:
                    nxt = Task(target, cur.kind, cur.depth, cur.parent, cur.via, cur.date, cur.seq, cur.refresh)
                    with self.lock:  # claim the target and commit the hop in one snapshot
                        known = target in self.seen
                        if known and cur.refresh and cur.kind == "list" and target not in self.refreshed \
                                and self.done.get(target) is not None and not self.sched.has(target):
                            known = False  # a refreshed list page that moved (http -> https): revisit it
                            self.refreshed.add(target)
                        self.stats["redirects"] += 1
                        if known:  # the target is archived or queued under its own name
                            self._commit_hop(hop, cur, task.kind, settle=True)
                            return
                        self.seen.add(target)
                        self._commit_hop(hop, cur, task.kind, settle=True, then=nxt)
                    chain.append(target)
                    url, cur = target, nxt
                    ctx["task"] = cur
                    continue
            self._commit_hop(hop, cur, task.kind, final=True, settle=True)
            return

    # -- commit (single writer) ----------------------------------------------
    def _index_line(self, rec: dict) -> None:
        self.index.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        self.index.flush()
        os.fsync(self.index.fileno())
        if self.on_fetch is not None:
            try:
                self.on_fetch(rec)
            except Exception:  # a progress printer must not stop the crawl
                pass

    def _commit_skip(self, url: str, task: Task, why: str, failed: bool = False) -> None:
        with self.lock:
            self._index_line({"url": url, "status": None, "content_type": None, "sha256": None, "size": 0,
                              "fetched_at": utc_now(), "kind": task.kind, "parent": task.parent,
                              "via": task.via, "depth": task.depth, "date": task.date, "error": why})
            self.done[url] = "error" if failed else "skip"
            self.stats["errors" if failed else "robots_skipped"] += 1
            if task.kind in ("list", "notice"):
                self.pages_done += 1
            self.sched.settle(task)
            self._save_state()

    def _commit_hop(self, hop: Hop, task: Task, kind: str, final: bool = False, settle: bool = False,
                    then: Optional[Task] = None) -> None:
        links: list[Link] = []
        ok = hop.status is not None and 200 <= hop.status < 300
        if final and ok and not hop.truncated and kind in ("list", "notice"):
            links = discover(hop.body, hop.content_type, hop.url, kind, self.prof)
        sha = hashlib.sha256(hop.body).hexdigest() if hop.status is not None else None
        with self.lock:
            revisit = None
            if kind == "list" and ok and sha is not None:
                prev = self.list_digests.get(hop.url)
                if prev and prev[0] == sha:
                    revisit = (hop.url, prev[1])
                else:
                    if any(v[0] == sha for u, v in self.list_digests.items() if u != hop.url):
                        links = []  # the same page under another URL (a pager running past its end)
                    self.list_digests[hop.url] = [sha, hop.fetched_at, hop.header("etag"),
                                                  hop.header("last-modified")]
            if hop.status is not None:
                self.warc.write_response(
                    hop.url, hop.status, hop.reason, hop.headers, hop.body, fetched_at=hop.fetched_at,
                    kind=kind, parent=task.parent if kind == "attachment" else None, via=task.via,
                    truncated=hop.truncated, ip=hop.ip, revisit_of=revisit, request=hop.request)
            rec = {"url": hop.url, "status": hop.status, "content_type": hop.content_type or None,
                   "sha256": sha, "size": len(hop.body), "fetched_at": hop.fetched_at, "kind": kind,
                   "parent": task.parent if kind == "attachment" else None, "via": task.via,
                   "depth": task.depth, "date": task.date, "error": hop.error}
            if hop.location and hop.status in _REDIRECTS:
                rec["location"] = hop.location
            if hop.truncated:
                rec["truncated"] = True
            if hop.attempts > 1:
                rec["attempts"] = hop.attempts
            if task.refresh:
                rec["refresh"] = True
            if revisit:
                rec["revisit"] = True
            self._index_line(rec)
            self.done[hop.url] = "error" if hop.error else "ok"
            if kind != "robots":
                self.stats["fetched"] += 1
                self.stats["bytes"] += len(hop.body)
                if kind in ("list", "notice") and settle and then is None:
                    self.pages_done += 1
                if hop.error:
                    self.stats["errors"] += 1
                elif final and ok:
                    self.stats[{"list": "lists", "notice": "notices", "attachment": "attachments"}[kind]] += 1
            if links:
                self._follow(links, hop.url, task)
            if settle:
                self.sched.settle(task, then)
            self._save_state()

    def _follow(self, links: list[Link], page_url: str, task: Task) -> None:
        if task.kind == "notice":
            for ln in links:
                if ln.kind == "attachment" and self.url_allowed(ln.url, "attachment"):
                    self._enqueue(Task(ln.url, "attachment", task.depth + 1, parent=page_url, via=page_url))
            return
        dated = [ln for ln in links if ln.kind == "notice" and ln.date]
        all_old = bool(dated) and self.since is not None and all(ln.date < self.since for ln in dated)
        new_notices = 0
        for ln in links:
            if not self.url_allowed(ln.url, ln.kind):
                continue
            if ln.kind == "notice" or ln.kind == "attachment":
                if task.depth + 1 > self.max_depth:
                    continue
                if self.since is not None and ln.date and ln.date < self.since:
                    self.stats["since_skipped"] += 1
                    continue
                if self._enqueue(Task(ln.url, ln.kind, task.depth + 1, parent=None, via=page_url, date=ln.date)):
                    new_notices += 1
        for ln in links:
            if ln.kind != "list" or not self.url_allowed(ln.url, "list"):
                continue
            if ln.pager:
                if all_old:
                    continue  # lists are newest first: older pages hold nothing new
                if task.refresh:
                    if new_notices:  # keep walking back while pages still show new entries
                        self._refresh(Task(ln.url, "list", task.depth, via=page_url, refresh=True))
                    elif ln.url not in self.seen:
                        self._enqueue(Task(ln.url, "list", task.depth, via=page_url))
                else:
                    self._enqueue(Task(ln.url, "list", task.depth, via=page_url))
            elif task.depth + 2 <= self.max_depth:
                if task.refresh:  # sub-columns get their first page revisited too
                    self._refresh(Task(ln.url, "list", task.depth + 1, via=page_url, refresh=True))
                else:
                    self._enqueue(Task(ln.url, "list", task.depth + 1, via=page_url))

    def _refresh(self, t: Task) -> None:
        """Queue a list page for a revisit, once per refresh pass."""
        with self.lock:
            if t.url in self.refreshed:
                return
            self.refreshed.add(t.url)
        self._enqueue(t, force=True)

    # -- run -------------------------------------------------------------------
    def run(self) -> dict:
        import httpx

        t0 = time.monotonic()
        client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                     "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            follow_redirects=False, trust_env=self.trust_env, verify=self.verify,
            limits=httpx.Limits(max_connections=self.workers * 2, max_keepalive_connections=self.workers))
        errors: list[BaseException] = []

        def worker() -> None:
            while True:
                t = self.sched.pop()
                if t is None:
                    return
                try:
                    self.process(client, t)
                except BaseException as e:  # a bug in one task must not lose the state
                    errors.append(e)
                    self.sched.stopped = True
                    with self.sched.cv:
                        self.sched.cv.notify_all()
                    return

        threads = [threading.Thread(target=worker, name=f"crawl-{i}", daemon=True) for i in range(self.workers)]
        try:
            for th in threads:
                th.start()
            for th in threads:
                while th.is_alive():
                    th.join(0.5)
        except KeyboardInterrupt:
            self.sched.stopped = True
            for th in threads:
                th.join(self.timeout + 1)
        finally:
            client.close()
            self._save_state(force=True)
            self.warc.close()
            self.index.close()
            self._lock_fh.close()
        left = len(self.sched.snapshot())
        summary = {
            "out": str(self.out), "warc": str(self.warc_path), "index": str(self.index_path),
            "profile": self.prof.name, **self.stats, "pages_total": self.pages_done,
            "archived": sum(1 for v in self.done.values() if v == "ok"),
            "frontier": left, "complete": left == 0,
            "elapsed_s": round(time.monotonic() - t0, 2),
        }
        if errors:
            summary["crash"] = repr(errors[0])
        return summary


def crawl(
    starts: Sequence[str] | str,
    out_dir: Path | str,
    site: Optional[str] = None,
    allow: Optional[str] = None,
    deny: Optional[str] = None,
    max_pages: Optional[int] = 1000,
    max_depth: int = 1,
    since: Optional[str | date] = None,
    refresh: bool = False,
    delay: float = 1.0,
    *,
    allow_hosts: Sequence[str] = (),
    per_host: int = 1,
    workers: int = 4,
    max_bytes: int = 50 * 1024 * 1024,
    timeout: float = 30.0,
    max_time: float = 120.0,
    retries: int = 3,
    backoff: float = 2.0,
    max_redirects: int = 5,
    user_agent: str = USER_AGENT,
    trust_env: bool = True,
    retry_failed: bool = False,
    obey_robots: bool = True,
    verify: bool = True,
    on_fetch: Optional[Callable[[dict], None]] = None,
) -> dict:
    """Crawl notice lists into ``out_dir`` (crawl.warc.gz, crawl.jsonl, state.json); return a summary.

    Rerunning on the same ``out_dir`` resumes: the frontier continues, archived URLs are not
    fetched again, failed ones only with ``retry_failed``. ``refresh`` refetches the start
    list pages (and their next pages while they show new entries) to pick up new notices.
    ``since`` (YYYY-MM-DD) skips list entries dated before it and stops paging back past them.
    ``on_fetch`` is called with each crawl.jsonl record as it is written (progress display).
    """
    prof = load_profile(site)
    if isinstance(starts, str):
        starts = [starts]
    starts = list(starts) or list(prof.start)
    if not starts:
        raise ValueError("no start URL (give --start or a profile with start URLs)")
    since_s = None
    if since:
        since_s = since.isoformat() if isinstance(since, date) else _parse_since(str(since))
    c = _Crawler(Path(out_dir), starts, prof, allow=allow, deny=deny, allow_hosts=allow_hosts,
                 max_pages=max_pages, max_depth=max_depth, since=since_s, refresh=refresh, delay=delay,
                 per_host=per_host, workers=workers, max_bytes=max_bytes, timeout=timeout, max_time=max_time,
                 retries=retries, backoff=backoff, max_redirects=max_redirects, user_agent=user_agent,
                 trust_env=trust_env, retry_failed=retry_failed, obey_robots=obey_robots, verify=verify,
                 on_fetch=on_fetch)
    return c.run()


def _lock_dir(out: Path):
    """One crawl per folder: an exclusive lock the OS drops when the process dies (even on SIGKILL)."""
    fh = open(out / "crawl.lock", "a+")
    try:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # not POSIX: no lock
        pass
    except OSError:
        fh.close()
        raise ValueError(f"another crawl is running on {out}") from None
    return fh


def _parse_since(s: str) -> str:
    m = re.match(r"^\s*(\d{4})[-./年]?(\d{1,2})[-./月]?(\d{1,2})", s)
    if not m:
        raise ValueError(f"--since wants YYYY-MM-DD, got {s!r}")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()


def read_index(out_dir: Path | str) -> list[dict[str, Any]]:
    """The crawl.jsonl lines of a crawl directory (skipping torn lines)."""
    out = []
    try:
        with open(Path(out_dir) / INDEX_NAME, "rb") as fh:
            for line in fh:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
    except OSError:
        pass
    return out

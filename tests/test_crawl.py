"""Crawler against a recorded mini government site served on 127.0.0.1 (nothing leaves the machine)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings, strategies as st

from policyminer.ingest.crawl import (USER_AGENT, _discover, crawl, decode_html, discover, list_profiles,
                                      load_profile, normalize_url, read_index, sniff_encoding)
from policyminer.ingest.robots import Robots
from policyminer.ingest.warc import iter_responses, iter_warc

SITE = Path(__file__).parent / "fixtures" / "site"
DELAY = 0.2
FAST = dict(site="trs_wcm", delay=DELAY, timeout=0.5, max_time=2.0, retries=1, backoff=0.05,
            max_bytes=1_000_000, trust_env=False, workers=2)

FLAKY = "/tzgg/202402/t20240220_1004.html"
LOOP_A, LOOP_B = "/redirect/t20240108_loop.html", "/redirect/loop2.html"
MOVED, MOVED_TO = "/old/t20240104_1010.html", "/tzgg/202401/t20240104_1010.html"
SLOW, HUGE = "/slow/t20231201_1007.html", "/huge/t20231120_1008.html"
GONE = "/tzgg/202311/t20231110_1009.html"
AWAY = "/away/t20240106_1013.html"  # redirects off the site
NEW_ENTRY = '<li><a href="./202403/t20240320_1012.html">新通知</a><span>2024-03-20</span></li>'
NOTICES_OK = ["/tzgg/202403/t20240315_1001.html", "/tzgg/202403/t20240310_1002.html", FLAKY,
              "/tzgg/202401/t20240110_1005.html", MOVED_TO, "/tzgg/202310/t20231001_1011.html"]
PDFS = ["/tzgg/202403/P020240315001.pdf", "/tzgg/202403/P020240315002.pdf"]
LISTS = ["/tzgg/index.html", "/tzgg/index_1.html", "/tzgg/index_2.html", "/tzgg/index_3.html"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html", headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        path = urlsplit(self.path).path
        with srv.lock:
            srv.log.append((time.monotonic(), path, self.headers.get("User-Agent")))
            srv.hostlog.append((time.monotonic(), self.headers.get("Host", "")))
            srv.hits[path] += 1
            n = srv.hits[path]
        try:
            if path == FLAKY and n == 1:
                return self._send(500, b"<h1>500 Internal Server Error</h1>")
            if path == LOOP_A:
                return self._send(302, b"", headers={"Location": LOOP_B})
            if path == LOOP_B:
                return self._send(302, b"", headers={"Location": LOOP_A})
            if path == "/moved-list/":
                return self._send(301, b"", headers={"Location": "/tzgg/index.html"})
            if path == AWAY:
                return self._send(302, b"", headers={"Location": "http://elsewhere.example/t.html"})
            if path == MOVED:
                return self._send(301, b"", headers={"Location": MOVED_TO})
            if path == SLOW:
                time.sleep(2.0)
                return self._send(200, b"<html><body>late</body></html>")
            if path == HUGE:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(3 * 1024 * 1024))
                self.end_headers()
                chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
                for _ in range(48):
                    self.wfile.write(chunk)
                return
            f = (srv.root / path.lstrip("/")).resolve()
            if path.endswith("/"):
                f = f / "index.html"
            if not f.is_file() or srv.root not in f.parents:
                return self._send(404, b"<h1>404</h1>")
            body = f.read_bytes()
            if path == "/tzgg/index.html" and srv.extra:
                body = body.replace(b'<ul class="list">\n', b'<ul class="list">\n' + srv.extra.encode() + b"\n")
            ctype = {".pdf": "application/pdf", ".txt": "text/plain"}.get(f.suffix, "text/html")
            if ctype == "text/html" and b"gb2312" not in body[:400]:
                ctype += "; charset=utf-8"
            if srv.etags:
                import hashlib

                etag = '"%s"' % hashlib.md5(body).hexdigest()
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", ctype, {"ETag": etag})
                return self._send(200, body, ctype, {"ETag": etag})
            return self._send(200, body, ctype)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.root = SITE.resolve()
    srv.log, srv.hostlog, srv.hits, srv.lock, srv.extra = [], [], Counter(), threading.Lock(), ""
    srv.etags = True
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield srv
    srv.shutdown()
    srv.server_close()


_BATCH = """
import json, sys
from policyminer.batch import extract_input
docs = extract_input(sys.argv[1])
json.dump([d if isinstance(d, dict) else repr(d) for d in docs], open(sys.argv[2], "w"), ensure_ascii=False)
"""


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    start = len(server.log)
    summary = crawl([server.base + "/tzgg/index.html"], out, **FAST)
    # `batch` on the archive runs alongside the other tests (its model imports take a while)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    batch = subprocess.Popen([sys.executable, "-c", _BATCH, str(out / "crawl.warc.gz"), str(out.parent / "docs.json")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield out, summary, server.log[start:], batch
    if batch.poll() is None:
        batch.kill()
        batch.wait()


def _archive(out: Path) -> list[tuple[str, int, str]]:
    import hashlib

    return [(r.uri, r.status, hashlib.sha256(r.content).hexdigest()) for r in iter_responses(out / "crawl.warc.gz")]


# -- the acceptance crawl ---------------------------------------------------------------------


def test_every_allowed_notice_exactly_once(clean, server):
    out, summary, log, _ = clean
    hits = Counter(p for _, p, _ in log)
    for p in NOTICES_OK + PDFS + LISTS + ["/robots.txt", MOVED]:
        assert hits[p] == (2 if p == FLAKY else 1), p  # the 500 is retried once and recovers
    assert hits["/private/t20240301_1003.html"] == 0  # robots.txt Disallow
    assert hits[GONE] == 1 and hits[SLOW] == 2  # no retry for a 404; one retry for a timeout
    assert hits["/zcwj/index.html"] == 0 and hits["/"] == 0  # menu links are not notices
    assert summary["complete"] and summary["notices"] == 6 and summary["attachments"] == 2
    assert all(ua == USER_AGENT for _, _, ua in log)


def test_delay_respected(clean):
    _, _, log, _ = clean
    times = [t for t, _, _ in log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 20 and min(gaps) >= DELAY * 0.95, min(gaps)


def test_failures_recorded(clean):
    out, summary, _, _ = clean
    idx = {}
    for rec in read_index(out):
        idx.setdefault(urlsplit(rec["url"]).path, []).append(rec)
    assert idx["/private/t20240301_1003.html"][0]["error"] == "robots.txt disallows"
    assert idx[GONE][0]["status"] == 404 and idx[GONE][0]["error"] == "HTTP 404"
    assert "redirect loop" in idx[LOOP_B][0]["error"] and idx[LOOP_A][0]["status"] == 302
    assert idx[SLOW][0]["status"] is None and idx[SLOW][0]["error"].startswith("timeout")
    assert idx[HUGE][0]["truncated"] and "size cap" in idx[HUGE][0]["error"]
    assert idx[FLAKY][0]["status"] == 200 and idx[FLAKY][0]["attempts"] == 2
    assert idx[MOVED][0]["status"] == 301 and idx[MOVED_TO][0]["status"] == 200
    assert idx[AWAY][0]["status"] == 302 and "off the allowed hosts" in idx[AWAY][0]["error"]
    assert summary["errors"] == 5  # 404, loop, slow, huge, off-site redirect
    assert all(len(v) == 1 for v in idx.values())  # one index line per URL


def test_warc_records_for_batch(clean, server):
    out, _, _, _ = clean
    recs = {urlsplit(r.uri).path: r for r in iter_warc(out / "crawl.warc.gz")}
    assert sorted(recs) == sorted(NOTICES_OK + PDFS)
    gbk = recs["/tzgg/202403/t20240310_1002.html"]
    assert gbk.content.decode("gbk").count("义务教育") >= 2 and gbk.content_type == "text/html"
    pdf = recs[PDFS[0]]
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.content_type == "application/pdf"
    assert pdf.parent == server.base + "/tzgg/202403/t20240315_1001.html"
    assert recs[NOTICES_OK[0]].parent is None and recs[NOTICES_OK[0]].fetched_at.endswith("Z")
    uri, content, ctype, fetched_at, parent = recs[PDFS[1]]  # plain 5-tuple for readers
    assert parent.endswith("t20240315_1001.html")
    # the truncated huge page is archived but not handed to batch
    assert any(r.truncated and r.uri.endswith(HUGE) for r in iter_responses(out / "crawl.warc.gz"))


def test_rerun_fetches_nothing(clean, server, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(clean[0], out)
    before, n = _archive(out), len(server.log)
    summary = crawl([server.base + "/tzgg/index.html"], out, **FAST)
    assert len(server.log) == n and summary["fetched"] == 0
    assert _archive(out) == before


def test_refresh_revisits_list_pages_only(clean, server, tmp_path):
    out = tmp_path / "refresh"
    shutil.copytree(clean[0], out)
    n = len(server.log)
    server.extra = NEW_ENTRY
    try:
        summary = crawl([server.base + "/tzgg/index.html"], out, refresh=True, **FAST)
    finally:
        server.extra = ""
    paths = [p for _, p, _ in server.log[n:]]
    # page 0 shows a new entry, so page 1 is checked too (revisits go first); page 1 is unchanged
    # (304): stop there
    assert paths == ["/tzgg/index.html", "/tzgg/index_1.html", "/tzgg/202403/t20240320_1012.html"]
    assert summary["notices"] == 0 and summary["errors"] == 1  # the new entry is a 404 in the fixture
    idx = [r for r in read_index(out) if r.get("refresh")]
    assert [(urlsplit(r["url"]).path, r["status"]) for r in idx] == [("/tzgg/index.html", 200),
                                                                     ("/tzgg/index_1.html", 304)]
    # a server without validators: the unchanged start page becomes a revisit record
    server.etags, server.extra = False, NEW_ENTRY
    try:
        crawl([server.base + "/tzgg/index.html"], out, refresh=True, **FAST)
    finally:
        server.etags, server.extra = True, ""
    kinds = [r.rec_type for r in iter_responses(out / "crawl.warc.gz") if r.uri.endswith("/tzgg/index.html")]
    assert kinds == ["response", "response", "revisit"]


def test_since_stops_paging(server, tmp_path):
    n = len(server.log)
    summary = crawl([server.base + "/tzgg/index.html"], tmp_path / "since", since="2024-01-01", **FAST)
    paths = {p for _, p, _ in server.log[n:]}
    assert "/tzgg/index_2.html" in paths and "/tzgg/index_3.html" not in paths
    assert not paths & {SLOW, HUGE, GONE, "/tzgg/202310/t20231001_1011.html"}
    assert summary["since_skipped"] == 3


_CHILD = """
import sys
from policyminer.ingest.crawl import crawl
crawl([sys.argv[1]], sys.argv[2], site="trs_wcm", delay=0.2, timeout=0.5, max_time=2.0, retries=1,
      backoff=0.05, max_bytes=1_000_000, trust_env=False, workers=2)
"""


def test_kill_and_resume_same_archive(clean, server, tmp_path):
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, server.base + "/tzgg/index.html", str(out)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if len(read_index(out)) >= 8:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "crawl ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(read_index(out)) < len(read_index(clean[0]))
    crawl([server.base + "/tzgg/index.html"], out, **FAST)
    got, want = _archive(out), _archive(clean[0])
    assert sorted(got) == sorted(want)
    uris = [u for u, _, _ in got]
    assert len(uris) == len(set(uris))  # no duplicates
    lines = [r["url"] for r in read_index(out)]
    assert len(lines) == len(set(lines)) == len(read_index(clean[0]))


# -- units -------------------------------------------------------------------------------------


def test_discover_trs_list_page():
    body = (SITE / "tzgg/index_1.html").read_bytes()
    base = "http://gov.example.cn/tzgg/index_1.html"
    links = {ln.url: ln for ln in discover(body, "text/html", base, "list", load_profile("trs_wcm"))}
    assert links["http://gov.example.cn/tzgg/index_2.html"].pager  # createPageHTML(4, 1, ...)
    assert not links["http://gov.example.cn/tzgg/index.html"].pager  # the menu link is a column, not a pager
    ln = links["http://gov.example.cn/tzgg/202401/t20240110_1005.html"]
    assert (ln.kind, ln.date) == ("notice", "2024-01-10") and "燃气" in ln.title
    assert links["http://gov.example.cn/redirect/t20240108_loop.html"].kind == "notice"  # a dated entry


@pytest.mark.parametrize("html, kinds", [
    ('<ul><li><a href="a/t20230102_9.html">x</a></li></ul>', {"a/t20230102_9.html": "notice"}),
    ('<ul><li><a href="doc1.html">通知</a><span>2023-05-06</span></li></ul>', {"doc1.html": "notice"}),
    ('<ul><li><a href="doc1.html">通知</a></li></ul>', {}),  # generic: undated entries are menus
    ('<ul><li><a href="doc1.html">通知</a><span>03-15</span></li></ul>', {"doc1.html": "notice"}),  # month-day
    ('<ul><li><a href="doc1.html">通知</a> 1.5万人次</li></ul>', {}),  # a number is no date
    ('<a href="f.pdf">附件</a><a href="g.XLSX?x=1">表</a>', {"f.pdf": "attachment", "g.XLSX?x=1": "attachment"}),
    ('<a href="index_3.html">4</a><a href="list.html?page=2">下一页</a>',
     {"index_3.html": "list", "list.html?page=2": "list"}),
    ('<script type="text/xml"><record><![CDATA[<li><a href="/art/2023/1/5/art_1_2.html">t</a>'
     '<span>2023-01-05</span></li>]]></record></script>', {"/art/2023/1/5/art_1_2.html": "notice"}),
    ('<a href="javascript:void(0)">x</a><a href="mailto:a@b.cn">m</a>', {}),
])
def test_discover_generic(html, kinds):
    base = "http://gov.example.cn/col/"
    got = {ln.url: ln.kind for ln in discover(html.encode(), "text/html", base + "index.html", "list")}
    want = {normalize_url(k, base + "index.html"): v for k, v in kinds.items()}
    assert got == want


@pytest.mark.parametrize("script, page, want", [
    ('createPageHTML(34, 0, "index", "html");', "index.html", "index_1.html"),
    ('createPageHTML(34, 5, "index", "shtml");', "index_5.shtml", "index_6.shtml"),
    ('createPageHTML(6, 5, "index", "html");', "index_5.html", None),  # last page
    ('var currentPage = 2;//所在页从0开始\nvar countPage = 34//共多少页\n'
     'createPageHTML(countPage, currentPage, "index", "htm");', "index_2.htm", "index_3.htm"),
    ('createPageHTML("page_div", 12, 1, "index", "html", 240);', "index_1.html", "index_2.html"),
    ("var currentPage = 0; var countPage = 7;", "", "index_1.html"),  # pager built by the site's own JS
    ("var currentPage = 7; var countPage = 7;", "index_6.html", None),
])
def test_script_pagers(script, page, want):
    html = f'<ul><li><a href="./202401/t20240101_1.html">x</a></li></ul><script>{script}</script>'.encode()
    base = "http://gov.example.cn/zwgk/zcwj/"
    got = [ln.url for ln in discover(html, "text/html", base + page, "list") if ln.pager]
    assert got == ([base + want] if want else [])


@pytest.mark.parametrize("html, want", [
    ('<iframe src="/u/cms/P0201.pdf" title="附件"></iframe>', "http://gov.example.cn/u/cms/P0201.pdf"),
    ('<iframe src="/pdfjs/web/viewer.html?file=%2Fu%2Fa%20b.pdf"></iframe>', "http://gov.example.cn/u/a%20b.pdf"),
    ('<embed src="files/t.doc">', "http://gov.example.cn/tzgg/files/t.doc"),
    ('<a href="/module/download/downfile.jsp?classid=0&filename=2401.xlsx">表</a>',
     "http://gov.example.cn/module/download/downfile.jsp?classid=0&filename=2401.xlsx"),
])
def test_notice_attachment_forms(html, want):
    links = discover(html.encode(), "text/html", "http://gov.example.cn/tzgg/t20240101_1.html", "notice")
    assert [(ln.url, ln.kind) for ln in links] == [(want, "attachment")]


def test_discover_notice_attachments_only():
    body = (SITE / "tzgg/202403/t20240315_1001.html").read_bytes()
    links = discover(body, "text/html", "http://gov.example.cn/tzgg/202403/t20240315_1001.html", "notice")
    assert [(ln.url.rsplit("/", 1)[1], ln.kind) for ln in links] == [
        ("P020240315001.pdf", "attachment"), ("P020240315002.pdf", "attachment")]


@pytest.mark.parametrize("body, ctype, want", [
    ("<meta charset=gb2312><p>通知公告</p>".encode("gbk"), "text/html", "gb18030"),
    ("<p>通知公告</p>".encode("utf-8"), "text/html; charset=UTF-8", "utf-8"),
    (b"\xef\xbb\xbf<p>x</p>", "", "utf-8"),
    ("<meta charset=utf-8><p>关于印发实施方案的通知，各乡镇人民政府</p>".encode("gbk"), "", "gb18030"),  # mislabelled
    (("<html><p>" + "关于做好二〇二四年春季森林防火工作的通知各乡镇人民政府县直各单位" * 20 + "</p>").encode("gbk"),
     "text/html", "gb18030"),
])
def test_sniff_encoding(body, ctype, want):
    assert sniff_encoding(body, ctype) == want


@pytest.mark.parametrize("url, base, want", [
    ("HTTP://WWW.Gov.CN:80/a/b.html#top", None, "http://www.gov.cn/a/b.html"),
    ("./202401/t1.html", "https://x.gov.cn/tzgg/index.html", "https://x.gov.cn/tzgg/202401/t1.html"),
    ("../a b.html", "http://x.gov.cn/tzgg/index.html", "http://x.gov.cn/a%20b.html"),
    (" ./附件1.pdf\n", "http://x.gov.cn/tzgg/", "http://x.gov.cn/tzgg/%E9%99%84%E4%BB%B61.pdf"),
    ("/a%20b.html?q=中", "http://x.gov.cn/", "http://x.gov.cn/a%20b.html?q=%E4%B8%AD"),
    ("javascript:void(0)", None, None),
    ("ftp://x.gov.cn/a", None, None),
    ("http://x.gov.cn:8080", None, "http://x.gov.cn:8080/"),
])
def test_normalize_url(url, base, want):
    assert normalize_url(url, base) == want


def test_robots_rules():
    r = Robots((SITE / "robots.txt").read_text(), 200)
    assert not r.allowed("http://x/private/a.html") and r.allowed("http://x/tzgg/index.html")
    assert not Robots(None, 503).allowed("http://x/a")  # RFC 9309: unreachable means disallow
    assert Robots(None, 404).allowed("http://x/a")


def test_shipped_profiles_load():
    names = list_profiles()
    assert {"generic", "trs_wcm", "ucap_jx", "hanweb"} <= set(names)
    for n in names:
        p = load_profile(n)
        assert p.notice_url and p.item


def test_ucap_profile_on_real_page():
    """corpora/dev d001 (wanzai.gov.cn) carries a ucap common_newslist block."""
    body = (Path(__file__).resolve().parents[1] / "corpora/dev/docs/d001.html").read_bytes()
    links = discover(body, "text/html", "http://www.wanzai.gov.cn/wzxrmzf/tjgb/index.shtml", "list",
                     load_profile("ucap_jx"))
    ln = {x.url: x for x in links}.get(
        "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml")
    assert ln is not None and ln.kind == "notice" and ln.date == "2023-07-12"


_TOKENS = list('<>/="\' abhrefliuspn.:_-0123456789通知年月日') + [
    "<a href=", "<li>", "</li>", "<span>", "createPageHTML(", ",", "<script>", "</script>", "<![CDATA[", "]]>",
    "<base href=", "index_", ".html", ".pdf", "2024-03-15", "javascript:", "http://", "//", "\x00", "\ud7ff",
    "charset=", "uu", "gbk", "utf-16", "<iframe src=", "file="]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=120).map("".join), st.binary(max_size=200))
def test_never_raises(text, raw):
    for kind in ("list", "notice"):
        _discover(text.encode("utf-8"), "text/html", "http://x.gov.cn/a/index.html", kind, load_profile(None))
    assert isinstance(sniff_encoding(raw, "text/html; charset=" + text[:10]), str)
    assert isinstance(decode_html(raw + text.encode("utf-8", "replace"), "text/html; charset=" + text[:10]), str)
    normalize_url(text, "http://x.gov.cn/")


def test_one_crawl_per_folder(tmp_path):
    from policyminer.ingest.crawl import _lock_dir

    held = _lock_dir(tmp_path)
    try:
        with pytest.raises(ValueError, match="another crawl"):
            crawl(["http://127.0.0.1:9/"], tmp_path, trust_env=False)
    finally:
        held.close()


def test_two_hosts_each_get_their_own_delay(server, tmp_path):
    """127.0.0.1 and localhost are two hosts to the crawler: fetched side by side, each paced on its own."""
    port = server.server_address[1]
    n = len(server.hostlog)
    crawl([f"http://127.0.0.1:{port}/tzgg/index.html", f"http://localhost:{port}/tzgg/index.html"],
          tmp_path / "two", max_pages=8, **FAST)
    log = server.hostlog[n:]
    per_host: dict[str, list[float]] = {}
    for t, host in log:
        per_host.setdefault(host.split(":")[0], []).append(t)
    assert set(per_host) == {"127.0.0.1", "localhost"}
    for times in per_host.values():
        assert min(b - a for a, b in zip(times, times[1:])) >= DELAY * 0.95
    cross = [b[0] - a[0] for a, b in zip(log, log[1:]) if a[1] != b[1]]
    assert min(cross) < DELAY * 0.9  # the two hosts do not wait for each other
    idx = read_index(tmp_path / "two")
    assert sum(1 for r in idx if r["kind"] in ("list", "notice")) == 8  # the page budget holds


def test_lost_state_rebuilt_from_archive(clean, server, tmp_path):
    """state.json gone and a torn record at the end: the archive is trimmed and trusted."""
    out = tmp_path / "lost"
    shutil.copytree(clean[0], out)
    (out / "state.json").unlink()
    with open(out / "crawl.warc.gz", "ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00torn")
    n = len(server.log)
    crawl([server.base + "/tzgg/index.html"], out, **FAST)
    assert [p for _, p, _ in server.log[n:]] == ["/tzgg/index.html"]  # a refresh pass: nothing new
    got = {urlsplit(r.uri).path for r in iter_warc(out / "crawl.warc.gz")}
    assert got == set(NOTICES_OK + PDFS)


def test_batch_reads_the_archive(clean):
    """Acceptance: `batch` on crawl.warc.gz gives schema-valid documents, attachments included."""
    import json as _json

    jsonschema = pytest.importorskip("jsonschema")
    out, batch = clean[0], clean[3]
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == 0, err.decode("utf-8", "replace")[-2000:]
    docs = _json.loads((out.parent / "docs.json").read_text("utf-8"))
    schema = _json.loads((Path(__file__).resolve().parents[1] / "spec/document.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    bad = [d for d in docs if not isinstance(d, dict) or list(validator.iter_errors(d))]
    assert not bad, bad[:2]
    by_path = {urlsplit(d["source"]["uri"]).path: d for d in docs}
    assert sorted(by_path) == sorted(NOTICES_OK + PDFS)
    assert by_path[PDFS[0]]["source"]["parent"].endswith("t20240315_1001.html")
    assert "义务教育" in (by_path["/tzgg/202403/t20240310_1002.html"]["meta"]["title"] or "")  # GBK page


@pytest.mark.parametrize("args, msg", [
    ([], "no start URL"),
    (["--start", "http://127.0.0.1:9/", "--site", "no_such_cms"], "unknown site profile"),
    (["--start", "http://127.0.0.1:9/", "--since", "last week"], "--since wants YYYY-MM-DD"),
])
def test_cli_crawl_errors(args, msg, tmp_path):
    from typer.testing import CliRunner

    from policyminer.cli import app

    res = CliRunner().invoke(app, ["crawl", "--out", str(tmp_path / "o"), *args])
    assert res.exit_code == 2 and msg in res.output


def test_retry_failed_refetches_failures_only(clean, server, tmp_path):
    out = tmp_path / "retry"
    shutil.copytree(clean[0], out)
    n = len(server.log)
    crawl([server.base + "/tzgg/index.html"], out, retry_failed=True, **FAST)
    again = Counter(p for _, p, _ in server.log[n:])
    assert again[GONE] == 1 and again[LOOP_B] == 1 and again[AWAY] == 1 and again[HUGE] == 1
    assert not again.keys() & set(NOTICES_OK + PDFS + LISTS + [MOVED, "/robots.txt"])


def test_refresh_follows_a_moved_start_page(server, tmp_path):
    out, n = tmp_path / "moved", len(server.log)
    crawl([server.base + "/moved-list/"], out, max_pages=2, **FAST)
    crawl([server.base + "/moved-list/"], out, max_pages=1, refresh=True, **FAST)
    paths = [p for _, p, _ in server.log[n:]]
    assert paths.count("/moved-list/") == 2 and paths.count("/tzgg/index.html") == 2

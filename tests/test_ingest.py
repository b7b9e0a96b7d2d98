"""Reading every format researchers meet, and clear one-line errors for bad input."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from policyminer.errors import IngestError
from policyminer.ingest import read, read_bytes
from policyminer.ingest.detect import decode, sniff_format
from policyminer.settings import Settings

from .conftest import DEV, GOVDOC, SEEDS

NOTICE = "关于做好复工复产工作的通知\n各县市区人民政府：\n一、4月底前完成企业走访3340家，办结率89.1%。\n"


def test_old_binary_doc_through_antiword_or_a_clear_error() -> None:
    import shutil

    if shutil.which("antiword") or shutil.which("soffice") or shutil.which("libreoffice"):
        doc = read(DEV / "docs" / "d009.doc")
        assert doc.format == "doc" and "公安机关录用人民警察体能测评标准" in doc.text
    else:  # the Makefile installs antiword where it can; without it the error says what to install
        with pytest.raises(IngestError, match="apt-get install antiword"):
            read(DEV / "docs" / "d009.doc")


@pytest.mark.parametrize("name,fmt", [
    ("d001.html", "html"), ("d006.pdf", "pdf"), ("d011.docx", "docx"),
    ("d012.csv", "csv"), ("d017.txt", "txt"),
])
def test_ingest_reads_each_dev_format(name: str, fmt: str) -> None:
    doc = read(DEV / "docs" / name)
    assert doc.format == fmt
    assert len(doc.text) > 200


def test_ingest_detects_format_from_content_not_extension(tmp_path: Path) -> None:
    pdf = tmp_path / "notice.dat"
    pdf.write_bytes(GOVDOC.read_bytes())
    assert read(pdf).format == "pdf"
    html = tmp_path / "page.txt"
    html.write_bytes((DEV / "docs" / "d004.html").read_bytes())
    assert read(html).format == "html"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.bin") == "doc"


def test_html_main_text_drops_furniture() -> None:
    doc = read(DEV / "docs" / "d004.html")
    assert doc.text.startswith("1-10月，全县固定资产投资完成246.79亿元")
    assert "ICP" not in doc.text and "打印" not in doc.text and "关闭" not in doc.text
    assert doc.hints["published"] == "2016-11-22"


def test_html_visible_date_beats_meta_pubdate() -> None:
    # d019's <meta PubDate> says 2022-04-24 (re-published); the page shows 发布日期 2017-05-15
    assert read(DEV / "docs" / "d019.html").hints["published"] == "2017-05-15"


def test_csv_rows_are_one_document_with_row_hints() -> None:
    doc = read(DEV / "docs" / "d012.csv")
    assert doc.hints["title"] == "2026年北京市政府工作报告"
    assert doc.hints["published"] == "2026-02-02"
    assert "下载" not in doc.text.split("\n")[:3]


def test_crawler_dump_header_feeds_hints_only() -> None:
    doc = read(DEV / "docs" / "d017.txt")
    assert doc.hints["title"].startswith("平潭综合实验区管委会办公室关于2012年")
    assert doc.hints["published"] == "2012-09-04"
    assert "原文链接" not in doc.text and "当前位置" not in doc.text


def test_pdf_reading_order_without_page_numbers() -> None:
    doc = read(GOVDOC)
    assert "发改办财金规〔2019〕860" in doc.text.replace(" ", "")
    assert "— 1 —" not in doc.text
    # hard wraps joined: the first paragraph of the body is one line
    assert any(line.startswith("为贯彻落实") and line.endswith("通知如下。") for line in doc.text.split("\n"))


def test_gbk_page_without_charset_declaration(tmp_path: Path) -> None:
    p = tmp_path / "gbk.html"
    p.write_bytes(f"<html><body><div><p>{NOTICE}</p></div></body></html>".encode("gbk"))
    doc = read(p)
    assert doc.encoding == "gb18030"
    assert "办结率89.1%" in doc.text


def test_big5_page_is_decoded(tmp_path: Path) -> None:
    text = "關於做好復工復產工作的通知\n各縣市區人民政府：請於四月底前完成企業走訪，確保辦結率達到百分之九十以上。"
    p = tmp_path / "big5.txt"
    p.write_bytes(text.encode("big5"))
    doc = read(p)
    assert doc.encoding in ("big5", "big5hkscs")
    assert "復工復產" in doc.text


def test_stale_gb2312_declaration_on_utf8_page() -> None:
    doc = read(DEV / "docs" / "d007.html")  # declares GB2312, is UTF-8
    assert doc.encoding == "utf-8" and "河南" in doc.text


def test_decode_prefers_declared_gbk() -> None:
    data = NOTICE.encode("gb18030")
    text, enc = decode(data, "gbk")
    assert enc == "gb18030" and text == NOTICE


@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (bytes(range(256)) * 64, "binary data"),
])
def test_bad_bytes_give_clear_errors(tmp_path: Path, content: bytes, reason: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(IngestError) as exc:
        read(p)
    assert reason in str(exc.value) and str(p) in str(exc.value)


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    p = tmp_path / "random.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes((i * 37) % 256 for i in range(5000)))
    with pytest.raises(IngestError, match="corrupt or truncated PDF"):
        read(p)


def test_junk_named_pdf_without_magic(tmp_path: Path) -> None:
    p = tmp_path / "junk.pdf"
    p.write_bytes(bytes((i * 131) % 256 for i in range(5000)))
    with pytest.raises(IngestError, match="binary data"):
        read(p)


def test_truncated_pdf(tmp_path: Path) -> None:
    p = tmp_path / "truncated.pdf"
    p.write_bytes(GOVDOC.read_bytes()[:3000])
    with pytest.raises(IngestError, match="PDF"):
        read(p)


def test_50mb_html_is_refused_not_read(tmp_path: Path) -> None:
    p = tmp_path / "huge.html"
    with p.open("wb") as fh:
        fh.write(b"<html><body><p>")
        fh.write(("通知" * 1000).encode() * 8800)
        fh.write(b"</p></body></html>")
    assert p.stat().st_size > 50_000_000
    with pytest.raises(IngestError, match="MB limit"):
        read(p)


def test_directory_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is a directory"):
        read(tmp_path)
    with pytest.raises(IngestError, match="no such file"):
        read(tmp_path / "nope.html")


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_and_malformed_urls() -> None:
    with pytest.raises(IngestError, match="unreachable"):
        read(f"http://127.0.0.1:{_closed_port()}/notice.html")
    with pytest.raises(IngestError, match="malformed URL"):
        read("http://")
    with pytest.raises(IngestError, match="unsupported URL scheme"):
        read("ftp://example.org/a.txt")


def test_not_a_docx_zip(tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "fake.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "x")
    with pytest.raises(IngestError, match="not a DOCX"):
        read(p)


def test_docx_zip_bomb_guard(tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/big.bin", b"\0" * (8 * 1024 * 1024))
    assert p.stat().st_size < 100_000  # tiny on disk, 8 MB unpacked
    with pytest.raises(IngestError, match="zip bomb"):
        read(p, Settings(max_unzipped_bytes=4 * 1024 * 1024))


def test_read_bytes_text_input() -> None:
    doc = read_bytes(NOTICE.encode(), "<text>", "text.txt")
    assert doc.format == "txt" and "3340家" in doc.text


def test_every_seed_reads() -> None:
    for p in sorted((SEEDS / "docs").iterdir()):
        assert len(read(p).text) > 500


def test_html_table_rows_stay_one_line_each() -> None:
    doc = read(DEV / "docs" / "d019.html")
    assert "产品名称\t计量单位\t产量\t较上年±%\n饮料酒\t千升\t15767\t18.64\n塑料制品" in doc.text


def test_pdf_footnote_markers_do_not_glue_onto_figures() -> None:
    text = read(DEV / "docs" / "d010.pdf").text
    assert "深圳市常住人口\n1761.48 万人" in text  # the ¹ marker was '11761.48'
    assert "户籍人口\n630.94 万人" in text  # the ⁴ marker was '4630.94'
    assert "15.94\n2021 年" in text  # a table row is not joined onto the next sentence


def test_text_that_mentions_the_pdf_magic_is_still_text(tmp_path: Path) -> None:
    p = tmp_path / "README.md"
    p.write_text("# 坏输入样本\n\n以 %PDF- 开头的文件会被当作 PDF。\n" + NOTICE, encoding="utf-8")
    assert read(p).format == "md"


def test_markdown_front_matter_and_embedded_html(tmp_path: Path) -> None:
    p = tmp_path / "news.md"
    p.write_text("\n---\ntitle: '1021家企业入列新一轮_倍增计划_名单'\nauthor: 新浪财经\n"
                 "date: Thu, 26 May 2022 07:54:49 GMT\n---\n\n<div><p>5月24日，全市共有1021家企业上榜。</p>"
                 "<p>其中试点企业521家。</p></div>\n", encoding="utf-8")
    doc = read(p)
    assert doc.format == "md"
    assert doc.hints["title"] == "1021家企业入列新一轮_倍增计划_名单"
    assert doc.hints["published"] == "2022-05-26"
    assert "<div>" not in doc.text and "1021家企业上榜" in doc.text

"""Builders for the bad-input corpus (issue 10).

Why a script: the small files in this folder are reproducible from it (``python make.py``
rewrites them), and the big ones (100 MB of one line, a 2 MB notice, a deflate zip bomb,
deeply nested HTML) are never committed: tests and the fuzzer call these builders at run
time into a temporary folder.

Everything is built by hand (no PDF or zip tool beyond the standard library), so the files
show exactly the defect they are named after.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- PDF -----------------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_DOC_ID = bytes.fromhex("0123456789abcdef0123456789abcdef")

TEXT_LINES = [
    "Notice on the 2024 work plan of the county government.",
    "1. By the end of June 2024 every township completes the survey.",
    "2. The county finance bureau provides 5 million yuan in subsidies.",
    "3. The rate of online services reaches 95 percent by 2025.",
]


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def _pdf(objects: list[bytes], encrypt: dict | None = None) -> bytes:
    """Assemble numbered objects (1-based) with a correct xref table; object 1 is the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"/Size %d /Root 1 0 R /ID [<%s> <%s>]" % (len(objects) + 1, _DOC_ID.hex().encode(),
                                                          _DOC_ID.hex().encode())
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % encrypt["obj"]
    out.write(b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 14 TL 50 780 Td"]
    for ln in lines:
        esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + esc.encode("latin-1") + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def text_pdf(lines: list[str] | None = None, pages: int = 1) -> bytes:
    """A valid PDF whose pages carry a Helvetica text layer."""
    lines = lines or TEXT_LINES
    n_fixed = 3  # catalog, pages, font
    page_ids = [n_fixed + 1 + 2 * i for i in range(pages)]
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % p for p in page_ids), pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        pid = page_ids[i]
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (pid + 1))
        objs.append(_stream(_content([f"Page {i + 1}."] + lines)))
    return _pdf(objs)


def image_only_pdf() -> bytes:
    """A 'scanned' page: one grey image, no text layer."""
    img = zlib.compress(bytes((x * 7 + y * 13) & 0xFF for y in range(64) for x in range(64)))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(b"q 500 0 0 700 48 70 cm /Im1 Do Q"),
            _stream(img, b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Filter /FlateDecode ")]
    return _pdf(objs)


def encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """Standard security handler, revision 2 (RC4 40-bit), opening needs ``user_password``."""
    p_flags = -44  # print/copy not allowed; any value works
    okey = hashlib.md5((owner_password + _PAD)[:32]).digest()[:5]
    o_entry = _rc4(okey, (user_password + _PAD)[:32])
    key = hashlib.md5((user_password + _PAD)[:32] + o_entry + struct.pack("<i", p_flags) + _DOC_ID).digest()[:5]
    u_entry = _rc4(key, _PAD)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10]

    content = _rc4(obj_key(4), _content(TEXT_LINES))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o_entry.hex().encode(),
                                                                         u_entry.hex().encode(), p_flags)]
    return _pdf(objs, encrypt={"obj": 6})


def truncated_pdf() -> bytes:
    """A text PDF cut in the middle of its second page's content stream (no xref, no trailer)."""
    data = text_pdf(pages=3)
    return data[: int(len(data) * 0.55)]


# --- Word ----------------------------------------------------------------------------------

_DOCX_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               b'<Default Extension="xml" ContentType="application/xml"/>'
               b'<Override PartName="/word/document.xml" ContentType="application/'
               b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str]) -> bytes:
    """A minimal valid DOCX."""
    body = b"".join(b"<w:p><w:r><w:t>" + p.encode("utf-8") + b"</w:t></w:r></w:p>" for p in paragraphs)
    doc = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="' + _W + b'"><w:body>' + body + b"</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        zf.writestr("word/document.xml", doc)
    return buf.getvalue()


def zip_bomb_docx(unpacked_mb: int = 300) -> bytes:
    """A .docx whose document.xml inflates to ``unpacked_mb`` MB of whitespace (~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="' + _W + b'"><w:body><w:p><w:r><w:t>')
            chunk = b" " * (1 << 20)
            for _ in range(unpacked_mb):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def lying_zip_bomb_docx() -> bytes:
    """A small zip bomb whose central directory claims document.xml is 100 bytes long."""
    data = bytearray(zip_bomb_docx(unpacked_mb=20))
    # patch every header's uncompressed size of word/document.xml down to 100
    name = b"word/document.xml"
    pos = 0
    while True:
        pos = data.find(name, pos)
        if pos < 0:
            break
        for sig, size_off, name_off in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            start = pos - name_off
            if start >= 0 and data[start:start + 4] == sig:
                if struct.unpack_from("<I", data, start + size_off)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", data, start + size_off, 100)
        pos += len(name)
    return bytes(data)


# --- text and HTML -------------------------------------------------------------------------

NOTICE = ("关于做好2024年春季农业生产工作的通知\n"
          "各县（市、区）人民政府：\n"
          "一、2024年4月底前，各县完成高标准农田建设10万亩，县农业农村局牵头。\n"
          "二、到2025年，全市粮食产量稳定在50万吨以上。\n"
          "三、市财政局安排专项资金2000万元。\n"
          "某某市人民政府办公室\n2024年3月1日\n")


def deep_html(depth: int = 100_000) -> bytes:
    """A page whose notice sits under ``depth`` nested <div>s (recursion-limit bait)."""
    body = "<p>" + NOTICE.replace("\n", "</p><p>") + "</p>"
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title></head><body>"
            + "<div>" * depth + body + "</div>" * depth + "</body></html>").encode("utf-8")


def unclosed_html(depth: int = 50_000) -> bytes:
    """Tags opened and never closed (<font><b><span>…), the notice at the bottom."""
    return ("<html><body>" + "<font><b><span>" * (depth // 3) + NOTICE.replace("\n", "<br>")).encode("utf-8")


def one_line(mb: int = 100) -> bytes:
    """``mb`` MB of Chinese text with no newline at all."""
    unit = NOTICE.replace("\n", "").encode("utf-8")
    return unit * (mb * (1 << 20) // len(unit) + 1)


def big_notice(text: str, mb: float = 2.0) -> bytes:
    """A real notice repeated to ``mb`` MB, as one document (a long bulletin with tables)."""
    unit = (text.strip() + "\n\n").encode("utf-8")
    return unit * max(1, int(mb * (1 << 20) // len(unit)) + 1)


def nul_bytes() -> bytes:
    """UTF-8 text with NUL bytes sprinkled in (a database dump artefact), under the binary threshold."""
    raw = NOTICE.encode("utf-8") * 3
    return b"\x00".join(raw[i:i + 200] for i in range(0, len(raw), 200))


def mixed_encodings() -> bytes:
    """Half UTF-8, half GBK: a page stitched together from two sources."""
    half = len(NOTICE) // 2
    return NOTICE[:half].encode("utf-8") + NOTICE[half:].encode("gbk")


def utf16_notice() -> bytes:
    return NOTICE.encode("utf-16")


def big5_notice() -> bytes:
    """Traditional text in Big5 (simplified characters Big5 lacks become '?')."""
    return NOTICE.replace("县", "縣").replace("农", "農").encode("big5", errors="replace")


def wrong_charset_html() -> bytes:
    """Declares UTF-8 but is GBK."""
    return ("<html><head><meta charset='utf-8'></head><body><p>" + NOTICE.replace("\n", "</p><p>")
            + "</p></body></html>").encode("gbk")


SMALL_FILES = {
    "encrypted.pdf": encrypted_pdf,
    "image_only.pdf": image_only_pdf,
    "truncated.pdf": truncated_pdf,
    "header_only.pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog",
    "ok_text.pdf": text_pdf,
    "not_a_zip.docx": lambda: b"PK\x03\x04" + b"\x00" * 40 + "这不是一个 Word 文件".encode("utf-8"),
    "no_document_xml.docx": lambda: _zip({"hello.txt": b"hello"}),
    "lying_zip_bomb.docx": lying_zip_bomb_docx,
    "junk.doc": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8,
    "png_named.html": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16,
    "gzip_named.txt": lambda: b"\x1f\x8b\x08\x00" + b"\x00" * 100,
    "nul_bytes.txt": nul_bytes,
    "mixed_encodings.txt": mixed_encodings,
    "utf16.txt": utf16_notice,
    "big5.txt": big5_notice,
    "wrong_charset.html": wrong_charset_html,
    "scripts_only.html": lambda: b"<html><head><script>var a='\xe9\x80\x9a\xe7\x9f\xa5';</script></head><body><script>x()</script></body></html>",
    "empty.txt": lambda: b"",
    "whitespace.txt": lambda: b" \n\t\r\n   \n",
    "bad_quote.csv": lambda: 'title,text\n"通知,"各县：4月底前完成。\n'.encode("utf-8"),
    "no_text_column.csv": lambda: "a,b\n1,2\n".encode("utf-8"),
    "control_chars.txt": lambda: NOTICE.encode("utf-8").replace("，".encode("utf-8"), b"\x07\x1b"),
    "lone_surrogates.txt": lambda: NOTICE.encode("utf-8") + b"\xed\xa0\x80\xed\xb0\x80",
    "html_entities.html": lambda: ("<html><body><p>" + "&#x4e00;&#0;&#xd800;&#99999999;&bogus;" * 50
                                   + "</p><p>" + NOTICE + "</p></body></html>").encode("utf-8"),
}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


def write_small(folder: Path = HERE) -> list[Path]:
    """(Re)write the committed small files."""
    out = []
    for name, build in SMALL_FILES.items():
        p = folder / name
        p.write_bytes(build())
        out.append(p)
    return out


if __name__ == "__main__":
    for p in write_small():
        print(f"{p.stat().st_size:>8}  {p.name}")

"""Word documents: DOCX through python-docx (with a zip-bomb guard), DOC through antiword or
LibreOffice when one is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import IngestError


def docx_text(data: bytes, source: str, max_unzipped: int) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(source, "corrupt DOCX (not a valid zip archive)") from exc
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise IngestError(source, "zip archive without word/document.xml: not a DOCX")
        total = sum(i.file_size for i in zf.infolist())
        if total > max_unzipped:
            raise IngestError(source, f"DOCX unpacks to {total / 1e6:.0f} MB (> {max_unzipped / 1e6:.0f} MB limit; zip bomb?)")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many types
        raise IngestError(source, f"corrupt DOCX ({type(exc).__name__}: {exc})") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if not cells or cells[-1] != t:  # merged cells repeat
                        cells.append(t)
                lines.append("\t".join(cells))
    return "\n".join(lines)


def doc_text(data: bytes, source: str) -> str:
    """Old binary Word: antiword (UTF-8 map, no wrapping), else LibreOffice headless."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.doc"
        path.write_bytes(data)
        if shutil.which("antiword"):
            proc = subprocess.run(["antiword", "-w", "0", "-m", "UTF-8.txt", str(path)],
                                  capture_output=True, timeout=60)
            if proc.returncode == 0 and proc.stdout.strip():
                return proc.stdout.decode("utf-8", errors="replace")
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office:
            proc = subprocess.run([office, "--headless", "--convert-to", "txt:Text (encoded):UTF8",
                                   "--outdir", tmp, str(path)], capture_output=True, timeout=120)
            out = Path(tmp) / "in.txt"
            if out.exists():
                return out.read_text(encoding="utf-8", errors="replace")
        if not shutil.which("antiword") and not office:
            raise IngestError(source, "reading .doc needs antiword or LibreOffice: apt-get install antiword")
        raise IngestError(source, "corrupt .doc (antiword/LibreOffice could not read it)")

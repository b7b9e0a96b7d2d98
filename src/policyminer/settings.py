"""One settings object over shipped defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    #: largest input read (bytes); a 50 MB page is refused with a clear error. Government notices,
    #: even with inline images stripped, stay far below 10 MB; 2 MB notices are read normally.
    max_bytes: int = 32 * 1024 * 1024
    #: largest PDF / DOCX container (attachments with scans can be big)
    max_binary_bytes: int = 64 * 1024 * 1024
    #: largest total uncompressed size inside a DOCX (zip-bomb guard)
    max_unzipped_bytes: int = 256 * 1024 * 1024
    #: network timeout (seconds) for URL inputs
    http_timeout: float = 20.0
    #: most PDF pages read
    max_pdf_pages: int = 2000
    user_agent: str = "policyminer/0.1 (+research crawler)"


DEFAULT = Settings()

"""What users import: extract one notice, many notices, or a text.

    >>> import policyminer
    >>> doc = policyminer.extract("各县市区：4月底前完成。")
    >>> doc["schema"]
    'policyminer/document@1'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ExtractError, PolicyminerError
from .ingest import RawDocument, read, read_bytes
from .model import SCHEMA_ID, doc_id
from .normalize import normalize
from .settings import DEFAULT, Settings


def document_from_raw(raw: RawDocument, no_text: bool = False) -> dict[str, Any]:
    """Normalize, run the pipeline, and assemble the schema document."""
    from .pipeline import analyze

    norm = normalize(raw.text, layout=raw.format in ("pdf", "doc", "docx"))
    if not norm.text.strip():
        # a page whose body is only an attachment link still has its metadata header
        if not raw.hints.get("title"):
            raise ExtractError(raw.uri, "no text left after removing page furniture", stage="normalize")
        raw.warnings.append("no main text on the page (the notice may be an attachment); metadata only")
        norm = normalize(raw.hints["title"])
    try:
        parts = analyze(norm.text, raw.hints)
    except PolicyminerError:
        raise
    except Exception as exc:  # noqa: BLE001 - report any component failure with the input named
        raise ExtractError(raw.uri, f"{type(exc).__name__}: {exc}") from exc
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "id": doc_id(norm.text),
        "source": {"uri": raw.uri, "format": raw.format, "encoding": raw.encoding, "fetched_at": raw.fetched_at},
        "text": None if no_text else norm.text,
        "meta": parts["meta"],
        "sections": parts["sections"],
        "measures": parts["measures"],
        "metrics": parts["metrics"],
        "units": parts["units"],
        "deadlines": parts["deadlines"],
        "regions": parts["regions"],
        "warnings": list(raw.warnings) + parts.get("warnings", []),
    }
    return doc


def extract_path(source: str | Path, no_text: bool = False, settings: Settings = DEFAULT) -> list[dict[str, Any]]:
    """Documents for one input (a file or URL gives one document)."""
    return [document_from_raw(read(source, settings), no_text=no_text)]


def extract(path_or_text: str | Path, no_text: bool = False) -> dict[str, Any]:
    """One document from a path, a URL, or the notice text itself."""
    s = str(path_or_text)
    if isinstance(path_or_text, Path) or (len(s) < 1024 and "\n" not in s and
                                          (Path(s).exists() or s.startswith(("http://", "https://")))):
        return extract_path(path_or_text, no_text=no_text)[0]
    return document_from_raw(read_bytes(s.encode("utf-8"), "<text>", "text.txt"), no_text=no_text)


def extract_many(inputs: Iterable[str | Path], no_text: bool = False) -> Iterator[dict[str, Any] | PolicyminerError]:
    """Documents for many inputs, in order; a bad input yields its error instead of stopping."""
    for item in inputs:
        try:
            yield from extract_path(item, no_text=no_text)
        except PolicyminerError as err:
            yield err

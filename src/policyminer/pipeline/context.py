"""The small record every pipeline component reads: the normalized text plus what is known
of the document so far (anchor date, region, structure).

Components are plain functions ``find_<thing>(text, ctx) -> list[dict]`` so they can be
unit-tested on a string; the spaCy wrappers in ``pipeline/__init__.py`` call them on
``doc.text`` and store the result in ``doc._.pm``. Every dict a component returns carries
``span: [start, end]`` (character offsets into ``text``, end exclusive) and follows the
matching item of ``document.schema.json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DocContext:
    """What a component may know about the document besides its text."""

    text: str
    #: the document's date (meta.date, else published); anchor for relative dates
    anchor: dt.date | None = None
    #: meta.region as a schema region dict ({"name", "code", "level", ...}) or None
    region: dict[str, Any] | None = None
    #: the full meta dict (title, doc_number, issuers, date, published, doc_type, region)
    meta: dict[str, Any] = field(default_factory=dict)
    #: the section tree and measures, once the structure component has run
    sections: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    #: tokens (start offsets of jieba words) when a component needs them; may be empty
    token_starts: list[int] = field(default_factory=list)
    #: spans [start, end) that are not main text (cited titles, 文号, signature block ...)
    excluded: list[tuple[int, int]] = field(default_factory=list)
    #: problems a component met but got past (e.g. a stage that failed and returned nothing);
    #: they end up in the document's ``warnings``
    warnings: list[str] = field(default_factory=list)

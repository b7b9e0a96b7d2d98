"""Every corpus notice extracts without error into a schema-valid document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings, strategies as st

from policyminer.errors import PolicyminerError
from policyminer.model import validate

from .conftest import ROOT


def test_shipped_schema_is_the_spec() -> None:
    shipped = json.loads((ROOT / "src/policyminer/data/document.schema.json").read_text(encoding="utf-8"))
    spec = json.loads((ROOT / "spec/document.schema.json").read_text(encoding="utf-8"))
    assert shipped == spec
    jsonschema.Draft202012Validator.check_schema(shipped)


def test_every_corpus_document_is_schema_valid(extracted: dict[str, dict[str, Any]], corpus_docs: list[Path]) -> None:
    assert len(extracted) == len(corpus_docs) == 30
    for name, doc in extracted.items():
        assert validate(doc) == [], name
        assert doc["text"] and doc["meta"] is not None


def test_spans_index_into_the_text(extracted: dict[str, dict[str, Any]]) -> None:
    for doc in extracted.values():
        n = len(doc["text"])
        for key in ("measures", "metrics", "units", "deadlines", "regions"):
            for item in doc[key]:
                s, e = item["span"]
                assert 0 <= s <= e <= n, (doc["source"]["uri"], key, item)


def test_ids_are_stable(extracted: dict[str, dict[str, Any]]) -> None:
    from policyminer.model import doc_id

    for doc in extracted.values():
        assert doc["id"] == doc_id(doc["text"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十、（）()1234567890.%万亿元家个项天月日年底前截至责任单位：:市县区省局委办，。；\n 关于通知")), min_size=1, max_size=400))
def test_extract_never_raises_on_arbitrary_notice_like_text(s: str) -> None:
    from policyminer.api import extract

    try:
        doc = extract(s + "\n")
    except PolicyminerError:
        return  # a clear, named error is allowed (e.g. nothing left after furniture removal)
    assert validate(doc) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_document_or_a_named_error(data: bytes) -> None:
    from policyminer.api import document_from_raw
    from policyminer.ingest import read_bytes

    try:
        doc = document_from_raw(read_bytes(data, "<fuzz>", "fuzz.bin"))
    except PolicyminerError as exc:
        assert exc.source == "<fuzz>" and exc.reason
        return
    assert validate(doc) == []

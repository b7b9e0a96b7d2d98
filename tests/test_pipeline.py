"""The assembled pipeline: ids, links between items and measures, as_of, kinds by genre."""

from __future__ import annotations

from .conftest import DEV, SEEDS, extract_cached

SEED4 = SEEDS / "docs" / "004_f5d32eee970b9eca.txt"


def test_items_link_to_the_measure_that_contains_them() -> None:
    doc = extract_cached(SEED4)
    measures = {m["id"]: m for m in doc["measures"]}
    linked = [u for u in doc["units"] if u.get("measure")]
    assert linked, "责任单位 lists sit inside measures"
    for item in linked + [x for x in doc["metrics"] + doc["deadlines"] if x.get("measure")]:
        m = measures[item["measure"]]
        assert m["span"][0] <= item["span"][0] and item["span"][1] <= m["span"][1]
    lead = [u for u in doc["units"] if u["name"] == "市发展改革委" and u["role"] == "lead"]
    assert lead and lead[0]["measure"] == "m1" and lead[0]["canonical"] == "怀化市发展和改革委员会"


def test_ids_are_unique_per_kind() -> None:
    doc = extract_cached(SEED4)
    for key in ("measures", "metrics", "deadlines"):
        ids = [x["id"] for x in doc[key]]
        assert len(ids) == len(set(ids)), key


def test_metrics_hold_as_of_their_jiezhi_date() -> None:
    doc = extract_cached(SEEDS / "docs" / "001_3159178822529981.txt")
    rate = [m for m in doc["metrics"] if m["value"] == 89.1 and m["unit"] == "%"]
    assert rate and rate[0]["as_of"] == "2023-07-10"


def test_bulletin_figures_are_actual_plan_figures_are_targets() -> None:
    bulletin = extract_cached(DEV / "docs" / "d002.html")
    gdp = [m for m in bulletin["metrics"] if m["value"] == 3473.12 and m["unit"] == "亿元"]
    assert gdp and gdp[0]["kind"] == "actual"
    plan = extract_cached(SEED4)
    invest = [m for m in plan["metrics"] if m["value"] == 130 and m["unit"] == "亿元"]
    assert invest and invest[0]["kind"] == "target" and invest[0]["comparator"] == "ge"


def test_spacy_path_gives_the_same_document(monkeypatch) -> None:
    """The stages run as spaCy components over a segmented Doc (POLICYMINER_PIPELINE=spacy)
    or over a plain stand-in (default): same output either way."""
    from policyminer.api import extract_path
    from policyminer.pipeline import get_nlp

    plain = extract_cached(SEED4)
    monkeypatch.setenv("POLICYMINER_PIPELINE", "spacy")
    via_spacy = extract_path(SEED4)[0]
    assert via_spacy == plain
    nlp = get_nlp()
    assert [name for name, _ in nlp.pipeline][:2] == ["pm_meta", "pm_structure"]
    doc = nlp.make_doc("责任单位:市发展改革委、怀化经开区")
    assert "发展改革委" in [t.text for t in doc]  # user dictionary reaches the segmenter

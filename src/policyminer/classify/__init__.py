"""Policy-instrument classifier for measures (issue 7).

``features``  text preparation and the jieba tokenizer the model pipeline references
``keywords``  the keyword-rule baseline (``data/tool_keywords.json``)
``train``     builds, cross-validates and ships the scikit-learn model (``policyminer train``)
``model``     loads the shipped skops model with an explicit trusted-type list and predicts
"""

from __future__ import annotations

TOOLS: tuple[str, ...] = (
    "S1", "S2", "S3", "S4", "S5",
    "E1", "E2", "E3", "E4", "E5", "E6", "E7",
    "D1", "D2", "D3",
)
_INSTRUMENT = {"S": "supply", "E": "environment", "D": "demand"}


def instrument_of(tool: str | None) -> str | None:
    """The instrument a tool belongs to (taxonomy.md); the instrument is never predicted separately."""
    if not tool:
        return None
    return _INSTRUMENT.get(tool[:1])


__all__ = ["TOOLS", "instrument_of"]

"""Policy-instrument classifier for measures (issue 7).

Each measure gets the taxonomy tool its heading leads with (spec/taxonomy.md), the
instrument that tool belongs to, and the model's calibrated probability as ``confidence``.
Every measure is labelled; uncertain ones are recognisable by a low confidence
(``policyminer.classify.model.LOW_CONFIDENCE``) rather than by a missing label.
"""

from __future__ import annotations

import logging
from typing import Any

_log = logging.getLogger(__name__)


def classify_measures(measures: list[dict[str, Any]]) -> None:
    """Fill instrument, tool, confidence on each measure in place."""
    if not measures:
        return
    try:
        from ..classify.model import predict

        preds = predict([(m.get("heading"), m.get("text")) for m in measures])
    except Exception as exc:  # noqa: BLE001 - never let classification break extraction, but say so
        _log.warning("classify stage failed (%s: %s); measures left unlabelled", type(exc).__name__, exc,
                     exc_info=True)
        preds = []
    if len(preds) != len(measures):
        for m in measures:
            m.setdefault("instrument", None)
            m.setdefault("tool", None)
            m.setdefault("confidence", None)
        return
    for m, (tool, instrument, conf) in zip(measures, preds):
        m["tool"] = tool
        m["instrument"] = instrument or None
        m["confidence"] = conf

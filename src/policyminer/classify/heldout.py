"""Which classifier may score a gold corpus.

The shipped model is trained on the labelled measures *and* on the gold measures of
``corpora/dev`` and ``corpora/seeds`` (issue 7 asks for the dev gold in the data: it is the
project's own labelling, and it helps on notices nobody has seen). A corpus must never be
scored by a model trained on its own gold, so ``policyminer train`` also writes, for each gold
corpus, a model trained without it, and records a fingerprint of that corpus's gold in the
scores file. ``policyminer eval`` recognises the corpus by the fingerprint (not by its folder
name, so a copy or a renamed folder is recognised too) and scores it with the model that never
saw it. Importing this module does not import scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import TOOLS
from .features import measure_text

# where `policyminer train` writes the leave-one-corpus-out models (repository-relative; they
# are for evaluation only and are not packaged)
HELDOUT_DIR = Path("models/heldout")


def gold_measures(gold_dir: str | Path) -> tuple[list[str], list[str]]:
    """Model inputs and tools of the gold measures in one ``gold/`` folder (headings only)."""
    X: list[str] = []
    y: list[str] = []
    for f in sorted(Path(gold_dir).glob("*.gold.json")):
        for m in json.loads(f.read_text(encoding="utf-8")).get("measures") or []:
            if m.get("tool") in TOOLS:
                X.append(measure_text(m.get("heading"), ""))
                y.append(m["tool"])
    return X, y


def fingerprint(X: list[str], y: list[str]) -> str:
    """SHA-256 of a gold corpus's (input, tool) pairs: identifies it wherever it is copied."""
    return hashlib.sha256(json.dumps(list(zip(X, y)), ensure_ascii=False).encode("utf-8")).hexdigest()


def model_for(gold_dir: str | Path, scores_path: str | Path) -> tuple[Path | None, str]:
    """The model file that may score this gold corpus, and a note saying why.

    ``(None, "")`` when the shipped model never saw this gold (score it with the shipped model);
    ``(path, note)`` when it did and the leave-out model exists; ``(None, warning)`` when it did
    and the leave-out model is missing (the caller must say the figures are not held out)."""
    try:
        info: dict[str, Any] = json.loads(Path(scores_path).read_text(encoding="utf-8")).get("gold_in_training") or {}
    except (OSError, ValueError):
        return None, ""
    fp = fingerprint(*gold_measures(gold_dir))
    for name, entry in sorted(info.items()):
        if entry.get("sha256") != fp:
            continue
        rel = Path(entry.get("without_model") or "")
        for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
            if rel.name and (base / rel).is_file():
                return base / rel, (f"classifier: {rel} (the shipped model is trained on this corpus's gold "
                                    f"'{name}'; tool/instrument are scored with the model trained without it)")
        return None, (f"warning: the shipped classifier is trained on this corpus's gold '{name}' and {rel} "
                      "is missing: tool/instrument figures below are NOT held out (run `policyminer train`)")
    return None, ""

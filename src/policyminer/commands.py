"""The work behind each CLI command, kept apart from typer so it can be tested and reused."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator, TextIO

from .errors import PolicyminerError


def write_atomic(path: Path, data: str) -> None:
    """Write a file so that readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _dump(doc: dict[str, Any], pretty: bool) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1 if pretty else None)


def run_extract(inputs: list[str], out_dir: Path | None = None, no_text: bool = False, pretty: bool = False,
                outline: bool = False, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Extract each input; 0 when all succeeded, 1 when any failed (each failure on stderr)."""
    from .api import document_from_raw, extract_path
    from .ingest import read_bytes

    out = out or sys.stdout
    err = err or sys.stderr
    failures = 0
    for item in inputs:
        try:
            if item == "-":
                data = sys.stdin.buffer.read()
                docs = [document_from_raw(read_bytes(data, "<stdin>", "stdin.txt"), no_text=no_text)]
            else:
                docs = extract_path(item, no_text=no_text)
        except PolicyminerError as exc:
            failures += 1
            err.write(f"{exc.source}: {exc.reason}\n")
            continue
        for doc in docs:
            if outline:
                from .pipeline.structure import format_outline

                out.write(f"# {doc['meta'].get('title') or item}\n{format_outline(doc.get('sections', []))}\n")
                continue
            if out_dir is not None:
                name = Path(item).name if item != "-" else "stdin"
                write_atomic(out_dir / f"{name}.json", _dump(doc, pretty) + "\n")
            else:
                out.write(_dump(doc, pretty) + "\n")
    return 1 if failures else 0


def predict_corpus(corpus: Path, out_dir: Path | None = None) -> dict[str, dict[str, Any] | None]:
    """Extract every file under ``corpus/docs``; failures map to None."""
    from .api import extract_path

    preds: dict[str, dict[str, Any] | None] = {}
    for path in sorted((corpus / "docs").iterdir()):
        if path.name.startswith("."):
            continue
        try:
            doc = extract_path(path)[0]
        except PolicyminerError as exc:
            sys.stderr.write(f"{exc.source}: {exc.reason}\n")
            doc = None
        preds[path.name] = doc
        if out_dir is not None and doc is not None:
            write_atomic(out_dir / f"{path.name}.json", _dump(doc, False) + "\n")
    return preds


@contextlib.contextmanager
def _heldout_classifier(corpus: Path, out: TextIO) -> Iterator[None]:
    """Classify with a model that never saw this corpus's gold (the shipped one is trained on the
    dev and seed gold; ``classify.heldout``)."""
    from .classify import model as clf_model
    from .classify.heldout import model_for

    path, note = model_for(corpus / "gold", clf_model.model_path().with_name("instrument.scores.json"))
    if note:
        out.write(note + "\n")
    if path is None:
        yield
        return
    with clf_model.using(path):
        yield


def run_eval(corpus: Path, out_dir: Path | None = None, out: TextIO | None = None) -> int:
    """Predict and score a corpus; prints the table, writes scores.json (and predictions)."""
    from .evaluate import format_table, load_gold, score

    out = out or sys.stdout
    if not (corpus / "docs").is_dir() or not (corpus / "gold").is_dir():
        sys.stderr.write(f"{corpus}: needs docs/ and gold/ folders\n")
        return 2
    with _heldout_classifier(corpus, out):
        preds = predict_corpus(corpus, out_dir / "predictions" if out_dir else None)
    rep = score(load_gold(corpus), preds)
    out.write(format_table(rep) + "\n")
    if out_dir is not None:
        write_atomic(out_dir / "scores.json", json.dumps(rep, ensure_ascii=False, indent=1) + "\n")
    return 0

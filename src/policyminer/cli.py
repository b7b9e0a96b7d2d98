"""Command line: thin typer commands over the library. The only module that prints."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Chinese government notices into data.")


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Files, URLs, or - for standard input"),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write <name>.json per input here"),
    no_text: bool = typer.Option(False, "--no-text", help="Leave the normalized text out"),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON"),
    outline: bool = typer.Option(False, "--outline", help="Print each document's section tree instead of JSON"),
) -> None:
    """Extract one JSON document per input."""
    from .commands import run_extract

    raise typer.Exit(run_extract(inputs, out_dir=out_dir, no_text=no_text, pretty=pretty, outline=outline))


@app.command("eval")
def eval_(
    corpus: Path = typer.Argument(..., help="A folder with docs/ and gold/"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write predictions and scores.json here"),
) -> None:
    """Score extraction against the gold files of a corpus (spec/annotation.md)."""
    from .commands import run_eval

    raise typer.Exit(run_eval(corpus, out))


# --- batch / export / compare / show (issue 8; owned by the batch helper) ---------------------

@app.command()
def train(
    data: Path = typer.Option(Path("corpora/measures/measures.jsonl"), "--data", help="Labelled measures (JSONL)"),
    out: Path = typer.Option(Path("src/policyminer/data/models/instrument.skops"), "--out", help="Model file (skops)"),
    seed: int = typer.Option(0, "--seed", help="Random seed (training is deterministic for a seed)"),
) -> None:
    """Rebuild the measure classifier from the labelled data; prints the scores."""
    import json

    from .classify.train import train as train_model

    if not data.is_file():
        _fail(f"{data}: no such file (run from the repository root or pass --data)")
    scores = train_model(data, out, seed=seed)
    typer.echo(json.dumps(scores, ensure_ascii=False, indent=1))


def _formats(value: str) -> tuple:
    return tuple(f.strip().lower() for f in value.split(",") if f.strip())


class _batch_progress:
    """A rich progress bar (inputs, rate, ETA) fed by run_batch's progress callback."""

    def __init__(self, disable: bool = False) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} in/s"), TextColumn("docs {task.fields[docs]} err {task.fields[errs]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), disable=disable, transient=False)
        self.task = None
        self.t0 = 0.0

    def __enter__(self):
        import time

        self.t0 = time.monotonic()
        self.progress.start()
        self.task = self.progress.add_task("batch", total=None, rate="-", docs=0, errs=0)
        return self.update

    def update(self, st: dict) -> None:
        import time

        dt = max(time.monotonic() - self.t0, 1e-9)
        self.progress.update(self.task, total=st["total"], completed=st["completed"],
                             rate=f"{st['completed'] / dt:.1f}", docs=st["documents"], errs=st["errors"])

    def __exit__(self, *exc) -> None:
        self.progress.stop()


@app.command()
def batch(
    inputs: List[str] = typer.Argument(..., help="Files, folders (recursive), globs, URLs, or list files (.lst, @file)"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (documents.jsonl, errors.jsonl, summary.json)"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0: all cores)"),
    fmt: str = typer.Option("", "--format", help="Also export tables: parquet,csv,duckdb"),
    dask: Optional[str] = typer.Option(None, "--dask", help="'local' or a scheduler address tcp://host:8786"),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds per input before its worker is killed"),
    max_memory: int = typer.Option(2048, "--max-memory", help="Address-space limit per worker, MB"),
    no_text: bool = typer.Option(False, "--no-text", help="Leave the normalized text out of documents.jsonl"),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files to skip when walking folders (repeatable)"),
    retry_errors: bool = typer.Option(False, "--retry-errors", help="Run inputs in errors.jsonl again"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
) -> None:
    """Extract many inputs in parallel; resumable (rerun skips inputs already done)."""
    from .batch import BatchOptions, run_batch

    opts = BatchOptions(jobs=jobs, timeout=timeout, max_memory_mb=max_memory, no_text=no_text,
                        dask=dask, exclude=tuple(exclude), retry_errors=retry_errors, formats=_formats(fmt))
    try:
        with _batch_progress(disable=quiet) as on_progress:
            summary = run_batch(inputs, out, opts, on_progress=on_progress)
    except (RuntimeError, ValueError) as e:
        _fail(f"batch: {e}")
    except KeyboardInterrupt:
        _fail(f"batch interrupted; rerun the same command to continue ({out})", 130)
    run = summary["this_run"]
    typer.echo(f"{summary['documents_total']} documents, {summary['errors_total']} errors "
               f"({run['processed']} processed, {run['skipped_already_done']} already done, "
               f"{run['docs_per_s']} inputs/s, peak RSS/worker {run['peak_rss_mb_per_worker']} MB)", err=True)
    for name, path in summary["files"].items():
        typer.echo(f"{name}: {path}", err=True)
    for kind, paths in summary.get("exports", {}).items():
        typer.echo(f"{kind}: {', '.join(paths)}", err=True)


@app.command("export")
def export_(
    src: Path = typer.Argument(..., help="A batch folder (with documents.jsonl) or a .jsonl file"),
    fmt: str = typer.Option("duckdb", "--format", help="Any of duckdb,parquet,csv"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: SRC)"),
) -> None:
    """Write flat tables (documents, measures, metrics, units, deadlines, regions)."""
    from .export.store import export as do_export
    from .export.tables import documents_path

    if not documents_path(src).is_file():
        _fail(f"export: no documents.jsonl in {src}")
    target = out or (src if src.is_dir() else src.parent)
    try:
        files = do_export(src, target, _formats(fmt))
    except ValueError as e:
        _fail(f"export: {e}")
    for kind, paths in files.items():
        for p in paths:
            typer.echo(f"{kind}: {p}")


@app.command()
def compare(
    src: Path = typer.Argument(..., help="A batch folder (with documents.jsonl)"),
    metric: Optional[str] = typer.Option(None, "--metric", help="Canonical metric or name, e.g. 办结率"),
    by: str = typer.Option("region", "--by", help="region | province | year"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML report (default: SRC/report.html)"),
    tables: bool = typer.Option(False, "--tables", help="Also print the tables"),
) -> None:
    """Compare metrics and measures across regions; writes an HTML report with charts."""
    from .export.report import write_report
    from .export.tables import documents_path

    if not documents_path(src).is_file():
        _fail(f"compare: no documents.jsonl in {src}")
    if by not in ("region", "province", "year"):
        _fail("compare: --by must be region, province or year")
    target = out or ((src if src.is_dir() else src.parent) / "report.html")
    res = write_report(src, target, metric=metric, by=by)
    if tables:
        for name, df in res["tables"].items():
            typer.echo(f"## {name}")
            typer.echo(df.to_string(max_rows=60, max_colwidth=40))
    typer.echo(f"report: {res['path']} ({res['n_figures']} charts, {res['n_views']} document views)")


@app.command()
def show(
    path: str = typer.Argument(..., help="A notice (file or URL), or a documents.jsonl with --doc"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML file (default: <name>.view.html)"),
    doc: Optional[str] = typer.Option(None, "--doc", help="Document id (prefix) when PATH is a .jsonl"),
) -> None:
    """One notice as a self-contained HTML page with every extraction highlighted."""
    from .export.show import show_path

    try:
        written = show_path(path, out, doc_id=doc)
    except Exception as e:  # noqa: BLE001 - report bad input as a message, not a traceback
        reason = getattr(e, "reason", None) or str(e)
        _fail(f"show: {path}: {reason}")
    typer.echo(str(written))


@app.command()
def crawl(
    start: List[str] = typer.Option([], "--start", help="A notice list page to start from (repeatable)"),
    out: Path = typer.Option(..., "--out", help="Output folder: crawl.warc.gz, crawl.jsonl, state.json"),
    site: Optional[str] = typer.Option(None, "--site", help="Site profile: shipped name (generic, trs_wcm, ucap_jx, hanweb) or a .toml path"),
    allow: Optional[str] = typer.Option(None, "--allow", help="Regex a list/notice URL must match"),
    deny: Optional[str] = typer.Option(None, "--deny", help="Regex of URLs never fetched"),
    max_pages: int = typer.Option(1000, "--max-pages", help="Cap on list+notice pages over the whole archive"),
    max_depth: int = typer.Option(1, "--max-depth", help="1: start lists and their notices; 2: also sub-columns"),
    since: Optional[str] = typer.Option(None, "--since", help="Skip list entries dated before YYYY-MM-DD"),
    refresh: bool = typer.Option(False, "--refresh", help="Revisit list pages for new notices"),
    delay: float = typer.Option(1.0, "--delay", help="Seconds between requests to one host"),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Retry URLs that failed in earlier runs"),
    insecure: bool = typer.Option(False, "--insecure", help="Accept invalid TLS certificates (common on gov sites)"),
    allow_host: List[str] = typer.Option([], "--allow-host", help="Another host to fetch from, e.g. a file server (repeatable)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr"),
) -> None:
    """Crawl notice lists politely into a WARC archive (resumable; rerun to continue)."""
    import json as _json

    from .ingest.crawl import crawl as _crawl

    try:
        summary = _crawl(start, out, site=site, allow=allow, deny=deny, max_pages=max_pages,
                         max_depth=max_depth, since=since, refresh=refresh, delay=delay,
                         retry_failed=retry_failed, verify=not insecure, allow_hosts=allow_host,
                         on_fetch=None if quiet else lambda r: typer.echo(
                             f"{r['status'] or '---'} {r['kind']:<10} {r['url']}"
                             + (f"  ({r['error']})" if r.get("error") else ""), err=True))
    except ValueError as e:
        _fail(f"crawl: {e}", 2)
    typer.echo(_json.dumps(summary, ensure_ascii=False, indent=2))
    raise typer.Exit(0 if "crash" not in summary else 1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

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


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``plans`` command: a thin layer over :mod:`pipeline.process` and :mod:`pipeline.export`."""
from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path

import typer

from . import export
from .models import ReadError
from .process import Failure, find_documents, process_document, process_many
from .read import read_document

app = typer.Typer(help="Turn Ukrainian public plan documents into structured, linked data.", no_args_is_help=True)


class OutputFormat(str, Enum):
    json = "json"


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@app.command()
def extract(
    path: Path = typer.Argument(..., help="A .txt, .docx, .html or .pdf file."),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="Output format."),
) -> None:
    """Print the contract JSON for one document."""
    try:
        result = process_document(path)
    except ReadError as exc:
        _fail(str(exc))
    typer.echo(export.dumps(result))


@app.command()
def text(path: Path = typer.Argument(..., help="A .txt, .docx, .html or .pdf file.")) -> None:
    """Print the plain text that offsets refer to."""
    try:
        doc = read_document(path)
    except ReadError as exc:
        _fail(str(exc))
    sys.stdout.write(doc.text)


@app.command()
def run(
    directory: Path = typer.Argument(Path("corpora"), help="Folder (or file) to process."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
) -> None:
    """Process every document under DIRECTORY into OUT/docs/<doc_id>.json and the tables."""
    paths = find_documents(directory)
    if not paths:
        _fail(f"{directory}: no .txt, .docx, .html or .pdf documents found")
    started = time.perf_counter()
    results, failures = [], []
    for item in process_many(paths):
        if isinstance(item, Failure):
            failures.append(item)
            typer.echo(f"skipped {item.path}: {item.stage}: {item.message}", err=True)
            continue
        export.write_atomic(out / "docs" / f"{item.source.doc_id}.json", export.dumps(item) + "\n")
        results.append(item)
    export.write_table(export.measures_frame(results), out, "measures")
    elapsed = time.perf_counter() - started
    n_measures = sum(len(r.segmentation.measures) for r in results)
    n_mentions = sum(len(r.mentions) for r in results)
    typer.echo(
        f"{len(results)} documents, {n_measures} measures, {n_mentions} mentions → {out} "
        f"in {elapsed:.1f} s; {len(failures)} skipped"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()

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


def _write_utf8(text: str) -> None:
    """Ukrainian text goes out as UTF-8 whatever the locale says about standard output."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


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
    _write_utf8(export.dumps(result) + "\n")


@app.command()
def text(path: Path = typer.Argument(..., help="A .txt, .docx, .html or .pdf file.")) -> None:
    """Print the plain text that offsets refer to."""
    try:
        doc = read_document(path)
    except ReadError as exc:
        _fail(str(exc))
    _write_utf8(doc.text)


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


def _load_scorer(gold: Path):
    """The evaluation code lives beside the gold set in ``eval/``, outside the package, so
    nothing the pipeline imports can read the gold."""
    import importlib.util

    for candidate in (gold.parent / "scorer.py", Path(__file__).resolve().parents[1] / "eval" / "scorer.py"):
        if candidate.is_file():
            spec = importlib.util.spec_from_file_location("plans_eval_scorer", candidate)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses need the module registered
            spec.loader.exec_module(module)
            return module
    _fail(f"no eval/scorer.py next to {gold}")


@app.command("eval")
def evaluate(
    gold: Path = typer.Option(Path("eval/gold"), "--gold", help="Gold set: corpus/, entities/, measures/, metadata.jsonl."),
    pred: Path = typer.Option(None, "--pred", help="Score these <doc_id>.json files instead of running the pipeline."),
    out: Path = typer.Option(Path("out/eval"), "--out", "-o", help="Where the pipeline's output goes when it runs."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    """Run the pipeline on the gold corpus and print P/R/F1 per label, measure and metadata scores."""
    import json
    from dataclasses import asdict

    scorer = _load_scorer(gold)
    if pred is None:
        pred = out / "docs"
        for item in process_many(find_documents(gold / "corpus")):
            if isinstance(item, Failure):
                _fail(f"{item.path}: {item.stage}: {item.message}")
            export.write_atomic(pred / f"{item.source.doc_id}.json", export.dumps(item) + "\n")
    report = scorer.score(gold, scorer.load_predictions(pred))
    typer.echo(json.dumps(asdict(report), ensure_ascii=False, indent=1) if as_json else scorer.format_report(report))


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""The ``plans`` command: a thin layer over :mod:`pipeline.process` and :mod:`pipeline.export`."""
from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path

import typer

from . import export
from .models import ReadError
from .dataset import build_dataset, write_dataset
from .process import Failure, find_documents, process_corpus, process_document
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

    def report(item) -> None:
        if isinstance(item, Failure):
            typer.echo(f"skipped {item.path}: {item.stage}: {item.message}", err=True)

    corpus = process_corpus(paths, on_item=report)
    for result in corpus.results:
        export.write_atomic(out / "docs" / f"{result.source.doc_id}.json", export.dumps(result) + "\n")
    dataset = build_dataset(corpus.results, corpus.linking)
    write_dataset(dataset, out)
    elapsed = time.perf_counter() - started
    typer.echo(
        f"{len(corpus.results)} documents, {len(dataset.measures)} measures, {len(dataset.mentions)} mentions, "
        f"{len(dataset.entities)} entities → {out} in {elapsed:.1f} s; {len(corpus.failures)} skipped"
    )


def _dataset(source: Path):
    from .process import corpus_dataset

    try:
        return corpus_dataset(source)
    except FileNotFoundError as exc:
        _fail(str(exc))


class ActsFormat(str, Enum):
    table = "table"
    csv = "csv"
    legalbases = "legalbases"


@app.command()
def acts(
    source: Path = typer.Argument(Path("corpora"), help="A folder of documents, or the OUT folder of `plans run`."),
    format: ActsFormat = typer.Option(ActsFormat.table, "--format", "-f", help="table (for reading), csv, or legalbases (the open-data shape)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """The legal-reference index: each cited act once, with who cites it."""
    from .views.acts import acts_index, legalbases

    index = acts_index(_dataset(source))
    if format is ActsFormat.table:
        text = _acts_table(index)
    else:
        frame = legalbases(index) if format is ActsFormat.legalbases else index
        text = frame.to_csv(index=False)
    if output is None:
        _write_utf8(text)
    else:
        export.write_atomic(output, text)
        typer.echo(f"{len(index)} acts → {output}", err=True)


def _acts_table(index) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table as RichTable

    table = RichTable(title=f"{len(index)} legal acts cited")
    for column in ("type", "date", "number", "title", "address", "docs", "measures"):
        table.add_column(column, overflow="fold")
    for row in index.itertuples(index=False):
        table.add_row(*(str(v) if v is not None and v == v else "" for v in (
            row.act_type, row.act_date, row.act_number, row.act_title or row.name, row.act_url,
            row.n_documents, row.n_measures)))
    buffer = StringIO()
    Console(file=buffer, width=200, force_terminal=False).print(table)
    return buffer.getvalue()


@app.command()
def compare(
    source: Path = typer.Argument(Path("corpora"), help="A folder of documents, or the OUT folder of `plans run`."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="Where to write the HTML report."),
) -> None:
    """A self-contained HTML report comparing the plans side by side."""
    from .views.compare import write_report

    dataset = _dataset(source)
    write_report(dataset, output)
    typer.echo(f"{len(dataset.documents)} plans compared → {output}")


@app.command()
def explain(
    entity: str = typer.Argument(..., help="An entity id, e.g. org:4a3008160be1."),
    source: Path = typer.Option(Path("out"), "--data", "-d", help="The OUT folder of `plans run` (or a folder of documents)."),
) -> None:
    """Show an entity's mentions and why they were joined."""
    dataset = _dataset(source)
    found = dataset.entities[dataset.entities["entity"] == entity]
    if found.empty:
        _fail(f"no entity {entity} in {source}")
    e = found.iloc[0]
    lines = [f"{e['entity']}  {e['label']}  {e['name']}", f"  key: {e['key']}"]
    if isinstance(e["scope"], str):
        lines.append(f"  scope: {e['scope']}")
    lines.append(f"  {e['n_mentions']} mentions in {e['n_documents']} documents: {e['documents']}")
    merges = dataset.merges[dataset.merges["entity"] == entity]
    lines.append(f"  joined by {len(merges)} merges" + (":" if len(merges) else " (every mention has the same key)"))
    for m in merges.itertuples(index=False):
        score = "" if m.score != m.score or m.score is None else f" (similarity {m.score:g})"
        lines.append(f"    {m.rule}: {m.left!r} + {m.right!r}{score}")
    mentions = dataset.mentions[dataset.mentions["entity"] == entity]
    lines.append("  mentions:")
    for m in mentions.itertuples(index=False):
        lines.append(f"    {m.doc_id} [{m.start}:{m.end}] {' '.join(m.text.split())}")
    _write_utf8("\n".join(lines) + "\n")


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
        corpus = process_corpus(find_documents(gold / "corpus"))
        if corpus.failures:
            failure = corpus.failures[0]
            _fail(f"{failure.path}: {failure.stage}: {failure.message}")
        for result in corpus.results:
            export.write_atomic(pred / f"{result.source.doc_id}.json", export.dumps(result) + "\n")
    report = scorer.score(gold, scorer.load_predictions(pred))
    typer.echo(json.dumps(asdict(report), ensure_ascii=False, indent=1) if as_json else scorer.format_report(report))


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""The ``plans`` command: a thin layer over :mod:`pipeline.process` and :mod:`pipeline.export`."""
from __future__ import annotations

import gc
import sys
import time
from enum import Enum
from pathlib import Path

import typer

from . import export
from .models import ReadError
from .process import find_documents, process_corpus, process_document
from .read import read_document

app = typer.Typer(help="Turn Ukrainian public plan documents into structured, linked data.", no_args_is_help=True)


class OutputFormat(str, Enum):
    json = "json"


class Backend(str, Enum):
    """How PERSON and ORG are tagged: rules plus the shipped spaCy model (default), rules
    plus the shipped Stanza model (needs the stanza extra), or the rules alone."""

    spacy = "spacy"
    stanza = "stanza"
    rules = "rules"


BACKEND_OPTION = typer.Option(Backend.spacy, "--backend", help="Tagger: rules + spaCy model, rules + Stanza model, or rules only.")


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
    backend: Backend = BACKEND_OPTION,
) -> None:
    """Print the contract JSON for one document."""
    try:
        result = process_document(path, backend=backend.value)
    except ReadError as exc:
        _fail(str(exc))
    _write_utf8(export.dumps(result, indent=1) + "\n")


@app.command()
def text(path: Path = typer.Argument(..., help="A .txt, .docx, .html or .pdf file.")) -> None:
    """Print the plain text that offsets refer to."""
    try:
        doc = read_document(path)
    except ReadError as exc:
        _fail(str(exc))
    _write_utf8(doc.text)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def run(
    directory: Path = typer.Argument(Path("corpora"), help="Folder (or file) to process."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local processes, or a Dask cluster."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: a local cluster)."),
    timeout: float = typer.Option(300.0, "--timeout", help="Seconds one document may take before it is reported and skipped."),
    backend: Backend = BACKEND_OPTION,
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any document failed."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on standard error."),
) -> None:
    """Process every document under DIRECTORY into OUT: docs/<doc_id>.json, the dataset
    tables and errors.csv. Documents analysed before (same content, same pipeline) are not
    analysed again, so a stopped run picks up where it was."""
    from .ingest import RunOptions, ingest

    paths = find_documents(directory)
    if not paths:
        _fail(f"{directory}: no .txt, .docx, .html or .pdf documents found")
    options = RunOptions(workers=workers, engine=engine.value, scheduler=scheduler, timeout=timeout,
                         backend=backend.value)
    with _progress_bar(progress) as report:
        summary = ingest(paths, out, options, on_progress=report)
    for failure in summary.failures:
        typer.echo(f"skipped {failure.path}: {failure.stage}: {failure.message}", err=True)
    typer.echo(
        f"{summary.documents - len(summary.failures)} documents ({summary.analysed} analysed, {summary.cached} unchanged), "
        f"{summary.measures} measures, {summary.mentions} mentions, {summary.entities} entities → {out} "
        f"in {summary.seconds:.1f} s; {len(summary.failures)} failed (see {out / 'errors.csv'})"
    )
    if strict and summary.failures:
        raise typer.Exit(code=1)


class _progress_bar:
    """A rich progress bar with documents/s and ETA on standard error (nothing when off)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from rich.console import Console

        self.bar = Progress(
            TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(), TextColumn("{task.fields[failed]} failed"),
            console=Console(stderr=True), transient=False,
        )
        self.bar.start()
        self.task = self.bar.add_task("run", total=None, rate="–", failed=0)
        self.started = time.perf_counter()
        self.failed = 0
        return self.update

    def update(self, done: int, total: int, failure) -> None:
        self.failed += failure is not None
        elapsed = time.perf_counter() - self.started
        rate = f"{done / elapsed:.1f}" if elapsed > 0 and done else "–"
        self.bar.update(self.task, completed=done, total=total, rate=rate, failed=self.failed)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


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


def _load_eval_module(name: str, near: Path):
    """The evaluation code lives in ``eval/``, outside the package, so nothing the pipeline
    imports can read the gold."""
    import importlib.util

    for candidate in (near / f"{name}.py", Path(__file__).resolve().parents[1] / "eval" / f"{name}.py"):
        if candidate.is_file():
            spec = importlib.util.spec_from_file_location(f"plans_eval_{name}", candidate)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses need the module registered
            spec.loader.exec_module(module)
            return module
    _fail(f"no eval/{name}.py next to {near}")


def _load_scorer(gold: Path):
    return _load_eval_module("scorer", gold.parent)


@app.command("eval")
def evaluate(
    gold: Path = typer.Option(Path("eval/gold"), "--gold", help="Gold set: corpus/, entities/, measures/, metadata.jsonl."),
    pred: Path = typer.Option(None, "--pred", help="Score these <doc_id>.json files instead of running the pipeline."),
    out: Path = typer.Option(Path("out/eval"), "--out", "-o", help="Where the pipeline's output goes when it runs."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    backend: Backend = BACKEND_OPTION,
    with_heldout: bool = typer.Option(True, "--heldout/--no-heldout", help="Also score PERSON/ORG on the held-out slice of ../shared/ner-uk."),
) -> None:
    """Run the pipeline on the gold corpus and print P/R/F1 per label, measure and metadata
    scores; then PERSON/ORG on the held-out slice of the NER training corpus."""
    import json
    from dataclasses import asdict

    scorer = _load_scorer(gold)
    if pred is None:
        pred = out / "docs"
        corpus = process_corpus(find_documents(gold / "corpus"), backend=backend.value)
        if corpus.failures:
            failure = corpus.failures[0]
            _fail(f"{failure.path}: {failure.stage}: {failure.message}")
        for result in corpus.results:
            export.write_atomic(pred / f"{result.source.doc_id}.json", export.dump_bytes(result))
    report = scorer.score(gold, scorer.load_predictions(pred))
    heldout = None
    if with_heldout:
        # The slice of ner-uk set aside from training (training/heldout.txt), when the
        # corpus is beside the repository.
        module = _load_eval_module("ner_heldout", gold.parent)
        try:
            heldout = module.evaluate(backend.value)
        except FileNotFoundError as exc:
            typer.echo(f"held-out slice skipped: {exc}", err=True)
    if as_json:
        payload = asdict(report) | {"backend": backend.value}
        if heldout is not None:
            payload["heldout"] = [s.as_dict() for s in heldout]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    typer.echo(f"backend: {backend.value}\n" + scorer.format_report(report))
    if heldout is not None:
        typer.echo("")
        module.print_table(heldout, module.heldout_count())


def main() -> None:
    try:
        app()
    finally:
        # The process ends here: the collector's last pass at exit, over the loaded models
        # and caches, would free nothing the exit does not (a quarter of a second after a run).
        gc.freeze()


if __name__ == "__main__":
    main()

"""`redline extract`, `redline eval`, `redline parse-plan`: thin shells over redline.extract."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


BACKENDS = ("lexicon", "semantic", "hybrid", "trained", "llm")


def _extractor(profile: Optional[str], backend: str, min_confidence: float = 0.0):
    from redline.extract.pipeline import Extractor
    from redline.profile import load_profile

    if backend not in BACKENDS:
        raise typer.BadParameter(f"--backend must be one of {', '.join(BACKENDS)}")
    from redline.checks import check_lexicon

    prof = load_profile(profile)
    check_lexicon(prof)  # a wrongly typed lexicon.yaml is a data error, not a crash in the loader
    if backend in ("trained", "llm"):  # model backends: built in redline.extract.backends
        from redline.extract.backends import make_extractor
        return make_extractor(prof, backend, min_confidence)
    return Extractor(prof, backend=backend, min_confidence=min_confidence)


def register(app: typer.Typer) -> None:
    """Add the extraction commands to the `redline` app."""
    from redline.extract.train_cli import register_train

    register_train(app)

    @app.command("extract")
    def extract_cmd(
        paths: list[Path] = typer.Argument(..., help="JSONL of documents (id, text[, date, url, title]) or text files"),
        fmt: str = typer.Option("jsonl", "--format", help="jsonl (gold-file format) or table"),
        backend: str = typer.Option("lexicon", "--backend", help=f"one of {', '.join(BACKENDS)} (docs/extraction.md)"),
        min_confidence: float = typer.Option(0.0, "--min-confidence", help="drop statements below this"),
        profile: Optional[str] = typer.Option(None, "--profile", help="profile name or folder"),
        encoding: str = typer.Option("utf-8", "--encoding", help="encoding of the input files"),
    ) -> None:
        """Extract sourced statements: one JSON line per input document, in input order.

        A file or record that cannot be read is skipped with one line on stderr and the rest is
        extracted; the exit status is then 1."""
        from redline.extract.io import read_inputs, write_jsonl

        from redline.inputs import display

        ex = _extractor(profile, backend, min_confidence)
        skipped: list[str] = []

        def results():
            for state in ex.run(read_inputs(paths, encoding=encoding, on_skip=skipped.append)):
                doc = state.document
                for note in state.notes:
                    typer.echo(f"warning: {display(doc.path) + ': ' if doc.path else ''}{doc.id}: {note}", err=True)
                yield doc, state.statements

        if fmt == "jsonl":
            write_jsonl(results(), sys.stdout)
        elif fmt == "table":
            for doc, sts in results():
                for s in sts:
                    typer.echo(f"{doc.id}\t{s.party}\t{s.issue}\t{s.polarity.value}\t{s.act.value}\t"
                               f"{'RED' if s.red_line else ''}\t{s.confidence:.2f}\t{s.speaker}")
        else:
            raise typer.BadParameter("--format must be jsonl or table")
        if skipped:
            for line in skipped:
                typer.echo(f"skipped {line}", err=True)
            typer.echo(f"{len(skipped)} input(s) skipped; the rest was extracted", err=True)
            raise typer.Exit(1)

    @app.command("eval")
    def eval_cmd(
        gold: Path = typer.Argument(..., help="gold JSONL (id, text, statements)"),
        fmt: str = typer.Option("text", "--format", help="text or json"),
        backend: str = typer.Option("lexicon", "--backend", help=f"one of {', '.join(BACKENDS)}"),
        worst: int = typer.Option(5, "--worst", help="how many worst documents to list"),
        split: str = typer.Option("all", "--split", help="all, or A / B: a fixed half of the documents"),
        profile: Optional[str] = typer.Option(None, "--profile"),
    ) -> None:
        """Score extraction against a gold file: P/R/F1 on (party, issue, polarity), act, red line."""
        from redline.extract.evaluate import evaluate, format_report, split_halves
        from redline.extract.io import read_gold

        records = read_gold(gold)
        if split in ("A", "B"):
            records = split_halves(records)[0 if split == "A" else 1]
        elif split != "all":
            raise typer.BadParameter("--split must be all, A or B")
        report = evaluate(records, _extractor(profile, backend))
        if fmt == "json":
            typer.echo(json.dumps({"backend": backend, "split": split, "documents": len(records),
                                   **report.as_dict(worst)}, indent=2))
        elif fmt == "text":
            typer.echo(format_report(report, label=f"{backend} backend, {len(records)} documents",
                                     worst=worst))
        else:
            raise typer.BadParameter("--format must be text or json")

    @app.command("parse-plan")
    def parse_plan_cmd(
        path: Path = typer.Argument(..., help="a plan text with numbered points or bullets"),
        plan_id: Optional[str] = typer.Option(None, "--id", help="plan id (default: from the title)"),
        title: Optional[str] = typer.Option(None, "--title"),
        date: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD"),
        proposer: list[str] = typer.Option([], "--proposer", help="party id; repeat for several"),
        url: Optional[str] = typer.Option(None, "--url", help="source URL of the text"),
        profile: Optional[str] = typer.Option(None, "--profile"),
        encoding: str = typer.Option("utf-8", "--encoding", help="encoding of the plan text"),
    ) -> None:
        """Parse a plan text into Plan YAML (one provision per point, mapped to issues) for review."""
        from redline.cliutil import parse_date
        from redline.plans.parse import check_metadata, parse_plan, plan_to_yaml, read_plan_text

        check_metadata(plan_id=plan_id, url=url, title=title)
        text = read_plan_text(path, encoding=encoding)
        when = parse_date(date, "--date") if date else None
        ex = _extractor(profile, "lexicon")
        for p in proposer:
            if p not in ex.profile.parties:
                from redline.errors import did_you_mean
                raise typer.BadParameter(f"unknown party {p!r}: {did_you_mean(p, ex.profile.parties)}")
        from redline.extract.nlp import reading_notes
        from redline.inputs import display

        # what the parser reads poorly or not at all (another language, past its limit), worded
        # as extract words it: points past the limit come out unmapped
        for note in reading_notes(text, ex.ctx.lexicon.language):
            typer.echo(f"warning: {display(path)}: {note}", err=True)
        plan = parse_plan(text, ex, plan_id=plan_id, title=title,
                          date=when, proposers=proposer or None, url=url)
        typer.echo(plan_to_yaml(plan), nl=False)

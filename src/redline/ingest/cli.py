"""``redline ingest PATH...``: files and folders into the project database, with a progress bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from redline.errors import DataError


def ingest_cmd(paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
               db: Optional[str] = typer.Option(None, "--db", help="SQLite file or database URL "
                                                "(default: $REDLINE_DATABASE_URL, else your data folder)."),
               extract: bool = typer.Option(False, "--extract",
                                            help="Also extract statements from new documents."),
               profile: Optional[str] = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                                                     help="Profile the extractor uses."),
               encoding: str = typer.Option("utf-8", "--encoding",
                                            help="Encoding of text files (e.g. cp1252 for old Windows files)."),
               max_mb: float = typer.Option(10.0, "--max-mb", min=0.001,
                                            help="Skip single files larger than this."),
               batch: int = typer.Option(25, "--batch", min=1, help="Documents per transaction."),
               fmt: str = typer.Option("terminal", "--format", "-f", help="terminal or json (the summary)."),
               progress: bool = typer.Option(True, "--progress/--no-progress",
                                             help="Show a progress bar (only on a terminal)."),
               ) -> None:
    """Store articles (tagged, text, Markdown, HTML, JSON Lines); skips what it has seen.

    Every file that cannot be read is skipped with the reason; the rest is stored. Exit status:
    0 when everything was stored or already seen, 1 when something was skipped (the rest is
    stored; run it again after fixing the skipped files and only they are added), 130 when
    interrupted. Interrupted runs can be run again: each document is stored exactly once.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from redline.ingest.core import Ingest, load_extractor
    from redline.ingest.readers import Options, iter_files
    from redline.inputs import check_encoding, display
    from redline.store import open_store
    from redline.store.store import Skipped

    if fmt not in ("terminal", "json"):
        raise DataError(f"unknown format {display(fmt)!r}", fix="use terminal or json")
    check_encoding(encoding)
    extractor = None
    if extract:
        from redline.profile import load_profile

        extractor = load_extractor(load_profile(profile))
    err = Console(stderr=True)
    items = list(iter_files(paths))
    files = [i for i in items if not isinstance(i, Skipped)]
    with open_store(db, upgrade=True) as store:
        run = Ingest(store, extractor=extractor, batch_size=batch,
                     opts=Options(encoding=encoding, max_bytes=int(max_mb * 1024 * 1024)))
        for i in items:
            if isinstance(i, Skipped):
                run.add(i)
        bar = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                       MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
                       disable=not (progress and err.is_terminal))
        try:
            with bar:
                task = bar.add_task("ingesting", total=len(files))
                for path, root in files:
                    bar.update(task, description=_short_name(path))
                    run.file(path, root)
                    bar.advance(task)
                run.flush()
        except KeyboardInterrupt:
            result = run.result
            err.print(f"interrupted: {result.summary()} so far; the batch in flight was not stored. "
                      "Run the same command again to continue (stored documents are skipped).")
            raise typer.Exit(130)
        result = run.result
        where = store.url
    if fmt == "json":
        data = {"database": where, **result.to_dict(), "warnings": run.warnings}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True) + "\n")
    else:
        typer.echo(f"{result.summary()} → {display(where, 500)}")
        for s in result.skipped:
            typer.echo(f"  skipped {display(s.source, 500)}: {display(s.reason, 500)}")
        for old, new in result.renamed.items():
            typer.echo(f"  id {display(old)!r} was taken by another text: stored as {display(new)!r}")
        for w in run.warnings:
            typer.echo(f"  warning: {display(w, 500)}")
    if result.skipped:
        raise typer.Exit(1)


def _short_name(path: Path, n: int = 40) -> str:
    name = str(path)
    return name if len(name) <= n else "…" + name[-(n - 1):]


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)

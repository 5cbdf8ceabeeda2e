"""The `redline` command: a thin Typer shell over the library (every command calls one function)."""

from __future__ import annotations

import sys

import typer

from redline.errors import RedlineError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Analyse peace plans and negotiating positions, with the evidence shown.")


def main() -> None:
    """Entry point: user and data errors exit 1 with one line each; anything else exits 2."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except RedlineError as exc:
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        sys.exit(1)
    except (typer.BadParameter, typer.Abort) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last resort must name the failure, not hide it
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(1)
        typer.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)

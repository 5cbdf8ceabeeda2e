"""CLI commands over the project database: statements, timeline, db …, token ….

``register(app)`` adds them to the ``redline`` Typer app. Every command takes ``--db`` (an SQLite
file or a database URL); the default is ``$REDLINE_DATABASE_URL``, else the user's data folder.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Optional

import typer

from redline.cliutil import parse_date
from redline.errors import DataError

DbOpt = typer.Option(None, "--db", help="SQLite file or database URL "
                     "(default: $REDLINE_DATABASE_URL, else redline.sqlite3 in your data folder).")


def _store(db: str | None):
    from redline.store import open_store

    return open_store(db, upgrade=True)


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _short(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


STATEMENT_FIELDS = ["date", "party", "issue", "polarity", "option", "act", "red_line", "speaker",
                    "quote", "confidence", "url", "document_id"]


def statements_cmd(party: Optional[str] = typer.Option(None, "--party", help="Party id (see the profile's parties.yaml)."),
                   issue: Optional[str] = typer.Option(None, "--issue",
                                                       help="Issue id, or a prefix ending in '*' (alliance.*)."),
                   since: Optional[str] = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
                   until: Optional[str] = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
                   text: Optional[str] = typer.Option(None, "--text", help="Words in the quote or speaker."),
                   limit: int = typer.Option(50, "--limit", min=1, max=1000),
                   offset: int = typer.Option(0, "--offset", min=0),
                   fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, json or csv."),
                   profile: Optional[str] = typer.Option(None, "--profile", "-p",
                                                         help="Profile whose party and issue ids the filters use."),
                   db: Optional[str] = DbOpt) -> None:
    """Stored statements, newest first, filtered by party, issue, dates and text."""
    from redline.profile import load_profile
    from redline.services.workspace import check_statement_filters

    if fmt not in ("terminal", "json", "csv"):
        raise DataError(f"unknown format {fmt!r}", fix="use terminal, json or csv")
    check_statement_filters(load_profile(profile), party, issue)
    with _store(db) as store:
        rows, total = store.statements(party=party, issue=issue, since=parse_date(since, "--since"),
                                       until=parse_date(until, "--until"), text=text, limit=limit, offset=offset)
    records = [{k: v for k, v in r.model_dump(mode="json").items() if k in STATEMENT_FIELDS} for r in rows]
    if fmt == "json":
        _emit(json.dumps({"total": total, "offset": offset, "statements": records}, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=STATEMENT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} of {total} statement(s)", show_lines=False)
    for col in ("date", "party", "issue", "stance", "speaker", "quote"):
        table.add_column(col, overflow="fold")
    for r in rows:
        stance = (r.option or r.polarity.value) + (" [red]RED LINE[/]" if r.red_line else "")
        table.add_row(str(r.date or ""), r.party, r.issue, stance, r.speaker, _short(r.quote))
    Console().print(table)
    if total > offset + len(rows):
        typer.echo(f"{total - offset - len(rows)} more: use --offset {offset + len(rows)}", err=True)


def timeline_cmd(party: str = typer.Argument(..., help="Party id (see the profile's parties.yaml)."),
                 issue: str = typer.Argument(..., help="Issue id (see the profile's issues.yaml)."),
                 since: Optional[str] = typer.Option(None, "--since"),
                 until: Optional[str] = typer.Option(None, "--until"),
                 profile: Optional[str] = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                                                       help="Profile for option names and id checks."),
                 fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, md or json."),
                 db: Optional[str] = DbOpt) -> None:
    """How a party's stance on an issue moved, dated, with quotes; shifts are marked. The same
    timeline as the web page and /api/timeline: the profile's curated positions on the issue,
    then the stored statements."""
    from redline.positions.timeline import profile_timeline
    from redline.profile import load_profile

    if fmt not in ("terminal", "md", "json"):
        raise DataError(f"unknown format {fmt!r}", fix="use terminal, md or json")
    prof = load_profile(profile)
    prof.party(party)
    issue_model = prof.issue(issue)
    with _store(db) as store:
        statements = list(store.all_statements(party=party, issue=issue, since=parse_date(since, "--since"),
                                               until=parse_date(until, "--until")))
    line = profile_timeline(prof, party, issue, statements, len(statements), True)
    if not line.entries and not line.positions:
        raise DataError(f"no curated position and no dated statement of {party} on {issue}",
                        fix="ingest articles with 'redline ingest --extract PATH'")
    if fmt == "json":
        _emit(json.dumps(line.to_dict(), indent=2, ensure_ascii=False))
        return
    steps = [f"{p.since}: {p.preferred}" + (f" (red lines: {', '.join(p.red_lines)})" if p.red_lines else "")
             for p in line.positions]
    if fmt == "md":
        out = [f"## {party} on {issue}: {issue_model.proposition}", "",
               "Curated positions: " + ("; ".join(steps) if steps else "none"), "",
               "| date | stance | shift | speaker | quote | source |", "|---|---|---|---|---|---|"]
        for e in line.entries:
            out.append(f"| {e.date} | {e.stance}{' (red line)' if e.red_line else ''} | "
                       f"{'⇄' if e.shift else ''} | {e.speaker} | {_short(e.quote).replace('|', '/')} | "
                       f"{e.url or e.document_id or ''} |")
        _emit("\n".join(out))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{party} on {issue} — {issue_model.proposition} "
                        f"({len(line.entries)} statements, {len(line.shifts)} shift(s))")
    for col in ("date", "stance", "", "speaker", "quote", "source"):
        table.add_column(col, overflow="fold")
    for e in line.entries:
        colour = "green" if e.polarity == "for" else "red" if e.polarity == "against" else "white"
        table.add_row(str(e.date), f"[{colour}]{e.stance}[/]" + (" [bold]RED LINE[/]" if e.red_line else ""),
                      "[yellow]⇄ shift[/]" if e.shift else "", e.speaker, _short(e.quote),
                      e.url or e.document_id or "")
    typer.echo("curated positions: " + ("; ".join(steps) if steps else "none"))
    Console().print(table)
    if line.undated:
        typer.echo(f"{line.undated} undated statement(s) left out", err=True)


# --- db -----------------------------------------------------------------------------------

db_app = typer.Typer(no_args_is_help=True, help="The project database: migrations, profiles.")


@db_app.command("upgrade")
def db_upgrade(db: Optional[str] = DbOpt) -> None:
    """Create or migrate the database schema to the latest revision."""
    from redline.store import open_store

    with open_store(db) as store:
        before = store.revision()
        after = store.upgrade()
        change = "already at" if before == after else f"{before or 'empty'} →"
        typer.echo(f"{store.url}: {change} revision {after} (head)")


@db_app.command("info")
def db_info(db: Optional[str] = DbOpt) -> None:
    """Where the database is, its revision and how many rows each table holds."""
    with _store(db) as store:
        typer.echo(f"database: {store.url}")
        typer.echo(f"revision: {store.revision()}")
        for table, n in store.stats().items():
            typer.echo(f"{table}: {n}")


@db_app.command("load-profile")
def db_load_profile(profile: Optional[str] = typer.Argument(None, help="Profile name or folder (default: russia-ukraine)."),
                    db: Optional[str] = DbOpt) -> None:
    """Load a profile's issues, parties, curated positions and plans into the database."""
    from redline.profile import load_profile

    prof = load_profile(profile)
    with _store(db) as store:
        pid = store.load_profile(prof)
    typer.echo(f"loaded {pid}: {len(prof.issues)} issues, {len(prof.parties)} parties, "
               f"{len(prof.positions)} positions, {len(prof.plans)} plans, {len(prof.cases)} cases")


@db_app.command("export-profile")
def db_export_profile(directory: str = typer.Argument(..., help="Folder to write (new or empty)."),
                      profile_id: str = typer.Option("russia-ukraine", "--profile", "-p",
                                                     help="Id of the stored profile."),
                      force: bool = typer.Option(False, "--force", help="Overwrite a non-empty folder."),
                      db: Optional[str] = DbOpt) -> None:
    """Write a stored profile back as YAML files (loadable with --profile DIR)."""
    with _store(db) as store:
        out = store.export_profile(profile_id, directory, overwrite=force)
    typer.echo(f"wrote profile {profile_id} to {out}")


# --- tokens -------------------------------------------------------------------------------

token_app = typer.Typer(no_args_is_help=True, help="API tokens for write access to the web API.")


@token_app.command("create")
def token_create(name: str = typer.Option(..., "--name", help="Who or what the token is for."),
                 db: Optional[str] = DbOpt) -> None:
    """Create a token with write access; the secret is printed once and never stored."""
    with _store(db) as store:
        secret = store.create_token(name)
    typer.echo(secret)
    typer.echo(f"token {name!r} created: keep the line above, it is not shown again", err=True)


@token_app.command("revoke")
def token_revoke(name: str = typer.Option(..., "--name"), db: Optional[str] = DbOpt) -> None:
    """Revoke a token: its secret stops working at once."""
    with _store(db) as store:
        store.revoke_token(name)
    typer.echo(f"token {name!r} revoked")


@token_app.command("list")
def token_list(db: Optional[str] = DbOpt) -> None:
    """Token names, scopes and dates (never the secrets)."""
    with _store(db) as store:
        items = store.tokens()
    if not items:
        typer.echo("no tokens")
    for tk in items:
        state = f"revoked {tk.revoked_at:%Y-%m-%d %H:%M}" if tk.revoked_at else "active"
        typer.echo(f"{tk.name}\t{tk.scope}\tcreated {tk.created_at:%Y-%m-%d %H:%M}\t{state}")


def register(app: typer.Typer) -> None:
    app.command("statements")(statements_cmd)
    app.command("timeline")(timeline_cmd)
    app.add_typer(db_app, name="db")
    app.add_typer(token_app, name="token")

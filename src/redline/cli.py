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
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
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


# --- shared options -----------------------------------------------------------------------

import json  # noqa: E402
from typing import Optional  # noqa: E402

from rich.console import Console  # noqa: E402

from redline.cliutil import parse_date, split_ids  # noqa: E402
from redline.errors import DataError  # noqa: E402
from redline.render import FORMATS  # noqa: E402

ProfileOpt = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                          help="Profile name (bundled) or folder; default russia-ukraine.")
FormatOpt = typer.Option("terminal", "--format", "-f", help="terminal, md, json or html.")
AsOfOpt = typer.Option(None, "--as-of", help="Use positions as of this date (YYYY-MM-DD or 'today').")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r}", fix=f"use one of {', '.join(FORMATS)}")
    return fmt


def _profile(name: str | None):
    from redline.profile import load_profile

    return load_profile(name)


def emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- core commands ----------------------------------------------------------------------------

@app.command()
def assess(plan: str = typer.Argument(..., help="Plan id from the profile, or a plan YAML file."),
           profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt, as_of: Optional[str] = AsOfOpt,
           parties: Optional[str] = typer.Option(None, help="Comma-separated party ids (default: all with positions)."),
           precedents: bool = typer.Option(True, help="Add the PA-X precedents section when the data is found."),
           ) -> None:
    """Score a plan for every party: satisfaction, demands met, red lines crossed, verdict, durability."""
    from redline.assess import assess as run_assess
    from redline.precedents import plan_precedents
    from redline.render.terminal import assessment_view

    check_format(fmt)
    prof = _profile(profile)
    the_plan = prof.plan(plan)
    result = run_assess(prof, the_plan, as_of=parse_date(as_of), parties=split_ids(parties))
    if precedents:
        result.precedents = plan_precedents(the_plan, prof, top=5).model_dump(mode="json")
    _print_report(result, fmt, "assessment", "a", assessment_view)


def _print_report(result, fmt: str, template: str, name: str, view) -> None:
    """One report in the chosen format: JSON, a Jinja2 template (md/html), or a Rich view."""
    from redline.render import render_html, render_json, render_markdown

    if fmt == "json":
        emit(render_json(result))
    elif fmt in ("md", "html"):
        emit((render_markdown if fmt == "md" else render_html)(template, **{name: result}))
    else:
        Console().print(view(result))


@app.command()
def compare(before: str = typer.Argument(..., help="Earlier plan (id or YAML file)."),
            after: str = typer.Argument(..., help="Later plan (id or YAML file)."),
            profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt, as_of: Optional[str] = AsOfOpt) -> None:
    """Two plans side by side by issue, with a word-level redline and each party's before → after."""
    from redline.assess import compare as run_compare
    from redline.render.terminal import comparison_view

    check_format(fmt)
    result = run_compare(_profile(profile), before, after, as_of=parse_date(as_of))
    _print_report(result, fmt, "comparison", "c", comparison_view)


@app.command()
def plans(profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt) -> None:
    """List the profile's plans: id, date, proposers, number of provisions."""
    from redline.render.terminal import plans_table

    check_format(fmt)
    prof = _profile(profile)
    rows = [{"id": p.id, "title": p.title, "date": p.date.isoformat(), "proposers": p.proposers,
             "status": p.status, "provisions": len(p.provisions), "issues": len(p.terms())}
            for p in sorted(prof.plans.values(), key=lambda p: p.date)]
    if fmt == "json":
        emit(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt in ("md", "html"):
        from redline.render import md_escape

        lines = ["| id | date | proposers | provisions | issues | title |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['id']} | {r['date']} | {', '.join(r['proposers'])} | {r['provisions']} | {r['issues']} | "
                  f"{md_escape(r['title'])} |" for r in rows]
        emit("\n".join(lines))
    else:
        Console().print(plans_table(prof))


@app.command()
def positions(profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt, as_of: Optional[str] = AsOfOpt,
              parties: Optional[str] = typer.Option(None, help="Comma-separated party ids (columns)."),
              suggest: bool = typer.Option(False, "--suggest",
                                           help="Also show positions suggested by extracted statements."),
              db: Optional[str] = typer.Option(None, "--db", help="Project database (path or URL) for --suggest."),
              ) -> None:
    """The party × issue matrix of curated positions (as of a date: latest by default)."""
    from redline.render.terminal import positions_table

    check_format(fmt)
    prof = _profile(profile)
    date = parse_date(as_of)
    ids = split_ids(parties)
    for p in ids or []:
        prof.party(p)
    if suggest:
        _suggest_positions(prof, date, fmt, db)
        return
    if fmt == "json":
        data = [p.model_dump(mode="json") for p in prof.positions_as_of(date, ids).values()]
        emit(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        Console().print(positions_table(prof, date, ids))


def _suggest_positions(prof, date, fmt, db) -> None:
    try:
        from redline.positions.suggest import suggest_cli
    except ImportError:
        raise DataError("suggested positions need the extraction extra and a project database",
                        fix="pip install 'redline[extract]' and run 'redline ingest' first") from None
    suggest_cli(prof, date, fmt, db=db)


@app.command()
def validate(profile_dir: str = typer.Argument(..., help="A profile folder or bundled profile name.")) -> None:
    """Check a profile: YAML syntax, ids, options, dates, cross-references, and that every item of
    evidence is citable, said by the date it is used from, and not a plan's own text."""
    from redline.profile import ProfileErrors, evidence_problems, evidence_tiers, load_profile

    try:
        prof = load_profile(profile_dir)
        problems = evidence_problems(prof)
    except ProfileErrors as exc:
        prof, problems = None, exc.errors
    for p in problems:
        typer.echo(f"error: {p.render()}", err=True)
    if prof is not None and not problems:
        typer.echo(f"ok: {prof.id}: {len(prof.issues)} issues, {len(prof.parties)} parties, "
                   f"{len(prof.positions)} positions, {len(prof.plans)} plans, {len(prof.cases)} cases")
    if prof is not None:
        for what, shares in evidence_tiers(prof).items():
            typer.echo(f"source tiers ({what}): " + ", ".join(f"{t} {v:.0%}" for t, v in shares.items()))
    if problems:
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)


@app.command()
def profiles() -> None:
    """List the bundled profiles."""
    from redline.profile import available_profiles, bundled_profiles_dir

    for name in available_profiles():
        typer.echo(name)
    if not available_profiles():
        raise DataError(f"no profiles found in {bundled_profiles_dir()}", fix="set REDLINE_PROFILES")


@app.command()
def schema(kind: str = typer.Argument("assessment", help="assessment or comparison")) -> None:
    """Print the JSON Schema of the --format json output (stable, versioned by schema_version)."""
    from redline.assess import Assessment, Comparison

    models = {"assessment": Assessment, "comparison": Comparison}
    if kind not in models:
        raise DataError(f"unknown schema {kind!r}", fix="use 'assessment' or 'comparison'")
    emit(json.dumps(models[kind].model_json_schema(), indent=2, sort_keys=True))


# --- commands of the other stages -----------------------------------------------------------
# Each stage package adds its commands through `register(app)`; heavy dependencies (spaCy,
# SQLAlchemy, FastAPI) are imported inside the commands, so `redline assess` starts fast.

_EXTRAS = {"redline.web.cli": ("web", ["serve"]), "redline.extract.cli": ("extract", ["extract", "eval", "parse-plan"])}


def _needs_extra(name: str, extra: str, missing: str) -> None:
    def command() -> None:
        raise DataError(f"'redline {name}' needs the '{extra}' extra ({missing} is not installed)",
                        fix=f"pip install -e '.[{extra}]'")

    command.__doc__ = f"(needs: pip install -e '.[{extra}]')"
    app.command(name, add_help_option=True)(command)


for _module in ("redline.extract.cli", "redline.ingest.cli", "redline.store.cli", "redline.bargain.cli",
                "redline.precedents.cli", "redline.web.cli"):
    try:
        _mod = __import__(_module, fromlist=["register"])
    except ModuleNotFoundError as _exc:
        if _exc.name and _exc.name.startswith("redline"):
            continue  # that stage is not part of this build
        if _module not in _EXTRAS:
            raise
        _extra, _names = _EXTRAS[_module]
        for _name in _names:
            _needs_extra(_name, _extra, _exc.name or "a dependency")
        continue
    _mod.register(app)

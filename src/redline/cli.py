"""The `redline` command: a thin Typer shell over the library (every command calls one function)."""

from __future__ import annotations

import sys

import typer

from redline.errors import RedlineError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Analyse peace plans and negotiating positions, with the evidence shown.")


def main() -> None:
    """Entry point: user and data errors exit 1 with one line each; anything else exits 2.

    Usage errors (an unknown option, a bad value) print Typer's usage message and exit 1, whether
    they come from Click or from the copy of Click Typer bundles; database errors a user can fix
    (a read-only file, a value the server rejects) exit 1 with the fix."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except RedlineError as exc:
        for line in str(exc).splitlines():
            typer.echo(f"error: {_safe(line)}", err=True)
        sys.exit(1)
    except (typer.BadParameter, typer.Abort) as exc:
        if getattr(exc, "ctx", None) is not None and hasattr(exc, "show"):
            exc.show()  # a bad option value from parsing: Typer's usage line and the option named
        else:
            typer.echo(f"error: {_safe(exc) or 'aborted'}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last resort must name the failure, not hide it
        if _is_click_exception(exc):
            if type(exc).__name__ == "Abort" or not hasattr(exc, "show"):
                typer.echo("error: aborted", err=True)
            else:
                exc.show()
            sys.exit(1)
        known = user_error(exc)
        if known is not None:
            typer.echo(f"error: {_safe(known)}", err=True)
            sys.exit(1)
        typer.echo(f"internal error: {type(exc).__name__}: {_safe(exc)}", err=True)
        sys.exit(2)


def _safe(text: object) -> str:
    """One printable line: control characters and lone surrogates escaped (printing them raises)."""
    from redline.inputs import display

    return display(text, limit=2000)


def _is_click_exception(exc: BaseException) -> bool:
    """A ClickException (or Abort) from Click itself or from the copy Typer bundles."""
    for cls in type(exc).__mro__:
        if cls.__name__ in ("ClickException", "Abort") and cls.__module__.split(".")[0] in ("click", "typer"):
            return True
    return False


def user_error(exc: BaseException) -> str | None:
    """A one-line message with its fix for failures the user can act on (a read-only or locked
    database, a value the database server rejects, a file that cannot be written), or None."""
    module = type(exc).__module__
    text = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
    low = text.lower()
    if module.startswith(("sqlalchemy", "sqlite3", "psycopg")):
        if "readonly" in low or "read-only" in low or "read only" in low:
            return (f"the database is read-only ({text}) (fix: make the database file and its folder "
                    "writable, or pass --db with a writable path)")
        if "locked" in low:
            return f"the database is locked by another process ({text}) (fix: retry when it finishes)"
        if "unable to open database" in low:
            return f"cannot open the database ({text}) (fix: check the --db path and its folder)"
        if "nul" in low or "0x00" in low:
            return f"the database rejected a value containing a NUL character ({text}) (fix: remove NULs from the input)"
        if "could not connect" in low or "connection" in low and "refused" in low:
            return f"cannot connect to the database ({text}) (fix: check the database URL and that the server runs)"
        if "disk" in low and ("full" in low or "i/o" in low):
            return f"the database cannot be written ({text}) (fix: free disk space)"
        return None
    if isinstance(exc, BrokenPipeError):
        return "output closed early (broken pipe)"
    if isinstance(exc, OSError) and exc.filename is not None and exc.errno is not None:
        return f"{exc.filename}: {exc.strerror} (fix: check the path and its permissions)"
    return None


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
    from redline.render.terminal import assessment_view
    from redline.services.workspace import assess_plan

    check_format(fmt)
    prof = _profile(profile)
    result = assess_plan(prof, prof.plan(plan), as_of=parse_date(as_of), parties=split_ids(parties),
                         precedents=precedents)
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
        from redline.render import render_html, render_markdown

        emit((render_markdown if fmt == "md" else render_html)("plans", rows=rows, profile=prof.id).rstrip("\n"))
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
    elif fmt in ("md", "html"):
        from redline.assess.rules import DEFAULT_RULES
        from redline.render import render_html, render_markdown
        from redline.services.matrix import matrix

        m = matrix(prof, date, ids)
        emit((render_markdown if fmt == "md" else render_html)(
            "positions", m=m, cells={(c.party, c.issue): c for c in m.cells},
            stale_days=DEFAULT_RULES.stale_after_days).rstrip("\n"))
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
    """Check a profile: YAML syntax, ids, options, dates, cross-references, that every item of
    evidence is citable, said by the date it is used from, and not a plan's own text, and every
    other file a command reads (lexicon.yaml: types and regular expressions; non-regular files)."""
    from redline.checks import file_kind_problems, lexicon_problems
    from redline.profile import ProfileErrors, evidence_problems, evidence_tiers, load_profile, resolve_profile_dir

    root = resolve_profile_dir(profile_dir)
    problems = file_kind_problems(root)
    try:
        prof = load_profile(profile_dir)
        problems += evidence_problems(prof)
    except ProfileErrors as exc:
        prof = None
        problems += exc.errors
    problems += lexicon_problems(root, prof.issues if prof else None, prof)
    seen: set[str] = set()
    unique = []
    for p in problems:
        if p.render() not in seen:
            seen.add(p.render())
            unique.append(p)
    problems = unique
    for p in problems:
        typer.echo(f"error: {_safe(p.render())}", err=True)
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

_EXTRAS = {"redline.web.cli": ("web", ["serve"]), "redline.extract.cli": ("extract", ["extract", "eval", "parse-plan", "train"])}


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

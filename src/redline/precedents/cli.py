"""CLI commands: ``precedents``, ``baserates`` and ``pax show``/``pax codes``, added by ``register(app)``."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from redline.errors import DataError, RedlineError

FORMATS = ("terminal", "json")

PaxOpt = typer.Option(None, "--pax", help="PA-X CSV file or folder (default: $REDLINE_PAX, then ../shared/data/pax).")
ProfileOpt = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                          help="Profile name (bundled) or folder; default russia-ukraine.")
FormatOpt = typer.Option("terminal", "--format", "-f", help="terminal or json.")
CodesOpt = typer.Option(None, "--codes", help="Comma-separated PA-X codes instead of a plan, e.g. SsrFf,ImPK,StBor.")


def _errors(fn: Callable) -> Callable:
    """User and data errors print one line each and exit 1, also when called outside redline's main()."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RedlineError as exc:
            for line in str(exc).splitlines():
                typer.echo(f"error: {line}", err=True)
            raise typer.Exit(1) from None

    return wrapper


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r} for this command", fix=f"use one of {', '.join(FORMATS)}")
    return fmt


def _date(value: str | None, flag: str, end: bool = False) -> dt.date | None:
    if not value:
        return None
    try:
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{flag} {value!r} is not a date", fix="write YYYY-MM-DD or a year") from None


def _split(values: list[str] | None) -> list[str]:
    return [p.strip() for v in values or [] for p in v.split(",") if p.strip()]


def _print(renderable) -> None:
    Console().print(renderable)


def _json(model) -> None:
    typer.echo(model.model_dump_json(indent=2) if hasattr(model, "model_dump_json")
               else json.dumps(model, indent=2, ensure_ascii=False, default=str))


@_errors
def precedents(
    plan: Optional[str] = typer.Argument(None, help="Plan id from the profile, or a plan YAML file."),
    codes: Optional[str] = CodesOpt,
    like: Optional[int] = typer.Option(None, "--like", help="Find agreements like this PA-X agreement (AgtId)."),
    top: int = typer.Option(10, "--top", "-n", help="How many agreements to show."),
    stage: Optional[list[str]] = typer.Option(None, "--stage", help="PA-X Stage or StageSub (Pre, Cea, SubPar, SubComp, Imp, Ren …); repeatable."),
    type_: Optional[list[str]] = typer.Option(None, "--type", help="PA-X agreement type Agtp (Inter, InterIntra, Intra, IntraLocal); repeatable."),
    region: Optional[list[str]] = typer.Option(None, "--region", help="Part of a PA-X region name, e.g. Europe; repeatable."),
    country: Optional[list[str]] = typer.Option(None, "--country", help="Part of a PA-X country/entity (Con), e.g. Georgia; repeatable."),
    weight: Optional[list[str]] = typer.Option(None, "--weight", "-w", help="Component weight NAME=VALUE (clauses, type, parties, stage); repeatable or comma-separated, e.g. type=0,parties=0.5."),
    per_process: Optional[int] = typer.Option(None, "--per-process", help="At most this many hits per PA-X peace process (default: the profile's)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only agreements on or after this date (YYYY-MM-DD or year)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only agreements on or before this date."),
    extra_weight: Optional[float] = typer.Option(None, "--extra-weight", help="Weight of clauses only the agreement has (1 = Jaccard; default: the profile's for plans, 0.5 otherwise)."),
    cases: bool = typer.Option(True, "--cases/--no-cases", help="Show historical cases outside PA-X sharing the plan's issues."),
    pax: Optional[Path] = PaxOpt, profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt,
) -> None:
    """Most similar past agreements in PA-X to a plan (or to a set of codes), and why."""
    from redline.precedents.pax import load_pax
    from redline.precedents.query import agreement_query, codes_query
    from redline.precedents.report import plan_precedents
    from redline.precedents.search import Filters, search
    from redline.precedents.views import cases_view, hits_view, query_view

    _format(fmt)
    given = [x for x in (plan, codes, like) if x is not None]
    if len(given) != 1:
        raise DataError("give exactly one of: a plan, --codes or --like",
                        fix="e.g. 'redline precedents PLAN' or 'redline precedents --codes SsrFf,ImPK'")
    filters = Filters(stages=_split(stage), types=_split(type_), regions=_split(region), countries=_split(country),
                      since=_date(since, "--since"), until=_date(until, "--until", end=True))
    if plan is not None:
        from redline.precedents.config import load_config, parse_weights
        from redline.precedents.panels import analogues_view, components_view
        from redline.profile import load_profile

        prof = load_profile(profile)
        weights = parse_weights(weight, load_config(prof).weights) if weight else None
        report = plan_precedents(prof.plan(plan), prof, pax, top=top, filters=filters, baserates=False,
                                 extra_weight=extra_weight, strict=True, weights=weights, per_process=per_process)
        if not cases:
            report.cases = []
        if fmt == "json":
            _json(report)
            return
        assert report.query is not None
        _print(query_view(report.query))
        from redline.precedents.search import SearchResult

        _print(hits_view(SearchResult(query=report.query, filters=report.filters,
                                      extra_weight=report.extra_weight if report.extra_weight is not None else 0.5,
                                      total=report.pax.agreements if report.pax else 0,
                                      considered=report.considered or 0, hits=report.hits)))
        _print(components_view(report.hits))
        if cases:
            _print(analogues_view(report.analogues))
            _print(cases_view(report.cases))
        return
    if weight:
        raise DataError("--weight applies to plan queries only",
                        fix="--codes and --like rank by clause overlap alone")
    data = load_pax(pax)
    query = codes_query(codes.split(","), data.codes) if codes is not None else agreement_query(data, like)
    result = search(data, query, filters, top=top, extra_weight=0.5 if extra_weight is None else extra_weight,
                    per_process=per_process)
    if fmt == "json":
        _json(result)
        return
    _print(query_view(query))
    _print(hits_view(result))


@_errors
def baserates(
    plan: Optional[str] = typer.Argument(None, help="Plan id from the profile, or a plan YAML file."),
    codes: Optional[str] = CodesOpt,
    stage: Optional[str] = typer.Option(None, "--stage", help="Compare with this PA-X stage (default for a plan: inferred)."),
    type_: Optional[str] = typer.Option(None, "--type", help="Compare with this agreement type, Agtp (default for a plan: inferred)."),
    threshold: float = typer.Option(0.10, "--unusual-below", help="Flag clauses rarer than this share."),
    min_group: int = typer.Option(20, "--min-group", help="Smallest group used as the reference for the flag."),
    pax: Optional[Path] = PaxOpt, profile: Optional[str] = ProfileOpt, fmt: str = FormatOpt,
) -> None:
    """How common each clause of a plan is in PA-X: overall, same stage, same agreement type, with counts."""
    from redline.precedents.baserates import base_rates, plan_base_rates
    from redline.precedents.pax import load_pax
    from redline.precedents.query import codes_query, plan_query
    from redline.precedents.views import baserates_view

    _format(fmt)
    if (plan is None) == (codes is None):
        raise DataError("give exactly one of: a plan or --codes",
                        fix="e.g. 'redline baserates PLAN' or 'redline baserates --codes StBor --type Inter'")
    if plan is not None:
        from redline.profile import load_profile

        prof = load_profile(profile)
        the_plan = prof.plan(plan)
        data = load_pax(pax)
        rates = plan_base_rates(data, the_plan, prof, plan_query(the_plan, prof, data.codes), stage, type_,
                                threshold=threshold, min_group=min_group)
    else:
        data = load_pax(pax)
        rates = base_rates(data, codes_query(codes.split(","), data.codes), stage, type_,
                           threshold=threshold, min_group=min_group)
    if fmt == "json":
        _json(rates)
    else:
        from redline.precedents.panels import directions_view, holds_view

        _print(baserates_view(rates))
        _print(directions_view(rates))
        _print(holds_view(rates.mechanism_holds))


@_errors
def pax_show(agreement_id: str = typer.Argument(..., help="PA-X agreement id (AgtId), e.g. 1364."),
             pax: Optional[Path] = PaxOpt, fmt: str = FormatOpt) -> None:
    """One PA-X agreement: what it says (its terms by code group), its outcome if known, and its codes."""
    from redline.precedents.outcomes import load_outcomes
    from redline.precedents.panels import summary_view
    from redline.precedents.pax import load_pax
    from redline.precedents.summary import agreement_summary
    from redline.precedents.views import agreement_view

    _format(fmt)
    data = load_pax(pax)
    agt = data.agreement(agreement_id)
    try:
        table = load_outcomes()
    except DataError:
        table = None
    summary = agreement_summary(agt, data.codes, table)
    if fmt == "json":
        out = agt.model_dump(mode="json")
        out["provisions"] = [{"code": c, "label": data.codes.label(c), "category": data.codes.category(c),
                              "value": v} for c, v in agt.provisions.items()]
        out["summary"] = summary.summary
        out["groups"] = [g.model_dump() for g in summary.groups]
        out["outcome"] = summary.outcome.model_dump(mode="json") if summary.outcome else None
        _json(out)
    else:
        _print(summary_view(summary))
        _print(agreement_view(agt, data.codes))


@_errors
def pax_codes(word: Optional[str] = typer.Argument(None, help="Part of a code, label or category to look for."),
              pax: Optional[Path] = PaxOpt, fmt: str = FormatOpt) -> None:
    """List PA-X codes (code, label, parent, category, agreements with it) to build --codes queries."""
    from rich.table import Table

    from redline.precedents.pax import load_pax

    _format(fmt)
    data = load_pax(pax)
    w = (word or "").lower()
    rows = [c for c in data.codes.codes.values() if c.in_csv and
            (not w or w in c.code.lower() or w in c.label.lower() or w in c.category.lower())]
    if not rows:
        raise DataError(f"no PA-X code matches {word!r}", fix="try a shorter word, e.g. 'withdrawal' or 'border'")
    counts = {c.code: int(data.has_any([c.code]).sum()) for c in rows}
    if fmt == "json":
        _json([{**c.model_dump(), "agreements": counts[c.code]} for c in rows])
        return
    t = Table(title=f"PA-X codes{f' matching {word!r}' if word else ''}")
    for col in ("code", "label", "parent", "category", "agreements"):
        t.add_column(col, overflow="fold")
    for c in rows:
        t.add_row(c.code, c.label, c.parent or "", c.category, str(counts[c.code]))
    _print(t)


def register(app: typer.Typer) -> None:
    """Add ``precedents``, ``baserates`` and the ``pax`` group (``show``, ``codes``) to ``app``."""
    app.command("precedents")(precedents)
    app.command("baserates")(baserates)
    pax_app = typer.Typer(no_args_is_help=True, help="Browse the PA-X peace agreement data.")
    pax_app.command("show")(pax_show)
    pax_app.command("codes")(pax_codes)
    app.add_typer(pax_app, name="pax")


__all__ = ["register", "precedents", "baserates", "pax_show", "pax_codes"]

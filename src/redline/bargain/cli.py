"""``redline bargain``, ``redline forecast`` and ``redline backtest``: a thin shell over the library.

``register(app)`` adds the three commands to the main Typer app. Tables go to the terminal with
Rich; ``--format json`` prints the same content as JSON with stable keys. The library (numpy,
SciPy, HiGHS) is imported inside the commands, so other commands start fast.
"""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

import typer

from redline.bargain import DEFAULT_TIME_LIMIT
from redline.cliutil import parse_date, split_ids
from redline.errors import DataError

if TYPE_CHECKING:
    from rich.console import Console

    from redline.bargain.deu import BacktestResult
    from redline.bargain.eum import EUMParams
    from redline.bargain.forecast import IssueForecast
    from redline.bargain.report import BargainReport

FORMATS = ("terminal", "json")


class SolutionChoice(str, Enum):
    all = "all"
    nash = "nash"
    maxmin = "maxmin"
    ks = "ks"


class NoDeal(str, Enum):
    status_quo = "status_quo"
    worst = "worst"
    zero = "zero"


class Dataset(str, Enum):
    deu = "deu"


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r} for this command", fix="use terminal or json")
    return fmt


def _eum_params(pairs: list[str]) -> "EUMParams":
    from pydantic import ValidationError

    from redline.bargain.eum import EUMParams

    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise DataError(f"--eum {pair!r} is not key=value", fix="e.g. --eum q=0.5 --eum offer=by_type")
        values[key.strip()] = value.strip()
    try:
        return EUMParams(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DataError(f"--eum {where}: {err['msg']}",
                        fix=f"parameters: {', '.join(EUMParams.model_fields)}") from None


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _console() -> "Console":
    from rich.console import Console

    return Console()


def _table(title: str, *columns: str):
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    return table


def _pct(v: float | None) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.1f}"


# -- bargain ---------------------------------------------------------------------------------

def _render_bargain(report: "BargainReport", console: "Console") -> None:
    t = report.table
    console.print(f"[bold]Bargaining[/bold] among {', '.join(t.parties)} on {len(t.issues)} questions "
                  f"(profile {report.profile}, positions as of {report.as_of}).")
    console.print("Satisfaction is each party's salience-weighted utility, 0–100; no deal: "
                  + ", ".join(f"{p} {_pct(v)}" for p, v in zip(t.parties, t.disagreement)) + ".")
    if t.fixed:
        console.print("Imposed: " + ", ".join(f"{k}={v}" for k, v in t.fixed.items()))
    for note in t.notes + report.notes:
        console.print(f"[yellow]note:[/yellow] {note}")

    if report.conflicts:
        console.print("\n[bold red]No package crosses no red line.[/bold red] Minimal conflicting red lines:")
        for c in report.conflicts:
            console.print(f"  • {c.explain()}")
        if report.partial_zone_size is not None:
            console.print(f"With {', '.join(report.left_open)} left unsettled, "
                          f"{report.partial_zone_size:,} packages cross no red line.")
    else:
        console.print(f"\n[bold]Zone of possible agreement:[/bold] {report.zone_size:,} packages cross no red line.")
    ruled = report.ruled_out()
    allowed = report.allowed()
    zone = _table("Options per issue", "issue", "acceptable to all", "ruled out by")
    def _few(items: list[str], limit: int = 6) -> str:
        # A compound question can have hundreds of combinations; show a handful and the count
        # (the JSON output keeps them all).
        return "; ".join(items[:limit]) + (f"; … and {len(items) - limit} more" if len(items) > limit else "")
    for issue in t.issues:
        zone.add_row(issue, _few(allowed[issue]) or "[red]none[/red]",
                     _few([f"{o}: {', '.join(ps)}" for o, ps in ruled.get(issue, {}).items()]))
    console.print(zone)

    names = list(report.solutions)
    if any(len(v) > 1 for v in report.solutions.values()):
        for name in names:
            _render_ranked(report, name, console)
    else:
        _render_solutions(report, names, console)

    if report.frontier is not None:
        f = report.frontier
        size = f"{len(f.points)}" if f.complete else f"{len(f.points)}+ (listing stopped at --frontier {f.limit})"
        console.print(f"Pareto frontier of the acceptable packages: {size} distinct satisfaction vectors.")

    if report.plans:
        plans = _table("Bundled plans against the zone", "plan", "red lines crossed", "lowest satisfaction",
                       "uniform gain", "dominated", "changes to closest acceptable")
        for fit in report.plans:
            low = min(fit.satisfaction.items(), key=lambda kv: kv[1])
            plans.add_row(fit.plan,
                          ", ".join(f"{r.party}: {r.issue}={r.option}" for r in fit.crosses) or "none",
                          f"{low[0]} {_pct(low[1])}",
                          _pct(fit.uniform_gain) if fit.proven else f"≥ {_pct(fit.uniform_gain)} (time limit)",
                          {None: "–", True: "yes", False: "no"}[fit.dominated],
                          "–" if fit.changes is None else str(fit.changes))
        console.print(plans)
        console.print("uniform gain: the most every party could gain at once by moving to an acceptable "
                      "package (≤ 0: no acceptable package is better for all); dominated: some acceptable "
                      "package is better for one party and worse for none.")

    if report.closest is not None:
        c = report.closest
        if not c.found:
            console.print(f"{c.name}: {c.reason}")
        else:
            assert c.package is not None
            table = _table(f"{c.name} (distance {c.objective:.2f})", "issue", "package")
            for issue, option in c.package.items():
                table.add_row(issue, option)
            console.print(table)


def _option(sol: Any, issue: str) -> str:
    if not sol.found:
        return "–"
    option = sol.package[issue]
    same = sol.equivalent.get(issue)
    return option + (f" (= {', '.join(same)})" if same else "")


def _render_solutions(report: "BargainReport", names: list[str], console: "Console") -> None:
    from redline.bargain.report import SOLUTION_NAMES

    sols = {n: report.solutions[n][0] for n in names}
    for n, s in sols.items():
        if not s.found:
            console.print(f"[red]{SOLUTION_NAMES[n]}:[/red] {s.reason}")
    found = {n: s for n, s in sols.items() if s.found}
    if not found:
        return
    packages = _table("Packages (one option per issue)", "issue", *[SOLUTION_NAMES[n] for n in found])
    for issue in report.table.issues:
        packages.add_row(issue, *[_option(s, issue) for s in found.values()])
    console.print(packages)
    sat = _table("Satisfaction 0–100 (gain over no deal)", "party", "no deal",
                 *[SOLUTION_NAMES[n] for n in found])
    for p, d in zip(report.table.parties, report.table.disagreement):
        sat.add_row(p, _pct(d), *[f"{_pct(s.satisfaction[p])} ({100 * s.gain[p]:+.1f})" for s in found.values()])
    console.print(sat)
    for n, s in found.items():
        if not s.proven:
            console.print(f"[yellow]{SOLUTION_NAMES[n]}: stopped by --time-limit; {_gap(n, s)}[/yellow]")
    _render_explanations(report, found, console)


def _render_explanations(report: "BargainReport", found: dict, console: "Console") -> None:
    """What each package gives each party, and what no deal means on each question."""
    from rich.markup import escape

    from redline.bargain.report import SOLUTION_NAMES

    for n, s in found.items():
        console.print(f"[bold]{SOLUTION_NAMES[n]}, party by party:[/bold]")
        for sentence in report.explain(s).values():
            console.print("  " + escape(sentence))
    console.print("[bold]No deal means:[/bold]")
    for issue, meaning in report.no_deal_means().items():
        console.print(f"  {escape(issue)}: {escape(meaning)}")
    for c in report.table.compounds:
        console.print(f"[dim]{escape(c.id)} ({escape(c.label)}): " + "; ".join(
            escape(f"{name} = " + ", ".join(f"{k}={v}" for k, v in terms.items()))
            for name, terms in zip(c.names, c.terms)) + "[/dim]")


def _gap(name: str, s: Any) -> str:
    """How far from optimal an unproven answer can be, in the solution's own terms."""
    if s.bound is None:
        return "best package found, optimality not proven"
    if name == "nash":
        return f"the product of gains is within {100 * (math.exp(s.bound - s.objective) - 1):.2f}% of the best"
    return f"the least gain is within {100 * (s.bound - s.objective):.2f} points of the best"


def _render_ranked(report: "BargainReport", name: str, console: "Console") -> None:
    from redline.bargain.report import SOLUTION_NAMES

    sols = report.solutions[name]
    if not sols[0].found:
        console.print(f"[red]{SOLUTION_NAMES[name]}:[/red] {sols[0].reason}")
        return
    table = _table(f"Top {len(sols)} packages by {SOLUTION_NAMES[name]}", "issue",
                   *[f"#{k + 1}" for k in range(len(sols))])
    for issue in report.table.issues:
        table.add_row(issue, *[_option(s, issue) for s in sols])
    for p in report.table.parties:
        table.add_row(f"[bold]{p}[/bold]", *[_pct(s.satisfaction[p]) for s in sols])
    label = {"nash": "Σ log gain", "maxmin": "least gain", "ks": "least share of possible gain"}[name]
    table.add_row(f"[bold]{label}[/bold]", *[f"{s.objective:.4f}" for s in sols])
    console.print(table)
    for k, s in enumerate(sols, start=1):
        if not s.proven:
            console.print(f"[yellow]#{k}: stopped by --time-limit; {_gap(name, s)}[/yellow]")


def bargain_command(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", envvar="REDLINE_PROFILE",
                                          help="Profile name (bundled) or folder; default russia-ukraine."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Positions as of this date (YYYY-MM-DD or 'today'); default today."),
    parties: Optional[str] = typer.Option(None, "--parties", help="Comma-separated party ids; default every party with a position."),
    solution: SolutionChoice = typer.Option(SolutionChoice.all, "--solution", help="Which solution to show."),
    top: int = typer.Option(1, "--top", min=1, max=50, help="Show the best N packages of each solution."),
    fix: list[str] = typer.Option([], "--fix", help="Impose a term, issue=option (repeatable)."),
    no_deal: NoDeal = typer.Option(NoDeal.status_quo, "--no-deal", help="What each party gets with no deal."),
    frontier: int = typer.Option(25, "--frontier", min=0, help="List at most N Pareto-optimal packages (0: skip)."),
    closest: Optional[str] = typer.Option(None, "--closest", help="Plan id or YAML file: show the closest acceptable package."),
    time_limit: float = typer.Option(DEFAULT_TIME_LIMIT, "--time-limit", min=0.1,
                                     help="Seconds per search; a search it stops reports its best package and the gap."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal or json."),
) -> None:
    """Is there a deal no party rejects outright, and which packages are fair by Nash, max-min and KS?"""
    from redline.bargain.report import bargain
    from redline.bargain.utility import DisagreementRule, parse_fix
    from redline.profile import load_profile

    fmt = _format(fmt)
    prof = load_profile(profile)
    names = ["nash", "maxmin", "ks"] if solution == SolutionChoice.all else [solution.value]
    report = bargain(prof, parse_date(as_of), split_ids(parties), names, top, parse_fix(prof, fix),
                     disagreement=DisagreementRule(mode=no_deal.value), frontier_limit=frontier,
                     closest=closest, time_limit=time_limit)
    if fmt == "json":
        _echo_json(report.to_dict())
    else:
        _render_bargain(report, _console())


# -- forecast --------------------------------------------------------------------------------

def _forecast_dict(f: "IssueForecast") -> dict[str, Any]:
    eum = f.eum
    return {
        "issue": f.issue, "actors": f.actors,
        "predictions": {k: round(v, 4) for k, v in f.predictions.items()},
        "notes": f.notes,
        "eum": None if eum is None else {
            "prediction": round(eum.prediction, 4), "stopped": eum.stopped,
            "rounds": [{"round": r.round, "median": round(r.median, 4), "mean": round(r.mean, 4),
                        "positions": {k: round(v, 4) for k, v in r.positions.items()},
                        "risk": {k: round(v, 4) for k, v in r.risk.items()},
                        "challenges": [{"challenger": a, "target": b} for a, b in r.challenges],
                        "moves": [{"actor": m.actor, "towards": m.towards, "kind": m.kind,
                                   "before": round(m.before, 4), "after": round(m.after, 4)} for m in r.moves]}
                       for r in eum.rounds]},
    }


def forecast_command(
    file: str = typer.Argument(..., help="CSV: issue,actor,position,salience,capability[,reference]."),
    eum: list[str] = typer.Option([], "--eum", help="EUM parameter key=value (repeatable), e.g. q=0.5."),
    detail: bool = typer.Option(False, "--detail", help="Print every EUM round: challenges and moves."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal or json."),
) -> None:
    """Forecast each issue's outcome (0–100) with the compromise, weighted median, Nash and EUM models."""
    from redline.bargain.forecast import forecast_issue, load_forecast_csv

    fmt = _format(fmt)
    params = _eum_params(eum)
    inputs, skipped = load_forecast_csv(file)
    results = [forecast_issue(i.issue, i.actors, i.reference, params) for i in inputs]
    if fmt == "json":
        _echo_json({"file": file, "eum_params": params.model_dump(), "skipped": skipped,
                    "issues": [_forecast_dict(f) for f in results]})
        return
    console = _console()
    table = _table("Forecasts (0–100)", "issue", "actors", "compromise", "weighted median", "Nash", "EUM",
                   "EUM median by round")
    for f in results:
        p = f.predictions
        rounds = " → ".join(f"{v:.1f}" for v in f.eum.medians) if f.eum else ""
        table.add_row(f.issue, str(f.actors), f"{p['compromise']:.1f}", f"{p['weighted_median']:.1f}",
                      f"{p['nash']:.1f}", f"{p['eum']:.1f}", rounds)
    console.print(table)
    console.print("compromise = capability × salience weighted mean, the baseline (see `redline backtest`).")
    for key, count in skipped.items():
        console.print(f"[yellow]skipped:[/yellow] {count} {key}")
    for f in results:
        if f.eum is None:
            continue
        for r in f.eum.rounds[1:] if detail else f.eum.rounds[1:2]:
            pairs = ", ".join(f"{a}→{b}" for a, b in r.challenges) or "none"
            moves = ", ".join(f"{m.actor} {m.before:.1f}→{m.after:.1f} ({m.kind} with {m.towards})"
                              for m in r.moves) or "none"
            console.print(f"[bold]{f.issue}[/bold] EUM round {r.round}: median {r.median:.1f}; "
                          f"would challenge (own view): {pairs}; moves: {moves}")
        if f.notes:
            console.print(f"[yellow]note:[/yellow] {f.issue}: {'; '.join(f.notes)}")


# -- backtest --------------------------------------------------------------------------------

def backtest_dict(result: "BacktestResult") -> dict[str, Any]:
    def num(v: float | None) -> float | None:
        return None if v is None or math.isnan(v) else round(v, 4)
    return {
        "file": result.path, "issues": result.issues, "scorable": result.scorable,
        "skipped": result.skipped, "baseline": result.baseline,
        "models": [{"model": s.model, "n": s.n, "mae": num(s.mae), "median_ae": num(s.median_ae),
                    "within_10": num(s.within_10), "delta_vs_baseline": num(s.delta),
                    "delta_ci95": None if s.delta_ci is None else [num(s.delta_ci[0]), num(s.delta_ci[1])],
                    "n_paired": s.n_paired} for s in result.scores],
    }


def backtest_command(
    dataset: Dataset = typer.Argument(..., help="Data set: deu (DEU III)."),
    file: str = typer.Argument(..., help="The data file, e.g. ../shared/data/deu/deu3.tsv."),
    eum: list[str] = typer.Option([], "--eum", help="EUM parameter key=value (repeatable)."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal or json."),
) -> None:
    """Score every model by mean absolute error against recorded outcomes (DEU III)."""
    from redline.bargain.deu import backtest, default_models, load_deu

    fmt = _format(fmt)
    params = _eum_params(eum)
    result = backtest(load_deu(file), default_models(params))
    if fmt == "json":
        _echo_json(backtest_dict(result))
        return
    console = _console()
    console.print(f"{result.path}: {result.issues} issues, {result.scorable} scorable "
                  "(an outcome and at least 3 actors with position and salience).")
    for key, count in result.skipped.items():
        console.print(f"[yellow]skipped:[/yellow] {count} {key}")
    table = _table("Mean absolute error against the outcome (0–100 scale)", "model", "n", "MAE", "median AE",
                   "|err| ≤ 10", "Δ vs baseline [95% CI]")
    for s in result.scores:
        delta = "baseline" if s.model == result.baseline else (
            "–" if s.delta is None else f"{s.delta:+.2f} [{s.delta_ci[0]:+.2f}, {s.delta_ci[1]:+.2f}]"
            if s.delta_ci else f"{s.delta:+.2f}")
        if s.n == 0:
            table.add_row(s.model, "0", "–", "–", "–", "not scored (no input for this model)")
            continue
        table.add_row(s.model, str(s.n), f"{s.mae:.2f}", f"{s.median_ae:.2f}", f"{100 * s.within_10:.0f}%", delta)
    console.print(table)
    console.print("Δ: mean difference in absolute error against the baseline on the issues both scored "
                  "(negative = more accurate).")


def register(app: typer.Typer) -> None:
    """Add ``bargain``, ``forecast`` and ``backtest`` to the main app."""
    app.command("bargain")(bargain_command)
    app.command("forecast")(forecast_command)
    app.command("backtest")(backtest_command)


__all__ = ["register", "backtest_dict"]

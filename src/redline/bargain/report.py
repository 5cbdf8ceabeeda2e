"""What ``redline bargain`` reports, as data: the zone or its conflicts, the solutions, the plans.

When red lines leave an issue no option, no package is acceptable to all; the report then also
answers the next question, "what could be agreed on everything else?", by leaving those issues
unsettled (at no deal) and solving over the rest. An imposed term (``--fix``) that crosses a red
line is not dropped that way: the report says which red line it crosses and stops there.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel

from redline.bargain.packages import (SOLVERS, Conflict, Frontier, PlanFit, Solution, closest_package,
                                      conflicting_red_lines, pareto_frontier, plan_fit, plan_terms, ranked)
from redline.bargain.utility import (DisagreementRule, UtilityRules, UtilityTable,
                                     utilities_from_positions)
from redline.profile import Profile

SOLUTION_NAMES = {"nash": "Nash", "maxmin": "max-min", "ks": "Kalai–Smorodinsky"}
from redline.bargain import DEFAULT_TIME_LIMIT  # noqa: E402  (one value for CLI, API and report)
"""Seconds per search, for ``redline bargain`` and ``/api/bargain`` alike: a search it stops
reports its best package and the gap (``proven: false``) instead of running on."""


# -- the report as a typed document (one schema for the CLI's --format json and the API) ------

class RedLineOut(BaseModel):
    party: str
    issue: str
    option: str


class ConflictOut(BaseModel):
    issue: str
    imposed: str | None
    red_lines: list[RedLineOut]
    ruled_out_by: dict[str, list[str]]
    explanation: str


class ZoneOut(BaseModel):
    size: int
    empty: bool
    allowed: dict[str, list[str]]
    ruled_out: dict[str, dict[str, list[str]]]
    conflicts: list[ConflictOut]
    left_open: list[str]
    size_without_open: int | None


class SolutionOut(BaseModel):
    name: str
    found: bool
    reason: str
    package: dict[str, str] | None
    equivalent: dict[str, list[str]]
    satisfaction: dict[str, float | None]
    gain: dict[str, float | None]
    objective: float | None
    proven: bool
    bound: float | None
    method: str
    solves: int


class ExplainedSolution(SolutionOut):
    explanation: dict[str, str]


class FrontierOut(BaseModel):
    points: int
    complete: bool
    limit: int
    packages: list[SolutionOut]


class PlanFitOut(BaseModel):
    plan: str
    terms: dict[str, str]
    crosses: list[RedLineOut]
    satisfaction: dict[str, float | None]
    uniform_gain: float | None
    pareto_gain: float | None
    dominated: bool | None
    changes_to_closest: int | None
    proven: bool
    closest: SolutionOut | None


class BargainResult(BaseModel):
    """What ``redline bargain --format json`` prints and ``/api/bargain`` answers."""

    profile: str
    as_of: dt.date
    parties: list[str]
    issues: list[str]
    open_issues: list[str]
    imposed: dict[str, str]
    notes: list[str]
    no_deal: dict[str, float | None]
    zone: ZoneOut
    who_counts: str
    no_deal_means: dict[str, str]
    solutions: dict[str, list[ExplainedSolution]]
    frontier: FrontierOut | None
    plans: list[PlanFitOut]
    closest: SolutionOut | None


@dataclass
class BargainReport:
    profile: str
    as_of: dt.date
    table: UtilityTable
    conflicts: list[Conflict]
    left_open: list[str]
    solutions: dict[str, list[Solution]]
    plans: list[PlanFit]
    frontier: Frontier | None
    closest: Solution | None = None
    notes: list[str] = field(default_factory=list)
    zone_table: UtilityTable | None = None
    status_quo: dict[str, str] = field(default_factory=dict)

    @property
    def zone_size(self) -> int:
        return self.table.zone_size()

    @property
    def partial_zone_size(self) -> int | None:
        """Packages acceptable to all once the conflicting issues are left unsettled."""
        return self.zone_table.zone_size() if self.left_open and self.zone_table is not None else None

    def allowed(self) -> dict[str, list[str]]:
        return {issue: [o for o, ok in zip(self.table.options[i], self.table.allowed(i)) if ok]
                for i, issue in enumerate(self.table.issues)}

    def ruled_out(self) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for i, issue in enumerate(self.table.issues):
            for k, option in enumerate(self.table.options[i]):
                who = [self.table.parties[p] for p in range(len(self.table.parties)) if self.table.red[i][p, k]]
                if who:
                    out.setdefault(issue, {})[option] = who
        return out

    @property
    def who_counts(self) -> str:
        return next((n.split(": ", 1)[1] for n in self.table.notes if n.startswith("who counts: ")),
                    "the parties chosen: " + ", ".join(self.table.parties))

    def no_deal_means(self) -> dict[str, str]:
        """What "no deal" means on each question: the compound's own words, or the status quo."""
        out: dict[str, str] = {}
        for c in self.table.compounds:
            out[c.id] = "; ".join(c.no_deal) or "each of " + ", ".join(c.members) + " stays at its status quo"
        for issue in self.table.issues:
            if issue not in out:
                sq = self.status_quo.get(issue)
                out[issue] = (f"the status quo stays: {sq}" if sq else
                              "no status quo is named: each party counts its worst acceptable option")
        return out

    def explain(self, sol: Solution) -> dict[str, str]:
        """One sentence per party: what the package gives it and what it gives up, against no deal."""
        if not sol.found or sol.package is None:
            return {}
        t = self.table
        out = {}
        for p, party in enumerate(t.parties):
            gains, losses = [], []
            for i, issue in enumerate(t.issues):
                if t.salience[p, i] <= 0:
                    continue
                option = sol.package[issue]
                if option not in t.options[i]:
                    continue
                u = t.utility[i][p, t.options[i].index(option)]
                if u > t.no_deal[p, i] + 1e-9:
                    gains.append(f"{issue} = {option}")
                elif u < t.no_deal[p, i] - 1e-9:
                    losses.append(f"{issue} = {option}")
            out[party] = (f"{party} gains " + ("; ".join(gains) or "nothing over no deal") +
                          " — and gives up " + ("; ".join(losses) or "nothing") + ".")
        return out

    def to_model(self) -> BargainResult:
        """The report as the typed document both the CLI and the API publish."""
        return BargainResult.model_validate(self._plain())

    def to_dict(self) -> dict[str, Any]:
        return self.to_model().model_dump(mode="json")

    def _plain(self) -> dict[str, Any]:
        t = self.table
        return {
            "profile": self.profile,
            "as_of": self.as_of.isoformat(),
            "parties": list(t.parties),
            "issues": list(t.issues),
            "open_issues": list(t.open_issues),
            "imposed": dict(t.fixed),
            "notes": list(t.notes) + list(self.notes),
            "no_deal": {p: _num(v) for p, v in zip(t.parties, t.disagreement)},
            "zone": {
                "size": self.zone_size,
                "empty": bool(self.conflicts),
                "allowed": self.allowed(),
                "ruled_out": self.ruled_out(),
                "conflicts": [{"issue": c.issue, "imposed": c.imposed,
                               "red_lines": [asdict(r) for r in c.red_lines],
                               "ruled_out_by": c.ruled_out_by, "explanation": c.explain()}
                              for c in self.conflicts],
                "left_open": list(self.left_open),
                "size_without_open": self.partial_zone_size,
            },
            "who_counts": self.who_counts,
            "no_deal_means": self.no_deal_means(),
            "solutions": {name: [dict(solution_dict(s), explanation=self.explain(s)) for s in sols]
                          for name, sols in self.solutions.items()},
            "frontier": None if self.frontier is None else {
                "points": len(self.frontier.points), "complete": self.frontier.complete,
                "limit": self.frontier.limit,
                "packages": [solution_dict(s) for s in self.frontier.points]},
            "plans": [plan_dict(f) for f in self.plans],
            "closest": None if self.closest is None else solution_dict(self.closest),
        }


def _num(v: float | None) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return round(float(v), 6)


def solution_dict(s: Solution) -> dict[str, Any]:
    return {"name": s.name, "found": s.found, "reason": s.reason, "package": s.package,
            "equivalent": s.equivalent,
            "satisfaction": {p: _num(v) for p, v in s.satisfaction.items()},
            "gain": {p: _num(v) for p, v in s.gain.items()},
            "objective": _num(s.objective), "proven": s.proven, "bound": _num(s.bound),
            "method": s.method, "solves": s.solves}


def plan_dict(f: PlanFit) -> dict[str, Any]:
    return {"plan": f.plan, "terms": f.terms, "crosses": [asdict(r) for r in f.crosses],
            "satisfaction": {p: _num(v) for p, v in f.satisfaction.items()},
            "uniform_gain": _num(f.uniform_gain), "pareto_gain": _num(f.pareto_gain),
            "dominated": f.dominated,
            "changes_to_closest": f.changes, "proven": f.proven,
            "closest": None if f.closest is None else solution_dict(f.closest)}


def bargain(profile: Profile, as_of: dt.date | None = None, parties: list[str] | None = None,
            solutions: list[str] | None = None, top: int = 1, fix: dict[str, str] | None = None,
            rules: UtilityRules | None = None, disagreement: DisagreementRule | None = None,
            frontier_limit: int = 25, closest: str | None = None,
            time_limit: float | None = DEFAULT_TIME_LIMIT) -> BargainReport:
    """Everything ``redline bargain`` shows, for the profile's positions as of a date.

    ``time_limit`` (seconds) bounds each search; answers it stopped say so (``proven``)."""
    as_of = as_of or dt.date.today()
    solutions = solutions or ["nash", "maxmin", "ks"]
    for name in solutions:
        if name not in SOLVERS:
            raise ValueError(f"unknown solution {name!r}")
    table = utilities_from_positions(profile, as_of, parties, rules=rules, disagreement=disagreement, fix=fix)
    conflicts = conflicting_red_lines(table)
    notes: list[str] = []
    left_open: list[str] = []
    zone: UtilityTable | None = table
    if conflicts and any(c.imposed is not None for c in conflicts):
        zone = None
    elif conflicts:
        left_open = [c.issue for c in conflicts]
        zone = table.leave_open(left_open)
        notes.append("no package crosses no red line; the packages below leave "
                     + ", ".join(left_open) + " unsettled (at no deal) and settle everything else")
    sols: dict[str, list[Solution]] = {}
    for name in solutions:
        if zone is None:
            sols[name] = [SOLVERS[name](table)]  # reports the conflict as its reason
        else:
            sols[name] = ranked(zone, name, top, time_limit)
    frontier = (pareto_frontier(zone, frontier_limit, time_limit)
                if zone is not None and frontier_limit > 0 else None)
    fits = [plan_fit(table, plan, zone, time_limit)
            for plan in sorted(profile.plans.values(), key=lambda p: (p.date, p.id))]
    closest_sol = None
    if closest is not None:
        plan = profile.plan(closest)
        target = zone or table
        closest_sol = closest_package(target, plan_terms(target, plan), name=f"closest to {plan.id}",
                                      time_limit=time_limit)
    return BargainReport(profile.id, as_of, table, conflicts, left_open, sols, fits, frontier,
                         closest_sol, notes, zone,
                         status_quo={i.id: i.status_quo for i in profile.issues.values() if i.status_quo})

"""Assess a plan against every party's positions, by rules that treat every party alike."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from redline.assess.durability import ChecklistItem, checklist
from redline.assess.rules import DEFAULT_RULES, VERDICTS, Rules
from redline.model import Issue, Plan, Position, Provision
from redline.profile import Profile
from redline.sources import CitedEvidence, cite

SCHEMA_VERSION = "2"

Status = Literal["met", "accepted", "unmet", "red line crossed", "indifferent"]


class IssueOutcome(BaseModel):
    """What one provision means for one party on one issue."""

    issue: str
    proposition: str
    provision: str
    plan_option: str
    preferred: str
    acceptable: list[str]
    red_lines: list[str]
    salience: float
    utility: float
    status: Status
    demand: bool
    position_since: dt.date
    newest_evidence: dt.date = Field(description="when the newest evidence shown was said")
    stale: bool = Field(description="the newest evidence is older than the rules' stale_after_days")
    evidence: list[CitedEvidence]


class Unaddressed(BaseModel):
    issue: str
    proposition: str
    preferred: str
    salience: float
    red_lines: list[str]


class PartyAssessment(BaseModel):
    party: str
    name: str
    principal: bool
    satisfaction: float | None = Field(description="salience-weighted mean utility over addressed issues")
    demands_addressed: int
    demands_met: int
    red_lines_crossed: list[IssueOutcome]
    outcomes: list[IssueOutcome]
    unaddressed: list[Unaddressed]


class Verdict(BaseModel):
    label: str
    party: str | None = None
    rule: str
    reasons: list[str]
    flags: list[str] = Field(default_factory=list, description="secondary findings, e.g. low coverage")


class Assessment(BaseModel):
    schema_version: str = SCHEMA_VERSION
    profile: str
    plan_id: str
    plan_title: str
    plan_date: dt.date
    proposers: list[str]
    as_of: dt.date
    principals: list[str]
    issues_addressed: list[str]
    provisions_unmapped: list[Provision]
    parties: list[PartyAssessment]
    verdict: Verdict
    durability: list[ChecklistItem]
    rules: Rules
    evidence_notes: list[str] = Field(default_factory=list,
                                      description="evidence left out of this report, and why")
    precedents: dict | None = None


def utility(position: Position, option: str, rules: Rules) -> tuple[float, Status]:
    if option == position.preferred:
        return rules.utility_preferred, "met"
    if option in position.red_lines:
        return rules.utility_red_line, "red line crossed"
    if option in position.acceptable:
        return rules.utility_acceptable, "accepted"
    return rules.utility_other, "unmet"


def _outcome(profile: Profile, issue: Issue, prov: Provision, pos: Position, rules: Rules,
             as_of: dt.date) -> IssueOutcome:
    assert prov.option is not None
    u, status = utility(pos, prov.option, rules)
    newest = max(e.date for e in pos.evidence)
    return IssueOutcome(
        issue=issue.id, proposition=issue.proposition, provision=prov.number, plan_option=prov.option,
        preferred=pos.preferred, acceptable=pos.acceptable, red_lines=pos.red_lines,
        salience=pos.salience, utility=u, status=status,
        demand=pos.salience >= rules.demand_salience, position_since=pos.since, newest_evidence=newest,
        stale=(as_of - newest).days > rules.stale_after_days,
        evidence=[cite(profile.sources, e) for e in sorted(pos.evidence, key=lambda e: e.date, reverse=True)])


def assess_party(profile: Profile, plan: Plan, party: str, positions: dict[tuple[str, str], Position],
                 rules: Rules, as_of: dt.date | None = None) -> PartyAssessment:
    terms = plan.terms()
    as_of = as_of or plan.date
    outcomes = [_outcome(profile, profile.issues[i], prov, positions[(party, i)], rules, as_of)
                for i, prov in terms.items() if (party, i) in positions]
    weight = sum(o.salience for o in outcomes)
    satisfaction = (sum(o.salience * o.utility for o in outcomes) / weight) if weight > 0 else None
    demands = [o for o in outcomes if o.demand]
    unaddressed = [
        Unaddressed(issue=i, proposition=profile.issues[i].proposition, preferred=pos.preferred,
                    salience=pos.salience, red_lines=pos.red_lines)
        for (p, i), pos in sorted(positions.items(), key=lambda kv: -kv[1].salience)
        if p == party and i not in terms and pos.salience >= rules.demand_salience]
    return PartyAssessment(
        party=party, name=profile.parties[party].name, principal=party in profile.meta.principals,
        satisfaction=None if satisfaction is None else round(satisfaction, 4),
        demands_addressed=len(demands),
        demands_met=sum(1 for o in demands if o.status in ("met", "accepted")),
        red_lines_crossed=[o for o in outcomes if o.status == "red line crossed"],
        outcomes=outcomes, unaddressed=unaddressed)


def verdict(parties: list[PartyAssessment], principals: list[str], rules: Rules) -> Verdict:
    """The first rule that fires, in the documented order; the same rules for every party."""
    by_id = {p.party: p for p in parties}
    ps = [by_id[p] for p in principals if p in by_id]
    crossed = {p.party: len(p.red_lines_crossed) for p in ps}
    sats = {p.party: p.satisfaction for p in ps}
    reasons = [f"{p.party}: satisfaction {_fmt(p.satisfaction)}, demands met {p.demands_met}/"
               f"{p.demands_addressed}, red lines crossed {crossed[p.party]}" for p in ps]
    demands_total = sum(p.demands_addressed + len(p.unaddressed) for p in ps)
    coverage = (sum(p.demands_addressed for p in ps) / demands_total) if demands_total else 0.0
    reasons.append(f"coverage of principals' demands: {coverage:.2f} (threshold {rules.coverage_min})")
    flags = [f"incomplete: addresses {coverage:.0%} of the principals' demands"] \
        if coverage < rules.coverage_min else []

    if ps and all(crossed[p.party] > 0 for p in ps):
        return Verdict(label="non-starter for all", rule=VERDICTS["non-starter for all"], reasons=reasons,
                       flags=flags)
    for loser in ps:
        others = [p for p in ps if p.party != loser.party]
        low = loser.satisfaction is not None and loser.satisfaction < rules.capitulation_max
        if crossed[loser.party] > 0 and low and others and all(
                crossed[o.party] == 0 and o.demands_addressed > 0 and o.demands_met == o.demands_addressed
                for o in others):
            return Verdict(label=f"capitulation by {loser.party}", party=loser.party,
                           rule=VERDICTS["capitulation"], reasons=reasons, flags=flags)
    known = {k: v for k, v in sats.items() if v is not None}
    if len(known) >= 2:
        best = max(known, key=known.__getitem__)
        worst = min(known, key=known.__getitem__)
        gap = known[best] - known[worst]
        reasons.append(f"satisfaction gap {gap:.2f} (threshold {rules.one_sided_gap})")
        if gap >= rules.one_sided_gap and coverage >= rules.coverage_min:
            return Verdict(label=f"one-sided (favours {best})", party=best, rule=VERDICTS["one-sided"],
                           reasons=reasons)
    if coverage < rules.coverage_min:
        return Verdict(label="incomplete", rule=VERDICTS["incomplete"], reasons=reasons)
    if all(c == 0 for c in crossed.values()) and len(known) == len(ps) and all(
            v >= rules.balanced_min for v in known.values()):
        return Verdict(label="balanced compromise", rule=VERDICTS["balanced compromise"], reasons=reasons)
    return Verdict(label="contested", rule=VERDICTS["contested"], reasons=reasons)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def assess(profile: Profile, plan: Plan | str, *, as_of: dt.date | None = None,
           parties: list[str] | None = None, rules: Rules = DEFAULT_RULES) -> Assessment:
    """Score a plan for every party with positions (or the given ones), as of the plan's date."""
    if isinstance(plan, str):
        plan = profile.plan(plan)
    as_of = as_of or plan.date
    for p in parties or []:
        profile.party(p)
    notes: list[str] = []
    positions = profile.positions_as_of(as_of, exclude_plan=plan.id, notes=notes)
    with_positions = sorted({p for p, _ in positions})
    chosen = parties or sorted(set(with_positions) | set(profile.meta.principals),
                               key=lambda p: (p not in profile.meta.principals, p))
    results = [assess_party(profile, plan, p, positions, rules, as_of) for p in chosen]
    return Assessment(
        profile=profile.id, plan_id=plan.id, plan_title=plan.title, plan_date=plan.date,
        proposers=plan.proposers, as_of=as_of, principals=profile.meta.principals,
        issues_addressed=list(plan.terms()),
        provisions_unmapped=[p for p in plan.provisions if not p.issue],
        parties=results, verdict=verdict(results, profile.meta.principals, rules),
        durability=checklist(plan), rules=rules,
        evidence_notes=[n for n in notes if n.split(" on ")[0] in chosen])

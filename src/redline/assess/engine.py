"""Assess a plan against every party's positions, by rules that treat every party alike."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from redline.assess.durability import ChecklistItem, checklist
from redline.assess.rules import DEFAULT_RULES, VERDICTS, Rules
from redline.model import Guarantee, Issue, Plan, Position, Provision
from redline.profile import Profile
from redline.sources import CitedEvidence, cite

SCHEMA_VERSION = "2"

Status = Literal["met", "accepted", "unmet", "red line crossed", "indifferent", "not settled"]
Term = Literal["term", "conditional", "refusal", "deferred", "silent"]


class ConditionCheck(BaseModel):
    """One condition of a party's stance, checked against the plan."""

    text: str
    issue: str
    required: list[str]
    plan_option: str | None = Field(description="the plan's option on that issue (None: left open)")
    held: bool | None = Field(description="None when the plan leaves the issue open")


class RegionHeld(BaseModel):
    """How much of one region a territorial point hands over was still held by the side that
    would give it up, from the newest sourced figure on or before the plan's date."""

    region: str
    name: str
    ceded_by: str
    share_held: float | None = Field(description="share of the region's area the giving side held (None: no figure)")
    km2_held: float | None = None
    places_held: list[str] = Field(default_factory=list)
    figure_date: dt.date | None = Field(default=None, description="the date the figure describes")
    source_url: str | None = None
    source_outlet: str = ""
    note: str = ""


class IssueOutcome(BaseModel):
    """What one provision (or, in a settlement, the plan's silence) means for one party on one issue."""

    issue: str
    proposition: str
    provision: str
    term: Term = Field(description="term; conditional, refusal or deferred (not settled, never a met "
                                   "demand); silent (a settlement leaves the status quo)")
    plan_option: str
    plan_option_label: str = Field(default="", description="the plan's option in words")
    parameters: dict[str, float] = Field(default_factory=dict)
    guarantee: Guarantee | None = Field(default=None, description="guarantors, veto, trigger of a guarantee term")
    territory: list[RegionHeld] = Field(default_factory=list,
                                        description="land the point hands over that the giving side still held")
    preferred: str
    acceptable: list[str]
    red_lines: list[str]
    salience: float
    utility: float | None
    status: Status
    reasons: list[str] = Field(default_factory=list, description="why the status, in words")
    conditions: list[ConditionCheck] = Field(default_factory=list)
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
    scope: str = Field(description="ceasefire, framework, settlement or programme: what silence means")
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


STATUS_UTILITY = {"red line crossed": "utility_red_line", "unmet": "utility_other"}
TERM_WORDS = {"conditional": "only a conditional term", "refusal": "only a refusal by the proposer",
              "deferred": "left for later talks (deferred)"}


def plan_terms(profile: Profile, plan: Plan) -> dict[str, tuple[Provision | None, str, Term]]:
    """What the plan does on each issue: (provision, option, kind of term). In a settlement an
    issue the plan is silent on stays at its status quo (``silent``); elsewhere silence is open."""
    out: dict[str, tuple[Provision | None, str, Term]] = {}
    for issue_id, prov in plan.terms().items():
        assert prov.option is not None
        kind: Term = "deferred" if prov.deferred else prov.form
        out[issue_id] = (prov, prov.option, kind)
    if plan.scope == "settlement":
        for issue in profile.issues.values():
            if issue.id not in out and issue.status_quo is not None:
                out[issue.id] = (None, issue.status_quo, "silent")
    return out


def _label(issue: Issue, option: str) -> str:
    """An option in words for reports (its label, else its id)."""
    try:
        return issue.option(option).label or option
    except KeyError:
        return option


def effective_option(issue: Issue, prov: Provision | None, option: str, party: str) -> tuple[str, str | None]:
    """The level a guarantee term really offers ``party``: a term whose response another party can
    veto counts at most at the issue's ``vetoed_counts_as`` level, for every party but the veto
    holders themselves. Returns the option and, when capped, why in words."""
    cap = issue.vetoed_counts_as
    if prov is None or prov.guarantee is None or cap is None or not prov.guarantee.veto:
        return option, None
    holders = [v for v in prov.guarantee.veto if v != party]
    ids = issue.option_ids
    if not holders or party in prov.guarantee.veto or ids.index(option) <= ids.index(cap):
        return option, None
    return cap, (f"{', '.join(holders)} can veto the guarantors' response, so for {party} the term counts "
                 f"at most as {_label(issue, cap)!r}, not {_label(issue, option)!r}")


def land_handed_over(profile: Profile, prov: Provision | None, date: dt.date) -> list[RegionHeld]:
    """For a point that hands regions over, what the giving side still held of each, as of ``date``."""
    if prov is None or prov.territory is None:
        return []
    out = []
    giver = prov.territory.ceded_by
    for rid in prov.territory.regions:
        region = profile.regions.get(rid)
        if region is None:
            continue
        share_snap = region.control_on(date, with_share=True)
        places_snap = region.control_on(date, with_places=True)
        snap = share_snap or places_snap
        if snap is None:
            out.append(RegionHeld(region=rid, name=region.name, ceded_by=giver, share_held=None,
                                  note=f"no sourced figure on or before {date}"))
            continue
        share = None
        if share_snap is not None:
            share = share_snap.held_by.get(giver)
            if share is None:
                share = max(0.0, 1.0 - sum(share_snap.held_by.values()))
        km2 = snap.held_km2 if snap.held_km2 is not None else (
            round(region.area_km2 * share) if region.area_km2 and share is not None else None)
        places = places_snap.places_held.get(giver, []) if places_snap is not None else []
        out.append(RegionHeld(region=rid, name=region.name, ceded_by=giver, share_held=share, km2_held=km2,
                              places_held=places, figure_date=snap.date,
                              source_url=snap.source.url, source_outlet=snap.source.outlet, note=snap.note))
    return out


def _land_words(rows: list[RegionHeld]) -> str | None:
    held = [r for r in rows if r.share_held or r.places_held]
    if not held:
        return None
    parts = []
    for r in held:
        bit = f"{r.name}: " + (f"about {r.share_held:.0%} held by {r.ceded_by}" if r.share_held
                               else f"held in part by {r.ceded_by}")
        if r.km2_held:
            bit += f" (about {r.km2_held:,.0f} km²)"
        if r.places_held:
            bit += f", incl. {', '.join(r.places_held)}"
        parts.append(bit + f" (figure of {r.figure_date}, {r.source_outlet})")
    return f"the point hands over land {held[0].ceded_by} still held: " + "; ".join(parts)


def _check_conditions(profile: Profile, pos: Position, option: str,
                      terms: dict[str, tuple[Provision | None, str, Term]]) -> list[ConditionCheck]:
    checks = []
    for cond in pos.conditions:
        if option not in cond.options:
            continue
        got = terms.get(cond.issue)
        settled = got is not None and got[2] in ("term", "silent")
        if cond.guarantors:
            prov = got[0] if settled and got is not None else None
            named = prov.guarantee.guarantors if prov is not None and prov.guarantee is not None else None
            checks.append(ConditionCheck(
                text=cond.text or f"only if {' or '.join(cond.guarantors)} is among the guarantors",
                issue=cond.issue, required=list(cond.guarantors),
                plan_option=None if named is None else ("guarantors: " + (", ".join(named) or "none named")),
                held=None if named is None else any(g in named for g in cond.guarantors)))
            continue
        required = cond.allowed(profile.issues[cond.issue])
        plan_option = got[1] if settled and got is not None else None
        held = None if plan_option is None else plan_option in required
        checks.append(ConditionCheck(text=cond.text or f"only if {cond.issue} is {' or '.join(required)}",
                                     issue=cond.issue, required=required, plan_option=plan_option, held=held))
    return checks


def _outcome(profile: Profile, issue: Issue, prov: Provision | None, option: str, kind: Term,
             pos: Position, rules: Rules, as_of: dt.date,
             terms: dict[str, tuple[Provision | None, str, Term]]) -> IssueOutcome:
    reasons: list[str] = []
    option, capped = effective_option(issue, prov, option, pos.party)
    if capped:
        reasons.append(capped)
    land = land_handed_over(profile, prov, as_of)
    words = _land_words(land)
    if words and pos.party == land[0].ceded_by:
        reasons.append(words)
    u, status = utility(pos, option, rules)
    params = dict(prov.parameters) if prov else {}
    if kind == "silent":
        reasons.append(f"the plan is a settlement and says nothing on this issue, so the status quo "
                       f"({_label(issue, option)}) stays")
    if status == "red line crossed" and pos.minimum is not None and option in issue.option_ids and \
            issue.option_ids.index(option) < issue.option_ids.index(pos.minimum):
        reasons.append(f"{_label(issue, option)!r} is below the lowest level {pos.party} accepts "
                       f"({_label(issue, pos.minimum)!r})")
    checks = _check_conditions(profile, pos, option, terms)
    for check in checks:
        if check.held is False:
            cond = next(c for c in pos.conditions if option in c.options and c.issue == check.issue)
            status = cond.otherwise
            u = getattr(rules, STATUS_UTILITY[status])
            got = check.plan_option if check.plan_option and check.plan_option.startswith("guarantors") \
                else _label(profile.issues[check.issue], check.plan_option or "")
            reasons.append(f"{_label(issue, option)!r} is acceptable to {pos.party} {check.text}; the plan "
                           f"has {check.issue}: {got}")
        elif check.held is None:
            reasons.append(f"{check.text}: the plan leaves {check.issue} open")
    for bound in pos.bounds:
        if bound.parameter in params:
            why = bound.violated_by(params[bound.parameter])
            if why and status in ("met", "accepted"):
                status = "red line crossed" if bound.red_line else "unmet"
                u = getattr(rules, STATUS_UTILITY[status])
                reasons.append(f"{bound.parameter}: {why} for {pos.party}")
    if kind in TERM_WORDS:
        reasons.append(f"the plan's point is {TERM_WORDS[kind]}"
                       + (f" ({prov.condition})" if prov is not None and prov.condition else "")
                       + f": it would be {status} if settled, but counts as no term")
        status, u = "not settled", None
    newest = max(e.date for e in pos.evidence)
    return IssueOutcome(
        issue=issue.id, proposition=issue.proposition, provision=prov.number if prov else "(silent)",
        term=kind, plan_option=option, plan_option_label=_label(issue, option), parameters=params,
        guarantee=prov.guarantee if prov is not None else None, territory=land, preferred=pos.preferred, acceptable=pos.acceptable, red_lines=pos.red_lines,
        salience=pos.salience, utility=u, status=status, reasons=reasons, conditions=checks,
        demand=pos.salience >= rules.demand_salience, position_since=pos.since, newest_evidence=newest,
        stale=(as_of - newest).days > rules.stale_after_days,
        evidence=[cite(profile.sources, e) for e in sorted(pos.evidence, key=lambda e: e.date, reverse=True)])


def assess_party(profile: Profile, plan: Plan, party: str, positions: dict[tuple[str, str], Position],
                 rules: Rules, as_of: dt.date | None = None,
                 terms: dict[str, tuple[Provision | None, str, Term]] | None = None) -> PartyAssessment:
    """One party's scorecard; ``terms`` (``plan_terms``) can be passed in when several parties
    are assessed against the same plan."""
    if terms is None:
        terms = plan_terms(profile, plan)
    as_of = as_of or plan.date
    outcomes = [_outcome(profile, profile.issues[i], prov, option, kind, positions[(party, i)], rules, as_of,
                         terms)
                for i, (prov, option, kind) in terms.items() if (party, i) in positions]
    scored = [o for o in outcomes if o.utility is not None]
    weight = sum(o.salience for o in scored)
    satisfaction = (sum(o.salience * (o.utility or 0.0) for o in scored) / weight) if weight > 0 else None
    demands = [o for o in scored if o.demand]
    settled = {o.issue for o in scored}
    unaddressed = [
        Unaddressed(issue=i, proposition=profile.issues[i].proposition, preferred=pos.preferred,
                    salience=pos.salience, red_lines=pos.red_lines)
        for (p, i), pos in sorted(positions.items(), key=lambda kv: -kv[1].salience)
        if p == party and i not in settled and pos.salience >= rules.demand_salience]
    return PartyAssessment(
        party=party, name=profile.parties[party].name, principal=party in profile.meta.principals,
        satisfaction=None if satisfaction is None else round(satisfaction, 4),
        demands_addressed=len(demands),
        demands_met=sum(1 for o in demands if o.status in ("met", "accepted")),
        red_lines_crossed=[o for o in scored if o.status == "red line crossed"],
        outcomes=outcomes, unaddressed=unaddressed)


def verdict(parties: list[PartyAssessment], principals: list[str], rules: Rules,
            scope: str = "framework") -> Verdict:
    """The first rule that fires, in the documented order (docs/assess.md), the same for every
    party; ``rule`` says in plain words which rule fired and with which numbers."""
    by_id = {p.party: p for p in parties}
    ps = [by_id[p] for p in principals if p in by_id]
    crossed = {p.party: len(p.red_lines_crossed) for p in ps}
    sats = {p.party: p.satisfaction for p in ps}
    reasons = [f"{p.name}: satisfaction {_fmt(p.satisfaction)}, {p.demands_met} of {p.demands_addressed} "
               f"demands met, {crossed[p.party]} red line(s) crossed" for p in ps]
    addressed = sum(p.demands_addressed for p in ps)
    demands_total = sum(p.demands_addressed + len(p.unaddressed) for p in ps)
    coverage = (addressed / demands_total) if demands_total else 0.0
    reasons.append(f"the plan settles {addressed} of the principals' {demands_total} demands "
                   f"({coverage:.0%}; a verdict needs {rules.coverage_min:.0%})")
    known = {k: v for k, v in sats.items() if v is not None}
    gap = (max(known.values()) - min(known.values())) if len(known) >= 2 else None
    if gap is not None:
        reasons.append(f"satisfaction gap between the principals {gap:.2f} "
                       f"(one-sided from {rules.one_sided_gap:.2f})")
    names = {p.party: p.name for p in ps}
    red_flags = [f"crosses {crossed[p.party]} red line(s) of {p.name}" for p in ps if crossed[p.party]]

    if scope == "programme":
        return Verdict(label="programme, not an offer", rule=(
            "the plan is one party's own programme, not an offer to the other side; its scores show how "
            "far apart the sides are, not whether a deal is near"), reasons=reasons, flags=red_flags)
    if coverage < rules.coverage_min:
        return Verdict(label="incomplete", rule=(
            f"the plan settles {coverage:.0%} of the principals' demands, below the {rules.coverage_min:.0%} "
            "a verdict needs"), reasons=reasons, flags=red_flags)
    if ps and all(crossed[p.party] > 0 for p in ps):
        return Verdict(label="non-starter for all", rule=(
            "the plan crosses red lines of every principal: " +
            "; ".join(f"{crossed[p.party]} of {p.name}'s" for p in ps)), reasons=reasons)
    for loser in ps:
        others = [p for p in ps if p.party != loser.party]
        low = loser.satisfaction is not None and loser.satisfaction < rules.capitulation_max
        if crossed[loser.party] > 0 and low and others and all(
                crossed[o.party] == 0 and o.satisfaction is not None
                and o.satisfaction >= rules.capitulation_winner_min for o in others):
            winners = "; ".join(f"{o.name} has a satisfaction of {_fmt(o.satisfaction)} (at least "
                                f"{rules.capitulation_winner_min:.2f}), {o.demands_met} of the "
                                f"{o.demands_addressed} demands the plan settles met, and loses no red line"
                                for o in others)
            return Verdict(label=f"capitulation by {loser.party}", party=loser.party, rule=(
                f"the plan crosses {crossed[loser.party]} of {loser.name}'s red lines and leaves it a "
                f"satisfaction of {_fmt(loser.satisfaction)} (below {rules.capitulation_max:.2f}), while "
                f"{winners}"), reasons=reasons)
    if gap is not None and gap >= rules.one_sided_gap:
        best = max(known, key=known.__getitem__)
        worst = min(known, key=known.__getitem__)
        return Verdict(label=f"one-sided (favours {best})", party=best, rule=(
            f"no side capitulates, but {names[best]}'s satisfaction ({known[best]:.2f}) exceeds "
            f"{names[worst]}'s ({known[worst]:.2f}) by {gap:.2f}, at least {rules.one_sided_gap:.2f}"),
            reasons=reasons, flags=red_flags)
    if all(c == 0 for c in crossed.values()) and len(known) == len(ps) and all(
            v >= rules.balanced_min for v in known.values()):
        return Verdict(label="balanced compromise", rule=(
            f"the plan crosses no principal's red line and gives each at least {rules.balanced_min:.2f} "
            "satisfaction, with a gap below " + f"{rules.one_sided_gap:.2f}"), reasons=reasons)
    return Verdict(label="contested", rule=(
        "the plan " + ("; ".join(red_flags) if red_flags else "crosses no red line") +
        " without giving the other side all its settled demands, and no rule above fires"),
        reasons=reasons, flags=red_flags)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def assess(profile: Profile, plan: Plan | str, *, as_of: dt.date | None = None,
           parties: list[str] | None = None, rules: Rules = DEFAULT_RULES) -> Assessment:
    """Score a plan for every party with positions (or the given ones), as of the plan's date.
    ``parties`` chooses which scorecards the report shows; the verdict always weighs every
    principal, whatever is shown."""
    if isinstance(plan, str):
        plan = profile.plan(plan)
    as_of = as_of or plan.date
    for p in parties or []:
        profile.party(p)
    notes: list[str] = []
    positions = profile.positions_as_of(as_of, exclude_plan=plan.id, notes=notes)
    with_positions = sorted({p for p, _ in positions})
    everyone = sorted(set(with_positions) | set(profile.meta.principals),
                      key=lambda p: (p not in profile.meta.principals, p))
    chosen = parties or everyone
    terms = plan_terms(profile, plan)
    # ``parties`` only narrows the scorecards shown: the verdict is about the plan, judged on all
    # the principals (docs/assess.md), so the same plan never gets a different verdict because
    # a reader asked to see fewer parties.
    scored = {p: assess_party(profile, plan, p, positions, rules, as_of, terms)
              for p in dict.fromkeys([*chosen, *profile.meta.principals])}
    results = [scored[p] for p in chosen]
    judged = [scored[p] for p in profile.meta.principals]
    return Assessment(
        profile=profile.id, plan_id=plan.id, plan_title=plan.title, plan_date=plan.date, scope=plan.scope,
        proposers=plan.proposers, as_of=as_of, principals=profile.meta.principals,
        issues_addressed=[i for i, (_p, _o, kind) in terms.items() if kind == "term"],
        provisions_unmapped=[p for p in plan.provisions if not p.issue],
        parties=results, verdict=verdict(judged, profile.meta.principals, rules, plan.scope),
        durability=checklist(plan, profile), rules=rules,
        evidence_notes=[n for n in notes if n.split(" on ")[0] in chosen])

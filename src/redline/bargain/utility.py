"""Utilities over packages: what each party gets from one option per issue.

The rule (documented in docs/bargain.md, and the only place it lives):

* per issue, a party's utility of an option is ``preferred`` (1.0) for its preferred option,
  ``acceptable`` (0.6) for options it said it could live with, ``other`` (0.2) for the rest;
  options on its red lines are *infeasible* (no package may contain them) and are worth
  ``red_line`` (0.0) only where they are the no-deal outcome;
* a party's *satisfaction* with a package is the salience-weighted mean of its per-issue
  utilities, so it lies in [0, 1] whatever the number of issues;
* a party with no position on an issue is indifferent on it (weight 0 there);
* ``utilities.yaml`` in the profile folder replaces the rule for a (party, issue) with explicit
  values; red lines still come from the position;
* the disagreement point is each party's satisfaction with no deal: per issue the utility of the
  issue's status quo where the profile names one, else of the worst option the party might have
  to accept (``DisagreementRule``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.bargain.questions import resolve_irreconcilable, Link, merge
from redline.errors import DataError, NotFound, did_you_mean
from redline.model import Issue
from redline.profile import Profile
from redline.yamlio import line_of, load_yaml, validate

UTILITIES_FILE = "utilities.yaml"
NO_AGREEMENT = "(no agreement)"


class UtilityRules(BaseModel):
    """Per-issue utility levels the rule assigns; values in [0, 1], preferred highest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    preferred: float = Field(1.0, ge=0.0, le=1.0)
    acceptable: float = Field(0.6, ge=0.0, le=1.0)
    other: float = Field(0.2, ge=0.0, le=1.0)
    red_line: float = Field(0.0, ge=0.0, le=1.0)


class DisagreementRule(BaseModel):
    """What each party gets with no deal.

    ``status_quo``: the issue's status quo where named, else ``worst`` for that issue;
    ``worst``: the lowest utility among the options the party has not ruled out;
    ``zero``: nothing. ``values`` overrides a party's no-deal satisfaction outright.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["status_quo", "worst", "zero"] = "status_quo"
    values: dict[str, float] = Field(default_factory=dict)


class UtilityOverride(BaseModel):
    """One entry of ``utilities.yaml``: explicit utilities of one party on one issue."""

    model_config = ConfigDict(extra="forbid")

    party: str
    issue: str
    utilities: dict[str, float]
    salience: float | None = Field(None, ge=0.0, le=1.0)

    @field_validator("utilities")
    @classmethod
    def _in_range(cls, v: dict[str, float]) -> dict[str, float]:
        for option, value in v.items():
            if not (isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0):
                raise ValueError(f"utility of {option!r} must be a number in [0, 1], got {value!r}")
        return v


@dataclass
class UtilityTable:
    """Everything the package search needs, as arrays (parties × options per issue).

    ``utility[i]`` and ``red[i]`` are (parties × options of issue i); ``salience`` and ``no_deal``
    are (parties × issues). Satisfaction of party p with package x is
    ``sum_i salience[p,i] * utility[i][p, x_i] / sum_i salience[p,i]``.
    """

    parties: list[str]
    issues: list[str]
    options: list[list[str]]
    utility: list[np.ndarray]
    salience: np.ndarray
    red: list[np.ndarray]
    no_deal: np.ndarray
    fixed: dict[str, str] = field(default_factory=dict)
    disagreement_values: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    open_issues: list[str] = field(default_factory=list)
    compounds: list = field(default_factory=list)  # redline.bargain.questions.Compound

    def __post_init__(self) -> None:
        self.salience = np.asarray(self.salience, dtype=float)
        self.no_deal = np.asarray(self.no_deal, dtype=float)
        self.utility = [np.asarray(u, dtype=float) for u in self.utility]
        self.red = [np.asarray(r, dtype=bool) for r in self.red]
        P, I = len(self.parties), len(self.issues)
        if self.salience.shape != (P, I) or self.no_deal.shape != (P, I):
            raise ValueError("salience and no_deal must be parties × issues")
        for i, opts in enumerate(self.options):
            if self.utility[i].shape != (P, len(opts)) or self.red[i].shape != (P, len(opts)):
                raise ValueError(f"utility/red of issue {self.issues[i]} must be parties × options")
        if (self.salience.sum(axis=1) <= 0).any():
            raise ValueError("every party needs a positive total salience")

    # -- derived quantities -------------------------------------------------------------
    @property
    def total_salience(self) -> np.ndarray:
        return self.salience.sum(axis=1)

    def coef(self, i: int) -> np.ndarray:
        """Satisfaction each party gets from each option of issue i (parties × options)."""
        return self.salience[:, i, None] * self.utility[i] / self.total_salience[:, None]

    def allowed(self, i: int) -> np.ndarray:
        """Options of issue i no included party has ruled out and no imposed term excludes."""
        ok = ~self.red[i].any(axis=0)
        fixed = self.fixed.get(self.issues[i])
        if fixed is not None:
            ok = ok & (np.array(self.options[i]) == fixed)
        return ok

    @property
    def disagreement(self) -> np.ndarray:
        d = (self.salience * self.no_deal).sum(axis=1) / self.total_salience
        for p, party in enumerate(self.parties):
            if party in self.disagreement_values:
                d[p] = self.disagreement_values[party]
        return d

    def satisfaction(self, choice: tuple[int, ...] | list[int]) -> np.ndarray:
        """Each party's satisfaction with a package given as one option index per issue."""
        return sum((self.coef(i)[:, o] for i, o in enumerate(choice)), np.zeros(len(self.parties)))

    def partial_satisfaction(self, terms: dict[str, str]) -> np.ndarray:
        """Satisfaction with a plan that settles only some issues; the rest stay at no deal."""
        total = np.zeros(len(self.parties))
        for i, issue in enumerate(self.issues):
            if issue in terms:
                total += self.coef(i)[:, self.options[i].index(terms[issue])]
            else:
                total += self.salience[:, i] * self.no_deal[:, i] / self.total_salience
        return total

    def package(self, choice: tuple[int, ...] | list[int]) -> dict[str, str]:
        return {issue: self.options[i][o] for i, (issue, o) in enumerate(zip(self.issues, choice))}

    def choice_of(self, package: dict[str, str]) -> tuple[int, ...]:
        return tuple(self.options[i].index(package[issue]) for i, issue in enumerate(self.issues))

    def zone_size(self) -> int:
        return math.prod(int(self.allowed(i).sum()) for i in range(len(self.issues)))

    def leave_open(self, issues: list[str]) -> "UtilityTable":
        """The same table with some issues left unsettled: their only option is "(no agreement)",
        worth each party's no-deal utility there, and no red line applies to it."""
        opts, util, red = list(self.options), list(self.utility), list(self.red)
        # An issue left open takes its imposed term with it, and a question its members' terms.
        unsettled = set(issues) | {m for c in self.compounds if c.id in issues for m in c.members}
        for issue in issues:
            i = self.issues.index(issue)
            opts[i] = [NO_AGREEMENT]
            util[i] = self.no_deal[:, i:i + 1].copy()
            red[i] = np.zeros((len(self.parties), 1), dtype=bool)
        return UtilityTable(parties=list(self.parties), issues=list(self.issues), options=opts,
                            utility=util, salience=self.salience, red=red, no_deal=self.no_deal,
                            fixed={k: v for k, v in self.fixed.items() if k not in unsettled},
                            disagreement_values=dict(self.disagreement_values),
                            notes=list(self.notes),
                            open_issues=list(self.open_issues), compounds=list(self.compounds))


def load_utility_overrides(path: Path, profile: Profile) -> list[UtilityOverride]:
    """Read ``utilities.yaml``; every option of the issue must be given, each in [0, 1]."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("utilities"), list):
        raise DataError("expected a top-level 'utilities:' list", file=path, line=1,
                        fix="start the file with 'utilities:' and one '- party: …' entry per override")
    out: list[UtilityOverride] = []
    seen: set[tuple[str, str]] = set()
    for n, raw in enumerate(data["utilities"]):
        entry = validate(UtilityOverride, raw, file=path)
        where = line_of(data, ["utilities", n])
        if entry.party not in profile.parties:
            raise DataError(f"unknown party id {entry.party!r}", file=path, line=where,
                            fix=did_you_mean(entry.party, profile.parties))
        if entry.issue not in profile.issues:
            raise DataError(f"unknown issue id {entry.issue!r}", file=path, line=where,
                            fix=did_you_mean(entry.issue, profile.issues))
        options = profile.issues[entry.issue].option_ids
        unknown = sorted(set(entry.utilities) - set(options))
        missing = [o for o in options if o not in entry.utilities]
        if unknown or missing:
            raise DataError(f"utilities of {entry.party} on {entry.issue} must give exactly the options "
                            f"{options}" + (f"; unknown {unknown}" if unknown else "")
                            + (f"; missing {missing}" if missing else ""),
                            file=path, line=where, fix="give one value in [0, 1] per option")
        if (entry.party, entry.issue) in seen:
            raise DataError(f"two overrides for {entry.party} on {entry.issue}", file=path, line=where,
                            fix="keep one")
        seen.add((entry.party, entry.issue))
        out.append(entry)
    return out


def parse_fix(profile: Profile, terms: list[str]) -> dict[str, str]:
    """``issue=option`` strings (the CLI's --fix) as a checked mapping."""
    out: dict[str, str] = {}
    for term in terms:
        issue_id, sep, option = term.partition("=")
        if not sep or not option:
            raise DataError(f"--fix {term!r} is not issue=option", fix="give ISSUE=OPTION with ids from the profile's issues.yaml")
        issue = profile.issue(issue_id.strip())
        option = option.strip()
        if option not in issue.option_ids:
            raise NotFound(f"issue {issue.id} has no option {option!r}: {did_you_mean(option, issue.option_ids)}")
        if issue.id in out and out[issue.id] != option:
            raise DataError(f"--fix gives two options for {issue.id}", fix="impose one option per issue")
        out[issue.id] = option
    return out


def _rule_utilities(issue: Issue, preferred: str, acceptable: list[str], red_lines: list[str],
                    rules: UtilityRules) -> list[float]:
    out = []
    for option in issue.option_ids:
        if option == preferred:
            out.append(rules.preferred)
        elif option in red_lines:
            out.append(rules.red_line)
        elif option in acceptable:
            out.append(rules.acceptable)
        else:
            out.append(rules.other)
    return out


def utilities_from_positions(profile: Profile, as_of: dt.date | None = None,
                             parties: list[str] | None = None,
                             rules: UtilityRules | None = None,
                             disagreement: DisagreementRule | None = None,
                             fix: dict[str, str] | None = None,
                             overrides: list[UtilityOverride] | None = None) -> UtilityTable:
    """The utility table of the profile's positions as of a date.

    ``parties`` defaults to every party with a position by ``as_of``; parties without any
    position are left out with a note (they would be indifferent to every package).
    ``overrides`` defaults to the profile's ``utilities.yaml`` when there is one.
    """
    rules = rules or UtilityRules()
    disagreement = disagreement or DisagreementRule()
    fix = dict(fix or {})
    for issue_id, option in fix.items():
        if option not in profile.issue(issue_id).option_ids:
            raise NotFound(f"issue {issue_id} has no option {option!r}")
    if overrides is None:
        path = profile.root / UTILITIES_FILE
        overrides = load_utility_overrides(path, profile) if path.is_file() else []
    if parties is not None:
        for p in parties:
            profile.party(p)
        if len(set(parties)) != len(parties):
            raise DataError(f"party listed twice in {parties}", fix="name each party once")
    positions = profile.positions_as_of(as_of, parties)
    by_override = {(o.party, o.issue): o for o in overrides
                   if parties is None or o.party in parties}
    with_views = {p for p, _ in positions} | {p for p, _ in by_override}
    notes: list[str] = []
    weighting = profile.meta.bargaining.weighting
    if parties is None and weighting == "principals":
        parties = [p for p in profile.meta.principals]
        notes.append("who counts: the principal parties only (" + ", ".join(parties) +
                     "); choose others with --parties, or set bargaining.weighting in profile.yaml")
    if parties is None:
        chosen = [p for p in profile.parties if p in with_views]
    else:
        chosen = [p for p in parties if p in with_views]
        for p in parties:
            if p not in with_views:
                notes.append(f"{p} has no position by {as_of or 'today'} and is left out")
    for p in disagreement.values:
        profile.party(p)
    if len(chosen) < 2:
        raise DataError(f"bargaining needs at least two parties with positions; found {chosen or 'none'}"
                        f" as of {as_of or 'today'}",
                        fix="add positions to the profile, choose other --parties, or a later --as-of")

    issues = list(profile.issues.values())
    P, I = len(chosen), len(issues)
    salience = np.zeros((P, I))
    no_deal = np.zeros((P, I))
    utility = [np.zeros((P, len(iss.options))) for iss in issues]
    red = [np.zeros((P, len(iss.options)), dtype=bool) for iss in issues]
    for p, party in enumerate(chosen):
        for i, iss in enumerate(issues):
            pos = positions.get((party, iss.id))
            ovr = by_override.get((party, iss.id))
            if pos is None and ovr is None:
                continue  # indifferent: weight 0 on this issue
            reds = pos.red_lines if pos else []
            if ovr is not None:
                values = [ovr.utilities[o] for o in iss.option_ids]
                if ovr.salience is not None:
                    weight = ovr.salience
                elif pos is not None:
                    weight = pos.salience
                else:
                    raise DataError(f"utilities.yaml gives {party} on {iss.id} no salience and {party} "
                                    f"has no position there", file=profile.root / UTILITIES_FILE,
                                    fix="add 'salience: <0..1>' to the entry")
            else:
                assert pos is not None
                values = _rule_utilities(iss, pos.preferred, pos.acceptable, reds, rules)
                weight = pos.salience
            salience[p, i] = weight
            utility[i][p] = values
            red[i][p] = [o in reds for o in iss.option_ids]
            ruled_in = [v for v, o in zip(values, iss.option_ids) if o not in reds] or values
            if disagreement.mode == "zero":
                no_deal[p, i] = 0.0
            elif disagreement.mode == "status_quo" and iss.status_quo is not None:
                no_deal[p, i] = values[iss.option_ids.index(iss.status_quo)]
            else:
                no_deal[p, i] = min(ruled_in)
    keep = [p for p in range(P) if salience[p].sum() > 0]
    for p in range(P):
        if p not in keep:
            notes.append(f"{chosen[p]} gives every issue salience 0 and is left out")
    if len(keep) < 2:
        raise DataError("bargaining needs at least two parties with a positive salience somewhere",
                        fix="check the salience of the positions")
    # Issues no included party has a position on are not bargained over.
    used = [i for i in range(I) if salience[keep, i].sum() > 0 or red[i][keep].any()
            or issues[i].id in fix]
    open_issues = [issues[i].id for i in range(I) if i not in used]
    if open_issues:
        notes.append(f"no included party has a position on {len(open_issues)} issue(s), left open: "
                     + ", ".join(open_issues))
    table = UtilityTable(
        parties=[chosen[p] for p in keep],
        issues=[issues[i].id for i in used],
        options=[issues[i].option_ids for i in used],
        utility=[utility[i][keep] for i in used],
        salience=salience[np.ix_(keep, used)],
        red=[red[i][keep] for i in used],
        no_deal=no_deal[np.ix_(keep, used)],
        fixed=fix,
        disagreement_values=dict(disagreement.values),
        notes=notes,
        open_issues=open_issues,
    )
    links = [Link(party=pos.party, issue=pos.issue, options=tuple(c.options), other=c.issue,
                  allowed=tuple(c.allowed(profile.issues[c.issue])), red_line=c.otherwise == "red line crossed")
             for pos in positions.values() if pos.party in table.parties for c in pos.conditions
             # a package names no guarantors, so a condition on who guarantees is assess-only
             if not c.guarantors]
    for pos in positions.values():
        for c in pos.conditions:
            if c.guarantors and pos.party in table.parties:
                table.notes.append(
                    f"{pos.party} accepts {', '.join(c.options)} on {pos.issue} only with "
                    f"{' or '.join(c.guarantors)} among the guarantors; packages do not name guarantors, "
                    "so this condition is not applied here (redline assess checks it against a plan)")
    links = resolve_irreconcilable(table, links, {i: profile.issues[i].status_quo for i in table.issues},
                                   rules.red_line, rules.other)
    merged, compounds = merge(table, profile.questions, links, rules.red_line, rules.other)
    merged.compounds = compounds
    if weighting == "blocs" and profile.meta.bargaining.blocs:
        merged = merge_blocs(merged, profile.meta.bargaining.blocs)
    return merged


def merge_blocs(table: UtilityTable, blocs: dict[str, list[str]]) -> UtilityTable:
    """One voice per bloc: on each issue the members' salience-weighted mean utility, their mean
    salience, and every member's red lines (a bloc cannot accept what a member rules out)."""
    rows: list[tuple[str, list[int]]] = []
    placed: set[int] = set()
    for bloc, members in blocs.items():
        idx = [table.parties.index(m) for m in members if m in table.parties]
        if idx:
            rows.append((bloc if len(idx) > 1 else table.parties[idx[0]], idx))
            placed |= set(idx)
    rows += [(table.parties[p], [p]) for p in range(len(table.parties)) if p not in placed]
    if all(len(idx) == 1 for _, idx in rows):
        return table
    sal = np.array([table.salience[idx].mean(axis=0) for _, idx in rows])
    util, red = [], []
    for i in range(len(table.issues)):
        u = np.zeros((len(rows), len(table.options[i])))
        r = np.zeros((len(rows), len(table.options[i])), dtype=bool)
        for k, (_, idx) in enumerate(rows):
            w = table.salience[idx, i]
            u[k] = (w @ table.utility[i][idx]) / w.sum() if w.sum() > 0 else table.utility[i][idx].mean(axis=0)
            r[k] = table.red[i][idx].any(axis=0)
        util.append(u)
        red.append(r)
    nd = np.array([[(table.salience[idx, i] @ table.no_deal[idx, i]) / table.salience[idx, i].sum()
                    if table.salience[idx, i].sum() > 0 else table.no_deal[idx, i].mean()
                    for i in range(len(table.issues))] for _, idx in rows])
    notes = list(table.notes) + [f"{name} speaks as one voice for {', '.join(table.parties[p] for p in idx)}"
                                 for name, idx in rows if len(idx) > 1]
    return UtilityTable(parties=[name for name, _ in rows], issues=list(table.issues),
                        options=[list(o) for o in table.options], utility=util, salience=sal, red=red,
                        no_deal=nd, fixed=dict(table.fixed), disagreement_values=dict(table.disagreement_values),
                        notes=notes, open_issues=list(table.open_issues), compounds=list(table.compounds))

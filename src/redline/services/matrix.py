"""The party × issue matrix of curated positions: one model for the API, the pages and exports."""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Literal

from pydantic import BaseModel

from redline.assess.rules import DEFAULT_RULES, Rules
from redline.model import Issue, Polarity
from redline.profile import Profile
from redline.services.settings import resolve_as_of
from redline.sources import CitedEvidence, cite

Stance = Literal["for", "against", "mixed", "none"]


class MatrixCell(BaseModel):
    party: str
    issue: str
    preferred: str
    preferred_label: str
    stance: Stance
    acceptable: list[str]
    red_lines: list[str]
    has_red_line: bool
    salience: float
    since: dt.date
    note: str = ""
    newest_evidence: dt.date
    stale: bool = False
    evidence: list[CitedEvidence]


class MatrixIssue(BaseModel):
    id: str
    proposition: str
    options: list[str]


class MatrixParty(BaseModel):
    id: str
    name: str
    principal: bool


class Matrix(BaseModel):
    """Party × issue grid of curated positions as of a date; absent cells mean no stated position."""

    profile: str
    as_of: dt.date
    dates: list[dt.date]
    parties: list[MatrixParty]
    issues: list[MatrixIssue]
    cells: list[MatrixCell]


def stance_of(issue: Issue, option_id: str) -> Stance:
    """Whether choosing an option means for or against the issue's proposition."""
    try:
        pol = issue.option(option_id).polarity
    except KeyError:
        return "none"
    if pol == Polarity.FOR:
        return "for"
    if pol == Polarity.AGAINST:
        return "against"
    return "mixed"


def position_dates(profile: Profile) -> list[dt.date]:
    """Every date on which some curated position starts: the stops of the "as of" slider."""
    return sorted({p.since for p in profile.positions})


def _party_order(profile: Profile, ids: Iterable[str]) -> list[str]:
    order = {pid: i for i, pid in enumerate(profile.parties)}
    principals = profile.meta.principals
    return sorted(set(ids), key=lambda p: (p not in principals, principals.index(p) if p in principals else 0,
                                            order.get(p, 10**6)))


def matrix(profile: Profile, as_of: dt.date | None = None, parties: list[str] | None = None,
           rules: Rules = DEFAULT_RULES, issues: list[str] | None = None) -> Matrix:
    """Curated positions as of a date (``None``: today), each judged stale against that date.

    ``parties`` and ``issues`` narrow the grid (ids checked, with a "did you mean")."""
    for p in parties or []:
        profile.party(p)
    for i in issues or []:
        profile.issue(i)
    as_of = resolve_as_of(as_of)
    positions = {k: v for k, v in profile.positions_as_of(as_of, parties).items()
                 if issues is None or k[1] in issues}
    today = as_of
    party_ids = parties or _party_order(profile, {p for p, _ in positions} | set(profile.meta.principals))
    cells = []
    for (party, issue_id), pos in positions.items():
        issue = profile.issues[issue_id]
        try:
            label = issue.option(pos.preferred).label or pos.preferred
        except KeyError:
            label = pos.preferred
        cells.append(MatrixCell(
            party=party, issue=issue_id, preferred=pos.preferred, preferred_label=label,
            stance=stance_of(issue, pos.preferred), acceptable=pos.acceptable, red_lines=pos.red_lines,
            has_red_line=bool(pos.red_lines), salience=pos.salience, since=pos.since, note=pos.note,
            newest_evidence=max(e.date for e in pos.evidence),
            stale=(today - max(e.date for e in pos.evidence)).days > rules.stale_after_days,
            evidence=[cite(profile.sources, e) for e in pos.evidence]))
    cells.sort(key=lambda c: (party_ids.index(c.party) if c.party in party_ids else 10**6,
                              list(profile.issues).index(c.issue)))
    return Matrix(
        profile=profile.id, as_of=as_of, dates=position_dates(profile),
        parties=[MatrixParty(id=p, name=profile.parties[p].name, principal=p in profile.meta.principals)
                 for p in party_ids],
        issues=[MatrixIssue(id=i.id, proposition=i.proposition, options=i.option_ids)
                for i in profile.issues.values() if issues is None or i.id in issues],
        cells=cells)


__all__ = ["Matrix", "MatrixCell", "MatrixIssue", "MatrixParty", "matrix", "stance_of", "position_dates"]

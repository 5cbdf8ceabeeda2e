"""Analogues with outcomes: the curated agreements a plan resembles, and what became of them.

``plan_analogues(plan, profile)`` is the piece ``redline assess`` (and the web plan page) shows:
it needs no PA-X file, only the outcome table and the profile's ``outcome_terms``, so every
report carries it. ``attach_outcomes`` adds the table's verdict to PA-X hits that are in it
(Minsk II, the 2008 Georgia plan, …).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from redline.errors import DataError
from redline.model import Plan
from redline.precedents.outcomes import (MechanismHold, OutcomeMatch, OutcomeTable, hold_rates, load_outcomes,
                                         match_outcomes, plan_mechanisms)

if TYPE_CHECKING:
    from redline.precedents.search import Hit
    from redline.profile import Profile


class HitOutcome(BaseModel):
    """The outcome table's entry for a PA-X agreement, in brief."""

    id: str
    title: str
    status: str
    status_label: str
    ended: dt.date | None = None
    held_for: str
    mechanisms: list[str]
    reason: str
    source: str


class Analogues(BaseModel):
    plan_id: str
    status: str = Field(description='"ok", or "error" when the outcome table cannot be read')
    message: str
    plan_mechanisms: list[str] = Field(default_factory=list)
    outcomes: list[OutcomeMatch] = Field(default_factory=list)
    hold_rates: list[MechanismHold] = Field(default_factory=list)


def hit_outcome(table: OutcomeTable, agreement_id: int) -> HitOutcome | None:
    o = table.for_pax(agreement_id)
    if o is None:
        return None
    return HitOutcome(id=o.id, title=o.title, status=o.status, status_label=o.status_label, ended=o.ended,
                      held_for=o.held_for, mechanisms=list(o.mechanisms), reason=o.reason.strip(),
                      source=o.evidence)


def attach_outcomes(hits: list["Hit"], table: OutcomeTable | None = None) -> None:
    """Set ``hit.outcome`` for every hit the outcome table covers (by PA-X AgtId)."""
    try:
        table = table or load_outcomes()
    except DataError:
        return
    for h in hits:
        h.outcome = hit_outcome(table, h.agreement_id)


def plan_analogues(plan: Plan, profile: "Profile", table: OutcomeTable | None = None,
                   limit: int = 8) -> Analogues:
    """The curated agreements that settled what ``plan`` settles, their fate, and hold rates by mechanism.

    Never raises for a bad or missing table: the report says so instead, so ``assess`` completes.
    """
    mechs = plan_mechanisms(plan)
    try:
        table = table or load_outcomes()
    except DataError as exc:
        return Analogues(plan_id=plan.id, status="error", message=f"outcome table unreadable: {exc.render()}",
                         plan_mechanisms=mechs)
    matches = match_outcomes(plan, profile, table, limit=limit)
    if matches:
        message = (f"{len(matches)} curated agreement(s) settled what this plan settles "
                   f"(of {len(table.outcomes)} in the outcome table)")
    else:
        message = "no agreement in the outcome table settled what this plan settles"
    return Analogues(plan_id=plan.id, status="ok", message=message, plan_mechanisms=mechs, outcomes=matches,
                     hold_rates=hold_rates(table, plan_mechs=mechs))


__all__ = ["Analogues", "HitOutcome", "plan_analogues", "attach_outcomes", "hit_outcome"]

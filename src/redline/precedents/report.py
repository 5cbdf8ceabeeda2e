"""The precedents section of an assessment: similar PA-X agreements, base rates, historical cases.

``plan_precedents`` never fails because the PA-X files are absent: the report then says so
(``status = "not_found"``) and still carries what needs no data — the plan's PA-X profile, the
clauses PA-X cannot express, and the profile's historical cases.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from redline.errors import DataError
from redline.model import Plan
from redline.precedents.analogues import Analogues, attach_outcomes, plan_analogues
from redline.precedents.baserates import BaseRates, infer_stage, plan_base_rates
from redline.precedents.cases import CaseMatch, matching_cases
from redline.precedents.config import load_config
from redline.precedents.pax import CITATION, DOWNLOAD_HINT, PaxData, load_pax, resolve_pax_path
from redline.precedents.query import Query, plan_query
from redline.precedents.search import MEASURE, DEFAULT_EXTRA_WEIGHT, Filters, Hit, RankContext, search

if TYPE_CHECKING:
    from redline.profile import Profile


class PaxInfo(BaseModel):
    path: str
    agreements: int
    first_date: dt.date
    last_date: dt.date
    citation: str = CITATION

    @classmethod
    def of(cls, pax: PaxData) -> "PaxInfo":
        return cls(path=str(pax.path), agreements=len(pax), first_date=pax.first_date, last_date=pax.last_date)


class PrecedentReport(BaseModel):
    plan_id: str
    plan_title: str
    status: Literal["ok", "not_found", "error"]
    message: str
    pax: PaxInfo | None = None
    measure: str = MEASURE
    query: Query | None = None
    filters: Filters | None = None
    considered: int | None = None
    weights: dict[str, float] = Field(default_factory=dict)
    extra_weight: float | None = None
    stage: str | None = Field(default=None, description="the plan's PA-X stage the stage component compares with")
    collapsed: int = 0
    hits: list[Hit] = Field(default_factory=list)
    base_rates: BaseRates | None = None
    cases: list[CaseMatch] = Field(default_factory=list)
    analogues: Analogues | None = Field(default=None, description="curated agreements with outcomes (no PA-X needed)")


def plan_context(plan: Plan, profile: "Profile", weights: dict[str, float] | None = None,
                 stage: str | None = None) -> RankContext:
    """What a plan's analogues are ranked against: the profile's conflict, the plan's stage, weights.

    ``weights`` replace the profile's defaults component by component (``--weight``).
    """
    cfg = load_config(profile)
    basis = "given"
    if stage is None:
        stage, basis = infer_stage(plan, profile)
    merged = {**cfg.weights, **(weights or {})}
    return RankContext(conflict=cfg.conflict, stage=stage, stage_basis=basis, weights=merged,
                       unknown_direction_credit=cfg.unknown_direction_credit, extra_weight=cfg.extra_weight,
                       per_process=cfg.per_process)


def plan_precedents(plan: Plan, profile: "Profile", pax_path: str | Path | None = None, top: int = 5, *,
                    filters: Filters | None = None, pax: PaxData | None = None, baserates: bool = True,
                    stage: str | None = None, agreement_type: str | None = None,
                    extra_weight: float | None = None, strict: bool = False,
                    weights: dict[str, float] | None = None, per_process: int | None = None) -> PrecedentReport:
    """Similar agreements, base rates and cases for ``plan``; missing PA-X data is a state, not an error.

    With ``strict`` a corrupt PA-X file raises its DataError (the CLI wants that); without it the
    report carries the message so that ``redline assess`` still completes.
    """
    # A case with the plan's own id is the plan itself (e.g. Istanbul 2022), not a precedent for it.
    cases = [m for m in matching_cases(profile, set(plan.terms())) if m.case.id != plan.id]
    base = dict(plan_id=plan.id, plan_title=plan.title, cases=cases, analogues=plan_analogues(plan, profile))
    if pax is None:
        try:
            resolve_pax_path(pax_path)
        except DataError as exc:
            if strict:
                raise
            return PrecedentReport(**base, status="not_found", query=plan_query(plan, profile),
                                   message=f"{exc.message}; {DOWNLOAD_HINT}")
        try:
            pax = load_pax(pax_path)
        except DataError as exc:
            if strict:
                raise
            return PrecedentReport(**base, status="error", query=plan_query(plan, profile),
                                   message=f"PA-X data unreadable: {exc.render()}")
    query = plan_query(plan, profile, pax.codes)
    context = plan_context(plan, profile, weights)
    result = search(pax, query, filters, top=top,
                    extra_weight=context.extra_weight if extra_weight is None else extra_weight,
                    context=context, per_process=per_process or context.per_process)
    attach_outcomes(result.hits)
    rates = plan_base_rates(pax, plan, profile, query, stage, agreement_type) if baserates else None
    if result.hits:
        message = (f"{len(result.hits)} most similar of {result.considered:,} PA-X agreements "
                   f"({result.filters.describe()})")
    elif not query.clauses:
        message = "none of the plan's clauses can be expressed in PA-X codes"
    else:
        message = f"no PA-X agreement ({result.filters.describe()}) shares a clause with the plan"
    return PrecedentReport(**base, status="ok", message=message, pax=PaxInfo.of(pax), query=query,
                           filters=result.filters, considered=result.considered, hits=result.hits,
                           base_rates=rates, weights=result.weights, extra_weight=result.extra_weight,
                           stage=context.stage, collapsed=result.collapsed)


__all__ = ["PrecedentReport", "PaxInfo", "plan_precedents", "plan_context"]

"""Base rates: how common each clause of a plan is in past agreements, overall and among like ones.

For each clause (an issue's or mechanism's PA-X codes, present when any is > 0) and each single
code, the share of agreements that contain it: overall, within the plan's stage, within its
agreement type, and within both. A clause is flagged *unusual* when its share in the reference
group — the narrowest of (stage and type, type, stage, all) with at least ``min_group``
agreements — is below ``threshold``. Counts come straight from the CSV values (> 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from redline.errors import DataError
from redline.model import Plan
from redline.precedents.pax import PaxData
from redline.precedents.query import Clause, Query, Unexpressed
from redline.precedents.outcomes import MechanismHold, hold_rates, plan_mechanisms, wilson
from redline.precedents.search import _pick

if TYPE_CHECKING:
    from redline.profile import Profile

DEFAULT_THRESHOLD = 0.10
DEFAULT_MIN_GROUP = 20
GROUP_ORDER = ("stage_type", "type", "stage", "overall")


class Count(BaseModel):
    """k of n agreements, with the share and its 95% Wilson interval."""

    k: int
    n: int
    share: float | None = None
    low: float | None = None
    high: float | None = None


class BaseRateRow(BaseModel):
    id: str
    kind: str
    label: str
    codes: list[str]
    provisions: list[str] = Field(default_factory=list)
    overall: Count
    stage: Count | None = None
    type: Count | None = None
    stage_type: Count | None = None
    reference: str
    unusual: bool
    direction: str = "unknown"
    note: str = ""


class BaseRates(BaseModel):
    label: str
    stage: str | None
    stage_basis: str
    agreement_type: str | None
    type_basis: str
    threshold: float
    min_group: int
    groups: dict[str, int]
    rows: list[BaseRateRow]
    code_rows: list[BaseRateRow] = Field(default_factory=list)
    not_expressible: list[Unexpressed] = Field(default_factory=list)
    mechanism_holds: list[MechanismHold] = Field(
        default_factory=list, description="how often curated agreements with each mechanism held (outcome table)")

    @property
    def unusual(self) -> list[BaseRateRow]:
        return [r for r in self.rows if r.unusual]


def infer_stage(plan: Plan, profile: "Profile") -> tuple[str, str]:
    """A plan's PA-X stage by what it covers: ceasefire-only, partial, or comprehensive.

    Which issues a ceasefire-stage document settles is the profile's call (``ceasefire_issues``
    in precedents.yaml); without that list no plan is inferred to be a ceasefire.
    """
    from redline.precedents.config import load_config

    cease = set(load_config(profile).ceasefire_issues)
    issues = set(plan.terms())
    if issues and cease and issues <= cease:
        return "Cea", f"inferred: the plan only addresses {', '.join(sorted(cease))} (the profile's ceasefire issues)"
    share = len(issues) / max(len(profile.issues), 1)
    if share >= 0.5:
        return "SubComp", f"inferred: the plan addresses {len(issues)} of the profile's {len(profile.issues)} issues (at least half)"
    return "SubPar", f"inferred: the plan addresses {len(issues)} of the profile's {len(profile.issues)} issues (under half)"


def infer_type(profile: "Profile") -> tuple[str, str]:
    """Inter when every principal of the profile is a state, else Intra (PA-X's Agtp values)."""
    kinds = [profile.parties[p].kind for p in profile.meta.principals if p in profile.parties]
    if kinds and all(k == "state" for k in kinds):
        return "Inter", f"inferred: the principals ({', '.join(profile.meta.principals)}) are states"
    return "Intra", "inferred: not every principal of the profile is a state"


def _count(has: np.ndarray, group: np.ndarray) -> Count:
    n = int(group.sum())
    k = int((has & group).sum())
    low, high = wilson(k, n)
    return Count(k=k, n=n, share=round(k / n, 4) if n else None, low=low, high=high)


def base_rates(pax: PaxData, query: Query, stage: str | None = None, agreement_type: str | None = None, *,
               threshold: float = DEFAULT_THRESHOLD, min_group: int = DEFAULT_MIN_GROUP,
               stage_basis: str = "", type_basis: str = "") -> BaseRates:
    """The share of agreements containing each clause and code of ``query``, with counts."""
    if not 0.0 < threshold < 1.0:
        raise DataError(f"unusual threshold {threshold} is outside 0..1", fix="use e.g. 0.1 for 10%")
    if min_group < 1:
        raise DataError(f"minimum group size {min_group} must be at least 1", fix="use e.g. 20")
    stage = _pick([stage], sorted(set(pax.stage) | set(pax.stage_sub)), "stage", "--stage")[0] if stage else None
    agreement_type = _pick([agreement_type], sorted(set(pax.agreement_type)), "agreement type", "--type")[0] \
        if agreement_type else None
    everyone = np.ones(len(pax), dtype=bool)
    in_stage = (pax.stage == stage) | (pax.stage_sub == stage) if stage else None
    in_type = pax.agreement_type == agreement_type if agreement_type else None
    groups = {"overall": everyone}
    if in_stage is not None:
        groups["stage"] = in_stage
    if in_type is not None:
        groups["type"] = in_type
    if in_stage is not None and in_type is not None:
        groups["stage_type"] = in_stage & in_type
    sizes = {g: int(m.sum()) for g, m in groups.items()}
    reference = next((g for g in GROUP_ORDER if sizes.get(g, 0) >= min_group), "overall")

    def row(clause: Clause, kind: str) -> BaseRateRow:
        has = pax.has_any(clause.codes)
        counts = {g: _count(has, m) for g, m in groups.items()}
        ref = counts[reference]
        return BaseRateRow(id=clause.id, kind=kind, label=clause.label, codes=clause.codes,
                           provisions=clause.provisions, overall=counts["overall"], stage=counts.get("stage"),
                           type=counts.get("type"), stage_type=counts.get("stage_type"), reference=reference,
                           unusual=ref.share is not None and ref.share < threshold,
                           direction=clause.direction if clause.kind == "issue" else "n/a", note=clause.note)

    rows = [row(c, c.kind) for c in query.clauses]
    code_rows: list[BaseRateRow] = []
    if query.kind == "plan":
        for code in query.codes:
            code_rows.append(row(Clause(id=code, kind="code", label=pax.codes.label(code), codes=[code],
                                        provisions=sorted({p for c in query.clauses if code in c.codes
                                                           for p in c.provisions}, key=_num)), "code"))
    return BaseRates(label=query.label, stage=stage, stage_basis=stage_basis or ("given" if stage else "none"),
                     agreement_type=agreement_type,
                     type_basis=type_basis or ("given" if agreement_type else "none"),
                     threshold=threshold, min_group=min_group,
                     groups=sizes, rows=rows, code_rows=code_rows,
                     not_expressible=query.not_expressible)


def _num(s: str) -> tuple:
    digits = "".join(ch for ch in s if ch.isdigit())
    return (int(digits) if digits else 0, s)


def plan_base_rates(pax: PaxData, plan: Plan, profile: "Profile", query: Query, stage: str | None = None,
                    agreement_type: str | None = None, **kw) -> BaseRates:
    """Base rates for a plan, comparing with its inferred stage and type unless they are given."""
    stage_basis = type_basis = "given"
    if stage is None:
        stage, stage_basis = infer_stage(plan, profile)
    if agreement_type is None:
        agreement_type, type_basis = infer_type(profile)
    rates = base_rates(pax, query, stage, agreement_type, stage_basis=stage_basis, type_basis=type_basis, **kw)
    try:
        rates.mechanism_holds = hold_rates(plan_mechs=plan_mechanisms(plan))
    except DataError:
        pass   # the outcome table is optional for base rates; PA-X counts stand on their own
    return rates


__all__ = ["Count", "BaseRateRow", "BaseRates", "base_rates", "plan_base_rates", "infer_stage", "infer_type",
           "DEFAULT_THRESHOLD", "DEFAULT_MIN_GROUP"]

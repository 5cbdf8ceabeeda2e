"""Similarity search: which PA-X agreements look most like a plan, and why.

The measure (documented in docs/precedents.md):

* The query and every agreement are sets of *features*. A feature is a group of PA-X codes and is
  present when any of them is coded above 0. For a plan, the features are the profile's clauses
  (each issue with ``pax_codes``, each mechanism with codes; clauses with identical codes merged):
  the plan can only speak the profile's vocabulary, so codes outside it say nothing about the
  plan and are not compared. For a list of codes, the features are the given codes plus every
  PA-X leaf code they do not cover, so an agreement's whole coded profile counts.
* Each feature f weighs w_f = ln((N + 1) / (n_f + 1)), with n_f the number of the N agreements
  that have it: sharing a rare clause says more than sharing a common one. Weights come from all
  agreements, so filters do not change scores.
* score = I / (I + M + β·E), an inverse-frequency weighted Tversky index, where I sums the weights
  of features in both, M of query features the agreement lacks, and E of agreement features the
  query lacks; β = 0.5 by default (an agreement's extra clauses count half as much as the plan's
  missing ones; β = 1 is weighted Jaccard). 1 means the same clauses, 0 nothing shared.
* Plans have few features, so ties are common; they are broken by the same weighted Jaccard
  computed code by code over the profile's codes (``detail``), then by date, newest first.

For a plan, that clause score is one of four weighted components (``rank_components``): the
agreement and conflict type, the parties and region, and the stage, each scored 0..1 from the
profile's ``precedents.yaml`` — an analyst of an inter-state war over territory looks at
inter-state territorial settlements in the same neighbourhood first, not at civil-war texts that
happen to share generic codes. The ranking score is the weighted mean; every hit lists each
component with its value and the reason.
"""

from __future__ import annotations

from typing import Callable

import datetime as dt
import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from redline.errors import DataError, nearest
from redline.precedents.config import Conflict
from redline.precedents.pax import Agreement, PaxData
from redline.precedents.query import Clause, Query

DEFAULT_EXTRA_WEIGHT = 0.5
MAX_EXTRA_SHOWN = 12

MEASURE = ("inverse-frequency weighted Tversky index over clause features (a feature is present when any of "
           "its PA-X codes is > 0; weight ln((N+1)/(n+1)); score = shared / (shared + missing + β·extra))")


class Filters(BaseModel):
    """Which agreements may be returned. Values are PA-X's own (Stage/StageSub, Agtp, Reg)."""

    stages: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None
    exclude: list[int] = Field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.stages:
            parts.append("stage " + "/".join(self.stages))
        if self.types:
            parts.append("type " + "/".join(self.types))
        if self.regions:
            parts.append("region " + "/".join(self.regions))
        if self.countries:
            parts.append("country " + "/".join(self.countries))
        if self.since:
            parts.append(f"from {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return ", ".join(parts) or "all agreements"


class ClauseMatch(BaseModel):
    """A clause and the codes (with their PA-X values) that the agreement has for it.

    ``direction``: "same" when the codes say the agreement goes the plan's way, "opposite" when it
    has only the codes of the issue's other option (an amnesty where the plan wants a tribunal),
    "unknown" when PA-X cannot tell which way the clause goes.
    """

    id: str
    label: str
    codes: dict[str, int]
    direction: Literal["same", "opposite", "unknown"] = "unknown"


class Component(BaseModel):
    """One reason an agreement ranks where it does: a 0..1 value, its weight, and why."""

    name: str
    weight: float
    value: float
    reason: str


class RankContext(BaseModel):
    """What the non-clause components compare with: the profile's conflict and the plan's stage."""

    conflict: Conflict
    stage: str | None = None
    stage_basis: str = ""
    weights: dict[str, float]
    unknown_direction_credit: float = 1.0
    extra_weight: float = DEFAULT_EXTRA_WEIGHT
    per_process: int | None = None


class ClauseRef(BaseModel):
    id: str
    label: str


class Hit(BaseModel):
    agreement_id: int
    name: str
    date: dt.date
    country: str
    process: str
    region: str
    agreement_type: str
    stage: str
    stage_sub: str
    score: float
    clause_score: float | None = None
    components: list[Component] = Field(default_factory=list)
    detail: float | None = None
    shared: list[str] = Field(description="PA-X codes the query and the agreement share")
    matched: list[ClauseMatch]
    missing: list[ClauseRef]
    opposite: list[ClauseMatch] = Field(default_factory=list)
    extra: list[ClauseMatch]
    n_extra: int
    explanation: str
    outcome: "HitOutcome | None" = Field(default=None, description="what became of it, from the outcome table")


from redline.precedents.analogues import HitOutcome  # noqa: E402  (after Hit's own imports)

Hit.model_rebuild()


class SearchResult(BaseModel):
    query: Query
    filters: Filters
    measure: str = MEASURE
    extra_weight: float
    weights: dict[str, float] = Field(default_factory=lambda: {"clauses": 1.0})
    context: RankContext | None = None
    per_process: int | None = None
    collapsed: int = Field(default=0, description="agreements left out because their process already had per_process hits")
    total: int
    considered: int
    hits: list[Hit]


def _pick(values: list[str], known: list[str], what: str, flag: str) -> list[str]:
    """Map user-typed values onto PA-X's (case-insensitive), or raise naming the known ones."""
    known = [str(k) for k in known]          # numpy strings print as np.str_('…')
    lower = {k.lower(): k for k in known}
    out = []
    for v in values:
        for part in v.split(","):
            part = part.strip()
            if not part:
                continue
            if part.lower() not in lower:
                near = nearest(part, known)
                hint = f"did you mean {near[0]!r}? " if near else ""
                raise DataError(f"unknown {what} {part!r} for {flag}",
                                fix=f"{hint}known: {', '.join(sorted(known))}")
            out.append(lower[part.lower()])
    return out


def _parts_matching(values: list[str], known: list[str], what: str, option: str,
                    fix: "Callable[[str, list[str]], str]") -> list[str]:
    """The comma-separated parts of ``values``, each required to match part of a known name."""
    out = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            if not any(part.lower() in k.lower() for k in known):
                raise DataError(f"no {what} matches {part!r} for {option}", fix=fix(part, known))
            out.append(part)
    return out


def normalise_filters(pax: PaxData, filters: Filters | None) -> Filters:
    """Check filter values against the data and give them PA-X's spelling."""
    f = filters or Filters()
    stages = _pick(f.stages, sorted(set(pax.stage) | set(pax.stage_sub)), "stage", "--stage")
    types = _pick(f.types, sorted(set(pax.agreement_type)), "agreement type", "--type")
    regions = _parts_matching(f.regions, sorted({str(r) for r in pax.region}), "PA-X region", "--region",
                              lambda part, known: f"use part of one of: {', '.join(known)}")
    countries_known = sorted({p for a in pax.agreements for p in _con_parts(a.country)}) if f.countries else []

    def country_fix(part: str, known: list[str]) -> str:
        near = nearest(part, known)
        return (f"did you mean {near[0]!r}? " if near else "") + "give part of a PA-X Con name"
    countries = _parts_matching(f.countries, countries_known, "PA-X country/entity", "--country", country_fix)
    if f.since and f.until and f.since > f.until:
        raise DataError(f"--since {f.since} is after --until {f.until}", fix="swap the dates")
    return f.model_copy(update={"stages": stages, "types": types, "regions": regions, "countries": countries})


def filter_mask(pax: PaxData, filters: Filters) -> np.ndarray:
    n = len(pax)
    mask = np.ones(n, dtype=bool)
    if filters.stages:
        mask &= np.isin(pax.stage, filters.stages) | np.isin(pax.stage_sub, filters.stages)
    if filters.types:
        mask &= np.isin(pax.agreement_type, filters.types)
    if filters.regions:
        low = np.char.lower(pax.region.astype(str))
        rmask = np.zeros(n, dtype=bool)
        for r in filters.regions:
            rmask |= np.char.find(low, r.lower()) >= 0
        mask &= rmask
    if filters.countries:
        low = np.char.lower(np.array([a.country for a in pax.agreements]).astype(str))
        cmask = np.zeros(n, dtype=bool)
        for c in filters.countries:
            cmask |= np.char.find(low, c.lower()) >= 0
        mask &= cmask
    if filters.since:
        mask &= pax.dates >= np.datetime64(filters.since, "D")
    if filters.until:
        mask &= pax.dates <= np.datetime64(filters.until, "D")
    if filters.exclude:
        mask &= ~np.isin(pax.ids, filters.exclude)
    return mask


def idf(present: np.ndarray) -> np.ndarray:
    n = present.shape[0]
    return np.log((n + 1) / (present.sum(axis=0) + 1))


class _Space:
    """The features a query is compared in, their presence per agreement and their weights."""

    def __init__(self, pax: PaxData, query: Query) -> None:
        self.labels: list[list[Clause]] = []     # per feature: the clauses it stands for
        cols: list[np.ndarray] = []
        in_query: list[bool] = []
        if query.universe == "profile":
            groups: dict[frozenset, int] = {}
            for clause, q in [(c, True) for c in query.clauses] + [(c, False) for c in query.background]:
                key = frozenset(clause.codes)
                if key in groups:
                    i = groups[key]
                    self.labels[i].append(clause)
                    in_query[i] = in_query[i] or q
                    continue
                groups[key] = len(self.labels)
                self.labels.append([clause])
                in_query.append(q)
                cols.append(pax.has_any(clause.codes))
            self.present = np.column_stack(cols) if cols else np.zeros((len(pax), 0), dtype=bool)
        else:
            covered: set[str] = set()
            for clause in query.clauses:
                self.labels.append([clause])
                in_query.append(True)
                cols.append(pax.has_any(clause.codes))
                for c in clause.codes:
                    covered.add(c)
                    covered.update(pax.codes.descendants(c))
            keep = np.array([c not in covered for c in pax.leaf_columns], dtype=bool)
            for c in np.array(pax.leaf_columns)[keep]:
                self.labels.append([Clause(id=str(c), kind="code", label=pax.codes.label(str(c)), codes=[str(c)])])
                in_query.append(False)
            self.present = np.column_stack(cols + [pax.leaf_present[:, keep]])
        self.query = np.array(in_query, dtype=bool)
        self.weight = idf(self.present)


def _tversky(present: np.ndarray, query: np.ndarray, weight: np.ndarray, beta: float,
             credit: np.ndarray | None = None) -> np.ndarray:
    """I / (I + M + β·E); with ``credit`` (0..1 per feature) a shared feature earns only that share
    of its weight in I and the rest counts as missing, so the score stays within 0..1."""
    wq, wx = weight * query, weight * ~query
    if credit is None:
        shared = present @ wq
        missing = (~present) @ wq
    else:
        shared = present @ (wq * credit)
        missing = (~present) @ wq + present @ (wq * (1.0 - credit))
    extra = present @ wx
    denom = shared + missing + beta * extra
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, shared / denom, 0.0)


def _detail(pax: PaxData, query: Query) -> np.ndarray | None:
    if query.universe != "profile":
        return None
    vocab: list[str] = []
    for c in query.clauses + query.background:
        vocab.extend(x for x in c.codes if x not in vocab and x in pax.column_index)
    if not vocab:
        return None
    present = pax.present[:, pax.columns_for(vocab)]
    qset = set(query.codes)
    return _tversky(present, np.array([c in qset for c in vocab]), idf(present), 1.0)


# How close an agreement's PA-X stage is to the plan's (rows: the plan's stage). Generic PA-X
# knowledge, not about any conflict: a partial framework is nearest a comprehensive one and an
# implementation agreement, further from a ceasefire, furthest from pre-negotiation.
STAGE_AFFINITY: dict[str, dict[str, float]] = {
    "Cea": {"Cea": 1.0, "Ren": 0.6, "Imp": 0.5, "SubPar": 0.5, "SubComp": 0.3, "Pre": 0.2},
    "SubPar": {"SubPar": 1.0, "SubComp": 0.8, "Imp": 0.7, "Cea": 0.5, "Ren": 0.3, "Pre": 0.2},
    "SubComp": {"SubComp": 1.0, "SubPar": 0.8, "Imp": 0.6, "Cea": 0.4, "Ren": 0.2, "Pre": 0.1},
    "Imp": {"Imp": 1.0, "SubPar": 0.7, "SubComp": 0.6, "Cea": 0.5, "Ren": 0.5, "Pre": 0.2},
    "Pre": {"Pre": 1.0, "SubPar": 0.4, "Cea": 0.3, "SubComp": 0.3, "Imp": 0.2, "Ren": 0.3},
}


def _con_parts(con: str) -> list[str]:
    return [p.strip().strip("()").strip() for p in con.split("/") if p.strip()]


def type_component(agt: Agreement, conflict: Conflict) -> tuple[float, str]:
    """Agreement type (Agtp) and conflict type (Contp) scored by the profile, mixed by ``type_mix``.

    A profile may read a whole PA-X process as another type (``type_overrides``), e.g. a war PA-X
    codes as intrastate although an outside state signed its agreements; the reason is shown.
    """
    agtp, why = agt.agreement_type, ""
    over = conflict.type_overrides.get(agt.process_name)
    if over is not None:
        agtp, why = over.agreement_type, f" read as {over.agreement_type}: {over.reason}"
    a = conflict.agreement_types.get(agtp, 0.0)
    c = conflict.conflict_types.get(agt.conflict_type, 0.0)
    wa = conflict.type_mix.get("agreement_type", 0.7)
    wc = conflict.type_mix.get("conflict_type", 0.3)
    value = (wa * a + wc * c) / (wa + wc) if wa + wc > 0 else 0.0
    return value, f"Agtp {agt.agreement_type}{why} ({a:g}), Contp {agt.conflict_type} ({c:g})"


def parties_component(agt: Agreement, conflict: Conflict) -> tuple[float, str]:
    """The best of: the war's own peace process (PA-X PPName); one of its countries in Con (each
    with its own score); a neighbour's conflict; one of its countries among the signatories or
    witnesses; the same region. All names and scores come from the profile's precedents.yaml."""
    s = conflict.party_scores
    parts = _con_parts(agt.country)
    best = (0.0, f"Con {agt.country}, {agt.region}")

    def take(value: float, reason: str) -> None:
        nonlocal best
        if value > best[0]:
            best = (value, reason)

    if agt.process_name in conflict.processes:
        take(s.get("process", 1.0), f"this war's own process ({agt.process_name})")
    for country, value in conflict.countries.items():
        if country in parts:
            take(value, f"Con {agt.country} names {country}")
    near = [c for c in conflict.neighbours if c in parts]
    if near:
        take(s.get("neighbour", 0.6), f"neighbour's conflict (Con {agt.country})")
    text = f"{agt.parties}\n{agt.third_parties}".lower()
    named = [n for n in conflict.party_names if n.lower() in text]
    if named:
        take(s.get("party", 0.5), f"{named[0]} among the signatories or witnesses")
    if agt.region in conflict.regions:
        take(s.get("region", 0.25), f"same region ({agt.region})")
    return best


def stage_component(agt: Agreement, stage: str | None) -> tuple[float, str]:
    if not stage:
        return 0.0, "plan stage unknown"
    value = STAGE_AFFINITY.get(stage, {stage: 1.0}).get(agt.stage, 0.0)
    return value, f"{agt.stage}/{agt.stage_sub} vs plan's {stage}"


_COMPONENT_CACHE: dict[tuple, dict[str, np.ndarray]] = {}


def rank_components(pax: PaxData, context: RankContext) -> dict[str, np.ndarray]:
    """Per agreement, the type, parties and stage values (cached per data set and context)."""
    key = (id(pax), len(pax), context.conflict.model_dump_json(), context.stage)
    if key not in _COMPONENT_CACHE:
        if len(_COMPONENT_CACHE) > 16:
            _COMPONENT_CACHE.clear()
        _COMPONENT_CACHE[key] = {
            "type": np.array([type_component(a, context.conflict)[0] for a in pax.agreements]),
            "parties": np.array([parties_component(a, context.conflict)[0] for a in pax.agreements]),
            "stage": np.array([stage_component(a, context.stage)[0] for a in pax.agreements]),
        }
    return _COMPONENT_CACHE[key]


def search(pax: PaxData, query: Query, filters: Filters | None = None, top: int = 10,
           extra_weight: float = DEFAULT_EXTRA_WEIGHT, context: RankContext | None = None,
           per_process: int | None = None) -> SearchResult:
    """The ``top`` agreements most similar to ``query`` among those ``filters`` admit.

    Without ``context`` the score is the clause overlap alone (code and ``--like`` queries); with
    it, the weighted mean of clause overlap, type, parties and stage (``context.weights``).
    Agreements sharing no clause are never returned, whatever their other components.
    ``per_process`` keeps at most that many agreements of one PA-X peace process (the best ones):
    eight near-identical border protocols of one process would otherwise fill the list.
    """
    if top < 1:
        raise DataError(f"--top {top} must be at least 1", fix="ask for 1 or more results")
    if not 0.0 <= extra_weight <= 1.0:
        raise DataError(f"extra weight {extra_weight} is outside 0..1", fix="use 0.5 (default) or 1 (Jaccard)")
    filters = normalise_filters(pax, filters)
    if query.exclude:
        filters = filters.model_copy(update={"exclude": sorted(set(filters.exclude) | set(query.exclude))})
    mask = filter_mask(pax, filters)
    weights = dict(context.weights) if context is not None else {"clauses": 1.0}
    if per_process is not None and per_process < 1:
        raise DataError(f"--per-process {per_process} must be at least 1", fix="e.g. 3, or leave it out")
    result = SearchResult(query=query, filters=filters, extra_weight=extra_weight, weights=weights,
                          context=context, per_process=per_process, total=len(pax),
                          considered=int(mask.sum()), hits=[])
    if not query.clauses:
        return result
    space = _Space(pax, query)
    credit = None
    if context is not None and context.unknown_direction_credit < 1.0:
        credit = np.array([1.0 if any(c.direction == "known" or c.kind == "mechanism" for c in group)
                           else context.unknown_direction_credit for group in space.labels])
    clause = _tversky(space.present, space.query, space.weight, extra_weight, credit)
    score = ranking_scores(pax, clause, context)
    detail = _detail(pax, query)
    candidates = np.flatnonzero(mask & (clause > 0))
    if candidates.size == 0:
        return result
    d = detail[candidates] if detail is not None else np.zeros(candidates.size)
    order = np.lexsort((pax.ids[candidates], -pax.dates[candidates].astype(np.int64), -np.round(d, 9),
                        -np.round(clause[candidates], 9), -np.round(score[candidates], 9)))
    seen: dict[str, int] = {}
    for i in candidates[order]:
        if per_process is not None:
            proc = pax.agreements[int(i)].process_id or f"agt{int(i)}"
            if seen.get(proc, 0) >= per_process:
                result.collapsed += 1
                continue
            seen[proc] = seen.get(proc, 0) + 1
        if len(result.hits) < top:
            result.hits.append(_hit(pax, query, space, int(i), float(score[i]), float(clause[i]),
                                    None if detail is None else float(detail[i]), context))
        elif per_process is None:
            break
    return result


def ranking_scores(pax: PaxData, clause: np.ndarray, context: RankContext | None) -> np.ndarray:
    """The weighted mean of the components; the clause score alone without a context."""
    if context is None:
        return clause
    comps = rank_components(pax, context)
    total = sum(context.weights.values())
    out = context.weights.get("clauses", 0.0) * clause
    for name in ("type", "parties", "stage"):
        out = out + context.weights.get(name, 0.0) * comps[name]
    return out / total


def rank_of(pax: PaxData, query: Query, agreement_id: int, context: RankContext | None = None,
            extra_weight: float = DEFAULT_EXTRA_WEIGHT, per_process: int | None = None) -> int:
    """1-based rank of one agreement among all that share a clause (0 if absent; for tests and docs)."""
    res = search(pax, query, top=len(pax), extra_weight=extra_weight, context=context, per_process=per_process)
    for n, h in enumerate(res.hits, 1):
        if h.agreement_id == agreement_id:
            return n
    return 0


def _values(pax: PaxData, row: int, codes: list[str]) -> dict[str, int]:
    out = {}
    for c in codes:
        j = pax.column_index.get(c)
        if j is not None and pax.values[row, j] > 0:
            out[c] = int(pax.values[row, j])
    return out


def _fmt(codes: dict[str, int]) -> str:
    return ", ".join(f"{c}={v}" for c, v in codes.items())


def _hit(pax: PaxData, query: Query, space: _Space, row: int, score: float, clause_score: float,
         detail: float | None, context: RankContext | None) -> Hit:
    agt = pax.agreements[row]
    matched, missing, opposite = [], [], []
    for clause in query.clauses:
        vals = _values(pax, row, clause.codes)
        if vals:
            matched.append(ClauseMatch(id=clause.id, label=clause.label, codes=vals,
                                       direction="same" if clause.direction == "known" else "unknown"))
        else:
            missing.append(ClauseRef(id=clause.id, label=clause.label))
            other = _values(pax, row, clause.opposite)
            if other:
                opposite.append(ClauseMatch(id=clause.id, label=clause.label, codes=other, direction="opposite"))
    extra: list[tuple[float, ClauseMatch]] = []
    for f in np.flatnonzero(space.present[row] & ~space.query):
        for clause in space.labels[f]:
            vals = _values(pax, row, clause.codes)
            extra.append((float(space.weight[f]), ClauseMatch(id=clause.id, label=clause.label, codes=vals)))
    extra.sort(key=lambda x: -x[0])
    qcodes = set(query.codes)
    shared = [c for c in agt.provisions if c in qcodes]
    components: list[Component] = []
    if context is not None:
        components.append(Component(name="clauses", weight=context.weights.get("clauses", 0.0),
                                    value=round(clause_score, 4),
                                    reason=f"{len(matched)} of {len(query.clauses)} plan clauses shared"))
        for name, (value, reason) in (("type", type_component(agt, context.conflict)),
                                      ("parties", parties_component(agt, context.conflict)),
                                      ("stage", stage_component(agt, context.stage))):
            components.append(Component(name=name, weight=context.weights.get(name, 0.0), value=round(value, 4),
                                        reason=reason))
    parts = []
    if components:
        parts.append("; ".join(f"{c.name} {c.value:.2f} ({c.reason})" for c in components))
    parts.append(f"shares {len(matched)} of {len(query.clauses)} clauses")
    if matched:
        parts.append("; ".join(f"{m.id} ({_fmt(m.codes)}{', direction ' + m.direction if m.direction != 'unknown' else ', direction unknown'})"
                               for m in matched))
    if opposite:
        parts.append("settles the other way: " + "; ".join(f"{o.id} ({_fmt(o.codes)})" for o in opposite))
    if missing:
        parts.append("lacks " + ", ".join(m.id for m in missing))
    if extra:
        shown = ", ".join(e.id for _, e in extra[:MAX_EXTRA_SHOWN])
        more = f" and {len(extra) - MAX_EXTRA_SHOWN} more" if len(extra) > MAX_EXTRA_SHOWN else ""
        parts.append(f"also has {shown}{more}")
    return Hit(agreement_id=agt.agreement_id, name=agt.name, date=agt.date, country=agt.country,
               process=agt.process_name, region=agt.region, agreement_type=agt.agreement_type,
               stage=agt.stage, stage_sub=agt.stage_sub, score=round(score, 4),
               clause_score=round(clause_score, 4), components=components,
               detail=None if detail is None or math.isnan(detail) else round(detail, 4),
               shared=shared, matched=matched, missing=missing, opposite=opposite,
               extra=[e for _, e in extra[:MAX_EXTRA_SHOWN]], n_extra=len(extra),
               explanation=". ".join(parts) + ".")


__all__ = ["Filters", "Hit", "ClauseMatch", "ClauseRef", "Component", "RankContext", "SearchResult", "search",
           "normalise_filters", "filter_mask", "rank_components", "ranking_scores", "rank_of", "type_component",
           "parties_component", "stage_component", "STAGE_AFFINITY", "MEASURE", "DEFAULT_EXTRA_WEIGHT"]

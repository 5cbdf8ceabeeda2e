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
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from pydantic import BaseModel, Field

from redline.errors import DataError, nearest
from redline.precedents.pax import PaxData
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
        if self.since:
            parts.append(f"from {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return ", ".join(parts) or "all agreements"


class ClauseMatch(BaseModel):
    """A clause and the codes (with their PA-X values) that the agreement has for it."""

    id: str
    label: str
    codes: dict[str, int]


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
    detail: float | None = None
    shared: list[str] = Field(description="PA-X codes the query and the agreement share")
    matched: list[ClauseMatch]
    missing: list[ClauseRef]
    extra: list[ClauseMatch]
    n_extra: int
    explanation: str


class SearchResult(BaseModel):
    query: Query
    filters: Filters
    measure: str = MEASURE
    extra_weight: float
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


def normalise_filters(pax: PaxData, filters: Filters | None) -> Filters:
    """Check filter values against the data and give them PA-X's spelling."""
    f = filters or Filters()
    stages = _pick(f.stages, sorted(set(pax.stage) | set(pax.stage_sub)), "stage", "--stage")
    types = _pick(f.types, sorted(set(pax.agreement_type)), "agreement type", "--type")
    regions_known = sorted({str(r) for r in pax.region})
    regions = []
    for r in f.regions:
        for part in (p.strip() for p in r.split(",")):
            if not part:
                continue
            if not any(part.lower() in k.lower() for k in regions_known):
                raise DataError(f"no PA-X region matches {part!r} for --region",
                                fix=f"use part of one of: {', '.join(regions_known)}")
            regions.append(part)
    if f.since and f.until and f.since > f.until:
        raise DataError(f"--since {f.since} is after --until {f.until}", fix="swap the dates")
    return f.model_copy(update={"stages": stages, "types": types, "regions": regions})


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


def _tversky(present: np.ndarray, query: np.ndarray, weight: np.ndarray, beta: float) -> np.ndarray:
    wq, wx = weight * query, weight * ~query
    shared = present @ wq
    missing = (~present) @ wq
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


def search(pax: PaxData, query: Query, filters: Filters | None = None, top: int = 10,
           extra_weight: float = DEFAULT_EXTRA_WEIGHT) -> SearchResult:
    """The ``top`` agreements most similar to ``query`` among those ``filters`` admit."""
    if top < 1:
        raise DataError(f"--top {top} must be at least 1", fix="ask for 1 or more results")
    if not 0.0 <= extra_weight <= 1.0:
        raise DataError(f"extra weight {extra_weight} is outside 0..1", fix="use 0.5 (default) or 1 (Jaccard)")
    filters = normalise_filters(pax, filters)
    if query.exclude:
        filters = filters.model_copy(update={"exclude": sorted(set(filters.exclude) | set(query.exclude))})
    mask = filter_mask(pax, filters)
    result = SearchResult(query=query, filters=filters, extra_weight=extra_weight, total=len(pax),
                          considered=int(mask.sum()), hits=[])
    if not query.clauses:
        return result
    space = _Space(pax, query)
    score = _tversky(space.present, space.query, space.weight, extra_weight)
    detail = _detail(pax, query)
    candidates = np.flatnonzero(mask & (score > 0))
    if candidates.size == 0:
        return result
    d = detail[candidates] if detail is not None else np.zeros(candidates.size)
    order = np.lexsort((pax.ids[candidates], -pax.dates[candidates].astype(np.int64), -np.round(d, 9),
                        -np.round(score[candidates], 9)))
    for i in candidates[order[:top]]:
        result.hits.append(_hit(pax, query, space, int(i), float(score[i]),
                                None if detail is None else float(detail[i])))
    return result


def _values(pax: PaxData, row: int, codes: list[str]) -> dict[str, int]:
    out = {}
    for c in codes:
        j = pax.column_index.get(c)
        if j is not None and pax.values[row, j] > 0:
            out[c] = int(pax.values[row, j])
    return out


def _fmt(codes: dict[str, int]) -> str:
    return ", ".join(f"{c}={v}" for c, v in codes.items())


def _hit(pax: PaxData, query: Query, space: _Space, row: int, score: float, detail: float | None) -> Hit:
    agt = pax.agreements[row]
    matched, missing = [], []
    for clause in query.clauses:
        vals = _values(pax, row, clause.codes)
        if vals:
            matched.append(ClauseMatch(id=clause.id, label=clause.label, codes=vals))
        else:
            missing.append(ClauseRef(id=clause.id, label=clause.label))
    extra: list[tuple[float, ClauseMatch]] = []
    for f in np.flatnonzero(space.present[row] & ~space.query):
        for clause in space.labels[f]:
            vals = _values(pax, row, clause.codes)
            extra.append((float(space.weight[f]), ClauseMatch(id=clause.id, label=clause.label, codes=vals)))
    extra.sort(key=lambda x: -x[0])
    qcodes = set(query.codes)
    shared = [c for c in agt.provisions if c in qcodes]
    parts = [f"shares {len(matched)} of {len(query.clauses)} clauses"]
    if matched:
        parts.append("; ".join(f"{m.id} ({_fmt(m.codes)})" for m in matched))
    if missing:
        parts.append("lacks " + ", ".join(m.id for m in missing))
    if extra:
        shown = ", ".join(e.id for _, e in extra[:MAX_EXTRA_SHOWN])
        more = f" and {len(extra) - MAX_EXTRA_SHOWN} more" if len(extra) > MAX_EXTRA_SHOWN else ""
        parts.append(f"also has {shown}{more}")
    return Hit(agreement_id=agt.agreement_id, name=agt.name, date=agt.date, country=agt.country,
               process=agt.process_name, region=agt.region, agreement_type=agt.agreement_type,
               stage=agt.stage, stage_sub=agt.stage_sub, score=round(score, 4),
               detail=None if detail is None or math.isnan(detail) else round(detail, 4),
               shared=shared, matched=matched, missing=missing,
               extra=[e for _, e in extra[:MAX_EXTRA_SHOWN]], n_extra=len(extra),
               explanation=". ".join(parts) + ".")


__all__ = ["Filters", "Hit", "ClauseMatch", "ClauseRef", "SearchResult", "search", "normalise_filters",
           "filter_mask", "MEASURE", "DEFAULT_EXTRA_WEIGHT"]

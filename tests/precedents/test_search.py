"""Similarity search on the real PA-X file: Minsk comes first for a Minsk-like plan, with reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from redline.errors import DataError
from redline.precedents.query import agreement_query, codes_query, plan_query
from redline.precedents.search import Filters, search

from .conftest import MINSK_POINT_CODES

MINSK = {1363, 1364}   # Minsk Protocol (Minsk I), Package of Measures (Minsk II)


def test_minsk_plan_finds_minsk_first_and_explains_shared_codes(minsk_plan, rprofile, pax):
    result = search(pax, plan_query(minsk_plan, rprofile, pax.codes), top=10)
    top = result.hits[0]
    assert top.agreement_id in MINSK
    assert top.score > result.hits[1].score
    assert {"Ce", "CeProv", "SsrFf", "ImPK", "TjPrire", "Ele", "TjAmPro"} <= set(top.shared)
    for code in ("CeProv", "SsrFf", "ImPK", "TjPrire", "Ele"):
        assert code in top.explanation
    matched = {m.id for m in top.matched}
    assert {"ceasefire", "humanitarian.exchange", "mechanism:monitoring"} <= matched
    assert {m.id for m in top.missing} | matched == {c.id for c in result.query.clauses}


def test_minsk_point_codes_find_minsk_first(pax):
    result = search(pax, codes_query(MINSK_POINT_CODES, pax.codes), top=5)
    assert result.hits[0].agreement_id in MINSK
    assert result.hits[0].n_extra == len(result.hits[0].extra) or result.hits[0].n_extra > 12


def test_like_an_agreement_excludes_itself(pax):
    result = search(pax, agreement_query(pax, 1364), top=5)
    ids = [h.agreement_id for h in result.hits]
    assert 1364 not in ids
    assert ids[0] in {1363, 1362}
    assert result.considered == len(pax) - 1


def test_identical_profile_scores_one(pax):
    agt = pax.agreement(1362)
    leaves = [c for c in agt.provisions if c in set(pax.leaf_columns)]
    result = search(pax, codes_query(leaves, pax.codes), top=3)
    assert result.hits[0].agreement_id == 1362 and result.hits[0].score == 1.0
    assert all(0.0 <= h.score <= 1.0 for h in result.hits)


def test_scores_follow_the_documented_formula(pax):
    """score = I / (I + M + β·E) with ln((N+1)/(n+1)) weights, recomputed here for one agreement."""
    result = search(pax, codes_query(["SsrFf", "ImPK", "StBor"], pax.codes), top=1, extra_weight=0.5)
    hit = result.hits[0]
    row = pax.index[hit.agreement_id]
    n = len(pax)

    def w(codes):
        has = pax.has_any(codes)
        return np.log((n + 1) / (has.sum() + 1)), bool(has[row])

    shared = missing = extra = 0.0
    for code in ("SsrFf", "ImPK", "StBor"):
        weight, present = w([code])
        shared, missing = (shared + weight, missing) if present else (shared, missing + weight)
    for leaf in pax.leaf_columns:
        if leaf in ("SsrFf", "ImPK", "StBor"):
            continue
        weight, present = w([leaf])
        extra += weight if present else 0.0
    assert hit.score == pytest.approx(shared / (shared + missing + 0.5 * extra), abs=1e-4)


def test_filters_restrict_hits(pax):
    result = search(pax, codes_query(["SsrFf", "ImPK", "StBor"], pax.codes),
                    Filters(stages=["subcomp"], regions=["Europe"]), top=50)
    assert result.hits
    assert all(h.stage == "SubComp" and "Europe" in h.region for h in result.hits)
    assert result.considered == int(((pax.stage == "SubComp") & (pax.region == "Europe and Eurasia")).sum())
    dated = search(pax, codes_query(["CeProv"], pax.codes),
                   Filters(types=["Inter"], since=dt.date(2000, 1, 1), until=dt.date(2010, 12, 31)), top=100)
    assert dated.hits and all(h.agreement_type == "Inter" and 2000 <= h.date.year <= 2010 for h in dated.hits)


@pytest.mark.parametrize("filters,message", [
    (Filters(stages=["Comprehensive"]), "unknown stage 'Comprehensive'"),
    (Filters(types=["interstate"]), "unknown agreement type 'interstate'"),
    (Filters(regions=["Atlantis"]), "no PA-X region matches 'Atlantis'"),
    (Filters(since=dt.date(2020, 1, 1), until=dt.date(2010, 1, 1)), "is after --until"),
])
def test_bad_filters_are_data_errors(pax, filters, message):
    with pytest.raises(DataError, match=message):
        search(pax, codes_query(["CeProv"], pax.codes), filters)


def test_no_expressible_clause_gives_no_hits(rprofile, pax):
    from redline.model import Provision

    from .conftest import make_plan

    plan = make_plan(Provision(number="1", text="Neutral.", issue="alliance.neutrality", option="for"))
    result = search(pax, plan_query(plan, rprofile, pax.codes))
    assert result.hits == [] and result.considered == len(pax)


def test_filter_errors_suggest_pax_values(pax):
    with pytest.raises(DataError) as exc:
        search(pax, codes_query(["CeProv"], pax.codes), Filters(types=["inter-state"]))
    msg = str(exc.value)
    assert "did you mean 'Inter'" in msg and "known: Inter, InterIntra, Intra, IntraLocal" in msg
    assert "np.str_" not in msg

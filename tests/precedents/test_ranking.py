"""Similarity an analyst recognises: on the real PA-X file, the bundled plans find this war's own
agreements and its neighbours' settlements, each hit explains its rank component by component,
and intrastate local deals never outrank inter-state ones with the same clause overlap."""

from __future__ import annotations

import pytest

from redline.errors import DataError
from redline.precedents.config import load_config, parse_weights
from redline.precedents.query import plan_query
from redline.precedents.report import plan_context, plan_precedents
from redline.precedents.search import rank_of, search

MINSK_I, MINSK_II, GEORGIA_2008 = 1363, 1364, 724


@pytest.fixture(scope="module")
def bundled():
    """The bundled profile as it is (plans included): the success check is about these plans."""
    from redline.profile import load_profile

    return load_profile("russia-ukraine")


def _rank(pax, prof, plan_id: str, agreement_id: int, weights=None) -> int:
    plan = prof.plan(plan_id)
    ctx = plan_context(plan, prof, weights)
    return rank_of(pax, plan_query(plan, prof, pax.codes), agreement_id, ctx, ctx.extra_weight, ctx.per_process)


def test_minsk_ranks_in_the_top_ten_for_russias_2024_terms(bundled, pax):
    # Ranked by clause overlap alone they were ~1,100th; the profile's analyst weights bring them up.
    plan = bundled.plan("russia-2024-06-terms")
    q = plan_query(plan, bundled, pax.codes)
    clause_only = search(pax, q, top=len(pax))
    ids = [h.agreement_id for h in clause_only.hits]
    assert ids.index(MINSK_II) + 1 > 100
    assert 1 <= _rank(pax, bundled, "russia-2024-06-terms", MINSK_I) <= 10
    assert 1 <= _rank(pax, bundled, "russia-2024-06-terms", MINSK_II) <= 10


def test_georgia_2008_ranks_in_the_top_twenty_for_the_28_point_plan(bundled, pax):
    assert 1 <= _rank(pax, bundled, "us-28-point-plan", GEORGIA_2008) <= 20


@pytest.mark.parametrize("plan_id", ["russia-2024-06-terms", "us-28-point-plan", "ukraine-peace-formula",
                                     "us-20-point-framework", "russia-2025-06-memorandum"])
def test_intrastate_local_never_outranks_interstate_with_the_same_clause_overlap(bundled, pax, plan_id):
    if plan_id not in bundled.plans:
        pytest.skip(f"{plan_id} is not bundled")
    plan = bundled.plan(plan_id)
    ctx = plan_context(plan, bundled)
    res = search(pax, plan_query(plan, bundled, pax.codes), top=len(pax), context=ctx,
                 extra_weight=ctx.extra_weight)
    assert res.hits
    rank = {h.agreement_id: n for n, h in enumerate(res.hits)}
    locals_ = [h for h in res.hits if h.agreement_type == "IntraLocal"]
    inters = [h for h in res.hits if h.agreement_type == "Inter"]
    pairs = 0
    for lo in locals_:
        for it in inters:
            if abs(lo.clause_score - it.clause_score) < 1e-9:
                pairs += 1
                assert rank[it.agreement_id] < rank[lo.agreement_id], (lo.agreement_id, it.agreement_id)
    assert pairs > 0, "the property was not exercised"


def test_each_hit_shows_its_components_and_the_score_is_their_weighted_mean(bundled, pax):
    report = plan_precedents(bundled.plan("us-28-point-plan"), bundled, pax=pax, top=5, baserates=False)
    assert report.status == "ok" and report.hits
    for h in report.hits:
        names = [c.name for c in h.components]
        assert names == ["clauses", "type", "parties", "stage"]
        total = sum(c.weight for c in h.components)
        assert h.score == pytest.approx(sum(c.weight * c.value for c in h.components) / total, abs=2e-4)
        assert all(c.reason for c in h.components)
        assert "Agtp" in h.components[1].reason
    minsk = next(h for h in report.hits if h.agreement_id == MINSK_II)
    assert "this war's own process" in minsk.components[2].reason
    assert "read as InterIntra" in minsk.components[1].reason      # the profile's override, with its reason
    assert minsk.outcome is not None and minsk.outcome.status == "broke_down"


def test_weights_come_from_the_profile_and_can_be_overridden(bundled, pax):
    cfg = load_config(bundled)
    assert set(cfg.weights) == {"clauses", "type", "parties", "stage"}
    clause_only = parse_weights(["type=0,parties=0", "stage=0"], cfg.weights)
    assert clause_only == {**cfg.weights, "type": 0.0, "parties": 0.0, "stage": 0.0}
    plan = bundled.plan("russia-2024-06-terms")
    default = plan_precedents(plan, bundled, pax=pax, top=10, baserates=False)
    bare = plan_precedents(plan, bundled, pax=pax, top=10, baserates=False, weights=clause_only)
    assert [h.agreement_id for h in default.hits] != [h.agreement_id for h in bare.hits]
    assert all(h.score == pytest.approx(h.clause_score, abs=1e-4) for h in bare.hits)
    for bad in (["colour=1"], ["type=-1"], ["type=x"], ["clauses=0,type=0,parties=0,stage=0"]):
        with pytest.raises(DataError):
            parse_weights(bad, cfg.weights)


def test_per_process_limit_and_country_filter(bundled, pax):
    from redline.precedents.search import Filters

    plan = bundled.plan("us-28-point-plan")
    report = plan_precedents(plan, bundled, pax=pax, top=40, baserates=False, per_process=1)
    procs = [pax.agreement(h.agreement_id).process_id for h in report.hits]
    assert len(procs) == len(set(procs)) and report.collapsed > 0
    only = plan_precedents(plan, bundled, pax=pax, top=10, baserates=False, filters=Filters(countries=["Georgia"]))
    assert only.hits and all("Georgia" in h.country for h in only.hits)
    with pytest.raises(DataError, match="no PA-X country"):
        plan_precedents(plan, bundled, pax=pax, baserates=False, filters=Filters(countries=["Atlantis"]), strict=True)

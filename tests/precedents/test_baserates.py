"""Base rates equal counts taken straight from the CSV; unusual clauses are flagged by the stated rule."""

from __future__ import annotations

import pytest

from redline.errors import DataError
from redline.model import Provision
from redline.precedents.baserates import base_rates, infer_stage, infer_type, plan_base_rates
from redline.precedents.query import codes_query, plan_query

from .conftest import make_plan


def _count(rows, codes, **where):
    sel = [r for r in rows if all(r[k] == v for k, v in where.items())]
    return sum(1 for r in sel if any(int(r[c]) > 0 for c in codes)), len(sel)


def test_border_clauses_among_interstate_agreements_match_the_csv(pax, csv_rows):
    rates = base_rates(pax, codes_query(["StBor"], pax.codes), "SubComp", "Inter")
    row = rates.rows[0]
    assert (row.type.k, row.type.n) == _count(csv_rows, ["StBor"], Agtp="Inter")
    assert (row.overall.k, row.overall.n) == _count(csv_rows, ["StBor"])
    assert (row.stage.k, row.stage.n) == _count(csv_rows, ["StBor"], Stage="SubComp")
    assert (row.stage_type.k, row.stage_type.n) == _count(csv_rows, ["StBor"], Stage="SubComp", Agtp="Inter")
    assert row.type.share == pytest.approx(row.type.k / row.type.n, abs=1e-4)
    assert row.type.share > 3 * row.overall.share   # borders are an interstate matter


def test_plan_clause_rates_count_any_of_the_issue_codes(minsk_plan, rprofile, pax, csv_rows):
    q = plan_query(minsk_plan, rprofile, pax.codes)
    rates = plan_base_rates(pax, minsk_plan, rprofile, q, stage="Cea", agreement_type="Intra")
    rows = {r.id: r for r in rates.rows}
    k, n = _count(csv_rows, ["Ce", "CeProv", "CeGen"], Stage="Cea", Agtp="Intra")
    assert (rows["ceasefire"].stage_type.k, rows["ceasefire"].stage_type.n) == (k, n)
    k, n = _count(csv_rows, ["DdrDemil", "CeProv"])
    assert (rows["mechanism:dmz"].overall.k, rows["mechanism:dmz"].overall.n) == (k, n)
    codes = {r.id: r for r in rates.code_rows}
    assert codes["TjPrire"].overall.k == _count(csv_rows, ["TjPrire"])[0]
    assert codes["TjPrire"].provisions == ["6"]
    assert {u.id for u in rates.not_expressible} == {"mechanism:timetable", "mechanism:sequencing"}


def test_unusual_uses_the_narrowest_group_large_enough(pax):
    rates = base_rates(pax, codes_query(["SsrFf", "CeProv", "StBor"], pax.codes), "SubComp", "Inter",
                       threshold=0.10, min_group=20)
    assert rates.groups["stage_type"] < 20 <= rates.groups["type"]
    for r in rates.rows:
        assert r.reference == "type"
        assert r.unusual == (r.type.share < 0.10)
    assert {r.id: r.unusual for r in rates.rows}["StBor"] is False
    tiny = base_rates(pax, codes_query(["StBor"], pax.codes), "SubComp", "Inter", min_group=5)
    assert tiny.rows[0].reference == "stage_type"
    overall = base_rates(pax, codes_query(["TjMis"], pax.codes))
    assert overall.rows[0].reference == "overall" and overall.rows[0].stage is None


def test_bad_parameters(pax):
    q = codes_query(["StBor"], pax.codes)
    with pytest.raises(DataError, match="unknown stage"):
        base_rates(pax, q, "Final")
    with pytest.raises(DataError, match="threshold"):
        base_rates(pax, q, threshold=1.5)


def test_stage_and_type_inference(rprofile, minsk_plan):
    cease = make_plan(Provision(number="1", text="Ceasefire.", issue="ceasefire", option="for"),
                      Provision(number="2", text="Exchange.", issue="humanitarian.exchange", option="for"))
    assert infer_stage(cease, rprofile)[0] == "Cea"
    assert infer_stage(minsk_plan, rprofile)[0] == "SubPar"
    big = make_plan(*[Provision(number=str(i), text=i_id, issue=i_id, option=issue.option_ids[-1])
                      for i, (i_id, issue) in enumerate(rprofile.issues.items())])
    assert infer_stage(big, rprofile)[0] == "SubComp"
    assert infer_type(rprofile)[0] == "Inter"

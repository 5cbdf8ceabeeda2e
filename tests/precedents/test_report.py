"""plan_precedents, as `redline assess` calls it: a report always, a state when PA-X is missing."""

from __future__ import annotations

import json
import shutil

import pytest

from redline.errors import DataError
from redline.precedents import plan_precedents
from redline.precedents.pax import CODES_NAME, CSV_NAME


def test_report_for_a_plan(minsk_plan, rprofile, pax_dir):
    report = plan_precedents(minsk_plan, rprofile, pax_dir, top=5)
    assert report.status == "ok" and len(report.hits) == 5
    assert report.hits[0].agreement_id in {1363, 1364}
    assert report.pax.agreements == 2257 and "Bell" in report.pax.citation
    assert report.base_rates is not None and report.base_rates.stage == "SubPar"
    assert {m.case.id for m in report.cases} >= {"korea-1953-armistice"}
    data = json.loads(report.model_dump_json())
    # the fields the assess renderers read
    assert data["message"].startswith("5 most similar of 2,257")
    hit = data["hits"][0]
    assert {"agreement_id", "name", "date", "score", "shared"} <= set(hit)
    assert isinstance(hit["shared"], list) and "SsrFf" in hit["shared"]


def test_missing_data_is_a_state_not_an_error(minsk_plan, rprofile, tmp_path):
    report = plan_precedents(minsk_plan, rprofile, tmp_path / "absent")
    assert report.status == "not_found" and report.hits == []
    assert "PA-X data not found" in report.message and "peaceagreements.org" in report.message
    # what needs no data is still there
    assert report.query is not None and report.query.clauses
    assert {u.id for u in report.query.not_expressible} == {"mechanism:timetable", "mechanism:sequencing"}
    assert report.cases
    json.loads(report.model_dump_json())
    with pytest.raises(DataError, match="PA-X data not found"):
        plan_precedents(minsk_plan, rprofile, tmp_path / "absent", strict=True)


def test_corrupt_data_is_reported(minsk_plan, rprofile, tmp_path, pax_dir):
    shutil.copy(pax_dir / CODES_NAME, tmp_path / CODES_NAME)
    (tmp_path / CSV_NAME).write_text("AgtId,Agt,Dat,Agtp,Stage,StageSub,Reg,Con,CeProv\n1,x,2020-01-01,Inter,Cea,Ceas,Europe,X\n",
                                     encoding="utf-8")
    report = plan_precedents(minsk_plan, rprofile, tmp_path)
    assert report.status == "error" and "data row 1" in report.message
    with pytest.raises(DataError, match="data row 1"):
        plan_precedents(minsk_plan, rprofile, tmp_path, strict=True)


def test_a_case_is_not_its_own_precedent(rprofile, pax):
    from redline.model import Provision

    from .conftest import make_plan

    plan = make_plan(Provision(number="1", text="Neutral.", issue="alliance.neutrality", option="for"),
                     plan_id="istanbul-2022")
    ids = [m.case.id for m in plan_precedents(plan, rprofile, pax=pax).cases]
    assert "istanbul-2022" not in ids and "budapest-1994" in ids

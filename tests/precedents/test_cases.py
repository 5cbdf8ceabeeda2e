"""The historical cases in cases.yaml: dated, sourced, tied to issues, nothing the reference leaves unverified."""

from __future__ import annotations

import datetime as dt

from redline.model import Provision
from redline.precedents.cases import matching_cases

from .conftest import make_plan

EXPECTED = {
    "budapest-1994": dt.date(1994, 12, 5),
    "istanbul-2022": dt.date(2022, 3, 29),
    "finland-1944-armistice": dt.date(1944, 9, 19),
    "finland-1947-paris-treaty": dt.date(1947, 2, 10),
    "austria-1955": dt.date(1955, 5, 15),
    "korea-1953-armistice": dt.date(1953, 7, 27),
}


def test_the_six_cases_load_with_dates_sources_and_issues(rprofile):
    assert {k: c.date for k, c in rprofile.cases.items()} == EXPECTED
    for case in rprofile.cases.values():
        assert case.sources and case.provisions and case.outcome
        assert case.issues and set(case.issues) <= set(rprofile.issues)


def test_items_the_reference_marks_unverified_are_left_out(rprofile):
    text = " ".join(c.model_dump_json() for c in rprofile.cases.values())
    assert "unverified" not in text.lower()
    # e.g. France/China's separate assurances, Austria's "Art. 13", Finland voiding the clauses in 1990
    for phrase in ("France and China", "Art. 13", "Article 13", "obsolete", "30 km", "UNSC Res 2202"):
        assert phrase not in text


def test_key_facts(rprofile):
    korea = " ".join(rprofile.cases["korea-1953-armistice"].provisions)
    assert "4 km" in korea and "72 hours" in korea
    paris = " ".join(rprofile.cases["finland-1947-paris-treaty"].provisions)
    assert "34,400" in paris and "60 combat aircraft" in paris
    assert "Porkkala" in " ".join(rprofile.cases["finland-1944-armistice"].provisions)


def test_cases_sharing_issues_come_first(rprofile):
    found = matching_cases(rprofile, {"security.guarantees", "alliance.neutrality"})
    assert [m.case.id for m in found][:2] == ["budapest-1994", "istanbul-2022"]
    assert found[0].shared_issues == ["security.guarantees", "alliance.neutrality"]
    assert "austria-1955" in [m.case.id for m in found]
    assert matching_cases(rprofile, {"nuclear.zaporizhzhia"}) == []


def test_guarantee_plan_gets_budapest(rprofile, pax):
    from redline.precedents import plan_precedents

    plan = make_plan(Provision(number="1", text="Guarantees.", issue="security.guarantees", option="for"))
    report = plan_precedents(plan, rprofile, pax=pax)
    assert "budapest-1994" in [m.case.id for m in report.cases]

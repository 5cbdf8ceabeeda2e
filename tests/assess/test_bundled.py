"""The bundled Russia–Ukraine profile: sourced, valid, and the findings the issue asks to show,
computed from the curated data (no result is written into the code)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from redline.assess import assess, compare

PLANS = ["russia-2024-06-terms", "ukraine-peace-formula", "china-12-point-position", "istanbul-2022",
         "ukraine-victory-plan", "russia-2025-06-memorandum", "us-28-point-plan", "us-20-point-framework"]


def party(report, pid):
    return next(p for p in report.parties if p.party == pid)


def test_bundled_plans_present(profile):
    assert set(PLANS) <= set(profile.plans)


def test_every_position_and_provision_is_sourced_and_dated(profile):
    assert len(profile.positions) >= 60
    for pos in profile.positions:
        assert pos.evidence and all(e.url.startswith("http") and e.date for e in pos.evidence), pos
    for plan in profile.plans.values():
        assert plan.date and plan.sources
        for prov in plan.provisions:
            assert prov.sources and all(u.startswith("http") for u in prov.sources), (plan.id, prov.number)


def test_core_parties_cover_the_issues(profile):
    for pid in ("RUS", "UKR", "USA", "EU", "CHN"):
        issues = {p.issue for p in profile.positions if p.party == pid}
        assert len(issues) >= 5, (pid, issues)
    for pid in ("RUS", "UKR"):
        assert {p.issue for p in profile.positions if p.party == pid} == set(profile.issues)


def test_validate_command_passes_on_bundled_profile():
    r = subprocess.run([sys.executable, "-m", "redline", "validate", "russia-ukraine"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: russia-ukraine: 19 issues")


def test_putin_terms_cross_ukraine_red_lines_and_meet_no_demand_by_a_conditional_term(profile):
    report = assess(profile, "russia-2024-06-terms")
    crossed = {o.issue for o in party(report, "UKR").red_lines_crossed}
    assert {"alliance.nato", "military.limits", "territory.withdraw_ukraine"} <= crossed
    for p in report.parties:
        for o in p.outcomes:
            if o.term in ("conditional", "refusal", "deferred"):
                assert o.status == "not settled" and o.utility is None, (p.party, o.issue)
    rus = party(report, "RUS")
    assert rus.satisfaction > party(report, "UKR").satisfaction + 0.4
    # The documented order: red lines of both principals crossed -> non-starter; else capitulation.
    expected = "non-starter for all" if rus.red_lines_crossed else "capitulation by UKR"
    assert report.verdict.label == expected
    for o in party(report, "UKR").red_lines_crossed:
        assert o.evidence[0].url.startswith("http") and o.evidence[0].date <= report.as_of


def test_same_rules_give_capitulation_by_russia_for_peace_formula(profile):
    report = assess(profile, "ukraine-peace-formula")
    ukr = party(report, "UKR")
    assert ukr.demands_addressed > 0 and ukr.demands_met == ukr.demands_addressed
    assert party(report, "RUS").red_lines_crossed
    assert report.verdict.label == "capitulation by RUS"


def test_20_point_framework_crosses_fewer_ukrainian_red_lines_than_28(profile):
    c = compare(profile, "us-28-point-plan", "us-20-point-framework")
    ukr = next(p for p in c.parties if p.party == "UKR")
    assert len(ukr.red_lines_after) < len(ukr.red_lines_before)
    assert ukr.red_lines_removed
    changes = {ch.issue: ch.change for ch in c.changes if ch.issue}
    assert changes["military.limits"] == "changed"


@pytest.mark.parametrize("plan_id", PLANS)
def test_every_plan_assesses_in_every_format(profile, plan_id):
    from redline.render import render_html, render_json, render_markdown

    report = assess(profile, plan_id)
    assert json.loads(render_json(report))["plan_id"] == plan_id
    assert report.plan_title.split()[0] in render_markdown("assessment", a=report)
    assert "<!doctype html>" in render_html("assessment", a=report)

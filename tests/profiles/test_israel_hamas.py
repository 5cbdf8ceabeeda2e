"""The Israel–Hamas (Gaza) profile: it validates, every plan assesses, the evidence rules of
docs/evidence.md hold over every plan and date (as tests/sources/test_sources.py checks them on
the Russia–Ukraine profile), and compare, bargain, precedents and extraction run on it.

The profile is data only: nothing here (or in src/) should need to know which conflict it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redline.assess import assess
from redline.assess.compare import compare
from redline.profile import evidence_problems, evidence_tiers, load_profile, validate_profile
from redline.sources import load_sources

ROOT = Path(__file__).parents[2]
IH = ROOT / "profiles" / "israel-hamas"

PLANS = ["three-phase-proposal-2024-05", "ceasefire-2025-01", "arab-reconstruction-plan-2025-03",
         "us-20-point-plan-2025-09", "phase-one-agreement-2025-10", "resolution-2803-2025-11"]
ISSUES = {"ceasefire.permanence", "withdrawal.israel", "hostages.exchange", "security.disarmament",
          "governance.gaza", "security.stabilisation_force", "humanitarian.access", "reconstruction",
          "displacement", "statehood", "security.perimeter"}
PARTIES = {"ISR", "HAMAS", "PA", "USA", "EGY", "QAT", "TUR", "SAU", "ARE", "EU", "UN"}


@pytest.fixture(scope="module")
def ih():
    return load_profile(IH)


def test_validate_passes():
    assert validate_profile(IH) == []


def test_profile_has_the_parties_issues_and_plans_the_issue_asks_for(ih):
    assert PARTIES <= set(ih.parties)
    assert set(ih.issues) == ISSUES
    assert set(PLANS) <= set(ih.plans)
    assert set(ih.meta.principals) == {"ISR", "HAMAS"}
    # every required party has curated positions, and every issue is held by both principals
    held = {(p.party, p.issue) for p in ih.positions}
    assert PARTIES <= {party for party, _ in held}
    for issue in ISSUES:
        assert ("ISR", issue) in held and ("HAMAS", issue) in held, issue


def test_every_plan_provision_maps_to_a_known_issue_and_option(ih):
    for plan in ih.plans.values():
        assert plan.sources and plan.provisions, plan.id
        for p in plan.provisions:
            if p.issue:
                assert p.issue in ih.issues, (plan.id, p.issue)
                assert p.option in ih.issues[p.issue].option_ids, (plan.id, p.issue, p.option)


@pytest.mark.parametrize("plan_id", PLANS)
def test_every_plan_assesses_with_a_verdict(ih, plan_id):
    report = assess(ih, plan_id)
    assert report.verdict.label and report.verdict.reasons
    assert {p.party for p in report.parties} >= {"ISR", "HAMAS"}
    assert report.issues_addressed


def test_verdicts_follow_the_positions(ih):
    """Spot checks that the data says what the sources say: Hamas refuses disarmament, which the
    20-point plan requires; Israel refuses a Palestinian state, which the Arab plan rests on; the
    January 2025 agreement crosses no principal's red line."""
    twenty = assess(ih, "us-20-point-plan-2025-09")
    hamas = next(p for p in twenty.parties if p.party == "HAMAS")
    assert "security.disarmament" in {o.issue for o in hamas.red_lines_crossed}
    arab = assess(ih, "arab-reconstruction-plan-2025-03")
    isr = next(p for p in arab.parties if p.party == "ISR")
    assert "statehood" in {o.issue for o in isr.red_lines_crossed}
    jan = assess(ih, "ceasefire-2025-01")
    assert not any(p.red_lines_crossed for p in jan.parties if p.principal)


def test_compare_2024_proposal_with_2025_agreement(ih):
    c = compare(ih, "three-phase-proposal-2024-05", "ceasefire-2025-01")
    assert c.changes
    assert {ch.issue for ch in c.changes if ch.issue} & {"ceasefire.permanence", "hostages.exchange"}


def test_bargain_runs(ih):
    from redline.bargain.report import bargain

    report = bargain(ih, as_of=dt.date(2025, 10, 1), time_limit=5.0, frontier_limit=0)
    assert report.profile == ih.id
    assert report.solutions and report.plans


def test_precedents_include_this_conflicts_cases(ih):
    assert len(ih.cases) >= 5
    for case in ih.cases.values():
        assert set(case.issues) <= ISSUES, case.id
        assert case.sources, case.id
    src = load_sources(IH / "sources.yaml")
    for case in ih.cases.values():
        for s in case.sources:
            assert src.classify(s.url).citable, (case.id, s.url)


# --- the evidence rules, over every plan and date ----------------------------------------------

def test_evidence_is_citable_and_mostly_top_tier(ih):
    assert evidence_problems(ih) == []
    for what, shares in evidence_tiers(ih).items():
        assert shares["not_citable"] == 0, what
        assert shares["official"] + shares["wire_major"] >= 0.8, (what, shares)


def test_every_evidence_item_is_dated_quoted_and_not_after_its_source(ih):
    for pos in ih.positions:
        assert pos.evidence, (pos.party, pos.issue)
        assert min(ev.date for ev in pos.evidence) <= pos.since, (pos.party, pos.issue, pos.since)
        for ev in pos.evidence:
            assert ev.quote.strip() and ev.speaker.strip(), (pos.party, pos.issue, ev.url)
            # a whole sentence: it ends as a sentence does (a quote may end inside quotation marks)
            assert ev.quote.rstrip("\"'”’)").rstrip()[-1:] in ".!?…", (pos.party, pos.issue, ev.quote[-40:])


# The as-of walk over every plan and date runs for every bundled profile in tests/sources.


# --- extraction through the profile's lexicon and the shared language file ---------------------

def test_lexicon_is_conflict_specific_and_extracts(ih):
    import yaml

    lex = yaml.safe_load((IH / "lexicon.yaml").read_text())
    # general English word lists live in the shared language file, not here
    for general in ("reporting_verbs", "role_nouns", "flip_verbs", "flip_words", "reject_words",
                    "condition_marks", "pronouns"):
        assert general not in lex, general
    assert set(lex["issues"]) == ISSUES

    from redline.extract.backends import make_extractor

    extractor = make_extractor(ih)
    text = ("Hamas official Osama Hamdan said on Tuesday that the movement will not disarm as long as "
            "the occupation continues. Egypt's foreign minister Badr Abdelatty said Cairo rejects any "
            "displacement of Palestinians from Gaza.")
    found = {(s.party, s.issue, s.polarity.value) for s in extractor(text)}
    assert ("HAMAS", "security.disarmament", "against") in found
    assert ("EGY", "displacement", "against") in found


# --- the web UI serves the profile ---------------------------------------------------------------

def test_web_pages_and_api_serve_the_profile():
    from fastapi.testclient import TestClient

    from redline.web.app import create_app

    client = TestClient(create_app(str(IH), use_database=False, allowed_hosts=["*"]))
    for url in ("/", "/matrix", "/plans", "/plans/us-20-point-plan-2025-09", "/bargain",
                "/api/plans/ceasefire-2025-01/assessment",
                "/api/compare?a=three-phase-proposal-2024-05&b=ceasefire-2025-01"):
        assert client.get(url).status_code == 200, url

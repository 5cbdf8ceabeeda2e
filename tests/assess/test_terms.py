"""Graded terms on a copy of the toy profile: a guarantee scale with a veto, conditions on who
guarantees, and land handed over with dated control figures. Each rule is checked from both
sides (the same rule for every party), and the bundled profile is checked for the properties
the rules promise, not for particular sentences."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from redline.assess import Rules, assess
from redline.assess.engine import effective_option, land_handed_over
from redline.profile import load_profile

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"

GUARANTEE_ISSUE = {
    "id": "pledge", "proposition": "Outside states guard Northland's border",
    "options": [
        {"id": "none", "label": "no pledge", "polarity": "against"},
        {"id": "words", "label": "a promise with no duty to act", "polarity": "for"},
        {"id": "talks", "label": "consultations", "polarity": "for"},
        {"id": "duty", "label": "a duty to respond", "polarity": "for"},
    ],
    "status_quo": "none", "vetoed_counts_as": "talks",
}


def _ev(who: str, n: int) -> list[dict]:
    return [{"url": f"https://example.org/{who}/g{n}", "date": "2020-01-01", "speaker": who, "quote": "q"}]


@pytest.fixture()
def profile_dir(tmp_path: Path) -> Path:
    root = tmp_path / "toy"
    shutil.copytree(TOY, root)
    issues = yaml.safe_load((root / "issues.yaml").read_text())
    issues["issues"].append(GUARANTEE_ISSUE)
    (root / "issues.yaml").write_text(yaml.safe_dump(issues, sort_keys=False))
    positions = yaml.safe_load((root / "positions.yaml").read_text())
    positions["positions"] += [
        {"party": "NOR", "issue": "pledge", "since": "2020-01-01", "preferred": "duty", "minimum": "duty",
         "salience": 1.0, "evidence": _ev("nor", 1)},
        {"party": "SOU", "issue": "pledge", "since": "2020-01-01", "preferred": "none",
         "acceptable": ["words", "talks", "duty"], "salience": 0.9, "evidence": _ev("sou", 1),
         "conditions": [{"options": ["talks", "duty"], "issue": "pledge", "guarantors": ["SOU"],
                         "otherwise": "red line crossed", "text": "only with Southland among the guarantors"}]},
    ]
    (root / "positions.yaml").write_text(yaml.safe_dump(positions, sort_keys=False))
    (root / "regions.yaml").write_text(yaml.safe_dump({"regions": [
        {"id": "delta", "name": "the Delta", "area_km2": 1000, "control": [
            {"date": "2020-06-01", "held_by": {"NOR": 0.5}, "source": {"url": "https://example.org/r/1"}},
            {"date": "2021-01-01", "places_held": {"NOR": ["Port"]}, "source": {"url": "https://example.org/r/2"}},
            {"date": "2022-01-01", "held_by": {"NOR": 0.1}, "source": {"url": "https://example.org/r/3"}},
        ]},
    ]}, sort_keys=False))
    return root


def _plan(root: Path, pid: str, guarantee: dict | None, territory: bool = False) -> None:
    point = {"number": "1", "text": "A pledge.", "issue": "pledge", "option": "duty",
             "sources": ["https://example.org/plans/x"]}
    if guarantee is not None:
        point["guarantee"] = guarantee
    provisions = [point]
    if territory:
        provisions.append({"number": "2", "text": "Northland leaves the Delta.", "issue": "river.access",
                           "option": "against", "territory": {"regions": ["delta"], "ceded_by": "NOR"},
                           "sources": ["https://example.org/plans/x"]})
    plan = {"id": pid, "title": pid, "date": "2021-07-01", "proposers": ["MED"],
            "sources": [{"url": "https://example.org/plans/x"}], "provisions": provisions}
    (root / "plans" / f"{pid}.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))


def _outcome(report, party: str, issue: str):
    p = next(p for p in report.parties if p.party == party)
    return next(o for o in p.outcomes if o.issue == issue)


def test_a_veto_caps_the_level_for_everyone_but_the_holder(profile_dir):
    _plan(profile_dir, "vetoed", {"guarantors": ["MED", "SOU"], "veto": ["SOU"]})
    report = assess(load_profile(profile_dir), "vetoed")
    nor = _outcome(report, "NOR", "pledge")
    assert nor.plan_option == "talks" and nor.status == "red line crossed"
    assert any("SOU can veto" in r for r in nor.reasons)
    sou = _outcome(report, "SOU", "pledge")
    assert sou.plan_option == "duty"  # the veto holder sees the nominal level
    assert sou.conditions[0].held is True and sou.status == "accepted"


def test_the_same_veto_rule_applies_the_other_way_round(profile_dir):
    _plan(profile_dir, "vetoed-by-nor", {"guarantors": ["MED"], "veto": ["NOR"]})
    report = assess(load_profile(profile_dir), "vetoed-by-nor")
    assert _outcome(report, "NOR", "pledge").plan_option == "duty"
    assert _outcome(report, "SOU", "pledge").plan_option == "talks"


def test_guarantor_condition_fails_when_the_party_is_left_out(profile_dir):
    _plan(profile_dir, "without-sou", {"guarantors": ["MED"]})
    report = assess(load_profile(profile_dir), "without-sou")
    sou = _outcome(report, "SOU", "pledge")
    assert sou.status == "red line crossed" and sou.conditions[0].held is False
    assert "guarantors: MED" in " ".join(sou.reasons)
    assert _outcome(report, "NOR", "pledge").status == "met"


def test_guarantor_condition_is_open_when_the_plan_names_no_guarantors(profile_dir):
    _plan(profile_dir, "unnamed", None)
    report = assess(load_profile(profile_dir), "unnamed")
    sou = _outcome(report, "SOU", "pledge")
    assert sou.conditions[0].held is None and sou.status == "accepted"


def test_effective_option_never_raises_a_level(profile_dir):
    profile = load_profile(profile_dir)
    issue = profile.issues["pledge"]
    _plan(profile_dir, "p", {"guarantors": ["MED"], "veto": ["SOU"]})
    prov = load_profile(profile_dir).plans["p"].provisions[0]
    for option in issue.option_ids:
        prov.option = option
        got, _why = effective_option(issue, prov, option, "NOR")
        assert issue.option_ids.index(got) <= issue.option_ids.index(option)


def test_land_uses_the_newest_figure_on_or_before_the_date(profile_dir):
    _plan(profile_dir, "delta", None, territory=True)
    profile = load_profile(profile_dir)
    prov = profile.plans["delta"].provisions[1]
    mid = land_handed_over(profile, prov, dt.date(2021, 7, 1))[0]
    assert mid.share_held == 0.5 and mid.km2_held == 500 and mid.places_held == ["Port"]
    assert mid.figure_date == dt.date(2020, 6, 1)
    late = land_handed_over(profile, prov, dt.date(2023, 1, 1))[0]
    assert late.share_held == 0.1 and late.figure_date == dt.date(2022, 1, 1)
    early = land_handed_over(profile, prov, dt.date(2019, 1, 1))[0]
    assert early.share_held is None and "no sourced figure" in early.note
    report = assess(profile, "delta")
    nor = _outcome(report, "NOR", "river.access")
    assert any("the Delta: about 50% held by NOR" in r for r in nor.reasons)
    assert not any("held by NOR" in r for r in _outcome(report, "SOU", "river.access").reasons)


def test_unknown_region_is_a_validation_error(profile_dir):
    _plan(profile_dir, "bad", None, territory=True)
    text = (profile_dir / "plans" / "bad.yaml").read_text().replace("- delta", "- deltta")
    (profile_dir / "plans" / "bad.yaml").write_text(text)
    with pytest.raises(Exception, match="unknown region 'deltta'"):
        load_profile(profile_dir)


def test_capitulation_needs_the_other_side_well_satisfied():
    # On every bundled plan judged a capitulation, raising the bar just above the winner's
    # satisfaction turns the verdict into something else; lowering it to that value keeps it.
    bundled = load_profile()
    seen = 0
    for plan in bundled.plans.values():
        report = assess(bundled, plan)
        if not report.verdict.label.startswith("capitulation"):
            continue
        winners = [p.satisfaction for p in report.parties
                   if p.principal and p.party != report.verdict.party]
        w = min(winners)
        if w >= 0.99:
            continue
        assert assess(bundled, plan, rules=Rules(capitulation_winner_min=w)).verdict.label == report.verdict.label
        raised = assess(bundled, plan, rules=Rules(capitulation_winner_min=round(w + 0.01, 4)))
        assert not raised.verdict.label.startswith("capitulation"), plan.id
        seen += 1
    assert seen > 0


# --- properties of the bundled profile -----------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return load_profile()


def test_bundled_vetoed_guarantees_never_count_above_the_cap_for_others(bundled):
    checked = 0
    for plan in bundled.plans.values():
        for prov in plan.provisions:
            if prov.guarantee is None or not prov.guarantee.veto:
                continue
            issue = bundled.issues[prov.issue]
            cap = issue.option_ids.index(issue.vetoed_counts_as)
            report = assess(bundled, plan)
            for p in report.parties:
                for o in p.outcomes:
                    if o.issue == prov.issue and p.party not in prov.guarantee.veto:
                        assert issue.option_ids.index(o.plan_option) <= cap, (plan.id, p.party)
                        checked += 1
    assert checked > 0


def test_bundled_land_figures_are_dated_by_the_assessment_and_sourced(bundled):
    checked = 0
    for plan in bundled.plans.values():
        report = assess(bundled, plan)
        for p in report.parties:
            for o in p.outcomes:
                for row in o.territory:
                    if row.figure_date is not None:
                        assert row.figure_date <= report.as_of and row.source_url, (plan.id, row.region)
                        checked += 1
    assert checked > 0

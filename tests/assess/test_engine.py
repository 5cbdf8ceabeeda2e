"""Assessment rules on the toy profile, where every number can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redline.assess import Rules, assess
from redline.assess.engine import utility
from redline.profile import load_profile

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"


@pytest.fixture(scope="module")
def toy():
    return load_profile(TOY)


def by_party(a):
    return {p.party: p for p in a.parties}


def test_satisfaction_is_salience_weighted(toy):
    a = assess(toy, "southern-terms")
    nor = by_party(a)["NOR"]
    # river.access against = red line (0) w1.0; border.island for = other (0.2) w0.3; army.cap hard = red line w0.8
    assert nor.satisfaction == pytest.approx((0 * 1.0 + 0.2 * 0.3 + 0 * 0.8) / 2.1, abs=1e-4)
    assert [o.issue for o in nor.red_lines_crossed] == ["river.access", "army.cap"]
    assert nor.red_lines_crossed[0].evidence[0].url == "https://example.org/nor/1"
    sou = by_party(a)["SOU"]
    assert sou.satisfaction == 1.0 and sou.demands_met == sou.demands_addressed == 3


def test_capitulation_is_symmetric(toy):
    assert assess(toy, "southern-terms").verdict.label == "capitulation by NOR"
    assert assess(toy, "northern-terms").verdict.label == "capitulation by SOU"


def test_positions_as_of_change_the_verdict(toy):
    # In Jan 2021 Southland's island claim is a red line, so Northland's terms cross it;
    # from June 2021 it is only a preference.
    early = by_party(assess(toy, "northern-terms"))["SOU"]
    late = by_party(assess(toy, "northern-terms", as_of=dt.date(2021, 7, 1)))["SOU"]
    assert [o.issue for o in early.red_lines_crossed] == ["border.island"]
    assert late.red_lines_crossed == []
    assert assess(toy, "northern-terms", as_of=dt.date(2021, 7, 1)).verdict.label.startswith("one-sided")


def test_balanced_compromise_and_unaddressed(toy):
    a = assess(toy, "mediator-draft")
    assert a.verdict.label == "balanced compromise"
    med = by_party(a)["MED"]
    assert med.satisfaction is None and [u.issue for u in med.unaddressed] == ["talks"]
    assert [p.number for p in a.provisions_unmapped] == ["4"]


def test_rules_are_parameters(toy):
    strict = Rules(balanced_min=0.9)
    assert assess(toy, "mediator-draft", rules=strict).verdict.label == "contested"


def test_utility_order(toy):
    pos = toy.positions_as_of(dt.date(2021, 1, 1))[("NOR", "army.cap")]
    r = Rules()
    assert utility(pos, "none", r) == (1.0, "met")
    assert utility(pos, "soft", r) == (0.6, "accepted")
    assert utility(pos, "hard", r) == (0.0, "red line crossed")


def test_durability_checklist_uses_tags_and_cues(toy):
    items = {i.id: i for i in assess(toy, "mediator-draft").durability}
    assert items["joint_commission"].found and items["joint_commission"].how == "tagged"
    assert items["dmz"].provisions == ["2"]
    assert not items["guarantee"].found
    south = {i.id: i for i in assess(toy, "southern-terms").durability}
    assert south["timetable"].found and not south["monitoring"].found


def test_unknown_party_filter_is_an_error(toy):
    from redline.errors import NotFound

    with pytest.raises(NotFound, match="did you mean 'NOR'"):
        assess(toy, "mediator-draft", parties=["NORR"])


def test_capitulation_needs_low_satisfaction(toy):
    # Northland's satisfaction under Southland's terms is 0.03: below 0.5 it capitulates,
    # below a bar of 0.01 it does not, and the plan is only one-sided.
    assert assess(toy, "southern-terms").verdict.label == "capitulation by NOR"
    label = assess(toy, "southern-terms", rules=Rules(capitulation_max=0.01)).verdict.label
    assert label == "one-sided (favours SOU)"

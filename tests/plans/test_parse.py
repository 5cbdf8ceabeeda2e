"""Plan-text parsing: point markers, issue mapping, and a YAML the profile's loader accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from redline.errors import DataError
from redline.plans.parse import parse_plan, plan_to_yaml, split_points

@pytest.fixture(scope="module")
def extractor(profile):
    """The spaCy model is cached per process, so this shares it with tests/extract."""
    from redline.extract.pipeline import Extractor

    return Extractor(profile)


TEXT = """Framework for peace (draft)
Published by the negotiators.

1. Ukraine's sovereignty will be confirmed.
2) Ukraine will not join NATO and will enshrine neutrality.
Point 3: Sanctions against Russia will be lifted in stages.
4. All prisoners of war will be exchanged, all for all.
"""


def test_split_points_markers():
    pre, points = split_points(TEXT)
    assert pre.startswith("Framework for peace")
    assert [p.number for p in points] == ["1", "2", "3", "4"]
    assert points[2].text.startswith("Sanctions against Russia")


def test_bullets_are_numbered_in_order():
    _pre, points = split_points("Plan\n• First a ceasefire.\n• Then talks.\n")
    assert [(p.number, p.text) for p in points] == [("1", "First a ceasefire."), ("2", "Then talks.")]


def test_mapping_and_multi_issue_points(extractor):
    plan = parse_plan(TEXT, extractor, plan_id="draft", date=dt.date(2025, 1, 1), proposers=["USA"],
                      url="https://example.org/p")
    by_number = {p.number: p for p in plan.provisions}
    assert by_number["1"].issue is None  # unmapped points stay, for the analyst
    assert (by_number["2a"].issue, by_number["2a"].option) == ("alliance.nato", "against")
    assert by_number["2b"].issue == "alliance.neutrality"
    assert (by_number["3"].issue, by_number["3"].option) == ("sanctions.relief", "for")
    assert "confidence" in by_number["4"].note


def test_yaml_loads_with_profile_loader(extractor, profile, tmp_path):
    plan = parse_plan(TEXT, extractor, plan_id="draft-plan", date=dt.date(2025, 1, 1),
                      proposers=["USA"], url="https://example.org/p", title="Draft")
    f = tmp_path / "draft.yaml"
    f.write_text(plan_to_yaml(plan))
    loaded = profile.plan(str(f))
    assert loaded.id == "draft-plan" and len(loaded.provisions) == len(plan.provisions)


def test_no_points_is_a_data_error(extractor):
    with pytest.raises(DataError):
        parse_plan("Just a paragraph about peace.", extractor)

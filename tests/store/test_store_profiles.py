"""Profiles in the database: load, export round trip, dated positions, plans CRUD."""

from __future__ import annotations

import datetime as dt

import pytest

from redline.errors import DataError, NotFound
from redline.profile import ProfileErrors, load_profile


def _same(a, b) -> None:
    assert a.meta == b.meta
    assert a.issues == b.issues and list(a.issues) == list(b.issues)
    assert a.parties == b.parties
    assert a.positions == b.positions
    assert a.plans == b.plans
    assert a.cases == b.cases


def test_profile_round_trips_through_the_database(store, profile, tmp_path):
    """Load YAML → DB → YAML → load again: nothing curated may be lost or altered."""
    assert store.load_profile(profile) == profile.id
    out = store.export_profile(profile.id, tmp_path / "exported")
    again = load_profile(out)
    _same(profile, again)
    lexicon = profile.root / "lexicon.yaml"
    if lexicon.is_file():  # files the model does not cover are kept verbatim
        assert (out / "lexicon.yaml").read_text(encoding="utf-8") == lexicon.read_text(encoding="utf-8")
    _same(profile, store.profile(profile.id))
    with pytest.raises(DataError, match="not empty"):
        store.export_profile(profile.id, out)


def test_reloading_a_profile_replaces_it(store, profile):
    store.load_profile(profile)
    store.load_profile(profile)
    assert len(store.positions(profile.id)) == len(profile.positions)
    assert [m.id for m in store.profiles()] == [profile.id]


def test_positions_as_of_match_the_yaml_profile(store, profile):
    store.load_profile(profile)
    for day in (dt.date(2022, 3, 1), dt.date(2024, 7, 1), None):
        want = profile.positions_as_of(day)
        got = store.positions(profile.id, as_of=day, origin="curated")
        if day is None:
            assert len(got) == len(profile.positions)
        else:
            # The profile shows only evidence said by `day`; the store keeps every item.
            assert {(p.party, p.issue): (p.since, p.preferred, p.red_lines) for p in got} == \
                {k: (p.since, p.preferred, p.red_lines) for k, p in want.items()}


def test_suggested_positions_are_kept_apart_from_curated(store, profile):
    store.load_profile(profile)
    pos = profile.positions[0].model_copy(update={"origin": "suggested", "since": dt.date(2030, 1, 1)})
    assert store.save_positions(profile.id, [pos]) == 1
    assert [p.since for p in store.positions(profile.id, origin="suggested")] == [dt.date(2030, 1, 1)]
    store.load_profile(profile)  # reloading the curated file keeps the suggestions
    assert len(store.positions(profile.id, origin="suggested")) == 1
    assert len(store.positions(profile.id, origin="curated")) == len(profile.positions)


def test_plans_crud_checks_against_the_profile(store, profile):
    store.load_profile(profile)
    plan = next(iter(profile.plans.values()))
    assert store.plan(profile.id, plan.id) == plan
    new = plan.model_copy(update={"id": "my-draft", "title": "Draft"})
    store.save_plan(profile.id, new)
    assert "my-draft" in [p.id for p in store.plans(profile.id)]
    store.save_plan(profile.id, new.model_copy(update={"title": "Draft 2"}))
    assert store.plan(profile.id, "my-draft").title == "Draft 2"
    bad = new.model_copy(update={"proposers": ["XXX"]})
    with pytest.raises(ProfileErrors, match="unknown party"):
        store.save_plan(profile.id, bad)
    store.delete_plan(profile.id, "my-draft")
    with pytest.raises(NotFound, match="did you mean|known"):
        store.plan(profile.id, "my-draft")
    with pytest.raises(NotFound):
        store.delete_plan(profile.id, "my-draft")
    with pytest.raises(NotFound, match="load-profile"):
        store.plans("no-such-profile")

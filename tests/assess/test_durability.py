"""The durability checklist reads a conflict's cues, precedents and issue groups from its profile."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from redline.assess.durability import ITEMS, checklist
from redline.model import Durability, DurabilityItem, Plan
from redline.profile import ProfileErrors, load_profile

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"


def plan(*texts: str, issues: tuple[str, ...] = ()) -> Plan:
    provisions = [{"number": str(i + 1), "text": t, "issue": issues[i] if i < len(issues) else None,
                   "option": "for" if i < len(issues) else None}
                  for i, t in enumerate(texts)]
    return Plan.model_validate({"id": "p", "title": "P", "date": dt.date(2025, 1, 1), "proposers": ["NOR"],
                                "sources": [{"url": "https://example.org/p"}],
                                "provisions": provisions})


def by_id(items):
    return {i.id: i for i in items}


def test_profile_cues_add_to_the_general_ones():
    text = "The guarantors respond if the raiders cross the ford."
    assert not by_id(checklist(plan("Help comes if the raiders cross the ford.")))["guarantee"].found
    data = Durability(items={"guarantee": DurabilityItem(cues=[r"if the raiders (cross|attack)"])})
    got = by_id(checklist(plan("Help comes if the raiders cross the ford."), data))["guarantee"]
    assert got.found and got.how == "text cue"
    assert by_id(checklist(plan(text), data))["guarantee"].found  # the general cue still counts


def test_profile_precedent_replaces_the_general_finding():
    general = by_id(checklist(plan("Nothing.")))["sequencing"]
    assert general.finding == next(i["finding"] for i in ITEMS if i["id"] == "sequencing")
    data = Durability(items={"sequencing": DurabilityItem(finding="F", reference="R", short_reference="S")})
    own = by_id(checklist(plan("Nothing."), data))["sequencing"]
    assert (own.finding, own.reference, own.short_reference) == ("F", "R", "S")
    assert own.label == general.label


def test_sequencing_note_names_the_profile_groups():
    data = Durability(sequencing_sets={"access": ["river.access"], "border": ["border.island"]})
    both = plan("Boats use the river.", "The island is Southland's.", issues=("river.access", "border.island"))
    assert by_id(checklist(both, data))["sequencing"].note == \
        "the plan has access and border terms but states no order between them"
    one = plan("Boats use the river.", issues=("river.access",))
    assert by_id(checklist(one, data))["sequencing"].note == ""
    assert by_id(checklist(both))["sequencing"].note == ""  # no groups, no note


def test_bundled_profile_keeps_its_cues_in_data():
    ru = load_profile("russia-ukraine")
    items = by_id(checklist(plan("NATO members respond if Russia invades again."), ru))
    assert items["guarantee"].found
    assert by_id(checklist(plan("Nothing."), ru))["sequencing"].short_reference == "Minsk II 2015"


def test_bad_cue_and_unknown_issue_are_data_errors(tmp_path: Path):
    dest = tmp_path / "toy"
    shutil.copytree(TOY, dest)
    meta = dest / "profile.yaml"
    base = meta.read_text(encoding="utf-8")
    meta.write_text(base + "durability:\n  sequencing_sets:\n    access: [river.acess]\n", encoding="utf-8")
    with pytest.raises(ProfileErrors, match="did you mean 'river.access'"):
        load_profile(dest)
    meta.write_text(base + "durability:\n  items:\n    guarantee: {cues: ['if (raiders']}\n", encoding="utf-8")
    with pytest.raises(ProfileErrors, match="bad regular expression"):
        load_profile(dest)
    meta.write_text(base + "durability:\n  items:\n    guarantees: {cues: [x]}\n", encoding="utf-8")
    with pytest.raises(ProfileErrors):
        load_profile(dest)

"""A plan's PA-X profile: issue codes and mechanism codes in, unexpressible clauses named, not guessed."""

from __future__ import annotations

import pytest

from redline.errors import DataError
from redline.model import Provision
from redline.precedents.query import MECHANISM_CODES, codes_query, plan_query, profile_clauses
from redline.profile import MECHANISMS

from .conftest import make_plan


def test_mechanism_table_covers_every_profile_mechanism():
    assert set(MECHANISM_CODES) == set(MECHANISMS)


def test_every_bundled_issue_has_known_codes_or_a_note(rprofile, pax):
    """precedents.yaml (else issues.yaml) maps each issue to PA-X codes that exist, or says why not."""
    warnings: list[str] = []
    clauses, missing = profile_clauses(rprofile, pax.codes, warnings)
    assert warnings == []
    assert {c.issue for c in clauses} | {u.id.split(":")[0] for u in missing} >= set(rprofile.issues)
    for u in missing:
        assert u.note.startswith("PA-X"), u.id


def test_plan_codes_come_from_issues_and_mechanisms(minsk_plan, rprofile, pax):
    q = plan_query(minsk_plan, rprofile, pax.codes)
    by_id = {c.id: c for c in q.clauses}
    assert by_id["ceasefire"].codes == ["Ce", "CeProv", "CeGen"]
    assert by_id["mechanism:dmz"].codes == ["DdrDemil", "CeProv"]
    assert by_id["mechanism:monitoring"].provisions == ["3", "10"]
    assert by_id["territory.withdraw_russia"].codes == ["SsrFf"]
    assert {c.id for c in q.background} >= {"territory.withdraw_ukraine", "mechanism:joint_commission"}
    assert not set(by_id) & {c.id for c in q.background}
    # timetable and sequencing have no PA-X code: named with the reason, not mapped to a guess
    assert {u.id for u in q.not_expressible} == {"mechanism:timetable", "mechanism:sequencing"}
    assert q.unmapped_provisions == ["7", "8", "11"]


def test_issues_without_codes_are_reported_with_the_profile_note(rprofile, pax):
    plan = make_plan(Provision(number="1", text="No NATO.", issue="alliance.nato", option="against"),
                     Provision(number="2", text="Guarantees.", issue="security.guarantees", option="for",
                               mechanisms=["guarantee"]),
                     Provision(number="3", text="Ceasefire.", issue="ceasefire", option="for"))
    q = plan_query(plan, rprofile, pax.codes)
    notes = {u.id: u.note for u in q.not_expressible}
    assert notes["alliance.nato"] == rprofile.issues["alliance.nato"].pax_note
    assert "third-party guarantee" in notes["mechanism:guarantee"]
    assert "security.guarantees" in notes
    assert [c.id for c in q.clauses] == ["ceasefire"]
    assert q.issue_ids == ["ceasefire", "alliance.nato", "security.guarantees"]


def test_unknown_profile_code_is_a_warning_not_a_crash(profile_dir, pax, tmp_path):
    import shutil

    import yaml

    from redline.profile import load_profile

    root = tmp_path / "russia-ukraine"
    shutil.copytree(profile_dir, root)
    cfg = yaml.safe_load((root / "precedents.yaml").read_text(encoding="utf-8"))
    cfg["issue_codes"]["ceasefire"]["for"]["codes"] = ["Ce", "NoSuchCode"]
    (root / "precedents.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    prof = load_profile(root)
    plan = make_plan(Provision(number="1", text="Ceasefire.", issue="ceasefire", option="for"))
    q = plan_query(plan, prof, pax.codes)
    assert q.clauses[0].codes == ["Ce"]
    assert any("NoSuchCode" in w for w in q.warnings)


def test_codes_query_resolves_spelling_and_rejects_unknown(pax):
    q = codes_query(["ssrff", "ImPK", " StBor", "SsrFf"], pax.codes)
    assert [c.id for c in q.clauses] == ["SsrFf", "ImPK", "StBor"]
    with pytest.raises(DataError, match="unknown PA-X code 'ImPKK'"):
        codes_query(["ImPKK"], pax.codes)
    with pytest.raises(DataError, match="no PA-X codes given"):
        codes_query(["", " "], pax.codes)


def test_grouping_code_stands_for_the_codes_under_it(pax):
    q = codes_query(["Tj"], pax.codes)
    assert "TjPrire" in q.clauses[0].codes and "Tj" not in q.clauses[0].codes

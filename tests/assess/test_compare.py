"""Comparing plans by issue, and the word-level redline."""

from __future__ import annotations

from pathlib import Path

from redline.assess import compare, word_redline
from redline.profile import load_profile

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"


def test_word_redline_reconstructs_both_texts():
    before, after = "The army is capped at 5000 soldiers.", "The army is capped loosely, at 9000 soldiers."
    segs = word_redline(before, after)
    assert "".join(s.text for s in segs if s.op != "insert") == before
    assert "".join(s.text for s in segs if s.op != "delete") == after
    assert any(s.op == "delete" and "5000" in s.text for s in segs)
    assert any(s.op == "insert" and "9000" in s.text for s in segs)


def test_compare_aligns_by_issue_and_scores_both_on_same_positions():
    prof = load_profile(TOY)
    c = compare(prof, "southern-terms", "mediator-draft")
    kinds = {ch.issue: ch.change for ch in c.changes}
    assert kinds == {"river.access": "changed", "border.island": "changed", "army.cap": "changed", None: "added"}
    assert c.as_of.isoformat() == "2021-07-01"
    assert c.before_assessment.as_of == c.after_assessment.as_of == c.as_of
    nor = next(p for p in c.parties if p.party == "NOR")
    assert nor.red_lines_removed == ["river.access", "army.cap"] and nor.red_lines_added == []
    assert nor.satisfaction_after > nor.satisfaction_before


def test_compare_same_plan_is_all_same():
    prof = load_profile(TOY)
    c = compare(prof, "northern-terms", "northern-terms")
    assert {ch.change for ch in c.changes} == {"same"}
    assert all(p.red_lines_added == p.red_lines_removed == [] for p in c.parties)

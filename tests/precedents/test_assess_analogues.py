"""`redline assess` carries the curated analogues with their outcomes, in JSON and in the terminal."""

from __future__ import annotations

import json

from rich.console import Console
from typer.testing import CliRunner


def test_assess_shows_analogues_with_outcomes_and_budapest(pax_dir):
    from redline.cli import app

    res = CliRunner().invoke(app, ["assess", "russia-2024-06-terms", "--format", "json"],
                             env={"REDLINE_PAX": str(pax_dir), "COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    analogues = data["precedents"]["analogues"]["outcomes"]
    assert len(analogues) >= 3
    ids = [m["outcome"]["id"] for m in analogues]
    assert "budapest-1994" in ids                     # the guarantee question: assurances, nothing enforced
    for m in analogues:
        assert m["outcome"]["status"] and m["source"].startswith("http") and m["comparison"]
    hits = data["precedents"]["hits"]
    assert any(h.get("outcome") for h in hits)        # Minsk and the like carry what became of them


def test_terminal_view_of_the_assessment_includes_outcomes(pax_dir, monkeypatch):
    from redline.assess import assess
    from redline.precedents import plan_precedents
    from redline.profile import load_profile
    from redline.render.terminal import assessment_view

    monkeypatch.setenv("REDLINE_PAX", str(pax_dir))
    prof = load_profile("russia-ukraine")
    plan = prof.plan("russia-2024-06-terms")
    result = assess(prof, plan)
    result.precedents = plan_precedents(plan, prof, top=5).model_dump(mode="json")
    console = Console(record=True, width=220)
    console.print(assessment_view(result))
    text = console.export_text()
    assert "What became of comparable agreements" in text
    assert "Budapest Memorandum" in text and "broke down" in text


def test_without_pax_the_report_still_carries_the_outcomes(rprofile, minsk_plan, tmp_path):
    from redline.precedents import plan_precedents

    report = plan_precedents(minsk_plan, rprofile, pax_path=tmp_path / "nowhere")
    assert report.status == "not_found" and report.hits == []
    assert report.analogues is not None and report.analogues.status == "ok"
    assert "minsk-2-2015" in [m.outcome.id for m in report.analogues.outcomes]

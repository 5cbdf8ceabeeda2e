"""Base rates with direction: ceding land is not recognising an annexation, an amnesty is not
accountability, frozen assets are not reparations; and no issue id is hard-coded in the code."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from redline.model import Provision
from redline.precedents.baserates import infer_stage, plan_base_rates
from redline.precedents.cli import register
from redline.precedents.query import plan_query

from .conftest import REPO, make_plan


def _plan(*items):
    return make_plan(*[Provision(number=str(i + 1), text=t, issue=issue, option=opt)
                       for i, (issue, opt, t) in enumerate(items)])


def test_ceding_land_and_recognising_an_annexation_are_different_rows(rprofile, pax):
    plan = _plan(("territory.withdraw_ukraine", "for", "Ukraine leaves Donbas."),
                 ("territory.recognition", "for", "Crimea recognised as Russian."))
    rates = plan_base_rates(pax, plan, rprofile, plan_query(plan, rprofile, pax.codes))
    rows = {r.id: r for r in rates.rows}
    assert "territory.withdraw_ukraine" in rows and "territory.recognition" not in rows
    assert rows["territory.withdraw_ukraine"].direction == "unknown"
    assert "which side" in rows["territory.withdraw_ukraine"].note
    missing = {u.id: u.note for u in rates.not_expressible}
    assert "territory.recognition" in missing and "annexation" in missing["territory.recognition"]


def test_an_amnesty_counts_against_accountability_not_towards_it(rprofile, pax, csv_rows):
    amnesty = _plan(("justice.accountability", "against", "Full amnesty."))
    tribunal = _plan(("justice.accountability", "for", "Special tribunal."))
    a = {r.id: r for r in plan_base_rates(pax, amnesty, rprofile, plan_query(amnesty, rprofile, pax.codes)).rows}
    t = {r.id: r for r in plan_base_rates(pax, tribunal, rprofile, plan_query(tribunal, rprofile, pax.codes)).rows}
    assert set(a) == {"justice.accountability:against"} and set(t) == {"justice.accountability:for"}
    assert a["justice.accountability:against"].codes == ["TjAmPro"]
    assert "TjAmPro" not in t["justice.accountability:for"].codes
    k = sum(1 for r in csv_rows if int(r["TjAmPro"]) > 0)
    assert a["justice.accountability:against"].overall.k == k
    assert a["justice.accountability:against"].direction == "known"


def test_an_amnesty_agreement_settles_a_tribunal_demand_the_other_way(rprofile, pax):
    from redline.precedents.search import search

    tribunal = _plan(("justice.accountability", "for", "Special tribunal."), ("ceasefire", "for", "Ceasefire."))
    res = search(pax, plan_query(tribunal, rprofile, pax.codes), top=len(pax))
    other_way = [h for h in res.hits if h.opposite]
    assert other_way
    h = other_way[0]
    assert h.opposite[0].id == "justice.accountability:for" and "TjAmPro" in h.opposite[0].codes
    assert h.opposite[0].direction == "opposite" and "settles the other way" in h.explanation


def test_frozen_assets_do_not_map_to_reparations(rprofile, pax):
    plan = _plan(("assets.frozen", "for", "Frozen Russian assets fund reconstruction."))
    q = plan_query(plan, rprofile, pax.codes)
    assert q.clauses == [] and "TjRMa" not in q.codes
    note = {u.id: u.note for u in q.not_expressible}["assets.frozen"]
    assert "frozen" in note and "TjRMa" in note


def test_ceasefire_stage_issues_come_from_the_profile(rprofile, profile_dir, tmp_path):
    import shutil

    import yaml

    from redline.profile import load_profile

    cease = _plan(("ceasefire", "for", "Ceasefire."), ("humanitarian.exchange", "for", "Exchange."))
    assert infer_stage(cease, rprofile)[0] == "Cea"
    root = tmp_path / "p"
    shutil.copytree(profile_dir, root)
    cfg = yaml.safe_load((root / "precedents.yaml").read_text(encoding="utf-8"))
    cfg["ceasefire_issues"] = ["ceasefire"]
    (root / "precedents.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    assert infer_stage(cease, load_profile(root))[0] != "Cea"


def test_no_issue_id_in_the_precedents_code():
    """The issue → code mapping and the ceasefire issues are profile data (precedents.yaml)."""
    import yaml

    ids = set()
    for prof in (REPO / "profiles").iterdir():
        if (prof / "issues.yaml").is_file():
            ids |= {i["id"] for i in yaml.safe_load((prof / "issues.yaml").read_text(encoding="utf-8"))["issues"]}
    assert "justice.accountability" in ids
    for path in (REPO / "src" / "redline" / "precedents").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for issue in ids:
            assert not re.search(rf"[\"']{re.escape(issue)}[\"':]", text), (path.name, issue)
        assert "CEASEFIRE_ISSUES" not in text


def test_baserates_cli_shows_directions_and_hold_rates(pax_dir, profile_dir):
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test"""

    register(app)
    runner = CliRunner()
    env = {"REDLINE_PROFILE": str(profile_dir), "COLUMNS": "200"}
    res = runner.invoke(app, ["baserates", "minsk-like", "--pax", str(pax_dir)], env=env)
    assert res.exit_code == 0, res.output
    assert "Direction of each clause" in res.output and "justice.accountability:against" in res.output
    assert "95% CI" in res.output and "too few" in res.output
    data = json.loads(runner.invoke(app, ["baserates", "minsk-like", "--pax", str(pax_dir), "--format", "json"],
                                    env=env).output)
    row = next(r for r in data["rows"] if r["id"] == "ceasefire")
    assert row["overall"]["low"] < row["overall"]["share"] < row["overall"]["high"]
    assert {m["mechanism"] for m in data["mechanism_holds"]} >= {"dmz", "monitoring", "guarantee"}


@pytest.mark.parametrize("args,needle", [
    (["precedents", "minsk-like", "--weight", "type=0", "--top", "3"], "×0"),
    (["precedents", "minsk-like", "--weight", "nonsense=1"], "bad --weight"),
])
def test_precedents_weight_option(pax_dir, profile_dir, args, needle):
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test"""

    register(app)
    res = CliRunner().invoke(app, [*args, "--pax", str(pax_dir)],
                             env={"REDLINE_PROFILE": str(profile_dir), "COLUMNS": "250"})
    assert needle in res.output


def test_pax_show_says_what_the_agreement_says(pax_dir):
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test"""

    register(app)
    runner = CliRunner()
    res = runner.invoke(app, ["pax", "show", "1364", "--pax", str(pax_dir)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "It covers:" in res.output and "Security sector:" in res.output
    assert "Outcome: broke down" in res.output
    data = json.loads(runner.invoke(app, ["pax", "show", "1364", "--pax", str(pax_dir), "--format", "json"]).output)
    assert data["outcome"]["id"] == "minsk-2-2015"
    assert any(g["category"] == "Transitional justice" for g in data["groups"])
    assert "Ceasefire" in data["summary"]

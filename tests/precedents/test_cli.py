"""The commands through Typer's CliRunner on a fresh app with register() applied."""

from __future__ import annotations

import json
import shutil

import pytest
import typer
from typer.testing import CliRunner

from redline.precedents.cli import register
from redline.precedents.pax import CODES_NAME, CSV_NAME

from .conftest import write_small_csv


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """redline (test app)"""

    register(app)
    return app


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return _app()


@pytest.fixture(scope="module")
def run(app, pax_dir, profile_dir):
    runner = CliRunner()

    def invoke(*args: str):
        """Run with the real PA-X folder and the test profile (its plans are ours, not work in progress)."""
        return runner.invoke(app, [*args, "--pax", str(pax_dir)],
                             env={"REDLINE_PROFILE": str(profile_dir), "COLUMNS": "200"})

    return invoke


def test_precedents_for_a_plan(run):
    res = run("precedents", "minsk-like", "--top", "10")
    assert res.exit_code == 0, res.output
    assert "1364" in res.output and "Minsk" in res.output
    assert "mechanism:sequencing" in res.output            # named as not expressible
    assert "Korean Armistice" in res.output                # a case sharing issues


def test_precedents_json(run):
    res = run("precedents", "minsk-like", "--top", "3", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["status"] == "ok" and len(data["hits"]) == 3
    assert data["hits"][0]["agreement_id"] in (1363, 1364)
    assert data["cases"] and data["base_rates"] is None


def test_precedents_by_codes_with_filters(run):
    res = run("precedents", "--codes", "SsrFf,ImPK,StBor", "--stage", "SubComp", "--region", "Europe",
              "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["hits"] and all(h["stage"] == "SubComp" and "Europe" in h["region"] for h in data["hits"])
    assert [c["id"] for c in data["query"]["clauses"]] == ["SsrFf", "ImPK", "StBor"]


def test_precedents_like(run):
    res = run("precedents", "--like", "1364", "--top", "3", "--since", "2014", "--type", "Intra")
    assert res.exit_code == 0, res.output
    assert "1363" in res.output


def test_baserates_for_a_plan_and_for_codes(run, csv_rows):
    res = run("baserates", "minsk-like")
    assert res.exit_code == 0, res.output
    assert "ceasefire" in res.output and "SubPar" in res.output
    res = run("baserates", "--codes", "StBor", "--type", "Inter", "--format", "json")
    row = json.loads(res.output)["rows"][0]
    inter = [r for r in csv_rows if r["Agtp"] == "Inter"]
    assert (row["type"]["k"], row["type"]["n"]) == (sum(int(r["StBor"]) > 0 for r in inter), len(inter))


def test_pax_show(run):
    res = run("pax", "show", "1364")
    assert res.exit_code == 0, res.output
    assert "Minsk" in res.output and "CeProv" in res.output and "Europe and Eurasia" in res.output
    data = json.loads(run("pax", "show", "1364", "--format", "json").output)
    assert {p["code"]: p["value"] for p in data["provisions"]}["Terps"] == 2
    assert data["date"] == "2015-02-12"


def test_pax_codes(run):
    res = run("pax", "codes", "ceasefire", "--format", "json")
    assert res.exit_code == 0, res.output
    codes = {c["code"]: c["agreements"] for c in json.loads(res.output)}
    assert set(codes) >= {"Ce", "CeProv", "CeGen"} and codes["CeProv"] > 0


@pytest.mark.parametrize("args,message", [
    (("precedents",), "give exactly one of"),
    (("precedents", "minsk-like", "--codes", "Ce"), "give exactly one of"),
    (("precedents", "--codes", "Cex"), "unknown PA-X code 'Cex'"),
    (("precedents", "--codes", "Ce", "--stage", "Final"), "unknown stage 'Final'"),
    (("precedents", "--codes", "Ce", "--since", "last year"), "is not a date"),
    (("precedents", "no-such-plan"), "unknown plan 'no-such-plan'"),
    (("pax", "show", "999999"), "no PA-X agreement with AgtId 999999"),
    (("pax", "show", "1364", "--format", "md"), "unknown format 'md'"),
    (("baserates",), "give exactly one of"),
])
def test_user_errors_are_one_line_exit_1(run, args, message):
    res = run(*args)
    assert res.exit_code == 1
    assert message in res.output
    assert "Traceback" not in res.output


def test_missing_data_names_the_download(tmp_path):
    res = CliRunner().invoke(_app(), ["pax", "show", "1364", "--pax", str(tmp_path / "none")])
    assert res.exit_code == 1
    assert "PA-X data not found" in res.output and "peaceagreements.org" in res.output


def test_corrupt_file_names_the_row_without_traceback(tmp_path, pax_dir):
    shutil.copy(pax_dir / CODES_NAME, tmp_path / CODES_NAME)
    write_small_csv(tmp_path / CSV_NAME, pax_dir / CSV_NAME, 10)
    text = (tmp_path / CSV_NAME).read_text(encoding="utf-8")
    (tmp_path / CSV_NAME).write_text(text[:-200], encoding="utf-8")
    res = CliRunner().invoke(_app(), ["precedents", "--codes", "Ce", "--pax", str(tmp_path)])
    assert res.exit_code == 1
    assert "data row 10" in res.output and "Traceback" not in res.output
    assert res.output.startswith("error: ")

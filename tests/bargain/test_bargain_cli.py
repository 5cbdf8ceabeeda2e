"""The three commands through Typer's test runner, on a fresh app with ``register`` applied."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from redline.bargain.cli import register
from redline.errors import DataError, NotFound

runner = CliRunner(env={"COLUMNS": "250"})  # Rich wraps at 80 columns otherwise


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(app, *args):
    return runner.invoke(app, list(map(str, args)))


def test_commands_are_registered(app):
    result = run(app, "--help")
    assert result.exit_code == 0
    for name in ("bargain", "forecast", "backtest"):
        assert name in result.output


def test_bargain_table(app, mini_dir):
    result = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Zone of possible agreement: 4 packages" in out
    assert "Nash" in out and "max-min" in out and "Kalai" in out
    assert "plan-b" in out and "BBB: terr=full" in out


def test_bargain_json(app, mini_dir):
    result = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["zone"]["size"] == 4
    assert data["solutions"]["nash"][0]["package"]["terr"] == "partial"
    assert {p["plan"] for p in data["plans"]} == {"plan-a", "plan-b"}
    assert data["plans"][1]["crosses"] == [{"party": "BBB", "issue": "terr", "option": "full"}]


def test_bargain_parties_solution_top(app, mini_dir):
    result = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-01-01", "--parties", "AAA,BBB",
                 "--solution", "maxmin", "--top", "3", "--format", "json")
    data = json.loads(result.output)
    assert data["parties"] == ["AAA", "BBB"]
    assert list(data["solutions"]) == ["maxmin"]
    packages = [json.dumps(s["package"], sort_keys=True) for s in data["solutions"]["maxmin"]]
    assert len(packages) == 3 == len(set(packages))
    table = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-01-01", "--solution", "maxmin", "--top", "2")
    assert "Top 2 packages by max-min" in table.output


def test_bargain_fix_and_conflicts(app, mini_dir):
    fixed = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-01-01", "--fix", "terr=full")
    assert fixed.exit_code == 0
    assert "imposed term terr=full crosses a red line (BBB rules out full)" in fixed.output
    late = run(app, "bargain", "-p", mini_dir, "--as-of", "2025-07-01")
    assert "No package crosses no red line" in late.output
    assert "nato: every option is a red line (BBB rules out against, AAA rules out for)" in late.output
    assert "(no agreement)" in late.output


def test_bargain_bad_input(app, mini_dir):
    bad_date = run(app, "bargain", "-p", mini_dir, "--as-of", "01/01/2025")
    assert bad_date.exit_code != 0 and isinstance(bad_date.exception, DataError)
    bad_fix = run(app, "bargain", "-p", mini_dir, "--fix", "terr=most")
    assert isinstance(bad_fix.exception, NotFound)
    bad_party = run(app, "bargain", "-p", mini_dir, "--parties", "AAA,XYZ")
    assert isinstance(bad_party.exception, NotFound) and "XYZ" in str(bad_party.exception)


CSV = ("issue,actor,position,salience,capability\n"
       + "".join(f"emission,{n},{x},{s},{c}\n" for n, c, x, s in [
           ("Netherlands", 0.08, 4, 80), ("Belgium", 0.08, 7, 40), ("Luxembourg", 0.03, 4, 20),
           ("Germany", 0.16, 4, 80), ("France", 0.16, 10, 60), ("Italy", 0.16, 10, 60),
           ("UK", 0.16, 10, 90), ("Ireland", 0.05, 7, 10), ("Denmark", 0.05, 4, 100),
           ("Greece", 0.08, 7, 70)])
       + "other,A,20,50,1\nother,B,80,50,\n")


def test_forecast(app, tmp_path):
    path = tmp_path / "issues.csv"
    path.write_text(CSV)
    table = run(app, "forecast", path)
    assert table.exit_code == 0, table.output
    assert "8.4 → 9.6 → 10.0" in table.output
    assert "Belgium 7.0→8.4 (compromise with France)" in table.output
    assert "skipped: 1 actor row without capability" in table.output
    data = json.loads(run(app, "forecast", path, "--format", "json", "--eum", "rounds=3").output)
    assert data["skipped"] == {"actor row without capability": 1, "issue with fewer than two actors": 1}
    (issue,) = data["issues"]
    assert issue["predictions"]["compromise"] == pytest.approx(7.39, abs=0.01)
    assert len(issue["eum"]["rounds"]) == 4 and data["eum_params"]["rounds"] == 3
    bad = run(app, "forecast", path, "--eum", "q=7")
    assert isinstance(bad.exception, DataError) and "--eum q" in str(bad.exception)


def test_forecast_missing_column(app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("issue,actor,position\nx,A,1\n")
    result = run(app, "forecast", path)
    assert isinstance(result.exception, DataError)
    assert "missing column(s): salience, capability" in str(result.exception)


def test_backtest(app, tmp_path):
    path = tmp_path / "deu.tsv"
    path.write_text("isnr\tpa\tsa\tpb\tsb\tpc\tsc\trp\tout\n"
                    "i1\t10\t50\t30\t50\t90\t50\t0\t40\n"
                    "i2\t0\t50\t100\t50\t50\t100\t\t50\n"
                    "i3\t0\t50\t100\t50\t\t\t\t50\n")
    data = json.loads(run(app, "backtest", "deu", path, "--format", "json").output)
    assert data["scorable"] == 2
    assert data["skipped"] == {"issue with fewer than 3 actors with position and salience": 1}
    models = {m["model"]: m for m in data["models"]}
    assert models[data["baseline"]]["mae"] == pytest.approx((abs(130 / 3 - 40)) / 2, abs=1e-4)
    assert models["reference point (status quo)"]["n"] == 1
    table = run(app, "backtest", "deu", path)
    assert "Mean absolute error" in table.output and "baseline" in table.output
    assert "not scored" in table.output  # no GDP row in this file
    wrong = run(app, "backtest", "pax", path)
    assert wrong.exit_code != 0


def test_bargain_fix_on_a_question_member_is_printed_as_imposed(app):
    """A term imposed on an issue a question groups is shown under the issue the user named,
    on the terminal and in the JSON, like any other imposed term."""
    from redline.profile import load_profile

    profile = load_profile("russia-ukraine")
    issue = profile.questions[0].issues[0]
    term = f"{issue}={profile.issues[issue].option_ids[0]}"
    result = run(app, "bargain", "-p", "russia-ukraine", "--fix", term, "--frontier", "0")
    assert result.exit_code == 0, result.output
    assert f"Imposed: {term}" in result.output
    doc = json.loads(run(app, "bargain", "-p", "russia-ukraine", "--fix", term, "--frontier", "0",
                         "-f", "json").output)
    assert doc["imposed"] == dict([term.split("=")])

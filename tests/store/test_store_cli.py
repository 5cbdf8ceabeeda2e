"""The db, token and statements commands, on a fresh Typer app with register() applied."""

from __future__ import annotations

import csv
import io
import json

import typer
from typer.testing import CliRunner

from redline.model import Document, Statement
from redline.store import open_store
from redline.store.cli import register

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _run(*args: str):
    result = runner.invoke(_app(), list(args))
    return result


def test_db_commands_and_profile_export(tmp_path):
    db = str(tmp_path / "cli.db")
    r = _run("db", "upgrade", "--db", db)
    from redline.store import open_store

    head = open_store(db).head()
    assert r.exit_code == 0 and f"revision {head} (head)" in r.output
    r = _run("db", "load-profile", "--db", db)
    assert r.exit_code == 0 and r.output.startswith("loaded russia-ukraine")
    r = _run("db", "export-profile", str(tmp_path / "out"), "--db", db)
    assert r.exit_code == 0 and (tmp_path / "out" / "issues.yaml").is_file()
    r = _run("db", "info", "--db", db)
    assert "profiles: 1" in r.output


def test_token_commands_show_the_secret_once(tmp_path):
    db = str(tmp_path / "cli.db")
    r = _run("token", "create", "--name", "analyst", "--db", db)
    assert r.exit_code == 0
    secret = r.stdout.splitlines()[0]
    with open_store(db) as store:
        assert store.verify_token(secret)
    listed = _run("token", "list", "--db", db).output
    assert "analyst" in listed and secret not in listed and "active" in listed
    assert _run("token", "revoke", "--name", "analyst", "--db", db).exit_code == 0
    assert "revoked" in _run("token", "list", "--db", db).output
    with open_store(db) as store:
        assert not store.verify_token(secret)


def test_statements_command_filters_and_formats(tmp_path):
    db = str(tmp_path / "cli.db")
    with open_store(db, upgrade=True) as store:
        store.add_documents([Document(id="a", text="x", url="https://e.org/a")],
                            [[Statement(party="RUS", issue="alliance.nato", polarity="against",
                                        quote="no NATO, ever", red_line=True),
                              Statement(party="UKR", issue="alliance.nato", polarity="for", quote="NATO")]])
    data = json.loads(_run("statements", "--party", "RUS", "--format", "json", "--db", db).stdout)
    assert data["total"] == 1 and data["statements"][0]["quote"] == "no NATO, ever"
    rows = list(csv.DictReader(io.StringIO(_run("statements", "--format", "csv", "--db", db).stdout)))
    assert {r["party"] for r in rows} == {"RUS", "UKR"} and rows[0]["url"] == "https://e.org/a"
    term = _run("statements", "--issue", "alliance.nato", "--db", db)
    assert term.exit_code == 0 and "2 of 2" in term.output
    bad = _run("statements", "--since", "yesterday", "--db", db)
    assert bad.exit_code != 0 and "not a date" in str(bad.exception)
    typo = _run("statements", "--party", "UKRR", "--db", db)  # a typo is an error, never "0 of 0"
    assert typo.exit_code != 0 and "did you mean 'UKR'" in str(typo.exception)
    prefix = _run("statements", "--issue", "allaince.*", "--db", db)
    assert prefix.exit_code != 0 and "no issue id starts with 'allaince.'" in str(prefix.exception)
    assert "2 of 2" in _run("statements", "--issue", "alliance.*", "--db", db).output

"""The CLI as a user runs it: a real process, exit codes 0/1, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TOY = str(Path(__file__).parent / "fixtures" / "profiles" / "toy")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=120)


def test_assess_json_and_exit_zero():
    r = run("assess", "southern-terms", "-p", TOY, "--format", "json", "--no-precedents")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"]["label"] == "capitulation by NOR"


def test_every_format_of_compare():
    for fmt, marker in (("md", "# southern-terms → mediator-draft"), ("html", "<!doctype html>"),
                        ("terminal", "Per party, before → after")):
        r = run("compare", "southern-terms", "mediator-draft", "-p", TOY, "--format", fmt)
        assert r.returncode == 0, r.stderr
        assert marker in r.stdout


def test_unknown_plan_is_one_line_error_exit_1():
    r = run("assess", "southern-term", "-p", TOY)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["error: unknown plan 'southern-term': did you mean 'southern-terms'?"]
    assert "Traceback" not in r.stderr


def test_bad_date_and_bad_format():
    r = run("positions", "-p", TOY, "--as-of", "yesterday-ish")
    assert r.returncode == 1 and "is not a date (fix: write it as YYYY-MM-DD)" in r.stderr
    r = run("plans", "-p", TOY, "--format", "pdf")
    assert r.returncode == 1 and "unknown format 'pdf'" in r.stderr


def test_validate_reports_each_problem(tmp_path: Path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(TOY, bad)
    (bad / "issues.yaml").write_text("issues:\n  - id: talks\n    proposition: [unclosed\n")
    r = run("validate", str(bad))
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {bad / 'issues.yaml'}:") and "malformed YAML" in lines[0]
    assert lines[-1].endswith("problem(s) found") and "Traceback" not in r.stderr
    ok = run("validate", TOY)
    assert ok.returncode == 0 and ok.stdout.startswith("ok: toy: 4 issues, 3 parties")


def test_plans_and_positions_json():
    plans = json.loads(run("plans", "-p", TOY, "--format", "json").stdout)
    assert [p["id"] for p in plans] == ["southern-terms", "northern-terms", "mediator-draft"]
    pos = json.loads(run("positions", "-p", TOY, "--format", "json", "--as-of", "2021-01-01").stdout)
    assert {(p["party"], p["issue"]) for p in pos} >= {("NOR", "river.access"), ("SOU", "border.island")}


def test_plans_and_positions_in_every_format_of_their_help():
    """md is a Markdown table and html a standalone page, each with one row per plan or issue
    and the same cells as json: never the terminal table under another name."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cells = 0, []

        def handle_starttag(self, tag, attrs):
            self.rows += tag == "tr"

        def handle_data(self, data):
            self.cells.append(data.strip())

    for profile in (TOY, "russia-ukraine"):
        plans = json.loads(run("plans", "-p", profile, "--format", "json").stdout)
        positions = json.loads(run("positions", "-p", profile, "--format", "json").stdout)
        issues = list(dict.fromkeys(p["issue"] for p in positions))
        for cmd, n_rows, ids in (("plans", len(plans), [p["id"] for p in plans]), ("positions", None, issues)):
            md = run(cmd, "-p", profile, "--format", "md")
            assert md.returncode == 0, md.stderr
            assert "┃" not in md.stdout and "│" not in md.stdout  # not the Rich table
            table = [ln for ln in md.stdout.splitlines() if ln.startswith("|")]
            assert set(table[1].replace("|", "")) <= {"-"}
            html = run(cmd, "-p", profile, "--format", "html")
            assert html.returncode == 0 and html.stdout.startswith("<!doctype html>"), html.stderr
            parsed = Rows()
            parsed.feed(html.stdout)
            if n_rows is not None:
                assert len(table) == n_rows + 2 and parsed.rows == n_rows + 1
            for i in ids:
                assert i in parsed.cells and any(i.replace("_", "\\_") in ln or i in ln for ln in table)


def test_schema_command_matches_model():
    from redline.assess import Assessment

    r = run("schema", "assessment")
    assert r.returncode == 0 and json.loads(r.stdout) == json.loads(json.dumps(Assessment.model_json_schema()))


def test_core_install_without_web_extra_still_runs():
    """README command 1 installs no extras: the CLI must start, and `serve` must say what to install."""
    code = ("import sys; sys.modules['fastapi'] = None; sys.argv = ['redline'] + sys.argv[1:]; "
            "from redline.cli import main; main()")
    serve = subprocess.run([sys.executable, "-c", code, "serve"], capture_output=True, text=True, timeout=120)
    assert serve.returncode == 1 and "needs the web extra" in serve.stderr and "Traceback" not in serve.stderr
    plans = subprocess.run([sys.executable, "-c", code, "plans", "-p", TOY, "--format", "json"],
                           capture_output=True, text=True, timeout=120)
    assert plans.returncode == 0 and json.loads(plans.stdout)[0]["id"] == "southern-terms"


def test_bytes_to_bytes_codecs_are_refused_as_encodings_before_any_file_is_read(tmp_path: Path):
    """Python knows codecs no text is written in (base64, rot13, zlib …); as --encoding they must
    be one error naming the option (exit 1), not a failure on every file."""
    import codecs

    f = tmp_path / "a.txt"
    f.write_text("Russia demands neutrality.")
    for name in ("base64", "rot13", "hex", "zlib", "uu", "bz2", "quopri"):
        codecs.lookup(name)  # known to Python, so only the text check can refuse it
        for cmd in (("extract", str(f)), ("parse-plan", str(f)), ("ingest", str(f), "--db", str(tmp_path / "x.db"))):
            r = run(*cmd, "--encoding", name)
            assert r.returncode == 1, (name, cmd, r.stderr)
            assert r.stderr.strip().splitlines()[-1].startswith(f"error: '{name}' is not a text encoding"), r.stderr
            assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_train_refuses_an_unknown_model_family_as_a_usage_error(tmp_path: Path):
    out = tmp_path / "never.npz"
    for value, words in (("two_stag", "did you mean 'two_stage'?"), ("foo", "unknown model family 'foo'"), (",", "names no")):
        r = run("train", "--models", value, "--out", str(out))
        assert r.returncode == 1 and words in r.stderr and "internal error" not in r.stderr, r.stderr
    assert not out.exists()

"""The CLI commands on a fresh Typer app with register() applied."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from redline.extract.cli import register


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)

    @a.callback()
    def _main() -> None:
        """Several commands: keep subcommand names."""

    return a


def test_extract_jsonl_keeps_ids_and_order(app, tmp_path, extractor):
    src = tmp_path / "in.jsonl"
    rows = [{"id": "b-2", "text": "Peskov ruled out a meeting between Putin and Zelensky.", "date": "2025-12-29"},
            {"id": "a-1", "text": "The weather in Kyiv was cold."},
            {"id": "c-3", "text": "Zelensky urged allies to tighten sanctions on Moscow."}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    out = [json.loads(line) for line in res.output.splitlines()]
    assert [o["id"] for o in out] == ["b-2", "a-1", "c-3"]
    assert out[1]["statements"] == []
    st = out[0]["statements"][0]
    assert set(st) == {"party", "issue", "polarity", "act", "red_line", "speaker", "quote", "confidence"}
    assert (st["party"], st["issue"], st["polarity"]) == ("RUS", "process.talks", "against")


def test_extract_plain_text_file(app, tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("Trump said Ukraine will not join NATO.\n")
    res = CliRunner().invoke(app, ["extract", str(src)])
    assert res.exit_code == 0
    rec = json.loads(res.output)
    assert rec["id"] == "note" and rec["statements"][0]["party"] == "USA"


def test_extract_bad_line_is_skipped_with_file_and_line(app, tmp_path):
    """A bad record is skipped with one line naming file and line; the good ones are still
    extracted, and the exit status (1) says something was skipped (docs/hostile-input.md)."""
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "x"}\n{"id": "y", "text": "Northland demands access to the river."}\n')
    res = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl"])
    assert res.exit_code == 1
    assert f"{src}:1" in res.stderr and "skipped" in res.stderr
    assert "Traceback" not in res.stderr


def test_eval_ends_with_summary(app, shared_dir, tmp_path):
    gold = tmp_path / "g.jsonl"
    lines = (shared_dir / "eval" / "dev.jsonl").read_text().splitlines()[:6]
    gold.write_text("\n".join(lines) + "\n")
    res = CliRunner().invoke(app, ["eval", str(gold)])
    assert res.exit_code == 0, res.output
    tail = res.output.strip().splitlines()[-8:]
    assert any("precision" in t and "F1" in t for t in tail)
    assert "act accuracy" in tail[-2] and "red-line agreement" in tail[-1]
    res = CliRunner().invoke(app, ["eval", str(gold), "--format", "json"])
    data = json.loads(res.output)
    assert data["documents"] == 6 and 0.0 <= data["micro"]["f1"] <= 1.0 and data["per_issue"]


def test_parse_plan_command_output_loads(app, tmp_path, profile):
    plan = tmp_path / "plan.txt"
    plan.write_text("Test framework\n\n1. Ukraine agrees not to join NATO.\n"
                    "2. A ceasefire takes effect immediately.\n- All prisoners of war are exchanged.\n")
    res = CliRunner().invoke(app, ["parse-plan", str(plan), "--id", "t-plan", "--date", "2025-01-02",
                                   "--proposer", "USA", "--url", "https://example.org/plan"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "plan.yaml"
    out.write_text(res.output)
    loaded = profile.plan(str(out))
    assert loaded.terms()["alliance.nato"].option == "against"
    assert loaded.proposers == ["USA"]


def test_extract_reads_a_feed_as_ingest_does(app, tmp_path):
    """Raw U+2028/U+2029/U+0085 inside a string, a date ingest reads (``March 3, 2025``) or leaves
    empty (``2025-02-30``): every record is extracted, exit 0. A second text under a taken id
    comes out as ``id~hash8``, as ingest stores it, so no output id repeats; a whitespace-only
    text is skipped with the reason ingest gives."""
    src = tmp_path / "feed.jsonl"
    lines = ['{"id": "s%d", "text": "Kyiv rejects it.%sAgain."}' % (i, sep)
             for i, sep in enumerate(["\u2028", "\u2029", "\u0085"])]
    lines += [json.dumps({"id": "d1", "text": "Moscow demands neutrality.", "date": "2025-02-30"}),
              json.dumps({"id": "d2", "text": "Kyiv wants security guarantees.", "date": "March 3, 2025"})]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(src)])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == ["s0", "s1", "s2", "d1", "d2"]

    dup = tmp_path / "dup.jsonl"
    dup.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Kyiv insists on security guarantees."},
        {"id": "a", "text": "Moscow demands recognition of the annexed regions."},
        {"id": "b", "text": "   "}]) + "\n")
    res = CliRunner().invoke(app, ["extract", str(dup)])
    ids = [json.loads(line)["id"] for line in res.stdout.splitlines()]
    assert res.exit_code == 1 and ids[0] == "a" and ids[1].startswith("a~") and len(ids) == 2
    assert f"{dup}:3: no 'text'" in res.stderr

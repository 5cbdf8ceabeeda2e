"""The commands on the generated corpus of malformed inputs (``corpus.py``) and on hostile
command lines: exit 0 or 1 with a message, never 2, within the time budget, no silent
acceptance, nothing half-written. Run in-process (``harness.py``); the long run is run_long.py."""

from __future__ import annotations

import random

import pytest
from corpus import cases_for
from fuzz_settings import LONG, fuzz
from harness import problems, run_cli
from hypothesis import given
from hypothesis import strategies as st

# (command, inputs in CI, seconds per run). Extraction runs build an extractor each time (~1 s)
# and parse up to the cap, so they get fewer inputs; run_long.py runs 1,000 of each.
PLAN = [("ingest", 30, 30), ("validate", 24, 30), ("assess", 12, 30), ("parse-plan", 6, 60),
        ("extract", 3, 90), ("ingest-extract", 2, 90)]


@pytest.mark.parametrize("command, n, budget", PLAN, ids=[p[0] for p in PLAN])
def test_corpus(command, n, budget, tmp_path):
    rng = random.Random(f"ci:{command}")
    failures = []
    for case in cases_for(command, rng, tmp_path, n * (10 if LONG else 1)):
        outcome = run_cli(case.args, budget)
        found = problems(case, outcome)
        if found:
            failures.append((case.kind, case.args, found, outcome.stderr[-300:]))
    assert not failures, failures


OPTIONS = st.sampled_from(["--bogus", "-rf.txt", "--format", "--format=pdf", "--as-of", "--as-of=2025-02-30",
                           "--as-of=0000-01-01", "--db", "--max-mb=-1", "--max-mb=abc", "--batch=0", "--encoding=nope",
                           "--encoding=utf-16", "-p", "--profile=/nonexistent", "--parties=,,,", "--top=-5",
                           "--", "-", "\x00", "\udcff", "--help", "x" * 300])
COMMANDS = st.sampled_from([["plans"], ["positions"], ["assess", "mediator-draft"], ["validate"],
                            ["compare", "a", "b"], ["ingest"], ["schema"], ["nosuchcommand"], []])


@fuzz(20)
@given(command=COMMANDS, options=st.lists(OPTIONS, max_size=4))
def test_hostile_command_lines_exit_0_or_1(command, options, tmp_path_factory):
    """Unknown options, missing values, bad values, odd characters: Typer's usage message and
    exit 1 (or the command's own one-line error), never an internal error."""
    folder = tmp_path_factory.mktemp("cli")
    args = [*command, *options]
    if command[:1] == ["ingest"]:
        args += [str(folder / "missing.txt"), "--db", str(folder / "t.db")]
    outcome = run_cli(args, 30)
    assert outcome.code in (0, 1), (args, outcome.code, outcome.stderr[-500:])
    assert "internal error" not in outcome.stderr and "Traceback" not in outcome.stderr, outcome.stderr

"""Run the real ``redline`` entry point in-process on one input and judge the outcome.

In-process (``redline.cli.main`` with ``sys.argv`` set, output captured, a SIGALRM time budget)
rather than a subprocess per run: the machine is shared, and spaCy loads once per process
instead of once per input. ``run_long.py`` runs this in one worker process per command and
reads that process's peak memory.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import Case  # noqa: E402 - tests/fuzz is on sys.path (conftest / run_long)

ALLOWED_PREFIXES = ("error:", "skipped ", "warning:", "Usage:", "Try ", "Error:", "interrupted", "  ")


class Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` can swallow it."""


@dataclass
class Outcome:
    code: int | str          # the exit status, or "timeout"
    stdout: str
    stderr: str
    seconds: float


def _alarm(_signum, _frame):
    raise Timeout()


def run_cli(args: list[str], budget: float) -> Outcome:
    """``redline ARGS`` in this process, within ``budget`` seconds (then code "timeout")."""
    from redline.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_argv, old_handler = sys.argv, signal.signal(signal.SIGALRM, _alarm)
    sys.argv = ["redline", *args]
    start = time.monotonic()
    code: int | str = 0
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Timeout:
        code = "timeout"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        sys.argv = old_argv
    return Outcome(code, out.getvalue(), err.getvalue(), time.monotonic() - start)


def problems(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with ``outcome`` for ``case`` (empty when the property holds):

    exit 0 or 1 only, never 2 or a timeout; exit 1 comes with a message and no traceback; an
    input the command must refuse is refused (no silent acceptance); output is whole (JSON Lines
    parse line by line, a parsed plan is YAML); the database is intact."""
    found: list[str] = []
    if outcome.code == "timeout":
        return ["timeout"]
    if outcome.code not in (0, 1):
        found.append(f"exit {outcome.code}")
    if "Traceback" in outcome.stderr or "internal error" in outcome.stderr:
        found.append("internal error")
    if outcome.code == 1 and not outcome.stderr.strip() and "skipped" not in outcome.stdout:
        found.append("exit 1 without a message")
    for line in outcome.stderr.splitlines():
        if line.strip() and not line.startswith(ALLOWED_PREFIXES) and not line.endswith("found"):
            if not any(w in line for w in ("skipped", "rest was extracted", "problem(s)")):
                found.append(f"unexpected stderr line: {line[:120]!r}")
                break
    if case.expect == "refuse" and outcome.code == 0:
        found.append("silent acceptance")
    cmd = case.args[0]
    if cmd == "extract":
        for line in outcome.stdout.splitlines():
            try:
                json.loads(line)
            except ValueError:
                found.append("half-written JSON Lines output")
                break
    if cmd == "parse-plan" and outcome.code == 0:
        import yaml

        try:
            yaml.safe_load(outcome.stdout)
        except yaml.YAMLError:
            found.append("parse-plan wrote invalid YAML")
    if cmd == "parse-plan" and outcome.code == 1 and outcome.stdout.strip():
        found.append("parse-plan failed but wrote a partial plan")
    if cmd == "ingest" and "--db" in case.args:
        found += db_problems(Path(case.args[case.args.index("--db") + 1]))
    return found


def db_problems(db: Path) -> list[str]:
    """SQLite integrity, foreign keys, and no stored document without text."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        bad = []
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            bad.append("database integrity check failed")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            bad.append("statements without their document")
        if conn.execute("SELECT count(*) FROM documents WHERE trim(text) = ''").fetchone()[0]:
            bad.append("a document stored without text")
        return bad
    except sqlite3.DatabaseError as exc:
        return [f"database unreadable: {exc}"]
    finally:
        conn.close()

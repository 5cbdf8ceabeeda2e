"""The package solvers give the same answers when several threads bargain at once.

The API serves requests from a thread pool, so two analysts opening the Bargain page together run
the solvers concurrently. Each thread must get exactly what it gets alone: no crash, no spurious
"HiGHS stopped without an optimum", no answer mixed with another thread's model, and nothing of
HiGHS's on stdout (where ``--format json`` writes).

The threads run in a child process, so that a crash (HiGHS used to segfault here) fails this test
with the child's exit status instead of taking the whole test session down.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from redline.bargain.report import bargain
from redline.errors import RedlineError
from redline.profile import Profile, available_profiles, load_profile

THREADS = 6
ROUNDS = 2
# Dates per profile, so concurrent solves work on different models (a date before a profile's
# positions gives an error, which must be the same error under load too).
DATES = [dt.date(2024, 5, 1), dt.date(2025, 6, 15)]


def _outcome(profile: Profile, as_of: dt.date) -> object:
    """What a user sees from ``redline bargain``: the report, or the error it stops with."""
    try:
        return bargain(profile, as_of, top=1, frontier_limit=3).to_model().model_dump(mode="json")
    except RedlineError as e:
        return f"{type(e).__name__}: {e}"


def concurrent_mismatches(threads: int = THREADS, rounds: int = ROUNDS) -> dict[str, object]:
    """Bargain over every bundled profile at every date alone, then in ``threads`` threads at
    once for ``rounds`` rounds (each thread in its own order); the cases whose answer differed."""
    profiles = {name: load_profile(name) for name in available_profiles()}
    cases = [(name, d) for name in profiles for d in DATES]
    alone = {case: _outcome(profiles[case[0]], case[1]) for case in cases}
    start = threading.Barrier(threads)

    def worker(seed: int) -> list[tuple[tuple[str, dt.date], object]]:
        order = cases * rounds
        random.Random(seed).shuffle(order)
        start.wait(timeout=300)
        return [(case, _outcome(profiles[case[0]], case[1])) for case in order]

    with ThreadPoolExecutor(threads) as pool:
        results = [r for rs in pool.map(worker, range(threads)) for r in rs]
    wrong = sorted({f"{name} as of {d}" for (name, d), got in results if got != alone[(name, d)]})
    return {"solved": sum(isinstance(v, dict) for v in alone.values()), "runs": len(results), "wrong": wrong}


def test_concurrent_bargains_equal_sequential():
    proc = subprocess.run([sys.executable, __file__], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"the bargaining process died (exit {proc.returncode}): {proc.stderr[-3000:]}"
    # stdout holds exactly the child's one line: HiGHS printed nothing there, from any thread
    report = json.loads(proc.stdout)
    assert available_profiles() and report["solved"] >= len(available_profiles()), "too few solved cases"
    assert report["runs"] == THREADS * ROUNDS * len(available_profiles()) * len(DATES)
    assert report["wrong"] == []


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(concurrent_mismatches(*args)))

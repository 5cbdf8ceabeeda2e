"""The long hostile-input run: ≥1,000 generated malformed inputs per command, by hand.

    .venv/bin/python tests/fuzz/run_long.py                       # 1,000 per command, all commands
    .venv/bin/python tests/fuzz/run_long.py -n 200 --commands ingest,validate

Each command runs in its own worker process (one after the other: the machine is shared), which
generates its cases (``corpus.py``, seeded), runs each through the real entry point in-process
with a time budget (``harness.py``), and reports counts of exit codes, timeouts, property
failures (exit 2, silent acceptance, half-written output, a damaged database) and the worker's
peak resident memory (``ru_maxrss``: the largest any single run needed, plus the loaded model).
Prints a Markdown table for docs/hostile-input.md; exits 1 when any property failed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def worker(command: str, n: int, seed: int, budget: float, folder: Path) -> dict:
    from corpus import cases_for
    from harness import problems, run_cli

    rng = random.Random(f"{seed}:{command}")
    cases = cases_for(command, rng, folder, n)
    codes: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    failures: list[dict] = []
    slowest = (0.0, "")
    started = time.monotonic()
    for case in cases:
        outcome = run_cli(case.args, budget)
        codes[str(outcome.code)] += 1
        kinds[case.kind] += 1
        if outcome.seconds > slowest[0]:
            slowest = (outcome.seconds, case.kind)
        found = problems(case, outcome)
        if found:
            failures.append({"kind": case.kind, "args": [str(a) for a in case.args], "problems": found,
                             "stderr": outcome.stderr[-400:]})
    return {"command": command, "runs": len(cases), "codes": dict(codes), "kinds": dict(kinds),
            "failures": failures, "timeouts": codes.get("timeout", 0),
            "slowest_s": round(slowest[0], 2), "slowest_kind": slowest[1],
            "total_s": round(time.monotonic() - started, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="inputs per command (default 1000)")
    ap.add_argument("--commands", default="ingest,validate,assess,parse-plan,extract,ingest-extract")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per run (default 60)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", help="write the JSON results here too")
    args = ap.parse_args()
    if args.worker:
        with tempfile.TemporaryDirectory(prefix="redline-fuzz-") as tmp:
            result = worker(args.worker, args.n, args.seed, args.budget, Path(tmp))
        print(json.dumps(result))
        return 0
    results = []
    for command in args.commands.split(","):
        proc = subprocess.run([sys.executable, __file__, "--worker", command, "-n", str(args.n),
                               "--seed", str(args.seed), "--budget", str(args.budget)],
                              capture_output=True, text=True, env={**os.environ, "REDLINE_FUZZ": "long"})
        if proc.returncode != 0:
            print(f"{command}: worker failed ({proc.returncode}): {proc.stderr[-2000:]}", file=sys.stderr)
            results.append({"command": command, "runs": 0, "codes": {}, "failures": [{"problems": ["worker crashed"]}],
                            "timeouts": 0, "slowest_s": 0, "slowest_kind": "", "total_s": 0, "peak_rss_mb": 0})
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"{command}: {r['runs']} runs, exits {r['codes']}, {len(r['failures'])} failures, "
              f"peak {r['peak_rss_mb']} MB, slowest {r['slowest_s']} s ({r['slowest_kind']}), "
              f"{r['total_s']} s in all", file=sys.stderr, flush=True)
    print("| command | inputs | exit 0 | exit 1 | exit 2 | timeouts | property failures | slowest run | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c = r["codes"]
        other = sum(v for k, v in c.items() if k not in ("0", "1", "timeout"))
        print(f"| {r['command']} | {r['runs']} | {c.get('0', 0)} | {c.get('1', 0)} | {other} | {r['timeouts']} | "
              f"{len(r['failures'])} | {r['slowest_s']} s | {r['peak_rss_mb']} MB |")
    for r in results:
        for f in r["failures"][:10]:
            print(f"FAIL {r['command']}: {f}", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

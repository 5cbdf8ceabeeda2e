"""Solve times of the exact package search for 10/20/30 issues × 7 options × 10 parties.

Run:  .venv/bin/python benchmarks/bargain_scaling.py [--seeds 5]

The process pins itself to one core and HiGHS runs single-threaded. Three kinds of instance, the
first two built as positions and turned into utilities by the same rule as ``redline bargain``
(preferred / acceptable / other / red lines, salience, status quo):

* ``blocs``: profile-like. Each issue is an ordered scale; parties belong to one of three blocs
  (one end, the middle, the other end) and prefer an option near their bloc's, accept
  neighbours, and may rule out far options;
* ``scattered``: every party prefers a uniformly random option on every issue;
* ``random``: every (party, option) utility drawn uniformly on a 0.05 grid: no structure at all,
  the hardest case for max-min and KS (no option dominated, near-ties everywhere).

The goal in the brief: Nash and max-min each under 2 s at 30 × 7 × 10. Max-min and KS run an
enumeration with LP bounds and fall back to two MILPs when it keeps too many partial packages; a
row says how often that happened (never, so far).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import time
from pathlib import Path

import numpy as np

from redline.bargain.packages import kalai_smorodinsky, maxmin, nash
from redline.bargain.utility import UtilityTable, utilities_from_positions
from redline.model import Evidence, Issue, Option, Party, Position, ProfileMeta
from redline.profile import Profile

SIZES = (10, 20, 30)
OPTIONS = 7
PARTIES = 10
EVIDENCE = [Evidence(url="https://example.org", date=dt.date(2025, 1, 1), speaker="x", quote="x")]


def _table(n_issues: int, rng: np.random.Generator, positions_of) -> UtilityTable:
    options = [f"o{k}" for k in range(OPTIONS)]
    issues = {f"i{i}": Issue(id=f"i{i}", proposition="p", options=[Option(id=o) for o in options],
                             status_quo=options[rng.integers(OPTIONS)] if rng.random() < 0.5 else None)
              for i in range(n_issues)}
    parties = {f"P{p}": Party(id=f"P{p}", name=f"P{p}") for p in range(PARTIES)}
    positions = [Position(party=party, issue=issue, preferred=preferred, acceptable=acceptable,
                          red_lines=red, salience=round(float(rng.uniform(0.1, 1.0)), 2),
                          since=dt.date(2025, 1, 1), evidence=EVIDENCE)
                 for issue in issues for party, preferred, acceptable, red in positions_of(issue, list(parties))]
    profile = Profile(meta=ProfileMeta(id="bench", title="bench", principals=["P0", "P1"]),
                      root=Path("."), issues=issues, parties=parties, positions=positions, plans={})
    return utilities_from_positions(profile, overrides=[])


def blocs_instance(n_issues: int, seed: int) -> UtilityTable:
    """Three blocs at the low end, the middle and the high end of each ordered scale (the scale
    is reversed on half the issues); ~85% of (party, issue) pairs have a position."""
    rng = np.random.default_rng(seed)
    options = [f"o{k}" for k in range(OPTIONS)]
    bloc = rng.integers(0, 3, PARTIES)
    centre = {0: 1, 1: OPTIONS // 2, 2: OPTIONS - 2}

    def positions_of(issue: str, parties: list[str]):
        flip = rng.random() < 0.5
        for p, party in enumerate(parties):
            if rng.random() > 0.85:
                continue
            k = int(np.clip(centre[bloc[p]] + rng.integers(-1, 2), 0, OPTIONS - 1))
            k = OPTIONS - 1 - k if flip else k
            acceptable = [options[j] for j in (k - 1, k + 1) if 0 <= j < OPTIONS and rng.random() < 0.6]
            far = [options[j] for j in range(OPTIONS) if abs(j - k) >= 4]
            red = [str(rng.choice(far))] if far and rng.random() < 0.2 else []
            yield party, options[k], acceptable, red

    table = _table(n_issues, rng, positions_of)
    return table if table.zone_size() else blocs_instance(n_issues, seed + 7919)


def positions_instance(n_issues: int, seed: int) -> UtilityTable:
    """A synthetic profile: each party has a position on ~85% of issues, 0–2 acceptable options,
    a red line on ~15% (never one that would leave an issue no option), a status quo on half."""
    rng = np.random.default_rng(seed)
    options = [f"o{k}" for k in range(OPTIONS)]
    issues = {f"i{i}": Issue(id=f"i{i}", proposition="p", options=[Option(id=o) for o in options],
                             status_quo=options[rng.integers(OPTIONS)] if rng.random() < 0.5 else None)
              for i in range(n_issues)}
    parties = {f"P{p}": Party(id=f"P{p}", name=f"P{p}") for p in range(PARTIES)}
    positions = []
    for issue in issues:
        ruled_out: set[str] = set()
        for party in parties:
            if rng.random() > 0.85:
                continue
            preferred = options[rng.integers(OPTIONS)]
            others = [o for o in options if o != preferred]
            acceptable = list(rng.choice(others, size=rng.integers(0, 3), replace=False))
            red: list[str] = []
            candidates = [o for o in others if o not in acceptable]
            if rng.random() < 0.15 and candidates and len(ruled_out) < OPTIONS - 2:
                red = [str(rng.choice(candidates))]
                ruled_out.update(red)
            positions.append(Position(party=party, issue=issue, preferred=preferred, acceptable=acceptable,
                                      red_lines=red, salience=round(float(rng.uniform(0.1, 1.0)), 2),
                                      since=dt.date(2025, 1, 1), evidence=EVIDENCE))
    profile = Profile(meta=ProfileMeta(id="bench", title="bench", principals=["P0", "P1"]),
                      root=Path("."), issues=issues, parties=parties, positions=positions, plans={})
    return utilities_from_positions(profile, overrides=[])


def random_instance(n_issues: int, seed: int) -> UtilityTable:
    rng = np.random.default_rng(seed)
    utility = [rng.integers(0, 21, (PARTIES, OPTIONS)) / 20 for _ in range(n_issues)]
    red = [rng.random((PARTIES, OPTIONS)) < 0.02 for _ in range(n_issues)]
    for r in red:
        r[:, rng.integers(OPTIONS)] = False
    no_deal = np.array([[utility[i][p][~red[i].any(axis=0)].min() for i in range(n_issues)]
                        for p in range(PARTIES)])
    return UtilityTable([f"P{p}" for p in range(PARTIES)], [f"i{i}" for i in range(n_issues)],
                        [[f"o{k}" for k in range(OPTIONS)]] * n_issues, utility,
                        rng.integers(1, 11, (PARTIES, n_issues)) / 10, red, no_deal)


CAP = 120.0   # seconds: an exact solve still running then is reported as "> CAP"
BUDGET = 2.0  # the brief's goal; max-min is also run with this time limit


def timed(fn, table, limit: float) -> tuple[float, object]:
    start = time.perf_counter()
    sol = fn(table, time_limit=limit)
    return time.perf_counter() - start, sol


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="instances per size and kind")
    parser.add_argument("--kinds", default="blocs,scattered,random", help="comma-separated instance kinds")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    makers = {"blocs": blocs_instance, "scattered": positions_instance, "random": random_instance}
    solvers = {"nash": nash, "maxmin": maxmin, "ks": kalai_smorodinsky}
    print(f"one core; {args.seeds} instances per row; exact solve times in seconds (median / max); "
          f"last column: max-min with a {BUDGET:g} s limit")
    print(f"{'kind':10} {'issues':>6} {'log10 zone':>10} {'nash':>15} {'maxmin':>15} {'ks':>15}   "
          f"{'max-min at ' + format(BUDGET, 'g') + ' s':>28}")
    for kind in args.kinds.split(","):
        for n in SIZES:
            times: dict[str, list[float]] = {name: [] for name in solvers}
            zones, proven, gaps, fallbacks = [], 0, [], 0
            for seed in range(args.seeds):
                table = makers[kind](n, 1000 * n + seed)
                zones.append(math.log10(max(table.zone_size(), 1)))
                for name, fn in solvers.items():
                    seconds, sol = timed(fn, table, CAP)
                    assert sol.found, f"{name} found no package on {kind} {n} seed {seed}"
                    times[name].append(seconds if sol.proven else math.inf)
                    fallbacks += name != "nash" and sol.method.startswith("milp")
                _, quick = timed(maxmin, table, BUDGET)
                proven += quick.proven
                gaps.append(0.0 if quick.proven else 100 * (quick.bound - quick.objective))

            def cell(t: list[float]) -> str:
                worst = max(t)
                return f"{statistics.median(t):6.2f} /{'>' + format(CAP, 'g') if math.isinf(worst) else format(worst, '6.2f'):>7}"

            print(f"{kind:10} {n:>6} {statistics.median(zones):>10.1f} "
                  + " ".join(f"{cell(t):>15}" for t in times.values())
                  + f"   proven {proven}/{args.seeds}, worst gap {max(gaps):.2f} pts"
                  + (f"; {fallbacks} max-min/KS solve(s) fell back to the MILPs" if fallbacks else ""), flush=True)


if __name__ == "__main__":
    main()

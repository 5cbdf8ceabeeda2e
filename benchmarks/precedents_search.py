"""Timing of the PA-X precedents search: load < 2 s, one search over all agreements < 100 ms.

Run from the repository root:  .venv/bin/python benchmarks/precedents_search.py [--pax PATH] [--repeat N]
Prints figures only; it is not a test (timings depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Callable

from redline.precedents import (Filters, agreement_query, base_rates, codes_query, load_pax, plan_query,
                                search)

LOAD_TARGET_S = 2.0
SEARCH_TARGET_MS = 100.0


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def line(name: str, secs: list[float], target_ms: float) -> str:
    ms = [s * 1000 for s in secs]
    ok = "ok" if max(ms) < target_ms else "SLOW"
    return (f"  {name:<44} median {statistics.median(ms):7.2f} ms   max {max(ms):7.2f} ms   "
            f"(target < {target_ms:.0f} ms: {ok})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pax", default=None, help="PA-X CSV or folder (default: $REDLINE_PAX, ../shared/data/pax)")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    loads = timed(lambda: load_pax(args.pax, cache=False), 3)
    pax = load_pax(args.pax)
    print(f"PA-X: {len(pax):,} agreements × {len(pax.columns)} provision columns from {pax.path}")
    print(f"load (parse CSV + code table, cold, 3 runs): median {statistics.median(loads):.3f} s, "
          f"max {max(loads):.3f} s (target < {LOAD_TARGET_S:.0f} s: {'ok' if max(loads) < LOAD_TARGET_S else 'SLOW'})")

    cases: list[tuple[str, Callable[[], object]]] = []
    try:
        from redline.profile import load_profile

        prof = load_profile()
        plan = prof.plans.get("us-28-point-plan") or next(iter(prof.plans.values()))
        q = plan_query(plan, prof, pax.codes)
        cases.append((f"plan {plan.id} (top 10)", lambda: search(pax, q, top=10)))
        cases.append((f"plan {plan.id}, --type Inter", lambda: search(pax, q, Filters(types=["Inter"]), top=10)))
        cases.append((f"plan_query + search (from the plan)",
                      lambda: search(pax, plan_query(plan, prof, pax.codes), top=10)))
        cases.append((f"base rates for {plan.id}", lambda: base_rates(pax, q, "SubComp", "Inter")))
    except Exception as exc:  # noqa: BLE001 - the profile may be mid-edit; the code searches still run
        print(f"(plan searches skipped: the bundled profile did not load: {exc})")
    cq = codes_query(["SsrFf", "ImPK", "StBor"], pax.codes)
    cases.append(("--codes SsrFf,ImPK,StBor (all leaves)", lambda: search(pax, cq, top=10)))
    cases.append(("--codes … --stage SubComp --region Europe",
                  lambda: search(pax, cq, Filters(stages=["SubComp"], regions=["Europe"]), top=10)))
    cases.append(("--like 1364 (30 codes)", lambda: search(pax, agreement_query(pax, 1364), top=10)))

    print(f"search over all {len(pax):,} agreements after load ({args.repeat} runs each):")
    slow = False
    for name, fn in cases:
        fn()  # warm-up
        secs = timed(fn, args.repeat)
        slow |= max(secs) * 1000 >= SEARCH_TARGET_MS
        print(line(name, secs, SEARCH_TARGET_MS))
    return 1 if slow or max(loads) >= LOAD_TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())

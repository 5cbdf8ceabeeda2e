"""API latency under concurrent load: p50/p95/p99 of the matrix and statements endpoints.

    .venv/bin/python benchmarks/api_latency.py [--statements 100000] [--concurrency 8]
        [--requests 2000] [--db sqlite|postgresql] [--workers 1] [--profile tests/fixtures/profiles/toy]

Loads N statements (default 100k, over 1000 documents) into a fresh database, starts
``redline serve``'s app with uvicorn in a *separate process* on 127.0.0.1, then drives it from
this process with C concurrent keep-alive clients (asyncio + httpx). The statements requests
vary party / issue / date / text filters and pages. Exits 1 when p95 on SQLite is 50 ms or more.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "tests" / "fixtures" / "profiles" / "toy"


def load(url: str, n_statements: int, profile: str) -> None:
    from redline.model import Document, Statement
    from redline.profile import load_profile
    from redline.store import open_store

    prof = load_profile(profile)
    store = open_store(url, upgrade=True)
    store.load_profile(prof)
    parties, issues = list(prof.parties), list(prof.issues)
    rng = random.Random(7)
    per_doc = 100
    n_docs = max(1, n_statements // per_doc)
    start = dt.date(2020, 1, 1)
    t0 = time.perf_counter()
    for b in range(0, n_docs, 50):
        docs, sts = [], []
        for d in range(b, min(n_docs, b + 50)):
            date = start + dt.timedelta(days=d % 1500)
            docs.append(Document(id=f"bench-{d}", text=f"Benchmark document {d}. " + "word " * 50, date=date,
                                 title=f"Document {d}", url=f"https://example.org/{d}"))
            sts.append([Statement(party=rng.choice(parties), issue=rng.choice(issues),
                                  polarity=rng.choice(["for", "against"]), speaker=f"Speaker {rng.randrange(50)}",
                                  quote=f"quote {d}-{s} about {rng.choice(['river', 'island', 'army', 'talks'])}",
                                  date=date)
                        for s in range(per_doc)])
        store.add_documents(docs, sts)
    total = store.statements(limit=1)[1]
    print(f"loaded {total} statements in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    store.close()


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


async def drive(base: str, path_fn, n: int, concurrency: int) -> list[float]:
    import httpx

    times: list[float] = []
    queue = list(range(n))
    errors = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            i = queue.pop()
            path = path_fn(i)
            t = time.perf_counter()
            r = await client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(20):  # warm-up
            await client.get(path_fn(0))
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    if errors:
        raise SystemExit(f"{errors} requests failed")
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--profile", default=str(TOY))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="redline-bench-")
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the database file (tens of MB a run)


def run(args: argparse.Namespace, tmp: str) -> int:
    drop_database = None
    if args.db == "sqlite":
        url = str(Path(tmp) / "bench.sqlite3")
    else:
        url = os.environ.get("REDLINE_TEST_POSTGRES_URL")
        if not url:
            out = subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh")], check=True, capture_output=True,
                                 text=True).stdout
            url = out.strip().split("=", 1)[1]
        import psycopg

        name = f"redline_bench_{os.getpid()}"
        admin_url = url
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')

        def drop_database() -> None:
            with psycopg.connect(admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        url = url.rsplit("/", 1)[0] + "/" + name
    try:
        return measure(args, url)
    finally:
        if drop_database is not None:
            drop_database()  # one database per run would pile up on the server


def measure(args: argparse.Namespace, url: str) -> int:
    load(url, args.statements, args.profile)

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, REDLINE_DATABASE_URL=url, REDLINE_PROFILE=args.profile)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "redline.web.app:app_from_env", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                               "--log-level", "warning", "--no-access-log"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/profiles", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        from redline.profile import load_profile

        prof = load_profile(args.profile)
        parties, issues = list(prof.parties), list(prof.issues)
        dates = ["2020-01-01", "2020-06-01", "2021-01-01", "2021-07-01", "2022-01-01", "2023-06-01"]
        rng = random.Random(3)

        def matrix_path(i: int) -> str:
            return f"/api/matrix?as_of={dates[i % len(dates)]}"

        def statements_path(i: int) -> str:
            kind = i % 5
            if kind == 0:
                return f"/api/statements?party={rng.choice(parties)}&limit=50"
            if kind == 1:
                return f"/api/statements?party={rng.choice(parties)}&issue={rng.choice(issues)}&limit=50"
            if kind == 2:
                return "/api/statements?since=2021-01-01&until=2021-12-31&limit=50&offset=100"
            if kind == 3:
                return f"/api/statements?issue={rng.choice(issues)}&limit=100&offset={rng.randrange(0, 2000)}"
            return f"/api/statements?party={rng.choice(parties)}&q=island&limit=20"

        results = {}
        for name, fn in (("matrix", matrix_path), ("statements", statements_path)):
            t0 = time.perf_counter()
            times = asyncio.run(drive(base, fn, args.requests, args.concurrency))
            wall = time.perf_counter() - t0
            results[name] = {"n": len(times), "p50_ms": round(percentile(times, 50), 2),
                             "p95_ms": round(percentile(times, 95), 2), "p99_ms": round(percentile(times, 99), 2),
                             "mean_ms": round(statistics.fmean(times), 2), "rps": round(len(times) / wall, 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    meta = {"db": args.db, "statements": args.statements, "concurrency": args.concurrency,
            "workers": args.workers, "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps({"meta": meta, "results": results}, indent=2))
    else:
        print(f"{args.db}, {args.statements} statements, {args.concurrency} concurrent clients, "
              f"{args.workers} server worker(s), {os.cpu_count()} CPUs")
        for name, r in results.items():
            print(f"  {name:<11} p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
                  f"p99 {r['p99_ms']:7.2f} ms  ({r['rps']} req/s, n={r['n']})")
    if args.db == "sqlite" and any(r["p95_ms"] >= 50 for r in results.values()):
        print("FAIL: p95 >= 50 ms on SQLite", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

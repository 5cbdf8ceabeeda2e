"""API latency against bare SQL: p95 of the matrix and statements endpoints, and the ratio.

    .venv/bin/python benchmarks/api_latency.py [--statements 100000] [--db sqlite,postgresql]
        [--concurrency 1,8] [--requests 2000] [--workers 1] [--profile tests/fixtures/profiles/toy] [--json]

For each database (SQLite, PostgreSQL) it loads N statements (default 100k, 100 per document)
into a fresh database, starts ``redline serve``'s app with uvicorn in a *separate process* on
127.0.0.1, and for each concurrency C drives it with C keep-alive clients (asyncio + httpx).
Beside every API run it runs the **baseline**: the bare SQL that fetches the same page straight
from the database -- same filters, same page size and offset, same order -- through the driver
the app uses (sqlite3 / psycopg 3), from C threads with one connection each, over the same
request sequence. The headline figure is API p95 / bare-SQL p95.

* statements: the page query of ``/api/statements`` (party / issue / date / FTS text filters,
  newest first, LIMIT/OFFSET). The API also counts the total when the page is not the last one
  (memoised per connection on SQLite); the baseline fetches the page only.
* matrix: the positions in force on ``as_of`` (``positions`` table, curated, since <= as_of).
  The API builds the matrix from the profile in memory (and caches it), so its ratio shows what
  serving costs over reading the same rows.

PostgreSQL: ``$REDLINE_TEST_POSTGRES_URL``, else ``bash .ci/postgres.sh`` is run to start one;
if that fails, PostgreSQL is skipped with a printed line. Exits 1 when an API p95 on SQLite is
50 ms or more (the old budget); the ratios are figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "tests" / "fixtures" / "profiles" / "toy"
SQLITE_P95_BUDGET_MS = 50.0
WARMUP = 20
COLUMNS = ("party, issue, polarity, option, act, red_line, speaker, quote, confidence, document_id, "
           "date, url")
LISTING_KEY_SPAN = 2 ** 40  # redline.store.schema.LISTING_KEY_SPAN: FTS5 rowid = day * span + id


# --- data ------------------------------------------------------------------------------------

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
    print(f"  loaded {total} statements in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    store.close()


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# --- the request sequence: one list of specs, turned into both an API path and bare SQL -------

DATES = ["2020-01-01", "2020-06-01", "2021-01-01", "2021-07-01", "2022-01-01", "2023-06-01"]


def matrix_specs(n: int) -> list[dict[str, Any]]:
    return [{"as_of": DATES[i % len(DATES)]} for i in range(n)]


def statements_specs(n: int, parties: list[str], issues: list[str]) -> list[dict[str, Any]]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            spec = {"party": rng.choice(parties), "limit": 50}
        elif kind == 1:
            spec = {"party": rng.choice(parties), "issue": rng.choice(issues), "limit": 50}
        elif kind == 2:
            spec = {"since": "2021-01-01", "until": "2021-12-31", "limit": 50, "offset": 100}
        elif kind == 3:
            spec = {"issue": rng.choice(issues), "limit": 100, "offset": rng.randrange(0, 2000)}
        else:
            spec = {"party": rng.choice(parties), "q": "island", "limit": 20}
        out.append(spec)
    return out


def api_path(endpoint: str, spec: dict[str, Any]) -> str:
    return f"/api/{endpoint}?" + "&".join(f"{k}={v}" for k, v in spec.items())


class BareSQL:
    """The SQL each spec stands for, in the dialect's parameter style."""

    def __init__(self, dialect: str, profile_id: str) -> None:
        self.dialect, self.profile_id = dialect, profile_id
        self.ph = "?" if dialect == "sqlite" else "%s"

    def matrix(self, spec: dict[str, Any]) -> tuple[str, list[Any]]:
        p = self.ph
        return (f"SELECT data FROM positions WHERE profile_id = {p} AND origin = 'curated' AND since <= {p} "
                "ORDER BY origin, ord, id", [self.profile_id, dt.date.fromisoformat(spec["as_of"])])

    def statements(self, spec: dict[str, Any]) -> tuple[str, list[Any]]:
        from redline.store import search

        p = self.ph
        where, params = [], []
        for col, op in (("party", "="), ("issue", "="), ("since", ">="), ("until", "<=")):
            if col in spec:
                value = spec[col]
                if col in ("since", "until"):
                    value = dt.date.fromisoformat(value)
                where.append(f"statements.{'date' if col in ('since', 'until') else col} {op} {p}")
                params.append(value)
        order = "statements.date DESC NULLS LAST, statements.id DESC"
        src = "statements"
        if "q" in spec:
            found = search.parse(spec["q"])
            if self.dialect == "sqlite":
                # The FTS5 index holds party/issue too; read it backwards by rowid (listing order).
                src = f"statements_fts JOIN statements ON statements.id = statements_fts.rowid % {LISTING_KEY_SPAN}"
                where.insert(0, f"statements_fts MATCH {p}")
                params.insert(0, search.fts5_match(found, party=spec.get("party"), issue=spec.get("issue")))
                order = "statements_fts.rowid DESC"
            else:
                q = f"to_tsquery('simple', {p})"
                where.append(f"(to_tsvector('simple', statements.quote) @@ {q} "
                             f"OR to_tsvector('simple', statements.speaker) @@ {q})")
                params += [search.tsquery_lexeme(found.tail)] * 2
        cols = ", ".join(f"statements.{c.strip()}" for c in COLUMNS.split(","))
        sql = f"SELECT {cols} FROM {src}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order} LIMIT {p} OFFSET {p}"
        return sql, params + [spec.get("limit", 50), spec.get("offset", 0)]


# --- drivers ---------------------------------------------------------------------------------

async def drive_api(base: str, paths: list[str], concurrency: int) -> list[float]:
    import httpx

    times: list[float] = []
    queue = list(reversed(paths))
    errors = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            path = queue.pop()
            t = time.perf_counter()
            r = await client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for path in paths[:WARMUP]:
            await client.get(path)
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    if errors:
        raise SystemExit(f"{errors} API requests failed")
    return times


def connector(dialect: str, target: str) -> Callable[[], Any]:
    if dialect == "sqlite":
        import sqlite3

        def connect() -> Any:
            # As redline.store.db sets up its SQLite connections (WAL is a property of the file).
            c = sqlite3.connect(target, timeout=30, check_same_thread=False, isolation_level=None)
            c.execute("PRAGMA busy_timeout=30000")
            c.execute("PRAGMA foreign_keys=ON")
            return c
        return connect
    import psycopg

    return lambda: psycopg.connect(target, autocommit=True)


def drive_bare(connect: Callable[[], Any], queries: list[tuple[str, list[Any]]], concurrency: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()
    queue = list(reversed(queries))
    conns = [connect() for _ in range(concurrency)]
    for sql, params in queries[:WARMUP]:
        conns[0].execute(sql, params).fetchall()
    start = threading.Barrier(concurrency)

    def worker(conn: Any) -> None:
        start.wait()
        while True:
            with lock:
                if not queue:
                    return
                sql, params = queue.pop()
            t = time.perf_counter()
            conn.execute(sql, params).fetchall()
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                times.append(elapsed)

    threads = [threading.Thread(target=worker, args=(c,)) for c in conns]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for c in conns:
        c.close()
    if len(times) != len(queries):
        raise SystemExit("bare SQL run failed")
    return times


def check_same_page(base: str, connect: Callable[[], Any], specs: list[dict[str, Any]], bare: BareSQL) -> None:
    """The baseline must fetch what the API returns: compare one request of each kind."""
    import httpx

    conn = connect()
    try:
        for spec in specs[:5]:
            api = httpx.get(base + api_path("statements", spec), timeout=60).json()["items"]
            rows = conn.execute(*bare.statements(spec)).fetchall()
            a = [(i["party"], i["issue"], i["quote"]) for i in api]
            b = [(r[0], r[1], r[7]) for r in rows]
            if a != b:
                raise SystemExit(f"bare SQL does not fetch the API's page for {spec}: "
                                 f"{len(a)} vs {len(b)} rows, first {a[:1]} vs {b[:1]}")
    finally:
        conn.close()


def summary(times: list[float], wall: float) -> dict[str, float]:
    return {"n": len(times), "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
            "p99_ms": round(percentile(times, 99), 2), "mean_ms": round(statistics.fmean(times), 2),
            "rps": round(len(times) / wall, 1)}


# --- databases -------------------------------------------------------------------------------

def postgres_admin_url() -> str | None:
    url = os.environ.get("REDLINE_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        out = subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh")], capture_output=True, text=True,
                             timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"PostgreSQL skipped: .ci/postgres.sh did not run ({exc})")
        return None
    for line in out.stdout.splitlines():
        if line.startswith("export REDLINE_TEST_POSTGRES_URL="):
            return line.split("=", 1)[1].strip().strip("'\"")
    tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"PostgreSQL skipped: .ci/postgres.sh could not start a server (exit {out.returncode}: {tail})")
    return None


def bench_db(db: str, args: argparse.Namespace, tmp: str) -> dict[str, Any] | None:
    if db == "sqlite":
        path = str(Path(tmp) / "bench.sqlite3")
        return measure(db, args, path, path)
    admin_url = postgres_admin_url()
    if admin_url is None:
        return None
    import psycopg

    name = f"redline_bench_{os.getpid()}"
    try:
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: cannot create a database at {admin_url.split('@')[-1]} ({exc})")
        return None
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        return measure(db, args, url, url)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as c:  # one database per run would pile up
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(db: str, args: argparse.Namespace, url: str, driver_target: str) -> dict[str, Any]:
    print(f"{db}: loading {args.statements} statements", file=sys.stderr)
    load(url, args.statements, args.profile)
    if db == "postgresql":
        import psycopg

        with psycopg.connect(driver_target, autocommit=True) as c:
            c.execute("VACUUM ANALYZE")  # as a database that has been up a while would be

    from redline.profile import load_profile

    prof = load_profile(args.profile)
    parties, issues = list(prof.parties), list(prof.issues)
    bare = BareSQL(db, prof.id)
    connect = connector(db, driver_target)
    specs = {"matrix": matrix_specs(args.requests),
             "statements": statements_specs(args.requests, parties, issues)}

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, REDLINE_DATABASE_URL=url, REDLINE_PROFILE=args.profile)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "redline.web.app:app_from_env", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                               "--log-level", "warning", "--no-access-log"], env=env)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
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
        check_same_page(base, connect, specs["statements"], bare)
        for c in args.concurrency:
            for endpoint in ("matrix", "statements"):
                print(f"  {db} c={c} {endpoint}", file=sys.stderr)
                paths = [api_path(endpoint, s) for s in specs[endpoint]]
                queries = [getattr(bare, endpoint)(s) for s in specs[endpoint]]
                t0 = time.perf_counter()
                api = summary(asyncio.run(drive_api(base, paths, c)), time.perf_counter() - t0)
                t0 = time.perf_counter()
                sql = summary(drive_bare(connect, queries, c), time.perf_counter() - t0)
                results[f"{endpoint}@{c}"] = {"endpoint": endpoint, "concurrency": c, "api": api, "sql": sql,
                                             "ratio_p95": round(api["p95_ms"] / max(sql["p95_ms"], 1e-3), 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def parse_list(value: str, allowed: tuple[str, ...] | None = None) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    if allowed:
        bad = [v for v in items if v not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {bad}; choose from {', '.join(allowed)}")
    return items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--db", type=lambda v: parse_list(v, ("sqlite", "postgresql")), default=["sqlite", "postgresql"],
                    help="comma-separated: sqlite,postgresql (default both)")
    ap.add_argument("--concurrency", type=lambda v: [int(x) for x in parse_list(v)], default=[1, 8],
                    help="comma-separated client counts (default 1,8)")
    ap.add_argument("--requests", type=int, default=2000, help="requests per endpoint and concurrency")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--profile", default=str(TOY))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    t_start = time.perf_counter()
    all_results: dict[str, Any] = {}
    tmp = tempfile.mkdtemp(prefix="redline-bench-")
    try:
        for db in args.db:
            res = bench_db(db, args, tmp)
            if res is not None:
                all_results[db] = res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the database file (tens of MB a run)
    meta = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "statements": args.statements,
            "requests": args.requests, "concurrency": args.concurrency, "workers": args.workers,
            "cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            "seconds": round(time.perf_counter() - t_start)}
    if args.json:
        print(json.dumps({"meta": meta, "results": all_results}, indent=2))
    else:
        print(f"{meta['date']}: {args.statements} statements, {args.requests} requests per cell, "
              f"{args.workers} server worker(s), {meta['cpus']} CPUs ({meta['machine']}, Python {meta['python']}), "
              f"run took {meta['seconds']} s")
        print("baseline: the bare SQL for the same page (same filters, page size, order) through the same driver "
              "at the same concurrency")
        print(f"{'db':<11} {'endpoint':<11} {'clients':>7} {'API p50':>9} {'API p95':>9} {'SQL p50':>9} "
              f"{'SQL p95':>9} {'p95 ratio':>10}")
        for db, res in all_results.items():
            for r in res.values():
                print(f"{db:<11} {r['endpoint']:<11} {r['concurrency']:>7} {r['api']['p50_ms']:>6.2f} ms "
                      f"{r['api']['p95_ms']:>6.2f} ms {r['sql']['p50_ms']:>6.2f} ms {r['sql']['p95_ms']:>6.2f} ms "
                      f"{r['ratio_p95']:>9.1f}x")
    slow = [r for r in all_results.get("sqlite", {}).values() if r["api"]["p95_ms"] >= SQLITE_P95_BUDGET_MS]
    if slow:
        print(f"FAIL: API p95 >= {SQLITE_P95_BUDGET_MS:.0f} ms on SQLite at "
              + ", ".join(f"{r['endpoint']} x{r['concurrency']}" for r in slow), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

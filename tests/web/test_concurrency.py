"""Eight writers at once through the HTTP API lose no rows (SQLite and PostgreSQL).

A real uvicorn server on loopback, eight client threads each posting documents and statements
and saving plans; afterwards every row is there, exactly once.
"""

from __future__ import annotations

import threading

import httpx

from webtest_util import ServerThread, auth

WRITERS = 8
DOCS_EACH = 6
STATEMENTS_EACH = 3


def test_eight_concurrent_writers_lose_nothing(app):
    store = app.state.backend.store
    secret = store.create_token("writers")
    errors: list[str] = []
    start = threading.Barrier(WRITERS)

    def writer(w: int, base: str) -> None:
        with httpx.Client(base_url=base, headers=auth(secret), timeout=60) as c:
            start.wait()
            for d in range(DOCS_EACH):
                doc_id = f"w{w}-d{d}"
                r = c.post("/api/documents", params={"extract": "false"},
                           json=[{"id": doc_id, "text": f"Writer {w} document {d}: talk now."}])
                if r.status_code != 201 or r.json()["stored"] != [doc_id]:
                    errors.append(f"{doc_id}: {r.status_code} {r.text[:200]}")
                    continue
                sts = [{"party": "MED", "issue": "talks", "polarity": "for", "quote": f"w{w} d{d} s{s}"}
                       for s in range(STATEMENTS_EACH)]
                r = c.post(f"/api/documents/{doc_id}/statements", json=sts)
                if r.status_code != 201:
                    errors.append(f"{doc_id} statements: {r.status_code} {r.text[:200]}")
            plan = {"id": f"writer-{w}", "title": f"Writer {w}", "date": "2022-01-01", "proposers": ["MED"],
                    "sources": [{"url": "https://example.org/w"}],
                    "provisions": [{"number": "1", "text": "Talks.", "issue": "talks", "option": "for"}]}
            r = c.post("/api/plans", json=plan)
            if r.status_code != 201:
                errors.append(f"plan {w}: {r.status_code} {r.text[:200]}")

    with ServerThread(app) as srv:
        threads = [threading.Thread(target=writer, args=(w, srv.url)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    assert errors == []
    docs, total = store.documents(limit=1000)
    assert total == WRITERS * DOCS_EACH
    assert {d.id for d in docs} == {f"w{w}-d{d}" for w in range(WRITERS) for d in range(DOCS_EACH)}
    sts = store.all_statements(party="MED")
    quotes = sorted(s.quote for s in sts)
    assert quotes == sorted(f"w{w} d{d} s{s}" for w in range(WRITERS) for d in range(DOCS_EACH)
                            for s in range(STATEMENTS_EACH))
    saved = {p.id for p in store.plans("toy")}
    assert {f"writer-{w}" for w in range(WRITERS)} <= saved


def _plan(plan_id: str, title: str) -> dict:
    return {"id": plan_id, "title": title, "date": "2022-01-01", "proposers": ["MED"],
            "sources": [{"url": "https://example.org/w"}],
            "provisions": [{"number": "1", "text": "Talks.", "issue": "talks", "option": "for"}]}


def _at_once(base: str, secret: str, requests: list[tuple[str, str, dict | None]]) -> list[int]:
    """Send the requests from one thread each, released together; their status codes."""
    codes: list[int] = [0] * len(requests)
    start = threading.Barrier(len(requests))

    def send(i: int) -> None:
        method, path, body = requests[i]
        with httpx.Client(base_url=base, headers=auth(secret), timeout=60) as c:
            start.wait()
            codes[i] = c.request(method, path, json=body).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


def test_concurrent_posts_of_one_plan_id_have_exactly_one_201(app):
    """POST never replaces: of many clients creating the same id at once, one is told 201 and
    its plan is the one stored; every other client is told 409."""
    secret = app.state.backend.store.create_token("racers")
    with ServerThread(app) as srv:
        for r in range(3):
            plan_id = f"race-{r}"
            codes = _at_once(srv.url, secret, [("POST", "/api/plans", _plan(plan_id, f"writer {w}"))
                                               for w in range(WRITERS * 2)])
            assert sorted(codes) == [201] + [409] * (WRITERS * 2 - 1), codes
            title = httpx.get(f"{srv.url}/api/plans/{plan_id}").json()["title"]
            assert title == f"writer {codes.index(201)}"


def test_a_put_racing_a_delete_never_brings_the_plan_back(app):
    """DELETE and PUT of a saved plan at once: whichever order they take, the plan is gone
    afterwards (PUT never creates), and the DELETE answers 204."""
    secret = app.state.backend.store.create_token("racers")
    plan = _plan("contested", "Contested")
    with ServerThread(app) as srv:
        for _ in range(12):
            assert httpx.post(f"{srv.url}/api/plans", json=plan, headers=auth(secret)).status_code == 201
            deleted, put = _at_once(srv.url, secret, [("DELETE", "/api/plans/contested", None),
                                                      ("PUT", "/api/plans/contested", plan)])
            after = httpx.get(f"{srv.url}/api/plans/contested").status_code
            assert (deleted, after) == (204, 404), (deleted, put, after)
            assert put in (200, 404), put


BARGAIN_DATES = ["2024-05-01", "2024-08-01", "2024-11-01", "2025-02-01", "2025-04-01", "2025-06-15"]


def test_concurrent_bargains_each_get_their_own_answer():
    """Anonymous GET /api/bargain from several clients at once (different dates, so no cache
    answers) on a real `redline serve`: every client gets 200 and exactly the document the same
    request gets alone, and the server is still up afterwards (it used to segfault, or answer
    one of two clients 400 "HiGHS stopped without an optimum")."""
    import subprocess
    import sys

    from fastapi.testclient import TestClient

    from conftest import make_app
    from webtest_util import free_port, wait_until_serving

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "redline", "serve", "--port", str(port), "--no-db",
                             "--profile", "russia-ukraine", "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_serving(proc, f"{base}/api/profiles")
        answers: dict[str, object] = {}
        start = threading.Barrier(len(BARGAIN_DATES))

        def client(as_of: str) -> None:
            start.wait(timeout=60)
            try:
                r = httpx.get(f"{base}/api/bargain", params={"as_of": as_of}, timeout=300)
                answers[as_of] = r.json() if r.status_code == 200 else f"{r.status_code} {r.text[:300]}"
            except httpx.HTTPError as e:
                answers[as_of] = f"no answer: {e!r}"

        threads = [threading.Thread(target=client, args=(d,)) for d in BARGAIN_DATES]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        alive = proc.poll() is None and httpx.get(f"{base}/api/profiles", timeout=10).status_code == 200
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert alive, f"the server died (exit {proc.returncode}): {out[-2000:]}"
    alone = TestClient(make_app(None, profile="russia-ukraine"))
    wrong = {}
    for as_of in BARGAIN_DATES:
        expected = alone.get("/api/bargain", params={"as_of": as_of})
        assert expected.status_code == 200, expected.text
        if answers.get(as_of) != expected.json():
            got = answers.get(as_of)
            wrong[as_of] = got if isinstance(got, str) else "a different document"
    assert wrong == {}

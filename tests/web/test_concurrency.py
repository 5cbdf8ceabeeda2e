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

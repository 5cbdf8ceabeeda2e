"""Hostile and malformed requests to the REST API (audit h2, defects 3, 4, 7 and 8).

* A body over the size limit gets 413 and stores nothing, even when its first bytes are a
  complete write (chunked, so the limit is only found while reading).
* Unpaired surrogates in any string of any write body are refused with 422 naming the field,
  never a 500 from the database's encoder.
* Dates are YYYY-MM-DD text, in query parameters and bodies alike: a number is not a Unix time.
* An upload answers one item per file, in upload order, skipped files included.

Each test runs on SQLite and PostgreSQL (the ``client`` fixture).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import types
import typing
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from webtest_util import auth

SURROGATE = "\udfff"
SAFE_PLAN_ID = "hostile-plan"
STATEMENT = {"party": "NOR", "issue": "river.access", "polarity": "for", "quote": "access or nothing"}


def post_json(client, url: str, body: Any, token: str, method: str = "POST"):
    """JSON with ``\\uXXXX`` escapes, as a client sends a lone surrogate (it cannot be UTF-8)."""
    return client.request(method, url, content=json.dumps(body),
                          headers={**auth(token), "content-type": "application/json"})


def a_plan(client, plan_id: str = SAFE_PLAN_ID) -> dict:
    plan = client.get("/api/plans/mediator-draft").json()
    plan["id"] = plan_id
    return plan


def document_count(client) -> int:
    return client.get("/api/documents", params={"limit": 1}).json()["total"]


def stored_state(client, document_id: str) -> tuple:
    """What a write could have changed: the documents, the saved plan, the document's statements."""
    plans = client.get(f"/api/plans/{SAFE_PLAN_ID}").status_code
    statements = len(client.get(f"/api/documents/{document_id}").json()["statements"])
    return document_count(client), plans, statements


@pytest.fixture
def target(client, token) -> str:
    """A stored document to add statements to."""
    r = post_json(client, "/api/documents?extract=false", [{"id": "target-doc", "text": "Northland PM spoke."}], token)
    assert r.status_code == 201, r.text
    return "target-doc"


# --- defect 3: 413 means nothing was stored ----------------------------------------------------

def _chunked(first: bytes, total: int):
    """``first``, then JSON whitespace in 64 KiB chunks up to ``total`` bytes."""
    yield first
    sent = len(first)
    while sent < total:
        yield b" " * 65536
        sent += 65536


def _post_chunked(url: str, path: str, body, headers: dict[str, str]) -> int:
    """POST ``body`` (an iterator of chunks) with Transfer-Encoding: chunked to a real server: the
    test client would join the chunks into one, so the limit would be seen at once."""
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    try:
        conn.request("POST", path, body=body, encode_chunked=True,
                     headers={**headers, "Transfer-Encoding": "chunked"})
        return conn.getresponse().status
    finally:
        conn.close()


def test_oversized_chunked_bodies_store_nothing(app, client, token, target):
    """A complete write followed by whitespace past the limit, sent chunked (no Content-Length):
    the answer is 413, and the document, the plan, the statement and the first uploaded file
    (complete before the second one passes the upload limit) are not stored."""
    from webtest_util import ServerThread

    before = stored_state(client, target)
    headers = {**auth(token), "content-type": "application/json"}
    doc = json.dumps([{"id": "over-limit", "text": "Stored although refused?"}]).encode()
    plan = json.dumps(a_plan(client)).encode()
    statement = json.dumps([STATEMENT]).encode()
    boundary = "XBOUNDARYX"
    small = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"small.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\nSouthland PM: the river is ours.\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\n").encode()

    def upload():
        yield small
        for i in range(180):  # 180 x 64 KiB: past the 10 MB upload limit
            yield (b"line %d " % i).ljust(65535, b"x") + b"\n"
        yield f"\r\n--{boundary}--\r\n".encode()

    big = 3 * 1024 * 1024
    with ServerThread(app) as srv:
        assert _post_chunked(srv.url, "/api/documents?extract=false", _chunked(doc, big), headers) == 413
        assert _post_chunked(srv.url, "/api/plans", _chunked(plan, big), headers) == 413
        assert _post_chunked(srv.url, f"/api/documents/{target}/statements", _chunked(statement, big),
                             headers) == 413
        assert _post_chunked(srv.url, "/api/documents/upload?extract=false", upload(),
                             {**auth(token), "content-type": f"multipart/form-data; boundary={boundary}"}) == 413
        assert stored_state(client, target) == before
        assert client.get("/api/documents", params={"q": "Southland"}).json()["total"] == 0
        # the same body within the limit is stored: the 413 above was the size, nothing else
        assert _post_chunked(srv.url, "/api/documents?extract=false", _chunked(doc, 1024), headers) == 201


# --- defect 4: lone surrogates are 422 naming the field, in every string of every write ------------

def _string_paths(tp: Any, path: tuple = ()) -> typing.Iterator[tuple]:
    """The path of every string a body of type ``tp`` can hold (model fields by their JSON name,
    ``0`` for a list's items, ``"k"`` for a dict's values, ``("k", "key")`` for a dict key)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        yield from _string_paths(args[0], path)
    elif origin in (typing.Union, types.UnionType):
        for a in args:
            if a is not type(None):
                yield from _string_paths(a, path)
    elif tp is str:
        yield path
    elif isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            yield from _string_paths(f.annotation, (*path, f.alias or name))
    elif origin is list:
        yield from _string_paths(args[0], (*path, 0))
    elif origin is dict:
        yield (*path, ("k", "key"))
        yield from _string_paths(args[1], (*path, "k"))


def _put(body: Any, path: tuple, value: str) -> Any:
    """A copy of ``body`` with ``value`` at ``path``, creating what is missing on the way."""
    body = copy.deepcopy(body)
    node = body
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(step, tuple):  # a dict key
            node[value] = 1.0
            return body
        nxt = None if last else path[i + 1]
        if isinstance(step, int):
            while len(node) <= step:
                node.append({} if not isinstance(nxt, int) else [])
        elif step not in node or node[step] is None or (isinstance(node[step], list) and not last
                                                          and not isinstance(nxt, int)):
            node[step] = [] if isinstance(nxt, int) else {}
        if last:
            node[step] = value
        else:
            node = node[step]
    return body


def _write_bodies(client, document_id: str) -> list[tuple[str, str, type, Any, bool]]:
    """(method, url, model, valid body, body is a list) for every JSON write."""
    from redline.model import Plan, Statement
    from redline.web.api import DocumentIn

    plan = a_plan(client)
    return [
        ("POST", "/api/documents?extract=false", DocumentIn, {"id": "s-doc", "text": "A new text."}, True),
        ("POST", f"/api/documents/{document_id}/statements", Statement, STATEMENT, True),
        ("POST", "/api/plans", Plan, plan, False),
        ("PUT", f"/api/plans/{SAFE_PLAN_ID}", Plan, plan, False),
    ]


def test_lone_surrogates_are_refused_in_every_string_field(client, token, target):
    """Every string field of every write body (nested ones, list items and dict keys too): a lone
    surrogate there answers 422 whose message names the field, and nothing is stored."""
    before = stored_state(client, target)
    checked = 0
    for method, url, model, valid, as_list in _write_bodies(client, target):
        paths = list(_string_paths(model))
        assert paths, model
        for path in paths:
            body = _put(valid, path, f"x{SURROGATE}")
            r = post_json(client, url, [body] if as_list else body, token, method)
            assert r.status_code == 422, (method, url, path, r.status_code, r.text[:300])
            detail = r.json()["detail"]
            named = ".".join(str(p) for p in path if not isinstance(p, tuple))
            assert named in detail and "surrogate" in detail, (path, detail)
            checked += 1
    assert checked > 40  # the walk reached the nested fields of plans
    assert stored_state(client, target) == before


# --- defect 7: dates are YYYY-MM-DD, never a Unix time -------------------------------------------

def _date_query_params(client) -> list[tuple[str, str]]:
    """(path, parameter) for every GET parameter the schema declares as a date."""
    out = []
    for path, ops in client.get("/openapi.json").json()["paths"].items():
        op = ops.get("get")
        for p in (op or {}).get("parameters", []):
            schemas = [p["schema"], *p["schema"].get("anyOf", [])]
            if p["in"] == "query" and any(s.get("format") == "date" for s in schemas):
                out.append((path, p["name"]))
    return out


def test_integer_dates_in_query_parameters_are_refused(client):
    """as_of=0 is not 1970-01-01: every date parameter answers 422 asking for YYYY-MM-DD."""
    params = _date_query_params(client)
    assert {name for _, name in params} >= {"as_of", "since", "until"}
    for path, name in params:
        url = path.replace("{plan_id}", "mediator-draft")
        extra = {"plan": "mediator-draft"} if path == "/api/assess" else {}
        extra |= {"a": "mediator-draft", "b": "mediator-draft"} if path == "/api/compare" else {}
        for bad in ("0", "1718323200", "2024"):
            r = client.get(url, params={**extra, name: bad})
            assert r.status_code == 422, (path, name, bad, r.text[:200])
            assert "YYYY-MM-DD" in r.json()["detail"], r.json()
        good = client.get(url, params={**extra, name: "2021-06-01"})
        assert good.status_code in (200, 404), (path, name, good.text[:200])  # 404: nothing on that date


def test_integer_dates_in_bodies_are_refused(client, token, target):
    """A document, statement or plan (its own date or a source's) dated 0 is refused with 422
    naming the field; nothing is stored. The same body with an ISO date is stored."""
    before = stored_state(client, target)
    plan = a_plan(client)
    cases = [
        ("/api/documents?extract=false", [{"id": "dated", "text": "Dated text.", "date": 0}], "date"),
        (f"/api/documents/{target}/statements", [{**STATEMENT, "date": 0}], "date"),
        ("/api/plans", {**plan, "date": 1718323200}, "date"),
        ("/api/plans", {**plan, "sources": [{**plan["sources"][0], "date": 0}]}, "sources.0.date"),
    ]
    for url, body, field in cases:
        r = post_json(client, url, body, token)
        assert r.status_code == 422, (url, r.text[:300])
        detail = r.json()["detail"]
        assert field in detail and "YYYY-MM-DD" in detail, detail
    assert stored_state(client, target) == before
    r = post_json(client, "/api/documents?extract=false", [{"id": "dated", "text": "Dated text.",
                                                            "date": "2021-06-01"}], token)
    assert r.status_code == 201 and client.get("/api/documents/dated").json()["document"]["date"] == "2021-06-01"
    r = post_json(client, "/api/plans", {**plan, "date": "2021-06-01"}, token)
    assert r.status_code == 201 and r.json()["date"] == "2021-06-01"
    assert dt.date.fromisoformat(client.get(f"/api/plans/{SAFE_PLAN_ID}").json()["date"]) == dt.date(2021, 6, 1)


# --- defect 8: one upload item per file ---------------------------------------------------------

UPLOADS = [
    ("good.txt", b"Northland PM: access or nothing.", "stored"),
    ("latin.txt", "Caf\u00e9 talks resume.".encode("cp1252"), "skipped"),
    ("empty.txt", b"", "skipped"),
    ("memo.html", b"<html><body><p>Southland FM: the island can be shared.</p></body></html>", "stored"),
    ("x.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "skipped"),
    ("again.txt", b"Northland PM: access or nothing.", "duplicate"),
]


@pytest.mark.parametrize("chosen", [slice(None), slice(1, 3), slice(4, 5)], ids=["mixed", "all-skipped", "one"])
def test_upload_answers_one_item_per_file_in_order(client, token, chosen):
    """Each uploaded file has its item, in upload order, skipped ones with the reader's reason;
    the item's index is the file's position."""
    files = UPLOADS[chosen]
    r = client.post("/api/documents/upload", params={"extract": "false"}, headers=auth(token),
                    files=[("files", (name, data, "application/octet-stream")) for name, data, _ in files])
    assert r.status_code in (200, 201), r.text
    out = r.json()
    assert [(it["index"], it["source"].rsplit("/", 1)[-1], it["status"]) for it in out["items"]] == [
        (i, name, status) for i, (name, _, status) in enumerate(files)]
    skipped = [it for it in out["items"] if it["status"] == "skipped"]
    assert all(it["reason"] for it in skipped)
    assert {(s["source"], s["reason"]) for s in out["skipped"]} == {(it["source"], it["reason"]) for it in skipped}
    for it in out["items"]:
        if it["status"] == "stored":
            assert client.get(f"/api/documents/{it['id']}").status_code == 200

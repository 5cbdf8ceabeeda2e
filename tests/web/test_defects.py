"""Regression tests for the defects of issue #15, against the real app and a real database.

Each test names the defect it guards against; each runs on SQLite and PostgreSQL where a
database is involved.
"""

from __future__ import annotations

import datetime as dt

import pytest

from webtest_util import TEST_HOSTS, TOY, auth

ERROR_KEYS = {"status", "error", "detail", "errors"}


def _is_error(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) == ERROR_KEYS and body["status"] == status and body["detail"], body
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    return body


# --- one error shape, every status --------------------------------------------------------------

def test_every_error_has_one_shape_and_the_headers(client, token):
    """404, 422, 401, 409, 413, 400 (Host) all answer ErrorBody with the security headers."""
    assert "did you mean" in _is_error(client.get("/api/plans/mediator-drft"), 404)["detail"]
    body = _is_error(client.get("/api/statements", params={"limit": 0}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]
    _is_error(client.post("/api/plans", json={}), 401)
    plan = client.get("/api/plans/mediator-draft").json()
    _is_error(client.post("/api/plans", json=plan, headers=auth(token)), 409)
    _is_error(client.post("/api/documents", json=[{"text": "x" * (3 * 1024 * 1024)}], headers=auth(token)), 413)
    _is_error(client.get("/api/matrix", headers={"host": "attacker.example"}), 400)


def test_503_without_a_database():
    from fastapi.testclient import TestClient

    from redline.web import create_app

    client = TestClient(create_app(str(TOY), use_database=False, allowed_hosts=TEST_HOSTS))
    assert "without a database" in _is_error(client.get("/api/statements"), 503)["detail"]


def test_500_has_the_shape_and_the_security_headers():
    """A bug's 500 must not lose the CSP (Starlette's own 500 handler sits outside middleware)."""
    from fastapi.testclient import TestClient

    from redline.web import create_app

    app = create_app(str(TOY), use_database=False, allowed_hosts=TEST_HOSTS)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    r = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    body = _is_error(r, 500)
    assert "secret internals" not in r.text and "logged" in body["detail"]


def test_errors_are_documented_in_openapi(client):
    """Every status an endpoint can answer is in the schema, with the one error schema."""
    schema = client.get("/openapi.json").json()
    ops = schema["paths"]
    for path, methods in ops.items():
        for method, op in methods.items():
            codes = set(op["responses"])
            assert {"400", "404", "413", "422", "503"} <= codes, (method, path, codes)
            if op.get("security"):
                assert {"401", "409"} <= codes, (method, path)
            ref = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody"), (path, ref)
    assert set(ops["/api/documents"]["post"]["responses"]) >= {"200", "201"}


# --- Host allow-list ----------------------------------------------------------------------------

def test_host_header_is_checked():
    from fastapi.testclient import TestClient

    from redline.web import create_app
    from redline.web.errors import host_allowed

    app = create_app(str(TOY), use_database=False)  # default: loopback only
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    assert client.get("/api/profiles").status_code == 200
    assert client.get("/api/profiles", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/profiles", headers={"host": "[::1]:8000"}).status_code == 200
    assert "REDLINE_ALLOWED_HOSTS" in _is_error(
        client.get("/api/profiles", headers={"host": "rebind.attacker.example"}), 400)["detail"]
    assert client.get("/matrix", headers={"host": "127.0.0.1.attacker.example"}).status_code == 400
    assert host_allowed("Example.org:443", ["example.org"]) and not host_allowed("example.org", ["localhost"])
    assert host_allowed("anything", ["*"])


def test_settings_read_the_environment_once():
    from redline.services import Settings

    s = Settings.from_env({"REDLINE_ALLOWED_HOSTS": "a.example, b.example", "REDLINE_CACHE_ENTRIES": "7",
                           "REDLINE_WEB_NO_DB": "1"})
    assert s.allowed_hosts == ["a.example", "b.example"] and s.cache_entries == 7 and not s.use_database
    assert Settings.from_env({}).allowed_hosts == ["127.0.0.1", "localhost", "::1"]


# --- bounded cache ------------------------------------------------------------------------------

def test_anonymous_reads_do_not_grow_storage(db_url):
    """200 distinct anonymous GETs: no cache row in the database, the memory cache under its cap."""
    from fastapi.testclient import TestClient

    from redline.services import Settings
    from redline.web import create_app

    settings = Settings(cache_entries=40, cache_bytes=2 * 1024 * 1024)
    app = create_app(str(TOY), database_url=db_url, settings=settings, allowed_hosts=TEST_HOSTS)
    ws = app.state.workspace
    before = ws.store.stats()
    with TestClient(app) as client:
        day = dt.date(2020, 1, 1)
        for k in range(200):
            as_of = (day + dt.timedelta(days=k)).isoformat()
            path, params = [("/api/assess", {"plan": "southern-terms", "as_of": as_of}),
                            ("/api/compare", {"a": "southern-terms", "b": "mediator-draft", "as_of": as_of}),
                            ("/api/matrix", {"as_of": as_of}),
                            ("/api/bargain", {"as_of": as_of, "solution": "maxmin"})][k % 4]
            assert client.get(path, params=params).status_code == 200, (path, params)
            stats = ws.cache.stats()
            assert stats["entries"] <= 40 and stats["bytes"] <= 2 * 1024 * 1024
    after = ws.store.stats()
    assert after["cache"] == before["cache"] == 0 and after == before
    assert ws.cache.stats()["entries"] == 40  # full, and evicting
    ws.store.close()


def test_cache_keys_are_canonical(client, app):
    """An omitted as_of and the date it means are one cache entry, and one answer."""
    ws = app.state.workspace
    implicit = client.get("/api/assess", params={"plan": "southern-terms"}).json()
    explicit = client.get("/api/assess", params={"plan": "southern-terms", "as_of": implicit["as_of"]}).json()
    assert implicit == explicit
    assert ws.cache.stats()["entries"] == 1 and ws.cache.stats()["hits"] == 1


# --- as_of has one meaning ------------------------------------------------------------------------

def test_as_of_default_is_the_date_of_what_is_judged(client):
    plans = {p["id"]: p for p in client.get("/api/plans").json()}
    a = client.get("/api/assess", params={"plan": "southern-terms"}).json()
    assert a["as_of"] == plans["southern-terms"]["date"]
    c = client.get("/api/compare", params={"a": "southern-terms", "b": "mediator-draft"}).json()
    assert c["as_of"] == max(plans["southern-terms"]["date"], plans["mediator-draft"]["date"])
    today = dt.date.today().isoformat()
    assert client.get("/api/matrix").json()["as_of"] == today
    assert client.get("/api/bargain", params={"solution": "maxmin"}).json()["as_of"] == today


# --- batch ingest: per-item results -----------------------------------------------------------

def test_a_failing_document_does_not_lose_the_batch(client, app, token):
    """An extractor error on one document (spaCy's E088 on a >1,000,000-character text was one)
    skips that document with the reason; the rest of the batch is stored (201, not 500)."""
    ws = app.state.workspace

    def extractor(docs):
        if any(len(d.text) > 1_000_000 for d in docs):
            raise ValueError("[E088] Text of length 1000001 exceeds maximum of 1000000")
        return [[] for _ in docs]

    ws._extractor = extractor
    body = [{"id": "small-1", "text": "Northland PM: access or nothing."},
            {"id": "huge", "text": "word " * 200_001},
            {"id": "small-2", "text": "Southland President: the island is ours."}]
    r = client.post("/api/documents", json=body, headers=auth(token))
    assert r.status_code == 201, r.text[:300]
    out = r.json()
    assert out["stored"] == ["small-1", "small-2"]
    assert [i["status"] for i in out["items"]] == ["stored", "skipped", "stored"]
    assert "E088" in out["items"][1]["reason"] and out["skipped"][0]["source"] == "huge"
    assert client.get("/api/documents/huge").status_code == 404
    assert client.get("/api/documents/small-2").status_code == 200


@pytest.mark.parametrize("field,value,message", [
    ("date", "0001-01-01", "outside 1900-01-01"),
    ("date", "9999-12-31", "outside 1900-01-01"),
    ("url", "file:///etc/passwd", "not an http(s) link"),
    ("url", "javascript:alert(1)", "not an http(s) link"),
    ("id", "../../etc/passwd", "not a safe id"),
    ("id", "/abs", "not a safe id"),
])
def test_bad_document_fields_are_refused_with_a_message(client, token, field, value, message):
    doc = {"id": "ok-id", "text": "Mediatoria FM: talk now.", field: value}
    body = _is_error(client.post("/api/documents", json=[doc], headers=auth(token)), 422)
    assert message in body["detail"] and body["errors"][0]["loc"][:3] == ["body", 0, field]


def test_statement_dates_and_urls_are_checked(client, seeded, token):
    """A statement dated year 1 would stretch every timeline axis over two millennia."""
    st = {"party": "NOR", "issue": "river.access", "polarity": "for", "quote": "q"}
    for bad, message in (({"date": "0001-01-01"}, "outside"), ({"url": "javascript:x"}, "http(s)")):
        body = _is_error(client.post("/api/documents/art-2/statements", json=[dict(st, **bad)],
                                     headers=auth(token)), 422)
        assert message in body["detail"]
    ok = dict(st, date="2021-06-03", url="https://example.org/x")
    assert client.post("/api/documents/art-2/statements", json=[ok], headers=auth(token)).status_code == 201


# --- ids with slashes; traversal ids stay inside the app ------------------------------------------

def test_document_ids_with_slashes_route_and_link(client, token):
    body = [{"id": "folder/sub/a.txt", "text": "Mediatoria FM: a text in a subfolder."}]
    assert client.post("/api/documents", params={"extract": "false"}, json=body,
                       headers=auth(token)).status_code == 201
    assert client.get("/api/documents/folder/sub/a.txt").json()["document"]["id"] == "folder/sub/a.txt"
    assert client.get("/api/documents/folder%2Fsub%2Fa.txt").status_code == 200
    st = [{"party": "MED", "issue": "talks", "polarity": "for", "quote": "a text"}]
    r = client.post("/api/documents/folder/sub/a.txt/statements", json=st, headers=auth(token))
    assert r.status_code == 201 and r.json()["document_id"] == "folder/sub/a.txt"
    html = client.get("/documents", headers={"accept": "text/html"}).text
    assert 'href="/documents/folder%2Fsub%2Fa.txt"' in html
    page = client.get("/documents/folder%2Fsub%2Fa.txt", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Mediatoria FM: " in page.text and "in a subfolder" in page.text
    stmts = client.get("/statements", params={"party": "MED"}, headers={"accept": "text/html"}).text
    assert 'href="/documents/folder%2Fsub%2Fa.txt"' in stmts


def test_traversal_ids_are_not_links_out_of_the_app(client, app):
    """An id stored by other means (a CLI ingest of odd paths) is escaped into one path segment."""
    from redline.model import Document

    app.state.workspace.store.add_documents([Document(id="../../etc/passwd", text="not a password file")])
    html = client.get("/documents", headers={"accept": "text/html"}).text
    assert 'href="/documents/..%2F..%2Fetc%2Fpasswd"' in html
    assert 'href="/documents/../' not in html and 'href="/etc/passwd"' not in html
    page = client.get("/documents/..%2F..%2Fetc%2Fpasswd", headers={"accept": "text/html"})
    assert page.status_code == 200 and "not a password file" in page.text


# --- precedents on the plan and in the API, with base rates -----------------------------------

def test_assessment_carries_precedents_with_base_rates(shared_dir, monkeypatch):
    """The API and the plan page give what `redline assess` gives: precedents and base rates."""
    from fastapi.testclient import TestClient

    from redline.profile import load_profile
    from redline.services import assess_plan
    from redline.web import create_app

    monkeypatch.setenv("REDLINE_PAX", str(shared_dir / "data" / "pax"))
    client = TestClient(create_app(None, use_database=False, allowed_hosts=TEST_HOSTS))
    a = client.get("/api/assess", params={"plan": "us-28-point-plan"}).json()
    assert a["precedents"]["status"] == "ok" and a["precedents"]["base_rates"]["rows"]
    profile = load_profile()
    lib = assess_plan(profile, profile.plan("us-28-point-plan")).model_dump(mode="json")
    assert a == lib
    html = client.get("/plans/us-28-point-plan", headers={"accept": "text/html"}).text
    assert 'id="base-rates-table"' in html
    first = a["precedents"]["base_rates"]["rows"][0]
    assert (first["label"] or first["id"]) in html


def test_long_document_with_the_real_extractor(tmp_path):
    """The issue's case end to end: a >1,000,000-character document (within the 2 MB body limit)
    in a batch, extracted by the bundled profile's real extractor, does not cost the batch."""
    from fastapi.testclient import TestClient

    from redline.web import create_app

    app = create_app(None, database_url=str(tmp_path / "long.sqlite3"), allowed_hosts=TEST_HOSTS)
    store = app.state.workspace.store
    try:
        secret = store.create_token("long")
        long_text = ("Russia said Ukraine must never join NATO. " * 24_000)[:1_000_001]
        body = [{"id": "long", "text": long_text},
                {"id": "short", "text": "Zelensky said Ukraine will never recognise the occupied territories."}]
        r = TestClient(app).post("/api/documents", json=body, headers=auth(secret))
        assert r.status_code == 201, r.text[:300]
        items = {i["source"]: i for i in r.json()["items"]}
        assert items["short"]["status"] == "stored"
        assert items["long"]["status"] in ("stored", "skipped")  # extracted, or skipped with the reason
        assert items["long"]["status"] == "stored" or items["long"]["reason"]
    finally:
        store.close()


def test_assess_is_the_cli_document(shared_dir, monkeypatch):
    """`redline assess PLAN --format json` and /api/assess?plan=PLAN return the same document."""
    import json

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from redline.cli import app as cli
    from redline.web import create_app

    monkeypatch.setenv("REDLINE_PAX", str(shared_dir / "data" / "pax"))
    client = TestClient(create_app(None, use_database=False, allowed_hosts=TEST_HOSTS))
    for plan in ("us-28-point-plan", "istanbul-2022"):
        r = CliRunner().invoke(cli, ["assess", plan, "--format", "json"])
        assert r.exit_code == 0, r.output
        assert client.get("/api/assess", params={"plan": plan}).json() == json.loads(r.stdout), plan


def test_timeline_is_the_cli_document(client, seeded, db_url):
    """`redline timeline P I --format json` and /api/timeline give the same dated entries."""
    import json

    import typer
    from typer.testing import CliRunner

    from redline.store.cli import register

    cli = typer.Typer()
    register(cli)
    r = CliRunner().invoke(cli, ["timeline", "SOU", "river.access", "--db", db_url, "--profile", str(TOY),
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    api = client.get("/api/timeline", params={"party": "SOU", "issue": "river.access"}).json()
    assert api["entries"] == out["entries"] and api["entries"][0]["quote"] == "the river is ours"
    assert api["undated"] == out["undated"] and api["shift_count"] == out["shifts"]


# --- UI audit 2026-12-07, items 9-11 ------------------------------------------------------------

def test_upload_duplicate_names_the_row_the_table_shows(client, token):
    """Item 9: a file with the same text as an earlier file of the upload names that file by the
    row the upload table shows (1-based upload position, rejected files included) and by its
    ``index``, never by its place among the files that could be read."""
    files = [("files", ("a-bad.txt", "caf\u00e9 talks".encode("cp1252"), "text/plain")),
             ("files", ("b-first.txt", b"Northland PM: access or nothing.", "text/plain")),
             ("files", ("c-second.txt", b"Southland President: the island is ours.", "text/plain")),
             ("files", ("d-copy-of-c.txt", b"Southland President: the island is ours.", "text/plain"))]
    r = client.post("/api/documents/upload", params={"extract": "false"}, files=files, headers=auth(token))
    assert r.status_code == 201, r.text[:300]
    items = r.json()["items"]
    assert [(i["index"], i["source"], i["status"]) for i in items] == [
        (0, "a-bad.txt", "skipped"), (1, "b-first.txt", "stored"), (2, "c-second.txt", "stored"),
        (3, "d-copy-of-c.txt", "duplicate")]
    assert items[3]["id"] == items[2]["id"]
    assert "the same text as row 3 (index 2) of this upload" in items[3]["reason"], items[3]
    # Uploaded again: every file is a duplicate of what is stored already, not of a row.
    again = client.post("/api/documents/upload", params={"extract": "false"}, files=files[1:],
                        headers=auth(token)).json()["items"]
    assert [i["reason"] for i in again] == ["the same text is stored already"] * 3


def test_json_batch_duplicate_names_the_items_index(client, token):
    """Item 9, JSON API: the reason names the earlier item by its ``index`` in ``items``."""
    body = [{"id": "one", "text": "Northland PM: access or nothing."},
            {"id": "two", "text": "Southland President: the island is ours."},
            {"id": "three", "text": "Southland President: the island is ours."}]
    items = client.post("/api/documents", params={"extract": "false"}, json=body,
                        headers=auth(token)).json()["items"]
    assert [i["index"] for i in items] == [0, 1, 2]
    assert items[2]["status"] == "duplicate" and items[2]["id"] == "two"
    assert "item 1 of this batch (index 1" in items[2]["reason"], items[2]


def _broken_plan(client) -> dict:
    plan = client.get("/api/plans/mediator-draft").json()
    plan["id"] = "ui-broken"
    plan["provisions"] = [
        {"number": "1", "text": "Boats use the river.", "issue": "river.access", "option": "for"},
        {"number": "2", "text": "Nobody knows.", "issue": "no.such", "option": "for"},
        {"number": "3", "text": "A cap.", "issue": "army.cap", "option": "zzz"},
        {"number": "4", "text": "Watched.", "mechanisms": ["telepathy"]}]
    return plan


def test_plan_errors_name_the_provision(client, token):
    """Item 10: each profile problem of a posted plan says where it is (``loc``), as schema
    problems do; nothing is reported as "<request>"."""
    body = _is_error(client.post("/api/plans", json=_broken_plan(client), headers=auth(token)), 422)
    found = {tuple(e["loc"]): e["msg"] for e in body["errors"]}
    assert "unknown issue id 'no.such'" in found[("body", "provisions", 1, "issue")], found
    assert "option 'zzz' is not on the scale of issue army.cap" in found[("body", "provisions", 2, "option")]
    assert "unknown mechanism 'telepathy'" in found[("body", "provisions", 3, "mechanisms")]
    assert "<request>" not in body["detail"]
    assert "provisions.1.issue: unknown issue id 'no.such'" in body["detail"]
    assert client.get("/api/plans/ui-broken").status_code == 404
    # The same for a replacement.
    good = client.get("/api/plans/mediator-draft").json()
    good["id"] = "ui-saved"
    assert client.post("/api/plans", json=good, headers=auth(token)).status_code == 201
    bad = _broken_plan(client) | {"id": "ui-saved"}
    body = _is_error(client.put("/api/plans/ui-saved", json=bad, headers=auth(token)), 422)
    assert ["body", "provisions", 2, "option"] in [e["loc"] for e in body["errors"]]
    # Without a token nothing is checked or told: 401 first.
    _is_error(client.post("/api/plans", json=_broken_plan(client)), 401)


def test_plan_schema_errors_do_not_hide_profile_errors(client, token):
    """Item 10: every problem at once: a schema error (no proposer, a provision without text)
    is listed together with the profile's problems of the provisions that are well formed."""
    plan = _broken_plan(client) | {"proposers": [], "date": "not a date"}
    plan["provisions"].append({"number": "5", "issue": "talks"})  # no text: a schema error
    body = _is_error(client.post("/api/plans", json=plan, headers=auth(token)), 422)
    locs = [tuple(e["loc"]) for e in body["errors"]]
    assert ("body", "proposers") in locs and ("body", "date") in locs
    assert ("body", "provisions", 4, "text") in locs
    assert ("body", "provisions", 1, "issue") in locs and ("body", "provisions", 2, "option") in locs
    plan = _broken_plan(client) | {"proposers": ["MED", "NOBODY"]}
    body = _is_error(client.post("/api/plans", json=plan, headers=auth(token)), 422)
    assert any(e["loc"] == ["body", "proposers", 1] and "NOBODY" in e["msg"] for e in body["errors"]), body


def test_saved_plan_pages_offer_delete(client, token):
    """Item 11: a saved plan's page links to the delete control on its edit page, which sends
    DELETE to the plan's API address; bundled plans offer neither."""
    plan = client.get("/api/plans/mediator-draft").json()
    plan["id"] = "ui-del-1"
    plan["title"] = "<b>To delete</b>"
    assert client.post("/api/plans", json=plan, headers=auth(token)).status_code == 201
    html = client.get("/plans/ui-del-1", headers={"accept": "text/html"}).text
    assert 'id="delete-plan-link" href="/plans/ui-del-1/edit#delete-plan"' in html
    edit = client.get("/plans/ui-del-1/edit", headers={"accept": "text/html"}).text
    assert 'id="plan-delete-form" data-endpoint="/api/plans/ui-del-1" data-plan="ui-del-1"' in edit
    assert 'id="delete-plan"' in edit and 'id="token"' in edit and "/static/workbench.js" in edit
    bundled = client.get("/plans/mediator-draft", headers={"accept": "text/html"}).text
    assert "delete-plan" not in bundled
    new = client.get("/plans/new", headers={"accept": "text/html"}).text
    assert "plan-delete-form" not in new

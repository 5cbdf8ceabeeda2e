"""REST API over the toy profile, on SQLite and on PostgreSQL (each test runs on both)."""

from __future__ import annotations

import csv
import io

import pytest

from webtest_util import auth

PLAN = {"id": "analyst-draft", "title": "Analyst's draft", "date": "2021-08-01", "proposers": ["MED"],
        "sources": [{"url": "https://example.org/plans/analyst"}],
        "provisions": [{"number": "1", "text": "Northland boats use the lower river.", "issue": "river.access",
                        "option": "for"},
                       {"number": "2", "text": "The island is Southland's.", "issue": "border.island",
                        "option": "for"}]}


def test_profile_parties_issues(client):
    """The basics a client discovers first must describe the served profile."""
    info = client.get("/api/profiles").json()
    assert [p["id"] for p in info] == ["toy"] and info[0]["database"] is True
    assert client.get("/api/profiles/toy").json()["principals"] == ["NOR", "SOU"]
    assert client.get("/api/profiles/other").status_code == 404
    assert {p["id"] for p in client.get("/api/parties").json()} == {"NOR", "SOU", "MED"}
    assert client.get("/api/issues/army.cap").json()["options"][2]["id"] == "hard"
    r = client.get("/api/issues/army.kap")
    assert r.status_code == 404 and "army.cap" in r.json()["detail"]  # did-you-mean survives


def test_matrix_follows_as_of(client):
    """Southland's island red line exists in 2020 and is gone after it softened in June 2021."""
    def cell(as_of):
        m = client.get("/api/matrix", params={"as_of": as_of}).json()
        return next(c for c in m["cells"] if c["party"] == "SOU" and c["issue"] == "border.island")

    early, late = cell("2020-06-01"), cell("2021-07-01")
    assert early["has_red_line"] and early["red_lines"] == ["against"]
    assert not late["has_red_line"] and late["acceptable"] == ["against"]
    assert late["evidence"][0]["quote"] == "we could share the island"
    assert early["stance"] == "for"
    m = client.get("/api/matrix", params={"as_of": "2019-01-01"}).json()
    assert m["cells"] == [] and m["dates"] == ["2020-01-01", "2021-06-01"]


def test_positions_csv_escapes_formulas(client):
    """CSV is for spreadsheets: a quote starting with '=' must not become a formula."""
    r = client.get("/api/positions", params={"format": "csv", "party": "NOR"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["issue"] for row in rows} == {"river.access", "army.cap", "border.island"}
    assert all(row["party"] == "NOR" for row in rows)
    assert client.get("/api/positions", headers={"accept": "text/csv"}).text.startswith("party,")
    from redline.web.views import to_csv

    assert to_csv([{"quote": "=HYPERLINK(\"x\")"}]).splitlines()[1].startswith('"\'=HYPERLINK')


def test_statements_filters_and_pages(client, seeded):
    """Filters narrow, totals count all matches, pages do not overlap."""
    all_ = client.get("/api/statements").json()
    assert all_["total"] == 3
    assert [s["date"] for s in all_["items"]] == ["2021-06-02", "2021-02-01", "2021-02-01"]  # newest first
    sou = client.get("/api/statements", params={"party": "SOU"}).json()
    assert sou["total"] == 2 and {s["party"] for s in sou["items"]} == {"SOU"}
    river = client.get("/api/statements", params={"issue": "river.access", "since": "2021-01-01",
                                                   "until": "2021-03-01"}).json()
    assert river["total"] == 2
    text = client.get("/api/statements", params={"q": "SHARE the"}).json()
    assert [s["quote"] for s in text["items"]] == ["we could share the island"]
    p1 = client.get("/api/statements", params={"limit": 2}).json()
    p2 = client.get("/api/statements", params={"limit": 2, "offset": 2}).json()
    assert len(p1["items"]) == 2 and len(p2["items"]) == 1 and p2["total"] == 3
    assert p1["items"][-1] != p2["items"][0]
    assert client.get("/api/statements", params={"q": "a\x00b"}).status_code == 422
    assert client.get("/api/statements", params={"q": "%_"}).json()["total"] == 0  # LIKE wildcards are literal
    r = client.get("/api/statements", params={"format": "csv", "party": "NOR"})
    assert list(csv.DictReader(io.StringIO(r.text)))[0]["quote"] == "access or nothing"
    typo = client.get("/api/statements", params={"party": "SOUU"})  # never an empty page that reads as "no news"
    assert typo.status_code == 404 and "did you mean 'SOU'" in typo.json()["detail"]
    assert client.get("/api/statements", params={"issue": "rivr.*"}).status_code == 404


def test_documents_list_and_detail(client, seeded):
    """Documents come back with their statements; search matches the text."""
    docs = client.get("/api/documents").json()
    assert docs["total"] == 2 and docs["items"][0]["id"] == "art-2"
    hit = client.get("/api/documents", params={"q": "onerror"}).json()
    assert [d["id"] for d in hit["items"]] == ["art-1"]
    detail = client.get("/api/documents/art-1").json()
    assert "<script>" in detail["document"]["text"]  # the API returns data as stored: JSON is not HTML
    assert len(detail["statements"]) == 2
    assert client.get("/api/documents/nope").status_code == 404


def test_document_ingest_and_statements(client, token):
    """Writes with a token store documents and statements; a duplicate text is recognised;
    201 only when something was stored; re-posted statements are not stored twice."""
    bad = [{"id": "d1", "text": "Mediatoria FM: talk now.", "title": "Talks", "date": "2022-01-01",
            "url": "javascript:alert(1)"}]
    r = client.post("/api/documents", params={"extract": "false"}, json=bad, headers=auth(token))
    assert r.status_code == 422 and "not an http(s) link" in r.json()["detail"]  # refused, not silently dropped
    assert r.json()["errors"][0]["loc"][:3] == ["body", 0, "url"]
    body = [dict(bad[0], url="https://example.org/talks")]
    r = client.post("/api/documents", params={"extract": "false"}, json=body, headers=auth(token))
    assert r.status_code == 201 and r.json()["stored"] == ["d1"]
    assert r.json()["items"] == [{"index": 0, "source": "d1", "status": "stored", "id": "d1", "reason": "",
                                  "statements": 0, "notes": []}]
    again = client.post("/api/documents", params={"extract": "false"}, json=body, headers=auth(token))
    assert again.status_code == 200  # nothing new stored
    assert again.json()["stored"] == [] and again.json()["duplicates"][0]["existing_id"] == "d1"
    assert again.json()["items"][0]["status"] == "duplicate"
    st = [{"party": "MED", "issue": "talks", "polarity": "for", "quote": "talk now"}]
    r = client.post("/api/documents/d1/statements", json=st, headers=auth(token))
    assert r.status_code == 201 and r.json()["added"] == 1
    r = client.post("/api/documents/d1/statements", json=st + st, headers=auth(token))
    assert r.status_code == 200 and r.json() == {"document_id": "d1", "added": 0, "duplicates": 2}
    assert client.get("/api/statements", params={"party": "MED"}).json()["total"] == 1  # not duplicated
    other = [dict(st[0], quote="talk now, and then more")]
    assert client.post("/api/documents/d1/statements", json=other, headers=auth(token)).status_code == 201
    assert client.get("/api/statements", params={"party": "MED"}).json()["total"] == 2  # appended, not replaced
    bad = [{"party": "XXX", "issue": "talks", "polarity": "for", "quote": "?"}]
    assert client.post("/api/documents/d1/statements", json=bad, headers=auth(token)).status_code == 404
    bad_opt = [{"party": "MED", "issue": "army.cap", "polarity": "for", "option": "huge", "quote": "?"}]
    assert client.post("/api/documents/d1/statements", json=bad_opt, headers=auth(token)).status_code == 422
    assert client.post("/api/documents/zz/statements", json=st, headers=auth(token)).status_code == 404


def test_a_text_in_another_language_is_stored_with_a_note(client, token):
    """The item says that the extractor finds few statements in the text, as `redline ingest`
    warns (one schema)."""
    pytest.importorskip("spacy")
    pytest.importorskip("py3langid")
    ru = ("Министр иностранных дел заявил журналистам, что переговоры о прекращении огня продолжатся "
          "на следующей неделе, однако стороны пока не договорились о повестке дня встречи.")
    en = "Mediatoria FM: the mediators said talks will continue next week in the capital, officials said."
    r = client.post("/api/documents", json=[{"id": "ru", "text": ru}, {"id": "en", "text": en}], headers=auth(token))
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [i["status"] for i in items] == ["stored", "stored"]
    assert len(items[0]["notes"]) == 1
    assert "another language ('ru'" in items[0]["notes"][0] and items[1]["notes"] == []


def test_upload_reads_html(client, token):
    """Uploaded HTML goes through the ingest readers: the text is kept, the markup is not."""
    html = (b"<html><head><title>Upload &amp; test</title></head><body><p>Northland PM: access or nothing."
            b"<script>evil()</script></p></body></html>")
    r = client.post("/api/documents/upload", params={"extract": "false"},
                    files=[("files", ("a.html", html, "text/html")), ("files", ("b.bin", b"\xff\xfe\x00", "x/y"))],
                    headers=auth(token))
    assert r.status_code == 201, r.text
    out = r.json()
    assert len(out["stored"]) == 1 and out["skipped"][0]["source"] == "b.bin"
    doc = client.get(f"/api/documents/{out['stored'][0]}").json()["document"]
    assert "access or nothing" in doc["text"] and "evil()" not in doc["text"]


def test_upload_decodes_like_the_cli(client, token):
    """Uploads go through the CLI's decoding: a UTF-8 BOM is dropped, and a file in another
    encoding is skipped with the line of the bad byte and a fix, while the rest is stored."""
    bom = "\ufeffSouthland PM: the corridor stays open.".encode("utf-8")
    latin = "line one\nCaf\u00e9 talks resume.".encode("cp1252")
    r = client.post("/api/documents/upload", params={"extract": "false"},
                    files=[("files", ("bom.txt", bom, "text/plain")), ("files", ("latin.txt", latin, "text/plain"))],
                    headers=auth(token))
    assert r.status_code == 201, r.text
    out = r.json()
    assert len(out["stored"]) == 1
    doc = client.get(f"/api/documents/{out['stored'][0]}").json()["document"]
    assert doc["text"].startswith("Southland PM")
    (skip,) = out["skipped"]
    assert skip["source"] == "latin.txt" and "line 2" in skip["reason"] and "cp1252" in skip["reason"]
    png = client.post("/api/documents/upload", params={"extract": "false"},
                      files=[("files", ("x.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"))],
                      headers=auth(token)).json()
    assert png["stored"] == [] and png["skipped"][0]["source"] == "x.png"


def test_plans_crud(client, token):
    """Saved plans are checked, listed beside bundled ones, assessed, replaced and deleted."""
    h = auth(token)
    assert client.post("/api/plans", json=PLAN, headers=h).status_code == 201
    assert client.post("/api/plans", json=PLAN, headers=h).status_code == 409
    listed = {p["id"]: p for p in client.get("/api/plans").json()}
    assert listed["analyst-draft"]["bundled"] is False and listed["mediator-draft"]["bundled"] is True
    a = client.get("/api/plans/analyst-draft/assessment").json()
    nor = next(p for p in a["parties"] if p["party"] == "NOR")
    assert nor["red_lines_crossed"] == [] and a["plan_id"] == "analyst-draft"
    changed = dict(PLAN, provisions=[dict(PLAN["provisions"][0], option="against",
                                          text="Northland boats stay out.")])
    assert client.put("/api/plans/analyst-draft", json=changed, headers=h).status_code == 200
    a2 = client.get("/api/plans/analyst-draft/assessment").json()
    nor2 = next(p for p in a2["parties"] if p["party"] == "NOR")
    assert [o["issue"] for o in nor2["red_lines_crossed"]] == ["river.access"]  # cache keyed by content
    assert client.put("/api/plans/other-id", json=changed, headers=h).status_code == 422
    assert client.put("/api/plans/mediator-draft",
                      json=client.get("/api/plans/mediator-draft").json(), headers=h).status_code == 409
    bad = dict(PLAN, id="bad", provisions=[dict(PLAN["provisions"][0], option="maybe")])
    r = client.post("/api/plans", json=bad, headers=h)
    assert r.status_code == 422 and "maybe" in str(r.json()["detail"])
    assert client.delete("/api/plans/analyst-draft", headers=h).status_code == 204
    assert client.get("/api/plans/analyst-draft").status_code == 404
    assert client.delete("/api/plans/analyst-draft", headers=h).status_code == 404
    assert client.delete("/api/plans/mediator-draft", headers=h).status_code == 409


def test_plan_ids_are_not_paths(client):
    """The library accepts a YAML path as a plan id; over HTTP that would read the server's disk."""
    path = "tests/fixtures/profiles/toy/plans/mediator-draft.yaml"
    assert client.get("/api/assess", params={"plan": path}).status_code == 404
    assert client.get("/api/compare", params={"a": path, "b": "mediator-draft"}).status_code == 404


def test_assess_compare_bargain_timeline(client, seeded):
    """Analysis endpoints give the library's answers (values checked, not just status codes)."""
    a = client.get("/api/assess", params={"plan": "southern-terms"}).json()
    nor = next(p for p in a["parties"] if p["party"] == "NOR")
    assert {o["issue"] for o in nor["red_lines_crossed"]} == {"river.access", "army.cap"}
    assert a["verdict"]["label"].startswith("capitulation") or "NOR" in str(a["verdict"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/assess", params={
        "plan": "southern-terms", "format": "csv"}).text)))
    assert any(r["party"] == "NOR" and r["status"] == "red line crossed" for r in rows)
    c = client.get("/api/compare", params={"a": "southern-terms", "b": "mediator-draft"}).json()
    river = next(ch for ch in c["changes"] if ch["issue"] == "river.access")
    assert river["change"] == "changed" and {"insert", "delete"} <= {s["op"] for s in river["redline"]}
    nor_c = next(p for p in c["parties"] if p["party"] == "NOR")
    assert "river.access" in nor_c["red_lines_removed"]
    bg = client.get("/api/bargain", params={"solution": "maxmin"}).json()
    (best,) = bg["solutions"]["maxmin"]
    assert best["found"] and set(best["package"]) == set(bg["issues"])
    for issue, option in best["package"].items():
        assert (issue, option) not in {("river.access", "against"), ("army.cap", "hard")}  # NOR's red lines
    assert set(best["explanation"]) == set(bg["parties"])
    t = client.get("/api/timeline", params={"party": "SOU", "issue": "border.island"}).json()
    assert [s["since"] for s in t["positions"]] == ["2020-01-01", "2021-06-01"]
    assert [s["quote"] for s in t["entries"]] == ["we could share the island"]
    assert t["entries"][0]["level"] == t["options"].index("for")
    assert client.get("/api/timeline", params={"party": "SOU", "issue": "nope"}).status_code == 404


@pytest.mark.parametrize("method,path,body", [
    ("post", "/api/plans", PLAN),
    ("put", "/api/plans/analyst-draft", PLAN),
    ("delete", "/api/plans/analyst-draft", None),
    ("post", "/api/documents", [{"text": "x"}]),
    ("post", "/api/documents/art-2/statements", [{"party": "NOR", "issue": "talks", "polarity": "for"}]),
])
def test_writes_need_a_live_token(client, app, method, path, body):
    """No token, a wrong token, and a revoked token are all refused before anything is written."""
    store = app.state.backend.store
    secret = store.create_token("soon-revoked")
    kwargs = {"json": body} if body is not None else {}
    before = store.stats()
    for headers in ({}, auth("rl_wrong"), {"authorization": "Basic dXNlcjpwYXNz"}):
        r = getattr(client, method)(path, headers=headers, **kwargs)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
    store.revoke_token("soon-revoked")
    r = getattr(client, method)(path, headers=auth(secret), **kwargs)
    assert r.status_code == 401
    assert store.stats() == before


def test_request_size_limit(client, token):
    """Oversized bodies are refused with 413, with or without a declared length."""
    big = [{"text": "x" * (3 * 1024 * 1024)}]
    r = client.post("/api/documents", json=big, headers=auth(token))
    assert r.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"[" + b" " * 100_000
    r = client.post("/api/documents", content=chunks(), headers={**auth(token), "content-type": "application/json"})
    assert r.status_code == 413


def test_security_headers_everywhere(client):
    """The CSP must be on API answers, pages and errors alike."""
    for path in ("/api/matrix", "/matrix", "/api/plans/nope", "/static/app.css", "/docs"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_lists_every_endpoint(client):
    """The OpenAPI schema is the contract: every resource of the issue is in it, writes carry auth."""
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for p in ("/api/profiles", "/api/parties", "/api/issues", "/api/positions", "/api/matrix", "/api/statements",
              "/api/documents", "/api/documents/upload", "/api/plans", "/api/plans/{plan_id}", "/api/assess",
              "/api/compare", "/api/bargain", "/api/timeline"):
        assert p in paths, p
    assert paths["/api/plans"]["post"].get("security")
    assert not paths["/api/plans"]["get"].get("security")


def test_bargain_is_the_cli_document(client):
    """/api/bargain is `redline bargain --format json`: same packages, same shape, same limit."""
    import json

    import typer
    from typer.testing import CliRunner

    from redline.bargain.cli import register
    from redline.bargain.report import DEFAULT_TIME_LIMIT
    from redline.services import BARGAIN_TIME_LIMIT
    from webtest_util import TOY

    assert BARGAIN_TIME_LIMIT == DEFAULT_TIME_LIMIT == 60.0
    cli = typer.Typer()
    register(cli)
    for args, params in ((["--solution", "maxmin"], {"solution": "maxmin"}),
                         ([], {}),
                         (["--fix", "river.access=for", "--top", "2"], {"fix": "river.access=for", "top": 2})):
        r = CliRunner().invoke(cli, ["bargain", "--profile", str(TOY), "--format", "json", *args])
        assert r.exit_code == 0, r.output
        api = client.get("/api/bargain", params=params)
        assert api.status_code == 200
        assert api.json() == json.loads(r.stdout), args
    doc = api.json()
    assert doc["solutions"]["nash"][0]["found"] and doc["imposed"] == {"river.access": "for"}
    assert client.get("/api/bargain", params={"fix": "river.access=maybe"}).status_code == 422
    assert client.get("/api/bargain", params={"fix": "rivr.access=for"}).status_code == 404

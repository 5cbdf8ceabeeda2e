"""Server-rendered pages: content and escaping, without a browser (fast; both databases)."""

from __future__ import annotations

import re

import pytest

from webtest_util import TOY


def _html(client, path, **params):
    r = client.get(path, params=params, headers={"accept": "text/html"})
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_no_inline_script_or_handlers(client, seeded):
    """The CSP forbids inline script; a page that relied on it would silently break."""
    for path in ("/", "/matrix", "/plans", "/plans/mediator-draft", "/compare?a=southern-terms&b=mediator-draft",
                 "/timeline?party=NOR&issue=river.access", "/documents", "/documents/art-1", "/docs"):
        html = _html(client, path)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), path
        assert "style=" not in html, path  # style-src 'self' would block inline styles


def test_matrix_page_cells_and_evidence(client):
    """Every position is a clickable cell whose evidence quote is on the page."""
    html = _html(client, "/matrix", as_of="2020-06-01")
    assert html.count('class="cell-btn"') == 7  # NOR 3, SOU 3, MED 1
    assert 'data-ev="ev-SOU--border.island"' in html
    assert "the island is never negotiable" in html
    assert "we could share the island" not in html  # a 2021 quote is not shown as of 2020
    later = _html(client, "/matrix", as_of="2021-07-01")
    assert "we could share the island" in later
    assert '"dates": ["2020-01-01", "2021-06-01"]' in later


def test_plan_page_scorecard(client):
    """Scorecard shows the verdict, a bar per party, crossed red lines with quotes, durability."""
    html = _html(client, "/plans/southern-terms")
    assert re.search(r'<p class="verdict" id="verdict">[^<]+</p>', html)
    assert html.count("<meter class=\"sat\"") == 2  # NOR and SOU; MED has no position on its issues
    assert "no positions on the plan's issues" in html
    red = html.split('id="redlines"')[1].split("</div>\n\n<h2>")[0]
    assert "access or nothing" in red and "never a tight cap" in red
    assert "Third-party guarantee" in html and "✗ missing" in html


def test_compare_page(client):
    """The redline shows insertions and deletions; each party's before → after is listed."""
    html = _html(client, "/compare", a="southern-terms", b="mediator-draft")
    assert "<ins>" in html and "<del>" in html
    assert html.count('<tr data-party="') == 3
    assert "Southland&#39;s terms" in html and "Mediatoria&#39;s draft" in html


def test_document_page_escapes_payloads(client, seeded):
    """Untrusted document text, titles and outlets render as text; quotes are highlighted."""
    html = _html(client, "/documents/art-1")
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(&#39;xss-script&#39;)&lt;/script&gt;" in html
    assert "Northland demands &lt;b&gt;river&lt;/b&gt; access" in html
    assert "Example &lt;Times&gt;" in html
    assert '<mark class="st" id="q-' in html and ">access or nothing</mark>" in html


def test_timeline_page_links_and_urls(client, seeded):
    """Timeline data is JSON-in-HTML (no closing tags possible) and javascript: URLs are not links."""
    html = _html(client, "/timeline", party="SOU", issue="river.access")
    data = html.split('<script type="application/json" id="timeline-data">')[1].split("</script>")[0]
    assert "<" not in data and "javascript:alert" in data  # kept as data, but…
    assert 'href="javascript:' not in html  # …never an href
    assert 'src="/vendor/plotly.min.js"' in html


def test_documents_list_and_search(client, seeded):
    html = _html(client, "/documents", q="share")
    assert "Southland softens" in html and "Northland demands" not in html


def test_errors_render_as_pages(client):
    r = client.get("/plans/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and 'id="error-message"' in r.text and "did you mean" in r.text


def test_assets_are_local(client):
    """No CDN: Plotly and Swagger UI are served by this server."""
    r = client.get("/vendor/plotly.min.js")
    assert r.status_code == 200 and len(r.content) > 1_000_000
    assert client.get("/vendor/swagger/swagger-ui-bundle.js").status_code == 200
    html = _html(client, "/docs")
    assert not re.search(r'(src|href)="https?://', html)


def test_bundled_profile_smoke():
    """The real profile renders: matrix, every plan's scorecard, one comparison (no database)."""
    from fastapi.testclient import TestClient

    from redline.web import create_app

    client = TestClient(create_app(None, use_database=False))
    html = _html(client, "/matrix")
    assert html.count('class="cell-btn"') > 0
    plans = client.get("/api/plans").json()
    assert len(plans) >= 2
    for p in plans:
        assert 'id="verdict"' in _html(client, f"/plans/{p['id']}")
    _html(client, "/compare", a=plans[0]["id"], b=plans[-1]["id"])
    assert client.get("/api/statements").status_code == 503
    assert client.post("/api/plans", json={}, headers={"authorization": "Bearer x"}).status_code == 401


def test_plan_page_shows_precedents(shared_dir, monkeypatch):
    """The scorecard carries the PA-X precedents and the profile's historical cases."""
    from fastapi.testclient import TestClient

    from redline.precedents import plan_precedents
    from redline.profile import load_profile
    from redline.web import create_app

    monkeypatch.setenv("REDLINE_PAX", str(shared_dir / "data" / "pax"))
    client = TestClient(create_app(None, use_database=False))
    html = _html(client, "/plans/russia-2024-06-terms")
    section = html[html.index('id="precedents"'):html.index("<h2>Provisions</h2>")]
    profile = load_profile()
    expected = plan_precedents(profile.plan("russia-2024-06-terms"), profile, top=5, baserates=False)
    assert expected.hits, expected.message
    for hit in expected.hits:
        assert f"<td>{hit.agreement_id}</td>" in section
    assert expected.cases and all(m.case.title.split("(")[0].strip()[:20] in section
                                  for m in expected.cases[:2])

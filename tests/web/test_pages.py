"""Server-rendered pages: content and escaping, without a browser (fast; both databases)."""

from __future__ import annotations

import re

import pytest

from webtest_util import TEST_HOSTS, TOY


def _html(client, path, **params):
    r = client.get(path, params=params, headers={"accept": "text/html"})
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_no_inline_script_or_handlers(client, seeded):
    """The CSP forbids inline script; a page that relied on it would silently break."""
    for path in ("/", "/matrix", "/plans", "/plans/mediator-draft", "/compare?a=southern-terms&b=mediator-draft",
                 "/timeline?party=NOR&issue=river.access", "/documents", "/documents/art-1", "/docs",
                 "/bargain", "/bargain?fix=river.access%3Dfor&solution=nash", "/statements?party=SOU&q=island",
                 "/matrix?parties=NOR&parties=SOU&issues=army.cap", "/upload", "/plans/new",
                 "/plans/new?from=southern-terms"):
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

    client = TestClient(create_app(None, use_database=False, allowed_hosts=TEST_HOSTS))
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
    client = TestClient(create_app(None, use_database=False, allowed_hosts=TEST_HOSTS))
    html = _html(client, "/plans/russia-2024-06-terms")
    section = html[html.index('id="precedents"'):html.index("<h2>Provisions</h2>")]
    profile = load_profile()
    expected = plan_precedents(profile.plan("russia-2024-06-terms"), profile, top=5, baserates=False)
    assert expected.hits, expected.message
    for hit in expected.hits:
        assert f"<td>{hit.agreement_id}</td>" in section
    assert expected.cases and all(m.case.title.split("(")[0].strip()[:20] in section
                                  for m in expected.cases[:2])


def test_bargain_page_shows_the_cli_packages(client):
    """The bargaining page renders the same report as /api/bargain: zone, packages, explanations."""
    api = client.get("/api/bargain").json()
    html = _html(client, "/bargain")
    for name, sols in api["solutions"].items():
        assert f'data-solution="{name}"' in html
        for issue, option in sols[0]["package"].items():
            assert f"<td><code>{issue}</code></td>" in html and f"<td>{option}" in html
        for sentence in sols[0]["explanation"].values():
            assert sentence.replace("'", "&#39;") in html
    assert 'id="bargain-json" href="/api/bargain?solution=all"' in html


def test_bargain_page_parties_and_imposed_terms(client):
    html = _html(client, "/bargain", parties=["NOR", "SOU"], fix=["river.access=for", "army.cap="], solution="maxmin")
    assert "Among NOR, SOU on" in html
    assert '<option value="river.access=for" selected>' in html
    assert 'data-solution="maxmin"' in html and 'data-solution="nash"' not in html
    api = client.get("/api/bargain", params={"parties": "NOR,SOU", "fix": "river.access=for",
                                             "solution": "maxmin"}).json()
    assert api["solutions"]["maxmin"][0]["package"]["river.access"] == "for"
    r = client.get("/bargain", params={"fix": "river.access=maybe"}, headers={"accept": "text/html"})
    assert r.status_code == 422 and "maybe" in r.text


def test_statements_browser_filters_and_links(client, seeded):
    """Filters by party, issue, dates and words; each row links to its document; export links."""
    html = _html(client, "/statements")
    assert html.count('class="st-row"') == 3
    sou = _html(client, "/statements", party="SOU")
    assert sou.count('class="st-row"') == 2 and "access or nothing" not in sou
    words = _html(client, "/statements", q="share the")
    assert words.count('class="st-row"') == 1 and 'href="/documents/art-2"' in words
    dated = _html(client, "/statements", since="2021-03-01", until="2021-12-31")
    assert dated.count('class="st-row"') == 1
    assert 'id="st-csv" href="/api/statements?since=2021-03-01&amp;until=2021-12-31&amp;limit=500&amp;format=csv"' in dated
    assert 'href="javascript:' not in html  # the seeded javascript: URL is not a link
    assert client.get("/statements", params={"party": "XXX"}, headers={"accept": "text/html"}).status_code == 404


def test_plan_page_numbers_provisions_once_and_reads_as_prose(client):
    html = _html(client, "/plans/southern-terms")
    section = html.split('id="provisions"')[1].split("</ul>")[0]
    assert "<ol" not in section and 'value="' not in section
    assert section.count('<span class="prov-no">') == section.count("<li>")


def test_verdict_shows_labels_not_parameter_ids():
    from redline.render import parameter_labels, readable

    class P:  # the bundled profile's parameter ids are snake_case; the page shows their labels
        issues = {}
    assert parameter_labels(P()) == {}
    assert readable("troop_ceiling: 800000 is above the bound for UKR",
                    {"troop_ceiling": "peacetime ceiling on the army"}) == \
        "peacetime ceiling on the army: 800000 is above the bound for UKR"
    assert readable("a.troop_ceiling_x", {"troop_ceiling": "label"}) == "a.troop_ceiling_x"


def test_matrix_filters_and_exports(client):
    html = _html(client, "/matrix", parties=["NOR", "SOU"], issues="army.cap", as_of="2020-06-01")
    assert html.count('class="cell-btn"') == 2
    assert 'id="export-csv" href="/api/matrix?as_of=2020-06-01&amp;parties=NOR%2CSOU&amp;issues=army.cap&amp;format=csv"' in html
    csv = client.get("/api/matrix", params={"as_of": "2020-06-01", "parties": "NOR,SOU", "issues": "army.cap",
                                            "format": "csv"}).text
    assert len(csv.strip().splitlines()) == 3


def test_empty_form_fields_mean_omitted(client, seeded):
    """A submitted form sends empty date fields (as_of=, since=); they mean "not given"."""
    assert _html(client, "/statements", party="", issue="", since="", until="", q="").count('class="st-row"') == 3
    _html(client, "/bargain", as_of="", solution="all")
    _html(client, "/matrix", as_of="")
    _html(client, "/plans/southern-terms", as_of="")
    r = client.get("/statements", params={"since": "June"}, headers={"accept": "text/html"})
    assert r.status_code == 422 and "not a date" in r.text


# --- compare keeps its date; document anchors and meta; statements paging; bargain wording -------

def _href(html: str, anchor_id: str) -> str:
    m = re.search(rf'<a id="{anchor_id}" href="([^"]*)"', html)
    assert m, anchor_id
    return m.group(1).replace("&amp;", "&")


def _meta(html: str) -> str:
    return re.search(r'<p class="meta"[^>]*>(.*?)</p>', html, re.S).group(1)


def test_compare_exports_links_and_form_keep_as_of(client):
    """With as_of, the JSON/CSV exports, the verdict links and the form all use the page's date."""
    html = _html(client, "/compare", a="southern-terms", b="mediator-draft", as_of="2020-06-01")
    assert "positions as of 2020-06-01" in html
    assert re.search(r'<input type="date" name="as_of" id="cmp-asof" value="2020-06-01">', html)
    api = client.get(_href(html, "cmp-json")).json()
    assert api["as_of"] == "2020-06-01"
    for p in api["parties"]:  # the numbers the page shows are the export's
        row = html.split(f'<tr data-party="{p["party"]}">')[1].split("</tr>")[0]
        for key in ("satisfaction_before", "satisfaction_after"):
            if p[key] is not None:
                assert f'value="{p[key]}"' in row, (p["party"], key)
    csv = client.get(_href(html, "cmp-csv"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "as_of=2020-06-01" in _href(html, "cmp-csv")
    verdicts = re.findall(r'<a href="(/plans/[^"]+)">([^<]+)</a>', html.split('id="verdicts"')[1].split("</p>")[0])
    assert [h for h, _ in verdicts] == ["/plans/southern-terms?as_of=2020-06-01", "/plans/mediator-draft?as_of=2020-06-01"]
    for href, label in verdicts:  # each link opens the scorecard with the verdict the page shows
        assert re.search(rf'<p class="verdict" id="verdict">{re.escape(label)}</p>', _html(client, href))

    # Without as_of both are scored at the later plan's date, and the links say which date that was.
    plain = _html(client, "/compare", a="southern-terms", b="mediator-draft")
    assert "positions as of 2021-07-01 (the later plan's date)" in plain
    assert 'name="as_of" id="cmp-asof" value=""' in plain
    assert "as_of=2021-07-01" in _href(plain, "cmp-json")
    assert '<a href="/plans/southern-terms?as_of=2021-07-01">' in plain


def test_document_statement_links_land_on_their_quotes(app, client):
    """Every statement link points at a mark on the page: shared and overlapping quotes share one
    mark, a quote differing only in case or spacing is still found, an absent one is no link."""
    from redline.model import Document, Statement

    text = "Alpha said the river is ours. Beta  said\nWE WILL SHARE the island, and more words follow."
    doc = Document(id="art-x", title="Anchors", text=text)
    st = [Statement(party="NOR", issue="river.access", polarity="for", quote="the river is ours"),
          Statement(party="SOU", issue="river.access", polarity="against", quote="the river is ours"),
          Statement(party="SOU", issue="border.island", polarity="for", quote="river is ours. Beta"),
          Statement(party="SOU", issue="border.island", polarity="for", quote="we will share the island"),
          Statement(party="NOR", issue="army.cap", polarity="for", quote="never said anywhere in this text")]
    assert app.state.backend.store.add_documents([doc], [st]).stored == ["art-x"]
    html = _html(client, "/documents/art-x")
    marks = re.findall(r'<mark class="st" id="(q-\d+)" title="([^"]*)">([^<]*)</mark>', html)
    ids = {m[0] for m in marks}
    items = re.findall(r'<li id="s-\d+">(.*?)<blockquote class="quote"><p>“([^”]*)”', html, re.S)
    assert len(items) == 5
    links: dict[str, list[str | None]] = {}
    for body, quote in items:
        m = re.search(r'<a href="#(q-\d+)">', body)
        links.setdefault(quote, []).append(m.group(1) if m else None)
        if m:
            assert m.group(1) in ids, (quote, ids)
    shared = links["the river is ours"] + links["river is ours. Beta"]
    assert len(shared) == 3 and len(set(shared)) == 1 and shared[0] is not None
    assert links["we will share the island"][0] not in (None, shared[0])
    assert links["never said anywhere in this text"] == [None]
    assert "quote not found in the text" in html
    text_of = {m[0]: m[2] for m in marks}
    title_of = {m[0]: m[1] for m in marks}
    assert text_of[shared[0]] == "the river is ours. Beta"  # the union of the overlapping quotes
    assert title_of[shared[0]].count(" · ") == 6  # the title names all three statements
    assert text_of[links["we will share the island"][0]] == "WE WILL SHARE the island"


def test_highlight_and_anchors_unit():
    from redline.web.views import highlight, quote_anchors

    segs = highlight("abc def ghi", ["def", "DEF", "ef g", "", "zzz", "abc"])
    assert [(s.text, s.mark, s.marks) for s in segs] == [
        ("abc", 5, [5]), (" ", None, []), ("def g", 0, [0, 1, 2]), ("hi", None, [])]
    assert quote_anchors(segs, 6) == [0, 0, 0, None, None, 5]
    # Offsets of a case-insensitive match are the text's own ("İ".lower() is two characters).
    assert [s.text for s in highlight("İİ the River", ["the river"]) if s.mark is not None] == ["the River"]


def test_document_meta_has_no_stray_separator(app, client):
    from redline.model import Document

    store = app.state.backend.store
    store.add_documents([Document(id="bare-doc", text="Nothing but text.")], [[]])
    assert _meta(_html(client, "/documents/bare-doc")).strip() == "<code>bare-doc</code>"
    store.add_documents([Document(id="author-doc", text="Some text.", author="A. Writer")], [[]])
    assert _meta(_html(client, "/documents/author-doc")).strip() == "A. Writer · <code>author-doc</code>"


def test_document_meta_full(client, seeded):
    meta = _meta(_html(client, "/documents/art-1")).strip()
    assert meta.startswith("Example &lt;Times&gt; · <time") and meta.endswith(" · <code>art-1</code>")
    assert " ·  · " not in meta and "source</a> · <code>" in meta


def test_statements_offset_past_the_end(client, seeded):
    """An offset past the end says so and links back to the last page that has rows."""
    html = _html(client, "/statements", offset=500)
    assert "501–500" not in html
    assert "3 statement(s), none shown: offset 500 is past the end" in html
    assert _href(html, "st-prev") == "/statements?offset=0"
    assert _href(html, "st-last") == "/statements?offset=0"
    assert 'id="st-next"' not in html
    assert _html(client, "/statements", offset=0).count('class="st-row"') == 3
    words = _html(client, "/statements", q="island", offset=30)  # filters are kept on the way back
    assert _href(words, "st-prev") == "/statements?q=island&offset=0"
    none = _html(client, "/statements", q="no such words", offset=50)
    assert "No statement matches." in none and 'id="st-prev"' not in none and 'id="st-last"' not in none


def test_bargain_page_states_its_default_and_names_its_own_controls(client):
    """The legend says what an empty choice really means (the profile's principals), and the notes
    and errors point at the page's tick boxes and export, not at command-line flags."""
    html = _html(client, "/bargain")
    assert "<legend>Parties (none ticked: the principal parties only (NOR, SOU))</legend>" in html
    assert "every party with a position" not in html
    assert "Among NOR, SOU on" in html
    body = html.split('<p class="small export">')[0] + html.split('<p class="small export">')[1].split("</p>", 1)[1]
    assert "--" not in body  # the export line quotes `redline bargain --format json` on purpose
    assert "tick others under Parties" in html
    assert html.count("who counts: the principal parties") + html.count("Who counts: the principal parties") == 1
    r = client.get("/bargain", params={"parties": "NOR"}, headers={"accept": "text/html"})
    assert r.status_code == 422 and "at least two parties" in r.text and "--parties" not in r.text


def test_bargain_page_with_weighting_all_says_every_party(tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    from redline.web import create_app

    shutil.copytree(TOY, tmp_path / "toy")
    prof = tmp_path / "toy" / "profile.yaml"
    prof.write_text(prof.read_text() + "bargaining:\n  weighting: all\n")
    client = TestClient(create_app(str(tmp_path / "toy"), use_database=False, allowed_hosts=TEST_HOSTS))
    html = _html(client, "/bargain")
    assert "<legend>Parties (none ticked: every party with a position)</legend>" in html


def test_web_wording_replaces_cli_flags():
    from redline.web.views import web_wording

    assert web_wording("a, and 3 more (all listed in --format json)") == "a, and 3 more (all listed in the JSON export)"
    assert "scorecard" in web_wording("so this condition is not applied here (redline assess checks it against a plan)")
    assert web_wording("--fix 'x' is not issue=option") == "the imposed term 'x' is not issue=option"
    assert web_wording("nothing to change") == "nothing to change"

"""The web UI in a real browser: Debian's chromium driven by Playwright for Python.

Chromium is launched by path (Playwright's own browser download is not reachable here); when it
is missing these tests FAIL, naming .ci/chromium.sh, rather than skip, so a green run always
means the UI was exercised. Screenshots are kept under test-artifacts/web/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from webtest_util import ARTIFACTS, TOY, ServerThread, seed

CHROMIUM = os.environ.get("REDLINE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

# Playwright runs this before any page script, outside the page's CSP: it records violations.
CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from redline.web import create_app

    db = tmp_path_factory.mktemp("browser") / "ui.sqlite3"
    app = create_app(str(TOY), database_url=str(db))
    seed(app.state.backend.store)
    with ServerThread(app) as srv:
        yield srv
    app.state.backend.store.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium; "
                    "install it with `bash .ci/chromium.sh`")
    from playwright.sync_api import sync_playwright

    # launch() gives chromium a fresh temporary --user-data-dir of its own (and refuses one in args).
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(CSP_PROBE)
    pg = context.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    # Only loopback: anything else would mean the page tries to reach the network.
    pg.outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            pg.outside.append(url)
            route.abort()
    context.route("**/*", guard)
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    violations = pg.evaluate("window.__csp || []")
    context.close()
    assert violations == [], f"CSP violations: {violations}"
    assert pg.errors == [], f"script errors: {pg.errors}"
    assert pg.outside == [], f"requests off loopback: {pg.outside}"


def test_matrix_click_shows_quote(server, page):
    """Clicking a cell shows its evidence: quote, speaker, date and a source link."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01")
    cell = page.locator('button[data-party="SOU"][data-issue="border.island"]')
    assert cell.locator(".rl-marker").count() == 1
    cell.click()
    panel = page.locator("#evidence-body")
    panel.get_by_text("the island is never negotiable").wait_for()
    link = panel.locator("a[href='https://example.org/sou/3']")
    assert link.count() == 1
    assert "2020-01-01" in panel.inner_text()
    page.locator('button[data-party="NOR"][data-issue="army.cap"]').click()
    assert "never a tight cap" in panel.inner_text() and "never negotiable" not in panel.inner_text()


def test_matrix_slider_moves_as_of(server, page):
    """The slider steps through position dates; after June 2021 Southland's red line is gone."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01")
    slider = page.locator("#asof-slider")
    assert slider.input_value() == "0"
    slider.focus()
    page.keyboard.press("ArrowRight")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "as_of=2021-06-01" in page.url
    cell = page.locator('button[data-party="SOU"][data-issue="border.island"]')
    assert cell.locator(".rl-marker").count() == 0
    cell.click()
    page.locator("#evidence-body").get_by_text("we could share the island").wait_for()


def test_plan_scorecard(server, page):
    """The scorecard shows the verdict, satisfaction bars, crossed red lines with quotes, checklist."""
    page.goto(f"{server.url}/plans/southern-terms")
    assert page.locator("#verdict").inner_text().strip()
    assert page.locator("meter.sat").count() == 2
    redlines = page.locator("#redlines").inner_text()
    assert "access or nothing" in redlines and "never a tight cap" in redlines
    assert page.locator("#durability tr").count() == 7  # header + six mechanisms


def test_compare_two_plans(server, page):
    """Choosing two plans in the form gives the side-by-side redline and per-party changes."""
    page.goto(f"{server.url}/compare")
    page.select_option("#cmp-a", "southern-terms")
    page.select_option("#cmp-b", "mediator-draft")
    with page.expect_navigation():
        page.click("#compare-form button[type=submit]")
    assert page.locator("#changes ins").count() > 0 and page.locator("#changes del").count() > 0
    assert page.locator("#party-changes tr[data-party]").count() == 3
    assert "river.access" in page.locator('#party-changes tr[data-party="NOR"]').inner_text()


def test_timeline_point_shows_quote(server, page):
    """The Plotly chart draws the statements; clicking a point shows the quote behind it."""
    page.goto(f"{server.url}/timeline?party=SOU&issue=border.island")
    page.locator("#timeline-chart .main-svg").first.wait_for()
    point = page.locator("#timeline-chart .scatterlayer .trace").last.locator("path.point").first
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#quote-body").get_by_text("we could share the island").wait_for(timeout=5000)
    assert page.locator("#quote-body a[href='/documents/art-2']").count() == 1, page.inner_html("#quote-body")


def test_document_payloads_render_as_text(server, page):
    """A document carrying <script>, onerror= and onload= payloads shows them as text, runs none."""
    page.goto(f"{server.url}/documents/art-1")
    text = page.locator("#doc-text")
    body = text.inner_text()
    assert "<script>alert('xss-script')</script>" in body and "onerror=" in body
    assert text.locator("script, img, svg, iframe").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("#doc-title").inner_text() == "Northland demands <b>river</b> access"
    assert page.locator("mark.st").count() == 2
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_javascript_url_in_statement_is_not_a_link(server, page):
    """A statement's javascript: URL never becomes a clickable link, in the table or the panel."""
    page.goto(f"{server.url}/timeline?party=SOU&issue=river.access")
    page.locator("#timeline-chart .main-svg").first.wait_for()
    assert page.locator("a[href^='javascript:']").count() == 0
    point = page.locator("#timeline-chart .scatterlayer .trace").last.locator("path.point").first
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#quote-body").get_by_text("the river is ours").wait_for(timeout=5000)
    assert page.locator("#quote-body a").evaluate_all("as => as.map(a => a.getAttribute('href'))") == [
        "/documents/art-1"]
    assert page.dialogs == []


def test_api_docs_render_locally(server, page):
    """Swagger UI loads from this server and lists the API (no CDN)."""
    page.goto(f"{server.url}/docs")
    page.locator(".opblock-tag").first.wait_for(timeout=15000)
    assert page.get_by_text("/api/matrix").count() >= 1


def test_matrix_slider_steps_by_keyboard(server, page):
    """Arrow keys step the slider through the dates without reloading (label, date field and
    aria-valuetext follow, focus stays); Enter loads the chosen date."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01")
    dates = page.evaluate("JSON.parse(document.getElementById('asof-data').textContent).dates")
    assert len(dates) >= 2
    url = page.url
    slider = page.locator("#asof-slider")
    slider.focus()
    for i in range(1, len(dates)):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
        assert page.url == url
        assert page.evaluate("document.activeElement.id") == "asof-slider"
        assert page.locator("#asof-label").inner_text() == dates[i]
        assert page.locator("#asof-date").input_value() == dates[i]
        assert slider.get_attribute("aria-valuetext") == dates[i]
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(150)
    assert page.url == url and page.locator("#asof-label").inner_text() == dates[-2]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"as_of={dates[-2]}" in page.url


def test_matrix_latest_keeps_filters(server, page):
    """"latest" drops only the date: the party and the issue filters stay."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01&parties=NOR&parties=SOU&issues=river.access")
    assert page.locator("#matrix tbody tr").count() == 1
    with page.expect_navigation():
        page.click("#asof-latest")
    assert "as_of" not in page.url
    assert "parties=NOR%2CSOU" in page.url and "issues=river.access" in page.url
    assert page.locator("#matrix tbody tr").count() == 1
    assert page.locator("#matrix thead th.party").count() == 2


def test_matrix_cell_on_phone_brings_evidence_into_view(bundled_server, browser):
    """At 390 px the evidence panel is under the table: a click scrolls it into view and
    moves focus to it, so the quote is on screen."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, pg = _sized_page(browser, 390, height=844)
    try:
        pg.goto(f"{bundled_server.url}/matrix")
        pg.locator("#matrix .cell-btn").first.click()
        pg.locator("#evidence-body .ev").wait_for()
        pg.wait_for_timeout(200)
        box = pg.evaluate("""() => { const r = document.getElementById('evidence-panel').getBoundingClientRect();
                                     return {top: r.top, bottom: r.bottom, vh: window.innerHeight}; }""")
        assert -2 <= box["top"] < box["vh"] / 2, box
        assert pg.evaluate("document.activeElement.id") == "evidence-panel"
        pg.screenshot(path=str(ARTIFACTS / "w390-bundled-matrix-after-click.png"))
        assert pg.evaluate("window.__csp || []") == [] and pg.errors == []
    finally:
        context.close()


def test_matrix_cell_on_desktop_keeps_focus(server, page):
    """On a wide screen the panel is beside the table: choosing a cell keeps focus on it."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01")
    cell = page.locator('button[data-party="SOU"][data-issue="border.island"]')
    cell.focus()
    page.keyboard.press("Enter")
    page.locator("#evidence-body .ev").wait_for()
    assert page.evaluate("document.activeElement.getAttribute('data-party')") == "SOU"


# --- the workbench at six widths -------------------------------------------------------------------

WIDTHS = (375, 390, 1024, 1280, 1366, 1920)

OVERFLOW = """() => {
  const de = document.documentElement, nav = document.querySelector('header.top nav');
  const out = {page: de.scrollWidth - window.innerWidth, nav: nav.scrollWidth - nav.clientWidth,
               navRight: Math.max(...[...nav.querySelectorAll('a')].map(a => a.getBoundingClientRect().right))};
  const box = document.querySelector('.matrix-scroll');
  if (box) {
    const ths = box.querySelectorAll('thead th');
    out.matrixHidden = ths[ths.length - 1].getBoundingClientRect().right - box.getBoundingClientRect().right;
  }
  // Words and numbers in table cells are never split across lines (a squeezed column would
  // print "p a r t y" or "0. / 7 / 1"); the table scrolls inside its box instead.
  const split = [];
  for (const cell of document.querySelectorAll('.table-scroll th, .table-scroll td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && split.length < 5; n = walker.nextNode()) {
      const re = /[^\\s\\/\u2013\u2014-]{2,}/g;  // break chances at spaces, dashes and slashes are fine
      let m;
      while ((m = re.exec(n.data)) && split.length < 5) {
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  out.splitWords = split;
  return out;
}"""


@pytest.fixture(scope="module")
def bundled_server():
    """The bundled profile (many parties: the matrix that used to lose its last column)."""
    from redline.web import create_app

    with ServerThread(create_app(None, use_database=False)) as srv:
        yield srv


def _sized_page(browser, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(CSP_PROBE)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return context, pg


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(server, bundled_server, browser, width):
    """No page scrolls sideways at phone, laptop or desktop width; the navigation fits; no word
    or number in a table is split across lines; at 1024 px and up the matrix shows its last
    party column without scrolling (below ~1180 px the evidence panel goes under the table)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, pg = _sized_page(browser, width)
    pages = [(server, "/"), (server, "/matrix"), (server, "/plans/southern-terms"),
             (server, "/compare?a=southern-terms&b=mediator-draft"), (server, "/bargain"),
             (server, "/statements"), (server, "/timeline?party=SOU&issue=border.island"),
             (server, "/documents"), (server, "/documents/art-1"), (server, "/upload"),
             (server, "/plans/new?from=southern-terms"),
             (bundled_server, "/matrix"), (bundled_server, "/plans/us-28-point-plan"), (bundled_server, "/bargain"),
             (bundled_server, "/compare?a=us-28-point-plan&b=us-20-point-framework"), (bundled_server, "/compare")]
    problems = []
    try:
        for srv, path in pages:
            pg.goto(srv.url + path)
            if "timeline" in path:
                pg.locator("#timeline-chart .main-svg").first.wait_for()
            m = pg.evaluate(OVERFLOW)
            name = ("bundled" if srv is bundled_server else "toy") + path.split("?")[0].replace("/", "_")
            pg.screenshot(path=str(ARTIFACTS / f"w{width}-{name}.png"), full_page=True)
            if m["page"] > 0 or m["nav"] > 0 or m["navRight"] > width or m["splitWords"]:
                problems.append((path, m))
            if srv is bundled_server and "matrixHidden" in m and width >= 1024 and m["matrixHidden"] > 1:
                problems.append((path, "matrix cuts off its last column", m))
        violations = pg.evaluate("window.__csp || []")
    finally:
        context.close()
    assert problems == [], problems
    assert violations == [] and pg.errors == []


def test_bargain_page_form(server, page):
    """Choose parties and impose a term in the form; the packages honour it, with explanations."""
    page.goto(f"{server.url}/bargain")
    page.check("input[name=parties][value=NOR]")
    page.check("input[name=parties][value=SOU]")
    page.select_option("select[data-issue='river.access']", "river.access=for")
    page.select_option("#bg-solution", "nash")
    with page.expect_navigation():
        page.click("#bargain-form button[type=submit]")
    table = page.locator("table.package[data-solution=nash]")
    row = table.locator("tr", has=page.locator("code", has_text="river.access"))
    assert row.locator("td").nth(1).inner_text().startswith("for")
    assert page.locator(".explanation li").count() == 2
    assert "Among NOR, SOU" in page.locator("p.meta").first.inner_text()


def test_statements_browser(server, page):
    """Filter statements by party and words, then follow a row to its document."""
    page.goto(f"{server.url}/statements")
    assert page.locator("tr.st-row").count() == 3
    page.select_option("#st-party", "SOU")
    page.fill("#st-q", "island")
    with page.expect_navigation():
        page.click("#statements-form button[type=submit]")
    assert page.locator("tr.st-row").count() == 1
    assert "we could share the island" in page.locator("#statements").inner_text()
    with page.expect_navigation():
        page.click("tr.st-row a.doc-link")
    assert page.url.endswith("/documents/art-2")
    assert page.locator("mark.st").count() == 1


def test_document_id_with_slash_opens(server, page):
    """An id with slashes (a subfolder ingest) is a working link from the list to the page."""
    from redline.model import Document

    store = server.server.config.app.state.workspace.store
    store.add_documents([Document(id="sub/dir/c.txt", title="In a subfolder", text="Mediatoria FM: from a folder.")])
    page.goto(f"{server.url}/documents")
    with page.expect_navigation():
        page.click("text=In a subfolder")
    assert page.url.endswith("/documents/sub%2Fdir%2Fc.txt")
    assert page.locator("#doc-title").inner_text() == "In a subfolder"


def test_upload_page(server, page):
    """Upload behind the token: a wrong token is refused with the server's message; with the
    right one each file gets its outcome and a stored one links to its page."""
    store = server.server.config.app.state.workspace.store
    secret = store.create_token("browser-upload")
    page.goto(f"{server.url}/upload")
    files = [{"name": "memo.html", "mimeType": "text/html",
              "buffer": b"<html><title>Memo</title><body><p>Mediatoria FM: talks in <b>May</b>.</p></body></html>"},
             {"name": "blob.bin", "mimeType": "application/octet-stream", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}]
    page.fill("#token", "rl_wrong")
    page.set_input_files("#upload-files", files=files)
    page.uncheck("#upload-extract")
    page.click("#upload-form button[type=submit]")
    page.locator("#form-status.error").wait_for()
    assert "401" in page.locator("#form-status").inner_text()
    page.fill("#token", secret)
    page.click("#upload-form button[type=submit]")
    page.locator("#upload-results").wait_for()
    rows = page.locator("#upload-results tbody tr")
    assert rows.count() == 2
    assert "stored" in rows.nth(0).inner_text() and "skipped" in rows.nth(1).inner_text()
    assert "binary file (PNG image)" in rows.nth(1).inner_text()  # the CLI's reason, word for word
    with page.expect_navigation():
        rows.nth(0).locator("a").click()
    assert "talks in May" in page.locator("#doc-text").inner_text()


def test_plan_editor(server, page):
    """Copy a plan, break it, see the validation errors under the text, fix it, save, assess."""
    store = server.server.config.app.state.workspace.store
    secret = store.create_token("browser-plans")
    page.goto(f"{server.url}/plans/mediator-draft")
    with page.expect_navigation():
        page.click("#copy-plan")
    import json as _json

    plan = _json.loads(page.locator("#plan-json").input_value())
    assert plan["id"] == "mediator-draft-copy"
    plan["provisions"][0]["option"] = "maybe"
    page.fill("#token", secret)
    page.fill("#plan-json", _json.dumps(plan))
    page.click("#plan-form button[type=submit]")
    page.locator("#plan-errors li").first.wait_for()
    assert "maybe" in page.locator("#plan-errors").inner_text()
    assert page.locator("#plan-json").get_attribute("aria-invalid") == "true"
    plan["provisions"][0]["option"] = "for"
    page.fill("#plan-json", _json.dumps(plan))
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    assert page.url.endswith("/plans/mediator-draft-copy")
    assert page.locator("#verdict").inner_text().strip()
    with page.expect_navigation():
        page.click("#edit-plan")
    assert "Edit plan" in page.locator("h1").inner_text()


def test_matrix_shows_source_tier_and_stale_flag(server, page):
    """Evidence an analyst can cite: each quote names its source tier, and a cell whose newest
    evidence is older than a year at the chosen date says so; the same cell is not stale earlier."""
    page.goto(f"{server.url}/matrix?as_of=2020-06-01")
    cell = page.locator('button[data-party="NOR"][data-issue="army.cap"]')
    assert cell.locator(".stale-marker").count() == 0
    cell.click()
    tier = page.locator("#evidence-body .tier")
    tier.first.wait_for()
    assert "tier-official" in tier.first.get_attribute("class")
    assert tier.first.inner_text().strip() == "official or primary text"
    page.goto(f"{server.url}/matrix?as_of=2023-01-01")
    stale = page.locator('button[data-party="NOR"][data-issue="army.cap"] .stale-marker')
    assert stale.count() == 1
    assert "2020-01-01" in stale.get_attribute("title")


def test_plan_editor_lists_every_problem_and_deletes_a_saved_plan(server, page):
    """Items 10 and 11 in the UI: the editor lists every problem with its place; a saved plan is
    deleted from its edit page only with the token and after confirming."""
    import json as _json

    store = server.server.config.app.state.workspace.store
    secret = store.create_token("browser-delete")
    plan = _json.loads(_get_text(server, "/api/plans/mediator-draft"))
    plan["id"] = "ui-del-browser"
    plan["proposers"] = []
    plan["provisions"][0]["issue"] = "no.such"

    page.goto(f"{server.url}/plans/new")
    page.fill("#token", secret)
    page.fill("#plan-json", _json.dumps(plan))
    page.click("#plan-form button[type=submit]")
    page.locator("#plan-errors li").first.wait_for()
    errors = page.locator("#plan-errors li").all_inner_texts()
    assert any(e.startswith("proposers:") for e in errors), errors
    assert any(e.startswith("provisions.0.issue: unknown issue id 'no.such'") for e in errors), errors
    plan["proposers"] = ["MED"]
    plan["provisions"][0]["issue"] = "river.access"
    page.fill("#plan-json", _json.dumps(plan))
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    assert page.url.endswith("/plans/ui-del-browser")
    with page.expect_navigation():
        page.click("#delete-plan-link")
    assert page.locator("#plan-delete-form").is_visible()
    # No token: refused in the page, nothing sent.
    page.evaluate("sessionStorage.clear()")
    page.fill("#token", "")
    page.click("#delete-plan-button")
    assert "needs a token" in page.locator("#form-status").inner_text()
    assert page.dialogs == []
    # With the token, the browser asks first; dismissing keeps the plan.
    page.fill("#token", secret)
    page.click("#delete-plan-button")
    page.locator("#form-status", has_text="not deleted").wait_for()
    assert len(page.dialogs) == 1 and "ui-del-browser" in page.dialogs[0]
    assert _has_plan(server, "ui-del-browser")
    # A wrong token: the server's 401 is shown.
    page.evaluate("window.confirm = () => true")  # accept the next confirmations
    page.fill("#token", "rl_wrong")
    page.click("#delete-plan-button")
    page.locator("#form-status.error", has_text="401").wait_for()
    assert _has_plan(server, "ui-del-browser")
    page.fill("#token", secret)
    with page.expect_navigation():
        page.click("#delete-plan-button")
    assert page.url.endswith("/plans")
    assert "ui-del-browser" not in page.content()
    assert not _has_plan(server, "ui-del-browser")


def _get_text(server, path: str) -> str:
    import httpx

    return httpx.get(server.url + path, timeout=10).text


def _has_plan(server, plan_id: str) -> bool:
    import httpx

    return httpx.get(f"{server.url}/api/plans/{plan_id}", timeout=10).status_code == 200

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
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
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

"""Server-rendered pages (Jinja2, autoescaped): matrix, plan scorecard, compare, timeline, documents.

All untrusted text (quotes, document text, titles) is escaped by the templates; data for
scripts goes into ``<script type="application/json">`` blocks through ``json_in_html``; the
scripts are static files (no inline script, no inline handlers), so the CSP can forbid both.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from redline import __version__
from redline.errors import NotFound
from redline.render import json_in_html, safe_href
from redline.web import views
from redline.web.api import (ID_MAX, MAX_OFFSET, TEXT_MAX, _matrix_cached, assessment_of, backend, clean,
                             comparison_of, id_list, timeline_of)
from redline.web.backend import Backend

router = APIRouter(include_in_schema=False)

PAGE = 25


def _num(x: object, digits: int = 2) -> str:
    return "—" if x is None else f"{float(x):.{digits}f}"


_env = Environment(
    loader=ChoiceLoader([PackageLoader("redline.web", "templates"), PackageLoader("redline.render", "templates")]),
    autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["href"] = safe_href
_env.filters["num"] = _num
_env.filters["json_in_html"] = json_in_html
_env.globals["version"] = __version__


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    b: Backend = request.app.state.backend
    html = _env.get_template(template).render(request_path=request.url.path, profile=b.profile,
                                              has_store=b.store is not None, **context)
    return HTMLResponse(html, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, b: Backend = Depends(backend)):
    plans = sorted(b.plans().values(), key=lambda p: p.date)
    return render(request, "index.html.j2", plans=plans, dates=views.position_dates(b.profile))


@router.get("/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, as_of: dt.date | None = None,
                parties: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                b: Backend = Depends(backend)):
    m = _matrix_cached(b, as_of, id_list(parties, "parties"))
    cells = {(c.party, c.issue): c for c in m.cells}
    dates = [d.isoformat() for d in m.dates]
    current = as_of.isoformat() if as_of else ""
    # The slider stops at each date a position starts; "latest" is the last stop.
    idx = len(dates) - 1
    if as_of is not None:
        idx = max([i for i, d in enumerate(m.dates) if d <= as_of], default=0)
    return render(request, "matrix.html.j2", m=m, cells=cells, current=current,
                  slider={"dates": dates, "index": idx}, parties_param=parties or "")


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, b: Backend = Depends(backend)):
    plans = sorted(b.plans().values(), key=lambda p: (p.date, p.id))
    return render(request, "plans.html.j2", plans=plans, bundled=set(b.profile.plans))


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: Annotated[str, Path(max_length=ID_MAX)], as_of: dt.date | None = None,
              b: Backend = Depends(backend)):
    plan = b.plan(plan_id)
    a = assessment_of(b, plan_id, as_of)
    return render(request, "plan.html.j2", plan=plan, a=a, bundled=b.is_bundled(plan_id),
                  precedents=precedents_of(b, plan))


def precedents_of(b: Backend, plan):
    """The PA-X precedents of a plan; a missing PA-X file is shown as a message, not an error."""
    from redline.precedents import plan_precedents

    return plan_precedents(plan, b.profile, top=5, baserates=False)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, a: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                 b_: Annotated[str | None, Query(alias="b", max_length=ID_MAX)] = None,
                 as_of: dt.date | None = None, b: Backend = Depends(backend)):
    plans = sorted(b.plans().values(), key=lambda p: (p.date, p.id))
    c = comparison_of(b, a, b_, as_of) if a and b_ else None
    texts = {}
    if c is not None:
        pa, pb = b.plan(a), b.plan(b_)
        texts = {"a": pa, "b": pb}
    return render(request, "compare.html.j2", plans=plans, c=c, a=a or "", b=b_ or "", texts=texts)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, party: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                  issue: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                  b: Backend = Depends(backend)):
    party = clean(party, "party")
    issue = clean(issue, "issue")
    t = timeline_of(b, party, issue) if party and issue else None
    return render(request, "timeline.html.j2", t=t, party=party or "", issue=issue or "",
                  chart=t.model_dump(mode="json") if t else None)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, q: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                   offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0, b: Backend = Depends(backend)):
    q = clean(q, "q")
    docs, total = b.documents(q, PAGE, offset) if b.store is not None else ([], 0)
    return render(request, "documents.html.j2", docs=docs, total=total, q=q or "", offset=offset, page=PAGE)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: Annotated[str, Path(max_length=ID_MAX)],
                  b: Backend = Depends(backend)):
    doc = b.document(document_id)
    statements = b.document_statements(doc.id)
    segments = views.highlight(doc.text, [s.quote for s in statements])
    return render(request, "document.html.j2", doc=doc, statements=statements, segments=segments)


@router.get("/favicon.ico")
def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


__all__ = ["router", "render", "NotFound"]

"""Server-rendered pages (Jinja2, autoescaped): the analyst's workbench over the workspace.

Each page calls the same ``Workspace`` method as its API endpoint and renders the typed result,
so a page and ``/api/...`` never disagree. All untrusted text (quotes, document text, titles)
is escaped by the templates; data for scripts goes into ``<script type="application/json">``
blocks through ``json_in_html``; the scripts are static files (no inline script, no inline
handlers), so the CSP can forbid both. Ids go into links through ``idpath`` (every ``/``
escaped), and the routes take ``{id:path}``, so ids with slashes work and cannot leave the app.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from redline.errors import DataError, NotFound
from redline.render import environment, parameter_labels
from redline.services.matrix import position_dates
from redline.web import views
from redline.web.api import ID_MAX, MAX_OFFSET, TEXT_MAX, backend, clean, id_list, parse_fix
from redline.web.backend import Backend

router = APIRouter(include_in_schema=False)

PAGE = 25

NAV = [("/matrix", "Matrix"), ("/plans", "Plans"), ("/compare", "Compare"), ("/bargain", "Bargain"),
       ("/statements", "Statements"), ("/timeline", "Timeline"), ("/documents", "Documents"), ("/docs", "API")]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    b: Backend = request.app.state.backend
    env = environment(True, ("redline.web",))
    html = env.get_template(template).render(request_path=request.url.path, profile=b.profile, nav=NAV,
                                             has_store=b.store is not None, **context)
    return HTMLResponse(html, status_code=status_code)


DateParam = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; empty means omitted")]


def _date(value: str | None, name: str) -> dt.date | None:
    """A date from a form: an empty date field (``as_of=``) means omitted, not an error."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{name} {value!r} is not a date", fix="use YYYY-MM-DD") from None


def _query(**params: Any) -> str:
    """A query string of the non-empty parameters (for export and paging links)."""
    flat: list[tuple[str, str]] = []
    for k, v in params.items():
        for item in (v if isinstance(v, list) else [v]):
            if item not in (None, "", []):
                flat.append((k, str(item)))
    return urlencode(flat)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, b: Backend = Depends(backend)):
    plans = sorted(b.plans().values(), key=lambda p: p.date)
    return render(request, "index.html.j2", plans=plans, dates=position_dates(b.profile))


@router.get("/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, as_of: DateParam = None,
                parties: Annotated[list[str] | None, Query(max_length=100)] = None,
                issues: Annotated[list[str] | None, Query(max_length=100)] = None,
                b: Backend = Depends(backend)):
    as_of_ = _date(as_of, "as_of")
    # Checkboxes send one value each; a link may send a comma-separated list: both work.
    parties = ",".join(p for p in parties or [] if p) or None
    issues = ",".join(i for i in issues or [] if i) or None
    party_ids, issue_ids = id_list(parties, "parties"), id_list(issues, "issues")
    m = b.matrix(as_of_, party_ids, issue_ids)
    cells = {(c.party, c.issue): c for c in m.cells}
    dates = [d.isoformat() for d in m.dates]
    current = as_of_.isoformat() if as_of_ else ""
    # The slider stops at each date a position starts; "latest" is the last stop.
    idx = len(dates) - 1
    if as_of_ is not None:
        idx = max([i for i, d in enumerate(m.dates) if d <= as_of_], default=0)
    export = _query(as_of=current, parties=parties or "", issues=issues or "")
    return render(request, "matrix.html.j2", m=m, cells=cells, current=current,
                  slider={"dates": dates, "index": idx}, parties_param=parties or "", issues_param=issues or "",
                  chosen_parties=set(party_ids or []), chosen_issues=set(issue_ids or []), export=export)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, b: Backend = Depends(backend)):
    plans = sorted(b.plans().values(), key=lambda p: (p.date, p.id))
    return render(request, "plans.html.j2", plans=plans, bundled=set(b.profile.plans))


@router.get("/plans/new", response_class=HTMLResponse)
def plan_new_page(request: Request, from_: Annotated[str | None, Query(alias="from", max_length=ID_MAX)] = None,
                  b: Backend = Depends(backend)):
    """A new plan as JSON: blank, or a copy of another plan under a new id."""
    if from_:
        data = _plan_json(b.plan(from_))
        data["id"] = f"{data['id']}-copy"[:ID_MAX]
        data["title"] = f"{data.get('title', '')} (copy)"
    else:
        issue = next(iter(b.profile.issues.values()))
        data = {"id": "my-plan", "title": "", "date": dt.date.today().isoformat(), "proposers": [],
                "sources": [{"url": "https://example.org/the-plan-text"}],
                "provisions": [{"number": "1", "text": "", "issue": issue.id, "option": issue.option_ids[0]}]}
    return render(request, "plan_edit.html.j2", editing=False, plan_id="", text=json.dumps(data, indent=2,
                                                                                            ensure_ascii=False))


@router.get("/plans/{plan_id}/edit", response_class=HTMLResponse)
def plan_edit_page(request: Request, plan_id: Annotated[str, Path(max_length=ID_MAX)],
                   b: Backend = Depends(backend)):
    """Edit a saved plan (bundled plans are read-only: copy them to a new id instead)."""
    if b.is_bundled(plan_id):
        return RedirectResponse(f"/plans/new?from={quote(plan_id)}", status_code=303)
    plan = b.plan(plan_id)
    return render(request, "plan_edit.html.j2", editing=True, plan_id=plan.id,
                  text=json.dumps(_plan_json(plan), indent=2, ensure_ascii=False))


def _plan_json(plan: Any) -> dict[str, Any]:
    return plan.model_dump(mode="json", exclude_defaults=True)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    return render(request, "upload.html.j2")


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: Annotated[str, Path(max_length=ID_MAX)], as_of: DateParam = None,
              b: Backend = Depends(backend)):
    as_of_ = _date(as_of, "as_of")
    from redline.precedents import PrecedentReport

    plan = b.plan(plan_id)
    a = b.assessment(plan_id, as_of_)
    precedents = PrecedentReport.model_validate(a.precedents) if a.precedents else None
    return render(request, "plan.html.j2", plan=plan, a=a, bundled=b.is_bundled(plan_id), precedents=precedents,
                  params=parameter_labels(b.profile), opt=_option_label(b))


def _option_label(b: Backend):
    """An option's label on its issue's scale (ids like ``ceiling_current`` are for scripts)."""
    labels = {i.id: {o.id: o.label for o in i.options if o.label} for i in b.profile.issues.values()}

    def label(issue: str | None, option: str | None) -> str:
        return labels.get(issue or "", {}).get(option or "", option or "")
    return label


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, a: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                 b_: Annotated[str | None, Query(alias="b", max_length=ID_MAX)] = None,
                 as_of: DateParam = None, b: Backend = Depends(backend)):
    as_of_ = _date(as_of, "as_of")
    plans = sorted(b.plans().values(), key=lambda p: (p.date, p.id))
    c = b.comparison(a, b_, as_of_) if a and b_ else None
    texts = {"a": b.plan(a), "b": b.plan(b_)} if c is not None and a and b_ else {}
    # Exports and verdict links carry the date the page was scored at, so they show the same numbers.
    export = _query(a=c.before, b=c.after, as_of=c.as_of.isoformat()) if c is not None else ""
    return render(request, "compare.html.j2", plans=plans, c=c, a=a or "", b=b_ or "", texts=texts,
                  as_of=as_of_.isoformat() if as_of_ else "", export=export)


@router.get("/bargain", response_class=HTMLResponse)
def bargain_page(request: Request, as_of: DateParam = None,
                 parties: Annotated[list[str] | None, Query(max_length=50)] = None,
                 solution: Annotated[str, Query(max_length=10)] = "all",
                 fix: Annotated[list[str] | None, Query(max_length=50)] = None,
                 top: Annotated[int, Query(ge=1, le=5)] = 1,
                 b: Backend = Depends(backend)):
    """Choose parties and imposed terms; see the zone, the packages and what each party gets."""
    as_of_ = _date(as_of, "as_of")
    if solution not in ("all", "nash", "maxmin", "ks"):
        raise DataError(f"unknown solution {solution[:20]!r}", fix="all, nash, maxmin or ks")
    chosen = [p for p in (clean(x, "parties") for x in parties or []) if p]
    terms = [t for t in (clean(x, "fix") for x in fix or []) if t and not t.endswith("=")]
    try:
        fixed = parse_fix(b, terms)
        report = b.bargain(as_of_, chosen or None, None if solution == "all" else [solution], top, fixed)
    except DataError as e:
        if type(e) is not DataError:
            raise
        raise DataError(views.web_wording(e.message), file=e.file, line=e.line,
                        fix=views.web_wording(e.fix) if e.fix else None) from None
    from redline.bargain.report import SOLUTION_NAMES

    export = _query(as_of=as_of_.isoformat() if as_of_ else "", parties=",".join(chosen), solution=solution,
                    top=top if top > 1 else "", fix=terms)
    meta = b.profile.meta
    default_parties = (f"the principal parties only ({', '.join(meta.principals)})"
                       if meta.bargaining.weighting == "principals" else "every party with a position")
    # The report's notes are the CLI's words; here they name this page's controls instead.
    notes = [views.web_wording(n) for n in report.notes if not n.startswith("who counts: ")]
    conflicts = [views.web_wording(c.explanation) for c in report.zone.conflicts]
    return render(request, "bargain.html.j2", r=report, chosen=set(chosen), fixed=fixed, solution=solution,
                  top=top, as_of=as_of_.isoformat() if as_of_ else "", names=SOLUTION_NAMES, export=export,
                  default_parties=default_parties, notes=notes, conflicts=conflicts,
                  who_counts=views.web_wording(report.who_counts))


@router.get("/statements", response_class=HTMLResponse)
def statements_page(request: Request, party: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    issue: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    since: DateParam = None, until: DateParam = None,
                    q: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0, b: Backend = Depends(backend)):
    """Every stored statement, filtered by party, issue, date range and words, newest first."""
    since_, until_ = _date(since, "since"), _date(until, "until")
    party, issue, q = clean(party, "party"), clean(issue, "issue"), clean(q, "q")
    if party:
        b.profile.party(party)
    if issue:
        b.profile.issue(issue)
    items, total = (b.statements(party=party, issue=issue, since=since_, until=until_, text=q, limit=PAGE,
                                 offset=offset) if b.store is not None else ([], 0))
    filters = dict(party=party or "", issue=issue or "", since=since_.isoformat() if since_ else "",
                   until=until_.isoformat() if until_ else "", q=q or "")
    # Past the end (an old link, a hand-edited offset) "newer" leads to the last page that has rows.
    last = (total - 1) // PAGE * PAGE if total else 0
    newer = last if offset >= total else max(offset - PAGE, 0)
    return render(request, "statements.html.j2", items=items, total=total, offset=offset, page=PAGE,
                  f=filters, query=_query(**filters), last=last,
                  prev=_query(**filters, offset=newer) if offset > 0 and total else None,
                  next=_query(**filters, offset=offset + PAGE) if offset + PAGE < total else None)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, party: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                  issue: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                  b: Backend = Depends(backend)):
    party = clean(party, "party")
    issue = clean(issue, "issue")
    t = b.timeline(party, issue) if party and issue else None
    return render(request, "timeline.html.j2", t=t, party=party or "", issue=issue or "",
                  chart=t.model_dump(mode="json") if t else None)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, q: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                   offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0, b: Backend = Depends(backend)):
    q = clean(q, "q")
    docs, total = b.documents(q, PAGE, offset) if b.store is not None else ([], 0)
    return render(request, "documents.html.j2", docs=docs, total=total, q=q or "", offset=offset, page=PAGE)


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)
def document_page(request: Request, document_id: Annotated[str, Path(max_length=ID_MAX)],
                  b: Backend = Depends(backend)):
    doc = b.document(document_id)
    statements = b.document_statements(doc.id)
    segments = views.highlight(doc.text, [s.quote for s in statements])
    return render(request, "document.html.j2", doc=doc, statements=statements, segments=segments,
                  anchors=views.quote_anchors(segments, len(statements)))


@router.get("/favicon.ico")
def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


__all__ = ["router", "render", "NotFound"]

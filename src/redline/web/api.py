"""The REST API under /api: a thin shell over the library (each endpoint calls one function).

Reads are open; writes need a bearer token. List endpoints answer JSON, or CSV with
``?format=csv`` (or ``Accept: text/csv``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import (APIRouter, Body, Depends, File, HTTPException, Path, Query, Request, Response,
                     UploadFile)
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from redline.assess import Assessment, Comparison, assess, compare
from redline.errors import DataError, NotFound
from redline.model import Document, Issue, Party, Plan, Position, Statement
from redline.web import views
from redline.web.backend import Backend
from redline.web.security import require_token

T = TypeVar("T")

MAX_LIMIT = 500
MAX_OFFSET = 10**9
TEXT_MAX = 200
ID_MAX = 200

router = APIRouter(prefix="/api")
write = [Depends(require_token)]


# --- shared parameters ------------------------------------------------------------------------

def backend(request: Request) -> Backend:
    return request.app.state.backend


def clean(value: str | None, what: str) -> str | None:
    """Query text reaches SQL only as a bound parameter; NUL and control characters are refused
    because PostgreSQL rejects NUL in text and no real query needs them."""
    if value is None:
        return None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise HTTPException(422, f"{what} contains control characters")
    value = value.strip()
    return value or None


def id_list(value: str | None, what: str) -> list[str] | None:
    value = clean(value, what)
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] or None


def no_nul(value: Any, what: str = "request") -> None:
    """Refuse NUL characters anywhere in a request body: PostgreSQL cannot store them in text or
    JSON, SQLite would silently keep them, so both backends answer 422 alike."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, str):
        if "\x00" in value:
            raise DataError(f"{what} contains a NUL character")
    elif isinstance(value, dict):
        for k, v in value.items():
            no_nul(k, what)
            no_nul(v, what)
    elif isinstance(value, (list, tuple)):
        for v in value:
            no_nul(v, what)


Fmt = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]
AsOf = Annotated[dt.date | None, Query(description="Positions as of this date (default: latest).")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
PlanId = Annotated[str, Path(min_length=1, max_length=ID_MAX)]


def wants_csv(request: Request, fmt: str) -> bool:
    return fmt == "csv" or (fmt == "json" and "format" not in request.query_params
                            and "text/csv" in request.headers.get("accept", "")
                            and "application/json" not in request.headers.get("accept", ""))


def csv_response(rows: list[dict[str, Any]], name: str, columns: list[str] | None = None) -> Response:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80] or "data"
    return Response(views.to_csv(rows, columns), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{safe}.csv"'})


CSV_DOC = {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                 "description": "JSON, or CSV with format=csv"}}


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ProfileInfo(BaseModel):
    id: str
    title: str
    description: str
    principals: list[str]
    issues: int
    parties: int
    positions: int
    plans: int
    database: bool


class PlanSummary(BaseModel):
    id: str
    title: str
    date: dt.date
    proposers: list[str]
    status: str
    provisions: int
    issues: int
    bundled: bool


class DocumentSummary(BaseModel):
    id: str
    title: str
    url: str | None
    outlet: str
    date: dt.date | None
    chars: int


class DocumentDetail(BaseModel):
    document: Document
    statements: list[Statement]


class Duplicate(BaseModel):
    source: str
    existing_id: str


class Skipped(BaseModel):
    source: str
    reason: str


class IngestResult(BaseModel):
    """What an ingest did: ids stored, inputs already there (same text), inputs refused and why."""

    stored: list[str]
    duplicates: list[Duplicate]
    skipped: list[Skipped]
    renamed: dict[str, str]
    statements: int
    extracted: bool
    note: str = ""


class StatementsAdded(BaseModel):
    document_id: str
    added: int


class BargainResult(BaseModel):
    profile: str
    as_of: dt.date | None
    parties: list[str]
    issues: list[str]
    conflicts: list[dict[str, Any]]
    solutions: list[dict[str, Any]]
    notes: list[str]


# --- profile ----------------------------------------------------------------------------------

def _profile_info(b: Backend) -> ProfileInfo:
    p = b.profile
    return ProfileInfo(id=p.id, title=p.meta.title, description=p.meta.description,
                       principals=p.meta.principals, issues=len(p.issues), parties=len(p.parties),
                       positions=len(p.positions), plans=len(b.plans()), database=b.store is not None)


@router.get("/profiles", response_model=list[ProfileInfo], tags=["profile"])
def list_profiles(b: Backend = Depends(backend)):
    """The profile this server serves (one per server: start another with --profile)."""
    return [_profile_info(b)]


@router.get("/profiles/{profile_id}", response_model=ProfileInfo, tags=["profile"])
def get_profile(profile_id: Annotated[str, Path(max_length=ID_MAX)], b: Backend = Depends(backend)):
    if profile_id != b.profile.id:
        raise NotFound(f"this server serves profile {b.profile.id!r}, not {profile_id!r}")
    return _profile_info(b)


@router.get("/parties", response_model=list[Party], responses=CSV_DOC, tags=["profile"])
def list_parties(request: Request, format: Fmt = "json", b: Backend = Depends(backend)):
    items = list(b.profile.parties.values())
    if wants_csv(request, format):
        return csv_response(views.to_rows(items), "parties")
    return items


@router.get("/parties/{party_id}", response_model=Party, tags=["profile"])
def get_party(party_id: Annotated[str, Path(max_length=ID_MAX)], b: Backend = Depends(backend)):
    return b.profile.party(party_id)


@router.get("/issues", response_model=list[Issue], responses=CSV_DOC, tags=["profile"])
def list_issues(request: Request, format: Fmt = "json", b: Backend = Depends(backend)):
    items = list(b.profile.issues.values())
    if wants_csv(request, format):
        rows = [{"id": i.id, "proposition": i.proposition, "options": i.option_ids,
                 "status_quo": i.status_quo, "description": i.description} for i in items]
        return csv_response(rows, "issues")
    return items


@router.get("/issues/{issue_id}", response_model=Issue, tags=["profile"])
def get_issue(issue_id: Annotated[str, Path(max_length=ID_MAX)], b: Backend = Depends(backend)):
    return b.profile.issue(issue_id)


@router.get("/positions", response_model=list[Position], responses=CSV_DOC, tags=["positions"])
def list_positions(request: Request, as_of: AsOf = None,
                   party: Annotated[str | None, Query(max_length=TEXT_MAX, description="comma-separated ids")] = None,
                   issue: Annotated[str | None, Query(max_length=TEXT_MAX, description="comma-separated ids")] = None,
                   format: Fmt = "json", b: Backend = Depends(backend)):
    """Each (party, issue)'s latest curated position on or before ``as_of``."""
    parties = id_list(party, "party")
    issues = id_list(issue, "issue")
    for i in issues or []:
        b.profile.issue(i)
    found = b.profile.positions_as_of(as_of, parties)
    if parties:
        for p in parties:
            b.profile.party(p)
    items = [pos for (p, i), pos in found.items() if issues is None or i in issues]
    if wants_csv(request, format):
        return csv_response(views.position_rows(items), f"positions-{as_of or 'latest'}")
    return items


@router.get("/matrix", response_model=views.Matrix, responses=CSV_DOC, tags=["positions"])
def get_matrix(request: Request, as_of: AsOf = None,
               parties: Annotated[str | None, Query(max_length=TEXT_MAX, description="comma-separated ids")] = None,
               format: Fmt = "json", b: Backend = Depends(backend)):
    """The party × issue matrix as of a date, each cell with its evidence quotes."""
    ids = id_list(parties, "parties")
    m = _matrix_cached(b, as_of, ids)
    if wants_csv(request, format):
        rows = [c.model_dump(mode="json") for c in m.cells]
        return csv_response(rows, f"matrix-{as_of or 'latest'}")
    # The profile does not change while serving: keep the encoded body, skip re-validation.
    cache = b.__dict__.setdefault("_matrix_json", {})
    key = (as_of, tuple(ids) if ids else None)
    body = cache.get(key)
    if body is None:
        body = m.model_dump_json().encode()
        if len(cache) > 256:
            cache.clear()
        cache[key] = body
    return Response(body, media_type="application/json")


def _matrix_cached(b: Backend, as_of: dt.date | None, parties: list[str] | None) -> views.Matrix:
    cache = b.__dict__.setdefault("_matrix_cache", {})
    key = (as_of, tuple(parties) if parties else None)
    m = cache.get(key)
    if m is None:
        m = views.matrix(b.profile, as_of, parties)
        if len(cache) > 256:
            cache.clear()
        cache[key] = m
    return m


# --- statements and documents -----------------------------------------------------------------

@router.get("/statements", response_model=Page[Statement], responses=CSV_DOC, tags=["statements"])
def list_statements(request: Request,
                    party: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    issue: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    since: dt.date | None = None, until: dt.date | None = None,
                    q: Annotated[str | None, Query(max_length=TEXT_MAX, description="words in the quote or speaker (phrase; the last word also matches as a prefix)")] = None,
                    limit: Limit = 50, offset: Offset = 0, format: Fmt = "json",
                    b: Backend = Depends(backend)):
    """Extracted statements, filtered by party, issue, date range and quote text; newest first."""
    items, total = b.statements(party=clean(party, "party"), issue=clean(issue, "issue"), since=since,
                                until=until, text=clean(q, "q"), limit=limit, offset=offset)
    if wants_csv(request, format):
        return csv_response(views.to_rows(items), "statements")
    page = Page[Statement](items=items, total=total, limit=limit, offset=offset)
    return Response(page.model_dump_json().encode(), media_type="application/json")


@router.get("/documents", response_model=Page[DocumentSummary], responses=CSV_DOC, tags=["documents"])
def list_documents(request: Request, q: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                   limit: Limit = 50, offset: Offset = 0, format: Fmt = "json", b: Backend = Depends(backend)):
    docs, total = b.documents(clean(q, "q"), limit, offset)
    items = [DocumentSummary(id=d.id, title=d.title, url=d.url, outlet=d.outlet, date=d.date, chars=len(d.text))
             for d in docs]
    if wants_csv(request, format):
        return csv_response(views.to_rows(items), "documents")
    return Page[DocumentSummary](items=items, total=total, limit=limit, offset=offset)


@router.get("/documents/{document_id}", response_model=DocumentDetail, tags=["documents"])
def get_document(document_id: Annotated[str, Path(max_length=ID_MAX)], b: Backend = Depends(backend)):
    doc = b.document(clean(document_id, "document id") or "")
    return DocumentDetail(document=doc, statements=b.document_statements(doc.id))


class DocumentIn(BaseModel):
    """A document to ingest; ``id`` defaults to a hash of the text."""

    id: str | None = Field(None, min_length=1, max_length=ID_MAX)
    text: str = Field(min_length=1)
    title: str = ""
    url: str | None = None
    outlet: str = ""
    author: str = ""
    date: dt.date | None = None

    def to_document(self) -> Document:
        no_nul(self, "document")
        url = self.url if self.url and self.url.startswith(("http://", "https://")) else None
        return Document(id=self.id or "doc-" + hashlib.sha256(self.text.encode()).hexdigest()[:16],
                        text=self.text, title=self.title, url=url, outlet=self.outlet, author=self.author,
                        date=self.date, date_source="request" if self.date else "")


@router.post("/documents", response_model=IngestResult, status_code=201, dependencies=write, tags=["documents"])
def add_documents(docs: Annotated[list[DocumentIn], Body(min_length=1, max_length=500)],
                  extract: bool = Query(True, description="run statement extraction (when installed)"),
                  b: Backend = Depends(backend)):
    """Ingest documents (JSON): store them and extract their statements."""
    return b.ingest([d.to_document() for d in docs], extract=extract)


@router.post("/documents/upload", response_model=IngestResult, status_code=201, dependencies=write,
             tags=["documents"])
async def upload_documents(files: list[UploadFile] = File(...), extract: bool = Query(True),
                           b: Backend = Depends(backend)):
    """Ingest uploaded files (text, Markdown, HTML; UTF-8), read like ``redline ingest`` reads them."""
    from starlette.concurrency import run_in_threadpool

    from redline.ingest.readers import read_text_document

    docs = []
    skipped = []
    for f in files:
        raw = await f.read()
        name = (f.filename or "upload")[:ID_MAX]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            skipped.append({"source": name, "reason": "not UTF-8 text"})
            continue
        if "\x00" in text:
            skipped.append({"source": name, "reason": "binary data (NUL bytes)"})
            continue
        suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        doc_id = "upload-" + hashlib.sha256(raw).hexdigest()[:16]
        item = read_text_document(text, doc_id=doc_id, path=name, suffix=suffix)
        if isinstance(item, Document):
            docs.append(item)
        else:
            skipped.append({"source": name, "reason": getattr(item, "reason", "unreadable")})
    result = await run_in_threadpool(b.ingest, docs, extract) if docs else {
        "stored": [], "duplicates": [], "skipped": [], "renamed": {}, "statements": 0, "extracted": False}
    result["skipped"] = list(result.get("skipped", [])) + skipped
    return result


@router.post("/documents/{document_id}/statements", response_model=StatementsAdded, status_code=201,
             dependencies=write, tags=["statements"])
def add_statements(document_id: Annotated[str, Path(max_length=ID_MAX)],
                   statements: Annotated[list[Statement], Body(min_length=1, max_length=1000)],
                   b: Backend = Depends(backend)):
    """Add statements to a stored document (for curated or externally extracted statements)."""
    no_nul(statements, "statement")
    n = b.add_statements(document_id, statements)
    return StatementsAdded(document_id=document_id, added=n)


# --- plans ------------------------------------------------------------------------------------

def _summary(b: Backend, p: Plan) -> PlanSummary:
    return PlanSummary(id=p.id, title=p.title, date=p.date, proposers=p.proposers, status=p.status,
                       provisions=len(p.provisions), issues=len(p.terms()), bundled=b.is_bundled(p.id))


@router.get("/plans", response_model=list[PlanSummary], responses=CSV_DOC, tags=["plans"])
def list_plans(request: Request, format: Fmt = "json", b: Backend = Depends(backend)):
    items = [_summary(b, p) for p in sorted(b.plans().values(), key=lambda p: (p.date, p.id))]
    if wants_csv(request, format):
        return csv_response(views.to_rows(items), "plans")
    return items


@router.get("/plans/{plan_id}", response_model=Plan, tags=["plans"])
def get_plan(plan_id: PlanId, b: Backend = Depends(backend)):
    return b.plan(plan_id)


@router.post("/plans", response_model=Plan, status_code=201, dependencies=write, tags=["plans"])
def create_plan(plan: Plan, b: Backend = Depends(backend)):
    """Save a new plan (checked against the profile's issues, options and parties)."""
    no_nul(plan, "plan")
    return b.save_plan(plan, replace=False)


@router.put("/plans/{plan_id}", response_model=Plan, dependencies=write, tags=["plans"])
def replace_plan(plan_id: PlanId, plan: Plan, b: Backend = Depends(backend)):
    if plan.id != plan_id:
        raise DataError(f"the body's id {plan.id!r} is not the URL's {plan_id!r}")
    no_nul(plan, "plan")
    return b.save_plan(plan, replace=True)


@router.delete("/plans/{plan_id}", status_code=204, dependencies=write, tags=["plans"])
def delete_plan(plan_id: PlanId, b: Backend = Depends(backend)):
    b.delete_plan(plan_id)
    return Response(status_code=204)


def _plan_key(plan: Plan) -> str:
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:16]


def assessment_of(b: Backend, plan_id: str, as_of: dt.date | None,
                  parties: list[str] | None = None) -> Assessment:
    plan = b.plan(plan_id)
    data = b.cached_json("assess", {"plan": _plan_key(plan), "as_of": as_of, "parties": parties},
                         lambda: assess(b.profile, plan, as_of=as_of, parties=parties).model_dump(mode="json"))
    return Assessment.model_validate(data)


def comparison_of(b: Backend, a: str, c: str, as_of: dt.date | None) -> Comparison:
    pa, pb = b.plan(a), b.plan(c)
    data = b.cached_json("compare", {"a": _plan_key(pa), "b": _plan_key(pb), "as_of": as_of},
                         lambda: compare(b.profile, pa, pb, as_of=as_of).model_dump(mode="json"))
    return Comparison.model_validate(data)


def _assess_rows(a: Assessment) -> list[dict[str, Any]]:
    return [{"party": p.party, "issue": o.issue, "provision": o.provision, "plan_option": o.plan_option,
             "preferred": o.preferred, "status": o.status, "utility": o.utility, "salience": o.salience,
             "satisfaction": p.satisfaction, "evidence": [e.quote for e in o.evidence],
             "evidence_url": o.evidence[0].url if o.evidence else None}
            for p in a.parties for o in p.outcomes]


@router.get("/plans/{plan_id}/assessment", response_model=Assessment, responses=CSV_DOC, tags=["analysis"])
def plan_assessment(request: Request, plan_id: PlanId, as_of: AsOf = None, format: Fmt = "json",
                    b: Backend = Depends(backend)):
    """The plan's scorecard: per-party satisfaction, red lines crossed, durability, verdict."""
    a = assessment_of(b, plan_id, as_of)
    if wants_csv(request, format):
        return csv_response(_assess_rows(a), f"assessment-{plan_id}")
    return a


@router.get("/assess", response_model=Assessment, responses=CSV_DOC, tags=["analysis"])
def assess_endpoint(request: Request, plan: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                    as_of: AsOf = None,
                    parties: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                    format: Fmt = "json", b: Backend = Depends(backend)):
    """Assess a plan (bundled or saved) against the parties' positions as of a date."""
    ids = id_list(parties, "parties")
    for p in ids or []:
        b.profile.party(p)
    a = assessment_of(b, plan, as_of, ids)
    if wants_csv(request, format):
        return csv_response(_assess_rows(a), f"assessment-{plan}")
    return a


@router.get("/compare", response_model=Comparison, responses=CSV_DOC, tags=["analysis"])
def compare_endpoint(request: Request, a: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                     b_: Annotated[str, Query(alias="b", min_length=1, max_length=ID_MAX)],
                     as_of: AsOf = None, format: Fmt = "json", b: Backend = Depends(backend)):
    """Two plans side by side by issue, with a word-level redline and each party's before → after."""
    c = comparison_of(b, a, b_, as_of)
    if wants_csv(request, format):
        rows = [{k: v for k, v in ch.model_dump(mode="json").items() if k != "redline"} for ch in c.changes]
        return csv_response(rows, f"compare-{a}-{b_}")
    return c


@router.get("/bargain", response_model=BargainResult, tags=["analysis"])
def bargain_endpoint(as_of: AsOf = None, parties: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                     solution: Literal["all", "nash", "maxmin", "kalai_smorodinsky"] = "all",
                     b: Backend = Depends(backend)):
    """Packages (one option per issue) that no party's red line rules out, by bargaining solution."""
    ids = id_list(parties, "parties")
    return b.cached_json("bargain", {"as_of": as_of, "parties": ids, "solution": solution},
                         lambda: _bargain(b, as_of, ids, solution))


def _plain(x: Any) -> Any:
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, float) and x != x:
        return None
    return x


def _bargain(b: Backend, as_of: dt.date | None, parties: list[str] | None, solution: str) -> dict:
    try:
        from redline.bargain import packages as pk
        from redline.bargain.utility import utilities_from_positions
    except ImportError as exc:
        raise HTTPException(501, f"bargaining is not available in this build ({exc})") from None
    table = utilities_from_positions(b.profile, as_of=as_of, parties=parties)
    conflicts = pk.conflicting_red_lines(table)
    solvers = {"nash": pk.nash, "maxmin": pk.maxmin, "kalai_smorodinsky": pk.kalai_smorodinsky}
    chosen = solvers if solution == "all" else {solution: solvers[solution]}
    solutions = []
    if not conflicts:
        for name, fn in chosen.items():
            s = fn(table)
            d = _plain(s)
            d.pop("choice", None)
            d["name"] = d.get("name") or name
            solutions.append(d)
    return {"profile": b.profile.id, "as_of": as_of, "parties": list(table.parties), "issues": list(table.issues),
            "conflicts": [dict(_plain(c), explanation=c.explain()) for c in conflicts],
            "solutions": solutions, "notes": list(table.notes)}


@router.get("/timeline", response_model=views.Timeline, responses=CSV_DOC, tags=["statements"])
def timeline_endpoint(request: Request, party: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                      issue: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                      format: Fmt = "json", b: Backend = Depends(backend)):
    """A party's stance on an issue over time: curated positions and every stored statement."""
    return timeline_of(b, party, issue, csv=wants_csv(request, format))


def timeline_of(b: Backend, party: str, issue: str, csv: bool = False, limit: int = 1000):
    b.profile.party(party)
    b.profile.issue(issue)
    statements: list[Statement] = []
    total = 0
    if b.store is not None:
        statements, total = b.statements(party=party, issue=issue, limit=limit, offset=0)
    t = views.timeline(b.profile, party, issue, statements, total, b.store is not None)
    if csv:
        return csv_response(views.to_rows(t.statements), f"timeline-{party}-{issue}")
    return t


def error_json(status: int, detail: Any) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)

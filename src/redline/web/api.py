"""The REST API under /api: a thin shell over the application layer (``redline.services``).

Each endpoint parses its parameters, calls one ``Workspace`` method and returns its typed
result; no domain logic lives here. Reads are open; writes need a bearer token. List endpoints
answer JSON, or CSV with ``?format=csv`` (or ``Accept: text/csv``). Every error has the body
``ErrorBody`` (``redline.web.errors``) and is documented per endpoint in the OpenAPI schema.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import types
import typing
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Body, Depends, File, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, BeforeValidator, Field, field_validator

from redline.assess import Assessment, Comparison
from redline.bargain.report import BargainResult
from redline.errors import DataError, NotFound
from redline.inputs import display, text_problem
from redline.model import Document, Issue, Party, Plan, Position, Statement
from redline.positions.timeline import Timeline
from redline.services import Matrix, check_date, check_url, resolve_as_of
from redline.services.workspace import IngestItem, IngestResult, Skipped, StatementsAdded, Workspace
from redline.web import views
from redline.web.errors import READ_ERRORS, WRITE_ERRORS
from redline.web.security import require_token
from redline.yamlio import LDict, LList

T = TypeVar("T")

MAX_LIMIT = 500
MAX_OFFSET = 10**9
TEXT_MAX = 200
ID_MAX = 200

router = APIRouter(prefix="/api", responses=READ_ERRORS)
write = [Depends(require_token)]
Backend = Workspace


# --- shared parameters ------------------------------------------------------------------------

def backend(request: Request) -> Backend:
    return request.app.state.backend


def clean(value: str | None, what: str) -> str | None:
    """Query text reaches SQL only as a bound parameter; NUL and control characters are refused
    because PostgreSQL rejects NUL in text and no real query needs them."""
    if value is None:
        return None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise DataError(f"{what} contains control characters")
    value = value.strip()
    return value or None


def id_list(value: str | None, what: str) -> list[str] | None:
    value = clean(value, what)
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] or None


ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: Any) -> Any:
    """Dates arrive as YYYY-MM-DD text, as the pages ask for them. Pydantic alone would also take
    a number as a Unix timestamp (``0`` becoming 1970-01-01), silently answering or storing a
    date nobody wrote; anything but the ISO form is refused instead."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # built in Python, not parsed from a request
    if isinstance(value, str) and ISO_DATE_RE.fullmatch(value):
        return value  # pydantic checks that it is a real calendar date
    raise ValueError(f"{display(value, 40)!r} is not a date: use YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


def _raw_problems(tp: Any, raw: Any, path: tuple[str | int, ...]) -> typing.Iterator[tuple[tuple[str | int, ...], str]]:
    """What is wrong with the raw JSON ``raw`` read as type ``tp``, before pydantic converts it:
    a string anywhere (keys too) that no store or encoder takes (NUL, unpaired surrogate), and a
    field typed ``date`` given as anything but YYYY-MM-DD. Each problem is its path and a text
    naming its field."""
    where = ".".join(display(p, 60) for p in path) or "body"
    if isinstance(raw, str):
        why = text_problem(raw)
        if why:
            yield path, f"{where} {why}"
    elif isinstance(raw, dict):
        for k in raw:
            why = text_problem(k) if isinstance(k, str) else None
            if why:
                yield path, (f"{where}: a key {why}" if path else f"a key {why}")
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        yield from _raw_problems(args[0], raw, path)
        return
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if raw is not None and len(members) == 1:
            yield from _raw_problems(members[0], raw, path)
        elif raw is not None:
            yield from _raw_problems(Any, raw, path)
        return
    if tp is dt.date:
        if raw is not None:
            try:
                iso_date(raw)
            except ValueError as exc:
                yield path, f"{where} {exc}"
        return
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(raw, dict):
        by_key = {(f.alias or name): f.annotation for name, f in tp.model_fields.items()}
        for k, v in raw.items():
            yield from _raw_problems(by_key.get(k, Any), v, (*path, k))
        return
    if isinstance(raw, dict):
        inner = args[1] if origin is dict and len(args) == 2 else Any
        for k, v in raw.items():
            yield from _raw_problems(inner, v, (*path, k))
    elif isinstance(raw, list):
        inner = args[0] if origin in (list, tuple, set, frozenset) and args else Any
        for i, v in enumerate(raw):
            yield from _raw_problems(inner, v, (*path, i))


def checked_body(model: type[BaseModel]) -> Any:
    """``model`` as a request body whose raw JSON is checked first (``_raw_problems``): 422 naming
    the field, never a 500 from the database's encoder or a date read from a number. For models
    shared with the library (plans, statements), whose date fields stay lax for Python callers."""

    def check(raw: Any) -> Any:
        problems = [text for _, text in _raw_problems(model, raw, ())]
        if problems:
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise ValueError("; ".join(problems[:5]) + more)
        return raw

    return Annotated[model, BeforeValidator(check)]


Fmt = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]
AsOf = Annotated[IsoDate | None, Query(description=(
    "Positions as of this date. Omitted: the date of what is judged (a plan's date; the later "
    "plan's for a comparison; today when no plan is judged). The answer's `as_of` says which."))]
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
    """Each (party, issue)'s latest curated position on or before ``as_of`` (omitted: today)."""
    items = b.positions(as_of, id_list(party, "party"), id_list(issue, "issue"))
    if wants_csv(request, format):
        return csv_response(views.position_rows(items), f"positions-{resolve_as_of(as_of)}")
    return items


@router.get("/matrix", response_model=Matrix, responses=CSV_DOC, tags=["positions"])
def get_matrix(request: Request, as_of: AsOf = None,
               parties: Annotated[str | None, Query(max_length=TEXT_MAX, description="comma-separated ids")] = None,
               issues: Annotated[str | None, Query(max_length=TEXT_MAX, description="comma-separated ids")] = None,
               format: Fmt = "json", b: Backend = Depends(backend)):
    """The party × issue matrix as of a date, each cell with its evidence quotes."""
    m = b.matrix(as_of, id_list(parties, "parties"), id_list(issues, "issues"))
    if wants_csv(request, format):
        rows = [c.model_dump(mode="json") for c in m.cells]
        return csv_response(rows, f"matrix-{m.as_of}")
    return Response(m.model_dump_json().encode(), media_type="application/json")


# --- statements and documents -----------------------------------------------------------------

@router.get("/statements", response_model=Page[Statement], responses=CSV_DOC, tags=["statements"])
def list_statements(request: Request,
                    party: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    issue: Annotated[str | None, Query(max_length=ID_MAX)] = None,
                    since: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
                    until: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
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


@router.get("/documents/{document_id:path}", response_model=DocumentDetail, tags=["documents"])
def get_document(document_id: Annotated[str, Path(max_length=ID_MAX)], b: Backend = Depends(backend)):
    doc = b.document(clean(document_id, "document id") or "")
    return DocumentDetail(document=doc, statements=b.document_statements(doc.id))


ID_RE = re.compile(r"^[^\x00-\x1f\x7f\\]+$")


def check_id(value: str, what: str = "id") -> str:
    """Ids may contain ``/`` (``redline ingest folder/`` makes such ids) but no path tricks:
    no empty, ``.`` or ``..`` segment, no leading or trailing slash, no backslash or control
    characters. Pages link to them with every ``/`` escaped, so they stay inside the app."""
    if not ID_RE.match(value) or value.startswith("/") or value.endswith("/") or any(
            seg in ("", ".", "..") for seg in value.split("/")):
        raise ValueError(f"{what} {value[:80]!r} is not a safe id: no control characters, backslashes, "
                         "leading or trailing '/', or empty, '.' or '..' segments")
    return value


class DocumentIn(BaseModel):
    """A document to ingest; ``id`` defaults to a hash of the text. ``url`` must be http(s) and
    ``date`` within 1900-01-01 … today + 1 year: anything else is refused (422), not dropped."""

    id: str | None = Field(None, min_length=1, max_length=ID_MAX)
    text: str = Field(min_length=1)
    title: str = ""
    url: str | None = None
    outlet: str = ""
    author: str = ""
    date: IsoDate | None = None

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str | None) -> str | None:
        return None if v is None else check_id(v, "document id")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        try:
            return check_url(v, "url")
        except DataError as exc:
            raise ValueError(exc.render()) from None

    @field_validator("date")
    @classmethod
    def _sane_date(cls, v: dt.date | None) -> dt.date | None:
        try:
            return check_date(v, "date")
        except DataError as exc:
            raise ValueError(exc.render()) from None

    def to_document(self) -> Document:
        return Document(id=self.id or "doc-" + hashlib.sha256(self.text.encode()).hexdigest()[:16],
                        text=self.text, title=self.title, url=self.url, outlet=self.outlet, author=self.author,
                        date=self.date, date_source="request" if self.date else "")


def _written(response: Response, stored: int) -> None:
    """201 only when something was stored; 200 when the request changed nothing."""
    response.status_code = 201 if stored else 200


INGEST_DOC = {**WRITE_ERRORS, 200: {"model": IngestResult, "description": "nothing new stored (all duplicates "
                                    "or skipped); each input's outcome is in `items`"},
              201: {"model": IngestResult, "description": "at least one document stored"}}


@router.post("/documents", response_model=IngestResult, status_code=201, dependencies=write, tags=["documents"],
             responses=INGEST_DOC)
def add_documents(docs: Annotated[list[checked_body(DocumentIn)], Body(min_length=1, max_length=500)], response: Response,
                  extract: bool = Query(True, description="run statement extraction (when installed)"),
                  b: Backend = Depends(backend)):
    """Ingest documents (JSON): store them and extract their statements.

    Each input gets its outcome in ``items`` (stored, duplicate, or skipped with the reason): a
    document the extractor cannot read is skipped and the rest of the batch is still stored."""
    result = b.ingest([d.to_document() for d in docs], extract=extract)
    _written(response, len(result.stored))
    return result


@router.post("/documents/upload", response_model=IngestResult, status_code=201, dependencies=write,
             tags=["documents"], responses=INGEST_DOC)
async def upload_documents(response: Response, files: list[UploadFile] = File(...), extract: bool = Query(True),
                           b: Backend = Depends(backend)):
    """Ingest uploaded files (text, Markdown, HTML; UTF-8), read like ``redline ingest`` reads them."""
    from pathlib import PurePath

    from starlette.concurrency import run_in_threadpool

    from redline.ingest.readers import read_bytes

    read: list[Document | Skipped] = []  # what the reader made of each file, in upload order
    for f in files:
        raw = await f.read()
        name = (f.filename or "upload")[:ID_MAX]
        suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        doc_id = "upload-" + hashlib.sha256(raw).hexdigest()[:16]
        read.extend(read_bytes(raw, where=name, doc_id=doc_id, path=PurePath(name), suffix=suffix))
    docs = [d for d in read if isinstance(d, Document)]
    skipped = [s for s in read if isinstance(s, Skipped)]
    if docs:
        result = await run_in_threadpool(b.ingest, docs, extract, skipped)
    else:
        b.need_store()
        result = IngestResult(stored=[], duplicates=[], skipped=skipped, renamed={}, statements=0, extracted=False)
    result.items = upload_items(read, result.items)
    _written(response, len(result.stored))
    return result


def upload_items(read: list[Document | Skipped], ingested: list[IngestItem]) -> list[IngestItem]:
    """One item per upload input (a file, or a record of a JSON file) in upload order: the
    ingest outcomes of the documents read, with the files the reader skipped in their places, so
    a client can pair each file it sent with what became of it.

    Numbering: ``index`` is the 0-based upload position, files the reader rejected included; the
    upload page shows it as row ``index + 1``. A duplicate of an earlier file of the same upload
    names that file both ways ("the same text as row 3 (index 2) of this upload"), never by its
    place among the documents that were read (``Workspace.ingest``'s own numbering)."""
    outcomes = iter(sorted(ingested, key=lambda it: it.index))
    items: list[IngestItem] = []
    stored_at: dict[str, int] = {}  # stored id -> its index in this upload
    for i, entry in enumerate(read):
        outcome = next(outcomes, None) if isinstance(entry, Document) else None
        if outcome is not None:
            update: dict[str, Any] = {"index": i}
            if outcome.status == "stored" and outcome.id:
                stored_at.setdefault(outcome.id, i)
            elif outcome.status == "duplicate" and outcome.id in stored_at:
                # an id stored by this upload is new, so the text duplicated is that earlier row's
                first = stored_at[outcome.id]
                update["reason"] = f"the same text as row {first + 1} (index {first}) of this upload"
            items.append(outcome.model_copy(update=update))
        elif isinstance(entry, Document):  # an ingest that reported no outcome for it
            items.append(IngestItem(index=i, source=entry.path or entry.id, status="skipped", reason="not stored"))
        else:
            items.append(IngestItem(index=i, source=entry.source, status="skipped", reason=entry.reason))
    return items


@router.post("/documents/{document_id:path}/statements", response_model=StatementsAdded, status_code=201,
             dependencies=write, tags=["statements"],
             responses={**WRITE_ERRORS, 200: {"model": StatementsAdded, "description": "nothing new: every "
                                              "statement is on the document already"}})
def add_statements(document_id: Annotated[str, Path(max_length=ID_MAX)],
                   statements: Annotated[list[checked_body(Statement)], Body(min_length=1, max_length=1000)], response: Response,
                   b: Backend = Depends(backend)):
    """Add statements to a stored document (curated or externally extracted). Statements the
    document already has are counted in ``duplicates`` and not stored twice."""
    out = b.add_statements(document_id, statements)
    _written(response, out.added)
    return out


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


def _located(value: Any, path: tuple[str | int, ...], where: dict[tuple[str | int, ...], int]) -> Any:
    """A copy of the JSON ``value`` whose "line numbers" (the LDict/LList attributes that
    ``profile.check_plan`` reads to say where a YAML problem is) are keys of ``where``, one per
    JSON path: a problem's ``line`` then tells which field of the request it is about."""

    def mark(p: tuple[str | int, ...]) -> int:
        return where.setdefault(p, len(where) + 1)  # never 0: a falsy line reads as "unknown"

    if isinstance(value, dict):
        out: Any = LDict((k, _located(v, (*path, k), where)) for k, v in value.items())
        out.key_lines = {k: mark((*path, k)) for k in value}
    elif isinstance(value, list):
        out = LList(_located(v, (*path, i), where) for i, v in enumerate(value))
        out.item_lines = [mark((*path, i)) for i in range(len(value))]
    else:
        return value
    out.line = mark(path)
    return out


def _plan_profile_problems(b: Backend, raw: Any) -> list[dict[str, Any]]:
    """The profile's checks of a plan (``redline validate``'s: parties, issues, options,
    mechanisms, parameters, one option per issue), each problem with its ``loc`` in the body
    (``["body", "provisions", 1, "issue"]``). Runs on whatever of the raw JSON is well formed, so
    a plan with schema errors still gets its profile problems reported alongside them."""
    from pydantic import ValidationError

    from redline.model import Provision
    from redline.profile import check_plan

    if not isinstance(raw, dict):
        return []
    proposers = raw.get("proposers") if isinstance(raw.get("proposers"), list) else []
    provisions = raw.get("provisions") if isinstance(raw.get("provisions"), list) else []
    kept_parties = [(i, p) for i, p in enumerate(proposers) if isinstance(p, str)]
    kept: list[tuple[int, Any, Provision]] = []
    for i, p in enumerate(provisions):
        try:
            kept.append((i, p, Provision.model_validate(p)))
        except (ValidationError, ValueError, TypeError):
            continue  # its schema errors are reported already
    where: dict[tuple[str | int, ...], int] = {}
    # The located copy holds only the items checked, each still pointing at its own place.
    located = LDict(proposers=LList(p for _, p in kept_parties),
                    provisions=LList(_located(p, ("provisions", i), where) for i, p, _ in kept))
    located.line = where.setdefault((), len(where) + 1)
    located.key_lines = {"proposers": where.setdefault(("proposers",), len(where) + 1),
                         "provisions": where.setdefault(("provisions",), len(where) + 1)}
    located["proposers"].item_lines = [where.setdefault(("proposers", i), len(where) + 1) for i, _ in kept_parties]
    located["proposers"].line = located.key_lines["proposers"]
    located["provisions"].item_lines = [where.setdefault(("provisions", i), len(where) + 1) for i, _, _ in kept]
    located["provisions"].line = located.key_lines["provisions"]
    plan = Plan.model_construct(proposers=[p for _, p in kept_parties], provisions=[p for _, _, p in kept])
    errors: list[DataError] = []
    check_plan(b.profile, plan, "<request>", located, errors)  # type: ignore[arg-type]
    paths = {line: path for path, line in where.items()}
    out = []
    for e in errors:
        path = paths.get(e.line or 0, ())
        msg = DataError(e.message, fix=e.fix).render()  # the same text without "<request>:"
        out.append({"loc": ["body", *path], "msg": msg, "type": "value_error"})
    return out


async def plan_problems(request: Request, b: Backend = Depends(backend)) -> None:
    """Every problem of a posted plan at once, each with where it is: the schema's (missing or
    ill-typed fields) and the profile's (unknown issue, option off the scale…), which FastAPI
    alone would report one kind at a time. Runs after the token check and before the body is
    bound; a 422 lists them all in ``errors`` with ``loc`` such as ``body.provisions.1.issue``."""
    from fastapi.exceptions import RequestValidationError
    from pydantic import TypeAdapter, ValidationError

    try:
        raw = await request.json()
    except ValueError:
        return  # not JSON: FastAPI answers that itself
    # checked_body's raw checks (a NUL, a date that is not YYYY-MM-DD) each with its place, then
    # the model's own errors at the places those did not already cover
    problems: list[dict[str, Any]] = [{"loc": ["body", *path], "msg": text, "type": "value_error"}
                                      for path, text in _raw_problems(Plan, raw, ())]
    seen = {tuple(p["loc"]) for p in problems}
    try:
        TypeAdapter(Plan).validate_python(raw)
    except ValidationError as exc:
        problems += [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
                     if ("body", *e["loc"]) not in seen]
    problems += _plan_profile_problems(b, raw)
    if problems:
        raise RequestValidationError(problems)


@router.post("/plans", response_model=Plan, status_code=201, dependencies=[*write, Depends(plan_problems)],
             tags=["plans"], responses=WRITE_ERRORS)
def create_plan(plan: Plan, b: Backend = Depends(backend)):
    """Save a new plan (checked against the profile's issues, options and parties).

    A 422 lists every problem, the schema's and the profile's together, each with its ``loc``:
    ``plan_problems`` checks the raw body (``checked_body``'s checks included) before it is bound,
    so the body is bound as a plain ``Plan`` and not checked twice."""
    return b.save_plan(plan, replace=False)


@router.put("/plans/{plan_id}", response_model=Plan, dependencies=[*write, Depends(plan_problems)], tags=["plans"],
            responses=WRITE_ERRORS)
def replace_plan(plan_id: PlanId, plan: Plan, b: Backend = Depends(backend)):
    if plan.id != plan_id:
        raise DataError(f"the body's id {plan.id!r} is not the URL's {plan_id!r}")
    return b.save_plan(plan, replace=True)


@router.delete("/plans/{plan_id}", status_code=204, dependencies=write, tags=["plans"], responses=WRITE_ERRORS)
def delete_plan(plan_id: PlanId, b: Backend = Depends(backend)):
    b.delete_plan(plan_id)
    return Response(status_code=204)


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
    a = b.assessment(plan_id, as_of)
    if wants_csv(request, format):
        return csv_response(_assess_rows(a), f"assessment-{plan_id}")
    return a


@router.get("/assess", response_model=Assessment, responses=CSV_DOC, tags=["analysis"])
def assess_endpoint(request: Request, plan: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                    as_of: AsOf = None,
                    parties: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                    format: Fmt = "json", b: Backend = Depends(backend)):
    """Assess a plan (bundled or saved) against the parties' positions as of a date."""
    a = b.assessment(plan, as_of, id_list(parties, "parties"))
    if wants_csv(request, format):
        return csv_response(_assess_rows(a), f"assessment-{plan}")
    return a


@router.get("/compare", response_model=Comparison, responses=CSV_DOC, tags=["analysis"])
def compare_endpoint(request: Request, a: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                     b_: Annotated[str, Query(alias="b", min_length=1, max_length=ID_MAX)],
                     as_of: AsOf = None, format: Fmt = "json", b: Backend = Depends(backend)):
    """Two plans side by side by issue, with a word-level redline and each party's before → after."""
    c = b.comparison(a, b_, as_of)
    if wants_csv(request, format):
        rows = [{k: v for k, v in ch.model_dump(mode="json").items() if k != "redline"} for ch in c.changes]
        return csv_response(rows, f"compare-{a}-{b_}")
    return c


def parse_fix(b: Backend, terms: list[str] | None) -> dict[str, str]:
    """``issue=option`` terms to impose, checked against the profile (as ``--fix`` is)."""
    out: dict[str, str] = {}
    for term in terms or []:
        issue, sep, option = (clean(term, "fix") or "").partition("=")
        if not sep:
            raise DataError(f"fix {term[:80]!r} is not issue=option", fix="give ISSUE=OPTION with ids from the profile's issues.yaml")
        spec = b.profile.issue(issue.strip())
        if option.strip() not in spec.option_ids:
            raise DataError(f"option {option.strip()!r} is not on the scale of issue {spec.id}",
                            fix=f"use one of {spec.option_ids}")
        out[spec.id] = option.strip()
    return out


@router.get("/bargain", response_model=BargainResult, tags=["analysis"])
def bargain_endpoint(as_of: AsOf = None, parties: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
                     solution: Literal["all", "nash", "maxmin", "ks"] = "all",
                     top: Annotated[int, Query(ge=1, le=10, description="best N packages of each solution")] = 1,
                     fix: Annotated[list[str] | None, Query(max_length=20, description="impose issue=option (repeatable)")] = None,
                     time_limit: Annotated[float | None, Query(gt=0, le=600, description=(
                         "seconds per search, at most the server's limit (default 60, as the CLI)"))] = None,
                     b: Backend = Depends(backend)):
    """``redline bargain`` over HTTP: the zone (or the conflicting red lines and what is left
    without them), Nash / max-min / Kalai–Smorodinsky packages with their explanation, the
    Pareto frontier and each bundled plan against the zone. Same document as ``--format json``."""
    names = None if solution == "all" else [solution]
    return b.bargain(as_of, id_list(parties, "parties"), names, top, parse_fix(b, fix), time_limit)


@router.get("/timeline", response_model=Timeline, responses=CSV_DOC, tags=["statements"])
def timeline_endpoint(request: Request, party: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                      issue: Annotated[str, Query(min_length=1, max_length=ID_MAX)],
                      format: Fmt = "json", b: Backend = Depends(backend)):
    """A party's stance on an issue over time: curated positions and the dated statements
    (``redline timeline``'s entries, shifts marked); undated statements are counted."""
    t = b.timeline(clean(party, "party") or "", clean(issue, "issue") or "")
    if wants_csv(request, format):
        return csv_response(views.to_rows(t.entries), f"timeline-{party}-{issue}")
    return t

"""The FastAPI application: REST API under /api, server-rendered pages, local static files.

``create_app(profile=…, store=…)`` for tests and embedding; ``app_from_env()`` is the factory
``redline serve`` hands to uvicorn (so each worker process builds its own app from the
environment: REDLINE_PROFILE, REDLINE_DATABASE_URL, REDLINE_WEB_NO_DB).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from redline import __version__
from redline.errors import DataError, NotFound, RedlineError
from redline.profile import Profile, ProfileErrors, load_profile
from redline.web.backend import Backend, Conflict, StoreMissing, open_store, store_available
from redline.web.security import DEFAULT_MAX_BODY, DEFAULT_MAX_UPLOAD, BodySizeLimit, SecurityHeaders

log = logging.getLogger("redline.web")
HERE = Path(__file__).parent
STATIC = HERE / "static"


def _plotly_js() -> Path | None:
    try:
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


def _swagger_dir() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    path = Path(fastapi_offline.__file__).parent / "static"
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def _status_of(exc: Exception) -> tuple[int, Any]:
    if isinstance(exc, NotFound):
        return 404, str(exc)
    if isinstance(exc, Conflict):
        return 409, str(exc)
    if isinstance(exc, StoreMissing):
        return 503, str(exc)
    if isinstance(exc, ProfileErrors):
        return 422, [e.render() for e in exc.errors]
    if isinstance(exc, DataError):
        return 422, exc.render()
    return 400, str(exc)


def create_app(profile: Profile | str | None = None, store: Any | None = None, *,
               database_url: str | None = None, use_database: bool = True,
               max_body: int = DEFAULT_MAX_BODY, max_upload: int = DEFAULT_MAX_UPLOAD) -> FastAPI:
    """Build the app. ``store`` wins over ``database_url``; ``use_database=False`` runs without one."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if store is None and use_database and store_available():
        store = open_store(database_url)
    backend = Backend(prof, store)

    app = FastAPI(title="redline", version=__version__, docs_url=None, redoc_url=None,
                  description="Peace plans and negotiating positions, with the evidence shown. "
                              "Reads are open; writes need `Authorization: Bearer <token>`.")
    app.state.backend = backend

    from redline.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    plotly_js = _plotly_js()
    swagger = _swagger_dir()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_bundle() -> Response:
        if plotly_js is None:
            raise HTTPException(404, "plotly is not installed (pip install 'redline[web]')")
        from fastapi.responses import FileResponse

        return FileResponse(plotly_js, media_type="text/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    if swagger is not None:
        app.mount("/vendor/swagger", StaticFiles(directory=swagger), name="swagger")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return pages.render(request, "docs.html.j2", swagger=swagger is not None,
                            endpoints=_endpoint_list(app))

    @app.exception_handler(RedlineError)
    async def redline_error(request: Request, exc: RedlineError) -> Response:
        status, detail = _status_of(exc)
        return _error(request, status, detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    try:
        from sqlalchemy.exc import DataError as SQLDataError
    except ImportError:  # pragma: no cover - the store needs SQLAlchemy
        SQLDataError = None
    if SQLDataError is not None:
        @app.exception_handler(SQLDataError)
        async def sql_data_error(request: Request, exc: Exception) -> Response:
            # A value the database refuses (out of range, bad encoding) is the client's error.
            log.info("database refused a value: %s", exc)
            return _error(request, 422, "the database refused a value in this request")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return _error(request, 422, errors)

    app.add_middleware(BodySizeLimit, max_body=max_body, max_upload=max_upload)
    app.add_middleware(SecurityHeaders)
    return app


def _error(request: Request, status: int, detail: Any, headers: dict | None = None) -> Response:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    from redline.web import pages

    message = detail if isinstance(detail, str) else "; ".join(
        d if isinstance(d, str) else str(d.get("msg", d)) for d in detail) if isinstance(detail, list) else str(detail)
    return pages.render(request, "error.html.j2", status_code=status, status=status, message=message)


def _endpoint_list(app: FastAPI) -> list[dict[str, Any]]:
    schema = app.openapi()
    out = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": (op.get("description") or "").split("\n")[0],
                        "auth": bool(op.get("security")),
                        "params": [p["name"] for p in op.get("parameters", [])]})
    return out


def app_from_env() -> FastAPI:
    """uvicorn factory: every worker builds the same app from the environment."""
    return create_app(os.environ.get("REDLINE_PROFILE") or None,
                      database_url=os.environ.get("REDLINE_DATABASE_URL") or None,
                      use_database=os.environ.get("REDLINE_WEB_NO_DB", "") not in ("1", "true", "yes"))

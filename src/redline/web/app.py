"""The FastAPI application: REST API under /api, server-rendered pages, local static files.

``create_app(profile=…, store=…)`` for tests and embedding; ``app_from_env()`` is the factory
``redline serve`` hands to uvicorn (so each worker process builds its own app from the
environment, read once into ``redline.services.Settings``: REDLINE_PROFILE, REDLINE_DATABASE_URL,
REDLINE_WEB_NO_DB, REDLINE_ALLOWED_HOSTS, REDLINE_CACHE_ENTRIES, REDLINE_CACHE_BYTES).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from redline import __version__
from redline.errors import RedlineError
from redline.profile import Profile, load_profile
from redline.services import Settings, Workspace
from redline.web.backend import open_store, store_available
from redline.web.errors import CatchErrors, HostCheck, error_body, status_of
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


def create_app(profile: Profile | str | None = None, store: Any | None = None, *,
               database_url: str | None = None, use_database: bool = True,
               max_body: int = DEFAULT_MAX_BODY, max_upload: int = DEFAULT_MAX_UPLOAD,
               settings: Settings | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """Build the app. ``store`` wins over ``database_url``; ``use_database=False`` runs without one.

    ``allowed_hosts`` (default: the settings', loopback unless REDLINE_ALLOWED_HOSTS says more)
    are the names the Host header may carry; ``["*"]`` turns the check off."""
    settings = settings or Settings()
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if store is None and use_database and store_available():
        store = open_store(database_url)
    backend = Workspace(prof, store, settings)

    app = FastAPI(title="redline", version=__version__, docs_url=None, redoc_url=None,
                  description="Peace plans and negotiating positions, with the evidence shown. "
                              "Reads are open; writes need `Authorization: Bearer <token>`.")
    app.state.backend = backend
    app.state.workspace = backend

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
        status, detail = status_of(exc)
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

    # Outermost last: the security headers wrap everything, the Host check and the 500 catcher too.
    app.add_middleware(CatchErrors)
    app.add_middleware(BodySizeLimit, max_body=max_body, max_upload=max_upload)
    app.add_middleware(HostCheck, allowed=list(allowed_hosts if allowed_hosts is not None
                                               else settings.allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


def _error(request: Request, status: int, detail: Any, headers: dict | None = None) -> Response:
    """An error in the one shape: JSON for the API and scripts, a page for browsers."""
    body = error_body(status, detail)
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(body, status_code=status, headers=headers)
    from redline.web import pages

    return pages.render(request, "error.html.j2", status_code=status, status=status, message=body["detail"])


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
    """uvicorn factory: every worker builds the same app from the environment (read once)."""
    settings = Settings.from_env()
    return create_app(settings.profile, database_url=settings.database_url,
                      use_database=settings.use_database, settings=settings)

"""One error model for every error response: the body, the statuses, their OpenAPI documentation.

Every error the server sends, whether raised by the library (``DataError``, ``NotFound``…), by
request validation, by the size limit, by the Host check or by a bug (500), has the same JSON
shape, ``ErrorBody``, and passes through the security-headers middleware.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from redline.errors import DataError, NotFound, RedlineError
from redline.profile import ProfileErrors
from redline.services.workspace import Conflict, StoreMissing
from redline.web.security import HttpMiddleware

log = logging.getLogger("redline.web")


class ErrorItem(BaseModel):
    """One problem of a request: where (``loc``, e.g. ``["body", 0, "url"]``) and what."""

    loc: list[str | int] = Field(default_factory=list)
    msg: str
    type: str = "value_error"


class ErrorBody(BaseModel):
    """The body of every error response."""

    status: int = Field(description="the HTTP status, repeated for clients that lose it")
    error: str = Field(description="the status's name, e.g. 'Not Found'")
    detail: str = Field(description="what went wrong and, where known, the fix or the nearest id")
    errors: list[ErrorItem] = Field(default_factory=list, description="each problem, for validation errors")


def error_body(status: int, detail: Any) -> dict[str, Any]:
    """The JSON of an error: ``detail`` may be a message, a list of problems, or problem dicts."""
    items: list[ErrorItem] = []
    if isinstance(detail, list):
        for d in detail:
            if isinstance(d, dict):
                items.append(ErrorItem(loc=[x if isinstance(x, int) else str(x) for x in d.get("loc", [])],
                                       msg=str(d.get("msg", d)), type=str(d.get("type", "value_error"))))
            else:
                items.append(ErrorItem(msg=str(d)))
        message = "; ".join((".".join(str(x) for x in i.loc[1:] or i.loc) + ": " if i.loc else "") + i.msg
                            for i in items) or HTTPStatus(status).phrase
    else:
        message = str(detail) if detail not in (None, "") else HTTPStatus(status).phrase
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return ErrorBody(status=status, error=phrase, detail=message, errors=items).model_dump(mode="json")


def status_of(exc: Exception) -> tuple[int, Any]:
    """The HTTP status and detail of a library error."""
    if isinstance(exc, NotFound):
        return 404, str(exc)
    if isinstance(exc, Conflict):
        return 409, str(exc)
    if isinstance(exc, StoreMissing):
        return 503, str(exc)
    if isinstance(exc, ProfileErrors):
        return 422, [{"loc": [], "msg": e.render()} for e in exc.errors]
    if isinstance(exc, DataError):
        return 422, exc.render()
    if isinstance(exc, RedlineError):
        return 400, str(exc)
    return 400, str(exc)


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


READ_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _doc("bad request: the Host header is not allowed, or a request the library refuses"),
    404: _doc("an unknown id (with a 'did you mean')"),
    413: _doc("request body over the size limit"),
    422: _doc("invalid parameters or data (each problem in `errors`)"),
    503: _doc("this server runs without a database"),
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    401: _doc("missing, unknown or revoked bearer token"),
    409: _doc("clashes with existing data (a bundled plan, an existing id)"),
}


async def send_error(send: Send, status: int, detail: Any, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Send an error response from ASGI middleware (before or around the app)."""
    body = json.dumps(error_body(status, detail)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class CatchErrors(HttpMiddleware):
    """Turns an unhandled exception into a 500 in the one error shape, inside the middleware that
    adds the security headers (Starlette's own 500 handler sits outside every middleware)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # noqa: BLE001 - logged with its traceback; the client gets a plain 500
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_error(send, 500, "internal error: the server logged the details")


def host_allowed(host_header: str, allowed: list[str]) -> bool:
    """Whether a Host header names an allowed host (any port). ``*`` allows every host."""
    if "*" in allowed:
        return True
    host = host_header.strip().lower()
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name in {a.strip().lower().strip("[]") for a in allowed}


class HostCheck(HttpMiddleware):
    """400 for requests whose Host is not on the allow-list (DNS rebinding reaches a loopback
    server under a foreign name; checking Host stops it)."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        super().__init__(app)
        self.allowed = allowed

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if not host_allowed(host, self.allowed):
            await send_error(send, 400, f"host {host[:100]!r} is not served here (REDLINE_ALLOWED_HOSTS)")
            return
        await self.app(scope, receive, send)


__all__ = ["ErrorBody", "ErrorItem", "error_body", "status_of", "READ_ERRORS", "WRITE_ERRORS", "CatchErrors",
           "HostCheck", "host_allowed", "send_error"]

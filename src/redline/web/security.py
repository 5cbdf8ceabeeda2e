"""Security headers, request-size limits and bearer tokens for writes.

* Every response carries a strict Content-Security-Policy: scripts and styles only from this
  server, no inline script, no eval, no framing; so even a missed escape cannot run code.
* Request bodies are capped (Content-Length checked up front, streamed bodies counted).
* Writes need ``Authorization: Bearer <token>``; the store keeps only a hash of each token and
  compares in constant time (``Store.verify_token``).
"""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

DEFAULT_MAX_BODY = 2 * 1024 * 1024       # JSON requests
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024    # multipart document uploads


class HttpMiddleware:
    """An ASGI middleware that acts on HTTP requests only and passes everything else (lifespan,
    websockets) straight through; subclasses implement ``handle``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover
        raise NotImplementedError


class SecurityHeaders(HttpMiddleware):
    """Adds the CSP and friends to every HTTP response, errors included."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """413 for bodies over the limit, before the endpoint runs: a declared Content-Length is
    checked up front; a streamed (chunked) body is counted, and once past the limit the app's
    body read fails, so no endpoint ever acts on part of a body it was told was refused."""

    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY,
                 max_upload: int = DEFAULT_MAX_UPLOAD) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = self.max_upload if headers.get("content-type", "").startswith("multipart/") else self.max_body
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = True
            if too_big:
                await _reject(send, limit)
                return
        seen = 0
        over = False

        async def counting_receive() -> Message:
            # Past the limit the app is told the client is gone (ASGI's ``http.disconnect``), never
            # that the body ended: a cut-off body can be valid JSON (a document followed by
            # whitespace) or a complete first file, and an endpoint handed it would store it
            # before its answer became the 413. A disconnect fails the body read instead, so
            # the endpoint never runs and nothing is written.
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        replaced = False   # the 413 went out in place of the app's answer
        started = False    # the app's own answer began before the limit was passed

        async def guarded_send(message: Message) -> None:
            nonlocal replaced, started
            if over and not started:
                if message["type"] == "http.response.start" and not replaced:
                    replaced = True
                    await _reject(send, limit)
                return  # drop the app's own answer to the unfinished body
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over or started:
                raise
            # The app failed on the unfinished body (as it should); the client's answer is the 413.
        if over and not replaced and not started:
            replaced = True
            await _reject(send, limit)


async def _reject(send: Send, limit: int) -> None:
    from redline.web.errors import send_error

    await send_error(send, 413, f"request body too large (limit {limit} bytes)")


bearer = HTTPBearer(auto_error=False, description="A token made with `redline token create --name NAME`.")


def require_token(request: Request,
                  creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Writes need a live token: missing, malformed, unknown or revoked all answer 401."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise HTTPException(401, "this write needs 'Authorization: Bearer <token>'", headers=challenge)
    backend = request.app.state.backend
    if not backend.verify_token(creds.credentials):
        raise HTTPException(401, "invalid or revoked token", headers=challenge)

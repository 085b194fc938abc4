"""The JSON API under /api/ (``build_api``) and what guards every response (``secure``), built on demand."""
from __future__ import annotations

from typing import Callable, Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.responses import Response

import rasid
from rasid.api import routes_content, routes_places, routes_write
from rasid.api.cache import CacheMiddleware, ResponseCache
from rasid.api.auth import COOKIE, TooLarge, check, is_write, needs_read_token, presented_token, require_write
from rasid.api.deps import ApiContext, IngestHook
from rasid.api.envelope import failure, install_error_handlers, wants_json
from rasid.api.schemas import ErrorEnvelope
from rasid.api.settings import ServeSettings
from rasid.errors import RasidError
from rasid.store.base import Store

# Scripts and styles only from this server; OSM tiles are the one outside image source, used by the
# map only while the browser is online. Leaflet positions its panes with inline styles.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: https://tile.openstreetmap.org https://*.tile.openstreetmap.org; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

ERROR_RESPONSES = {code: {"model": ErrorEnvelope, "description": text} for code, text in (
    (400, "bad input"), (401, "token missing"), (403, "token wrong or writing disabled"),
    (404, "not found"), (422, "invalid parameters"), (500, "server error (logged, never shown)"))}


def build_api(settings: ServeSettings, store: Store, ingest: Optional[IngestHook] = None) -> FastAPI:
    """The JSON API alone; ``app.state.ctx`` is its read model. ``ingest(store, records)`` is the
    pipeline hook behind POST /api/articles. ``secure`` finishes the app."""
    app = FastAPI(
        title="Rasid API", version=rasid.__version__, docs_url=None, redoc_url=None,
        description="Arabic news reports turned into a sourced record of conflict and displacement events. "
                    "Every response is the envelope {ok, data, meta, error}.",
        responses=ERROR_RESPONSES,
    )
    ctx = ApiContext(settings, store, ingest)
    app.state.ctx = ctx
    app.router.on_startup.append(ctx.warm)  # count places and actors once, before the first request
    for module in (routes_content, routes_places, routes_write):
        app.include_router(module.build(ctx))
    app.state.cache = ResponseCache(store, settings.cache_entries)
    # PostgreSQL: hear the record's version, so a cache hit and the catalog's freshness check
    # cost no query (rasid.store.pgnotify); a no-op on SQLite.
    app.router.on_startup.append(store.listen)
    app.add_middleware(CacheMiddleware, cache=app.state.cache)  # inside ``secure``'s token guard
    return app


def secure(app: FastAPI, settings: ServeSettings, html_error: Optional[Callable] = None) -> FastAPI:
    """Error handlers (HTML ones from ``html_error`` for browsers), the token guard, CORS."""
    install_error_handlers(app, html_error)
    app.add_middleware(Guard, settings=settings, html_error=html_error)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    return app


class Guard:
    """Pure ASGI middleware: the tokens and the body size limit, checked before a byte of the body
    is read, and the security headers on every response."""

    def __init__(self, app, settings: ServeSettings, html_error: Optional[Callable] = None):
        self.app, self.settings, self.html_error = app, settings, html_error
        self.too_large = (f"the request body is over {settings.max_body_bytes:,} bytes, this server's limit; "
                          "send fewer articles per request (or raise serve.max_body_bytes)")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            self._admit(request)
        except RasidError as exc:
            await self._refuse(request, exc)(scope, receive, _secured(send, None))
            return
        cookie = None
        if self.settings.read_token and request.query_params.get("token") and not wants_json(request):
            remember = Response()
            remember.set_cookie(COOKIE, request.query_params["token"], httponly=True, samesite="strict")
            cookie = remember.headers["set-cookie"]
        await self.app(scope, _limited(receive, self.settings.max_body_bytes, self.too_large), _secured(send, cookie))

    def _admit(self, request: Request) -> None:
        """The read token, the write token, then the declared length: a refusal never waits for the body."""
        token = self.settings.read_token
        if token and needs_read_token(request):
            check(presented_token(request, allow_cookie=True), token, "reading")
        if is_write(request):
            require_write(request, self.settings.write_token)
        length = request.headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.settings.max_body_bytes):
            raise TooLarge(self.too_large)

    def _refuse(self, request: Request, exc: RasidError) -> Response:
        if self.html_error is not None and not wants_json(request):
            return self.html_error(request, exc.http_status, str(exc))
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return failure(exc.code, str(exc), exc.http_status, headers=headers)


def _limited(receive, limit: int, message: str):
    """Count the body as it arrives (a chunked body declares no length) and stop past ``limit``."""
    seen = 0

    async def wrapped():
        nonlocal seen
        event = await receive()
        if event["type"] == "http.request":
            seen += len(event.get("body", b""))
            if seen > limit:  # FastAPI passes on an HTTPException raised while it reads the body
                raise HTTPException(413, message)
        return event
    return wrapped


def _secured(send, cookie: Optional[str]):
    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("Referrer-Policy", "same-origin")
            if headers.get("content-type", "").startswith("text/html"):
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Frame-Options", "DENY")
            if cookie:
                headers.append("set-cookie", cookie)
        await send(message)
    return wrapped

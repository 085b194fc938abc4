"""``create_app(settings, store)``: the API under /api/, the web UI at /, built on demand, never at import."""
from __future__ import annotations

from typing import Callable, Optional

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

import rasid
from rasid.api import routes_content, routes_places, routes_write
from rasid.api.auth import COOKIE, needs_read_token, presented_token, check
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


def create_app(settings: ServeSettings, store: Store, ingest: Optional[IngestHook] = None,
               web: bool = True) -> FastAPI:
    """Build the application. ``ingest(store, records)`` is the pipeline hook behind POST /api/articles."""
    app = FastAPI(
        title="Rasid API", version=rasid.__version__, docs_url=None, redoc_url=None,
        description="Arabic news reports turned into a sourced record of conflict and displacement events. "
                    "Every response is the envelope {ok, data, meta, error}.",
        responses=ERROR_RESPONSES,
    )
    ctx = ApiContext(settings, store, ingest)
    app.state.ctx = ctx
    for module in (routes_content, routes_places, routes_write):
        app.include_router(module.build(ctx))
    html_error = None
    if web:
        from rasid.web import install_web

        html_error = install_web(app, ctx)
    install_error_handlers(app, html_error)
    _install_guard(app, settings, html_error)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    return app


def _install_guard(app: FastAPI, settings: ServeSettings, html_error: Optional[Callable]) -> None:
    """The read token (when set) and the security headers, on every response."""

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if settings.read_token and needs_read_token(request):
            try:
                check(presented_token(request, allow_cookie=True), settings.read_token, "reading")
            except RasidError as exc:
                if html_error is not None and not wants_json(request):
                    response = html_error(request, exc.http_status, str(exc))
                else:
                    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
                    response = failure(exc.code, str(exc), exc.http_status, headers=headers)
                return _secure(response)
        response = await call_next(request)
        if settings.read_token and request.query_params.get("token") and not wants_json(request):
            response.set_cookie(COOKIE, request.query_params["token"], httponly=True, samesite="strict")
        return _secure(response)


def _secure(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response

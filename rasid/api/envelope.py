"""The one envelope of every API response, and the handlers that put every error into it."""
from __future__ import annotations

import json
import logging
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from rasid.api.fast import Raw
from rasid.errors import RasidError

log = logging.getLogger("rasid.api")

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 422: "invalid_request", 429: "too_many_requests",
              500: "internal_error", 501: "not_implemented", 503: "unavailable"}


class JSONBody(Response):
    """JSON with Arabic kept readable (no \\u escapes)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, (bytes, str)):
            return content.encode("utf-8") if isinstance(content, str) else content
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def success(data: Any, meta: Optional[dict[str, Any]] = None, status: int = 200) -> JSONBody:
    """``data`` may be a pydantic model (or a list of them); it is serialised by pydantic-core."""
    body = '{"ok":true,"data":' + _json(data) + ',"meta":' + _json(meta) + ',"error":null}'
    return JSONBody(body, status_code=status)


def _json(value: Any) -> str:
    if isinstance(value, Raw):
        return value
    if hasattr(value, "model_dump_json"):
        return value.model_dump_json()
    if isinstance(value, list) and value and hasattr(value[0], "model_dump_json"):
        return "[" + ",".join(v.model_dump_json() for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def error_body(code: str, message: str, status: int, details: Optional[list] = None) -> dict[str, Any]:
    error = {"code": code, "message": message, "status": status}
    if details is not None:
        error["details"] = details
    return {"ok": False, "data": None, "meta": None, "error": error}


def failure(code: str, message: str, status: int, details: Optional[list] = None,
            headers: Optional[dict[str, str]] = None) -> JSONBody:
    return JSONBody(error_body(code, message, status, details), status_code=status, headers=headers)


def wants_json(request: Request) -> bool:
    """API paths always get the envelope; other paths only when the client asks for JSON."""
    if request.url.path.startswith("/api/") or request.url.path in ("/api", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route takes on this path (Starlette's 405 names only the first route's)."""
    return [method for method in METHODS
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in app.router.routes)]


def install_error_handlers(app: FastAPI, html_error=None) -> None:
    """Every error becomes the envelope (or, for web pages, ``html_error(request, status, message)``)."""

    def respond(request: Request, code: str, message: str, status: int, details=None, headers=None):
        if html_error is not None and not wants_json(request):
            page = html_error(request, status, message)
            page.headers.update(headers or {})
            return page
        return failure(code, message, status, details, headers)

    @app.exception_handler(RasidError)
    async def rasid_error(request: Request, exc: RasidError):
        if exc.http_status >= 500:
            log.error("error on %s %s: %s", request.method, request.url.path, exc, exc_info=exc)
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return respond(request, exc.code, str(exc), exc.http_status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such path: {request.url.path}; the endpoints are listed at /openapi.json"
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            allowed = allowed_methods(app, request)
            message = f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}"
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return respond(request, code, message, exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        where = "; ".join(f"{'.'.join(str(x) for x in d['loc'])}: {d['msg']}" for d in details)
        return respond(request, "invalid_request", f"the request is not valid: {where}", 422, details)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, "internal_error",
                       "the server failed on this request; the error is in the server log", 500)

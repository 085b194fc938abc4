"""Bearer tokens: an optional read token for every GET, a write token for ingest."""
from __future__ import annotations

import hmac
from typing import Optional

from fastapi import Request

from rasid.errors import RasidError

COOKIE = "rasid_token"


class Unauthorized(RasidError):
    code = "unauthorized"
    http_status = 401


class TooLarge(RasidError):
    code = "too_large"
    http_status = 413


class Forbidden(RasidError):
    code = "forbidden"
    http_status = 403


def presented_token(request: Request, allow_cookie: bool) -> Optional[str]:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""
    if allow_cookie:
        return request.query_params.get("token") or request.cookies.get(COOKIE)
    return None


def check(presented: Optional[str], expected: str, purpose: str) -> None:
    """Raise Unauthorized (no token) or Forbidden (wrong token)."""
    if not presented:
        raise Unauthorized(f"{purpose} needs a token: send the header 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden(f"the token given is not the {purpose} token of this server")


def require_write(request: Request, write_token: Optional[str]) -> None:
    if not write_token:
        raise Forbidden("writing is disabled on this server: start it with --write-token TOKEN "
                        "(rasid serve --write-token ...) to accept articles")
    check(presented_token(request, allow_cookie=False), write_token, "writing")


WRITES = {("POST", "/api/articles")}


def is_write(request: Request) -> bool:
    return (request.method, request.url.path.rstrip("/")) in WRITES


def needs_read_token(request: Request) -> bool:
    return request.method in ("GET", "HEAD") and not request.url.path.startswith("/static/")

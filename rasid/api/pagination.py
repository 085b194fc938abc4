"""limit/offset paging with a deterministic order (the store's), a total and a ``next`` link."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional
from urllib.parse import urlencode

from fastapi import Query, Request


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_dependency(default: int, maximum: int) -> Callable[..., Page]:
    async def page(limit: int = Query(default, ge=1, le=maximum, description=f"rows per page (at most {maximum})"),
             offset: int = Query(0, ge=0, description="rows to skip; follow meta.next instead of computing it")) -> Page:
        return Page(limit, offset)
    return page


def link(request: Request, **changes: Any) -> str:
    """This request's relative URL with some query parameters replaced."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def page_meta(request: Request, page: Page, total: Optional[int], has_more: Optional[bool] = None) -> dict[str, Any]:
    """``has_more`` replaces the total when the total is not counted (search)."""
    more = has_more if total is None else page.offset + page.limit < total
    nxt = link(request, limit=page.limit, offset=page.offset + page.limit) if more else None
    return {"total": total, "limit": page.limit, "offset": page.offset, "next": nxt}

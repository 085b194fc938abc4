"""limit/offset paging with a deterministic order (the store's), a total and a ``next`` link."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import Request

from rasid.views.params import Page, link

__all__ = ["Page", "page_meta"]


def page_meta(request: Request, page: Page, total: Optional[int], has_more: Optional[bool] = None) -> dict[str, Any]:
    """``has_more`` replaces the total when the total is not counted (search)."""
    more = has_more if total is None else page.offset + page.limit < total
    nxt = link(request, limit=page.limit, offset=page.offset + page.limit) if more else None
    return {"total": total, "limit": page.limit, "offset": page.offset, "next": nxt}

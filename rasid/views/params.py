"""The query parameters the pages and the API share: paging (limit/offset) and the event filters."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Optional
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from rasid.store.base import EventFilter

# Past this the store's integers overflow (SQLite's are 64-bit); no archive has a billion rows.
MAX_OFFSET = 1_000_000_000
# since/until in the OpenAPI schema: a date, or empty for "any" (what an empty web form field sends).
DATE = {"anyOf": [{"format": "date"}, {"maxLength": 0}]}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EVENT_TYPES_HELP = "event type: displacement, siege, assault, agreement, negotiation, abduction, killing, protest..."


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_dependency(default: int, maximum: int) -> Callable[..., Page]:
    async def page(limit: int = Query(default, ge=1, le=maximum, description=f"rows per page (at most {maximum})"),
             offset: int = Query(0, ge=0, le=MAX_OFFSET,
                                 description="rows to skip; follow meta.next instead of computing it")) -> Page:
        return Page(limit, offset)
    return page


def link(request: Request, **changes: Any) -> str:
    """This request's relative URL with some query parameters replaced."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def iso_date(value: Optional[str], name: str) -> Optional[str]:
    """A YYYY-MM-DD date, or None for an empty value (an empty web form field means "any").
    Anything else is a 422 like any bad parameter."""
    if not value:
        return None
    try:
        if not ISO_DAY.fullmatch(value):  # fromisoformat takes "2021-W34-4" and "20210826" too
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise RequestValidationError([{"loc": ("query", name), "type": "date_parsing",
                                       "msg": f"'{value}' is not a date like 2021-08-26"}]) from None


async def event_filter(
    since: str = Query(None, description="events on or after this date (YYYY-MM-DD)", json_schema_extra=DATE),
    until: str = Query(None, description="events on or before this date (YYYY-MM-DD)", json_schema_extra=DATE),
    type: Optional[str] = Query(None, description=EVENT_TYPES_HELP),
    admin1: Optional[str] = Query(None, description="governorate, as named in the place records (e.g. درعا)"),
    place: Optional[str] = Query(None, description="place id (e.g. wof:85678345) or the start of a place name"),
    actor: Optional[str] = Query(None, description="actor id or the start of an actor name"),
    source: Optional[str] = Query(None, description="in-text source: actor id, name or type (e.g. witnesses)"),
    outlet: Optional[str] = Query(None, description="outlet that published a report of the event"),
    story: Optional[str] = Query(None, description="story id"),
    article: Optional[str] = Query(None, description="article id: lists that article's event mentions instead"),
) -> EventFilter:
    return EventFilter(type=type or None, place=place or None, admin1=admin1 or None, actor=actor or None,
                       source=source or None, outlet=outlet or None, since=iso_date(since, "since"),
                       until=iso_date(until, "until"), story_id=story or None, article_id=article or None)

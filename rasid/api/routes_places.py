"""Places and actors, aggregated over extractions and events by the catalog."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request

from rasid.api import schemas as s
from rasid.api import shapes
from rasid.api.deps import ApiContext
from rasid.api.envelope import success
from rasid.api.pagination import Page, page_meta
from rasid.errors import NotFound
from rasid.store.base import EventFilter

DETAIL_EVENTS = 50


def _ordered(table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Most mentioned first, then by id: a total order, so pages never overlap."""
    return sorted(table.values(), key=lambda x: (-(x["counts"]["mentions"] + x["counts"]["events"]), x["id"]))


def _matches(entry: dict[str, Any], q: Optional[str], field: str, value: Optional[str]) -> bool:
    if value and (entry.get(field) or "") != value:
        return False
    if q:
        names = (entry.get("name") or "", entry.get("name_en") or "", entry["id"])
        return any(q.lower() in n.lower() for n in names)
    return True


def build(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/api")

    def listing(request: Request, page: Page, table: dict, q, field, value, out):
        rows = [e for e in _ordered(table) if _matches(e, q, field, value)]
        chunk = rows[page.offset: page.offset + page.limit]
        return success([out(e) for e in chunk], page_meta(request, page, len(rows)))

    def first_events(flt: EventFilter) -> tuple[list[s.EventOut], int]:
        rows = ctx.store.list_events(flt, limit=DETAIL_EVENTS)
        return [shapes.event_out(r) for r in ctx.records(rows)], ctx.store.count_events(flt)

    @router.get("/places", response_model=s.Envelope[list[s.PlaceOut]], tags=["places"],
                summary="Places named in reports and events, with coordinates and counts")
    @ctx.endpoint(warm=True)
    def list_places(request: Request, page: Page = Depends(ctx.page),
                    q: Optional[str] = Query(None, description="part of a place name (Arabic or English) or id"),
                    admin1: Optional[str] = Query(None, description="governorate")):
        return listing(request, page, ctx.catalog.fresh().places, q, "admin1", admin1, shapes.place_out)

    @router.get("/places/{place_id:path}", response_model=s.Envelope[s.PlaceDetail], tags=["places"],
                summary="One place and the first events there")
    @ctx.endpoint(warm=True)
    def get_place(place_id: str):
        place = ctx.catalog.place(place_id)
        if place is None:
            raise NotFound(f"no place with id '{place_id}' in any report; list places with /api/places")
        events, total = first_events(EventFilter(place=place_id))
        return success(s.PlaceDetail(**place, events=events, events_total=total))

    @router.get("/actors", response_model=s.Envelope[list[s.ActorOut]], tags=["actors"],
                summary="Actors and in-text sources named in reports and events, with counts")
    @ctx.endpoint(warm=True)
    def list_actors(request: Request, page: Page = Depends(ctx.page),
                    q: Optional[str] = Query(None, description="part of an actor name or id"),
                    type: Optional[str] = Query(None, description="actor type, e.g. state_forces, ngo_monitor")):
        return listing(request, page, ctx.catalog.fresh().actors, q, "type", type, shapes.actor_out)

    @router.get("/actors/{actor_id:path}", response_model=s.Envelope[s.ActorDetail], tags=["actors"],
                summary="One actor and the first events it takes part in or reports")
    @ctx.endpoint(warm=True)
    def get_actor(actor_id: str):
        actor = ctx.catalog.actor(actor_id)
        if actor is None:
            raise NotFound(f"no actor with id '{actor_id}' in any report; list actors with /api/actors")
        events, total = first_events(EventFilter(actor=actor_id))
        if not total:
            events, total = first_events(EventFilter(source=actor_id))
        return success(s.ActorDetail(**actor, events=events, events_total=total))

    return router

"""The server-rendered pages; each names its JSON twin under /api/."""
from __future__ import annotations

from typing import Any, Callable, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from rasid.store.base import EventFilter
from rasid.views.params import Page, event_filter, link
from rasid.views.reader import ReadModel
from rasid.views.stories import story_summary
from rasid.web import assets
from rasid.web.i18n import COOKIE, Messages, choose
from rasid.web.story_view import anchor_prefix, story_page
from rasid.web.textmarks import figure_marks, pieces

FILTER_KEYS = ("type", "admin1", "place", "actor", "source", "outlet", "since", "until", "story")
MAP_PLACES = 200


def _api_twin(request: Request, path: str, drop: tuple[str, ...] = ("lang", "token"), **extra: str) -> str:
    """The /api/ URL showing this page's data: same filters and paging, minus page-only parameters."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in drop and v]
    params += list(extra.items())
    return path + ("?" + urlencode(params) if params else "")


class Renderer:
    def __init__(self, templates: Jinja2Templates):
        self.templates = templates

    def __call__(self, request: Request, name: str, twin: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = choose(request)
        t = Messages(lang)
        context.update(request=request, lang=lang, dir=t.dir, t=t, twin=twin, assets=assets,
                       lang_link=link(request, lang=t.other_lang_code), page_link=lambda **kw: link(request, **kw))
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang") in ("ar", "en"):
            response.set_cookie(COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response


def pager(page: Page, total: Optional[int], shown: int, more: Optional[bool] = None) -> dict[str, Any]:
    if more is None:
        more = total is not None and page.offset + page.limit < total
    return {"offset": page.offset, "limit": page.limit, "total": total, "shown": shown,
            "prev": max(0, page.offset - page.limit) if page.offset else None,
            "next": page.offset + page.limit if more else None}


def filter_values(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in FILTER_KEYS}


def build(ctx: ReadModel, page_dep: Callable[..., Page], render: Renderer) -> APIRouter:
    """The pages, reading ``ctx`` (the read model); ``page_dep`` parses limit/offset."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    store = ctx.store

    @router.get("/")
    def stories(request: Request, page: Page = Depends(page_dep)):
        rows = [story_summary(s) for s in store.list_stories(limit=page.limit, offset=page.offset)]
        total = store.count_stories()
        return render(request, "stories.html", _api_twin(request, "/api/stories"), stories=rows,
                      pager=pager(page, total, len(rows)))

    @router.get("/stories/{story_id}")
    def story(request: Request, story_id: str):
        found = store.get_story(story_id)
        data = story_page(store, found, ctx.story_records(found))
        return render(request, "story.html", _api_twin(request, f"/api/stories/{found.id}"), **data)

    @router.get("/articles/{article_id}")
    def article(request: Request, article_id: str):
        found = store.get_article(article_id)
        extraction = store.get_extraction(found.id)
        prefix = anchor_prefix(found.id)
        marks = figure_marks(found.text, extraction, (), prefix)
        return render(request, "article.html", _api_twin(request, f"/api/articles/{found.id}"), article=found,
                      anchor=prefix,
                      extraction=extraction, pieces=pieces(found.text, marks), story_id=ctx.story_of_article(found.id),
                      duplicates=store.get_duplicate_links(found.id))

    @router.get("/events")
    def events(request: Request, page: Page = Depends(page_dep), flt: EventFilter = Depends(event_filter)):
        rows = ctx.records(store.list_events(flt, limit=page.limit, offset=page.offset))
        total = store.count_events(flt)
        return render(request, "events.html", _api_twin(request, "/api/events"), events=rows,
                      pager=pager(page, total, len(rows)), filters=filter_values(request), governorates=ctx.governorates())

    @router.get("/map")
    def map_page(request: Request, flt: EventFilter = Depends(event_filter)):
        places = sorted((p for p in ctx.catalog.fresh().places.values() if p["lat"] is not None),
                        key=lambda p: (-p["counts"]["mentions"], p["id"]))[:MAP_PLACES]
        geojson = _api_twin(request, "/api/export", ("lang", "token", "limit", "offset"), format="geojson")
        return render(request, "map.html", _api_twin(request, "/api/events"), places=places, geojson_url=geojson,
                      filters=filter_values(request), governorates=ctx.governorates())

    @router.get("/search")
    def search(request: Request, q: str = Query(""), page: Page = Depends(page_dep)):
        hits = store.search(q, limit=page.limit + 1, offset=page.offset) if q.strip() else []
        return render(request, "search.html", _api_twin(request, "/api/search"), q=q, hits=hits[: page.limit],
                      pager=pager(page, None, min(len(hits), page.limit), more=len(hits) > page.limit))

    return router


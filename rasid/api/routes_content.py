"""Read endpoints over articles, stories, events, search and stats."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Path, Query, Request

from rasid.api import fast, shapes
from rasid.api import schemas as s
from rasid.api.deps import ApiContext
from rasid.api.envelope import success
from rasid.api.pagination import Page, page_meta
from rasid.store.base import ArticleFilter, EventFilter
from rasid.views import stories
from rasid.views.params import DATE, event_filter, iso_date


def build(ctx: ApiContext) -> APIRouter:
    """Handlers are plain functions fitted to the store by ``ctx.endpoint``: on the event loop for
    SQLite (a query takes a millisecond, less than a thread hop), in the thread pool for
    PostgreSQL (a query waits on the server; meanwhile the loop serves other requests). Those that
    read the catalog ask for ``warm``. /api/stats counts whole tables, so it is always in the pool."""
    router = APIRouter(prefix="/api")
    store, page_dep = ctx.store, ctx.page

    @router.get("/articles", response_model=s.Envelope[list[s.ArticleSummary]], tags=["articles"],
                summary="List articles, newest first")
    @ctx.endpoint()
    def list_articles(request: Request, page: Page = Depends(page_dep),
                      outlet: Optional[str] = Query(None, description="outlet name, exact"),
                      since: str = Query(None, description="published on or after (YYYY-MM-DD)", json_schema_extra=DATE),
                      until: str = Query(None, description="published on or before (YYYY-MM-DD)", json_schema_extra=DATE),
                      language: Optional[str] = Query(None, description="ISO 639-1 code, e.g. ar"),
                      story: Optional[str] = Query(None, description="story id")):
        flt = ArticleFilter(outlet=outlet or None, since=iso_date(since, "since"), until=iso_date(until, "until"),
                            language=language or None, story_id=story or None)
        rows = store.list_article_summaries(flt, limit=page.limit, offset=page.offset)
        total = store.count_articles(flt)
        return success(fast.dumps([fast.article_summary_dict(a) for a in rows]), page_meta(request, page, total))

    @router.get("/articles/{article_id}", response_model=s.Envelope[s.ArticleDetail], tags=["articles"],
                summary="One article: original text, extraction, duplicate links and story")
    @ctx.endpoint(warm=True)
    def get_article(article_id: str = Path(..., description="article id or a unique prefix of it")):
        article = store.get_article(article_id)
        detail = shapes.article_detail(article, store.get_extraction(article.id),
                                      store.get_duplicate_links(article.id), ctx.story_of_article(article.id))
        return success(detail)

    @router.get("/stories", response_model=s.Envelope[list[s.StorySummary]], tags=["stories"],
                summary="List stories, latest first")
    @ctx.endpoint()
    def list_stories(request: Request, page: Page = Depends(page_dep)):
        summaries = store.list_story_summaries(limit=page.limit, offset=page.offset)
        data = fast.dumps([fast.story_summary_dict(row) for row in summaries])
        return success(data, page_meta(request, page, store.count_stories()))

    @router.get("/stories/{story_id}", response_model=s.Envelope[s.StoryDetail], tags=["stories"],
                summary="One story: its reports, events with claims, contradictions, framing, summary, timeline")
    @ctx.endpoint(warm=True)
    def get_story(story_id: str):
        story = store.get_story(story_id)
        articles = store.get_article_summaries(story.article_ids)
        detail = fast.story_detail_json(stories.story_summary(story), story, articles, ctx.story_records(story))
        return success(fast.raw(detail))

    @router.get("/events", response_model=s.Envelope[list[s.EventOut]], tags=["events"],
                summary="List events (merged per story, with claims), latest first")
    @ctx.endpoint(warm=True)
    def list_events(request: Request, page: Page = Depends(page_dep), flt: EventFilter = Depends(event_filter)):
        rows = store.list_events(flt, limit=page.limit, offset=page.offset)
        events = fast.raw(fast.events_json(ctx.records(rows)))
        return success(events, page_meta(request, page, store.count_events(flt)))

    @router.get("/events/{event_id:path}", response_model=s.Envelope[s.EventOut], tags=["events"], summary="One event")
    @ctx.endpoint(warm=True)
    def get_event(event_id: str):
        return success(fast.raw(fast.event_json(ctx.event(event_id))))

    @router.get("/search", response_model=s.Envelope[list[s.SearchHitOut]], tags=["search"],
                summary="Full-text search over titles and texts (normalised, stemmed Arabic)")
    @ctx.endpoint()
    def search(request: Request, q: str = Query(..., min_length=1, description="words to find, all of them"),
               page: Page = Depends(page_dep)):
        hits = store.search(q, limit=page.limit + 1, offset=page.offset)
        out = fast.dumps([fast.search_hit_dict(h) for h in hits[: page.limit]])
        return success(out, page_meta(request, page, None, has_more=len(hits) > page.limit))

    @router.get("/stats", response_model=s.Envelope[dict[str, Any]], tags=["stats"], summary="Counts over the store")
    def stats():
        data = store.stats()
        data.pop("database", None)  # a file path is nobody's business over HTTP
        return success(data)

    return router


"""The read model a server holds for its lifetime: the store, the catalog and event look-ups."""
from __future__ import annotations

from typing import Any, Optional

from starlette.concurrency import run_in_threadpool

from rasid.errors import NotFound
from rasid.store.base import EventFilter, Store
from rasid.views.catalog import Catalog
from rasid.views.context import RecordContext
from rasid.views.records import event_record, row_from_event


class ReadModel:
    """Events as records, a story's events, the story of an article; the catalog kept fresh."""

    def __init__(self, store: Store, catalog_max_age: float = 0.0):
        self.store = store
        self.catalog = Catalog(store, max_age=catalog_max_age)

    async def warm(self) -> None:
        """Bring the catalog up to date in a worker thread, so the look-ups that follow on the
        event loop never wait on a whole-store pass."""
        if not self.catalog.ready():
            await run_in_threadpool(self.catalog.fresh)

    def record_context(self) -> RecordContext:
        return RecordContext(self.store, self.catalog)

    def records(self, rows: list) -> list[dict[str, Any]]:
        ctx = self.record_context()
        return [event_record(row, ctx.place, ctx.outlet_of) for row in rows]

    def story_records(self, story: Any) -> list[dict[str, Any]]:
        return self.records([row_from_event(e) for e in story.events])

    def story_of_article(self, article_id: str) -> Optional[str]:
        """The story holding an article: its mention rows say so, else the catalog's story map."""
        for row in self.store.list_events(EventFilter(article_id=article_id), limit=1):
            if row.story_id:
                return row.story_id
        return self.catalog.fresh().story_of_article.get(article_id)

    def event(self, event_id: str) -> dict[str, Any]:
        """An event by id: a mention ('<article id>:<event id>') or a merged event of a story."""
        article_id = event_id.rsplit(":", 1)[0] if ":" in event_id else ""
        if article_id:
            for row in self.store.list_events(EventFilter(article_id=article_id), limit=10_000):
                if row.id == event_id:
                    return self.records([row])[0]
        story_id = self.catalog.fresh().story_of_event.get(event_id)
        if story_id:
            for record in self.story_records(self.store.get_story(story_id)):
                if record["id"] == event_id:
                    return record
        raise NotFound(f"no event with id '{event_id}'; list events with /api/events")

    def governorates(self) -> list[str]:
        return sorted({p["admin1"] for p in self.catalog.fresh().places.values() if p.get("admin1")})

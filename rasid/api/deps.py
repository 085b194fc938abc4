"""What every route needs, built once per app: the store, settings, catalog and ingest hook."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from starlette.concurrency import run_in_threadpool

from rasid.api.pagination import page_dependency
from rasid.api.settings import ServeSettings
from rasid.errors import NotFound
from rasid.export.catalog import Catalog
from rasid.export.context import ExportContext
from rasid.export.records import event_record, row_from_event
from rasid.store.base import EventFilter, Store

IngestHook = Callable[[Store, list[dict[str, Any]]], Any]


@dataclass
class ApiContext:
    settings: ServeSettings
    store: Store
    ingest: Optional[IngestHook] = None
    catalog: Catalog = field(init=False)

    def __post_init__(self) -> None:
        self.catalog = Catalog(self.store, max_age=self.settings.catalog_max_age)
        self.page = page_dependency(self.settings.page_size, self.settings.max_page_size)

    async def warm(self) -> None:
        """Bring the catalog up to date in a worker thread, so the look-ups that follow on the
        event loop never wait on a whole-store pass."""
        if not self.catalog.ready():
            await run_in_threadpool(self.catalog.fresh)

    def export_context(self) -> ExportContext:
        return ExportContext(self.store, self.catalog)

    def records(self, rows: list) -> list[dict[str, Any]]:
        ctx = self.export_context()
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

"""What an event record needs beyond its row: place coordinates and article metadata, cached."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from rasid.errors import NotFound
from rasid.views.catalog import Catalog, iter_events
from rasid.views.records import event_record
from rasid.store.base import EventFilter, Store

LEVELS = ("event", "mention")


class RecordContext:
    """Caches article look-ups and builds the place catalog only when a place lacks coordinates."""

    def __init__(self, store: Store, catalog: Optional[Catalog] = None):
        self.store = store
        self._catalog = catalog
        self._articles: dict[str, Optional[dict[str, Any]]] = {}

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self.store)
        return self._catalog

    def place(self, place_id: str) -> Optional[dict[str, Any]]:
        return self.catalog.place(place_id) if place_id else None

    def article(self, article_id: str) -> Optional[dict[str, Any]]:
        if article_id not in self._articles:
            try:
                a = self.store.get_article(article_id)
                self._articles[article_id] = {"outlet": a.outlet, "url": a.url, "published": a.published,
                                              "title": a.title}
            except NotFound:
                self._articles[article_id] = None
        return self._articles[article_id]

    def outlet_of(self, article_id: str) -> str:
        return (self.article(article_id) or {}).get("outlet", "")

    def urls(self, record: dict[str, Any]) -> list[str]:
        ids = {c.get("article_id") for c in record["claims"]} | {record.get("article_id")}
        found = [(self.article(i) or {}).get("url") for i in sorted(i for i in ids if i)]
        return [u for u in found if u]

    def records(self, flt: EventFilter = EventFilter(), level: str = "event") -> Iterator[dict[str, Any]]:
        """Event records in the store's stable order; ``level='mention'`` gives per-article mentions."""
        for row in self._rows(flt, level):
            # The catalog (a whole-store pass) is consulted only for places lacking coordinates.
            yield event_record(row, self.place, self.outlet_of)

    def _rows(self, flt: EventFilter, level: str):
        if level not in LEVELS:
            raise ValueError(f"unknown export level '{level}'; use one of: {', '.join(LEVELS)}")
        if level == "event" or flt.article_id:
            yield from iter_events(self.store, flt)
            return
        for article_id in self.store.article_ids():
            yield from iter_events(self.store, _with_article(flt, article_id))


def _with_article(flt: EventFilter, article_id: str) -> EventFilter:
    values = {name: getattr(flt, name) for name in flt.__dataclass_fields__}
    values["article_id"] = article_id
    return EventFilter(**values)

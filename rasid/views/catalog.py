"""Places and actors aggregated over the whole store, for the API, the map and the exports.

The store keeps places and actors inside each extraction and event; the catalog walks them once,
counts them, and is rebuilt when the store changes (a cheap signature of row counts) or ages.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Iterator, Optional

from rasid.models import PLACE_FACTS, Extraction
from rasid.store.base import EventFilter, EventRow, Store

PLACE_FIELDS = PLACE_FACTS[1:]  # every fact but the id
PAGE = 1000


def iter_events(store: Store, flt: EventFilter = EventFilter()) -> Iterator[EventRow]:
    """Every event row matching the filter, page by page in the store's stable order."""
    offset = 0
    while True:
        rows = store.list_events(flt, limit=PAGE, offset=offset)
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


def iter_stories(store: Store) -> Iterator[Any]:
    offset = 0
    while True:
        stories = store.list_stories(limit=200, offset=offset)
        yield from stories
        if len(stories) < 200:
            return
        offset += 200


class _Counter:
    """An entity's fields plus the sets its counts are made from."""

    def __init__(self, entity_id: str):
        self.fields: dict[str, Any] = {"id": entity_id}
        self.mentions = 0
        self.articles: set[str] = set()
        self.events: set[str] = set()
        self.stories: set[str] = set()
        self.claims = 0

    def fill(self, values: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key in keys:
            value = values.get(key)
            if self.fields.get(key) in (None, "") and value not in (None, ""):
                self.fields[key] = value

    def as_dict(self, keys: tuple[str, ...], extra_counts: dict[str, int]) -> dict[str, Any]:
        out = {key: self.fields.get(key) for key in ("id", *keys)}
        for key in keys:
            if out[key] is None and key not in ("lat", "lon"):
                out[key] = "unknown" if key == "precision" else ""
        counts = {"mentions": self.mentions, "articles": len(self.articles), "events": len(self.events),
                  "stories": len(self.stories)}
        out["counts"] = {**counts, **extra_counts}
        return out


class Catalog:
    """Aggregates built from one pass over extractions, stories and merged events."""

    ACTOR_FIELDS = ("name", "name_en", "type")

    def __init__(self, store: Store, max_age: float = 0.0):
        self.store = store
        self.max_age = max_age
        self._lock = threading.Lock()
        self._built_at = 0.0
        self._checked_at = 0.0
        self._signature: tuple = ()
        self._version: Optional[int] = None  # the record's version when the counts were last taken
        self.places: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, dict[str, Any]] = {}
        self.story_of_article: dict[str, str] = {}
        self.story_of_event: dict[str, str] = {}

    # -- freshness
    def signature(self) -> tuple:
        return (self.store.count_articles(), self.store.count_stories(), self.store.count_events())

    def invalidate(self) -> None:
        with self._lock:
            self._built_at = 0.0

    def ready(self) -> bool:
        """True when a look-up will neither recount nor rebuild (so it may run on an event loop)."""
        now = time.monotonic()
        return bool(self._built_at) and now - self._checked_at < 1.0 and not self._aged(now)

    def fresh(self) -> "Catalog":
        """Rebuild if the store changed (checked at most once a second) or the catalog aged."""
        with self._lock:
            now = time.monotonic()
            if self._built_at and now - self._checked_at < 1.0:
                return self
            self._checked_at = now
            # Counts cannot change without a new record version: while the store knows the
            # version without asking (PostgreSQL's listener) and it is the one last counted at,
            # the three counts are skipped (20-30 ms a second per worker on the benchmark record).
            version = self.store.known_version()
            if self._built_at and version is not None and version == self._version and not self._aged(now):
                return self
            signature = self.signature()
            if not (self._built_at and signature == self._signature and not self._aged(now)):
                self._build()
                self._signature, self._built_at = signature, time.monotonic()
            self._version = version
            return self

    def _aged(self, now: float) -> bool:
        return bool(self.max_age) and now - self._built_at >= self.max_age

    # -- look-ups
    def place(self, place_id: str) -> Optional[dict[str, Any]]:
        return self.fresh().places.get(place_id)

    def actor(self, actor_id: str) -> Optional[dict[str, Any]]:
        return self.fresh().actors.get(actor_id)

    # -- building
    def _build(self) -> None:
        places: dict[str, _Counter] = {}
        actors: dict[str, _Counter] = {}
        self.story_of_article, self.story_of_event = {}, {}
        for story in iter_stories(self.store):
            for article_id in story.article_ids:
                self.story_of_article[article_id] = story.id
            self._fill_from_story(story, places, actors)
        if self._has_extractions():
            for extraction in self.store.iter_extractions():
                self._add_extraction(extraction, places, actors)
        for row in iter_events(self.store):
            self._add_event(row, places, actors)
        self.places = {k: v.as_dict(PLACE_FIELDS, {}) for k, v in places.items()}
        self.actors = {k: v.as_dict(self.ACTOR_FIELDS, {"claims": v.claims}) for k, v in actors.items()}

    def _has_extractions(self) -> bool:
        """Skip a pass over every article when nothing has been extracted yet (a fresh archive)."""
        return bool(self.store.stats().get("extracted", 1))

    def _fill_from_story(self, story: Any, places: dict[str, _Counter], actors: dict[str, _Counter]) -> None:
        """A story's place and actor lists name things (English names too) without counting them."""
        for place in story.places:
            if place.place_id:
                places.setdefault(place.place_id, _Counter(place.place_id)).fill(place.to_dict(), PLACE_FIELDS)
        for item in story.actors:
            if isinstance(item, dict) and item.get("actor_id"):
                actors.setdefault(item["actor_id"], _Counter(item["actor_id"])).fill(item, self.ACTOR_FIELDS)

    def _add_extraction(self, ex: Extraction, places: dict[str, _Counter], actors: dict[str, _Counter]) -> None:
        story = self.story_of_article.get(ex.article_id)
        for mention in ex.places:
            if mention.place_id:
                self._count(places, mention.place_id, vars(mention), PLACE_FIELDS, ex.article_id, story)
        for mention in ex.actors:
            if mention.actor_id:
                self._count(actors, mention.actor_id, vars(mention), self.ACTOR_FIELDS, ex.article_id, story)
        for source in ex.sources:
            if source.actor_id:
                self._count(actors, source.actor_id, vars(source), self.ACTOR_FIELDS, ex.article_id, story, mention=False)

    @staticmethod
    def _count(table: dict[str, _Counter], key: str, values: dict[str, Any], fields: tuple[str, ...],
               article_id: str, story_id: Optional[str], mention: bool = True) -> None:
        counter = table.setdefault(key, _Counter(key))
        counter.fill(values, fields)
        counter.mentions += int(mention)
        counter.articles.add(article_id)
        if story_id:
            counter.stories.add(story_id)

    def _add_event(self, row: EventRow, places: dict[str, _Counter], actors: dict[str, _Counter]) -> None:
        if row.story_id:
            self.story_of_event[row.id] = row.story_id
        data = row.data or {}
        for place in data.get("places") or []:
            if place.get("place_id"):
                counter = places.setdefault(place["place_id"], _Counter(place["place_id"]))
                counter.fill(place, PLACE_FIELDS)
                counter.events.add(row.id)
        for actor in data.get("actors") or []:
            if actor.get("actor_id"):
                counter = actors.setdefault(actor["actor_id"], _Counter(actor["actor_id"]))
                counter.fill(actor, self.ACTOR_FIELDS)
                counter.events.add(row.id)
        for claim in data.get("claims") or []:
            actor_id = claim.get("source_actor_id")
            if actor_id:
                counter = actors.setdefault(actor_id, _Counter(actor_id))
                counter.fill({"name": claim.get("source")}, ("name",))
                counter.claims += 1
                counter.events.add(row.id)

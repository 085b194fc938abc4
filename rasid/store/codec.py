"""Turning stored JSON back into model objects, shared by every backend."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import orjson

from rasid.arabic.search import search_text

from rasid.models import (
    ActorMention, Article, DateMention, EntityMention, Event, EventMention, Extraction,
    Figure, PlaceMention, SourceMention, Story,
)


def loads(text: str | bytes) -> Any:
    """A stored JSON column: orjson (several times faster than json on the read path), or json for
    what orjson refuses and ``dumps`` may have written (NaN, integers past 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)

_EXTRACTION_LISTS = {
    "figures": Figure, "dates": DateMention, "places": PlaceMention, "actors": ActorMention,
    "entities": EntityMention, "sources": SourceMention, "events": EventMention,
}
ARTICLE_FIELDS = [f.name for f in dataclasses.fields(Article)]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "to_dict"):  # a story or an event keeps its places' stored shape
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def _build(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def extraction_from_dict(data: dict[str, Any]) -> Extraction:
    lists = {key: [_build(cls, item) for item in data.get(key, [])] for key, cls in _EXTRACTION_LISTS.items()}
    return Extraction(article_id=data["article_id"], **lists)


def event_from_dict(data: dict[str, Any]) -> Event:
    return Event.from_dict(data)


def story_from_dict(data: dict[str, Any]) -> Story:
    return Story.from_dict(data)


def record_hash(article: Article) -> str:
    """What decides 'unchanged': every field the source gave us, not the ingest time."""
    # A shallow dict encodes as asdict() did (the fields are text, numbers and plain JSON
    # containers) without asdict's deep copy of every article.
    fields = {k: getattr(article, k) for k in ARTICLE_FIELDS if k not in ("ingested_at", "duplicate_of")}
    return hashlib.sha1(dumps(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleRow:
    """An article with what storing it derives from it alone: its record hash, search terms and
    meta as JSON.

    All are pure, so ingest computes them in its worker pool beside cleaning, and the one
    writer process only writes (``Store.put_articles`` takes articles or rows)."""

    article: Article
    record_hash: str
    terms: str
    meta: str = ""  # dumps(article.meta)


def article_row(article: "Article | ArticleRow") -> ArticleRow:
    if isinstance(article, ArticleRow):
        return article
    return ArticleRow(article, record_hash(article), search_text(article.title + "\n" + article.clean_text),
                      dumps(article.meta))


def article_from_row(row: Any) -> Article:
    data = {name: row[name] for name in ARTICLE_FIELDS}
    data["meta"] = loads(data["meta"] or "{}")
    return Article(**data)

"""Turning stored JSON back into model objects, shared by every backend."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from operator import attrgetter
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


# The long columns of an article row: they travel from the ingest pool to the writer as UTF-8.
_LONG = frozenset({"text", "clean_text"})
_LONG_AT = tuple(i for i, name in enumerate(ARTICLE_FIELDS) if name in _LONG)


class ArticleRow:
    """An article as a store writes it: its column values (``ARTICLE_FIELDS`` order, meta as JSON),
    its record hash and its search terms, all derived from the article alone.

    All are pure, so ingest computes them in its worker pool beside cleaning, and the one writer
    process only writes (``Store.put_articles`` takes articles or rows). Pickled (pool to writer),
    the text, clean text and terms go as UTF-8 bytes: bytes are copied, while a str is decoded
    when it arrives and encoded again when SQLite binds it, which cost the writer 1.7 of its 14
    CPU seconds on SaudiNewsNet. SQLite binds them as they are (``CAST(? AS TEXT)`` stores the
    same text); ``article`` and ``terms`` decode them for whoever wants str.
    """

    __slots__ = ("columns", "record_hash", "raw_terms", "_article")

    def __init__(self, columns: tuple, record_hash: str, raw_terms: "str | bytes", article: "Article | None" = None):
        self.columns = columns  # str, or bytes (UTF-8) for the long ones after a trip between processes
        self.record_hash = record_hash
        self.raw_terms = raw_terms
        self._article = article

    @property
    def id(self) -> str:
        return self.columns[_ID_AT]

    @property
    def content_hash(self) -> str:
        return self.columns[_HASH_AT]

    @property
    def meta(self) -> str:
        return self.columns[_META_AT]

    @property
    def terms(self) -> str:
        return _text(self.raw_terms)

    @property
    def article(self) -> Article:
        if self._article is None:
            data = {name: _text(value) for name, value in zip(ARTICLE_FIELDS, self.columns)}
            data["meta"] = json.loads(data["meta"])
            self._article = Article(**data)
        return self._article

    def __reduce__(self) -> tuple:
        columns = list(self.columns)
        for at in _LONG_AT:
            columns[at] = _utf8(columns[at])
        return ArticleRow, (tuple(columns), self.record_hash, _utf8(self.raw_terms))


def _utf8(value: "str | bytes") -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return value.decode("utf-8") if isinstance(value, bytes) else value


_ID_AT, _HASH_AT, _META_AT = (ARTICLE_FIELDS.index(name) for name in ("id", "content_hash", "meta"))
_COLUMNS_OF = attrgetter(*ARTICLE_FIELDS)


def article_row(article: "Article | ArticleRow") -> ArticleRow:
    if isinstance(article, ArticleRow):
        return article
    columns = list(_COLUMNS_OF(article))
    columns[_META_AT] = dumps(article.meta)
    return ArticleRow(tuple(columns), record_hash(article), search_text(article.title + "\n" + article.clean_text),
                      article)


def article_from_row(row: Any) -> Article:
    data = {name: row[name] for name in ARTICLE_FIELDS}
    data["meta"] = loads(data["meta"] or "{}")
    return Article(**data)

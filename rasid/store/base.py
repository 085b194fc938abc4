"""The store interface every backend implements, and ``open_store`` that picks one by URL."""
from __future__ import annotations

import importlib
import os
import socket
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, NamedTuple, Optional

from rasid.errors import ConfigError, NotFound
from rasid.models import Article, DuplicateLink, Extraction, Rejection, Story

# scheme -> "module:Class"; drivers are imported only when their scheme is used.
BACKENDS = {
    "sqlite": "rasid.store.sqlite:SQLiteStore",
    "postgresql": "rasid.store.postgres:PostgresStore",
    "postgres": "rasid.store.postgres:PostgresStore",
}


@dataclass(frozen=True)
class ArticleFilter:
    outlet: Optional[str] = None
    since: Optional[str] = None  # ISO date, inclusive
    until: Optional[str] = None  # ISO date, inclusive
    language: Optional[str] = None
    story_id: Optional[str] = None


@dataclass(frozen=True)
class EventFilter:
    type: Optional[str] = None
    place: Optional[str] = None  # place id or (part of) its name
    admin1: Optional[str] = None
    actor: Optional[str] = None  # actor id or (part of) its name
    source: Optional[str] = None  # in-text source id, type or name
    outlet: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    story_id: Optional[str] = None
    article_id: Optional[str] = None


@dataclass
class SearchHit:
    article: Article
    snippet: str
    score: float


@dataclass
class PutResult:
    status: str  # new, updated, unchanged
    article_id: str
    duplicate_of: Optional[str] = None


@dataclass(frozen=True)
class QueueItem:
    """One article waiting for analysis; ``token`` changes each time it is queued again."""

    article_id: str
    token: str


@dataclass(frozen=True)
class Holder:
    """Who holds (or asks for) a lease: a unique id, the host and process."""

    id: str
    host: str
    pid: int
    since: str = ""

    @classmethod
    def this_process(cls) -> "Holder":
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return cls(uuid.uuid4().hex, socket.gethostname(), os.getpid(), now)

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} (since {self.since})"


@dataclass(frozen=True)
class Signature:
    """A report's entry in the near-copy index: its shingles and its LSH band keys."""

    article_id: str
    content_hash: str
    shingles: bytes
    band_keys: tuple[int, ...]


class ArticleSummaryRow(NamedTuple):
    """An article's metadata as lists show it (``Store.list_article_summaries``): no texts."""
    id: str
    title: str
    outlet: str
    url: str
    language: str
    published: Optional[str]
    published_precision: str
    duplicate_of: Optional[str]
    ingested_at: str


@dataclass(frozen=True)
class StoryState:
    """The stories between two full passes (migration 0010_story_state): ``rasid watch`` and
    ``rasid poll`` on a large record add reports to the last full pass's stories instead of
    reclustering the whole record. No row: the stories are those of one analysis of the record."""

    since: str  # when the first incremental batch after the last full pass was written (UTC)
    added: int  # reports added since the last full pass
    batches: int  # incremental batches since the last full pass
    full_pass_reports: int  # reports the last full pass clustered
    basis: str  # which full pass the batches continue (the process that made it knows it)

    def describe(self) -> str:
        return (f"incremental since {self.since}, {self.added:,} report{'s' if self.added != 1 else ''} added since the "
                f"last full pass of {self.full_pass_reports:,} ({self.batches} batch{'es' if self.batches != 1 else ''})")


ONE_ANALYSIS = "one analysis of the record (no incremental batch since the last full pass)"


@dataclass
class AnalysisWrite:
    """Everything one analysis batch writes, in one transaction, with the queue rows it finishes."""

    done: list[QueueItem]
    extractions: list[Extraction] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    features: dict[str, bytes] = field(default_factory=dict)  # article id -> clusterer features
    links: list[DuplicateLink] = field(default_factory=list)  # every link of the analysed articles
    stories: list[Story] = field(default_factory=list)  # stories that gained or lost an article
    removed_stories: list[str] = field(default_factory=list)  # stories that no longer exist
    story_of: dict[str, str] = field(default_factory=dict)  # analysed article -> its story
    story_state: Optional[StoryState] = None  # None: the stories are one analysis's (the state row goes)


@dataclass
class EventRow:
    """One event mention as stored, flattened for filtering and export."""

    id: str
    article_id: str
    story_id: Optional[str]
    type: str
    subtype: str
    date: Optional[str]
    date_precision: str
    data: dict[str, Any] = field(default_factory=dict)


def resolve_url(url: str) -> str:
    """A bare path means a SQLite file; ``:memory:`` an in-memory SQLite database."""
    if "://" in url:
        return url
    if url == ":memory:":
        return "sqlite://:memory:"
    return "sqlite:///" + url


def open_store(url: str, **options: Any) -> "Store":
    """Open (and migrate) the store named by ``url``."""
    url = resolve_url(url)
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    if scheme not in BACKENDS:
        known = ", ".join(sorted(BACKENDS))
        raise ConfigError(f"unknown database URL scheme '{scheme}' in '{url}'; use one of: {known}")
    module_name, class_name = BACKENDS[scheme].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(url, **options)


class Store(ABC):
    """What the stages, the CLI and the API may ask of a database. Nothing else touches SQL."""

    url: str
    # True when a query waits on another process (a database server) rather than the CPU: the API
    # then runs this store's calls in its thread pool, and the store must be safe to call from
    # several threads at once. False (SQLite) keeps them on the event loop: a query there takes a
    # millisecond, less than the thread hop.
    threaded: bool = False

    # -- life cycle
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def version(self) -> int:
        """The record's version: a counter every committed write transaction bumps, whichever
        process wrote. Equal versions mean nothing changed in between (the API's response cache)."""

    def listen(self) -> None:
        """Start hearing version bumps without asking (PostgreSQL: LISTEN/NOTIFY); a no-op here."""

    def known_version(self) -> Optional[int]:
        """The record's version if this process knows it without a query (heard, or written by
        itself since), else None: ask ``version``."""
        return None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- articles
    @abstractmethod
    def put_articles(self, articles: Iterable[Any], records: Iterable[tuple[str, str]] = ()) -> list[PutResult]:
        """Upsert a batch in one transaction; an exact copy is linked to its first occurrence.

        Each item is an ``Article``, or a ``rasid.store.codec.ArticleRow`` that carries its record
        hash and search terms already (ingest computes them in its worker pool).

        The same transaction queues every new or changed article for analysis and remembers the
        (fingerprint, article id) pairs of ``records``. The caller's articles are not changed.
        """

    @abstractmethod
    def seen_records(self) -> set[str]:
        """Fingerprints of raw records already stored (see rasid.pipeline.fingerprint)."""

    @abstractmethod
    def mark_records(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Remember (fingerprint, article id) pairs of records just stored."""

    @abstractmethod
    def get_article(self, article_id: str) -> Article:
        """By id or unique id prefix; raises NotFound."""

    def get_articles(self, article_ids: list[str]) -> list[Article]:
        """The articles with exactly these ids, in the order given; ids not stored are left out.
        A backend whose queries are round trips reads them in one."""
        found = []
        for article_id in article_ids:
            try:
                article = self.get_article(article_id)
            except NotFound:
                continue
            if article.id == article_id:  # get_article also takes a prefix; this takes only ids
                found.append(article)
        return found

    @abstractmethod
    def list_articles(self, flt: ArticleFilter = ArticleFilter(), limit: int = 50, offset: int = 0) -> list[Article]: ...

    # A list of articles or a story's reports shows each one's metadata, never its text. These
    # return objects with at least the ``ArticleSummaryRow`` fields; a backend that pays for
    # reading the texts (PostgreSQL keeps them out of line) reads only those columns.
    def list_article_summaries(self, flt: ArticleFilter = ArticleFilter(), limit: int = 50, offset: int = 0) -> list[Any]:
        return self.list_articles(flt, limit, offset)

    def get_article_summaries(self, article_ids: list[str]) -> list[Any]:
        return self.get_articles(article_ids)

    @abstractmethod
    def count_articles(self, flt: ArticleFilter = ArticleFilter()) -> int: ...

    @abstractmethod
    def article_ids(self) -> list[str]: ...

    @abstractmethod
    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]: ...

    @abstractmethod
    def stats(self) -> dict[str, Any]: ...

    # -- rejections (what ingest refused, and why)
    @abstractmethod
    def add_rejections(self, rejections: Iterable[Rejection]) -> None: ...

    @abstractmethod
    def list_rejections(self, limit: int = 50) -> list[Rejection]: ...

    # -- analysis results
    @abstractmethod
    def put_extraction(self, extraction: Extraction, story_id: Optional[str] = None) -> None: ...

    @abstractmethod
    def get_extraction(self, article_id: str) -> Optional[Extraction]: ...

    def get_extractions(self, article_ids: list[str]) -> dict[str, Extraction]:
        """The extractions of these articles, by article id (those without one left out). A
        backend whose queries are round trips reads them in one."""
        found = {article_id: self.get_extraction(article_id) for article_id in article_ids}
        return {article_id: extraction for article_id, extraction in found.items() if extraction is not None}

    def iter_extractions(self, page: int = 500) -> Iterator[Extraction]:
        """Every article's extraction, in ``article_ids()`` order (a backend reads them page by page)."""
        for article_id in self.article_ids():
            extraction = self.get_extraction(article_id)
            if extraction:
                yield extraction

    @abstractmethod
    def put_duplicate_links(self, links: Iterable[DuplicateLink]) -> None: ...

    @abstractmethod
    def get_duplicate_links(self, article_id: str) -> list[DuplicateLink]: ...

    @abstractmethod
    def replace_stories(self, stories: list[Story]) -> None:
        """Store the given stories, replacing any story that holds one of their articles."""

    @abstractmethod
    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]: ...

    @abstractmethod
    def list_story_summaries(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """The stories of ``list_stories`` as summaries (id, title, dates, counts, places),
        without decoding each story's events: what a list page needs."""

    @abstractmethod
    def count_stories(self) -> int: ...

    @abstractmethod
    def get_story(self, story_id: str) -> Story: ...

    @abstractmethod
    def list_events(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0) -> list[EventRow]: ...

    @abstractmethod
    def count_events(self, flt: EventFilter = EventFilter()) -> int: ...

    # -- the analysis job (rasid.store.jobs implements these for both backends)
    @abstractmethod
    def enqueue(self, article_ids: Iterable[str]) -> None:
        """Queue articles for analysis (again)."""

    @abstractmethod
    def enqueue_all(self) -> None:
        """Queue every stored article, and repair the exact-copy links (``rasid analyse --all``)."""

    @abstractmethod
    def pending(self, limit: int = 1000) -> list[QueueItem]:
        """Queued articles, by id."""

    @abstractmethod
    def queue_status(self) -> dict[str, Any]:
        """The analysis queue: ``pending`` articles, ``leased`` (those an active analysis holds),
        ``oldest_waiting`` (when the longest-waiting one was queued) and ``waiting_seconds``,
        ``stale_leases`` and every lease as {name, holder, state, expires_at}; state is active,
        expired or abandoned (its process on this host is gone; the next analysis takes it over)."""

    @abstractmethod
    def take_lease(self, name: str, me: Holder, seconds: float) -> Optional[Holder]:
        """Take or renew a lease; None when ``me`` holds it now, else the holder."""

    @abstractmethod
    def release_lease(self, name: str, me: Holder) -> None: ...

    @abstractmethod
    def cluster_features(self) -> dict[str, bytes]:
        """The clusterer's features of every analysed article."""

    @abstractmethod
    def cluster_feature_ids(self) -> set[str]:
        """The ids of the articles with clusterer features (the analysed ones)."""

    @abstractmethod
    def story_members(self) -> dict[str, list[str]]:
        """Story id -> its article ids, as stored."""

    @abstractmethod
    def story_state(self) -> Optional[StoryState]:
        """The stories' state row: None when they are one analysis's (see ``StoryState``)."""

    @abstractmethod
    def near_candidates(self, band_keys: list[int]) -> dict[int, set[str]]:
        """Band key -> the indexed articles sharing it."""

    @abstractmethod
    def near_signatures(self, article_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        """Article id -> (content hash, shingles) of the indexed ones among ``article_ids``."""

    @abstractmethod
    def write_analysis(self, write: AnalysisWrite, me: Holder, lease: str) -> None:
        """One transaction: the batch's results, then its queue rows done; refused when ``me``
        no longer holds ``lease``."""

    @abstractmethod
    def check(self) -> list[Any]:
        """The record's invariants that fail (rasid.store.checks.Problem), none when consistent."""

    # -- small state blobs (incremental indexes)
    @abstractmethod
    def get_state(self, key: str) -> Optional[bytes]: ...

    @abstractmethod
    def set_state(self, key: str, value: bytes) -> None: ...

"""The orchestrator: ingest → clean → store (+ queue), then analyse what is queued. Reads top to bottom.

An ingest stores each batch of articles and queues the changed ones in one transaction; analysis
takes the queue under the store's lease and writes each batch's results, and marks its queue rows
done, in one transaction. So a kill at any moment loses no work: the next command that analyses
(``rasid ingest``, ``rasid analyse``) finishes it.
"""
from __future__ import annotations

import hashlib
import re
import time
from itertools import chain, islice
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Optional, Protocol

from rasid import __version__, analysis as stage, executor
from rasid.clean import clean
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.identity import build_article, warm
from rasid.ingest.inflight import InFlight
from rasid.ingest.records import Item, RawRecord
from rasid.ingest.sources import ReadOptions, read_inputs
from rasid.models import Article, Rejection
from rasid.settings import Settings
from rasid.store.base import AnalysisWrite, Store
from rasid.store.codec import ArticleRow, article_row

_LETTER = re.compile(r"[^\W\d_]")
Progress = Callable[[int], None]


class AnalysisProgress(Protocol):
    """What analysis reports to a progress bar (rasid.cli.progress.Progress): articles extracted,
    the queue's size once known, and the stage a batch is in."""

    def __call__(self, count: int) -> None: ...

    def set_total(self, total: Optional[int]) -> None: ...

    def stage(self, name: str) -> None: ...


@dataclass
class IngestReport:
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "rejected": 0})
    rejections: list[Rejection] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    exact_copies: int = 0
    skipped: int = 0  # unchanged records recognised by fingerprint, not even cleaned
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return sum(self.counts.values())

    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


def read_options(settings: Settings, encoding: str = "", field_map: Optional[dict] = None) -> ReadOptions:
    s = settings.ingest
    return ReadOptions(encoding=encoding, fallback_encoding=s.fallback_encoding, field_map=field_map or {},
                       max_article_bytes=s.max_article_bytes, feed_min_chars=s.feed_min_chars,
                       fetch_timeout=s.fetch_timeout, fetch_deadline=s.fetch_deadline)


def _has_letters(text: str, count: int) -> bool:
    return sum(1 for _ in islice(_LETTER.finditer(text), count)) >= count


def to_article(record: RawRecord, settings: Settings, published: Optional[str] = None) -> Item | Article:
    """Clean one record and build its article, or say why it is refused."""
    cleaned = clean(record.text, record.title, settings.clean.boilerplate_file)
    title = record.title or cleaned.title
    if not _has_letters(title + cleaned.clean_text, settings.clean.min_letters):
        return Rejection(record.origin, "empty: no text and no title", "check the input's fields (--field text=NAME)")
    return build_article(record, cleaned, published)


def fingerprint(record: RawRecord, settings: Settings, published: Optional[str]) -> str:
    """What decides that a raw record is the one stored before: its fields and how it is cleaned.

    A re-ingest skips records whose fingerprint is stored, without cleaning them again; a new
    Rasid version or other clean settings give new fingerprints, so everything is redone.
    """
    parts = (__version__, repr(settings.clean), record.origin, record.text, record.title or "", record.outlet,
             record.url, record.author, record.published or "", published or "")
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def _convert(job: tuple[Item, Optional[str], Settings, Optional[str]]) -> tuple[Item | Article, Optional[str]]:
    """A record's article (or refusal), with the record's fingerprint alongside."""
    item, print_, settings, published = job
    if not isinstance(item, RawRecord):
        return item, None
    return to_article(item, settings, published), print_


def _stored_form(settings: Settings, published: Optional[str],
                 job: tuple[Item, Optional[str]]) -> tuple[Item | ArticleRow, Optional[str]]:
    """``_convert``, plus what storing the article derives from it (record hash, search terms):
    pure work done in the pool, so the writer process only writes."""
    result, print_ = _convert((*job, settings, published))
    return (article_row(result) if isinstance(result, Article) else result), print_


def _converted(items: Iterable[tuple[Item, Optional[str]]], settings: Settings, published: Optional[str],
               workers: int) -> Iterator:
    """Cleaning is pure and CPU-bound: on the run's Dask cluster, or with workers > 1 in a
    process pool, in order. The settings travel once per chunk of jobs, not with every record."""
    items = iter(items)
    head = list(islice(items, _WARM_AFTER))
    if not head:
        return
    pool = executor.current(workers, chunk_size=_CHUNK)
    if len(head) == _WARM_AFTER and not isinstance(pool, executor.DaskExecutor):
        warm()  # before the pool forks: its workers share what this loads
    if not isinstance(pool, executor.LocalExecutor):  # Dask bounds its own tasks; serial is lazy
        yield from pool.map(partial(_stored_form, settings, published), chain(head, items))
        return
    window = InFlight(_CHUNK * workers * 16)
    results = pool.map(partial(_stored_form, settings, published), window.feed(chain(head, items)))
    try:
        for result in results:
            window.taken()
            yield result
    finally:
        window.close()  # before the pool shuts down: its feeding thread may wait for a slot
        if hasattr(results, "close"):
            results.close()


# Records to clean before ingest loads the language model and the common words' terms ahead of
# the pool (0.1-0.2 s): a re-run that meets only a few unseen records (those refused as empty
# come back every time) leaves them to be loaded where needed, if at all.
_WARM_AFTER = 64
_CHUNK = 32  # records a pool worker cleans per task


def _unseen(items: Iterable[Item], seen: set[str], settings: Settings, published: Optional[str],
            report: IngestReport) -> Iterator[tuple[Item, Optional[str]]]:
    """Records not stored before, each with its fingerprint (None for a refusal)."""
    for item in items:
        print_ = fingerprint(item, settings, published) if isinstance(item, RawRecord) else None
        if print_ in seen:
            report.counts["unchanged"] += 1
            report.skipped += 1
        else:
            yield item, print_


def articles_from(items: Iterable[Item], settings: Settings, report: IngestReport, published: Optional[str] = None,
                  workers: int = 1, seen: frozenset = frozenset()) -> Iterator[tuple[ArticleRow, Optional[str]]]:
    """Each new record's article (as the row to store) with its fingerprint; refusals are counted in the report."""
    unseen = _unseen(items, set(seen), settings, published, report)
    for result, print_ in _converted(unseen, settings, published, workers):
        if isinstance(result, Rejection):
            report.counts["rejected"] += 1
            report.rejections.append(result)
        else:
            yield result, print_


def _batches(articles: Iterator, size: int) -> Iterator[list]:
    batch: list = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def store_batches(store: Store, articles: Iterator[tuple[ArticleRow, Optional[str]]], report: IngestReport,
                  batch_size: int, progress: Optional[Progress] = None) -> None:
    """One transaction a batch (articles, their queue rows, their fingerprints): an interrupted
    ingest keeps every batch before the one it was in, queued for analysis."""
    flushed = 0
    for batch in _batches(articles, batch_size):
        records = [(print_, row.article.id) for row, print_ in batch if print_]
        for result in store.put_articles([row for row, _ in batch], records):
            report.counts[result.status] += 1
            if result.status != "unchanged":
                report.changed_ids.append(result.article_id)
                report.exact_copies += result.duplicate_of is not None
        store.add_rejections(report.rejections[flushed:])
        flushed = len(report.rejections)
        if progress:
            progress(len(batch))
    store.add_rejections(report.rejections[flushed:])


def ingest(store: Store, inputs: list[str], settings: Settings, *, published: Optional[str] = None,
           encoding: str = "", field_map: Optional[dict] = None, progress: Optional[Progress] = None,
           fetch=None, stdin: Optional[BinaryIO] = None, workers: Optional[int] = None) -> IngestReport:
    """Read, clean and store every input; refusals are counted, stored and returned, never raised."""
    items = read_inputs(inputs, read_options(settings, encoding, field_map), fetch=fetch, stdin=stdin)
    return ingest_items(store, items, settings, published=published, progress=progress, workers=workers)


def ingest_records(store: Store, records: Iterable[Mapping[str, Any]], settings: Settings, *,
                   origin: str = "<api>", workers: int = 1) -> IngestReport:
    """Ingest article records given as mappings (the API's POST body): SaudiNewsNet-style fields."""
    items = (record_from_mapping(r, f"{origin}[{i}]") for i, r in enumerate(records))
    return ingest_items(store, items, settings, workers=workers)


def ingest_items(store: Store, items: Iterable[Item], settings: Settings, *, published: Optional[str] = None,
                 progress: Optional[Progress] = None, workers: Optional[int] = None) -> IngestReport:
    """Clean and store read records in batches; each batch's changed articles are queued."""
    report = IngestReport()
    started = time.perf_counter()
    workers = settings.ingest.workers if workers is None else workers
    with executor.running(settings):
        articles = articles_from(items, settings, report, published, workers, frozenset(store.seen_records()))
        store_batches(store, articles, report, settings.ingest.batch_size, progress)
    report.seconds = time.perf_counter() - started
    return report


# -- analysis: extract → dedupe → cluster → reconcile, for the queued articles --------------------

@dataclass
class AnalysisReport:
    extracted: int = 0
    events: int = 0
    duplicate_links: int = 0
    stories_changed: int = 0
    stories_removed: int = 0
    stories_total: int = 0
    seconds: float = 0.0

    def add(self, other: "AnalysisReport") -> None:
        for name in ("extracted", "events", "duplicate_links", "stories_changed", "stories_removed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.stories_total = other.stories_total

    def __str__(self) -> str:
        return (f"analysed {self.extracted:,} articles: {self.events:,} event mentions, "
                f"{self.duplicate_links:,} duplicate links, {self.stories_changed:,} stories updated "
                f"({self.stories_total:,} in all) in {self.seconds:.1f} s")


def analyse(store: Store, settings: Settings, article_ids: Iterable[str] = (), *, everything: bool = False,
            story: Optional[str] = None, workers: Optional[int] = None, wait: Optional[float] = None,
            progress: Optional[AnalysisProgress] = None) -> AnalysisReport:
    """Analyse what is queued (plus ``article_ids``, every article, or one story's), batch by batch,
    under the store's analysis lease; a second analyser waits up to ``wait`` seconds for it."""
    report = AnalysisReport()
    started = time.perf_counter()
    workers = settings.ingest.workers if workers is None else workers
    options = settings.analysis
    with stage.analysis_lease(store, options.lease_wait if wait is None else wait, options.lease_seconds) as me:
        if everything:
            store.enqueue_all()
        store.enqueue([*article_ids, *(store.get_story(story).article_ids if story else [])])
        if progress:
            progress.set_total(store.queue_status()["pending"])
        with executor.running(settings) if store.pending(1) else nullcontext():
            while batch := store.pending(options.batch_size):
                store.take_lease(stage.ANALYSIS_LEASE, me, options.lease_seconds)  # renew
                report.add(analyse_batch(store, settings, batch, me, workers, progress))
    report.seconds = time.perf_counter() - started
    return report


def analyse_batch(store: Store, settings: Settings, batch: list, me, workers: int,
                  progress: Optional[AnalysisProgress] = None) -> AnalysisReport:
    """Extract, link copies, cluster, reconcile; then write it all and finish the batch at once."""
    articles = stage.load_articles(store, batch)
    if progress:
        progress.stage("extract")
    extractions = stage.extract_all(articles, settings, workers, progress)
    if progress:
        progress.stage("stories")
    rows = stage.article_rows(articles, extractions, workers)
    links, signatures = stage.near_copies(store, rows.near)
    changes = stage.cluster_stories(store, rows.features)
    members = stage.story_members(store, changes, articles)
    stories, rewrites = stage.build_stories(store, members, extractions, workers,
                                            stage.rewrite_pairs(members))
    links += rewrites
    store.write_analysis(AnalysisWrite(batch, list(extractions.values()), signatures, changes.features, links,
                                       stories, changes.removed, changes.story_of, changes.state), me,
                       stage.ANALYSIS_LEASE)
    return AnalysisReport(len(articles), sum(len(e.events) for e in extractions.values()), len(links),
                          len(stories), len(changes.removed), changes.total)

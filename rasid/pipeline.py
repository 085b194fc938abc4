"""The orchestrator: ingest → clean → store, then analyse what changed. Reads top to bottom."""
from __future__ import annotations

import multiprocessing
import re
import time
from itertools import islice
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterable, Iterator, Optional

from rasid.clean import clean
from rasid.ingest.identity import build_article
from rasid.ingest.records import Item, Refusal, RawRecord
from rasid.ingest.sources import ReadOptions, read_inputs
from rasid.models import Article
from rasid.settings import Settings
from rasid.store.base import Rejection, Store

_LETTER = re.compile(r"[^\W\d_]")
Progress = Callable[[int], None]


@dataclass
class IngestReport:
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "rejected": 0})
    rejections: list[Refusal] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    exact_copies: int = 0
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
                       fetch_timeout=s.fetch_timeout)


def _has_letters(text: str, count: int) -> bool:
    return sum(1 for _ in islice(_LETTER.finditer(text), count)) >= count


def to_article(record: RawRecord, settings: Settings, published: Optional[str] = None) -> Item | Article:
    """Clean one record and build its article, or say why it is refused."""
    cleaned = clean(record.text, record.title, settings.clean.boilerplate_file)
    title = record.title or cleaned.title
    if not _has_letters(title + cleaned.clean_text, settings.clean.min_letters):
        return Refusal(record.origin, "empty: no text and no title", "check the input's fields (--field text=NAME)")
    return build_article(record, cleaned, published)


def _convert(job: tuple[Item, Settings, Optional[str]]) -> Item | Article:
    item, settings, published = job
    return to_article(item, settings, published) if isinstance(item, RawRecord) else item


def _converted(items: Iterable[Item], settings: Settings, published: Optional[str], workers: int) -> Iterator:
    """Cleaning is pure and CPU-bound: with workers > 1 it runs in a process pool, in order."""
    jobs = ((item, settings, published) for item in items)
    if workers <= 1:
        yield from map(_convert, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_convert, jobs, chunksize=32)


def articles_from(items: Iterable[Item], settings: Settings, report: IngestReport,
                  published: Optional[str] = None, workers: int = 1) -> Iterator[Article]:
    for result in _converted(items, settings, published, workers):
        if isinstance(result, Refusal):
            report.counts["rejected"] += 1
            report.rejections.append(result)
        else:
            yield result


def _batches(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def store_batches(store: Store, articles: Iterator[Article], report: IngestReport, batch_size: int,
                  progress: Optional[Progress] = None) -> None:
    """One transaction a batch: an interrupted ingest keeps every batch before the one it was in."""
    flushed = 0
    for batch in _batches(articles, batch_size):
        for result in store.put_articles(batch):
            report.counts[result.status] += 1
            if result.status != "unchanged":
                report.changed_ids.append(result.article_id)
                report.exact_copies += result.duplicate_of is not None
        store.add_rejections(Rejection(r.origin, r.reason, r.fix) for r in report.rejections[flushed:])
        flushed = len(report.rejections)
        if progress:
            progress(len(batch))
    store.add_rejections(Rejection(r.origin, r.reason, r.fix) for r in report.rejections[flushed:])


def ingest(store: Store, inputs: list[str], settings: Settings, *, published: Optional[str] = None,
           encoding: str = "", field_map: Optional[dict] = None, progress: Optional[Progress] = None,
           fetch=None, stdin: Optional[BinaryIO] = None, workers: Optional[int] = None) -> IngestReport:
    """Read, clean and store every input; refusals are counted, stored and returned, never raised."""
    report = IngestReport()
    started = time.perf_counter()
    items = read_inputs(inputs, read_options(settings, encoding, field_map), fetch=fetch, stdin=stdin)
    workers = settings.ingest.workers if workers is None else workers
    articles = articles_from(items, settings, report, published, workers)
    store_batches(store, articles, report, settings.ingest.batch_size, progress)
    report.seconds = time.perf_counter() - started
    return report

"""The orchestrator: ingest → clean → store, then analyse what changed. Reads top to bottom."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import time
from itertools import islice
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterable, Iterator, Optional

from rasid import __version__
from rasid.clean import clean
from rasid.ingest.identity import build_article
from rasid.ingest.records import Item, RawRecord
from rasid.ingest.sources import ReadOptions, read_inputs
from rasid.models import Article, Extraction, Rejection, Story
from rasid.settings import Settings
from rasid.store.base import Store

_LETTER = re.compile(r"[^\W\d_]")
Progress = Callable[[int], None]


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


def _convert(job: tuple[Item, Optional[str], Settings, Optional[str]]) -> Item | Article:
    item, print_, settings, published = job
    if not isinstance(item, RawRecord):
        return item
    result = to_article(item, settings, published)
    if isinstance(result, Article):
        result.meta["fingerprint"] = print_
    return result


def _converted(items: Iterable[tuple[Item, Optional[str]]], settings: Settings, published: Optional[str],
               workers: int) -> Iterator:
    """Cleaning is pure and CPU-bound: with workers > 1 it runs in a process pool, in order."""
    jobs = ((item, print_, settings, published) for item, print_ in items)
    if workers <= 1:
        yield from map(_convert, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_convert, jobs, chunksize=32)


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


def articles_from(items: Iterable[Item], settings: Settings, report: IngestReport,
                  published: Optional[str] = None, workers: int = 1, seen: frozenset = frozenset()) -> Iterator[Article]:
    unseen = _unseen(items, set(seen), settings, published, report)
    for result in _converted(unseen, settings, published, workers):
        if isinstance(result, Rejection):
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
        store.mark_records((a.meta["fingerprint"], a.id) for a in batch if "fingerprint" in a.meta)
        store.add_rejections(report.rejections[flushed:])
        flushed = len(report.rejections)
        if progress:
            progress(len(batch))
    store.add_rejections(report.rejections[flushed:])


def ingest(store: Store, inputs: list[str], settings: Settings, *, published: Optional[str] = None,
           encoding: str = "", field_map: Optional[dict] = None, progress: Optional[Progress] = None,
           fetch=None, stdin: Optional[BinaryIO] = None, workers: Optional[int] = None) -> IngestReport:
    """Read, clean and store every input; refusals are counted, stored and returned, never raised."""
    report = IngestReport()
    started = time.perf_counter()
    items = read_inputs(inputs, read_options(settings, encoding, field_map), fetch=fetch, stdin=stdin)
    workers = settings.ingest.workers if workers is None else workers
    articles = articles_from(items, settings, report, published, workers, frozenset(store.seen_records()))
    store_batches(store, articles, report, settings.ingest.batch_size, progress)
    report.seconds = time.perf_counter() - started
    return report


# -- analysis: extract → dedupe → cluster → reconcile, for the articles an ingest changed --------

NEAR_INDEX_KEY = "dedupe.near_index"
CLUSTER_KEY = "cluster.stories"


@dataclass
class AnalysisReport:
    extracted: int = 0
    events: int = 0
    duplicate_links: int = 0
    stories_changed: int = 0
    stories_total: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"analysed {self.extracted:,} articles: {self.events:,} event mentions, "
                f"{self.duplicate_links:,} duplicate links, {self.stories_changed:,} stories updated "
                f"({self.stories_total:,} in all) in {self.seconds:.1f} s")


def cleaned_for(article: Article):
    """The clean stage's view of a stored article (deterministic, so it is not stored)."""
    title = None if article.meta.get("title_in_text") else article.title
    return clean(article.text, title)


def _extract_one(job: tuple[Article, object]) -> Extraction:
    from rasid.extract.run import extract_article

    article, options = job
    return extract_article(article, cleaned_for(article).sentences, options)


def one_blas_thread() -> None:
    """Pool initializer: one BLAS thread per worker process. The workers already use every core;
    numpy's own threads on top (the e5 NER encoder), or onnxruntime's (the tuned NER model),
    would oversubscribe them."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    os.environ["RASID_NER_THREADS"] = "1"


def _in_pool(function: Callable, jobs: list, workers: int) -> list:
    """Pure per-item stages run in a process pool of ``workers`` when the batch is big."""
    if workers > 1 and len(jobs) >= 200:
        with multiprocessing.get_context("fork").Pool(workers, one_blas_thread) as pool:
            return pool.map(function, jobs, chunksize=16)
    return list(map(function, jobs))


def _build_story(job: tuple) -> Story:
    from rasid.reconcile import build_story

    return build_story(*job)


def extract_all(articles: list[Article], settings: Settings, workers: int = 1) -> dict[str, Extraction]:
    from rasid.extract.run import ExtractOptions

    options = ExtractOptions(ner=settings.analysis.use_ner(len(articles)),
                             ner_model=settings.analysis.ner_model_for(len(articles)))
    found = _in_pool(_extract_one, [(a, options) for a in articles], workers)
    return {a.id: x for a, x in zip(articles, found)}


def near_links(store: Store, articles: list[Article]) -> list:
    from rasid.dedupe import NearDuplicateIndex

    state = store.get_state(NEAR_INDEX_KEY)
    index = NearDuplicateIndex.from_bytes(state) if state else NearDuplicateIndex()
    links = [link for a in articles for link in index.add(a.id, a.clean_text)]
    store.set_state(NEAR_INDEX_KEY, index.to_bytes())
    return links


# Sentence alignment is pairwise; a story this large (a running topic, such as daily market
# reports) is not aligned, which keeps a bulk analysis linear in practice.
MAX_ALIGNED_STORY = 25


def rewrite_links(members: dict[str, list[Article]], changed: set[str]) -> list:
    """Sentence alignment between a changed article and the others of its story."""
    from rasid.dedupe.rewrite import story_rewrite_links

    links = []
    for articles in members.values():
        if len(articles) > MAX_ALIGNED_STORY or len(articles) < 2:
            continue
        pairs = [(a.id, b.id) for i, a in enumerate(articles) for b in articles[i + 1:]
                 if a.id in changed or b.id in changed]
        if pairs:
            links += story_rewrite_links({a.id: _sentence_texts(a) for a in articles}, pairs)
    return links


def _sentence_texts(article: Article) -> list[str]:
    return [article.text[s.start:s.end] for s in cleaned_for(article).sentences]


def cluster_stories(store: Store, articles: list[Article], extractions: dict) -> tuple[set[str], object]:
    """Add the articles to the story clusterer kept in the store; the ids of stories that changed."""
    from rasid.cluster import StoryClusterer

    state = store.get_state(CLUSTER_KEY)
    clusterer = StoryClusterer.from_bytes(state) if state else StoryClusterer()
    changed = clusterer.add(articles, extractions)
    store.set_state(CLUSTER_KEY, clusterer.to_bytes())
    return set(changed.values()), clusterer


def analyse(store: Store, settings: Settings, article_ids: Iterable[str], workers: Optional[int] = None) -> AnalysisReport:
    """Extract, link duplicates, cluster and reconcile the given articles and the stories they touch."""
    report = AnalysisReport()
    started = time.perf_counter()
    articles = [store.get_article(i) for i in sorted(set(article_ids))]
    workers = settings.ingest.workers if workers is None else workers
    extractions = extract_all(articles, settings, workers)
    links = near_links(store, articles)
    changed_story_ids, clusterer = cluster_stories(store, articles, extractions)
    infos = [s for s in clusterer.stories() if s.id in changed_story_ids]
    loaded = {a.id: a for a in articles}  # read each article from the store once
    members = {s.id: [loaded.get(a) or store.get_article(a) for a in s.article_ids] for s in infos}
    links += rewrite_links(members, {a.id for a in articles})
    store.put_duplicate_links(links)
    jobs = []
    for info in infos:
        story_extractions = {a.id: extractions.get(a.id) or store.get_extraction(a.id) for a in members[info.id]}
        jobs.append((info.id, members[info.id], {k: v for k, v in story_extractions.items() if v}))
        for extraction in story_extractions.values():
            if extraction:
                store.put_extraction(extraction, info.id)
    stories = _in_pool(_build_story, jobs, workers)
    store.replace_stories(stories)
    report.extracted, report.duplicate_links = len(articles), len(links)
    report.events = sum(len(e.events) for e in extractions.values())
    report.stories_changed, report.stories_total = len(stories), len(clusterer.stories())
    report.seconds = time.perf_counter() - started
    return report

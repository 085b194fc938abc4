"""The analysis steps ``pipeline.analyse`` calls in order, one function per stage, and the lease
that keeps one analyser at a time. The state each stage keeps (near-copy signatures, clusterer
features, story memberships) is read from and written to the store's rows, never held in a blob.
"""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from rasid import executor
from rasid.clean import clean
from rasid.errors import NotFound, StoreError
from rasid.models import Article, DuplicateLink, Extraction, Story
from rasid.settings import Settings
from rasid.store.base import Holder, QueueItem, Signature, Store

ANALYSIS_LEASE = "analysis"

# Sentence alignment is pairwise; a story this large (a running topic, such as daily market
# reports) is not aligned, which keeps a bulk analysis linear in practice.
MAX_ALIGNED_STORY = 25


@contextmanager
def analysis_lease(store: Store, wait: float, seconds: float) -> Iterator[Holder]:
    """Hold the store's analysis lease: a second analyser waits up to ``wait`` seconds, then says
    who holds it. Ingests do not need it."""
    me = Holder.this_process()
    deadline = time.monotonic() + wait
    while (other := _try_lease(store, me, seconds, deadline)) is not None:
        if time.monotonic() >= deadline:
            raise StoreError(f"another analysis holds this database: {other.describe()}; it will analyse the "
                             "queued articles too. Wait for it, or run again with a longer --wait SECONDS")
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
    try:
        yield me
    finally:
        store.release_lease(ANALYSIS_LEASE, me)


def _try_lease(store: Store, me: Holder, seconds: float, deadline: float) -> Optional[Holder]:
    """Take the lease, or say who holds it; a database busy with another writer is asked again."""
    try:
        return store.take_lease(ANALYSIS_LEASE, me, seconds)
    except StoreError:
        if time.monotonic() >= deadline:
            raise
        return Holder("", "", 0, "a write in progress")


def load_articles(store: Store, batch: list[QueueItem]) -> list[Article]:
    found = []
    for item in batch:
        try:
            found.append(store.get_article(item.article_id))
        except NotFound:
            continue  # queued, then gone: nothing to analyse
    return found


# -- extract --------------------------------------------------------------------------------------

def cleaned_for(article: Article):
    """The clean stage's view of a stored article (deterministic, so it is not stored)."""
    title = None if article.meta.get("title_in_text") else article.title
    return clean(article.text, title)


def _extract_one(job: tuple[Article, object]) -> Extraction:
    from rasid.extract.run import extract_article

    article, options = job
    return extract_article(article, cleaned_for(article).sentences, options)


@contextmanager
def one_blas_thread_here() -> Iterator[None]:
    """One BLAS thread in this process while a per-item stage runs here (a small batch, or one
    worker), as in a pool worker: an article's or a story's matrices are small, and waking
    numpy's threads for each product costs more than the product (the summary ranker's sentence
    similarities took 8.5 ms an article with two threads on the loaded 2-core machine, 0.07 ms
    with one). The same products, so the same numbers, as in the pool."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


def pool_map(function: Callable, jobs: list, workers: int) -> Iterator:
    """Pure per-item stages run on the run's Dask cluster when there is one (``[executor]``),
    else in a process pool of ``workers`` when the batch is big; results come in job order."""
    with one_blas_thread_here():
        yield from executor.current(workers, min_jobs=200).map(function, jobs)


def in_pool(function: Callable, jobs: list, workers: int) -> list:
    return list(pool_map(function, jobs, workers))


def extract_all(articles: list[Article], settings: Settings, workers: int = 1,
                progress: Optional[Callable[[int], None]] = None) -> dict[str, Extraction]:
    """Every article's extraction; ``progress(1)`` as each comes back (in order)."""
    from rasid.extract.run import ExtractOptions

    options = ExtractOptions(ner=settings.analysis.use_ner(len(articles)),
                             ner_model=settings.analysis.ner_model_for(len(articles)))
    found = {}
    for article, extraction in zip(articles, pool_map(_extract_one, [(a, options) for a in articles], workers)):
        found[article.id] = extraction
        if progress:
            progress(1)
    return found


# -- per-article rows: what the near-copy index and the clusterer keep of each article ------------

@dataclass
class ArticleRows:
    features: list  # ArticleFeatures of the analysed articles, in order
    near: list  # their NearEntry (shingles, content hash, LSH band keys)


def _rows_one(job: tuple[Article, dict]) -> tuple:
    from rasid.cluster.features import article_features
    from rasid.dedupe import rows

    article, signature = job
    return article_features(article, signature=signature), rows.entry(article.id, article.clean_text)


def article_rows(articles: list[Article], extractions: dict[str, Extraction], workers: int = 1) -> ArticleRows:
    """Each article's clusterer features and near-copy entry: pure, so they run where extraction
    runs (a pool, Dask), not in the analysing process. A worker is sent the article and the few
    sets the clusterer reads of its extraction, not the whole extraction."""
    from rasid.cluster.features import extraction_signature

    jobs = [(a, extraction_signature(extractions.get(a.id))) for a in articles]
    found = in_pool(_rows_one, jobs, workers)
    return ArticleRows([f for f, _ in found], [e for _, e in found])


# -- dedupe: near copies --------------------------------------------------------------------------

def near_copies(store: Store, entries: list) -> tuple[list[DuplicateLink], list[Signature]]:
    """The analysed articles' near-copy links, and their rows for the store's index. Only the
    stored rows that share an LSH band with an analysed article are read (its candidate block)."""
    from rasid.dedupe import rows

    links = rows.links(entries, store.near_candidates, store.near_signatures)
    return links, [Signature(e.article_id, e.content_hash, e.shingle_bytes(), e.band_keys) for e in entries]


# -- cluster --------------------------------------------------------------------------------------

@dataclass
class StoryChanges:
    story_of: dict[str, str]  # every analysed article -> its story
    changed: list  # StoryInfo of every story that gained or lost an article, or holds an analysed one
    removed: list[str]  # stories that no longer exist
    features: dict[str, bytes]  # the analysed articles' clusterer rows
    total: int
    state: Optional[object] = None  # StoryState of an incremental batch; None: the stories are one analysis's


# rasid watch and rasid poll set this (rasid.live.stories.LiveStories): on a large record a live
# batch continues the last full pass instead of reclustering the whole record (docs/scale.md).
live_stories = None


_DECODED: dict[str, tuple[bytes, object]] = {}  # article -> (digest of its stored row, decoded), across batches


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _decoded(rows: dict[str, bytes]) -> dict[str, object]:
    """The stored features decoded, each row once per process: a later batch of the same run
    (or of a long-running `rasid watch`) decodes only the rows that are new or changed since."""
    from rasid.cluster.features import features_from_bytes

    global _DECODED
    kept = {}
    for article_id, data in rows.items():
        hit, digest = _DECODED.get(article_id), _digest(data)
        kept[article_id] = (digest, hit[1] if hit is not None and hit[0] == digest else features_from_bytes(data))
    _DECODED = kept
    return {k: v for k, (_, v) in kept.items()}


def cluster_stories(store: Store, new: list) -> StoryChanges:
    """Recompute the stories from every analysed article's features (``new``, the batch's
    ``ArticleFeatures``); compare with the stored ones.

    The stories are a function of the whole set (the IDF and the linkage bar are the set's), so
    the clustering itself is redone over every stored row; what follows it (rewrites, reconcile,
    summaries) runs only for the stories whose members changed or that hold an analysed article.
    """
    from rasid.cluster import StoryClusterer
    from rasid.cluster.features import features_to_bytes

    if live_stories is not None and (continued := live_stories.cluster(store, new)) is not None:
        return continued
    kept = _decoded(store.cluster_features())
    kept.update({f.id: f for f in new})
    clusterer = StoryClusterer.from_features(kept.values())
    infos = clusterer.stories()
    if live_stories is not None:
        live_stories.full_pass_done(clusterer)
    before = store.story_members()
    analysed = {f.id for f in new}
    changed = [s for s in infos if set(s.article_ids) != set(before.get(s.id, ())) or analysed & set(s.article_ids)]
    removed = sorted(set(before) - {s.id for s in infos})
    story_of = {a: s.id for s in infos for a in s.article_ids if a in analysed}
    rows = {f.id: features_to_bytes(f) for f in new}
    _DECODED.update({f.id: (_digest(rows[f.id]), f) for f in new})
    return StoryChanges(story_of, changed, removed, rows, len(infos))


def story_members(store: Store, changes: StoryChanges, articles: list[Article]) -> dict[str, list[Article]]:
    loaded = {a.id: a for a in articles}  # read each article from the store once
    return {s.id: [loaded.get(a) or store.get_article(a) for a in s.article_ids] for s in changes.changed}


# -- dedupe: rewritten copies ---------------------------------------------------------------------

def rewrite_pairs(members: dict[str, list[Article]]) -> dict[str, list[tuple[str, str]]]:
    """Per rebuilt story, the pairs to align: all of them (one TF-IDF fit over the story's
    sentences serves every pair, and the store drops the story's old rewrite links), so the
    links are those a single analysis of the whole record finds, whatever the batches were."""
    found = {}
    for story_id, articles in members.items():
        if len(articles) > MAX_ALIGNED_STORY or len(articles) < 2:
            continue
        found[story_id] = [(a.id, b.id) for i, a in enumerate(articles) for b in articles[i + 1:]]
    return found


class _Cleaning:
    """Each article of a story cleaned once, for both sentence alignment and the story build
    (which asks for the headline the same way unless the title came from the text itself)."""

    def __init__(self):
        self._done: dict[tuple[str, Optional[str]], object] = {}

    def of(self, article: Article, title: Optional[str]):
        key = (article.text, title)
        if key not in self._done:
            self._done[key] = clean(article.text, title)
        return self._done[key]

    def for_analysis(self, article: Article):
        return self.of(article, None if article.meta.get("title_in_text") else article.title)

    def sentence_texts(self, article: Article) -> list[str]:
        return [article.text[s.start:s.end] for s in self.for_analysis(article).sentences]


# -- reconcile and summarize ----------------------------------------------------------------------

def _story_one(job: tuple) -> tuple[Story, list[DuplicateLink]]:
    """One story block: its rewritten copies, then its events, claims and summary."""
    from rasid.dedupe.rewrite import story_rewrite_links
    from rasid.reconcile import build_story

    story_id, articles, extractions, pairs = job
    cleaned = _Cleaning()
    links = story_rewrite_links({a.id: cleaned.sentence_texts(a) for a in articles}, pairs) if pairs else []
    story = build_story(story_id, articles, extractions,
                        cleaned={a.id: cleaned.of(a, a.title or None) for a in articles})
    return story, links


def build_stories(store: Store, members: dict[str, list[Article]], extractions: dict[str, Extraction],
                  workers: int, pairs: Optional[dict[str, list[tuple[str, str]]]] = None
                  ) -> tuple[list[Story], list[DuplicateLink]]:
    """Every changed story, one task each (on the pool or Dask): its rewritten-copy links among
    ``pairs`` and the story built from its articles and their extractions."""
    pairs = pairs or {}
    jobs = []
    for story_id, articles in members.items():
        found = {a.id: extractions.get(a.id) or store.get_extraction(a.id) for a in articles}
        jobs.append((story_id, articles, {k: v for k, v in found.items() if v}, pairs.get(story_id, [])))
    done = in_pool(_story_one, jobs, workers)
    return [story for story, _ in done], [link for _, links in done for link in links]

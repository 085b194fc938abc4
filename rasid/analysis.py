"""The analysis steps ``pipeline.analyse`` calls in order, one function per stage, and the lease
that keeps one analyser at a time. The state each stage keeps (near-copy signatures, clusterer
features, story memberships) is read from and written to the store's rows, never held in a blob.
"""
from __future__ import annotations

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


def in_pool(function: Callable, jobs: list, workers: int) -> list:
    """Pure per-item stages run on the run's Dask cluster when there is one (``[executor]``),
    else in a process pool of ``workers`` when the batch is big."""
    return list(executor.current(workers, min_jobs=200).map(function, jobs))


def extract_all(articles: list[Article], settings: Settings, workers: int = 1,
                progress: Optional[Callable[[int], None]] = None) -> dict[str, Extraction]:
    """Every article's extraction; ``progress(1)`` as each comes back (in order)."""
    from rasid.extract.run import ExtractOptions

    options = ExtractOptions(ner=settings.analysis.use_ner(len(articles)),
                             ner_model=settings.analysis.ner_model_for(len(articles)))
    found = {}
    jobs = [(a, options) for a in articles]
    for article, extraction in zip(articles, executor.current(workers, min_jobs=200).map(_extract_one, jobs)):
        found[article.id] = extraction
        if progress:
            progress(1)
    return found


# -- dedupe: near copies --------------------------------------------------------------------------

def near_copies(store: Store, articles: list[Article]) -> tuple[list[DuplicateLink], list[Signature]]:
    """The analysed articles' near-copy links, and their rows for the store's index."""
    from rasid.dedupe import rows

    entries = [rows.entry(a.id, a.clean_text) for a in articles]
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
    before: dict[str, str]  # article -> its story as stored before this batch

    def new_pair(self, a: str, b: str) -> bool:
        """Whether two articles of one story were not in one story before."""
        return a not in self.before or self.before.get(a) != self.before.get(b)


def cluster_stories(store: Store, articles: list[Article], extractions: dict[str, Extraction]) -> StoryChanges:
    """Recompute the stories from every analysed article's features; compare with the stored ones."""
    from rasid.cluster import StoryClusterer
    from rasid.cluster.features import features_from_bytes, features_to_bytes

    new = StoryClusterer().features_of(articles, extractions)
    kept = {k: features_from_bytes(v) for k, v in store.cluster_features().items()}
    kept.update({f.id: f for f in new})
    infos = StoryClusterer.from_features(kept.values()).stories()
    before = store.story_members()
    analysed = {a.id for a in articles}
    changed = [s for s in infos if set(s.article_ids) != set(before.get(s.id, ())) or analysed & set(s.article_ids)]
    removed = sorted(set(before) - {s.id for s in infos})
    story_of = {a: s.id for s in infos for a in s.article_ids if a in analysed}
    return StoryChanges(story_of, changed, removed, {f.id: features_to_bytes(f) for f in new}, len(infos),
                        {a: story for story, ids in before.items() for a in ids})


def story_members(store: Store, changes: StoryChanges, articles: list[Article]) -> dict[str, list[Article]]:
    loaded = {a.id: a for a in articles}  # read each article from the store once
    return {s.id: [loaded.get(a) or store.get_article(a) for a in s.article_ids] for s in changes.changed}


# -- dedupe: rewritten copies ---------------------------------------------------------------------

def rewrite_links(members: dict[str, list[Article]], changed: set[str],
                  new_pair: Callable[[str, str], bool] = lambda a, b: False) -> list[DuplicateLink]:
    """Sentence alignment between a changed article and the others of its story, and between
    articles that a merge of stories brought together."""
    from rasid.dedupe.rewrite import story_rewrite_links

    links = []
    for articles in members.values():
        if len(articles) > MAX_ALIGNED_STORY or len(articles) < 2:
            continue
        pairs = [(a.id, b.id) for i, a in enumerate(articles) for b in articles[i + 1:]
                 if a.id in changed or b.id in changed or new_pair(a.id, b.id)]
        if pairs:
            links += story_rewrite_links({a.id: _sentence_texts(a) for a in articles}, pairs)
    return links


def _sentence_texts(article: Article) -> list[str]:
    return [article.text[s.start:s.end] for s in cleaned_for(article).sentences]


# -- reconcile and summarize ----------------------------------------------------------------------

def _build_story(job: tuple) -> Story:
    from rasid.reconcile import build_story

    return build_story(*job)


def build_stories(store: Store, members: dict[str, list[Article]], extractions: dict[str, Extraction],
                  workers: int) -> list[Story]:
    jobs = []
    for story_id, articles in members.items():
        found = {a.id: extractions.get(a.id) or store.get_extraction(a.id) for a in articles}
        jobs.append((story_id, articles, {k: v for k, v in found.items() if v}))
    return in_pool(_build_story, jobs, workers)

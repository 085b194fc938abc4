"""Stories: every report joins a story or starts one, and the stories do not depend on order.

``StoryClusterer`` keeps the features of every report it has seen (they depend on the report
alone). Each ``add`` recomputes the stories of the whole set from those features, in canonical
order (by publication day, then id; undated reports last): TF-IDF over the set, candidate pairs
within the time window, pair scores, then deterministic average linkage. The stories are
therefore a function of the set of reports, whatever the order or batching they arrived in,
and a story's id is a hash of its earliest report's id, so it survives re-runs.
"""
from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Optional

import numpy as np
import regex

from rasid.cluster import embed as embedding
from rasid.cluster.candidates import candidate_pairs
from rasid.cluster.features import ArticleFeatures, article_features
from rasid.cluster.linkage import average_linkage
from rasid.cluster.scoring import ClusterOptions, effective_threshold, pair_scores, text_score
from rasid.cluster.vectors import char_matrix, row_dots, top_k, word_matrix
from rasid.errors import InputError
from rasid.models import Article, Extraction, Story

_FORMAT = 1
_ARABIC = regex.compile(r"\p{Arabic}")


@dataclass
class StoryInfo:
    id: str
    title: str
    article_ids: list[str]  # canonical order: by publication day, then id
    first_date: Optional[str] = None
    last_date: Optional[str] = None
    places: list[str] = field(default_factory=list)  # most reported first
    actors: list[str] = field(default_factory=list)

    def to_story(self) -> Story:
        return Story(id=self.id, title=self.title, article_ids=list(self.article_ids),
                     first_date=self.first_date, last_date=self.last_date,
                     places=[{"place_id": p} for p in self.places],
                     actors=[{"actor_id": a} for a in self.actors])


def story_id(first_article_id: str) -> str:
    """Stable story id: a hash of the id of the story's earliest report."""
    return "story-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Graph:
    left: np.ndarray
    right: np.ndarray
    scores: np.ndarray
    # the set's TF-IDF matrices and the pruned word matrix the candidates came from: what an
    # incremental live batch continues from (rasid.cluster.incremental)
    words: Optional[object] = None
    chars: Optional[object] = None
    pruned: Optional[object] = None


class StoryClusterer:
    """Incremental, order-independent story clustering; state pickles with ``to_bytes``."""

    def __init__(self, options: Optional[ClusterOptions] = None, **overrides):
        self.options = replace(options or ClusterOptions(), **overrides)
        self._features: dict[str, ArticleFeatures] = {}
        self._stories: list[StoryInfo] = []
        self._assignment: dict[str, str] = {}
        self.last_pass: Optional[tuple] = None  # (ordered features, graph, bar, groups) of the last recluster

    def __len__(self) -> int:
        return len(self._features)

    def add(self, articles: Iterable[Article],
            extractions: Optional[dict[str, Extraction]] = None) -> dict[str, str]:
        """Add reports (a report added again is replaced) and recompute the stories.

        Returns the story id of every new report and of every earlier report whose story id
        changed (two stories merged, or a story gained an earlier first report).
        """
        new = self.features_of(articles, extractions)
        for features in new:
            self._features[features.id] = features
        before = self._assignment
        self._recluster()
        fresh = {f.id for f in new}
        return {aid: sid for aid, sid in self._assignment.items()
                if aid in fresh or before.get(aid) != sid}

    def features_of(self, articles: Iterable[Article],
                    extractions: Optional[dict[str, Extraction]] = None) -> list[ArticleFeatures]:
        """What the clusterer keeps of each report (a function of the report alone)."""
        extractions = extractions or {}
        new = [article_features(a, extractions.get(a.id)) for a in articles]
        if self.options.use_embeddings:
            self._embed(new)
        return new

    @classmethod
    def from_features(cls, features: Iterable[ArticleFeatures],
                      options: Optional[ClusterOptions] = None) -> "StoryClusterer":
        """The clusterer of a set of reports' features, e.g. as the store keeps them in rows."""
        clusterer = cls(options)
        clusterer._features = {f.id: f for f in features}
        clusterer._recluster()
        return clusterer

    def stories(self) -> list[StoryInfo]:
        """All stories, largest first, then by id."""
        return list(self._stories)

    def story_of(self, article_id: str) -> Optional[str]:
        return self._assignment.get(article_id)

    def _embed(self, features: list[ArticleFeatures]) -> None:
        vectors = embedding.embed([f.lead for f in features])
        for f, vector in zip(features, vectors):
            f.embedding = vector.astype(np.float16)

    def _recluster(self) -> None:
        ordered = sorted(self._features.values(), key=lambda f: f.sort_key)
        graph = self._graph(ordered)
        bar = effective_threshold(self.options, len(ordered))
        groups = average_linkage(len(ordered), graph.left, graph.right, graph.scores, bar)
        self._stories = _story_infos(ordered, groups, graph)
        self.last_pass = (ordered, graph, bar, groups)
        self._assignment = {aid: s.id for s in self._stories for aid in s.article_ids}

    def _graph(self, ordered: list[ArticleFeatures]) -> _Graph:
        if len(ordered) < 2:
            return _Graph(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        words, chars = word_matrix(ordered), char_matrix(ordered)
        days = [f.day for f in ordered]
        pruned = top_k(words, self.options.candidate_top_k)
        left, right = candidate_pairs(pruned, days, self.options.candidate_floor, self.options.max_gap_days)
        embeds = cross = None
        if self.options.use_embeddings and all(f.embedding is not None for f in ordered):
            left, right, embeds, cross = self._with_embeddings(ordered, left, right)
        text = text_score(row_dots(words, left, right), row_dots(chars, left, right),
                          embeds, cross, self.options)
        return _Graph(left, right, pair_scores(ordered, left, right, text, self.options), words, chars, pruned)

    def _with_embeddings(self, ordered, left, right):
        """Add cross-script candidates (found by embedding alone) and the pairs' cosines."""
        matrix = np.stack([f.embedding.astype(np.float32) for f in ordered])
        arabic = np.array([bool(_ARABIC.search(f.lead)) for f in ordered])
        extra_left, extra_right = _cross_script_pairs(matrix, arabic, ordered, self.options)
        left = np.concatenate((left, extra_left))
        right = np.concatenate((right, extra_right))
        pairs = np.unique(np.stack((left, right), axis=1), axis=0)
        left, right = pairs[:, 0], pairs[:, 1]
        cosines = np.einsum("ij,ij->i", matrix[left], matrix[right])
        return left, right, cosines, arabic[left] != arabic[right]

    def to_bytes(self) -> bytes:
        """The whole state (features, stories) as bytes; ``from_bytes`` restores it."""
        state = (_FORMAT, self.options, self._features, self._stories, self._assignment)
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryClusterer":
        """A clusterer restored from ``to_bytes``; only load bytes this program wrote."""
        version, options, features, stories, assignment = pickle.loads(data)
        if version != _FORMAT:
            raise InputError(f"story state format {version} is not {_FORMAT}; "
                             "rebuild the stories by adding the articles again")
        clusterer = cls(options)
        clusterer._features, clusterer._stories, clusterer._assignment = features, stories, assignment
        return clusterer


def _cross_script_pairs(matrix, arabic, ordered, options):
    """Pairs of an Arabic and a non-Arabic report whose embeddings are close enough."""
    others = np.flatnonzero(~arabic)
    if not len(others) or arabic.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sims = matrix[others] @ matrix[arabic].T
    rows, cols = np.nonzero(sims >= options.cross_script_floor)
    a, b = others[rows], np.flatnonzero(arabic)[cols]
    days = [(ordered[i].day, ordered[j].day) for i, j in zip(a, b)]
    ok = np.array([x is None or y is None or abs(x - y) <= options.max_gap_days for x, y in days],
                  dtype=bool)
    return np.minimum(a, b)[ok], np.maximum(a, b)[ok]


def _centrality(n: int, graph: _Graph, group_of: np.ndarray) -> np.ndarray:
    """Each report's total score to the other reports of its story."""
    inside = np.where(group_of[graph.left] == group_of[graph.right], graph.scores, 0.0)
    return (np.bincount(graph.left, weights=inside, minlength=n)
            + np.bincount(graph.right, weights=inside, minlength=n))


def _iso(day: Optional[int]) -> Optional[str]:
    return date.fromordinal(day).isoformat() if day is not None else None


def _story_infos(ordered: list[ArticleFeatures], groups: list[list[int]],
                 graph: _Graph) -> list[StoryInfo]:
    """The stories of ``groups`` (each in canonical order); nodes of no group given are left out."""
    group_of = np.full(len(ordered), -1, dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
    totals = _centrality(len(ordered), graph, group_of)
    infos = []
    for members in groups:
        central = max(members, key=lambda m: (totals[m], -m))
        feats = [ordered[m] for m in members]
        days = [f.day for f in feats if f.day is not None]
        places = Counter(p for f in feats for p in f.places)
        actors = Counter(a for f in feats for a in f.actors)
        infos.append(StoryInfo(
            id=story_id(feats[0].id), title=ordered[central].title,
            article_ids=[f.id for f in feats], first_date=_iso(min(days, default=None)),
            last_date=_iso(max(days, default=None)),
            places=[p for p, _ in sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))],
            actors=[a for a, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))]))
    return sorted(infos, key=lambda s: (-len(s.article_ids), s.id))


def cluster(articles: Iterable[Article],
            extractions: Optional[dict[str, Extraction]] = None,
            options: Optional[ClusterOptions] = None) -> list[list[str]]:
    """The stories of a set of reports as lists of article ids (a pure function of the set)."""
    clusterer = StoryClusterer(options)
    clusterer.add(articles, extractions)
    return sorted(sorted(s.article_ids) for s in clusterer.stories())

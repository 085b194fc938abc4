"""How alike two reports are as parts of one story: text first, then what the extractors found.

score = text + places + actors + event types + event dates + years − time

- text: 0.75 × word TF-IDF cosine (whole report) + 0.25 × character 3–5-gram TF-IDF cosine
  (title and lead); with embeddings on, 0.15 of the weight moves to the title+lead embedding.
  A pair in two scripts (an English and an Arabic report) has no shared terms: its text is the
  embedding alone, above a high bar.
- places, actors, event types: Jaccard of the two sets, when both reports have some.
- event dates: the nearest two event dates of the pair: a bonus within a week, a penalty past
  three months (the same place three years earlier is another story).
- years mentioned in the text: shared years add, disjoint years subtract, a little.
- time: publication dates more than ``max_gap_days`` apart are never one story (no candidate);
  within that, a small penalty grows past the first week. A missing date is neutral.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp

from rasid.cluster.features import ArticleFeatures


@dataclass(frozen=True)
class ClusterOptions:
    threshold: float = 0.18  # average-linkage bar for joining two stories, for 5 reports
    threshold_growth: float = 0.025  # added per tenfold more reports (TF-IDF cosines rise with n)
    max_gap_days: int = 45  # publication dates further apart never share a story
    grace_days: int = 7  # no time penalty within a week
    time_penalty: float = 0.03  # penalty at max_gap_days (a story can run for weeks)
    word_weight: float = 0.75
    char_weight: float = 0.25
    embedding_weight: float = 0.15  # taken from the word and char weights when embeddings are on
    embedding_floor: float = 0.85  # e5 cosines below this carry no story signal
    cross_script_floor: float = 0.88  # an English/Arabic pair needs this embedding cosine
    place_weight: float = 0.10
    actor_weight: float = 0.05
    event_type_weight: float = 0.03
    event_date_bonus: float = 0.05
    event_date_penalty: float = 0.30
    event_date_far_days: int = 90
    year_weight: float = 0.04
    candidate_top_k: int = 80  # heaviest terms per report used to find candidates
    candidate_floor: float = 0.12  # cosine of the pruned vectors a candidate needs
    use_embeddings: bool = False


def effective_threshold(options: ClusterOptions, reports: int) -> float:
    """The linkage bar for a set of ``reports``: IDF's range grows with log n, and so do the
    cosines of related reports (the seeds' same-story mean is 0.21 alone and 0.30 among 3,000
    SaudiNewsNet reports), so the bar rises by ``threshold_growth`` per tenfold beyond 5."""
    return options.threshold + options.threshold_growth * max(0.0, math.log10(max(reports, 1) / 5))


def _jaccard(a: frozenset, b: frozenset) -> Optional[float]:
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def _event_dates(a: tuple[int, ...], b: tuple[int, ...], options: ClusterOptions) -> float:
    if not a or not b:
        return 0.0
    nearest = min(abs(x - y) for x in a for y in b)
    if nearest <= 7:
        return options.event_date_bonus
    return -options.event_date_penalty if nearest > options.event_date_far_days else 0.0


def extraction_score(a: ArticleFeatures, b: ArticleFeatures, options: ClusterOptions) -> float:
    """What the extractors say about one pair (0 when either report has nothing)."""
    score = _event_dates(a.event_days, b.event_days, options)
    for weight, left, right in ((options.place_weight, a.places, b.places),
                                (options.actor_weight, a.actors, b.actors),
                                (options.event_type_weight, a.event_types, b.event_types)):
        share = _jaccard(left, right)
        score += weight * share if share is not None else 0.0
    return score


def _year_masks(features: Sequence[ArticleFeatures]) -> tuple[np.ndarray, np.ndarray]:
    """Years 1950–2049 as two 50-bit masks per report."""
    masks = [sum(1 << (y - 1950) for y in f.years) for f in features]
    low = np.array([m & ((1 << 50) - 1) for m in masks], dtype=np.uint64)
    high = np.array([m >> 50 for m in masks], dtype=np.uint64)
    return low, high


def _popcount(values: np.ndarray) -> np.ndarray:
    """Set bits of each uint64 (numpy < 2 has no bitwise_count)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(values).astype(np.float64)
    bits = np.unpackbits(values.astype(np.uint64).view(np.uint8)).reshape(len(values), 64)
    return bits.sum(axis=1).astype(np.float64)


def year_scores(features: Sequence[ArticleFeatures], left: np.ndarray, right: np.ndarray,
                options: ClusterOptions) -> np.ndarray:
    """Shared years add (Jaccard), disjoint years subtract; neutral when either has none."""
    low, high = _year_masks(features)
    shared = _popcount(low[left] & low[right]) + _popcount(high[left] & high[right])
    union = _popcount(low[left] | low[right]) + _popcount(high[left] | high[right])
    both = (low[left] | high[left]).astype(bool) & (low[right] | high[right]).astype(bool)
    share = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return np.where(both, np.where(share > 0, options.year_weight * share,
                                   -0.75 * options.year_weight), 0.0)


def time_penalties(features: Sequence[ArticleFeatures], left: np.ndarray, right: np.ndarray,
                   options: ClusterOptions) -> np.ndarray:
    """Penalty for publication dates far apart; 0 when either date is unknown."""
    days = np.array([np.nan if f.day is None else f.day for f in features], dtype=np.float64)
    gap = np.abs(days[left] - days[right])
    late = np.clip(gap - options.grace_days, 0, None)
    span = max(1, options.max_gap_days - options.grace_days)
    return np.nan_to_num(options.time_penalty * np.minimum(1.0, late / span), nan=0.0)


def text_score(word: np.ndarray, char: np.ndarray, embed: Optional[np.ndarray],
               cross_script: Optional[np.ndarray], options: ClusterOptions) -> np.ndarray:
    """Text similarity of many pairs at once."""
    if embed is None:
        return options.word_weight * word + options.char_weight * char
    scale = 1.0 - options.embedding_weight
    lifted = np.clip((embed - options.embedding_floor) / (1 - options.embedding_floor), 0, 1)
    same = scale * (options.word_weight * word + options.char_weight * char)
    same += options.embedding_weight * lifted
    across = np.where(embed >= options.cross_script_floor,
                      (embed - options.embedding_floor) / (1 - options.embedding_floor), 0.0)
    return np.where(cross_script, across, same) if cross_script is not None else same


def pair_scores(features: Sequence[ArticleFeatures], left: np.ndarray, right: np.ndarray,
                text: np.ndarray, options: ClusterOptions) -> np.ndarray:
    """Full scores of the pairs (left[p], right[p]) given their text scores."""
    scores = text.astype(np.float64) + year_scores(features, left, right, options)
    scores -= time_penalties(features, left, right, options)
    extracted = np.array([bool(f.places or f.actors or f.event_types or f.event_days)
                          for f in features], dtype=bool)
    both = np.flatnonzero(extracted[left] & extracted[right])
    scores[both] += extraction_scores(features, left[both], right[both], options)
    return scores


def extraction_scores(features: Sequence[ArticleFeatures], left: np.ndarray, right: np.ndarray,
                      options: ClusterOptions) -> np.ndarray:
    """``extraction_score`` of many pairs at once: the same float operations in the same order,
    so the same numbers, without a Python call per pair."""
    score = _event_date_scores(features, left, right, options)
    for weight, name in ((options.place_weight, "places"), (options.actor_weight, "actors"),
                         (options.event_type_weight, "event_types")):
        shared, union, both = _overlaps([getattr(f, name) for f in features], left, right)
        share = np.divide(shared, union, out=np.zeros(len(left)), where=both)
        score = score + np.where(both, weight * share, 0.0)
    return score


def _overlaps(sets: Sequence[frozenset], left: np.ndarray, right: np.ndarray):
    """Per pair: the sizes of the intersection and union of its two sets, and whether both have
    members. The sets become rows of a 0/1 matrix; an intersection is a row product."""
    ids: dict = {}
    cols = [sorted(ids.setdefault(item, len(ids)) for item in items) for items in sets]
    sizes = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
    indptr = np.concatenate(([0], np.cumsum(sizes)))
    indices = np.fromiter((c for row in cols for c in row), dtype=np.int64, count=int(sizes.sum()))
    matrix = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(sets), max(1, len(ids))))
    shared = np.zeros(len(left), dtype=np.int64)
    for start in range(0, len(left), 50_000):
        a, b = matrix[left[start:start + 50_000]], matrix[right[start:start + 50_000]]
        shared[start:start + 50_000] = np.rint(np.asarray(a.multiply(b).sum(axis=1)).ravel())
    both = (sizes[left] > 0) & (sizes[right] > 0)
    return shared, sizes[left] + sizes[right] - shared, both


def _event_date_scores(features: Sequence[ArticleFeatures], left: np.ndarray, right: np.ndarray,
                       options: ClusterOptions) -> np.ndarray:
    """``_event_dates`` of the pairs; only the pairs where both reports have event dates are
    looked at one by one (a report can have dozens of event dates: padding them to one width
    and comparing all at once measured five times slower)."""
    score = np.zeros(len(left))
    dated = np.array([bool(f.event_days) for f in features], dtype=bool)
    for p in np.flatnonzero(dated[left] & dated[right]).tolist():
        score[p] = _event_dates(features[left[p]].event_days, features[right[p]].event_days, options)
    return score

"""Single-document extractive summarisation: score sentences, keep the best in article order.

A sentence's score is a weighted sum of features, flags (0/1) or scaled to [0, 1] within the
article:

- ``lead``: 1 for the first sentence (news and encyclopaedia leads define the subject);
- ``early``: 1 for the first three sentences;
- ``position``: 1 - i/n, the gentle lead bias of the rest of the article;
- ``centroid``: TF-IDF cosine with the whole article (Radev et al. 2004, MEAD);
- ``title``: TF-IDF cosine with the title, or with the first sentence when there is none;
- ``textrank``: PageRank over the sentence-similarity graph (Mihalcea and Tarau 2004);
- ``length``: log of the word count, so that fragments ("نعم.") are not chosen;
- ``numbers``: share of tokens that are numbers (EASC's annotators passed over figure-heavy
  sentences, so its fitted weight is negative);
- ``last``: 1 for the last sentence (columns and encyclopaedia articles end on a conclusion).

The weights were fitted on EASC (docs/summaries.md; benchmarks/summaries.py measures them on
articles they were not fitted on). Nothing here needs more than numpy.
"""
from __future__ import annotations

from dataclasses import astuple, dataclass, fields

import numpy as np

from rasid.summarize.text import stem, stems, tfidf_matrix, tokens

_DAMPING = 0.85
_ITERATIONS = 50
_SHORT = 4  # sentences with fewer words than this get no length credit at all
_EARLY = 3
_BINARY = {"lead", "early", "last"}  # kept as 0/1: scaling would turn an all-zero column into noise


@dataclass(frozen=True)
class Weights:
    """Feature weights: logistic-regression coefficients fitted on the 77 EASC dev articles
    (``rasid.summarize.tune.fit_weights``, C=1). Scores only order sentences within an article."""

    lead: float = 1.608
    early: float = 0.786
    position: float = 1.585
    centroid: float = 0.305
    title: float = 0.422
    textrank: float = -0.069
    length: float = 0.61
    numbers: float = -0.336
    last: float = 1.118


FEATURES = tuple(f.name for f in fields(Weights))
DEFAULT_WEIGHTS = Weights()


def features(sentences: list[str], title: str = "") -> np.ndarray:
    """One row per sentence, one column per name in ``FEATURES``, each in [0, 1]."""
    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    toks = [tokens(s) for s in sentences]
    words = [[stem(t) for t in sentence] for sentence in toks]
    vectors = tfidf_matrix(words + [stems(title)] if title else words)
    sims = vectors[:n] @ vectors[:n].T
    title_vec = vectors[n] if title else vectors[0]
    columns = {
        "lead": np.eye(1, n, 0)[0],
        "early": (np.arange(n) < _EARLY).astype(float),
        "position": 1 - np.arange(n) / n,
        "centroid": _cosine_to(vectors[:n], vectors[:n].sum(axis=0)),
        "title": vectors[:n] @ title_vec,
        "textrank": _pagerank(sims),
        "length": _length(words),
        "numbers": np.array([_number_share(t) for t in toks]),
        "last": np.eye(1, n, n - 1)[0],
    }
    return np.column_stack([columns[f] if f in _BINARY else _scale(columns[f]) for f in FEATURES])


def rank_sentences(sentences: list[str], title: str = "", weights: Weights = DEFAULT_WEIGHTS) -> list[float]:
    """A score per sentence, higher is more summary-worthy; comparable within one article only."""
    return (features(sentences, title) @ np.array(astuple(weights))).tolist()


def summarize(
    sentences: list[str],
    title: str = "",
    max_sentences: int | None = None,
    ratio: float = 0.3,
    exclude: set[int] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[int]:
    """Indexes of the chosen sentences, in article order.

    ``max_sentences`` wins over ``ratio`` (the share of sentences to keep, at least one);
    sentences in ``exclude`` are never chosen.
    """
    return select(rank_sentences(sentences, title, weights), budget(len(sentences), max_sentences, ratio), exclude)


def budget(n: int, max_sentences: int | None = None, ratio: float = 0.3) -> int:
    """How many sentences a summary of an ``n``-sentence article keeps."""
    if max_sentences is not None:
        return max(0, min(n, max_sentences))
    return min(n, max(1, round(n * ratio))) if n else 0


def select(scores: list[float] | np.ndarray, k: int, exclude: set[int] | None = None) -> list[int]:
    """The ``k`` best-scored indexes not in ``exclude``, in article order; ties go to the earlier."""
    banned = exclude or set()
    order = sorted((i for i in range(len(scores)) if i not in banned), key=lambda i: (-scores[i], i))
    return sorted(order[:k])


def _cosine_to(vectors: np.ndarray, target: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(target)
    return vectors @ (target / norm) if norm else np.zeros(len(vectors))


def _pagerank(sims: np.ndarray) -> np.ndarray:
    """PageRank by power iteration on a weighted, undirected graph without self-loops."""
    n = len(sims)
    graph = sims * (1 - np.eye(n))
    out = graph.sum(axis=1, keepdims=True)
    transition = np.where(out > 0, graph / np.where(out == 0, 1, out), 1 / n)
    rank = np.full(n, 1 / n)
    for _ in range(_ITERATIONS):
        rank = (1 - _DAMPING) / n + _DAMPING * transition.T @ rank
    return rank


def _length(words: list[list[str]]) -> np.ndarray:
    return np.array([np.log(len(w)) if len(w) >= _SHORT else 0.0 for w in words])


def _number_share(toks: list[str]) -> float:
    return sum(t[0].isdigit() for t in toks) / len(toks) if toks else 0.0


def _scale(column: np.ndarray) -> np.ndarray:
    """Min-max scale to [0, 1]; a constant column becomes all zeros (it cannot rank anything)."""
    low, high = column.min(), column.max()
    return (column - low) / (high - low) if high > low else np.zeros_like(column, dtype=float)

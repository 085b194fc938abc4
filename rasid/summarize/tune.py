"""Fitting the ranker's weights on EASC and measuring them on articles they were not fitted on.

The weights are the coefficients of a logistic regression that predicts, from the ranker's
features, whether a sentence is in the Level-2 gold. Only the ordering matters for top-k
selection, so the intercept is dropped. scikit-learn is needed here only, not at run time.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from rasid.summarize.rank import FEATURES, Weights, features

_C = 1.0  # inverse L2 strength; LOO results on EASC dev hardly move between 0.1 and 10


def article_matrix(sentences: list[str], gold: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """Features and 0/1 gold labels of one article's sentences."""
    labels = np.zeros(len(sentences))
    labels[list(gold)] = 1
    return features(sentences), labels


def fit_weights(articles: list[tuple[np.ndarray, np.ndarray]], c: float = _C) -> Weights:
    """Weights fitted on (features, labels) pairs, rounded to keep them readable."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([f for f, _ in articles])
    y = np.concatenate([labels for _, labels in articles])
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return Weights(*(round(float(w), 3) for w in model.coef_[0]))


def leave_one_out(articles: list[tuple[np.ndarray, np.ndarray]], c: float = _C) -> list[Weights]:
    """For each article, the weights fitted on all the others."""
    return [fit_weights(articles[:i] + articles[i + 1:], c) for i in range(len(articles))]


def describe(weights: Weights) -> dict[str, Any]:
    return dict(zip(FEATURES, (getattr(weights, f) for f in FEATURES)))

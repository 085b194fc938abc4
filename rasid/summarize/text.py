"""Tokens and TF-IDF vectors shared by the sentence ranker and the story summariser."""
from __future__ import annotations

import numpy as np
import regex

from rasid.clean.normalize import match_key

_TOKEN = regex.compile(r"[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*")
# Proclitics stripped before comparing words: conjunction + preposition + article, longest first.
# Light stemming like this is what Arabic IR uses (Larkey et al. 2007, "light10"), minus suffixes.
_PREFIX = regex.compile(r"^(?:وبال|وال|بال|كال|فال|لل|ال|و(?=\p{L}{3}))")
_MIN_STEM = 2


def tokens(text: str) -> list[str]:
    """Normalised word tokens (match keys), punctuation dropped: what ROUGE and TF-IDF count."""
    return _TOKEN.findall(match_key(text))


def stem(token: str) -> str:
    """Strip the article and leading conjunctions so "والحكومة" and "الحكومة" meet."""
    stripped = _PREFIX.sub("", token)
    return stripped if len(stripped) >= _MIN_STEM else token


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]


def tfidf_matrix(docs: list[list[str]]) -> np.ndarray:
    """L2-normalised TF-IDF rows for token lists; IDF is computed over ``docs`` themselves."""
    vocab: dict[str, int] = {}
    for doc in docs:
        for term in doc:
            vocab.setdefault(term, len(vocab))
    counts = np.zeros((len(docs), max(len(vocab), 1)))
    for row, doc in enumerate(docs):
        for term in doc:
            counts[row, vocab[term]] += 1
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    return _l2(np.log1p(counts) * idf)


def _l2(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)

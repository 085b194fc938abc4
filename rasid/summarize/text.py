"""Tokens and TF-IDF vectors shared by the sentence ranker and the story summariser."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from rasid.arabic.morphology import SUMMARY_PREFIXES, light_stem
from rasid.arabic.normalize import match_key
from rasid.arabic.tokens import SUMMARY_TOKEN

_TOKEN = SUMMARY_TOKEN
# Proclitics stripped before comparing words: conjunction + preposition + article, longest first;
# a bare و only before three letters. Light stemming minus suffixes.
_MIN_STEM = 2


def tokens(text: str) -> list[str]:
    """Normalised word tokens (match keys), punctuation dropped: what ROUGE and TF-IDF count."""
    return _TOKEN.findall(match_key(text))


@lru_cache(maxsize=200_000)  # a story's sentences repeat their words
def stem(token: str) -> str:
    """Strip the article and leading conjunctions so "والحكومة" and "الحكومة" meet."""
    return light_stem(token, SUMMARY_PREFIXES, (), min_stem=_MIN_STEM, min_after_letter=3)


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

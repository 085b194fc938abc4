"""Character 3–5-gram TF-IDF vectors of short texts: scikit-learn's numbers, less of its work.

    vectors = char_tfidf(["غادرت دفعة ثانية درعا", "خرجت الدفعة الثانية من درعا"])

A story is vectorised three times over nearly the same sentences (retold sentences, the summary's
similarities, rewritten copies), each with its own IDF. ``char_tfidf`` returns the very matrix
``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform``
returns (the same columns, the same stored order of every row, bit for bit, so every cosine and
threshold falls the same way: tests/test_tfidf_shared.py), but a text's n-grams are counted once
per process however many fits read it, and the vocabulary is sorted once instead of being sorted,
filtered by document frequency (a no-op at the default bounds) and remapped.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import chain
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

__all__ = ["char_tfidf"]

NGRAMS = (3, 5)
# Texts whose n-gram counts are kept: a worker builds one story at a time, and a story's three
# fits read the same sentences, so a few thousand covers the largest stories aligned.
_KEPT = 8192


@lru_cache(maxsize=1)
def _analyzer():
    """scikit-learn's own char_wb analyzer (lower-casing, white-space folding, padding)."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS).build_analyzer()


@lru_cache(maxsize=_KEPT)
def _counts(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The text's n-grams in order of first occurrence, and how often each occurs."""
    counter = Counter(_analyzer()(text))  # counted in C, in order of first occurrence
    return tuple(counter), tuple(counter.values())


def char_tfidf(texts: Sequence[str]):
    """L2-normalised sublinear TF-IDF rows of ``texts`` (IDF over ``texts``), as scikit-learn
    computes them: each row keeps its n-grams in order of first occurrence in ``texts`` (what
    ``CountVectorizer`` leaves after renumbering its vocabulary in sorted order)."""
    counted = [_counts(t) for t in texts]
    grams = list(dict.fromkeys(chain.from_iterable(g for g, _ in counted)))  # in order of first occurrence
    if not grams:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    first = dict(zip(grams, range(len(grams))))
    renumber = np.empty(len(grams), dtype=np.int32)  # first-occurrence id -> sorted position
    renumber[sorted(range(len(grams)), key=grams.__getitem__)] = np.arange(len(grams), dtype=np.int32)
    indptr = np.cumsum([0] + [len(g) for g, _ in counted], dtype=np.int32)
    ids = np.fromiter(map(first.__getitem__, chain.from_iterable(g for g, _ in counted)), dtype=np.int32,
                      count=indptr[-1])
    values = np.fromiter(chain.from_iterable(n for _, n in counted), dtype=np.float64, count=indptr[-1])
    counts = sp.csr_matrix((values, ids, indptr), shape=(len(texts), len(grams)))
    counts.sort_indices()  # by first occurrence, as CountVectorizer stores them before renumbering
    counts.indices = renumber.take(counts.indices)
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)

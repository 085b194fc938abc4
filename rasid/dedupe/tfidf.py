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

import re
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


# Words whose n-grams are kept: a story's sentences repeat most of their words.
_WORDS_KEPT = 65536
_SPACES = re.compile(r"\s\s+")  # scikit-learn's white-space folding (VectorizerMixin._white_spaces)


@lru_cache(maxsize=1)
def _analyzer():
    """scikit-learn's own char_wb analyzer (lower-casing, white-space folding, padding): what
    ``_counts`` reads the same n-grams as, in the same order (tests/test_tfidf_shared.py)."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS).build_analyzer()


@lru_cache(maxsize=_WORDS_KEPT)
def _word_grams(word: str) -> tuple[str, ...]:
    """One word's n-grams as scikit-learn's ``_char_wb_ngrams`` lists them: the word padded with
    a space each side, its 3-grams, 4-grams, then 5-grams left to right; a padded word no longer
    than n gives itself once and ends the list."""
    padded = " " + word + " "
    size = len(padded)
    out: list[str] = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        if size <= n:
            out.append(padded)
            break
        out += [padded[i:i + n] for i in range(size - n + 1)]
    return tuple(out)


@lru_cache(maxsize=_KEPT)
def _counts(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The text's n-grams in order of first occurrence, and how often each occurs: scikit-learn's
    analyzer (lower-case, fold white space, split, n-grams of each word), each word's n-grams
    listed once per process."""
    counter = Counter(chain.from_iterable(map(_word_grams, _SPACES.sub(" ", text.lower()).split())))
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

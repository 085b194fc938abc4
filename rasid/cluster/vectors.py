"""TF-IDF matrices of a set of reports, built from their hashed bags in canonical order.

The IDF is that of the set being clustered, so every row is recomputed when the set grows;
the bags themselves never change. Hashed columns are renumbered in increasing order, so the
matrices are small and the same set always gives the same matrices. Rows are L2-normalised:
a dot product is a cosine.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp

from rasid.cluster.features import ArticleFeatures


def _bags_to_csr(cols: Sequence[np.ndarray], counts: Sequence[np.ndarray]) -> sp.csr_matrix:
    """Rows of hashed bags, with the hashed columns renumbered densely (order kept)."""
    lengths = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.concatenate(cols) if len(cols) else np.zeros(0, np.uint32)
    data = np.concatenate(counts) if len(counts) else np.zeros(0, np.float32)
    used, dense = np.unique(indices, return_inverse=True)
    return sp.csr_matrix((data.astype(np.float32), dense.astype(np.int32), indptr),
                         shape=(len(cols), max(1, len(used))))


def tfidf(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF times smoothed IDF of this set, rows L2-normalised (in place)."""
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    return _normalise(matrix)


def word_matrix(features: Sequence[ArticleFeatures]) -> sp.csr_matrix:
    return tfidf(_bags_to_csr([f.word_cols for f in features],
                              [f.word_counts for f in features]))


def char_matrix(features: Sequence[ArticleFeatures]) -> sp.csr_matrix:
    return tfidf(_bags_to_csr([f.char_cols for f in features],
                              [f.char_counts for f in features]))


def top_k(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row pruned to its k largest weights (ties: lower column first), renormalised."""
    lengths = np.diff(matrix.indptr)
    if lengths.max(initial=0) <= k:
        return matrix.copy()
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(matrix.nnz) - matrix.indptr[rows[order]]
    keep = np.sort(order[rank < k])
    pruned = sp.csr_matrix((matrix.data[keep], matrix.indices[keep],
                            np.concatenate(([0], np.cumsum(np.minimum(lengths, k))))),
                           shape=matrix.shape)
    return _normalise(pruned)


def _normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    n = matrix.shape[0]
    rows = np.repeat(np.arange(n), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=matrix.data ** 2, minlength=n)).astype(np.float32)
    norms[norms == 0] = 1.0
    matrix.data /= norms[rows]
    return matrix


def row_dots(matrix: sp.csr_matrix, left: np.ndarray, right: np.ndarray,
             chunk: int = 20_000) -> np.ndarray:
    """matrix[left[p]] · matrix[right[p]] for every pair p, in chunks to bound memory."""
    out = np.zeros(len(left), dtype=np.float32)
    for start in range(0, len(left), chunk):
        a = matrix[left[start:start + chunk]]
        b = matrix[right[start:start + chunk]]
        out[start:start + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out

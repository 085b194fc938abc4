"""Candidate pairs: reports that share heavy terms and are close enough in time.

Each report keeps only its ``k`` heaviest TF-IDF terms; two reports are candidates when the dot
product of these pruned vectors reaches ``floor``. The products are computed a block of rows at
a time against the reports of the block's time window (reports are in canonical order: by day,
then the undated ones, which are compared with everything). The rule is symmetric, so the
candidate set does not depend on the order reports arrived in.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp

BLOCK = 500  # rows per product: bounds the memory of the product


def _window(days: np.ndarray, dated: int, start: int, stop: int, max_gap: int) -> tuple[int, int]:
    """Column range [lo, hi) of dated reports within ``max_gap`` days of rows start..stop."""
    if start >= dated:
        return dated, dated
    block_days = days[start:min(stop, dated)]
    hi = int(np.searchsorted(days[:dated], block_days.max() + max_gap, side="right"))
    return start, hi


def _block_pairs(pruned: sp.csr_matrix, start: int, stop: int, columns: np.ndarray,
                 floor: float) -> tuple[np.ndarray, np.ndarray]:
    product = (pruned[start:stop] @ pruned[columns].T).tocoo()
    rows = product.row + start
    cols = columns[product.col]
    keep = (product.data >= floor) & (cols > rows)
    return rows[keep], cols[keep]


def candidate_pairs(pruned: sp.csr_matrix, days: Sequence[Optional[int]], floor: float,
                    max_gap: int, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of candidate rows; ``days`` is sorted with the None values last."""
    n = pruned.shape[0]
    dated = sum(d is not None for d in days)
    day_array = np.array([d for d in days if d is not None], dtype=np.int64)
    undated = np.arange(dated, n)
    lefts, rights = [], []
    for start in range(0, n, block):
        stop = min(start + block, n)
        lo, hi = _window(day_array, dated, start, stop, max_gap)
        columns = np.concatenate((np.arange(lo, hi), undated[undated >= start]))
        left, right = _block_pairs(pruned, start, stop, columns, floor)
        lefts.append(left)
        rights.append(right)
    left = np.concatenate(lefts) if lefts else np.zeros(0, np.int64)
    right = np.concatenate(rights) if rights else np.zeros(0, np.int64)
    if dated:
        both = right < dated
        gaps = np.zeros(len(left), dtype=np.int64)
        gaps[both] = day_array[right[both]] - day_array[left[both]]
        keep = gaps <= max_gap
        left, right = left[keep], right[keep]
    order = np.lexsort((right, left))
    return left[order].astype(np.int64), right[order].astype(np.int64)

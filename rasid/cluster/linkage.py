"""Deterministic average linkage over a sparse similarity graph.

Two groups merge while the mean score over all their cross pairs reaches the threshold; a pair
that is not an edge counts as 0 (it was never a candidate), a penalised pair counts as its
negative score. The best pair of groups merges first; ties go to the groups whose smallest
member comes first. Given the same nodes (in canonical order) and edges, the result is the same.
"""
from __future__ import annotations

import heapq
from typing import Sequence


def _initial(n: int, left: Sequence[int], right: Sequence[int], scores: Sequence[float]):
    neighbours: list[dict[int, float]] = [dict() for _ in range(n)]
    for i, j, s in zip(left, right, scores):
        neighbours[i][j] = neighbours[i].get(j, 0.0) + s
        neighbours[j][i] = neighbours[j].get(i, 0.0) + s
    return neighbours


def average_linkage(n: int, left: Sequence[int], right: Sequence[int], scores: Sequence[float],
                    threshold: float) -> list[list[int]]:
    """Groups of node indexes (each sorted; groups sorted by first member)."""
    neighbours = _initial(n, left, right, scores)
    size = [1] * n
    members: list[list[int]] = [[i] for i in range(n)]
    alive = [True] * n
    heap = [(-s, i, j) for i in range(n) for j, s in neighbours[i].items() if i < j and s >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or b not in neighbours[a]:
            continue
        if abs(neighbours[a][b] / (size[a] * size[b]) + negative) > 1e-12:
            continue  # stale: the groups changed since this entry was pushed
        _merge(a, b, neighbours, size, members, alive, heap, threshold)
    return sorted(sorted(members[i]) for i in range(n) if alive[i])


def _merge(a, b, neighbours, size, members, alive, heap, threshold) -> None:
    """Merge group b into group a (a keeps the smaller first member: both are representatives)."""
    keep, drop = (a, b) if a < b else (b, a)
    alive[drop] = False
    for other, total in neighbours[drop].items():
        if other == keep:
            continue
        neighbours[keep][other] = neighbours[keep].get(other, 0.0) + total
        neighbours[other][keep] = neighbours[other].get(keep, 0.0) + total
        del neighbours[other][drop]
    del neighbours[keep][drop]
    neighbours[drop] = {}
    size[keep] += size[drop]
    members[keep].extend(members[drop])
    members[drop] = []
    for other, total in neighbours[keep].items():
        mean = total / (size[keep] * size[other])
        if mean >= threshold:
            heapq.heappush(heap, (-mean, min(keep, other), max(keep, other)))

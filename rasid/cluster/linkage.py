"""Deterministic average linkage over a sparse similarity graph.

Two groups merge while the mean score over all their cross pairs reaches the threshold; a pair
that is not an edge counts as 0 (it was never a candidate), a penalised pair counts as its
negative score. The best pair of groups merges first; ties go to the groups whose smallest
member comes first. Given the same nodes (in canonical order) and edges, the result is the same.

A mean never exceeds the largest of its terms, so two groups can only merge when some pair
across them scores at least the threshold: linkage runs separately inside each connected
component of the graph of such strong pairs, which gives the same groups, much faster.
"""
from __future__ import annotations

import heapq
from typing import Optional, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def _initial(n: int, left: Sequence[int], right: Sequence[int], scores: Sequence[float]):
    neighbours: list[dict[int, float]] = [dict() for _ in range(n)]
    for i, j, s in zip(left, right, scores):
        neighbours[i][j] = neighbours[i].get(j, 0.0) + s
        neighbours[j][i] = neighbours[j].get(i, 0.0) + s
    return neighbours


def average_linkage(n: int, left: Sequence[int], right: Sequence[int], scores: Sequence[float],
                    threshold: float) -> list[list[int]]:
    """Groups of node indexes (each sorted; groups sorted by first member)."""
    left, right, scores = np.asarray(left), np.asarray(right), np.asarray(scores, dtype=np.float64)
    strong = scores >= threshold
    graph = coo_matrix((np.ones(int(strong.sum())), (left[strong], right[strong])), shape=(n, n))
    count, component = connected_components(graph, directed=False)
    inside = (component[left] == component[right]) & (np.bincount(component, minlength=count)[component[left]] > 1)
    groups: list[list[int]] = []
    sizes = np.bincount(component, minlength=count)
    groups += [[int(i)] for i in np.flatnonzero(sizes[component] == 1)]
    order = np.argsort(component[left[inside]], kind="stable")
    edge_left, edge_right = left[inside][order], right[inside][order]
    edge_scores, edge_component = scores[inside][order], component[left[inside]][order]
    bounds = np.flatnonzero(np.diff(edge_component)) + 1
    for part in np.split(np.arange(len(edge_left)), bounds):
        if len(part):
            groups += _linkage_in(edge_left[part], edge_right[part], edge_scores[part], threshold)
    return sorted(groups)


def _linkage_in(left: np.ndarray, right: np.ndarray, scores: np.ndarray,
                threshold: float) -> list[list[int]]:
    """Average linkage of one component, its nodes renumbered in their canonical order."""
    nodes = np.unique(np.concatenate((left, right)))
    groups = _average_linkage(len(nodes), np.searchsorted(nodes, left).tolist(),
                              np.searchsorted(nodes, right).tolist(), scores.tolist(), threshold)
    return [[int(nodes[i]) for i in group] for group in groups]


def _average_linkage(n: int, left: Sequence[int], right: Sequence[int], scores: Sequence[float],
                     threshold: float, sizes: Optional[Sequence[int]] = None) -> list[list[int]]:
    """Average linkage of n nodes; with ``sizes``, node i stands for a group of sizes[i] reports
    already merged (its edges' scores summed over their pairs), and linkage goes on from there."""
    neighbours = _initial(n, left, right, scores)
    size = list(sizes) if sizes is not None else [1] * n
    members: list[list[int]] = [[i] for i in range(n)]
    alive = [True] * n
    heap = [(-s / (size[i] * size[j]), i, j) for i in range(n) for j, s in neighbours[i].items()
            if i < j and s / (size[i] * size[j]) >= threshold]
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

"""Stories between two full passes: reports added to the last full pass without reclustering the set.

A full pass (``StoryClusterer``) is a function of the set of reports: its IDF, its linkage bar,
its average linkage. On a large record that costs seconds a live batch (9 s at 20,000 reports
on two cores), so ``rasid watch`` and ``rasid poll`` continue from the last full pass instead
(docs/scale.md, "Live batches on a large record"):

- the added reports' TF-IDF rows use the **last pass's IDF** (a term it never saw: document
  frequency 0) and its linkage bar;
- their candidates are found against the last pass's pruned matrix, in the time window, and only
  those pairs are scored;
- average linkage goes on from the last pass's groups inside the strong components (pairs at or
  above the bar) that the added reports' strong pairs reach: each old group is one node (its size
  and summed scores kept), the added reports are singletons, merges follow the same rule; an old
  merge is never undone and every other story stays as it was.

Every call re-adds all the reports added since the full pass (``LastPass.add``), so the stories
are a function of the last pass and of the *set* added since, not of the batches they came in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from rasid.cluster import vectors
from rasid.cluster.clusterer import StoryClusterer, StoryInfo, _Graph, _story_infos
from rasid.cluster.features import ArticleFeatures
from rasid.cluster.linkage import _average_linkage
from rasid.cluster.scoring import pair_scores, text_score


@dataclass
class Continued:
    """The stories after an incremental add: nodes are the last pass's reports, then the added ones."""

    everyone: list[ArticleFeatures]
    groups: list[list[int]]  # every story's nodes, each in canonical order (by day, then id)
    graph: _Graph  # the last pass's pairs and the added reports' pairs

    def id_groups(self) -> list[list[str]]:
        return [[self.everyone[i].id for i in group] for group in self.groups]

    def infos(self, groups: list[list[int]]) -> list[StoryInfo]:
        """Full story rows (title, dates, places, actors) of some of the groups."""
        return _story_infos(self.everyone, groups, self.graph)


class LastPass:
    """What an incremental batch keeps of the last full pass: its reports in order, its matrices,
    IDF and bar, its pairs and groups, and the strong components of those pairs."""

    def __init__(self, clusterer: StoryClusterer):
        if clusterer.last_pass is None:
            raise ValueError("the clusterer has not clustered anything yet")
        self.options = clusterer.options
        self.ordered, graph, self.threshold, self.groups = clusterer.last_pass
        self.ids = {f.id for f in self.ordered}
        self.left, self.right, self.scores = graph.left, graph.right, graph.scores
        # the stacks of this very pass: the next pass replaces vectors._STACKS, never changes these
        self.stacks = {kind: vectors._STACKS[kind] for kind in ("word", "char")}
        self.words, self.chars, self.pruned = graph.words, graph.chars, graph.pruned
        self.component = self._strong_components()
        self.group_of = np.zeros(len(self.ordered), dtype=np.int64)
        for number, group in enumerate(self.groups):
            self.group_of[group] = number

    def __len__(self) -> int:
        return len(self.ordered)

    def add(self, new: Sequence[ArticleFeatures]) -> Continued:
        """The stories with the ``new`` reports added (none of them in the last pass)."""
        new = sorted(new, key=lambda f: f.sort_key)
        n, everyone = len(self.ordered), self.ordered + list(new)
        if not new:
            return Continued(everyone, [list(g) for g in self.groups], self._graph(np.zeros(0), np.zeros(0), np.zeros(0)))
        words = _rows(new, "word", self.stacks["word"], n, self.words.shape[1])
        chars = _rows(new, "char", self.stacks["char"], n, self.chars.shape[1])
        left, right = self._candidates(vectors.top_k(words, self.options.candidate_top_k), everyone, n)
        scores = self._scores(everyone, words, chars, left, right, n)
        graph = self._graph(left, right, scores)
        return Continued(everyone, self._relink(everyone, left, right, scores), graph)

    def _scores(self, everyone, words, chars, left, right, n) -> np.ndarray:
        """The new pairs' scores; only the reports in a new pair are gathered, renumbered."""
        if not len(left):
            return np.zeros(0)
        involved = np.unique(np.concatenate((left, right)))
        old, added = involved[involved < n], involved[involved >= n] - n  # an added report in no pair is left out
        local_left, local_right = np.searchsorted(involved, left), np.searchsorted(involved, right)
        sub_words = sp.vstack((_widen(self.words[old], words.shape[1]), words[added])).tocsr()
        sub_chars = sp.vstack((_widen(self.chars[old], chars.shape[1]), chars[added])).tocsr()
        text = text_score(vectors.row_dots(sub_words, local_left, local_right),
                          vectors.row_dots(sub_chars, local_left, local_right), None, None, self.options)
        return pair_scores([everyone[i] for i in involved], local_left, local_right, text, self.options)

    def _graph(self, left, right, scores) -> _Graph:
        return _Graph(np.concatenate((self.left, left)).astype(np.int64),
                      np.concatenate((self.right, right)).astype(np.int64), np.concatenate((self.scores, scores)))

    def _candidates(self, pruned, everyone, n):
        """Pairs (i < j) of an added report and any report, whose pruned vectors reach the floor
        and whose days are within the window (an undated report is compared with everything)."""
        old = _widen(self.pruned, pruned.shape[1])
        product = (pruned @ sp.vstack((old, pruned)).T).tocoo()
        rows, cols = product.row + n, product.col
        keep = (product.data >= self.options.candidate_floor) & (cols != rows)
        rows, cols = rows[keep], cols[keep]
        left, right = np.minimum(rows, cols), np.maximum(rows, cols)
        near = np.array([everyone[a].day is None or everyone[b].day is None
                         or abs(everyone[a].day - everyone[b].day) <= self.options.max_gap_days
                         for a, b in zip(left, right)], dtype=bool)
        if not near.any():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        pairs = np.unique(np.stack((left[near], right[near]), axis=1), axis=0)
        return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)

    def _relink(self, everyone, left, right, scores) -> list[list[int]]:
        """Average linkage continued from the last pass's groups in the strong components the new
        strong pairs reach (each old group one node); the other groups as they were."""
        n, total = len(self.ordered), len(everyone)
        component = np.concatenate((self.component, self.component.max(initial=-1) + 1 + np.arange(total - n)))
        strong = scores >= self.threshold
        touched = np.union1d(np.union1d(component[left[strong]], component[right[strong]]), component[n:])
        group_of = np.concatenate((self.group_of, len(self.groups) + np.arange(total - n)))
        members = [list(g) for g in self.groups] + [[i] for i in range(n, total)]
        nodes = np.unique(group_of[np.isin(component, touched)])
        all_left, all_right = np.concatenate((self.left, left)), np.concatenate((self.right, right))
        all_scores = np.concatenate((self.scores, scores))
        a, b = group_of[all_left], group_of[all_right]
        inside = np.isin(a, nodes) & np.isin(b, nodes) & (a != b)
        a, b = np.searchsorted(nodes, a[inside]), np.searchsorted(nodes, b[inside])
        merged = _average_linkage(len(nodes), a.tolist(), b.tolist(), all_scores[inside].tolist(), self.threshold,
                                  [len(members[g]) for g in nodes])
        redone = set(nodes.tolist())
        groups = [g for number, g in enumerate(members) if number not in redone]
        groups += [sorted((i for local in group for i in members[int(nodes[local])]),
                          key=lambda i: everyone[i].sort_key) for group in merged]
        return groups

    def _strong_components(self) -> np.ndarray:
        n = len(self.ordered)
        strong = self.scores >= self.threshold
        graph = sp.coo_matrix((np.ones(int(strong.sum())), (self.left[strong], self.right[strong])), shape=(n, n))
        return connected_components(graph, directed=False)[1]


def _widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns))


def _rows(new, kind: str, stack: vectors.Stack, n: int, known_columns: int) -> sp.csr_matrix:
    """TF-IDF rows of the new reports with the last pass's IDF (an unseen term: df 0), in the
    last pass's columns; unseen terms after them."""
    idf = vectors._idf(n, stack.df)
    unseen_idf = vectors._idf(n, np.zeros(1))[0]
    cols = [getattr(f, f"{kind}_cols") for f in new]
    hashed = np.concatenate(cols)
    position = np.searchsorted(stack.vocab, hashed).clip(max=max(len(stack.vocab) - 1, 0))
    known = stack.vocab[position] == hashed
    unseen, unseen_at = np.unique(hashed[~known], return_inverse=True)
    dense = np.where(known, position, 0)
    dense[~known] = known_columns + unseen_at
    weights = np.where(known, idf[position], unseen_idf).astype(np.float32)
    counts = np.concatenate([getattr(f, f"{kind}_counts") for f in new]).astype(np.float32)
    indptr = np.concatenate(([0], np.cumsum([len(c) for c in cols])))
    order = np.concatenate([np.argsort(dense[a:b], kind="stable") + a for a, b in zip(indptr[:-1], indptr[1:])])
    data = ((1.0 + np.log(counts)) * weights)[order]
    matrix = sp.csr_matrix((data, dense[order].astype(np.int32), indptr),
                           shape=(len(new), known_columns + len(unseen)))
    return vectors._normalise(matrix)

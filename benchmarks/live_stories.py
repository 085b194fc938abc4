"""What one live batch costs the story clustering on a record of N reports (SaudiNewsNet).

A `rasid watch` batch adds a report or two to a record and reclusters the whole set (stories are
a function of the set). This measures, per record size, in one process as the watcher runs:

- full: the first pass over the N reports (cold caches: what a fresh process pays);
- exact: each following live batch (one more report), a full pass with the per-process caches
  warm: the same stories as one analysis of the set, bit for bit;
- incremental (a measured proposal, not what Rasid runs): the new report scored against the
  record with the last full pass's IDF and linkage bar, and average linkage continued from the
  last pass's groups inside the strong components its pairs touch (each old group one node);
  "differ" counts the reports whose story (its member set)
  is not the exact one after all the drops.

CPU seconds are those of this process (the clustering is one thread); wall seconds depend on the
machine's load. Rerun:  python benchmarks/stories.py --live 10000,20000,30000 [--drops 5]
"""
from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from rasid.cluster import StoryClusterer, vectors
from rasid.cluster.linkage import average_linkage
from rasid.cluster.scoring import ClusterOptions, effective_threshold, pair_scores, text_score


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _groups(clusterer: StoryClusterer) -> set[frozenset]:
    return {frozenset(s.article_ids) for s in clusterer.stories()}


class LastPass:
    """What the proposal would keep of the last full pass: its order, matrices, IDF, graph."""

    def __init__(self, features, options: ClusterOptions):
        self.options = options
        self.ordered = sorted(features, key=lambda f: f.sort_key)
        clusterer = StoryClusterer(options)
        graph = clusterer._graph(self.ordered)
        self.left, self.right, self.scores = graph.left, graph.right, graph.scores
        self.threshold = effective_threshold(options, len(self.ordered))
        self.stacks = {kind: vectors._STACKS[kind] for kind in ("word", "char")}
        self.words, self.chars = self.stacks["word"].tfidf(), self.stacks["char"].tfidf()
        self.pruned = vectors.top_k(self.words, options.candidate_top_k)
        self.groups = average_linkage(len(self.ordered), self.left, self.right, self.scores, self.threshold)
        self.component = self._strong_components()
        self.group_of = np.zeros(len(self.ordered), dtype=np.int64)
        for number, group in enumerate(self.groups):
            self.group_of[group] = number

    def add(self, new) -> set[frozenset]:
        """The stories with ``new`` reports added incrementally (new nodes numbered after the old)."""
        n, everyone = len(self.ordered), self.ordered + list(new)
        words = _rows(new, "word", self.stacks["word"], n, self.words.shape[1])
        chars = _rows(new, "char", self.stacks["char"], n, self.chars.shape[1])
        pruned = vectors.top_k(words, self.options.candidate_top_k)
        left, right = self._candidates(pruned, everyone, n)
        # only the reports in a new pair are scored: renumbered into a small set of rows
        involved = np.unique(np.concatenate((left, right)))
        old = involved[involved < n]
        local_left, local_right = np.searchsorted(involved, left), np.searchsorted(involved, right)
        sub_words = sp.vstack((_widen(self.words[old], words.shape[1]), words)).tocsr()
        sub_chars = sp.vstack((_widen(self.chars[old], chars.shape[1]), chars)).tocsr()
        text = text_score(vectors.row_dots(sub_words, local_left, local_right),
                          vectors.row_dots(sub_chars, local_left, local_right), None, None, self.options)
        scores = pair_scores([everyone[i] for i in involved], local_left, local_right, text, self.options)
        return self._relink(everyone, left, right, scores)

    def _candidates(self, pruned, everyone, n):
        old = _widen(self.pruned, pruned.shape[1])
        product = (pruned @ sp.vstack((old, pruned)).T).tocoo()
        rows, cols = product.row + n, product.col
        keep = (product.data >= self.options.candidate_floor) & (cols != rows)
        rows, cols = rows[keep], cols[keep]
        left, right = np.minimum(rows, cols), np.maximum(rows, cols)
        near = np.array([everyone[a].day is None or everyone[b].day is None
                         or abs(everyone[a].day - everyone[b].day) <= self.options.max_gap_days
                         for a, b in zip(left, right)], dtype=bool)
        pairs = np.unique(np.stack((left[near], right[near]), axis=1), axis=0) if near.any() else np.zeros((0, 2), int)
        return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)

    def _relink(self, everyone, left, right, scores) -> set[frozenset]:
        """Average linkage continued from the last pass's groups: in the strong components the new
        strong pairs reach, each old group is one node (its size and summed scores kept), the new
        reports are singletons, and merges go on by the same rule; old merges are never undone."""
        n, total = len(self.ordered), len(everyone)
        component = np.concatenate((self.component, self.component.max(initial=-1) + 1 + np.arange(total - n)))
        strong = scores >= self.threshold
        touched = np.union1d(np.union1d(component[left[strong]], component[right[strong]]), component[n:])
        group_of = np.concatenate((self.group_of, len(self.groups) + np.arange(total - n)))
        members = [list(g) for g in self.groups] + [[i] for i in range(n, total)]
        nodes = np.unique(group_of[np.isin(component, touched)])
        all_left = np.concatenate((self.left, left))
        all_right = np.concatenate((self.right, right))
        all_scores = np.concatenate((self.scores, scores))
        a, b = group_of[all_left], group_of[all_right]
        inside = np.isin(a, nodes) & np.isin(b, nodes) & (a != b)
        a, b = np.searchsorted(nodes, a[inside]), np.searchsorted(nodes, b[inside])
        merged = _continue_linkage([len(members[g]) for g in nodes], a, b, all_scores[inside], self.threshold)
        redone = set(nodes.tolist())
        groups = [g for number, g in enumerate(members) if number not in redone]
        groups += [[i for local in group for i in members[int(nodes[local])]] for group in merged]
        return {frozenset(everyone[i].id for i in g) for g in groups}

    def _strong_components(self) -> np.ndarray:
        from scipy.sparse.csgraph import connected_components

        n = len(self.ordered)
        strong = self.scores >= self.threshold
        graph = sp.coo_matrix((np.ones(int(strong.sum())), (self.left[strong], self.right[strong])), shape=(n, n))
        return connected_components(graph, directed=False)[1]


def _continue_linkage(sizes, left, right, scores, threshold) -> list[list[int]]:
    """``linkage._average_linkage`` started from groups of the given sizes instead of singletons."""
    from rasid.cluster.linkage import _average_linkage

    return _average_linkage(len(sizes), left.tolist(), right.tolist(), scores.tolist(), threshold, sizes)


def _widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns))


def _rows(new, kind: str, stack, n: int, known_columns: int) -> sp.csr_matrix:
    """TF-IDF rows of the new reports with the last pass's IDF (an unseen term: df 0), columns
    of the last pass, unseen terms after them."""
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


def measure(features, drops: int, options: ClusterOptions | None = None) -> dict:
    """Record = all but the last ``drops`` features; then one live batch per dropped report."""
    options = options or ClusterOptions()
    vectors._STACKS.clear()
    record, extra = features[:-drops], features[-drops:]
    _, full_wall, full_cpu = _timed(lambda: StoryClusterer.from_features(record, options))
    last = LastPass(record, options)
    exact_wall, exact_cpu, incremental_wall, incremental_cpu = [], [], [], []
    for number in range(1, drops + 1):
        exact, wall, cpu = _timed(lambda: StoryClusterer.from_features(record + extra[:number], options))
        exact_wall.append(wall)
        exact_cpu.append(cpu)
        guess, wall, cpu = _timed(lambda: last.add(extra[:number]))
        incremental_wall.append(wall)
        incremental_cpu.append(cpu)
    truth = _groups(exact)
    differ = sum(len(g) for g in guess - truth)
    return {"record": len(record), "full_cpu": full_cpu, "full_wall": full_wall,
            "exact_cpu": float(np.median(exact_cpu)), "exact_wall": float(np.median(exact_wall)),
            "incremental_cpu": float(np.median(incremental_cpu)),
            "incremental_wall": float(np.median(incremental_wall)), "differ": differ,
            "stories": len(truth)}


HEAD = ("| record | full pass cpu s (cold) | live batch, exact: cpu s | wall s | "
        "live batch, incremental: cpu s | wall s | reports whose story differs | stories |\n"
        "|---|---|---|---|---|---|---|---|")


def row(result: dict) -> str:
    return ("| {record:,} | {full_cpu:.2f} | {exact_cpu:.2f} | {exact_wall:.2f} | {incremental_cpu:.3f} | "
            "{incremental_wall:.3f} | {differ} | {stories:,} |").format(**result)

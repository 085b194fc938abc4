"""What one live batch costs the story clustering on a record of N reports (SaudiNewsNet).

A `rasid watch` batch adds a report or two to a record and reclusters the whole set (stories are
a function of the set). This measures, per record size, in one process as the watcher runs:

- full: the first pass over the N reports (cold caches: what a fresh process pays);
- exact: each following live batch (one more report), a full pass with the per-process caches
  warm: the same stories as one analysis of the set, bit for bit;
- incremental (what `rasid watch` and `rasid poll` run on a large record, rasid.cluster.incremental):
  the reports added since the full pass scored against the record with its IDF and linkage bar,
  and average linkage continued from its groups inside the strong components their pairs touch
  (each old group one node); "differ" counts the reports whose story (its member set) is not the
  exact one after all the drops.

CPU seconds are those of this process (the clustering is one thread); wall seconds depend on the
machine's load. Rerun:  python benchmarks/stories.py --live 10000,20000,30000 [--drops 5]
"""
from __future__ import annotations

import time

import numpy as np

from rasid.cluster import StoryClusterer, vectors
from rasid.cluster.incremental import LastPass
from rasid.cluster.scoring import ClusterOptions


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _groups(clusterer: StoryClusterer) -> set[frozenset]:
    return {frozenset(s.article_ids) for s in clusterer.stories()}


def measure(features, drops: int, options: ClusterOptions | None = None) -> dict:
    """Record = all but the last ``drops`` features; then one live batch per dropped report."""
    options = options or ClusterOptions()
    vectors._STACKS.clear()
    record, extra = features[:-drops], features[-drops:]
    clusterer, full_wall, full_cpu = _timed(lambda: StoryClusterer.from_features(record, options))
    last = LastPass(clusterer)
    exact_wall, exact_cpu, incremental_wall, incremental_cpu = [], [], [], []
    for number in range(1, drops + 1):
        exact, wall, cpu = _timed(lambda: StoryClusterer.from_features(record + extra[:number], options))
        exact_wall.append(wall)
        exact_cpu.append(cpu)
        continued, wall, cpu = _timed(lambda: last.add(extra[:number]))
        guess = {frozenset(group) for group in continued.id_groups()}
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

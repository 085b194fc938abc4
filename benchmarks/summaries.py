"""Extractive summarisation on EASC: accuracy tables (held-out protocol) and speed.

Corpus: ../shared/data/easc/easc-dev.jsonl, 77 EASC articles (El-Haj, Kruschwitz and Fox 2010;
CC BY-SA 3.0 for the Wikipedia part, newspaper parts with permission), Level-2 gold.
Machine: printed at the top of the output.

Rerun from the repository root:

    python benchmarks/summaries.py [--easc PATH] [--seeds DIR]

The headline is the leave-one-out figure: each article is summarised with weights fitted on the
other 76. The shipped weights were fitted on all 77, so their figure on this file is in-sample and
printed only for comparison.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.evaluate.summaries import (  # noqa: E402
    METRICS,
    SYSTEMS,
    article_scores,
    article_sentences,
    format_table,
    level2_gold,
    read_easc,
)
from rasid.summarize import sentence_texts, summarize, summarize_story  # noqa: E402
from rasid.summarize.tune import article_matrix, describe, fit_weights  # noqa: E402

SHARED = ROOT.parent / "shared"
_RESAMPLES = 2000


def table(path: Path, rows: list[dict], length: str, weights: str) -> str:
    means = {name: {m: float(np.mean([r[name][m] for r in rows])) for m in METRICS} for name in SYSTEMS}
    result = {"file": path.name, "articles": len(rows), "length": length, "weights": weights, "systems": means}
    return format_table(result)


def bootstrap(rows: list[dict], metric: str, seed: int = 0) -> tuple[float, float, float]:
    """Mean paired difference rasid - first k sentences, with a 95% bootstrap interval."""
    diffs = np.array([r["rasid"][metric] - r["first k sentences"][metric] for r in rows])
    rng = np.random.default_rng(seed)
    means = rng.choice(diffs, size=(_RESAMPLES, len(diffs))).mean(axis=1)
    return float(diffs.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def accuracy(path: Path) -> None:
    runs = [
        (None, True, "gold sentence count", "leave-one-out (held out)"),
        (None, False, "gold sentence count", "shipped (fitted on this file: in-sample)"),
        (0.3, True, "30% of sentences", "leave-one-out (held out)"),
        (0.5, True, "50% of sentences", "leave-one-out (held out)"),
    ]
    for ratio, heldout, length, weights in runs:
        rows = article_scores(path, ratio=ratio, heldout=heldout)
        print(table(path, rows, length, weights))
        if heldout and ratio is None:
            for metric in ("rouge2_f", "rouge2_r", "dice_sentences"):
                mean, low, high = bootstrap(rows, metric)
                print(f"  rasid - first k, {metric}: {100 * mean:+.1f} (95% CI {100 * low:+.1f} to {100 * high:+.1f})")
        print()


def weights(path: Path) -> None:
    records = read_easc(path)
    articles = []
    for record in records:
        sentences = article_sentences(record)
        articles.append(article_matrix(sentences, level2_gold(record, sentences)))
    fitted = describe(fit_weights(articles))
    print("weights fitted on all articles (ship these in rasid/summarize/rank.py):")
    print("  " + ", ".join(f"{k}={v}" for k, v in fitted.items()))
    print()


def speed(path: Path, seeds: Path) -> None:
    texts = [record["text"] for record in read_easc(path)]
    start = time.perf_counter()
    documents = [sentence_texts(text) for text in texts]
    split_time = time.perf_counter() - start
    count = sum(len(d) for d in documents)
    start = time.perf_counter()
    for _ in range(3):
        for sentences in documents:
            summarize(sentences)
    rank_time = (time.perf_counter() - start) / 3
    print(f"speed: splitting {count / split_time:,.0f} sentences/s; "
          f"ranking and selecting {count / rank_time:,.0f} sentences/s ({len(documents)} articles, {count} sentences)")
    if seeds.is_dir():
        story = [f.read_text(encoding="utf-8").split("\n", 1) for f in sorted(seeds.glob("*.txt"))]
        docs, titles = [sentence_texts(body) for _, body in story], [title for title, _ in story]
        start = time.perf_counter()
        summarize_story(docs, titles, max_sentences=8)
        elapsed = time.perf_counter() - start
        sentences = sum(map(len, docs))
        print(f"speed: story summary of the {len(docs)} seeds ({sentences} sentences) in {1000 * elapsed:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--easc", type=Path, default=SHARED / "data" / "easc" / "easc-dev.jsonl")
    parser.add_argument("--seeds", type=Path, default=SHARED / "corpus" / "seeds")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"rerun: python benchmarks/summaries.py --easc {args.easc}\n")
    accuracy(args.easc)
    weights(args.easc)
    speed(args.easc, args.seeds)


if __name__ == "__main__":
    main()

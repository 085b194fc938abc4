"""Extraction benchmark: the whole extract stage (figures, dates, places, actors, NER on
candidate sentences, sources, events) over SaudiNewsNet articles.

Prints articles per second (wall clock and CPU), the median and 95th-percentile time per
article, and peak memory. Target on 2 cores: >= 100 articles/s, memory < 1.5 GB.

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).
Rerun: python benchmarks/extract.py [--limit 31030] [--workers 2] [--no-ner] [--ner-model tuned|e5|crf]
"""
from __future__ import annotations

import argparse
import json
import lzma
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

from rasid.clean import clean
from rasid.extract.ner import resolve_model
from rasid.extract.run import ExtractOptions, extract_article
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.published import parse_published
from rasid.models import Article, Rejection
from rasid.executor import one_blas_thread

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
_OPTIONS = ExtractOptions()


def articles(path: Path, limit: int):
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit and number >= limit:
                return
            record = record_from_mapping(json.loads(line), f"{path}:{number + 1}")
            if isinstance(record, Rejection):  # too big, or a URL that cannot be parsed
                continue
            published, precision = parse_published(record.published)
            yield Article(id=str(number), text=record.text, title=record.title, published=published,
                          published_precision=precision)


def timed(article: Article) -> tuple[float, int]:
    started = time.perf_counter()
    extraction = extract_article(article, clean(article.text, article.title).sentences, _OPTIONS)
    return time.perf_counter() - started, len(extraction.events)


def _init(ner: bool, model: str = "auto", one_thread: bool = False) -> None:
    global _OPTIONS
    _OPTIONS = ExtractOptions(ner=ner, ner_model=model)
    if one_thread:
        one_blas_thread()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, default=5000, help="articles (0: all 31,030)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--ner-model", choices=["auto", "tuned", "e5", "crf"], default="crf",
                        help="e5 is about 30x slower per NER sentence; measure it with a small --limit")
    args = parser.parse_args()
    ner = not args.no_ner
    model = resolve_model(args.ner_model)
    _init(ner, model)
    timed(Article(id="warm", text="قال المرصد إن 53 شخصاً خرجوا من درعا البلد الخميس."))  # load models once
    wall = time.perf_counter()
    cpu = time.process_time()
    items = articles(Path(args.corpus), args.limit)
    if args.workers > 1:
        with multiprocessing.get_context("fork").Pool(args.workers, _init, (ner, model, True)) as pool:
            results = list(pool.imap(timed, items, chunksize=16))
    else:
        results = [timed(a) for a in items]
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    times = sorted(t for t, _ in results)
    peak = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(f"corpus: {args.corpus} ({len(results):,} articles); NER: {f'{model} model, on candidate sentences' if ner else 'off'}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; workers: {args.workers}")
    print("articles | events | wall s | articles/s | CPU s / article | median ms | p95 ms | peak MB")
    print("--- | --- | --- | --- | --- | --- | --- | ---")
    print(f"{len(results):,} | {sum(n for _, n in results):,} | {wall:.1f} | {len(results) / wall:,.0f} | "
          f"{cpu / len(results) * 1000:.1f} ms | {statistics.median(times) * 1000:.1f} | "
          f"{times[int(len(times) * 0.95)] * 1000:.1f} | {peak:,.0f}")
    print(f"rerun: python benchmarks/extract.py --limit {args.limit} --workers {args.workers}{' --no-ner' if not ner else f' --ner-model {model}'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

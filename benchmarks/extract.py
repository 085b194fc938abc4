"""Extraction benchmark: the whole extract stage (figures, dates, places, actors, NER on
candidate sentences, sources, events) over SaudiNewsNet articles.

Prints articles per second (wall clock and CPU), the median and 95th-percentile time per
article, and peak memory, one row per NER setting (--models off,crf,e5,tuned). Target on 2
cores: >= 200 articles/s without NER (issue 11), memory < 1.5 GB. --profile N prints instead
the functions that take the time, in one process over N articles (cProfile).

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).
Rerun: python benchmarks/extract.py [--limit 31030] [--workers 2] [--no-ner] [--ner-model e5|crf|tuned]
       python benchmarks/extract.py --limit 300 --models off,crf,tuned,e5
       python benchmarks/extract.py --profile 1000
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


def run(path: Path, limit: int, workers: int, ner: bool, model: str) -> str:
    """One table row: the extract stage over ``limit`` articles with NER off or on with ``model``."""
    _init(ner, model)
    timed(Article(id="warm", text="قال المرصد إن 53 شخصاً خرجوا من درعا البلد الخميس."))  # load models once
    wall = time.perf_counter()
    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    items = articles(path, limit)
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers, _init, (ner, model, True)) as pool:
            results = list(pool.imap(timed, items, chunksize=16))
    else:
        results = [timed(a) for a in items]
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - children
    times = sorted(t for t, _ in results)
    peak = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return (f"{model if ner else 'off'} | {len(results):,} | {sum(n for _, n in results):,} | {wall:.1f} | "
            f"{len(results) / wall:,.0f} | {cpu / len(results) * 1000:.1f} ms | {statistics.median(times) * 1000:.1f} | "
            f"{times[int(len(times) * 0.95)] * 1000:.1f} | {peak:,.0f}")


def profile(path: Path, limit: int, top: int = 25) -> None:
    """The functions of rasid that take the extract stage's time: inclusive share, own share."""
    import cProfile
    import pstats

    _init(False, "crf")
    items = [(a, clean(a.text, a.title).sentences) for a in articles(path, limit)]
    extract_article(items[0][0], items[0][1], _OPTIONS)  # lexicons load outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    for article, sentences in items:
        extract_article(article, sentences, _OPTIONS)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = next(v[3] for k, v in stats.items() if k[2] == "extract_article")
    rows = [(v[3], v[2], k) for k, v in stats.items() if "/rasid/" in k[0]]
    print(f"cProfile, one process, {len(items):,} articles, NER off: {total:.1f} s with the profiler's overhead")
    print("function | inclusive % | own %")
    print("--- | --- | ---")
    for inclusive, own, (file, line, name) in sorted(rows, reverse=True)[:top]:
        print(f"{file.split('/rasid/', 1)[1]}:{line} {name} | {inclusive / total * 100:.1f} | {own / total * 100:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, default=5000, help="articles (0: all 31,030)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--ner-model", choices=["auto", "e5", "crf", "tuned"], default="crf",
                        help="e5 is about 30x slower per NER sentence; measure it with a small --limit")
    parser.add_argument("--models", default="",
                        help="comma-separated rows to measure one after another: off, crf, e5, tuned, auto")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the functions that take the time over N articles (NER off) and stop")
    args = parser.parse_args()
    if args.profile:
        profile(Path(args.corpus), args.profile)
        return 0
    models = [m.strip() for m in args.models.split(",") if m.strip()] or \
        (["off"] if args.no_ner else [args.ner_model])
    unknown = [m for m in models if m not in ("off", "auto", "e5", "crf", "tuned")]
    if unknown:
        parser.error(f"--models: unknown {', '.join(unknown)}; use off, crf, e5, tuned or auto")
    print(f"corpus: {args.corpus} (first {args.limit:,} records); NER on candidate sentences when on")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; workers: {args.workers}")
    print("NER | articles | events | wall s | articles/s | CPU s / article | median ms | p95 ms | peak MB")
    print("--- | --- | --- | --- | --- | --- | --- | --- | ---")
    for model in models:
        ner = model != "off"
        print(run(Path(args.corpus), args.limit, args.workers, ner, resolve_model(model) if ner else "crf"), flush=True)
    print(f"rerun: python benchmarks/extract.py --limit {args.limit} --workers {args.workers} --models {','.join(models)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

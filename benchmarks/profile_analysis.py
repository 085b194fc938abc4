"""Where analysis spends its time: `rasid ingest` of SaudiNewsNet, timed stage by stage.

Ingests the first N articles into a fresh SQLite file (`--no-analyse`), then analyses the queue
with each stage function of `rasid.analysis` wrapped in a timer (wall seconds in the analysing
process; the extract and story-build stages fan out to the pool, so their wall time covers the
workers' CPU). `--cprofile` also prints the analysing process's heaviest functions.

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).

Rerun: python benchmarks/profile_analysis.py --limit 2000 [--batch 500] [--cprofile 25]
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import lzma
import os
import platform
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
STAGES = ("load_articles", "extract_all", "article_rows", "near_copies", "cluster_stories", "story_members",
          "rewrite_pairs", "rewrite_links", "build_stories")


def sample(corpus: Path, limit: int, folder: Path) -> Path:
    path = folder / "sample.jsonl"
    with lzma.open(corpus, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if limit and number >= limit:
                break
            out.write(line)
    return path


def timed(function, seconds: dict, cpu: dict):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[function.__name__] += time.perf_counter() - started
            cpu[function.__name__] += time.process_time() - cpu_started
    return wrapper


def wrap_stages(seconds: dict, cpu: dict) -> None:
    from rasid import analysis
    from rasid.store.sqlite import SQLiteStore

    for name in STAGES:
        if hasattr(analysis, name):  # older trees name some stages otherwise
            setattr(analysis, name, timed(getattr(analysis, name), seconds, cpu))
    SQLiteStore.write_analysis = timed(SQLiteStore.write_analysis, seconds, cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=0, help="analysis.batch_size (0: the default)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the N heaviest functions")
    args = parser.parse_args()
    if args.batch:
        os.environ["RASID_ANALYSIS_BATCH_SIZE"] = str(args.batch)
    os.environ["RASID_INGEST_WORKERS"] = str(args.workers)
    from rasid import pipeline
    from rasid.settings import load_settings
    from rasid.store.base import open_store

    settings = load_settings()
    seconds: dict = defaultdict(float)
    cpu: dict = defaultdict(float)
    with tempfile.TemporaryDirectory() as tmp:
        source = sample(args.corpus, args.limit, Path(tmp))
        with open_store(f"sqlite:///{tmp}/p.db") as store:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = pipeline.ingest(store, [str(source)], settings)
            ingest_s, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu_started
            wrap_stages(seconds, cpu)
            profile = cProfile.Profile() if args.cprofile else None
            started, cpu_started = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            analysed = pipeline.analyse(store, settings)
            if profile:
                profile.disable()
            analyse_s, analyse_cpu = time.perf_counter() - started, time.process_time() - cpu_started
            problems = store.check()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"corpus: {args.corpus.name}, first {args.limit:,} lines; analysis batch {settings.analysis.batch_size:,}")
    print(f"ingest: {report.read:,} read in {ingest_s:.1f} s; {analysed}")
    print("rasid check: " + ("clean" if not problems else "; ".join(map(str, problems))) + "\n")
    total, total_cpu = ingest_s + analyse_s, ingest_cpu + analyse_cpu
    print("| stage | wall s | CPU s (this process) | share of CPU |\n|---|---:|---:|---:|")
    print(f"| ingest + clean + store | {ingest_s:.1f} | {ingest_cpu:.1f} | {ingest_cpu / total_cpu:.0%} |")
    for name in (*STAGES, "write_analysis"):
        print(f"| {name} | {seconds[name]:.1f} | {cpu[name]:.1f} | {cpu[name] / total_cpu:.0%} |")
    rest, rest_cpu = analyse_s - sum(seconds.values()), analyse_cpu - sum(cpu.values())
    print(f"| rest of analysis (queue, lease) | {rest:.1f} | {rest_cpu:.1f} | {rest_cpu / total_cpu:.0%} |")
    print(f"| **total** | {total:.1f} | {total_cpu:.1f} | {report.read / total:.0f} articles/s wall |")
    if profile:
        print()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())

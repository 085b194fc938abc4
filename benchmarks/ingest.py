"""Ingest benchmark: SaudiNewsNet (31,030 articles) into a fresh SQLite database, twice.

Measures ingest + clean + store (analysis off), as `rasid ingest --no-analyse` runs it:
articles per second, peak memory (max RSS of this process and its cleaning workers) and the
database size; then the same for a second, unchanged run, and the speed-up of that re-run.

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).
Machine: whatever runs it (this prints nproc); the targets are for 2 cores:
>= 500 articles/s, peak memory < 1 GB, unchanged re-run >= 5x faster.

Rerun: python benchmarks/ingest.py [--limit N] [--workers 2] [--keep DB]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from rasid import pipeline
from rasid.settings import load_settings
from rasid.store import open_store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def db_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def run(store, source: str, settings, workers: int) -> tuple[pipeline.IngestReport, float]:
    started = time.perf_counter()
    report = pipeline.ingest(store, [source], settings, workers=workers)
    return report, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="write the database here and keep it")
    args = parser.parse_args()
    source = args.corpus
    tmp = tempfile.TemporaryDirectory()
    if args.limit:
        import lzma

        source = os.path.join(tmp.name, "sample.jsonl")
        with lzma.open(args.corpus, "rt", encoding="utf-8") as f, open(source, "w", encoding="utf-8") as out:
            for i, line in zip(range(args.limit), f):
                out.write(line)
    db = Path(args.keep or os.path.join(tmp.name, "bench.db"))
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    settings = load_settings(environ={})
    rows = []
    with open_store(str(db)) as store:
        for label in ("first run", "unchanged re-run"):
            report, seconds = run(store, source, settings, args.workers)
            c = report.counts
            rows.append((label, report.read, c["new"], c["unchanged"], c["rejected"], report.exact_copies,
                         seconds, report.read / seconds, peak_mb(), db_size_mb(db)))
    print(f"corpus: {args.corpus}{f' (first {args.limit})' if args.limit else ''}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"workers: {args.workers}")
    header = ("run", "read", "new", "unchanged", "rejected", "exact copies", "seconds", "articles/s", "peak MB", "db MB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        print(" | ".join(f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else v for v in row))
    print(f"unchanged re-run speed-up: {rows[0][6] / rows[1][6]:.1f}x")
    print("rerun: python benchmarks/ingest.py" + (f" --limit {args.limit}" if args.limit else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

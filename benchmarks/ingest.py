"""Ingest benchmark: SaudiNewsNet (31,030 articles) into a fresh SQLite database, twice.

Measures ingest + clean + store (analysis off), as `rasid ingest --no-analyse` runs it:
articles per second, the CPU seconds of the writer (this process) and of its cleaning pool (on a
machine shared with other work, wall time swells while CPU time stays what the work costs), peak
memory (max RSS of this process and its cleaning workers) and the database size; then the same for
a second, unchanged run, and the speed-up of that re-run.

``--dump FILE`` writes what the first run stored (articles with their ingest times left out, the
full-text rows and the index's own pages, fingerprints, queue, refusals) one row a line and prints
its SHA-256: two trees that store the same bytes print the same hash. ``--dump FILE --of DB``
only dumps a database written before (by ``rasid ingest --no-analyse`` on the same input file).

``--stages`` measures the pool's side alone: the CPU seconds of each step of one pool worker's
share of the records (every other chunk of 32, after the common words' terms and the language
model are loaded, as a forked worker starts), in this one process, the steps timed by wrapping
the functions the pool calls. Run it with ``PYTHONPATH`` set to another tree to compare trees.

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).
Machine: whatever runs it (this prints nproc); the targets are for 2 cores:
>= 500 articles/s, peak memory < 1 GB, unchanged re-run >= 5x faster.

Rerun: python benchmarks/ingest.py [--limit N] [--workers 2] [--keep DB] [--dump FILE [--of DB]] [--stages]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import sqlite3
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


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run(store, source: str, settings, workers: int) -> tuple[pipeline.IngestReport, float, float, float]:
    """The report, the seconds, and the CPU seconds of this process and of the pool's workers."""
    started = time.perf_counter()
    own, pool = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    report = pipeline.ingest(store, [source], settings, workers=workers)
    return (report, time.perf_counter() - started, cpu_seconds(resource.RUSAGE_SELF) - own,
            cpu_seconds(resource.RUSAGE_CHILDREN) - pool)


# What ingest stores, in a fixed order: the ingest and update times are left out (they differ
# from run to run), everything else is compared as stored, the full-text index's pages included.
DUMP = {
    "articles": "SELECT rowid, id, content_hash, duplicate_of, outlet, url, origin, title, author, language, published, "
                "published_precision, text, clean_text, meta, record_hash FROM articles ORDER BY rowid",
    "fts": "SELECT rowid, id, terms FROM articles_fts ORDER BY rowid",
    "fts_data": "SELECT id, block FROM articles_fts_data ORDER BY id",
    "seen": "SELECT fingerprint, article_id FROM seen_records ORDER BY fingerprint",
    "queue": "SELECT article_id FROM analysis_queue ORDER BY article_id",
    "rejections": "SELECT seq, origin, reason, fix FROM rejections ORDER BY seq",
}


def dump(db: Path, out: Path) -> str:
    """Write the stored rows of ``DUMP`` to ``out``, one a line; their SHA-256."""
    digest = hashlib.sha256()
    con = sqlite3.connect(db)
    with open(out, "w", encoding="utf-8", errors="surrogatepass") as f:
        for table, sql in DUMP.items():
            for row in con.execute(sql):
                line = table + "\t" + "\t".join(repr(value) for value in row) + "\n"
                f.write(line)
                digest.update(line.encode("utf-8", "surrogatepass"))
    con.close()
    return digest.hexdigest()


# The functions a pool worker calls, by the module that calls them: (module, name, step).
STAGES = (("rasid.pipeline", "clean", "clean"), ("rasid.ingest.identity", "content_hash", "content hash"),
          ("rasid.ingest.identity", "detect_language", "language"), ("rasid.store.codec", "record_hash", "record hash"),
          ("rasid.store.codec", "search_text", "search terms"))


def stages(corpus: str, limit: int) -> dict[str, float]:
    """CPU seconds of each step of one pool worker's share (see the module's docstring)."""
    import importlib
    import pickle
    from itertools import islice

    from rasid.ingest.identity import warm
    from rasid.ingest.sources import read_inputs

    settings = load_settings(environ={})
    items = list(islice(read_inputs([corpus], pipeline.read_options(settings)), limit or None))
    share = [item for i, item in enumerate(items) if (i // pipeline._CHUNK) % 2 == 0]
    spent = {step: 0.0 for _, _, step in STAGES} | {"pickling": 0.0}

    def timed(function, step):
        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step] += time.process_time() - started
        return run

    warm()  # before the wrapping: loading the model is not a step
    for module, name, step in STAGES:
        module = importlib.import_module(module)
        setattr(module, name, timed(getattr(module, name), step))
    started = time.process_time()
    for item in share:
        result = pipeline._stored_form(settings, None, (item, ""))
        before = time.process_time()
        pickle.dumps(result)
        spent["pickling"] += time.process_time() - before
    total = time.process_time() - started
    spent["the rest (article, row, checks)"] = total - sum(spent.values())
    spent["one worker's share"] = total
    print(f"{len(share):,} of {len(items):,} records (one worker's share)")
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="write the database here and keep it")
    parser.add_argument("--dump", type=Path, help="write what the first run stored to this file (see above)")
    parser.add_argument("--of", type=Path, help="with --dump: dump this database instead of running")
    parser.add_argument("--stages", action="store_true", help="CPU seconds of each step of one pool worker's share")
    args = parser.parse_args()
    if args.stages:
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for step, seconds in stages(args.corpus, args.limit).items():
            print(f"{step:<32} {seconds:6.2f} cpu s")
        return 0
    if args.of:
        if not args.dump or not args.of.is_file():
            parser.error("--of DB needs --dump FILE and an existing database file")
        print(f"{args.of}: {args.dump} sha256 {dump(args.of, args.dump)}")
        return 0
    source = args.corpus
    tmp = tempfile.TemporaryDirectory()
    if args.limit:
        import lzma

        # A fixed path: the records' origins (and so their record hashes) are the same every run.
        source = os.path.join(tempfile.gettempdir(), f"rasid-ingest-sample-{args.limit}.jsonl")
        with lzma.open(args.corpus, "rt", encoding="utf-8") as f, open(source, "w", encoding="utf-8") as out:
            for i, line in zip(range(args.limit), f):
                out.write(line)
    db = Path(args.keep or os.path.join(tmp.name, "bench.db"))
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    settings = load_settings(environ={})
    rows = []
    stored = ""
    with open_store(str(db)) as store:
        for label in ("first run", "unchanged re-run"):
            report, seconds, own, pool = run(store, source, settings, args.workers)
            c = report.counts
            rows.append((label, report.read, c["new"], c["unchanged"], c["rejected"], report.exact_copies,
                         seconds, report.read / seconds, own, pool, peak_mb(), db_size_mb(db)))
            if args.dump and not stored:
                stored = dump(db, args.dump)
    print(f"corpus: {args.corpus}{f' (first {args.limit})' if args.limit else ''}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"workers: {args.workers}")
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    header = ("run", "read", "new", "unchanged", "rejected", "exact copies", "seconds", "articles/s",
              "writer cpu s", "pool cpu s", "peak MB", "db MB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        print(" | ".join(f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else v for v in row))
    print(f"unchanged re-run speed-up: {rows[0][6] / rows[1][6]:.1f}x")
    if stored:
        print(f"stored by the first run: {args.dump} sha256 {stored}")
    print("rerun: python benchmarks/ingest.py" + (f" --limit {args.limit}" if args.limit else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dask gives the local record: the whole pipeline on N SaudiNewsNet reports, once on the local
process pool into SQLite and once on a Dask LocalCluster (into SQLite, or PostgreSQL with --db),
then every part of the two records compared.

Prints one table: for each part of the record (articles and their copy links, extractions, event
mentions, merged events, stories and their members, duplicate links), how many each run stored,
how many differ, and the seconds of each run. Exit status 1 when anything differs.

Corpus: the first N lines of ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0,
Alshehri 2015). Both runs use the same settings (NER as `analysis.ner = auto` decides for the batch).
tests/test_executor.py runs it in the suite on 2,000 reports with NER off into SQLite (about two
minutes on 2 cores), and compares Dask on PostgreSQL with the local SQLite run on the seeds
(docs/scale.md).

Rerun: python benchmarks/dask_equivalence.py [--limit 2000] [--workers 2] [--db postgresql://...]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import sample  # noqa: E402  (one way to cut the corpus for every benchmark)

CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
ALL = 10 ** 7  # "every row" for the store's paged lists


def run(db: str, source: Path, env: dict) -> float:
    """Seconds of one `rasid ingest` (store, then analyse) on ``db``."""
    command = [sys.executable, "-m", "rasid", "--db", db, "ingest", str(source), "-q"]
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"rasid ingest on {db} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def _key(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(db: str) -> dict[str, dict[str, str]]:
    """Each part of the record as {row key: its content}, times left out."""
    from rasid.store import open_store

    with open_store(db) as store:
        ids = store.article_ids()
        articles = {a: store.get_article(a) for a in ids}
        stories = store.list_stories(limit=ALL)
        extractions = {a: store.get_extraction(a) for a in ids}
        return {
            "articles (id, hash, copy of)": {a: _key([x.content_hash, x.duplicate_of, x.clean_text])
                                             for a, x in articles.items()},
            "extractions": {a: _key(x.to_dict()) for a, x in extractions.items() if x},
            "event mentions": {f"{a}:{e.id}": _key(e) for a, x in extractions.items() if x for e in x.events},
            "merged events": {e.id: _key([e.story_id, e.data]) for e in store.list_events(limit=ALL)},
            "stories": {s.id: _key(s.to_dict()) for s in stories},
            "story members": {s.id: _key(sorted(s.article_ids)) for s in stories},
            "duplicate links": {f"{a}|{link.other_id}|{link.kind}": f"{link.score:.6f}"
                                for a in ids for link in store.get_duplicate_links(a)},
        }


def compare(local: dict, dask: dict) -> list[tuple[str, int, int, int]]:
    rows = []
    for part in local:
        mine, theirs = local[part], dask[part]
        differ = sum(mine.get(k) != theirs.get(k) for k in set(mine) | set(theirs))
        rows.append((part, len(mine), len(theirs), differ))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="the first N SaudiNewsNet reports (2000)")
    parser.add_argument("--workers", type=int, default=2, help="local pool workers and Dask workers (2)")
    parser.add_argument("--db", default="", help="an empty PostgreSQL database URL for the Dask run "
                                                 "(default: a SQLite file)")
    args = parser.parse_args()
    if not CORPUS.exists():
        parser.error(f"SaudiNewsNet is missing: {CORPUS}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = sample(CORPUS, args.limit, folder)
        local_db, dask_db = str(folder / "local.db"), args.db or str(folder / "dask.db")
        local_s = run(local_db, source, {"RASID_EXECUTOR_KIND": "local", "RASID_INGEST_WORKERS": str(args.workers)})
        dask_s = run(dask_db, source, {"RASID_EXECUTOR_KIND": "dask", "RASID_EXECUTOR_DASK_WORKERS": str(args.workers)})
        rows = compare(record(local_db), record(dask_db))
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"corpus: first {args.limit:,} SaudiNewsNet reports; local pool of {args.workers} into SQLite "
          f"({local_s:.1f} s) against a Dask LocalCluster of {args.workers} into {backend} ({dask_s:.1f} s)\n")
    print(f"{'part of the record':<30}{'local':>8}{'dask':>8}{'differ':>8}")
    for part, mine, theirs, differ in rows:
        print(f"{part:<30}{mine:>8,}{theirs:>8,}{differ:>8,}")
    same = all(differ == 0 and mine == theirs for _, mine, theirs, differ in rows)
    print(f"\n{'identical' if same else 'DIFFERENT'}")
    print("rerun: python benchmarks/dask_equivalence.py " + " ".join(sys.argv[1:]))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

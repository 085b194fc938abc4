"""Whole-pipeline benchmark: SaudiNewsNet through `rasid ingest`, end to end, on each executor.

Prints one table: for each run, articles per second, seconds, CPU seconds (the run's processes
together: on a machine shared with other work, wall time swells while CPU time stays about what
the work costs), and peak memory (the largest process: rasid itself, a pool worker or a Dask
worker). The runs, each on a fresh SQLite file:

- floor: what one process must do at least to store the corpus (decompress, parse JSON,
  normalise, hash, insert into SQLite with FTS5), written here in a few lines;
- ingest: `rasid ingest --no-analyse` (read, clean, store), and its ratio to the floor;
- pipeline: `rasid ingest` with analysis (extract, duplicates, stories, events), on the local
  process pool, then on a Dask LocalCluster of 1 and of 2 workers (the ratio of 2 to 1 shows
  how the work spreads).

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (31,030 articles, CC BY-NC-SA 4.0,
Alshehri 2015). Targets on 2 cores: ingest >= 50 % of the floor; pipeline >= 170 articles/s;
Dask 2 workers >= 1.7x one; peak memory < 2 GB.

Rerun: python benchmarks/pipeline.py [--limit N] [--runs floor,ingest,local,dask1,dask2] [--ner off]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
RUNS = ("floor", "ingest", "local", "dask1", "dask2")


def _normalizer():
    try:
        from rasid.arabic.normalize import match_key
    except ImportError:  # before the Arabic room existed
        from rasid.clean.normalize import match_key
    return match_key


def floor(corpus: Path, limit: int, db: Path) -> int:
    """Decompress, parse, normalise, hash and store with FTS5, in one process: the least work."""
    match_key = _normalizer()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE a (id TEXT PRIMARY KEY, title TEXT, text TEXT, key TEXT)")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(key, content='')")
    count = 0
    with lzma.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            if limit and count >= limit:
                break
            record = json.loads(line)
            text = record.get("content") or ""
            key = match_key(text)
            ident = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
            cur = con.execute("INSERT OR IGNORE INTO a VALUES (?, ?, ?, ?)", (ident, record.get("title"), text, key))
            if cur.rowcount:
                con.execute("INSERT INTO f (rowid, key) VALUES (?, ?)", (cur.lastrowid, key))
            count += 1
            if count % 500 == 0:
                con.commit()
    con.commit()
    con.close()
    return count


def sample(corpus: Path, limit: int, folder: Path) -> Path:
    if not limit:
        return corpus
    path = folder / "sample.jsonl"
    with lzma.open(corpus, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            out.write(line)
    return path


# Runs a command and prints the peak RSS (KB) of its largest process, itself or a descendant, and
# the CPU seconds of them all (those that ended: pool workers are joined, Dask's are not counted).
_MEASURE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(code)")


def rasid_ingest(source: Path, db: Path, env: dict, analyse: bool) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak MB of one `rasid ingest` run."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "rasid", "--db", str(db), "ingest", str(source), "-q"]
    if not analyse:
        command.append("--no-analyse")
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"rasid ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak, cpu = done.stderr.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(peak) / 1024


def run_one(name: str, source: Path, corpus: Path, limit: int, folder: Path,
            workers: int, ner: str = "on") -> tuple[float, float, float]:
    db = folder / f"{name}.db"
    if name == "floor":
        started, cpu = time.perf_counter(), time.process_time()
        floor(corpus, limit, db)
        return (time.perf_counter() - started, time.process_time() - cpu,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    env = {"RASID_INGEST_WORKERS": str(workers), "RASID_EXECUTOR_KIND": "local"}
    if name.startswith("dask"):
        env = {"RASID_EXECUTOR_KIND": "dask", "RASID_EXECUTOR_DASK_WORKERS": name[4:]}
    if ner == "off":
        env["RASID_ANALYSIS_NER"] = "false"
    return rasid_ingest(source, db, env, analyse=name != "ingest")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all 31,030)")
    parser.add_argument("--workers", type=int, default=2, help="local pool workers")
    parser.add_argument("--runs", default=",".join(RUNS), help=f"comma-separated, of: {', '.join(RUNS)}")
    parser.add_argument("--ner", choices=["on", "off"], default="on",
                        help="on: the settings' default (analysis.ner = auto, the tuned model on every "
                             "batch); off: analysis.ner = false")
    args = parser.parse_args()
    runs = [r for r in args.runs.split(",") if r]
    unknown = set(runs) - set(RUNS)
    if unknown:
        parser.error(f"unknown runs {sorted(unknown)}; use {', '.join(RUNS)}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = sample(args.corpus, args.limit, folder)
        articles = args.limit or sum(1 for _ in lzma.open(args.corpus, "rt", encoding="utf-8"))
        print(f"corpus: {args.corpus.name}, {articles:,} articles; NER {args.ner}\n")
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{'run':<10} {'seconds':>8} {'articles/s':>11} {'cpu s':>7} {'peak MB':>8}  note")
        rates: dict[str, float] = {}
        cpus: dict[str, float] = {}
        for name in runs:
            seconds, cpus[name], peak = run_one(name, source, args.corpus, args.limit, folder, args.workers, args.ner)
            rates[name] = articles / seconds
            note = ""
            if name == "ingest" and "floor" in rates:
                note = (f"{rates['ingest'] / rates['floor']:.0%} of the floor; CPU {cpus['ingest'] / cpus['floor']:.1f}x "
                        "the floor's")
            if name == "dask2" and "dask1" in rates:
                note = f"{rates['dask2'] / rates['dask1']:.2f}x one Dask worker"
            print(f"{name:<10} {seconds:>8.1f} {rates[name]:>11.1f} {cpus[name]:>7.1f} {peak:>8.0f}  {note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

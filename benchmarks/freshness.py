"""Freshness: seconds from a report landing in a watched folder to its story in /api/stories.

    python benchmarks/freshness.py                  # 9 drops: the five seeds, then SaudiNewsNet reports
    python benchmarks/freshness.py --drops 5 --debounce 0.5s
    python benchmarks/freshness.py --ner-model crf  # the fast NER model for the watcher
    python benchmarks/freshness.py --record 5000    # drops land on a record of 5,000 analysed reports
    python benchmarks/freshness.py --record 10000 --record-db ../fresh-data/rec10k.db   # preload once, reuse
    python benchmarks/freshness.py --record 20000 --record-db ../live2-data/rec20k.db --drops 7 [--exact]
        # live batches on a large record: incremental stories (the shipped live.incremental_above),
        # or with --exact every batch reclusters the whole record (live.incremental_above = 0)
    python benchmarks/freshness.py --record 10000 --record-db ../fresh-data/rec10k.db --clustering-cpu
        # no watcher: the CPU seconds of the clustering step of each drop's batch, in one process
        # (as in the watcher), a measure a loaded machine does not distort

Starts `rasid serve` and `rasid watch` (its shipped [live] settings unless --debounce /
--scan-every are given) on a fresh SQLite database and an empty folder in a temporary directory,
then drops reports into the folder one at a time, as a mover would (written under a hidden
name, then renamed), and polls /api/stories every 50 ms until the stories count one more
report. With --record N the database first holds the first N SaudiNewsNet reports, ingested and
analysed (NER off, to save time: it does not change what a later batch costs), and the drops come
from after them; a drop then counts when /api/stats shows one more analysed article (the
extraction and its story are written in one transaction). Prints the latency of each drop, the part of it the watcher spent ingesting and
analysing (from its log line), and their medians; target: median < 5 s.
Only the loopback address is contacted.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import sample  # noqa: E402  (one way to cut the corpus for every benchmark)

SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
TARGET = 5.0
INCREMENTAL_ABOVE = 5000  # the shipped live.incremental_above


def reports(count: int, after: int = 0) -> list[tuple[str, str]]:
    """(file name, seed-style text): the seeds, then SaudiNewsNet reports spread over the corpus
    (from line ``after`` on, so none is already in a preloaded record)."""
    found = [(p.name, p.read_text(encoding="utf-8")) for p in SEEDS][:count]
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if len(found) >= count:
                break
            if number < after:
                continue
            record = json.loads(line)
            if number % 997 == 0 and record.get("content") and record.get("title"):
                found.append((f"saudinewsnet-{number}.txt", f"{record['title']}\n{record['content']}"))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rasid(db: Path, *arguments: str, env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "rasid", "--db", str(db), *arguments], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def reports_in_stories(client: httpx.Client) -> int:
    answer = client.get("/api/stories", params={"limit": 500})
    answer.raise_for_status()
    return sum(story["n_articles"] for story in answer.json()["data"])


def analysed(client: httpx.Client) -> int:
    answer = client.get("/api/stats")
    answer.raise_for_status()
    return answer.json()["data"]["extracted"]


def preload(db: Path, count: int) -> float:
    """The first ``count`` SaudiNewsNet reports ingested and analysed into ``db``; seconds taken."""
    source = sample(SAUDINEWSNET, count, db.parent)
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASID_ANALYSIS_NER": "false"}
    done = subprocess.run([sys.executable, "-m", "rasid", "--db", str(db), "ingest", str(source), "-q"],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"preloading {count} reports failed:\n{done.stderr[-2000:]}")
    return time.monotonic() - started


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (its WAL included), through SQLite's backup."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def prepare_record(db: Path, count: int, kept: Path | None) -> None:
    """``db`` holds the first ``count`` reports analysed: copied from ``kept`` when that exists,
    else preloaded (and then saved to ``kept`` when given, for the next run)."""
    if kept is not None and kept.exists():
        print(f"  copying the preloaded record {kept} ...", file=sys.stderr)
        copy_db(kept, db)
        return
    print(f"  preloading {count:,} SaudiNewsNet reports ...", file=sys.stderr)
    print(f"  preloaded in {preload(db, count):.0f} s", file=sys.stderr)
    if kept is not None:
        copy_db(db, kept)


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def drop(folder: Path, name: str, text: str) -> float:
    """Write under a hidden name, then rename: the watcher sees the whole file at once."""
    hidden = folder / f".{name}"
    hidden.write_text(text, encoding="utf-8")
    hidden.rename(folder / name)
    return time.monotonic()


def batch_seconds(watcher: subprocess.Popen) -> dict[str, float]:
    """The watcher's own time per file (its log line ends 'in 1.2 s'), filled in as lines arrive."""
    seconds: dict[str, float] = {}

    def read() -> None:
        for line in watcher.stdout:
            found = (re.search(r"\(([^)]+)\): .* in ([\d.]+) s$", line.strip())
                     or re.search(r"full pass \(([^)]+)\) .* in ([\d.]+) s$", line.strip()))  # of the stories
            if found:
                seconds[found.group(1)] = float(found.group(2))

    threading.Thread(target=read, daemon=True).start()
    return seconds


def measure(args) -> list[tuple[str, float, float]]:
    work = Path(tempfile.mkdtemp(prefix="rasid-freshness-"))
    db, inbox, port = work / "fresh.db", work / "inbox", free_port()
    inbox.mkdir()
    watch_flags = [f for flag, value in (("--debounce", args.debounce), ("--scan-every", args.scan_every))
                   if value for f in (flag, value)]
    if args.record:
        prepare_record(db, args.record, Path(args.record_db) if args.record_db else None)
    env = {"RASID_ANALYSIS_NER_MODEL": args.ner_model} if args.ner_model else {}
    if args.exact:
        env["RASID_LIVE_INCREMENTAL_ABOVE"] = "0"
    watcher = rasid(db, "watch", str(inbox), *watch_flags, env=env)
    wait_until(lambda: "watching" in watcher.stderr.readline(), 120, "rasid watch to start")
    processing = batch_seconds(watcher)
    if args.record >= INCREMENTAL_ABOVE and not args.exact:  # its first full pass, before the first drop
        wait_until(lambda: "start" in processing, 900, "the watcher's first full pass of the stories")
        print(f"  first full pass: {processing['start']:.1f} s", file=sys.stderr)
    server = rasid(db, "serve", "--port", str(port))
    latencies = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            wait_until(lambda: client.get("/api/stories").status_code == 200, 180, "rasid serve to answer")
            count = analysed if args.record else reports_in_stories
            for name, text in reports(args.drops, after=args.record):
                before = count(client)
                landed = drop(inbox, name, text)
                wait_until(lambda: count(client) > before, 300, f"{name} in /api/stories")
                seen = time.monotonic() - landed
                wait_until(lambda: name in processing, 10, f"the watcher's log line for {name}")
                latencies.append((name, seen, processing[name]))
                print(f"  {name:<36} {seen:6.2f} s ({processing[name]:.2f} s ingest + analysis)", file=sys.stderr)
    finally:
        for process in (watcher, server):
            process.terminate()
            process.wait(timeout=60)
    return latencies


def clustering_cpu(args) -> None:
    """CPU seconds of ``analysis.cluster_stories`` for each drop as a one-report batch on a copy
    of the record, in one process (the first pays the cold caches, as the watcher's first batch)."""
    sys.path.insert(0, str(ROOT))
    from rasid import analysis
    from rasid.cluster.features import article_features
    from rasid.models import Article
    from rasid.store import open_store

    work = Path(tempfile.mkdtemp(prefix="rasid-freshness-"))
    prepare_record(work / "fresh.db", args.record, Path(args.record_db) if args.record_db else None)
    print("| drop | report | clustering CPU s | wall s |\n|---|---|---|---|")
    with open_store(str(work / "fresh.db")) as store:
        for number, (name, text) in enumerate(reports(args.drops, after=args.record), 1):
            title, _, body = text.partition("\n")
            features = [article_features(Article(id=name, text=body, title=title))]
            wall, cpu = time.perf_counter(), time.process_time()
            analysis.cluster_stories(store, features)
            print(f"| {number} | {name} | {time.process_time() - cpu:.2f} | {time.perf_counter() - wall:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drops", type=int, default=9, help="reports to drop, one at a time (default 9)")
    parser.add_argument("--debounce", help="rasid watch --debounce (default: the [live] setting, 1s)")
    parser.add_argument("--scan-every", help="rasid watch --scan-every (default: the [live] setting, 0.5s)")
    parser.add_argument("--ner-model", choices=["auto", "tuned", "e5", "crf"],
                        help="analysis.ner_model for the watcher (default: the setting, auto = tuned)")
    parser.add_argument("--record", type=int, default=0, metavar="N",
                        help="first ingest and analyse the first N SaudiNewsNet reports (default 0: an empty record)")
    parser.add_argument("--record-db", metavar="PATH",
                        help="keep the preloaded record in PATH and reuse it on later runs with the same --record "
                             "(it is copied, never changed)")
    parser.add_argument("--exact", action="store_true",
                        help="every live batch reclusters the whole record (live.incremental_above = 0), "
                             "not the incremental stories a large record gets by default")
    parser.add_argument("--clustering-cpu", action="store_true",
                        help="no watcher: print the CPU seconds of each drop's clustering step (needs --record)")
    args = parser.parse_args()
    if args.record_db and not args.record:
        parser.error("--record-db needs --record N (the number of reports the kept record holds)")
    if args.clustering_cpu:
        clustering_cpu(args)
        return
    latencies = measure(args)
    values, work = [seen for _, seen, _ in latencies], [spent for _, _, spent in latencies]
    median = statistics.median(values)
    print(f"\nFreshness: file dropped in a watched folder -> its story in /api/stories "
          f"({platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"debounce {args.debounce or 'default'}, scan {args.scan_every or 'default'}, "
          f"NER model {args.ner_model or 'default'}; record of {args.record:,} reports before the drops; "
          f"stories {'exact' if args.exact or args.record < INCREMENTAL_ABOVE else 'incremental'})\n")
    print("| drop | report | seconds to the API | of which ingest + analysis |\n|---|---|---|---|")
    for number, (name, seen, spent) in enumerate(latencies, 1):
        print(f"| {number} | {name} | {seen:.2f} | {spent:.2f} |")
    print("\n| drops | median | fastest | slowest | median ingest + analysis | target |\n|---|---|---|---|---|---|")
    print(f"| {len(values)} | {median:.2f} s | {min(values):.2f} s | {max(values):.2f} s | "
          f"{statistics.median(work):.2f} s | < {TARGET:.0f} s: {'met' if median < TARGET else 'NOT met'} |")


if __name__ == "__main__":
    main()

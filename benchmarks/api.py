"""API latency under 20 concurrent clients, on SaudiNewsNet (31,030 articles) plus the five seeds.

    python benchmarks/api.py                      # fresh database in benchmarks/out/, 2,000 requests
    python benchmarks/api.py --reuse --requests 4000
    python benchmarks/api.py --db postgresql://postgres@127.0.0.1:PORT/rasid_test   # on PostgreSQL
    python benchmarks/copy_record.py benchmarks/out/api.db postgresql://…/rasid_pgapi   # the same record
    python benchmarks/api.py --reuse --db postgresql://…/rasid_pgapi                     # on both backends

Loads the corpus into a fresh SQLite store (or into an empty PostgreSQL database given by --db URL;
start a throwaway server with scripts/postgres-test-server.sh) with the pipeline (rasid.pipeline.ingest), runs the
analysis (extraction, duplicates, stories; --no-analyse skips it), starts `rasid serve --workers <cores>` on 127.0.0.1 on a
free port in a subprocess, then 20 clients send a fixed number of requests to the list, story and search
endpoints (threads with keep-alive connections) and the script prints p50/p95/p99, errors and response-cache
hits per endpoint, and the server's CPU per request (and, for a PostgreSQL server on this machine, its
backends' CPU per request). Target: p95 < 100 ms, no errors.
--cache-entries 0 turns the servers' response cache off (serve.cache_entries).
Only the loopback address is ever contacted.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = [SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz", SHARED / "corpus" / "seeds"]
SEARCH_WORDS = ["السعودية", "الرياض", "اليمن", "الحوثي", "داعش", "سوريا", "النفط", "مكة", "درعا", "الأمطار",
                "وزير الخارجية", "مجلس الأمن", "الهلال", "التعليم", "الحج"]


def is_url(db: str) -> bool:
    return "://" in db


def load(db: str, analyse: bool) -> str:
    from rasid import pipeline
    from rasid.settings import load_settings
    from rasid.store import open_store

    settings = load_settings(None)
    started = time.perf_counter()
    with open_store(db) as store:
        report = pipeline.ingest(store, [str(p) for p in CORPUS], settings)
        note = f"ingested {report.read:,} records ({report.counts}) in {time.perf_counter() - started:.0f} s"
        if analyse:
            started = time.perf_counter()
            note += f"; {pipeline.analyse(store, settings, report.changed_ids)}"
    return note

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, workers: int, log_folder: Path, cache_entries: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "rasid", "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    log = open(log_folder / "server.log", "wb")
    env = {**os.environ, "RASID_SERVE_CACHE_ENTRIES": str(cache_entries)}
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 300  # a loaded machine takes minutes to import the app
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"the server did not start; see {log.name}")


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds the server and its worker processes have used (Linux /proc; 0 elsewhere): what
    requests cost on a shared machine, where the wall clock mostly measures the queue for a core."""
    pids = [server.pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        ticks = os.sysconf("SC_CLK_TCK")
        return sum(sum(int(x) for x in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13])
                   for pid in pids) / ticks
    except (OSError, ValueError):
        return 0.0


def database_cpu(db: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving Rasid (application_name 'rasid') when the
    server runs on this machine (its /proc readable), by backend pid; {} for SQLite or elsewhere.
    A request on PostgreSQL costs CPU in the database server's processes too."""
    if not is_url(db):
        return {}
    import psycopg

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'rasid' "
                                           "AND datname = current_database()")]
    ticks, out = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError, IndexError):
            continue
    return out


def plan(total: int, story_ids: list[str], seed: int = 7) -> list[tuple[str, str]]:
    """A fixed, shuffled list of (endpoint label, path) covering lists, stories and search equally.
    The paths vary as readers' do (40 pages of each list, 500 stories, 15 searches on 3 pages each),
    so a response cache meets each path several times in 2,000 requests, not every time."""
    rng = random.Random(seed)
    makers = {
        "GET /api/articles": lambda: f"/api/articles?limit=50&offset={rng.randrange(0, 2000, 50)}",
        "GET /api/stories": lambda: f"/api/stories?limit=50&offset={rng.randrange(0, 2000, 50)}",
        "GET /api/stories/{id}": lambda: f"/api/stories/{quote(rng.choice(story_ids))}",
        "GET /api/events": lambda: f"/api/events?limit=50&offset={rng.randrange(0, 2000, 50)}",
        "GET /api/search?q=": lambda: f"/api/search?q={quote(rng.choice(SEARCH_WORDS))}&limit=20&offset={rng.choice((0, 20, 40))}",
    }
    labels = list(makers)
    requests = [(labels[i % len(labels)], makers[labels[i % len(labels)]]()) for i in range(total)]
    rng.shuffle(requests)
    return requests


def hammer(requests: list[tuple[str, str]], clients: int, port: int) -> dict[str, dict]:
    """``clients`` threads, each with one keep-alive connection (http.client: a light client, so the
    two cores go to the server rather than to the benchmark), take requests from one queue."""
    work: queue.Queue = queue.Queue()
    for item in requests:
        work.put(item)
    results: dict[str, dict] = defaultdict(lambda: {"times": [], "errors": 0, "hits": 0})
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                label, path = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            ok, hit = fetch(connection, path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                results[label]["times"].append(elapsed)
                results[label]["errors"] += not ok
                results[label]["hits"] += hit
            if not ok:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[bool, bool]:
    """(answered with the envelope's ok, answered from the server's response cache)."""
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        ok = response.status == 200 and json.loads(body).get("ok") is True
        return ok, response.getheader("X-Cache") == "hit"
    except (OSError, http.client.HTTPException, ValueError):
        return False, False


def alone(db: str, story_ids: list[str], total: int, cache_entries: int) -> None:
    """Each request of the same plan, one at a time, in this process through the app
    (fastapi.testclient, no HTTP server): what a request costs apart from queueing for the CPU.
    CPU ms is this process's CPU time (client and app) over the request: the work, whatever the load."""
    from fastapi.testclient import TestClient

    from rasid.app import ServeSettings, create_app
    from rasid.store import open_store

    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    settings = ServeSettings(cache_entries=cache_entries)
    with open_store(db) as store, TestClient(create_app(settings, store)) as client:
        for label, path in plan(total, story_ids or ["none"]):
            started, used = time.perf_counter(), time.process_time()
            ok = client.get(path).status_code == 200
            times[label].append((time.perf_counter() - started) * 1000 if ok else float("inf"))
            cpu[label].append((time.process_time() - used) * 1000)
        cache = client.app.state.cache if hasattr(client.app.state, "cache") else None
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    hits = f"; cache hits {cache.hits:,} of {cache.hits + cache.misses:,}" if cache and cache.on else "; cache off"
    print(f"\none request at a time, in process, {total:,} requests ({store.url.split(':', 1)[0]}){hits}; "
          f"load average {load}")
    print(f"{'endpoint':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}")
    for label in sorted(times):
        mean_cpu = sum(cpu[label]) / len(cpu[label])
        print(f"{label:<24}{len(times[label]):>6}{percentile(times[label], 0.5):>9.1f}"
              f"{percentile(times[label], 0.95):>9.1f}{mean_cpu:>9.2f}")
    every = [t for label in cpu for t in cpu[label]]
    print(f"{'all':<24}{len(every):>6}{'':>18}{sum(every) / len(every):>9.2f}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(results: dict[str, dict], seconds: float, args, note: str, argv: list[str]) -> bool:
    count = sum(len(r["times"]) for r in results.values())
    print(f"\nRasid API latency: {count:,} requests, {args.clients} concurrent clients, rasid serve --workers "
          f"{args.workers}, {seconds:.1f} s wall ({count / seconds:,.0f} requests/s)")
    print(f"corpus: SaudiNewsNet + 5 seeds; {note}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; load average before the run {args.load}, after {load}")
    print(f"response cache: {'off' if not args.cache_entries else f'{args.cache_entries:,} entries per worker'}")
    print(f"\n{'endpoint':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'hits':>7}")
    passed = True
    for label in sorted(results):
        times, errors = results[label]["times"], results[label]["errors"]
        p95 = percentile(times, 0.95)
        passed &= p95 < 100 and errors == 0
        print(f"{label:<24}{len(times):>6}{percentile(times, 0.5):>9.1f}{p95:>9.1f}{percentile(times, 0.99):>9.1f}"
              f"{max(times):>9.1f}{errors:>8}{results[label]['hits'] / len(times):>7.0%}")
    hits = sum(r["hits"] for r in results.values())
    print(f"answered from the response cache: {hits:,} of {count:,} ({hits / count:.0%}); "
          f"server CPU {args.server_cpu * 1000 / count:.2f} ms per request (its processes' CPU time over the run)"
          + (f", database CPU {args.database_cpu * 1000 / count:.2f} ms (its backends')"
             if args.database_cpu is not None else ""))
    print(f"\ntarget p95 < 100 ms and no errors: {'met' if passed else 'NOT met'}")
    print("rerun: python benchmarks/api.py " + " ".join(argv))
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--db", default=str(ROOT / "benchmarks" / "out" / "api.db"),
                        help="a SQLite file (recreated unless --reuse) or an empty PostgreSQL database URL")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="rasid serve --workers (one per core)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database instead of reloading")
    parser.add_argument("--alone", type=int, default=0, metavar="N",
                        help="instead of the server: N requests one at a time in this process (the cost of a request)")
    parser.add_argument("--cache-entries", type=int, default=2048, metavar="N",
                        help="the server's response cache per worker (serve.cache_entries); 0 = off")
    parser.add_argument("--no-analyse", dest="analyse", action="store_false",
                        help="skip extraction and story building (the story endpoint then has nothing to serve)")
    args = parser.parse_args()
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    from rasid.store import open_store

    if args.reuse:
        note = f"reused {args.db.rsplit('/', 1)[-1]}"
    elif is_url(args.db):
        with open_store(args.db) as store:
            if store.count_articles():
                raise SystemExit(f"the database at {store.url} already holds {store.count_articles():,} articles; "
                                 "give --reuse to benchmark them, or an empty database")
        note = load(args.db, args.analyse)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        note = load(args.db, args.analyse)
    with open_store(args.db) as store:
        story_ids = [s.id for s in store.list_stories(limit=500)]
        note += f"; {store.count_articles():,} articles, {store.count_stories():,} stories, {store.count_events():,} events"
        note += f"; store {store.url.split(':', 1)[0]}"
    if args.alone:
        alone(args.db, story_ids, args.alone, args.cache_entries)
        return
    port = free_port()
    server = start_server(args.db, port, args.workers, out, args.cache_entries)
    try:
        requests = plan(args.requests, story_ids or ["none"])
        args.load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        started, cpu, db_cpu = time.perf_counter(), server_cpu(server), database_cpu(args.db)
        results = hammer(requests, args.clients, port)
        args.server_cpu = server_cpu(server) - cpu
        after = database_cpu(args.db)  # {} when the server is elsewhere: then not reported
        args.database_cpu = sum(t - db_cpu.get(pid, 0.0) for pid, t in after.items()) if after else None
        passed = report(results, time.perf_counter() - started, args, note, sys.argv[1:])
    finally:
        server.terminate()
        server.wait(timeout=20)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()

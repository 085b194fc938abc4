"""Kill -9 trials and concurrent ingests on SaudiNewsNet: the record stays consistent.

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015); the
first N articles ordered by the SHA-1 of their URL (a fixed, outlet-mixed sample).

1. A reference run: `rasid ingest SAMPLE` (store, queue, analyse) into a fresh database, timed.
2. TRIALS trials: the same command killed with SIGKILL (its whole process group) at a random
   moment between 5 % and 95 % of the reference time (or of the last run that finished before
   its kill, on a machine whose load changes), so some land in ingest and most in analysis;
   then the same command again. Each trial must end with `rasid check` clean and the
   counts of `rasid stats` equal to the reference's.
3. Two `rasid ingest` processes at once on one database, over two overlapping halves of a larger
   sample (CONCURRENT articles): `rasid check` must be clean and every article in one story.

Prints a table per part. Machine: whatever runs it (nproc is printed).

Rerun: python benchmarks/kill_trials.py [--size 500] [--trials 20] [--concurrent 5000] [--seed 1] [--data PATH]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
COUNTS = ("articles", "exact_copies", "extracted", "events", "event_mentions", "stories", "duplicate_links")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def sample(data: Path, size: int, folder: Path, name: str) -> Path:
    with lzma.open(data, "rt", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    lines.sort(key=lambda line: hashlib.sha1(json.loads(line)["url"].encode("utf-8")).hexdigest())
    path = folder / name
    path.write_text("".join(lines[:size]), encoding="utf-8")
    return path


def rasid(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rasid", "--db", str(db), *args], capture_output=True,
                          text=True, env=ENV)


def counts(db: Path) -> dict:
    stats = json.loads(rasid(db, "stats", "--json").stdout)
    return {k: stats[k] for k in COUNTS}


def check(db: Path) -> tuple[bool, str]:
    found = json.loads(rasid(db, "check", "--json").stdout)
    return found["ok"], "; ".join(f"{p['name']} {p['count']}" for p in found["problems"])


def killed_run(db: Path, source: Path, after: float) -> float:
    """`rasid ingest` killed after ``after`` seconds: 0, or how long it took when it finished first."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "rasid", "--db", str(db), "ingest", "-q", str(source)],
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    while time.monotonic() - started < after:
        if process.poll() is not None:
            return time.monotonic() - started
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return 0.0


def kill_trials(source: Path, folder: Path, trials: int, seed: int) -> None:
    reference_db = folder / "reference.db"
    started = time.monotonic()
    done = rasid(reference_db, "ingest", "-q", str(source))
    seconds = time.monotonic() - started
    if done.returncode:
        sys.exit(f"the reference run failed: {done.stderr}")
    reference = counts(reference_db)
    print(f"reference: {seconds:.1f} s; " + ", ".join(f"{k} {v:,}" for k, v in reference.items()))
    print(f"\n{'trial':>5} {'kill at s':>9} {'killed':>6} {'queued':>6} {'rerun s':>7} {'check':>6} {'counts':>7}")
    rng = random.Random(seed)
    failures = 0
    for trial in range(1, trials + 1):
        db = folder / f"trial{trial}.db"
        at = rng.uniform(0.05, 0.95) * seconds
        finished = killed_run(db, source, at)
        killed = not finished
        if finished:  # the machine got faster: aim the next kills inside a run of this length
            seconds = finished
        problems_after_kill = json.loads(rasid(db, "check", "--json").stdout)["problems"]
        queued = next((p["count"] for p in problems_after_kill if p["name"] == "queued"), 0)
        started = time.monotonic()
        rerun = rasid(db, "ingest", "-q", str(source))
        rerun_s = time.monotonic() - started
        ok, problems = check(db)
        same = rerun.returncode == 0 and counts(db) == reference
        failures += not (ok and same)
        print(f"{trial:>5} {at:>9.1f} {'yes' if killed else 'no':>6} {queued:>6} {rerun_s:>7.1f} "
              f"{'clean' if ok else 'DIRTY':>6} {'equal' if same else 'DIFFER':>7}" + (f"  {problems}" if not ok else ""))
        db.unlink(missing_ok=True)
    print(f"\n{trials - failures} of {trials} trials clean with equal counts")


def concurrent(source: Path, folder: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = len(lines) // 2
    halves = [folder / "first.jsonl", folder / "second.jsonl"]
    halves[0].write_text("".join(lines[:cut + len(lines) // 10]), encoding="utf-8")  # 10 % overlap
    halves[1].write_text("".join(lines[cut:]), encoding="utf-8")
    db = folder / "concurrent.db"
    started = time.monotonic()
    # The second analyser waits for the first as long as it takes (its own articles are in the queue
    # the first one empties); with the default 600 s it gives up on a long run and says so.
    env = {**ENV, "RASID_ANALYSIS_LEASE_WAIT": "7200"}
    processes = [subprocess.Popen([sys.executable, "-m", "rasid", "--db", str(db), "ingest", "-q", str(p)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in halves]
    outputs = [p.communicate() for p in processes]
    seconds = time.monotonic() - started
    ok, problems = check(db)
    found = counts(db)
    print(f"\n{'process':>7} {'exit':>4}  output")
    for n, (process, (out, err)) in enumerate(zip(processes, outputs), 1):
        print(f"{n:>7} {process.returncode:>4}  {(out + err).strip().splitlines()[-1] if (out + err).strip() else ''}")
    print(f"two ingests of {len(lines):,} articles at once: {seconds:.1f} s; check {'clean' if ok else 'DIRTY: ' + problems}; "
          + ", ".join(f"{k} {v:,}" for k, v in found.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500, help="articles in the kill-trial sample")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=5000, help="articles in the concurrent run (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA, help="the SaudiNewsNet .jsonl.xz")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; corpus: SaudiNewsNet, first {args.size:,} by URL hash")
    with tempfile.TemporaryDirectory(prefix="rasid-kill-") as tmp:
        folder = Path(tmp)
        if args.trials:
            kill_trials(sample(args.data, args.size, folder, "sample.jsonl"), folder, args.trials, args.seed)
        if args.concurrent:
            concurrent(sample(args.data, args.concurrent, folder, "big.jsonl"), folder)


if __name__ == "__main__":
    main()

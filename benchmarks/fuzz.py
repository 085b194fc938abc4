"""Fuzz benchmark: the ingest readers under Hypothesis for as long as you give them.

Each reader (text, JSONL, JSON, CSV, HTML, feed), the whole read path (sniffing and dispatch
from standard input) and ingest into an in-memory SQLite database (clean, build, store) get hostile bytes, and the JSON readers hostile records, from the
strategies of tests/fuzz_strategies.py, in rounds, until the time is up. An exception that is
not a Rejection, or an input that takes longer than --slow seconds, is counted and written to
benchmarks/out/fuzz/ to be kept as a regression test. Prints a table of inputs tried,
unexpected exceptions and slow inputs per reader.

Corpus: generated. Machine: whatever runs it (this prints nproc).
Rerun: nice python benchmarks/fuzz.py --minutes 15
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests import fuzz_strategies as fz  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "fuzz"
TARGETS = {name: (fn, fz.hostile_bytes()) for name, fn in fz.READERS.items()}
TARGETS["jsonl records"] = (fz.READERS["jsonl"], fz.hostile_records())
TARGETS["json records"] = (fz.READERS["json"], fz.hostile_records())
TARGETS["read path"] = (fz.through_sources, fz.hostile_bytes() | fz.hostile_records())
TARGETS["ingest+store"] = (fz.through_ingest, fz.hostile_records() | fz.hostile_bytes())


class Tally:
    def __init__(self) -> None:
        self.tried, self.unexpected, self.slow = Counter(), Counter(), Counter()
        self.seconds, self.kinds = Counter(), Counter()

    def run(self, name: str, fn, data: bytes, slow: float) -> None:
        started = time.perf_counter()
        try:
            fn(data)
        except Exception as exc:  # noqa: BLE001 - counting them is the point
            self.unexpected[name] += 1
            self.kinds[f"{name}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            _keep(name, data, traceback.format_exc())
        took = time.perf_counter() - started
        self.tried[name] += 1
        self.seconds[name] += took
        if took > slow:
            self.slow[name] += 1
            _keep(name, data, f"took {took:.1f} s")


def _keep(name: str, data: bytes, why: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"{name.replace(' ', '_')}-{int(time.time() * 1000)}"
    stem.with_suffix(".bin").write_bytes(data)
    stem.with_suffix(".txt").write_text(why, encoding="utf-8")


def one_round(tally: Tally, name: str, examples: int, slow: float) -> None:
    fn, strategy = TARGETS[name]

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=strategy)
    def round_(data):
        tally.run(name, fn, data, slow)

    round_()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to fuzz, all readers together")
    parser.add_argument("--round", type=int, default=200, help="examples per reader per round")
    parser.add_argument("--slow", type=float, default=10.0, help="seconds after which an input counts as slow")
    args = parser.parse_args()
    import logging

    logging.disable(logging.CRITICAL)  # the readers' warnings are expected; counting is what matters
    tally, started = Tally(), time.perf_counter()
    while time.perf_counter() - started < args.minutes * 60:
        for name in TARGETS:
            one_round(tally, name, args.round, args.slow)
            if time.perf_counter() - started >= args.minutes * 60:
                break
    report(tally, time.perf_counter() - started)


def report(tally: Tally, seconds: float) -> None:
    print(f"fuzzed {seconds / 60:.1f} min on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'reader':<16}{'inputs':>10}{'unexpected':>12}{'slow':>7}{'ms/input':>10}")
    for name in TARGETS:
        tried = tally.tried[name]
        ms = 1000 * tally.seconds[name] / tried if tried else 0.0
        print(f"{name:<16}{tried:>10,}{tally.unexpected[name]:>12,}{tally.slow[name]:>7,}{ms:>10.1f}")
    total = sum(tally.tried.values())
    print(f"{'all':<16}{total:>10,}{sum(tally.unexpected.values()):>12,}{sum(tally.slow.values()):>7,}")
    for kind, count in tally.kinds.most_common(20):
        print(f"  {count:>6,}  {kind}")
    if tally.kinds or tally.slow:
        print(f"inputs kept in {OUT}")


if __name__ == "__main__":
    main()

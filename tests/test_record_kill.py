"""Real processes: `rasid ingest` killed with SIGKILL at a random moment and run again ends with
the counts of an uninterrupted run and a clean `rasid check`; two ingests with analysis running at
once on one database (SQLite, and PostgreSQL) end clean too."""
from __future__ import annotations

import json
import lzma
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

DATA = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
# NER off and one worker: the same work whatever the batch sizes, so counts can be compared.
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "RASID_INGEST_WORKERS": "1", "RASID_ANALYSIS_NER": "false",
       "RASID_INGEST_BATCH_SIZE": "20"}
COUNTS = ("articles", "exact_copies", "extracted", "events", "event_mentions", "stories", "duplicate_links")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The first 120 SaudiNewsNet articles (a real mix of outlets, with exact copies)."""
    if not DATA.exists():
        pytest.fail(f"SaudiNewsNet is missing: {DATA}")
    path = tmp_path_factory.mktemp("kill") / "sample.jsonl"
    with lzma.open(DATA, "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(120)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def rasid(db: Path | str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rasid", "--db", str(db), *args], capture_output=True, text=True,
                          env=ENV, timeout=900)


def counts(db: Path | str) -> dict:
    done = rasid(db, "stats", "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    return {k: stats[k] for k in COUNTS}


def assert_clean(db: Path | str) -> None:
    done = rasid(db, "check", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["ok"], done.stdout + done.stderr


@pytest.fixture(scope="module")
def reference(sample, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("reference") / "rasid.db"
    started = time.monotonic()
    assert rasid(db, "ingest", "-q", str(sample)).returncode == 0
    assert_clean(db)
    return {"counts": counts(db), "seconds": time.monotonic() - started}


def kill_at(db: Path, sample: Path, seconds: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "rasid", "--db", str(db), "ingest", "-q", str(sample)],
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(seconds)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("trial", range(3))
def test_a_kill_at_a_random_moment_then_a_rerun_gives_the_same_record(trial, sample, reference, tmp_path):
    db = tmp_path / "rasid.db"
    kill_at(db, sample, random.Random(trial).uniform(0.5, 0.9) * reference["seconds"])
    rerun = rasid(db, "ingest", "-q", str(sample))
    assert rerun.returncode == 0, rerun.stderr
    assert counts(db) == reference["counts"]
    assert_clean(db)


def _two_ingests_at_once(db: str, sample: Path, folder: Path) -> None:
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    halves = [folder / "one.jsonl", folder / "two.jsonl"]
    halves[0].write_text("".join(lines[:70]), encoding="utf-8")  # they overlap by 20 lines
    halves[1].write_text("".join(lines[50:]), encoding="utf-8")
    processes = [subprocess.Popen([sys.executable, "-m", "rasid", "--db", db, "ingest", "-q", str(p)], env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in halves]
    for process in processes:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err


def test_two_ingests_with_analysis_at_once_leave_a_clean_record(sample, reference, tmp_path):
    db = tmp_path / "rasid.db"
    _two_ingests_at_once(str(db), sample, tmp_path)
    assert_clean(db)
    assert counts(db) == reference["counts"]


@pytest.mark.postgres
def test_two_workers_writing_one_postgresql_database_at_once_leave_the_sqlite_record(sample, reference, tmp_path,
                                                                                      pg_url):
    """Two processes, each storing its half and analysing, against one PostgreSQL database: the
    article writes take turns, one analyser holds the lease while the other waits, and the record
    equals the one-process SQLite run's."""
    _two_ingests_at_once(pg_url, sample, tmp_path)
    assert_clean(pg_url)
    assert counts(pg_url) == reference["counts"]
    status = json.loads(rasid(pg_url, "stats", "--json").stdout)["queue"]
    assert status["pending"] == 0 and status["leases"] == []

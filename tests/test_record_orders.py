"""The record, whatever the order: every order of the seeds, one file per ingest, serves the same
three stories, and `rasid check` finds nothing wrong after each scenario."""
from __future__ import annotations

import itertools
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rasid import analysis, pipeline
from rasid.store import open_store
from tests.conftest import ROOT, SEED_FILES
from tests.record_helpers import EXPECTED, MemoExtract, check_clean, served_stories

ORDERS = list(itertools.permutations(range(5)))


@pytest.fixture(scope="module")
def memo():
    return MemoExtract()


@pytest.fixture(scope="module")
def prefixes(tmp_path_factory):
    """Databases after each order prefix: 0,1,2 starts from the one left by 0,1 (325 ingests, not 600)."""
    return {(): None, "folder": tmp_path_factory.mktemp("prefixes")}


def run_order(db: Path, order, settings, memo, monkeypatch, prefixes=None) -> None:
    """Ingest then analyse each seed of ``order`` in turn, as `rasid ingest FILE` does."""
    monkeypatch.setattr(analysis, "extract_all", memo)
    done = 0
    if prefixes is not None:
        done = max(n for n in range(len(order)) if tuple(order[:n]) in prefixes)
        if done:
            shutil.copy(prefixes[tuple(order[:done])], db)
    for n in range(done, len(order)):
        with open_store(str(db)) as store:
            pipeline.ingest(store, [str(SEED_FILES[order[n]])], settings)
            pipeline.analyse(store, settings, workers=1)
        if prefixes is not None:  # closed: the WAL is checkpointed into the file
            kept = prefixes["folder"] / ("".join(map(str, order[:n + 1])) + ".db")
            shutil.copy(db, kept)
            prefixes[tuple(order[:n + 1])] = kept


@pytest.mark.parametrize("order", ORDERS, ids=["".join(map(str, o)) for o in ORDERS])
def test_every_order_serves_the_three_seed_stories(order, tmp_path, settings, memo, prefixes, monkeypatch):
    db = tmp_path / "rasid.db"
    run_order(db, order, settings, memo, monkeypatch, prefixes)
    assert served_stories(db) == EXPECTED
    check_clean(db)


def test_the_order_that_left_000_in_two_stories(tmp_path, settings, memo, monkeypatch):
    """002 000 004 001 003: 000 first joined 004's story, then moved to Daraa's; the story it left
    was never rebuilt and still listed it."""
    db = tmp_path / "rasid.db"
    run_order(db, (2, 0, 4, 1, 3), settings, memo, monkeypatch)
    with open_store(str(db)) as store:
        held = [a for s in store.list_stories(100) for a in s.article_ids]
    assert len(held) == len(set(held)) == 5
    assert served_stories(db) == EXPECTED


def rasid(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASID_INGEST_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-m", "rasid", "--db", str(db), *args], capture_output=True,
                          text=True, env=env, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("order", random.Random(10).sample(ORDERS, 4) + [(2, 0, 4, 1, 3)],
                         ids=lambda o: "".join(map(str, o)))
def test_orders_through_the_cli(order, tmp_path):
    db = tmp_path / "rasid.db"
    for k in order:
        rasid(db, "ingest", "-q", str(SEED_FILES[k]))
    assert served_stories(db) == EXPECTED
    assert rasid(db, "check").stdout.strip() == "The record is consistent."

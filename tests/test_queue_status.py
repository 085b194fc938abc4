"""What `rasid stats` shows of the analysis queue, on SQLite and PostgreSQL: articles waiting,
those an analysis holds, the oldest one's wait, and leases that are expired or abandoned."""
from __future__ import annotations

import json
import os
from datetime import datetime

from click.testing import CliRunner

from rasid.analysis import ANALYSIS_LEASE
from rasid.cli import main
from rasid.store.base import Holder
from tests.test_store import TEXT_HOMS, article


def test_an_empty_queue(store):
    status = store.queue_status()
    assert status == {"pending": 0, "leased": 0, "oldest_waiting": None, "waiting_seconds": None,
                      "stale_leases": 0, "leases": []}


def test_stored_articles_wait_with_their_queue_time(store):
    store.put_articles([article("a1"), article("a2", TEXT_HOMS)])
    status = store.queue_status()
    assert status["pending"] == 2 and status["leased"] == 0 and status["stale_leases"] == 0
    assert datetime.fromisoformat(status["oldest_waiting"]).tzinfo is not None
    assert 0 <= status["waiting_seconds"] < 600


def test_an_active_analysis_holds_every_queued_article(store):
    store.put_articles([article("a1"), article("a2", TEXT_HOMS)])
    me = Holder.this_process()
    assert store.take_lease(ANALYSIS_LEASE, me, 600) is None
    status = store.queue_status()
    assert status["leased"] == 2 and status["stale_leases"] == 0
    [lease] = status["leases"]
    assert lease["name"] == "analysis" and lease["state"] == "active" and f"process {os.getpid()}" in lease["holder"]
    store.release_lease(ANALYSIS_LEASE, me)
    assert store.queue_status()["leases"] == []


def test_expired_and_abandoned_leases_are_told_apart(store):
    store.put_articles([article("a1")])
    me = Holder.this_process()
    dead = Holder("dead", me.host, 2 ** 22 + 12345, "then")  # above any pid this machine hands out
    assert store.take_lease(ANALYSIS_LEASE, dead, 600) is None
    status = store.queue_status()
    assert status["leased"] == 0 and status["stale_leases"] == 1
    assert status["leases"][0]["state"] == "abandoned"
    assert store.take_lease("other-job", Holder("far", "another-host", 1, "then"), -1) is None  # lapsed at once
    states = {lease["name"]: lease["state"] for lease in store.queue_status()["leases"]}
    assert states == {"analysis": "abandoned", "other-job": "expired"}


def test_reanalysing_everything_queues_with_a_time(store):
    store.put_articles([article("a1")])
    with store._transaction() as cur:  # as if analysed: the queue is empty
        cur.execute("DELETE FROM analysis_queue")
    store.enqueue_all()
    status = store.queue_status()
    assert status["pending"] == 1 and status["oldest_waiting"] and status["waiting_seconds"] is not None


def test_rasid_stats_shows_the_queue(tmp_path, seeds_dir):
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(seeds_dir), "--no-analyse", "-q"]).exit_code == 0
    table = runner.invoke(main, ["--db", db, "stats"]).output
    assert "queue  5 pending, oldest waiting" in table
    data = json.loads(runner.invoke(main, ["--db", db, "stats", "--json"]).output)
    assert data["queue"]["pending"] == 5 and data["articles"] == 5
    assert runner.invoke(main, ["--db", db, "analyse", "-q"]).exit_code == 0
    assert "queue  0 pending" in runner.invoke(main, ["--db", db, "stats"]).output

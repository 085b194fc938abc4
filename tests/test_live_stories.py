"""Live batches on a large record: the stories continue the last full pass, the record says so,
and a full pass returns it to what one analysis stores (rasid.live.stories).

Real data: 150 SaudiNewsNet reports analysed into a real SQLite file, then live batches of the
five seeds (three of them one story) and more SaudiNewsNet reports, with ``live.incremental_above``
lowered to 100 so that 150 reports count as a large record. A second database gets the same
inputs in the same order, analysed once: after the full pass every table equals it (as in
tests/test_incremental.py). NER is off in both (its model depends on the batch size by design).
"""
from __future__ import annotations

import json
import lzma
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasid import analysis, pipeline
from rasid.cli import main
from rasid.live.batch import ingest_and_analyse
from rasid.live.options import live_options
from rasid.live.stories import LiveStories, live_stories
from rasid.settings import load_settings
from rasid.store import open_store
from tests.conftest import ROOT, SEED_FILES, SHARED
from tests.record_helpers import MemoExtract
from tests.test_incremental import TABLES, _dump

SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
BASE, EXTRA = 150, 6


def _settings():
    return (load_settings(environ={}).replace("ingest", workers=1).replace("analysis", ner="false")
            .replace("live", incremental_above=100))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, list[list[str]]]:
    """The record (150 reports in one JSONL file) and four live batches (seeds and 12 more reports)."""
    if not SAUDINEWSNET.is_file():
        pytest.fail(f"SaudiNewsNet is missing: {SAUDINEWSNET} (../shared/data must sit beside the project)")
    folder = tmp_path_factory.mktemp("live-inputs")
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(BASE + EXTRA)]
    record = folder / "record.jsonl"
    record.write_text("".join(lines[:BASE]), encoding="utf-8")
    batches, seeds = [], [str(p) for p in SEED_FILES]
    for number, (start, stop) in enumerate(((BASE, BASE + 2), (BASE + 2, BASE + 4), (BASE + 4, BASE + EXTRA))):
        path = folder / f"batch{number}.jsonl"
        path.write_text("".join(lines[start:stop]), encoding="utf-8")
        batches.append([str(path)])
    batches[0] += seeds[:2]
    batches[1] += seeds[2:4]
    batches.append(seeds[4:])
    return record, batches


@pytest.fixture(scope="module")
def live_run(inputs, tmp_path_factory):
    """The live database after each incremental batch (its state row and check), then after the
    full pass; and the database analysed once."""
    record, batches = inputs
    settings, memo = _settings(), MemoExtract()
    real, analysis.extract_all = analysis.extract_all, memo
    folder = tmp_path_factory.mktemp("live-runs")
    seen = {"states": [], "checks": [], "notes": [], "lines": []}
    try:
        with open_store(str(folder / "live.db")) as store:
            pipeline.ingest(store, [str(record)], settings)
            pipeline.analyse(store, settings, workers=1)
            options = live_options(settings)
            with live_stories(store, settings, options, lambda done: seen["lines"].append(done.line())) as live:
                for paths in batches:
                    batch = ingest_and_analyse(store, settings, paths)
                    seen["notes"].append(batch.stories_note)
                    seen["states"].append(store.story_state())
                    seen["checks"].append(store.check())
                seen["incremental_stats"] = store.stats()["stories_state"]
                seen["incremental_check"] = CliRunner().invoke(main, ["--db", str(folder / "live.db"), "check"]).output
                seen["incremental_dump"] = _dump(folder / "live.db")
                _copy(folder / "live.db", folder / "incremental.db")
                seen["full"] = live.full_pass(store, settings, "idle 60 s")
            seen["after_state"], seen["after_check"] = store.story_state(), store.check()
        with open_store(str(folder / "once.db")) as store:
            for paths in [[str(record)], *batches]:
                pipeline.ingest(store, paths, settings)
            pipeline.analyse(store, settings.replace("analysis", batch_size=10_000), workers=1)
    finally:
        analysis.extract_all = real
    return seen, _dump(folder / "live.db"), _dump(folder / "once.db"), folder


def test_every_live_batch_was_incremental_and_the_record_stayed_consistent(live_run):
    seen, *_ = live_run
    assert seen["lines"][0].startswith("stories: full pass (start) over 150 reports")
    assert all(note.startswith("stories incremental") for note in seen["notes"]), seen["notes"]
    assert [s.batches for s in seen["states"]] == [1, 2, 3, 4]
    assert [s.added for s in seen["states"]] == [4, 8, 10, 11]
    assert all(s.full_pass_reports == 150 and s.since == seen["states"][0].since for s in seen["states"])
    assert seen["checks"] == [[]] * 4  # every article in exactly one story, in the incremental state too


def test_check_and_stats_show_the_incremental_state(live_run):
    seen, *_ = live_run
    assert seen["incremental_stats"].startswith("incremental since ")
    assert "11 reports added since the last full pass of 150 (4 batches)" in seen["incremental_stats"]
    assert "The record is consistent" in seen["incremental_check"]
    assert "stories: incremental since" in seen["incremental_check"]


def test_the_seeds_story_formed_across_incremental_batches(live_run):
    """Seeds 000 and 001 came in the first batch, 003 in the second: one story, as in one analysis."""
    *_, folder = live_run
    live, once = _seed_stories(folder / "incremental.db"), _seed_stories(folder / "once.db")
    assert len(live) == 5 and live["000"] == live["001"] == live["003"]
    assert _partition(live) == _partition(once)


def _seed_stories(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT a.origin, m.story_id FROM story_articles m JOIN articles a ON a.id = m.article_id "
                           "WHERE a.origin LIKE '%seeds%'").fetchall()
    return {Path(origin).name[:3]: story for origin, story in rows}


def _partition(story_of: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for seed, story in sorted(story_of.items()):
        groups.setdefault(story, []).append(seed)
    return sorted(groups.values())


def test_the_full_pass_returns_the_record_to_one_analysis(live_run):
    seen, after, once, _ = live_run
    assert seen["full"].error == "" and seen["after_state"] is None and seen["after_check"] == []
    assert "the stories are one analysis's" in seen["full"].line()
    for table in [*TABLES, "duplicates"]:
        assert after[table] == once[table], table


FULL_PASS = """
import sys, time
from rasid.live.options import live_options
from rasid.live.stories import LiveStories
from rasid.settings import load_settings
from rasid.store import open_store
settings = load_settings(environ={}).replace("analysis", ner="false").replace("live", incremental_above=100)
with open_store(sys.argv[1]) as store:
    live = LiveStories(live_options(settings))
    print("start", flush=True)
    print(live.full_pass(store, settings, "test").line(), flush=True)
"""


def test_a_killed_full_pass_leaves_a_consistent_record(live_run, tmp_path):
    """SIGKILL at several moments of a full pass over the incremental record: each time the record
    is consistent, and either still incremental (nothing written) or one analysis's."""
    seen, _, once, folder = live_run
    states = set()
    for delay in (0.05, 0.4, 0.8, 1.2, 60):
        db = tmp_path / f"killed-{delay}.db"
        _copy(folder / "incremental.db", db)  # the live record as it was before its full pass
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen([sys.executable, "-c", FULL_PASS, str(db)], env=env, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "start"
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
        with open_store(str(db)) as store:
            assert store.check() == []
            state = store.story_state()
            states.add(state is None)
            if state is not None:
                assert state == seen["states"][-1]  # nothing of the pass was written
            else:
                assert _dump(db)["story_articles"] == once["story_articles"]
    assert True in states  # the last one ran to its end


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in use (its WAL included)."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def test_the_state_row_is_written_with_a_batch_and_removed_by_an_exact_one_on_both_backends(store, settings):
    """SQLite and PostgreSQL: the row of an incremental batch is read back, shown by stats, and the
    record stays consistent; the next exact batch (any rasid analyse) removes it in its transaction."""
    from rasid.store.base import ONE_ANALYSIS, AnalysisWrite, Holder, StoryState

    pipeline.ingest(store, [str(p) for p in SEED_FILES[:3]], settings)
    pipeline.analyse(store, settings, workers=1)
    assert store.story_state() is None and store.stats()["stories_state"] == ONE_ANALYSIS
    state = StoryState("2026-12-03T18:00:00+00:00", 2, 1, 3, "basis")
    me = Holder.this_process()
    store.take_lease(analysis.ANALYSIS_LEASE, me, 60)
    store.write_analysis(AnalysisWrite([], story_state=state), me, analysis.ANALYSIS_LEASE)
    store.release_lease(analysis.ANALYSIS_LEASE, me)
    assert store.story_state() == state and store.check() == []
    assert store.stats()["stories_state"] == ("incremental since 2026-12-03T18:00:00+00:00, 2 reports added since "
                                              "the last full pass of 3 (1 batch)")
    pipeline.ingest(store, [str(SEED_FILES[3])], settings)
    pipeline.analyse(store, settings, workers=1)
    assert store.story_state() is None and store.check() == []
    assert store.cluster_feature_ids() == set(store.article_ids())


def test_a_batch_is_exact_after_k_incremental_batches_or_past_a_tenth_of_the_pass(inputs, tmp_path):
    """``live.full_pass_after`` = 2: two batches continue the pass, then a full pass is due and the
    third batch takes the exact path (no state row), which is the next pass (160 reports); after
    it a batch of more reports than a tenth of that pass (17 > 16) is exact too. The record stays consistent throughout."""
    record, batches = inputs
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(BASE + EXTRA + 17)]
    big = tmp_path / "big.jsonl"
    big.write_text("".join(lines[BASE + EXTRA:]), encoding="utf-8")
    settings, memo = _settings().replace("live", incremental_above=100, full_pass_after=2), MemoExtract()
    real, analysis.extract_all = analysis.extract_all, memo
    notes, states, dues = [], [], []
    try:
        with open_store(str(tmp_path / "live.db")) as store:
            pipeline.ingest(store, [str(record)], settings)
            pipeline.analyse(store, settings, workers=1)
            with live_stories(store, settings, live_options(settings), lambda done: None) as live:
                for paths in batches[:3]:
                    batch = ingest_and_analyse(store, settings, paths)
                    notes.append(batch.stories_note)
                    states.append(store.story_state())
                    dues.append(live.due())
                    assert store.check() == []
                size_before = len(store.cluster_feature_ids())
                batch = ingest_and_analyse(store, settings, [str(big)])
                notes.append(batch.stories_note)
                states.append(store.story_state())
                assert store.check() == []
                assert size_before == 160 and len(store.cluster_feature_ids()) == size_before + 17
    finally:
        analysis.extract_all = real
    assert [n.startswith("stories incremental") for n in notes] == [True, True, False, False], notes
    assert [s.batches if s else None for s in states] == [1, 2, None, None]
    assert dues[:2] == [None, "after 2 incremental batches"]


def test_a_full_pass_is_due_once_the_loop_was_idle(inputs, tmp_path):
    """The idle clock: no full pass is due while the record is one analysis's, nor right after an
    incremental batch; once ``live.full_pass_idle`` has passed without a batch, one is due."""
    record, batches = inputs
    settings, memo = _settings(), MemoExtract()
    real, analysis.extract_all = analysis.extract_all, memo
    now = [1000.0]
    try:
        with open_store(str(tmp_path / "live.db")) as store:
            pipeline.ingest(store, [str(record)], settings)
            pipeline.analyse(store, settings, workers=1)
            with live_stories(store, settings, live_options(settings), lambda done: None) as live:
                live.clock = lambda: now[0]
                live.active_at = now[0]
                assert live.due() is None  # one analysis's: nothing to return to
                ingest_and_analyse(store, settings, batches[0])
                live.batch_done()
                assert store.story_state() is not None
                now[0] += live.idle - 1
                assert live.due() is None
                now[0] += 2
                assert live.due() == f"idle {live.idle + 1:.0f} s"
                done = live.full_pass(store, settings, live.due())
                assert done.error == "" and store.story_state() is None and store.check() == []
    finally:
        analysis.extract_all = real

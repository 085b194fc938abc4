"""The record stays consistent: the analysis queue survives a crash, one analyser at a time holds
the lease, exact copies never cycle, a changed text re-links, and `check` says what is wrong."""
from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest
from click.testing import CliRunner

from rasid import analysis, pipeline
from rasid.cli import main
from rasid.errors import StoreError
from rasid.models import Article
from rasid.store import open_store
from rasid.store.base import Holder
from tests.conftest import SEED_FILES, seed_text
from tests.record_helpers import MemoExtract


MEMO = MemoExtract()  # one per module: each seed is extracted once for all the tests


@pytest.fixture
def memo(monkeypatch):
    monkeypatch.setattr(analysis, "extract_all", MEMO)
    return MEMO


def names(store, problems=None) -> set[str]:
    return {p.name for p in (store.check() if problems is None else problems)}


def jsonl(path, rows) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def seed_rows(*numbers):
    return [{"url": f"https://example.org/{n}", "source": "example", "title": "", "content": seed_text(n)}
            for n in numbers]


# -- the queue


def test_ingest_queues_in_the_same_transaction_and_analysis_empties_the_queue(store, settings, tmp_path, memo):
    report = pipeline.ingest(store, [str(f) for f in SEED_FILES[:3]], settings)
    assert sorted(q.article_id for q in store.pending()) == sorted(report.changed_ids)
    assert names(store) == {"queued"}
    pipeline.analyse(store, settings, workers=1)
    assert store.pending() == [] and store.check() == []
    again = pipeline.ingest(store, [str(f) for f in SEED_FILES[:3]], settings)
    assert again.counts["unchanged"] == 3 and store.pending() == []


def test_a_crash_during_analysis_leaves_the_work_queued_and_the_next_run_does_it(store, settings, memo, monkeypatch):
    pipeline.ingest(store, [str(f) for f in SEED_FILES], settings)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as a kill between building the stories and writing them

    monkeypatch.setattr(analysis, "build_stories", crash)
    with pytest.raises(KeyboardInterrupt):
        pipeline.analyse(store, settings, workers=1)
    assert len(store.pending()) == 5 and store.count_stories() == 0 and store.stats()["extracted"] == 0
    monkeypatch.undo()
    monkeypatch.setattr(analysis, "extract_all", memo)
    report = pipeline.analyse(store, settings, workers=1)
    assert report.extracted == 5 and store.count_stories() == 3 and store.check() == []


def test_analyse_all_and_one_story_requeue(store, settings, memo):
    pipeline.ingest(store, [str(f) for f in SEED_FILES], settings)
    pipeline.analyse(store, settings, workers=1)
    before = sorted((s.id, tuple(s.article_ids)) for s in store.list_stories())
    assert pipeline.analyse(store, settings, everything=True, workers=1).extracted == 5
    daraa = max(store.list_stories(), key=lambda s: len(s.article_ids))
    assert pipeline.analyse(store, settings, story=daraa.id, workers=1).extracted == 3
    assert sorted((s.id, tuple(s.article_ids)) for s in store.list_stories()) == before
    assert store.check() == []


# -- the lease


def test_a_second_analyser_waits_then_says_who_holds_the_lease(store, settings):
    other = Holder("someone-else", Holder.this_process().host, os.getppid(), "2026-01-01T00:00:00+00:00")
    assert store.take_lease(analysis.ANALYSIS_LEASE, other, 60) is None
    with pytest.raises(StoreError, match=rf"another analysis holds this database: process {os.getppid()} on .*--wait"):
        pipeline.analyse(store, settings, wait=0.2)
    store.release_lease(analysis.ANALYSIS_LEASE, other)
    assert pipeline.analyse(store, settings, wait=0).extracted == 0


def test_a_lease_of_a_dead_process_or_an_expired_one_is_taken_over(store):
    me = Holder.this_process()
    dead = Holder("dead", me.host, 2 ** 22 + 12345, "then")  # above any pid this machine hands out
    assert store.take_lease("analysis", dead, 600) is None
    assert store.take_lease("analysis", me, 600) is None
    elsewhere = Holder("far", "another-host", 1, "then")
    assert store.take_lease("analysis", elsewhere, 600) is not None  # alive, for all we know
    store.release_lease("analysis", me)
    assert store.take_lease("analysis", elsewhere, -1) is None  # taken, already lapsed
    assert store.take_lease("analysis", me, 600) is None


def test_results_are_refused_when_the_lease_was_lost(store, settings, memo, monkeypatch):
    pipeline.ingest(store, [str(SEED_FILES[0])], settings)
    real = analysis.build_stories

    def steal(*args, **kwargs):
        stories = real(*args, **kwargs)
        with store._transaction() as cur:  # as another process taking over a lapsed lease
            cur.execute("UPDATE leases SET holder = 'thief'")
        return stories

    monkeypatch.setattr(analysis, "build_stories", steal)
    with pytest.raises(StoreError, match="lost its lease"):
        pipeline.analyse(store, settings, workers=1)
    assert len(store.pending()) == 1 and store.count_stories() == 0


def test_cli_analyse_says_why_it_waits_and_check_says_how_to_repair(db_path, settings):
    with open_store(str(db_path)) as store:
        pipeline.ingest(store, [str(SEED_FILES[2])], settings)
        holder = Holder("other", Holder.this_process().host, os.getppid(), "then")
        store.take_lease(analysis.ANALYSIS_LEASE, holder, 60)
    runner = CliRunner()
    busy = runner.invoke(main, ["--db", str(db_path), "analyse", "--wait", "0"])
    assert busy.exit_code == 1 and "another analysis holds this database" in busy.output
    found = runner.invoke(main, ["--db", str(db_path), "check"])
    assert found.exit_code == 1 and "queued: 1 articles still waiting" in found.output and "repair: rasid analyse" in found.output
    as_json = json.loads(runner.invoke(main, ["--db", str(db_path), "check", "--json"]).output)
    assert as_json["ok"] is False and as_json["problems"][0]["name"] == "queued"


# -- stories that lose an article, copies, changed texts


def test_a_story_that_loses_its_article_is_rebuilt_or_removed(store, settings, memo):
    """000 alone next to 004 joins 004's story; 001 and 003 pull it to Daraa's."""
    for k in (2, 0, 4, 1, 3):
        pipeline.ingest(store, [str(SEED_FILES[k])], settings)
        pipeline.analyse(store, settings, workers=1)
        assert store.check() == []
    held = [a for s in store.list_stories() for a in s.article_ids]
    assert len(held) == len(set(held)) == 5 and store.count_stories() == 3


def test_renamed_copies_never_link_to_each_other(store, settings, tmp_path):
    rows = [{"url": "https://example.org/a", "source": "x", "content": seed_text(1)},
            {"url": "https://example.org/b", "source": "x", "content": seed_text(1)}]
    first = jsonl(tmp_path / "copies.jsonl", rows)
    pipeline.ingest(store, [first], settings)
    renamed = tmp_path / "renamed.jsonl"
    os.rename(first, renamed)
    assert pipeline.ingest(store, [str(renamed)], settings).counts["updated"] == 2
    a, b = sorted(store.list_articles(), key=lambda x: x.url)
    assert a.duplicate_of is None and b.duplicate_of == a.id
    assert "copy_of_no_original" not in names(store) and "two_originals" not in names(store)


def test_an_original_whose_text_changes_hands_its_copies_to_another(store, settings, tmp_path):
    rows = [{"url": f"https://example.org/{k}", "source": "x", "content": seed_text(1)} for k in "abc"]
    pipeline.ingest(store, [jsonl(tmp_path / "one.jsonl", rows)], settings)
    rows[0]["content"] = seed_text(3)
    pipeline.ingest(store, [jsonl(tmp_path / "two.jsonl", rows[:1])], settings)
    a, b, c = sorted(store.list_articles(), key=lambda x: x.url)
    assert a.duplicate_of is None and b.duplicate_of is None and c.duplicate_of == b.id
    assert names(store) == {"queued"}


def test_analyse_all_repairs_a_copy_cycle(store, settings, memo):
    base = Article(id="a", text=seed_text(4), clean_text=seed_text(4), content_hash="same")
    store.put_articles([base, replace(base, id="b")])
    with store._transaction() as cur:
        cur.execute("UPDATE articles SET duplicate_of = CASE id WHEN 'a' THEN 'b' ELSE 'a' END")
    assert "copy_of_no_original" in names(store)
    pipeline.analyse(store, settings, everything=True, workers=1)
    assert store.check() == []
    assert sorted((x.id, x.duplicate_of) for x in store.list_articles()) == [("a", None), ("b", "a")]


def test_a_url_whose_text_changes_is_indexed_again(store, settings, tmp_path, memo):
    rows = seed_rows(0, 1)
    pipeline.ingest(store, [jsonl(tmp_path / "one.jsonl", rows)], settings)
    pipeline.analyse(store, settings, workers=1)
    rows[1]["content"] = seed_text(0) + "\nوأضاف المرصد أن الحافلات وصلت."
    pipeline.ingest(store, [jsonl(tmp_path / "two.jsonl", rows)], settings)
    pipeline.analyse(store, settings, workers=1)
    ids = {a.url: a.id for a in store.list_articles()}
    links = store.get_duplicate_links(ids["https://example.org/1"])
    assert {link.other_id for link in links} == {ids["https://example.org/0"]}
    assert "near" in {link.kind for link in links}
    rows[1]["content"] = seed_text(3)
    pipeline.ingest(store, [jsonl(tmp_path / "three.jsonl", rows)], settings)
    pipeline.analyse(store, settings, workers=1)
    assert store.get_duplicate_links(ids["https://example.org/1"]) == [] and store.check() == []


def test_api_records_go_through_ingest_records(store, settings):
    report = pipeline.ingest_records(store, seed_rows(2), settings)
    article = store.get_article(report.changed_ids[0])
    assert report.counts["new"] == 1 and article.origin == "<api>[0]" and "fingerprint" not in article.meta
    assert pipeline.ingest_records(store, seed_rows(2), settings).counts["unchanged"] == 1

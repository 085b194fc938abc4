"""PostgreSQL-only behaviour of the store: racing migrations, URL forms, reconnection, errors."""
from __future__ import annotations

import sys
import threading

import pytest

from rasid.errors import MissingDependency, StoreError
from rasid.store import open_store
from tests.test_store import article


# -- PostgreSQL only


@pytest.mark.postgres
def test_postgres_migrations_are_applied_once_when_processes_race(pg_url):
    errors, opened = [], []
    barrier = threading.Barrier(4)

    def start():
        barrier.wait()
        try:
            opened.append(open_store(pg_url))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(s.migrations() == ["0001_initial", "0002_seen_records", "0003_article_order", "0004_rejections_once", "0005_listing_order", "0006_analysis_queue",
                                     "0007_story_summaries", "0008_record_version", "0010_story_state"] for s in opened)
    for s in opened:
        s.close()


@pytest.mark.postgres
def test_postgres_url_forms(pg_url):
    with open_store(pg_url.replace("postgresql://", "postgres://", 1)) as via_alias:
        assert via_alias.url.startswith("postgresql://")
        assert via_alias.count_articles() == 0


@pytest.mark.postgres
def test_postgres_reconnects_after_losing_the_server(pg_url):
    import psycopg

    with open_store(pg_url) as pg, psycopg.connect(pg_url, autocommit=True) as admin:
        pg.put_articles([article("a1")])
        for conn in pg._connections.idle():  # the store's connections, all idle between calls
            admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        with pytest.raises(StoreError, match="check that the server is up, then retry"):
            pg.count_articles()
        assert pg.count_articles() == 1


@pytest.mark.postgres
def test_postgres_refuses_nul_with_a_clear_error(pg_url):
    with open_store(pg_url) as pg:
        with pytest.raises(StoreError, match="article 'nul' from 'feed.jsonl:4' contains a NUL character"):
            pg.put_articles([article("ok"), article("nul", "نص\x00نص", origin="feed.jsonl:4")])
        assert pg.count_articles() == 0  # the whole batch is rolled back


def test_postgres_connection_failure_names_the_url_without_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://rasid:s3cret@127.0.0.1:1/archive?password=s3cret")
    message = str(raised.value)
    assert "s3cret" not in message
    assert "postgresql://rasid@127.0.0.1:1/archive" in message
    assert "check that the server is running" in message


def test_postgres_without_psycopg_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDependency, match=r"pip install 'rasid\[postgres\]'"):
        open_store("postgresql://rasid@127.0.0.1:1/archive")




@pytest.mark.postgres
def test_postgres_search_ranks_the_newest_matches_then_lists_the_rest_newest_first(pg_url, monkeypatch):
    from rasid.store import postgres

    once, thrice = "نزح أهالي درعا إلى الشمال.", "درعا درعا درعا: نزح أهالي درعا إلى الشمال."
    monkeypatch.setattr(postgres, "SEARCH_RANK_WINDOW", 3)
    with open_store(pg_url) as pg:
        pg.put_articles([article("d1", once, published="2021-08-01"), article("d2", thrice, published="2021-08-02"),
                         article("d3", once, published="2021-08-03"), article("d4", thrice, published="2021-08-04"),
                         article("d5", once, published="2021-08-05"), article("other", "حصار حي الوعر في حمص.",
                                                                             title="الوعر", published="2021-08-06")])
        hits = pg.search("درعا", limit=10)
        # The three newest matches (d5, d4, d3) ranked, the one saying درعا most first; then d2 and
        # d1, newest first, unranked, although d2 says it as often as d4.
        assert [h.article.id for h in hits] == ["d4", "d5", "d3", "d2", "d1"]
        assert hits[0].score > hits[1].score > 0 and hits[1].score == hits[2].score
        assert [h.score for h in hits[3:]] == [0.0, 0.0]
        paged = [h.article.id for offset in range(0, 5, 2) for h in pg.search("درعا", limit=2, offset=offset)]
        assert paged == ["d4", "d5", "d3", "d2", "d1"]

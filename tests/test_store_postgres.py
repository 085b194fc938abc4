"""PostgreSQL-only behaviour of the store: racing migrations, URL forms, reconnection, errors."""
from __future__ import annotations

import sys
import threading
import time

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
                                     "0007_story_summaries", "0008_record_version", "0009_version_notify", "0010_story_state"] for s in opened)
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
    from rasid.store import pgsearch

    once, thrice = "نزح أهالي درعا إلى الشمال.", "درعا درعا درعا: نزح أهالي درعا إلى الشمال."
    monkeypatch.setattr(pgsearch, "SEARCH_RANK_WINDOW", 3)
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


@pytest.mark.postgres
@pytest.mark.parametrize("window", [3, 500])
def test_postgres_search_pages_from_the_kept_window_equal_the_whole_query(pg_url, monkeypatch, window):
    """With the version heard (the listener), a query's ranked window is kept and later pages read
    only their rows: every page equals the whole query's, past the window too, and a write is seen."""
    from rasid.store import pgsearch

    monkeypatch.setattr(pgsearch, "SEARCH_RANK_WINDOW", window)
    texts = ["نزح أهالي درعا إلى الشمال.", "درعا درعا درعا: نزح أهالي درعا إلى الشمال.", "درعا درعا في حوران."]
    with open_store(pg_url) as pg, open_store(pg_url) as plain:
        pg.put_articles([article(f"d{i}", texts[i % 3], published=f"2021-08-{i + 1:02d}") for i in range(7)])
        pg.listen()
        assert pg._listener.wait_listening(30)
        assert plain.known_version() is None  # no listener: always the whole query
        pages = [(limit, offset) for limit in (1, 2, 3, 8) for offset in range(0, 8)]
        for limit, offset in pages:
            kept, whole = pg.search("درعا", limit, offset), plain.search("درعا", limit, offset)
            assert [(h.article, h.snippet, h.score) for h in kept] == [(h.article, h.snippet, h.score) for h in whole]
        assert pg._ranked.get("درع", pg.known_version()) is not None  # the window was kept
        plain.put_articles([article("d9", texts[1], published="2021-09-01")])  # another store writes
        deadline = time.monotonic() + 30
        while pg.known_version() != plain.version() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [h.article.id for h in pg.search("درعا", 10)] == [h.article.id for h in plain.search("درعا", 10)]
        assert "d9" in {h.article.id for h in pg.search("درعا", 10)}

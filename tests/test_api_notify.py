"""On PostgreSQL an API worker hears the record's version (LISTEN/NOTIFY, migration 0009): a cache
hit asks the database nothing, a write by another process still empties the cache, and while the
listener is down every request asks for the version as before."""
from __future__ import annotations

import time

import psycopg
import pytest

from rasid.store import open_store
from tests.store_fixtures import fresh_schema
from tests.test_api_cache import client_for, write_elsewhere
from web_fixtures import populate

pytestmark = pytest.mark.postgres

PATH = "/api/articles?limit=50"


@pytest.fixture
def pg(postgres_url):
    with fresh_schema(postgres_url) as url, open_store(url) as store:
        populate(store)
        yield url, store


def heard(store, version: int, within: float = 30.0) -> bool:
    """Wait for the listener to hear ``version`` (a notification crosses two processes)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if store.known_version() == version:
            return True
        time.sleep(0.01)
    return False


class NoVersionQuery:
    """Stands in for ``store.version``: any call is a query the listener should have saved."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        raise AssertionError("a cache hit asked the database for the version")


def test_a_hit_asks_nothing_and_another_process_s_write_is_heard(pg, monkeypatch):
    url, store = pg
    with client_for(store) as client:
        assert store._listener.wait_listening(30)
        first = client.get(PATH)
        asked = NoVersionQuery()
        monkeypatch.setattr(store, "version", asked)
        again = client.get(PATH)
        assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit") and asked.calls == 0
        before = store.known_version()
        write_elsewhere(url)  # its own process, its own connection
        monkeypatch.undo()
        assert heard(store, store.version()) and store.known_version() > before
        after = client.get(PATH)
        assert after.headers["x-cache"] == "miss"
        assert after.json()["meta"]["total"] == first.json()["meta"]["total"] + 1


def test_this_process_s_own_write_is_known_before_any_notification(pg):
    _, store = pg
    with client_for(store) as client:
        assert store._listener.wait_listening(30)
        assert client.get(PATH).headers["x-cache"] == "miss"
        store._listener.version = 0  # as if the notification of the write below were still on its way
        store.put_articles([_another_article("خبر من هذه العملية.")])
        assert store.known_version() == store.version()
        assert client.get(PATH).headers["x-cache"] == "miss"


def test_a_bump_in_another_schema_is_not_this_record_s(pg, postgres_url):
    url, store = pg
    store.listen()
    listener = store._listener
    assert listener.wait_listening(30)
    mine = listener.version
    with fresh_schema(postgres_url) as other_url, open_store(other_url) as other:
        with other._transaction() as cur:  # the other record's counter jumps far past this one's
            cur.execute("UPDATE record_version SET n = n + 1000")
        with open_store(url) as writer:  # then this record changes, through another connection
            writer.put_articles([_another_article("خبر في هذا السجل.")])
        deadline = time.monotonic() + 30
        while listener.version == mine and time.monotonic() < deadline:
            time.sleep(0.01)
        assert listener.version == store.version() == mine + 1  # the other schema's 1,000 was not taken


def test_with_the_listener_down_each_request_asks_and_stays_exact(pg):
    url, store = pg
    with client_for(store) as client:
        listener = store._listener
        assert listener.wait_listening(30)
        assert client.get(PATH).headers["x-cache"] == "miss"
        with psycopg.connect(url, autocommit=True) as admin:  # the server drops the listener's session
            admin.execute("SELECT pg_terminate_backend(%s)", (listener._conn.info.backend_pid,))
        deadline = time.monotonic() + 30
        while listener.version is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        listener.stop()  # and keep it down while the write below happens
        assert store.known_version() is None
        write_elsewhere(url)
        after = client.get(PATH)  # nothing heard: the version is read, the write is seen
        assert after.headers["x-cache"] == "miss" and "وكالة أخرى" in {a["outlet"] for a in after.json()["data"]}
        assert client.get(PATH).headers["x-cache"] == "hit"
        listener._stop.clear()
        listener.start()  # back: it reads the version before trusting notifications again
        assert listener.wait_listening(30) and store.known_version() == store.version()
        assert client.get(PATH).headers["x-cache"] == "hit"


def test_sqlite_knows_no_version_without_asking(tmp_path):
    with open_store(str(tmp_path / "rasid.db")) as store:
        store.listen()
        assert store.known_version() is None and store.version() >= 0


def _another_article(line: str):
    from web_fixtures import make_article, seed_text

    return make_article(seed_text("004") + "\n" + line, "وكالة", "2019-02-0" + str(len(line) % 9 + 1),
                        "https://example.org/" + str(abs(hash(line))))

"""The API on PostgreSQL, served by a real uvicorn: requests answered at once are answered right,
and one request waiting on the database does not hold up the others."""
from __future__ import annotations

import http.client
import json
import random
import threading
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from rasid.app import ServeSettings, create_app
from rasid.store import open_store
from tests.store_fixtures import fresh_schema
from web_fixtures import live_server, populate

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_world(postgres_url):
    with fresh_schema(postgres_url) as url, open_store(url) as store:
        info = populate(store)
        yield url, store, info


@contextmanager
def served(store):
    with live_server(create_app(ServeSettings(), store)) as address:
        yield address


def get(address, path: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def paths(info) -> list[str]:
    a0 = info["articles"]["000"]
    return ["/api/articles", "/api/articles?limit=2&offset=1", f"/api/articles/{a0.id}", "/api/stories",
            "/api/stories/st-daraa-2021", "/api/stories/st-homs-2017", "/api/events",
            f"/api/events?place={quote('rasid:daraa-al-balad')}", f"/api/search?q={quote('درعا')}",
            f"/api/search?q={quote('مقاتلي المعارضة')}&limit=1", "/api/places", "/api/actors",
            "/api/articles/no-such-article", "/api/stats"]


def wait_for_a_blocked_query(url: str) -> None:
    """Until the server shows a query waiting for a lock (the request reached the database)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(600):
            if watcher.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
                return
            threading.Event().wait(0.1)
    raise AssertionError("the story request never reached the database")


def test_postgres_store_is_threaded_and_sqlite_is_not(pg_world):
    with open_store(":memory:") as sqlite:
        assert sqlite.threaded is False
    assert pg_world[1].threaded is True


def test_concurrent_requests_get_the_answers_of_sequential_ones(pg_world):
    _, store, info = pg_world
    with served(store) as address:
        expected = {path: get(address, path) for path in paths(info)}
        assert expected["/api/stories/st-daraa-2021"][0] == 200
        assert expected["/api/articles/no-such-article"][0] == 404
        assert len(expected[f"/api/search?q={quote('درعا')}"][1]["data"]) >= 3
        work = paths(info) * 8
        random.Random(3).shuffle(work)
        answers: list[tuple[str, tuple[int, dict]]] = []
        lock = threading.Lock()

        def client(share: list[str]) -> None:
            for path in share:
                answer = get(address, path)
                with lock:
                    answers.append((path, answer))

        threads = [threading.Thread(target=client, args=(work[i::20],)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == len(work)
    wrong = [path for path, answer in answers if answer != expected[path]]
    assert wrong == []


def test_a_request_waiting_on_the_database_does_not_hold_up_the_others(pg_world):
    import psycopg

    url, store, info = pg_world
    with served(store) as address, psycopg.connect(url) as admin:
        admin.execute("LOCK TABLE stories IN ACCESS EXCLUSIVE MODE")  # held until the commit below
        waiting: list[tuple[int, dict]] = []
        blocked = threading.Thread(target=lambda: waiting.append(get(address, "/api/stories?limit=1")))
        blocked.start()
        wait_for_a_blocked_query(url)
        status, body = get(address, "/api/articles?limit=2")  # answered while the other still waits
        assert status == 200 and len(body["data"]) == 2
        assert blocked.is_alive() and waiting == []
        admin.commit()
        blocked.join(timeout=60)
    assert waiting and waiting[0][0] == 200
    assert [s["id"] for s in waiting[0][1]["data"]] == ["st-daraa-2021"]

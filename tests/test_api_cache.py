"""The API's response cache (rasid.api.cache) and the record version it trusts, on both backends:
an answer is reused until any write, by this process or another, and ETags give 304s."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from rasid.app import ServeSettings, create_app
from rasid.store import open_store
from tests.store_fixtures import fresh_schema
from web_fixtures import make_article, populate, seed_text

ROOT = Path(__file__).resolve().parents[1]

# Another process writes one article to the record at argv[1] (its own store, its own connection).
WRITER = """
import sys
from rasid.models import Article
from rasid.store import open_store
from web_fixtures import make_article, seed_text
with open_store(sys.argv[1]) as store:
    store.put_articles([make_article(seed_text("004") + "\\nتحديث من وكالة أخرى.", "وكالة أخرى", "2019-01-02", "https://example.org/other")])
"""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    """(url, store, info) of a populated record on each backend."""
    if request.param == "sqlite":
        url = str(tmp_path / "rasid.db")
        with open_store(url) as store:
            yield url, store, populate(store)
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url, open_store(url) as store:
        yield url, store, populate(store)


def client_for(store, entries: int = 2048) -> TestClient:
    return TestClient(create_app(ServeSettings(cache_entries=entries), store))


def write_elsewhere(url: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run([sys.executable, "-c", WRITER, url], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_an_answer_is_reused_until_another_process_writes(world):
    url, store, _ = world
    with client_for(store) as client:
        first = client.get("/api/articles?limit=50")
        again = client.get("/api/articles?limit=50")
        assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
        before = store.version()
        write_elsewhere(url)
        assert store.version() > before
        after = client.get("/api/articles?limit=50")
        assert after.headers["x-cache"] == "miss"
        assert after.json()["meta"]["total"] == first.json()["meta"]["total"] + 1
        assert "وكالة أخرى" in {a["outlet"] for a in after.json()["data"]}
        assert after.headers["etag"] != first.headers["etag"]


def test_a_write_through_this_server_empties_the_cache(world):
    _, store, _ = world
    with client_for(store) as client:
        assert client.get("/api/stories").headers["x-cache"] == "miss"
        assert client.get("/api/stories").headers["x-cache"] == "hit"
        store.put_articles([make_article(seed_text("004") + "\nمصدر آخر.", "مصدر", "2019-05-05", "https://example.org/x")])
        assert client.get("/api/stories").headers["x-cache"] == "miss"


def test_etag_gives_304_with_the_cache_on_and_off(world):
    _, store, info = world
    story = quote("st-daraa-2021")
    for entries in (2048, 0):
        with client_for(store, entries) as client:
            first = client.get(f"/api/stories/{story}")
            assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
            tag = first.headers["etag"]
            same = client.get(f"/api/stories/{story}", headers={"If-None-Match": tag})
            assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == tag
            listed = client.get(f"/api/stories/{story}", headers={"If-None-Match": f'"other", W/{tag}'})
            assert listed.status_code == 304
            stale = client.get(f"/api/stories/{story}", headers={"If-None-Match": '"not-it"'})
            assert stale.status_code == 200 and stale.content == first.content
            assert first.headers["x-cache"] == ("miss" if entries else "off")


def test_errors_are_never_cached_nor_tagged(world):
    _, store, _ = world
    with client_for(store) as client:
        for _ in range(2):
            missing = client.get("/api/stories/no-such-story")
            assert missing.status_code == 404 and missing.json()["ok"] is False
            assert "etag" not in missing.headers and "x-cache" not in missing.headers
        bad = client.get("/api/articles?limit=-1")
        assert bad.status_code == 422 and "x-cache" not in bad.headers


def test_the_cache_never_skips_the_read_token(world):
    _, store, _ = world
    app = create_app(ServeSettings(read_token="s3cret"), store)
    with TestClient(app) as client:
        ok = client.get("/api/stats", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        refused = client.get("/api/stats")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"


def test_the_cache_keeps_at_most_its_entries(world):
    _, store, _ = world
    with client_for(store, entries=2) as client:
        for path in ("/api/articles?limit=1", "/api/articles?limit=2", "/api/articles?limit=3"):
            assert client.get(path).headers["x-cache"] == "miss"
        assert client.get("/api/articles?limit=3").headers["x-cache"] == "hit"
        assert client.get("/api/articles?limit=1").headers["x-cache"] == "miss"  # the oldest went first


def test_only_a_transaction_that_wrote_bumps_the_version(world):
    _, store, info = world
    start = store.version()
    store.pending(10)
    store.queue_status()
    assert store.version() == start
    with pytest.raises(ZeroDivisionError):
        with store._transaction() as cur:
            cur.execute("DELETE FROM seen_records")
            1 / 0
    assert store.version() == start
    store.put_articles([info["articles"]["000"]])  # unchanged: no row written
    store.put_articles([make_article(seed_text("004") + "\nخبر جديد.", "جديد", "2019-06-06", "https://example.org/new")])
    assert store.version() > start


def test_extractions_page_by_page_match_one_by_one(world):
    _, store, _ = world
    one_by_one = [store.get_extraction(a) for a in store.article_ids()]
    assert list(store.iter_extractions(page=2)) == [x for x in one_by_one if x]


def test_a_streamed_export_passes_through_untagged(world):
    _, store, _ = world
    with client_for(store) as client:
        first = client.get("/api/export?format=csv")
        again = client.get("/api/export?format=csv")
        assert first.status_code == again.status_code == 200
        assert first.headers["content-type"].startswith("text/csv") and first.text.count("\n") > 1
        assert again.content == first.content
        assert "etag" not in again.headers and "x-cache" not in again.headers

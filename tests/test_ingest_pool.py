"""Ingest through the cleaning pool: rows that crossed processes store what the articles store,
the pool stays at most a window ahead of the writer, and stopping early leaves nothing waiting."""
import json
import lzma
import pickle
import sqlite3
import threading

import pytest

from rasid import pipeline
from rasid.ingest.inflight import InFlight
from rasid.settings import load_settings
from rasid.store import open_store
from rasid.store.codec import article_row
from rasid.ingest.sources import read_inputs
from rasid.models import Article
from tests.conftest import SEEDS, SHARED

SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
# What ingest stores, ingest and update times left out (as benchmarks/ingest.py --dump).
STORED = ("SELECT rowid, id, content_hash, duplicate_of, outlet, url, origin, title, author, language, published, "
          "published_precision, text, clean_text, meta, record_hash FROM articles ORDER BY rowid",
          "SELECT rowid, id, terms FROM articles_fts ORDER BY rowid",
          "SELECT id, block FROM articles_fts_data ORDER BY id",
          "SELECT fingerprint, article_id FROM seen_records ORDER BY fingerprint")


@pytest.fixture
def seed_articles():
    settings = load_settings(environ={})
    items = read_inputs([str(SEEDS)], pipeline.read_options(settings))
    articles = [pipeline.to_article(item, settings, "2021-08-26") for item in items]
    assert len(articles) == 5 and all(isinstance(a, Article) for a in articles)
    return articles


def _sample(tmp_path, count, copies=0):
    """The first ``count`` reports, then ``copies`` of them again under another URL (exact copies)
    and as many again under their own URL with a sentence added (updates, often in one batch)."""
    path = tmp_path / "sample.jsonl"
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(count), lines)]
    again = [{**r, "url": r["url"] + "?copy"} for r in records[:copies]]
    edited = [{**r, "content": r["content"] + "\nوأضاف المصدر أن العمل مستمر."} for r in records[1:copies + 1]]
    with open(path, "w", encoding="utf-8") as out:
        for record in records + again + edited:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _stored(db):
    con = sqlite3.connect(db)
    try:
        return [con.execute(sql).fetchall() for sql in STORED]
    finally:
        con.close()


def test_a_pool_of_two_stores_the_same_bytes_as_one_process(tmp_path):
    source = _sample(tmp_path, 300, copies=30)
    stored = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        settings = load_settings(environ={}).replace("ingest", workers=workers, batch_size=100)
        with open_store(str(db)) as store:
            report = pipeline.ingest(store, [str(source)], settings)
        assert report.counts["new"] > 320 and report.counts["updated"] > 20 and report.exact_copies > 25
        stored[workers] = _stored(db)
    articles, terms = stored[1][0], stored[1][1]
    assert all(isinstance(row[12], str) and isinstance(row[13], str) for row in articles)  # TEXT, never BLOB
    assert all(isinstance(row[2], str) and row[2] for row in terms)
    assert stored[2] == stored[1]


def test_an_article_row_crosses_processes_as_utf8_and_gives_back_its_article(seed_articles):
    for article in seed_articles:
        row = article_row(article)
        back = pickle.loads(pickle.dumps(row))
        assert isinstance(back.columns[1], bytes)  # the text: copied, not decoded, on the way
        assert back.article == article and back.terms == row.terms and back.record_hash == row.record_hash
        assert back.id == article.id and back.content_hash == article.content_hash


def test_rows_that_crossed_processes_store_what_their_articles_store(seed_articles, tmp_path):
    rows = [pickle.loads(pickle.dumps(article_row(a))) for a in seed_articles]
    for name, items in (("articles", seed_articles), ("rows", rows)):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            store.put_articles(items)
    assert _stored(tmp_path / "rows.db") == _stored(tmp_path / "articles.db")


def test_the_window_lets_out_no_more_jobs_than_its_limit_until_one_is_taken():
    window = InFlight(3)
    jobs = window.feed(iter(range(10)))
    assert [next(jobs) for _ in range(3)] == [0, 1, 2]
    fourth = []
    feeder = threading.Thread(target=lambda: fourth.append(next(jobs)))
    feeder.start()
    feeder.join(0.3)
    assert feeder.is_alive() and not fourth  # waits for a slot
    window.taken()
    feeder.join(10)
    assert fourth == [3]


def test_a_writer_that_stops_early_leaves_no_pool_waiting(tmp_path):
    source = _sample(tmp_path, 1300)  # more than the window (1,024 with 2 workers)
    settings = load_settings(environ={}).replace("ingest", workers=2)
    report = pipeline.IngestReport()
    items = read_inputs([str(source)], pipeline.read_options(settings))
    done = threading.Event()

    def take_a_few():
        rows = pipeline.articles_from(items, settings, report, workers=2)
        taken = [next(rows) for _ in range(5)]
        rows.close()  # the pool's feeding thread waits for a slot here: close must let it go
        done.set()
        return taken

    worker = threading.Thread(target=take_a_few)
    worker.start()
    worker.join(120)
    assert done.is_set(), "closing ingest's rows early left the pool waiting"

"""Ingest: every format, every encoding, every kind of bad input; nothing stored is lost."""
import gzip
import json
import lzma
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rasid import pipeline
from rasid.ingest.decode import detect_encoding
from rasid.ingest.published import parse_published
from rasid.store import open_store
from tests.conftest import SEED_FILES, seed_text

BODY = "قال المرصد السوري لحقوق الإنسان إن 53 شخصاً خرجوا من درعا البلد يوم الخميس."


@pytest.fixture
def inputs(tmp_path):
    """A folder of inputs apart from the database file."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


def ingest(store, settings, *paths, **kw):
    return pipeline.ingest(store, [str(p) for p in paths], settings, **kw)


def test_seeds_ingest_then_nothing_changes(fresh_store, settings, seeds_dir):
    first = ingest(fresh_store, settings, seeds_dir)
    assert first.counts == {"new": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    again = ingest(fresh_store, settings, seeds_dir)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert fresh_store.count_articles() == 5
    article = fresh_store.list_articles()[0]
    assert article.language == "ar" and article.published is None and article.published_precision == "unknown"
    assert article.origin.startswith(str(seeds_dir))


def test_original_text_is_kept_untouched(fresh_store, settings):
    ingest(fresh_store, settings, SEED_FILES[0])
    article = fresh_store.list_articles()[0]
    assert article.text == seed_text(0)
    assert ".," not in article.clean_text


def test_search_finds_daraa_in_four_seeds(fresh_store, settings, seeds_dir):
    ingest(fresh_store, settings, seeds_dir)
    origins = sorted(hit.article.origin[-24:-21] for hit in fresh_store.search("درعا", limit=10))
    assert origins == ["000", "001", "003", "004"]


def test_published_flag_and_precision(fresh_store, settings):
    ingest(fresh_store, settings, SEED_FILES[0], published="2021-08-26")
    article = fresh_store.list_articles()[0]
    assert (article.published, article.published_precision) == ("2021-08-26", "day")
    assert article.meta["published_from"] == "--published"


@pytest.mark.parametrize("value, expected", [
    ("2015-07-21 02:51:32", ("2015-07-21T02:51:32", "day")), ("2021-08-26", ("2021-08-26", "day")),
    ("2021-08", ("2021-08", "month")), ("2021", ("2021", "year")),
    ("Thu, 26 Aug 2021 10:00:00 +0300", ("2021-08-26T07:00:00", "day")),
    ("", (None, "unknown")), ("قبل ساعة", (None, "unknown")), ("2021-13-40", (None, "unknown")),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_jsonl_saudinewsnet_fields_and_exact_copies(tmp_path, fresh_store, settings):
    rows = [
        {"source": "aawsat", "url": "http://a/1", "date_extracted": "2015-07-21 02:51:32", "title": "خبر", "author": "س", "content": BODY},
        {"source": "okaz", "url": "http://o/9", "date_extracted": "2015-07-22 10:00:00", "title": "خبر", "author": "", "content": BODY},
        {"source": "okaz", "url": "http://o/10", "date_extracted": "2015-07-22", "title": "آخر", "author": "", "content": "نص آخر تماماً عن حمص."},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 3 and report.exact_copies == 1
    okaz = [a for a in fresh_store.list_articles() if a.outlet == "okaz" and a.title == "خبر"][0]
    first = [a for a in fresh_store.list_articles() if a.outlet == "aawsat"][0]
    assert okaz.duplicate_of == first.id and first.duplicate_of is None
    assert first.published == "2015-07-21T02:51:32" and first.meta["published_from"] == "date_extracted"
    assert first.author == "س" and first.url == "http://a/1"


def test_field_mapping_flags(tmp_path, fresh_store, settings):
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"headline": "عنوان", "story": BODY, "pub": "2021-08-26"}, ensure_ascii=False), encoding="utf-8")
    ingest(fresh_store, settings, path, field_map={"text": "story", "published": "pub"})
    article = fresh_store.list_articles()[0]
    assert article.text == BODY and article.title == "عنوان" and article.published == "2021-08-26"


def test_csv_tsv_and_compressed(inputs, fresh_store, settings):
    tmp_path = inputs
    csv_text = "source,url,title,content\nsana,http://s/1,عنوان,\"" + BODY + "\"\n"
    (tmp_path / "a.csv").write_text(csv_text, encoding="utf-8-sig")
    (tmp_path / "b.tsv").write_text("source\turl\ttitle\tcontent\nsohr\thttp://x/2\tعنوان\tنص عن إدلب.\n", encoding="utf-8")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"url": "http://g/3", "title": "غز", "content": "نص مضغوط عن حماة."}, ensure_ascii=False))
    with lzma.open(tmp_path / "d.txt.xz", "wt", encoding="utf-8") as f:
        f.write("عنوان مضغوط\nنص الخبر عن حلب.")
    report = ingest(fresh_store, settings, tmp_path)
    assert report.counts == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    titles = sorted(a.title for a in fresh_store.list_articles())
    assert titles == ["عنوان", "عنوان", "عنوان مضغوط", "غز"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256", "utf-16", "utf-16-le"])
def test_encodings_are_detected(tmp_path, fresh_store, settings, encoding):
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(seed_text(0).encode(encoding))
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 1
    assert fresh_store.list_articles()[0].text == seed_text(0)


def test_windows_1256_jsonl(tmp_path, fresh_store, settings):
    path = tmp_path / "w.jsonl"
    path.write_bytes(json.dumps({"title": "عنوان", "content": BODY}, ensure_ascii=False).encode("cp1256"))
    assert ingest(fresh_store, settings, path).counts["new"] == 1
    assert fresh_store.list_articles()[0].text == BODY


def test_undecidable_encoding_is_refused_not_stored():
    with pytest.raises(Exception, match="neither UTF-8"):
        detect_encoding("Grüße aus Köln, ça va très bien".encode("latin-1"))


def test_bad_inputs_with_good_ones(inputs, fresh_store, settings):
    tmp_path = inputs
    good = tmp_path / "good.txt"
    good.write_text(seed_text(1), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(os.urandom(4096) + b"\x00" * 64)
    (tmp_path / "latin.txt").write_bytes("Grüße aus Köln, ça va très bien, merci".encode("latin-1"))
    lines = [json.dumps({"title": "أ", "content": BODY}, ensure_ascii=False), "{not json", "[1, 2]",
             json.dumps({"title": "ب", "content": "نص ثان عن حمص."}, ensure_ascii=False)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "broken.jsonl.xz").write_bytes(b"\xfd7zXZ\x00 not really xz")
    huge = tmp_path / "huge.txt"
    huge.write_text("عنوان\n" + "كلمة " * 1_200_000, encoding="utf-8")  # 12 MB, over the 5 MB report limit
    report = ingest(fresh_store, settings, tmp_path, tmp_path / "missing.txt")
    assert report.counts["new"] == 3
    messages = "\n".join(r.message() for r in report.rejections)
    assert "empty.txt: the file is empty" in messages
    assert "binary.bin: this is a binary file" in messages
    assert "latin.txt: cannot decide the text encoding" in messages and "iconv" in messages
    assert "feed.jsonl:2: line 2 is not JSON" in messages
    assert "feed.jsonl:3: line 3 is JSON but not an object" in messages
    assert "broken.jsonl.xz: cannot read the file" in messages
    assert "huge.txt: larger than 5,000,000 bytes" in messages
    assert "missing.txt: no such file or folder" in messages
    assert len(fresh_store.list_rejections(100)) == len(report.rejections) == 8


def test_a_200_mb_jsonl_streams(tmp_path, settings):
    """A dump far bigger than one report streams through; only the test's time grows."""
    path = tmp_path / "big.jsonl"
    line = (json.dumps({"title": "عنوان", "content": BODY * 40}, ensure_ascii=False) + "\n").encode("utf-8")
    with open(path, "wb") as f:
        for _ in range(200 * 1024 * 1024 // len(line) // 40):  # a 5 MB sample of the shape keeps CI fast
            f.write(line)
    from rasid.ingest.sources import read_inputs

    count = sum(1 for _ in read_inputs([str(path)]))
    assert count == 200 * 1024 * 1024 // len(line) // 40


def test_stdin(fresh_store, settings):
    import io

    report = pipeline.ingest(fresh_store, ["-"], settings, stdin=io.BytesIO(seed_text(2).encode("utf-8")))
    assert report.counts["new"] == 1
    assert fresh_store.list_articles()[0].origin == "<stdin>"


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>وكالة الاختبار</title>
<item><title>خروج دفعة من درعا</title><link>{base}/page1</link><pubDate>Thu, 26 Aug 2021 10:00:00 +0000</pubDate>
<description>ملخص قصير</description></item>
<item><title>خبر كامل</title><link>{base}/page2</link><description>{long}</description></item>
</channel></rss>"""
PAGE = """<html><head><title>خروج دفعة من درعا</title><meta property="og:site_name" content="موقع"></head>
<body><article><h1>خروج دفعة من درعا</h1><p>{p}</p><p>{p}</p></article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {"/feed.xml": ("application/rss+xml", FEED.format(base=base, long=BODY * 10)),
                  "/page1": ("text/html; charset=utf-8", PAGE.format(p=BODY * 3))}
        if self.path not in routes:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))


@pytest.fixture
def web_server():
    """The one place the network is faked: a real HTTP server on loopback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_feed_url_fetches_short_entries(fresh_store, settings, web_server):
    report = ingest(fresh_store, settings, f"{web_server}/feed.xml")
    assert report.counts["new"] == 2
    by_title = {a.title: a for a in fresh_store.list_articles()}
    first = by_title["خروج دفعة من درعا"]
    assert "53 شخصاً" in first.text  # the page was fetched: the summary alone was short
    assert first.outlet == "وكالة الاختبار" and first.published == "2021-08-26T10:00:00"


def test_html_file(tmp_path, fresh_store, settings):
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(p=BODY * 3), encoding="utf-8")
    assert ingest(fresh_store, settings, path).counts["new"] == 1
    article = fresh_store.list_articles()[0]
    assert article.title == "خروج دفعة من درعا" and "53 شخصاً" in article.text


def test_url_that_does_not_answer(fresh_store, settings):
    report = ingest(fresh_store, settings.replace("ingest", fetch_timeout=2.0), "http://127.0.0.1:9/feed.xml")
    assert report.counts["rejected"] == 1
    assert "does not answer" in report.rejections[0].reason


def test_kill_9_mid_ingest_leaves_a_consistent_database(tmp_path):
    """A process killed mid-ingest keeps whole batches only; the same command then completes it."""
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(6000):
            f.write(json.dumps({"url": f"http://x/{i}", "title": f"خبر {i}", "content": f"{BODY} رقم {i}"}, ensure_ascii=False) + "\n")
    db = tmp_path / "k.db"
    env = dict(os.environ, RASID_INGEST_BATCH_SIZE="100", RASID_ANALYSIS_ENABLED="false")
    command = [sys.executable, "-m", "rasid", "--db", str(db), "ingest", str(path), "-q"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        if db.exists():
            with open_store(str(db)) as probe:
                if probe.count_articles() >= 200:
                    break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_store(str(db)) as store:
        stored = store.count_articles()
        assert stored % 100 == 0 and 0 < stored < 6000  # whole batches only
        assert len(store.search("المرصد", limit=10_000)) == stored  # index and table agree
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert f"{6000 - stored:,} new" in done.stdout and f"{stored:,} unchanged" in done.stdout


def test_folder_given_through_dot_dot_and_hidden_files(tmp_path, fresh_store, settings):
    """A path like ../shared/corpus/seeds works; hidden files inside the folder are skipped."""
    folder = tmp_path / "in" / "seeds"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(seed_text(2), encoding="utf-8")
    (folder / ".hidden.txt").write_text(seed_text(3), encoding="utf-8")
    (tmp_path / "work").mkdir()
    relative = os.path.relpath(folder, tmp_path / "work")
    assert relative.startswith("..")
    cwd = os.getcwd()
    os.chdir(tmp_path / "work")
    try:
        report = ingest(fresh_store, settings, relative)
    finally:
        os.chdir(cwd)
    assert report.counts["new"] == 1


def test_rejections_are_not_repeated_by_a_rerun(inputs, fresh_store, settings):
    (inputs / "empty.txt").write_bytes(b"")
    ingest(fresh_store, settings, inputs)
    ingest(fresh_store, settings, inputs)
    assert len(fresh_store.list_rejections()) == 1

"""Live input: feeds and pages served by the test on 127.0.0.1, a real folder, a real SQLite store."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from rasid.cli import main
from rasid.errors import ConfigError, InputError
from rasid.live.feeds import feed_urls
from rasid.live.http import PoliteClient, Validators
from rasid.live.options import LiveOptions, live_options
from rasid.live.poll import Poller, run_poll
from rasid.live.batch import warm_up
from rasid.live.stop import Stopper, stop_on_signals
from rasid.live.watch import FolderWatcher, run_watch, step
from tests.conftest import ROOT, SEED_FILES

QUICK = {"RASID_ANALYSIS_NER": "false", "RASID_INGEST_WORKERS": "1"}  # analysis on, the slow NER off


class Clock:
    """A clock the test moves: backoff and debounce are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Site:
    """Feeds and pages on 127.0.0.1: each path answers as its route says, and every request is kept."""

    def __init__(self) -> None:
        self.routes: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path, {"status": 404})
                etag, modified = route.get("etag"), route.get("last_modified")
                if (etag and self.headers.get("If-None-Match") == etag) or \
                        (modified and self.headers.get("If-Modified-Since") == modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = route.get("body", b"")
                self.send_response(route.get("status", 200))
                for name, value in (("Content-Type", route.get("type", "application/rss+xml; charset=utf-8")),
                                    ("ETag", etag), ("Last-Modified", modified), ("Retry-After", route.get("retry_after"))):
                    if value:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def asked(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def site():
    served = Site()
    yield served
    served.server.shutdown()
    served.server.server_close()


def seed(number: int) -> tuple[str, str]:
    title, _, body = SEED_FILES[number].read_text(encoding="utf-8").strip().partition("\n")
    return title.strip(), body.strip()


def rss(site: Site, numbers: list[int], short: bool = False) -> bytes:
    """An RSS feed of seed reports; ``short`` gives summaries only, so each entry's page is fetched."""
    items = []
    for n in numbers:
        title, body = seed(n)
        text = body[:120] if short else body
        items.append(f"<item><title>{escape(title)}</title><link>{site.url(f'/news/{n}')}</link>"
                     f"<description>{escape(text)}</description>"
                     f"<pubDate>Thu, 26 Aug 2021 0{n}:00:00 +0000</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>المرصد</title>'
            f'{"".join(items)}</channel></rss>').encode("utf-8")


def page(number: int) -> bytes:
    title, body = seed(number)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>").encode("utf-8")


def poller(store, settings, urls, clock, **options) -> Poller:
    opts = LiveOptions(**{"politeness": 0.0, "analyse": False, **options})
    return Poller(store, settings, urls, opts, PoliteClient(opts.politeness, 5.0, clock=clock), clock)


# -- feed lists ----------------------------------------------------------------------------------

def test_feed_list_file_gives_urls_in_order_once(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# Syrian outlets\nhttps://a.example/rss\n\n  https://b.example/feed#x  \nhttps://a.example/rss\n",
                       encoding="utf-8")
    assert feed_urls([str(listing), "https://c.example/atom"]) == [
        "https://a.example/rss", "https://b.example/feed#x", "https://c.example/atom"]


@pytest.mark.parametrize("content, message", [
    ("https://a.example/rss\nwww.b.example/rss\n", "line 2 of"),
    ('<?xml version="1.0"?><rss></rss>', "looks like a feed itself"),
    ("# nothing yet\n", "no feed URL"),
])
def test_bad_feed_list_names_the_line_and_the_fix(tmp_path, content, message):
    listing = tmp_path / "feeds.txt"
    listing.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        feed_urls([str(listing)])


def test_bad_duration_names_the_flag(settings):
    with pytest.raises(ConfigError, match="--every = '5x'"):
        live_options(settings, every="5x")
    assert live_options(settings, every="90s", politeness="250ms").every == 90.0
    assert live_options(settings).politeness == 2.0


# -- conditional GET, politeness, backoff --------------------------------------------------------

def test_etag_gives_304_and_a_new_item_appears_in_the_store(site, fresh_store, settings):
    site.routes["/feed.xml"] = {"body": rss(site, [0, 1]), "etag": '"v1"'}
    clock = Clock()
    feeds = poller(fresh_store, settings, [site.url("/feed.xml")], clock, every=300.0)
    first = feeds.poll(feeds.feeds[0])
    assert first.status == "changed" and first.batch.ingest.counts["new"] == 2
    assert fresh_store.count_articles() == 2

    clock.advance(300)
    assert feeds.due() == feeds.feeds
    second = feeds.poll(feeds.feeds[0])
    assert second.status == "not modified" and "304" in second.line()
    assert site.asked("/feed.xml")[-1]["if-none-match"] == '"v1"'

    site.routes["/feed.xml"] = {"body": rss(site, [0, 1, 2]), "etag": '"v2"'}
    clock.advance(300)
    third = feeds.poll(feeds.feeds[0])
    assert third.batch.ingest.counts["new"] == 1 and third.batch.ingest.counts["unchanged"] == 2
    titles = {a.title for a in fresh_store.list_articles()}
    assert seed(2)[0] in titles and fresh_store.count_articles() == 3


def test_last_modified_is_sent_back_and_kept_across_runs(site, fresh_store, settings):
    stamp = "Thu, 26 Aug 2021 10:00:00 GMT"
    site.routes["/atom"] = {"body": rss(site, [3]), "last_modified": stamp}
    clock = Clock()
    first = poller(fresh_store, settings, [site.url("/atom")], clock)
    assert first.poll(first.feeds[0]).status == "changed"
    # a new run on the same store asks conditionally from its first request
    again = poller(fresh_store, settings, [site.url("/atom")], clock)
    assert again.feeds[0].validators == Validators("", stamp)
    assert again.poll(again.feeds[0]).status == "not modified"
    assert site.asked("/atom")[-1]["if-modified-since"] == stamp


def test_errors_back_off_exponentially_then_recover(site, fresh_store, settings):
    site.routes["/feed.xml"] = {"status": 500, "body": b"oops"}
    clock = Clock()
    feeds = poller(fresh_store, settings, [site.url("/feed.xml")], clock,
                   every=300.0, backoff_start=30.0, backoff_max=100.0)
    feed = feeds.feeds[0]
    waits = []
    for _ in range(4):
        outcome = feeds.poll(feed)
        assert outcome.status == "failed" and "HTTP 500" in outcome.error
        waits.append(outcome.retry_in)
        assert feeds.due() == [] and feeds.wait() == outcome.retry_in
        clock.advance(outcome.retry_in)
    assert waits == [30.0, 60.0, 100.0, 100.0]
    assert "failed (4 in a row)" in outcome.line()

    site.routes["/feed.xml"] = {"body": rss(site, [0])}
    recovered = feeds.poll(feed)
    assert recovered.status == "changed" and feed.failures == 0 and feeds.wait() == 300.0


def test_retry_after_is_honoured(site, fresh_store, settings):
    site.routes["/busy"] = {"status": 503, "retry_after": "120"}
    feeds = poller(fresh_store, settings, [site.url("/busy")], Clock(), backoff_start=30.0)
    assert feeds.poll(feeds.feeds[0]).retry_in == 120.0


def test_one_host_is_asked_no_faster_than_the_politeness_delay(site):
    clock = Clock()
    waited = []

    class Recording(Stopper):
        def sleep(self, seconds):
            waited.append(seconds)
            clock.advance(seconds)
            return False

    site.routes["/a"] = site.routes["/b"] = {"body": b"<rss></rss>"}
    client = PoliteClient(2.0, 5.0, Recording(), clock=clock)
    client.get(site.url("/a"))
    client.get(site.url("/b"))  # same host: waits the whole delay
    clock.advance(0.5)
    client.get(site.url("/a"))  # half a second later: waits the rest
    assert waited == [0.0, 2.0, 1.5]
    assert client.wait_for("http://other.example/feed") == 0.0
    client.close()


def test_pages_linked_by_short_entries_are_fetched_once(site, fresh_store, settings):
    site.routes["/short.xml"] = {"body": rss(site, [0, 1], short=True), "etag": '"1"'}
    for n in (0, 1, 2):
        site.routes[f"/news/{n}"] = {"body": page(n), "type": "text/html; charset=utf-8"}
    clock = Clock()
    feeds = poller(fresh_store, settings, [site.url("/short.xml")], clock)
    assert feeds.poll(feeds.feeds[0]).batch.ingest.counts["new"] == 2
    stored = {a.url: a for a in fresh_store.list_articles()}
    assert len(stored[site.url("/news/0")].text) > 1000  # the page's text, not the 120-character summary

    site.routes["/short.xml"] = {"body": rss(site, [0, 1, 2], short=True), "etag": '"2"'}
    assert feeds.poll(feeds.feeds[0]).batch.ingest.counts["new"] == 1
    assert [len(site.asked(f"/news/{n}")) for n in (0, 1, 2)] == [1, 1, 1]


def test_a_polled_page_is_stored_and_updated_when_it_changes(site, fresh_store, settings):
    site.routes["/live-page"] = {"body": page(3), "type": "text/html; charset=utf-8", "etag": '"p1"'}
    clock = Clock()
    feeds = poller(fresh_store, settings, [site.url("/live-page")], clock)
    assert feeds.poll(feeds.feeds[0]).batch.ingest.counts["new"] == 1
    site.routes["/live-page"] = {"body": page(4), "type": "text/html; charset=utf-8", "etag": '"p2"'}
    changed = feeds.poll(feeds.feeds[0])
    assert changed.batch.ingest.counts["updated"] == 1  # the same URL: the same article, edited
    [article] = fresh_store.list_articles()
    assert article.title == seed(4)[0] and article.url == site.url("/live-page")


def test_dead_host_is_reported_and_retried_while_the_others_go_on(site, fresh_store, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"
    site.routes["/feed.xml"] = {"body": rss(site, [4])}
    clock = Clock()
    feeds = poller(fresh_store, settings, [dead, site.url("/feed.xml")], clock, every=300.0, backoff_start=30.0)
    lines = []
    run_poll(feeds, Stopper(), lambda o: lines.append(o.line()), rounds=1)
    assert lines[0].startswith(f"poll {dead}: failed (1 in a row)") and "does not answer" in lines[0]
    assert "1 new" in lines[1] and fresh_store.count_articles() == 1
    clock.advance(30)
    assert [f.url for f in feeds.due()] == [dead]
    assert feeds.poll(feeds.feeds[0]).failures == 2


def test_poll_command_once_ingests_analyses_and_reports(site, tmp_path):
    site.routes["/feed.xml"] = {"body": rss(site, [0, 1, 2]), "etag": '"a"'}
    listing = tmp_path / "feeds.txt"
    listing.write_text(site.url("/feed.xml") + "\n", encoding="utf-8")
    db = str(tmp_path / "live.db")
    runner = CliRunner(env=QUICK)
    result = runner.invoke(main, ["--db", db, "poll", str(listing), "--once", "--politeness", "0s"])
    assert result.exit_code == 0, result.output
    assert "3 entries: 3 new" in result.output and "stories updated" in result.output
    stories = runner.invoke(main, ["--db", db, "stories", "--json"])
    assert seed(1)[0][:20] in stories.output
    again = runner.invoke(main, ["--db", db, "poll", str(listing), "--once", "--politeness", "0s"])
    assert "not modified (304)" in again.output


def test_poll_command_bad_input_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "poll", "feeds-missing.txt", "--once"])
    assert result.exit_code == 1 and "neither a URL" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "poll", "https://a.example/", "--every", "soon"])
    assert result.exit_code == 1 and "--every = 'soon'" in result.output


# -- the watched folder --------------------------------------------------------------------------

def test_watch_takes_a_dropped_file_once_it_stops_changing(tmp_path, fresh_store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    watcher = FolderWatcher(inbox, debounce=1.0, clock=clock)
    options = LiveOptions(analyse=False)
    title, body = seed(0)
    half = len(body) // 2
    report = inbox / "report.txt"
    report.write_text(f"{title}\n{body[:half]}", encoding="utf-8")  # a writer half way through
    (inbox / ".report2.txt").write_text("hidden while being written", encoding="utf-8")
    (inbox / "report3.txt.part").write_text("a download in progress", encoding="utf-8")
    assert step(watcher, fresh_store, settings, options) is None  # just seen
    clock.advance(0.6)
    with report.open("a", encoding="utf-8") as handle:
        handle.write(body[half:])  # the rest arrives before the debounce ends
    assert step(watcher, fresh_store, settings, options) is None
    clock.advance(0.6)
    assert step(watcher, fresh_store, settings, options) is None  # unchanged for 0.6 s only
    clock.advance(0.6)
    result = step(watcher, fresh_store, settings, options)
    assert result.paths == [str(report)] and result.batch.ingest.counts["new"] == 1
    [article] = fresh_store.list_articles()
    assert article.text.rstrip().endswith(body.rstrip()[-40:])  # the whole file, not its first half
    clock.advance(5)
    assert step(watcher, fresh_store, settings, options) is None  # nothing changed since


def test_watch_takes_a_changed_file_again(tmp_path, fresh_store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = inbox / "a.txt"
    report.write_text(SEED_FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    clock = Clock()
    watcher = FolderWatcher(inbox, debounce=0.5, clock=clock)
    options = LiveOptions(analyse=False)
    step(watcher, fresh_store, settings, options)
    clock.advance(1)
    assert step(watcher, fresh_store, settings, options).batch.ingest.counts["new"] == 1
    report.write_text(SEED_FILES[2].read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(report, ns=(report.stat().st_atime_ns, report.stat().st_mtime_ns + 1_000_000))
    step(watcher, fresh_store, settings, options)
    clock.advance(1)
    again = step(watcher, fresh_store, settings, options)
    assert again.paths == [str(report)] and again.batch.ingest.counts["new"] == 1
    assert seed(2)[0] in {a.title for a in fresh_store.list_articles()}


def test_new_only_skips_what_is_already_there(tmp_path, fresh_store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "old.txt").write_text(SEED_FILES[3].read_text(encoding="utf-8"), encoding="utf-8")
    clock = Clock()
    watcher = FolderWatcher(inbox, debounce=0.5, clock=clock)
    watcher.skip_existing()
    (inbox / "sub").mkdir()
    (inbox / "sub" / "new.txt").write_text(SEED_FILES[4].read_text(encoding="utf-8"), encoding="utf-8")
    step(watcher, fresh_store, settings, LiveOptions(analyse=False))
    clock.advance(1)
    assert step(watcher, fresh_store, settings, LiveOptions(analyse=False)).paths == [str(inbox / "sub" / "new.txt")]


def test_watch_command_once_ingests_and_analyses_the_folder(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in SEED_FILES[:2]:
        (inbox / path.name).write_bytes(path.read_bytes())
    db = str(tmp_path / "w.db")
    runner = CliRunner(env=QUICK)
    result = runner.invoke(main, ["--db", db, "watch", str(inbox), "--once", "--debounce", "50ms", "--scan-every", "50ms"])
    assert result.exit_code == 0, result.output
    assert "2 files" in result.output and "2 new" in result.output and "stories updated" in result.output
    assert "درعا" in runner.invoke(main, ["--db", db, "stories", "--json"]).output
    missing = runner.invoke(main, ["--db", db, "watch", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "is not a folder" in missing.output


def test_a_stopped_loop_returns_and_signals_are_restored(tmp_path, fresh_store, settings):
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(Stopper()) as stopper:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stopper.stopped and stopper.reason == "SIGTERM"
        watcher = FolderWatcher(tmp_path, 0.1)
        assert run_watch(watcher, fresh_store, settings, LiveOptions(), stopper, print) == 0
    assert signal.getsignal(signal.SIGTERM) is before


SIGNAL_IN_A_SLEEP = """
import os, signal
from rasid.live.batch import warm_up
from rasid.live.stop import Stopper, stop_on_signals
with stop_on_signals(Stopper()) as stopper:
    with stopper._event._cond:  # the main thread inside a sleep's bookkeeping, its lock held
        os.kill(os.getpid(), signal.SIGTERM)
    print(stopper.stopped, stopper.reason, stopper.sleep(30))
"""


def test_a_signal_that_lands_inside_a_sleep_still_stops_the_loop():
    # A handler that took the sleep's lock waited for itself forever: `rasid watch` then ignored
    # SIGTERM (seen once in a full run). Run in a child so the old behaviour fails, not hangs.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SIGNAL_IN_A_SLEEP], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["True", "SIGTERM", "True"], done.stderr


def test_a_stop_from_another_thread_wakes_a_sleep_at_once():
    stopper = Stopper()
    threading.Timer(0.05, stopper.stop, args=("asked",)).start()
    assert stopper.sleep(30) and stopper.reason == "asked"


def test_sigterm_ends_a_running_watch_cleanly(tmp_path):
    env = {**os.environ, **QUICK, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "rasid", "--db", str(tmp_path / "s.db"), "watch", str(tmp_path)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "watching" in process.stderr.readline()  # running: now stop it
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0 and "stopped (SIGTERM)" in err and "Traceback" not in err


def test_warm_up_runs_a_whole_batch_elsewhere_and_leaves_nothing(fresh_store, settings, tmp_path, monkeypatch):
    # The first report used to pay ~12 s of imports (scikit-learn, near copies, rewrites) that
    # warming up extraction alone did not load: now the warm-up runs the whole batch path.
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    batch = warm_up(settings.replace("analysis", enabled=True, ner=False))
    assert batch.ingest.counts["new"] == 2 and batch.analysis.extracted == 2 and batch.analysis.events > 0
    assert list(scratch.iterdir()) == []  # the scratch database is gone
    assert fresh_store.stats()["articles"] == 0  # and the watched record never saw it

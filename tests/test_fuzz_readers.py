"""Property tests over every ingest reader (text, JSONL, JSON, CSV, HTML, feed) and the whole read
path: hostile bytes never raise anything but a Rejection and never hang; good records come back
unchanged. The long run is benchmarks/fuzz.py."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz_strategies as fz

# A deadline per example: a reader that hangs fails the test instead of stalling the suite.
FAST = settings(max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
FEED_TEXT = st.text(st.sampled_from("ابتثجحدرزسشصطعفقكلمنهوي abcdefxyz0123456789"), min_size=1, max_size=60) \
    .map(lambda s: " ".join(s.split())).filter(bool)


@pytest.mark.parametrize("reader", ["text", "jsonl", "json", "csv"])
@FAST
@given(data=fz.hostile_bytes())
def test_hostile_bytes_give_records_or_rejections(reader, data):
    fz.READERS[reader](data)


@pytest.mark.parametrize("reader", ["html", "feed"])
@SLOW
@given(data=fz.hostile_bytes())
def test_hostile_markup_gives_records_or_rejections(reader, data):
    fz.READERS[reader](data)


@FAST
@given(data=fz.hostile_bytes() | fz.hostile_records())
def test_the_whole_read_path_never_needs_its_safety_net(data):
    fz.through_sources(data)


@pytest.mark.parametrize("reader", ["jsonl", "json"])
@FAST
@given(data=fz.hostile_records())
def test_hostile_json_records(reader, data):
    fz.READERS[reader](data)


@FAST
@given(text=st.text(fz._SAFE_CHARS | st.sampled_from("\n\r\t"), min_size=1, max_size=400))
def test_text_round_trips(text):
    items = fz.READERS["text"](text.encode("utf-8"))
    assert len(items) == 1 and items[0].text == text


@FAST
@given(records=fz.good_records(), ensure_ascii=st.booleans())
def test_jsonl_round_trips(records, ensure_ascii):
    items = fz.READERS["jsonl"](fz.jsonl_of(records, ensure_ascii))
    assert fz.fields_of(items) == [(r["title"], r["content"]) for r in records]


@FAST
@given(records=fz.good_records())
def test_csv_round_trips(records):
    items = fz.READERS["csv"](fz.csv_of(records))
    assert fz.fields_of(items) == [(r["title"], r["content"]) for r in records]


@SLOW
@given(records=st.lists(st.fixed_dictionaries({"title": FEED_TEXT, "content": FEED_TEXT}), min_size=1, max_size=5))
def test_feed_round_trips(records):
    items = fz.READERS["feed"](fz.rss_of(records))
    assert fz.fields_of(items) == [(r["title"], r["content"]) for r in records]


@SLOW
@given(title=FEED_TEXT, paragraphs=st.lists(FEED_TEXT, min_size=1, max_size=4), depth=st.integers(0, 600))
def test_html_keeps_its_text_at_any_depth(title, paragraphs, depth):
    body = "".join(f"<p>{p} {fz.ARABIC}</p>" for p in paragraphs)
    page = f"<html><head><title>{title}</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    items = fz.READERS["html"](page.encode("utf-8"))
    assert len(items) == 1 and all(p in items[0].text for p in paragraphs)


@settings(max_examples=15, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow])
@given(data=fz.hostile_records() | fz.hostile_bytes())
def test_hostile_input_through_ingest_into_sqlite(data):
    """What the readers let through can be cleaned and stored: nothing raises on the way."""
    fz.through_ingest(data)

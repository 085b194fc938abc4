"""Hypothesis strategies and properties for the ingest readers, shared by tests/test_fuzz_readers.py
(a short run in the suite) and benchmarks/fuzz.py (a long run).

Each reader gets hostile bytes (random, and built from fragments that broke readers before:
BOMs, stray bytes, lone surrogates, deep nesting, bad URLs, character references past Unicode,
unterminated quotes) and good records it must give back unchanged.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from html import escape
from typing import Callable, Iterable

from hypothesis import strategies as st

from rasid.errors import FetchError
from rasid.ingest import readers, web
from rasid.ingest.records import RawRecord, admit
from rasid.ingest.sources import INTERNAL_FIX, ReadOptions, read_inputs
from rasid.models import Rejection

ARABIC = "قال المرصد السوري إن 53 شخصاً خرجوا من درعا البلد يوم الخميس، وفق ما أفاد."
FRAGMENTS = [
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, b"\xff", b"\xfe", b"\x00",
    b"\x00\xd8", b"\xed\xa0\x80", b"\n", b"\r\n", b"\r", b'"', b",", b"\t", b"{", b"}", b"[", b"]", b":", b"[" * 3000,
    b'{"title": "', b'", "content": "', b'", "url": "http://[::1/a', b'"}', b"&#1114112;", b"&#xD800;", b"&#0;",
    b'<?xml version="1.0" encoding="\xff\xfe"?>', b"<rss><channel><item><title>", b"</title></item></channel></rss>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>", b"<html><body>", b"<div>" * 300, b"<p>",
    b"<script>", b"<!--", b"<![CDATA[", b"title,content,url\n", b'"unterminated,', b"2020/08/04 09:55",
    ARABIC.encode("utf-8"), ARABIC.encode("cp1256"), ARABIC.encode("utf-16-le"), ARABIC.encode("utf-32-le"),
]
_SAFE_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85")
TEXT = st.text(_SAFE_CHARS, min_size=1, max_size=80).filter(lambda s: s.strip() == s and s != "")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
FIELD_NAMES = st.sampled_from(["title", "content", "text", "url", "link", "date", "published", "source", "author"])


def hostile_bytes() -> st.SearchStrategy[bytes]:
    """Random bytes, and bytes assembled from fragments that broke readers before."""
    pieces = st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=24), max_size=40).map(b"".join)
    return st.binary(max_size=3000) | pieces


def hostile_records() -> st.SearchStrategy[bytes]:
    """JSON lines of arbitrary objects with the field names readers look for."""
    record = st.dictionaries(FIELD_NAMES | st.text(max_size=8), JSON_VALUES, max_size=6)
    lines = st.lists(record.map(lambda r: json.dumps(r, ensure_ascii=False)) | st.text(max_size=60), max_size=8)
    encodings = st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1256"])
    return st.tuples(lines, encodings).map(lambda t: "\n".join(t[0]).encode(t[1], "surrogatepass")
                                             if t[1] != "cp1256" else "\n".join(t[0]).encode("cp1256", "replace"))


def good_records() -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries({"title": TEXT, "content": TEXT}), min_size=1, max_size=6)


# -- what every reader must do ------------------------------------------------------------------

class Unexpected(Exception):
    """A reader let out an exception that is not a Rejection: a bug."""


def no_fetch(url: str) -> tuple[bytes, str]:
    raise FetchError(f"{url}: the fuzz run has no network")


def drain(items: Iterable) -> list:
    """Every item, each admitted; a record must be storable (UTF-8 encodable) after admission."""
    out = []
    for item in items:
        if isinstance(item, RawRecord):
            item = admit(item)
            if isinstance(item, RawRecord):
                for value in (item.text, item.title or "", item.outlet, item.url, item.author, item.published or ""):
                    value.encode("utf-8")
                json.dumps(item.meta, ensure_ascii=False).encode("utf-8")
        elif not isinstance(item, Rejection):
            raise Unexpected(f"a reader yielded {type(item).__name__}")
        out.append(item)
    return out


def stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))


READERS: dict[str, Callable[[bytes], list]] = {
    "text": lambda data: drain(readers.read_text(data, "fuzz.txt")),
    "jsonl": lambda data: drain(readers.read_jsonl(stream(data), "fuzz.jsonl")),
    "json": lambda data: drain(readers.read_json(data, "fuzz.json")),
    "csv": lambda data: drain(readers.read_csv(stream(data), "fuzz.csv")),
    "html": lambda data: drain(web.read_html(data, "fuzz.html")),
    "feed": lambda data: drain(web.read_feed(data, "fuzz.xml", no_fetch)),
}


def through_sources(data: bytes) -> list:
    """The whole read path (sniffing, dispatch); the safety net must never have had to catch."""
    items = drain(read_inputs(["-"], ReadOptions(), fetch=no_fetch, stdin=io.BytesIO(data)))
    for item in items:
        if isinstance(item, Rejection) and item.fix == INTERNAL_FIX:
            raise Unexpected(item.reason)
    return items


def through_ingest(data: bytes) -> list:
    """Read, clean and store into an in-memory SQLite database: nothing raises on the way."""
    from rasid import pipeline
    from rasid.settings import load_settings
    from rasid.store import open_store

    conf = load_settings(environ={}).replace("ingest", workers=1)
    with open_store(":memory:") as store:
        report = pipeline.ingest(store, ["-"], conf, stdin=io.BytesIO(data), fetch=no_fetch)
        internal = [r for r in report.rejections if r.fix == INTERNAL_FIX]
        if internal:
            raise Unexpected(internal[0].reason)
        if store.count_articles() != report.counts["new"]:
            raise Unexpected(f"{report.counts} but {store.count_articles()} articles stored")
    return report.rejections


# -- good records round-trip ----------------------------------------------------------------------

def jsonl_of(records: list[dict[str, str]], ensure_ascii: bool) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=ensure_ascii) for r in records).encode("utf-8")


def csv_of(records: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["title", "content"])
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode("utf-8")


def rss_of(records: list[dict[str, str]]) -> bytes:
    items = "".join(f"<item><title>{escape(r['title'])}</title><link>http://example.org/{n}</link>"
                    f"<description>{escape(r['content'])}</description></item>" for n, r in enumerate(records))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def fields_of(items: list) -> list[tuple[str, str]]:
    return [(i.title, i.text) for i in items if isinstance(i, RawRecord)]

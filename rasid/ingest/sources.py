"""Where records come from: files, folders, compressed files, URLs and standard input."""
from __future__ import annotations

import gzip
import io
import logging
import lzma
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Optional

from rasid.errors import FetchError
from rasid.ingest import readers, web
from rasid.ingest.decode import SNIFF_BYTES, looks_binary
from rasid.ingest.records import Item, RawRecord, admit, storable
from rasid.models import Rejection

log = logging.getLogger(__name__)
_COMPRESSED = {".gz": gzip.open, ".xz": lzma.open}
_STREAMING = {".jsonl", ".ndjson", ".csv", ".tsv"}
# A fetched feed may hold many reports: it may be this many times one report's limit.
FETCH_SIZE_FACTOR = 10
_DUMP_FIX = "give a seed-style .txt, .jsonl, .json, .csv, .tsv, .html or an RSS/Atom feed"


@dataclass(frozen=True)
class ReadOptions:
    encoding: str = ""
    fallback_encoding: str = ""
    field_map: dict[str, str] = field(default_factory=dict)
    max_article_bytes: int = 5_000_000
    feed_min_chars: int = 400
    fetch_timeout: float = 20.0
    fetch_deadline: float = 60.0


def read_inputs(inputs: list[str], options: ReadOptions = ReadOptions(),
                fetch: Optional[Callable[[str], tuple[bytes, str]]] = None, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Every record of every input, in order; problems come out as Rejections, never exceptions.

    Each record is admitted (size, URL, what cannot be stored) and its warnings are logged."""
    fetch = fetch or (lambda url: web.fetch_url(url, options.fetch_timeout, options.fetch_deadline,
                                                options.max_article_bytes * FETCH_SIZE_FACTOR))
    for name in inputs:
        for item in _read_input(name, options, fetch, stdin):
            if isinstance(item, RawRecord):
                item = admit(item, options.max_article_bytes)
            else:  # a file name or an error message may hold what no database stores
                item.origin, item.reason, item.fix = storable(item.origin), storable(item.reason), storable(item.fix)
            for note in item.meta.get("warnings", []) if isinstance(item, RawRecord) else ():
                log.warning("%s: %s", item.origin, note)
            yield item


def _read_input(name: str, options: ReadOptions, fetch, stdin: Optional[BinaryIO]) -> Iterator[Item]:
    if name == "-":
        yield from _read_stream(stdin or sys.stdin.buffer, "<stdin>", "", options, fetch)
    elif name.startswith(("http://", "https://")):
        yield from _read_url(name, options, fetch)
    else:
        yield from _read_path(Path(name), options, fetch)


def _read_url(url: str, options: ReadOptions, fetch) -> Iterator[Item]:
    try:
        body, content_type = fetch(url)
    except FetchError as exc:
        yield Rejection(url, str(exc))
        return
    kind = "feed" if any(k in content_type for k in ("rss", "atom", "xml")) else ""
    yield from _dispatch(io.BufferedReader(io.BytesIO(body)), url, kind, options, fetch, url=url)


def _read_path(path: Path, options: ReadOptions, fetch) -> Iterator[Item]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*")
                       if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not files:
            yield Rejection(str(path), "the folder holds no files", "give a folder of reports")
        for file in files:
            yield from _read_path(file, options, fetch)
        return
    if not path.is_file():
        yield Rejection(str(path), "no such file or folder", "check the path")
        return
    if path.stat().st_size == 0:
        yield Rejection(str(path), "the file is empty", "give a file with at least one report")
        return
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    opener = _COMPRESSED.get(suffixes[-1] if suffixes else "")
    inner = suffixes[-2] if opener and len(suffixes) > 1 else ("" if opener else (suffixes[-1] if suffixes else ""))
    try:
        with (opener(path, "rb") if opener else open(path, "rb")) as raw:
            stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw, SNIFF_BYTES)
            yield from _read_stream(stream, str(path), inner, options, fetch)
    except _READ_ERRORS as exc:
        yield Rejection(str(path), f"cannot read the file: {exc}", "check that the file is complete and not corrupt")


def _read_stream(stream: BinaryIO, origin: str, suffix: str, options: ReadOptions, fetch) -> Iterator[Item]:
    stream = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    kind = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
            ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed"}.get(suffix, "")
    yield from _dispatch(stream, origin, kind, options, fetch)


def _sniff(sample: bytes) -> str:
    head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if head.startswith(b"<"):
        return "feed" if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")) else "html"
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"["):
        return "json"
    return "text"


def _dispatch(stream: BinaryIO, origin: str, kind: str, options: ReadOptions, fetch, url: str = "") -> Iterator[Item]:
    """The reader for the input's kind. Any exception a reader lets out is a bug in Rasid: it is
    logged with its traceback and becomes a Rejection, so the inputs after this one are still read."""
    try:
        yield from _read_kind(stream, origin, kind, options, fetch, url)
    except _READ_ERRORS:
        raise  # a damaged file: _read_path refuses it
    except Exception as exc:  # noqa: BLE001 - the safety net; the readers refuse every known bad input
        log.error("%s: unexpected %s while reading; this is a bug in Rasid, please report it",
                  origin, type(exc).__name__, exc_info=True)
        yield Rejection(origin, f"Rasid could not read this input ({type(exc).__name__}: {str(exc)[:200]})",
                        INTERNAL_FIX)


_READ_ERRORS = (OSError, EOFError, lzma.LZMAError)
INTERNAL_FIX = "this is a bug in Rasid: please report it with the input; the other inputs were read"


def _read_kind(stream: BinaryIO, origin: str, kind: str, options: ReadOptions, fetch, url: str) -> Iterator[Item]:
    sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not sample.strip():
        yield Rejection(origin, "the input is empty", "give at least one report")
        return
    if looks_binary(sample):
        yield Rejection(origin, "this is a binary file, not text", _DUMP_FIX)
        return
    kind = kind or _sniff(sample)
    enc, fallback, fields = options.encoding, options.fallback_encoding, options.field_map
    if kind in ("jsonl", "csv", "tsv"):
        if kind == "jsonl":
            yield from readers.read_jsonl(stream, origin, fields, enc, fallback, options.max_article_bytes)
        else:
            yield from readers.read_csv(stream, origin, fields, enc, fallback, "\t" if kind == "tsv" else ",",
                                        options.max_article_bytes)
        return
    data = stream.read(options.max_article_bytes + 1)
    if kind == "feed" and len(data) > options.max_article_bytes:  # a feed holds many reports
        data += stream.read(options.max_article_bytes * (FETCH_SIZE_FACTOR - 1))
    limit = options.max_article_bytes * (FETCH_SIZE_FACTOR if kind == "feed" else 1)
    if len(data) > limit and kind != "json":
        yield Rejection(origin, f"larger than {limit:,} bytes, too big for one {'feed' if kind == 'feed' else 'report'}",
                        "split it into reports, give it as JSONL, or raise ingest.max_article_bytes")
        return
    if kind == "json":
        data += stream.read()
        yield from readers.read_json(data, origin, fields, enc, fallback, options.max_article_bytes)
    elif kind == "html":
        yield from web.read_html(data, origin, url=url, encoding=enc)
    elif kind == "feed":
        yield from web.read_feed(data, origin, fetch, options.feed_min_chars)
    else:
        yield from readers.read_text(data, origin, enc, fallback)

"""Readers for local formats: seed-style text, JSONL and CSV dumps. They stream; nothing is held whole.

A dump is read line by line: a line that cannot be decoded, parsed or admitted is refused with
its number and the reader goes on with the next one.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import BinaryIO, Iterator, Optional

from rasid.errors import EncodingError
from rasid.ingest.csvrows import csv_rows
from rasid.ingest.decode import SNIFF_BYTES, detect_encoding
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.lines import (WIDE_BOMS, LineDecoder, TooLong, codec_name, decode_text, has_utf8_lines, split_lines,
                               unit_of, wide_encoding)
from rasid.ingest.records import DEFAULT_MAX_BYTES, Item, RawRecord
from rasid.models import Rejection

csv.field_size_limit(sys.maxsize)  # record size is bounded by max_article_bytes instead
ENCODING_FIX = "convert it to UTF-8 (iconv -f WINDOWS-1256 -t UTF-8 FILE) or give --encoding"
# A JSON line may spell each Arabic letter as a 6-byte \uXXXX escape: 3 times its UTF-8 size.
JSON_ESCAPE_FACTOR = 4


def read_text(data: bytes, origin: str, encoding: str = "", fallback: str = "") -> Iterator[Item]:
    """A seed-style report: the headline on the first line, the body after it."""
    try:
        decoded = decode_text(data, fallback, encoding)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", ENCODING_FIX)
        return
    record = RawRecord(origin=origin, text=decoded.text, meta={"encoding": decoded.encoding})
    for note in decoded.notes:
        record.warn(note)
    yield record


def line_encoding(stream: BinaryIO, encoding: str, fallback: str) -> str:
    """The encoding to read a dump's lines in, its BOM consumed; EncodingError when undecidable."""
    sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    if not encoding and has_utf8_lines(sample) and not sample.startswith(WIDE_BOMS):
        name = "utf-8"  # some lines are UTF-8: the others are decoded (or refused) one by one
    else:
        name = codec_name(encoding or detect_encoding(sample, fallback))
    if unit_of(name) > 1:
        name, bom = wide_encoding(sample, name)
        stream.read(bom)
    elif name in ("utf-8-sig", "utf-8") and sample.startswith(b"\xef\xbb\xbf"):
        stream.read(3)
        name = "utf-8"
    return name


def decoded_lines(stream: BinaryIO, origin: str, encoding: str, fallback: str,
                  limit: int) -> Iterator[tuple[int, str, str] | Rejection]:
    """(line number, text, note) for each line of a dump, or a Rejection for a line that cannot be read."""
    try:
        name = line_encoding(stream, encoding, fallback)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", ENCODING_FIX)
        return
    decoder = LineDecoder(name, forced=bool(encoding))
    for number, raw in enumerate(split_lines(stream, name, limit), 1):
        where = f"{origin}:{number}"
        if isinstance(raw, TooLong):
            yield Rejection(where, f"line {number} is {raw.size:,} bytes, more than one record may take",
                            "split that record, or raise ingest.max_article_bytes; the other lines were read")
            continue
        try:
            text, note = decoder(raw)
        except EncodingError as exc:
            yield Rejection(where, f"line {number}: {exc}", ENCODING_FIX + "; the other lines were read")
            continue
        yield number, text, (f"line {number}: {note}" if note else "")


def read_jsonl(stream: BinaryIO, origin: str, field_map=None, encoding: str = "", fallback: str = "",
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """One JSON object a line; a bad line is refused with its number and the rest goes on."""
    for line in decoded_lines(stream, origin, encoding, fallback, max_bytes * JSON_ESCAPE_FACTOR):
        if isinstance(line, Rejection):
            yield line
            continue
        number, text, note = line
        if text.strip():
            yield from _annotated(_json_record(text, number, origin, field_map, max_bytes), note)


def _annotated(item: Item, note: str) -> Iterator[Item]:
    if note and isinstance(item, RawRecord):
        item.warn(note)
    yield item


def _json_record(text: str, number: int, origin: str, field_map, max_bytes: int) -> Item:
    where = f"{origin}:{number}"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejection(where, f"line {number} is not JSON: {exc.msg} at column {exc.colno}",
                         "fix or delete that line; the other lines were read")
    except RecursionError:
        return Rejection(where, f"line {number} is JSON nested too deep to read",
                         "an article is a flat {...} object; fix or delete that line")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return Rejection(where, f"line {number} is JSON Rasid cannot read: {exc}", "fix or delete that line")
    if not isinstance(value, dict):
        return Rejection(where, f"line {number} is JSON but not an object", "each line must be one {...} article")
    return record_from_mapping(value, where, field_map, max_bytes)


def read_json(data: bytes, origin: str, field_map=None, encoding: str = "", fallback: str = "",
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """A JSON array of article objects, or a single object; else read as JSONL."""
    try:
        decoded = decode_text(data, fallback, encoding)
        value = json.loads(decoded.text)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", ENCODING_FIX)
        return
    except RecursionError:
        yield Rejection(origin, "the JSON is nested too deep to read", "give an array of flat {...} articles")
        return
    except ValueError:  # not one JSON value: perhaps JSON lines
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), origin, field_map, encoding, fallback, max_bytes)
        return
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        where = f"{origin}[{index}]"
        if not isinstance(item, dict):
            yield Rejection(where, "item is not a JSON object", "give an array of {...} articles")
            continue
        record = record_from_mapping(item, where, field_map, max_bytes)
        for note in decoded.notes if isinstance(record, RawRecord) else ():
            record.warn(note)
        yield record


def read_csv(stream: BinaryIO, origin: str, field_map=None, encoding: str = "", fallback: str = "",
             delimiter: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """A CSV/TSV with a header row; the SaudiNewsNet names (or --field maps) pick the columns."""
    lines = decoded_lines(stream, origin, encoding, fallback, max_bytes)
    header: Optional[list[str]] = None
    for row in csv_rows(lines, origin, delimiter or ",", max_bytes):
        if isinstance(row, Rejection):
            yield row
        elif header is None:
            header = row.cells
        else:
            yield from _annotated(record_from_mapping(dict(zip(header, row.cells)), f"{origin}:{row.line}",
                                                      field_map, max_bytes), row.note)

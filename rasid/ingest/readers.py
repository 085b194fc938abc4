"""Readers for local formats: seed-style text, JSONL and CSV dumps. They stream; nothing is held whole."""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import BinaryIO, Iterator, Optional

from rasid.errors import EncodingError
from rasid.ingest.decode import SNIFF_BYTES, decode, detect_encoding
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.records import Item, RawRecord
from rasid.models import Rejection

csv.field_size_limit(sys.maxsize)
_ENCODING_FIX = "convert it to UTF-8 (iconv -f WINDOWS-1256 -t UTF-8 FILE) or give --encoding"


def read_text(data: bytes, origin: str, encoding: str = "", fallback: str = "") -> Iterator[Item]:
    """A seed-style report: the headline on the first line, the body after it."""
    try:
        text, used = decode(data, fallback, encoding)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", _ENCODING_FIX)
        return
    yield RawRecord(origin=origin, text=text, meta={"encoding": used})


def _encoding_of(stream: BinaryIO, origin: str, encoding: str, fallback: str) -> Optional[str]:
    sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    return encoding or detect_encoding(sample, fallback)


def read_jsonl(stream: BinaryIO, origin: str, field_map=None, encoding: str = "", fallback: str = "") -> Iterator[Item]:
    """One JSON object a line; a bad line is refused with its number and the rest goes on."""
    try:
        name = _encoding_of(stream, origin, encoding, fallback)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", _ENCODING_FIX)
        return
    if name.startswith(("utf-16", "utf-32")):  # lines cannot be split on bytes
        lines = io.TextIOWrapper(stream, encoding=name)
        yield from _jsonl_lines(((n, line) for n, line in enumerate(lines, 1)), origin, field_map)
        return
    yield from _jsonl_lines(_decoded_lines(stream, name, origin), origin, field_map)


def _decoded_lines(stream: BinaryIO, name: str, origin: str) -> Iterator[tuple[int, object]]:
    for number, raw in enumerate(stream, 1):
        try:
            yield number, raw.decode(name if number > 1 else name.replace("utf-8", "utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield number, Rejection(f"{origin}:{number}", f"line {number} is not valid {name} (byte {exc.start})", _ENCODING_FIX)


def _jsonl_lines(lines, origin: str, field_map) -> Iterator[Item]:
    for number, line in lines:
        if isinstance(line, Rejection):
            yield line
            continue
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"line {number} is not JSON: {exc.msg} at column {exc.colno}",
                          "fix or delete that line; the other lines were read")
            continue
        if not isinstance(value, dict):
            yield Rejection(where, f"line {number} is JSON but not an object", "each line must be one {...} article")
            continue
        yield record_from_mapping(value, where, field_map)


def read_json(data: bytes, origin: str, field_map=None, encoding: str = "", fallback: str = "") -> Iterator[Item]:
    """A JSON array of article objects, or a single object; else read as JSONL."""
    try:
        text, _ = decode(data, fallback, encoding)
        value = json.loads(text)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", _ENCODING_FIX)
        return
    except json.JSONDecodeError:
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), origin, field_map, encoding, fallback)
        return
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield record_from_mapping(item, f"{origin}[{index}]", field_map)
        else:
            yield Rejection(f"{origin}[{index}]", "item is not a JSON object", "give an array of {...} articles")


def read_csv(stream: BinaryIO, origin: str, field_map=None, encoding: str = "", fallback: str = "",
             delimiter: Optional[str] = None) -> Iterator[Item]:
    """A CSV/TSV with a header row; the SaudiNewsNet names (or --field maps) pick the columns."""
    try:
        name = _encoding_of(stream, origin, encoding, fallback)
    except EncodingError as exc:
        yield Rejection(origin, f"cannot decide the text encoding: {exc}", _ENCODING_FIX)
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig" if name == "utf-8" else name, newline="")
    reader = csv.DictReader(text, delimiter=delimiter or ",")
    try:
        for row in reader:
            where = f"{origin}:{reader.line_num}"
            if None in row:  # more cells than header names
                row.pop(None)
            yield record_from_mapping(row, where, field_map)
    except UnicodeDecodeError as exc:
        yield Rejection(f"{origin}:{reader.line_num + 1}", f"not valid {name} (byte {exc.start} of a block)", _ENCODING_FIX)
    except csv.Error as exc:
        yield Rejection(f"{origin}:{reader.line_num}", f"not CSV: {exc}", "fix the quoting on that line")

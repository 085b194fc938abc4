"""Exports of the event record: csv, acled, json, geojson, hxl; ``export`` writes one to a file.

    from rasid.export import export
    export(store, "acled", "events.csv", EventFilter(admin1="درعا"))
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterator, Optional, Union

from rasid.errors import InputError
from rasid.views.context import LEVELS, RecordContext
from rasid.views.geo import features
from rasid.export.tables import ACLED_COLUMNS, CSV_COLUMNS, HXL_COLUMNS, RASID_COLUMNS, acled_row, csv_row, hxl_row
from rasid.store.base import EventFilter, Store
from rasid.views.bidi import BIDI_CONTROLS

FORMATS = {  # format -> (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "acled": ("text/csv; charset=utf-8", "csv"),
    "hxl": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
}
__all__ = ["FORMATS", "LEVELS", "export", "iter_export"]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}'; use one of: {', '.join(FORMATS)}")
    return fmt


def iter_export(store: Store, fmt: str, filters: EventFilter = EventFilter(), level: str = "event",
                context: Optional[RecordContext] = None) -> Iterator[str]:
    """The export as text chunks (one per event), so the API can stream it."""
    check_format(fmt)
    if level not in LEVELS:
        raise InputError(f"unknown export level '{level}'; use one of: {', '.join(LEVELS)}")
    ctx = context or RecordContext(store)
    records = ctx.records(filters, level)
    writers = {"csv": _csv, "acled": _acled, "hxl": _hxl, "json": _json, "geojson": _geojson}
    return writers[fmt](records, ctx, filters)


def export(store: Store, fmt: str, out: Union[str, Path, IO[str]], filters: EventFilter = EventFilter(),
           level: str = "event") -> int:
    """Write an export to a path or a text stream; returns the number of characters written."""
    chunks = iter_export(store, fmt, filters, level)
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return sum(handle.write(chunk) for chunk in chunks)
    return sum(out.write(chunk) for chunk in chunks)


# Bidi controls (embeddings, overrides, isolates, LRM/RLM/ALM) in a stored outlet or title would
# reorder what a spreadsheet or a text editor shows around them: a CSV cell drops them, JSON
# writes them as \u escapes (a parser reads back the same string).
def _cell(value: Any) -> Any:
    return BIDI_CONTROLS.sub("", value) if isinstance(value, str) else value


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


def _csv(records, ctx, _filters) -> Iterator[str]:
    yield _csv_line(CSV_COLUMNS)
    for record in records:
        row = csv_row(record, ctx)
        yield _csv_line([row[c] for c in CSV_COLUMNS])


def _acled(records, ctx, _filters) -> Iterator[str]:
    columns = ACLED_COLUMNS + RASID_COLUMNS
    yield _csv_line(columns)
    for record in records:
        row = acled_row(record, ctx)
        yield _csv_line([row[c] for c in columns])


def _hxl(records, ctx, _filters) -> Iterator[str]:
    yield _csv_line([name for name, _ in HXL_COLUMNS])
    yield _csv_line([tag for _, tag in HXL_COLUMNS])
    for record in records:
        yield _csv_line(hxl_row(record, ctx))


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return BIDI_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _filters_dict(filters: EventFilter) -> dict[str, Any]:
    return {k: v for k, v in vars(filters).items() if v}


def _json(records, _ctx, filters) -> Iterator[str]:
    exported = datetime.now(timezone.utc).isoformat(timespec="seconds")
    yield '{"format":"rasid.events","version":1,"exported_at":' + _dumps(exported)
    yield ',"filters":' + _dumps(_filters_dict(filters)) + ',"events":['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + _dumps(record)
    yield "\n]}\n"


def _geojson(records, _ctx, _filters) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for record in records:
        for feature in features(record):
            yield ("" if first else ",") + "\n" + _dumps(feature)
            first = False
    yield "\n]}\n"

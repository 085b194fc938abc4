"""Which field of a JSONL/CSV record is which: SaudiNewsNet's names and common ones, overridable."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from rasid.errors import InputError
from rasid.ingest.records import DEFAULT_MAX_BYTES, Item, RawRecord, admit

# Tried in order; the first present, non-empty field wins. SaudiNewsNet: source, url,
# date_extracted, title, author, content.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("content", "text", "body", "article", "description"),
    "title": ("title", "headline"),
    "outlet": ("source", "outlet", "site", "publisher", "sitename"),
    "url": ("url", "link"),
    "author": ("author", "byline"),
    "published": ("published", "date_published", "pubDate", "date", "datetime", "date_extracted"),
}


def parse_field_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("text=body", "published=pub_date")`` -> {"text": "body", ...}."""
    mapping = {}
    for pair in pairs:
        key, sep, name = pair.partition("=")
        if not sep or key not in DEFAULT_FIELDS or not name:
            raise InputError(f"--field '{pair}' is not FIELD=NAME with FIELD one of {', '.join(DEFAULT_FIELDS)}; "
                             "example: --field text=body")
        mapping[key] = name
    return mapping


_SCALAR = (str, int, float, bool)


def _text_of(value: Any) -> str:
    """A field as text: a scalar as it is, a list of scalars (paragraphs) one a line; objects are
    not text."""
    if isinstance(value, _SCALAR):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, _SCALAR) for v in value):
        return "\n".join(str(v) for v in value)
    return ""


def _pick(record: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, str]:
    for name in names:
        value = _text_of(record.get(name))
        if value:
            return value, name
    return "", ""


def record_from_mapping(record: Mapping[str, Any], origin: str, field_map: Optional[dict[str, str]] = None,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """A JSON object or CSV row (or an API record) as a RawRecord, admitted (size, URL, date)."""
    field_map = field_map or {}
    values = {}
    for key, names in DEFAULT_FIELDS.items():
        values[key] = _pick(record, (field_map[key],) if key in field_map else names)
    used = {name for _, name in values.values()}
    extra = {k: v for k, v in record.items() if k not in used and isinstance(v, (str, int, float, bool))}
    return admit(RawRecord(
        origin=origin, text=values["text"][0], title=values["title"][0], outlet=values["outlet"][0],
        url=values["url"][0], author=values["author"][0], published=values["published"][0] or None,
        published_field=values["published"][1], meta={"fields": extra} if extra else {},
    ), max_bytes)

"""What a reader yields: a raw record to build an article from, or the reason one was refused.

Every record, whatever its format or path (file, URL, standard input, the API), passes ``admit``
before it becomes an article: the one place where a record's size is limited, its URL checked
and what cannot be stored repaired, each repair noted in ``meta["warnings"]``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Union
from urllib.parse import urlsplit

from rasid.ingest.published import EXAMPLES, parse_published
from rasid.models import Rejection

DEFAULT_MAX_BYTES = 5_000_000  # ingest.max_article_bytes
# Lone surrogates cannot be encoded as UTF-8 and NUL cannot be stored by PostgreSQL.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_TEXT_FIELDS = ("text", "title", "outlet", "url", "author", "published", "origin", "published_field")


@dataclass
class RawRecord:
    origin: str  # "path", "path:17" (line), "path#3" (feed entry), "https://…"
    text: str
    title: Optional[str] = None  # None: the cleaner takes the headline from the text itself
    outlet: str = ""
    url: str = ""
    author: str = ""
    published: Optional[str] = None  # as the source gave it; parsed by rasid.ingest.published
    published_field: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    admitted: bool = field(default=False, repr=False, compare=False)  # admit() has checked it

    def warn(self, note: str) -> None:
        """A repair or a doubt, kept with the article (and logged by the reader loop)."""
        warnings = self.meta.setdefault("warnings", [])
        if note not in warnings:
            warnings.append(note)


Item = Union[RawRecord, Rejection]


def admit(record: RawRecord, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """The record, repaired where it must be, or a Rejection naming it and the fix."""
    if record.admitted:
        return record
    size = _make_storable(record)
    if size > max_bytes:
        return Rejection(record.origin, f"the record is {size:,} bytes, larger than the {max_bytes:,} one report may take",
                         "split it, or raise ingest.max_article_bytes")
    if record.url and (problem := url_problem(record.url)):
        return Rejection(record.origin, f"the url '{_short(record.url)}' is not a valid URL ({problem})",
                         "fix or remove the url field; the other records were read")
    if record.published and parse_published(record.published).value is None:
        record.meta["published_unread"] = _short(record.published)
        record.warn(f"the published value '{_short(record.published)}' is not a date Rasid reads "
                    f"(such as {EXAMPLES}); stored as unknown")
    record.admitted = True
    return record


def url_problem(url: str) -> str:
    """Why ``url`` cannot be parsed ("Invalid IPv6 URL"), or "" when it can."""
    if url.isascii() and "[" not in url and "]" not in url:
        return ""  # urlsplit raises only on brackets and on non-ASCII host names
    try:
        urlsplit(url.strip())
    except ValueError as exc:
        return str(exc)
    return ""


def storable(text: str) -> str:
    """``text`` with what no database stores (NUL, lone surrogates) replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text) if _utf8_size(text)[1] else text


def _utf8_size(text: str) -> tuple[int, bool]:
    """(UTF-8 size, whether it holds a character that cannot be stored), in one pass when it can."""
    if text.isascii():
        return len(text), "\x00" in text
    try:
        return len(text.encode("utf-8")), "\x00" in text
    except UnicodeEncodeError:
        return len(text.encode("utf-8", "surrogatepass")), True


def _make_storable(record: RawRecord) -> int:
    """Repairs the record's text fields in place; their size in UTF-8 bytes."""
    size = 0
    for name in _TEXT_FIELDS:
        value = getattr(record, name)
        if not value:
            continue
        length, unstorable = _utf8_size(value)
        size += length
        if unstorable:
            setattr(record, name, _UNSTORABLE.sub("\ufffd", value))
            record.warn(f"{len(_UNSTORABLE.findall(value))} character(s) that cannot be stored (NUL, lone surrogate) "
                        f"in {name} replaced by U+FFFD")
    extra = record.meta.get("fields")
    if isinstance(extra, dict):
        record.meta["fields"] = {storable(str(k)): _storable_value(v) for k, v in extra.items()}
    return size


def _storable_value(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities are not JSON
    return value


def _short(value: str, limit: int = 120) -> str:
    value = storable(str(value))
    return value if len(value) <= limit else value[:limit] + "…"

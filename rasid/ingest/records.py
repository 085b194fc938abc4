"""What a reader yields: a raw record to build an article from, or the reason one was refused.

Every record, whatever its format or path (file, URL, standard input, the API), passes ``admit``
before it becomes an article: the one place where a record's size is limited, its URL checked
and what cannot be stored repaired, each repair noted in ``meta["warnings"]``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, Optional, Union
from urllib.parse import urlsplit

from rasid.ingest.published import EXAMPLES, parse_published
from rasid.models import Rejection

DEFAULT_MAX_BYTES = 5_000_000  # ingest.max_article_bytes
# Lone surrogates cannot be encoded as UTF-8 and NUL cannot be stored by PostgreSQL.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_TEXT_FIELDS = ("text", "title", "outlet", "url", "author", "published")


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

    def warn(self, note: str) -> None:
        """A repair or a doubt, kept with the article (and logged by the reader loop)."""
        warnings = self.meta.setdefault("warnings", [])
        if note not in warnings:
            warnings.append(note)


Item = Union[RawRecord, Rejection]


def admit(record: RawRecord, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """The record, repaired where it must be, or a Rejection naming it and the fix."""
    size = record_size(record)
    if size > max_bytes:
        return Rejection(record.origin, f"the record is {size:,} bytes, larger than the {max_bytes:,} one report may take",
                         "split it, or raise ingest.max_article_bytes")
    if record.url and (problem := url_problem(record.url)):
        return Rejection(record.origin, f"the url '{_short(record.url)}' is not a valid URL ({problem})",
                         "fix or remove the url field; the other records were read")
    _make_storable(record)
    if record.published and parse_published(record.published).value is None:
        record.meta["published_unread"] = _short(record.published)
        record.warn(f"the published value '{_short(record.published)}' is not a date Rasid reads "
                    f"(such as {EXAMPLES}); stored as unknown")
    return record


def record_size(record: RawRecord) -> int:
    return sum(_utf8_len(getattr(record, name) or "") for name in _TEXT_FIELDS)


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def url_problem(url: str) -> str:
    """Why ``url`` cannot be parsed ("Invalid IPv6 URL"), or "" when it can."""
    try:
        urlsplit(url.strip())
    except ValueError as exc:
        return str(exc)
    return ""


def _make_storable(record: RawRecord) -> None:
    for f in fields(RawRecord):
        value = getattr(record, f.name)
        if isinstance(value, str) and _UNSTORABLE.search(value):
            count = len(_UNSTORABLE.findall(value))
            setattr(record, f.name, _UNSTORABLE.sub("\ufffd", value))
            record.warn(f"{count} character(s) that cannot be stored (NUL, lone surrogate) in {f.name} "
                        "replaced by U+FFFD")
    extra = record.meta.get("fields")
    if isinstance(extra, dict):
        record.meta["fields"] = {_UNSTORABLE.sub("\ufffd", str(k)): _storable_value(v) for k, v in extra.items()}


def _storable_value(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities are not JSON
    return value


def _short(value: str, limit: int = 120) -> str:
    value = _UNSTORABLE.sub("\ufffd", str(value))
    return value if len(value) <= limit else value[:limit] + "…"

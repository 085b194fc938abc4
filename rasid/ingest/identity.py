"""A record becomes an Article: stable id, published date with its precision, language, hash."""
from __future__ import annotations

import hashlib
from typing import Optional, Protocol
from urllib.parse import urlsplit, urlunsplit

from rasid.arabic import search
from rasid.arabic.language import detect_language
from rasid.arabic.normalize import content_hash
from rasid.ingest.published import parse_published
from rasid.ingest.records import RawRecord
from rasid.models import Article


class CleanedText(Protocol):
    """What ``build_article`` reads of the clean stage's result (``rasid.clean.Cleaned``).

    A protocol, not an import: ingest sits below the stages and never imports one.
    """

    title: str
    clean_text: str
    sentences: list
    removed: list


def warm() -> None:
    """Load what an ingest worker reads once a process, the language model and the common words'
    search terms (``rasid.arabic.search.warm``): called before a process pool forks, its workers
    share them instead of each loading its own."""
    search.warm()
    detect_language("تحميل نموذج اللغة")  # the first call loads the model


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, fragment dropped: the same page gets the same id."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def article_id(outlet: str, url: str, digest: str) -> str:
    """The same page (URL) is the same article; without a URL, the same outlet and text is.

    So a page edited since the last ingest is 'updated', and an identical text from another
    outlet or URL is another article (linked to the first as an exact copy).
    """
    if url:
        return _digest("url", canonical_url(url))
    return _digest("text", outlet.strip().lower(), digest)


def build_article(record: RawRecord, cleaned: CleanedText, published_override: Optional[str] = None) -> Article:
    """``published_override`` is the --published date, for records that carry no date of their own."""
    use_override = bool(published_override) and not record.published
    published, precision = parse_published(published_override if use_override else record.published)
    meta = dict(record.meta)
    if use_override:
        meta["published_from"] = "--published"
    elif published and record.published_field:
        meta["published_from"] = record.published_field
    if cleaned.removed:
        meta["removed"] = [[s, e, why] for s, e, why in cleaned.removed]
    if not cleaned.sentences:
        meta["empty_text"] = True
    if record.title is None:
        meta["title_in_text"] = True  # the cleaner took the headline from the text itself
    title = record.title if record.title else cleaned.title
    digest = content_hash(cleaned.clean_text or title)
    return Article(
        id=article_id(record.outlet, record.url, digest), text=record.text, title=title, outlet=record.outlet,
        url=record.url, origin=record.origin, author=record.author,
        language=detect_language(title + " " + cleaned.clean_text), published=published,
        published_precision=precision, content_hash=digest, clean_text=cleaned.clean_text, meta=meta,
    )

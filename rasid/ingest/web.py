"""HTML pages (trafilatura) and RSS/Atom feeds (feedparser), from files or URLs."""
from __future__ import annotations

import logging
from typing import Callable, Iterator, Optional

from rasid.errors import EncodingError, FetchError
from rasid.ingest.decode import decode
from rasid.ingest.records import Item, RawRecord
from rasid.models import Rejection

log = logging.getLogger(__name__)
Fetch = Callable[[str], tuple[bytes, str]]  # url -> (body, content type)


def fetch_url(url: str, timeout: float) -> tuple[bytes, str]:
    """GET a URL; every network access of Rasid goes through here."""
    import httpx

    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True,
                             headers={"User-Agent": "Rasid/0.1 (+news monitoring)"})
    except httpx.HTTPError as exc:
        raise FetchError(f"{url} does not answer ({type(exc).__name__}: {exc}); check the address or try later") from None
    if response.status_code >= 400:
        raise FetchError(f"{url} answered HTTP {response.status_code}; check the address")
    return response.content, response.headers.get("content-type", "")


def read_html(data: bytes, origin: str, url: str = "", encoding: str = "") -> Iterator[Item]:
    """Main text, title, date, outlet and author of one page."""
    import trafilatura

    try:
        html, _ = decode(data, fallback="", encoding=encoding)
    except EncodingError:
        html = data  # trafilatura reads the <meta charset> itself
    found = trafilatura.bare_extraction(html, url=url or None, include_comments=False, with_metadata=True)
    doc = found.as_dict() if found is not None else None
    if not doc or not (doc.get("text") or "").strip():
        yield Rejection(origin, "no main text found in the HTML page", "check that the page holds an article")
        return
    yield RawRecord(
        origin=origin, text=doc["text"], title=doc.get("title") or "", outlet=doc.get("sitename") or doc.get("hostname") or "",
        url=doc.get("url") or url, author=doc.get("author") or "", published=doc.get("date"),
        published_field="html metadata", meta={"format": "html"},
    )


def read_feed(data: bytes, origin: str, fetch: Optional[Fetch] = None, min_chars: int = 400) -> Iterator[Item]:
    """One record per entry; an entry with only a summary gets its linked page fetched."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield Rejection(origin, f"not an RSS/Atom feed: {feed.get('bozo_exception')}", "check the file or URL")
        return
    outlet = feed.feed.get("title", "")
    for index, entry in enumerate(feed.entries):
        yield from _entry(entry, f"{origin}#{index + 1}", outlet, fetch, min_chars)


def _entry(entry, origin: str, outlet: str, fetch: Optional[Fetch], min_chars: int) -> Iterator[Item]:
    text = _entry_text(entry)
    link = entry.get("link", "")
    if len(text) < min_chars and link and fetch:
        try:
            body, _ = fetch(link)
            page = next(iter(read_html(body, link, url=link)), None)
            if isinstance(page, RawRecord) and len(page.text) > len(text):
                text = page.text
        except FetchError as exc:
            log.warning("%s: keeping the feed summary, the page did not answer: %s", origin, exc)
    published = entry.get("published") or entry.get("updated")
    yield RawRecord(origin=origin, text=text, title=_plain(entry.get("title", "")), outlet=outlet, url=link,
                    author=entry.get("author", ""), published=published, published_field="feed entry",
                    meta={"format": "feed"})


def _entry_text(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", [])]
    return _plain(max(contents + [entry.get("summary", "")], key=len))


def _plain(html: str) -> str:
    """Feed fields may carry HTML; keep their text only."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        return lxml.html.fromstring(html).text_content().strip()
    except Exception:  # noqa: BLE001 - any markup lxml cannot parse is kept as it came
        return html.strip()

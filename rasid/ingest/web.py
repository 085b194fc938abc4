"""HTML pages (trafilatura) and RSS/Atom feeds (feedparser), from files or URLs."""
from __future__ import annotations

import io
import logging
import re
import threading
import time
from typing import Callable, Iterator, Optional

from rasid.errors import EncodingError, FetchError
from rasid.ingest.htmltext import DEEP, page_text
from rasid.ingest.lines import decode_text
from rasid.ingest.records import Item, RawRecord
from rasid.models import Rejection

log = logging.getLogger(__name__)
Fetch = Callable[[str], tuple[bytes, str]]  # url -> (body, content type)
# A numeric character reference past U+10FFFF (or a surrogate) makes feedparser's chr() fail.
_CHAR_REF = re.compile(rb"&#(?:([0-9]{1,12})|[xX]([0-9a-fA-F]{1,12}));")
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")


def fetch_url(url: str, timeout: float, deadline: float = 60.0, max_bytes: int = 50_000_000) -> tuple[bytes, str]:
    """GET a URL; every network access of Rasid goes through here. ``timeout`` bounds each wait for
    the server, ``deadline`` the whole fetch and ``max_bytes`` the body.

    httpx has no deadline for a whole request, so the fetch runs in a thread: a server that drips
    its headers or body a byte at a time is given up at the deadline. (The thread stops at the
    deadline while reading the body; one stuck in the headers ends when the server lets go.)"""
    outcome: dict = {}
    ends = time.monotonic() + deadline

    def work() -> None:
        try:
            outcome["value"] = _get(url, timeout, ends, max_bytes)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name=f"fetch {url[:80]}", daemon=True)
    thread.start()
    thread.join(deadline + 0.5)
    if thread.is_alive():
        raise FetchError(_too_slow(url, deadline))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _too_slow(url: str, deadline: float, size: int = 0) -> str:
    got = f" ({size:,} bytes so far)" if size else ""
    return f"{url} did not finish sending within ingest.fetch_deadline ({deadline:g} s){got}; try later or raise the deadline"


def _get(url: str, timeout: float, ends: float, max_bytes: int) -> tuple[bytes, str]:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": "Rasid/0.1 (+news monitoring)"}) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url} answered HTTP {response.status_code}; check the address")
            return _read_body(response, url, ends, max_bytes), response.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        raise FetchError(f"{url} does not answer ({type(exc).__name__}: {exc}); check the address or try later") from None
    except (ValueError, UnicodeError) as exc:  # a URL httpx cannot even parse
        raise FetchError(f"{url} is not a URL Rasid can fetch ({exc}); check the address") from None


def _read_body(response, url: str, ends: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url} sent more than {max_bytes:,} bytes; give a smaller page or feed, "
                             "or raise ingest.max_article_bytes")
        if time.monotonic() > ends:
            raise FetchError(f"{url} did not finish sending within ingest.fetch_deadline ({size:,} bytes so far); "
                             "try later or raise the deadline")
    return b"".join(chunks)


def read_html(data: bytes, origin: str, url: str = "", encoding: str = "") -> Iterator[Item]:
    """Main text, title, date, outlet and author of one page."""
    import trafilatura

    notes: list[str] = []
    try:
        decoded = decode_text(data, fallback="", encoding=encoding)
        html, notes = decoded.text, decoded.notes
    except EncodingError:
        html = data  # trafilatura reads the <meta charset> itself
    found = trafilatura.bare_extraction(html, url=url or None, include_comments=False, with_metadata=True)
    doc = found.as_dict() if found is not None else None
    if not doc or not (doc.get("text") or "").strip():
        yield _whole_page(html, origin, url, notes)
        return
    record = RawRecord(
        origin=origin, text=doc["text"], title=doc.get("title") or "", outlet=doc.get("sitename") or doc.get("hostname") or "",
        url=doc.get("url") or url, author=doc.get("author") or "", published=doc.get("date"),
        published_field="html metadata", meta={"format": "html"},
    )
    for note in notes:
        record.warn(note)
    yield record


def _whole_page(html, origin: str, url: str, notes: list[str]) -> Item:
    """When trafilatura finds no main text: a page nested deeper than its parser follows still has
    its text read, whole; any other page is refused."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    text, title, depth = page_text(html)
    if depth <= DEEP or not text.strip():
        return Rejection(origin, "no main text found in the HTML page", "check that the page holds an article")
    record = RawRecord(origin=origin, text=text, title=title, url=url, meta={"format": "html"})
    for note in notes + [f"the page nests its markup {depth:,} levels deep, deeper than the HTML parser "
                         "follows: its whole text was taken, menus and footers included"]:
        record.warn(note)
    return record


def read_feed(data: bytes, origin: str, fetch: Optional[Fetch] = None, min_chars: int = 400) -> Iterator[Item]:
    """One record per entry; an entry with only a summary gets its linked page fetched."""
    feed, note = _parse_feed(data)
    if feed is None or (feed.bozo and not feed.entries):
        why = note or (feed.get("bozo_exception") if feed is not None else "")
        yield Rejection(origin, f"not an RSS/Atom feed: {why}", "check the file or URL")
        return
    outlet = feed.feed.get("title", "")
    for index, entry in enumerate(feed.entries):
        for item in _entry(entry, f"{origin}#{index + 1}", outlet, fetch, min_chars):
            if note and isinstance(item, RawRecord):
                item.warn(note)
            yield item


def _parse_feed(data: bytes):
    """feedparser's result and a note on what was repaired; (None, why) when it cannot parse."""
    import feedparser

    data, note = _CHAR_REF.sub(_valid_char_ref, data), ""
    try:
        return feedparser.parse(io.BytesIO(data)), ""  # bytes, never a path or URL feedparser would open
    except (ValueError, UnicodeError, LookupError) as exc:
        note = f"the feed's XML declaration could not be used ({type(exc).__name__}); the encoding was sniffed"
        failure = exc
    stripped = _XML_DECLARATION.sub(b"", data, count=1)
    if stripped != data:
        try:
            return feedparser.parse(io.BytesIO(stripped)), note
        except (ValueError, UnicodeError, LookupError) as exc:
            failure = exc
    return None, f"it cannot be parsed ({type(failure).__name__}: {failure})"


def _valid_char_ref(match: re.Match) -> bytes:
    value = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF or value == 0:
        return b"&#65533;"
    return match.group(0)


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
        text = lxml.html.fromstring(html).text_content().strip()
    except Exception:  # noqa: BLE001 - markup lxml cannot parse is read by the plain tokenizer
        text = ""
    return text or page_text(html)[0] or html.strip()

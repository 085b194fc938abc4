"""A worker's cache of GET /api/… answers, keyed on the URL and the record's version, and their ETags.

Every committed write bumps the store's version (``Store.version``, migration 0008), whichever
process made it, so an answer is served again only while the version it was made at is still the
current one. On PostgreSQL each worker listens for the bumps (migration 0009,
``rasid.store.pgnotify``), so a hit costs no query; while the listener is down, and on SQLite
(about 25 microseconds), each request reads the version. The version is taken before the handler
runs, so an answer cached under a version is never older than that version. Every 200 answer carries a strong ETag (a hash of its body) and
``Cache-Control: no-cache`` (a client may keep it but must ask again); a request whose
If-None-Match names the current ETag gets 304 and no body. ``X-Cache: hit|miss|off`` says which
it was, so a benchmark can count them. A streamed answer (an export) passes through as it streams.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, NamedTuple, Optional

from starlette.concurrency import run_in_threadpool

from rasid.store.base import Store

# Bodies a worker keeps at most, besides the entry limit (serve.cache_entries): a story page is
# up to about 100 KB, so 2,048 of them would not fit.
MAX_BYTES = 64 * 1024 * 1024


class Entry(NamedTuple):
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """Least recently used answers of one version of the record; a new version empties it."""

    def __init__(self, store: Store, entries: int, max_bytes: int = MAX_BYTES):
        self.store, self.entries, self.max_bytes = store, entries, max_bytes
        self._answers: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._version: Optional[int] = None
        self.hits = self.misses = 0

    @property
    def on(self) -> bool:
        return self.entries > 0

    async def version(self) -> int:
        """The store's version, known without a query when the store hears its bumps (PostgreSQL's
        listener, ``Store.known_version``), else read; on a new one, every answer kept is dropped."""
        version = self.store.known_version()
        if version is None:
            version = await run_in_threadpool(self.store.version) if self.store.threaded else self.store.version()
        if version != self._version:
            self._answers.clear()
            self._bytes, self._version = 0, version
        return version

    def get(self, key: str, version: int) -> Optional[Entry]:
        entry = self._answers.get(key) if version == self._version else None
        if entry is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: str, version: int, entry: Entry) -> None:
        if version != self._version or len(entry.body) > self.max_bytes // 4:
            return  # the record changed while the handler ran, or one answer would crowd out the rest
        old = self._answers.pop(key, None)
        self._bytes += len(entry.body) - (len(old.body) if old else 0)
        self._answers[key] = entry
        while self._answers and (len(self._answers) > self.entries or self._bytes > self.max_bytes):
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode("ascii") + b'"'


def _matches(scope: dict[str, Any], etag: bytes) -> bool:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            return etag in tags or b"*" in tags
    return False


class CacheMiddleware:
    """Pure ASGI: GET /api/… answers from the cache, or from the app and then kept if 200."""

    def __init__(self, app: Any, cache: ResponseCache):
        self.app, self.cache = app, cache

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope["query_string"].decode("latin-1")
        version = await self.cache.version() if self.cache.on else None
        entry = self.cache.get(key, version) if version is not None else None
        if entry is not None:
            await _answer(scope, send, entry, b"hit")
            return
        entry = await self._render(scope, receive, send)
        if entry is None:
            return  # not a 200: passed on as it was
        if version is not None:
            self.cache.put(key, version, entry)
        await _answer(scope, send, entry, b"miss" if self.cache.on else b"off")

    async def _render(self, scope: dict[str, Any], receive: Any, send: Any) -> Optional[Entry]:
        """The app's answer: a 200 in one piece as an Entry (not sent yet); anything else (an
        error, a streamed export) sent on as it comes, untagged and not kept."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message: dict[str, Any]) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                start.update(message)
                passing = message["status"] != 200
            elif not passing and message.get("more_body"):  # a stream: never held in memory
                passing = True
                await send(start)
                for chunk in chunks:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            elif not passing:
                chunks.append(message.get("body", b""))
                return
            if passing:
                await send(message)

        await self.app(scope, receive, capture)
        if passing or not start:
            return None
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
        return Entry(headers, body, etag_of(body))


async def _answer(scope: dict[str, Any], send: Any, entry: Entry, how: bytes) -> None:
    extra = [(b"etag", entry.etag), (b"cache-control", b"no-cache"), (b"x-cache", how)]
    if _matches(scope, entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": extra})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers + extra})
    await send({"type": "http.response.body", "body": entry.body})

"""HTTP for polling: conditional GET (ETag, Last-Modified) and a minimum delay between requests to one host."""
from __future__ import annotations

import logging
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional
from urllib.parse import urlsplit

from rasid.errors import FetchError
from rasid.live.stop import Stopped, Stopper

log = logging.getLogger(__name__)
USER_AGENT = "Rasid/0.1 (+news monitoring; polls politely, honours ETag and Last-Modified)"
# Pages that feed entries link to are fetched once per run: a feed that changes lists mostly
# the same entries again. Kept compressed, the oldest dropped past this many bytes.
PAGE_CACHE_BYTES = 64_000_000


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``retry_after`` is its Retry-After, in seconds."""

    def __init__(self, message: str, status: int, retry_after: Optional[float] = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the version we hold; sent back to get a 304 when unchanged."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = ""
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError, IndexError):
        return None


class PoliteClient:
    """One HTTP client for a polling run: every request waits its turn on its host."""

    def __init__(self, politeness: float, timeout: float, stopper: Optional[Stopper] = None,
                 clock: Callable[[], float] = time.monotonic):
        import httpx

        self.politeness, self.stopper, self.clock = politeness, stopper or Stopper(), clock
        self._client = httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._pages: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._page_bytes = 0
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def wait_for(self, url: str) -> float:
        """Seconds until ``url``'s host may be asked again (0 when it may now)."""
        last = self._last.get(urlsplit(url).netloc.lower())
        return 0.0 if last is None else max(last + self.politeness - self.clock(), 0.0)

    def get(self, url: str, validators: Validators = Validators()) -> Response:
        """GET ``url``; 304 when ``validators`` still hold. Raises FetchError for no answer or an error status."""
        import httpx

        if self.stopper.sleep(self.wait_for(url)):
            raise Stopped(url)
        self.requests += 1
        try:
            answer = self._client.get(url, headers=validators.headers())
        except httpx.HTTPError as exc:
            raise FetchError(f"{url} does not answer ({type(exc).__name__}: {exc}); check the address or try later") from None
        finally:
            self._last[urlsplit(url).netloc.lower()] = self.clock()
        if answer.status_code == 304:
            return Response(304, validators=validators)
        if answer.status_code >= 400:
            raise HTTPStatusError(f"{url} answered HTTP {answer.status_code}", answer.status_code,
                                  _retry_after(answer.headers.get("retry-after")))
        held = Validators(answer.headers.get("etag", ""), answer.headers.get("last-modified", ""))
        return Response(answer.status_code, answer.content, answer.headers.get("content-type", ""), held)

    def fetch(self, url: str) -> tuple[bytes, str]:
        """The pipeline's fetch (a page a feed entry links to), through the same politeness, once a run."""
        if url in self._pages:
            self._pages.move_to_end(url)
            packed, content_type = self._pages[url]
            return zlib.decompress(packed), content_type
        answer = self.get(url)
        self._keep(url, zlib.compress(answer.body, 1), answer.content_type)
        return answer.body, answer.content_type

    def _keep(self, url: str, packed: bytes, content_type: str) -> None:
        self._pages[url] = (packed, content_type)
        self._page_bytes += len(packed)
        while self._page_bytes > PAGE_CACHE_BYTES and len(self._pages) > 1:
            _, (old, _) = self._pages.popitem(last=False)
            self._page_bytes -= len(old)

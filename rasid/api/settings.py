"""Options of the HTTP server (API and web UI), one frozen object; the CLI fills it from flags."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"  # loopback only unless asked: the API has no TLS of its own
    port: int = 8000
    write_token: Optional[str] = None  # POST /api/articles needs it; None disables writing
    read_token: Optional[str] = None  # when set, every request but static files needs it
    cors_origins: tuple[str, ...] = ()  # CORS is off unless origins are given
    page_size: int = 50
    max_page_size: int = 500
    # Seconds before places/actors are recounted even if the store's row counts did not change
    # (they change with every write, which triggers a recount anyway); 0 = only on change.
    catalog_max_age: float = 0.0
    max_ingest_records: int = 1000  # per POST /api/articles
    # A request body past this is refused (413) before it is read whole; the write token is checked
    # before any of it is read. One article may be up to ingest.max_article_bytes (5 MB).
    max_body_bytes: int = 20_000_000
    # GET /api/ answers a worker keeps, reused until any write changes the record (rasid.api.cache);
    # 0 turns the cache off (ETags and 304s stay).
    cache_entries: int = 2048

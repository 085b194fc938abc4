"""Full-text search on PostgreSQL: the bounded ranking, and each query's ranked window kept per
record version, so the next pages of a search read only their own rows."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Optional

from rasid.store.codec import ARTICLE_FIELDS

COLUMNS = ", ".join(f"a.{name}" for name in ARTICLE_FIELDS)

# ts_rank reads a match's whole tsvector, kept out of line: for a common word (5,382 matches of
# 31k) that reading is most of the query. So the newest SEARCH_RANK_WINDOW matches (the listing
# order, from the row alone) are ranked by ts_rank and come first, best first; the older matches
# follow newest first, unranked (score 0). A word with fewer matches ranks them all. The order is
# total and the same for every page.
SEARCH_RANK_WINDOW = 500
_MATCHES = """SELECT a.id, a.terms, q, row_number() OVER (
                  ORDER BY COALESCE(a.published, '') DESC, a.ingested_at DESC, a.id) AS recency
              FROM articles a, plainto_tsquery('simple', %(q)s) q WHERE a.terms @@ q"""
SEARCH = f"""
SELECT {COLUMNS}, page.score FROM (
    SELECT m.id, m.recency, CASE WHEN m.recency <= %(window)s THEN ts_rank(m.terms, m.q) END AS score
    FROM ({_MATCHES}) m
    ORDER BY score DESC NULLS LAST, m.recency LIMIT %(limit)s OFFSET %(offset)s) page
JOIN articles a ON a.id = page.id
ORDER BY page.score DESC NULLS LAST, page.recency"""
# The first SEARCH_RANK_WINDOW places of that order: the ranked matches, ids and scores only.
RANKED = f"""
SELECT m.id, ts_rank(m.terms, m.q) AS score FROM ({_MATCHES}) m
WHERE m.recency <= %(window)s ORDER BY score DESC, m.recency"""
BY_IDS = f"SELECT {COLUMNS} FROM articles a WHERE a.id = ANY(%s)"

RankedWindow = list[tuple[str, float]]


class RankedWindows:
    """The ranked windows of the last ``size`` queries at one record version; a new version
    empties it. A window shorter than SEARCH_RANK_WINDOW holds every match of its query."""

    def __init__(self, size: int = 256):
        self.size = size
        self._windows: OrderedDict[str, RankedWindow] = OrderedDict()
        self._version: Optional[int] = None
        self._lock = threading.Lock()

    def get(self, query: str, version: int) -> Optional[RankedWindow]:
        with self._lock:
            if version != self._version:
                self._windows.clear()
                self._version = version
                return None
            window = self._windows.get(query)
            if window is not None:
                self._windows.move_to_end(query)
            return window

    def put(self, query: str, version: int, window: RankedWindow) -> None:
        with self._lock:
            if version != self._version:
                return
            self._windows[query] = window
            while len(self._windows) > self.size:
                self._windows.popitem(last=False)


def page_of(window: RankedWindow, limit: int, offset: int) -> Optional[RankedWindow]:
    """The page's (id, score) pairs when the window holds them, else None (read the page whole)."""
    if offset + limit <= len(window) or len(window) < SEARCH_RANK_WINDOW:
        return window[offset:offset + limit]
    return None


def rows_in_order(fetch: Callable[[str, Any], list[Any]], page: RankedWindow) -> list[tuple[Any, float]]:
    """The page's article rows with their scores, in the page's order."""
    if not page:
        return []
    by_id = {r["id"]: r for r in fetch(BY_IDS, ([i for i, _ in page],))}
    return [(by_id[i], score) for i, score in page if i in by_id]

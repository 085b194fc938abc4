"""The default store: one SQLite file, WAL, one writer, FTS5 over normalised stemmed Arabic."""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from rasid.arabic.search import terms
from rasid.errors import NotFound, StoreError
from rasid.models import Article, DuplicateLink, Extraction, Story
from rasid.store import queries
from rasid.store import jobs
from rasid.store.base import (
    ArticleFilter, EventFilter, EventRow, PutResult, Rejection, SearchHit, Store,
)
from rasid.store.codec import (
    ARTICLE_FIELDS, ArticleRow, article_from_row, article_row, dumps, extraction_from_dict, loads, story_from_dict,
)
from rasid.store.migrations import pending_migrations


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# An article row's columns: the Article's fields, then what the store adds. The long texts may
# come as UTF-8 bytes (rasid.store.codec.ArticleRow): CAST stores them as the same text.
_COLUMNS = [*ARTICLE_FIELDS, "updated_at", "record_hash"]
_AT = {name: i for i, name in enumerate(ARTICLE_FIELDS)}
_MARKS = ["CAST(? AS TEXT)" if name in ("text", "clean_text") else "?" for name in _COLUMNS]
_INSERT = f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join(_MARKS)})"
_UPDATE = f"UPDATE articles SET {', '.join(f'{n} = {m}' for n, m in zip(_COLUMNS, _MARKS))} WHERE rowid = ?"
_INSERT_TERMS = "INSERT INTO articles_fts (rowid, id, terms) VALUES (?, ?, CAST(? AS TEXT))"


class SQLiteStore(jobs.JobsMixin, Store):
    MARK = "?"
    UPSERT_EVENT = "INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?)"

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        path = url.split("://", 1)[1]
        path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db -> rel.db
        self.path = path or ":memory:"
        self._lock = threading.RLock()  # one writer at a time, even across API threads
        self._conn = self._connect(timeout)
        self._versioned = False  # record_version exists only once the migrations are applied
        self._migrate()
        self._versioned = True

    # -- life cycle
    def _connect(self, timeout: float) -> sqlite3.Connection:
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database '{self.path}': folder '{parent}' does not exist; create it or give another --db")
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._open(timeout)
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL needs a moment alone with it: another process doing
                # the same answers "locked" at once, without waiting for the busy timeout.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open database '{self.path}': {exc}; is it a SQLite file? "
                                     "give another --db") from exc
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot open database '{self.path}': {exc}; is it a SQLite file? give another --db") from exc

    def _open(self, timeout: float) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _migrate(self) -> None:
        with self._lock:
            self._conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r[0] for r in self._conn.execute("SELECT name FROM _migrations")}
            for name, sql in pending_migrations("sqlite", done):
                with self._transaction() as cur:
                    if cur.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                        continue  # another process applied it while this one waited
                    for statement in sql.split(";\n"):
                        if statement.strip():
                            cur.execute(statement)
                    cur.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))

    def migrations(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def close(self) -> None:
        self._conn.close()

    def _transaction(self):
        return _Transaction(self._conn, self._lock, self._versioned)

    def version(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT n FROM record_version").fetchone()[0]

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            yield self._conn.cursor()

    def _tuples(self, sql: str) -> list[sqlite3.Row]:
        return self._query(sql)

    def _index_problems(self) -> list[Any]:
        from rasid.store.checks import Problem

        rows = self._query("SELECT a.id FROM articles a LEFT JOIN articles_fts f ON f.rowid = a.rowid "
                           "WHERE f.id IS NULL OR f.id != a.id UNION ALL "
                           "SELECT f.id FROM articles_fts f LEFT JOIN articles a ON a.rowid = f.rowid WHERE a.id IS NULL")
        if not rows:
            return []
        return [Problem("search_index", "articles missing from, or wrong in, the full-text index", len(rows),
                        [r[0] for r in rows[:5]], "re-ingest those articles, or rasid analyse --all after it")]

    # -- articles
    def put_articles(self, articles: Iterable[Article | ArticleRow], records: Iterable[tuple[str, str]] = ()) -> list[PutResult]:
        rows = [article_row(a) for a in articles]
        with self._transaction() as cur:
            stored = _Stored(cur, rows)
            results = [self._put_one(cur, row, stored) for row in rows]
            jobs.enqueue(cur, "?", [r.article_id for r in results if r.status != "unchanged"])
            cur.executemany("INSERT OR REPLACE INTO seen_records VALUES (?, ?)", list(records))
            return results

    def _put_one(self, cur: sqlite3.Cursor, stored: ArticleRow, known: "_Stored") -> PutResult:
        article_id, content_hash, digest = stored.id, stored.content_hash, stored.record_hash
        row = None
        if article_id in known.ids:
            row = cur.execute("SELECT rowid, record_hash, ingested_at, duplicate_of, content_hash FROM articles "
                              "WHERE id = ?", (article_id,)).fetchone()
        if row and row["record_hash"] == digest:
            return PutResult("unchanged", article_id, row["duplicate_of"])
        now = _now()
        duplicate_of = jobs.original_of(cur, "?", article_id, content_hash) if content_hash in known.hashes else None
        # The article's columns, with what storing decides (no copy of the article).
        values = list(stored.columns)
        values[_AT["duplicate_of"]] = duplicate_of
        values[_AT["ingested_at"]] = row["ingested_at"] if row else (values[_AT["ingested_at"]] or now)
        values += (now, digest)
        if row:  # update in place: the rowid, which the index rows point at, stays
            cur.execute(_UPDATE, (*values, row["rowid"]))
            cur.execute("DELETE FROM articles_fts WHERE rowid = ?", (row["rowid"],))
            rowid = row["rowid"]
        else:
            rowid = cur.execute(_INSERT, values).lastrowid
        cur.execute(_INSERT_TERMS, (rowid, article_id, stored.raw_terms))
        known.add(article_id, content_hash)
        if row and row["content_hash"] != content_hash and row["duplicate_of"] is None:
            jobs.relink_copies(cur, "?", [row["content_hash"]])  # its copies need another original
        return PutResult("updated" if row else "new", article_id, duplicate_of)

    def seen_records(self) -> set[str]:
        return {r[0] for r in self._query("SELECT fingerprint FROM seen_records")}

    def mark_records(self, pairs: Iterable[tuple[str, str]]) -> None:
        with self._transaction() as cur:
            cur.executemany("INSERT OR REPLACE INTO seen_records VALUES (?, ?)", list(pairs))

    def get_article(self, article_id: str) -> Article:
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows and article_id:
            rows = self._query("SELECT * FROM articles WHERE id LIKE ? LIMIT 2", (article_id + "%",))
            if len(rows) > 1:
                raise NotFound(f"article id prefix '{article_id}' matches several articles; give more characters")
        if not rows:
            raise NotFound(f"no article with id '{article_id}'; list ids with: rasid articles")
        return article_from_row(rows[0])

    def list_articles(self, flt: ArticleFilter = ArticleFilter(), limit: int = 50, offset: int = 0) -> list[Article]:
        where, params = queries.article_where(flt, "?")
        sql = f"SELECT * FROM articles {where} ORDER BY COALESCE(published, '') DESC, ingested_at DESC, id LIMIT ? OFFSET ?"
        return [article_from_row(r) for r in self._query(sql, [*params, limit, offset])]

    def count_articles(self, flt: ArticleFilter = ArticleFilter()) -> int:
        where, params = queries.article_where(flt, "?")
        return self._query(f"SELECT COUNT(*) FROM articles {where}", params)[0][0]

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM articles ORDER BY id")]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        match = queries.fts_match(terms(query))
        if not match:
            return []
        # Rank inside the index first and read only the page's articles: joining every match's
        # row (text included) before sorting made a common word cost tens of milliseconds.
        rows = self._query(
            "SELECT a.*, ranked.score FROM (SELECT rowid, bm25(articles_fts) AS score FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY score, rowid LIMIT ? OFFSET ?) AS ranked "
            "JOIN articles a ON a.rowid = ranked.rowid ORDER BY ranked.score, ranked.rowid",
            (match, limit, offset),
        )
        return [SearchHit(article_from_row(r), queries.snippet(r["clean_text"], query), -r["score"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        return queries.stats(lambda sql: self._query(sql)[0][0], self._query, self.url)

    # -- rejections
    def add_rejections(self, rejections: Iterable[Rejection]) -> None:
        with self._transaction() as cur:
            cur.executemany("INSERT OR REPLACE INTO rejections (origin, reason, fix, at) VALUES (?, ?, ?, ?)",
                            [(r.origin, r.reason, r.fix, _now()) for r in rejections])

    def list_rejections(self, limit: int = 50) -> list[Rejection]:
        rows = self._query("SELECT origin, reason, fix FROM rejections ORDER BY seq DESC LIMIT ?", (limit,))
        return [Rejection(r[0], r[1], r[2]) for r in rows]

    # -- analysis
    def put_extraction(self, extraction: Extraction, story_id: Optional[str] = None) -> None:
        with self._transaction() as cur:
            cur.execute("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)",
                        (extraction.article_id, dumps(extraction.to_dict()), _now()))
            cur.execute("DELETE FROM events WHERE kind = 'mention' AND article_id = ?", (extraction.article_id,))
            cur.executemany("INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?)",
                            [queries.mention_row(extraction, e, story_id) for e in extraction.events])

    def get_extraction(self, article_id: str) -> Optional[Extraction]:
        rows = self._query("SELECT data FROM extractions WHERE article_id = ?", (article_id,))
        return extraction_from_dict(loads(rows[0][0])) if rows else None

    def iter_extractions(self, page: int = 500) -> Iterator[Extraction]:
        return queries.iter_extractions(self._query, "?", page)

    def put_duplicate_links(self, links: Iterable[DuplicateLink]) -> None:
        with self._transaction() as cur:
            cur.executemany("INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?)",
                            [(l.article_id, l.other_id, l.kind, l.score) for l in links])

    def get_duplicate_links(self, article_id: str) -> list[DuplicateLink]:
        rows = self._query("SELECT article_id, other_id, kind, score FROM duplicates WHERE article_id = ? OR other_id = ? "
                           "ORDER BY score DESC", (article_id, article_id))
        return [DuplicateLink(*queries.oriented(r, article_id)) for r in rows]

    def replace_stories(self, stories: list[Story]) -> None:
        with self._transaction() as cur:
            for story in stories:
                for statement, params in queries.story_writes(story, "?"):
                    cur.execute(statement, params)
            cur.execute("DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM story_articles)")
            cur.execute("DELETE FROM events WHERE kind = 'event' AND story_id NOT IN (SELECT id FROM stories)")

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        rows = self._query("SELECT data FROM stories ORDER BY sort_key DESC, id LIMIT ? OFFSET ?", (limit, offset))
        return [story_from_dict(loads(r[0])) for r in rows]

    def list_story_summaries(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        # Plain columns written with each story (0007_story_summaries): no story JSON is parsed.
        rows = self._query(f"SELECT {', '.join(queries.SUMMARY_COLUMNS)} FROM stories "
                           "ORDER BY sort_key DESC, id LIMIT ? OFFSET ?", (limit, offset))
        return [queries.story_summary_row(r) for r in rows]

    def count_stories(self) -> int:
        return self._query("SELECT COUNT(*) FROM stories")[0][0]

    def get_story(self, story_id: str) -> Story:
        rows = self._query("SELECT data FROM stories WHERE id = ?", (story_id,))  # the index, not a scan
        if not rows and story_id:
            rows = self._query("SELECT data FROM stories WHERE id LIKE ? LIMIT 2", (story_id + "%",))
        if len(rows) != 1:
            raise NotFound(f"no single story with id '{story_id}'; list stories with: rasid stories")
        return story_from_dict(loads(rows[0][0]))

    def list_events(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0) -> list[EventRow]:
        where, params = queries.event_where(flt, "?")
        rows = self._query(f"SELECT * FROM events {where} ORDER BY COALESCE(date, '') DESC, id LIMIT ? OFFSET ?",
                           [*params, limit, offset])
        return [queries.event_row(r) for r in rows]

    def count_events(self, flt: EventFilter = EventFilter()) -> int:
        where, params = queries.event_where(flt, "?")
        return self._query(f"SELECT COUNT(*) FROM events {where}", params)[0][0]

    # -- state
    def get_state(self, key: str) -> Optional[bytes]:
        rows = self._query("SELECT value FROM state WHERE key = ?", (key,))
        return bytes(rows[0][0]) if rows else None

    def set_state(self, key: str, value: bytes) -> None:
        with self._transaction() as cur:
            cur.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, value))


class _Stored:
    """Which of a batch's ids and content hashes the articles table may hold, read in one query
    each (plus those the batch writes): an article whose id or content is in neither needs no
    lookup, as in a first ingest, where it is almost every article. A hit still runs the exact
    query, so the outcome is the one of a lookup per article."""

    _CHUNK = 500  # bound variables per query

    def __init__(self, cur: sqlite3.Cursor, rows: list[ArticleRow]):
        self.ids = self._present(cur, "id", [row.id for row in rows])
        self.hashes = self._present(cur, "content_hash", [row.content_hash for row in rows])

    def _present(self, cur: sqlite3.Cursor, column: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        distinct = list(dict.fromkeys(values))
        for at in range(0, len(distinct), self._CHUNK):
            chunk = distinct[at:at + self._CHUNK]
            marks = ", ".join("?" for _ in chunk)
            found.update(r[0] for r in cur.execute(f"SELECT {column} FROM articles WHERE {column} IN ({marks})", chunk))
        return found

    def add(self, article_id: str, content_hash: str) -> None:
        self.ids.add(article_id)
        self.hashes.add(content_hash)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT under the writer lock; ROLLBACK on any error. A transaction that
    changed rows bumps the record's version before it commits (``Store.version``)."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock, versioned: bool = True):
        self.conn, self.lock, self.versioned = conn, lock, versioned
        self.changes = 0

    def __enter__(self) -> sqlite3.Cursor:
        self.lock.acquire()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self.lock.release()
            raise StoreError(f"the database is busy or read-only: {exc}; stop the other writer and retry") from exc
        self.changes = self.conn.total_changes
        return self.conn.cursor()

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        try:
            if not exc_type and self.versioned and self.conn.total_changes != self.changes:
                self.conn.execute("UPDATE record_version SET n = n + 1")
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.lock.release()

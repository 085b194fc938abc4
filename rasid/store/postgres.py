"""The team store: PostgreSQL through psycopg 3, with the same behaviour as the SQLite store."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import urlsplit, urlunsplit

from rasid.arabic.search import terms
from rasid.errors import MissingDependency, NotFound, StoreError
from rasid.models import Article, DuplicateLink, Extraction, Story
from rasid.store import jobs, pgsearch, queries
from rasid.store.base import (
    ArticleFilter, ArticleSummaryRow, EventFilter, EventRow, PutResult, Rejection, SearchHit, Store,
)
from rasid.store.codec import (
    ARTICLE_FIELDS, ArticleRow, article_from_row, article_row, dumps, extraction_from_dict, loads, story_from_dict,
)
from rasid.store.migrations import pending_migrations
from rasid.store.pgnotify import VersionListener
from rasid.store.pgpool import Connections

# Keys of the advisory locks (any bigint; these spell "rasid" plus a number).
MIGRATE_LOCK = 0x726173696401  # held while checking and applying migrations
ARTICLES_LOCK = 0x726173696402  # one article writer at a time, so exact copies link to the first
LEASES_LOCK = 0x726173696403  # held while a lease is read and taken

# Connections a store opens at most: one per request in flight in an API worker. More only queue
# on the server's cores (two on the benchmark machine) and cost memory on the server.
POOL_SIZE = 4

# Every column but the tsvector, which is only ever read by the search condition itself.
_ARTICLE_COLUMNS = pgsearch.COLUMNS


_SUMMARY_COLUMNS = ", ".join(f"a.{name}" for name in ArticleSummaryRow._fields)


def _psycopg() -> Any:
    try:
        import psycopg
        import psycopg.rows
    except ImportError as exc:
        raise MissingDependency("psycopg", "postgres", "The PostgreSQL store") from exc
    return psycopg


def _psycopg_version() -> tuple[int, ...]:
    import psycopg

    return tuple(int(p) for p in psycopg.__version__.split(".")[:2] if p.isdigit())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def redact(url: str) -> str:
    """The URL without its password, fit for messages and ``stats()``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, hosts = netloc.rsplit("@", 1)
        netloc = userinfo.split(":", 1)[0] + "@" + hosts
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _libpq_url(url: str) -> str:
    """libpq knows postgresql:// and postgres://; also accept postgresql+psycopg:// and friends."""
    return "postgresql://" + url.split("://", 1)[1]


def _ilike(where: str) -> str:
    # SQLite's LIKE folds ASCII case and has no escape character; ILIKE on a "C" column with
    # ESCAPE '' does exactly the same.
    return where.replace("LIKE %s", "ILIKE %s ESCAPE ''")


class PostgresStore(jobs.JobsMixin, Store):
    MARK = "%s"

    # A query is a round trip to another process: the API runs this store's calls in its thread
    # pool, and each thread in flight takes its own connection (rasid.api.routes_content).
    threaded = True

    def __init__(self, url: str, connect_timeout: int = 10, pool_size: int = POOL_SIZE):
        self._pg = _psycopg()
        self._conninfo = _libpq_url(url)
        self.url = redact(self._conninfo)
        self._connect_timeout = connect_timeout
        self._connections = Connections(self._connect, pool_size)
        self._listener: Optional[VersionListener] = None
        self._written = 0  # the highest version this process's own writes committed
        self._written_lock = threading.Lock()
        self._ranked = pgsearch.RankedWindows()  # search: each query's ranked matches, per version
        self._migrate()

    # -- life cycle
    def _connect(self) -> Any:
        pg = self._pg
        try:
            given = pg.conninfo.conninfo_to_dict(self._conninfo)
            options: dict[str, Any] = {"autocommit": True, "client_encoding": "utf8"}
            if "connect_timeout" not in given:
                options["connect_timeout"] = self._connect_timeout
            if "application_name" not in given:
                options["application_name"] = "rasid"
            conn = pg.connect(self._conninfo, **options)
        except pg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at '{self.url}': {str(exc).strip()}; check that the server is "
                "running and that the URL's user, password, host, port and database are right "
                "(create the database with: createdb -E UTF8 NAME)"
            ) from exc
        encoding = conn.execute("SHOW server_encoding").fetchone()[0]
        if encoding.upper() not in ("UTF8", "UTF-8"):
            conn.close()
            raise StoreError(f"the database at '{self.url}' uses encoding {encoding}; Rasid stores Arabic text and "
                             "needs UTF8: create it with: createdb -E UTF8 -T template0 NAME")
        return conn

    def _migrate(self) -> None:
        pg = self._pg
        name = "_migrations"
        with self._connections.connection() as conn:  # the first connection: a wrong URL fails here
            try:
                # A session lock, so two processes starting at once apply each migration once.
                conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
                conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
                for name, sql in pending_migrations("postgresql", done):
                    with conn.transaction():
                        conn.execute(sql)  # no parameters: psycopg sends the whole file at once
                        conn.execute("INSERT INTO _migrations VALUES (%s, %s)", (name, _now()))
            except pg.Error as exc:
                raise StoreError(f"cannot apply migration '{name}' to '{self.url}': {str(exc).strip()}; "
                                 "the database user needs the right to create tables in its schema") from exc
            finally:
                if not conn.broken:  # a lost session has released its lock already
                    conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))

    def migrations(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT name FROM _migrations ORDER BY name", tuples=True)]

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
        self._connections.close()

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """BEGIN ... COMMIT on a connection of this thread's own; ROLLBACK on any error. A
        transaction that wrote (it has a transaction id) bumps the record's version last, so the
        counter's row lock is held only while committing (``Store.version``); once committed, this
        process knows the new version at once (``known_version``), before any notification."""
        with self._cursor(self._pg.rows.dict_row) as (conn, cur):
            with conn.transaction():
                yield cur
                bumped = cur.execute("UPDATE record_version SET n = n + 1 "
                                     "WHERE txid_current_if_assigned() IS NOT NULL RETURNING n").fetchone()
            if bumped:
                with self._written_lock:
                    self._written = max(self._written, bumped["n"])

    def version(self) -> int:
        return self._value("SELECT n FROM record_version")

    def listen(self) -> None:
        """Hear every version bump from now on (migration 0009), in a thread with its own
        connection, so ``known_version`` answers without a query. psycopg older than 3.2 cannot
        wait for a notification with a timeout: then nothing is heard and callers keep asking."""
        if self._listener is None and _psycopg_version() >= (3, 2):
            self._listener = VersionListener(self._connect)
            self._listener.start()

    def known_version(self) -> Optional[int]:
        heard = self._listener.version if self._listener is not None else None
        if heard is None:
            return None
        with self._written_lock:
            return max(heard, self._written)

    @contextmanager
    def _cursor(self, factory: Any) -> Iterator[tuple[Any, Any]]:
        # A long-lived API process outlives server restarts: a connection that broke is dropped
        # when it comes back (rasid.store.pgpool), and the next call opens a fresh one.
        try:
            with self._connections.connection() as conn, conn.cursor(row_factory=factory) as cur:
                yield conn, cur
        except self._pg.OperationalError as exc:
            raise StoreError(f"PostgreSQL at '{self.url}' failed: {str(exc).strip()}; "
                             "check that the server is up, then retry") from exc

    def _rows(self, sql: str, params: Iterable[Any] = (), tuples: bool = False) -> list[Any]:
        factory = self._pg.rows.tuple_row if tuples else self._pg.rows.dict_row
        with self._cursor(factory) as (_, cur):
            return cur.execute(sql, tuple(params)).fetchall()

    def _value(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self._rows(sql, params, tuples=True)[0][0]

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        with self._cursor(self._pg.rows.dict_row) as (_, cur):
            yield cur

    def _tuples(self, sql: str) -> list[Any]:
        return self._rows(sql, tuples=True)

    def _lock_leases(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (LEASES_LOCK,))

    def _index_problems(self) -> list[Any]:
        from rasid.store.checks import Problem

        rows = self._rows("SELECT id FROM articles WHERE terms = ''::tsvector AND clean_text ~ '[[:alpha:]]'",
                          tuples=True)
        if not rows:
            return []
        return [Problem("search_index", "articles with text but no search terms", len(rows),
                        [r[0] for r in rows[:5]], "re-ingest those articles")]

    # -- articles
    def put_articles(self, articles: Iterable[Article | ArticleRow], records: Iterable[tuple[str, str]] = ()) -> list[PutResult]:
        with self._transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (ARTICLES_LOCK,))
            results = [self._put_one(cur, article_row(a)) for a in articles]
            jobs.enqueue(cur, "%s", [r.article_id for r in results if r.status != "unchanged"])
            cur.executemany("INSERT INTO seen_records VALUES (%s, %s) ON CONFLICT (fingerprint) "
                            "DO UPDATE SET article_id = EXCLUDED.article_id", list(records))
            return results

    def _put_one(self, cur: Any, stored: ArticleRow) -> PutResult:
        article, digest = stored.article, stored.record_hash
        row = cur.execute("SELECT record_hash, ingested_at, duplicate_of, content_hash FROM articles WHERE id = %s",
                          (article.id,)).fetchone()
        if row and row["record_hash"] == digest:
            return PutResult("unchanged", article.id, row["duplicate_of"])
        now = _now()
        article = replace(article, duplicate_of=jobs.original_of(cur, "%s", article.id, article.content_hash),
                          ingested_at=row["ingested_at"] if row else (article.ingested_at or now))
        values = {name: getattr(article, name) for name in ARTICLE_FIELDS}
        values.update(meta=dumps(article.meta), updated_at=now, record_hash=digest)
        if any("\x00" in v for v in values.values() if isinstance(v, str)):
            raise StoreError(f"article '{article.id}' from '{article.origin}' contains a NUL character, which "
                             "PostgreSQL text cannot hold; remove NUL characters before ingest")
        cols = ", ".join(values)
        marks = ", ".join("%s" for _ in values)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*values, "terms"] if c != "id")
        cur.execute(
            f"INSERT INTO articles ({cols}, terms) VALUES ({marks}, to_tsvector('simple', %s)) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            (*values.values(), stored.terms),
        )
        if row and row["content_hash"] != article.content_hash and row["duplicate_of"] is None:
            jobs.relink_copies(cur, "%s", [row["content_hash"]])  # its copies need another original
        return PutResult("updated" if row else "new", article.id, article.duplicate_of)

    def get_article(self, article_id: str) -> Article:
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id = %s", (article_id,))
        if not rows and article_id:
            rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id ILIKE %s ESCAPE '' LIMIT 2",
                              (article_id + "%",))
            if len(rows) > 1:
                raise NotFound(f"article id prefix '{article_id}' matches several articles; give more characters")
        if not rows:
            raise NotFound(f"no article with id '{article_id}'; list ids with: rasid articles")
        return article_from_row(rows[0])

    def get_articles(self, article_ids: list[str]) -> list[Article]:
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id = ANY(%s)", (list(article_ids),))
        by_id = {r["id"]: r for r in rows}
        return [article_from_row(by_id[i]) for i in article_ids if i in by_id]

    def list_articles(self, flt: ArticleFilter = ArticleFilter(), limit: int = 50, offset: int = 0) -> list[Article]:
        return [article_from_row(r) for r in self._article_page(_ARTICLE_COLUMNS, flt, limit, offset, tuples=False)]

    def list_article_summaries(self, flt: ArticleFilter = ArticleFilter(), limit: int = 50,
                               offset: int = 0) -> list[ArticleSummaryRow]:
        # Without text, clean text and meta: 0.3-0.5 ms a page of 50 against 8-12 (their detoasting
        # and decoding), median of 21 on the benchmark record.
        return [ArticleSummaryRow(*r) for r in self._article_page(_SUMMARY_COLUMNS, flt, limit, offset, tuples=True)]

    def _article_page(self, columns: str, flt: ArticleFilter, limit: int, offset: int, tuples: bool) -> list[Any]:
        where, params = queries.article_where(flt, "%s")
        # The page's ids first, from articles_order; only its 50 rows are then read whole. A plain
        # SELECT built a full row for every row OFFSET skipped (5.5 ms against 1.3 at offset 1,000).
        sql = (f"SELECT {columns} FROM (SELECT id FROM articles {where} "
               "ORDER BY COALESCE(published, '') DESC, ingested_at DESC, id LIMIT %s OFFSET %s) page "
               "JOIN articles a ON a.id = page.id ORDER BY COALESCE(a.published, '') DESC, a.ingested_at DESC, a.id")
        return self._rows(sql, [*params, limit, offset], tuples=tuples)

    def get_article_summaries(self, article_ids: list[str]) -> list[ArticleSummaryRow]:
        rows = self._rows(f"SELECT {_SUMMARY_COLUMNS} FROM articles a WHERE id = ANY(%s)", (list(article_ids),), tuples=True)
        by_id = {r[0]: ArticleSummaryRow(*r) for r in rows}
        return [by_id[i] for i in article_ids if i in by_id]

    def count_articles(self, flt: ArticleFilter = ArticleFilter()) -> int:
        where, params = queries.article_where(flt, "%s")
        return self._value(f"SELECT COUNT(*) FROM articles {where}", params)

    def article_ids(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM articles ORDER BY id", tuples=True)]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        words = [t for t in terms(query) if t]
        if not words:
            return []
        # plainto_tsquery ANDs the words and reads them as plain text: no query syntax leaks in.
        q = " ".join(words)
        version = self.known_version()  # the window is kept only when known without a query
        window = self._ranked.get(q, version) if version is not None else None
        if window is None and version is not None:
            window = [(r["id"], float(r["score"])) for r in self._search_rows(
                pgsearch.RANKED, {"q": q, "window": pgsearch.SEARCH_RANK_WINDOW})]
            self._ranked.put(q, version, window)
        page = pgsearch.page_of(window, limit, offset) if window is not None else None
        if page is not None:
            found = pgsearch.rows_in_order(self._rows, page)
        else:
            found = [(r, r["score"]) for r in self._search_rows(pgsearch.SEARCH, {
                "q": q, "window": pgsearch.SEARCH_RANK_WINDOW, "limit": limit, "offset": offset})]
        return [SearchHit(article_from_row(r), queries.snippet(r["clean_text"], query), float(score or 0.0))
                for r, score in found]

    def _search_rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        with self._cursor(self._pg.rows.dict_row) as (conn, cur), conn.transaction():
            # The planner takes a seq scan for a common word and reads every article's tsvector
            # (kept out of line) to test it; the GIN index finds the same rows for a fraction of
            # the reads. SET LOCAL ends with this transaction, which only reads: a write
            # transaction's version bump, planned with seq scans priced out, crossed the JIT
            # threshold and was compiled on every search (0.2-0.5 s; EXPLAIN ANALYZE). JIT is off
            # for the search too: its plan never needs it.
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL jit = off")
            return cur.execute(sql, params).fetchall()

    def stats(self) -> dict[str, Any]:
        return queries.stats(self._value, lambda sql: self._rows(sql, tuples=True), self.url)

    # -- rejections
    def add_rejections(self, rejections: Iterable[Rejection]) -> None:
        rows = [(r.origin, r.reason, r.fix, _now()) for r in rejections]
        with self._transaction() as cur:
            cur.executemany("INSERT INTO rejections (origin, reason, fix, at) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (origin, reason) DO UPDATE SET fix = EXCLUDED.fix, at = EXCLUDED.at", rows)

    def list_rejections(self, limit: int = 50) -> list[Rejection]:
        rows = self._rows("SELECT origin, reason, fix FROM rejections ORDER BY seq DESC LIMIT %s", (limit,), tuples=True)
        return [Rejection(r[0], r[1], r[2]) for r in rows]

    # -- analysis
    def put_extraction(self, extraction: Extraction, story_id: Optional[str] = None) -> None:
        with self._transaction() as cur:
            cur.execute("INSERT INTO extractions VALUES (%s, %s, %s) ON CONFLICT (article_id) "
                        "DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at",
                        (extraction.article_id, dumps(extraction.to_dict()), _now()))
            cur.execute("DELETE FROM events WHERE kind = 'mention' AND article_id = %s", (extraction.article_id,))
            cur.executemany(f"INSERT INTO events VALUES ({', '.join(['%s'] * 10)}) ON CONFLICT (id) DO UPDATE SET "
                            + ", ".join(f"{c} = EXCLUDED.{c}" for c in _EVENT_COLUMNS[1:]),
                            [queries.mention_row(extraction, e, story_id) for e in extraction.events])

    def get_extraction(self, article_id: str) -> Optional[Extraction]:
        rows = self._rows("SELECT data FROM extractions WHERE article_id = %s", (article_id,), tuples=True)
        return extraction_from_dict(loads(rows[0][0])) if rows else None

    def get_extractions(self, article_ids: list[str]) -> dict[str, Extraction]:
        rows = self._rows("SELECT article_id, data FROM extractions WHERE article_id = ANY(%s)",
                          (list(article_ids),), tuples=True)
        return {r[0]: extraction_from_dict(loads(r[1])) for r in rows}

    def iter_extractions(self, page: int = 500) -> Iterator[Extraction]:
        return queries.iter_extractions(lambda sql, params: self._rows(sql, params, tuples=True), "%s", page)

    def put_duplicate_links(self, links: Iterable[DuplicateLink]) -> None:
        rows = [(l.article_id, l.other_id, l.kind, l.score) for l in links]  # noqa: E741
        with self._transaction() as cur:
            cur.executemany("INSERT INTO duplicates VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (article_id, other_id, kind) DO UPDATE SET score = EXCLUDED.score", rows)

    def get_duplicate_links(self, article_id: str) -> list[DuplicateLink]:
        rows = self._rows("SELECT article_id, other_id, kind, score FROM duplicates WHERE article_id = %s OR other_id = %s "
                          "ORDER BY score DESC", (article_id, article_id), tuples=True)
        return [DuplicateLink(*queries.oriented(r, article_id)) for r in rows]

    def replace_stories(self, stories: list[Story]) -> None:
        with self._transaction() as cur:
            for story in stories:
                for statement, params in queries.story_writes(story, "%s"):
                    cur.execute(statement, params)
            cur.execute("DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM story_articles)")
            cur.execute("DELETE FROM events WHERE kind = 'event' AND story_id NOT IN (SELECT id FROM stories)")

    def list_stories(self, limit: int = 50, offset: int = 0) -> list[Story]:
        rows = self._rows("SELECT data FROM stories ORDER BY sort_key DESC, id LIMIT %s OFFSET %s", (limit, offset), tuples=True)
        return [story_from_dict(loads(r[0])) for r in rows]

    def list_story_summaries(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        # Plain columns written with each story (0007_story_summaries): no story JSON is parsed.
        rows = self._rows(f"SELECT {', '.join(queries.SUMMARY_COLUMNS)} FROM stories "
                          "ORDER BY sort_key DESC, id LIMIT %s OFFSET %s", (limit, offset), tuples=True)
        return [queries.story_summary_row(r) for r in rows]

    def count_stories(self) -> int:
        return self._value("SELECT COUNT(*) FROM stories")

    def get_story(self, story_id: str) -> Story:
        rows = self._rows("SELECT data FROM stories WHERE id = %s", (story_id,), tuples=True)
        if not rows and story_id:
            rows = self._rows("SELECT data FROM stories WHERE id ILIKE %s ESCAPE '' LIMIT 2",
                              (story_id + "%",), tuples=True)
        if len(rows) != 1:
            raise NotFound(f"no single story with id '{story_id}'; list stories with: rasid stories")
        return story_from_dict(loads(rows[0][0]))

    def list_events(self, flt: EventFilter = EventFilter(), limit: int = 100, offset: int = 0) -> list[EventRow]:
        where, params = queries.event_where(flt, "%s")
        rows = self._rows(f"SELECT * FROM events {_ilike(where)} ORDER BY COALESCE(date, '') DESC, id LIMIT %s OFFSET %s",
                          [*params, limit, offset])
        return [queries.event_row(r) for r in rows]

    def count_events(self, flt: EventFilter = EventFilter()) -> int:
        where, params = queries.event_where(flt, "%s")
        return self._value(f"SELECT COUNT(*) FROM events {_ilike(where)}", params)

    # -- state
    def seen_records(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT fingerprint FROM seen_records", tuples=True)}

    def mark_records(self, pairs: Iterable[tuple[str, str]]) -> None:
        with self._transaction() as cur:
            cur.executemany("INSERT INTO seen_records VALUES (%s, %s) ON CONFLICT (fingerprint) "
                            "DO UPDATE SET article_id = EXCLUDED.article_id", list(pairs))

    def get_state(self, key: str) -> Optional[bytes]:
        rows = self._rows("SELECT value FROM state WHERE key = %s", (key,), tuples=True)
        return bytes(rows[0][0]) if rows else None

    def set_state(self, key: str, value: bytes) -> None:
        with self._transaction() as cur:
            cur.execute("INSERT INTO state VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                        (key, bytes(value)))


# Column order of the events table, as queries.mention_row fills it.
_EVENT_COLUMNS = ("id", "kind", "article_id", "story_id", "type", "subtype", "date", "date_precision", "search", "data")
PostgresStore.UPSERT_EVENT = (f"INSERT INTO events VALUES ({', '.join(['%s'] * 10)}) ON CONFLICT (id) DO UPDATE SET "
                              + ", ".join(f"{c} = EXCLUDED.{c}" for c in _EVENT_COLUMNS[1:]))

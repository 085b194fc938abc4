"""The analysis job's tables, shared by both backends: the queue, the lease, the story state rows,
and the one transaction that writes an analysis batch's results and marks its work done.

Every function takes an open cursor (inside the backend's transaction) and the driver's
placeholder ``mark`` ("?" or "%s"); rows are read by column name, which both drivers allow.
"""
from __future__ import annotations

import os
import socket
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from rasid.models import DuplicateLink
from rasid.store import queries
from rasid.store.base import AnalysisWrite, Holder, QueueItem, Signature, StoryState
from rasid.store.codec import dumps

ANALYSIS_LEASE = "analysis"
_CHUNK = 500  # ids per IN (...) list


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _marks(mark: str, n: int) -> str:
    return ", ".join([mark] * n)


def chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


# -- the queue ------------------------------------------------------------------------------------

def enqueue(cur: Any, mark: str, article_ids: Iterable[str]) -> None:
    """Queue articles (again): a new token, so an analysis already holding the old one leaves it."""
    rows = [(a, uuid.uuid4().hex, _now()) for a in article_ids]
    cur.executemany(f"INSERT INTO analysis_queue VALUES ({_marks(mark, 3)}) ON CONFLICT (article_id) "
                    "DO UPDATE SET token = excluded.token, queued_at = excluded.queued_at", rows)


def enqueue_all(cur: Any, mark: str) -> None:
    cur.execute(f"INSERT INTO analysis_queue SELECT id, 'all', CAST({mark} AS TEXT) FROM articles WHERE true "
                "ON CONFLICT (article_id) DO UPDATE SET token = excluded.token", (_now(),))


def pending(cur: Any, mark: str, limit: int) -> list[QueueItem]:
    rows = cur.execute(f"SELECT article_id, token FROM analysis_queue ORDER BY article_id LIMIT {mark}",
                       (limit,)).fetchall()
    return [QueueItem(r["article_id"], r["token"]) for r in rows]


def queue_status(cur: Any) -> dict[str, Any]:
    """What ``rasid stats`` shows of the analysis job: queued articles, the oldest one's wait, and
    each lease with its state (active; expired; abandoned: its process on this host is gone)."""
    row = cur.execute("SELECT COUNT(*) AS n, MIN(NULLIF(queued_at, '')) AS oldest FROM analysis_queue").fetchone()
    leases = [_lease_row(r) for r in cur.execute("SELECT name, holder, host, pid, since, expires_at FROM leases "
                                                 "ORDER BY name").fetchall()]
    active = any(lease["state"] == "active" and lease["name"] == ANALYSIS_LEASE for lease in leases)
    return {"pending": row["n"], "leased": row["n"] if active else 0, "oldest_waiting": row["oldest"],
            "waiting_seconds": _age(row["oldest"]) if row["n"] else None,
            "stale_leases": sum(lease["state"] != "active" for lease in leases), "leases": leases}


def _lease_row(row: Any) -> dict[str, Any]:
    holder = Holder(row["holder"], row["host"], row["pid"], row["since"])
    state = ("expired" if row["expires_at"] <= time.time() else "active" if _alive(holder) else "abandoned")
    expires = datetime.fromtimestamp(row["expires_at"], timezone.utc).isoformat(timespec="seconds")
    return {"name": row["name"], "holder": holder.describe(), "state": state, "expires_at": expires}


def _age(stamp: Optional[str]) -> Optional[int]:
    """Seconds since an ISO time (None for the rows queued before queue times were kept)."""
    if not stamp:
        return None
    try:
        return max(0, round((datetime.now(timezone.utc) - datetime.fromisoformat(stamp)).total_seconds()))
    except ValueError:
        return None


# -- the lease ------------------------------------------------------------------------------------

def _alive(holder: Holder) -> bool:
    """Whether the holder may still be running: another host is trusted until its lease lapses."""
    if holder.host != socket.gethostname():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def take_lease(cur: Any, mark: str, name: str, me: Holder, seconds: float) -> Optional[Holder]:
    """Take or renew the lease; None when it is ours, else who holds it."""
    row = cur.execute(f"SELECT holder, host, pid, since, expires_at FROM leases WHERE name = {mark}",
                      (name,)).fetchone()
    if row and row["holder"] != me.id:
        other = Holder(row["holder"], row["host"], row["pid"], row["since"])
        if row["expires_at"] > time.time() and _alive(other):
            return other
    cur.execute(f"INSERT INTO leases VALUES ({_marks(mark, 6)}) ON CONFLICT (name) DO UPDATE SET "
                "holder = excluded.holder, host = excluded.host, pid = excluded.pid, since = excluded.since, "
                "expires_at = excluded.expires_at", (name, me.id, me.host, me.pid, me.since, time.time() + seconds))
    return None


def holds_lease(cur: Any, mark: str, name: str, me: Holder) -> bool:
    row = cur.execute(f"SELECT holder FROM leases WHERE name = {mark}", (name,)).fetchone()
    return bool(row) and row["holder"] == me.id


def release_lease(cur: Any, mark: str, name: str, me: Holder) -> None:
    cur.execute(f"DELETE FROM leases WHERE name = {mark} AND holder = {mark}", (name, me.id))


# -- reading the story state ----------------------------------------------------------------------

def cluster_features(cur: Any) -> dict[str, bytes]:
    return {r["article_id"]: bytes(r["data"]) for r in cur.execute("SELECT article_id, data FROM cluster_features")}


def cluster_feature_ids(cur: Any) -> set[str]:
    return {r["article_id"] for r in cur.execute("SELECT article_id FROM cluster_features")}


def _write_story_state(cur: Any, mark: str, state: Optional[StoryState]) -> None:
    """The state row, in the batch's transaction: an exact batch (a full pass) removes it."""
    if state is None:
        cur.execute("DELETE FROM story_state")
        return
    cur.execute(f"INSERT INTO story_state VALUES (1, {_marks(mark, 5)}) ON CONFLICT (id) DO UPDATE SET "
                "since = excluded.since, added = excluded.added, batches = excluded.batches, "
                "full_pass_reports = excluded.full_pass_reports, basis = excluded.basis",
                (state.since, state.added, state.batches, state.full_pass_reports, state.basis))


def story_members(cur: Any) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for r in cur.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, article_id"):
        members.setdefault(r["story_id"], []).append(r["article_id"])
    return members


def near_candidates(cur: Any, mark: str, keys: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for part in chunks(sorted(set(keys))):
        sql = f"SELECT band_key, article_id FROM near_bands WHERE band_key IN ({_marks(mark, len(part))})"
        for r in cur.execute(sql, part).fetchall():
            found.setdefault(r["band_key"], set()).add(r["article_id"])
    return found


def near_signatures(cur: Any, mark: str, article_ids: list[str]) -> dict[str, tuple[str, bytes]]:
    found = {}
    for part in chunks(sorted(set(article_ids))):
        sql = f"SELECT article_id, content_hash, shingles FROM near_signatures WHERE article_id IN ({_marks(mark, len(part))})"
        for r in cur.execute(sql, part).fetchall():
            found[r["article_id"]] = (r["content_hash"], bytes(r["shingles"]))
    return found


# -- writing an analysis batch --------------------------------------------------------------------

def prepare(write: AnalysisWrite, mark: str) -> dict[str, list]:
    """The rows and statements of a batch, encoded before its transaction opens, so the write
    lock is held for writing only."""
    return {
        "extractions": [(x.article_id, dumps(x.to_dict()), _now()) for x in write.extractions],
        "mentions": [(x.article_id, [queries.mention_row(x, e, write.story_of.get(x.article_id)) for e in x.events])
                     for x in write.extractions],
        "stories": [(story, queries.story_writes(story, mark)) for story in write.stories],
    }


def write_analysis(cur: Any, mark: str, write: AnalysisWrite, upsert_event: str, prepared: dict[str, list]) -> None:
    """All of a batch's results, then its queue rows: one transaction, so a kill leaves it queued."""
    _write_extractions(cur, mark, prepared, upsert_event)
    _write_signatures(cur, mark, write.signatures)
    cur.executemany(f"INSERT INTO cluster_features VALUES ({mark}, {mark}) ON CONFLICT (article_id) "
                    "DO UPDATE SET data = excluded.data", list(write.features.items()))
    _write_links(cur, mark, [x.article_id for x in write.done], write.links,
                 sorted({a for story in write.stories for a in story.article_ids}))
    _write_stories(cur, mark, write.removed_stories, prepared["stories"])
    _write_story_state(cur, mark, write.story_state)
    cur.executemany(f"DELETE FROM analysis_queue WHERE article_id = {mark} AND token = {mark}",
                    [(q.article_id, q.token) for q in write.done])


def _write_extractions(cur: Any, mark: str, prepared: dict[str, list], upsert_event: str) -> None:
    cur.executemany(f"INSERT INTO extractions VALUES ({_marks(mark, 3)}) ON CONFLICT (article_id) "
                    "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at", prepared["extractions"])
    for article_id, rows in prepared["mentions"]:
        cur.execute(f"DELETE FROM events WHERE kind = 'mention' AND article_id = {mark}", (article_id,))
        cur.executemany(upsert_event, rows)


def _write_signatures(cur: Any, mark: str, signatures: list[Signature]) -> None:
    cur.executemany(f"DELETE FROM near_bands WHERE article_id = {mark}", [(s.article_id,) for s in signatures])
    cur.executemany(f"INSERT INTO near_signatures VALUES ({_marks(mark, 3)}) ON CONFLICT (article_id) DO UPDATE "
                    "SET content_hash = excluded.content_hash, shingles = excluded.shingles",
                    [(s.article_id, s.content_hash, s.shingles) for s in signatures])
    cur.executemany(f"INSERT INTO near_bands VALUES ({mark}, {mark}) ON CONFLICT DO NOTHING",
                    [(k, s.article_id) for s in signatures for k in set(s.band_keys)])


def _write_links(cur: Any, mark: str, analysed: list[str], links: list[DuplicateLink], regrouped: list[str]) -> None:
    """An analysed article's links are all recomputed: its old ones go, in both directions. So do
    the rewrite links of every article of a rebuilt story: all its pairs are aligned again, and
    a pair that no longer shares a story has none (as if the whole record were analysed at once)."""
    cur.executemany(f"DELETE FROM duplicates WHERE article_id = {mark} OR other_id = {mark}",
                    [(a, a) for a in analysed])
    cur.executemany(f"DELETE FROM duplicates WHERE kind = 'rewrite' AND (article_id = {mark} OR other_id = {mark})",
                    [(a, a) for a in regrouped])
    cur.executemany(f"INSERT INTO duplicates VALUES ({_marks(mark, 4)}) ON CONFLICT (article_id, other_id, kind) "
                    "DO UPDATE SET score = excluded.score",
                    [(link.article_id, link.other_id, link.kind, link.score) for link in links])


def _write_stories(cur: Any, mark: str, removed: list[str], stories: list) -> None:
    for story_id in removed:
        cur.execute(f"DELETE FROM story_articles WHERE story_id = {mark}", (story_id,))
        cur.execute(f"DELETE FROM stories WHERE id = {mark}", (story_id,))
        cur.execute(f"DELETE FROM events WHERE kind = 'event' AND story_id = {mark}", (story_id,))
    for story, statements in stories:
        for statement, params in statements:
            cur.execute(statement, params)
        # mentions follow their article into its story
        cur.executemany(f"UPDATE events SET story_id = {mark} WHERE kind = 'mention' AND article_id = {mark}",
                        [(story.id, a) for a in story.article_ids])


# -- exact copies ---------------------------------------------------------------------------------

def original_of(cur: Any, mark: str, article_id: str, content_hash: str) -> Optional[str]:
    """The original of an exact copy: the earliest stored article of that content that is no copy."""
    row = cur.execute(f"SELECT id FROM articles WHERE content_hash = {mark} AND id != {mark} "
                      "AND duplicate_of IS NULL ORDER BY ingested_at, id LIMIT 1", (content_hash, article_id)).fetchone()
    return row["id"] if row else None


def relink_copies(cur: Any, mark: str, content_hashes: Iterable[str]) -> None:
    """Point every copy of each content at one original: the one stored as original, or else the
    earliest; so a group never loses its original and never forms a cycle."""
    for digest in content_hashes:
        rows = cur.execute(f"SELECT id, duplicate_of FROM articles WHERE content_hash = {mark} "
                           "ORDER BY duplicate_of IS NOT NULL, ingested_at, id", (digest,)).fetchall()
        if not rows:
            continue
        first = rows[0]["id"]
        cur.execute(f"UPDATE articles SET duplicate_of = NULL WHERE id = {mark} AND duplicate_of IS NOT NULL", (first,))
        cur.execute(f"UPDATE articles SET duplicate_of = {mark} WHERE content_hash = {mark} AND id != {mark} "
                    f"AND (duplicate_of IS NULL OR duplicate_of != {mark})", (first, digest, first, first))


def broken_copy_groups(cur: Any) -> list[str]:
    """Content hashes whose copies do not all point at one original of the same content."""
    rows = cur.execute(
        "SELECT a.content_hash AS h FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of "
        "WHERE a.duplicate_of IS NOT NULL AND (o.id IS NULL OR o.duplicate_of IS NOT NULL "
        "OR o.content_hash != a.content_hash) "
        "UNION SELECT content_hash AS h FROM articles WHERE duplicate_of IS NULL "
        "GROUP BY content_hash HAVING COUNT(*) > 1").fetchall()
    return sorted({r["h"] for r in rows})


class JobsMixin:
    """The analysis-job methods of ``Store``, for a backend with ``_transaction()`` (a cursor in
    one write transaction), ``_reader()`` (a cursor to read), ``_tuples(sql)`` (rows as tuples),
    ``MARK`` and ``UPSERT_EVENT``."""

    MARK = "?"
    UPSERT_EVENT = ""

    def _job(self):
        return self._transaction()

    def enqueue(self, article_ids: Iterable[str]) -> None:
        with self._job() as cur:
            enqueue(cur, self.MARK, list(article_ids))

    def enqueue_all(self) -> None:
        with self._job() as cur:
            enqueue_all(cur, self.MARK)
            relink_copies(cur, self.MARK, broken_copy_groups(cur))

    def pending(self, limit: int = 1000) -> list[QueueItem]:
        with self._reader() as cur:
            return pending(cur, self.MARK, limit)

    def queue_status(self) -> dict[str, Any]:
        with self._reader() as cur:
            return queue_status(cur)

    def take_lease(self, name: str, me: Holder, seconds: float) -> Optional[Holder]:
        with self._job() as cur:
            self._lock_leases(cur)
            return take_lease(cur, self.MARK, name, me, seconds)

    def release_lease(self, name: str, me: Holder) -> None:
        with self._job() as cur:
            release_lease(cur, self.MARK, name, me)

    def _lock_leases(self, cur: Any) -> None:
        """Backends whose transactions do not already exclude each other lock here."""

    def cluster_features(self) -> dict[str, bytes]:
        with self._reader() as cur:
            return cluster_features(cur)

    def cluster_feature_ids(self) -> set[str]:
        with self._reader() as cur:
            return cluster_feature_ids(cur)

    def story_state(self) -> Optional[StoryState]:
        return queries.story_state(self._tuples)

    def story_members(self) -> dict[str, list[str]]:
        with self._reader() as cur:
            return story_members(cur)

    def near_candidates(self, band_keys: list[int]) -> dict[int, set[str]]:
        with self._reader() as cur:
            return near_candidates(cur, self.MARK, band_keys)

    def near_signatures(self, article_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        with self._reader() as cur:
            return near_signatures(cur, self.MARK, article_ids)

    def write_analysis(self, write: AnalysisWrite, me: Holder, lease: str) -> None:
        from rasid.errors import StoreError

        prepared = prepare(write, self.MARK)
        with self._job() as cur:
            self._lock_leases(cur)
            if not holds_lease(cur, self.MARK, lease, me):
                raise StoreError(f"this analysis lost its lease '{lease}' to another process; nothing of this "
                                 "batch was written: run rasid analyse again")
            write_analysis(cur, self.MARK, write, self.UPSERT_EVENT, prepared)

    def check(self) -> list[Any]:
        from rasid.store.checks import run_checks

        return run_checks(self._tuples, self._index_problems())

    def _index_problems(self) -> list[Any]:
        return []

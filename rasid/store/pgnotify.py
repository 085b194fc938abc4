"""The record's version heard from PostgreSQL (LISTEN/NOTIFY), so a cache hit costs no query.

Every write transaction bumps ``record_version`` (migration 0008); a trigger (migration 0009)
sends the new number on the channel ``rasid_version`` as ``"<schema> <n>"``, delivered when the
transaction commits, whichever process wrote. One connection per process listens in a daemon
thread and keeps the highest number heard for its own schema. While it is not listening (not yet
connected, the server restarted, psycopg older than 3.2) ``version`` is None and the caller asks
the database instead; after a reconnection it reads the number again before trusting what it
hears, so nothing committed while it was away is missed.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional

CHANNEL = "rasid_version"
RETRY_SECONDS = 1.0  # between attempts to listen again after the connection failed
CHECK_SECONDS = 10.0  # the number is also read this often: a connection lost without a word is seen
STOP_SECONDS = 0.25  # the longest wait for a notification before looking whether to stop

log = logging.getLogger(__name__)


class VersionListener:
    """``version``: the record's version as last heard, or None while not listening."""

    def __init__(self, connect: Callable[[], Any]):
        self._connect = connect
        self.version: Optional[int] = None
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._conn: Any = None
        self._listening = threading.Event()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rasid-version-listener", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_SECONDS + 5)
            self._thread = None

    def wait_listening(self, timeout: float) -> bool:
        """True once the listener has read the version (a server's start waits for it a moment)."""
        return self._listening.wait(timeout)

    def _run(self) -> None:
        failed = False
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    self._conn = conn
                    self._listen(conn)
            except Exception as exc:  # noqa: BLE001 — any failure means: not listening, ask the database
                if not failed and not self._stop.is_set():
                    log.warning("not listening for record changes (%s); each request reads the version "
                                "until the listener is back", str(exc).strip() or type(exc).__name__)
                failed = True
            else:
                failed = False
            finally:
                self._listening.clear()
                self.version, self._conn = None, None
            self._stop.wait(RETRY_SECONDS)

    def _listen(self, conn: Any) -> None:
        conn.execute(f"LISTEN {CHANNEL}")
        # Read after LISTEN: a bump committed from here on is heard, one before is in this number.
        schema, self.version = conn.execute("SELECT current_schema(), n FROM record_version").fetchone()
        self._listening.set()
        prefix, checked = f"{schema} ", time.monotonic()
        while not self._stop.is_set():
            # A short wait, so ``stop`` is quick; the number read now and then too.
            for note in conn.notifies(timeout=STOP_SECONDS, stop_after=64):
                if note.payload.startswith(prefix):
                    self.version = max(self.version or 0, int(note.payload[len(prefix):]))
            if time.monotonic() - checked >= CHECK_SECONDS:
                self.version = max(self.version or 0, conn.execute("SELECT n FROM record_version").fetchone()[0])
                checked = time.monotonic()

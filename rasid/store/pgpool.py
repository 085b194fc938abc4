"""A few PostgreSQL connections shared by the threads of one process.

A server answers several requests at once only if each query in flight has its own connection:
with one connection, every request waits for the previous one's round trip. psycopg_pool does
this too, but it opens connections from background threads, retries a refused one for its whole
timeout and then reports only that it timed out; here a connection is opened by the thread that
needs it, so a wrong URL or a stopped server is one clear error at once (``connect`` raises it).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator


class Connections:
    """Up to ``size`` connections: a thread takes an idle one, opens one while fewer than ``size``
    are open, or waits for one to come back. A connection that comes back broken (the server
    restarted, the backend was terminated) is closed with every idle one, and one left inside a
    transaction is closed too, so the next call opens a fresh one."""

    def __init__(self, connect: Callable[[], Any], size: int):
        if size < 1:
            raise ValueError(f"a connection pool needs at least one connection, not {size}")
        self._connect = connect
        self.size = size
        self._idle: list[Any] = []  # last in, first out: the warmest connection is used first
        self._open = 0
        self._closed = False
        self._changed = threading.Condition()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        conn = self._take()
        try:
            yield conn
        finally:
            self._give(conn)

    def idle(self) -> list[Any]:
        """The idle connections (for tests and diagnostics)."""
        with self._changed:
            return list(self._idle)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._changed.notify_all()
        for conn in idle:
            conn.close()

    def _take(self) -> Any:
        with self._changed:
            while not self._idle and self._open >= self.size:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            return self._connect()
        except BaseException:
            with self._changed:
                self._open -= 1
                self._changed.notify()
            raise

    def _give(self, conn: Any) -> None:
        broken = conn.closed or conn.broken
        reusable = not broken and conn.info.transaction_status.name == "IDLE"
        stale: list[Any] = []
        with self._changed:
            if reusable and not self._closed:
                self._idle.append(conn)
            else:
                self._open -= 1
                stale.append(conn)
            if broken:  # the server restarted or dropped us: the idle ones are most likely dead too
                stale += self._idle
                self._open -= len(self._idle)
                self._idle = []
            self._changed.notify_all()
        for each in stale:
            each.close()

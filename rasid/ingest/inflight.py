"""How far ingest's cleaning pool may run ahead of the one process that writes.

A process pool takes its jobs as fast as its workers finish them and queues every result until
the caller reads it. When the writer is the slower side (on SaudiNewsNet it needs 14 CPU s
against the pool's 20 on 2 cores), its two workers kept running beside it and the three
processes shared the two cores: the writer got two thirds of one, fell behind, and finished alone
after the pool, one core idle. With at most ``limit`` records between the reader and the writer,
the workers wait when the writer is behind, and the writer gets the core it needs; the results
waiting in memory are bounded too. (On the idle machine the speed gain was within the noise:
docs/benchmarks.md, "After the second round of merges"; the bound on memory stays.)
"""
from __future__ import annotations

import threading
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


class InFlight:
    """Jobs are let out by ``feed`` (in the pool's feeding thread) only while fewer than
    ``limit`` of them wait for ``taken`` (called by the consumer for each result it reads).

    Only for a pool that pulls its jobs in a thread of its own (multiprocessing's ``imap``):
    a consumer that pulls jobs itself would wait on itself. ``close`` lets a waiting feeder go
    (it then stops), so a pool shut down early is not left waiting for a slot.
    """

    def __init__(self, limit: int):
        self._slots = threading.Semaphore(max(1, limit))
        self._closed = False

    def feed(self, jobs: Iterable[T]) -> Iterator[T]:
        for job in jobs:
            self._slots.acquire()
            if self._closed:
                return
            yield job

    def taken(self) -> None:
        self._slots.release()

    def close(self) -> None:
        self._closed = True
        self._slots.release(1 << 20)

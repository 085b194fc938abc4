"""Where pure per-item work runs: in this process, a local process pool, or a Dask cluster.

The per-article stages (cleaning a record, extracting an article, building a story) are pure
functions of their input, so one call gives the same results on every executor, in the same
order. Reading and writing the store stays in the calling process: a remote worker never needs
the database.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from contextlib import contextmanager
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional

from rasid.errors import ConfigError

KINDS = ("local", "dask")
_BLAS_LIMITED = False


def one_blas_thread() -> None:
    """One BLAS thread per worker process: the workers already use every core, and numpy's own
    threads on top (the e5 NER encoder), or onnxruntime's (the tuned NER model), would
    oversubscribe them."""
    global _BLAS_LIMITED
    if not _BLAS_LIMITED:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        os.environ["RASID_NER_THREADS"] = "1"  # onnxruntime's threads (the tuned NER model) too
        _BLAS_LIMITED = True


def run_chunk(function: Callable, chunk: list) -> list:
    """What a worker runs: one function over a chunk of jobs (one task per chunk, not per item,
    keeps the scheduler's overhead small next to the work)."""
    one_blas_thread()
    return [function(job) for job in chunk]


def _chunks(jobs: Iterable, size: int) -> Iterator[list]:
    iterator = iter(jobs)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Executor:
    """Maps a pure function over jobs, yielding results in the jobs' order."""

    name = "serial"
    workers = 1

    def map(self, function: Callable, jobs: Iterable) -> Iterator:
        return map(function, jobs)

    def close(self) -> None:
        pass

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class LocalExecutor(Executor):
    """A process pool on this machine (fork), started for a batch only when it is worth it."""

    name = "local"

    def __init__(self, workers: int, min_jobs: int = 1, chunk_size: int = 16):
        self.workers, self.min_jobs, self.chunk_size = max(1, workers), min_jobs, chunk_size

    def map(self, function: Callable, jobs: Iterable) -> Iterator:
        if self.workers <= 1:
            return map(function, jobs)
        if not isinstance(jobs, (list, tuple)):
            return self._pooled(function, jobs)
        if len(jobs) < self.min_jobs:
            return map(function, jobs)
        return self._pooled(function, jobs)

    def _pooled(self, function: Callable, jobs: Iterable) -> Iterator:
        with multiprocessing.get_context("fork").Pool(self.workers, one_blas_thread) as pool:
            yield from pool.imap(function, jobs, chunksize=self.chunk_size)


class DaskExecutor(Executor):
    """Tasks on a Dask cluster: the scheduler at ``scheduler`` (tcp://host:8786), or a
    ``LocalCluster`` of ``workers`` single-threaded processes started here when none is given.

    Jobs are sent in chunks, at most ``ahead`` chunks per worker in flight, so a stream of
    millions of records never sits in memory at once.
    """

    name = "dask"

    def __init__(self, scheduler: str = "", workers: int = 2, chunk_size: int = 32, ahead: int = 4):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("the dask executor needs Dask: pip install 'rasid[dask]'") from None
        self.chunk_size, self.ahead = chunk_size, ahead
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"no Dask scheduler answers at {scheduler} ({exc}); start one with "
                                  "`dask scheduler` or unset RASID_SCHEDULER for a local cluster") from None
        else:
            self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    def map(self, function: Callable, jobs: Iterable) -> Iterator:
        pending: deque = deque()
        limit = self.workers * self.ahead
        for chunk in _chunks(jobs, self.chunk_size):
            pending.append(self._client.submit(run_chunk, function, chunk, pure=False))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def local(workers: int, min_jobs: int = 1, chunk_size: int = 16) -> Executor:
    """This machine: a process pool of ``workers``, or this process alone for one worker."""
    return LocalExecutor(workers, min_jobs, chunk_size) if workers > 1 else Executor()


def open_executor(kind: str = "local", workers: int = 1, scheduler: str = "", min_jobs: int = 1) -> Executor:
    """The executor named by ``kind`` (the ``[executor]`` settings or ``--executor``)."""
    kind = (kind or "local").lower()
    if kind not in KINDS:
        raise ConfigError(f"executor {kind!r} is not known; use one of: {', '.join(KINDS)}")
    if kind == "dask":
        return DaskExecutor(scheduler, workers)
    return local(workers, min_jobs)


def executor_for(settings: Any, workers: Optional[int] = None, min_jobs: int = 1) -> Executor:
    """The executor the settings ask for, with ``workers`` processes (default: ingest.workers)."""
    section = settings.executor
    count = settings.ingest.workers if workers is None else workers
    if section.kind == "dask":
        count = section.dask_workers if workers is None else workers
    return open_executor(section.kind, count, section.scheduler, min_jobs)


_ACTIVE: Optional[Executor] = None


def current(workers: int, min_jobs: int = 1, chunk_size: int = 16) -> Executor:
    """Where a pure stage sends its work now: the run's cluster when ``running`` started one,
    else this machine's pool of ``workers`` (started only for ``min_jobs`` jobs or more)."""
    return _ACTIVE if _ACTIVE is not None else local(workers, min_jobs, chunk_size)


@contextmanager
def running(settings: Any) -> Iterator[Optional[Executor]]:
    """For the length of an ingest or an analysis: the Dask executor the settings ask for (the
    pure stages then send their work there), or None for this machine's process pool."""
    global _ACTIVE
    if settings.executor.kind != "dask" or _ACTIVE is not None:
        yield _ACTIVE
        return
    with executor_for(settings) as executor:
        _ACTIVE = executor
        try:
            yield executor
        finally:
            _ACTIVE = None

"""Stopping a long-running loop cleanly: Ctrl-C or SIGTERM ends it between batches, never inside one."""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class Stopped(Exception):
    """Raised inside a wait (politeness delay) once a stop was asked for: the batch is given up."""


class Stopper:
    """A flag every loop checks and every sleep waits on, so a stop is seen within a fraction of a second.

    A signal handler may run in the middle of any line of the main thread, including inside
    ``threading.Event.wait``'s own bookkeeping, while it holds the event's lock: a handler that
    called ``Event.set`` there would wait for that lock forever, and the process would ignore
    every later SIGTERM. So a signal only sets a plain attribute (``stop_from_signal``, no lock),
    and a sleep waits in slices of ``SLICE`` seconds, looking at it between them.
    """

    SLICE = 0.2

    def __init__(self) -> None:
        self._event = threading.Event()  # wakes a sleeper at once when another thread stops the loop
        self._asked = False  # set by a signal handler: no lock
        self.reason = ""

    def stop(self, reason: str = "stopped") -> None:
        """Ask the loop to stop, from any thread (not from a signal handler: see stop_from_signal)."""
        self.stop_from_signal(reason)
        self._event.set()

    def stop_from_signal(self, reason: str) -> None:
        self.reason = self.reason or reason
        self._asked = True

    @property
    def stopped(self) -> bool:
        return self._asked

    def sleep(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True when a stop came first."""
        deadline = time.monotonic() + max(seconds, 0.0)
        while not self._asked:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._event.wait(min(left, self.SLICE))
        return True


@contextmanager
def stop_on_signals(stopper: Stopper) -> Iterator[Stopper]:
    """The first Ctrl-C or SIGTERM asks the loop to stop after its batch; a second Ctrl-C interrupts it."""
    if threading.current_thread() is not threading.main_thread():
        yield stopper  # signals reach the main thread only; the caller stops this loop itself
        return

    def on_signal(number, frame):
        if stopper.stopped and number == signal.SIGINT:
            raise KeyboardInterrupt
        stopper.stop_from_signal(signal.Signals(number).name)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopper
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

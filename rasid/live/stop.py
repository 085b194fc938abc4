"""Stopping a long-running loop cleanly: Ctrl-C or SIGTERM ends it between batches, never inside one."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class Stopped(Exception):
    """Raised inside a wait (politeness delay) once a stop was asked for: the batch is given up."""


class Stopper:
    """A flag every loop checks and every sleep waits on, so a stop is seen at once."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def stop(self, reason: str = "stopped") -> None:
        self.reason = self.reason or reason
        self._event.set()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def sleep(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True when a stop came first."""
        return self._event.wait(max(seconds, 0.0)) if seconds > 0 else self._event.is_set()


@contextmanager
def stop_on_signals(stopper: Stopper) -> Iterator[Stopper]:
    """The first Ctrl-C or SIGTERM asks the loop to stop after its batch; a second Ctrl-C interrupts it."""
    if threading.current_thread() is not threading.main_thread():
        yield stopper  # signals reach the main thread only; the caller stops this loop itself
        return

    def on_signal(number, frame):
        if stopper.stopped and number == signal.SIGINT:
            raise KeyboardInterrupt
        stopper.stop(signal.Signals(number).name)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopper
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

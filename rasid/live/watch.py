"""``rasid watch``: new and changed files in a folder are ingested and analysed once they stop changing.

The folder is polled with ``os.scandir`` (size, modification time and inode of each file): it
works the same on every system and file system, network shares included, and needs no package.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from rasid.errors import InputError
from rasid.live.batch import Batch, ingest_and_analyse
from rasid.live.options import LiveOptions
from rasid.live.stop import Stopper
from rasid.live.stories import after_batch, live_stories
from rasid.settings import Settings
from rasid.store.base import Store

log = logging.getLogger(__name__)
# Names editors and downloaders use while a file is being written; the final name is watched.
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp", "~")
Signature = tuple[int, int, int]  # (modification time in ns, size, inode)
SCAN_PAUSE = 4  # between two scans, at least this many times as long as the last one took


def scan(folder: Path) -> dict[str, Signature]:
    """Every visible file under ``folder`` with its signature; hidden names and partial downloads skipped."""
    found: dict[str, Signature] = {}
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue  # a sub-folder removed while scanning
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith(PARTIAL_SUFFIXES):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file():
                    info = entry.stat()
                    found[entry.path] = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                continue  # removed between listing and stat
    return found


@dataclass
class FolderWatcher:
    """Which files are new or changed and have stayed unchanged for ``debounce`` seconds."""

    folder: Path
    debounce: float
    clock: Callable[[], float] = time.monotonic
    known: dict[str, Signature] = field(default_factory=dict)  # as last ingested
    pending: dict[str, tuple[Signature, float]] = field(default_factory=dict)  # signature, unchanged since
    scan_seconds: float = 0.0  # how long the last scan took

    def skip_existing(self) -> None:
        """Treat what is in the folder now as already ingested (``--new-only``)."""
        self.known = scan(self.folder)

    def ready(self) -> list[str]:
        """Files to ingest now, in name order; a file still changing waits for the next call."""
        started = time.perf_counter()
        now, current, ready = self.clock(), scan(self.folder), []
        self.scan_seconds = time.perf_counter() - started
        for path, signature in current.items():
            if self.known.get(path) == signature:
                self.pending.pop(path, None)
                continue
            seen = self.pending.get(path)
            if seen is None or seen[0] != signature:
                self.pending[path] = (signature, now)
            elif now - seen[1] >= self.debounce:
                ready.append(path)
        for table in (self.pending, self.known):
            for gone in set(table) - set(current):
                del table[gone]
        return sorted(ready)

    def done(self, paths: list[str]) -> None:
        for path in paths:
            signature, _ = self.pending.pop(path)
            self.known[path] = signature

    def waiting(self) -> int:
        return len(self.pending)


@dataclass
class WatchResult:
    paths: list[str]
    batch: Optional[Batch] = None
    error: str = ""
    seconds: float = 0.0

    def line(self, folder: Path) -> str:
        names = ", ".join(os.path.relpath(p, folder) for p in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        head = f"watch {folder}: {len(self.paths)} file{'s' if len(self.paths) != 1 else ''} ({names}{more})"
        if self.error:
            return f"{head}: failed: {self.error}; they are tried again when they change"
        return f"{head}: {self.batch.summary()} in {self.seconds:.1f} s"


def check_folder(folder: str) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise InputError(f"'{folder}' is not a folder; give the folder to watch (create it first)")
    return path


def step(watcher: FolderWatcher, store: Store, settings: Settings, options: LiveOptions) -> Optional[WatchResult]:
    """One look at the folder: the files that are ready, ingested and analysed as one batch."""
    paths = watcher.ready()
    if not paths:
        return None
    started = watcher.clock()
    result = WatchResult(paths)
    try:
        result.batch = ingest_and_analyse(store, settings, paths, analyse=options.analyse)
    except Exception as exc:  # noqa: BLE001 - a file that breaks the pipeline must not stop the watch
        log.debug("ingesting %s failed", paths, exc_info=True)
        result.error = f"{type(exc).__name__}: {exc}"
    watcher.done(paths)
    result.seconds = watcher.clock() - started
    return result


def run_watch(watcher: FolderWatcher, store: Store, settings: Settings, options: LiveOptions, stopper: Stopper,
              report: Callable[[WatchResult], None], once: bool = False) -> int:
    """Look at the folder every ``scan_every`` seconds until stopped; with ``once``, until nothing waits.

    A folder so big that a scan takes a while is scanned less often: the pause is at least four
    times the last scan, so scanning never takes more than a fifth of a core. On a large record,
    batches continue the last full pass and a full pass runs when the folder is quiet
    (rasid.live.stories); ``report`` gets its line too.
    """
    batches = 0
    with live_stories(store, settings, options, report, prime=not once) as live:
        while not stopper.stopped:
            result = step(watcher, store, settings, options)
            if result is not None:
                batches += 1
                report(result)
            if once and not watcher.waiting():
                break
            if not stopper.stopped:
                after_batch(live, store, settings, report, result is not None)
            stopper.sleep(max(options.scan_every, SCAN_PAUSE * watcher.scan_seconds))
    return batches

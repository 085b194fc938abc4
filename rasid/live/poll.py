"""``rasid poll``: each feed fetched every period with a conditional GET; what is new is ingested and analysed.

A feed that fails (no answer, an error status, a body that breaks the pipeline) is reported on
its own line and retried after an exponential backoff; the other feeds go on.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from rasid.errors import FetchError
from rasid.live.batch import Batch, ingest_and_analyse
from rasid.live.duration import format_duration
from rasid.live.http import HTTPStatusError, PoliteClient, Response, Validators
from rasid.live.options import LiveOptions
from rasid.live.stop import Stopped, Stopper
from rasid.live.stories import after_batch, live_stories
from rasid.settings import Settings
from rasid.store.base import Store

log = logging.getLogger(__name__)
VALIDATORS_KEY = "live.poll.validators"  # store state: url -> ETag / Last-Modified of what was ingested


@dataclass
class Feed:
    url: str
    validators: Validators = field(default_factory=Validators)
    failures: int = 0  # in a row
    due: float = 0.0  # clock time of the next poll


@dataclass
class Outcome:
    """What one poll of one feed did; ``line()`` is its log line."""

    url: str
    status: str  # "changed", "not modified" or "failed"
    batch: Optional[Batch] = None
    error: str = ""
    failures: int = 0
    retry_in: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        if self.status == "failed":
            return (f"poll {self.url}: failed ({self.failures} in a row): {self.error}; "
                    f"retry in {format_duration(self.retry_in)}")
        if self.status == "not modified":
            return f"poll {self.url}: not modified (304)"
        report = self.batch.ingest
        line = f"poll {self.url}: {report.read} entries: {self.batch.summary()} in {self.seconds:.1f} s"
        if report.rejections and not report.changed_ids:
            line += f" [{report.rejections[0].message()}]"
        return line


class Poller:
    """The feeds of one ``rasid poll`` run and when each is due."""

    def __init__(self, store: Store, settings: Settings, urls: list[str], options: LiveOptions,
                 client: PoliteClient, clock: Callable[[], float] = time.monotonic):
        self.store, self.settings, self.options, self.client, self.clock = store, settings, options, client, clock
        saved = _load_validators(store)
        self.feeds = [Feed(url, Validators(**saved.get(url, {}))) for url in urls]

    def due(self) -> list[Feed]:
        now = self.clock()
        return [feed for feed in self.feeds if feed.due <= now]

    def wait(self) -> float:
        """Seconds until the next feed is due."""
        return max(min(feed.due for feed in self.feeds) - self.clock(), 0.0)

    def poll(self, feed: Feed) -> Outcome:
        """Fetch one feed; ingest and analyse it when it changed. Never raises, except Stopped."""
        started = self.clock()
        try:
            answer = self.client.get(feed.url, feed.validators)
            outcome = Outcome(feed.url, "not modified") if answer.not_modified else self._ingest(feed, answer)
        except Stopped:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad feed must not stop the others
            return self._failed(feed, exc)
        feed.failures, feed.due = 0, self.clock() + self.options.every
        outcome.seconds = self.clock() - started
        return outcome

    def _ingest(self, feed: Feed, answer: Response) -> Outcome:
        def fetch(url: str) -> tuple[bytes, str]:
            return (answer.body, answer.content_type) if url == feed.url else self.client.fetch(url)

        batch = ingest_and_analyse(self.store, self.settings, [feed.url], analyse=self.options.analyse, fetch=fetch)
        if answer.validators != feed.validators:
            feed.validators = answer.validators
            self._save_validators()
        return Outcome(feed.url, "changed", batch)

    def _failed(self, feed: Feed, exc: Exception) -> Outcome:
        if not isinstance(exc, FetchError):
            log.debug("polling %s failed", feed.url, exc_info=True)
        feed.failures += 1
        wait = self.options.backoff(feed.failures)
        if isinstance(exc, HTTPStatusError) and exc.retry_after:
            wait = max(wait, min(exc.retry_after, self.options.backoff_max))  # the server's Retry-After
        feed.due = self.clock() + wait
        error = str(exc) if isinstance(exc, FetchError) else f"{type(exc).__name__}: {exc}"
        return Outcome(feed.url, "failed", error=error, failures=feed.failures, retry_in=wait)

    def _save_validators(self) -> None:
        held = {f.url: {"etag": f.validators.etag, "last_modified": f.validators.last_modified}
                for f in self.feeds if f.validators != Validators()}
        merged = {**_load_validators(self.store), **held}
        self.store.set_state(VALIDATORS_KEY, json.dumps(merged, sort_keys=True).encode("utf-8"))


def _load_validators(store: Store) -> dict[str, dict[str, str]]:
    raw = store.get_state(VALIDATORS_KEY)
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}  # a damaged entry costs one full fetch of each feed, nothing more


def run_poll(poller: Poller, stopper: Stopper, report: Callable[[Outcome], None], rounds: Optional[int] = None) -> int:
    """Poll every due feed, sleep until the next is due, again, until stopped (or ``rounds`` rounds).
    On a large record the stories of a batch continue the last full pass, and a full pass runs
    between polls once none analysed anything for ``live.full_pass_idle`` (rasid.live.stories)."""
    done = 0
    with live_stories(poller.store, poller.settings, poller.options, report, prime=rounds != 1) as live:
        while not stopper.stopped:
            batched = False
            for feed in poller.due():
                if stopper.stopped:
                    break
                try:
                    outcome = poller.poll(feed)
                except Stopped:
                    break
                batched |= outcome.batch is not None and outcome.batch.analysis is not None
                report(outcome)
            done += 1
            if rounds is not None and done >= rounds:
                break
            if not stopper.stopped:
                after_batch(live, poller.store, poller.settings, report, batched)
            stopper.sleep(_until_next(poller, live))
    return done


def _until_next(poller: Poller, live) -> float:
    """Until the next feed is due, or until a full pass of the stories may be (the idle time)."""
    wait = poller.wait()
    until = live.seconds_until_due() if live is not None else None
    return wait if until is None else min(wait, until + 0.1)

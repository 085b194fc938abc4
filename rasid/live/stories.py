"""Live stories on a large record: batches continue the last full pass; a full pass when idle.

On a record of more than ``live.incremental_above`` analysed reports, ``rasid watch`` and
``rasid poll`` do not recluster the whole record for each batch (9 s at 20,000 reports on two
cores): the batch's reports are added to the last full pass's stories
(``rasid.cluster.incremental``), and the batch writes the record's state row (``StoryState``,
"incremental since …, N reports added since the last full pass") in its own transaction. A full
pass — at start, once the loop was idle ``live.full_pass_idle``, or after
``live.full_pass_after`` incremental batches — reclusters the record from its stored rows and
writes the stories that differ with the state row removed, in one transaction: the record is
then what one analysis of it stores. An interrupted full pass writes nothing.

A batch takes the exact path (a full pass of its own) whenever continuing could be wrong: the
last pass is not this process's, another process wrote stories or analysed reports since, a
report already in the last pass was analysed again, or the reports added since the pass reach a
tenth of it (their IDF would drift).
"""
from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator, Optional

from rasid import analysis as stage
from rasid.errors import StoreError
from rasid.live.options import LiveOptions
from rasid.settings import Settings
from rasid.store.base import AnalysisWrite, Store, StoryState

log = logging.getLogger(__name__)
MAX_ADDED_SHARE = 0.1  # reports added since the full pass, as a share of it, before a batch is exact


@dataclass
class FullPass:
    """What a full pass did; ``line()`` is its log line (in ``rasid watch`` and ``rasid poll``)."""

    reason: str
    reports: int = 0
    rebuilt: int = 0
    removed: int = 0
    total: int = 0
    seconds: float = 0.0
    error: str = ""
    status: str = "full pass"

    def line(self, *_) -> str:
        if self.error:
            return f"stories: full pass ({self.reason}) not run: {self.error}; tried again later"
        return (f"stories: full pass ({self.reason}) over {self.reports:,} reports: {self.rebuilt:,} stories rebuilt, "
                f"{self.removed:,} removed ({self.total:,} in all); the stories are one analysis's in {self.seconds:.1f} s")


class LiveStories:
    """The last full pass of this process and the reports added since; ``analysis.cluster_stories``
    asks it first (``cluster``) and tells it of every exact pass (``full_pass_done``)."""

    def __init__(self, options: LiveOptions, clock: Callable[[], float] = time.monotonic):
        self.above, self.idle, self.after = options.incremental_above, options.full_pass_idle, options.full_pass_after
        self.clock = clock
        self.last = None  # rasid.cluster.incremental.LastPass
        self.basis = ""
        self.added: dict = {}  # article id -> ArticleFeatures added since the full pass
        self.expected: Optional[StoryState] = None  # the state row this process last wrote
        self.stored_incremental = False  # the record was left incremental by an earlier run or process
        self.active_at = clock()
        self.note = ""  # what the last batch's stories did, for its log line

    # -- asked by analysis.cluster_stories ---------------------------------------------------------
    def cluster(self, store: Store, new: list) -> Optional["stage.StoryChanges"]:
        """The batch's story changes continued from the last full pass, or None for the exact path."""
        self.note = ""
        added = {**self.added, **{f.id: f for f in new}}
        if not self._can_continue(store, new, added):
            return None
        continued = self.last.add(list(added.values()))
        state = StoryState(self.expected.since if self.expected else _now(), len(added),
                           (self.expected.batches if self.expected else 0) + 1, len(self.last), self.basis)
        changes = _changes(store, continued, new, state)
        self.added, self.expected = added, state
        self.note = f"stories incremental: {len(added):,} reports added since the full pass"
        return changes

    def full_pass_done(self, clusterer) -> None:
        """An exact pass ran (its batch removes the state row): continue from it when the record is large."""
        from rasid.cluster.incremental import LastPass

        self.added, self.expected, self.stored_incremental = {}, None, False
        self.last, self.basis = None, ""
        graph = clusterer.last_pass[1] if clusterer.last_pass else None
        if self.above and len(clusterer) >= self.above and graph is not None and graph.words is not None \
                and not clusterer.options.use_embeddings:
            self.last, self.basis = LastPass(clusterer), uuid.uuid4().hex

    def _can_continue(self, store: Store, new: list, added: dict) -> bool:
        if self.last is None or any(f.id in self.last.ids for f in new):
            return False
        if self._batches_spent():
            return False
        if len(added) > MAX_ADDED_SHARE * len(self.last):
            return False
        # nobody else wrote since: the state row is this process's, the analysed set is the pass's and ours
        return store.story_state() == self.expected and store.cluster_feature_ids() == self.last.ids | set(self.added)

    def _batches_spent(self) -> bool:
        """``live.full_pass_after`` incremental batches were written since the full pass."""
        return bool(self.after and self.expected and self.expected.batches >= self.after)

    # -- asked by the watch and poll loops ---------------------------------------------------------
    def batch_done(self) -> None:
        self.active_at = self.clock()

    def seconds_until_due(self) -> Optional[float]:
        """How long until the idle full pass is due (0: now), or None when no full pass is pending."""
        if self.expected is None and not self.stored_incremental:
            return None
        return max(self.idle - (self.clock() - self.active_at), 0.0)

    def due(self) -> Optional[str]:
        """Why a full pass is due now, or None."""
        if self.seconds_until_due() is None:
            return None
        if self._batches_spent():
            return f"after {self.expected.batches} incremental batches"
        idle = self.clock() - self.active_at
        return f"idle {idle:.0f} s" if idle >= self.idle else None

    def full_pass(self, store: Store, settings: Settings, reason: str) -> FullPass:
        """Every story reclustered from the stored rows; the stories that differ rebuilt and written
        with the state row removed, in one transaction (an interruption writes nothing)."""
        started, done = time.perf_counter(), FullPass(reason)
        self.last = None  # cluster_stories takes the exact path, which calls full_pass_done
        try:
            with stage.analysis_lease(store, 0.0, settings.analysis.lease_seconds) as me:
                changes = stage.cluster_stories(store, [])
                members = stage.story_members(store, changes, [])
                stories, rewrites = stage.build_stories(store, members, {}, 1, stage.rewrite_pairs(members))
                store.write_analysis(AnalysisWrite([], links=rewrites, stories=stories,
                                                   removed_stories=changes.removed), me, stage.ANALYSIS_LEASE)
        except Exception as exc:  # noqa: BLE001 - the lease held elsewhere, a database error: the loop goes on
            if not isinstance(exc, StoreError):
                log.debug("the full pass failed", exc_info=True)
            self.active_at, self.stored_incremental = self.clock(), True  # tried again after the idle time
            done.error = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
            return done
        self.active_at = self.clock()
        done.reports, done.rebuilt, done.removed, done.total = (len(self.last) if self.last else len(store.cluster_feature_ids()),
                                                                 len(stories), len(changes.removed), changes.total)
        done.seconds = time.perf_counter() - started
        return done

    def take_note(self) -> str:
        note, self.note = self.note, ""
        return note


def _changes(store: Store, continued, new: list, state: StoryState) -> "stage.StoryChanges":
    """What the batch writes, as the exact path's ``StoryChanges``: every story compared with the
    stored ones; the full rows of those that changed or hold an analysed report."""
    from rasid.cluster.clusterer import story_id
    from rasid.cluster.features import features_to_bytes

    before, analysed = store.story_members(), {f.id for f in new}
    ids = continued.id_groups()
    names = [story_id(group[0]) for group in ids]
    changed = [k for k, (name, group) in enumerate(zip(names, ids))
               if analysed.intersection(group) or set(group) != set(before.get(name, ()))]
    infos = continued.infos([continued.groups[k] for k in changed])
    story_of = {a: names[k] for k in changed for a in ids[k] if a in analysed}
    removed = sorted(set(before) - set(names))
    return stage.StoryChanges(story_of, infos, removed, {f.id: features_to_bytes(f) for f in new}, len(ids), state)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def live_stories(store: Store, settings: Settings, options: LiveOptions, report: Callable[[FullPass], None],
                 prime: bool = True) -> Iterator[Optional[LiveStories]]:
    """Incremental live batches for the loop inside (None when analysis is off or
    ``live.incremental_above`` is 0). With ``prime``, a full pass first on a large record: the
    first batch is then incremental too, and a record left incremental is made exact again."""
    if not options.analyse or not options.incremental_above:
        yield None
        return
    live = LiveStories(options)
    live.stored_incremental = store.story_state() is not None
    stage.live_stories = live
    try:
        if prime and len(store.cluster_feature_ids()) >= options.incremental_above:
            report(live.full_pass(store, settings, "start"))
        yield live
    finally:
        stage.live_stories = None


def after_batch(live: Optional[LiveStories], store: Store, settings: Settings,
                report: Callable[[FullPass], None], batched: bool) -> None:
    """The loops call this after each look: a batch resets the idle clock; a due full pass runs."""
    if live is None:
        return
    if batched:
        live.batch_done()
    reason = live.due()
    if reason:
        report(live.full_pass(store, settings, reason))

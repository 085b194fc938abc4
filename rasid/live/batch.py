"""One batch of live input: ingest what arrived, analyse what changed, and say so in one line.

Every call into the pipeline from ``watch`` and ``poll`` goes through ``ingest_and_analyse``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

from rasid import analysis, pipeline
from rasid.settings import Settings
from rasid.store.base import Store

# Up to this many inputs a batch is cleaned in this process: a pool costs more than it saves.
SMALL_BATCH = 20
# Two reports of one happening (in the style of seed report 001), run through the whole batch
# path once at start into a throwaway database: the gazetteer, the NER models and every module of
# analysis (near copies, stories, rewrites, reconcile, summaries) are loaded before the first real
# report arrives, so that report is not also the slowest. Nothing reaches the watched record.
WARM_UP_TEXT = ("وصلت حافلتان تقلان مقاتلين من المعارضة السورية وعائلاتهم من درعا البلد إلى الشمال السوري "
                "يوم الأربعاء، وفق ما أفاد المرصد السوري لحقوق الإنسان.")
WARM_UP_RETOLD = ("قال المرصد السوري لحقوق الإنسان إن حافلتين تقلان مقاتلين من المعارضة وعائلاتهم خرجتا "
                  "من درعا البلد يوم الأربعاء باتجاه الشمال السوري، وسط قصف على ريف درعا الغربي.")


@dataclass
class Batch:
    ingest: pipeline.IngestReport
    analysis: Optional[pipeline.AnalysisReport] = None
    stories_note: str = ""  # on a large record: the stories continued the last full pass (rasid.live.stories)

    def summary(self) -> str:
        c = self.ingest.counts
        line = f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {c['rejected']} rejected"
        if self.analysis is not None:
            a = self.analysis
            line += (f"; analysed {a.extracted}: {a.events} event mentions, {a.stories_changed} stories updated "
                     f"({a.stories_total} in all)")
        if self.stories_note:
            line += f"; {self.stories_note}"
        return line


def ingest_and_analyse(store: Store, settings: Settings, inputs: list[str], *, analyse: bool = True,
                       fetch: Optional[Callable[[str], tuple[bytes, str]]] = None) -> Batch:
    """Ingest ``inputs`` (paths or URLs) and analyse the articles that changed."""
    workers = 1 if len(inputs) <= SMALL_BATCH else None
    report = pipeline.ingest(store, inputs, settings, fetch=fetch, workers=workers)
    batch = Batch(report)
    if analyse and (report.changed_ids or store.pending(1)):  # what arrived, and any unfinished work
        batch.analysis = pipeline.analyse(store, settings, workers=workers)
        batch.stories_note = analysis.live_stories.take_note() if analysis.live_stories else ""
    return batch


def warm_up(settings: Settings) -> Batch:
    """Load what a batch needs before the first one arrives: the warm-up reports are ingested
    and analysed into a temporary SQLite file, which is then deleted; their batch is returned."""
    import tempfile
    from pathlib import Path

    from rasid.store import open_store

    with tempfile.TemporaryDirectory(prefix="rasid-warm-up-") as folder:
        inputs = []
        for number, text in enumerate((WARM_UP_TEXT, WARM_UP_RETOLD)):
            path = Path(folder) / f"warm-up-{number}.txt"
            path.write_text(f"درعا البلد\n{text}\n", encoding="utf-8")
            inputs.append(str(path))
        with open_store(str(Path(folder) / "warm-up.db")) as scratch:
            return ingest_and_analyse(scratch, settings, inputs)


def stamp() -> str:
    """The time at the start of a log line."""
    return time.strftime("%Y-%m-%d %H:%M:%S")

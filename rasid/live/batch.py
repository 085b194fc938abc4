"""One batch of live input: ingest what arrived, analyse what changed, and say so in one line.

Every call into the pipeline from ``watch`` and ``poll`` goes through ``ingest_and_analyse``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

from rasid import pipeline
from rasid.settings import Settings
from rasid.store.base import Store

# Up to this many inputs a batch is cleaned in this process: a pool costs more than it saves.
SMALL_BATCH = 20
# Analysed once at start, never stored: it loads the gazetteer and the NER models, so the first
# report that arrives is not also the slowest (a sentence in the style of seed report 001).
WARM_UP_TEXT = ("وصلت حافلتان تقلان مقاتلين من المعارضة السورية وعائلاتهم من درعا البلد إلى الشمال السوري "
                "يوم الأربعاء، وفق ما أفاد المرصد السوري لحقوق الإنسان.")


@dataclass
class Batch:
    ingest: pipeline.IngestReport
    analysis: Optional[pipeline.AnalysisReport] = None

    def summary(self) -> str:
        c = self.ingest.counts
        line = f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {c['rejected']} rejected"
        if self.analysis is not None:
            a = self.analysis
            line += (f"; analysed {a.extracted}: {a.events} event mentions, {a.stories_changed} stories updated "
                     f"({a.stories_total} in all)")
        return line


def ingest_and_analyse(store: Store, settings: Settings, inputs: list[str], *, analyse: bool = True,
                       fetch: Optional[Callable[[str], tuple[bytes, str]]] = None) -> Batch:
    """Ingest ``inputs`` (paths or URLs) and analyse the articles that changed."""
    workers = 1 if len(inputs) <= SMALL_BATCH else None
    report = pipeline.ingest(store, inputs, settings, fetch=fetch, workers=workers)
    batch = Batch(report)
    if analyse and (report.changed_ids or store.pending(1)):  # what arrived, and any unfinished work
        batch.analysis = pipeline.analyse(store, settings, workers=workers)
    return batch


def warm_up(settings: Settings) -> None:
    """Load what analysis needs before the first batch arrives (nothing is stored)."""
    from rasid.analysis import extract_all
    from rasid.ingest.records import RawRecord
    from rasid.models import Article

    article = pipeline.to_article(RawRecord(origin="warm-up", text=WARM_UP_TEXT), settings)
    if isinstance(article, Article):
        extract_all([article], settings, workers=1)


def stamp() -> str:
    """The time at the start of a log line."""
    return time.strftime("%Y-%m-%d %H:%M:%S")

"""Run Rasid on a record gold set in-process: ingest, extract, cluster and reconcile in a temporary store.

The record gold (tests/gold/README.md) is scored by ``rasid.evaluate.figures`` and
``rasid.evaluate.events``; both need what the pipeline makes of the gold's reports, exactly as
``rasid ingest`` + analysis make it: the extraction of each report and the events of each story.
This module does that run once and hands back one ``Run`` keyed by the gold's own report ids.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from rasid.errors import InputError
from rasid.models import Article, Event, Extraction, Story

__all__ = ["Run", "run_reports", "run_seeds", "load_jsonl", "load_json", "overlaps"]


@dataclass
class Run:
    """What the pipeline made of the gold's reports: per gold id, the article and its extraction;
    the stories, with each event's background flag from the story timeline."""

    articles: dict[str, Article] = field(default_factory=dict)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    background: dict[str, bool] = field(default_factory=dict)  # event id -> background

    def events_of(self, gold_id: str) -> list[Event]:
        """The story events that hold a claim from this report."""
        aid = self.articles[gold_id].id
        return [e for s in self.stories for e in s.events if any(c.article_id == aid for c in e.claims)]


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def load_jsonl(path: Path, what: str) -> list[dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{what} '{path}' cannot be read ({exc.strerror}); pass the path of the file") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise InputError(f"line {n} of {what} '{path}' is not JSON ({exc}); rebuild it with tools/build_gold.py") from None
    return rows


def load_json(path: Path, what: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{what} '{path}' cannot be read as JSON ({exc}); pass the path of the file") from None


NER_CHOICES = ("off", "crf", "e5", "tuned")  # --ner of `rasid eval figures`; None keeps the settings'


def _settings(ner: Optional[str] = None):
    """The shipped settings, one worker; ``ner`` "off" or a model name overrides analysis.ner."""
    from rasid.settings import load_settings

    settings = load_settings(None, environ={}).replace("ingest", workers=1)
    if ner is None:
        return settings
    if ner not in NER_CHOICES:
        raise InputError(f"--ner {ner!r}: use one of {', '.join(NER_CHOICES)}")
    if ner == "off":
        return settings.replace("analysis", ner="false")
    return settings.replace("analysis", ner="true", ner_model=ner)


def _analyse(store, settings) -> Run:
    from rasid.pipeline import analyse

    analyse(store, settings, store.article_ids(), workers=1)
    run = Run()
    for summary in store.list_story_summaries(limit=100_000):
        story = store.get_story(summary["id"])
        run.stories.append(story)
        run.background.update({row["event_id"]: bool(row.get("background")) for row in story.timeline})
    return run


def run_reports(reports_path: Path, ner: Optional[str] = None) -> Run:
    """Ingest the gold's reports (JSONL with id, outlet, url, date, title, text) and analyse them
    (``ner``: "off" or a model name instead of the settings' analysis.ner)."""
    from rasid.pipeline import ingest
    from rasid.store import open_store

    reports = load_jsonl(reports_path, "reports file")
    by_url = {r["url"]: r["id"] for r in reports}
    settings = _settings(ner)
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/eval.db") as store:
        ingest(store, [str(reports_path)], settings, workers=1)
        run = _analyse(store, settings)
        for aid in store.article_ids():
            article = store.get_article(aid)
            if article.url in by_url:
                run.articles[by_url[article.url]] = article
                run.extractions[by_url[article.url]] = store.get_extraction(aid) or Extraction(aid)
    missing = sorted(set(by_url.values()) - set(run.articles))
    if missing:
        raise InputError(f"{len(missing)} gold reports were not ingested (e.g. {missing[0]}); "
                         f"check that '{reports_path}' is the reports file of the gold")
    return run


def run_seeds(seeds_dir: Path, published: dict[str, Optional[str]]) -> Run:
    """Ingest the seed files (each with its publication date) and analyse them; keyed by file name."""
    from rasid.pipeline import ingest
    from rasid.store import open_store

    settings = _settings()
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/eval.db") as store:
        for name, date in sorted(published.items()):
            path = Path(seeds_dir) / name
            if not path.is_file():
                raise InputError(f"seed report '{path}' is missing; pass --seeds DIR (the folder of the seed files)")
            ingest(store, [str(path)], settings, published=date, workers=1)
        run = _analyse(store, settings)
        for aid in store.article_ids():
            article = store.get_article(aid)
            name = Path(article.origin.split(":")[0]).name
            run.articles[name] = article
            run.extractions[name] = store.get_extraction(aid) or Extraction(aid)
    return run

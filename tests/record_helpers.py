"""Helpers for the record tests: seed stories as `rasid stories --json` serves them, a memo of
extraction results (the same article extracts the same way, so 120 orders extract each seed once)."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rasid import analysis
from rasid.cli import main

EXPECTED = [["000", "001", "003"], ["002"], ["004"]]


def served_stories(db: Path) -> list[list[str]]:
    """The stories of `rasid stories --json` as sorted lists of seed numbers (file name prefixes)."""
    result = CliRunner().invoke(main, ["--db", str(db), "stories", "--json", "--limit", "1000"])
    assert result.exit_code == 0, result.output
    return sorted(sorted(Path(a["origin"]).name[:3] for a in s["articles"]) for s in json.loads(result.output))


def check_clean(db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), "check", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["ok"], result.output


class MemoExtract:
    """``analysis.extract_all`` with its results kept per (article, text, NER choice)."""

    def __init__(self):
        self.real = analysis.extract_all
        self.memo: dict = {}

    def __call__(self, articles, settings, workers=1, progress=None):
        choice = (settings.analysis.use_ner(len(articles)), settings.analysis.ner_model_for(len(articles)))
        missing = [a for a in articles if (a.id, a.text, choice) not in self.memo]
        for article_id, found in self.real(missing, settings, workers).items():
            text = next(a.text for a in missing if a.id == article_id)
            self.memo[(article_id, text, choice)] = found
        if progress:
            progress(len(articles))
        return {a.id: self.memo[(a.id, a.text, choice)] for a in articles}

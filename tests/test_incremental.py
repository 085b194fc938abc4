"""Analysing the record batch by batch stores what one analysis of the whole record stores.

The same inputs (the five seeds and 300 SaudiNewsNet reports, with groups of near and exact
copies among them) are ingested in the same order
into two databases: one is analysed after every ingest, in small analysis batches; the other
once, at the end, in one batch. Stories, story events, mentions, extractions, the clusterer and
near-copy rows, and the duplicate links (a symmetric relation: the pair, its kind and score)
must be equal. NER is off in both: which NER model runs depends on the batch size by design
(``analysis.ner = auto``), so extractions with it differ between a feed and a bulk run.
"""
from __future__ import annotations

import lzma
import sqlite3
from pathlib import Path

import pytest

from rasid import analysis, pipeline
from rasid.store import open_store
from tests.conftest import SEED_FILES, SHARED
from tests.record_helpers import MemoExtract

SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
REPORTS = 300
# Lines of the dump (0-based) with near copies (Jaccard >= 0.8) or exact copies among them, added
# to the first lines so that copies arrive in different batches.
COPIES = [491, 846, 510, 532, 621, 903, 1264, 640, 1036, 1537, 1129, 696, 881, 1024, 1534, 1035, 1130,
          1349, 1539, 919, 2031, 1239, 933, 1343, 1408]

TABLES = {
    "stories": "SELECT id, title, first_date, last_date, n_articles, n_sources, n_contradictions, sort_key, data "
               "FROM stories ORDER BY id",
    "story_articles": "SELECT story_id, article_id FROM story_articles ORDER BY article_id",
    "events": "SELECT id, kind, article_id, story_id, type, subtype, date, date_precision, search, data "
              "FROM events ORDER BY id",
    "extractions": "SELECT article_id, data FROM extractions ORDER BY article_id",
    "cluster_features": "SELECT article_id, data FROM cluster_features ORDER BY article_id",
    "near_signatures": "SELECT article_id, content_hash, shingles FROM near_signatures ORDER BY article_id",
    "near_bands": "SELECT band_key, article_id FROM near_bands ORDER BY band_key, article_id",
    "articles": "SELECT id, duplicate_of FROM articles ORDER BY id",
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[list[str]]:
    """Four ingests: seeds and SaudiNewsNet reports mixed, so later batches join earlier stories."""
    if not SAUDINEWSNET.is_file():
        pytest.fail(f"SaudiNewsNet is missing: {SAUDINEWSNET} (../shared/data must sit beside the project)")
    folder = tmp_path_factory.mktemp("inputs")
    wanted = sorted(set(range(REPORTS - len(COPIES))) | set(COPIES))
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as lines:
        numbered = [(n, line) for n, line in zip(range(max(wanted) + 1), lines) if n in wanted]
    rows = [line for _, line in sorted(numbered, key=lambda item: (item[0] % 3, item[0]))]
    chunks = []
    for n, start in enumerate(range(0, REPORTS, REPORTS // 3)):
        path = folder / f"part{n}.jsonl"
        path.write_text("".join(rows[start:start + REPORTS // 3]), encoding="utf-8")
        chunks.append(path)
    seeds = [str(p) for p in SEED_FILES]
    return [seeds[:2] + [str(chunks[0])], [str(chunks[1])] + seeds[2:4], [str(chunks[2])], seeds[4:]]


def _dump(db: Path) -> dict[str, list]:
    con = sqlite3.connect(db)
    found = {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}
    found["duplicates"] = sorted((min(a, b), max(a, b), kind, score)
                                 for a, b, kind, score in con.execute("SELECT * FROM duplicates"))
    con.close()
    return found


@pytest.fixture(scope="module")
def runs(inputs, tmp_path_factory):
    from rasid.settings import load_settings

    base = load_settings(environ={}).replace("ingest", workers=1).replace("analysis", ner="false")
    memo = MemoExtract()
    real, analysis.extract_all = analysis.extract_all, memo
    try:
        folder = tmp_path_factory.mktemp("runs")
        with open_store(str(folder / "batches.db")) as store:
            small = base.replace("analysis", batch_size=40)
            reports = []
            for paths in inputs:
                pipeline.ingest(store, paths, small)
                reports.append(pipeline.analyse(store, small, workers=1))
            assert store.check() == []
        with open_store(str(folder / "once.db")) as store:
            for paths in inputs:
                pipeline.ingest(store, paths, base)
            once = pipeline.analyse(store, base.replace("analysis", batch_size=10_000), workers=1)
            assert store.check() == []
    finally:
        analysis.extract_all = real
    return _dump(folder / "batches.db"), _dump(folder / "once.db"), reports, once


def test_the_batches_really_were_incremental(runs):
    _, _, reports, once = runs
    assert len(reports) == 4 and all(r.extracted for r in reports)
    assert sum(r.extracted for r in reports) == once.extracted > REPORTS
    assert 0 < reports[-1].stories_changed < once.stories_changed  # the last batch rebuilt only its stories


@pytest.mark.parametrize("table", [*TABLES, "duplicates"])
def test_batch_by_batch_equals_all_at_once(runs, table):
    batches, once, _, _ = runs
    assert batches[table] == once[table]


def test_the_record_has_stories_and_links_to_compare(runs):
    _, once, _, _ = runs
    kinds = {kind for _, _, kind, _ in once["duplicates"]}
    assert len(once["stories"]) > 100 and {"exact", "near", "rewrite"} <= kinds
    assert max(n for _, _, _, _, n, *_ in once["stories"]) >= 3

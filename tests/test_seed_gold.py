"""Accuracy gate: the extract stage on the five hand-annotated seed reports (tests/gold/seeds.json).

The floors sit just under the scores measured when they were set (docs/extraction.md has the
table and the command); a change may raise a floor, never lower one. The seeds are also the
reports the lexicons were written from, so these scores measure fit, not generalisation.
"""
import json
from pathlib import Path

import pytest

from rasid.evaluate.seeds import FIELDS, SEEDS_DIR, evaluate_seeds, format_table

GOLD = Path(__file__).resolve().parent / "gold" / "seeds.json"

# field: (precision floor, recall floor)
FLOORS = {
    "figures": (0.95, 0.95),
    "figures+source": (0.95, 0.95),
    "dates": (0.95, 0.95),
    "places": (0.85, 0.95),
    "sources": (0.95, 0.95),
    "events": (0.95, 0.95),
}

pytestmark = pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed reports live in ../shared")


@pytest.fixture(scope="module")
def result():
    return evaluate_seeds(GOLD)


@pytest.mark.parametrize("field", FIELDS)
def test_floor(result, field):
    got = result["fields"][field]
    p_floor, r_floor = FLOORS[field]
    assert got["precision"] >= p_floor and got["recall"] >= r_floor, format_table(result)


def test_the_gold_is_complete():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert [a["file"][:3] for a in gold["articles"]] == ["000", "001", "002", "003", "004"]
    for article in gold["articles"]:
        assert article["published"] and article["published_reasoning"]
        for key in ("figures", "dates", "places", "sources", "events"):
            assert article[key], (article["file"], key)


def test_the_issue_facts_are_in_the_gold():
    gold = {a["file"][:3]: a for a in json.loads(GOLD.read_text(encoding="utf-8"))["articles"]}
    figures = {(f["value"], f["unit"], str(f["source"])) for f in gold["000"]["figures"]}
    assert {(53, "people", "ngo_monitor@rasid:sohr"), (45, "fighters", "media@rasid:sana"),
            (10, "fighters", "outlet"), (38000, "people", "igo@Q1065"),
            (100, "fighters", "ngo_monitor@rasid:sohr"), (40000, "people", "ngo_monitor@rasid:sohr")} <= figures
    assert gold["004"]["published"] == "2018-08-01"
    values = {f["value"] for f in gold["004"]["figures"]}
    assert {12, 1000, 30, 250, 100} <= values and 4 not in values


def test_a_perfect_extractor_scores_one(tmp_path):
    """The scorer itself: the gold read back as an Extraction scores 1.0 on sources and dates."""
    from rasid.models import DateMention, Extraction, SourceMention

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    one = dict(gold, articles=[gold["articles"][3]])
    path = tmp_path / "one.json"
    path.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    entry = one["articles"][0]

    def fake(article):
        sources = []
        for n, s in enumerate(entry["sources"], 1):
            kind, _, actor = s["key"].partition("@")
            sources.append(SourceMention(text="", start=0, end=0, id=f"s{n}", type=kind, actor_id=actor))
        dates = [DateMention(text="", start=0, end=0, value=d["value"], precision=d["precision"])
                 for d in entry["dates"]]
        return Extraction(article_id=article.id, sources=sources, dates=dates)

    scores = evaluate_seeds(path, fake)["fields"]
    assert scores["sources"]["f1"] == 1.0 and scores["dates"]["f1"] == 1.0
    assert scores["figures"]["recall"] == 0.0

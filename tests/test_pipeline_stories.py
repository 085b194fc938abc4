"""The whole pipeline from the command line: seeds in → three stories, claims, contradictions."""
import json

import pytest
from click.testing import CliRunner

from rasid.cli import main
from tests.conftest import SEED_FILES

DATES = {0: "2021-08-26", 1: "2021-08-26", 2: "2017-05-20", 3: "2021-07-27", 4: "2018-08-01"}
ORDERS = [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 0, 4, 1, 3)]


def _ingest(db, order, dated=True):
    runner = CliRunner()
    for n in order:
        args = ["--db", str(db), "ingest", str(SEED_FILES[n]), "-q"] + (["--published", DATES[n]] if dated else [])
        result = runner.invoke(main, args, catch_exceptions=False, env={"RASID_INGEST_WORKERS": "1"})
        assert result.exit_code == 0, result.output
    stories = json.loads(runner.invoke(main, ["--db", str(db), "stories", "--json"]).output)
    return runner, stories


def _groups(stories):
    return sorted(sorted(a["origin"][-24:-21] for a in s["articles"]) for s in stories)


@pytest.mark.parametrize("order", ORDERS)
def test_three_stories_in_any_order(tmp_path, order):
    _, stories = _ingest(tmp_path / "r.db", order)
    assert _groups(stories) == [["000", "001", "003"], ["002"], ["004"]]


def test_three_stories_without_publication_dates(tmp_path):
    _, stories = _ingest(tmp_path / "r.db", (3, 1, 4, 0, 2), dated=False)
    assert _groups(stories) == [["000", "001", "003"], ["002"], ["004"]]


@pytest.fixture(scope="module")
def daraa(tmp_path_factory):
    db = tmp_path_factory.mktemp("daraa") / "r.db"
    runner, stories = _ingest(db, (0, 1, 2, 3, 4))
    story = next(s for s in stories if len(s["articles"]) == 3)
    full = json.loads(runner.invoke(main, ["--db", str(db), "story", story["id"], "--json"]).output)
    return runner, db, story, full


def test_second_batch_is_one_event_with_three_claims(daraa):
    _, _, _, story = daraa
    batch = [e for e in story["events"]
             if {53, 45, 50} <= {(c["figure"] or {}).get("value") for c in e["claims"]}]
    assert len(batch) == 1
    claims = {(c["figure"] or {}).get("value"): c for c in batch[0]["claims"] if c["figure"]}
    assert "المرصد السوري" in claims[53]["source"]
    assert "سانا" in claims[45]["source"] and "إرهابي" in claims[45]["evidence"]["text"]
    assert "شهود عيان" in claims[50]["source"]
    figure = [c for c in batch[0]["contradictions"] if c["kind"] == "figure"][0]
    assert figure["most_conservative"] == 45 and figure["range"] == [45, 53]
    assert figure["recommended"]["rule"]


def test_first_batch_tuesday_wednesday_contradiction(daraa):
    _, _, _, story = daraa
    dates = [c for c in story["contradictions"] if c["kind"] == "date"]
    assert any(set(c["values"]) == {"2021-08-24", "2021-08-25"} for c in dates)


def test_stories_list_counts_and_origins(daraa):
    _, _, listed, _ = daraa
    assert listed["reports"] == 3 and listed["contradictions"] >= 2 and listed["sources"] >= 3
    assert all(a["origin"].endswith(".txt") for a in listed["articles"])


def test_rewrite_link_between_000_and_001_is_visible_from_show(daraa):
    runner, db, listed, _ = daraa
    ids = {a["origin"][-24:-21]: a["id"] for a in listed["articles"]}
    shown = json.loads(runner.invoke(main, ["--db", str(db), "show", ids["000"], "--json"]).output)
    assert {(d["other_id"], d["kind"]) for d in shown["duplicates"]} >= {(ids["001"], "rewrite")}


def test_events_command_filters(daraa):
    runner, db, _, _ = daraa
    rows = json.loads(runner.invoke(main, ["--db", str(db), "events", "--type", "displacement", "--place", "درعا البلد", "--json"]).output)
    assert rows and all(r["type"] == "displacement" for r in rows)
    table = runner.invoke(main, ["--db", str(db), "events", "--source", "rasid:sohr"]).output
    assert "53" in table or "100" in table


def test_the_story_view_names_each_place_of_an_event_once(daraa):
    runner, db, story, full = daraa
    text = runner.invoke(main, ["--db", str(db), "story", story["id"]]).output
    lines = [line for line in text.splitlines() if line.startswith("  ") and " · " in line and "درعا" in line]
    assert lines  # event lines of the Daraa story
    for line in lines:
        names = line.split(" · ")[2].split(", ")
        assert len(names) == len(set(names)), line

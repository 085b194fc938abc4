"""The command line on the real seeds: output formats, errors without tracebacks."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from rasid.cli import main


@pytest.fixture
def run(db_path, monkeypatch):
    monkeypatch.setenv("RASID_ANALYSIS_ENABLED", "false")
    monkeypatch.setenv("RASID_INGEST_WORKERS", "1")
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, ["--db", str(db_path), *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def seeded(run, seeds_dir):
    result = run("ingest", str(seeds_dir))
    assert result.exit_code == 0, result.output
    return run


def test_ingest_summary_line_and_rerun(seeded, seeds_dir):
    again = seeded("ingest", str(seeds_dir))
    assert "5 read: 0 new, 0 updated, 5 unchanged, 0 rejected" in again.output
    assert "Nothing changed" in again.output


def test_search_json_finds_the_daraa_seeds(seeded):
    result = seeded("search", "درعا", "--json")
    rows = json.loads(result.output)
    assert sorted(r["origin"][-24:-21] for r in rows) == ["000", "001", "003", "004"]
    assert "درعا" in result.output  # Arabic is not \\u-escaped


def test_show_seed_004_has_one_headline_and_no_footer(seeded):
    rows = json.loads(seeded("articles", "--json").output)
    seed4 = next(r for r in rows if r["origin"].endswith("004_069b54a7a92f7f3a.txt"))
    shown = seeded("show", seed4["id"][:6]).output
    assert shown.count("يتقهقر في وادي اليرموك") == 1
    assert "لم تشترك بعد" not in shown and "انشئ حساباً" not in shown
    data = json.loads(seeded("show", seed4["id"], "--json").output)
    assert data["title"].startswith("«داعش» يتقهقر") and "لم تشترك بعد" in data["text"]


def test_show_seed_000_has_no_paragraph_joins(seeded):
    rows = json.loads(seeded("search", "الشرطة العسكرية الروسية", "--json").output)
    seed0 = next(r for r in rows if r["origin"].endswith("000_53797e54239e2537.txt"))
    shown = seeded("show", seed0["id"]).output
    assert ".," not in shown and "\n\nوشهدت مدينة درعا" in shown


def test_articles_csv_and_filters(seeded):
    rows = list(csv.DictReader(io.StringIO(seeded("articles", "--csv").output)))
    assert len(rows) == 5 and set(rows[0]) >= {"id", "title", "origin"}
    assert json.loads(seeded("articles", "--language", "ar", "--json").output)
    assert json.loads(seeded("articles", "--outlet", "nobody", "--json").output) == []


def test_stats(seeded):
    data = json.loads(seeded("stats", "--json").output)
    assert data["articles"] == 5 and data["languages"] == {"ar": 5}


def test_errors_are_one_line_without_traceback(run):
    result = run("show", "doesnotexist")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no article with id 'doesnotexist'; list ids with: rasid articles"


def test_unknown_database_scheme(run, tmp_path):
    result = CliRunner().invoke(main, ["--db", "mysql://x/y", "stats"])
    assert result.exit_code == 1 and "unknown database URL scheme 'mysql'" in result.output
    assert "Traceback" not in result.output


def test_bad_published_flag(run, seeds_dir):
    result = run("ingest", str(seeds_dir), "--published", "yesterday")
    assert result.exit_code == 2 and "'yesterday' is not a date" in result.output


def test_rejections_are_listed(run, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert run("ingest", str(bad)).exit_code == 0
    assert "binary file" in run("rejections").output


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        if name == "eval":
            continue
        text = CliRunner().invoke(main, [name, "--help"]).output
        assert "Usage:" in text and ("Example" in text or "rasid " in text), name

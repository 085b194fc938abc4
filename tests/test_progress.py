"""The progress bar of long commands: shown on a terminal with rate and time left, silent otherwise."""
from __future__ import annotations

import io
import lzma

from click.testing import CliRunner

from rasid.cli import main
from rasid.cli.progress import count_records, progress_bar
from tests.conftest import SEED_FILES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_shows_count_rate_and_time_left():
    screen = Terminal()
    bar = progress_bar(None, "articles", "ingest", stream=screen)
    bar(3)
    bar.set_total(12)
    bar(3)
    bar.bar.refresh()
    shown = screen.getvalue()
    bar.close()
    assert "ingest" in shown and "6/12" in shown and "articles/s" in shown and "<" in shown  # elapsed<left


def test_bar_is_silent_when_not_a_terminal_or_quiet():
    for stream, quiet in ((io.StringIO(), False), (Terminal(), True)):
        with progress_bar(10, stream=stream, quiet=quiet) as bar:
            bar(10)
            bar.set_total(20)
        assert stream.getvalue() == "" and not bar.enabled


def test_records_are_counted_for_the_total(tmp_path, seeds_dir):
    lines = [f'{{"title": "{path.stem}", "text": "..."}}' for path in SEED_FILES]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines), encoding="utf-8")  # no newline at the end
    with lzma.open(tmp_path / "dump.jsonl.xz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    (tmp_path / "table.csv").write_text("title,text\na,b\nc,d\n", encoding="utf-8")
    assert count_records([str(seeds_dir)]) == len(SEED_FILES)
    assert count_records([str(tmp_path / "dump.jsonl"), str(tmp_path / "dump.jsonl.xz")]) == 2 * len(SEED_FILES)
    assert count_records([str(tmp_path / "table.csv"), str(SEED_FILES[0])]) == 3
    assert count_records(["https://example.org/feed.xml"]) is None and count_records(["-"]) is None


def test_ingest_prints_no_bar_into_a_pipe(tmp_path, seeds_dir):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "p.db"), "ingest", str(seeds_dir), "--no-analyse"])
    assert result.exit_code == 0 and "articles/s]" not in result.output and "5 read: 5 new" in result.output


def test_analysis_bar_shows_the_queue_rate_time_left_and_stage(tmp_path, seeds_dir, settings):
    from rasid import pipeline
    from rasid.store import open_store

    screen = Terminal()
    with open_store(str(tmp_path / "a.db")) as store:
        pipeline.ingest(store, [str(seeds_dir)], settings)
        bar = progress_bar(None, "articles", "analyse", stream=screen)
        stages = []
        stage = bar.stage
        bar.stage = lambda name: (stages.append(name), stage(name))
        report = pipeline.analyse(store, settings, progress=bar)
        bar.bar.refresh()
        shown = screen.getvalue()
        bar.close()
    assert report.extracted == 5 and stages == ["extract", "stories"]
    assert "analyse" in shown and "5/5" in shown and "articles/s" in shown and "stories" in shown


def test_analysis_prints_no_bar_into_a_pipe(tmp_path, seeds_dir):
    db = str(tmp_path / "p.db")
    assert CliRunner().invoke(main, ["--db", db, "ingest", str(seeds_dir), "--no-analyse"]).exit_code == 0
    result = CliRunner().invoke(main, ["--db", db, "analyse"])
    assert result.exit_code == 0 and "articles/s]" not in result.output and "analysed 5 articles" in result.output

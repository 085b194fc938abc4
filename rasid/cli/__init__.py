"""The ``rasid`` command: one click group; each command lives in a module of this package."""
from __future__ import annotations

import logging
import sys

import click

from rasid import __version__
from rasid.errors import RasidError
from rasid.settings import load_settings


class RasidGroup(click.Group):
    """Prints a RasidError as one line, without a traceback, and exits non-zero."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RasidError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrupted: every batch stored before this point is kept; run the same command again to finish.", err=True)
            sys.exit(130)


class Context:
    """What every command gets: the settings and a way to open the store."""

    def __init__(self, settings, db_url: str):
        self.settings = settings
        self.db_url = db_url

    def open_store(self):
        from rasid.store import open_store

        return open_store(self.db_url)


@click.group(cls=RasidGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rasid")
@click.option("--db", envvar="RASID_DB", default=None, metavar="URL",
              help="Database: sqlite:///rasid.db (default), a bare path, or postgresql://user@host/db. Env: RASID_DB.")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="A settings TOML file (see docs/settings.md).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, db: str | None, config: str | None, verbose: int) -> None:
    """Rasid (راصد): Arabic news reports in, a sourced record of conflict and displacement events out.

    \b
    Example:
      rasid ingest ../shared/corpus/seeds --published 2021-08-26
      rasid search درعا
    """
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    settings = load_settings(config)
    ctx.obj = Context(settings, db or settings.store.db)


def _register() -> None:
    from rasid.cli import (articles, eval_ner, eval_record, eval_seeds, eval_spans, eval_summaries, export, live,
                           record, serve, stories)

    for command in articles.COMMANDS + record.COMMANDS + stories.COMMANDS + live.COMMANDS + [serve.serve, export.export]:
        main.add_command(command)
    evals = click.Group("eval", help="Score Rasid's parts on gold data: ner, spans, seeds, summaries, figures, events.")
    for command in (eval_ner.ner, eval_spans.spans, eval_seeds.seeds, eval_summaries.summaries,
                    eval_record.figures, eval_record.events):
        evals.add_command(command)
    main.add_command(evals)


_register()

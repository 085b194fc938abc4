"""Commands over the record as a whole: analyse (run the analysis queue) and check (its invariants)."""
from __future__ import annotations

import sys

import click

from rasid.cli.common import with_executor
from rasid.cli.output import to_json
from rasid.store.base import ONE_ANALYSIS

WAIT_HELP = "Seconds to wait while another process analyses this database (default: analysis.lease_wait, 600)."


def run_queue(store, settings, quiet: bool, wait=None, **which) -> None:
    """Analyse what is queued (and what ``which`` adds); print the report unless quiet."""
    from rasid.cli.progress import progress_bar
    from rasid.pipeline import analyse

    with progress_bar(None, "articles", "analyse", quiet) as progress:  # the total comes from the queue
        report = analyse(store, settings, wait=wait, progress=progress, **which)
    if not quiet and report.extracted:
        click.echo(str(report))


@click.command()
@click.option("--all", "everything", is_flag=True, help="Re-analyse every stored article (and repair exact-copy links).")
@click.option("--story", "story", metavar="ID", help="Re-analyse the articles of one story.")
@click.option("--wait", type=click.FloatRange(0), default=None, metavar="SECONDS", help=WAIT_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@with_executor
@click.pass_obj
def analyse(obj, everything, story, wait, quiet):
    """Extract events, link copies and build stories for every queued article.

    Ingest queues what it stores and analyses it at once (unless --no-analyse); this command
    finishes an interrupted or skipped analysis, or redoes it.

    \b
    Examples:
      rasid analyse
      rasid analyse --all
      rasid analyse --story story-1a2b3c4d5e6f7a8b
    """
    with obj.open_store() as store:
        pending = len(store.pending(1)) if not (everything or story) else 1
        run_queue(store, obj.settings, quiet, wait, everything=everything, story=story)
        if not pending and not quiet:
            click.echo("Nothing to analyse: the queue is empty (rasid analyse --all redoes everything).")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Output JSON: {ok, problems: [{name, message, count, examples, repair}]}.")
@click.pass_obj
def check(obj, as_json):
    """Verify the record: every analysed article in exactly one story, nothing pointing at a
    missing article, exact copies pointing at an original, the search index agreeing with the
    articles, an empty analysis queue. Exits 1 and says how to repair when something is wrong.
    Also says when the stories are incremental (live batches on a large record since the last
    full pass, docs/scale.md): consistent, but not yet what one analysis stores.

    \b
    Example:
      rasid check --json
    """
    with obj.open_store() as store:
        problems, state = store.check(), store.story_state()
    if as_json:
        click.echo(to_json({"ok": not problems, "problems": [p.to_dict() for p in problems],
                            "stories_state": state.describe() if state else ONE_ANALYSIS}))
    elif not problems:
        click.echo("The record is consistent.")
    else:
        for problem in problems:
            click.secho(f"{problem.name}: {problem}", fg="red")
    if state and not as_json:  # consistent, but not (yet) what one analysis of the record stores
        click.echo(f"stories: {state.describe()}; rasid watch or rasid poll makes a full pass when idle "
                   "(or run: rasid analyse --all)")
    if problems:
        sys.exit(1)


COMMANDS = [analyse, check]

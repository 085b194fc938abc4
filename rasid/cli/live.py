"""Commands that keep running: watch (a folder) and poll (feeds); one log line per batch."""
from __future__ import annotations

import click

from rasid.live.batch import stamp, warm_up


def _say(line: str, failed: bool = False) -> None:
    click.secho(f"{stamp()} {line}", fg="yellow" if failed else None)


def _analyse_option(function):
    return click.option("--analyse/--no-analyse", "analyse", default=None,
                        help="Extract events and update stories for each batch (default: on, see [analysis]).")(function)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--debounce", metavar="DURATION", help="Ingest a file once it stayed unchanged this long (default 1s, live.debounce).")
@click.option("--scan-every", metavar="DURATION", help="Look at the folder this often (default 0.5s, live.scan_every).")
@click.option("--new-only", is_flag=True, help="Skip the files already in the folder; watch for new and changed ones.")
@click.option("--once", is_flag=True, help="Ingest what is in the folder (once it is stable), then exit.")
@_analyse_option
@click.pass_obj
def watch(obj, folder, debounce, scan_every, new_only, once, analyse):
    """Watch FOLDER: new and changed files are ingested and analysed as they land.

    \b
    A file is taken once its size and time have not changed for --debounce, so a file still
    being written is not ingested half; names starting with '.' or ending in .part/.tmp are
    skipped (write to such a name, then rename). Files already there are ingested first
    (unchanged ones are recognised and skipped) unless --new-only. Runs until Ctrl-C or SIGTERM,
    which end it after the batch in progress.
    Examples:
      rasid watch inbox/
      rasid watch /srv/reports --debounce 3s --no-analyse
    """
    from rasid.live.options import live_options
    from rasid.live.stop import Stopper, stop_on_signals
    from rasid.live.watch import FolderWatcher, check_folder, run_watch

    path = check_folder(folder)
    options = live_options(obj.settings, analyse, debounce=debounce, scan_every=scan_every)
    watcher = FolderWatcher(path, options.debounce)
    if new_only:
        watcher.skip_existing()
    with obj.open_store() as store, stop_on_signals(Stopper()) as stopper:
        if options.analyse and not once:
            warm_up(obj.settings)
        if not once:
            click.echo(f"{stamp()} watching {path} (debounce {debounce or obj.settings.live.debounce}); "
                       "Ctrl-C to stop", err=True)
        batches = run_watch(watcher, store, obj.settings, options, stopper,
                            lambda r: _say(r.line(path), bool(r.error)), once=once)
    if not once:
        click.echo(f"{stamp()} stopped ({stopper.reason or 'done'}) after {batches} batch(es)", err=True)


@click.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_OR_FILE...")
@click.option("--every", metavar="DURATION", help="Fetch each feed this often: 90s, 5m, 1h (default 5m, live.every).")
@click.option("--politeness", metavar="DURATION", help="At least this long between requests to one host (default 2s).")
@click.option("--once", is_flag=True, help="Fetch every feed once, then exit (non-zero if any failed).")
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds (a round polls every feed that is due).")
@_analyse_option
@click.pass_obj
def poll(obj, feeds, every, politeness, once, rounds, analyse):
    """Poll RSS/Atom feeds: what is new is ingested and analysed, every --every.

    \b
    FEED_OR_FILE is a feed URL or a text file listing feed URLs, one a line (# comments allowed);
    a page URL is read as one article, updated when the page changes.
    Each poll is a conditional GET (ETag, Last-Modified): an unchanged feed costs one 304. A feed
    that fails is reported and retried after 30s, 1m, 2m ... up to live.backoff_max (1h); the
    others go on. Pages linked by short entries are fetched too, politely. Runs until Ctrl-C or
    SIGTERM, which end it after the feed in progress.
    Examples:
      rasid poll https://www.aljazeera.net/aljazeerarss --every 5m
      rasid poll feeds.txt --once
    """
    from rasid.live.feeds import feed_urls
    from rasid.live.http import PoliteClient
    from rasid.live.options import live_options
    from rasid.live.poll import Poller, run_poll
    from rasid.live.stop import Stopper, stop_on_signals

    urls = feed_urls(list(feeds))
    options = live_options(obj.settings, analyse, every=every, politeness=politeness)
    failed: list[str] = []

    def report(outcome) -> None:
        if outcome.status == "failed":
            failed.append(outcome.url)
        _say(outcome.line(), outcome.status == "failed")

    with obj.open_store() as store, stop_on_signals(Stopper()) as stopper:
        client = PoliteClient(options.politeness, obj.settings.ingest.fetch_timeout, stopper)
        poller = Poller(store, obj.settings, urls, options, client)
        if options.analyse and not once:
            warm_up(obj.settings)
        if not once:
            click.echo(f"{stamp()} polling {len(urls)} feed(s) every {every or obj.settings.live.every}; "
                       "Ctrl-C to stop", err=True)
        try:
            done = run_poll(poller, stopper, report, rounds=1 if once else rounds)
        finally:
            client.close()
    if not once:
        click.echo(f"{stamp()} stopped ({stopper.reason or 'done'}) after {done} round(s)", err=True)
    if once and failed:
        raise SystemExit(1)


COMMANDS = [watch, poll]

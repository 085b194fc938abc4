"""Commands over articles: ingest, articles, show, search, stats, rejections."""
from __future__ import annotations

import click

from rasid.cli.common import with_executor
from rasid.cli.output import emit, output_options, to_json
from rasid.cli.progress import count_in_background, progress_bar
from rasid.cli.record import run_queue
from rasid.cli.render import print_article
from rasid.ingest.fields import parse_field_map
from rasid.ingest.published import parse_published
from rasid.store.base import ArticleFilter

ARTICLE_COLUMNS = ["id", "published", "outlet", "language", "title", "origin"]


def _row(article) -> dict:
    row = {c: getattr(article, c) for c in ("id", "published", "published_precision", "outlet", "language",
                                             "title", "url", "origin", "duplicate_of", "ingested_at")}
    row["published"] = row["published"] or "unknown"
    return row


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--published", metavar="DATE", help="Publication date (2021-08-26) for records that carry none.")
@click.option("--encoding", default="", help="Force a text encoding (e.g. cp1256) instead of detecting it.")
@click.option("--field", "fields", multiple=True, metavar="FIELD=NAME",
              help="Map a JSONL/CSV column: --field text=body --field published=pub_date.")
@click.option("--analyse/--no-analyse", "analyse", default=None,
              help="Analyse the queue after storing: extract events, build stories (default: on, see [analysis] "
                   "settings). With --no-analyse the articles wait in the queue for: rasid analyse")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@with_executor
@click.pass_obj
def ingest(obj, inputs, published, encoding, fields, analyse, quiet):
    """Ingest reports from files, folders, URLs or - (standard input).

    \b
    Formats: seed-style .txt (headline on the first line), .jsonl/.json/.csv/.tsv dumps
    (SaudiNewsNet fields understood), .html pages, RSS/Atom feeds, any of them .gz or .xz.
    Examples:
      rasid ingest ../shared/corpus/seeds --published 2021-08-26
      rasid ingest saudinewsnet.jsonl.xz --no-analyse
      rasid ingest https://example.org/feed.xml
    """
    from rasid import pipeline

    if published and parse_published(published)[0] is None:
        raise click.BadParameter(f"'{published}' is not a date like 2021-08-26", param_hint="--published")
    with obj.open_store() as store:
        with progress_bar(None, "articles", "ingest", quiet) as progress:
            count_in_background(progress, list(inputs))  # the bar shows time left once the total is known
            report = pipeline.ingest(store, list(inputs), obj.settings, published=published, encoding=encoding,
                                     field_map=parse_field_map(fields), progress=progress)
        if not quiet:
            for refusal in report.rejections[:50]:
                click.secho(f"rejected {refusal.message()}", fg="yellow", err=True)
            if len(report.rejections) > 50:
                click.secho(f"... and {len(report.rejections) - 50} more: rasid rejections", fg="yellow", err=True)
        c = report.counts
        click.echo(f"{report.read:,} read: {c['new']:,} new, {c['updated']:,} updated, {c['unchanged']:,} unchanged, "
                   f"{c['rejected']:,} rejected; {report.exact_copies:,} exact copies linked "
                   f"({report.seconds:.1f} s, {report.rate():,.0f} articles/s)")
        if report.read and not report.changed_ids and c["rejected"] == 0:
            click.echo("Nothing changed: every article was already stored as it is.")
        if obj.settings.analysis.enabled if analyse is None else analyse:
            run_queue(store, obj.settings, quiet)  # what this ingest queued, and any unfinished work


@click.command()
@click.option("--outlet", help="Only this outlet (as stored, e.g. aawsat).")
@click.option("--since", metavar="DATE", help="Published on or after DATE.")
@click.option("--until", metavar="DATE", help="Published on or before DATE.")
@click.option("--language", metavar="CODE", help="Only this language (ar, en...).")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@output_options
@click.pass_obj
def articles(obj, outlet, since, until, language, limit, offset, as_json, as_csv):
    """List stored articles, newest first.

    Example: rasid articles --outlet aawsat --since 2015-07-20 --json
    """
    with obj.open_store() as store:
        flt = ArticleFilter(outlet=outlet, since=since, until=until, language=language)
        rows = [_row(a) for a in store.list_articles(flt, limit, offset)]
        emit(rows, ARTICLE_COLUMNS, as_json, as_csv)
        if not (as_json or as_csv):
            click.echo(f"({store.count_articles(flt):,} articles match; showing {len(rows)} from {offset})", err=True)


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@click.option("--original", is_flag=True, help="Show the original text as ingested, not the cleaned text.")
@click.pass_obj
def show(obj, article_id, as_json, original):
    """Show one article (by id or id prefix) with its duplicates and events.

    Example: rasid show 3f2a
    """
    with obj.open_store() as store:
        article = store.get_article(article_id)
        extraction = store.get_extraction(article.id)
        links = store.get_duplicate_links(article.id)
        if as_json:
            data = article.to_dict()
            data["duplicates"] = [vars(l) for l in links]
            data["extraction"] = extraction.to_dict() if extraction else None
            click.echo(to_json(data))
        else:
            print_article(article, extraction, links, original)


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0)
@output_options
@click.pass_obj
def search(obj, query, limit, offset, as_json, as_csv):
    """Full-text search over normalised, stemmed Arabic: المقاتلين finds مقاتلي and مقاتلو.

    Example: rasid search "درعا البلد" --json
    """
    with obj.open_store() as store:
        rows = []
        for hit in store.search(query, limit, offset):
            row = _row(hit.article)
            row.update(score=round(hit.score, 3), snippet=hit.snippet)
            rows.append(row)
        emit(rows, ["id", "published", "outlet", "title", "snippet"], as_json, as_csv)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@click.pass_obj
def stats(obj, as_json):
    """Counts over the record, and the analysis queue.

    Counts of articles, outlets, languages, dates, rejections, events and stories; the queue's
    articles waiting, those an analysis holds, the oldest one's wait, and stale leases.

    Example: rasid stats --json
    """
    with obj.open_store() as store:
        data = store.stats()
        data["queue"] = store.queue_status()
    if as_json:
        click.echo(to_json(data))
        return
    queue = data.pop("queue")
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in list(value.items())[:12])
        click.echo(f"{key:>16}  {value}")
    click.echo(f"{'queue':>16}  {describe_queue(queue)}")
    for lease in queue["leases"]:
        click.echo(f"{'lease':>16}  {lease['name']}: {lease['state']}, {lease['holder']}, expires {lease['expires_at']}")


def describe_queue(queue: dict) -> str:
    """'12 pending, 12 being analysed, oldest waiting 3 min (since …), 1 stale lease' in one line."""
    parts = [f"{queue['pending']:,} pending"]
    if queue["leased"]:
        parts.append(f"{queue['leased']:,} being analysed")
    if queue["waiting_seconds"] is not None:
        parts.append(f"oldest waiting {_duration(queue['waiting_seconds'])} (since {queue['oldest_waiting']})")
    if queue["stale_leases"]:
        parts.append(f"{queue['stale_leases']} stale lease(s): the next rasid analyse takes them over")
    return ", ".join(parts)


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}" if seconds < 10 * size else f"{seconds // size} {unit}"
    return f"{seconds} s"


@click.command()
@click.option("--limit", default=50, show_default=True)
@output_options
@click.pass_obj
def rejections(obj, limit, as_json, as_csv):
    """What ingest refused, newest first, with the reason and the fix.

    Example: rasid rejections --limit 20
    """
    with obj.open_store() as store:
        rows = [vars(r) for r in store.list_rejections(limit)]
    emit(rows, ["origin", "reason", "fix"], as_json, as_csv)


COMMANDS = [ingest, articles, show, search, stats, rejections]

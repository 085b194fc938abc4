"""``rasid export``: the event record as csv, acled, json, geojson or hxl."""
from __future__ import annotations

import sys

import click

from rasid.cli.common import db_url, with_db


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "acled", "json", "geojson", "hxl"]), default="csv",
              show_default=True, help="csv: Rasid's columns; acled: ACLED's columns then Rasid's; "
                                      "hxl: HXL-tagged CSV; geojson: points and movement lines.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (default: standard output).")
@click.option("--level", type=click.Choice(["event", "mention"]), default="event", show_default=True,
              help="event: merged per story, with a claim per source; mention: one row per article's telling.")
@click.option("--since", metavar="DATE", help="Events on or after DATE (2021-08-01).")
@click.option("--until", metavar="DATE", help="Events on or before DATE.")
@click.option("--type", "event_type", help="Event type: displacement, siege, assault, agreement...")
@click.option("--admin1", help="Governorate, as in the place records (e.g. درعا).")
@click.option("--place", help="Place id or the start of a place name.")
@click.option("--actor", help="Actor id or the start of an actor name.")
@click.option("--source", help="In-text source: actor id, name or type (witnesses...).")
@click.option("--outlet", help="Outlet that published a report of the event.")
@click.option("--story", help="Story id.")
@click.option("--article", help="Article id (exports that article's event mentions).")
@with_db
@click.pass_obj
def export(obj, fmt, out, level, since, until, event_type, admin1, place, actor, source, outlet, story, article,
           db_option):
    """Export events with their figures, claims, contradictions and evidence.

    \b
    Examples:
      rasid export --format acled --out daraa.csv --admin1 درعا
      rasid export --format geojson --since 2021-08-01 > events.geojson
      rasid export --format hxl --type displacement -o displacement-hxl.csv
    """
    from rasid.export import export as write_export
    from rasid.store import open_store
    from rasid.store.base import EventFilter

    flt = EventFilter(type=event_type, place=place, admin1=admin1, actor=actor, source=source, outlet=outlet,
                      since=since, until=until, story_id=story, article_id=article)
    with open_store(db_url(obj, db_option)) as store:
        if out:
            size = write_export(store, fmt, out, flt, level)
            click.echo(f"wrote {out} ({size:,} characters, format {fmt})", err=True)
        else:
            write_export(store, fmt, sys.stdout, flt, level)

"""Commands over the analysis: events, stories, one story."""
from __future__ import annotations

import dataclasses

import click

from rasid.cli.output import emit, output_options, to_json
from rasid.store.base import EventFilter


def _event_row(row) -> dict:
    data = row.data
    places = data.get("places") or []
    claims = data.get("claims") or []
    figures = [c.get("figure") for c in claims if c.get("figure")] or data.get("figure_details") or []
    sources = sorted({c.get("source") or "" for c in claims} | {s.get("name") or s.get("type") or "" for s in data.get("source_details", [])} - {""})
    return {
        "id": row.id, "type": row.type + (f"/{row.subtype}" if row.subtype else ""), "date": row.date or "unknown",
        "precision": row.date_precision, "story": row.story_id, "article": row.article_id,
        "places": [f"{p.get('name')}{' (' + p['role'] + ')' if p.get('role') else ''}" for p in places],
        "figures": [f"{f.get('value'):g} {f.get('unit')}" for f in figures if f.get("value") is not None],
        "sources": sources, "contradictions": len(data.get("contradictions") or []),
    }


@click.command()
@click.option("--type", "type_", help="Event type: displacement, siege, assault, agreement, negotiation, abduction, killing, protest...")
@click.option("--place", help="Place id or name (prefix), e.g. 'درعا البلد'.")
@click.option("--governorate", "admin1", help="Governorate (admin1) name, e.g. 'محافظة درعا'.")
@click.option("--actor", help="Actor id or name (prefix).")
@click.option("--source", help="In-text source: actor id, name or type (witnesses, security_source...).")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--story", "story_id", help="Only this story's events.")
@click.option("--article", "article_id", help="One article's event mentions (as that article tells them).")
@click.option("--limit", default=100, show_default=True)
@click.option("--offset", default=0)
@output_options
@click.pass_obj
def events(obj, type_, place, admin1, actor, source, since, until, story_id, article_id, limit, offset, as_json, as_csv):
    """List events (merged across reports), newest first, with their figures and sources.

    Example: rasid events --type displacement --place "درعا البلد" --json
    """
    flt = EventFilter(type=type_, place=place, admin1=admin1, actor=actor, source=source, since=since,
                      until=until, story_id=story_id, article_id=article_id)
    with obj.open_store() as store:
        found = store.list_events(flt, limit, offset)
    if as_json:
        click.echo(to_json([dataclasses.asdict(r) for r in found]))
        return
    emit([_event_row(r) for r in found], ["id", "type", "date", "places", "figures", "sources", "contradictions"],
         False, as_csv)


def _story_row(story) -> dict:
    sources = {c.source for e in story.events for c in e.claims}
    return {"id": story.id, "title": story.title, "first_date": story.first_date, "last_date": story.last_date,
            "reports": len(story.article_ids), "sources": len(sources), "events": len(story.events),
            "contradictions": len(story.contradictions)}


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@output_options
@click.pass_obj
def stories(obj, limit, offset, as_json, as_csv):
    """List stories, latest first, with their numbers of reports, sources and contradictions.

    Example: rasid stories --json
    """
    with obj.open_store() as store:
        found = store.list_stories(limit, offset)
        if as_json:
            rows = []
            for story in found:
                row = _story_row(story)
                row["articles"] = [{"id": a.id, "title": a.title, "outlet": a.outlet, "origin": a.origin, "url": a.url,
                                    "published": a.published} for a in map(store.get_article, story.article_ids)]
                rows.append(row)
            click.echo(to_json(rows))
            return
    emit([_story_row(s) for s in found], ["id", "last_date", "reports", "sources", "contradictions", "title"], False, as_csv)


@click.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Output the whole story as JSON.")
@click.pass_obj
def story(obj, story_id, as_json):
    """Show one story: its reports, events with one claim per source, contradictions, framing,
    summary and timeline.

    Example: rasid story story-3f2a
    """
    with obj.open_store() as store:
        found = store.get_story(story_id)
        articles = {a: store.get_article(a) for a in found.article_ids}
    if as_json:
        data = found.to_dict()
        data["articles"] = [{"id": a.id, "title": a.title, "outlet": a.outlet, "origin": a.origin, "url": a.url,
                             "published": a.published} for a in articles.values()]
        click.echo(to_json(data))
        return
    from rasid.cli.render_story import print_story

    print_story(found, articles)


COMMANDS = [events, stories, story]

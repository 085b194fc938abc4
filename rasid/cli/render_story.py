"""Terminal rendering of one story: reports, events and claims, contradictions, framing, summary."""
from __future__ import annotations

import click

from rasid.models import Article, Story


def _figure(figure: dict | None) -> str:
    if not figure or figure.get("value") is None:
        return "—"
    qualifier = "" if figure.get("qualifier") in (None, "", "exact") else f"{figure['qualifier']} "
    return f"{qualifier}{figure['value']:g} {figure.get('unit', '')}".strip()


def print_story(story: Story, articles: dict[str, Article]) -> None:
    click.secho(story.title, bold=True)
    click.echo(f"{story.id} · {story.first_date or '?'} → {story.last_date or '?'} · {len(story.article_ids)} reports")
    for article in articles.values():
        click.echo(f"  [{article.id}] {article.title}  ({article.outlet or article.origin})")
    if story.summary:
        click.secho("\nSummary", bold=True)
        for item in story.summary:
            click.echo(f"  • {item.get('text', '')}")
    if story.contradictions:
        click.secho(f"\nContradictions ({len(story.contradictions)})", bold=True, fg="red")
        for item in story.contradictions:
            sides = "; ".join(f"{s.get('value')} per {', '.join(map(str, s.get('sources', [])))}" for s in item.get("sides", []))
            recommended = item.get("recommended") or {}
            click.echo(f"  {item.get('kind')}: {sides}")
            if item.get("kind") == "figure":
                click.echo(f"      most conservative {item.get('most_conservative')}, range {item.get('range')}, "
                           f"recommended {recommended.get('value')} ({recommended.get('rule')})")
    click.secho(f"\nEvents ({len(story.events)})", bold=True)
    background = {t.get("event_id") for t in story.timeline if t.get("background")}
    for event in story.events:
        date = (event.date or {}).get("value") or "date unknown"
        places = ", ".join(dict.fromkeys(p.name for p in event.places))  # a name once, whatever its roles
        flag = click.style(" ⚠ sources disagree", fg="red") if event.contradictions else ""
        history = " · background" if event.id in background else ""
        click.echo(f"  {event.type}{'/' + event.subtype if event.subtype else ''} · {date} · {places}{history}{flag}")
        for claim in event.claims:
            click.echo(f"      {_figure(claim.figure):>22}  per {claim.source or claim.outlet}  [{claim.article_id}]"
                       f"  «{(claim.evidence or {}).get('text', '')[:90]}»")
    if story.framing:
        click.secho("\nFraming", bold=True)
        for group in story.framing:
            for side in group.get("by_source", []):
                terms = ", ".join(f"{t['term']}×{t['count']}" for t in side.get("terms", []))
                click.echo(f"  {group.get('group')}: {side.get('source')}: {terms}")
    if story.timeline:
        click.secho("\nTimeline", bold=True)
        for item in story.timeline:
            click.echo(f"  {item.get('date') or '?':>10} ({item.get('precision')})  {item.get('label') or item.get('type')}")

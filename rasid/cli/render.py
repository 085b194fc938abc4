"""Terminal rendering of one article: metadata, duplicates, events with their evidence marked."""
from __future__ import annotations

import sys
from typing import Optional

import click

from rasid.models import Article, DuplicateLink, Extraction


def _mark(text: str, tty: bool) -> str:
    return click.style(text, reverse=True) if tty else f"⟦{text}⟧"


def highlight(text: str, spans: list[tuple[int, int]], tty: bool) -> str:
    """The text with the given (non-overlapping after merging) spans marked."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out += [text[pos:start], _mark(text[start:end], tty)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def print_article(article: Article, extraction: Optional[Extraction], links: list[DuplicateLink], original: bool) -> None:
    tty = sys.stdout.isatty()
    click.secho(article.title or "(no title)", bold=True)
    for label, value in (("id", article.id), ("outlet", article.outlet), ("url", article.url), ("origin", article.origin),
                         ("published", f"{article.published or 'unknown'} ({article.published_precision})"),
                         ("language", article.language), ("exact copy of", article.duplicate_of)):
        if value:
            click.echo(f"{label:>14}: {value}")
    for link in links:
        click.echo(f"{'duplicate':>14}: {link.kind} of {link.other_id} (score {link.score:.2f})")
    click.echo()
    if extraction and extraction.events:
        _print_events(article, extraction, tty)
    click.echo(article.text if original else article.clean_text)


def _print_events(article: Article, extraction: Extraction, tty: bool) -> None:
    click.secho(f"Events ({len(extraction.events)}):", bold=True)
    for event in extraction.events:
        figures = [extraction.figures[i] for i in event.figures if i < len(extraction.figures)]
        spans = [(f.start, f.end) for f in figures] + [(event.start + 0, event.start)]
        what = f"{event.type}" + (f"/{event.subtype}" if event.subtype else "")
        date = (event.date or {}).get("value") or "date unknown"
        places = ", ".join(f"{p.get('name')} ({p.get('role') or 'location'})" for p in event.places)
        sources = ", ".join(s.name or s.type for s in extraction.sources if s.id in event.sources) or article.outlet or "the report"
        click.echo(f"  • {what} · {date} · {places or 'place unknown'} · per {sources}")
        for figure in figures:
            click.echo(f"      {figure.value:g} {figure.unit} {figure.term} ({figure.qualifier}{', vague' if figure.vague else ''})"
                       if figure.value is not None else f"      {figure.text}")
        evidence = article.text[event.start:event.end]
        shifted = [(s - event.start, e - event.start) for s, e in spans if event.start <= s < e <= event.end]
        click.echo("      " + highlight(evidence, shifted, tty).replace("\n", " "))
    click.echo()

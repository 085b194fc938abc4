"""Story assembly: the reports of one story become its events, claims, disputes, framing and summary.

    story = build_story("story-1", articles, {a.id: extraction, ...})

Reports are read in canonical order (by publication date, undated last, then id), so the story
does not depend on the order they are given in. An exact copy of another report of the story
(``Article.duplicate_of``) is listed but adds no claims. A report without an extraction is
extracted here.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Optional, Sequence

from rasid.clean import Cleaned, clean
from rasid.models import PLACE_FACTS, Article, Event, Extraction, PlaceRef, Story
from rasid.reconcile.claims import Retold
from rasid.reconcile.contradictions import find_contradictions
from rasid.reconcile.events import Built, build_event
from rasid.reconcile.framing import story_framing, terms_in
from rasid.reconcile.match import group_mentions
from rasid.reconcile.mentions import article_order, mention_views
from rasid.reconcile.options import DEFAULT_OPTIONS, ReconcileOptions
from rasid.reconcile.summary import retold_sentences, story_summary
from rasid.reconcile.timeline import timeline

Spans = dict[str, list[tuple[int, int]]]


def build_story(story_id: str, articles: Sequence[Article], extractions: dict[str, Extraction],
                options: Optional[ReconcileOptions] = None, cleaned: Optional[dict[str, Cleaned]] = None) -> Story:
    """``cleaned``: each report's ``clean(a.text, a.title or None)`` when the caller has it already."""
    opts = options or DEFAULT_OPTIONS
    ordered = canonical(articles)
    cleaned = {a.id: (cleaned or {}).get(a.id) or clean(a.text, a.title or None) for a in ordered}
    body = {a.id: [(s.start, s.end) for s in cleaned[a.id].sentences] for a in ordered}
    read = {a.id: with_headline(a.text, body[a.id]) for a in ordered}
    xs = {a.id: extractions.get(a.id) or _extract(a, cleaned[a.id]) for a in ordered}
    told = [a for a in ordered if not is_copy(a, ordered)]
    retold = retold_sentences(told, body, opts.align_max_articles)
    built = reconcile_events(story_id, told, xs, read, retold, opts)
    # disputes first, the news before the plans, history (background) last
    events = [b.event for b in sorted(built, key=lambda b: (b.background and not b.event.contradictions,
                                                            b.modality != "asserted", importance(b.event)))]
    first, last = story_dates(ordered, built)
    return Story(
        id=story_id, title=story_title(ordered, cleaned, built), article_ids=[a.id for a in ordered],
        first_date=first, last_date=last, places=story_places(told, xs), actors=story_actors(told, xs),
        events=events, contradictions=[c for e in events for c in e.contradictions],
        framing=story_framing(told, xs, read),
        summary=story_summary(told, body, retold, opts.summary_sentences),
        timeline=timeline(events, {b.event.id: b.facts for b in built}))


def reconcile_events(story_id: str, articles: Sequence[Article], extractions: dict[str, Extraction],
                     spans: Spans, retold: Optional[Retold] = None,
                     opts: ReconcileOptions = DEFAULT_OPTIONS) -> list[Built]:
    """The story's events, each with its claims and contradictions, in canonical order."""
    by_id = {a.id: a for a in articles}
    views = [v for a in articles for v in mention_views(a, extractions[a.id], spans[a.id])]
    built = [build_event(story_id, group, by_id, terms_in, retold) for group in group_mentions(views, opts)]
    for b in built:
        b.event.contradictions = find_contradictions(b.event, opts)
        if b.event.date:
            b.event.date["disputed"] = any(c["kind"] == "date" for c in b.event.contradictions)
    return built


# ---- reports ----------------------------------------------------------------------------------


def canonical(articles: Sequence[Article]) -> list[Article]:
    """Each report once, by publication date (undated last), then id."""
    return sorted({a.id: a for a in articles}.values(), key=article_order)


def is_copy(article: Article, story: Sequence[Article]) -> bool:
    return bool(article.duplicate_of) and article.duplicate_of != article.id and \
        any(a.id == article.duplicate_of for a in story)


def with_headline(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences, with the headline line first when the clean stage set it aside."""
    newline = text.find("\n")
    if newline <= 0 or not text[:newline].strip() or any(s < newline for s, _ in spans):
        return spans
    line = text[:newline]
    return [(len(line) - len(line.lstrip()), len(line.rstrip()))] + spans


def _extract(article: Article, cleaned: Cleaned) -> Extraction:
    from rasid.extract.run import extract_article  # the extractors load their lexicons on first use

    return extract_article(article, cleaned.sentences)


# ---- story fields -----------------------------------------------------------------------------


def story_title(ordered: Sequence[Article], cleaned: dict[str, Cleaned], built: Sequence[Built]) -> str:
    """The headline of the most central report: the one with most claims in the events several
    reports tell; the earliest on a tie."""
    shared: Counter = Counter()
    for b in built:
        if len({c.article_id for c in b.event.claims}) > 1:
            shared.update(c.article_id for c in b.event.claims)
    if not ordered:
        return ""
    article = min(ordered, key=lambda a: (-shared[a.id], article_order(a)))
    return article.title or cleaned[article.id].title or article.text.strip().split("\n", 1)[0][:200]


def importance(event: Event) -> tuple:
    """What an analyst reads first: disputed events, then those most sources tell, with figures."""
    sources = {(c.article_id, c.source) for c in event.claims}
    figures = sum(1 for c in event.claims if c.figure)
    return (-len(event.contradictions), -len({c.article_id for c in event.claims}), -len(sources), -figures, event.id)


def story_dates(ordered: Sequence[Article], built: Sequence[Built]) -> tuple[Optional[str], Optional[str]]:
    """First and last publication dates; the dates of its reported events when no report is dated."""
    dates = sorted(a.published[:10] for a in ordered if a.published)
    if not dates:  # only day-precise dates: an undated report's "تموز 2018" is often background
        dates = sorted(b.event.date["value"] for b in built
                       if b.event.date and b.event.date.get("precision") == "day"
                       and b.modality == "asserted" and not b.background)
    return (dates[0], dates[-1]) if dates else (None, None)


def story_places(articles: Sequence[Article], extractions: dict[str, Extraction]) -> list[PlaceRef]:
    """Every place the reports name, with coordinates, how often and in how many reports."""
    out: dict[str, dict[str, Any]] = {}
    for a in articles:
        for p in extractions[a.id].places:
            key = p.place_id or "name:" + p.name
            entry = out.setdefault(key, dict({f: getattr(p, f) for f in PLACE_FACTS}, count=0, articles=set()))
            entry["count"] += 1
            entry["articles"].add(a.id)
    return [PlaceRef.from_dict(p) for p in _ranked(out)]


def story_actors(articles: Sequence[Article], extractions: dict[str, Extraction]) -> list[dict[str, Any]]:
    """Every actor the reports name, how often and in how many reports."""
    out: dict[str, dict[str, Any]] = {}
    for a in articles:
        for m in extractions[a.id].actors:
            key = m.actor_id or "name:" + m.name
            entry = out.setdefault(key, {"actor_id": m.actor_id, "name": m.name, "name_en": m.name_en,
                                         "type": m.type, "count": 0, "articles": set()})
            entry["count"] += 1
            entry["articles"].add(a.id)
    return _ranked(out)


def _ranked(entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [dict(e, articles=len(e["articles"])) for e in entries.values()]
    keys = list(entries)
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["count"], -rows[i]["articles"], keys[i]))
    return [rows[i] for i in order]

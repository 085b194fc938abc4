"""A story as its list row: title, dates, how many reports, sources, events and disputes."""
from __future__ import annotations

from typing import Any

from rasid.models import Story


def _sources(story: Story) -> set[str]:
    return {c.source or c.outlet for e in story.events for c in e.claims}


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.id, "title": story.title, "first_date": story.first_date, "last_date": story.last_date,
        "n_articles": len(story.article_ids), "n_sources": len(_sources(story)), "n_events": len(story.events),
        "n_contradictions": len(story.contradictions) or sum(len(e.contradictions) for e in story.events),
        "places": [p.to_dict() for p in story.places],
    }

"""Stored objects and read-model records (rasid.models, rasid.views) turned into API shapes (rasid.api.schemas)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Optional

from rasid.api import schemas as s
from rasid.models import Article, DuplicateLink, Extraction, Story
from rasid.views import stories


def article_summary(article: Article) -> s.ArticleSummary:
    return s.ArticleSummary(
        id=article.id, title=article.title, outlet=article.outlet, url=article.url, language=article.language,
        published=article.published, published_precision=article.published_precision,
        duplicate_of=article.duplicate_of, ingested_at=article.ingested_at,
    )


def extraction_out(extraction: Optional[Extraction]) -> Optional[s.ExtractionOut]:
    if extraction is None:
        return None
    data = asdict(extraction)
    data.pop("article_id", None)
    return s.ExtractionOut.model_validate(data)


def article_detail(article: Article, extraction: Optional[Extraction], links: list[DuplicateLink],
                   story_id: Optional[str]) -> s.ArticleDetail:
    return s.ArticleDetail(
        **article_summary(article).model_dump(), text=article.text, clean_text=article.clean_text,
        author=article.author, origin=article.origin, content_hash=article.content_hash, meta=article.meta,
        story_id=story_id, extraction=extraction_out(extraction),
        duplicates=[s.DuplicateOut(other_id=l.other_id, kind=l.kind, score=l.score) for l in links],
    )


def event_out(record: dict[str, Any]) -> s.EventOut:
    return s.EventOut.model_validate(record)


def story_summary(story: Story) -> s.StorySummary:
    return s.StorySummary(**stories.story_summary(story))


def story_detail(story: Story, articles: list[Article], events: list[dict[str, Any]]) -> s.StoryDetail:
    return s.StoryDetail(
        **story_summary(story).model_dump(), article_ids=story.article_ids,
        articles=[article_summary(a) for a in articles], actors=story.actors,
        events=[event_out(e) for e in events], contradictions=story.contradictions, framing=story.framing,
        summary=story.summary, timeline=story.timeline,
    )


def place_out(place: dict[str, Any]) -> s.PlaceOut:
    return s.PlaceOut.model_validate(place)


def actor_out(actor: dict[str, Any]) -> s.ActorOut:
    return s.ActorOut.model_validate(actor)

"""Response and request shapes of the JSON API, kept apart from the stored rows (rasid.models)."""
from __future__ import annotations

from typing import Any, Generic, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Meta(BaseModel):
    total: Optional[int] = Field(None, description="rows matching the query; null when not counted (search)")
    limit: Optional[int] = None
    offset: Optional[int] = None
    next: Optional[str] = Field(None, description="relative URL of the next page, null on the last")


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["not_found"])
    message: str
    status: int
    details: Optional[list[dict[str, Any]]] = None


class Envelope(BaseModel, Generic[T]):
    """Every response, success or error, has this shape."""

    ok: bool
    data: Optional[T] = None
    meta: Optional[Meta] = None
    error: Optional[ErrorBody] = None


class ErrorEnvelope(Envelope[None]):
    ok: bool = False


# -- articles
class Span(BaseModel):
    text: str = ""
    start: Optional[int] = None
    end: Optional[int] = None


class FigureOut(Span):
    model_config = ConfigDict(extra="allow")
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: str = ""
    term: str = ""
    qualifier: str = "exact"
    vague: bool = False
    ordinal: Optional[int] = None
    source_id: Optional[str] = None
    confidence: float = 1.0


class DateOut(Span):
    model_config = ConfigDict(extra="allow")
    value: Optional[str] = None
    precision: str = "unknown"
    resolved: bool = False
    relative: bool = False


class PlaceMentionOut(Span):
    model_config = ConfigDict(extra="allow")
    place_id: str = ""
    name: str = ""
    name_en: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    precision: str = "unknown"
    role: str = ""


class ActorMentionOut(Span):
    model_config = ConfigDict(extra="allow")
    actor_id: str = ""
    name: str = ""
    name_en: str = ""
    type: str = ""


class SourceMentionOut(Span):
    model_config = ConfigDict(extra="allow")
    id: str = ""
    actor_id: str = ""
    name: str = ""
    type: str = ""
    cue: str = ""
    quote: str = ""


class ExtractionOut(BaseModel):
    figures: list[FigureOut] = []
    dates: list[DateOut] = []
    places: list[PlaceMentionOut] = []
    actors: list[ActorMentionOut] = []
    sources: list[SourceMentionOut] = []
    entities: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []


class DuplicateOut(BaseModel):
    other_id: str
    kind: str = Field(..., description="exact, near or rewrite")
    score: float


class ArticleSummary(BaseModel):
    id: str
    title: str
    outlet: str
    url: str
    language: str
    published: Optional[str]
    published_precision: str
    duplicate_of: Optional[str]
    ingested_at: str


class ArticleDetail(ArticleSummary):
    text: str = Field(..., description="the original text, exactly as ingested; every offset points into it")
    clean_text: str
    author: str
    origin: str
    content_hash: str
    meta: dict[str, Any]
    story_id: Optional[str]
    extraction: Optional[ExtractionOut]
    duplicates: list[DuplicateOut]


class ArticleIn(BaseModel):
    """One article to ingest (the fields of a SaudiNewsNet-style JSON record)."""

    model_config = ConfigDict(extra="forbid")
    title: str = ""
    text: str = Field(..., min_length=1)
    outlet: str = ""
    url: str = ""
    published: Optional[str] = Field(None, description="ISO date or datetime")
    author: str = ""
    language: Optional[str] = None


class IngestResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    received: int
    results: list[dict[str, Any]] = []


# -- events and stories
class EventPlace(BaseModel):
    place_id: Optional[str] = None
    name: str = ""
    name_en: str = ""
    role: str = ""
    admin1: str = ""
    admin2: str = ""
    country: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: str = "unknown"
    feature: str = ""


class ClaimOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    article_id: Optional[str] = None
    outlet: str = ""
    source: str = ""
    source_actor_id: str = ""
    figure: Optional[dict[str, Any]] = None
    date: Optional[dict[str, Any]] = None
    evidence: Optional[dict[str, Any]] = None
    framing: list[str] = []
    disputed: list[str] = Field([], description="fields of this claim that a contradiction puts in dispute")


class FigureRange(BaseModel):
    min: float
    max: float
    unit: str
    values: list[dict[str, Any]]


class EventOut(BaseModel):
    id: str
    kind: str = Field(..., description="event (merged across a story, with claims) or mention (one article)")
    story_id: Optional[str]
    article_id: Optional[str]
    type: str
    subtype: str
    date: Optional[dict[str, Any]]
    places: list[EventPlace]
    actors: list[dict[str, Any]]
    claims: list[ClaimOut]
    contradictions: list[dict[str, Any]]
    disputed: bool
    figures: dict[str, FigureRange] = Field(..., description="per term: most conservative value, range, who said what")
    summary: str
    outlets: list[str]


class StorySummary(BaseModel):
    id: str
    title: str
    first_date: Optional[str]
    last_date: Optional[str]
    n_articles: int
    n_sources: int
    n_events: int
    n_contradictions: int
    places: list[dict[str, Any]]


class StoryDetail(StorySummary):
    article_ids: list[str]
    articles: list[ArticleSummary]
    actors: list[dict[str, Any]]
    events: list[EventOut]
    contradictions: list[dict[str, Any]]
    framing: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


# -- places, actors, search
class Counts(BaseModel):
    mentions: int
    articles: int
    events: int
    stories: int
    claims: Optional[int] = None


class PlaceOut(BaseModel):
    id: str
    name: str
    name_en: str
    admin1: str
    admin2: str
    country: str
    lat: Optional[float]
    lon: Optional[float]
    precision: str
    feature: str
    counts: Counts


class PlaceDetail(PlaceOut):
    events: list[EventOut] = Field(..., description="the first events here; page on with /api/events?place=")
    events_total: int


class ActorOut(BaseModel):
    id: str
    name: str
    name_en: str
    type: str
    counts: Counts


class ActorDetail(ActorOut):
    events: list[EventOut] = Field(..., description="the first events; page on with /api/events?actor=")
    events_total: int


class SearchHitOut(BaseModel):
    article: ArticleSummary
    snippet: str
    score: float

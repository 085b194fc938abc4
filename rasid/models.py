"""The dataclasses that flow between pipeline stages.

Every offset (``start``/``end``) is a character offset into ``Article.text``, the original text
exactly as ingested, so evidence can always be shown in the report it came from.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

# Precision vocabularies, shared by every stage and documented in docs/schema.md.
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
GEO_PRECISIONS = ("exact", "locality", "district", "governorate", "country", "region", "unknown")


@dataclass
class Article:
    """One report as ingested: the original text untouched, plus what ingest learned about it."""

    id: str
    text: str  # the original text, never altered
    title: str = ""
    outlet: str = ""
    url: str = ""
    origin: str = ""  # file path and line, or URL, the article was read from
    author: str = ""
    language: str = ""
    published: Optional[str] = None  # ISO date or datetime, truncated to its precision
    published_precision: str = "unknown"
    ingested_at: str = ""
    content_hash: str = ""  # hash of the normalised text; equal hashes = exact copies
    duplicate_of: Optional[str] = None  # first article stored with the same content hash
    clean_text: str = ""  # display text: boilerplate removed, paragraphs repaired
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int = 0


@dataclass
class Mention:
    """Base of every extracted value: where it is and how sure we are."""

    text: str
    start: int
    end: int
    confidence: float = 1.0


@dataclass
class Figure(Mention):
    """A number of people or things: "نحو مئة مسلّح" -> value 100, unit fighters, qualifier approx."""

    value: Optional[float] = None
    value_max: Optional[float] = None  # for ranges ("بين 50 و60")
    unit: str = ""  # people, fighters, families, women_children, soldiers, civilians, buses, batches...
    term: str = ""  # what happened to them: displaced, evacuated, killed, injured, abducted, besieged, residents
    qualifier: str = "exact"  # exact, approx, more_than, at_least, up_to, less_than
    vague: bool = False  # عشرات, مئات, آلاف: the value is ACLED's convention
    ordinal: Optional[int] = None  # دفعة ثانية -> 2 (batch number, not a count)
    source_id: Optional[str] = None  # index into Extraction.sources


@dataclass
class DateMention(Mention):
    value: Optional[str] = None  # ISO date of the start of the period; None when unresolved
    precision: str = "unknown"  # day, week, month, year, unknown
    resolved: bool = False  # False when relative and the article has no publication date
    relative: bool = False  # weekday or "last week" style expression
    note: str = ""


@dataclass
class PlaceMention(Mention):
    name: str = ""  # canonical Arabic name
    name_en: str = ""
    place_id: str = ""  # "wof:123", "gn:456", "rasid:daraa-al-balad"
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: str = ""  # ISO 3166-1 alpha-2
    admin1: str = ""  # governorate
    admin2: str = ""  # district
    feature: str = ""  # locality, quarter, region, county, country, camp, valley...
    precision: str = "unknown"  # one of GEO_PRECISIONS
    role: str = ""  # origin, destination, location, or "" when not in a movement


@dataclass
class ActorMention(Mention):
    actor_id: str = ""  # Wikidata QID when one exists, else "rasid:<slug>"
    name: str = ""  # canonical Arabic name
    name_en: str = ""
    type: str = ""  # state_forces, armed_opposition, militia, jihadist, foreign_forces, igo, ngo_monitor, media, civilians


@dataclass
class EntityMention(Mention):
    label: str = ""  # PERS, LOC, ORG, MISC (NER model)
    actor_id: str = ""  # the actor lexicon's id when the name is a known actor, else ""
    place_id: str = ""  # the gazetteer's id when the name is a known place, else ""


@dataclass
class SourceMention(Mention):
    """An in-text source: "وفق ما أفاد المرصد" -> actor id of the Syrian Observatory."""

    id: str = ""  # stable within the article, e.g. "s1"
    actor_id: str = ""
    name: str = ""
    type: str = ""  # named actor type, or witnesses, security_source, military_source, intelligence_source, activists, officials
    cue: str = ""  # the reporting verb or phrase: أفاد، أعلنت، قال، بحسب
    quote: str = ""  # a direct quote attributed to the source, when there is one


@dataclass
class EventMention(Mention):
    """One event as one article tells it."""

    id: str = ""
    type: str = ""  # displacement, siege, assault, agreement, negotiation, abduction, killing, protest...
    subtype: str = ""  # evacuation, shelling, air_strike, ambush, storming, settlement, truce...
    trigger: str = ""
    actors: list[dict[str, str]] = field(default_factory=list)  # {"actor_id","role"}
    places: list[dict[str, Any]] = field(default_factory=list)  # {"place_id","name","role"}
    date: Optional[dict[str, Any]] = None  # {"value","precision","text"}
    figures: list[int] = field(default_factory=list)  # indexes into Extraction.figures
    sources: list[str] = field(default_factory=list)  # SourceMention ids
    batch: Optional[int] = None  # ordinal batch of an evacuation


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article_id: str
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    sources: list[SourceMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DuplicateLink:
    article_id: str
    other_id: str
    kind: str  # exact, near, rewrite
    score: float


@dataclass
class Claim:
    """What one source, in one article, says about one event."""

    article_id: str
    outlet: str
    source: str  # in-text source name (or the outlet when none)
    source_actor_id: str
    figure: Optional[dict[str, Any]]
    date: Optional[dict[str, Any]]
    evidence: dict[str, Any]  # {"text","start","end"}
    framing: list[str] = field(default_factory=list)


@dataclass
class Event:
    """One real event, merged from the mentions of several articles."""

    id: str
    story_id: str
    type: str
    subtype: str = ""
    date: Optional[dict[str, Any]] = None
    places: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str]
    first_date: Optional[str] = None
    last_date: Optional[str] = None
    places: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    framing: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)

"""The dataclasses that flow between pipeline stages.

Every offset (``start``/``end``) is a character offset into ``Article.text``, the original text
exactly as ingested, so evidence can always be shown in the report it came from.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional

# Precision vocabularies, shared by every stage and documented in docs/schema.md.
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
GEO_PRECISIONS = ("exact", "locality", "district", "governorate", "country", "region", "unknown")


@dataclass
class Rejection:
    """An input ingest refused, kept as data: where it was (a file, ``file:line``, a URL), why, and
    how to fix it. Readers yield it in place of a record; the store keeps it for ``rasid rejections``."""

    origin: str
    reason: str
    fix: str = ""

    def message(self) -> str:
        return f"{self.origin}: {self.reason}" + (f"; {self.fix}" if self.fix else "")


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
    term: str = ""  # what happened to them: displaced, evacuated, killed, injured, abducted, detained, besieged, missing, returned, affected, present, residents
    qualifier: str = "exact"  # exact, approx, more_than, at_least, up_to, less_than
    vague: bool = False  # عشرات, مئات, آلاف: the value is ACLED's convention
    ordinal: Optional[int] = None  # دفعة ثانية -> 2 (batch number, not a count)
    source_id: Optional[str] = None  # index into Extraction.sources
    place: str = ""  # where the counted thing happened: a place name of Extraction.places ("" = none found)
    place_id: str = ""  # that place's id (rasid.extract.figure_places gives the rule)


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
class PlaceRef:
    """A place as a story or one of its events holds it: the gazetteer's facts, plus, in an event,
    its role and how many mentions name it there, and in a story, how often and in how many reports.

    ``to_dict`` gives the stored JSON: every fact, and the other fields only when set (an event's
    places have role and mentions, a story's count and articles).
    """

    place_id: str = ""
    name: str = ""
    name_en: str = ""
    admin1: str = ""
    admin2: str = ""
    country: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: str = "unknown"
    feature: str = ""
    role: Optional[str] = None  # origin, destination, location or "" (events only)
    mentions: Optional[int] = None  # event: mentions naming it in this role
    count: Optional[int] = None  # story: how often the reports name it
    articles: Optional[int] = None  # story: in how many reports

    def to_dict(self) -> dict[str, Any]:
        out = {key: getattr(self, key) for key in PLACE_FACTS}
        out.update({key: getattr(self, key) for key in _PLACE_EXTRAS if getattr(self, key) is not None})
        return out

    @classmethod
    def from_dict(cls, data: "dict[str, Any] | PlaceRef") -> "PlaceRef":
        if isinstance(data, PlaceRef):
            return data
        values = {key: data[key] for key in _PLACE_NAMES if key in data}
        for key in ("place_id", "name", "name_en", "admin1", "admin2", "country", "feature"):
            if key in values and values[key] is None:
                values[key] = ""
        if values.get("precision") is None:
            values["precision"] = "unknown"
        return cls(**values)


_PLACE_NAMES = tuple(f.name for f in fields(PlaceRef))
_PLACE_EXTRAS = ("role", "mentions", "count", "articles")
# The gazetteer facts a place carries wherever it is shown: the one list of them.
PLACE_FACTS = tuple(name for name in _PLACE_NAMES if name not in _PLACE_EXTRAS)
# An event's place as records, the API and the exports show it: the facts and its role.
EVENT_PLACE_KEYS = ("place_id", "name", "name_en", "role", *PLACE_FACTS[3:])


def _places(items: list) -> list[PlaceRef]:
    return [PlaceRef.from_dict(p) for p in items]


def _build(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Claim":
        return _build(cls, data)


@dataclass
class Event:
    """One real event, merged from the mentions of several articles."""

    id: str
    story_id: str
    type: str
    subtype: str = ""
    date: Optional[dict[str, Any]] = None
    places: list[PlaceRef] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""

    def __post_init__(self) -> None:
        self.places = _places(self.places)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(places=[p.to_dict() for p in self.places], claims=[c.to_dict() for c in self.claims])
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        event = _build(cls, data)
        event.claims = [Claim.from_dict(c) for c in data.get("claims", [])]
        return event


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str]
    first_date: Optional[str] = None
    last_date: Optional[str] = None
    places: list[PlaceRef] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    framing: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.places = _places(self.places)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(places=[p.to_dict() for p in self.places], events=[e.to_dict() for e in self.events])
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Story":
        story = _build(cls, data)
        story.events = [Event.from_dict(e) for e in data.get("events", [])]
        return story

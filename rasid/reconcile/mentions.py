"""Event mentions as reconcile reads them: batch and date re-read per batch, modality, places filled in.

The extract stage gives one mention per event type and sentence, with the sentence's nearest
date. A sentence can tell two batches ("وتمثل هاتان الحافلتان الدفعة الثانية ... بعد مغادرة
الدفعة الأولى يوم الأربعاء"): such a mention is split, one part per batch, each taking the dates
and counts nearest to its own batch phrase. A mention whose trigger is a purpose ("لمغادرة"), a
provision ("ينص ... على إخراج"), an aim or a forecast is "planned", never merged with what was
reported as done.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date as Date, timedelta
from functools import cached_property, lru_cache
from typing import Any, Optional, Sequence

from rasid.arabic.normalize import match_key
from rasid.extract.actors import ACTOR_TYPES
from rasid.extract.lexmatch import forms, tokenize
from rasid.models import EVENT_PLACE_KEYS, Article, DateMention, EventMention, Extraction, Figure, PlaceMention, SourceMention
from rasid.reconcile.figures import figure_dict
from rasid.reconcile.options import subtype_group, tables

WHERE_ROLES = ("origin", "location", "")
CUE_WINDOW = 8  # words before a trigger searched for a planned/provided-for cue
UNDATED = "~"  # sorts after every ISO date


@dataclass(frozen=True, eq=False)
class View:
    """One event mention (or one batch of it), ready to be matched."""

    article_id: str
    mention_id: str  # the extract stage's id, "#b<n>" appended for one batch of a split mention
    order: tuple  # canonical order: (published or "~", article id, start, mention id)
    type: str
    subtype: str
    group: str  # subtypes that may tell one event: "displacement/departure"
    batch: Optional[int]
    date: Optional[dict[str, Any]]  # {"value","precision","text","background"}; None when unresolved
    places: tuple  # dicts with EVENT_PLACE_KEYS
    actors: tuple  # {"actor_id","name","type","role"}
    figures: tuple  # count figures (Figure), batch ordinals left out
    sources: tuple  # SourceMention cited in the mention's sentence
    start: int
    end: int
    sentence: int  # index among the article's sentences (the headline first when it is read)
    modality: str  # "asserted" or "planned"
    trigger: str = ""
    published: Optional[str] = None  # the article's publication date: nothing it tells comes later
    background: Optional[bool] = None  # told as before the news (old date, «كان قد»); None: nothing says
    trigger_at: int = 0  # offset of the trigger word: which of a sentence's happenings is told first

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.mention_id)

    # Facts the matcher compares for every pair, worked out once per mention.
    @cached_property
    def interval(self) -> Optional[tuple[Date, Date]]:
        return date_interval(self.date)

    @cached_property
    def published_day(self) -> Optional[tuple[Date, Date]]:
        return date_interval({"value": self.published, "precision": "day"}) if self.published else None

    @cached_property
    def where(self) -> tuple[dict, ...]:
        """Places where it happened (origin or location), not where people went."""
        return tuple(p for p in self.places if p.get("role", "") in WHERE_ROLES)

    @cached_property
    def place_ids(self) -> frozenset:
        return frozenset(p["place_id"] for p in self.where if p.get("place_id"))

    @cached_property
    def admins(self) -> frozenset:
        return frozenset(p["admin1"] for p in self.where if p.get("admin1"))

    @cached_property
    def actor_ids(self) -> frozenset:
        return frozenset(a.get("actor_id") for a in self.actors if a.get("actor_id"))

    @cached_property
    def affected(self) -> frozenset:
        """Who was moved or hit (role actor2)."""
        return frozenset(a["actor_id"] for a in self.actors if a.get("role") == "actor2" and a.get("actor_id"))

    @cached_property
    def counts(self) -> tuple[dict, ...]:
        return tuple(figure_dict(f) for f in self.figures)


def article_order(article: Article) -> tuple[str, str]:
    """Articles in canonical order: by publication date (undated last), then id."""
    return (article.published or UNDATED, article.id)


def mention_views(article: Article, extraction: Extraction, spans: Sequence[tuple[int, int]]) -> list[View]:
    """Every event mention of one article as views; ``spans`` are its sentences."""
    lookup = _place_lookup(extraction.places)
    sources = {s.id: s for s in extraction.sources}
    starts = [s for s, _ in sorted(spans)]
    out = []
    for mention in extraction.events:
        modality = _modality(article.text, mention)
        for part_id, batch, date, figures in _parts(mention, extraction):
            out.append(View(
                article_id=article.id, mention_id=part_id,
                order=article_order(article) + (mention.start, part_id),
                type=mention.type, subtype=mention.subtype, group=subtype_group(mention.type, mention.subtype),
                batch=batch, date=date, places=tuple(_place(p, lookup) for p in mention.places),
                actors=tuple(dict(a) for a in mention.actors), figures=tuple(figures),
                sources=tuple(sources[s] for s in mention.sources if s in sources),
                start=mention.start, end=mention.end, sentence=bisect_right(starts, mention.start) - 1,
                modality=modality, trigger=mention.trigger, published=article.published,
                background=_background(mention.date), trigger_at=_trigger_at(article.text, mention)))
    return out


def _trigger_at(text: str, m: EventMention) -> int:
    first = (m.trigger or "").split(" / ")[0].strip()
    found = text.find(first, m.start, m.end) if first else -1
    return found if found >= 0 else m.start


def _background(date: Optional[dict[str, Any]]) -> Optional[bool]:
    """True/False when a resolved date or a past-perfect cue says; None for an undated mention."""
    if not date or not (date.get("value") or date.get("cue")):
        return None
    return bool(date.get("background"))


# ---- batches and dates ------------------------------------------------------------------------


def _parts(m: EventMention, x: Extraction) -> list[tuple[str, Optional[int], Optional[dict], list[Figure]]]:
    counts = [x.figures[i] for i in m.figures if i < len(x.figures)]
    counts = [f for f in counts if f.ordinal is None and f.value is not None]
    if m.type != "displacement":
        return [(m.id, m.batch, event_date(m.date), counts)]
    ordinals = [f for f in x.figures if f.ordinal is not None and m.start <= f.start < m.end]
    distinct = sorted({f.ordinal for f in ordinals})
    if len(distinct) <= 1:
        batch = m.batch if m.batch is not None else (distinct[0] if distinct else None)
        return [(m.id, batch, event_date(m.date), counts)]
    dates = [d for d in x.dates if m.start <= d.start < m.end and d.value]
    near_dates = _nearest(dates, ordinals)
    near_counts = _nearest(counts, ordinals)
    background = bool((m.date or {}).get("background"))
    return [(f"{m.id}#b{o}", o, _first_date(near_dates.get(o, []), background), near_counts.get(o, []))
            for o in distinct]


def _nearest(items: Sequence[Any], ordinals: Sequence[Figure]) -> dict[int, list]:
    """Each item (date, figure) goes to the batch whose phrase is nearest to it in the text."""
    out: dict[int, list] = {}
    for item in items:
        best = min(ordinals, key=lambda f: (abs(f.start - item.start), f.start))
        out.setdefault(best.ordinal, []).append(item)
    return out


def _first_date(dates: Sequence[DateMention], background: bool) -> Optional[dict[str, Any]]:
    if not dates:
        return None
    d = dates[0]
    return {"value": d.value, "precision": d.precision, "text": d.text, "background": background}


def event_date(date: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """The extract stage's event date, or None when it has no resolved value."""
    if not date or not date.get("value"):
        return None
    return {"value": date["value"], "precision": date.get("precision") or "unknown",
            "text": date.get("text") or "", "background": bool(date.get("background"))}


def date_interval(date: Optional[dict[str, Any]]) -> Optional[tuple[Date, Date]]:
    """The days a date may stand for: a day, a week, a month or a year."""
    if not date or not date.get("value"):
        return None
    try:
        first = Date.fromisoformat(str(date["value"])[:10])
    except ValueError:
        return None
    precision = date.get("precision")
    if precision == "week":
        return first, first + timedelta(days=6)
    if precision == "month":
        following = Date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - timedelta(days=1)
    if precision == "year":
        return first, Date(first.year, 12, 31)
    return first, first


def interval_gap(a: tuple[Date, Date], b: tuple[Date, Date]) -> int:
    """Days between two intervals; 0 when they overlap."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


# ---- modality ---------------------------------------------------------------------------------


def _keys(words: Sequence[str]) -> frozenset:
    return frozenset(match_key(w) for w in words)


@lru_cache(maxsize=1)
def _cues() -> dict[str, frozenset]:
    t = tables()
    return {"words": _keys(t["planned_cues"]["words"]), "not_lam": _keys(t["purpose_exceptions"]["words"]),
            "lam_after": _keys(t["purpose_exceptions"]["after"]),
            "exempt": frozenset(t["modality_exempt"]["subtypes"])}


def _modality(text: str, m: EventMention) -> str:
    """"planned" when every trigger of the mention is a purpose, provision, aim or forecast."""
    parts = [p.strip() for p in (m.trigger or "").split(" / ") if p.strip()]
    if not parts or m.subtype in _cues()["exempt"]:
        return "asserted"
    return "planned" if all(_planned(text, m, part) for part in parts) else "asserted"


def _planned(text: str, m: EventMention, trigger: str) -> bool:
    cues = _cues()
    position = text.find(trigger, m.start, m.end)
    if position < 0:
        return False
    toks = tokenize(text, [(m.start, position + len(trigger))])[0]
    size = len(trigger.split())
    if len(toks) < size:
        return False
    head, before = toks[-size], toks[-size - 1] if len(toks) > size else None
    if head.key.startswith("ل") and len(head.key) > 3 and head.key not in cues["not_lam"] \
            and (before is None or before.key not in cues["lam_after"]):
        return True  # the purpose lam: لمغادرة, لخروج, للمغادرة, لإنهاء
    window = toks[-(CUE_WINDOW + size):]
    return any(form in cues["words"] for tok in window for form, _ in forms(tok.key))


# ---- places -----------------------------------------------------------------------------------


def _place_lookup(places: Sequence[PlaceMention]) -> dict[str, PlaceMention]:
    out: dict[str, PlaceMention] = {}
    for p in places:
        if p.place_id and p.place_id not in out:
            out[p.place_id] = p
    return out


def _place(place: dict[str, Any], lookup: dict[str, PlaceMention]) -> dict[str, Any]:
    """A mention's place with the gazetteer facts its PlaceMention carries."""
    known = lookup.get(place.get("place_id") or "")
    out = {key: getattr(known, key, None) if known else None for key in EVENT_PLACE_KEYS}
    for key, value in place.items():
        if key in out and value not in (None, ""):
            out[key] = value
    out["role"] = place.get("role") or ""
    for key in ("place_id", "name", "name_en", "admin1", "admin2", "country", "feature"):
        out[key] = out[key] or ""
    out["precision"] = out["precision"] or "unknown"
    return out


def source_key(source: Optional[SourceMention], article_id: str = "") -> str:
    """One key per real source: a named actor's id and a person's name hold across reports; an
    anonymous source ("مصادر في المعارضة", "شهود") is one per type within its report."""
    if source is None:
        return ""
    if source.actor_id and source.type in ACTOR_TYPES:
        return source.actor_id
    if source.type == "person" and source.name:
        return "person:" + match_key(source.name)
    return f"{source.type or 'unknown'}@{article_id}"


def report_voice(article: Article) -> str:
    """Who speaks when a sentence names no source: the outlet, else the report itself."""
    return article.outlet or f"report {article.id[:8]}"

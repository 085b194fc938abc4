"""One ``Event`` from a group of mentions: stable id, claims, date, places, actors and label."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from rasid.models import Article, Claim, Event, PlaceRef
from rasid.reconcile.claims import PRECISION_RANK, Retold, build_claims
from rasid.reconcile.contradictions import claim_key
from rasid.reconcile.figures import count_kind
from rasid.reconcile.mentions import View
from rasid.reconcile.options import tables
from rasid.reconcile.timeline import PRECISION_ORDER, label

ROLE_ORDER = {"origin": 0, "location": 1, "": 2, "destination": 3}
ACTOR_ROLE_ORDER = {"actor1": 0, "actor2": 1, "guarantor": 2, "mediator": 3, "supporter": 4}
FINER_THAN_COUNTRY = set(PRECISION_ORDER[:5])


@dataclass
class Built:
    """An event and the facts the timeline needs that ``Event`` does not hold."""

    event: Event
    batch: Optional[int]
    modality: str
    background: bool
    order: tuple  # canonical order of its earliest mention

    @property
    def facts(self) -> dict[str, Any]:
        return {"modality": self.modality, "background": self.background, "batch": self.batch}


def event_id(story_id: str, first: View) -> str:
    """A hash of the story id and the (article id, mention id) of the event's earliest mention."""
    raw = f"{story_id}|{first.article_id}|{first.mention_id}"
    return "event-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def build_event(story_id: str, views: Sequence[View], articles: dict[str, Article],
                framing: Callable[[str, int, int], list[str]], retold: Optional[Retold] = None) -> Built:
    """The event told by ``views`` (one group from rasid.reconcile.match, in canonical order)."""
    first = views[0]
    claims = build_claims(views, articles, framing, retold)
    batch = next((v.batch for v in views if v.batch is not None), None)
    said = [v.background for v in views if v.background is not None]
    background = bool(said) and all(said)
    kind = lead_type(views)
    event = Event(id=event_id(story_id, first), story_id=story_id, type=kind, subtype=_subtype(views, kind),
                  date=event_date(claims), places=_places(views), actors=_actors(views), claims=claims)
    modality = "asserted" if any(v.modality == "asserted" for v in views) else "planned"
    event.summary = label(event, batch, modality, background)
    return Built(event, batch, modality, background, first.order)


def lead_type(views: Sequence[View]) -> str:
    """The event's type: the one type of its mentions; for a family of types, its lead (an
    attack with its toll is an assault, or a killing when its dead are the news); else the most
    frequent, the earliest told on a tie (data: ``family_leads`` in reconcile.json)."""
    counts = Counter(v.type for v in views)
    if len(counts) == 1:
        return views[0].type
    for family, rule in tables()["family_leads"].items():
        if family.startswith("_") or not set(counts) <= set(tables()["report_families"].get(family, ())):
            continue
        toll = rule.get("toll")
        if toll and counts[toll] >= counts[rule["lead"]] and _dead_told(views, toll, rule):
            return toll
        if rule["lead"] in counts:
            return rule["lead"]
    told = {t: min((v.order[:2], v.trigger_at) for v in views if v.type == t) for t in counts}
    return min(counts, key=lambda t: (-counts[t], told[t]))


def _dead_told(views: Sequence[View], kind: str, rule: dict) -> bool:
    """Deaths are told: a mention of them (مقتل, قتلى), or a count of the killed."""
    return any(v.subtype == rule["toll_subtype"] or any(count_kind(f, v.type)[1] == rule["toll_class"] for f in v.counts)
               for v in views if v.type == kind)


def _subtype(views: Sequence[View], kind: str) -> str:
    """The most frequent subtype of the event's type, among the mentions told as done when there
    are any (an agreement is a تسوية or a هدنة, not the تسليم الأسلحة it provides for)."""
    told = [v for v in views if v.type == kind]
    done = [v for v in told if v.modality == "asserted"] or told
    counts = Counter(v.subtype for v in done)
    return min(counts, key=lambda s: (-counts[s], s))


def event_date(claims: Sequence[Claim]) -> Optional[dict[str, Any]]:
    """The finest date the claims give, backed by the most independent sources; the earliest on a tie."""
    dated = [c for c in claims if c.date and c.date.get("value")]
    if not dated:
        return None
    finest = min(PRECISION_RANK.get(c.date["precision"], 4) for c in dated)
    support: dict[str, set[str]] = {}
    for c in dated:
        if PRECISION_RANK.get(c.date["precision"], 4) == finest:
            support.setdefault(c.date["value"], set()).add(claim_key(c))
    value = min(support, key=lambda v: (-len(support[v]), v))
    chosen = next(c.date for c in dated
                  if c.date["value"] == value and PRECISION_RANK.get(c.date["precision"], 4) == finest)
    return dict(chosen, sources=len(support[value]))


def _places(views: Sequence[View]) -> list[PlaceRef]:
    """Every place of the mentions once per role, with how many mentions name it there.

    A country where the event also has a finer place (the border "مع الأردن" of a Daraa event)
    is left out: the finer place already says where it was."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for v in views:
        for p in v.places:
            key = (p.get("place_id") or p.get("name", ""), p.get("role", ""))
            merged.setdefault(key, dict(p, mentions=0))["mentions"] += 1
    places = list(merged.values())
    if any(p.get("precision") in FINER_THAN_COUNTRY for p in places if p.get("role") != "destination"):
        places = [p for p in places if p.get("precision") != "country" or p.get("role") == "destination"]
    places.sort(key=lambda p: (ROLE_ORDER.get(p.get("role", ""), 4), _rank(p), p.get("name", "")))
    return [PlaceRef.from_dict(p) for p in places]


def _rank(place: dict[str, Any]) -> int:
    precision = place.get("precision")
    return PRECISION_ORDER.index(precision) if precision in PRECISION_ORDER else len(PRECISION_ORDER)


def _actors(views: Sequence[View]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for v in views:
        for a in v.actors:
            key = (a.get("actor_id", ""), a.get("role", ""))
            merged.setdefault(key, dict(a, mentions=0))["mentions"] += 1
    return sorted(merged.values(), key=lambda a: (ACTOR_ROLE_ORDER.get(a.get("role", ""), 9), a.get("actor_id", "")))

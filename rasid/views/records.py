"""Stored event rows (merged events and per-article mentions) as one plain record shape.

The API, the web pages and every export format read events through ``event_record`` so a merged
event (with a claim per source) and a single article's mention look the same to them.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from rasid.models import EVENT_PLACE_KEYS
from rasid.store.base import EventRow

# Figures that count things, not people, or number a batch: never a count of people.
NOT_PEOPLE = {"buses", "bus", "batches", "batch", "vehicles", "convoys", "trucks"}
KILLED_TERMS = {"killed", "dead", "deaths", "fatalities"}
DISPLACED_TERMS = {"displaced", "evacuated", "displacement", "evacuation", "expelled", "fled", "deported"}


def event_record(row: EventRow, places: Optional[Callable[[str], Optional[dict]]] = None,
                 outlet_of: Optional[Callable[[str], str]] = None) -> dict[str, Any]:
    """One event row as the record every reader shares (see docs/api.md, "Events")."""
    data = row.data or {}
    merged = "claims" in data or not row.article_id
    claims = [dict(c) for c in data.get("claims") or []] if merged else mention_claims(row, data, outlet_of)
    contradictions = list(data.get("contradictions") or [])
    record = {
        "id": row.id,
        "kind": "event" if merged else "mention",
        "story_id": row.story_id,
        "article_id": row.article_id,
        "type": row.type,
        "subtype": row.subtype or "",
        "date": date_of(row, data),
        "places": [place_record(p, places) for p in data.get("places") or []],
        "actors": [dict(a) for a in data.get("actors") or []],
        "claims": claims,
        "contradictions": contradictions,
        "summary": data.get("summary") or data.get("text") or "",
        "outlets": sorted({c.get("outlet") for c in claims if c.get("outlet")}) or list(data.get("outlets") or []),
    }
    flags = disputed_fields(claims, contradictions)
    for claim, fields in zip(claims, flags):
        claim["disputed"] = sorted(fields)
    record["disputed"] = any(flags) or bool(contradictions)
    record["figures"] = figure_summary(claims)
    return record


def date_of(row: EventRow, data: dict[str, Any]) -> Optional[dict[str, Any]]:
    date = dict(data.get("date") or {})
    if not date and not row.date:
        return None
    date.setdefault("value", row.date)
    date.setdefault("precision", row.date_precision or "unknown")
    date.setdefault("text", "")
    return date


def mention_claims(row: EventRow, data: dict[str, Any], outlet_of: Optional[Callable[[str], str]]) -> list[dict]:
    """A mention has figures and sources, not claims: one claim per figure, said by its source."""
    sources = data.get("source_details") or []
    by_id = {s.get("id"): s for s in sources}
    outlet = outlet_of(row.article_id) if outlet_of and row.article_id else ""
    evidence = {"text": data.get("text", ""), "start": data.get("start"), "end": data.get("end")}
    figures = data.get("figure_details") or [None]
    claims = []
    for figure in figures:
        source = by_id.get((figure or {}).get("source_id")) or (sources[0] if sources else {})
        claims.append({
            "article_id": row.article_id, "outlet": outlet,
            "source": source.get("name") or outlet, "source_actor_id": source.get("actor_id", ""),
            "figure": figure, "date": data.get("date"), "evidence": evidence, "framing": [],
        })
    return claims


def place_record(place: dict[str, Any], lookup: Optional[Callable[[str], Optional[dict]]]) -> dict[str, Any]:
    """The event's place, with coordinates and admin units filled in from the gazetteer hits."""
    out = {key: place.get(key) for key in EVENT_PLACE_KEYS}
    missing = any(out[key] in (None, "") for key in ("lat", "lon", "admin1", "precision"))
    known = lookup(place["place_id"]) if lookup and missing and place.get("place_id") else None
    for key, value in (known or {}).items():
        if key in out and out[key] in (None, "") and key != "role":
            out[key] = value
    for key in ("name", "name_en", "role", "admin1", "admin2", "country", "feature"):
        out[key] = out[key] or ""
    out["precision"] = out["precision"] or "unknown"
    return out


def _norm_field(value: Any) -> str:
    text = str(value or "figure").lower()
    if text.startswith(("date", "day", "time")):
        return "date"
    return "figure"


def _member_matches(member: Any, index: int, claim: dict[str, Any]) -> bool:
    if isinstance(member, int):
        return member == index
    if isinstance(member, str):
        return member in (claim.get("source"), claim.get("source_actor_id"), claim.get("article_id"))
    if not isinstance(member, dict):
        return False
    if "claim" in member and isinstance(member["claim"], int):
        return member["claim"] == index
    names = set(member.get("sources") or []) | {member.get("source"), member.get("source_actor_id")}
    names.discard(None)
    same_source = bool(names & {claim.get("source"), claim.get("source_actor_id")})
    article = member.get("article_id")
    return same_source and (not article or article == claim.get("article_id"))


def contradiction_members(contradiction: dict[str, Any]) -> list[Any]:
    for key in ("claims", "sides", "values"):
        value = contradiction.get(key)
        if isinstance(value, list) and value:
            return value
    return []


def disputed_fields(claims: list[dict[str, Any]], contradictions: Iterable[dict[str, Any]]) -> list[set[str]]:
    """For each claim, the fields ("figure", "date") that a contradiction puts it on one side of.

    A contradiction lists its sides under ``claims``/``sides``/``values`` as claim indexes or
    dicts naming the source (and article); with no sides listed, every claim that has the field
    is disputed.
    """
    flags: list[set[str]] = [set() for _ in claims]
    for contradiction in contradictions:
        field = _norm_field(contradiction.get("field") or contradiction.get("kind"))
        members = contradiction_members(contradiction)
        for index, claim in enumerate(claims):
            if not claim.get(field):
                continue
            if not members or any(_member_matches(m, index, claim) for m in members):
                flags[index].add(field)
    return flags


def figure_value(claim: dict[str, Any]) -> Optional[float]:
    figure = claim.get("figure") or {}
    if figure.get("ordinal") is not None or (figure.get("unit") or "") in NOT_PEOPLE:
        return None
    value = figure.get("value")
    return float(value) if isinstance(value, (int, float)) else None


def figure_summary(claims: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per term (displaced, killed...): the most conservative value, the range and who said what."""
    out: dict[str, dict[str, Any]] = {}
    for claim in claims:
        value = figure_value(claim)
        if value is None:
            continue
        figure = claim["figure"]
        term = figure.get("term") or "count"
        entry = out.setdefault(term, {"min": value, "max": value, "unit": figure.get("unit") or "", "values": []})
        entry["min"], entry["max"] = min(entry["min"], value), max(entry["max"], value)
        entry["values"].append({"value": value, "qualifier": figure.get("qualifier") or "exact",
                                "unit": figure.get("unit") or "", "source": claim.get("source") or "",
                                "outlet": claim.get("outlet") or "", "text": figure.get("text") or ""})
    return out


def conservative(record: dict[str, Any], terms: set[str]) -> Optional[int]:
    """ACLED's rule: the lowest figure any source gives for these terms (None when none does)."""
    values = [entry["min"] for term, entry in record["figures"].items() if term in terms]
    return int(min(values)) if values else None


def primary_place(record: dict[str, Any]) -> Optional[dict[str, Any]]:
    """Where the event happened: the place with role location, else origin, else any with coordinates."""
    located = [p for p in record["places"] if p.get("lat") is not None and p.get("lon") is not None]
    for role in ("location", "", "origin", "destination"):
        for place in located:
            if place.get("role", "") == role:
                return place
    return record["places"][0] if record["places"] else None


def movement(record: dict[str, Any]) -> Optional[tuple[dict[str, Any], dict[str, Any]]]:
    """(origin, destination) when the event moves people between two located places."""
    def first(role: str) -> Optional[dict[str, Any]]:
        return next((p for p in record["places"] if p.get("role") == role and p.get("lat") is not None
                     and p.get("lon") is not None), None)
    origin, destination = first("origin"), first("destination")
    return (origin, destination) if origin and destination else None


def row_from_event(event: Any) -> EventRow:
    """A merged ``rasid.models.Event`` (as held by a Story) as the row the store would list."""
    data = event.to_dict()
    date = event.date or {}
    return EventRow(event.id, None, event.story_id, event.type, event.subtype, date.get("value"),
                    date.get("precision") or "unknown", data)

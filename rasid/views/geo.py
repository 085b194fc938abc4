"""GeoJSON (RFC 7946) features: a Point per located event, a LineString per movement."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from rasid.views.records import DISPLACED_TERMS, KILLED_TERMS, conservative, movement, primary_place


def _point(place: dict[str, Any]) -> list[float]:
    return [round(float(place["lon"]), 6), round(float(place["lat"]), 6)]


def marker_figure(record: dict[str, Any]) -> Optional[int]:
    """The figure a map sizes a marker by: displaced, else killed, else any count of people."""
    for terms in (DISPLACED_TERMS, KILLED_TERMS, set(record["figures"])):
        value = conservative(record, terms)
        if value is not None:
            return value
    return None


def properties(record: dict[str, Any], place: Optional[dict[str, Any]]) -> dict[str, Any]:
    date = record["date"] or {}
    place = place or {}
    return {
        "id": record["id"], "kind": record["kind"], "story_id": record["story_id"], "article_id": record["article_id"],
        "type": record["type"], "subtype": record["subtype"], "date": date.get("value"),
        "date_precision": date.get("precision") or "unknown", "place_id": place.get("place_id") or "",
        "place": place.get("name") or "", "place_en": place.get("name_en") or "", "admin1": place.get("admin1") or "",
        "admin2": place.get("admin2") or "", "geo_precision": place.get("precision") or "unknown",
        "figure": marker_figure(record), "displaced": conservative(record, DISPLACED_TERMS),
        "killed": conservative(record, KILLED_TERMS), "disputed": record["disputed"],
        "outlets": record["outlets"], "sources": list(dict.fromkeys(c.get("source") for c in record["claims"] if c.get("source"))),
        "n_claims": len(record["claims"]), "summary": record["summary"],
    }


def features(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    place = primary_place(record)
    if place and place.get("lat") is not None and place.get("lon") is not None:
        yield {"type": "Feature", "id": record["id"], "geometry": {"type": "Point", "coordinates": _point(place)},
               "properties": properties(record, place)}
    moved = movement(record)
    if moved:
        origin, destination = moved
        props = properties(record, origin)
        props.update(kind="movement", event_id=record["id"], origin=origin.get("name") or "",
                     destination=destination.get("name") or "")
        yield {"type": "Feature", "id": record["id"] + "#movement",
               "geometry": {"type": "LineString", "coordinates": [_point(origin), _point(destination)]},
               "properties": props}

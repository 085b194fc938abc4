"""Flat rows for the table formats: Rasid's own CSV, ACLED-like CSV and HXL-tagged CSV."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from rasid.views.context import RecordContext
from rasid.views.records import DISPLACED_TERMS, KILLED_TERMS, conservative, movement, primary_place

ACTOR1_ROLES = ("actor", "agent", "perpetrator", "initiator", "attacker", "")
ACTOR2_ROLES = ("target", "victim", "patient", "recipient", "displaced")


@lru_cache(maxsize=1)
def acled_map() -> dict[str, Any]:
    return json.loads(resources.files("rasid.data").joinpath("export").joinpath("acled_map.json").read_text("utf-8"))


def _join(values: list[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _number(value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def figures_text(record: dict[str, Any]) -> str:
    """"53 people displaced (exact) per المرصد السوري; 45 ..." for every figure of every claim."""
    parts = []
    for term, entry in record["figures"].items():
        for value in entry["values"]:
            who = value["source"] or value["outlet"]
            parts.append(f"{_number(value['value'])} {value['unit']} {term} ({value['qualifier']})"
                         + (f" per {who}" if who else ""))
    return "; ".join(" ".join(p.split()) for p in parts)


def claims_text(record: dict[str, Any]) -> str:
    parts = []
    for claim in record["claims"]:
        figure = claim.get("figure") or {}
        date = claim.get("date") or {}
        said = " ".join(x for x in (figure.get("text") or "", date.get("value") or "") if x)
        mark = " [disputed]" if claim.get("disputed") else ""
        parts.append(f"{claim.get('source') or claim.get('outlet') or '?'}: {said or '-'}{mark}")
    return " | ".join(parts)


def evidence_text(record: dict[str, Any]) -> str:
    texts = [(c.get("evidence") or {}).get("text") or "" for c in record["claims"]]
    return " | ".join(dict.fromkeys(t for t in texts if t))


def sources(record: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(c.get("source") for c in record["claims"] if c.get("source")))


def _place_fields(record: dict[str, Any]) -> dict[str, Any]:
    place = primary_place(record) or {}
    return {"place_id": place.get("place_id") or "", "place": place.get("name") or "",
            "place_en": place.get("name_en") or "", "admin1": place.get("admin1") or "",
            "admin2": place.get("admin2") or "", "country": place.get("country") or "",
            "latitude": place.get("lat") if place.get("lat") is not None else "",
            "longitude": place.get("lon") if place.get("lon") is not None else "",
            "geo_precision": place.get("precision") or "unknown"}


def _role_place(record: dict[str, Any], role: str) -> str:
    return _join([p.get("name") for p in record["places"] if p.get("role") == role])


# -- Rasid's own CSV
CSV_COLUMNS = [
    "event_id", "kind", "story_id", "article_ids", "type", "subtype", "date", "date_precision", "date_text",
    "place_id", "place", "place_en", "admin1", "admin2", "country", "latitude", "longitude", "geo_precision",
    "origin", "destination", "actors", "sources", "outlets", "urls", "n_claims", "displaced_min",
    "displaced_max", "killed_min", "killed_max", "figures", "disputed", "contradictions", "evidence", "summary",
]


def _range(record: dict[str, Any], terms: set[str], key: str) -> str:
    values = [entry[key] for term, entry in record["figures"].items() if term in terms]
    pick = min if key == "min" else max
    return _number(pick(values)) if values else ""


def csv_row(record: dict[str, Any], ctx: RecordContext) -> dict[str, Any]:
    date = record["date"] or {}
    article_ids = sorted({c.get("article_id") for c in record["claims"] if c.get("article_id")}
                         | ({record["article_id"]} if record["article_id"] else set()))
    return {
        "event_id": record["id"], "kind": record["kind"], "story_id": record["story_id"] or "",
        "article_ids": _join(article_ids), "type": record["type"], "subtype": record["subtype"],
        "date": date.get("value") or "", "date_precision": date.get("precision") or "unknown",
        "date_text": date.get("text") or "", **_place_fields(record),
        "origin": _role_place(record, "origin"), "destination": _role_place(record, "destination"),
        "actors": _join([a.get("name") or a.get("actor_id") for a in record["actors"]]),
        "sources": _join(sources(record)), "outlets": _join(record["outlets"]), "urls": _join(ctx.urls(record)),
        "n_claims": len(record["claims"]),
        "displaced_min": _range(record, DISPLACED_TERMS, "min"), "displaced_max": _range(record, DISPLACED_TERMS, "max"),
        "killed_min": _range(record, KILLED_TERMS, "min"), "killed_max": _range(record, KILLED_TERMS, "max"),
        "figures": figures_text(record), "disputed": "true" if record["disputed"] else "false",
        "contradictions": json.dumps(record["contradictions"], ensure_ascii=False) if record["contradictions"] else "",
        "evidence": evidence_text(record), "summary": record["summary"],
    }


# -- ACLED-like CSV (ACLED's column order, then Rasid's own columns)
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
]
RASID_COLUMNS = [
    "rasid_event_id", "rasid_story_id", "rasid_type", "rasid_subtype", "rasid_date_precision",
    "rasid_geo_precision", "rasid_displaced", "rasid_figures", "rasid_claims", "rasid_contradiction",
    "rasid_evidence", "rasid_articles", "rasid_urls",
]


def acled_types(event_type: str, subtype: str) -> list[str]:
    table = acled_map()["map"]
    return table.get(f"{event_type}/{subtype}") or table.get(event_type) or table["default"]


def _actor_name(actor: dict[str, Any]) -> str:
    return actor.get("name_en") or actor.get("name") or actor.get("actor_id") or ""


def acled_actors(record: dict[str, Any]) -> dict[str, Any]:
    """actor1/actor2 by role; every other actor is associated with actor1 (ACLED's convention)."""
    actors = record["actors"]
    first = next((a for a in actors if (a.get("role") or "") in ACTOR1_ROLES), None)
    second = next((a for a in actors if (a.get("role") or "") in ACTOR2_ROLES and a is not first), None)
    rest = [a for a in actors if a is not first and a is not second]
    inter = acled_map()["inter"]
    inter1 = inter.get((first or {}).get("type", ""), "") if first else ""
    inter2 = inter.get((second or {}).get("type", ""), "") if second else ""
    interaction = int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter1 and inter2 else (inter1 * 10 if inter1 else "")
    return {"actor1": _actor_name(first or {}), "assoc_actor_1": _join([_actor_name(a) for a in rest]),
            "inter1": inter1, "actor2": _actor_name(second or {}), "assoc_actor_2": "", "inter2": inter2,
            "interaction": interaction}


def event_id_cnty(record: dict[str, Any], country: str) -> str:
    iso3 = acled_map()["iso3"].get(country, "XXX")
    number = int(hashlib.sha1(record["id"].encode("utf-8")).hexdigest()[:10], 16) % 10**8
    return f"{iso3}{number:08d}"


def acled_notes(record: dict[str, Any]) -> str:
    date = (record["date"] or {}).get("value") or "unknown date"
    parts = [f"On {date}: {record['summary'] or record['type']}".strip()]
    figures = figures_text(record)
    if figures:
        parts.append(f"Figures: {figures}.")
    if record["disputed"]:
        parts.append("Sources disagree; the most conservative figure is used.")
    return " ".join(parts)


def acled_row(record: dict[str, Any], ctx: RecordContext) -> dict[str, Any]:
    table = acled_map()
    place = _place_fields(record)
    date = record["date"] or {}
    disorder, event_type, sub_event = acled_types(record["type"], record["subtype"])
    killed = conservative(record, KILLED_TERMS)
    country = place["country"]
    row = {
        "event_id_cnty": event_id_cnty(record, country), "event_date": date.get("value") or "",
        "year": (date.get("value") or "")[:4], "time_precision": table["time_precision"].get(date.get("precision") or "unknown", 3),
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_event, **acled_actors(record),
        "civilian_targeting": "Civilian targeting" if event_type == "Violence against civilians" else "",
        "iso": table["iso_numeric"].get(country, ""), "region": table["region"] if country in table["iso3"] else "",
        "country": table["country_name"].get(country, country), "admin1": place["admin1"], "admin2": place["admin2"],
        "admin3": "", "location": place["place_en"] or place["place"], "latitude": place["latitude"],
        "longitude": place["longitude"], "geo_precision": table["geo_precision"].get(place["geo_precision"], 3),
        "source": _join(record["outlets"] or sources(record)), "source_scale": "", "notes": acled_notes(record),
        "fatalities": killed or 0, "tags": "disputed figures" if record["disputed"] else "", "timestamp": "",
    }
    displaced = conservative(record, DISPLACED_TERMS)
    row.update({
        "rasid_event_id": record["id"], "rasid_story_id": record["story_id"] or "", "rasid_type": record["type"],
        "rasid_subtype": record["subtype"], "rasid_date_precision": date.get("precision") or "unknown",
        "rasid_geo_precision": place["geo_precision"], "rasid_displaced": "" if displaced is None else displaced,
        "rasid_figures": figures_text(record), "rasid_claims": claims_text(record),
        "rasid_contradiction": "true" if record["disputed"] else "false", "rasid_evidence": evidence_text(record),
        "rasid_articles": _join(sorted({c.get("article_id") for c in record["claims"] if c.get("article_id")})),
        "rasid_urls": _join(ctx.urls(record)),
    })
    return row


# -- HXL-tagged CSV: (header, hashtag); a row of hashtags follows the header row
HXL_COLUMNS = [
    ("Event ID", "#event+id"), ("Date", "#date"), ("Date precision", "#date+precision"),
    ("Country", "#country+code"), ("Governorate", "#adm1+name"), ("District", "#adm2+name"),
    ("Location", "#loc+name"), ("Latitude", "#geo+lat"), ("Longitude", "#geo+lon"),
    ("Location precision", "#geo+precision"), ("Event type", "#event+type"), ("Event subtype", "#event+type+sub"),
    ("Displaced", "#affected+displaced"), ("Killed", "#affected+killed"), ("Origin", "#loc+name+origin"),
    ("Destination", "#loc+name+destination"), ("Actors", "#group+name"), ("Sources", "#org+name"),
    ("Outlets", "#meta+source"), ("URL", "#meta+url"), ("Disputed", "#meta+disputed"), ("Story", "#meta+story"),
    ("Notes", "#description"),
]


def hxl_row(record: dict[str, Any], ctx: RecordContext) -> list[Any]:
    place = _place_fields(record)
    date = record["date"] or {}
    moved = movement(record)
    displaced, killed = conservative(record, DISPLACED_TERMS), conservative(record, KILLED_TERMS)
    return [
        record["id"], date.get("value") or "", date.get("precision") or "unknown", place["country"],
        place["admin1"], place["admin2"], place["place"], place["latitude"], place["longitude"],
        place["geo_precision"], record["type"], record["subtype"], "" if displaced is None else displaced,
        "" if killed is None else killed, moved[0].get("name") if moved else _role_place(record, "origin"),
        moved[1].get("name") if moved else _role_place(record, "destination"),
        _join([a.get("name") or a.get("actor_id") for a in record["actors"]]), _join(sources(record)),
        _join(record["outlets"]), _join(ctx.urls(record)), "true" if record["disputed"] else "false",
        record["story_id"] or "", acled_notes(record),
    ]

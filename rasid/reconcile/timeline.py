"""Short neutral Arabic labels of events ("خروج الدفعة الثانية من درعا البلد") and the story timeline."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from rasid.models import Event
from rasid.reconcile.mentions import date_interval
from rasid.reconcile.options import tables

PRECISION_ORDER = ("exact", "locality", "district", "governorate", "region", "country", "unknown")


def place_of(event: Event, roles: Sequence[str]) -> str:
    """The most specific place among the first of ``roles`` that has one."""
    for role in roles:
        places = [p for p in event.places if (p.role or "") == role and p.name]
        if places:
            return min(places, key=lambda p: _precision_index(p.precision)).name
    return ""


def _precision_index(precision: Optional[str]) -> int:
    return PRECISION_ORDER.index(precision) if precision in PRECISION_ORDER else len(PRECISION_ORDER)


def batch_words(batch: Optional[int]) -> str:
    word = tables()["ordinals"].get(str(batch)) if batch is not None else None
    return f"الدفعة {word}" if word else (f"الدفعة {batch}" if batch is not None else "")


def label(event: Event, batch: Optional[int] = None, modality: str = "asserted", background: bool = False) -> str:
    """The first template of the event's subtype whose slots ({batch}, {origin}, {place}...) can be filled."""
    t = tables()
    templates = t["labels"].get(event.subtype) or t["labels"].get(event.type) or t["labels"]["_default"]
    slots = {"batch": batch_words(batch), "origin": place_of(event, ("origin",)),
             "destination": place_of(event, ("destination",)), "place": place_of(event, ("location", "", "origin"))}
    text = next(tpl.format(**slots) for tpl in templates if all(slots[k] for k in _slots(tpl)))
    if modality == "planned":
        text = t["planned_label"].format(label=text)
    elif background:
        text = t["background_label"].format(label=text)
    return text


def _slots(template: str) -> list[str]:
    return [name for name in ("batch", "origin", "destination", "place") if "{" + name + "}" in template]


def timeline(events: Sequence[Event], facts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The events by date (the finer precision first on a tie), undated events last.

    ``facts`` gives per event id its "modality" and "background", which Event does not hold.
    """
    rows = [_row(e, facts.get(e.id, {})) for e in events]
    return [row for _, row in sorted(enumerate(rows), key=lambda ir: _sort_key(ir[1], ir[0]))]


def _row(event: Event, facts: dict[str, Any]) -> dict[str, Any]:
    date = event.date or {}
    return {"event_id": event.id, "date": date.get("value"), "precision": date.get("precision", "unknown"),
            "type": event.type, "subtype": event.subtype, "label": event.summary, "claims": len(event.claims),
            "modality": facts.get("modality", "asserted"), "background": bool(facts.get("background")),
            "disputed": bool(event.contradictions)}


def _sort_key(row: dict[str, Any], index: int) -> tuple:
    span = date_interval({"value": row["date"], "precision": row["precision"]})
    if span is None:
        return (1, "", 0, index)
    return (0, span[0].isoformat(), ("day", "week", "month", "year").index(row["precision"])
            if row["precision"] in ("day", "week", "month", "year") else 4, index)

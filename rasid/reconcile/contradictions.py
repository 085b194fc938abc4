"""Contradictions: figures and dates of one event that its sources give and cannot all be true.

Figures of the same thing (unit class and term class) disagree when the intervals their
qualifiers allow do not overlap (rasid.reconcile.figures): exact 53, 45 and 50 disagree;
"نحو 50" and 53 do not. Dates disagree when the days they may stand for do not overlap
(Tuesday against Wednesday; "July 2018" and "2018" agree). Claims are sorted by value and cut
into sides of mutually agreeing values; two sides or more make a contradiction.

Each contradiction says who is on each side, the most conservative figure (ACLED: the lowest),
the range, and a recommended value with the rule that chose it, tried in this order
(rasid/data/lexicons/source_credibility.json):

1. corroboration: the side backed by strictly the most independent sources;
2. credibility: the side whose best source has strictly the best tier (monitors and UN over
   independent media and witnesses over parties to the conflict);
3. conservative: the lowest figure (dates: none is recommended, "undecided").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Optional, Sequence

from rasid.models import Claim, Event
from rasid.reconcile.figures import agree, count_kind, is_count
from rasid.reconcile.mentions import date_interval, interval_gap
from rasid.reconcile.options import DEFAULT_OPTIONS, ReconcileOptions, credibility, tables

Entry = tuple[int, Claim]  # (index in event.claims, claim)


def find_contradictions(event: Event, opts: ReconcileOptions = DEFAULT_OPTIONS) -> list[dict[str, Any]]:
    return figure_contradictions(event, opts) + date_contradictions(event)


# ---- credibility ------------------------------------------------------------------------------


def tier(source: dict[str, Any]) -> int:
    """1 (monitors, UN), 2 (independent media, witnesses, the outlet) or 3 (parties to the conflict)."""
    table = credibility()
    if source.get("actor_id") in table["actors"]:
        return int(table["actors"][source["actor_id"]])
    return int(table["types"].get(source.get("type") or "", table["default"]))


def claim_tier(claim: Claim) -> int:
    """The best tier among the sources a claim cites together; the outlet's own voice otherwise."""
    sources = (claim.evidence or {}).get("sources") or [{"type": "outlet"}]
    return min(tier(s) for s in sources)


def claim_key(claim: Claim) -> str:
    """What counts as one independent source (a source quoted in several reports counts once)."""
    return (claim.evidence or {}).get("source_key") or claim.source_actor_id or claim.source


@lru_cache(maxsize=1)
def _rule_texts() -> dict[str, str]:
    return {r["id"]: r["text"] for r in credibility()["rules"]}


# ---- figures ----------------------------------------------------------------------------------


def figure_contradictions(event: Event, opts: ReconcileOptions = DEFAULT_OPTIONS) -> list[dict[str, Any]]:
    buckets: dict[tuple[str, str], list[Entry]] = {}
    for i, claim in enumerate(event.claims):
        # what a deal provides for or a source expects is no toll: only counts told as done disagree
        if is_count(claim.figure) and (claim.evidence or {}).get("modality", "asserted") == "asserted":
            buckets.setdefault(count_kind(claim.figure, event.type), []).append((i, claim))
    out = []
    for (unit, term), entries in sorted(buckets.items()):
        entries.sort(key=lambda e: (float(e[1].figure["value"]), e[0]))
        sides = _sides(entries, lambda a, b: agree(a.figure, b.figure, opts))
        if len(sides) > 1:
            out.append(_figure_record(event, unit, term, entries, sides))
    return out


def _sides(entries: Sequence[Entry], agrees: Callable[[Claim, Claim], bool]) -> list[list[Entry]]:
    """Sorted entries cut into runs whose members all agree with each other."""
    sides: list[list[Entry]] = []
    for entry in entries:
        if sides and all(agrees(entry[1], other[1]) for other in sides[-1]):
            sides[-1].append(entry)
        else:
            sides.append([entry])
    return sides


def _side(entries: Sequence[Entry], value: Any, **extra: Any) -> dict[str, Any]:
    claims = [c for _, c in entries]
    sources = list(dict.fromkeys(c.source for c in claims))
    return {"value": value, **extra, "sources": sources, "source": "، ".join(sources),
            "outlets": sorted({c.outlet for c in claims if c.outlet}),
            "article_ids": list(dict.fromkeys(c.article_id for c in claims)),
            "claims": [i for i, _ in entries], "support": len({claim_key(c) for c in claims}),
            "tier": min(claim_tier(c) for c in claims)}


def _figure_side(entries: Sequence[Entry]) -> dict[str, Any]:
    support: dict[float, set[str]] = {}
    for _, c in entries:
        support.setdefault(c.figure["value"], set()).add(claim_key(c))
    value = min(support, key=lambda v: (-len(support[v]), v))
    first = next(c.figure for _, c in entries if c.figure["value"] == value)
    return _side(entries, value, values=sorted(support), text=first.get("text", ""),
                 qualifier=first.get("qualifier", "exact"), unit=first.get("unit", ""))


def _figure_record(event: Event, unit: str, term: str, entries: Sequence[Entry],
                   sides: Sequence[Sequence[Entry]]) -> dict[str, Any]:
    side_dicts = [_figure_side(s) for s in sides]
    values = sorted({c.figure["value"] for _, c in entries})
    record = {"kind": "figure", "event_id": event.id, "unit": unit, "term": term, "values": values,
              "sides": side_dicts, "most_conservative": values[0], "range": [values[0], values[-1]],
              "recommended": recommend(side_dicts, "figure")}
    record["note"] = _note(record)
    return record


# ---- dates ------------------------------------------------------------------------------------


def date_contradictions(event: Event) -> list[dict[str, Any]]:
    """Reports that date one happening to days that cannot all be true. A lasting state (a
    siege, an agreement) is dated at several points by nature; and one report's own dates for a
    happening are its account of it over days, not a dispute: some two sides must be told by
    different sources."""
    if {event.type, f"{event.type}/{event.subtype}"} & set(tables()["lasting_types"]["types"]):
        return []
    entries = [(i, c) for i, c in enumerate(event.claims) if date_interval(c.date)]
    entries.sort(key=lambda e: (date_interval(e[1].date), e[0]))
    sides = _sides(entries, lambda a, b: interval_gap(date_interval(a.date), date_interval(b.date)) == 0)
    said = [{claim_key(c) for _, c in side} for side in sides]
    if len(sides) < 2 or not any(not (x & y) for k, x in enumerate(said) for y in said[k + 1:]):
        return []
    side_dicts = [_date_side(s) for s in sides]
    values = sorted({c.date["value"] for _, c in entries})
    record = {"kind": "date", "event_id": event.id, "values": values, "sides": side_dicts,
              "most_conservative": None, "range": [values[0], values[-1]],
              "recommended": recommend(side_dicts, "date")}
    record["note"] = _note(record)
    return [record]


def _date_side(entries: Sequence[Entry]) -> dict[str, Any]:
    finest = min(entries, key=lambda e: (_precision_rank(e[1].date), e[1].date["value"], e[0]))[1].date
    return _side(entries, finest["value"], precision=finest.get("precision", "unknown"),
                 text=finest.get("text", ""))


def _precision_rank(date: dict[str, Any]) -> int:
    return ("day", "week", "month", "year").index(date["precision"]) if date.get("precision") in (
        "day", "week", "month", "year") else 4


# ---- the recommended value --------------------------------------------------------------------


def recommend(sides: Sequence[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The value one side wins by the first rule that separates the sides."""
    for rule, measure in (("corroboration", lambda s: s["support"]), ("credibility", lambda s: -s["tier"])):
        best = max(measure(s) for s in sides)
        winners = [s for s in sides if measure(s) == best]
        if len(winners) == 1:
            return _recommended(winners[0]["value"], rule)
    if kind == "figure":
        return _recommended(min(s["value"] for s in sides), "conservative")
    return _recommended(None, "undecided")


def _recommended(value: Optional[Any], rule: str) -> dict[str, Any]:
    return {"value": value, "rule_id": rule, "rule": _rule_texts()[rule]}


def _note(record: dict[str, Any]) -> str:
    said = "; ".join(f"{s.get('text') or s['value']} ({s['source']})" for s in record["sides"])
    what = "figures" if record["kind"] == "figure" else "dates"
    rec = record["recommended"]
    chosen = f"recommended {rec['value']} by {rec['rule_id']}" if rec["value"] is not None else "no value recommended"
    low = f"; most conservative {record['most_conservative']}" if record["most_conservative"] is not None else ""
    return f"{len(record['sides'])} {what} that cannot all be true: {said}{low}; {chosen}."

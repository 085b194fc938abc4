"""Every figure reaches an event: the figures no trigger of their sentence took.

A count the event stage found but no event of its sentence took (its term fits none of them, or
the sentence has no trigger: «وأفاد المرصد بأن 12 شخصاً قتلوا») would never reach a claim. Each
such figure, in order:

1. joins an event of its own sentence whose type its term allows (or any, when its term says
   nothing about the type);
2. opens an event of the type its term names (killed -> killing, displaced -> displacement…,
   ``term_events`` in rasid/data/lexicons/event_triggers.json), one per type and sentence;
3. joins an event of its own sentence, whatever its type;
4. joins the nearest event before it in the report (the happening the text is telling), else
   the nearest after it.

A batch ordinal ("الدفعة الثانية") is not a count and stays with its event's batch. Reconcile
merges the events opened here with the other mentions of the same happening in the report.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from rasid.models import EventMention, Figure

__all__ = ["attach_orphans"]

Maker = Callable[[tuple[int, int], Figure, str, str], Optional[EventMention]]


def _fits(fig: Figure, kind: str, raw: dict) -> Optional[bool]:
    allowed = raw["figure_terms"].get(fig.term) or raw["figure_units"].get(fig.unit)
    return None if allowed is None else kind in allowed


def _span_of(fig: Figure, spans: Sequence[tuple[int, int]]) -> Optional[tuple[int, int]]:
    return next(((s, e) for s, e in spans if s <= fig.start < e), None)


def _nearest(events: Sequence[EventMention], at: int) -> Optional[EventMention]:
    before = [e for e in events if e.start <= at]
    if before:
        return max(before, key=lambda e: e.start)
    return min(events, key=lambda e: e.start) if events else None


def attach_orphans(events: list[EventMention], figures: Sequence[Figure], spans: Sequence[tuple[int, int]],
                   raw: dict, make: Maker) -> None:
    """Give each figure no event holds an event (in place; new events are inserted in text order)."""
    held = {i for e in events for i in e.figures}
    opened: dict[tuple[int, str], EventMention] = {}
    for i, fig in enumerate(figures):
        if i in held or fig.value is None or fig.ordinal is not None:
            continue
        span = _span_of(fig, spans)
        if span is None:
            continue
        event = _own_sentence(events, span, fig, raw) or _opened(events, opened, span, fig, raw, make)
        event = event or next((e for e in events if e.start == span[0]), None) or _nearest(events, fig.start)
        if event is not None:
            event.figures.append(i)
    events.sort(key=lambda e: e.start)


def _own_sentence(events: Sequence[EventMention], span: tuple[int, int], fig: Figure, raw: dict) -> Optional[EventMention]:
    same = [e for e in events if e.start == span[0]]
    return next((e for e in same if _fits(fig, e.type, raw) is True), None) or \
        next((e for e in same if _fits(fig, e.type, raw) is None and fig.term not in raw["term_events"]), None)


def _opened(events: list[EventMention], opened: dict, span: tuple[int, int], fig: Figure, raw: dict,
            make: Maker) -> Optional[EventMention]:
    typed = raw["term_events"].get(fig.term)
    if not typed:
        return None
    kind, subtype = typed
    key = (span[0], kind)
    if key not in opened:
        event = make(span, fig, kind, subtype)
        if event is None:
            return None
        opened[key] = event
        events.append(event)
    return opened[key]

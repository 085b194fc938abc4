"""Events: one EventMention per event type and sentence, typed on PLOVER with domain subtypes.

A trigger word (rasid/data/lexicons/event_triggers.json) opens an event; triggers of one type in one
sentence make one event. The event takes from its sentence the actors (with roles), the places
(with the roles the place stage gave them), the nearest date, the figures whose term fits its
type, the batch ordinal ("الدفعة الثانية") and the in-text sources. An event dated more than
``background_days`` before publication is background ("في تموز/يوليو 2018"): its date carries
``"background": True`` and its confidence drops by 0.2.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from typing import Any, Optional, Sequence

from rasid.arabic import lexicons
from rasid.arabic.normalize import match_key
from rasid.extract.event_gates import (background_cue, followed_by_other, gates, needs_company, negated_result,
                                       not_event_sentence, preceded_by_other, reference_cue, verb_on_noun)
from rasid.extract.event_orphans import attach_orphans
from rasid.extract.event_roles import actor_roles
from rasid.extract.lexmatch import PhraseIndex, Token, forms, simple_sentences, span_pairs, tokenize
from rasid.extract.sources import attribute_all
from rasid.models import ActorMention, DateMention, EventMention, Figure, PlaceMention, SourceMention

__all__ = ["find_events", "EVENT_TYPES", "triggers"]

GAP_WORDS = 4  # most words between the two parts of an "A … B" trigger
NEGATION_WINDOW = 4  # words before a trigger searched for a negation
BACKGROUND_PENALTY = 0.2
# «حيث», a semicolon, or two commas between a trigger and a later date: the date is another
# clause's. One comma often just sets the date off («تم إجلاء 50 من مقاتلي المعارضة، اليوم
# الخميس،»); a relative clause right after the trigger describes it («الثورة التي اندلعت منتصف آذار 2011»).
CLAUSE_BREAK = re.compile(r"[؛;]|(?<!\w)حيث(?!\w)")
COMMA = re.compile(r"[،,]")


@dataclass(frozen=True)
class Trigger:
    type: str
    subtype: str
    tail: tuple[str, ...] = ()  # keys of the second part of an "A … B" trigger
    weak: bool = False
    verb: bool = False  # a finite verb entry: never read on a word with the article


@dataclass
class Triggers:
    raw: dict
    index: PhraseIndex = field(default_factory=lambda: PhraseIndex(article=True, suffix=True))
    negation: frozenset = frozenset()
    batch_heads: frozenset = frozenset()
    ordinals: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    raw = lexicons.load_json("lexicons/event_triggers.json")
    lex = Triggers(raw)
    weak = {match_key(w) for w in raw["weak"]}
    verbs = {match_key(w) for w in raw["verbs"]}
    for kind, subtypes in raw["types"].items():
        for subtype, words in subtypes.items():
            for word in words:
                head, _, tail = (part.strip() for part in word.partition("…"))
                lex.index.add(head, Trigger(kind, subtype, tuple(match_key(tail).split()), match_key(word) in weak,
                                            match_key(word) in verbs))
    for phrase in raw["blocked"]:  # longer phrases that are no event: "دخول المساعدات"
        lex.index.add(phrase, None)
    lex.negation = frozenset(match_key(w) for w in raw["negation"])
    lex.batch_heads = frozenset(match_key(w) for w in raw["batch_heads"])
    lex.ordinals = {match_key(k): v for k, v in raw["ordinals"].items()}
    return lex


EVENT_TYPES = tuple(lexicons.load_json("lexicons/event_triggers.json")["types"])


@dataclass
class _Hit:
    trigger: Trigger
    start: int
    end: int
    first: int  # token index


@lru_cache(maxsize=200_000)
def _bare(key: str) -> frozenset:
    return frozenset(f for f, _ in forms(key, article=True, suffix=True))


def _tail_found(toks: Sequence[Token], after: int, tail: tuple[str, ...]) -> Optional[int]:
    """The end token of `tail` within GAP_WORDS words after token `after`, or None."""
    for k in range(after, min(after + GAP_WORDS + 1, len(toks) - len(tail) + 1)):
        if tail[0] in _bare(toks[k].key) and all(toks[k + n].key == tail[n] for n in range(1, len(tail))):
            return k + len(tail)
    return None


def _negated(toks: Sequence[Token], i: int, negation: frozenset) -> bool:
    return any(_bare(toks[k].key) & negation for k in range(max(0, i - NEGATION_WINDOW), i))


def _hits(text: str, toks: Sequence[Token], lex: Triggers) -> list[_Hit]:
    out = []
    g = gates()
    for m in lex.index.find(text, toks):
        trig: Optional[Trigger] = m.payload
        if trig is None or verb_on_noun(trig.verb, m.stripped):
            continue
        if needs_company(toks[m.first].key, toks, g) or negated_result(toks, m.first, g):
            continue
        end, after = m.end, m.last
        if trig.tail:
            stop = _tail_found(toks, m.last, trig.tail)
            if stop is None:
                continue
            end, after = toks[stop - 1].end, stop
        if followed_by_other(trig.type, toks, after, g) or preceded_by_other(trig.type, toks, m.first, g):
            continue
        if _negated(toks, m.first, lex.negation):
            continue
        out.append(_Hit(trig, m.start, end, m.first))
    return out


def _group(hits: list[_Hit]) -> list[list[_Hit]]:
    """Hits of one type together, in order of first appearance; strong hits first in a group."""
    groups: dict[str, list[_Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.trigger.type, []).append(hit)
    return [sorted(g, key=lambda h: h.trigger.weak) for g in groups.values()]


def _batch(text: str, toks: Sequence[Token], lex: "Triggers") -> Optional[int]:
    if not toks or ("دفع" not in text[toks[0].start:toks[-1].end] and "قافل" not in text[toks[0].start:toks[-1].end]):
        return None
    heads, ordinals = lex.batch_heads, lex.ordinals
    for k, tok in enumerate(toks):
        if _bare(tok.key) & heads:
            for other in (k + 1, k - 1):
                if 0 <= other < len(toks):
                    value = next((ordinals[f] for f in _bare(toks[other].key) if f in ordinals), None)
                    if value is not None:
                        return value
    return None


def _date_of(hit: _Hit, dates: Sequence[DateMention], published: Optional[str], raw: dict,
             text: str = "") -> Optional[dict]:
    """The nearest date of the sentence; one after the trigger past a clause break dates a
    later clause («وينص اتفاق التسوية … حيث يقيم 40 ألف شخص عانوا خلال الأسبوعين الماضيين»)."""
    dates = [d for d in dates if d.start < hit.end or not _other_clause(text, hit.end, d.start)]
    if not dates:
        return None
    best = min(dates, key=lambda d: (not d.resolved, abs(d.start - hit.start)))
    out: dict[str, Any] = {"value": best.value, "precision": best.precision, "text": best.text,
                           "background": _is_background(best, published, raw["background_days"])}
    return out


def _other_clause(text: str, start: int, end: int) -> bool:
    return bool(CLAUSE_BREAK.search(text, start, end)) or len(COMMA.findall(text, start, end)) >= 2


def _with_cue(date: Optional[dict], toks: Sequence[Token], hit: _Hit) -> Optional[dict]:
    """The date marked background when the trigger is told in the past perfect («كان قد»); no
    date at all when it is the object of a case or charge (the sentence's date is the trial's)."""
    reference = reference_cue(toks, hit.first, gates())
    if reference:
        return {"value": None, "precision": "unknown", "text": "", "background": True, "cue": reference}
    cue = background_cue(toks, hit.first, gates())
    if not cue:
        return date
    if date is None:
        return {"value": None, "precision": "unknown", "text": "", "background": True, "cue": cue}
    return dict(date, background=True, cue=cue)


def _is_background(d: DateMention, published: Optional[str], days: int) -> bool:
    if not d.value or not published:
        return False
    try:
        then, now = Date.fromisoformat(d.value[:10]), Date.fromisoformat(published[:10])
    except ValueError:
        return False
    return (now - then).days > days


def _fits(fig: Figure, kind: str, raw: dict) -> Optional[bool]:
    """True/False when the figure's term or unit says which event types it belongs to."""
    allowed = raw["figure_terms"].get(fig.term) or raw["figure_units"].get(fig.unit)
    return None if allowed is None else kind in allowed


def _assign_figures(events: list[tuple[EventMention, _Hit]], figs: list[tuple[int, Figure]], raw: dict) -> None:
    for index, fig in figs:
        if fig.value is None:
            continue
        fitting = [(e, h) for e, h in events if _fits(fig, e.type, raw)]
        unknown = all(_fits(fig, e.type, raw) is None for e, _ in events)
        pool = fitting or (events if unknown else [])
        if pool:
            event, _ = min(pool, key=lambda eh: abs(eh[1].start - fig.start))
            event.figures.append(index)


def _place_dict(p: PlaceMention) -> dict:
    return {"place_id": p.place_id, "name": p.name, "role": p.role or "location", "admin1": p.admin1,
            "precision": p.precision, "text": p.text}


def _places(places: Sequence[PlaceMention]) -> list[dict]:
    out, seen = [], set()
    for p in places:
        key = (p.place_id or p.name, p.role)
        if key not in seen:
            seen.add(key)
            out.append(_place_dict(p))
    return out


@dataclass
class _Sentence:
    start: int
    end: int
    toks: list

    def has(self, m) -> bool:
        return self.start <= m.start < self.end


def _confidence(group: list[_Hit], event: EventMention, raw: dict) -> float:
    base = raw["weak_confidence"] if all(h.trigger.weak for h in group) else raw["confidence"]
    if event.figures or event.places:
        base += 0.1
    if event.date and event.date.get("background"):
        base -= BACKGROUND_PENALTY
    return round(max(0.05, min(1.0, base)), 2)


def _sentence_events(text: str, s: _Sentence, ctx: dict, lex: Triggers) -> list[EventMention]:
    actors = [a for a in ctx["actors"] if s.has(a)]
    # a trigger inside an actor's name is no event: "المسلحين الرافضين للتسوية"
    hits = [h for h in _hits(text, s.toks, lex) if not any(a.start <= h.start < a.end for a in actors)]
    if not hits or not_event_sentence(text, s.start, s.end, gates()):
        return []
    raw = lex.raw
    figs = [(i, f) for i, f in enumerate(ctx["figures"]) if s.has(f)]
    dates = [d for d in ctx["dates"] if s.has(d)]
    places = [p for p in ctx["places"] if s.has(p)]
    sources = [x for x in ctx["sources"] if s.has(x)]
    batch = next((f.ordinal for _, f in figs if f.ordinal), None) or _batch(text, s.toks, lex)
    pairs = []
    for group in _group(hits):
        lead = group[0]
        event = EventMention(
            text=text[s.start:s.end], start=s.start, end=s.end, type=lead.trigger.type,
            subtype=lead.trigger.subtype, trigger=" / ".join(dict.fromkeys(text[h.start:h.end] for h in group)),
            actors=actor_roles(text, s.toks, actors, sources, places, lead, raw),
            places=_places(places), date=_with_cue(_date_of(lead, dates, ctx["published"], raw, text), s.toks, lead),
            sources=attribute_all((s.start, s.end), ctx["sources"]),
            batch=batch if lead.trigger.type == "displacement" else None)
        pairs.append((event, lead))
    _assign_figures(pairs, figs, raw)
    for (event, _), group in zip(pairs, _group(hits)):
        event.confidence = _confidence(group, event, raw)
    return [e for e, _ in pairs]


def _figure_event(text: str, span: tuple[int, int], fig: Figure, kind: str, subtype: str, ctx: dict,
                  lex: Triggers) -> EventMention:
    """An event opened by a figure whose term names it (12 killed -> killing), in the figure's sentence."""
    start, end = span
    inside = _Sentence(start, end, [])
    hit = _Hit(Trigger(kind, subtype, (), True), fig.start, fig.end, 0)
    event = EventMention(
        text=text[start:end], start=start, end=end, type=kind, subtype=subtype, trigger=fig.text,
        places=_places([p for p in ctx["places"] if inside.has(p)]),
        date=_date_of(hit, [d for d in ctx["dates"] if inside.has(d)], ctx["published"], lex.raw, text),
        sources=attribute_all(span, ctx["sources"]))
    event.confidence = lex.raw["weak_confidence"]
    return event


def find_events(text: str, spans: Optional[Sequence] = None, figures: Sequence[Figure] = (),
                dates: Sequence[DateMention] = (), places: Sequence[PlaceMention] = (),
                actors: Sequence[ActorMention] = (), sources: Sequence[SourceMention] = (),
                published: Optional[str] = None) -> list[EventMention]:
    """Event mentions of `text`, sentence by sentence (`spans`, or a simple split when None).

    `figures` are referenced by index in EventMention.figures, `sources` by id; `published`
    (ISO date) lets events dated long before it be marked as background.
    """
    lex = triggers()
    pairs = span_pairs(spans) or simple_sentences(text)
    ctx = {"figures": list(figures), "dates": list(dates), "places": list(places),
           "actors": list(actors), "sources": list(sources), "published": published}
    events: list[EventMention] = []
    for (start, end), toks in zip(pairs, tokenize(text, pairs)):
        events.extend(_sentence_events(text, _Sentence(start, end, toks), ctx, lex))
    attach_orphans(events, ctx["figures"], pairs, lex.raw, lambda span, fig, kind, sub: _figure_event(text, span, fig, kind, sub, ctx, lex))
    for number, event in enumerate(events, 1):
        event.id = f"e{number}"
    return events

"""The roles of the actors of an event: actor1 (agent), actor2 (target or affected), guarantor,
mediator and supporter, read from cue words next to each actor in the event's sentence.

    "هدنة برعاية روسية"              -> Russia: guarantor
    "بوساطة روسية"                   -> Russia: mediator
    "بدعم روسي" / "بمساعدة فصائل"    -> supporter
    "بين قوات النظام والمقاتلين"     -> actor1, actor2
    "من جانب وحدات ..." / "فرضته قوات النظام" -> actor1
    "على المعارضة" / "ضد المتظاهرين" -> actor2
Otherwise the subject after the trigger is actor1 ("فرضته قوات النظام"), and those an event
befalls (affected_types per event type: fighters leaving in a displacement, civilians in a
killing) are actor2.
"""
from __future__ import annotations

from typing import Any, Sequence

from rasid.arabic.normalize import match_key
from rasid.extract.lexmatch import Token, forms
from rasid.models import ActorMention, PlaceMention, SourceMention



_CUE_SETS: dict[int, dict[str, frozenset]] = {}


def _cue_sets(raw: dict) -> dict[str, frozenset]:
    if id(raw) not in _CUE_SETS:
        _CUE_SETS[id(raw)] = {name: frozenset(match_key(w) for w in raw[name]) for name in
                              ("guarantor_cues", "mediator_cues", "supporter_cues", "agent_cues", "target_cues")}
    return _CUE_SETS[id(raw)]


def _bare(key: str) -> set[str]:
    return {f for f, _ in forms(key, article=True, suffix=False)} | {key}


def _has(toks: Sequence[Token], lo: int, hi: int, cues: frozenset) -> bool:
    return any(_bare(toks[k].key) & cues for k in range(max(0, lo), min(hi, len(toks))))


def _cue_role(toks: Sequence[Token], k: int, end: int, cues: dict[str, frozenset]) -> str:
    """The role the words around the actor at tokens k..end give it, or ""."""
    if _has(toks, k - 2, k, cues["guarantor_cues"]) or _has(toks, end, end + 3, frozenset({"الضامن"})):
        return "guarantor"
    if _has(toks, k - 2, k, cues["mediator_cues"]):
        return "mediator"
    if _has(toks, k - 3, k, cues["supporter_cues"]):
        return "supporter"
    if _has(toks, k - 1, k, cues["agent_cues"]):
        return "actor1"
    if _has(toks, k - 1, k, cues["target_cues"]):
        return "actor2"
    if k > 0 and toks[k - 1].key == "بين":
        return "actor1"
    return ""


def _excluded(a: ActorMention, sources: Sequence[SourceMention], places: Sequence[PlaceMention]) -> bool:
    """Actors that are the sentence's sources, and states named only as places ("الحدود مع الأردن")."""
    if any(s.start <= a.start < s.end for s in sources):
        return True
    return a.type == "government" and any(p.start <= a.start < p.end for p in places)


def _token_range(toks: Sequence[Token], a: ActorMention) -> tuple[int, int]:
    k = next((i for i, t in enumerate(toks) if t.start >= a.start), len(toks))
    end = k
    while end < len(toks) and toks[end].end <= a.end:
        end += 1
    return k, end


def actor_roles(text: str, toks: Sequence[Token], actors: Sequence[ActorMention],
                sources: Sequence[SourceMention], places: Sequence[PlaceMention], lead: Any,
                raw: dict) -> list[dict[str, str]]:
    """[{"actor_id", "name", "type", "role"}] for the actors of one event's sentence."""
    if not toks:
        return []
    kind = lead.trigger.type
    kept = [a for a in actors if not _excluded(a, sources, places)]
    ranges = [_token_range(toks, a) for a in kept]
    affected = set(raw["affected_types"].get(kind, ()))
    roles = _cue_roles(toks, ranges, _cue_sets(raw))
    _subject_after(toks, kept, ranges, roles, lead, affected)
    _coordinated(kept, ranges, roles)
    _defaults(kept, roles, affected)
    # an actor named twice keeps the role of its mention nearest the trigger
    order = sorted(range(len(kept)), key=lambda n: abs(kept[n].start - lead.start))
    seen: dict[str, str] = {}
    for n in order:
        seen.setdefault(kept[n].actor_id, roles[n])
    out, done = [], set()
    for a in kept:
        if a.actor_id not in done:
            done.add(a.actor_id)
            out.append({"actor_id": a.actor_id, "name": a.name, "type": a.type, "role": seen[a.actor_id]})
    return out


def _cue_roles(toks: Sequence[Token], ranges: list[tuple[int, int]], cues: dict) -> list[str]:
    roles = [_cue_role(toks, k, end, cues) if k < len(toks) else "" for k, end in ranges]
    for n, (k, _) in enumerate(ranges):  # "بين X و Y": the second of the pair is actor2
        if 0 < k < len(toks) and toks[k - 1].key == "بين" and n + 1 < len(ranges) and roles[n + 1] == "":
            roles[n + 1] = "actor2"
    return roles


def _subject_after(toks: Sequence[Token], actors, ranges, roles: list[str], lead: Any, affected: set) -> None:
    """Arabic puts the subject after the verb: "فرضته قوات النظام", "اختطفهم التنظيم"; in a
    displacement the fighters named there are those who leave ("لمغادرة مسلحي المعارضة")."""
    after = next((i for i, t in enumerate(toks) if t.start >= lead.end), len(toks))
    for n, (k, _) in enumerate(ranges):
        if roles[n] == "" and after <= k <= after + 1:
            roles[n] = "actor2" if actors[n].type in affected else "actor1"
            return


def _coordinated(actors: Sequence[ActorMention], ranges, roles: list[str]) -> None:
    """"قوات النظام وميليشيات إيران": an actor joined by و to the one before shares its role."""
    for n in range(1, len(actors)):
        if roles[n] == "" and roles[n - 1] and actors[n].text.startswith("و") and ranges[n][0] == ranges[n - 1][1]:
            roles[n] = roles[n - 1]


def _defaults(actors: Sequence[ActorMention], roles: list[str], affected: set) -> None:
    """Those an event befalls (per event type, e.g. civilians in a killing) are actor2; the
    first other actor is actor1, the later ones actor2."""
    for n, a in enumerate(actors):
        if roles[n]:
            continue
        earlier = next((roles[m] for m in range(n) if actors[m].actor_id == a.actor_id and roles[m]), "")
        if earlier:
            roles[n] = earlier
        elif a.type in affected:
            roles[n] = "actor2"
        else:
            roles[n] = "actor2" if "actor1" in roles else "actor1"

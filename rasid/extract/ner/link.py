"""Link the names NER finds to the actors and places the lexicons know; keep the rest unlinked.

An entity that overlaps an actor mention (actors.tsv) gets its `actor_id`; one that overlaps a
place mention gets its `place_id`. A LOC entity the place extractor did not report (a stoplisted
or out-of-focus name) is looked up in the gazetteer by its own text. Entities that match nothing
keep empty ids: they are new names, never dropped.
"""
from __future__ import annotations

from typing import Optional, Sequence

from rasid.models import ActorMention, EntityMention, PlaceMention


def _overlapping(entity: EntityMention, mentions: Sequence) -> Optional[object]:
    """The mention sharing the most characters with `entity`, if any."""
    best, most = None, 0
    for m in mentions:
        shared = min(entity.end, m.end) - max(entity.start, m.start)
        if shared > most:
            best, most = m, shared
    return best


def _gazetteer_id(name: str) -> str:
    """The gazetteer's best candidate for a name: curated before Who's On First before GeoNames,
    then the most populous; "" when the name is unknown."""
    from rasid.extract.gazetteer import lookup

    places = lookup(name)
    if not places:
        return ""
    return min(places, key=lambda p: (p.rank, -p.population)).id


def link_entities(entities: Sequence[EntityMention], places: Sequence[PlaceMention],
                  actors: Sequence[ActorMention]) -> list[EntityMention]:
    """Set `actor_id` / `place_id` on the entities in place and return them, all of them."""
    for entity in entities:
        actor = _overlapping(entity, actors)
        if actor is not None:
            entity.actor_id = actor.actor_id
        place = _overlapping(entity, places)
        if place is not None:
            entity.place_id = place.place_id
        elif entity.label == "LOC" and actor is None:
            entity.place_id = _gazetteer_id(entity.text)
    return list(entities)

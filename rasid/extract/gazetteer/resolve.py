"""Choose one gazetteer candidate per place mention: cue, focus country, neighbours, prominence."""
from __future__ import annotations

import math
from collections import Counter
from typing import Optional, Protocol, Sequence

from rasid.extract.gazetteer import Place
from rasid.extract.gazetteer.admin import km

# Score weights; see docs/gazetteer.md, "Disambiguation".
FOCUS = 2.0  # the candidate lies in the article's focus country (Near East)
FOCUS_ELSEWHERE = 0.8  # ... a focus far away: "باريس" in a US story is still Paris, France
NEAR_EAST = frozenset("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE TR IL IR".split())
CAPITAL = 0.5
NEIGHBOUR = 2.5  # ... near the other places of its sentence (1 at the same governorate, 0 at 150 km)
ARTICLE = 0.8  # ... near the other places of the article
CUE_MATCH = 3.0  # "محافظة X" -> a governorate, "حي X" -> a quarter ...
CURATED = 0.6
NEAR_KM = 150.0
FEATURE_PRIOR = {"country": 1.5, "locality": 0.5, "governorate": -0.5, "district": -0.8}
POPULATION = 2.5  # weight of prominence: log10(population) / 7, so a city of 10 million adds 2.5
CUE_FEATURES = {
    "governorate": {"governorate"},
    "locality": {"locality"},
    "quarter": {"quarter", "camp"},
    "camp": {"camp", "quarter", "locality"},
    "countryside": {"governorate", "locality"},
}
SURE = 1.0  # a pass-1 choice this far ahead of the runner-up anchors the others
ANCHOR_PRECISIONS = {"exact", "locality", "district", "governorate"}


class Candidates(Protocol):
    candidates: list[Place]
    cue: str
    sentence: int
    place: Optional[Place]
    score_margin: float


def prominence(place: Place) -> float:
    """0..1 from population (log scale), with a floor for admin units and curated places."""
    base = math.log10(place.population + 1) / 7.0
    if place.feature in ("country", "governorate") or place.rank == 0:
        base = max(base, 0.5)
    return min(base, 1.0)


def focus_country(mentions: Sequence[Candidates]) -> Optional[str]:
    """The most frequent country among mentions whose candidates all lie in one country; a
    mention of a hamlet without a cue weighs little (a governorate, which carries no population,
    weighs fully), a country name only breaks ties."""
    votes: Counter[str] = Counter()
    for m in mentions:
        countries = {p.country for p in m.candidates}
        if len(countries) != 1:
            continue
        (cc,) = countries
        if all(p.feature == "country" for p in m.candidates):
            votes[cc] += 0.5
        elif m.cue or any(p.rank == 0 or p.population >= 1000 or p.feature == "governorate" for p in m.candidates):
            votes[cc] += 1.0
        else:
            votes[cc] += 0.25
    top = votes.most_common(1)
    return top[0][0] if top else None


def _prior(place: Place, cue: str, focus: Optional[str]) -> float:
    score = FEATURE_PRIOR.get(place.feature, 0.0) + POPULATION * prominence(place)
    if place.rank == 0:
        score += CURATED
    if focus and place.country == focus:
        score += FOCUS if focus in NEAR_EAST else FOCUS_ELSEWHERE
    if place.capital:
        score += CAPITAL
    if cue in CUE_FEATURES and place.feature in CUE_FEATURES[cue]:
        score += CUE_MATCH
    if cue == "governorate" and place.feature == "governorate":
        score += CUE_MATCH
    if cue == "countryside" and place.feature == "governorate":
        score += 1.0  # "ريف درعا" is the governorate's countryside, not the city's
    return score


def _closeness(place: Place, anchors: list[Place]) -> float:
    best = 0.0
    for a in anchors:
        if a.admin1 and a.admin1 == place.admin1:
            return 1.0
        if None in (a.lat, place.lat):
            continue
        best = max(best, 1.0 - km(a.lat, a.lon, place.lat, place.lon) / NEAR_KM)
    return best


def _anchor(place: Optional[Place]) -> bool:
    return place is not None and place.precision in ANCHOR_PRECISIONS


def _pick(m: Candidates, focus: Optional[str], near: list[Place], article: list[Place]) -> None:
    scored = []
    for p in m.candidates:
        score = _prior(p, m.cue, focus)
        if near:
            score += NEIGHBOUR * _closeness(p, near)
        if article:
            score += ARTICLE * _closeness(p, article)
        scored.append((score, -p.rank, p))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    m.place = scored[0][2]
    m.score_margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 9.0


def resolve(mentions: Sequence[Candidates], focus: Optional[str] = None) -> Optional[str]:
    """Set `place` on every mention; return the focus country used.

    Pass 1 scores each candidate alone; pass 2 adds closeness to the pass-1 places of the other
    mentions in the same sentence and in the article, so "الشجرة وعابدين ومعرية" settles on the
    Daraa الشجرة that lies next to عابدين and معرية.
    """
    focus = focus or focus_country(mentions)
    for m in mentions:
        _pick(m, focus, [], [])
    first = [m.place if m.score_margin >= SURE else None for m in mentions]
    for n, m in enumerate(mentions):
        if len(m.candidates) < 2:
            continue
        others = [(o.sentence, first[k]) for k, o in enumerate(mentions) if k != n and _anchor(first[k])]
        others = [(s, p) for s, p in others if p.name != m.place.name or p.country != m.place.country]
        near = list({p.id: p for s, p in others if s == m.sentence}.values())
        article = list({p.id: p for s, p in others if s != m.sentence}.values())
        _pick(m, focus, near, article)
    return focus

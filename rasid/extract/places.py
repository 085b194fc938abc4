"""Place names in Arabic news text: gazetteer matches, context cues, disambiguation and movement roles.

    >>> [p.name for p in find_places("خروج المقاتلين من درعا البلد إلى الشمال السوري")]
    ['درعا البلد', 'الشمال السوري']
"""
from __future__ import annotations

from collections import Counter
from typing import Optional
from weakref import WeakKeyDictionary

from rasid.extract import place_context as ctx
from rasid.extract import place_phrases as phrases
from rasid.extract.figure_places import dateline_end
from rasid.extract.gazetteer import Gazetteer, Place, load_gazetteer
from rasid.extract.gazetteer.keys import key_of, loose_token
from rasid.extract.gazetteer.resolve import prominence, resolve
from rasid.extract.place_tokens import Hit, Tokens, bounds, sentences, skip_letters, tokenize
from rasid.models import PlaceMention

MAX_TOKENS = 5
LOOSE_MIN_POPULATION = 20_000  # a one-word loose reading must name a town this big (or a curated place)
SMALL = 1000  # people: below this a place is a hamlet (WOF villages have no population: 0)
STRAY_TOWN = 100_000  # people: a foreign town below this needs its country named elsewhere in the report
SIDES_EN = {"الغربي": "west", "الشرقي": "east", "الشمالي": "north", "الجنوبي": "south", "الاوسط": "centre"}
DIRECTIONS_EN = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west", "وسط": "centre"}


def find_places(text: str, spans: list[tuple[int, int]] | None = None,
                focus_country: str | None = None) -> list[PlaceMention]:
    """Places named in `text` (within `spans`, the sentences, when given), resolved and with roles.

    Offsets are into `text`; a clitic prefix (و ب ل ك ف) is left out of the span.
    """
    gaz, cues = load_gazetteer(), ctx.load_cues()
    toks = tokenize(text, spans if spans is not None else sentences(text))
    hits = [h for h in match(toks, gaz, cues) if not _is_person(h, toks, cues)]
    for h in hits:
        phrases.countryside(h, toks, cues)
    focus = resolve(hits, focus_country)
    hits = _keep_places(hits, toks, cues, focus)
    extra = phrases.the_country(toks, gaz, cues, focus) + phrases.governorate_countryside(toks, hits, gaz, cues)
    hits = phrases.merge(hits, extra)
    for h in hits:
        phrases.direction(h, toks, cues)
    assign_roles(hits, toks, cues)
    return [to_mention(text, h) for h in hits]


# ---- matches ----------------------------------------------------------------------------------


def _lookups(gaz: Gazetteer, toks: Tokens, i: int, stem: str, loose: bool) -> list[tuple[int, str]]:
    """(token count, key) of every gazetteer name starting at token i with this first-token reading."""
    table = gaz.loose if loose else gaz.names
    key = loose_token(stem) if loose else stem
    found, j = [], i
    while True:
        if key in table:
            found.append((j - i + 1, key))
        if j - i + 1 == MAX_TOKENS or not toks.joinable[j] or key not in gaz.prefixes:
            return found
        j += 1
        nxt = toks.keys[j]
        key = f"{key} {loose_token(nxt) if loose else nxt}"


_ONE_TOKEN: "WeakKeyDictionary[Gazetteer, dict]" = WeakKeyDictionary()  # gazetteer -> token key -> options


def _options(gaz: Gazetteer, toks: Tokens, i: int) -> list[tuple]:
    """Every reading of a name at token i, best first (cached for a token that opens no longer name:
    its readings then depend on the token alone). The cached lists are shared: never mutate them."""
    cache = _ONE_TOKEN.get(gaz)
    if cache is None:
        cache = _ONE_TOKEN[gaz] = {}
    key = toks.keys[i]
    found = cache.get(key, False)
    if found is False:
        if len(cache) >= 300_000:
            cache.clear()
        found = cache[key] = _token_options(gaz, toks, i) if _one_token(gaz, key) else None
    return found if found is not None else _token_options(gaz, toks, i)


def _one_token(gaz: Gazetteer, key: str) -> bool:
    """No reading of this token opens a name of two or more tokens."""
    return not any(stem in gaz.prefixes or loose_token(stem) in gaz.prefixes for stem, _ in ctx.variants(key))


def _token_options(gaz: Gazetteer, toks: Tokens, i: int) -> list[tuple]:
    """Every reading of a name at token i, best first: longer, exact, more prominent, fewer clitics."""
    options = []
    for stem, stripped in ctx.variants(toks.keys[i]):
        opens = gaz.opens(stem)
        for loose in (False, True):
            if not opens[loose]:
                continue
            found = _lookups(gaz, toks, i, stem, loose)
            for n, key in found:
                places = gaz.candidates(key, loose)
                if loose:
                    places = _loose_ok(places, stem, n)
                if not places:
                    continue
                best = max(prominence(p) for p in places)
                options.append((n, not loose, best, -stripped, key, places, toks.keys[i][:stripped]))
            if found:
                break
    options.sort(key=lambda o: o[:4], reverse=True)
    return options


def _final_fold(key: str) -> str:
    return key[:-1] + "ا" if key[-1:] in "هاي" else key


def _loose_ok(places: list[Place], stem: str, tokens: int) -> list[Place]:
    """Loose readings never make a country ("روسية" is an adjective); a one-word loose reading
    may differ from the name only in its last letter ("اوفانيه" for "أوفانيا")."""
    places = [p for p in places if p.feature != "country"]
    if tokens > 1:
        return places
    return [p for p in places if _final_fold(key_of(p.name)) == _final_fold(stem)
            and (p.rank == 0 or p.population >= LOOSE_MIN_POPULATION)]


def match(toks: Tokens, gaz: Gazetteer, cues: ctx.Cues) -> list[Hit]:
    """Longest gazetteer matches, left to right, without stoplisted words that lack a cue."""
    stop, common, hits, i = ctx.load_stoplist(), ctx.load_common_words(), [], 0
    opens = gaz.opens_any
    while i < len(toks.keys):
        if not opens(toks.keys[i]):
            i += 1
            continue
        hit = _best_at(gaz, toks, i, cues, (stop, common), hits[-1] if hits else None)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit.last + 1
    return hits


def _best_at(gaz, toks, i, cues, stoplists, previous: Optional[Hit]) -> Optional[Hit]:
    stop, common = stoplists
    for n, exact, _, neg_stripped, key, places, prefix in _options(gaz, toks, i):
        cue = _cue(toks, i, prefix, cues, previous)
        vouched = _vouched(_cue(toks, i, prefix, cues, None), places) \
            or _after_direction(toks, i, cues, places)  # a cue of its own, not a list's
        if key in stop and not vouched:
            continue
        if key in common and not vouched and not _listed(toks, i, prefix, previous, places):
            continue
        if not cue and n == 1 and len(key) < 3:
            continue
        start = skip_letters(toks, i, -neg_stripped)
        return Hit(first=i, last=i + n - 1, start=start, end=toks.ends[i + n - 1], candidates=places,
                   loose=not exact, prefix=prefix, sentence=toks.sentence[i], cue=cue)
    return None


def _vouched(cue: str, places: list[Place]) -> bool:
    """A place noun before a name that can be one of its candidates: "مدينة السلمية"."""
    if cue not in ctx.SPECIFIC_CUES:
        return False
    wanted = {"governorate": ("governorate",), "locality": ("locality",), "quarter": ("quarter", "camp"),
              "camp": ("camp", "quarter", "locality"), "countryside": ("locality", "governorate")}[cue]
    return any(p.feature in wanted for p in places)


def _after_direction(toks: Tokens, i: int, cues: ctx.Cues, places: list[Place]) -> bool:
    """"بوسط مالي", "شمال مالي": a direction word before a country's name makes it the country
    even where the name is also a word (مالي "financial")."""
    if i == 0 or not toks.joinable[i - 1] or not any(p.feature == "country" for p in places):
        return False
    return cues.has("direction", ctx.bare(toks.keys[i - 1]))


def _listed(toks: Tokens, i: int, prefix: str, previous: Optional[Hit], places: list[Place]) -> bool:
    """"في داعل وجاسم": a name joined by و to a place of the same country just before it."""
    if previous is None or not prefix.startswith("و") or previous.last != i - 1 or not toks.joinable[i - 1]:
        return False
    countries = {p.country for p in previous.candidates}
    return any(p.country in countries and p.feature == "locality" for p in places)


def _cue(toks: Tokens, i: int, prefix: str, cues: ctx.Cues, previous: Optional[Hit]) -> str:
    """The feature asked for by the word before token i, or inherited through "و" in a list."""
    if i > 0 and toks.joinable[i - 1]:
        found = ctx.classes(toks.keys[i - 1])
        for category in found:
            if category.startswith("feature:"):
                return category[8:]
        if "countryside" in found:
            return "countryside"
    if previous and prefix.startswith("و") and previous.last == i - 1 and previous.cue:
        return previous.cue
    return ""


# ---- context filters and expansions -------------------------------------------------------------


def _is_person(h: Hit, toks: Tokens, cues: ctx.Cues) -> bool:
    lo, hi = bounds(toks, h.sentence, h.first)
    if h.first == h.last and h.last + 1 < hi and ctx.in_category(cues, "person_title", toks.keys[h.first]):
        return True  # "مدينة الملك عبدالله": a title, not the village of الملك
    return not h.cue and (ctx.is_person(toks.keys, h.first, h.last, lo, hi, cues) or _surnamed(h, toks, hi))


def _surnamed(h: Hit, toks: Tokens, hi: int) -> bool:
    """"صلاح الدين الأيوبي", "زبار العلواني": an indefinite name of two words, or of one word that
    names no city of 100,000, followed by a definite nisba (ال…ي) that is no side of a place
    (الغربي) is a person's name and family name. A town is feminine («حماة القديمة») and a
    definite place takes its adjective («الجولان السوري»)."""
    nxt = h.last + 1
    if nxt >= hi or not toks.joinable[h.last] or toks.keys[h.first].startswith("ال") or h.prefix:
        return False
    if any(p.feature == "country" or (p.feature != "governorate" and (p.capital or p.population >= STRAY_TOWN))
           for p in h.candidates):
        return False  # «مستشفى بريدة المركزي», «نادي برشلونة الإسباني»: a known city stays a place
    if any(p.feature == "governorate" for p in h.candidates) and (h.first == h.last or "قطاع" in toks.keys[h.first]
                                                               or ctx.classes(toks.keys[h.first])):
        return False  # «قطاع غزة الفلسطيني», «منطقة تبوك»; «صلاح الدين الأيوبي» is a person
    word = toks.keys[nxt]
    return word.startswith("ال") and word.endswith("ي") and len(word) > 4 and word not in SIDES_EN


def _keep_places(hits: list[Hit], toks: Tokens, cues: ctx.Cues, focus: Optional[str]) -> list[Hit]:
    """The hits that are places here; "في سوريا والأردن": a name listed after a kept one stays;
    a city in the dateline («واس- باريس:») is one."""
    kept: list[Hit] = []
    dateline = dateline_end(toks.text)
    countries = Counter(h.place.country for h in hits if h.place is not None)
    for h in hits:
        listed = bool(kept) and h.prefix.startswith("و") and kept[-1].last == h.first - 1
        at_dateline = h.start < dateline and h.place is not None and h.place.feature != "country"
        if at_dateline:
            kept.append(h)
        elif h.place is not None and _stray(h, h.place, focus, countries[h.place.country] > 1):
            continue
        elif _is_place_here(h, toks, cues, focus) or (listed and not _obscure(h, h.place, focus)):
            kept.append(h)
    return kept


def _stray(h: Hit, p: Place, focus: Optional[str], elsewhere: bool) -> bool:
    """A lone word naming only a town of another country than the report's, a country the report
    names nowhere else, is more likely a word («غرسة من غراس …») or a gazetteer gap («ولاية يوبي»
    of Nigeria read as Japan's) than that town: no place beats a wrong one."""
    if h.first != h.last or focus is None or p.country == focus or elsewhere or h.kind != "place":
        return False
    return p.rank != 0 and not p.capital and p.population < STRAY_TOWN and p.feature not in ("country", "governorate")


def _is_place_here(h: Hit, toks: Tokens, cues: ctx.Cues, focus: Optional[str]) -> bool:
    """Countries and foreign capitals only where the words around them make them places."""
    p = h.place
    if p is None or h.cue or h.kind != "place":
        return p is not None
    if _obscure(h, p, focus):
        return False
    if p.feature != "country" and not (p.capital and p.country != focus):
        return True
    lo, _ = bounds(toks, h.sentence, h.first)
    moving = any(ctx.is_trigger(cues, "trigger:depart", toks.keys[i]) for i in range(lo, h.first))
    return ctx.is_spatial(toks.keys, toks.joinable, h.first, lo, h.prefix, moving, cues)


def _obscure(h: Hit, p: Place, focus: Optional[str]) -> bool:
    """A lone word naming only a hamlet outside the article's country is more likely a word."""
    small = p.rank != 0 and p.population < SMALL and p.feature not in ("country", "governorate")
    lone = h.first == h.last
    return (small and lone and p.country != focus) or (h.loose and lone and p.country != focus)

# ---- roles and output ---------------------------------------------------------------------------


def assign_roles(hits: list[Hit], toks: Tokens, cues: ctx.Cues) -> None:
    """origin / destination / location in a movement clause, "" elsewhere (docs/gazetteer.md)."""
    segs: dict[int, list[ctx.Segment]] = {}
    by_last = {h.last: n for n, h in enumerate(hits)}
    for h in hits:
        if h.sentence not in segs:
            segs[h.sentence] = ctx.segments(toks.keys, toks.breaks, *bounds(toks, h.sentence, h.first))
        seg = next(s for s in segs[h.sentence] if s.start <= h.first < s.end)
        governor = ctx.governing(toks.keys, h.first, seg, by_last, cues)
        if governor.startswith("same:"):
            h.role = _described(hits[int(governor[5:])].role) if seg.moving else ""
            continue
        arrival = governor == "destination" and ctx.arrival_before(toks.keys, h.first, seg, cues)
        h.role = ctx.role_of(governor, h.first, seg, h.prefix, arrival)
    for n, h in enumerate(hits[:-1]):
        nxt = hits[n + 1]
        if h.role == "location" and nxt.role == "destination" and nxt.sentence == h.sentence \
                and nxt.first - h.last - 1 <= ctx.GAP_TO_DESTINATION:
            h.role = "origin"


def _described(role: str) -> str:
    """"إلى محافظة إدلب الخاضعة لسيطرة المعارضة في شمال غرب البلاد": the second place locates the first."""
    return role if role in ("origin", "destination") else "location"


def to_mention(text: str, h: Hit) -> PlaceMention:
    p = h.place
    name, name_en, place_id, precision, feature = p.name, p.name_en, p.id, p.precision, p.feature
    if h.kind == "countryside":
        base = p.name.replace("محافظة ", "")
        name = " ".join(x for x in ("ريف", base, h.label) if x)
        name_en = f"{p.name_en} countryside" + (f" ({SIDES_EN.get(key_of(h.label).split()[0], '')})" if h.label else "")
        place_id, feature = f"{p.id}#countryside", "countryside"
        precision = "governorate" if p.feature == "governorate" or _is_seat(p) else "district"
    elif h.kind == "direction":
        side = DIRECTIONS_EN.get(key_of(h.label).split(" ")[0].rstrip("ي"), "part")
        name, name_en, place_id = h.label or name, f"{p.name_en} ({side})", f"{p.id}#{side}"
        precision, feature = "region", "region"
    admin1 = p.admin1 if h.kind != "direction" else ""
    admin2 = p.admin2 if h.kind == "place" or precision == "district" else ""
    return PlaceMention(
        text=text[h.start:h.end], start=h.start, end=h.end, confidence=confidence(h), name=name,
        name_en=name_en, place_id=place_id, lat=p.lat, lon=p.lon, country=p.country, admin1=admin1,
        admin2=admin2, feature=feature, precision=precision, role=h.role)


def _is_seat(p: Place) -> bool:
    """A governorate's seat: the city that gives the governorate its name (درعا, إدلب)."""
    return bool(p.admin1) and p.admin1.replace("محافظة ", "") == p.name


def confidence(h: Hit) -> float:
    score = 0.6
    if h.cue or h.kind != "place":
        score += 0.15
    if h.last > h.first or (h.place and h.place.rank == 0):
        score += 0.1
    if h.place and prominence(h.place) >= 0.5:
        score += 0.1
    if h.loose:
        score -= 0.15
    if len(h.candidates) > 1 and h.score_margin < 1.0:
        score -= 0.1
    return round(max(0.3, min(0.99, score)), 2)

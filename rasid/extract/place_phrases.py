"""Place phrases beyond a gazetteer name: "ريف درعا الغربي", "ريف المحافظة", "شمال البلاد", "شمال العراق"."""
from __future__ import annotations

from typing import Optional

from rasid.extract import place_context as ctx
from rasid.extract.gazetteer import Gazetteer, Place
from rasid.extract.gazetteer.keys import key_of
from rasid.extract.place_tokens import Hit, Tokens, skip_letters


def merge(hits: list[Hit], extra: list[Hit]) -> list[Hit]:
    """Add the phrase-level mentions, dropping the word-level ones they cover."""
    covered = {i for h in extra for i in range(h.first, h.last + 1)}
    kept = [h for h in hits if not covered.intersection(range(h.first, h.last + 1))]
    return sorted(kept + extra, key=lambda h: h.first)


def countryside(h: Hit, toks: Tokens, cues: ctx.Cues) -> None:
    """"ريف درعا الغربي": the mention grows to cover ريف and the side."""
    if h.cue != "countryside":
        return
    rif = h.first - 1
    if not ctx.in_category(cues, "countryside", toks.keys[rif]):
        h.cue = ""  # "ريف حلب وإدلب": the list, not ريف, gave إدلب its cue
        return
    stripped = ctx.variants(toks.keys[rif])
    letters = len(toks.keys[rif]) - len(ctx.bare(toks.keys[rif])) if len(stripped) > 1 else 0
    h.kind, h.start = "countryside", skip_letters(toks, rif, letters)
    h.first = rif
    _countryside_side(h, toks, cues)


def direction(h: Hit, toks: Tokens, cues: ctx.Cues) -> None:
    """"شمال العراق": a country after a direction becomes a region of that country."""
    if h.kind != "place" or h.place is None or h.place.feature != "country" or h.first == 0:
        return
    for n in (2, 1):
        lo = h.first - n
        if lo < 0 or not all(toks.joinable[lo:h.first]) or toks.sentence[lo] != h.sentence:
            continue
        words = " ".join(toks.keys[lo:h.first])
        if cues.has("direction", ctx.bare(words) if n == 1 else words):
            h.kind, h.first = "direction", lo
            h.start = toks.starts[lo] + (len(toks.keys[lo]) - len(ctx.bare(toks.keys[lo])) if n == 1 else 0)
            h.label = f"{toks.text[h.start:toks.ends[lo + n - 1]]} {h.place.name}"
            return


def the_country(toks: Tokens, gaz: Gazetteer, cues: ctx.Cues, focus: Optional[str]) -> list[Hit]:
    """"شمال البلاد", "شمال غرب البلاد": a part of the focus country ("الشمال السوري" for Syria)."""
    country = gaz.countries.get(focus) if focus else None
    out: list[Hit] = []
    words = cues.table.get("the_country", ())
    for i in [i for i, k in enumerate(toks.keys) if i and k in words] if country else ():
        if not toks.joinable[i - 1]:
            continue
        n = 2 if i > 1 and toks.joinable[i - 2] and cues.has("direction", " ".join(toks.keys[i - 2:i])) else 1
        direction = " ".join(toks.keys[i - n:i - 1] + [ctx.bare(toks.keys[i - 1])]) if n == 1 else \
            " ".join(toks.keys[i - 2:i])
        if n == 1 and not cues.has("direction", direction):
            continue
        named = gaz.candidates(key_of(f"{direction} {country.name}"))
        skipped = len(toks.keys[i - n]) - len(ctx.bare(toks.keys[i - n])) if n == 1 else 0
        hit = Hit(first=i - n, last=i, start=skip_letters(toks, i - n, skipped), end=toks.ends[i],
                  candidates=named or [country], sentence=toks.sentence[i], kind="place" if named else "direction")
        hit.place = hit.candidates[0]
        hit.label = "" if named else f"{direction} {country.name}"
        out.append(hit)
    return out


def governorate_countryside(toks: Tokens, hits: list[Hit], gaz: Gazetteer, cues: ctx.Cues) -> list[Hit]:
    """"ريف المحافظة الشرقي": the countryside of the governorate named last before it."""
    out = []
    words = cues.table.get("anaphor_governorate", ())
    for i in [i for i, k in enumerate(toks.keys) if i and k in words]:
        if not cues.has("countryside", ctx.bare(toks.keys[i - 1])):
            continue
        before = [h.place for h in hits if h.last < i and h.place is not None and h.place.admin1]
        gov = _governorate(gaz, before[-1].admin1) if before else None
        if gov is None:
            continue
        hit = Hit(first=i - 1, last=i, start=skip_letters(toks, i - 1, len(toks.keys[i - 1]) - 3),
                  end=toks.ends[i], candidates=[gov], sentence=toks.sentence[i], cue="countryside")
        hit.place = gov
        _countryside_side(hit, toks, cues)
        hit.kind = "countryside"
        out.append(hit)
    return out


def _countryside_side(h: Hit, toks: Tokens, cues: ctx.Cues) -> None:
    for n in (2, 1):
        words = toks.keys[h.last + 1:h.last + 1 + n]
        if len(words) == n and all(toks.joinable[h.last:h.last + n]) and cues.has("countryside_side", " ".join(words)):
            h.last += n
            h.end = toks.ends[h.last]
            h.label = " ".join(words)
            return


def _governorate(gaz: Gazetteer, admin1: str) -> Optional[Place]:
    return gaz.governorates.get(admin1)

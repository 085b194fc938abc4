"""The words around a place name: clitics, cue words, the stoplist, persons, actors and movement roles."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasid.arabic import lexicons
from rasid.arabic.morphology import MOVEMENT_SUFFIXES
from rasid.extract.gazetteer.keys import key_of, variants


ROLE_WINDOW = 7  # tokens scanned back from a place for من / إلى
NEAR_TRIGGER = 12  # a place this many tokens after a departure word is where people leave from
GAP_TO_DESTINATION = 8  # "في درعا البلد، إلى الشمال السوري": a place just before a destination
SPECIFIC_CUES = ("governorate", "locality", "quarter", "camp", "countryside")


@dataclass(frozen=True)
class Cues:
    """The categories of rasid/data/lexicons/place_cues.tsv, each a frozenset of match keys."""

    table: dict

    def has(self, category: str, key: str) -> bool:
        return key in self.table.get(category, ())

    def feature_of(self, key: str) -> str:
        """The feature a cue word asks for: governorate, locality, quarter, camp, any, or ""."""
        for category, words in self.table.items():
            if category.startswith("feature:") and key in words:
                return category.split(":", 1)[1]
        return ""


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    table: dict[str, set[str]] = {}
    for line in lexicons.text("lexicons/place_cues.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, words = line.split("\t")[:2]
        table.setdefault(category, set()).update(key_of(w) for w in words.split("|"))
    return Cues({k: frozenset(v) for k, v in table.items()})


@lru_cache(maxsize=1)
def load_stoplist() -> frozenset[str]:
    """Match keys of rasid/data/lexicons/place_stoplist.txt ("word  # why" a line)."""
    words = set()
    for line in lexicons.text("lexicons/place_stoplist.txt").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(key_of(word))
    return frozenset(words)


@lru_cache(maxsize=1)
def load_common_words() -> frozenset[str]:
    """Match keys of rasid/data/lexicons/place_common_words.txt: names that need a cue or a list."""
    lines = lexicons.text("lexicons/place_common_words.txt").splitlines()
    return frozenset(key_of(w) for w in lines if w.strip() and not w.startswith("#"))


def bare(key: str) -> str:
    """The last clitic-free reading of a token key (for cue words: "بمدينة" -> "مدينه")."""
    return variants(key)[-1][0]


def readings(key: str) -> tuple[str, ...]:
    return tuple(v for v, _ in variants(key))


def in_category(cues: Cues, category: str, key: str) -> bool:
    return category in classes(key)


@lru_cache(maxsize=300_000)
def classes(key: str) -> frozenset[str]:
    """The cue categories a token belongs to in any clitic reading, triggers with pronoun suffixes."""
    cues, forms = load_cues(), readings(key)  # the readings once, not once per category
    found = {c for c, words in cues.table.items() if any(r in words for r in forms)}
    for category in ("trigger:depart", "trigger:arrive"):
        if _trigger(cues, category, key):
            found.add(category)
    return frozenset(found)




def is_trigger(cues: Cues, category: str, key: str) -> bool:
    return category in classes(key)


def _trigger(cues: Cues, category: str, key: str) -> bool:
    """A movement word, allowing clitics before and a pronoun after ("لإجلائهم" -> إجلاء)."""
    for reading in readings(key):
        if cues.has(category, reading):
            return True
        for suffix in MOVEMENT_SUFFIXES:
            if reading.endswith(suffix) and len(reading) > len(suffix) + 2:
                stem = reading[: -len(suffix)]
                if cues.has(category, stem) or cues.has(category, stem.replace("ي", "ء")):
                    return True
                break
    return False


# ---- roles in a movement ------------------------------------------------------------------


@dataclass
class Segment:
    """Token range of a clause that roles are decided in, and its movement words."""

    start: int
    end: int
    departures: list[int]
    triggers: list[int]  # departures, and arrivals when a vehicle word is in the segment
    moving: bool


def segments(keys: list[str], breaks: list[bool], lo: int, hi: int) -> list[Segment]:
    """Split the tokens lo..hi (one sentence) at strong punctuation (breaks[i]: a break before
    token i) and at clause words (مقابل, بينما, ...); mark the segments that tell a movement."""
    found = [classes(keys[i]) for i in range(lo, hi)]
    starts = [lo] + [i for i in range(lo + 1, hi) if breaks[i] or "clause_break" in found[i - lo]]
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else hi
        out.append(_segment(found[start - lo:end - lo], start, end))
    return out


def _segment(found: list[frozenset[str]], start: int, end: int) -> Segment:
    departures = [start + i for i, c in enumerate(found) if "trigger:depart" in c]
    vehicles = any("vehicle" in c for c in found)
    arrivals = [start + i for i, c in enumerate(found) if vehicles and "trigger:arrive" in c]
    triggers = sorted(departures + arrivals)
    return Segment(start, end, departures, triggers, bool(triggers))


def governing(keys: list[str], first: int, seg: Segment, mentions: dict[int, int], cues: Cues) -> str:
    """What the words before a place (token `first`) make of it: "destination", "origin", "stop",
    "object" (right after a departure word), "same:<n>" (described after mention n), or ""."""
    for i in range(first - 1, max(seg.start, first - ROLE_WINDOW) - 1, -1):
        if i in mentions:
            return f"same:{mentions[i]}"
        key = keys[i]
        if i + 1 < len(keys) and cues.has("idiom", f"{bare(key)} {keys[i + 1]}"):
            continue
        if in_category(cues, "prep:destination", key):
            return "destination"
        if in_category(cues, "prep:origin", key):
            return "origin"
        if in_category(cues, "prep:stop", key):
            return "stop"
        if i in seg.departures:
            return "object"
    return ""


def arrival_before(keys: list[str], first: int, seg: Segment, cues: Cues) -> bool:
    """"وصلت حافلات إلى محافظة القنيطرة لنقل ...": the إلى of an arrival followed by a departure."""
    lead = [i for i in range(seg.start, first) if is_trigger(cues, "trigger:arrive", keys[i])]
    return bool(lead) and any(d > first for d in seg.departures)


def role_of(governor: str, first: int, seg: Segment, prefix: str, arrival: bool) -> str:
    """The role of a place in a movement segment (see docs/gazetteer.md, "Roles")."""
    if not seg.moving:
        return ""
    if not any(t < first for t in seg.triggers):
        return "location"
    if governor == "destination":
        return "location" if arrival else "destination"
    if governor in ("origin", "object"):
        return "origin"
    if governor == "" and "ل" in prefix:
        return "destination"
    if governor == "" and any(0 < first - d <= NEAR_TRIGGER for d in seg.departures):
        return "origin"
    return "location"


def is_spatial(keys: list[str], joinable: list[bool], first: int, lo: int, prefix: str, moving: bool,
               cues: Cues) -> bool:
    """A country or foreign capital used as a place ("في سوريا", "الحدود مع الأردن", "بسوريا"),
    not as an actor ("رعتها روسيا", "موالية لإيران", "مدعومة من روسيا")."""
    if "ب" in prefix or first == 0:
        return True
    for i in range(first - 1, max(lo, first - 4) - 1, -1):
        if not joinable[i]:
            return False
        if in_category(cues, "border", keys[i]):
            return True
        if i < first - 1 and not _place_noun(cues, keys[i + 1]):
            continue  # other words must touch the name, or only a place noun between
        if i + 1 < len(keys) and cues.has("idiom", f"{bare(keys[i])} {keys[i + 1]}"):
            continue
        if in_category(cues, "spatial", keys[i]):
            return True
        if moving and in_category(cues, "prep:origin", keys[i]) and i == first - 1:
            return True
    return False


def _place_noun(cues: Cues, key: str) -> bool:
    return bool(cues.feature_of(bare(key))) or in_category(cues, "direction", key)


def is_person(keys: list[str], first: int, last: int, lo: int, hi: int, cues: Cues) -> bool:
    """"الرئيس بشار", "بشار الأسد", "سلمان بن عبدالعزيز": a person's name, not a place."""
    before = first - 1 >= lo and in_category(cues, "person_title", keys[first - 1])
    after = last + 1 < hi and in_category(cues, "person_next", keys[last + 1])
    return before or after

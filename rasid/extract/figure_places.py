"""The place of each figure: where the counted thing happened, not the dateline nor the source's seat.

    >>> from rasid.extract.places import find_places
    >>> from rasid.extract.sources import find_sources
    >>> from rasid.models import Figure
    >>> text = "دمشق - قال مسؤول في حلب إن 5 أشخاص قتلوا في إدلب."
    >>> figs = [Figure(text="5 أشخاص", start=text.index("5"), end=text.index("5") + 7, value=5)]
    >>> place_figures(text, figs, [(0, len(text))], find_places(text), find_sources(text))
    >>> figs[0].place
    'إدلب'

The rule (docs/extraction.md, "The place of a figure"):

1. The places that cannot be where it happened are set aside: the dateline (the place written
   before the first "–", "-", ":" or "واس" of the report's first lines: «عين اليوم – كابول»،
   «سبق - مكة المكرمة:») and a source's seat (the places between a source's name and the «أن/إن»
   that opens what it says: «مسؤول أمني في مدينة كويتا … أن»).
2. A figure takes the most specific place of its own sentence (a place that is only a
   destination last), the one nearest the figure among equals. A sentence that a line break,
   not a full stop, separates from the one before continues it and shares its places.
3. A figure in a sentence that names no place takes the report's main place: the first place
   the report names (its lead), the headline included.
4. When steps 2 and 3 find nothing, the set-aside places of the figure's sentence are used,
   then the dateline's place (a report that names no other place happened there: «واس- باريس:»).

A country after a source is its office's scope, not a seat («بعثة الأمم المتحدة في العراق أن»);
in step 2 the places of the figure's own clause come first (none past «؛، فيما، بينما…»); names
the gazetteer lacks («إقليم بلوشستان», rasid.extract.place_unlinked) compete with the places.

``Figure.place`` is the name as the report writes it (the span without its clitic: «أوسلو», not
the gazetteer's «اسلو»), ``Figure.place_id`` the gazetteer's id.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from rasid.models import Figure, PlaceMention, SourceMention

__all__ = ["place_figures", "dateline_end", "seat_spans", "main_place", "outside_figures"]

# How specific a place is: lower is more specific (models.GEO_PRECISIONS).
_RANK = {"exact": 0, "locality": 1, "district": 2, "governorate": 3, "region": 4, "country": 5, "unknown": 6}
# The end of a dateline in the report's first characters: a dash between spaces, a colon, واس.
_DATELINE = re.compile(r"\s[-–—]\s?|[–—]|:|\bواس\b|\(واس\)")
_DATELINE_REACH = 80  # characters of a line a dateline may take
# What a source says opens with these (its seat is written before them).
_OPENS = re.compile(r"(?:^|\s)(?:ب?[أاإ]ن(?:ه|ها|هم)?|:)(?=\s|$)")
_SEAT_REACH = 90  # characters after a source's name that may hold its seat
# What ends a clause within a sentence: a semicolon, or a word that opens a new clause.
_CLAUSE_BREAK = re.compile(r"[؛;]|(?:^|\s)(?:فيما|بينما|في حين|وفي حين|كما|لكن|ولكن|غير أن)(?=\s)")


def dateline_end(text: str) -> int:
    """The offset where the dateline of the report ends (0 when it has none).

    Only the first two lines are looked at (a headline may come first); the dateline is their
    start up to the last dash, colon or «واس» within the first 80 characters, or the whole line
    when the line is that short."""
    pos = 0
    for _ in range(2):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        if line.strip():
            head = line[:_DATELINE_REACH]
            found = list(_DATELINE.finditer(head))
            if found:
                return pos + (len(line.rstrip()) if len(line.strip()) <= 40 else found[-1].end())
        if nl < 0:
            break
        pos = nl + 1
    return 0


def seat_spans(text: str, spans: Sequence[tuple[int, int]], sources: Sequence[SourceMention]) -> list[tuple[int, int]]:
    """(start, end) of each source's name and seat: from the source to the «أن/إن/:» that opens
    its words, within its sentence; the source's own span when none follows."""
    out = []
    for s in sources:
        sent_end = next((e for a, e in spans if a <= s.start < e), s.end)
        limit = min(sent_end, s.end + _SEAT_REACH)
        m = _OPENS.search(text, s.end, limit)
        out.append((s.start, m.start() if m else s.end))
    return out


def outside_figures(places: Sequence[PlaceMention], figures: Sequence[Figure]) -> list[PlaceMention]:
    """The places that are no word of a figure: a dual or a unit («جنديان» "two soldiers" is also
    an Iraqi village's name) is what the figure counts, not where."""
    spans = [(f.start, f.end) for f in figures]
    return [p for p in places if not any(a <= p.start and p.end <= b for a, b in spans)]


def _seat(p: PlaceMention) -> bool:
    """A country after a source is the scope of its office («قائد القوات الدولية في أفغانستان»),
    not the seat it speaks from: only a finer place is set aside."""
    return p.precision != "country"


def _inside(p: PlaceMention, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= p.start < b for a, b in ranges)


def main_place(places: Sequence[PlaceMention]) -> Optional[PlaceMention]:
    """The report's main place: the first place its lead names (news put the where of the
    happening first). Measured on the record gold, the first place beats the place named most
    often (53 against 50 right places of 77): a report names its background places again and
    again (the Raqqa of a Kuwait bombing's perpetrators)."""
    return places[0] if places else None


def _best(text: str, here: Sequence[PlaceMention], fig: Figure) -> Optional[PlaceMention]:
    if not here:
        return None
    return min(here, key=lambda p: (_other_clause(text, fig, p), p.role == "destination",
                                    _RANK.get(p.precision, 6), min(abs(p.start - fig.end), abs(fig.start - p.end))))


def _other_clause(text: str, fig: Figure, p: PlaceMention) -> bool:
    """Whether a clause break lies between the figure and the place: «قتل نحو 30 مسلحا … على
    محافظة لحج، فيما سيطرت اللجان الشعبية على مناطق في تعز» — تعز is another clause's."""
    a, b = (fig.end, p.start) if p.start >= fig.end else (p.end, fig.start)
    return bool(_CLAUSE_BREAK.search(text, a, max(a, b)))


def _continued(text: str, spans: Sequence[tuple[int, int]], span: tuple[int, int],
               places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The places of the sentence before when a line break, not a full stop, ends it: one
    sentence printed on two lines («… في شهر رمضان المبارك\nفي 26 يونيو … استشهاد 26 شخصا»)."""
    before = [(a, e) for a, e in spans if e <= span[0]]
    if not before:
        return []
    a, e = before[-1]
    if any(c in text[max(a, e - 2):span[0]] for c in ".!?؟") or text[a:e].rstrip()[-1:] in ".!?؟":
        return []
    return [p for p in places if a <= p.start < e]


def place_figures(text: str, figures: Sequence[Figure], spans: Sequence[tuple[int, int]],
                  places: Sequence[PlaceMention], sources: Sequence[SourceMention],
                  unlinked: Sequence[PlaceMention] = ()) -> None:
    """Set ``place`` and ``place_id`` of each figure by the rule of this module's docstring;
    ``unlinked`` names the gazetteer lacks («إقليم بلوشستان», rasid.extract.place_unlinked)
    compete with the places, with an empty ``place_id``."""
    places = sorted([*places, *unlinked], key=lambda p: p.start)
    dateline = (0, dateline_end(text))
    seats = seat_spans(text, spans, sources)
    usable = [p for p in places if not _inside(p, [dateline]) and not (_inside(p, seats) and _seat(p))]
    kept = {id(p) for p in usable}
    main = main_place(usable)
    at_dateline = next((p for p in places if _inside(p, [dateline])), None)
    for fig in figures:
        span = next(((a, e) for a, e in spans if a <= fig.start < e), (fig.start, fig.end))
        in_sentence = [p for p in places if span[0] <= p.start < span[1]]
        if not any(id(p) in kept for p in in_sentence):
            in_sentence = in_sentence or _continued(text, spans, span, places)
        chosen = _best(text, [p for p in in_sentence if id(p) in kept], fig) or main \
            or _best(text, in_sentence, fig) or at_dateline
        if chosen is not None:
            fig.place, fig.place_id = chosen.text or chosen.name, chosen.place_id

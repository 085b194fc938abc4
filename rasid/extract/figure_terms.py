"""What happened to the people a figure counts: its term, read from the figure's own predicate.

The term is the cue of the figure's own clause, not the nearest cue word: a cue that opens the
next coordinated figure («وإصابة ثلاثة أفراد», «وفُقد 9 آخرون») belongs to that figure, so the
forward scan stops there; a figure joined by «و» to the one before it («مقتل 42 حوثياً، و9
مقاتلين») shares that figure's predicate across the comma. A unit that names the happening
(قتلى، نازحين، جثث) decides first. Qualifiers (نحو، أكثر من، على الأقل) are read here too.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from rasid.extract import lexicon
from rasid.extract.numbers import is_number_word
from rasid.extract.textview import QUOTES, TextView, candidates, lookup

TERM_WINDOW = 8  # tokens searched on each side of a figure for its term
INHERIT_WINDOW = 14  # tokens from a figure to the part of it that shares its term
_SUBSET = frozenset(("منهم", "منهما", "منهن", "بينهم", "بينهما", "بينهن", "وبينهم", "ومنهم"))
_COMMA = ";"  # the view writes the Arabic comma as ";"


def qualifier_before(view: TextView, first: int, lo: int) -> tuple[str, int]:
    for seq, q in lexicon.units().qualifiers_before:
        i = first - len(seq)
        if i < lo:
            continue
        words = view.words[i:first]
        if all(w == s or s in candidates(w) for w, s in zip(words, seq)):
            return q, i
    return "", first


def qualifier_after(view: TextView, last: int, hi: int) -> tuple[str, int]:
    for seq, q in lexicon.units().qualifiers_after:
        if tuple(view.words[last:last + len(seq)]) == seq and last + len(seq) <= hi:
            return q, last + len(seq)
    return "", last


def term_of(word: str) -> Optional[str]:
    U = lexicon.units()
    for c in _verb_forms(word):
        if c in U.terms and (len(c) >= 3 or word in (c, "و" + c)):  # "فر", "وفر"; not "بفر"
            return U.terms[c]
        if c in U.unit_terms:  # a noun that names the happening: "عدد المصابين"
            return U.unit_terms[c]
    return None


@lru_cache(maxsize=65536)
def _verb_forms(word: str) -> tuple[str, ...]:
    """The word's candidate forms, then those without the past tense's plural or dual ending
    (ضبطوا، ضبطا -> ضبط): the subject of a verb after its figure agrees with it."""
    forms = candidates(word, True)
    extra = [c[:-k] for c in forms for k, end in ((2, "وا"), (1, "ا")) if c.endswith(end) and len(c) - k >= 3]
    return forms + tuple(x for x in extra if x not in forms)


def term(view: TextView, first: int, last: int, lo: int, hi: int, unit_word) -> str:
    """The term of the figure on tokens ``first .. last-1`` of the sentence ``lo .. hi-1``."""
    U = lexicon.units()
    if unit_word:
        strong = lookup(unit_word, U.unit_terms, True)
        if strong:
            return strong
    fwd = _scan_forward(view, last, min(hi, last + TERM_WINDOW))
    back = _scan_back(view, first, max(lo, first - TERM_WINDOW))
    best = back if back and (not fwd or back[0] <= fwd[0]) else fwd
    if best:
        return best[1]
    weak = lookup(unit_word, U.weak_unit_terms, True) if unit_word else None
    return weak or ""


def _scan_forward(view: TextView, start: int, stop: int) -> Optional[tuple[int, str]]:
    breaks = lexicon.units().clause_breaks
    for d, j in enumerate(range(start, stop), 1):
        if view.is_break(j):
            return None
        word = view.words[j]
        found = term_of(word) if view.kinds[j] == "w" else None
        if found:
            return None if _opens_figure(view, j + 1, stop) else (d, found)
        if word in breaks or (view.kinds[j] == "n" and d > 1):
            return None  # past the next number: that figure's clause
    return None


def _scan_back(view: TextView, first: int, stop: int) -> Optional[tuple[int, str]]:
    breaks = lexicon.units().clause_breaks
    coordinated = _coordinated(view, first)
    for d, j in enumerate(range(first - 1, stop - 1, -1), 1):
        if view.is_break(j):
            if coordinated and view.words[j] == _COMMA:
                coordinated = False  # «مقتل 42 حوثياً، و9 مقاتلين»: one comma is crossed
                continue
            return None
        word = view.words[j]
        found = term_of(word) if view.kinds[j] == "w" else None
        if found:
            return d, found
        if word in breaks:
            return None
    return None


def _coordinated(view: TextView, first: int) -> bool:
    """The figure opens with «و» («و9 مقاتلين»، «وثلاثة من …») or is a part of what comes before
    («غالبية القتلى …، وبينهم ثمانية»)."""
    w = view.words[first]
    if w == "و" or (first > 0 and view.words[first - 1] in _SUBSET or view.words[first - 1] == "و"):
        return True
    return w.startswith("و") and is_number_word(w)


def _opens_figure(view: TextView, j: int, stop: int) -> bool:
    """The cue before ``j`` governs a number of its own: «وإصابة 20»، «وفُقد نحو 9»."""
    for k in range(j, min(stop, j + 4)):
        if view.kinds[k] == "n" or (view.kinds[k] == "w" and is_number_word(view.words[k])):
            return True
        if view.words[k] in QUOTES:
            continue  # "وإصابة (33)"
        if view.kinds[k] != "w" or view.words[k] not in _qualifier_words():
            return False
    return False


@lru_cache(maxsize=1)
def _qualifier_words() -> frozenset:
    return frozenset(w for seq, _ in lexicon.units().qualifiers_before for w in seq)


def inherit_terms(view: TextView, figures: list) -> None:
    """A figure with no term of its own that is a part of the figure before it («استشهاد 15
    مصلياً، خمسة منهم من رجال الأمن، وستة متدربين») or joined to it by «و» takes its term."""
    for prev, fig in zip(figures, figures[1:]):
        if fig.term or not prev.term:
            continue
        a, b = view.token_at(prev.end), view.token_at(fig.start)
        breaks = lexicon.units().clause_breaks
        if b - a > INHERIT_WINDOW or any(view.words[k] in breaks or view.words[k] in ".\n" for k in range(a, b)):
            continue
        f_first, f_last = b, view.token_at(fig.end)
        between = view.words[a:f_last]
        if any(w in _SUBSET for w in between) or _coordinated(view, f_first):
            if not any(view.kinds[k] == "w" and term_of(view.words[k]) for k in range(a, b)):
                fig.term = prev.term

"""Figures: a number of people or things with its unit, reporting term and qualifier.

"نحو مئة مسلّح" -> 100 fighters, approx; "أكثر من 38 ألف شخص إلى النزوح" -> 38,000 people,
more_than, displaced; "حافلتان" -> 2 buses; "دفعة ثانية" -> batch number 2. A number becomes a
figure only with a known unit (after it, after "من", or before it for "حافلة واحدة" and
"المختطفين الـ30"), or, for a bare number or vague quantity next to an event term ("غادر
الآلاف"), with the unit people at a lower confidence. Years, codes, durations, money, measures
and ages are never figures, nor percentages, populations (نسمة) or "رجل واحد". A noun for people
no list holds is read by its form (``human_units``); the term comes from the figure's own
predicate (``figure_terms``).
"""
from __future__ import annotations

from typing import Optional

from rasid.arabic.morphology import CONJUNCTIONS
from rasid.extract import lexicon, triggers
from rasid.extract import figure_terms
from rasid.extract.figure_terms import qualifier_after, qualifier_before
from rasid.extract.human_units import human_unit
from rasid.extract.numbers import NumberSpan, scan
from rasid.extract.textview import TextView, candidates, lookup, view_of
from rasid.models import Figure

_RANGE_LINKS = frozenset(("و", "الى", "-", "او"))
_SKIP = frozenset("\"'«»“”()")
_HUMAN_TERMS = frozenset(("displaced", "evacuated", "killed", "injured", "abducted", "detained", "besieged",
                          "missing", "returned", "affected"))
OPEN_CONFIDENCE = 0.65  # below: a figure only with a term of its own (bare numbers, open units)
_PARTITIVE_PRONOUNS = frozenset(("منهم", "منهما", "منهن"))  # "خمسة منهم": of them (people)
_CONJUNCTION_WORDS = frozenset(CONJUNCTIONS)  # "50 و60": a conjunction joined to the second number


def find_figures(text: str, spans: Optional[list[tuple[int, int]]] = None) -> list[Figure]:
    """Figures in ``text``, limited to the sentence ``spans`` (offsets into ``text``) when given."""
    view = view_of(text)
    out: list[Figure] = []
    for lo, hi in _ranges(view, spans):
        out.extend(_sentence_figures(view, lo, hi))
    return out


def _ranges(view: TextView, spans) -> list[tuple[int, int]]:
    if spans is None:
        return [(0, len(view))]
    return [(view.token_at(s), view.token_at(e)) for s, e in spans]


def _sentence_figures(view: TextView, lo: int, hi: int) -> list[Figure]:
    figures: list[Figure] = []
    covered: set[int] = set()
    nums = scan(view, lo, hi)
    k = 0
    while k < len(nums):
        n = nums[k]
        if _restated(view, nums, k):
            k += 1  # "(15) خمسة عشر": the number and its words are one figure
            continue
        partner = _range_partner(view, nums, k)
        fig = _number_figure(view, n, partner, lo, hi)
        k += 2 if partner and fig else 1
        if fig:
            figures.append(fig[0])
            covered.update(range(fig[1], fig[2]))
    figures.extend(_dual_figures(view, lo, hi, covered))
    figures.sort(key=lambda f: f.start)
    figure_terms.inherit_terms(view, figures)
    # a bare number, or a noun for people that only its form tells, is a figure next to a term
    return [f for f in figures if f.confidence > OPEN_CONFIDENCE or f.term in _HUMAN_TERMS]


def _restated(view: TextView, nums: list[NumberSpan], k: int) -> bool:
    if k + 1 >= len(nums) or nums[k].value != nums[k + 1].value:
        return False
    gap = view.words[nums[k].last:nums[k + 1].first]
    return all(w in _SKIP for w in gap)


def _range_partner(view: TextView, nums: list[NumberSpan], k: int) -> Optional[NumberSpan]:
    """"بين 50 و60 شخصا", "50 إلى 60", "50 - 60": the second number of a range."""
    if k + 1 >= len(nums) or nums[k].kind == "ordinal" or nums[k + 1].kind == "ordinal":
        return None
    a, b = nums[k], nums[k + 1]
    gap = view.words[a.last:b.first]
    if b.first == a.last and view.words[b.first] in _CONJUNCTION_WORDS:
        return b if b.value and a.value and b.value > a.value else None
    if len(gap) == 1 and gap[0] in _RANGE_LINKS and b.value and a.value and b.value > a.value:
        return b
    return None


# ---------------------------------------------------------------- one number


def _number_figure(view, n: NumberSpan, partner, lo, hi):
    """(Figure, first token, end token) for number ``n``, or None when it is no figure."""
    if n.is_year or n.is_code or n.kind == "fraction" or n.value is None:
        return None
    if n.kind == "ordinal":
        return _batch_ordinal(view, n, lo, hi)
    tail = partner or n
    unit, first, last, unit_word, conf = _unit(view, n, tail, lo, hi)
    if unit is None or unit == "percent" or _is_age(view, first, lo) or _not_a_count(view, n, unit, unit_word):
        return None
    qualifier, first = qualifier_before(view, first, lo)
    after, last = qualifier_after(view, last, hi)
    after = after or qualifier_after(view, tail.last, hi)[0]  # "ثمانية على الأقل من الأطفال"
    qualifier = qualifier or after or n.qualifier or "exact"
    term = figure_terms.term(view, first, last, lo, hi, unit_word)
    s, e = view.span(first, last)
    fig = Figure(view.text[s:e], s, e, confidence=conf, value=n.value,
                 value_max=partner.value if partner else None, unit=unit, term=term,
                 qualifier=qualifier, vague=n.kind == "vague")
    return fig, first, last


def _batch_ordinal(view, n: NumberSpan, lo, hi):
    """"دفعة ثانية", "الدفعة الأولى": the batch number of an evacuation."""
    i = n.first - 1
    if i < lo or lookup(view.words[i], lexicon.units().units) != "batches":
        return None
    term = figure_terms.term(view, i, n.last, lo, hi, None)
    s, e = view.span(i, n.last)
    fig = Figure(view.text[s:e], s, e, confidence=0.9, value=None, unit="batches", term=term,
                 ordinal=int(n.value))
    return fig, i, n.last


def unit_of(word: str) -> Optional[str]:
    U = lexicon.units()
    for c in candidates(word, True):
        if c in U.units:
            return U.units[c]
        if c in U.excluded:
            return "-" + U.excluded[c]
    return None


def _unit(view, n, tail, lo, hi):
    """(unit, first token, end token, unit word, confidence); unit None when no figure."""
    conf = 0.95 if n.digits else (0.8 if n.kind == "vague" else 0.9)
    j = tail.last
    pct = percent_after(view, j, hi)
    if pct:
        return "percent", n.first, pct, None, conf
    j = qualifier_after(view, j, hi)[1]  # "ثمانية على الأقل من الأطفال"
    if j < hi and view.kinds[j] == "w":
        u = unit_of(view.words[j])
        if u:
            return _unit_pair(view, u, n.first, j, hi, conf)
        u = human_unit(view.words[j], n.value)
        if u:
            return u, n.first, j + 1, view.words[j], min(conf, OPEN_CONFIDENCE)
        if view.words[j] in _PARTITIVE_PRONOUNS:
            return "people", n.first, j + 1, view.words[j], min(conf, OPEN_CONFIDENCE)
        if view.words[j] == "من":
            found = _unit_after_min(view, j + 1, hi)
            if found:
                return found[0], n.first, found[1], view.words[found[1] - 1], min(conf, found[2])
    before = _unit_before(view, n, lo)
    if before:
        return before[0], before[1], tail.last, view.words[before[1]], conf
    if _bare_ok(view, j, hi):
        return "people", n.first, tail.last, None, 0.6
    return None, 0, 0, None, 0


def _unit_pair(view, unit, first, j, hi, conf):
    """Combines "سيدة وطفلا" / "نساء وأطفال" into women_children; drops durations and money."""
    if unit.startswith("-"):
        return None, 0, 0, None, 0
    if unit in ("women", "children") and j + 1 < hi and view.words[j + 1].startswith("و"):
        other = unit_of(view.words[j + 1][1:])
        if other in ("women", "children") and other != unit:
            return "women_children", first, j + 2, view.words[j], conf
    return unit, first, j + 1, view.words[j], conf


def _unit_after_min(view: TextView, j: int, hi: int):
    """After "من": "50 من مقاتلي", "عشرات من «داعش»", "عدة آلاف من الأسر"."""
    while j < hi and view.words[j] in _SKIP:
        j += 1
    if j >= hi or view.kinds[j] != "w":
        return None
    u = unit_of(view.words[j])
    if u and not u.startswith("-"):
        return u, j + 1, 1.0
    if any(c in lexicon.units().group_names for c in candidates(view.words[j], True)):
        end = j + 1
        return "fighters", end + 1 if end < hi and view.words[end] in _SKIP else end, 1.0
    u = human_unit(view.words[j], construct=True)
    if u:
        return u, j + 1, OPEN_CONFIDENCE
    return None


def _unit_before(view: TextView, n: NumberSpan, lo: int):
    """"حافلة واحدة", "شخص واحد", "المختطفين الـ30": the counted noun comes first."""
    i = n.first - 1
    if i < lo or view.kinds[i] != "w":
        return None
    if not ((not n.digits and n.value in (1, 2)) or (n.digits and n.definite)):
        return None
    u = unit_of(view.words[i])
    if u is None or u.startswith("-"):
        return None
    return u, i


def _bare_ok(view: TextView, j: int, hi: int) -> bool:
    """A bare number may stand for people when no noun follows it ("غادر الآلاف على ..."), or
    when its own verb does ("120 ألفاً فرّوا", "مقتل 31 وجرح 12", "وأصيب 64 بجروح")."""
    if j >= hi or view.kinds[j] != "w":
        return True
    w = view.words[j]  # "وإصابة 33 من ميليشيات …": the term, required of a bare number, decides
    if w == "من" and j + 1 < hi and (unit_of(view.words[j + 1]) or "").startswith("-"):
        return False  # "عشرات من الكيلومترات": a measure, a duration or money
    return w in lexicon.units().function_words or figure_terms.term_of(w) is not None


def _not_a_count(view: TextView, n: NumberSpan, unit: str, unit_word) -> bool:
    """"رجل واحد" (one, written as a word, of people), a population ("250 ألف نسمة"), and a
    number that is an epithet of a definite noun ("الوصايا العشر", "الأيام الثلاثة")."""
    U = lexicon.units()
    if n.value == 1 and not n.digits and unit not in U.countable_one:
        return True
    if unit_word and lookup(unit_word, U.population_words):
        return True
    prev = view.words[n.first - 1] if n.first > 0 else ""
    return (not n.digits and n.definite and prev.startswith("ال") and unit_word is None)


def percent_after(view: TextView, j: int, hi: int) -> Optional[int]:
    for seq in lexicon.units().percent:
        if tuple(view.words[j:j + len(seq)]) == seq:
            return j + len(seq)
    return None


def _is_age(view: TextView, first: int, lo: int) -> bool:
    cues = lexicon.units().age_cues
    return any(view.words[i] in cues for i in range(max(lo, first - 3), first))


# ---------------------------------------------------------------- dual nouns


def _dual_figures(view: TextView, lo: int, hi: int, covered: set[int]) -> list[Figure]:
    """"حافلتان" = 2 buses, "عائلتين" = 2 families."""
    duals = lexicon.units().duals
    out, last = [], -2
    for i in triggers.within(view, triggers.DUAL, lo, hi):
        if i in covered or i == last + 1:
            continue  # "جثتي رجلين": one pair, told by two duals
        unit = lookup(view.words[i], duals)
        if unit is None:
            continue
        term = figure_terms.term(view, i, i + 1, lo, hi, view.words[i])
        s, e = view.span(i, i + 1)
        out.append(Figure(view.text[s:e], s, e, confidence=0.85, value=2, unit=unit, term=term))
        last = i
    return out

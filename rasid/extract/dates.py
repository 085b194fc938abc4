"""Dates in Arabic news text, resolved against the article's publication date.

``find_dates(text, published)`` returns a ``DateMention`` per date expression: weekdays (الخميس,
أمس الاثنين), deictic words (اليوم, أمس), relative expressions (قبل أسبوعين, الأسبوع الماضي),
Levantine, Western and Maghrebi month names (combined forms too: تموز/يوليو), years and numeric
dates. Rules and precision semantics: docs/extraction-figures-dates.md.
"""
from __future__ import annotations

from typing import Optional

from rasid.extract import lexicon, triggers
from rasid.extract.date_patterns import (RELATIONS, RawDate, base_in, day_month, deictic, month_name,
                                         numeric_date, weekday)
from rasid.extract.date_periods import ago, named_period, period, years
from rasid.extract.date_resolve import resolve
from rasid.ingest.published import parse_published
from rasid.extract.durations import scan_durations
from rasid.extract.textview import TextView, view_of
from rasid.models import DateMention

__all__ = ["find_dates", "find_durations", "scan_dates"]


def find_dates(text: str, published: Optional[str],
               spans: Optional[list[tuple[int, int]]] = None) -> list[DateMention]:
    """Date mentions in ``text`` (limited to sentence ``spans`` when given), in text order."""
    view = view_of(text)
    pub = parse_published(published)
    out = []
    for lo, hi in _ranges(view, spans):
        for raw in scan_dates(view, lo, hi):
            out.append(_mention(view, raw, pub))
    return out


def _ranges(view: TextView, spans) -> list[tuple[int, int]]:
    if spans is None:
        return [(0, len(view))]
    return [(view.token_at(s), view.token_at(e)) for s, e in spans]


def _mention(view: TextView, raw: RawDate, pub) -> DateMention:
    r = resolve(raw, pub)
    s, e = view.span(raw.first, raw.last)
    return DateMention(view.text[s:e], s, e, confidence=raw.confidence, value=r.value,
                       precision=r.precision, resolved=r.resolved, relative=r.relative, note=r.note)


def find_durations(text: str) -> list[tuple[int, int, float, str]]:
    """Durations ("ثلاث سنوات", "4 سنوات", "شهرين", "لعدة أيام"): (start, end, count, unit).

    They are not dates and not figures; Wojood labels them DATE, so the span evaluation uses them.
    """
    view = view_of(text)
    return [(*view.span(i, j), count, unit) for i, j, count, unit in scan_durations(view, 0, len(view))]


# ---------------------------------------------------------------- scanning


def scan_dates(view: TextView, lo: int, hi: int) -> list[RawDate]:
    out: list[RawDate] = []
    done = lo
    for i in triggers.within(view, triggers.DATE, lo, hi):
        if i < done:
            continue
        found = _match(view, i, hi)
        if found:
            for raw in found:
                _extend_left(view, raw, out[-1].last if out else lo)
            out.extend(found)
            done = found[-1].last
    return out


def _match(view: TextView, i: int, hi: int) -> list[RawDate]:
    kind = view.kinds[i]
    if kind == "n":
        raw = numeric_date(view, i, hi) or day_month(view, i, hi)
        return [raw] if raw else years(view, i, hi, keyword=False)
    if kind != "w":
        return []
    for matcher in (month_name, weekday, deictic, ago, named_period, period):
        raw = matcher(view, i, hi)
        if raw:
            return [raw]
    return years(view, i, hi, keyword=True)


def _extend_left(view: TextView, raw: RawDate, floor: int) -> None:
    """Adds what stands before a date to its span: a position (نهاية), بتاريخ / يوم, منذ / خلال."""
    D = lexicon.dates()
    k = raw.first - 1
    if k >= floor and view.words[k] in D.month_prefixes and raw.kind in ("month", "absolute"):
        raw.first, k = k, k - 1
    if k >= floor and view.kinds[k] == "w" and base_in(view.words[k], D.positions):
        raw.position = D.positions[base_in(view.words[k], D.positions)]
        raw.first, k = k, k - 1
    if k > floor and view.words[k] == ":" and view.words[k - 1] in D.date_prefixes:
        k -= 1
    if k >= floor and view.words[k] in D.date_prefixes and raw.kind not in ("weekday", "deictic"):
        raw.first, k = k, k - 1
    if k >= floor and raw.kind not in ("ago", "deictic"):
        rel = RELATIONS.get(view.words[k][1:] if view.words[k].startswith("و") else view.words[k])
        if rel:
            raw.relation, raw.first = rel, k

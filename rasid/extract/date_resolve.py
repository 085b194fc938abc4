"""Turns a matched date expression into a date, using the article's publication date when needed.

Value semantics: ``value`` is the ISO date of the first day of the period the expression names;
``precision`` says how long that period is (day, week, month, year). A week starts on Monday (ISO).
A position word (بداية / منتصف / نهاية) keeps the period and goes into ``note`` (start, mid, end).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple, Optional

from dateutil.relativedelta import relativedelta

from rasid.extract.date_patterns import RawDate
from rasid.ingest.published import Published

UNIT_PRECISION = {"day": "day", "hour": "day", "minute": "day", "week": "week", "month": "month",
                  "year": "year", "decade": "year", "century": "year"}
_HIJRA = date(622, 7, 19).toordinal()  # 1 Muharram 1 AH in the proleptic Gregorian calendar
_HIJRI_YEAR = 354.36667


class Resolved(NamedTuple):
    value: Optional[str]
    precision: str
    resolved: bool
    relative: bool
    note: str


def resolve(raw: RawDate, pub: Published) -> Resolved:
    handler = {"absolute": _absolute, "month": _month, "year": _year, "weekday": _weekday,
               "deictic": _deictic, "ago": _ago, "named": _named, "period": _period}[raw.kind]
    out = handler(raw, pub)
    notes = [n for n in (out.note, raw.position, raw.relation) if n]
    return out._replace(note="; ".join(notes))


def _needs(pub: Published, precision: str) -> Optional[str]:
    """Why ``pub`` cannot resolve an expression needing ``precision``, or None when it can."""
    order = {"day": 4, "week": 3, "month": 2, "year": 1, "unknown": 0}
    if pub.day is None:
        return "relative to the publication date, which is unknown"
    if order[pub.precision] < order[precision]:
        return f"relative to the publication date, known only to the {pub.precision}"
    return None


def _unresolved(precision: str, why: str) -> Resolved:
    return Resolved(None, precision, False, True, why)


def _absolute(raw: RawDate, pub: Published) -> Resolved:
    try:
        value = date(raw.year, raw.month, raw.day or 1)
    except ValueError:
        return Resolved(None, "day" if raw.day else "month", False, False, "impossible date")
    return Resolved(value.isoformat(), "day" if raw.day else "month", True, False, "")


def _year(raw: RawDate, pub: Published) -> Resolved:
    note = f"until {raw.year_to}" if raw.year_to else ""
    if raw.hijri:
        start = date.fromordinal(_HIJRA + int((raw.year - 1) * _HIJRI_YEAR))
        return Resolved(start.isoformat(), "year", True, False, f"hijri year {raw.year} (tabular calendar)")
    return Resolved(f"{raw.year:04d}-01-01", "year", True, False, note)


def _month(raw: RawDate, pub: Published) -> Resolved:
    """A month (and day) without a year: the most recent one not after publication."""
    precision = "day" if raw.day else "month"
    why = _needs(pub, "month" if precision == "month" else "day")
    if why and not (raw.direction == "year_current" or raw.direction == "year_past"):
        return _unresolved(precision, why.replace("relative to", "year inferred from"))
    p = pub.day
    target = (raw.month, raw.day or 0)
    now = (p.month, p.day if raw.day else 0) if p else (13, 0)
    if raw.direction == "year_past":
        year = (p.year if p else 0) - 1
    elif raw.direction in ("current", "year_current"):
        year = p.year
    elif raw.direction == "future":
        year = p.year if target > now else p.year + 1
    elif raw.direction == "past":
        year = p.year if target < now else p.year - 1
    else:
        year = p.year if target <= now else p.year - 1
    if year <= 0:
        return _unresolved(precision, "year inferred from the publication date, which is unknown")
    try:
        value = date(year, raw.month, raw.day or 1)
    except ValueError:
        return Resolved(None, precision, False, True, "impossible date")
    return Resolved(value.isoformat(), precision, True, True, "year inferred from the publication date")


def _weekday(raw: RawDate, pub: Published) -> Resolved:
    """The most recent such weekday on or before publication; الماضي strictly before; المقبل after."""
    why = _needs(pub, "day")
    if why:
        return _unresolved("day", why)
    p = pub.day
    back = (p.weekday() - raw.weekday) % 7
    if raw.direction == "past" and back == 0:
        back = 7
    value = p - timedelta(days=back)
    if raw.direction == "future":
        value = p + timedelta(days=(raw.weekday - p.weekday()) % 7 or 7)
    note = ""
    if raw.said is not None and value != p + timedelta(days=raw.said):
        word = "أمس" if raw.said < 0 else "اليوم"
        note = f"{word} disagrees with the weekday and the publication date; the weekday was kept"
    return Resolved(value.isoformat(), "day", True, True, note)


def _deictic(raw: RawDate, pub: Published) -> Resolved:
    why = _needs(pub, "day")
    if why:
        return _unresolved("day", why)
    return Resolved((pub.day + timedelta(days=int(raw.count))).isoformat(), "day", True, True, "")


def _shift(p: date, unit: str, count: float) -> Optional[date]:
    """``p`` moved ``count`` units back (forward when negative); None outside the calendar."""
    try:
        return _shift_unsafe(p, unit, count)
    except (ValueError, OverflowError):
        return None


def _shift_unsafe(p: date, unit: str, count: float) -> date:
    n = int(count)
    if unit in ("day", "hour", "minute"):
        return p - timedelta(days=n if unit == "day" else n // 24 if unit == "hour" else 0)
    if unit == "week":
        return p - timedelta(weeks=n)
    if unit == "month":
        return p - relativedelta(months=n)
    years = {"year": 1, "decade": 10, "century": 100}[unit]
    return p - relativedelta(years=n * years)


def _start(d: Optional[date], precision: str) -> Optional[date]:
    if d is None:
        return None
    if precision == "week":
        return d - timedelta(days=d.weekday())
    if precision == "month":
        return d.replace(day=1)
    if precision == "year":
        return d.replace(month=1, day=1)
    return d


def _ago(raw: RawDate, pub: Published) -> Resolved:
    precision = UNIT_PRECISION[raw.unit]
    why = _needs(pub, precision)
    if why:
        return _unresolved(precision, why)
    value = _start(_shift(pub.day, raw.unit, raw.count), precision)
    if value is None:
        return _unresolved(precision, "outside the calendar's range")
    note = "approximate" if raw.unit in ("decade", "century") else ""
    return Resolved(value.isoformat(), precision, True, True, note)


def _named(raw: RawDate, pub: Published) -> Resolved:
    """الأسبوع الماضي = the week before the publication week; العام الجاري = the publication year."""
    precision = UNIT_PRECISION[raw.unit]
    why = _needs(pub, precision)
    if why:
        return _unresolved(precision, why)
    step = {"past": -1, "future": 1}.get(raw.direction, 0)
    value = _start(_shift(pub.day, raw.unit, -step), precision)
    if value is None:
        return _unresolved(precision, "outside the calendar's range")
    return Resolved(value.isoformat(), precision, True, True, "")


def _period(raw: RawDate, pub: Published) -> Resolved:
    """"الأسبوعين الماضيين": a period ending (or starting) at publication; value = its first day."""
    precision = UNIT_PRECISION[raw.unit]
    if raw.count is None:
        return Resolved(None, precision, False, True, "period of unknown length")
    why = _needs(pub, precision)
    if why:
        return _unresolved(precision, why)
    note = f"period: {raw.count:g} {raw.unit}(s) {'before' if raw.direction == 'past' else 'after'} publication"
    if raw.direction == "future":
        return Resolved(pub.day.isoformat(), precision, True, True, note)
    value = _start(_shift(pub.day, raw.unit, raw.count), precision)
    if value is None:
        return _unresolved(precision, "outside the calendar's range")
    return Resolved(value.isoformat(), precision, True, True, note)

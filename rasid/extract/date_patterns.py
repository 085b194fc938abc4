"""Absolute dates, weekdays and deictic words as token ranges; ``date_resolve`` dates them.

Recognised on the normalised view: numeric dates (15/1/1959), day + month name (+ year), month
names alone or combined (تموز/يوليو 2018, مايو (أيار), مارس/ آذار), weekdays with their prefixes
(أمس الاثنين, (أمس) الثلاثاء, يوم الخميس, الأربعاء الماضي) and deictic words (اليوم, أمس, أول من
أمس, غدا). Relative periods and years are in ``date_periods``; ``dates.scan_dates`` runs both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rasid.extract import lexicon
from rasid.extract.textview import TextView, candidates

_SEPS = frozenset("/-.")
RELATIONS = {"منذ": "since", "خلال": "during", "قبل": "before", "بعد": "after"}


@dataclass(slots=True)
class RawDate:
    first: int
    last: int
    kind: str  # absolute, month, weekday, deictic, ago, named, period, year
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    weekday: Optional[int] = None
    count: Optional[float] = None  # shift in days (deictic) or units (ago, named, period)
    unit: str = ""  # day, week, month, year, decade, hour, minute, century
    direction: str = ""  # past, future, current
    position: str = ""  # start, mid, end
    hijri: bool = False
    year_to: Optional[int] = None
    said: Optional[int] = None  # day shift of a deictic prefix: اليوم الخميس 0, أمس الاثنين -1
    relation: str = ""  # since, during, before, after
    confidence: float = 0.9


def word_at(view: TextView, j: int, hi: int) -> str:
    return view.words[j] if j < hi else ""


def base_in(word: str, table) -> Optional[str]:
    for c in candidates(word):
        if c in table:
            return c
    return None


def int_at(view: TextView, j: int, hi: int) -> Optional[int]:
    return int(view.words[j]) if j < hi and view.kinds[j] == "n" and view.words[j].isdigit() else None


# ---------------------------------------------------------------- absolute dates


def numeric_date(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    """15/1/1959, 1959-01-15, 15.1.1959, 4/22/1948 (month and day swapped when needed)."""
    if i >= hi or view.kinds[i] != "n":
        return None
    parts, j = [view.words[i]], i + 1
    if "." in parts[0] and "," not in parts[0]:
        parts = parts[0].split(".")
    else:
        while j + 1 < hi and view.words[j] in _SEPS and view.kinds[j + 1] == "n" and len(parts) < 3:
            parts.append(view.words[j + 1])
            j += 2
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    a, b, c = (int(p) for p in parts)
    y, m, d = (a, b, c) if len(parts[0]) == 4 else (c, b, a)
    if m > 12 and d <= 12:
        m, d = d, m
    if y < 100:
        y += 2000 if y < 50 else 1900
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1000 <= y <= 2100):
        return None
    j += word_at(view, j, hi) in lexicon.dates().era_gregorian and word_at(view, j, hi) != "م"
    return take_parens(view, RawDate(i, j, "absolute", year=y, month=m, day=d, confidence=0.95), hi)


def take_parens(view: TextView, raw: RawDate, hi: int) -> RawDate:
    """Takes "( 15 / 1 / 1959 )" whole when a prefix (بتاريخ، عام) stands before the parenthesis."""
    D = lexicon.dates()
    k = raw.first - 1
    if k > 0 and view.words[k] == "(" and word_at(view, raw.last, hi) == ")":
        prev = view.words[k - 1]
        if (prev in D.date_prefixes or prev in RELATIONS or base_in(prev, D.year_keywords)
                or prev == ":" and k > 1 and view.words[k - 2] in D.date_prefixes):
            raw.first, raw.last = k, raw.last + 1
    return raw


def month_at(view: TextView, j: int, hi: int) -> Optional[tuple[int, int, bool]]:
    """(month, end token, ambiguous) of a month name at ``j``, with "تموز/يوليو" and "مايو (أيار)"."""
    found = _one_month(view, j, hi)
    if not found:
        return None
    month, end, ambiguous = found
    other = _one_month(view, end + 1, hi) if word_at(view, end, hi) in ("/", "(") else None
    if other and other[0] == month:  # the same month in the other calendar
        if view.words[end] == "/":
            return month, other[1], False
        if word_at(view, other[1], hi) == ")":
            return month, other[1] + 1, False
    return month, end, ambiguous


def _one_month(view: TextView, j: int, hi: int) -> Optional[tuple[int, int, bool]]:
    if j >= hi or view.kinds[j] != "w":
        return None
    D = lexicon.dates()
    word = view.words[j]
    head = base_in(word, D.month_heads)
    if head and word_at(view, j + 1, hi) in D.month_heads[head]:
        return D.month_heads[head][view.words[j + 1]], j + 2, False
    base = base_in(word, D.months)
    if base is None:
        return None
    ambiguous = base in D.ambiguous_months and not view.surface(j, j + 1).lstrip("وبلف").startswith("آ")
    return D.months[base], j + 1, ambiguous


def year_after(view: TextView, j: int, hi: int) -> tuple[Optional[int], int, bool]:
    """A year right after a month: "2018", "( 1970 )", "عام 2018", "1308 هـ"."""
    D = lexicon.dates()
    k = j + 1 if word_at(view, j, hi) in D.year_keywords or word_at(view, j, hi) in ("/", ",") else j
    opened = word_at(view, k, hi) == "("
    k += opened
    y = int_at(view, k, hi)
    if y is None or not (1000 <= y <= 2100) or len(view.words[k]) != 4:
        return None, j, False
    k += 1
    if opened and word_at(view, k, hi) in ("/", "-") and int_at(view, k + 1, hi) and word_at(view, k + 2, hi) == ")":
        k += 2  # "عام ( 1931 / 1932 )"
    if opened:
        if word_at(view, k, hi) != ")":
            return None, j, False
        k += 1
    hijri = word_at(view, k, hi) in D.era_hijri
    if hijri or word_at(view, k, hi) in D.era_gregorian:
        k += 1
    return y, k, hijri


def direction_at(view: TextView, j: int, hi: int) -> tuple[str, int]:
    D = lexicon.dates()
    w = word_at(view, j, hi)
    for words, name in ((D.past, "past"), (D.future, "future"), (D.current, "current")):
        if w in words:
            return name, j + 1
    if w == "من" and word_at(view, j + 1, hi) in D.named_periods:  # "أيار من العام الماضي"
        d, k = direction_at(view, j + 2, hi)
        if d:
            return "year_" + d, k
    return "", j


def day_month(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    day = int_at(view, i, hi)
    if day is None or not (1 <= day <= 31) or len(view.words[i]) > 2:
        return None
    found = month_at(view, i + 1, hi)
    if not found or (i > 0 and base_in(view.words[i - 1], lexicon.dates().name_heads)):
        return None
    return _finish_month(view, RawDate(i, found[1], "month", month=found[0], day=day, confidence=0.95), hi)


def month_name(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    found = month_at(view, i, hi)
    if not found or (i > 1 and view.kinds[i - 1] == "n" and base_in(view.words[i - 2], lexicon.dates().name_heads)):
        return None  # "قوى 14 آذار" is a coalition
    raw = _finish_month(view, RawDate(i, found[1], "month", month=found[0], confidence=0.9), hi)
    if found[2] and raw.year is None and not raw.direction and not _month_context(view, i):
        return None  # مارس 'he practised', أب 'father'
    return raw


def _month_context(view: TextView, i: int) -> bool:
    D = lexicon.dates()
    prev = view.words[i - 1] if i > 0 else ""
    return prev in D.month_prefixes or base_in(prev, D.positions) is not None


def _finish_month(view: TextView, raw: RawDate, hi: int) -> RawDate:
    if word_at(view, raw.last, hi) == "(" and numeric_date(view, raw.last + 1, hi):
        inner = numeric_date(view, raw.last + 1, hi)  # "شباط ( 28 / 2 / 1945 )"
        raw.kind, raw.year, raw.month, raw.day, raw.last = "absolute", inner.year, inner.month, inner.day, inner.last
        raw.last += word_at(view, raw.last, hi) == ")"
        return raw
    year, raw.last, raw.hijri = year_after(view, raw.last, hi)
    if year is not None:
        raw.kind, raw.year = "absolute", year
        return raw
    raw.direction, raw.last = direction_at(view, raw.last, hi)
    return raw


# ---------------------------------------------------------------- weekdays and deictic words


def weekday(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    """"الخميس", "يوم الثلاثاء", "أمس الاثنين", "(أمس) الثلاثاء", "الأربعاء الماضي"."""
    D = lexicon.dates()
    base = base_in(view.words[i], D.weekdays)
    if base is None or (i > 0 and base_in(view.words[i - 1], D.name_heads)):
        return None  # "سوق الجمعة" is a market
    raw = RawDate(i, i + 1, "weekday", weekday=D.weekdays[base], confidence=0.9)
    raw.direction, raw.last = direction_at(view, raw.last, hi)
    _weekday_prefix(view, raw)
    k = raw.last + (word_at(view, raw.last, hi) in ("الموافق", ","))
    explicit = numeric_date(view, k, hi) or day_month(view, k, hi) if k < hi and view.kinds[k] == "n" else None
    if explicit:  # "يوم الثلاثاء الموافق 5 / 8 / 2008", "يوم السبت 28 آذار / مارس"
        explicit.first = raw.first
        return explicit
    return raw


def _weekday_prefix(view: TextView, raw: RawDate) -> None:
    D = lexicon.dates()
    k = raw.first - 1
    if k >= 1 and view.words[k] == ")" and view.words[k - 1] == "امس":
        raw.said, raw.first = -1, k - 1
        k -= 2
        if k >= 0 and view.words[k] == "(":
            raw.first = k
        return
    if k >= 0 and view.kinds[k] == "w" and base_in(view.words[k], D.weekday_prefixes):
        raw.said = D.deictic.get(base_in(view.words[k], D.weekday_prefixes))
        raw.first = k
        if k >= 1 and base_in(view.words[k - 1], D.time_prefixes):
            raw.first = k - 1


def deictic(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    D = lexicon.dates()
    for words, shift in D.deictic_phrases:
        if tuple(view.words[i:i + len(words)]) == words or (
                view.words[i].startswith("و") and tuple([view.words[i][1:]] + view.words[i + 1:i + len(words)]) == words):
            return _time_prefix(view, RawDate(i, i + len(words), "deictic", count=shift, confidence=0.9))
    base = base_in(view.words[i], D.deictic)
    if base is None or _weekday_follows(view, i, hi):
        return None
    if base == "اليوم" and (word_at(view, i + 1, hi) in D.today_not_after or (
            i > 0 and view.words[i - 1] in D.today_not_before)):
        return None
    if base == "الليله" and word_at(view, i + 1, hi) not in D.past:
        return None
    return _time_prefix(view, RawDate(i, i + 1, "deictic", count=D.deictic[base], confidence=0.85))


def _weekday_follows(view: TextView, i: int, hi: int) -> bool:
    weekdays = lexicon.dates().weekdays
    j = i + 1 + (word_at(view, i + 1, hi) == ")")
    return j < hi and base_in(view.words[j], weekdays) is not None


def _time_prefix(view: TextView, raw: RawDate) -> RawDate:
    k = raw.first - 1
    if k >= 0 and view.kinds[k] == "w" and base_in(view.words[k], lexicon.dates().time_prefixes):
        raw.first = k
    return raw

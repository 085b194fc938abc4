"""Relative periods and years: "قبل أسبوعين", "الأسبوع الماضي", "الأسابيع الماضية", "عامي 2017 و 2018"."""
from __future__ import annotations

from typing import Optional

from rasid.extract import lexicon
from rasid.extract.date_patterns import (RawDate, base_in, direction_at, int_at, take_parens, word_at,
                                         year_after)
from rasid.extract.numbers import scan as scan_numbers
from rasid.extract.textview import TextView


def _count_unit(view: TextView, j: int, hi: int) -> Optional[tuple[float, str, int]]:
    """(count, unit, end) of "أسبوعين", "ثلاثة أيام", "4 سنوات", "عشرين عاما", "عقد"."""
    units = lexicon.dates().time_units
    if j >= hi:
        return None
    unit = units.get(view.words[j])
    if unit and unit[1]:
        return unit[1], unit[0], j + 1
    nums = scan_numbers(view, j, min(hi, j + 6))
    if nums and nums[0].first == j and nums[0].kind == "cardinal" and nums[0].last < hi:
        unit = units.get(view.words[nums[0].last])
        if unit:
            return nums[0].value, unit[0], nums[0].last + 1
    return None


def ago(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    """"قبل أسبوعين" = two weeks before publication."""
    word = view.words[i][1:] if view.words[i].startswith("و") else view.words[i]
    if word not in ("قبل", "منذ"):
        return None
    found = _count_unit(view, i + 1, hi)
    if not found:
        return None
    return RawDate(i, found[2], "ago", count=found[0], unit=found[1], direction="past",
                   relation="since" if word == "منذ" else "", confidence=0.85)


def named_period(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    """"الأسبوع الماضي", "الشهر المقبل", "العام الجاري", "هذا الأسبوع"."""
    D = lexicon.dates()
    word = view.words[i]
    if base_in(word, D.this) and word_at(view, i + 1, hi) in D.named_periods:
        return RawDate(i, i + 2, "named", unit=D.named_periods[view.words[i + 1]], direction="current")
    base = base_in(word, D.named_periods)
    if base is None:
        return None
    direction, end = direction_at(view, i + 1, hi)
    if not direction or direction.startswith("year_"):
        return None
    return RawDate(i, end, "named", unit=D.named_periods[base], direction=direction)


def period(view: TextView, i: int, hi: int) -> Optional[RawDate]:
    """"الأسابيع الماضية", "الأسبوعين الماضيين", "الساعات الـ24 الماضية", "الأيام القليلة المقبلة"."""
    D = lexicon.dates()
    base = base_in(view.words[i], D.plural_periods)
    if base is None:
        return None
    unit = D.plural_periods[base]
    dual = lexicon.dates().time_units.get(base[2:], ("", 0))[1]
    count, j = (dual or None), i + 1
    nums = scan_numbers(view, j, min(hi, j + 4))
    if nums and nums[0].first == j and nums[0].kind == "cardinal":
        count, j = nums[0].value, nums[0].last
    elif word_at(view, j, hi) in ("القليله", "الاخيره", "الماضيه") and word_at(view, j + 1, hi) in D.past | D.future:
        j += 1
    direction, end = direction_at(view, j, hi)
    if direction not in ("past", "future"):
        return None
    return RawDate(i, end, "period", count=count, unit=unit, direction=direction, confidence=0.7)


# ---------------------------------------------------------------- years


def years(view: TextView, i: int, hi: int, keyword: bool) -> list[RawDate]:
    """"عام 2018", "عامي 2017 و 2018" (two years), "1936 - 1939" (a range), a bare "1948"."""
    D = lexicon.dates()
    j = i
    if keyword:
        if base_in(view.words[i], D.year_keywords) is None:
            return []
        j = i + 1
    year, end, hijri = year_after(view, j, hi)
    if year is None or (not keyword and not _bare_year(view, i, hi)):
        return []
    raw = RawDate(i, end, "year", year=year, hijri=hijri, confidence=0.95 if keyword else 0.75)
    if not keyword:
        take_parens(view, raw, hi)
    if word_at(view, end, hi) in ("-", "/") and int_at(view, end + 1, hi) and len(view.words[end + 1]) == 4:
        raw.year_to, raw.last = int(view.words[end + 1]), end + 2
        return [take_parens(view, raw, hi)]
    second = _second_year(view, raw, hi)
    return [raw, second] if second else [raw]


def _bare_year(view: TextView, i: int, hi: int) -> bool:
    nums = scan_numbers(view, i, min(hi, i + 3))
    return bool(nums) and nums[0].first == i and nums[0].is_year


def _second_year(view: TextView, raw: RawDate, hi: int) -> Optional[RawDate]:
    """"عامي 2017 و 2018": the second year of a pair, as its own date."""
    j = raw.last
    if word_at(view, j, hi) == "و" and int_at(view, j + 1, hi) and len(view.words[j + 1]) == 4:
        return RawDate(j + 1, j + 2, "year", year=int(view.words[j + 1]), confidence=raw.confidence)
    return None

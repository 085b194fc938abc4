"""The one parser of publication dates: ISO, RSS (RFC 2822) and the common numeric forms.

Ingest reads the date a source gives (``2020/08/04 09:55:00``, ``04-08-2020``, ``٠٤/٠٨/٢٠٢٠``,
``Thu, 26 Aug 2021 10:00:00 +0300``); extraction reads the stored ISO value back to resolve
relative dates. Both go through ``parse_published``.

Day and month: ``04/08/2020`` is read day first (4 August 2020), as dates are written in the Arab
world and in SaudiNewsNet-style dumps; only when the second number cannot be a month
(``08/24/2020``) is it read month first. Two-digit years are not guessed.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import NamedTuple, Optional

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (U+06F0..) digits; U+060D, the Arabic date separator.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u060d", "01234567890123456789/")
_TIME = r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*(am|pm|a\.m\.|p\.m\.|ص|م|صباحا|مساء)(?!\w))?)?"
_YMD = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2})" + _TIME + ")?)?", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME, re.IGNORECASE)
_PM = ("pm", "p.m.", "م", "مساء")
# What may follow a date: the end, a time zone (Z, +03:00, -0500, UTC), a space or a fraction.
_TAIL = re.compile(r"$|[Z+\-.\s]", re.IGNORECASE)

EXAMPLES = "2020-08-04, 2020/08/04 09:55, 04/08/2020, 2020.08.04, Thu, 26 Aug 2021 10:00:00 +0300"


class Published(NamedTuple):
    """A publication date as stored: an ISO date or datetime, truncated to its precision."""

    value: Optional[str]  # "2021-08-26", "2021-08-26T10:00:00", "2021-08", "2021"; None when unknown
    precision: str  # day, month, year, unknown

    @property
    def day(self) -> Optional[date]:
        """The first day of the period the value names (None when unknown)."""
        if not self.value:
            return None
        parts = [int(p) for p in self.value[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


UNKNOWN = Published(None, "unknown")


def parse_published(value: Optional[str]) -> Published:
    """(ISO date or datetime, precision). Unparseable or missing: (None, "unknown")."""
    if value is None or not str(value).strip():
        return UNKNOWN
    text = str(value).strip().translate(_DIGITS)
    for pattern, order in ((_YMD, "ymd"), (_DMY, "dmy")):
        match = pattern.match(text)
        if match and _TAIL.match(text, match.end()):
            return _numeric(match.groups(), order)
    return _rfc2822(text)


def _numeric(groups: tuple, order: str) -> Published:
    if order == "ymd":
        year, _, month, day, hour, minute, second, half = groups
    else:
        day, _, month, year, hour, minute, second, half = groups
        if int(month) > 12 >= int(day):  # 08/24/2020 can only be month first
            day, month = month, day
    try:
        if not month:
            return Published(f"{_year(year):04d}", "year")
        if not day:
            return Published(date(_year(year), int(month), 1).isoformat()[:7], "month")
        moment = datetime(_year(year), int(month), int(day), _hour(hour, half), int(minute or 0), int(second or 0))
    except ValueError:
        return UNKNOWN
    return Published(moment.isoformat() if hour else moment.date().isoformat(), "day")


def _year(year: str) -> int:
    if int(year) < 1:
        raise ValueError("year 0")
    return int(year)


def _hour(hour: Optional[str], half: Optional[str]) -> int:
    value = int(hour or 0)
    if half and value <= 12:
        value = value % 12 + (12 if half.lower() in _PM else 0)
    return value


def _rfc2822(text: str) -> Published:
    """RSS: "Thu, 26 Aug 2021 10:00:00 +0000", stored in UTC."""
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return UNKNOWN
    if moment.tzinfo:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return UNKNOWN
    return Published(moment.isoformat(), "day")

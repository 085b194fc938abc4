"""Durations: "ثلاث سنوات", "4 سنوات", "شهرين", "لعدة أيام" — never figures, never dates."""
from __future__ import annotations

from rasid.extract import lexicon
from rasid.extract.numbers import scan
from rasid.extract.textview import TextView, candidates

_SEVERAL = frozenset(("عده", "بضعه", "بضع"))


def _unit(word: str):
    units = lexicon.dates().time_units
    for c in candidates(word):
        if c in units and not c.startswith("ال"):
            return units[c], c != word and word.endswith(c) and "ال" in word[: len(word) - len(c)]
    return None, False


def scan_durations(view: TextView, lo: int, hi: int) -> list[tuple[int, int, float, str]]:
    """(first token, end token, count, unit); count 0 when vague ("عدة أيام", "سنوات")."""
    out = []
    covered: set[int] = set()
    for n in scan(view, lo, hi):
        if n.kind == "cardinal" and not n.is_year and n.last < hi:
            (unit, definite) = _unit(view.words[n.last])
            if unit and not definite:
                out.append((n.first, n.last + 1, n.value, unit[0]))
                covered.update(range(n.first, n.last + 1))
    for i in range(lo, hi):
        if i in covered:
            continue
        unit, definite = _unit(view.words[i])
        if not unit or definite:
            continue
        if unit[1] == 2:
            out.append((i, i + 1, 2, unit[0]))
        elif i > lo and any(c in _SEVERAL for c in candidates(view.words[i - 1])):
            out.append((i - 1, i + 1, 0, unit[0]))
    return sorted(out)

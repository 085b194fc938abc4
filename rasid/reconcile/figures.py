"""What a reported figure allows: the interval of values its qualifier covers, and when two agree.

"نحو 50" covers 45..55, so it agrees with 53; "أكثر من 38 ألف" covers 38,000..57,000, so it
agrees with 40,000; "53", "45" and "50", all exact, agree with none of the others. Only figures
that count the same thing are compared: same unit class (persons, families, vehicles) and same
term class (moved, killed...).
"""
from __future__ import annotations

import math
from typing import Any, Optional

from rasid.models import Figure
from rasid.reconcile.options import DEFAULT_OPTIONS, ReconcileOptions, term_class, unit_class


def figure_dict(f: Figure) -> dict[str, Any]:
    """A figure as a claim keeps it."""
    return {"value": _number(f.value), "value_max": _number(f.value_max), "unit": f.unit, "term": f.term,
            "qualifier": f.qualifier or "exact", "vague": bool(f.vague), "text": f.text,
            "start": f.start, "end": f.end}


def _number(value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def count_kind(fig: dict[str, Any], event_type: str = "") -> tuple[str, str]:
    """(unit class, term class): the thing a figure counts."""
    return unit_class(fig.get("unit") or ""), term_class(fig.get("term") or "", event_type)


def is_count(fig: Optional[dict[str, Any]]) -> bool:
    """A number of people or things (not a batch ordinal, not an empty figure)."""
    return bool(fig) and fig.get("value") is not None and fig.get("ordinal") is None \
        and unit_class(fig.get("unit") or "") != "batches"


def interval(fig: dict[str, Any], opts: ReconcileOptions = DEFAULT_OPTIONS) -> tuple[float, float]:
    """The values a figure allows, from its value, range, qualifier and vagueness."""
    v = float(fig["value"])
    if fig.get("value_max") is not None:
        return v, float(fig["value_max"])
    if fig.get("vague"):
        return v, v * opts.vague_factor - 1
    qualifier = fig.get("qualifier") or "exact"
    if qualifier == "approx":
        return v * (1 - opts.approx_tolerance), v * (1 + opts.approx_tolerance)
    if qualifier in ("more_than", "at_least"):
        return v, v * opts.more_than_cap
    if qualifier in ("up_to", "less_than"):
        return v * opts.up_to_floor, v
    if v >= 1000 and v % 1000 == 0:  # "40 ألف" is a rounded figure even without "نحو"
        return v * (1 - opts.round_tolerance), v * (1 + opts.round_tolerance)
    return v, v


def agree(a: dict[str, Any], b: dict[str, Any], opts: ReconcileOptions = DEFAULT_OPTIONS) -> bool:
    """Whether two figures can both be true."""
    lo_a, hi_a = interval(a, opts)
    lo_b, hi_b = interval(b, opts)
    return lo_a <= hi_b and lo_b <= hi_a


def closeness(a: dict[str, Any], b: dict[str, Any], opts: ReconcileOptions = DEFAULT_OPTIONS) -> float:
    """1 when two figures agree, falling to 0 when one is twice the other: 53 and 45 give 0.76."""
    if agree(a, b, opts):
        return 1.0
    va, vb = float(a["value"]), float(b["value"])
    if va <= 0 or vb <= 0:
        return 0.0
    return max(0.0, 1 - abs(math.log(va / vb)) / math.log(2))

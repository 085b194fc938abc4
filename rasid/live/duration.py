"""Durations as people write them in settings and flags: 90, 90s, 5m, 1h, 1.5h, 250ms."""
from __future__ import annotations

import re

from rasid.errors import ConfigError

_UNITS = {"ms": 0.001, "s": 1.0, "": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|)\s*$", re.IGNORECASE)


def parse_duration(value: object, name: str) -> float:
    """Seconds; ``name`` (a setting or a flag) is named in the error."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(f"{name} = {value!r} is not a duration; write it like 30s, 5m, 1h or 250ms")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

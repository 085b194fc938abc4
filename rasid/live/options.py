"""The [live] settings in seconds, with the command's flags on top."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rasid.live.duration import parse_duration
from rasid.settings import Settings


@dataclass(frozen=True)
class LiveOptions:
    every: float = 300.0
    politeness: float = 2.0
    backoff_start: float = 30.0
    backoff_max: float = 3600.0
    debounce: float = 1.0
    scan_every: float = 0.5
    analyse: bool = True

    def backoff(self, failures: int) -> float:
        """The wait before retrying a feed that failed ``failures`` times in a row: doubling, capped."""
        return min(self.backoff_start * 2 ** max(failures - 1, 0), self.backoff_max)


def live_options(settings: Settings, analyse: Optional[bool] = None, **flags: Optional[str]) -> LiveOptions:
    """Flags given (not None) override the [live] settings; a bad duration names its flag or setting."""
    values = {}
    for name in ("every", "politeness", "backoff_start", "backoff_max", "debounce", "scan_every"):
        given = flags.get(name)
        where = f"--{name.replace('_', '-')}" if given is not None else f"live.{name}"
        values[name] = parse_duration(given if given is not None else getattr(settings.live, name), where)
    enabled = settings.analysis.enabled if analyse is None else analyse
    return LiveOptions(**values, analyse=enabled)

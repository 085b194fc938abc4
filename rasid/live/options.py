"""The [live] settings in seconds, with the command's flags on top."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rasid.errors import ConfigError
from rasid.live.duration import parse_duration
from rasid.settings import LiveSettings, Settings

_SHIPPED = LiveSettings()  # the defaults are written once, as durations, in rasid/settings.py


def _shipped(name: str) -> float:
    return parse_duration(getattr(_SHIPPED, name), f"live.{name}")


@dataclass(frozen=True)
class LiveOptions:
    """The [live] settings in seconds; by default the shipped ones."""

    every: float = _shipped("every")
    politeness: float = _shipped("politeness")
    backoff_start: float = _shipped("backoff_start")
    backoff_max: float = _shipped("backoff_max")
    debounce: float = _shipped("debounce")
    scan_every: float = _shipped("scan_every")
    full_pass_idle: float = _shipped("full_pass_idle")
    incremental_above: int = _SHIPPED.incremental_above
    full_pass_after: int = _SHIPPED.full_pass_after
    analyse: bool = True

    def backoff(self, failures: int) -> float:
        """The wait before retrying a feed that failed ``failures`` times in a row: doubling, capped."""
        return min(self.backoff_start * 2 ** max(failures - 1, 0), self.backoff_max)


def live_options(settings: Settings, analyse: Optional[bool] = None, **flags: Optional[str]) -> LiveOptions:
    """Flags given (not None) override the [live] settings; a bad duration names its flag or setting."""
    values = {}
    for name in ("every", "politeness", "backoff_start", "backoff_max", "debounce", "scan_every", "full_pass_idle"):
        given = flags.get(name)
        where = f"--{name.replace('_', '-')}" if given is not None else f"live.{name}"
        values[name] = parse_duration(given if given is not None else getattr(settings.live, name), where)
    enabled = settings.analysis.enabled if analyse is None else analyse
    for name in ("incremental_above", "full_pass_after"):
        if getattr(settings.live, name) < 0:
            raise ConfigError(f"live.{name} = {getattr(settings.live, name)} is negative; give 0 or more")
    return LiveOptions(**values, incremental_above=settings.live.incremental_above,
                       full_pass_after=settings.live.full_pass_after, analyse=enabled)

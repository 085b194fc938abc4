"""Which lines of a report are not its text: a headline repeated, footers, share and subscribe lines."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from rasid.arabic import lexicons
from rasid.arabic.normalize import match_key

# A first line longer than this is body text, not a headline (seed 004 opens with its lead).
MAX_HEADLINE_CHARS = 160


@lru_cache(maxsize=4)
def load_patterns(path: Optional[str] = None) -> tuple[re.Pattern, ...]:
    text = Path(path).read_text(encoding="utf-8") if path else \
        lexicons.text("lexicons/boilerplate.txt")
    lines = [line.strip() for line in text.splitlines()]
    return tuple(re.compile(line, re.IGNORECASE) for line in lines if line and not line.startswith("#"))


def is_boilerplate(line: str, patterns: tuple[re.Pattern, ...]) -> bool:
    key = match_key(line)
    return any(p.match(key) for p in patterns)


def choose_title(lines: list[str]) -> tuple[str, Optional[int]]:
    """The headline of a seed-style report and the index of the line it came from (None: not a line).

    The first line is the headline, unless it is too long to be one and a shorter line is
    repeated further down (a site that prints its headline under the text, as seed 004).
    """
    nonblank = [(i, l.strip()) for i, l in enumerate(lines) if l.strip()]
    if not nonblank:
        return "", None
    first_index, first = nonblank[0]
    if len(first) <= MAX_HEADLINE_CHARS:
        return first, first_index
    seen: dict[str, int] = {}
    for index, line in nonblank[1:]:
        key = match_key(line)
        if key in seen and len(line) <= MAX_HEADLINE_CHARS:
            return line, None
        seen[key] = index
    return "", None

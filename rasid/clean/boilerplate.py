"""Which lines of a report are not its text: a headline repeated, footers, share and subscribe lines."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

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
    return is_boilerplate_key(match_key(line), patterns)


def is_boilerplate_key(key: str, patterns: tuple[re.Pattern, ...]) -> bool:
    """``is_boilerplate`` of a line whose match key the caller has already made."""
    return matcher(patterns)(key)


_REFERS = re.compile(r"\\\d|\(\?P=|\(\?\(")  # a backreference or a conditional group


@lru_cache(maxsize=4)
def matcher(patterns: tuple[re.Pattern, ...]) -> Callable[[str], bool]:
    """Whether any pattern matches a key: one alternation, so one ``match`` call per line instead
    of one per pattern (an alternation backtracks into each branch, so it matches exactly when one
    of them does); the loop when the patterns cannot be joined (an inline flag in one of them).
    A caller that tests many lines takes it once: this cache's key hashes every compiled pattern,
    which costs four times the match itself."""
    if not patterns:
        return lambda key: False
    if any(_REFERS.search(p.pattern) for p in patterns):  # group numbers move in an alternation
        return lambda key: any(p.match(key) for p in patterns)
    try:
        joined = re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    except re.error:
        return lambda key: any(p.match(key) for p in patterns)
    return lambda key: joined.match(key) is not None


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

"""Bidi control characters in stored text (an outlet, a title): found, contained for display, dropped.

U+202E (right-to-left override) in an outlet name reverses whatever follows it on the line. The
web pages show such values through ``contain``; the CSV exports drop the controls and the JSON
ones escape them.
"""
from __future__ import annotations

import re
from typing import Any

# Embeddings, overrides and isolates (and their terminators), the marks LRM, RLM and ALM.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
EXPLICIT = re.compile("[\u202a-\u202e\u2066-\u2069]")  # the ones that reach past themselves
EMBEDDINGS, PDF = "\u202a\u202b\u202d\u202e", "\u202c"
ISOLATES, FSI, PDI = "\u2066\u2067\u2068", "\u2068", "\u2069"


def contain(value: Any) -> Any:
    """A string whose explicit bidi controls cannot act past its end: unmatched terminators are
    dropped, open ones closed, and the whole isolated in FSI...PDI. Other values pass unchanged."""
    if not isinstance(value, str) or hasattr(value, "__html__") or not EXPLICIT.search(value):
        return value
    out: list[str] = []
    open_: list[str] = []  # the terminator each open control needs, innermost last
    for ch in value:
        if ch in ISOLATES or ch in EMBEDDINGS:
            open_.append(PDI if ch in ISOLATES else PDF)
        elif ch == PDI:
            if PDI not in open_:
                continue
            while open_.pop() != PDI:  # a PDI also ends the embeddings opened inside its isolate
                pass
        elif ch == PDF:
            if not open_ or open_[-1] != PDF:
                continue
            open_.pop()
        out.append(ch)
    return FSI + "".join(out) + "".join(reversed(open_)) + PDI

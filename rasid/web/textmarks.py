"""An article's original text cut into pieces so figures become <mark>s tied to their evidence span.

Every piece carries its character offsets (data-s/data-e); the page's script highlights the
pieces inside a figure's evidence span. Without script the pieces simply read as the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from rasid.models import Extraction

_SENTENCE_END = re.compile(r"[.!?؟\n]|\.,")


@dataclass
class FigureMark:
    start: int
    end: int
    ev_start: int
    ev_end: int
    label: str = ""
    disputed: bool = False
    anchor: str = ""


@dataclass
class Piece:
    text: str
    start: int
    end: int
    mark: Optional[FigureMark] = None


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end): from after the previous stop to the next one."""
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    found = _SENTENCE_END.search(text, end)
    right = found.end() if found else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, right


def _valid(text: str, start: Any, end: Any) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def figure_marks(text: str, extraction: Optional[Extraction], claims: Iterable[dict[str, Any]] = (),
                 anchor_prefix: str = "fig") -> list[FigureMark]:
    """A mark per figure whose offsets fit the text. Its evidence is, in order of preference, the
    evidence of the claim that quotes it, the span of the event mention that uses it, its sentence."""
    if extraction is None:
        return []
    by_start = {}
    for claim in claims:
        figure = claim.get("figure") or {}
        if isinstance(figure.get("start"), int):
            by_start[figure["start"]] = claim
    event_span = {}
    for event in extraction.events:
        for index in event.figures:
            event_span.setdefault(index, (event.start, event.end))
    marks = []
    for index, figure in enumerate(extraction.figures):
        if not _valid(text, figure.start, figure.end):
            continue
        claim = by_start.get(figure.start)
        evidence = (claim or {}).get("evidence") or {}
        span = (evidence.get("start"), evidence.get("end"))
        if not _valid(text, *span):
            span = event_span.get(index, (None, None))
        if not _valid(text, *span) or not (span[0] <= figure.start and figure.end <= span[1]):
            span = sentence_around(text, figure.start, figure.end)
        label = " ".join(x for x in (_number(figure.value), figure.unit, figure.term, figure.qualifier) if x)
        marks.append(FigureMark(figure.start, figure.end, span[0], span[1], label,
                                "figure" in ((claim or {}).get("disputed") or []),
                                f"{anchor_prefix}-{figure.start}"))
    return marks


def _number(value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def pieces(text: str, marks: list[FigureMark]) -> list[Piece]:
    """The text cut at every figure and evidence boundary; overlapping figures keep the first."""
    chosen: list[FigureMark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if not chosen or mark.start >= chosen[-1].end:
            chosen.append(mark)
    cuts = {0, len(text)}
    for mark in chosen:
        cuts.update((mark.start, mark.end, mark.ev_start, mark.ev_end))
    inside = {m.start: m for m in chosen}
    out: list[Piece] = []
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    position = 0
    for point in points[1:]:
        if point <= position:
            continue
        mark = inside.get(position)
        if mark:
            out.append(Piece(text[mark.start: mark.end], mark.start, mark.end, mark))
            position = mark.end
            continue
        out.append(Piece(text[position:point], position, point))
        position = point
    return [p for p in out if p.text]

"""Arabic sentence splitting with character offsets into the original text.

A sentence ends at . ! ? ؟ … or a run of dots, at a blank line, and at a single newline
unless the text is hard-wrapped (newspaper dumps break lines at a fixed width in mid-sentence).
A dot does not end a sentence between two digits ("1.8 مليار") or after a one-letter
abbreviation ("د. محمد", "ق.م"), unless that letter follows a number ("عام 1770 م." ends one).
A dot inside a quotation does end one: news quotes whole sentences.

The ".," paragraph-join artefact of scraped pages ("منذ سنوات., وشهدت") is a boundary, and the
stray comma is left out of the next sentence. Offsets always point into the text as given.
"""
from __future__ import annotations

import regex

from rasid.models import Sentence

# A terminator, with the closing quotes/brackets that belong to the sentence it ends.
_END = regex.compile(r"(?:[.!?؟…]+)[\"'»”’)\]]*")
_PARAGRAPH = regex.compile(r"\n[ \t\u00a0]*\n\s*")
# Leading debris a sentence must not start with: spaces, commas of the ".," artefact, bullets.
_LEAD = regex.compile(r"[\s,،\-–—•*]+")
_TRAIL = regex.compile(r"[\s,،]+$")
_WORD_BEFORE = regex.compile(r"(\S+)\s*$")
_LOOKBACK = 24  # characters before a dot searched for the word it ends

# A fixed-width dump: its longest line is 40-119 characters and at least two lines are full
# (75% of the longest) yet end without a full stop, i.e. they break a sentence.
_WRAP_MIN, _WRAP_MAX = 40, 120
_WRAP_FULL = 0.75
_WRAP_LINES = 2


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` as offsets; empty and punctuation-only pieces are dropped."""
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        for start, end in _split_paragraph(text, p_start, p_end):
            span = _trim(text, start, end)
            if span and regex.search(r"\w", text[span[0]:span[1]]):
                out.append(Sentence(span[0], span[1], number))
    return out


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` as strings, in order."""
    return [text[s.start:s.end] for s in split_sentences(text)]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines always, single newlines unless the text is hard-wrapped."""
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    covered = {i for start, end in breaks for i in range(start, end)}
    width = max((len(line.rstrip()) for line in text.split("\n")), default=0)
    wrapped = _WRAP_MIN <= width < _WRAP_MAX and _wrapped_lines(text, width) >= _WRAP_LINES
    for m in regex.finditer(r"\n", text):
        if m.start() not in covered and not (wrapped and _continues(text, m.start(), width)):
            breaks.append((m.start(), m.end()))
    spans, cursor = [], 0
    for start, end in sorted(breaks):
        if start >= cursor:
            spans.append((cursor, start))
            cursor = end
    spans.append((cursor, len(text)))
    return [s for s in spans if s[1] > s[0]]


def _wrapped_lines(text: str, width: int) -> int:
    return sum(_continues(text, m.start(), width) for m in regex.finditer(r"\n", text))


def _continues(text: str, newline: int, width: int) -> bool:
    """Is the line ending at ``newline`` a wrapped line whose sentence goes on below?"""
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip()
    return len(line) >= _WRAP_FULL * width and not _END.fullmatch(line[-1:] or " ")


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for m in _END.finditer(text, start, end):
        if _is_boundary(text, m, end):
            pieces.append((cursor, m.end()))
            cursor = m.end()
    pieces.append((cursor, end))
    return pieces


def _is_boundary(text: str, m: regex.Match, end: int) -> bool:
    """Whether the terminator ``m`` really ends a sentence."""
    if m.group(0).rstrip("\"'»”’)]") != ".":
        return True  # ! ? ؟ … and runs of dots always end a sentence
    dot, after = m.start(), m.end()
    nxt = text[after] if after < end else " "
    prev = text[dot - 1] if dot > 0 else " "
    if prev.isdigit() and nxt.isdigit():
        return False  # a decimal point
    if _is_abbreviation(text, dot):
        return False
    return nxt.isspace() or nxt in ",،\"'«»“”()" or _is_letter(nxt)


def _is_letter(char: str) -> bool:
    return bool(regex.match(r"\p{Arabic}", char)) and not char.isdigit()


def _is_abbreviation(text: str, dot: int) -> bool:
    """One Arabic or Latin letter before the dot ("د." "ق.م" "U.S."), not right after a number."""
    window = text[max(0, dot - _LOOKBACK):dot]
    m = _WORD_BEFORE.search(window)
    if not m or len(m.group(1)) != 1 or not m.group(1).isalpha():
        return False
    return not window[:m.start()].rstrip()[-1:].isdigit()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    trail = _TRAIL.search(text, start, end)
    if trail:
        end = trail.start()
    return (start, end) if end > start else None

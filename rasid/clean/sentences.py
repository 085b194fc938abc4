"""Sentences and paragraphs with character offsets into the original text."""
from __future__ import annotations

import re

from rasid.models import Sentence

# A sentence ends at . ! ? ؟ … (and closing quotes after them) followed by space, a comma of a
# ".," paragraph join, or the end of the line. "3.5" and "د." (doctor) do not end one. The
# pattern opens with its first end mark and looks behind it for the "د"/"م" (the same matches as
# the lookbehind written first), so the regex engine skips to end marks instead of trying a
# lookbehind at every character.
_END = re.compile(r"[.!?؟…](?<!\bد.)(?<!\bم.)[.!?؟…]*[\"»”'’)]*(?=[\s,،]|$)")
# The ".," join artefact: a sentence end, a comma, then the next paragraph.
JOIN = re.compile(r"(?<=[.!?؟\"»”])\s*[,،](?=\s)")
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters str.isalnum() accepts
_LEAD = re.compile(r"[\s,،]*")  # what a sentence does not open with: spaces, a join's comma


def split_line(text: str, start: int, end: int, paragraph: int, original: str = "") -> list[Sentence]:
    """Sentences of text[start:end]; a ".," join (looked for in ``original``) starts a new paragraph."""
    original = original or text
    found: list[Sentence] = []
    pos = start
    for match in _END.finditer(text, start, end):
        _emit(found, text, pos, match.end(), paragraph)
        pos = match.end()
        join = JOIN.match(original, pos)
        if join and join.end() <= end:
            pos = join.end()
            paragraph += 1
    _emit(found, text, pos, end, paragraph)
    return found


def _emit(found: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    """Add text[start:end] to ``found`` as a sentence, less its spaces (and a join's comma before
    it), when a letter or digit is left."""
    start = _LEAD.match(text, start, end).end()
    end = start + len(text[start:end].rstrip())  # rstrip() strips what \s matches, as _LEAD does
    if end > start and _ALNUM.search(text, start, end):
        found.append(Sentence(start, end, paragraph))

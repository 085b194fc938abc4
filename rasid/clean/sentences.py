"""Sentences and paragraphs with character offsets into the original text."""
from __future__ import annotations

import re
from typing import Iterator

from rasid.models import Sentence

# A sentence ends at . ! ? ؟ … (and closing quotes after them) followed by space, a comma of a
# ".," paragraph join, or the end of the line. "3.5" and "د." (doctor) do not end one.
_END = re.compile(r"(?<!\bد)(?<!\bم)[.!?؟…]+[\"»”'’)]*(?=[\s,،]|$)")
# The ".," join artefact: a sentence end, a comma, then the next paragraph.
JOIN = re.compile(r"(?<=[.!?؟\"»”])\s*[,،](?=\s)")
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters str.isalnum() accepts


def split_line(text: str, start: int, end: int, paragraph: int, original: str = "") -> Iterator[Sentence]:
    """Sentences of text[start:end]; a ".," join (looked for in ``original``) starts a new paragraph."""
    original = original or text
    pos = start
    for match in _END.finditer(text, start, end):
        yield from _emit(text, pos, match.end(), paragraph)
        pos = match.end()
        join = JOIN.match(original, pos)
        if join and join.end() <= end:
            pos = join.end()
            paragraph += 1
    yield from _emit(text, pos, end, paragraph)


def _emit(text: str, start: int, end: int, paragraph: int) -> Iterator[Sentence]:
    while start < end and (text[start].isspace() or text[start] in ",،"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _ALNUM.search(text, start, end):
        yield Sentence(start, end, paragraph)

"""The clean stage: headline, boilerplate, paragraphs, hashtags and sentences of one report.

The original text is never changed; ``Cleaned`` describes it: which spans are the report's
sentences (offsets into the original), what was removed and why, and a display text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rasid.clean.boilerplate import choose_title, load_patterns, matcher
from rasid.arabic.normalize import match_key
from rasid.clean.sentences import JOIN, split_line
from rasid.models import Sentence

# Headlines, footers and share lines are short; longer lines are never matched against them.
MAX_CHROME_CHARS = 300
_HASHTAG = re.compile(r"#([\w\u0600-\u06FF]+)")
# The commas of sentences.JOIN, found from the end mark before them: JOIN opens with a lookbehind,
# which the regex engine tries at every character of the text; this opens with the mark itself
# (never a comma), so the same commas are found from far fewer starts.
_JOIN_COMMA = re.compile(r"[.!?؟\"»”]\s*[,،](?=\s)")


@dataclass
class Cleaned:
    title: str
    clean_text: str  # display text: paragraphs repaired, boilerplate gone, hashtags as words
    analysis_text: str  # same length as the original: hashtag signs and join commas blanked
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, reason)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline (nor the carriage returns before it)."""
    spans = []
    start, size = 0, len(text)
    while start < size:
        newline = text.find("\n", start)
        stop = size if newline < 0 else newline
        end = stop
        while end > start and text[end - 1] == "\r":
            end -= 1
        spans.append((start, end))
        start = stop + 1
    return spans


def _classify(text: str, spans: list[tuple[int, int]], title: str, title_line: Optional[int],
              patterns) -> list[Optional[str]]:
    """Why each line is not body text (None: it is body text)."""
    title_key = match_key(title) if title else None
    is_boilerplate = matcher(patterns)  # once a report, not once a line
    seen: set[str] = set()
    reasons: list[Optional[str]] = []
    for index, (start, end) in enumerate(spans):
        line = text[start:end].strip()
        if len(line) > MAX_CHROME_CHARS and index != title_line:
            reasons.append(None)  # a paragraph: too long to be chrome or a repeated headline
            continue
        key = match_key(line)
        if not line:
            reason = "blank"
        elif index == title_line:
            reason = "title"
        elif key == title_key:
            reason = "repeated headline"
        elif is_boilerplate(key):
            reason = "boilerplate"
        elif key in seen:
            reason = "repeated line"
        else:
            reason = None
        seen.add(key)
        reasons.append(reason)
    return reasons


def _display(text: str, sentences: list[Sentence]) -> str:
    paragraphs: list[list[str]] = []
    last = None
    for sentence in sentences:
        if sentence.paragraph != last:
            paragraphs.append([])
            last = sentence.paragraph
        paragraphs[-1].append(text[sentence.start:sentence.end])
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _analysis(text: str) -> str:
    """Blank what only gets in the extractors' way, keeping every offset where it was."""
    blank = []
    for match in _HASHTAG.finditer(text):
        blank.append(match.start())
        if "_" in match.group(1):
            blank += [i for i in range(match.start(1), match.end(1)) if text[i] == "_"]
    blank += [match.end() - 1 for match in _JOIN_COMMA.finditer(text)]  # a join ends with its one comma
    if not blank:  # most reports: nothing to blank, no copy
        return text
    # The slices between blanked characters, joined by a space each: no list of every character.
    pieces, start = [], 0
    for i in sorted(blank):
        pieces.append(text[start:i])
        start = i + 1
    pieces.append(text[start:])
    return " ".join(pieces)


def clean(text: str, title: Optional[str] = None, boilerplate_file: str = "") -> Cleaned:
    """Describe a report. ``title=None`` means the headline is the text's own first line."""
    patterns = load_patterns(boilerplate_file or None)
    spans = _lines(text)
    title_line = None
    if title is None:
        title, title_line = choose_title([text[s:e] for s, e in spans])
    reasons = _classify(text, spans, title, title_line, patterns)
    analysis = _analysis(text)
    sentences: list[Sentence] = []
    removed = []
    paragraph = 0
    for (start, end), reason in zip(spans, reasons):
        if reason:
            if reason != "blank":
                removed.append((start, end, reason))
            continue
        found = split_line(analysis, start, end, paragraph, text)
        sentences += found
        paragraph = (found[-1].paragraph + 1) if found else paragraph
    display = _HASHTAG.sub(lambda m: m.group(1).replace("_", " "), _display(text, sentences))
    return Cleaned(title=(title or "").strip(), clean_text=display, analysis_text=analysis,
                   sentences=sentences, removed=removed)

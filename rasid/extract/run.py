"""The extract stage for one article: figures, dates, places, actors, entities, sources, events.

    >>> from rasid.models import Article
    >>> x = extract_article(Article(id="a", text="غادرت دفعة ثانية درعا البلد الخميس، وفق ما أفاد المرصد.",
    ...                             published="2021-08-26"))
    >>> [(e.type, e.batch) for e in x.events]
    [('displacement', 2)]
"""
from __future__ import annotations

import gc
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from rasid.arabic import lexicons
from rasid.extract.actors import find_actors, load_actors
from rasid.extract.dates import find_dates
from rasid.extract.events import find_events
from rasid.extract.figure_places import outside_figures, place_figures
from rasid.extract.figures import find_figures
from rasid.extract.lexmatch import simple_sentences
from rasid.extract.ner.link import link_entities
from rasid.extract.place_unlinked import unlinked_places
from rasid.extract.places import find_places
from rasid.extract.sources import find_sources, source_for
from rasid.models import Article, EntityMention, EventMention, Extraction, Figure, Sentence, SourceMention

__all__ = ["ExtractOptions", "extract_article", "fallback_sentences", "infer_focus_country"]

# Where a report's own text ends in the seed-style files ("لم تشترك بعد…" and what follows).
_FOOTER = re.compile(r"^\s*لم تشترك بعد", re.M)


@dataclass(frozen=True)
class ExtractOptions:
    ner: bool = False  # run the named-entity tagger (names speakers without a title)
    ner_model: str = "auto"  # "auto", "tuned", "e5" or "crf" (see rasid.extract.ner)
    focus_country: Optional[str] = None  # ISO code; inferred from the text when None
    actor_files: tuple[str, ...] = ()  # the user's own actor dictionaries (rasid/data/lexicons/actors.tsv format)


def fallback_sentences(text: str) -> list[Sentence]:
    """Sentences for a caller without the clean stage: a split on . ! ? ؟ and line breaks, the
    footer ("لم تشترك بعد…") and repeated lines (a headline printed again) left out."""
    footer = _FOOTER.search(text)
    limit = footer.start() if footer else len(text)
    seen, out = set(), []
    for start, end in simple_sentences(text[:limit]):
        key = text[start:end].strip()
        if key in seen:
            continue
        seen.add(key)
        out.append(Sentence(start, end))
    return out


def _with_headline(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The headline (the text's first line) is read too when the clean stage set it aside."""
    first = text.find("\n")
    if first <= 0 or not text[:first].strip() or any(s.start < first for s in sentences):
        return sentences
    start = len(text[:first]) - len(text[:first].lstrip())
    end = len(text[:first].rstrip())
    return [Sentence(start, end, 0)] + list(sentences)


@lru_cache(maxsize=1)
def _country_words() -> dict[str, tuple[str, ...]]:
    """Country code -> the words counted for it (rasid/data/lexicons/country_words.json)."""
    raw = lexicons.load_json("lexicons/country_words.json")
    return {code: tuple(words) for code, words in raw.items() if not code.startswith("_")}


def infer_focus_country(text: str) -> Optional[str]:
    """The country a report is most about, from counts of country words; None when none occurs."""
    counts = {code: sum(text.count(w) for w in words) for code, words in _country_words().items()}
    code, n = max(counts.items(), key=lambda kv: kv[1])
    return code if n else None


@lru_cache(maxsize=1)
def _speech() -> re.Pattern:
    """The sentences the NER tagger reads: those that quote or cite someone (a cue word of
    source_cues.json's "ner_gate", a colon or a quotation mark). The CRF is the slowest
    extractor and its entities name speakers."""
    gate = lexicons.load_json("lexicons/source_cues.json")["ner_gate"]
    return re.compile(r"[«»\"“”:]|\b[وف]?(" + "|".join(map(re.escape, gate)) + ")")


def _entities(text: str, spans: Sequence[tuple[int, int]], model: str = "auto") -> list[EntityMention]:
    from rasid.extract.ner import resolve_model
    from rasid.extract.ner.memo import sentence_entities  # remembered per sentence; new ones batched

    name = resolve_model(model)  # the cache keys on the model that runs, not on "auto"
    speech = _speech()
    gated = [(start, end) for start, end in spans if speech.search(text, start, end)]
    return [EntityMention(text=t, start=start + s, end=start + e, confidence=c, label=label)
            for (start, _), found in zip(gated, sentence_entities([text[s:e] for s, e in gated], name))
            for t, s, e, c, label in found]


def held_figures(figures: list[Figure], events: Sequence[EventMention]) -> list[Figure]:
    """The figures some event holds, in order, the events' indexes renumbered to match (in place).

    Every count with a value reaches an event (rasid/extract/event_orphans.py) except one that
    has no term of its own in a report that tells no happening, or whose only event a gate
    refused (a court's sentence, a quoted text): it counts nobody the record is about
    (GOLD-GUIDE: a figure counts people affected by conflict or displacement), so it is left
    out and every stored figure reaches a claim. Batch ordinals and counts without a value stay.
    """
    held = {i for e in events for i in e.figures}
    keep = [i for i, f in enumerate(figures) if i in held or f.value is None or f.ordinal is not None]
    if len(keep) == len(figures):
        return figures
    new = {old: number for number, old in enumerate(keep)}
    for event in events:
        event.figures = [new[i] for i in event.figures]
    return [figures[i] for i in keep]


def attribute_figures(figures: Sequence[Figure], spans: Sequence[tuple[int, int]],
                      sources: Sequence[SourceMention], text: str = "") -> None:
    """Set each figure's source_id: the source of its sentence that covers its position."""
    for fig in figures:
        span = next(((s, e) for s, e in spans if s <= fig.start < e), None)
        if span is not None:
            fig.source_id = source_for(fig.start, span, sources, text)


_readers = 0  # extract_article calls in progress (threads)
_readers_enabled = [True]  # whether the collector was on when the first of them started
_readers_lock = threading.Lock()


@contextmanager
def _collector_paused():
    """Python's cycle collector off while one article is read, back on after (thread-safe: on
    again when the last reader leaves). An article makes thousands of short-lived tracked objects
    (tokens, views, mentions); collecting in their midst visited them again and again and promoted
    the ones still alive (cached views, tokens) until full collections of the whole heap (the
    gazetteer, the lexicons' caches) took a quarter of the stage's time. Refcounting frees them
    at the article's end; the collector then runs as usual for any cycle left."""
    global _readers
    with _readers_lock:
        if _readers == 0:
            _readers_enabled[0] = gc.isenabled()
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _readers_lock:
            _readers -= 1
            if _readers == 0 and _readers_enabled[0]:
                gc.enable()


def extract_article(article: Article, sentences: Optional[list[Sentence]] = None,
                    options: Optional[ExtractOptions] = None) -> Extraction:
    """Everything the extract stage finds in one article, with offsets into ``article.text``.

    ``sentences`` come from the clean stage (offsets into ``article.text``); when None the text is
    split here. The headline line is read as a sentence when the sentences leave it out.
    """
    with _collector_paused():
        return _extract(article, sentences, options or ExtractOptions())


def _extract(article: Article, sentences: Optional[list[Sentence]], opts: ExtractOptions) -> Extraction:
    text = article.text
    sents = _with_headline(text, list(sentences) if sentences is not None else fallback_sentences(text))
    spans = [(s.start, s.end) for s in sents]
    focus = opts.focus_country or infer_focus_country(text)
    figures = find_figures(text, spans)
    dates = find_dates(text, article.published, spans)
    places = outside_figures(find_places(text, spans, focus), figures)
    actors = find_actors(text, spans, load_actors(tuple(opts.actor_files)))
    entities = link_entities(_entities(text, spans, opts.ner_model), places, actors) if opts.ner else []
    sources = find_sources(text, spans, actors, entities)
    attribute_figures(figures, spans, sources, text)
    place_figures(text, figures, spans, places, sources, unlinked_places(text, places))
    events = find_events(text, spans, figures, dates, places, actors, sources, published=article.published)
    figures = held_figures(figures, events)
    return Extraction(article_id=article.id, figures=figures, dates=dates, places=places, actors=actors,
                      entities=entities, sources=sources, events=events)

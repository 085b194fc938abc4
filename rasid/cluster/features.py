"""What the clusterer keeps of each report: hashed term bags, dates, and extraction signatures.

A report's features depend on that report (and its extraction) alone, never on the others, so
they are computed once, kept in the clusterer's state, and the stories can be recomputed from
them in any order with the same result.
"""
from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

import numpy as np

from rasid.cluster import terms
from rasid.models import Article, Extraction

LEAD_WORDS = 30  # content words after the title that make the "lead"
_YEAR = re.compile(r"(?<![0-9٠-٩])(?:19|20|١٩|٢٠)[0-9٠-٩]{2}(?![0-9٠-٩])")  # int() reads both
_BROAD_PLACES = {"country", "region"}  # سوريا is in every report: not a story signal


@dataclass
class ArticleFeatures:
    id: str
    title: str
    day: Optional[int]  # proleptic ordinal of the publication date, None when unknown
    word_cols: np.ndarray
    word_counts: np.ndarray
    char_cols: np.ndarray
    char_counts: np.ndarray
    years: frozenset[int] = frozenset()
    places: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    event_days: tuple[int, ...] = ()
    lead: str = ""  # title and lead, for the optional embeddings
    embedding: Optional[np.ndarray] = field(default=None, repr=False)

    @property
    def sort_key(self) -> tuple:
        """Canonical order: dated reports by date, then undated ones; ties by id."""
        return (self.day is None, self.day or 0, self.id)


def features_to_bytes(features: ArticleFeatures) -> bytes:
    """One report's features as bytes for the store's row; ``features_from_bytes`` reads them."""
    return pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL)


def features_from_bytes(data: bytes) -> ArticleFeatures:
    """Features from ``features_to_bytes``; only load bytes this program wrote."""
    return pickle.loads(data)


def parse_day(value: Optional[str], precision: str = "") -> Optional[int]:
    """Ordinal day of an ISO date or datetime; None when missing, coarser than a week, or bad."""
    if not value or precision in ("month", "year") or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _years(text: str) -> frozenset[int]:
    """Years from 1950 to 2049 written in the text (any digits)."""
    return frozenset(y for y in map(int, _YEAR.findall(text)) if 1950 <= y <= 2049)


def _body(article: Article) -> str:
    text = article.clean_text or article.text
    title = article.title.strip()
    if title and text.lstrip().startswith(title):
        text = text.lstrip()[len(title):]
    return text


def extraction_signature(extraction: Optional[Extraction]) -> dict:
    """What the clusterer reads of an extraction: a few small sets (cheap to send to a worker)."""
    if extraction is None:
        return {}
    places = {p.place_id or p.name for p in extraction.places
              if (p.place_id or p.name) and p.precision not in _BROAD_PLACES}
    actors = {a.actor_id or a.name for a in extraction.actors if a.actor_id or a.name}
    types = {e.type for e in extraction.events if e.type}
    values = [d.value for d in extraction.dates if d.value and d.precision in ("day", "week")]
    values += [e.date.get("value") for e in extraction.events
               if e.date and e.date.get("precision") in ("day", "week")]
    days = {parse_day(v) for v in values} - {None}
    return {"places": frozenset(places), "actors": frozenset(actors),
            "event_types": frozenset(types), "event_days": tuple(sorted(days))}


def article_features(article: Article, extraction: Optional[Extraction] = None,
                     signature: Optional[dict] = None) -> ArticleFeatures:
    """The features of one report (embeddings are added later, in a batch, when wanted);
    ``signature``, when given, is ``extraction_signature(extraction)`` computed already."""
    body = _body(article)
    head = article.title + " " + " ".join(body.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])
    word_cols, word_counts = terms.word_bag(article.title + " " + body)
    char_cols, char_counts = terms.char_bag(terms.words(head))
    return ArticleFeatures(
        id=article.id, title=article.title.strip() or " ".join(body.split()[:12]),
        day=parse_day(article.published, article.published_precision),
        word_cols=word_cols, word_counts=word_counts, char_cols=char_cols,
        char_counts=char_counts, years=_years(article.title + " " + body), lead=head.strip(),
        **(extraction_signature(extraction) if signature is None else signature))

"""Options and data tables of the reconcile stage (rasid/data/lexicons/reconcile.json, source_credibility.json)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasid.arabic import lexicons


@dataclass(frozen=True)
class ReconcileOptions:
    # Matching mentions into events (rasid.reconcile.match).
    date_tolerance_days: int = 3  # two dated mentions further apart than this never merge
    min_merge_score: float = 2.0  # a pair needs the same subtype and one more solid shared fact
    # Figures that agree (rasid.reconcile.contradictions).
    approx_tolerance: float = 0.10  # "نحو 50" covers 45..55
    more_than_cap: float = 1.5  # "أكثر من 38 ألف" covers 38,000..57,000, not any larger number
    up_to_floor: float = 0.5  # "ما يصل إلى 20 ألف" covers 10,000..20,000
    round_tolerance: float = 0.05  # an "exact" multiple of 1,000 is a rounded figure: ±5%
    vague_factor: float = 10.0  # عشرات = 10 (ACLED) covers 10..99, مئات 100..999
    # Story assembly (rasid.reconcile.story).
    summary_sentences: int = 5
    align_max_articles: int = 300  # above this, retold sentences are not looked for (one n² matrix)


DEFAULT_OPTIONS = ReconcileOptions()


def _load(name: str) -> dict[str, Any]:
    return lexicons.load_json(name)


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """rasid/data/lexicons/reconcile.json: subtype groups, unit and term classes, cues, labels."""
    return _load("lexicons/reconcile.json")


@lru_cache(maxsize=1)
def credibility() -> dict[str, Any]:
    """rasid/data/lexicons/source_credibility.json: tiers by actor id and source type, and the rules."""
    return _load("lexicons/source_credibility.json")


@lru_cache(maxsize=1)
def _unit_classes() -> dict[str, str]:
    return {unit: cls for cls, units in tables()["unit_classes"].items() if cls != "_about" for unit in units}


@lru_cache(maxsize=1)
def _term_classes() -> dict[str, str]:
    return {term: cls for cls, terms in tables()["term_classes"].items() if cls != "_about" for term in terms}


def unit_class(unit: str) -> str:
    """persons, families, vehicles, batches, or the unit itself when unlisted."""
    return _unit_classes().get(unit or "", unit or "persons")


def term_class(term: str, event_type: str = "") -> str:
    """moved, killed, injured...; a figure without a term takes its event type's class."""
    if term:
        return _term_classes().get(term, term)
    return tables()["type_terms"].get(event_type, "count")


def subtype_group(event_type: str, subtype: str) -> str:
    """The group of subtypes that may describe one real event ("displacement/departure")."""
    groups = tables()["subtype_groups"].get(event_type, {})
    return f"{event_type}/{groups.get(subtype, '')}" if groups else event_type

"""Loads the number, unit and date lexicons from ``rasid/data`` once, keyed by normalised form."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasid.arabic import lexicons
from rasid.extract.textview import key

def _load(name: str) -> dict:
    return lexicons.load_json(name)


def _map(d: dict) -> dict:
    return {key(k): v for k, v in d.items()}


def _set(words) -> frozenset:
    return frozenset(key(w) for w in words)


def _phrases(lists) -> tuple[tuple[str, ...], ...]:
    """Word sequences, longest first so that "ما يزيد عن" wins over "يزيد عن"."""
    seqs = {tuple(key(w) for w in words) for words in lists}
    return tuple(sorted(seqs, key=len, reverse=True))


@dataclass(frozen=True)
class Numbers:
    cardinals: dict
    hundreds: frozenset
    teens: frozenset
    teen_units: dict
    multipliers: dict
    dual_multipliers: dict
    vague: dict
    vague_at_least: frozenset
    ordinals: dict
    ordinal_bare_stop: frozenset
    ordinal_nouns: frozenset
    index_nouns: frozenset
    name_particles: frozenset
    month_ordinal_heads: frozenset
    fractions: dict


@dataclass(frozen=True)
class Units:
    units: dict  # word -> unit
    duals: dict  # dual noun -> unit
    group_names: frozenset
    unit_terms: dict  # unit word -> term it implies (strong)
    weak_unit_terms: dict
    terms: dict  # cue word -> term
    qualifiers_before: tuple  # ((words...), qualifier)
    qualifiers_after: tuple
    excluded: dict  # word -> time / money / measure / age
    percent: tuple
    age_cues: frozenset
    clause_breaks: frozenset
    function_words: frozenset
    not_human: frozenset  # words in the forms of human nouns that are not (يومياً، ملايين)
    countable_one: frozenset  # units counted even as "one" (حافلة واحدة)
    population_words: dict  # نسمة: a population, never a figure
    open_people: frozenset  # nouns for people that count only with a term (شاب، مصل، موظف)


@dataclass(frozen=True)
class Dates:
    months: dict
    ambiguous_months: frozenset
    month_heads: dict  # first word of a two-word month -> {second word: month}
    weekdays: dict
    weekday_prefixes: frozenset
    deictic: dict
    deictic_phrases: tuple
    time_prefixes: frozenset
    today_not_after: frozenset
    today_not_before: frozenset
    past: frozenset
    future: frozenset
    current: frozenset
    this: frozenset
    positions: dict  # word -> start / mid / end
    time_units: dict  # word -> (unit, count); count 0 = plural, unknown
    named_periods: dict
    plural_periods: dict
    year_keywords: frozenset
    era_gregorian: frozenset
    era_hijri: frozenset
    date_prefixes: frozenset
    month_prefixes: frozenset
    ago: frozenset
    name_heads: frozenset


def _inverse(groups: dict) -> dict:
    return {key(w): name for name, words in groups.items() for w in words}


@lru_cache(maxsize=1)
def numbers() -> Numbers:
    d = _load("lexicons/numbers.json")
    return Numbers(
        _map(d["cardinals"]), _set(d["hundred_words"]), _set(d["teen_words"]), _map(d["teen_units"]),
        _map(d["multipliers"]), _map(d["dual_multipliers"]), _map(d["vague"]), _set(d["vague_at_least"]),
        _map(d["ordinals"]), _set(d["ordinal_bare_stop"]), _set(d["ordinal_noun_context"]),
        _set(d["index_nouns"]), _set(d["name_particles"]), _set(d["month_ordinal_heads"]), _map(d["fractions"]),
    )


def _qualifiers(groups: dict) -> tuple:
    pairs = [(seq, q) for q, lists in groups.items() for seq in _phrases(lists)]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=1)
def units() -> Units:
    d = _load("lexicons/units.json")
    return Units(
        _inverse(d["units"]), _map(d["duals"]), _set(d["group_names"]), _inverse(d["unit_terms"]),
        _inverse(d["weak_unit_terms"]), _inverse(d["terms"]), _qualifiers(d["qualifiers_before"]),
        _qualifiers(d["qualifiers_after"]), _inverse(d["excluded_units"]), _phrases(d["percent_words"]),
        _set(d["age_cues"]), _set(d["clause_breaks"]), _set(d["function_words"]),
        _set(d["not_human_nisba"]), frozenset(d["countable_one"]), {key(w): True for w in d["population_words"]},
        _set(d["open_people"]),
    )


def _month_heads(months: dict) -> dict:
    heads: dict = {}
    for name, month in months.items():
        words = name.split()
        if len(words) == 2:
            heads.setdefault(words[0], {})[words[1]] = month
    return heads


@lru_cache(maxsize=1)
def dates() -> Dates:
    d = _load("lexicons/dates.json")
    months = _map(d["months"])
    return Dates(
        {k: v for k, v in months.items() if " " not in k}, _set(d["ambiguous_months"]),
        _month_heads(months), _map(d["weekdays"]), _set(d["weekday_prefixes"]), _map(d["deictic"]),
        tuple((tuple(key(w) for w in words), shift) for words, shift in d["deictic_phrases"]),
        _set(d["deictic_time_prefixes"]), _set(d["today_not_after"]), _set(d["today_not_before"]),
        _set(d["past_words"]), _set(d["future_words"]), _set(d["current_words"]), _set(d["this_words"]),
        _inverse(d["positions"]), {key(k): tuple(v) for k, v in d["time_units"].items()},
        _map(d["named_periods"]), _map(d["plural_periods"]), _set(d["year_keywords"]),
        _set(d["era_gregorian"]), _set(d["era_hijri"]), _set(d["date_prefixes"]),
        _set(d["month_prefixes"]), _set(d["ago_words"]), _set(d["name_heads"]),
    )

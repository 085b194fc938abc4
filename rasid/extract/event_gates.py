"""What keeps a trigger word from telling a happening, and what marks one as background.

The event stage (rasid.extract.events) asks these questions of each trigger it finds:

- Is the word a verb entry read on a word that carries the article ال? A verb never takes the
  article, so «الاعتداء الغادر» (the treacherous attack) is an adjective, not «غادر» (left).
- Is the happening negated over a result verb? «لم يسفر الهجوم عن وقوع إصابات» names injuries
  that did not occur.
- Does the sentence tell no happening of the report at all (quoted scripture, a prayer, a
  condolence)?
- Is the trigger one that needs company (طوّقت alone is a cordon, not a siege; اجتماع without
  parties is a session, not a negotiation)?
- Is it followed by a hospital (medical transfer) or an animal (a shark's attack), or preceded
  by care (the wounded treated or visited)?
- Is it the object of a case, trial or charge («قضية تفجير المسجد»): background, not dated by
  the trial?
- Is it told in the past perfect or as earlier history («كان قد», «سبق أن»): background?

Every list is data: rasid/data/lexicons/event_triggers.json (verbs, negated_results,
not_event_sentences, alone_not_event, not_followed_by, not_preceded_by, background_cues,
reference_cues).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from rasid.arabic import lexicons
from rasid.arabic.morphology import ARTICLE
from rasid.arabic.normalize import match_key
from rasid.extract.lexmatch import Token, forms

__all__ = ["Gates", "gates", "verb_on_noun", "negated_result", "not_event_sentence", "needs_company",
           "followed_by_other", "preceded_by_other", "reference_cue", "background_cue"]

RESULT_WINDOW = 8  # words before a trigger searched for "negation … result verb"
CUE_WINDOW = 6  # words before a trigger searched for a background cue
FOLLOW_WINDOW = 3  # words after a trigger searched for a hospital or an animal
PRECEDE_WINDOW = 4  # words before a trigger searched for care of the wounded
REFERENCE_WINDOW = 2  # «قضية تفجير», «في قضية مقتل», «بتهمة قتل»: the case word governs the trigger


@dataclass(frozen=True)
class Gates:
    verbs: frozenset  # first keys of the verb entries
    negation: frozenset
    results: frozenset
    sentence_cues: tuple  # match keys of phrases
    company: dict  # trigger key -> keys one of which must be in the sentence
    background: tuple  # tuples of keys
    followed: dict  # event type -> keys that, just after its trigger, show no happening
    preceded: dict  # event type -> keys that, just before its trigger, show no happening
    reference: frozenset  # a case, a trial, a charge: the trigger names an earlier happening


def _phrase(words: Sequence[str]) -> tuple:
    return tuple(tuple(match_key(w).split()) for w in words)


@lru_cache(maxsize=1)
def gates() -> Gates:
    raw = lexicons.load_json("lexicons/event_triggers.json")
    verbs = frozenset(match_key(w).split()[0] for w in raw["verbs"])
    company = {match_key(k): frozenset(match_key(w) for w in v)
               for k, v in raw["alone_not_event"].items() if not k.startswith("_")}
    return Gates(verbs=verbs, negation=frozenset(match_key(w) for w in raw["negation"]),
                 results=frozenset(match_key(w) for w in raw["negated_results"]["words"]),
                 sentence_cues=tuple(match_key(w) for w in raw["not_event_sentences"]["cues"]),
                 company=company, background=_phrase(raw["background_cues"]["words"]),
                 followed=_by_type(raw["not_followed_by"]), preceded=_by_type(raw["not_preceded_by"]),
                 reference=frozenset(match_key(w) for w in raw["reference_cues"]["words"]))


def _by_type(table: dict) -> dict:
    return {k: frozenset(match_key(w) for w in v) for k, v in table.items() if not k.startswith("_")}


@lru_cache(maxsize=100_000)
def _bare(key: str) -> frozenset:
    return frozenset(f for f, _ in forms(key, article=True, suffix=True))


def verb_on_noun(is_verb: bool, stripped: str) -> bool:
    """A verb entry matched on a word whose stripped proclitics hold the article."""
    return is_verb and (ARTICLE in stripped or stripped.endswith("لل"))


def negated_result(toks: Sequence[Token], i: int, g: Gates) -> bool:
    """«لم يسفر … عن إصابات», «دون وقوع إصابات»: a negation, then a result word, before token i."""
    lo = max(0, i - RESULT_WINDOW)
    for k in range(lo, i):
        if _bare(toks[k].key) & g.negation:
            return any(_bare(toks[j].key) & g.results for j in range(k + 1, i))
    return False


def not_event_sentence(text: str, start: int, end: int, g: Gates) -> bool:
    """Scripture, a prayer or a condolence: the sentence tells no happening of the report."""
    key = match_key(text[start:end])
    return any(cue in key for cue in g.sentence_cues)


def needs_company(trigger_key: str, toks: Sequence[Token], g: Gates) -> bool:
    """True when a trigger that needs company (طوقت) has none in its sentence."""
    wanted = next((g.company[f] for f in _bare(trigger_key) if f in g.company), None)
    if wanted is None:
        return False
    return not any(f in wanted for t in toks for f, _ in forms(t.key, article=True, suffix=True))


def followed_by_other(kind: str, toks: Sequence[Token], after: int, g: Gates) -> bool:
    """A hospital right after a movement (medical care), an animal right after an attack;
    ``after`` is the index of the first token after the trigger."""
    wanted = g.followed.get(kind)
    return bool(wanted) and any(_bare(t.key) & wanted or t.key in wanted for t in toks[after:after + FOLLOW_WINDOW])


def preceded_by_other(kind: str, toks: Sequence[Token], first: int, g: Gates) -> bool:
    """The wounded treated, received or visited: care, not a happening."""
    wanted = g.preceded.get(kind)
    return bool(wanted) and any(_bare(t.key) & wanted or t.key in wanted
                                for t in toks[max(0, first - PRECEDE_WINDOW):first])


def reference_cue(toks: Sequence[Token], i: int, g: Gates) -> str:
    """A case, trial or charge word before token i: the trigger names an earlier happening."""
    return next((t.key for t in toks[max(0, i - REFERENCE_WINDOW):i] if t.key in g.reference or _bare(t.key) & g.reference), "")


def background_cue(toks: Sequence[Token], i: int, g: Gates) -> str:
    """The background cue in the words before token i, or "": a phrase's words in order, other
    words allowed between them («وكانت قوات النظام قد اقتحمت» holds «كانت قد»)."""
    window = toks[max(0, i - CUE_WINDOW):i]
    for phrase in g.background:
        k = 0
        for tok in window:
            if k < len(phrase) and (phrase[k] in _bare(tok.key) if k == 0 else tok.key == phrase[k]):
                k += 1
        if k == len(phrase):
            return " ".join(phrase)
    return ""

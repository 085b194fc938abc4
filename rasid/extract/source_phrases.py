"""The noun phrase that names a source after (or before) a reporting cue.

A source phrase is a named actor ("المرصد السوري"), an anonymous source ("مصدر أمني سوري",
"مصادر في جيش النظام", "شهود عيان"), a person ("رامي عبد الرحمن") or a title, actor and person
together ("مدير «المرصد» رامي عبد الرحمن"). Phrases may be coordinated: "شهود عيان ومصادر من
المعارضة" gives two; "مصادر في قوات النظام وفي المعارضة" gives two with one head.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from rasid.arabic import lexicons
from rasid.arabic.morphology import PROCLITICS
from rasid.arabic.normalize import match_key
from rasid.extract.lexmatch import PhraseIndex, Token, forms
from rasid.models import ActorMention, EntityMention

GENERIC_TYPES = ("informed_sources", "officials")


@dataclass
class Phrase:
    first: int  # token indexes in the sentence, end exclusive
    last: int
    type: str
    name: str = ""
    actor: Optional[ActorMention] = None
    person: str = ""
    head: str = ""  # the anonymous head noun, for "وفي المعارضة" ellipsis


@dataclass
class Memory:
    """What earlier sentences of the article taught: the persons named, the last anonymous source."""

    persons: dict = field(default_factory=dict)  # name tail key -> (full name, affiliation actor)
    last_anon: Optional[Phrase] = None
    last_speaker: Optional[Phrase] = None  # carried by «وأضاف»، «وأشار» in a later sentence

@dataclass
class Lexicon:
    """The source-cue data, indexed; loaded once by ``cues()``."""

    raw: dict
    cue_index: PhraseIndex = field(default_factory=PhraseIndex)
    anon_index: PhraseIndex = field(default_factory=PhraseIndex)
    words: dict[str, frozenset] = field(default_factory=dict)
    given_names: frozenset = frozenset()


def _keys(words: Sequence[str]) -> frozenset:
    return frozenset(match_key(w) for w in words)


@lru_cache(maxsize=1)
def cues() -> Lexicon:
    raw = lexicons.load_json("lexicons/source_cues.json")
    lex = Lexicon(raw)
    for kind in ("verbs", "relay_verbs", "prepositions"):
        for word in raw[kind]:
            lex.cue_index.add(word, kind)
    for kind, phrases in raw["anonymous"].items():
        for phrase in phrases:
            lex.anon_index.add(phrase, kind)
    for name in ("prepositions", "lookback_verbs", "anaphoric_sources", "linkers", "skip", "titles", "person_stop", "name_links",
                 "anonymous_heads", "head_links", "qualifiers", "openers", "continuing_verbs", "name_stops", "not_a_name", "document_nouns"):
        lex.words[name] = _keys(raw[name])
    names = "lexicons/ner/names.txt"
    if lexicons.exists(names):
        lex.given_names = _keys(l for l in lexicons.text(names).splitlines() if l and not l.startswith("#"))
    lex.given_names = lex.given_names | _keys(raw["given_names"])
    return lex


@lru_cache(maxsize=200_000)
def bare(key: str) -> frozenset:
    """A word's forms without proclitics."""
    return frozenset(f for f, _ in forms(key))


class Parser:
    """Parses source phrases in one sentence's tokens."""

    def __init__(self, text: str, toks: Sequence[Token], actors: Sequence[ActorMention],
                 persons: Sequence[EntityMention], memory: "Memory"):
        self.text, self.toks, self.lex = text, toks, cues()
        starts = {t.start: i for i, t in enumerate(toks)}
        self.actor_at = {starts[a.start]: (a, self._stop(starts[a.start], a.end))
                         for a in actors if a.start in starts}
        self.person_at = {starts[p.start]: (p, self._stop(starts[p.start], p.end))
                          for p in persons if p.start in starts}
        self.memory = memory

    def _stop(self, i: int, end: int) -> int:
        """The index after the last token that ends at or before `end`."""
        while i < len(self.toks) and self.toks[i].end <= end:
            i += 1
        return i

    def is_word(self, i: int, group: str) -> bool:
        return i < len(self.toks) and bool(bare(self.toks[i].key) & self.lex.words[group])

    # -- one phrase -------------------------------------------------------------------------
    def parse(self, j: int, allow_person: bool = True) -> list[Phrase]:
        """Phrases starting at token j (after titles), with coordinated ones; [] when none."""
        first = self.parse_one(j, allow_person)
        if first is None:
            return []
        out = [first]
        while out[-1].last < len(self.toks) and self.toks[out[-1].last].key.startswith("و"):
            nxt = self._coordinated(out[-1])
            if nxt is None:
                break
            out.append(nxt)
        return out

    def _coordinated(self, prev: Phrase) -> Optional[Phrase]:
        k = prev.last
        if prev.head and self.toks[k].key == "وفي" and k + 1 in self.actor_at:  # "وفي المعارضة"
            actor, end = self.actor_at[k + 1]
            kind = self.lex.raw["actor_type_source"].get(actor.type, prev.type)
            return Phrase(k, end, kind, f"{prev.head} في {self._span(k + 1, end)}", actor, head=prev.head)
        return self.parse_one(k, allow_person=False)

    def parse_one(self, j: int, allow_person: bool = True) -> Optional[Phrase]:
        k, titled = j, False
        while k < len(self.toks) and k - j < 4 and self.is_word(k, "titles") and k not in self.actor_at:
            k, titled = k + 1, True
        if k >= len(self.toks):
            return None
        if k in self.actor_at:
            return self._actor_phrase(j, k, titled, allow_person)
        if self.is_word(k, "anaphoric_sources") and self.memory.last_anon is not None:
            prev = self.memory.last_anon
            return Phrase(j, k + 1, prev.type, prev.name, prev.actor, head=prev.head)
        anon = self.lex.anon_index.match_at(self.text, self.toks, k)
        phrase = self._anon_phrase(j, anon) if anon is not None else None
        if phrase is not None:
            return phrase
        if allow_person or titled:
            return self._person_phrase(j, k)
        return None

    def _actor_phrase(self, j: int, k: int, titled: bool, allow_person: bool) -> Phrase:
        actor, end = self.actor_at[k]
        phrase = Phrase(j, end, actor.type, actor.name, actor)
        person = self._person_at(end, loose=titled) if (allow_person or titled) else None
        if person:
            name, stop = person
            phrase.person, phrase.name, phrase.last = name, name, stop
            self.known_add(name, actor)
        return phrase

    def _anon_phrase(self, j: int, match) -> Optional[Phrase]:
        kind, end = match.payload, match.last
        head = self.toks[match.first].key[len(match.stripped):]
        actor = None
        if end < len(self.toks) and self.is_word(end, "head_links") and end + 1 in self.actor_at:
            actor, end = self.actor_at[end + 1]
        # "مصدر أمني لوكالة ...": a prefixed actor is no construct-state affiliation
        elif end in self.actor_at and self.actor_at[end][0].text[:1] not in PROCLITICS:
            actor, end = self.actor_at[end]  # construct state: "مصادر جيش النظام", or "ضابط روسي"
        if kind == "members" and actor is None:
            return None
        if actor is not None and kind in GENERIC_TYPES + ("members",):
            kind = self.lex.raw["actor_type_source"].get(actor.type, kind)
        while end < len(self.toks) and end - match.last < 6 and self.is_word(end, "qualifiers"):
            end += 1
        name = self.text[self.toks[match.first].start + len(match.stripped):self.toks[end - 1].end]
        return Phrase(j, end, kind, name, actor, head=head)

    def _person_phrase(self, j: int, k: int) -> Optional[Phrase]:
        person = self._person_at(k, loose=False)
        if person is None:
            return None
        name, stop = person
        full, affiliation = self.memory.persons.get(match_key(name), (name, None))
        kind = affiliation.type if affiliation else "person"
        self.known_add(full, affiliation)
        return Phrase(j, stop, kind, full, affiliation, person=full)

    # -- persons ----------------------------------------------------------------------------
    def _person_at(self, k: int, loose: bool) -> Optional[tuple[str, int]]:
        """A person's name at token k: a NER entity, a known name's tail, or a given name."""
        if k >= len(self.toks):
            return None
        if k in self.person_at:
            ent, stop = self.person_at[k]
            return ent.text, stop
        for n in (3, 2, 1):
            key = " ".join(t.key for t in self.toks[k:k + n])
            if len(self.toks[k:k + n]) == n and key in self.memory.persons:
                return self.memory.persons[key][0], k + n
        if loose or self.toks[k].key in self.lex.given_names:
            return self._name_run(k)
        return None

    def _name_run(self, k: int) -> Optional[tuple[str, int]]:
        stop, limit = k, k + 2
        while stop < min(limit, len(self.toks)) and not self.is_word(stop, "person_stop") \
                and not self.toks[stop].key.isdigit() and self._gap_ok(stop):
            if self.toks[stop].key in self.lex.words["name_links"] or self.toks[stop].key.startswith("عبد"):
                limit = min(limit + 1, k + 4)
            stop += 1
        if stop == k:
            return None
        return self._span(k, stop), stop

    def _gap_ok(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.text[self.toks[i - 1].end:self.toks[i].start]
        return gap.strip(" «»\"“”") == "" or i == 0

    def known_add(self, name: str, actor: Optional[ActorMention]) -> None:
        words = match_key(name).split()
        for n in range(1, len(words) + 1):
            tail = " ".join(words[-n:])
            if n > 1 or len(tail) > 4:
                self.memory.persons.setdefault(tail, (name, actor))

    def _span(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start:self.toks[j - 1].end]

"""Actors (forces, groups, states, agencies, monitors) found by longest match on a dictionary.

    >>> [(a.text, a.actor_id) for a in find_actors("وقال مدير «المرصد السوري» إن قوات النظام تقدمت")]
    [('المرصد السوري', 'rasid:sohr'), ('قوات النظام', 'rasid:syrian-army')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from rasid.arabic import lexicons
from rasid.errors import InputError
from rasid.extract.lexmatch import PhraseIndex, span_pairs, tokenize
from rasid.models import ActorMention

__all__ = ["Actor", "ActorLexicon", "ACTOR_TYPES", "load_actors", "find_actors"]

ACTOR_TYPES = (
    "state_forces", "armed_opposition", "militia", "jihadist", "foreign_forces", "igo",
    "ngo_monitor", "media", "civilians", "government", "tribal",
)
_COLUMNS = ("id", "type", "name_ar", "name_en", "variants", "licensed_by")
# Two mentions of one actor joined only by these merge: "وكالة الأنباء السورية (سانا)".
_JOIN = re.compile(r"[\s()«»\"“”'-]*")
ANAPHORIC_CONFIDENCE = 0.7


@dataclass(frozen=True)
class Actor:
    id: str
    type: str
    name: str
    name_en: str
    licensed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    anaphoric: bool


class ActorLexicon:
    """The actors and an index of their spellings; built by ``load_actors``."""

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.index = PhraseIndex()

    def add(self, actor: Actor, variants: Iterable[str]) -> None:
        self.actors[actor.id] = actor
        for variant in [actor.name, *variants]:
            variant = variant.strip()
            anaphoric = variant.startswith("~")
            if variant.lstrip("~"):
                self.index.add(variant.lstrip("~"), _Entry(actor, anaphoric))

    def __len__(self) -> int:
        return len(self.actors)


def _parse_line(line: str, where: str) -> tuple[Actor, list[str]]:
    cells = line.rstrip("\n").split("\t")
    if len(cells) < 5:
        raise InputError(f"{where} has {len(cells)} columns; an actor line needs at least 5 "
                         f"tab-separated columns: {', '.join(_COLUMNS)}")
    cells += [""] * (6 - len(cells))
    actor_id, kind, name, name_en, variants, licensed = (c.strip() for c in cells[:6])
    if kind not in ACTOR_TYPES:
        raise InputError(f"{where}: actor type '{kind}' is unknown; use one of {', '.join(ACTOR_TYPES)}")
    if not actor_id or not name:
        raise InputError(f"{where}: an actor needs an id and an Arabic name")
    actor = Actor(actor_id, kind, name, name_en, tuple(x for x in licensed.split("|") if x))
    return actor, [v for v in variants.split("|") if v.strip()]


def _read_into(lexicon: ActorLexicon, text: str, label: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        actor, variants = _parse_line(line, f"line {number} of {label}")
        lexicon.add(actor, variants)


@lru_cache(maxsize=16)
def load_actors(extra_paths: tuple[Union[str, Path], ...] = ()) -> ActorLexicon:
    """The shipped dictionary (rasid/data/lexicons/actors.tsv) plus the user's files, in order."""
    lexicon = ActorLexicon()
    _read_into(lexicon, lexicons.text("lexicons/actors.tsv"), "rasid/data/lexicons/actors.tsv")
    for path in extra_paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"actor file '{path}' cannot be read ({exc}); check the path") from None
        _read_into(lexicon, text, str(path))
    return lexicon


def _lexicon(extra) -> ActorLexicon:
    if isinstance(extra, ActorLexicon):
        return extra
    if extra is None:
        return load_actors()
    if isinstance(extra, (str, Path)):
        extra = [extra]
    return load_actors(tuple(str(p) for p in extra))


def _licensed(entry: _Entry, seen: set[str]) -> bool:
    return not entry.anaphoric or entry.actor.id in seen or any(x in seen for x in entry.actor.licensed_by)


def _mention(text: str, start: int, end: int, entry: _Entry) -> ActorMention:
    actor = entry.actor
    return ActorMention(text=text[start:end], start=start, end=end,
                        confidence=ANAPHORIC_CONFIDENCE if entry.anaphoric else 1.0,
                        actor_id=actor.id, name=actor.name, name_en=actor.name_en, type=actor.type)


def _merge_adjacent(text: str, found: list[ActorMention]) -> list[ActorMention]:
    out: list[ActorMention] = []
    for m in found:
        prev = out[-1] if out else None
        if prev and prev.actor_id == m.actor_id and _JOIN.fullmatch(text, prev.end, m.start):
            close = m.end + 1 if text[m.end:m.end + 1] == ")" else m.end
            prev.end = close
            prev.text = text[prev.start:close]
            prev.confidence = max(prev.confidence, m.confidence)
        else:
            out.append(m)
    return out


def find_actors(text: str, spans: Optional[Sequence] = None,
                extra: Union[ActorLexicon, Sequence[Union[str, Path]], None] = None) -> list[ActorMention]:
    """Actor mentions in `text` (inside `spans` when given), left to right.

    `spans` are Sentences or (start, end) pairs; `extra` is a lexicon from ``load_actors`` or a
    list of user actor files. Anaphoric spellings count only after the actor was named.
    """
    lexicon = _lexicon(extra)
    seen: set[str] = set()
    found: list[ActorMention] = []
    for toks in tokenize(text, span_pairs(spans)):
        for match in lexicon.index.find(text, toks):
            entry: _Entry = match.payload
            if not _licensed(entry, seen):
                continue
            seen.add(entry.actor.id)
            found.append(_mention(text, match.start, match.end, entry))
    return _merge_adjacent(text, found)


def actor_of(actor_id: str, extra=None) -> Optional[Actor]:
    """The dictionary entry of an actor id, or None."""
    return _lexicon(extra).actors.get(actor_id)

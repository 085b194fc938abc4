"""In-text sources and direct quotes: who, inside a report, says what the report says.

    >>> s = find_sources("خرجت دفعة ثانية، وفق ما أفاد المرصد السوري لحقوق الإنسان.")
    >>> [(x.id, x.actor_id, x.cue) for x in s]
    [('s1', 'rasid:sohr', 'وفق ما أفاد')]

A source reports the claims of the sentence its cue is in ("وفق ما أفاد المرصد" at the end of a
sentence covers the whole sentence); a sentence without a cue is the outlet's own word, which
``attribute`` returns as None. A source that only relays another's words ("قال مصدر أمني لوكالة
الأنباء الألمانية", "نقلت سانا عن مصدر") has a cue starting with "relay:".
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from rasid.arabic.morphology import CONJUNCTIONS
from rasid.arabic.normalize import match_key
from rasid.extract.actors import find_actors
from rasid.extract.lexmatch import simple_sentences, span_pairs, tokenize
from rasid.extract.source_phrases import Memory, Parser, Phrase, bare, cues
from rasid.models import ActorMention, EntityMention, SourceMention

__all__ = ["find_sources", "attribute", "attribute_all", "source_for", "gave_no_figure", "is_relay", "RELAY"]

RELAY = "relay:"
_QUOTES = re.compile(r"«([^»\n]{2,2000})»|“([^”\n]{2,2000})”|\"([^\"\n]{2,2000})\"")
_VERB_CLITICS = ("",) + tuple(CONJUNCTIONS)  # a reporting verb takes only a conjunction
_IMPLICIT_CUE = ("ان", "إن", "أن")
_WRITTEN_MOST = 12  # words a source's name written before «أن» may take
_CONSTRUCT_MOST = 6  # definite words a construct-state name after «بحسب» may take
_WAS = ("كان", "وكان", "كانت", "وكانت")
_WRITTEN_AT_END = 6  # words a source's name ending the sentence may take («، كما أفادت الشرطة»)


def _close_quote(text: str, start: int, stop: int) -> int:
    """Take in the closing mark of a quotation opened inside the span: «المرصد»."""
    span = text[start:stop]
    for opening, closing in (("«", "»"), ("“", "”")):
        if span.count(opening) > span.count(closing) and text[stop:stop + 1] == closing:
            return stop + 1
    if span.count('"') % 2 and text[stop:stop + 1] == '"':
        return stop + 1
    return stop


def is_relay(source: SourceMention) -> bool:
    return source.cue.startswith(RELAY)


def _quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inner text of every quotation in the text."""
    out = []
    for m in _QUOTES.finditer(text):
        group = next(g for g in range(1, 4) if m.group(g) is not None)
        out.append((m.start(group), m.end(group)))
    return out


class _Scanner:
    """Finds the sources of one article, sentence by sentence."""

    def __init__(self, text: str, sentences: list[tuple[int, int]], actors, persons):
        self.text, self.sentences = text, sentences
        self.actors, self.persons = actors, persons
        self.lex = cues()
        self.memory = Memory()
        self.quotes = _quotes(text)
        self.found: list[SourceMention] = []
        self.prev_parser: Optional[Parser] = None

    def run(self) -> list[SourceMention]:
        for (start, end), toks in zip(self.sentences, tokenize(self.text, self.sentences)):
            actors = [a for a in self.actors if start <= a.start < end]
            persons = [p for p in self.persons if start <= p.start < end]
            parser = Parser(self.text, toks, actors, persons, self.memory)
            self._sentence(parser, end)
        for number, source in enumerate(self.found, 1):
            source.id = f"s{number}"
        return self.found

    def _sentence(self, parser: Parser, end: int) -> None:
        toks, i = parser.toks, self._implicit(parser) or self._continues_between(parser)
        while i < len(toks):
            cue = self.lex.cue_index.match_at(self.text, toks, i)
            if cue is None or (cue.payload != "prepositions" and cue.stripped not in _VERB_CLITICS):
                i += 1
                continue
            i = max(self._cue(parser, cue, end), i + 1)
        self.prev_parser = parser

    def _implicit(self, parser: Parser) -> int:
        """"سكان ومصادر في المعارضة أن ..." at the start of a sentence, with no verb left."""
        phrases = parser.parse(0, allow_person=False) if parser.toks else []
        if not phrases or phrases[0].actor is not None and not phrases[0].head:
            return 0
        nxt = phrases[-1].last
        if nxt < len(parser.toks) and parser.toks[nxt].key in _IMPLICIT_CUE:
            cue_tok = parser.toks[nxt]
            self._emit(parser, phrases, self.text[cue_tok.start:cue_tok.end], parser.toks[0].start, len(self.text))
            return nxt + 1
        return 0

    def _skip(self, parser: Parser, j: int, groups: tuple[str, ...], most: int) -> int:
        n = 0
        while j < len(parser.toks) and n < most and any(parser.is_word(j, g) for g in groups):
            j, n = j + 1, n + 1
        return j

    def _cue(self, parser: Parser, cue, end: int) -> int:
        toks, j = parser.toks, cue.last
        if cue.payload == "prepositions":
            j = self._skip(parser, j, ("linkers",), 2)
            verb = self.lex.cue_index.match_at(self.text, toks, j) if j < len(toks) else None
            if verb is not None and verb.payload == "verbs":
                j = verb.last
        j = self._skip(parser, j, ("skip", "linkers"), 3)
        cue_text = self.text[toks[cue.first].start + len(cue.stripped[:1] if cue.stripped in CONJUNCTIONS else ""):toks[j - 1].end]
        phrases = parser.parse(j) if j < len(toks) else []
        if cue.payload == "relay_verbs":
            return self._relay(parser, cue, phrases, cue_text, end)
        covering = self._covering(parser, cue)
        cue_text = covering + cue_text.strip()
        if not phrases and parser.is_word(cue.first, "lookback_verbs") and self._lookback(parser, cue, cue_text, end):
            return cue.last
        if not phrases and cue.payload == "prepositions":
            phrases = self._written_construct(parser, j)
        if not phrases and cue.payload == "verbs":
            phrases = self._written_subject(parser, cue.first) or self._written(parser, j, to_end=bool(covering))
        if not phrases:
            self._continues(parser, cue, cue_text, end)
            return cue.last
        self._emit(parser, phrases, cue_text, toks[cue.first].start, end)
        return max(phrases[-1].last, cue.last)

    def _covering(self, parser: Parser, cue) -> str:
        """«كما» or «على ما» before a verb inside the sentence (covering_before): returned as the
        start of the cue, which then covers the whole sentence like «بحسب»."""
        k = cue.first
        if k < 2 or cue.stripped:
            return ""
        before = " ".join(t.key for t in parser.toks[max(0, k - 2):k])
        for phrase in self.lex.raw["covering_before"]:
            key = match_key(phrase)
            if before == key or before.endswith(" " + key):
                return phrase + " "
        return ""

    def _written(self, parser: Parser, j: int, to_end: bool = False) -> list[Phrase]:
        """The source's name as written: the words between the verb and the «أن/إن/بأن/عن» (or
        the comma or colon) that opens what it says, when no known phrase is there; after
        «كما/على ما» (``to_end``) the few words that end the sentence («كما أفادت الشرطة.»)."""
        toks, k = parser.toks, j
        while k < len(toks) and k - j < _WRITTEN_MOST and not parser.is_word(k, "openers"):
            if k > j and self._pause_before(toks, k):
                break
            k += 1
        opened = k < len(toks) and (parser.is_word(k, "openers") or self._pause_before(toks, k)) \
            or to_end and k == len(toks) and k - j <= _WRITTEN_AT_END
        stop = j
        while stop < k and not self._name_stop(parser, stop):
            stop += 1
        while stop > j and parser.is_word(stop - 1, "linkers"):  # «بيان المنظمة إلى أنه»
            stop -= 1
        if not opened or stop == j or toks[j].key.isdigit() or any(parser.is_word(j, g) for g in ("linkers", "not_a_name")):
            return []
        name = self.text[toks[j].start:toks[stop - 1].end].strip(" ،,")
        return [Phrase(j, stop, "other", name)]

    def _written_construct(self, parser: Parser, j: int) -> list[Phrase]:
        """After «بحسب/وفق» (a document noun skipped: «بحسب أرقام وزارة الصحة الفلسطينية قتل»):
        a construct-state name, a noun followed by definite words, ends at the first word that
        is not definite; a lone word must be definite itself («بحسب الشرطة»)."""
        toks, k = parser.toks, self._skip(parser, j, ("document_nouns",), 1)
        if k >= len(toks) or toks[k].key.isdigit() or any(parser.is_word(k, g) for g in ("linkers", "not_a_name")):
            return []
        stop = k + 1
        while stop < len(toks) and stop - k <= _CONSTRUCT_MOST and _definite(toks[stop].key) \
                and not self._pause_before(toks, stop):
            stop += 1
        if stop == k + 1 and not _definite(toks[k].key):
            return []
        return [Phrase(k, stop, "other", self.text[toks[k].start:toks[stop - 1].end])]

    def _pause_before(self, toks, k: int) -> bool:
        gap = self.text[toks[k - 1].end:toks[k].start]
        return any(c in gap for c in "،,:")

    def _name_stop(self, parser: Parser, k: int) -> bool:
        key = parser.toks[k].key
        if key == "في" and k + 1 < len(parser.toks) and parser.toks[k + 1].key == "بيان":
            return True
        return parser.is_word(k, "name_stops")

    def _continues(self, parser: Parser, cue, cue_text: str, end: int) -> bool:
        """«وأضاف أن …»، «وأشار إلى …»، «وقال: إن …» opening a sentence carry the last speaker."""
        speaker = self.memory.last_speaker
        if speaker is None or cue.first > 0 or not cue.stripped or not parser.is_word(cue.first, "continuing_verbs"):
            return False
        tok = parser.toks[cue.first]
        self._emit_one(speaker, cue_text, tok.start, tok.end, end, None)
        return True

    def _continues_between(self, parser: Parser) -> int:
        """«وبين أن …» (بين also means «between»): only with و and أن/إن after it."""
        toks = parser.toks
        if len(toks) < 2 or self.memory.last_speaker is None or not parser.is_word(1, "openers"):
            return 0
        if toks[0].key not in ("وبين", "وبينت"):
            return 0
        self._emit_one(self.memory.last_speaker, self.text[toks[0].start + 1:toks[0].end], toks[0].start,
                       toks[0].end, len(self.text), None)
        return 1

    def _relay(self, parser: Parser, cue, phrases: list[Phrase], cue_text: str, end: int) -> int:
        toks = parser.toks
        after = phrases[-1].last if phrases else cue.last
        if not phrases:  # «ونقل الموقع عن مصادر …»: an outer name no phrase knows
            after = next((k for k in range(after, min(after + 3, len(toks))) if toks[k].key == "عن"), after)
        if after < len(toks) and toks[after].key == "عن":
            inner = parser.parse(after + 1)
            if inner:
                if phrases:
                    self._emit(parser, phrases, RELAY + cue_text, toks[cue.first].start, end)
                self._emit(parser, inner, "عن", toks[after].start, end)
                return inner[-1].last
        return cue.last

    def _lookback(self, parser: Parser, cue, cue_text: str, end: int) -> bool:
        """A verb whose subject comes first («قالوا»، «يقول»): True when its subject was found."""
        phrase = self._subject_before(parser, cue.first)
        if phrase is None and cue.first <= 1 and self.prev_parser is not None:
            phrase = self._first_phrase(self.prev_parser, len(self.prev_parser.toks))
        if phrase is not None:
            tok = parser.toks[cue.first]
            self._emit_one(phrase, cue_text, tok.start, tok.end, end, None)
        return phrase is not None

    def _written_subject(self, parser: Parser, k: int) -> list[Phrase]:
        """«وكان المتحدث الأمني بوزارة الداخلية، قد صرح بأنه …»: the subject between كان and قد."""
        toks = parser.toks
        if k < 3 or toks[k - 1].key != "قد" or toks[0].key not in _WAS:
            return []
        known = parser.parse_one(1, allow_person=False)
        if known is not None and known.last == k - 1:  # «وكان مصدر سوري قد صرح»: a known phrase
            return [Phrase(k, k + 1, known.type, known.name, known.actor, head=known.head)]
        name = self.text[toks[1].start:toks[k - 2].end].strip(" ،,")
        return [Phrase(k, k + 1, "other", name)] if len(name.split()) <= _WRITTEN_MOST else []

    def _subject_before(self, parser: Parser, stop: int) -> Optional[Phrase]:
        """The subject of a verb whose subject comes first: the last phrase opened by إن/أن
        ("إلا إن ناشطين ... قالوا"), else the sentence's first phrase ("وعبرت الولايات المتحدة
        ... وقالوا")."""
        for k in range(stop - 2, -1, -1):
            if parser.toks[k].key in _IMPLICIT_CUE:
                found = parser.parse_one(k + 1, allow_person=False)
                if found is not None and found.last <= stop:
                    return found
        return self._first_phrase(parser, stop)

    def _first_phrase(self, parser: Parser, stop: int) -> Optional[Phrase]:
        for k in range(stop):
            found = parser.parse_one(k, allow_person=False)
            if found is not None and found.last <= stop:
                return found
        return None

    def _emit(self, parser: Parser, phrases: list[Phrase], cue_text: str, start: int, end: int) -> None:
        for phrase in phrases:
            stop = parser.toks[phrase.last - 1].end
            self._emit_one(phrase, cue_text, start, stop, end, parser)
            start = parser.toks[phrase.first].start
        last = phrases[-1]
        relay = parser.actor_at.get(last.last)
        if relay and relay[0].type == "media" and relay[0].text.startswith("ل"):
            actor, stop = relay
            self._emit_one(Phrase(last.last, stop, actor.type, actor.name, actor), RELAY + "ل",
                           actor.start, actor.end, end, None)

    def _emit_one(self, phrase: Phrase, cue_text: str, start: int, stop: int, end: int,
                  parser: Optional[Parser]) -> None:
        actor = phrase.actor
        if phrase.head:
            self.memory.last_anon = phrase
        stop = _close_quote(self.text, start, stop)
        if not cue_text.startswith(RELAY):
            self.memory.last_speaker = phrase
        quote = self._quote_after(stop, end) if parser is not None else ""
        self.found.append(SourceMention(
            text=self.text[start:stop], start=start, end=stop, confidence=self._confidence(phrase),
            actor_id=actor.actor_id if actor else "", name=phrase.name, type=phrase.type,
            cue=cue_text, quote=quote))

    @staticmethod
    def _confidence(phrase: Phrase) -> float:
        if phrase.actor is not None:
            return round(min(1.0, phrase.actor.confidence + 0.1), 2)
        return 0.8 if phrase.type == "person" else 0.9

    def _quote_after(self, stop: int, end: int) -> str:
        """The first quotation of two words or more that opens after the source, in its sentence."""
        for q_start, q_end in self.quotes:
            if q_start < stop:
                continue
            if q_start > end:
                return ""
            inner = self.text[q_start:q_end]
            if len(inner.split()) >= 2 and not self._is_name(q_start, q_end):
                return inner.strip()
        return ""

    def _is_name(self, start: int, end: int) -> bool:
        """A quotation that only wraps an actor's name ("الفرقة الرابعة") is no quote."""
        return any(a.start <= start + 1 and a.end >= end - 1 for a in self.actors
                   if a.start < end and a.end > start)


def find_sources(text: str, spans: Optional[Sequence] = None,
                 actors: Optional[Sequence[ActorMention]] = None,
                 entities: Optional[Sequence[EntityMention]] = None) -> list[SourceMention]:
    """Every in-text source of `text` (inside `spans`, the sentences, when given), in order.

    `actors` are the article's actor mentions (found here when None); `entities` its NER
    mentions, whose PERS entities name speakers ("رامي عبد الرحمن").
    """
    sentences = span_pairs(spans) or simple_sentences(text)
    if actors is None:
        actors = find_actors(text, sentences)
    persons = [e for e in entities or () if e.label == "PERS"]
    return _Scanner(text, sentences, list(actors), persons).run()


def _in(span, source: SourceMention) -> bool:
    start, end = (span.start, span.end) if hasattr(span, "start") else span
    return start <= source.start < end


def attribute_all(span, sources: Sequence[SourceMention]) -> list[str]:
    """Ids of the sources whose cue is in the sentence `span`, relays last."""
    inside = [s for s in sources if _in(span, s)]
    return [s.id for s in inside if not is_relay(s)] + [s.id for s in inside if is_relay(s)]


def attribute(span, sources: Sequence[SourceMention]) -> Optional[str]:
    """The source that reports the claims of the sentence `span`; None when it is the outlet's."""
    ids = attribute_all(span, sources)
    return ids[0] if ids else None


def _definite(key: str) -> bool:
    return key.startswith(("ال", "لل"))


def _covers_sentence(source: SourceMention) -> bool:
    """"وفق ما أفاد X" and "بحسب X" cover their whole sentence; "قال X إن" only what follows."""
    words = source.cue.split()
    if any(source.cue.startswith(c + " ") for c in cues().raw["covering_before"]):
        return True
    return bool(words) and bool(bare(match_key(words[0])) & cues().words["prepositions"])


@lru_cache(maxsize=1)
def _no_figure_keys() -> tuple[str, ...]:
    return tuple(match_key(p) for p in cues().raw["no_figure"])


def gave_no_figure(text: str, start: int, end: int) -> bool:
    """True when text[start:end] says its speaker gives no number («دون أن يحدد عدد القتلى»)."""
    key = match_key(text[start:end])
    return any(p in key for p in _no_figure_keys())


def source_for(position: int, span, sources: Sequence[SourceMention], text: str = "") -> Optional[str]:
    """The source of a value at `position` in sentence `span`: the nearest non-relay source cited
    before it in the sentence (the speaker of a quote it stands in), else a "وفق/بحسب" source
    cited after it; None (the outlet) otherwise. A «بحسب/وفق» source inside a speaker's words
    leaves the figure to the speaker. With `text`, a speaker who says between his cue
    and the value that he gives no number («… دون أن يحدد عددهم») is not its source."""
    inside = [s for s in sources if _in(span, s) and not is_relay(s)]
    before = [s for s in inside if s.start <= position]
    if len(before) > 1 and _covers_sentence(before[-1]) and not _covers_sentence(before[-2]):
        before.pop()  # «وأكدت اوتشا أنه وفقا لنتائج البعثة …»: the speaker cites the mission
    if before and text and gave_no_figure(text, before[-1].start, position):
        return None
    if before:
        return before[-1].id
    after = [s for s in inside if _covers_sentence(s)]
    return after[0].id if after else None

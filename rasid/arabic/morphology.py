"""Arabic clitics and the light stem: the one table of proclitics and suffixes every stage uses.

Arabic writes conjunctions (و ف), prepositions (ب ل ك) and the article (ال) onto the word, and
pronouns (ها هم …) after it, so "وبالعاصمة" has to look like "عاصمة" before a lexicon can find
it. The letters and chains are defined here once; a stage that strips fewer of them (the story
terms keep "وب", the search terms keep the article) names its subset below, so what each stage
reads stays exactly what it was while the table itself lives in one place.

All functions take match keys (``rasid.arabic.normalize``): ة is already ه, hamza forms are ا.
"""
from __future__ import annotations

from typing import Collection, Iterable

CONJUNCTIONS = "وف"  # and, then
PREPOSITIONS = "بلك"  # with/in, to/for, like
PROCLITICS = CONJUNCTIONS + PREPOSITIONS  # the one-letter proclitics
ARTICLE = "ال"

# Every proclitic chain a word may open with, longest first (conjunction, preposition, article;
# ل + ال is written لل).
PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "ول", "فب", "فل",
            "وك", "و", "ف", "ب", "ل", "ك")

# Every suffix a stage strips, longest first: attached pronouns, sound plurals, the accusative alef.
SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "ات", "ون", "ين", "ه", "ا")
PRONOUNS = frozenset(("هما", "هم", "هن", "ها", "كم", "نا", "ه"))
PLURALS = frozenset(("ات", "ون", "ين"))
ACCUSATIVE = "ا"


def _subset(table: tuple[str, ...], members: Iterable[str]) -> tuple[str, ...]:
    """The named members of ``table``, in the table's order (longest first)."""
    wanted = set(members)
    unknown = wanted - set(table)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not in the clitic table; add them to morphology.py")
    return tuple(x for x in table if x in wanted)


# Named subsets: which chains and suffixes each reader strips (each as it always has).
# Chains without the article: what search indexing strips to reach a proper noun ("لدرعا").
CLITIC_CHAINS = tuple(p for p in PREFIXES if ARTICLE not in p and "لل" not in p)
# The story terms' light stem: one article chain, then a pronoun or sound-plural suffix.
STEM_PREFIXES = _subset(PREFIXES, ("وال", "فال", "بال", "كال", "ولل", "لل", "ال"))
STEM_SUFFIXES = _subset(SUFFIXES, ("هما", "ات", "ون", "ين", "ها", "هم", "ه"))
# The summariser's prefix strip: article chains and the conjunction و, no suffixes.
SUMMARY_PREFIXES = _subset(PREFIXES, ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و"))
# Pronouns a lexicon word may carry ("سيطرتها"), with the accusative alef ("هجوماً").
LEXICON_SUFFIXES = _subset(SUFFIXES, ("هما", "هم", "ها", "ه", ACCUSATIVE))
# Pronouns after a movement word ("لإجلائهم").
MOVEMENT_SUFFIXES = _subset(SUFFIXES, ("هم", "ها", "هن", "ه"))
# All attached pronouns: what the extractors' candidate forms strip.
PRONOUN_SUFFIXES = _subset(SUFFIXES, PRONOUNS)
# Chains written joined to digits: "الـ30" (tatweel dropped), "بـ30", "و1".
NUMBER_PREFIXES = _subset(PREFIXES, ("ال", "وال", "بال", "لل", "ب", "ل", "و", "ف", "ك"))


def light_stem(word: str, prefixes: tuple[str, ...] = STEM_PREFIXES,
               suffixes: tuple[str, ...] = STEM_SUFFIXES, min_stem: int = 3,
               min_after_letter: int = 0) -> str:
    """A match key without its first proclitic chain and its first suffix (light stemming).

    The first chain of ``prefixes`` the word opens with is stripped when ``min_stem`` letters
    remain (``min_after_letter`` letters after a one-letter clitic, so "ولد" keeps its و); then
    the first suffix of ``suffixes`` it ends with, again keeping ``min_stem``. Light stemming is
    what Arabic IR uses (Larkey et al. 2007, "light10").
    """
    for prefix in prefixes:
        if word.startswith(prefix):
            need = min_after_letter if len(prefix) == 1 and min_after_letter else min_stem
            if len(word) - len(prefix) >= need:
                word = word[len(prefix):]
            break
    for suffix in suffixes:
        if word.endswith(suffix):
            if len(word) - len(suffix) >= min_stem:
                word = word[: -len(suffix)]
            break
    return word


def split_clitics(key: str, min_stem: int = 2) -> tuple[str, str]:
    """Split a word into (proclitics, stem), e.g. "وبالعاصمه" -> ("وبال", "عاصمه").

    Greedy but guarded: a clitic is stripped only if a stem of two or three letters remains, so
    short words like "ولد" keep their first letter.
    """
    pre, rest = "", key
    if rest[:1] in CONJUNCTIONS and rest[:1] and len(rest) - 1 >= min_stem + 1:
        pre, rest = pre + rest[0], rest[1:]
    if rest.startswith("لل") and len(rest) - 2 >= min_stem:
        return pre + "لل", rest[2:]
    if rest[:1] in PREPOSITIONS and rest[:1] and rest[1:3] == ARTICLE and len(rest) - 3 >= min_stem:
        return pre + rest[:3], rest[3:]
    if rest.startswith(ARTICLE) and len(rest) - 2 >= min_stem:
        return pre + ARTICLE, rest[2:]
    if rest[:1] in PREPOSITIONS and rest[:1] and len(rest) - 1 >= min_stem + 1:
        return pre + rest[0], rest[1:]
    return pre, rest


def clitic_readings(key: str, min_stem: int = 2) -> tuple[tuple[str, int], ...]:
    """A token key and its readings without clitics, with the number of letters stripped.

    "والسويداء" -> (والسويداء, 0), (السويداء, 1); "بدرعا" -> (بدرعا, 0), (درعا, 1);
    "للسويداء" -> (للسويداء, 0), (السويداء, 2): ل + ال lose the article's alef in writing.
    """
    out = [(key, 0)]
    stem, stripped = key, 0
    if stem[:1] in CONJUNCTIONS and stem[:1] and len(stem) > min_stem:
        stem, stripped = stem[1:], 1
        out.append((stem, stripped))
    if stem[:1] in PREPOSITIONS and stem[:1] and len(stem) > min_stem:
        if stem.startswith("لل"):
            out.append((ARTICLE + stem[2:], stripped + 2))
        else:
            out.append((stem[1:], stripped + 1))
    return tuple(out)


_PREFIX_SET = frozenset(PREFIXES)


def candidates(word: str, suffixes: Collection[str] = ()) -> tuple[str, ...]:
    """The word, then the word without each clitic chain of ``PREFIXES`` it opens with (longest
    first), then each of those without a suffix of ``suffixes``; two letters always remain."""
    n = len(word)
    out = [word]
    for k in (4, 3, 2, 1):  # longest chain first, as in PREFIXES
        if n - k >= 2 and word[:k] in _PREFIX_SET:
            out.append(word[k:])
    if suffixes:  # a frozenset from a hot caller: one hash look-up per ending
        for c in list(out):
            for k in (3, 2, 1):
                if len(c) - k >= 2 and c[-k:] in suffixes:
                    out.append(c[:-k])
    return tuple(dict.fromkeys(out)) if len(out) > 1 else (word,)

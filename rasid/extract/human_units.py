"""Units no lexicon lists: a noun for people recognised by its Arabic morphology.

A figure counts people whenever its noun is human, and the nouns for people are an open class
(حوثياً، مصلياً، فلسطينيين، المتدربين، منسوبي). Two forms of Arabic mark a noun as human almost
always, and they are read here instead of a longer word list:

* the nisba adjective used as a noun: ـيّ / ـيّاً / ـيّين / ـيّون (حوثياً، مسيحيين، يمني);
* the sound masculine plural ـين / ـون, which Arabic keeps for rational beings, on a participle
  (مُفعِّلين: المتدربين، مصلين، مجندين) or on the pattern فاعلين (عاملين، ناشطين), and its
  construct form in ـي before a genitive (منسوبي قوات الطوارئ، مسلحي التنظيم).

The exceptions are classes too: adverbs in ـيّاً (يومياً، رسمياً), broken plurals of the pattern
فعاليل that end in ين (ملايين، ميادين), and singular nisbas after 3-10 (where Arabic counts with a
plural, so أراضي / مباني are broken plurals of things). They live in units.json
("not_human_nisba"). A nisba of a group in the unit lexicon's group names (داعشياً، حوثيين) is
counted as fighters.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from rasid.extract import lexicon
from rasid.extract.textview import candidates

_NISBA_SINGULAR_MIN = 4  # يمني، مدني: shorter words in ي are particles and verbs (في، هي، بني)


@lru_cache(maxsize=65536)
def human_unit(word: str, value: Optional[float] = None, construct: bool = False) -> Optional[str]:
    """"people" or "fighters" when ``word`` (a view word) is a noun for people by its form.

    ``value`` is the number counted (a singular nisba counts only after 100, 1000, ...: يمني
    after مليون, never after 3-10); ``construct`` accepts the construct plural ـي (after "من").
    """
    U = lexicon.units()
    stop = U.not_human
    if any(c in U.open_people for c in candidates(word, True)):
        return "people"
    for c in candidates(word, True):
        if c in stop or len(c) < 4:
            continue
        stem = _human_stem(c, value, construct)
        if stem:
            return "fighters" if _is_group(stem) else "people"
    return None


def _human_stem(c: str, value: Optional[float], construct: bool) -> str:
    """The stem of a human noun form (the nisba without its endings), "" when none."""
    if c.endswith(("يين", "يون")) and len(c) >= 6:
        return c[:-3]
    if c.endswith("يا") and len(c) >= 5:
        return c[:-2]
    if _sound_plural(c):
        return c[:-2]
    if construct and c.endswith("ي") and len(c) >= 5 and (_sound_plural(c + "ن") or c.endswith("يي")):
        return c[:-1]
    singular_ok = value is not None and value >= 100 and value % 100 == 0
    if singular_ok and c.endswith("ي") and len(c) >= _NISBA_SINGULAR_MIN and c[-2] != "ا":
        return c[:-1]
    return ""


def _sound_plural(c: str) -> bool:
    """مصلين، المتدربين، مجندون، عاملين: the sound masculine plural of a participle."""
    if not c.endswith(("ين", "ون")):
        return False
    body = c[:-2]
    if len(c) == 6 and c[2] == "ا":
        return False  # فعاليل: ملايين، ميادين، قوانين are broken plurals of things
    if body.startswith("م") and len(body) >= 3 + c.endswith("ون"):
        return True  # مُفعِّل / مُتفعِّل: مصلين، متدربين، موظفين
    return len(body) == 4 and body[1] == "ا"  # فاعل: عاملين، ناشطين


def _is_group(stem: str) -> bool:
    groups = lexicon.units().group_names
    return stem in groups or "ال" + stem + "ي" in groups or "ال" + stem + "يين" in groups

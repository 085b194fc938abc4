"""Tokens and match keys shared by the gazetteer build and the place extractor."""
from __future__ import annotations

from functools import lru_cache

from rasid.arabic.morphology import clitic_readings
from rasid.arabic.normalize import normalize
from rasid.arabic.tokens import NAME_WORD

# A word: letters, digits, tashkeel and tatweel (tashkeel is not \w in Python's re).
TOKEN = NAME_WORD

MIN_STEM = 2  # letters a token keeps after losing a clitic: "وتل رفعت" -> "تل رفعت"

# Spellings the news and the gazetteers disagree on, folded only in the loose key:
# ث/ت (جباثا, جباتا), ذ/د, ظ/ض.
_LOOSE = str.maketrans({"ث": "ت", "ذ": "د", "ظ": "ض"})


def token_key(token: str) -> str:
    """The match key of one token: match_key's rules without the whitespace step."""
    return normalize(token).lower()


def key_of(name: str) -> str:
    """The match key of a name: its tokens' keys joined by single spaces ("حمص - حماة" -> "حمص حماه")."""
    return " ".join(token_key(t) for t in TOKEN.findall(name))


def loose_token(key: str) -> str:
    """A token key with the loose folds: ث->ت, ذ->د, ظ->ض, final اء->ا, final ه->ا (اوفانيه = اوفانيا)."""
    key = key.translate(_LOOSE)
    if key.endswith("اء"):
        key = key[:-1]
    elif key.endswith("ه") and len(key) > 2:
        key = key[:-1] + "ا"
    return key


def loose_key(key: str) -> str:
    return " ".join(loose_token(t) for t in key.split(" "))


@lru_cache(maxsize=300_000)
def variants(key: str) -> tuple[tuple[str, int], ...]:
    """A token key and its readings without clitics, with the number of letters stripped.

    "والسويداء" -> (والسويداء, 0), (السويداء, 1); "بدرعا" -> (بدرعا, 0), (درعا, 1);
    "للسويداء" -> (للسويداء, 0), (السويداء, 2): ل + ال lose the article's alef in writing.
    """
    return clitic_readings(key, MIN_STEM)

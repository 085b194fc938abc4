"""Arabic normalisation for match keys; the text shown to users is never altered.

Rules, applied in this order (each is idempotent, and so is the whole):

1. Tashkeel (harakat U+064B–U+0652, superscript alef U+0670, Quranic marks U+06D6–U+06ED) and
   tatweel (U+0640) are removed: "مسلّح" -> "مسلح", "جـيش" -> "جيش".
2. Hamza and alef forms become bare alef: أ إ آ ٱ -> ا.
3. Hamza on a seat becomes its seat letter: ؤ -> و, ئ -> ي; a lone hamza ء is kept.
4. Alef maqsura becomes ya: ى -> ي.
5. Ta marbuta becomes ha: ة -> ه.
6. Persian/Urdu look-alikes become Arabic letters: ک -> ك, ی -> ي, ے -> ي, ە -> ه.
7. Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹) digits become ASCII digits; the Arabic
   comma, semicolon and question mark become their Latin forms; the Arabic decimal and thousands
   separators become "." and ",".
8. Latin letters are lower-cased; runs of white space become one space (``match_key`` only).
"""
from __future__ import annotations

import hashlib
import re

import regex

_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670" + "".join(
    chr(c) for c in range(0x06D6, 0x06EE)
)
_TABLE = {ord(c): None for c in _DIACRITICS + "\u0640"}
_TABLE.update({ord(c): "ا" for c in "أإآٱ"})
_TABLE.update({ord("ؤ"): "و", ord("ئ"): "ي", ord("ى"): "ي", ord("ة"): "ه"})
_TABLE.update({ord("ک"): "ك", ord("ی"): "ي", ord("ے"): "ي", ord("ە"): "ه"})
_TABLE.update({0x0660 + i: str(i) for i in range(10)})
_TABLE.update({0x06F0 + i: str(i) for i in range(10)})
_TABLE.update({ord("،"): ",", ord("؛"): ";", ord("؟"): "?", ord("٫"): ".", ord("٬"): ","})

# str.translate looks every character up; a regex over just the mapped characters is several
# times faster on Arabic text, where most characters map to themselves.
_MAPPED = re.compile("[" + re.escape("".join(chr(k) for k in _TABLE)) + "]")


def _replace(match: re.Match) -> str:
    return _TABLE[ord(match.group())] or ""


# On a whole article, one str.replace per mapped character that occurs is faster still than the
# regex's call per match. The order does not matter: no replacement is itself a mapped character.
_PAIRS = tuple((chr(k), v or "") for k, v in _TABLE.items())
_LONG = 200


def normalize(text: str) -> str:
    """Normalise letters and digits (rules 1–7); the result may be shorter (tashkeel goes)."""
    if len(text) < _LONG:
        return _MAPPED.sub(_replace, text)
    for old, new in _PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def match_key(text: str) -> str:
    """The key two spellings of the same word or phrase share (rules 1–8)."""
    # str.split() cuts at exactly the characters re's \s matches (str.isspace()): the same as
    # re.sub(r"\s+", " ", ...).strip(), without a replacement per space.
    return " ".join(normalize(text).lower().split())


def normalize_digits(text: str) -> str:
    """Only rule 7's digits: the same length as the input, so offsets survive."""
    return text.translate({k: v for k, v in _TABLE.items() if isinstance(v, str) and v.isdigit()})


def strip_diacritics(text: str) -> str:
    """Only rule 1: tashkeel and tatweel removed."""
    return text.translate({ord(c): None for c in _DIACRITICS + "\u0640"})


# Punctuation and symbols become spaces, so "سنوات., وشهدت" and "سنوات. وشهدت" fold together
# while "سنوات.وشهدت" does not glue two words into one.
_PUNCT = regex.compile(r"[\p{P}\p{S}]+")


def exact_key(text: str) -> str:
    """``match_key`` with punctuation and symbols folded into single spaces."""
    # Punctuation never is white space, so folding the white space once, after _PUNCT, gives
    # the words match_key's folding would have left (and strips the ends).
    return " ".join(_PUNCT.sub(" ", normalize(text).lower()).split())


def content_hash(text: str) -> str:
    """SHA-1 (hex) of ``exact_key(text)``: equal hashes are exact copies (the dedupe stage's key)."""
    return hashlib.sha1(exact_key(text).encode("utf-8")).hexdigest()

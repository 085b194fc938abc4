"""Which encoding a file is in: BOMs, UTF-8, UTF-16/32 and Windows-1256 are detected, never guessed
silently wrong. Decoding itself is line by line (rasid.ingest.lines)."""
from __future__ import annotations

import codecs
import re
from typing import Optional

from rasid.errors import EncodingError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
SNIFF_BYTES = 65_536


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters, outside UTF-16/32 text, mean a binary file."""
    if not sample or _utf16_without_bom(sample):
        return False
    return b"\x00" in sample or len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def _utf16_without_bom(sample: bytes) -> Optional[str]:
    """UTF-16 text without BOM has NULs at every other byte for ASCII, or Arabic's 0x06 high byte."""
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    even, odd = sample[0::2], sample[1::2]
    for name, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        plausible = sum(1 for b in high if b in (0x00, 0x06, 0x20))
        if high and plausible / len(high) > 0.9 and high.count(0) + high.count(6) > len(high) * 0.5:
            return name
    return None


def detect_encoding(sample: bytes, fallback: str = "") -> str:
    """The encoding of a file from its first bytes; raises EncodingError when undecidable."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if _is_utf8(sample):
        return "utf-8"
    if is_cp1256(sample):
        return "cp1256"
    if fallback:
        return fallback
    raise EncodingError(
        "the text is neither UTF-8, UTF-16 nor Windows-1256 Arabic"
    )


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # The sample may end in the middle of a multi-byte character.
        return exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"


def is_cp1256(sample: bytes) -> bool:
    """Windows-1256 decodes almost any bytes, so demand that its letters be mostly Arabic."""
    try:
        text = sample.decode("cp1256")
    except UnicodeDecodeError:
        return False
    letters = _LETTER.findall(text)
    arabic = _ARABIC.findall(text)
    return len(arabic) >= 3 and len(arabic) >= 0.5 * len([c for c in letters if not c.isascii()]) + 0.2 * len(letters)

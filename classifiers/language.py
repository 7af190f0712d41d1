"""Language detection with py3langid, restricted to the languages the shop serves.

py3langid (a maintained fork of langid.py) ships its model inside the package, needs only NumPy,
and restricting it to our languages makes short messages far more reliable than an open set.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Any

SUPPORTED_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
UNDETERMINED = "und"
# Below this many letters a guess is noise ("ok", "?", "thx"): say so instead of guessing.
_MIN_LETTERS = 8
_MIN_CONFIDENCE = 0.5
# Word characters that are not digits or "_": letters (as str.isalpha() says, bar a few
# numeric symbols such as "½"), found by the regex engine instead of a Python loop per character.
_LETTER = re.compile(r"[^\W\d_]")


def _enough_letters(text: str) -> bool:
    """At least _MIN_LETTERS letters; stops looking once they are found."""
    found = itertools.islice(_LETTER.finditer(text), _MIN_LETTERS)
    return sum(1 for _ in found) >= _MIN_LETTERS


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded on first use, not at import: the model takes ~100 ms to read.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED_LANGUAGES))
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """``(iso_639_1, confidence)``; ``('und', confidence)`` when too short or unsure."""
    if not _enough_letters(text):
        return UNDETERMINED, 0.0
    language, probability = _identifier().classify(text)
    confidence = round(float(probability), 4)
    if confidence < _MIN_CONFIDENCE:
        return UNDETERMINED, confidence
    return str(language), confidence

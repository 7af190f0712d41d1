"""Sentiment from a multilingual lexicon, explainable by the words that drove it.

A lexicon rather than a trained model: we have no labelled sentiment data of our own, and an
agent must be able to see *why* a message scored negative. Negation ("pas content", "not
happy") flips and damps a word; intensifiers ("very", "très", "sehr", "muy") strengthen it;
shouting in capitals and "!!!" push an already non-positive message further down.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from classifiers.lexicons.sentiment import INTENSIFIERS, NEGATIVE, NEGATORS, POSITIVE
from classifiers.text import WORD, fold
from schemas.classification import SentimentResult

NEGATIVE_AT = -0.25
POSITIVE_AT = 0.25
_ALPHA = 2.0  # normalisation: score = s / sqrt(s² + α)
_NEGATION_WINDOW = 3
_MAX_DRIVERS = 8

_WEIGHTS = {**POSITIVE, **NEGATIVE}
_SINGLE = {k: v for k, v in _WEIGHTS.items() if " " not in k and k.isalnum()}
_PHRASES = [(re.compile(rf"(?<!\w){re.escape(k)}(?!\w)"), k, v)
            for k, v in _WEIGHTS.items() if " " in k]
_SYMBOLS = {k: v for k, v in _WEIGHTS.items() if not k.replace("'", "").replace(" ", "").isalnum()}
_CAPS_WORD = re.compile(r"\b[A-ZÄÖÜÉÈÀÇÑ]{4,}\b")
_BANGS = re.compile(r"[!?]{2,}")


def label_for(score: float) -> Literal["negative", "neutral", "positive"]:
    if score <= NEGATIVE_AT:
        return "negative"
    if score >= POSITIVE_AT:
        return "positive"
    return "neutral"


def analyze_sentiment(text: str, language: str = "und") -> SentimentResult:
    """``language`` is accepted for future per-language lexicons; all four are searched now
    (their entries rarely collide, and customers mix languages)."""
    folded = fold(text)
    tokens = [m.group(0) for m in WORD.finditer(folded)]
    drivers: list[tuple[float, str]] = []
    total = 0.0
    for i, token in enumerate(tokens):
        weight = _SINGLE.get(token)
        if weight is None:
            continue
        before = tokens[max(0, i - _NEGATION_WINDOW): i]
        note = ""
        if any(b in NEGATORS for b in before):
            # "not happy" is nearly as bad as "unhappy"; "not bad" is only faintly good
            weight, note = (-0.8 if weight > 0 else -0.4) * weight, " negated"
        elif before and before[-1] in INTENSIFIERS:
            weight, note = 1.5 * weight, " intensified"
        total += weight
        drivers.append((weight, f"{token}{note} ({weight:+.2f})"))
    for pattern, phrase, weight in _PHRASES:
        for _ in pattern.finditer(folded):
            total += weight
            drivers.append((weight, f"{phrase} ({weight:+.2f})"))
    for symbol, weight in _SYMBOLS.items():
        count = text.count(symbol)
        if count:
            total += weight * min(count, 3)
            drivers.append((weight, f"{symbol} ({weight * min(count, 3):+.2f})"))
    if total <= 0:
        shouted = len(_CAPS_WORD.findall(text))
        if shouted >= 3 or (shouted >= 1 and total < 0):
            total -= 0.3
            drivers.append((-0.3, "ALL CAPS (-0.30)"))
        bangs = min(len(_BANGS.findall(text)), 2)
        if bangs and total < 0:
            total -= 0.15 * bangs
            drivers.append((-0.15 * bangs, f"!!!/??? ({-0.15 * bangs:+.2f})"))
    score = round(total / math.sqrt(total * total + _ALPHA), 4)
    drivers.sort(key=lambda d: -abs(d[0]))
    return SentimentResult(
        label=label_for(score),
        score=max(-1.0, min(1.0, score)),
        drivers=tuple(d for _, d in drivers[:_MAX_DRIVERS]),
    )

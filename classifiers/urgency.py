"""Urgency cues — safety hazards, legal threats, chargebacks, anger, "urgent", deadlines — each
with the words that triggered it, as the customer wrote them.

Patterns are anchored on phrases, not lone nouns, so product names do not trip them: a "Fire TV
stick", a "smoke grey jacket" or a "bank transfer" option is not a cue.
"""

from __future__ import annotations

import re

from classifiers.lexicons import urgency as lexicon
from classifiers.text import fold_with_map, original_span
from schemas.classification import UrgencyCue, UrgencyKind

_MAX_EVIDENCE = 80
# In severity order: the priority factors list them this way.
_PATTERNS: tuple[tuple[UrgencyKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(f"(?:{p})" for p in patterns)))
    for kind, patterns in (
        (UrgencyKind.SAFETY_HAZARD, lexicon.SAFETY_HAZARD),
        (UrgencyKind.LEGAL_THREAT, lexicon.LEGAL_THREAT),
        (UrgencyKind.CHARGEBACK, lexicon.CHARGEBACK),
        (UrgencyKind.ANGER, lexicon.ANGER),
        (UrgencyKind.URGENT, lexicon.URGENT),
        (UrgencyKind.DEADLINE, lexicon.DEADLINE),
    )
)
_SHOUTING = re.compile(r"(?:\b[A-ZÄÖÜÉÈÀÇÑ]{2,}\b[\s,.!?]+){2,}\b[A-ZÄÖÜÉÈÀÇÑ]{2,}\b")
_BANGS = re.compile(r"!{3,}")


def detect_urgency(text: str, language: str = "und") -> tuple[UrgencyCue, ...]:
    """At most one cue per kind, most severe first. ``language`` is accepted for future
    per-language patterns; all four languages are searched (customers mix them)."""
    folded, origin = fold_with_map(text)
    cues = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(folded)
        evidence = original_span(text, origin, *match.span()) if match else None
        if evidence is None and kind is UrgencyKind.ANGER:
            loud = _SHOUTING.search(text) or _BANGS.search(text)
            evidence = loud.group(0) if loud else None
        if evidence:
            cues.append(UrgencyCue(kind=kind, evidence=evidence.strip()[:_MAX_EVIDENCE]))
    return tuple(cues)

"""Urgency cues — safety hazards, legal threats, chargebacks, anger, "urgent", deadlines — each
with the words that triggered it, as the customer wrote them.

Patterns live with each language's lexicon (``classifiers.lexicons.<lang>.URGENCY``) and match
folded text (lower case, accents stripped), so "Se incendió" and "se incendio" are one pattern;
the folded text has the same length as the original, so the evidence is quoted as written.
They are anchored on phrases, not lone nouns, so product names do not trip them: a "Fire TV
stick", a "smoke grey jacket", "hot pink" or a "bank transfer" option is not a cue.

A message is searched with its own language's patterns plus English (customers mix in English
words: "wtf", "asap"); an unknown language ("und", "it", …) is searched with all of them.
Anger also counts a shouted run of capitals ("WHERE IS MY PARCEL") and "!!!". "Not urgent",
"pas dangereux", "nicht wütend" are not cues.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from classifiers.lexicons import LANGUAGES
from classifiers.sentiment import SHOUTING, fold, is_shouting, normalize
from schemas.classification import UrgencyCue, UrgencyKind

MAX_EVIDENCE = 80
# Most severe first: the order of the returned cues.
SEVERITY: tuple[UrgencyKind, ...] = (
    UrgencyKind.SAFETY_HAZARD,
    UrgencyKind.LEGAL_THREAT,
    UrgencyKind.CHARGEBACK,
    UrgencyKind.ANGER,
    UrgencyKind.URGENT,
    UrgencyKind.DEADLINE,
)
# Cues a negation just before cancels: "not urgent", "no es peligroso", "nicht dringend".
NEGATABLE = frozenset({UrgencyKind.SAFETY_HAZARD, UrgencyKind.ANGER, UrgencyKind.URGENT})
_NEGATED = re.compile(
    r"(?:^|[^\w'])(?:not|no|never|isn't|isnt|wasn't|wasnt|aren't|nothing|pas|jamais|rien"
    r"|nicht|kein\w*|nie|nunca|nada|ni)[ \t]+(?:[\w']+[ \t]+)?$"
)
_BANGS = re.compile(r"!{3,}")
_ALL = "*"
_MIN_ANCHOR = 3


def anchors(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains one ("caught fire" → {"caught "}),
    or None when no such strings of ``_MIN_ANCHOR`` characters or more can be read off it.

    Most messages carry no cue at all: a substring test for a kind's anchors lets them skip
    the kind's regex, whose scan costs far more than the tests.
    """
    return _sequence_anchors(sre_parser.parse(pattern))


def _sequence_anchors(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= _MIN_ANCHOR:
            candidates.append(frozenset({"".join(run)}))
        run.clear()

    for op, argument in items:
        if op is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        close_run()
        found: frozenset[str] | None = None
        if op is sre_constants.SUBPATTERN:
            found = _sequence_anchors(argument[3])
        elif op is sre_constants.BRANCH:
            options = [_sequence_anchors(branch) for branch in argument[1]]
            if all(options):
                found = frozenset().union(*(o for o in options if o))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
            found = _sequence_anchors(argument[2])
        if found:
            candidates.append(found)
    close_run()
    # the most selective set: its shortest string as long as possible (spaces aside: " to " is
    # everywhere), then as few strings as possible
    return max(candidates, key=lambda c: (min(len(s.strip()) for s in c), -len(c)), default=None)


def _anchors_or_none(pattern: str) -> frozenset[str] | None:
    try:  # re._parser is CPython's own: should it change, search without the prefilter
        return anchors(pattern)
    except Exception:
        return None


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: UrgencyKind
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] | None  # None: always search


def _minimal(strings: Iterable[str]) -> tuple[str, ...]:
    """Drop the strings that contain another: "on fire" covers "set on fire"."""
    ordered = sorted(set(strings), key=len)
    kept: list[str] = []
    for string in ordered:
        if not any(k in string for k in kept):
            kept.append(string)
    return tuple(kept)


def _compile(languages: Iterable[str]) -> tuple[_Kind, ...]:
    compiled = []
    for kind in SEVERITY:
        alternatives = [p for code in languages for p in LANGUAGES[code].urgency.get(kind, ())]
        found = [_anchors_or_none(p) for p in alternatives]
        compiled.append(_Kind(
            kind,
            re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in alternatives) + r")(?!\w)"),
            _minimal(a for group in found if group for a in group) if all(found) else None,
        ))
    return tuple(compiled)


_PATTERNS: dict[str, tuple[_Kind, ...]] = {
    code: _compile(dict.fromkeys(("en", code))) for code in LANGUAGES
}
_PATTERNS[_ALL] = _compile(LANGUAGES)


@lru_cache(maxsize=64)
def _patterns(language: str) -> tuple[_Kind, ...]:
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _PATTERNS.get(code, _PATTERNS[_ALL])


def _search(pattern: re.Pattern[str], folded: str, negatable: bool) -> re.Match[str] | None:
    match = pattern.search(folded)
    while match is not None and negatable and _NEGATED.search(
        folded, max(0, match.start() - 30), match.start()
    ):
        match = pattern.search(folded, match.end())
    return match


def _evidence(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split())[:MAX_EVIDENCE].strip()


def detect_urgency(text: str, language: str = "und") -> tuple[UrgencyCue, ...]:
    """At most one cue per kind, most severe first, each with the text that triggered it.

    ``language`` is an ISO 639-1 code ("en", "fr", "de", "es"); any other searches all four.
    """
    text = normalize(text)
    folded = fold(text)
    cues = []
    for entry in _patterns(language):
        kind = entry.kind
        match = None
        if entry.anchors is None or any(map(folded.__contains__, entry.anchors)):
            match = _search(entry.pattern, folded, kind in NEGATABLE)
        evidence = _evidence(text, *match.span()) if match else ""
        if not evidence and kind is UrgencyKind.ANGER:
            evidence = _loud(text, folded)
        if evidence:
            cues.append(UrgencyCue(kind=kind, evidence=evidence))
    return tuple(cues)


def _loud(text: str, folded: str) -> str:
    """A shouted run of capitals, else "!!!"."""
    if folded != text:  # there may be capitals
        for match in SHOUTING.finditer(text):
            if is_shouting(match.group()):
                return _evidence(text, *match.span())
    bangs = _BANGS.search(text)
    return bangs.group()[:MAX_EVIDENCE] if bangs else ""

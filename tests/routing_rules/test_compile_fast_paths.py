"""The compiled engine's shortcuts give the same answers as the plain definitions."""

from __future__ import annotations

import random
import re

import pytest

from routing_rules.compile import _keywords, _required_literal, _scalar_leaf, fold
from tests.routing_rules.test_engine import DEFAULT, Make, ticket

PATTERNS = [r"\border\s+\d{2}", r"\bcolour\w*\s+(?:is|est|ist)\b", r"^order", r"kiss\b", r"\bSIK",
            r"or+der", r"(?x) o r d e r", r"\Aab", r"ab$", r"\Bis", r"order(?=\s)", r"[o]rder",
            r"sik|kiss", r"ıs\w", r"a\bbc", r"(?<=a)bcd"]
WORDS = ["order", "colour", "is", "Kiss", "sik", "ab", "rembours", "remboursé", "a_b", "k1"]
PIECES = [*"abcosrikKS _-.\n\t\x1c0123", "é", "ſ", "K", "ı", "İ", "ß", "\u0301"]


def texts(n: int) -> list[str]:
    rng = random.Random(5)
    out = []
    for _ in range(n):
        parts = [rng.choice([*PIECES, f" {rng.choice(WORDS)} ", rng.choice(WORDS)])
                 for _ in range(rng.randrange(12))]
        text = "".join(parts)
        out.append(text if rng.random() < 0.5 else text.encode("ascii", "ignore").decode())
    return out


@pytest.mark.parametrize("pattern", PATTERNS)
def test_matches_shortcuts_agree_with_re(pattern: str) -> None:
    leaf = _scalar_leaf("body", "matches", pattern)
    assert leaf is not None
    for text in texts(3000):
        assert leaf({"body": text}) == (re.search(pattern, text, re.IGNORECASE) is not None), text


def test_required_literal() -> None:
    assert _required_literal(r"\bcolour\w*\s+is") == ("colour", True)
    assert _required_literal(r"a\bbc") == ("bc", False)
    assert _required_literal(r"(?<=a)bcd") == ("bcd", False)
    assert _required_literal(r"a|bc") == (None, False)
    assert _required_literal(r"é+Abc") == ("abc", False)


def test_keywords_shortcut_agrees_with_the_pattern() -> None:
    rng = random.Random(9)
    for text in texts(3000):
        words = rng.sample(WORDS, 3)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?!\w)")
        test = _keywords("text", words)
        assert test({"text": text}) == (pattern.search(fold(text)) is not None), (words, text)
        pair = [text, text[::-1]]
        assert test({"text": pair}) == (
            pattern.search("\n".join(fold(e) for e in pair)) is not None), (words, pair)


def test_index_uses_any_and_nested_all(make: Make) -> None:
    compiled = make(
        "- id: either\n"
        "  when: {any: [{field: classification.intent, op: eq, value: refund},"
        " {field: classification.intent, op: eq, value: invoice}]}\n"
        "  then: {queue: a}\n"
        "- id: nested\n"
        "  when: {all: [{all: [{field: classification.intent, op: eq, value: complaint},"
        " {field: enrichment.customer.segment, op: in, value: [vip]}]}]}\n"
        "  then: {queue: b}\n"
        "- id: vip\n  when: {field: enrichment.customer.segment, op: eq, value: vip}\n"
        "  then: {queue: b}\n"
        "- id: vip2\n  when: {field: enrichment.customer.segment, op: eq, value: vip}\n"
        "  then: {queue: b}\n" + DEFAULT)
    assert compiled.route(ticket(classification__intent="invoice")).queue == "a"
    assert compiled.route(ticket(classification__intent="complaint")).queue == "general"
    decision = compiled.route(ticket(classification__intent="complaint",
                                     enrichment__customer__segment="vip"))
    assert [m.rule_id for m in decision.matched] == ["nested"]
    # unhashable or unknown values in a hand-made view: every rule is still considered
    assert compiled.route_dict({"classification.intent": ["refund"]}).queue == "general"
    assert compiled.route_dict({"classification.intent": "other"}).queue == "general"


def test_any_reasons_follow_the_ticket(make: Make) -> None:
    compiled = make(
        "- id: r\n"
        "  when: {any: [{field: language, op: eq, value: fr},"
        " {field: classification.confidence, op: lt, value: 0.5}]}\n"
        "  then: {queue: a}\n" + DEFAULT)
    for _ in range(2):  # the second time from the cache
        fr = compiled.route(ticket(language="fr", classification__confidence=0.9))
        both = compiled.route(ticket(language="fr", classification__confidence=0.1))
        low = compiled.route(ticket(language="en", classification__confidence=0.1))
        assert fr.matched[0].reasons == ("language == 'fr'",)
        assert both.matched[0].reasons == ("language == 'fr'", "classification.confidence < 0.5")
        assert low.matched[0].reasons == ("classification.confidence < 0.5",)


def test_keywords_on_tags_still_route(make: Make) -> None:
    compiled = make(
        "- id: t\n  when: {field: language, op: eq, value: fr}\n"
        "  then: {tags: [urgent]}\n  continue: true\n"
        "- id: k\n  when: {any: [{field: tags, op: keywords, value: urgent},"
        " {field: language, op: eq, value: de}]}\n  then: {queue: a}\n" + DEFAULT)
    decision = compiled.route(ticket(language="fr"))
    assert decision.queue == "a"
    assert decision.matched[1].reasons == ("tags has keyword 'urgent'",)
    assert compiled.route(ticket(language="en")).queue == "general"

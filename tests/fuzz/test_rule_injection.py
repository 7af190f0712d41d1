"""Rulesets are compiled to Python (``exec`` of generated code) and can arrive over the
``routing.rules`` topic, so every text a rule carries is hostile: rule ids, field names and
values built to break out of generated code must never run. A rule either compiles and
matches the literal text, or is refused with a RulesetError."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routing_rules import RulesetError, compile_ruleset
from routing_rules.compile import CompiledRuleset
from routing_rules.loader import load_ruleset_text
from routing_rules.testing import base_ticket
from schemas.ticket import Ticket

HITS: list[str] = []
"""The sentinel a payload appends to if generated code ever runs it."""
MARKER = Path(tempfile.gettempdir()) / f"ticketflow-fuzz-pwned-{os.getpid()}"
_ME = f"__import__('sys').modules[{__name__!r}]"
ACTIONS = [
    f"{_ME}.HITS.append('code ran')",
    f"__import__('os').system('touch {MARKER}')",
    f"exec(\"{_ME}.HITS.append('exec ran')\")",
    f"globals().__setitem__('_MISSING', {_ME}.HITS.append('global'))",
]
BREAKOUTS = ["'", '"', "'''", '"""', "\\", "\\'", "\n", "\r", "\u2028", "\u2029", "\x85", "\x0c",
             "\x00", ")", "]", "}", "{", "#", ";", ":", "%s", "{0}", "{v}", "{key!r}", "f'",
             "\t", " or True or ", " if True else ", "lambda: ", "\ufeff", "é", "ﬁ"]
HOSTILE = st.lists(st.sampled_from(BREAKOUTS + ACTIONS) | st.text(max_size=4), min_size=1,
                   max_size=6).map("".join)
CLASSIC = [
    "') or __import__('os').system('touch " + str(MARKER) + "') or ('",
    "\"\"\"\n" + ACTIONS[0] + "\n\"\"\"",
    "'''\n" + ACTIONS[0] + "\n'''",
    "\\\n" + ACTIONS[0],
    "x\u2028" + ACTIONS[0],
    "{" + ACTIONS[0] + "}",
    "{__import__}",
    "__import__('os').system('touch " + str(MARKER) + "')",
]


@pytest.fixture(autouse=True)
def _clean_sentinels() -> Any:
    HITS.clear()
    MARKER.unlink(missing_ok=True)
    yield
    MARKER.unlink(missing_ok=True)


def nothing_ran() -> None:
    assert HITS == []
    assert not MARKER.exists()


def ruleset(when: dict[str, Any], rule_id: str = "hit", **extra: Any) -> dict[str, Any]:
    return {"name": extra.get("name", "fuzz"), "description": extra.get("description"),
            "queues": [{"name": "hit"}, {"name": "miss"}],
            "rules": [{"id": rule_id, "description": extra.get("description"), "when": when,
                       "then": {"queue": "hit", "tags": extra.get("tags", []),
                                "sla_policy": extra.get("sla_policy")}},
                      {"id": "rest", "default": True, "then": {"queue": "miss"}}]}


# What YAML reads as itself inside a double-quoted scalar: not C0/C1 controls (the reader
# refuses them), not NEL or the line/paragraph separators (folded as line breaks), not surrogates.
_ESCAPE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                     "\U00010000-\U0010ffff]")


def yaml_text(data: Any) -> str:
    """``data`` as YAML text that reads back exactly: JSON (a YAML flow document) with every
    character YAML would not keep as is written as a \\u escape."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))


def compiled(data: dict[str, Any], raw: bool = False) -> CompiledRuleset | None:
    """Through YAML text, as the topic delivers it; None when refused. The text is JSON (YAML
    reads it, escapes and all) so every string arrives exactly as generated; ``raw`` writes
    the characters themselves instead (PyYAML's dumper leaves NEL unquoted, and its loader
    then reads a space: YAML's business, not ours)."""
    text = yaml.safe_dump(data, allow_unicode=True) if raw else yaml_text(data)
    try:
        return compile_ruleset(load_ruleset_text(text, "<routing.rules>"))
    except RulesetError:
        return None
    finally:
        nothing_ran()


def ticket(details: dict[str, Any] | None = None, body: str = "Hello") -> Ticket:
    t = Ticket.model_validate(base_ticket(body))
    return t.model_copy(update={"channel_details": details or {}})


def queue(rules: CompiledRuleset, t: Ticket) -> str:
    decision = rules.route(t)
    nothing_ran()
    return decision.queue


@settings(max_examples=150, deadline=None)
@given(key=HOSTILE | st.sampled_from(CLASSIC), value=HOSTILE | st.sampled_from(CLASSIC))
def test_hostile_field_name_and_value_match_literally(key: str, value: str) -> None:
    field = "channel_details." + key
    for op, when_value, matching, other in (
        ("eq", value, value, value + "x"),
        ("in", [value], value, value + "x"),
        ("contains", value, f"<{value}>", "" if value else None),
        ("matches", re.escape(value), f"<{value}>", "" if value else None),
        ("exists", True, value, None),
    ):
        rules = compiled(ruleset({"field": field, "op": op, "value": when_value}))
        if rules is None:  # refused: only the catalogue's length rule can refuse these
            assert len(field) <= 16
            continue
        assert queue(rules, ticket({key: matching})) == "hit", (op, key, value)
        assert queue(rules, ticket({})) == "miss"
        if other is not None:
            assert queue(rules, ticket({key: other})) == "miss", (op, key, value)
        assert rules.route(ticket({key: matching})).matched[0].rule_id == "hit"


@settings(max_examples=100, deadline=None)
@given(words=st.lists(HOSTILE | st.sampled_from(CLASSIC), min_size=1, max_size=3),
       key=HOSTILE)
def test_hostile_keywords_never_run(words: list[str], key: str) -> None:
    for field in ("body", "channel_details." + key + "_pad_to_16"):
        rules = compiled(ruleset({"field": field, "op": "keywords", "value": words}))
        assert rules is not None
        text = " ".join(words) or "x"
        details = {field.removeprefix("channel_details."): text}
        queue(rules, ticket(details, body=text))  # matching is keywords' business: no code


@settings(max_examples=100, deadline=None)
@given(text=HOSTILE | st.sampled_from(CLASSIC))
def test_hostile_ids_names_and_actions_are_data(text: str) -> None:
    when = {"field": "channel", "op": "eq", "value": "webform"}
    rules = compiled(ruleset(when, rule_id=text))
    if rules is not None:  # the id pattern admits it: it comes back as sent
        assert rules.route(ticket()).matched[0].rule_id == text
    else:
        assert not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text)
    rules = compiled(ruleset(when, name=text, description=text, tags=[text], sla_policy=text))
    assert rules is not None
    decision = rules.route(ticket())
    nothing_ran()
    assert (decision.ruleset_name, decision.tags, decision.sla_policy) == (text, (text,), text)
    assert decision.matched[0].description == text


@pytest.mark.parametrize("payload", CLASSIC, ids=lambda p: str(p).replace(str(MARKER), "<marker>"))
def test_classic_payloads_as_every_text_of_a_rule(payload: str) -> None:
    field = "channel_details.x" + payload
    rules = compiled(ruleset({"any": [{"field": field, "op": "eq", "value": payload},
                                      {"not": {"field": field, "op": "exists"}}]},
                             name=payload, description=payload, tags=[payload]), raw=True)
    assert rules is not None
    assert queue(rules, ticket({"x" + payload: payload})) == "hit"
    assert queue(rules, ticket({})) == "hit"
    assert queue(rules, ticket({"x" + payload: "other"})) == "miss"
    assert rules.route(ticket({})).matched[0].reasons  # the explain code ran too


def test_the_sentinel_can_fire() -> None:
    """The sentinels detect what they claim to: running a payload does trip them."""
    exec(ACTIONS[0])
    assert HITS == ["code ran"]
    HITS.clear()


def _nested(kind: str, depth: int) -> str:
    leaf = "{field: channel, op: eq, value: webform}"
    text = leaf
    for _ in range(depth):
        text = f"{{not: {text}}}" if kind == "not" else f"{{{kind}: [{text}, {leaf}]}}"
    return text


def _rules_text(when: str) -> str:
    return ("name: n\nqueues: [{name: hit}, {name: miss}]\nrules:\n"
            f"  - {{id: r, when: {when}, then: {{queue: hit}}}}\n"
            "  - {id: d, default: true, then: {queue: miss}}\n")


@pytest.mark.parametrize("kind", ["all", "any", "not"])
@pytest.mark.parametrize("depth", [150, 1000])
def test_conditions_nested_past_the_limit_are_refused(kind: str, depth: int) -> None:
    # 150 levels of 'any' once produced generated code Python refused to compile
    # (IndentationError): an unhandled exception instead of a RulesetError
    with pytest.raises(RulesetError, match="nested"):
        compile_ruleset(load_ruleset_text(_rules_text(_nested(kind, depth)), "<t>"))


@pytest.mark.parametrize("kind", ["all", "any", "not"])
def test_conditions_nested_to_the_limit_route(kind: str) -> None:
    for depth in (31, 32):  # an odd number of negations inverts the webform test
        rules = compile_ruleset(load_ruleset_text(_rules_text(_nested(kind, depth)), "<t>"))
        inverted = kind == "not" and depth % 2 == 1
        assert rules.route(ticket()).queue == ("miss" if inverted else "hit")
        assert rules.route(ticket()).matched[0].reasons


# --- regular expressions that backtrack exponentially ---------------------------------------

@pytest.mark.timeout(10)  # "(a+)+$" on 30 a's and a '!' runs for minutes: routing stalls
@pytest.mark.parametrize("pattern", ["(a+)+$", "(?:x*)*y", "(\\w+\\s?)+$", "((ab)*c?)+!",
                                     "(?:(?:a{1,9})+)+z", "(?>(a+)+$)", "(a)?(?(1)(b+)+|c)$"])
def test_nested_repetition_in_matches_is_refused(pattern: str) -> None:
    data = ruleset({"field": "body", "op": "matches", "value": pattern})
    with pytest.raises(RulesetError, match="nested repetition"):
        compile_ruleset(load_ruleset_text(yaml_text(data), "<routing.rules>"))


@pytest.mark.parametrize("pattern", ["\\border\\s+\\d{6}", "(?:refund|return)s?", "a+b+c*",
                                     "(ab){2}", "(?:(x)?y)+", "^\\s*(hello|hi)\\b"])
def test_ordinary_patterns_still_load(pattern: str) -> None:
    rules = compiled(ruleset({"field": "body", "op": "matches", "value": pattern}))
    assert rules is not None
    queue(rules, ticket(body="a" * 30 + "!"))

"""Hostile YAML for the two YAML loaders: the routing ruleset (which can arrive over the
``routing.rules`` topic) and the SLA policy file. Any text gives a loaded object or the
project's own error (a TicketflowError naming the problem), never another exception."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import TicketflowError
from routing_rules import DEFAULT_RULESET_PATH, RulesetError, compile_ruleset
from routing_rules.loader import load_ruleset_text
from routing_rules.testing import base_ticket
from schemas.ticket import Ticket
from sla.policies import DEFAULT_POLICIES_PATH, PolicyError, load_policies_text

POLICIES = """\
default_policy: s
calendars: {{c: {{timezone: {tz}, weekly: {{mon: ["09:00-17:00"]}}, holidays: [{holiday}]}}}}
warnings: {warnings}
policies:
  s:
    first_response: {{default: {{all: {within}}}}}
    next_response: {{default: {{all: 1h}}}}
    resolution: {{default: {{all: {{within: 8h, calendar: c, cap: 2d}}}}}}
"""
RULES = """\
name: n
calendars: {{c: {{timezone: {tz}, weekly: {{mon: ["09:00-17:00"]}}, holidays: [{holiday}]}}}}
queues: [{{name: q}}]
rules:
  - {{id: r, when: {{field: language_confidence, op: gte, value: {number}}}, then: {{queue: q}}}}
  - {{id: d, default: true, then: {{queue: q}}}}
"""
GOOD = {"tz": "Europe/Paris", "holiday": "2026-12-25", "warnings": "[0.5]", "within": "2h",
        "number": "0.5"}


def policies(**changes: str) -> str:
    return POLICIES.format(**{**GOOD, **changes})


def rules(**changes: str) -> str:
    return RULES.format(**{**GOOD, **changes})


def load_rules(text: str) -> object:
    return compile_ruleset(load_ruleset_text(text, "<fuzz>"))


def test_the_templates_load() -> None:
    load_policies_text(policies())
    load_rules(rules())


def _alias_bomb(levels: int = 7) -> str:
    """A 'billion laughs' document: 9**levels values from a few hundred bytes."""
    lines = ['  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines)


HOSTILE: dict[str, tuple[dict[str, str], str | None]] = {
    # name: (template changes, or {"text": whole document}; a word the error must contain)
    "timezone-too-long-for-a-file-name": ({"tz": "a" * 5000}, "timezone"),
    "timezone-is-a-directory": ({"tz": "Europe"}, "timezone"),
    "timezone-path-traversal": ({"tz": "../../../../etc/passwd"}, "timezone"),
    "timezone-nul": ({"tz": '"Europe/Par\\0is"'}, "timezone"),
    "holiday-february-30": ({"holiday": "2026-02-30"}, "day is out of range"),
    "holiday-year-99999": ({"holiday": "99999-01-01"}, "holidays"),
    "integer-of-5000-digits": ({"number": "9" * 5000}, "digits"),
    "number-1e400": ({"number": "1.0e+400"}, None),  # YAML's inf: a (useless) number
    "number-nan": ({"number": ".nan"}, None),
    "nested-10000-deep": ({"text": "a: " + "[" * 10_000 + "]" * 10_000}, "nested"),
    "mapping-nested-3000-deep": ({"text": "a: " + "{a: " * 3000 + "1" + "}" * 3000}, "nested"),
    "alias-bomb": ({"text": "anchors:\n" + _alias_bomb()}, "aliases"),
    "python-tag": ({"text": "!!python/object/apply:os.system ['touch /tmp/ticketflow-pwned']"},
                   "constructor"),
    "nul": ({"text": "a: \x00"}, "YAML"),
    "bom": ({"text": "\ufeff"}, None),
    "empty": ({"text": ""}, None),
    "list-not-mapping": ({"text": "[1, 2]"}, None),
    "invalid-utf16-surrogate": ({"text": "a: \ud800"}, None),
    "surrogate-escape": ({"tz": '"\\ud800"'}, "surrogate"),
    "surrogate-pair-escape": ({"text": rules(tz='"Europe/Paris\\ud83d\\ude00"')}, "surrogate"),
}


def _text(template: str, changes: dict[str, str]) -> str:
    if "text" in changes:
        return changes["text"]
    return (POLICIES if template == "policies" else RULES).format(**{**GOOD, **changes})


@pytest.mark.timeout(20)  # the alias bomb would take minutes (and gigabytes) if expanded
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_ruleset_yaml_is_a_ruleset_error(name: str) -> None:
    changes, word = HOSTILE[name]
    text = _text("rules", changes)
    if name in ("number-1e400", "number-nan"):
        load_rules(text)  # loads: comparing with inf or nan is merely never/always true
        return
    with pytest.raises(RulesetError) as caught:
        load_rules(text)
    assert word is None or word in str(caught.value)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_policy_yaml_is_a_policy_error(name: str) -> None:
    changes, word = HOSTILE[name]
    if "number" in changes:
        changes = {"warnings": f"[{changes['number']}]"}  # the policy file's only number
    with pytest.raises(PolicyError) as caught:
        load_policies_text(_text("policies", changes))
    assert word is None or word in str(caught.value)


@pytest.mark.parametrize("within", ["99999999999999d", "9" * 30 + "s", "1000000000d",
                                    "0s", "-1h", "1h ", "1x", "", "9" * 5000 + "d"])
def test_hostile_durations(within: str) -> None:
    text = policies(within=f'"{within}"')
    if within == "1h ":  # surrounding blanks are trimmed: a valid duration
        load_policies_text(text)
        return
    with pytest.raises(PolicyError, match=r"duration|within"):
        load_policies_text(text)


@settings(max_examples=150, deadline=None,
          # YAML text that merely fails to parse is most of what random text is: intended
          suppress_health_check=[HealthCheck.filter_too_much])
@given(st.sampled_from(list(GOOD)), st.text(max_size=40))
def test_any_scalar_in_any_slot(slot: str, value: str) -> None:
    for template, load in (("rules", load_rules), ("policies", load_policies_text)):
        if template == "rules" and slot in ("warnings", "within"):
            continue
        if template == "policies" and slot == "number":
            continue
        with contextlib.suppress(TicketflowError):  # the property: nothing else escapes
            load(_text(template, {slot: value}))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    for load in (load_rules, load_policies_text):
        with contextlib.suppress(TicketflowError):
            load(text)


# --- structure: the shipped files with one value replaced by anything ---------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["1h", "2m", "P1", "all", "default", "support", "email", "eq", "in",
                       "between", "matches", "(", "09:00-17:00", "24:00-25:00", "Europe/Paris",
                       "classification.intent", "channel_details.xxxxxxxxxxxx"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [path] if path else []
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for key, value in items:
        found += _paths(value, (*path, key))
    return found


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> str:
    copy = json.loads(json.dumps(doc))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return json.dumps(copy)  # JSON is YAML: the loaders read it


_RULES_DOC = json.loads(json.dumps(yaml.safe_load(DEFAULT_RULESET_PATH.read_text()),
                                   default=str))
_POLICY_DOC = json.loads(json.dumps(yaml.safe_load(DEFAULT_POLICIES_PATH.read_text()),
                                    default=str))
_RULE_PATHS = _paths(_RULES_DOC)
_POLICY_PATHS = _paths(_POLICY_DOC)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), value=JSON_VALUES)
def test_shipped_ruleset_with_any_value_anywhere(data: st.DataObject, value: Any) -> None:
    """Loads, compiles and routes a ticket, or is a RulesetError."""
    path = data.draw(st.sampled_from(_RULE_PATHS), label="path")
    try:
        rules = compile_ruleset(load_ruleset_text(_replaced(_RULES_DOC, path, value), "<t>"))
    except RulesetError:
        return
    rules.route(Ticket.model_validate(base_ticket("Where is my order 123456?")))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), value=JSON_VALUES)
def test_shipped_policies_with_any_value_anywhere(data: st.DataObject, value: Any) -> None:
    """Loads and resolves every target, or is a PolicyError."""
    path = data.draw(st.sampled_from(_POLICY_PATHS), label="path")
    try:
        policy_set = load_policies_text(_replaced(_POLICY_DOC, path, value))
    except PolicyError:
        return
    for name in policy_set.policies:
        policy = policy_set.get(name)
        for metric in ("first_response", "next_response", "resolution"):
            for channel in ("email", "chat", "sms"):
                for priority in ("P1", "P4"):
                    assert policy.target(metric, channel, priority).seconds > 0

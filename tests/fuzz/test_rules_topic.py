"""What a worker does with whatever arrives on ``routing.rules``: a valid ruleset becomes
active, anything else is refused (counted and logged) and the active ruleset stays. ``offer``
also runs in the start-up catch-up, outside any handler: an exception there stops the worker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from routing_rules import DEFAULT_RULESET_PATH, load_compiled
from streams.rules_reload import RulesetHolder
from tests.fuzz.test_yaml_loaders import HOSTILE, _text


def holder(registry: CollectorRegistry | None = None) -> RulesetHolder:
    return RulesetHolder(load_compiled(), registry or CollectorRegistry())


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_ruleset_on_the_topic_is_refused_and_the_active_one_stays(name: str) -> None:
    registry = CollectorRegistry()
    rules = holder(registry)
    before = rules.active.version
    accepted = rules.offer(_text("rules", HOSTILE[name][0]), "routing.rules@0:1")
    if name in ("number-1e400", "number-nan"):  # valid rulesets, if useless ones
        assert accepted and rules.active.version != before
        assert reloads(registry) == {"activated": 1, "refused": 0}
        return
    assert not accepted
    assert rules.active.version == before
    assert reloads(registry) == {"activated": 0, "refused": 1}


def reloads(registry: CollectorRegistry) -> dict[str, float | None]:
    return {result: registry.get_sample_value("ticketflow_ruleset_reloads_total",
                                              {"result": result})
            for result in ("activated", "refused")}


def test_a_valid_ruleset_is_activated() -> None:
    registry = CollectorRegistry()
    rules = holder(registry)
    assert reloads(registry) == {"activated": 0, "refused": 0}  # both series from the start
    text = DEFAULT_RULESET_PATH.read_text().replace("name: demo-shop", "name: demo-shop-2")
    assert rules.offer(text, "routing.rules@0:2")
    assert rules.active.name == "demo-shop-2"
    assert reloads(registry) == {"activated": 1, "refused": 0}
    assert rules.offer(text, "routing.rules@0:3")  # the same version again: nothing new
    assert reloads(registry) == {"activated": 1, "refused": 0}
    assert registry.get_sample_value("ticketflow_ruleset_info",
                                     {"name": "demo-shop-2", "version": rules.active.version}) == 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_on_the_topic(value: bytes) -> None:
    rules = holder()
    before = rules.active.version
    # as catch_up and the watcher decode a record
    if not rules.offer(value.decode("utf-8", "replace"), "routing.rules@0:3"):
        assert rules.active.version == before

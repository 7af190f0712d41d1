from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sla.policies import PolicyError, PolicySet, load_policies, load_policies_text, parse_duration

GOOD = """\
calendars:
  support: {timezone: Europe/Paris, weekly: {mon: ["09:00-12:30", "13:30-18:00"]}}
default_policy: standard
policies:
  standard:
    first_response: {default: {all: 2m}}
    next_response: {default: {all: 2m}}
    resolution: {default: {all: {within: 8h, calendar: support, cap: 3d}}}
"""


def test_shipped_policies(policies: PolicySet) -> None:
    assert {"standard", "urgent", "low"} <= set(policies.policies)
    assert policies.get(None).name == policies.default_policy == "standard"
    std = policies.get("standard")
    assert std.warnings == (0.75, 0.9)
    chat = std.target("first_response", "chat", "P3")
    assert chat.within == timedelta(minutes=2) and chat.calendar is None
    email = std.target("first_response", "email", "P3")
    assert (email.within, email.calendar_name, email.cap) \
        == (timedelta(hours=4), "support", timedelta(hours=24))
    assert std.target("first_response", "social", "P4").within == timedelta(hours=1)
    assert std.target("first_response", "whatsapp", "P3").within == timedelta(minutes=15)
    assert std.target("first_response", "phone", "P3").within == timedelta(hours=1)
    assert std.target("first_response", "email", "P1").within < email.within
    with pytest.raises(KeyError, match="unknown SLA policy 'gold'"):
        policies.get("gold")


def test_a_policy_and_its_targets_are_resolved_once(policies: PolicySet) -> None:
    std = policies.get("standard")
    assert policies.get(None) is std is policies.get("standard")
    chat = std.target("first_response", "chat", "P3")
    assert std.target("first_response", "chat", "P3") is chat
    # each (metric, channel, priority) its own: a cached target is never another's
    assert std.target("first_response", "chat", "P1").within < chat.within
    assert std.target("resolution", "chat", "P3").within > chat.within
    assert std.target("first_response", "email", "P3").calendar_name == "support"
    assert std.target("first_response", "chat", "P3") is chat
    with pytest.raises(KeyError):  # an unknown name is not cached as anything
        policies.get("gold")
    with pytest.raises(KeyError):
        policies.get("gold")


def test_good_text_and_duration() -> None:
    ps = load_policies_text(GOOD)
    assert ps.get().target("resolution", "sms", "P2").cap == timedelta(days=3)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("1d") == timedelta(days=1)


@pytest.mark.parametrize(("old", "new", "field"), [
    ("first_response: {default: {all: 2m}}", "first_response: {default: {all: 2x}}",
     "policies.standard.first_response.default.all.within"),
    ("calendar: support, cap", "calendar: suport, cap",
     "policies.standard.resolution.default.all.calendar"),
    ("first_response: {default: {all: 2m}}", "first_response: {chat: {all: 2m}}",
     "policies.standard.first_response"),
    ("first_response: {default: {all: 2m}}", "first_response: {default: {all: 2m, P9: 1m}}",
     "policies.standard.first_response.default.P9"),
    ("first_response: {default: {all: 2m}}",
     "first_response: {default: {all: {within: 2m, cap: 1h}}}",
     "policies.standard.first_response.default.all"),
    ("default_policy: standard", "default_policy: gold", "default_policy"),
    ("default_policy: standard", "default_policy: standard\nwarnings: [0.9, 0.75]", "warnings"),
    ("timezone: Europe/Paris", "timezone: Europe/Pariss", "calendars.support.timezone"),
])
def test_errors_name_file_and_field(old: str, new: str, field: str, tmp_path: Path) -> None:
    assert old in GOOD
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policies(path)
    assert str(path) in str(info.value)
    assert f"{field}:" in str(info.value), str(info.value)


def test_invalid_yaml_and_wrong_shape() -> None:
    with pytest.raises(PolicyError, match=r"x\.yaml: line \d+: invalid YAML"):
        load_policies_text("policies: [", "x.yaml")
    with pytest.raises(PolicyError, match="must be a mapping"):
        load_policies_text("- a", "x.yaml")

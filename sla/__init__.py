"""SLA clocks: policies (YAML), business time, and a pure per-(ticket, metric) state machine
that emits ``sla.*`` events. No Kafka here: the streaming stage drives these functions.

    policies = load_policies()
    states, events = open_clocks("t1", "email", "P3", policies.get("standard"), received_at)
    states, events = apply_helpdesk_event(states, helpdesk_event, now)
    states, events = due(states, now)
    wake_up_at = next_fire_at(states)
"""

from __future__ import annotations

from sla.business_time import add_business_time, business_time_between, is_open
from sla.clock import ClockState, apply_helpdesk_event, due, next_fire_at, open_clocks
from sla.events import HelpdeskEvent, Metric, SlaEvent, sla_event_id
from sla.policies import (
    DEFAULT_POLICIES_PATH,
    ClockTarget,
    PolicyError,
    PolicySet,
    SlaPolicy,
    load_policies,
    load_policies_text,
    parse_duration,
)

__all__ = [
    "DEFAULT_POLICIES_PATH",
    "ClockState",
    "ClockTarget",
    "HelpdeskEvent",
    "Metric",
    "PolicyError",
    "PolicySet",
    "SlaEvent",
    "SlaPolicy",
    "add_business_time",
    "apply_helpdesk_event",
    "business_time_between",
    "due",
    "is_open",
    "load_policies",
    "load_policies_text",
    "next_fire_at",
    "open_clocks",
    "parse_duration",
    "sla_event_id",
]

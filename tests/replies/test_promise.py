"""The promise is the SLA clock's first-response deadline, to the second: business hours,
holidays, the cap, where the clock starts, the policy the routing chose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replies.promise import promise
from sla.clock import open_clocks
from sla.policies import PolicySet
from tests.replies.conftest import routed
from tests.sla.conftest import paris


def clock_deadline(r, policies: PolicySet, start: datetime) -> datetime | None:
    policy = policies.get(r.decision.sla_policy)
    clocks, _ = open_clocks(r.ticket.ticket_id, r.ticket.channel, r.decision.priority, policy,
                            start)
    (first,) = [c for c in clocks if c.metric == "first_response"]
    return first.deadline


@pytest.mark.parametrize("channel", ["email", "webform", "phone", "chat", "sms", "whatsapp"])
def test_the_deadline_is_the_sla_clocks_over_a_week_and_a_holiday(
        shipped_policies: PolicySet, channel: str) -> None:
    # every 97 minutes for 9 days from Monday 9 November (11 November is a holiday): opening
    # times, lunch, evenings, Saturday's short hours, Sunday, caps
    start = datetime(2026, 11, 9, 0, 13, tzinfo=UTC)
    for step in range(0, 9 * 24 * 60, 97):
        at = start + timedelta(minutes=step)
        r = routed(at, channel=channel)
        p = promise(r, shipped_policies, "received_at")
        assert p.reply_by == clock_deadline(r, shipped_policies, at), at
        assert p.within_s == (p.reply_by - at).total_seconds()


def test_open_closed_and_the_local_time(shipped_policies: PolicySet) -> None:
    open_ = promise(routed(paris(2026, 11, 18, 11), channel="email"), shipped_policies,
                    "received_at")
    assert open_.open_now and not open_.capped
    assert open_.reply_by_local == "2026-11-18T16:00:00+01:00"  # 1.5 h before lunch, 2.5 after
    assert open_.timezone == "Europe/Paris" and open_.policy == "standard"
    evening = promise(routed(paris(2026, 11, 20, 20), channel="email"), shipped_policies,
                      "received_at")
    assert not evening.open_now
    assert evening.reply_by_local == "2026-11-21T14:00:00+01:00"  # Saturday's four hours


def test_the_cap_decides_over_a_weekend(shipped_policies: PolicySet) -> None:
    # Saturday 16:00 (closed since 14:00): Monday 14:00 in business time, but at most 24 h
    p = promise(routed(paris(2026, 11, 21, 16), channel="email"), shipped_policies,
                "received_at")
    assert p.capped and not p.open_now
    assert p.reply_by == paris(2026, 11, 22, 16)


def test_a_wall_clock_target_has_no_time_zone_and_is_always_open(
        shipped_policies: PolicySet) -> None:
    p = promise(routed(paris(2026, 11, 22, 3), channel="chat"), shipped_policies, "received_at")
    assert p.open_now and p.timezone is None and p.reply_by_local is None
    assert p.within_s == 120


def test_routed_at_starts_the_clock_when_configured(shipped_policies: PolicySet) -> None:
    r = routed(paris(2026, 11, 18, 11), channel="chat", routed_after=timedelta(days=3))
    assert promise(r, shipped_policies, "received_at").reply_by == paris(2026, 11, 18, 11, 2)
    assert promise(r, shipped_policies, "routed_at").reply_by == paris(2026, 11, 21, 11, 2)


def test_the_routing_decisions_policy_and_priority_count(shipped_policies: PolicySet) -> None:
    at = paris(2026, 11, 18, 11)
    standard = promise(routed(at, channel="whatsapp"), shipped_policies, "received_at")
    urgent = promise(routed(at, channel="whatsapp", decide={"sla_policy": "urgent"}),
                     shipped_policies, "received_at")
    p1 = promise(routed(at, channel="whatsapp", decide={"priority": "P1"}), shipped_policies,
                 "received_at")
    assert (standard.within_s, urgent.within_s, p1.within_s) == (900, 300, 300)
    assert urgent.policy == "urgent"


def test_a_policy_this_worker_lacks_falls_back_to_the_default(
        shipped_policies: PolicySet) -> None:
    p = promise(routed(paris(2026, 11, 18, 11), channel="chat",
                       decide={"sla_policy": "gold"}), shipped_policies, "received_at")
    assert p.policy == "standard" and p.within_s == 120

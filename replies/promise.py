"""When a person will reply: the ticket's first-response deadline, exactly as its SLA clock will
have it, so the acknowledgement never promises a time the SLA stage does not hold the team to.

The deadline is the policy's first_response target for the ticket's channel and priority from
the clock start: business time of the target's calendar (opening hours, holidays), at most the
cap in calendar time (``sla.clock`` computes it the same way, with ``add_business_time``; a
test compares the two). The clock starts at ``received_at``, or at ``routed_at`` when
``TICKETFLOW_SLA_CLOCK_START=routed_at`` (replays, the demo), as in ``sla.tracker.on_routed``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from schemas.replies import Promise
from schemas.routing import RoutedTicket
from sla.business_time import add_business_time, is_open
from sla.policies import PolicySet, SlaPolicy

ClockStart = Literal["received_at", "routed_at"]


def policy_of(policies: PolicySet, name: str | None) -> SlaPolicy:
    """The decision's policy; a name this worker's policy file lacks falls back to the default,
    as the SLA stage does (a ruleset naming an unknown policy is not a crash there either)."""
    try:
        return policies.get(name)
    except KeyError:
        return policies.get(None)


def clock_started(routed: RoutedTicket, clock_start: ClockStart) -> datetime:
    return routed.ticket.received_at if clock_start == "received_at" else routed.routed_at


def promise(routed: RoutedTicket, policies: PolicySet, clock_start: ClockStart) -> Promise:
    """The first-response promise for ``routed``. Pure: every time comes from the record."""
    policy = policy_of(policies, routed.decision.sla_policy)
    start = clock_started(routed, clock_start)
    target = policy.target("first_response", routed.ticket.channel, routed.decision.priority)
    deadline = add_business_time(start, target.within, target.calendar, target.cap)
    calendar = target.calendar
    # a tie counts as capped, as in sla.clock: the cap decided it either way
    capped = target.cap is not None and deadline == start + target.cap
    local = deadline.astimezone(ZoneInfo(calendar.timezone)) if calendar is not None else None
    return Promise(
        reply_by=deadline,
        reply_by_local=local.isoformat() if local is not None else None,
        timezone=calendar.timezone if calendar is not None else None,
        within_s=(deadline - start).total_seconds(),
        open_now=is_open(start, calendar),
        capped=capped,
        policy=policy.name,
    )

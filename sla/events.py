"""What goes in and out of the SLA clocks: help-desk events in, SLA events out.

Both are frozen pydantic models, JSON-able for Kafka topics and faust tables.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal["first_response", "next_response", "resolution"]
METRICS: tuple[Metric, ...] = ("first_response", "next_response", "resolution")

ClockStatus = Literal["idle", "running", "paused", "fulfilled", "breached", "stopped"]
"""``idle``: a next-response clock waiting for the next customer reply (not yet running)."""

SlaEventType = Literal[
    "sla.applied", "sla.warning", "sla.breached", "sla.fulfilled", "sla.paused", "sla.resumed"
]
HelpdeskEventType = Literal[
    "agent_replied", "customer_replied", "status_changed", "assigned", "declined"
]
TicketStatus = Literal["new", "open", "pending", "on_hold", "solved", "closed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def sla_event_id(
    ticket_id: str,
    metric: str,
    deadline: datetime | None,
    type_: str,
    threshold: float | str | None = None,
) -> str:
    """``sla_`` + the first 24 hex digits of sha256 over (ticket, metric, deadline ISO, type,
    threshold). Re-deriving an event gives the same id, so consumers can deduplicate."""
    parts = (
        ticket_id,
        metric,
        deadline.isoformat() if deadline is not None else "",
        type_,
        "" if threshold is None else str(threshold),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"sla_{digest[:24]}"


class SlaEvent(_Frozen):
    """One thing that happened to an SLA clock."""

    event_id: str
    type: SlaEventType
    ticket_id: str
    metric: Metric
    policy: str
    target: float = Field(description="target in seconds (business seconds if `business`)")
    business: bool = Field(description="whether `target` counts business time (a calendar)")
    calendar: str | None = None
    deadline: datetime | None
    emitted_at: datetime
    previous_state: ClockStatus
    current_state: ClockStatus
    threshold: float | None = Field(default=None, description="elapsed fraction, for warnings")


class HelpdeskEvent(_Frozen):
    """Something the help desk reports about a ticket."""

    ticket_id: str
    type: HelpdeskEventType
    status: TicketStatus | None = None
    agent_id: str | None = None
    at: datetime

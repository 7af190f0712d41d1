"""The SLA topics' records: help-desk events in (``helpdesk.events``), SLA events out
(``sla.events``). Both keyed by ticket id, so they are co-partitioned with ``tickets.routed``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.common import Record

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


class SlaEvent(Record):
    """One thing that happened to an SLA clock, on ``sla.events`` keyed by ``ticket_id``.
    Delivery is at-least-once: dedupe on ``event_id``, which is derived from (ticket, metric
    and cycle, deadline, type, threshold) and so is the same every time the event is derived."""

    schema_version: Literal[1] = 1
    event_id: str = Field(pattern=r"^sla_[0-9a-f]{24}$")
    type: SlaEventType
    ticket_id: str
    metric: Metric
    cycle: int = Field(default=1, ge=1,
                       description="next_response restarts after each customer reply; 1 otherwise")
    policy: str
    target: float = Field(description="Target in seconds (business seconds if `business`).")
    business: bool = Field(description="Whether `target` counts business time (a calendar).")
    calendar: str | None = None
    deadline: datetime | None = Field(
        description="When the clock breaches; null for a clock waiting to start.")
    emitted_at: datetime = Field(description="When the worker derived this event.")
    previous_state: ClockStatus
    current_state: ClockStatus
    threshold: float | None = Field(default=None,
                                    description="Elapsed fraction, for sla.warning.")


class HelpdeskEvent(BaseModel):
    """Something the help desk reports about a ticket, on ``helpdesk.events`` keyed by
    ``ticket_id``. Unknown fields are ignored so help desks may send more than this."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    schema_version: Literal[1] = 1
    ticket_id: str = Field(min_length=1)
    type: HelpdeskEventType
    at: AwareDatetime = Field(description="When it happened in the help desk (not when sent).")
    status: TicketStatus | None = Field(
        default=None, description="Required for status_changed: the ticket's new status.")
    agent_id: str | None = Field(
        default=None, description="Who replied, was assigned or declined.")
    event_id: str | None = Field(default=None, description="The help desk's own id, if any.")

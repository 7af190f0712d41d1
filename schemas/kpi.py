"""The KPI topics' records: one :class:`KpiTicket` per ticket on ``kpi.tickets`` when it is first
solved or closed, and one :class:`KpiFcr` follow-up on ``kpi.fcr`` when its first-contact-resolution
window closes (a topic of its own: one record type, one JSON Schema per topic). Both keyed by
ticket id; delivery is at-least-once: dedupe on ``record_id``, which depends
on the ticket id and the record kind only, so a ticket counts once however often it is derived.

Corrections: a :class:`KpiTicket` tells what was known when the ticket was first solved. Whatever
happens afterwards within the FCR window — a reopen, more agent replies, an SLA breach derived
after the solve, a CSAT or NPS answer arriving after the solve — is carried by the ticket's
:class:`KpiFcr`, whose values are final. A consumer wanting final numbers joins the two on
``ticket_id`` and prefers the follow-up's fields.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.common import Record

KpiRecordKind = Literal["kpi.ticket", "kpi.fcr"]


def kpi_record_id(ticket_id: str, kind: KpiRecordKind) -> str:
    """``kpi_`` + the first 24 hex digits of sha256 over (ticket id, kind): the same every time
    the record is derived (redelivery, crash before the state was stored, replay)."""
    digest = hashlib.sha256(f"{ticket_id}\x1f{kind}".encode()).hexdigest()
    return f"kpi_{digest[:24]}"


class SlaMet(Record):
    """Per SLA metric, whether it was met: met unless ``sla.events`` carried an ``sla.breached``
    for that metric of the ticket (any cycle, for next_response)."""

    first_response: bool = Field(description="No sla.breached for first_response.")
    next_response: bool = Field(description="No sla.breached for any next_response cycle.")
    resolution: bool = Field(description="No sla.breached for resolution.")


class KpiTicket(Record):
    """One solved ticket's KPIs, on ``kpi.tickets`` keyed by ``ticket_id``, emitted once: when
    the help desk first reports it ``solved`` or ``closed`` (and its routed message has arrived).
    A later reopen does not withdraw it; the :class:`KpiFcr` follow-up has the final values."""

    schema_version: Literal[1] = 1
    record_id: str = Field(pattern=r"^kpi_[0-9a-f]{24}$",
                           description="Derived from the ticket id: dedupe on it.")
    ticket_id: str
    channel: str = Field(description="The channel the ticket came in on.")
    intent: str | None = Field(description="The classifier's intent; null if not classified.")
    queue: str = Field(description="The queue of its latest routing attempt.")
    priority: str = Field(description="The priority of its latest routing attempt (P1..P4).")
    segment: str | None = Field(
        description="The customer's segment from enrichment; null when not known.")
    language: str = Field(description="ISO 639-1 code, or 'und'.")
    sla_policy: str = Field(description="The SLA policy whose calendars the business times use.")
    received_at: datetime = Field(description="When the provider received the message (UTC).")
    solved_at: datetime = Field(
        description="The first `status_changed` to solved or closed (the help desk's time).")
    first_response_s: float | None = Field(
        description="Calendar seconds from received_at to the first agent_replied (the earliest "
        "by help-desk time); null when no agent replied before the record was emitted. From "
        "the routing time instead when the worker runs with TICKETFLOW_SLA_CLOCK_START="
        "routed_at (replays of old traffic), as the SLA clocks.")
    first_response_business_s: float | None = Field(
        description="The same span in business seconds of the SLA policy's first_response "
        "calendar for the ticket's channel and priority (equal to first_response_s when that "
        "target has no calendar).")
    resolution_s: float = Field(
        description="Calendar seconds from received_at (or the routing time, as for "
        "first_response_s) to solved_at (the first solve; a reopen does not move it).")
    resolution_business_s: float = Field(
        description="The same span in business seconds of the SLA policy's resolution calendar.")
    agent_replies: int = Field(ge=0, description="agent_replied events up to emission.")
    reassignments: int = Field(
        ge=0, description="`assigned` events that moved the ticket from one agent to another "
        "(the first assignment is not a reassignment).")
    reroutes: int = Field(
        ge=0, description="Routing attempts after the first: the highest RoutedTicket.attempt "
        "seen, minus 1.")
    reopened: bool = Field(
        description="A status_changed to new or open later (by help-desk time) than the first "
        "solve, as known at emission.")
    sla_met: SlaMet
    csat_score: int | None = Field(
        default=None, ge=1, le=5,
        description="The latest csat_submitted score (1–5) received before emission; later "
        "ones are in the KpiFcr follow-up.")
    nps_score: int | None = Field(
        default=None, ge=0, le=10, description="The latest nps_submitted score (0–10) received "
        "before emission; later ones are in the KpiFcr follow-up.")
    emitted_at: datetime = Field(description="When the KPI stage derived this record.")


class KpiFcr(Record):
    """First-contact resolution of one ticket, on ``kpi.fcr`` keyed by ``ticket_id``, decided
    when its window closes (``solved_at`` + window + grace), with the ticket's final values."""

    schema_version: Literal[1] = 1
    record_id: str = Field(pattern=r"^kpi_[0-9a-f]{24}$",
                           description="Derived from the ticket id: dedupe on it.")
    ticket_id: str
    ticket_record_id: str = Field(description="The record_id of the ticket's KpiTicket.")
    channel: str = Field(description="As in KpiTicket (so rollups need no join).")
    intent: str | None = Field(description="As in KpiTicket.")
    queue: str = Field(description="As in KpiTicket: the queue of its latest routing attempt.")
    fcr: bool = Field(
        description="First-contact resolution across channels: true when the ticket was solved "
        "with exactly one agent reply, was not reopened, and the same customer (resolved across "
        "channels by enrichment's customer key) made no other contact on any channel in the same "
        "conversation or with the same intent, received after this ticket and no later than "
        "solved_at + window_s.")
    recontact_ticket_id: str | None = Field(
        description="The contact that made fcr false, if one did.")
    window_s: float = Field(description="The FCR window in seconds (default 7 days).")
    solved_at: datetime
    agent_replies: int = Field(ge=0, description="agent_replied events, final.")
    reassignments: int = Field(ge=0, description="As in KpiTicket, final.")
    reopened: bool = Field(description="As in KpiTicket, final.")
    sla_met: SlaMet = Field(description="As in KpiTicket, final (breaches derived after the "
                            "solve included).")
    csat_score: int | None = Field(default=None, ge=1, le=5,
                                   description="The latest CSAT score received, final.")
    nps_score: int | None = Field(default=None, ge=0, le=10,
                                  description="The latest NPS score received, final.")
    emitted_at: datetime = Field(description="When the KPI stage derived this record.")


# --- what the rollups are made of, and what they emit --------------------------------------

KpiFactKind = Literal["received", "solved", "fcr", "breach", "csat"]


class OrderFact(Record):
    """One fact about a ticket's matched order, as ``field=value`` (e.g. ``carrier=DHL``,
    ``late=true``, ``status=shipped``): what a volume spike's tickets have in common."""

    field: Literal["carrier", "status", "late"]
    value: str


class KpiFact(Record):
    """One thing that happened to a ticket, for the hourly rollups and the spike detector, on
    the internal ``<app id>-kpi-facts`` topic (in a :class:`KpiFacts` message) keyed by
    ``intent`` (``unknown`` when none): all of an intent's facts share a partition, so one
    worker holds every rollup cell of that intent
    and its whole volume. Emitted by the KPI stage; ``fact_id`` is deterministic, so a
    redelivery is recognised."""

    schema_version: Literal[1] = 1
    fact_id: str = Field(description="Derived from (ticket id, kind, detail): dedupe on it.")
    kind: KpiFactKind = Field(
        description="received: a ticket's first routing (volume); solved: its KpiTicket; "
        "fcr: its KpiFcr; breach: an sla.breached; csat: a csat_submitted.")
    ticket_id: str
    at: datetime = Field(
        description="Event time that places the fact in an hour: received_at (received), "
        "solved_at (solved), the decision time (fcr), the breach's deadline (breach), the "
        "survey's time (csat).")
    queue: str = Field(description="The ticket's queue (latest routing attempt).")
    channel: str
    intent: str = Field(description="The classifier's intent, or 'unknown'.")
    order_facts: tuple[OrderFact, ...] = Field(
        default=(), description="received only: facts of the ticket's matched orders.")
    first_response_s: float | None = Field(default=None, description="solved only.")
    resolution_s: float | None = Field(default=None, description="solved only.")
    fcr: bool | None = Field(default=None, description="fcr only.")
    metric: str | None = Field(default=None, description="breach only: the SLA metric.")
    csat_score: int | None = Field(default=None, ge=1, le=5, description="csat only.")


MAX_FACTS_PER_MESSAGE = 200
"""A batch's facts of one intent go in messages of at most this many (≈100 KB, under Kafka's
1 MB default message limit)."""


class KpiFacts(Record):
    """The value of an ``<app id>-kpi-facts`` message, keyed by ``intent``: one micro-batch's
    facts of that intent, in the order they happened. One message per intent and batch instead
    of one per fact: the rollup agent then consumes tens of messages for a batch of tickets,
    not one or more per ticket."""

    schema_version: Literal[1] = 1
    intent: str = Field(description="The intent of every fact in it ('unknown' when none).")
    facts: tuple[KpiFact, ...] = Field(min_length=1, max_length=MAX_FACTS_PER_MESSAGE)


def kpi_fact_id(ticket_id: str, kind: KpiFactKind, detail: str = "") -> str:
    digest = hashlib.sha256(f"{ticket_id}\x1f{kind}\x1f{detail}".encode()).hexdigest()
    return f"kf_{digest[:24]}"


class KpiRollup(Record):
    """One hour × queue × channel × intent, on ``kpi.rollups`` keyed by ``rollup_id``
    (compacted: the latest revision per key is the truth). Every fact counts in the hour of its
    own event time (``KpiFact.at``): tickets received in the hour, solved in the hour, FCR
    decided in the hour, breaches and surveys in the hour. Emitted when the hour closes; a fact
    arriving later for a kept hour re-emits it with ``revision`` + 1."""

    schema_version: Literal[1] = 1
    rollup_id: str = Field(description="'<hour start ISO>|<queue>|<channel>|<intent>'.")
    hour_start: datetime
    queue: str
    channel: str
    intent: str
    revision: int = Field(ge=1)
    received: int = Field(ge=0, description="Tickets received (first routing) in the hour.")
    solved: int = Field(ge=0, description="KpiTicket records whose solved_at is in the hour.")
    first_response_p50_s: float | None
    first_response_p90_s: float | None
    resolution_p50_s: float | None
    resolution_p90_s: float | None
    fcr_decided: int = Field(ge=0, description="KpiFcr records decided in the hour.")
    fcr_resolved: int = Field(ge=0, description="Of those, fcr true.")
    fcr_rate: float | None = Field(description="fcr_resolved / fcr_decided; null when 0.")
    csat_count: int = Field(ge=0)
    csat_avg: float | None
    breaches: int = Field(ge=0, description="sla.breached events in the hour, any metric.")
    emitted_at: datetime


class OrderFactCount(Record):
    field: str
    value: str
    count: int = Field(ge=1)
    share: float = Field(ge=0, le=1, description="count / the spike's tickets with an order.")


class KpiAlert(Record):
    """A volume spike of one intent, on ``kpi.alerts`` keyed by ``intent``: its count in the
    window reached both the minimum count and ratio × its baseline. One per intent and window
    (``alert_id`` derived from both)."""

    schema_version: Literal[1] = 1
    alert_id: str
    kind: Literal["volume_spike"] = "volume_spike"
    intent: str
    window_start: datetime
    window_end: datetime
    count: int = Field(ge=1, description="Tickets of the intent received in the window so far.")
    baseline: float = Field(ge=0, description="The intent's expected count for such a window.")
    ratio: float = Field(description="count / baseline (baseline floored, see README).")
    threshold_ratio: float
    min_count: int
    example_ticket_ids: tuple[str, ...] = Field(description="Up to 10 of the window's tickets.")
    top_order_facts: tuple[OrderFactCount, ...] = Field(
        description="The most frequent order facts among the window's tickets, most first.")
    detected_at: datetime

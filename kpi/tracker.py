"""One ticket's KPI state and the pure steps that move it (no I/O, no ``datetime.now()``).

A ticket's state (:class:`TicketKpi`, table key = ticket id) gathers what ``tickets.routed``,
``helpdesk.events`` and ``sla.events`` tell about it, in any order: help-desk events may come
before the routed message (the topics are read independently) and are applied at once, since
counting them needs nothing from the routing. When the ticket is routed and solved,
:func:`ticket_record` gives its :class:`~schemas.kpi.KpiTicket` (once: ``emitted``); when its FCR
window has closed, :func:`fcr_record` gives the :class:`~schemas.kpi.KpiFcr` and the state is
deleted.

Idempotency: a routed message is applied only for a higher ``attempt``; a help-desk event only
once per :func:`event_key` (its ``event_id``, else a digest of its content), remembered in the
state; an ``sla.breached`` only once per metric; a recontact keeps the earliest. Records have
ids derived from the ticket id.

Cross-channel FCR: a customer's tickets live on different partitions (keyed by ticket id), so
no state here lists them. The routing stage, keyed by customer, hands each ticket the
customer's other recent contacts (``enrichment.contacts.recent``: ticket id, received_at,
intent, conversation). On a ticket's first routing the stage (:mod:`kpi.stage`) tells each
related earlier contact, by a command on its partition, that this ticket re-contacted it
(:func:`on_recontact`), and marks this ticket itself when a related contact received *later*
was routed first (:func:`related`). A state keeps only the earliest such contact
(``recontact``, ``recontact_at``): the FCR decision needs no more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from core.settings import Settings
from schemas.common import Copyable
from schemas.kpi import KpiFcr, KpiTicket, SlaMet, kpi_record_id
from schemas.sla import SlaEvent
from sla.business_time import business_time_between
from sla.events import Metric
from sla.policies import PolicySet, SlaPolicy

MAX_SEEN_EVENTS = 500
"""Help-desk events remembered (for deduplication) per ticket; later ones are ignored, so a
runaway help desk cannot grow a state without bound."""


@dataclass(frozen=True)
class KpiConfig:
    policies: PolicySet
    """The SLA policies: their calendars give the business seconds."""
    fcr_window: timedelta = timedelta(days=7)
    """A contact up to this long after the solve makes FCR false."""
    grace: timedelta = timedelta(hours=1)
    """How long after the window the decision waits, for contacts still in flight."""
    abandon_after: timedelta = timedelta(days=30)
    """A routed ticket with no event for this long and never solved is forgotten without a
    record."""
    unrouted_after: timedelta = timedelta(days=7)
    """A state whose routed message never came — events or a recontact for a ticket whose state
    was deleted already (a help desk's late note, a customer writing after the FCR decision),
    or that is not routed yet — is forgotten this long after its last event (at most
    ``abandon_after``), as the SLA stage forgets its help-desk-only states."""
    clock_start: Literal["received_at", "routed_at"] = "received_at"
    """Where first response and resolution are measured from, as the SLA clocks
    (``TICKETFLOW_SLA_CLOCK_START``): ``routed_at`` for replays of old traffic, whose
    received_at is weeks before the help desk's answers."""


class _View(BaseModel):
    """Only the fields the KPI stage reads of a ``tickets.routed`` message; the rest (body,
    classification evidence, matched rules, the Ticket's validators) is skipped by the JSON
    parser (``extra="ignore"``): ≈9 µs instead of ≈19 µs for a 3 KB routed message."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class RecentView(_View):
    ticket_id: str
    received_at: datetime
    intent: str | None = None
    conversation_id: str


class ContactsView(_View):
    conversation_id: str
    recent: tuple[RecentView, ...] = ()


class OrderView(_View):
    status: str
    carrier: str | None = None
    late: bool = False


class SegmentView(_View):
    segment: str | None = None


class EnrichmentView(_View):
    customer: SegmentView | None = None
    orders: tuple[OrderView, ...] = ()
    contacts: ContactsView | None = None


class IntentView(_View):
    intent: str


class ThreadView(_View):
    conversation_id: str | None = None


class TicketView(_View):
    ticket_id: str
    channel: str
    received_at: datetime
    language: str
    classification: IntentView | None = None
    enrichment: EnrichmentView | None = None
    thread: ThreadView = ThreadView()

    @property
    def intent(self) -> str | None:
        return self.classification.intent if self.classification is not None else None

    @property
    def conversation_id(self) -> str | None:
        contacts = self.enrichment.contacts if self.enrichment is not None else None
        return contacts.conversation_id if contacts is not None else self.thread.conversation_id

    @property
    def recent(self) -> tuple[RecentView, ...]:
        contacts = self.enrichment.contacts if self.enrichment is not None else None
        return contacts.recent if contacts is not None else ()


class DecisionView(_View):
    queue: str
    priority: str
    sla_policy: str | None = None


class RoutedView(_View):
    """A ``tickets.routed`` message as the KPI stage reads it."""

    ticket: TicketView
    decision: DecisionView
    routed_at: datetime
    attempt: int = 1


class Breached(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Metric
    at: datetime
    """The breach's deadline (its emitted_at when it has none): the fact's event time."""


class TicketKpi(Copyable):
    """What the KPI table holds per ticket id (JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ticket_id: str
    partition: int
    # --- from tickets.routed (attempt 0: not routed yet)
    attempt: int = 0
    channel: str | None = None
    intent: str | None = None
    queue: str | None = None
    priority: str | None = None
    segment: str | None = None
    language: str | None = None
    sla_policy: str | None = None
    received_at: datetime | None = None
    started_at: datetime | None = None
    """What first response and resolution are measured from (:attr:`KpiConfig.clock_start`)."""
    conversation_id: str | None = None
    # --- from helpdesk.events
    seen: tuple[str, ...] = ()
    first_reply_at: datetime | None = None
    agent_replies: int = 0
    last_assignee: str | None = None
    reassignments: int = 0
    solved_at: datetime | None = None
    last_reopen_at: datetime | None = None
    csat: int | None = None
    csat_at: datetime | None = None
    nps: int | None = None
    nps_at: datetime | None = None
    # --- from sla.events
    breached: tuple[Breached, ...] = ()
    # --- the stage's own
    emitted: bool = False
    recontact: str | None = None
    """The earliest later contact of the customer about the same matter (any channel)."""
    recontact_at: datetime | None = None
    """Its received_at: whether it falls in the FCR window is decided with the solve."""
    last_activity: datetime | None = None
    """The latest event time seen (for :attr:`KpiConfig.abandon_after`)."""

    @property
    def is_routed(self) -> bool:
        return self.attempt > 0

    @property
    def reopened(self) -> bool:
        return (self.solved_at is not None and self.last_reopen_at is not None
                and self.last_reopen_at > self.solved_at)

    @property
    def breached_metrics(self) -> tuple[Metric, ...]:
        return tuple(b.metric for b in self.breached)

    def sla_met(self) -> SlaMet:
        metrics = self.breached_metrics
        return SlaMet(first_response="first_response" not in metrics,
                      next_response="next_response" not in metrics,
                      resolution="resolution" not in metrics)

    def recontacted_in(self, config: KpiConfig) -> str | None:
        """The contact that makes FCR false: received after this ticket and no later than its
        solve + the window (any time before the solve counts: the customer wrote again while
        waiting)."""
        at = self.recontact_at
        if at is None or self.received_at is None or at <= self.received_at:
            return None
        if self.solved_at is not None and at > self.solved_at + config.fcr_window:
            return None
        return self.recontact

    def fcr_due_at(self, config: KpiConfig) -> datetime | None:
        if not self.emitted or self.solved_at is None:
            return None
        return self.solved_at + config.fcr_window + config.grace

    def abandon_at(self, config: KpiConfig) -> datetime | None:
        if self.emitted or self.last_activity is None:
            return None
        if self.is_routed:
            return self.last_activity + config.abandon_after
        return self.last_activity + min(config.unrouted_after, config.abandon_after)


def event_key(event: Any) -> str:
    """A help-desk event's identity: its ``event_id`` when the help desk sent one, else a digest
    of what it says (the same message redelivered gives the same key)."""
    event_id = getattr(event, "event_id", None)
    if event_id:
        return "id:" + str(event_id)
    # a joined string, not json.dumps of a dict: a third of the cost, on every help-desk event
    content = "\x1f".join((str(event.type), str(getattr(event, "status", None)),
                           str(getattr(event, "agent_id", None)),
                           str(getattr(event, "score", None)), event.at.isoformat()))
    return "h:" + hashlib.sha256(content.encode()).hexdigest()[:20]


def kpi_config(settings: Settings) -> KpiConfig:
    """The KPI configuration the settings name (the SLA policies' calendars give business
    seconds)."""
    from sla.policies import load_policies

    return KpiConfig(policies=load_policies(settings.sla_policies_path),
                     fcr_window=timedelta(seconds=settings.kpi_fcr_window_s),
                     grace=timedelta(seconds=settings.kpi_fcr_grace_s),
                     abandon_after=timedelta(seconds=settings.kpi_abandon_after_s),
                     unrouted_after=timedelta(seconds=settings.kpi_unrouted_after_s),
                     clock_start=settings.sla_clock_start)


def _activity(state: TicketKpi, at: datetime) -> datetime:
    return at if state.last_activity is None else max(state.last_activity, at)


def on_routed(state: TicketKpi | None, routed: RoutedView, partition: int,
              clock_start: str = "received_at") -> TicketKpi:
    """A ``tickets.routed`` message: the first attempt sets the ticket's facts, a later one its
    queue, priority and policy (re-routes). Redeliveries and older attempts change nothing.
    ``clock_start``: :attr:`KpiConfig.clock_start`."""
    ticket = routed.ticket
    current = state or TicketKpi(ticket_id=ticket.ticket_id, partition=partition)
    if routed.attempt <= current.attempt:
        return current
    update: dict[str, Any] = {
        "attempt": routed.attempt, "queue": routed.decision.queue,
        "priority": routed.decision.priority, "sla_policy": routed.decision.sla_policy,
        "last_activity": _activity(current, ticket.received_at),
    }
    if not current.is_routed:
        enrichment = ticket.enrichment
        update.update({
            "channel": ticket.channel, "intent": ticket.intent,
            "segment": (enrichment.customer.segment
                        if enrichment is not None and enrichment.customer is not None else None),
            "language": ticket.language, "received_at": ticket.received_at,
            "started_at": (routed.routed_at if clock_start == "routed_at"
                           else ticket.received_at),
            "conversation_id": ticket.conversation_id,
        })
    return current.model_copy(update=update)


def on_recontact(state: TicketKpi | None, ticket_id: str, by: str, at: datetime,
                 partition: int) -> TicketKpi:
    """Ticket ``by``, received at ``at``, is a later contact of this ticket's customer about the
    same matter. Only the earliest is kept (the FCR decision needs no more); a redelivery
    changes nothing."""
    current = state or TicketKpi(ticket_id=ticket_id, partition=partition)
    known = current.recontact_at
    if known is not None and (known, current.recontact or "") <= (at, by):
        return current
    return current.model_copy(update={"recontact": by, "recontact_at": at,
                                      "last_activity": _activity(current, at)})


def on_helpdesk(state: TicketKpi | None, event: Any, partition: int) -> TicketKpi:
    """A help-desk event (a :class:`~sla.events.HelpdeskEvent`, or any object with ``type``,
    ``at``, ``status``, ``agent_id``, ``event_id`` and, for csat_submitted / nps_submitted,
    ``score``). Each event counts once (:func:`event_key`)."""
    current = state or TicketKpi(ticket_id=event.ticket_id, partition=partition)
    key = event_key(event)
    if key in current.seen or len(current.seen) >= MAX_SEEN_EVENTS:
        return current
    at: datetime = event.at
    update: dict[str, Any] = {"seen": (*current.seen, key),
                              "last_activity": _activity(current, at)}
    type_ = event.type
    if type_ == "agent_replied":
        update["agent_replies"] = current.agent_replies + 1
        if current.first_reply_at is None or at < current.first_reply_at:
            update["first_reply_at"] = at
    elif type_ == "assigned":
        agent = event.agent_id or "unknown"
        if current.last_assignee is not None and agent != current.last_assignee:
            update["reassignments"] = current.reassignments + 1
        update["last_assignee"] = agent
    elif type_ == "status_changed" and event.status in ("solved", "closed"):
        if current.solved_at is None or (at < current.solved_at and not current.emitted):
            update["solved_at"] = at
    elif type_ == "status_changed" and event.status in ("new", "open"):
        if current.last_reopen_at is None or at > current.last_reopen_at:
            update["last_reopen_at"] = at
    elif type_ in ("csat_submitted", "nps_submitted"):
        score = getattr(event, "score", None)
        field = "csat" if type_ == "csat_submitted" else "nps"
        latest = getattr(current, field + "_at")
        if isinstance(score, int) and (latest is None or at >= latest):
            update[field] = score
            update[field + "_at"] = at
    return current.model_copy(update=update)


def on_sla_event(state: TicketKpi | None, event: SlaEvent, partition: int) -> TicketKpi:
    """An ``sla.events`` message: only ``sla.breached`` matters (a metric not met), once per
    metric."""
    current = state or TicketKpi(ticket_id=event.ticket_id, partition=partition)
    if event.type != "sla.breached" or event.metric in current.breached_metrics:
        return current
    at = event.deadline or event.emitted_at
    return current.model_copy(update={
        "breached": (*current.breached, Breached(metric=event.metric, at=at)),
        "last_activity": _activity(current, at)})


def _policy(config: KpiConfig, state: TicketKpi) -> SlaPolicy:
    try:
        return config.policies.get(state.sla_policy)
    except KeyError:  # a ruleset naming a policy this worker lacks: the default, like the SLA
        return config.policies.get(None)


def _business_s(config: KpiConfig, state: TicketKpi, metric: Metric, start: datetime,
                end: datetime) -> float:
    policy = _policy(config, state)
    assert state.channel is not None and state.priority is not None
    calendar = policy.target(metric, state.channel, state.priority).calendar
    return business_time_between(start, end, calendar).total_seconds()


def ticket_record(state: TicketKpi, config: KpiConfig, now: datetime) -> KpiTicket | None:
    """The ticket's KpiTicket if it is due (routed, solved, not emitted yet), else None."""
    if state.emitted or not state.is_routed or state.solved_at is None:
        return None
    assert state.received_at is not None and state.channel is not None
    assert state.queue is not None and state.priority is not None
    start = state.started_at or state.received_at
    first = state.first_reply_at
    fr = fr_b = None
    if first is not None:
        fr = max((first - start).total_seconds(), 0.0)
        fr_b = _business_s(config, state, "first_response", start, first)
    return KpiTicket(
        record_id=kpi_record_id(state.ticket_id, "kpi.ticket"), ticket_id=state.ticket_id,
        channel=state.channel, intent=state.intent, queue=state.queue, priority=state.priority,
        segment=state.segment, language=state.language or "und",
        sla_policy=_policy(config, state).name,
        received_at=state.received_at, solved_at=state.solved_at,
        first_response_s=fr, first_response_business_s=fr_b,
        resolution_s=max((state.solved_at - start).total_seconds(), 0.0),
        resolution_business_s=_business_s(config, state, "resolution", start, state.solved_at),
        agent_replies=state.agent_replies, reassignments=state.reassignments,
        reroutes=max(state.attempt - 1, 0), reopened=state.reopened, sla_met=state.sla_met(),
        csat_score=state.csat, nps_score=state.nps, emitted_at=now,
    )


def fcr_record(state: TicketKpi, config: KpiConfig, now: datetime) -> KpiFcr:
    assert state.solved_at is not None
    assert state.channel is not None and state.queue is not None
    recontact = state.recontacted_in(config)
    fcr = state.agent_replies == 1 and not state.reopened and recontact is None
    return KpiFcr(
        record_id=kpi_record_id(state.ticket_id, "kpi.fcr"), ticket_id=state.ticket_id,
        ticket_record_id=kpi_record_id(state.ticket_id, "kpi.ticket"), channel=state.channel,
        intent=state.intent, queue=state.queue, fcr=fcr,
        recontact_ticket_id=recontact,
        window_s=config.fcr_window.total_seconds(), solved_at=state.solved_at,
        agent_replies=state.agent_replies, reassignments=state.reassignments,
        reopened=state.reopened, sla_met=state.sla_met(), csat_score=state.csat,
        nps_score=state.nps, emitted_at=now,
    )


def wake_at(state: TicketKpi, config: KpiConfig) -> datetime | None:
    """When the timer has something to do for this ticket: its FCR decision, or forgetting a
    ticket never solved (or never routed)."""
    return state.fcr_due_at(config) or state.abandon_at(config)

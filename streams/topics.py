"""Every topic ticketflow reads or writes: name, partitions, key and config, in one place.

All topics share one partition count so that streams keyed by the same id are co-partitioned
(the SLA clocks and per-customer state rely on it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import Channel

DAY_MS = 24 * 60 * 60 * 1000
# Raw topics accept payloads past the worker's 1 MB limit so that an oversized message reaches
# the worker and is dead-lettered with a reason, instead of being refused at some producer with
# no trace. Dead letters carry the original base64-encoded (4/3 larger), hence more room.
INBOUND_MAX_MESSAGE_BYTES = 4 * 1024 * 1024
DEADLETTER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    key: str
    description: str
    config: dict[str, str] = field(default_factory=dict)
    schema: str | None = None  # the JSON Schema file in schemas/json/ for its values


def inbound_topic(channel: Channel | str) -> str:
    return f"inbound.{channel}"


def channel_of(topic: str) -> str:
    """``inbound.email`` → ``email``; the worker trusts the topic, not the payload."""
    return topic.removeprefix("inbound.")


def queue_topic(queue: str) -> str:
    return f"queue.{queue}"


INBOUND = tuple(
    TopicSpec(
        name=inbound_topic(channel),
        key="none (raw provider payloads; keyed downstream)",
        description=f"Raw {channel} payloads exactly as the provider sent them.",
        config={"retention.ms": str(7 * DAY_MS),
                "max.message.bytes": str(INBOUND_MAX_MESSAGE_BYTES)},
    )
    for channel in Channel
)

TICKETS_NORMALIZED = TopicSpec(
    name="tickets.normalized",
    key="ticket_id",
    description="One normalized Ticket per customer message.",
    config={"retention.ms": str(7 * DAY_MS)},
    schema="ticket.json",
)
TICKETS_DEADLETTER = TopicSpec(
    name="tickets.deadletter",
    key="deadletter_id",
    description="Raw input that could not become a ticket, with the reason and original bytes.",
    config={"retention.ms": str(30 * DAY_MS),
            "max.message.bytes": str(DEADLETTER_MAX_MESSAGE_BYTES)},
    schema="deadletter.json",
)
TICKETS_ROUTED = TopicSpec(
    name="tickets.routed",
    key="ticket_id",
    description="Every routed ticket with its full, explained routing decision.",
    config={"retention.ms": str(30 * DAY_MS)},
    schema="routed.json",
)
ROUTING_RULES = TopicSpec(
    name="routing.rules",
    key="ruleset name",
    description="Published rulesets (YAML); compacted: the latest per name is what runs.",
    config={"cleanup.policy": "compact"},
)
SLA_EVENTS = TopicSpec(
    name="sla.events",
    key="ticket_id",
    description="SLA applied / warning / breached / fulfilled / paused / resumed events.",
    config={"retention.ms": str(30 * DAY_MS)},
    schema="sla_event.json",
)
HELPDESK_EVENTS = TopicSpec(
    name="helpdesk.events",
    key="ticket_id",
    description="Help-desk feedback: replies, status changes, assignments, declines.",
    config={"retention.ms": str(30 * DAY_MS)},
    schema="helpdesk.json",
)

KPI_TICKETS = TopicSpec(
    name="kpi.tickets",
    key="ticket_id",
    description="One KpiTicket per ticket when it is first solved or closed.",
    config={"retention.ms": str(400 * DAY_MS)},
    schema="kpi_ticket.json",
)
KPI_FCR = TopicSpec(
    name="kpi.fcr",
    key="ticket_id",
    description="One KpiFcr per solved ticket when its first-contact-resolution window closes.",
    config={"retention.ms": str(400 * DAY_MS)},
    schema="kpi_fcr.json",
)
KPI_ROLLUPS = TopicSpec(
    name="kpi.rollups",
    key="rollup_id (hour|queue|channel|intent)",
    description="Hourly KPI rollups per queue x channel x intent; compacted: latest revision.",
    config={"cleanup.policy": "compact"},
    schema="kpi_rollup.json",
)
KPI_ALERTS = TopicSpec(
    name="kpi.alerts",
    key="intent",
    description="Volume spikes by intent, with example tickets and common order facts.",
    config={"retention.ms": str(400 * DAY_MS)},
    schema="kpi_alert.json",
)

REPLIES_SUGGESTED = TopicSpec(
    name="replies.suggested",
    key="ticket_id",
    description="One ReplySuggestion per ticket: an acknowledgement with the promised reply "
    "time, a factual answer where the order facts give one, and what may be sent unreviewed.",
    config={"retention.ms": str(30 * DAY_MS)},
    schema="reply_suggestion.json",
)

OUTPUT = (TICKETS_NORMALIZED, TICKETS_DEADLETTER)
RESERVED = (TICKETS_ROUTED, ROUTING_RULES, SLA_EVENTS, HELPDESK_EVENTS)
KPI = (KPI_TICKETS, KPI_FCR, KPI_ROLLUPS, KPI_ALERTS)
REPLIES = (REPLIES_SUGGESTED,)
# queue.<name> topics are declared by the routing ruleset (next stage).


# Internal topics carry the app id (= consumer group), so two deployments can share a cluster:
# faust names table changelogs "<app id>-<table>-changelog"; ours follow the same rule.

def sla_commands_topic(app_id: str) -> TopicSpec:
    return TopicSpec(
        name=f"{app_id}-sla-commands",
        key="none (sent to an explicit partition)",
        description="Internal: a worker's SLA timer asks its own partition to tick due tickets "
        "(faust tables can only be written while iterating a stream).",
        config={"retention.ms": str(DAY_MS)},
    )


def kpi_commands_topic(app_id: str) -> TopicSpec:
    return TopicSpec(
        name=f"{app_id}-kpi-commands",
        key="ticket_id (recontacts) or none (timer ticks, sent to an explicit partition)",
        description="Internal: a later contact of the same customer, sent to the earlier "
        "ticket's partition; a worker's KPI timer asks its own partition to close due tickets.",
        # a recontact waits here while no worker owns its partition: kept a week, not a day, so
        # an outage over a weekend does not turn "wrote again" into a first-contact resolution
        config={"retention.ms": str(7 * DAY_MS)},
    )


def kpi_facts_topic(app_id: str) -> TopicSpec:
    return TopicSpec(
        name=f"{app_id}-kpi-facts",
        key="intent",
        description="Internal: KpiFacts, a batch's KpiFact records of one intent (received, "
        "solved, fcr, breach, csat) for the hourly rollups and the spike detector; an intent's "
        "facts share a partition.",
        config={"retention.ms": str(7 * DAY_MS)},
        schema="kpi_facts.json",
    )


def changelog_topic(app_id: str, table: str) -> str:
    """The changelog faust creates for ``table`` (compacted, one partition per input one)."""
    return f"{app_id}-{table}-changelog"


def internal_topics(app_id: str) -> tuple[TopicSpec, ...]:
    """What the worker creates for its app id (faust creates the changelogs itself)."""
    return (sla_commands_topic(app_id), kpi_commands_topic(app_id), kpi_facts_topic(app_id))


def all_topics(app_id: str | None = None) -> tuple[TopicSpec, ...]:
    """The shared topics, and with ``app_id`` that deployment's internal ones."""
    return (*INBOUND, *OUTPUT, *RESERVED, *KPI, *REPLIES,
            *(internal_topics(app_id) if app_id else ()))


def inbound_topics() -> tuple[str, ...]:
    return tuple(spec.name for spec in INBOUND)

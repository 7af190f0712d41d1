"""Pipeline metrics on an injected ``CollectorRegistry`` (tests pass their own)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from streams.pipeline import BatchOutput


class PipelineMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.records = Counter(
            "ticketflow_inbound_records_total", "Raw records consumed.", ["channel"],
            registry=registry,
        )
        self.tickets = Counter(
            "ticketflow_tickets_total", "Tickets produced.", ["channel"], registry=registry
        )
        self.deadletters = Counter(
            "ticketflow_deadletters_total", "Records dead-lettered, by reason.",
            ["channel", "error_code"], registry=registry,
        )
        self.batch_size = Histogram(
            "ticketflow_batch_records", "Records per micro-batch.",
            buckets=(1, 5, 10, 50, 100, 250, 500, 1000), registry=registry,
        )
        self.redactions = Counter(
            "ticketflow_redactions_total",
            "Values replaced in tickets by TICKETFLOW_REDACT, by kind (card, iban, password).",
            ["kind"], registry=registry,
        )
        self.batch_seconds = Histogram(
            "ticketflow_batch_seconds", "Time to process and publish one micro-batch.",
            registry=registry,
        )

    def observe(self, channels: list[str], output: BatchOutput, seconds: float) -> None:
        for channel in channels:
            self.records.labels(channel).inc()
        for ticket in output.tickets:
            self.tickets.labels(ticket.channel.value).inc()
        for dl in output.deadletters:
            self.deadletters.labels(dl.channel or "unknown", dl.error_code.value).inc()
        for kind, count in output.redactions.items():
            self.redactions.labels(kind).inc(count)
        self.batch_size.observe(len(channels))
        self.batch_seconds.observe(seconds)


class RoutingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.contacts_expired = Counter(
            "ticketflow_contacts_expired_total",
            "Customers' contact states deleted because no new ticket can count them any more.",
            registry=registry,
        )


class SlaMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.events = Counter(
            "ticketflow_sla_events_total", "SLA events published, by type and metric.",
            ["type", "metric"], registry=registry,
        )
        self.breach_lateness = Histogram(
            "ticketflow_sla_breach_lateness_seconds",
            "How long after its deadline a breach was derived (the goal: well under 1 s).",
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0), registry=registry,
        )
        self.reroutes = Counter(
            "ticketflow_sla_reroutes_total", "Tickets routed again, by reason.", ["reason"],
            registry=registry,
        )
        self.rejected = Counter(
            "ticketflow_sla_helpdesk_rejected_total", "Help-desk events dead-lettered.",
            ["error_code"], registry=registry,
        )
        self.scheduled = Gauge(
            "ticketflow_sla_scheduled_tickets",
            "Tickets with a pending SLA deadline or assignment timeout on this worker.",
            registry=registry,
        )
        self.forgotten = Counter(
            "ticketflow_sla_states_forgotten_total",
            "Tickets whose SLA state was deleted after the grace period (TICKETFLOW_SLA_FORGET_"
            "AFTER_S) following their solve or close.",
            registry=registry,
        )
        self.rebuilds = Counter(
            "ticketflow_sla_index_rebuilds_total",
            "Times this worker rebuilt its deadline index after an assignment change.",
            registry=registry,
        )

    def observe(self, events: list[Any], reroutes: list[Any], deadletters: list[Any]) -> None:
        for event in events:
            self.events.labels(event.type, event.metric).inc()
            if event.type == "sla.breached" and event.deadline is not None:
                self.breach_lateness.observe(
                    max((event.emitted_at - event.deadline).total_seconds(), 0.0))
        for routed in reroutes:
            reason = routed.ticket.routing.reason if routed.ticket.routing else "unknown"
            self.reroutes.labels(reason).inc()
        for dl in deadletters:
            self.rejected.labels(dl.error_code.value).inc()

"""Pipeline metrics on an injected ``CollectorRegistry`` (tests pass their own)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

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
        self.batch_size.observe(len(channels))
        self.batch_seconds.observe(seconds)

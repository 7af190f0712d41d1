"""The worker's metrics on an injected ``CollectorRegistry`` (tests pass their own). Every
family is listed, with its labels and meaning, in the README's metrics table (a test compares
the table with what a live worker exports). Label values come from bounded sets only:
channels, queues (the ruleset's), intents (the model's), priorities, policies, metrics,
segments, error codes — never a ticket id, a customer or free text."""

from __future__ import annotations

import collections
import contextlib
import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from schemas.routing import RoutedTicket
from sla.census import OpenCensus
from sla.tracker import UNKNOWN, Breach
from streams.handoff import Handoff
from streams.pipeline import EncodedBatch
from streams.replies_batch import Suggested

STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
E2E_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)


class WorkerMetrics:
    """What every agent reports the same way: per-stage durations, the last batch's time,
    rebalances. One set per registry (:func:`worker_metrics`)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.stage_seconds = Histogram(
            "ticketflow_stage_duration_seconds",
            "Time one micro-batch spent in a stage (normalize, classify, enrich, route, sla, "
            "kpi).",
            ["stage"], buckets=STAGE_BUCKETS, registry=registry,
        )
        self.last_batch = Gauge(
            "ticketflow_last_batch_timestamp_seconds",
            "Unix time at which the agent last finished a batch (delivered and stored).",
            ["agent"], registry=registry,
        )
        self.rebalances = Counter(
            "ticketflow_rebalances_total",
            "Consumer-group rebalances this worker went through (its first join included).",
            registry=registry,
        )

    def stages(self, durations: Mapping[str, float]) -> None:
        for stage, seconds in durations.items():
            self.stage_seconds.labels(stage).observe(seconds)

    def batch_done(self, agent: str, at: float) -> None:
        """``agent`` (its topology name) finished a batch at unix time ``at``."""
        self.last_batch.labels(agent).set(at)


_SHARED: weakref.WeakKeyDictionary[CollectorRegistry, WorkerMetrics] = (
    weakref.WeakKeyDictionary())


def worker_metrics(registry: CollectorRegistry) -> WorkerMetrics:
    """The registry's :class:`WorkerMetrics`, made on first use: each agent's metrics class
    shares it (a family can be registered once per registry)."""
    shared = _SHARED.get(registry)
    if shared is None:
        shared = _SHARED[registry] = WorkerMetrics(registry)
    return shared


def register_runtime_collectors(registry: CollectorRegistry) -> None:
    """process_* (CPU, memory, file descriptors, start time), python_gc_* and python_info on
    ``registry``, as prometheus_client puts them on its global registry."""
    ProcessCollector(registry=registry)
    GCCollector(registry=registry)
    PlatformCollector(registry=registry)


class PipelineMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.worker = worker_metrics(registry)
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
        self.process_restarts = Counter(
            "ticketflow_pipeline_process_restarts_total",
            "Times the pipeline's child process died and a new one was started "
            "(TICKETFLOW_PIPELINE_PROCESS).", registry=registry,
        )
        self.triage = Counter(
            "ticketflow_triage_total",
            "Tickets whose intent the model was not sure of (classification.needs_triage).",
            ["channel"], registry=registry,
        )

    def observe(self, channels: list[str], batch: EncodedBatch, seconds: float) -> None:
        for channel, count in collections.Counter(channels).items():
            self.records.labels(channel).inc(count)
        for channel, count in batch.tickets_by_channel.items():
            self.tickets.labels(channel).inc(count)
        for channel, count in batch.triage_by_channel.items():
            self.triage.labels(channel).inc(count)
        self.worker.stages(batch.durations)
        for (channel, code), count in batch.deadletters_by.items():
            self.deadletters.labels(channel, code).inc(count)
        for kind, count in batch.redactions.items():
            self.redactions.labels(kind).inc(count)
        self.batch_size.observe(len(channels))
        self.batch_seconds.observe(seconds)


class RoutingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.worker = worker_metrics(registry)
        self.contacts_expired = Counter(
            "ticketflow_contacts_expired_total",
            "Customers' contact states deleted because no new ticket can count them any more.",
            registry=registry,
        )
        self.e2e_latency = Histogram(
            "ticketflow_e2e_latency_seconds",
            "From a ticket's received_at to its first routing being published (replays of old "
            "traffic land in the top buckets).",
            ["channel"], buckets=E2E_BUCKETS, registry=registry,
        )
        self.routed = Counter(
            "ticketflow_routed_total", "Tickets routed for the first time (attempt 1).",
            ["queue", "intent", "priority"], registry=registry,
        )
        self.default_routed = Counter(
            "ticketflow_routing_default_total",
            "First routings no specific rule decided (the ruleset's default queue applied).",
            ["queue"], registry=registry,
        )

    def observe_routed(self, routed: Iterable[RoutedTicket], published_at: datetime) -> None:
        """``routed`` tickets were published at ``published_at``; re-routes are not counted."""
        for r in routed:
            if r.attempt != 1:
                continue
            ticket, decision = r.ticket, r.decision
            intent = ticket.classification.intent.value if ticket.classification else UNKNOWN
            self.routed.labels(decision.queue, intent, decision.priority.value).inc()
            if decision.default_applied:
                self.default_routed.labels(decision.queue).inc()
            self.e2e_latency.labels(ticket.channel.value).observe(
                max((published_at - ticket.received_at).total_seconds(), 0.0))


class HandoffCollector(Collector):
    """``ticketflow_handoff_records_total``: routed tickets the SLA agent read back, taken from
    the routing agent (``streams/handoff.py``) or parsed again; read from the handoff's own
    counts at scrape time, so the hot path counts with two integers."""

    def __init__(self, handoff: Handoff[Any]) -> None:
        self.handoff = handoff

    def collect(self) -> Iterable[Metric]:
        family = CounterMetricFamily(
            "ticketflow_handoff_records",
            "Routed tickets the SLA agent read back from tickets.routed: taken from this "
            "worker's routing agent, or parsed (sent by another worker, or evicted because the "
            "SLA agent trailed routing by more than the handoff holds).", labels=["result"])
        family.add_metric(["taken"], self.handoff.hits)
        family.add_metric(["parsed"], self.handoff.misses)
        yield family


class RepliesMetrics:
    """Suggested replies (issue 16), one per first routing, counted after delivery."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.suggested = Counter(
            "ticketflow_replies_suggested_total",
            "Suggestions published on replies.suggested (one per ticket: its acknowledgement), "
            "by channel.", ["channel"], registry=registry,
        )
        self.answered = Counter(
            "ticketflow_replies_answered_total",
            "Suggestions with a factual answer, by answer kind.", ["kind"], registry=registry,
        )
        self.suppressed = Counter(
            "ticketflow_replies_suppressed_total",
            "Factual answers withheld although the question has one, by reason (a suggestion "
            "may give several).", ["reason"], registry=registry,
        )
        self.auto_send = Counter(
            "ticketflow_replies_auto_send_total",
            "What the routing decision lets the help desk send unreviewed: none, "
            "acknowledgement or answer.", ["mode"], registry=registry,
        )
        self.failed = Counter(
            "ticketflow_replies_failed_total",
            "Tickets no suggestion could be rendered for (the log names the template); the "
            "ticket is routed all the same.", registry=registry,
        )

    def observe(self, suggested: Suggested) -> None:
        for channel, count in suggested.by_channel.items():
            self.suggested.labels(channel).inc(count)
        for kind, count in suggested.answered.items():
            self.answered.labels(kind).inc(count)
        for reason, count in suggested.suppressed.items():
            self.suppressed.labels(reason).inc(count)
        for mode, count in suggested.auto_send.items():
            self.auto_send.labels(mode).inc(count)
        self.failed.inc(len(suggested.failed))


class SlaMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.worker = worker_metrics(registry)
        self.events = Counter(
            "ticketflow_sla_events_total", "SLA events published, by type and metric.",
            ["type", "metric"], registry=registry,
        )
        self.breach_lateness = Histogram(
            "ticketflow_sla_breach_lateness_seconds",
            "How long after its deadline a live breach was derived (the goal: well under 1 s); "
            "replayed breaches are not measured.",
            ["metric"], buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0),
            registry=registry,
        )
        self.breaches = Counter(
            "ticketflow_sla_breaches_total",
            "Breaches of clocks that were open when their deadline passed, by the customer's "
            "segment (unknown: no customer found).",
            ["queue", "policy", "metric", "segment"], registry=registry,
        )
        self.breaches_replayed = Counter(
            "ticketflow_sla_breaches_replayed_total",
            "Breaches derived for deadlines already past when the worker learned of them (a "
            "replay of old traffic, a backlog, a late help-desk event).",
            ["queue", "policy", "metric"], registry=registry,
        )
        self.open_tickets = Gauge(
            "ticketflow_sla_open_tickets",
            "Routed tickets with at least one open (running or paused) SLA clock, on the "
            "partitions this worker owns.",
            ["queue", "policy"], registry=registry,
        )
        self.open_clocks = Gauge(
            "ticketflow_sla_open_clocks",
            "Open (running or paused) SLA clocks on the partitions this worker owns.",
            ["queue", "policy", "metric"], registry=registry,
        )
        self.warned_clocks = Gauge(
            "ticketflow_sla_warned_clocks",
            "Open SLA clocks that have passed a warning point and not breached, on the "
            "partitions this worker owns.",
            ["queue", "policy", "metric"], registry=registry,
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

    def observe(self, events: list[Any], reroutes: list[Any], deadletters: list[Any],
                breaches: Iterable[Breach] = ()) -> None:
        for event in events:
            self.events.labels(event.type, event.metric).inc()
        for b in breaches:
            metric, policy = b.event.metric, b.event.policy
            if b.live:
                self.breaches.labels(b.queue, policy, metric, b.segment).inc()
                self.breach_lateness.labels(metric).observe(b.lateness_s)
            else:
                self.breaches_replayed.labels(b.queue, policy, metric).inc()
        for routed in reroutes:
            reason = routed.ticket.routing.reason if routed.ticket.routing else "unknown"
            self.reroutes.labels(reason).inc()
        for dl in deadletters:
            self.rejected.labels(dl.error_code.value).inc()

    def census(self, census: OpenCensus) -> None:
        """Set the open-ticket and open/warned-clock gauges from the stage's counts (cheap: one
        gauge per label set, however many tickets)."""
        for (queue, policy), n in census.tickets.items():
            self.open_tickets.labels(queue, policy).set(n)
        for (queue, policy, metric), n in census.clocks.items():
            self.open_clocks.labels(queue, policy, metric).set(n)
        for (queue, policy, metric), n in census.warned.items():
            self.warned_clocks.labels(queue, policy, metric).set(n)


# first response and resolution: chat minutes, social hours, e-mail a business day and more
KPI_BUCKETS = (30.0, 60.0, 120.0, 180.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0,
               21600.0, 28800.0, 86400.0, 172800.0, 604800.0)


class KpiMetrics:
    """Service KPIs (issue 14). Two agents feed them: ``ticketflow.sla``'s KPI stage (per ticket,
    keyed by ticket id: the histograms and counters) and ``ticketflow.kpi_rollup`` (per intent:
    volume ratio and spike gauges, set only by the worker owning the intent's partition).

    FCR and CSAT are exported as counters by queue, not as ratio gauges: each worker sees only
    its own partitions' tickets, and ratios from several workers cannot be added. The
    Prometheus recording rules ``ticketflow:kpi_fcr_ratio:24h`` and
    ``ticketflow:kpi_csat_avg:24h`` (ops/prometheus/alerts.yml) turn them into the per-queue
    gauges over all workers."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.worker = worker_metrics(registry)
        self.first_response_by_channel = Histogram(
            "ticketflow_kpi_first_response_seconds",
            "First response time (received → first agent reply) of solved tickets, by channel.",
            ["channel"], buckets=KPI_BUCKETS, registry=registry,
        )
        self.first_response_by_queue = Histogram(
            "ticketflow_kpi_queue_first_response_seconds",
            "First response time of solved tickets, by queue.",
            ["queue"], buckets=KPI_BUCKETS, registry=registry,
        )
        self.resolution_by_channel = Histogram(
            "ticketflow_kpi_resolution_seconds",
            "Resolution time (received → first solve) of solved tickets, by channel.",
            ["channel"], buckets=KPI_BUCKETS, registry=registry,
        )
        self.resolution_by_queue = Histogram(
            "ticketflow_kpi_queue_resolution_seconds",
            "Resolution time of solved tickets, by queue.",
            ["queue"], buckets=KPI_BUCKETS, registry=registry,
        )
        self.fcr = Counter(
            "ticketflow_kpi_fcr_decided_total",
            "First-contact resolution decisions (window closed), by queue and result.",
            ["queue", "fcr"], registry=registry,
        )
        self.csat_score = Counter(
            "ticketflow_kpi_csat_score_total",
            "Sum of CSAT scores (1–5) received, by queue (divide by ..._csat_responses_total).",
            ["queue"], registry=registry,
        )
        self.csat_responses = Counter(
            "ticketflow_kpi_csat_responses_total", "CSAT answers received, by queue.",
            ["queue"], registry=registry,
        )
        self.records = Counter(
            "ticketflow_kpi_records_total",
            "KPI records published, by topic (kpi.tickets, kpi.fcr, kpi.rollups, kpi.alerts).",
            ["topic"], registry=registry,
        )
        self.volume_ratio = Gauge(
            "ticketflow_kpi_intent_volume_ratio",
            "Each intent's tickets in the current hour so far / its baseline (EWMA of hourly "
            "volume), on the worker owning the intent's partition.",
            ["intent"], registry=registry,
        )
        self.spike = Gauge(
            "ticketflow_kpi_volume_spike",
            "1 while the intent's current hour is a volume spike (ratio and minimum count "
            "reached), else 0.",
            ["intent"], registry=registry,
        )
        self.facts_late = Counter(
            "ticketflow_kpi_facts_late_total",
            "KPI facts older than the kept hours (TICKETFLOW_KPI_ROLLUP_KEEP_H): in no rollup.",
            registry=registry,
        )
        self.kpi_states = Gauge(
            "ticketflow_kpi_tracked_tickets",
            "Tickets with KPI state on the partitions this worker owns (bounded: deleted when "
            "their FCR is decided).", registry=registry,
        )

    def observe_ticket(self, channel: str, queue: str, first_response_s: float | None,
                       resolution_s: float) -> None:
        if first_response_s is not None:
            self.first_response_by_channel.labels(channel).observe(first_response_s)
            self.first_response_by_queue.labels(queue).observe(first_response_s)
        self.resolution_by_channel.labels(channel).observe(resolution_s)
        self.resolution_by_queue.labels(queue).observe(resolution_s)

    def observe_fcr(self, queue: str, fcr: bool) -> None:
        self.fcr.labels(queue, "true" if fcr else "false").inc()

    def observe_csat(self, queue: str, score: int) -> None:
        self.csat_score.labels(queue).inc(score)
        self.csat_responses.labels(queue).inc()

    def set_volume(self, intent: str, ratio: float, spiking: bool) -> None:
        self.volume_ratio.labels(intent).set(ratio)
        self.spike.labels(intent).set(1 if spiking else 0)

    def drop_intent(self, intent: str) -> None:
        """The intent's partition moved to another worker: stop exporting stale values."""
        for gauge in (self.volume_ratio, self.spike):
            with contextlib.suppress(KeyError):  # never exported here
                gauge.remove(intent)


_KPI: weakref.WeakKeyDictionary[CollectorRegistry, KpiMetrics] = weakref.WeakKeyDictionary()


def kpi_metrics(registry: CollectorRegistry) -> KpiMetrics:
    """The registry's :class:`KpiMetrics`, made on first use: the per-ticket KPI stage (in
    ``ticketflow.sla``) and the ``ticketflow.kpi_rollup`` agent share it (a family can be
    registered once per registry)."""
    shared = _KPI.get(registry)
    if shared is None:
        shared = _KPI[registry] = KpiMetrics(registry)
    return shared

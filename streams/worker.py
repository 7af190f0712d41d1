"""The worker: the ``ticketflow.pipeline`` agent over every ``inbound.*`` topic and the
``ticketflow.route`` agent over ``tickets.normalized``, which also suggests each newly routed
ticket's replies (the per-ticket SLA and KPI agent is in ``sla_worker.py`` and
``kpi_worker.py``).

Each agent is a thin loop over micro-batches: events in, a pure function (``Pipeline``,
``route_batch``), results delivered through a ``Sink`` before the body ends. The pipeline runs
off the event loop (in a child process when there is a second core, ``pipeline_process.py``);
routing (≈ 0.1 ms a ticket) on it: in a thread of its own it overlapped nothing worth the GIL
hand-overs between that thread and the loop (ARCHITECTURE.md, "Worker CPU"). ``concurrency=1``
(faust-streaming #606); scale out with partitions and workers instead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import faust
from prometheus_client import CollectorRegistry

from channels import RawRecord
from channels.orders import shop_order_formats
from core.settings import Settings
from enrichment.contacts import contacts_keep
from replies import Replies
from routing_rules.stage import expired_contacts, route_batch
from schemas import Source
from schemas.routing import RoutedTicket
from sinks.kafka import Sink, Sinks, encode
from sla.stage import owned_partitions
from streams.faust_adapter import (
    OffsetGuard,
    batch_agent,
    key_partition,
    producer_send,
    quiet_debug_logging,
    raw_topic,
    table_reader,
    take_ahead,
    write_table_batch,
)
from streams.handoff import Handoff
from streams.metrics import (
    HandoffCollector,
    PipelineMetrics,
    RepliesMetrics,
    RoutingMetrics,
    WorkerMetrics,
    register_runtime_collectors,
    worker_metrics,
)
from streams.pipeline_process import Runner
from streams.replies_batch import Suggested
from streams.topics import (
    REPLIES_SUGGESTED,
    TICKETS_DEADLETTER,
    TICKETS_NORMALIZED,
    TICKETS_ROUTED,
    channel_of,
)
from streams.topology import Agent, topology

log = logging.getLogger(__name__)

EXIT_PUBLISH_FAILED = 75  # EX_TEMPFAIL: a supervisor should restart the worker

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """``call()`` and how many seconds it took (for ticketflow_stage_duration_seconds)."""
    started = time.perf_counter()
    return call(), time.perf_counter() - started


def count_rebalances(app: faust.App, metrics: WorkerMetrics) -> None:
    """ticketflow_rebalances_total: faust sends on_partitions_assigned once per rebalance the
    worker takes part in (its first join included)."""

    async def _assigned(sender: Any, *args: Any, **kwargs: Any) -> None:
        metrics.rebalances.inc()

    app.on_partitions_assigned.connect(_assigned)  # type: ignore[arg-type]


def to_raw_record(event: Any, channel: str | None = None) -> RawRecord:
    """``channel``: what the record is, when its topic does not say (inbound.<channel>)."""
    message = event.message
    key = message.key
    return RawRecord(
        channel=channel or channel_of(message.topic),
        value=message.value if isinstance(message.value, bytes) else bytes(message.value or b""),
        source=Source(
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key=key.decode("utf-8", "replace") if isinstance(key, bytes) else None,
        ),
        timestamp=datetime.fromtimestamp(message.timestamp, UTC),
    )


async def publish_or_die(
    *sends: Callable[[], Awaitable[int]],
    give_up_after_s: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    exit_process: Callable[[int], None] = os._exit,
) -> None:
    """Run every send at once, then retry each that failed with backoff. If the broker stays
    unreachable, exit the process at once: nothing of this batch is committed then, so it is
    consumed again after restart. Dying beats acking a batch whose tickets never reached Kafka.

    At once, because each send waits for the broker's acknowledgement: one after another, a
    batch writing to five topics waited for five round trips before the agent could take the
    next batch (the SLA agent fell seconds behind routing under a backlog). The sends go to
    different topics (or to one topic in one send), so their order does not matter; what
    matters is that all are delivered before the caller stores the state that records them."""
    deadline = time.monotonic() + give_up_after_s
    results = await asyncio.gather(*(send() for send in sends), return_exceptions=True)
    for send, result in zip(sends, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result  # cancelled, or the process is exiting
            await _retry(send, result, deadline, give_up_after_s, sleep, exit_process)


async def publish_while_suggesting(
    sends: Sequence[Callable[[], Awaitable[int]]],
    suggesting: Awaitable[Suggested],
    send_suggestions: Callable[[Suggested], Callable[[], Awaitable[int]]],
    give_up_after_s: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    exit_process: Callable[[int], None] = os._exit,
) -> Suggested:
    """A routed batch's ``sends`` published while its suggestions are rendered, then the
    suggestions: both with :func:`publish_or_die`, both before the caller stores anything.

    Where the pipeline runs in a child process, a batch of suggestions waits there behind the
    pipeline batch in hand (up to a few hundred milliseconds under a backlog); the routed
    tickets need not wait for it. A help desk sees a ticket's suggestion after the ticket."""
    task = asyncio.ensure_future(suggesting)
    try:
        await publish_or_die(*sends, give_up_after_s=give_up_after_s, sleep=sleep,
                             exit_process=exit_process)
        suggestions = await task
    finally:
        task.cancel()  # does nothing once it is done; if publishing raised, it is not awaited
    await publish_or_die(send_suggestions(suggestions), give_up_after_s=give_up_after_s,
                         sleep=sleep, exit_process=exit_process)
    return suggestions


async def _retry(send: Callable[[], Awaitable[int]], failure: Exception, deadline: float,
                 give_up_after_s: float, sleep: Callable[[float], Awaitable[None]],
                 exit_process: Callable[[int], None]) -> None:
    backoff = 0.1
    while True:
        if time.monotonic() >= deadline:
            log.critical("cannot publish for %.0f s (%s); exiting without committing",
                         give_up_after_s, failure, extra=_topic_of(send))
            exit_process(EXIT_PUBLISH_FAILED)
            raise failure  # only reached when exit_process is a test double
        log.warning("publish failed (%s); retrying in %.1f s", failure, backoff,
                    extra=_topic_of(send))
        await sleep(backoff)
        backoff = min(backoff * 2, 5.0)
        try:
            await send()
            return
        except Exception as exc:
            failure = exc


def _topic_of(send: Callable[[], Awaitable[int]]) -> dict[str, str]:
    """``extra=`` naming the topic a send goes to, when it is a ``Sink`` method (partial)."""
    sink = getattr(getattr(send, "func", None), "__self__", None)
    topic = getattr(sink, "topic", None)
    return {"topic": topic} if isinstance(topic, str) else {}


def register_pipeline(
    app: faust.App, settings: Settings, spec: Agent, runner: Runner, metrics: PipelineMetrics,
) -> Any:
    # The known channels' topics, listed (see faust_adapter.raw_topic). A record on an unknown
    # channel reaching the normalizer is dead-lettered as such.
    inbound = raw_topic(app, *spec.inputs)
    send = producer_send(app)
    tickets = Sink(send, TICKETS_NORMALIZED.name, "ticket/1")
    deadletters = Sink(send, TICKETS_DEADLETTER.name, "deadletter/1")

    async def pipeline_agent(stream: Any) -> None:
        async for events in take_ahead(stream, settings.batch_size, within=settings.batch_within_s):
            started = time.perf_counter()
            records = [to_raw_record(event) for event in events]
            # in a thread or a child process (streams/pipeline_process.py); failures come back
            # as dead letters, tickets keyed by customer (the routing agent's partitions)
            batch = await runner.run(records)
            await publish_or_die(
                partial(tickets.send_encoded, batch.tickets),
                partial(deadletters.send_encoded, batch.deadletters),
                give_up_after_s=settings.publish_retry_s,
            )
            metrics.observe([r.channel for r in records], batch, time.perf_counter() - started)
            metrics.worker.batch_done(spec.name, time.time())

    return batch_agent(app, inbound, spec.name)(pipeline_agent)


def customer_partition(key: str, partitions: int) -> int:
    """The partition of ``tickets.normalized`` (and of the contacts table) a customer is on."""
    return key_partition(key.encode(), partitions)


class ContactsSweep:
    """When the routing agent next looks for expired contact states, and up to when: event
    time (the newest ``received_at`` routed), never past the wall clock, so a ticket dated in
    the future cannot expire everyone."""

    def __init__(self, every_s: float, started: float) -> None:
        self.every_s = every_s
        self._next = started + every_s
        self._latest: datetime | None = None

    def advance(self, received_at: datetime) -> None:
        if self._latest is None or received_at > self._latest:
            self._latest = received_at

    def due(self, now_monotonic: float) -> bool:
        if self._latest is None or now_monotonic < self._next:
            return False
        self._next = now_monotonic + self.every_s
        return True

    def watermark(self, wall: datetime) -> datetime:
        assert self._latest is not None
        return min(self._latest, wall)


def reads_back(routed: RoutedTicket, owned: Collection[int], partitions: int) -> bool:
    """Whether this worker's SLA agent will read ``routed`` back from ``tickets.routed``
    (keyed by ticket id): its partition is one of ``owned``, this worker's partitions of that
    topic (a lone worker owns them all)."""
    return (len(owned) >= partitions
            or key_partition(routed.ticket.ticket_id.encode(), partitions) in owned)


def routed_sends(routed_sink: Sink, queues: Sinks, routed: list[RoutedTicket],
                 encoded: list[bytes] | None = None) -> list[Callable[[], Awaitable[int]]]:
    """The sends of routed tickets (first routings or re-routes): each encoded once (or as
    ``encoded`` gives them), to ``tickets.routed`` and to its queue's topic, one send per
    topic."""
    items = []
    by_queue: dict[str, list[tuple[bytes | None, bytes, int | None]]] = {}
    values = encoded if encoded is not None else [encode(r) for r in routed]
    for r, value in zip(routed, values, strict=True):
        item = (r.ticket.ticket_id.encode(), value, None)
        items.append(item)
        by_queue.setdefault(r.decision.topic, []).append(item)
    if not items:
        return []
    return [partial(routed_sink.send_encoded, items),
            *(partial(queues[topic].send_encoded, queued) for topic, queued in by_queue.items())]


def register_routing(
    app: faust.App, settings: Settings, spec: Agent, holder: Any, audit: Any,
    clock: Callable[[], Any], metrics: Any, runner: Runner,
    replies_metrics: RepliesMetrics, handoff: Handoff[RoutedTicket] | None = None,
) -> Any:
    """Repeat contacts, threading and routing, in micro-batches over ``tickets.normalized``
    (keyed by customer, so a customer's contacts live on one partition's table): the pure
    ``route_batch`` in; then ``tickets.routed`` and ``queue.<name>`` delivered while the first
    routings' reply suggestions are rendered, then ``replies.suggested``; then the contact
    states written to the ``customer-contacts`` table and its changelog. ``handoff``: where
    the routed tickets are left for this worker's SLA agent (``streams/handoff.py``)."""
    # str keys, JSON values: faust's recovery decodes the changelog with the table's codecs.
    (contacts,) = spec.tables
    table = app.Table(contacts.name, default=None, partitions=settings.partitions)
    source = raw_topic(app, *spec.inputs)
    send = producer_send(app)
    routed_sink = Sink(send, TICKETS_ROUTED.name, "routed/1")
    queue_sinks = Sinks(send, "routed/1")
    deadletters = Sink(send, TICKETS_DEADLETTER.name, "deadletter/1")
    suggested = Sink(send, REPLIES_SUGGESTED.name, "reply_suggestion/1")
    # The sweep for expired contacts reads the whole table: off the loop, in a thread. Routing
    # itself runs on the loop (see the module's docstring).
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ticketflow-contacts-sweep")
    sweep = ContactsSweep(settings.contacts_sweep_s, time.monotonic())
    # remembered long enough for the KPI stage's first-contact resolution across channels
    keep = contacts_keep(timedelta(seconds=settings.kpi_fcr_window_s))

    async def route_agent(stream: Any) -> None:
        loop = asyncio.get_running_loop()
        read = table_reader(table)
        async for events in take_ahead(stream, settings.batch_size, within=settings.batch_within_s):
            records = [to_raw_record(event, channel="ticket") for event in events]
            out, route_seconds = timed(partial(route_batch, records, read, holder.active.route,
                                               clock(), keep))
            encoded = [encode(r) for r in out.routed]
            if handoff is not None:
                owned = owned_partitions(app.consumer.assignment(), TICKETS_ROUTED.name)
                handoff.put((value, r) for value, r in zip(encoded, out.routed, strict=True)
                            if reads_back(r, owned, settings.partitions))
            # Delivered first, stored second: a crash in between routes the batch again with
            # the same ids; record_contact is idempotent per ticket id. The suggestions are
            # rendered where the pipeline runs (a child process when there is a second core)
            # while the routed tickets go out.
            suggestions = await publish_while_suggesting(
                [*routed_sends(routed_sink, queue_sinks, out.routed, encoded),
                 partial(deadletters.send_all,
                         [(d.deadletter_id, d) for d in out.deadletters])],
                runner.suggest(out.routed, encoded),
                lambda s: partial(suggested.send_encoded, s.items),
                give_up_after_s=settings.publish_retry_s,
            )
            for ticket_id, why in suggestions.failed:
                log.error("no reply suggestion for %s: %s", ticket_id, why)
            metrics.observe_routed(out.routed, clock())
            replies_metrics.observe(suggestions)
            await write_table_batch(app, table, [(w.partition, w.customer_key, w.state)
                                                 for w in out.writes])
            for routed in out.routed:
                audit.add(routed)
            metrics.worker.stages({"route": route_seconds})
            metrics.worker.batch_done(spec.name, time.time())
            if out.latest_received is not None:
                sweep.advance(out.latest_received)
            if sweep.due(time.monotonic()):
                # in the agent body, between batches: no routing of this partition's customers
                # runs between finding an expired state and deleting it
                owned = {tp.partition for tp in app.consumer.assignment()
                         if tp.topic in spec.inputs}
                expired = await loop.run_in_executor(executor, partial(
                    expired_contacts, list(table.data.items()), sweep.watermark(clock()), owned,
                    partial(customer_partition, partitions=settings.partitions), keep))
                await write_table_batch(app, table, [(p, key, None) for p, key in expired])
                metrics.contacts_expired.inc(len(expired))
                if expired:
                    log.info("contacts: %d customers expired and deleted", len(expired))

    if handoff is not None:
        async def _after_rebalance(sender: Any, *args: Any, **kwargs: Any) -> None:
            # tickets of partitions gone to another worker would only wait to be evicted
            owned = owned_partitions(app.consumer.assignment(), TICKETS_ROUTED.name)
            handoff.retain(lambda r: reads_back(r, owned, settings.partitions))

        app.on_rebalance_complete.connect(_after_rebalance)  # type: ignore[arg-type]

    @app.timer(interval=1.0)
    async def flush_audit() -> None:
        # app.timer runs on every worker: each flushes the rows it buffered itself.
        await asyncio.get_running_loop().run_in_executor(None, audit.flush)

    return batch_agent(app, source, spec.name)(route_agent)


def start_rules(settings: Settings, bootstrap: str, registry: CollectorRegistry) -> Any:
    """The ruleset from TICKETFLOW_RULES_PATH, then whatever was published to routing.rules;
    queue topics created for it; a watcher thread for later versions."""
    from routing_rules import compile_ruleset, load_ruleset
    from streams.admin import create_topics
    from streams.kafka_io import make_consumer
    from streams.rules_reload import RulesetHolder, RulesWatcher
    from streams.topics import ROUTING_RULES, TopicSpec, queue_topic

    holder = RulesetHolder(compile_ruleset(load_ruleset(settings.rules_path)), registry)
    watcher = RulesWatcher(holder, make_consumer(bootstrap, [ROUTING_RULES.name],
                                                 from_beginning=True,
                                                 security=settings.kafka_security))
    watcher.start()

    def ensure_queue_topics() -> None:
        specs = [TopicSpec(queue_topic(q), "ticket_id", d) for q, d in holder.active.queues.items()]
        create_topics(bootstrap, specs, settings.partitions, settings.replication_factor,
                      security=settings.kafka_security, config=settings.topic_config)

    ensure_queue_topics()
    return holder, watcher


def run_worker(
    settings: Settings, bootstrap: str, registry: CollectorRegistry | None = None
) -> None:
    """Run until SIGINT/SIGTERM. Blocks."""
    from core.clock import system_clock
    from sinks.audit import AuditSink
    from store.db import make_engine, make_session_factory, url_for
    from streams.app import build_app

    shop_order_formats(settings.shop_file)  # a bad shop file stops us here, at once
    replies = Replies.from_settings(settings)  # so do broken reply templates
    registry = registry or CollectorRegistry()
    register_runtime_collectors(registry)  # process, GC and platform metrics
    (settings.data_dir / "faust").mkdir(parents=True, exist_ok=True)  # faust makes only the leaf
    from core.logs import configure_logging, logging_config
    from streams.health import run_worker_process, start_health

    configure_logging(settings.log_format, settings.log_level)
    store_engine = make_engine(url_for(settings))  # enrichment store: audit rows, health probe
    # /metrics, /livez and /readyz on the metrics port (streams/health.py)
    health = start_health(registry, bootstrap, settings.kafka_security, store_engine,
                          settings.metrics_port)
    guard = OffsetGuard.with_registry(registry, hole_timeout_s=settings.offset_hole_timeout_s)
    app = build_app(settings, bootstrap, guard)
    health.watch_app(app)
    count_rebalances(app, worker_metrics(registry))
    topo = topology(settings.app_id)
    from streams.pipeline_process import make_runner

    # normalize, classify, enrich: in a child process when there is a second core
    pipeline_metrics = PipelineMetrics(registry)
    runner = make_runner(settings, registry, system_clock, pipeline_metrics.process_restarts,
                         replies)
    register_pipeline(app, settings, topo.pipeline, runner, pipeline_metrics)
    holder, _watcher = start_rules(settings, bootstrap, registry)
    health.watch_ruleset(lambda: (holder.active.name, holder.active.version))
    audit = AuditSink(make_session_factory(store_engine), registry)
    # the routing agent's tickets, taken by the SLA agent instead of parsed again
    handoff: Handoff[RoutedTicket] = Handoff()
    registry.register(HandoffCollector(handoff))
    register_routing(app, settings, topo.route, holder, audit, system_clock,
                     RoutingMetrics(registry), runner, RepliesMetrics(registry), handoff)
    from streams.sla_worker import register_sla

    # per ticket: the SLA clocks, then the KPIs over the same messages (streams/kpi_worker.py)
    register_sla(app, settings, topo, holder, system_clock, registry, handoff)
    from streams.kpi_rollup_worker import register_kpi_rollup

    # hourly rollups and volume spikes from the KPI facts (event time; no timer)
    register_kpi_rollup(app, settings, topo, system_clock, registry)
    from streams.kafka_offsets import register_consumer_lag

    # ticketflow_consumer_lag_messages, read from the broker when Prometheus scrapes
    register_consumer_lag(registry, settings, bootstrap)
    quiet_debug_logging(settings.log_level)
    from streams.gc_tuning import memory_trimmer, tune_gc

    tune_gc()
    trim = memory_trimmer()

    @app.timer(interval=10.0)
    async def trim_memory() -> None:
        # after a burst the freed batches' memory stays in the heap: give it back (gc_tuning)
        await asyncio.get_running_loop().run_in_executor(None, trim)

    # faust's worker, logging in the same format, its event loop watched by /livez
    try:
        run_worker_process(app, health, settings.log_level,
                           logging_config(settings.log_format, settings.log_level))
    finally:
        runner.close()

"""The pipeline worker: one faust agent over every ``inbound.*`` topic, in micro-batches.

The agent is a thin loop: turn events into RawRecords, call the pure Pipeline, publish, record
metrics. ``concurrency=1`` because with more, faust can commit offsets past unfinished messages
(faust-streaming #606); scale out with partitions and workers instead.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

import faust
from prometheus_client import CollectorRegistry

from channels import RawRecord
from schemas import Source, Ticket
from sinks.kafka import SCHEMA_HEADER, TopicSink, encode
from streams.metrics import PipelineMetrics
from streams.pipeline import NamedStage, Pipeline
from streams.topics import (
    TICKETS_DEADLETTER,
    TICKETS_NORMALIZED,
    TICKETS_ROUTED,
    channel_of,
    inbound_topics,
)
from ticketflow.settings import Settings

log = logging.getLogger(__name__)

EXIT_PUBLISH_FAILED = 75  # EX_TEMPFAIL: a supervisor should restart the worker


def to_raw_record(event: Any) -> RawRecord:
    message = event.message
    key = message.key
    return RawRecord(
        channel=channel_of(message.topic),
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
    """Retry each send with backoff. If the broker stays unreachable, exit the process at once:
    nothing of this batch is committed then, so it is consumed again after restart. Dying beats
    acking a batch whose tickets never reached Kafka."""
    deadline = time.monotonic() + give_up_after_s
    for send in sends:
        backoff = 0.1
        while True:
            try:
                await send()
                break
            except Exception as exc:
                if time.monotonic() >= deadline:
                    log.critical("cannot publish for %.0f s (%s); exiting without committing",
                                 give_up_after_s, exc)
                    exit_process(EXIT_PUBLISH_FAILED)
                    raise  # only reached when exit_process is a test double
                log.warning("publish failed (%s); retrying in %.1f s", exc, backoff)
                await sleep(backoff)
                backoff = min(backoff * 2, 5.0)


def register_pipeline(
    app: faust.App, settings: Settings, pipeline: Pipeline, metrics: PipelineMetrics
) -> Any:
    def raw_topic(*names: str) -> Any:
        return app.topic(*names, key_serializer="raw", value_serializer="raw")

    # The known channels' topics, listed: faust's pattern subscription crashes on aiokafka 0.14
    # ("provide either topics or pattern"). A record on an unknown channel reaching the
    # normalizer (e.g. a topic added here before its normalizer) is dead-lettered as such.
    inbound = raw_topic(*inbound_topics())
    tickets = TopicSink(raw_topic(TICKETS_NORMALIZED.name), "ticket/1")
    deadletters = TopicSink(raw_topic(TICKETS_DEADLETTER.name), "deadletter/1")

    # One thread: the model and the database run off the event loop, one batch at a time, so
    # heartbeats and fetching go on while a batch is classified and looked up.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ticketflow-pipeline")

    async def pipeline_agent(stream: Any) -> None:
        loop = asyncio.get_running_loop()
        async for events in stream.take_events(settings.batch_size, within=settings.batch_within_s):
            started = time.perf_counter()
            records = [to_raw_record(event) for event in events]
            # failures come back as dead letters
            output = await loop.run_in_executor(executor, pipeline.process_safely, records)
            # faust acks the batch when this body ends, even if it raised (faust-streaming
            # #315), so delivery is retried here and never allowed to raise.
            ticket_items = [(t.ticket_id, t) for t in output.tickets]
            deadletter_items = [(d.deadletter_id, d) for d in output.deadletters]
            await publish_or_die(
                partial(tickets.send_all, ticket_items),
                partial(deadletters.send_all, deadletter_items),
                give_up_after_s=settings.publish_retry_s,
            )
            metrics.observe([r.channel for r in records], output, time.perf_counter() - started)

    return app.agent(inbound, name="ticketflow.pipeline", concurrency=1)(pipeline_agent)


def register_contacts(
    app: faust.App, settings: Settings, holder: Any, audit: Any, clock: Callable[[], Any]
) -> Any:
    """Repeat contacts, threading and routing: tickets repartitioned by customer key into a
    changelog-backed table, then routed by the active ruleset to ``tickets.routed`` and
    ``queue.<name>``. Per event, not ``take``: faust cannot write a table inside
    ``stream.take`` (faust-streaming #497). Sends are not awaited one by one: faust flushes the
    producer before it commits offsets, which keeps this at-least-once."""
    from enrichment.contacts import record_contact
    from enrichment.enrich import reprioritize
    from schemas.routing import RoutedTicket

    # str keys, JSON values: faust's table codecs (not a Schema's) decode the changelog in
    # recovery, so anything else restores nothing and recovery waits forever.
    table = app.Table("customer-contacts", default=None, partitions=settings.partitions)
    source = app.topic(TICKETS_NORMALIZED.name, key_serializer="raw", value_serializer="raw")
    routed_topic = app.topic(TICKETS_ROUTED.name, key_serializer="raw", value_serializer="raw")
    queues: dict[str, Any] = {}
    headers = {SCHEMA_HEADER: b"routed/1", "content-type": b"application/json"}

    def customer_key(value: bytes) -> bytes:
        return ticket_customer_key(Ticket.model_validate_json(value)).encode()

    async def contacts_agent(stream: Any) -> None:
        async for value in stream.group_by(customer_key, name="by-customer"):
            ticket = Ticket.model_validate_json(value)
            key = ticket_customer_key(ticket)
            try:
                state, contacts = record_contact(table.get(key), ticket, key)
                table[key] = state
                ticket = reprioritize(with_contacts(ticket, contacts))
            except Exception:  # degrade: route without contacts rather than lose it
                log.exception("contacts failed for %s", ticket.ticket_id)
            decision = holder.active.route(ticket)
            routed = RoutedTicket(ticket=ticket, decision=decision, routed_at=clock())
            body = encode(routed)
            if decision.topic not in queues:
                queues[decision.topic] = app.topic(decision.topic, key_serializer="raw",
                                                   value_serializer="raw")
            await routed_topic.send(key=ticket.ticket_id.encode(), value=body, headers=headers)
            await queues[decision.topic].send(key=ticket.ticket_id.encode(), value=body,
                                              headers=headers)
            audit.add(routed)

    @app.timer(interval=1.0)
    async def flush_audit() -> None:
        # app.timer runs on every worker: each flushes the rows it buffered itself.
        await asyncio.get_running_loop().run_in_executor(None, audit.flush)

    return app.agent(source, name="ticketflow.contacts", concurrency=1)(contacts_agent)


def ticket_customer_key(ticket: Ticket) -> str:
    return ticket.enrichment.customer_key if ticket.enrichment else ticket.customer.identity_key


def with_contacts(ticket: Ticket, contacts: Any) -> Ticket:
    if ticket.enrichment is None:
        return ticket
    thread = ticket.thread.model_copy(update={"conversation_id": contacts.conversation_id})
    return ticket.model_copy(update={
        "enrichment": ticket.enrichment.model_copy(update={"contacts": contacts}),
        "thread": thread,
    })


def build_stages(
    settings: Settings, progress: Callable[[str], None], registry: CollectorRegistry
) -> list[NamedStage]:
    """The stages after normalization, in order, each over the whole batch."""
    from classifiers.artifact import ensure_model
    from classifiers.classify import classify_tickets
    from enrichment.stage import EnrichStage
    from store.db import make_engine, make_session_factory
    from ticketflow.clock import system_clock

    model = ensure_model(settings.models_dir, settings.model_dir, progress)
    return [
        NamedStage("classify", partial(classify_tickets, model=model,
                                       threshold=settings.triage_threshold)),
        NamedStage("enrich", EnrichStage(
            make_session_factory(make_engine(settings.database_url_or_default)),
            clock=system_clock, rules=settings.segment_rules, registry=registry,
        )),
    ]


def start_rules(settings: Settings, bootstrap: str, registry: CollectorRegistry) -> Any:
    """The ruleset from TICKETFLOW_RULES_PATH, then whatever was published to routing.rules;
    queue topics created for it; a watcher thread for later versions."""
    from routing_rules import compile_ruleset, load_ruleset
    from streams.admin import create_topics
    from streams.rules_reload import RulesetHolder, RulesWatcher
    from streams.topics import ROUTING_RULES, TopicSpec, queue_topic
    from ticketflow.kafka_io import make_consumer

    holder = RulesetHolder(compile_ruleset(load_ruleset(settings.rules_path)), registry)
    watcher = RulesWatcher(holder, make_consumer(bootstrap, [ROUTING_RULES.name],
                                                 from_beginning=True))
    watcher.start()

    def ensure_queue_topics() -> None:
        specs = [TopicSpec(queue_topic(q), "ticket_id", d) for q, d in holder.active.queues.items()]
        create_topics(bootstrap, specs, settings.partitions, settings.replication_factor)

    ensure_queue_topics()
    return holder, watcher


def run_worker(
    settings: Settings, bootstrap: str, registry: CollectorRegistry | None = None
) -> None:
    """Run until SIGINT/SIGTERM. Blocks."""
    from sinks.audit import AuditSink
    from store.db import make_engine, make_session_factory
    from streams.app import build_app
    from ticketflow.clock import system_clock

    registry = registry or CollectorRegistry()
    (settings.data_dir / "faust").mkdir(parents=True, exist_ok=True)  # faust makes only the leaf
    if settings.metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(settings.metrics_port, registry=registry)
    app = build_app(settings, bootstrap)
    pipeline = Pipeline(
        clock=system_clock,
        max_payload_bytes=settings.max_payload_bytes,
        stages=build_stages(settings, lambda line: print(line, file=sys.stderr), registry),
    )
    register_pipeline(app, settings, pipeline, PipelineMetrics(registry))
    holder, _watcher = start_rules(settings, bootstrap, registry)
    audit = AuditSink(make_session_factory(make_engine(settings.database_url_or_default)),
                      registry)
    register_contacts(app, settings, holder, audit, system_clock)
    from streams.sla_worker import register_sla

    register_sla(app, settings, holder, system_clock, registry)
    if settings.log_level != "debug":
        # faust and aiokafka call log.debug on every message; with debug off globally those
        # calls return at once (they were ~8 % of a busy SLA worker's time).
        logging.disable(logging.DEBUG)
    worker = faust.Worker(app, loglevel=settings.log_level, quiet=True)
    worker.execute_from_commandline()

"""Per-ticket KPIs in the worker: the ``ticketflow.kpi`` agent over ``tickets.routed``,
``helpdesk.events``, ``sla.events`` and ``<app id>-kpi-commands`` (all keyed by ticket id, so
co-partitioned), a changelog-backed table ``kpi-tickets`` keyed by ticket id, and a timer
(names: ``streams/topology.py``). The pure core is :class:`kpi.stage.KpiStage`.

Shaped like the SLA agent (``streams/sla_worker.py``), for the same reasons:

* ``app.timer`` runs on every worker and cannot write a table: it only *finds* tickets whose
  FCR window closed (or that are abandoned) in a worker-local index of the partitions this
  worker actively owns, and sends one tick command per partition to that partition of the
  command topic; the agent owning it closes the tickets and writes the table. The index is
  rebuilt from the table after every rebalance.
* The same command topic carries recontacts: a ticket's first routing tells each related
  earlier contact of its customer, keyed by that ticket's id, so the command lands on the
  partition that holds its state.
* Records, facts and commands are delivered (awaited, one batched send per topic through a
  ``Sink``) before the states are stored: a crash in between re-derives them with the same ids.
* Table writes inside ``take`` go through ``faust_adapter.write_table_batch`` (faust-streaming
  #497) with the ticket's input partition; the table holds JSON bytes parsed on use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import faust
from prometheus_client import CollectorRegistry

from core.logs import source_context
from core.settings import Settings
from kpi.stage import KpiStage, Output
from kpi.tracker import kpi_config
from schemas.kpi import KpiFcr, KpiTicket
from sinks.kafka import Sink
from sla.stage import owned_partitions
from streams.faust_adapter import (
    batch_agent,
    is_rebalancing,
    producer_send,
    raw_topic,
    store_states,
    table_reader,
)
from streams.metrics import KpiMetrics, kpi_metrics
from streams.sla_worker import collect_write, in_message
from streams.topics import KPI_FCR, KPI_TICKETS
from streams.topology import Topology
from streams.worker import publish_or_die

log = logging.getLogger(__name__)

AGENT_STAGE = "kpi"
"""Its label in ticketflow_stage_duration_seconds."""
TIMER_INTERVAL_S = 1.0



def observe(metrics: KpiMetrics, out: Output) -> None:
    """The output's records and facts in the KPI metrics (after delivery)."""
    tickets = fcrs = 0
    for record in out.records:
        if isinstance(record, KpiTicket):
            tickets += 1
            metrics.observe_ticket(record.channel, record.queue, record.first_response_s,
                                   record.resolution_s)
        elif isinstance(record, KpiFcr):
            fcrs += 1
            metrics.observe_fcr(record.queue, record.fcr)
    for fact in out.facts:
        if fact.kind == "csat" and fact.csat_score is not None:
            metrics.observe_csat(fact.queue, fact.csat_score)
    if tickets:
        metrics.records.labels(KPI_TICKETS.name).inc(tickets)
    if fcrs:
        metrics.records.labels(KPI_FCR.name).inc(fcrs)


def register_kpi(app: faust.App, settings: Settings, topo: Topology,
                 clock: Callable[[], datetime], registry: CollectorRegistry) -> Any:
    spec = topo.kpi
    stage = KpiStage(kpi_config(settings), clock=clock, commands_topic=topo.kpi_commands_topic)
    metrics = kpi_metrics(registry)
    (kpi_table,) = spec.tables
    table = app.Table(kpi_table.name, default=None, partitions=settings.partitions,
                      value_type=bytes)

    inputs = raw_topic(app, *spec.inputs)
    send = producer_send(app)
    tickets = Sink(send, KPI_TICKETS.name, "kpi_ticket/1")
    fcr = Sink(send, KPI_FCR.name, "kpi_fcr/1")
    facts = Sink(send, topo.kpi_facts_topic, "kpi_fact/1")
    commands = Sink(send, topo.kpi_commands_topic, "kpi_command/1")

    async def store(writes: list[tuple[int, str, bytes | None]]) -> None:
        await store_states(app, table, writes, "KPI state")

    async def kpi_agent(stream: Any) -> None:
        read = table_reader(table)
        async for events in stream.take_events(settings.batch_size,
                                               within=settings.sla_batch_within_s):
            messages = [in_message(event.message) for event in events]
            started = time.perf_counter()
            try:
                out = stage.handle_batch(messages, read)
            except Exception:  # a bug, not bad input: keep every other ticket's KPIs going
                log.exception("KPI stage failed on a batch of %d (first record's coordinates "
                              "given)", len(messages), extra=source_context(messages[0]))
                continue
            stage_seconds = time.perf_counter() - started
            for skipped in out.skipped:
                log.warning("KPI stage skipped a message that is not what its topic carries",
                            extra=source_context(skipped))
            await publish_or_die(
                partial(tickets.send_all,
                        [(r.ticket_id, r) for r in out.records if isinstance(r, KpiTicket)]),
                partial(fcr.send_all,
                        [(r.ticket_id, r) for r in out.records if isinstance(r, KpiFcr)]),
                partial(facts.send_all, [(f.intent, f) for f in out.facts]),  # by intent
                partial(commands.send_all, [(c.ticket_id, c) for c in out.commands]),
                give_up_after_s=settings.publish_retry_s,
            )
            writes: list[tuple[int, str, bytes | None]] = []
            started = time.perf_counter()
            stage.stored(out, read, partial(collect_write, writes))
            stage_seconds += time.perf_counter() - started
            await store(writes)
            observe(metrics, out)
            metrics.kpi_states.set(len(stage.index))
            metrics.worker.stages({AGENT_STAGE: stage_seconds})
            metrics.worker.batch_done(spec.name, time.time())

    rebuild = {"needed": True}

    async def _after_rebalance(sender: Any, *args: Any, **kwargs: Any) -> None:
        rebuild["needed"] = True  # tables are restored by now: re-index what we own

    app.on_rebalance_complete.connect(_after_rebalance)  # type: ignore[arg-type]

    # FCR windows are days long (and abandonment a month): a second is precise enough
    @app.timer(interval=TIMER_INTERVAL_S)
    async def kpi_timer() -> None:
        # Runs on every worker; each closes only what it actively owns.
        if is_rebalancing(app):
            return
        owned = owned_partitions(app.consumer.assignment(), topo.kpi_commands_topic)
        if rebuild["needed"]:
            rebuild["needed"] = False
            tracked = stage.rebuild(list(table.items()), owned)
            log.info("KPI index rebuilt: %d tickets on partitions %s", tracked, sorted(owned))
        due = stage.due_commands(owned)
        if due:
            try:
                await commands.send_encoded((None, body, partition) for partition, body in due)
            except Exception as exc:
                log.warning("could not send KPI tick commands (%s); retrying", exc)
                stage.reschedule(due)
        metrics.kpi_states.set(len(stage.index))

    return batch_agent(app, inputs, spec.name)(kpi_agent)

"""The per-ticket agent ``ticketflow.sla``: SLA clocks, then KPIs, over ``tickets.routed``,
``helpdesk.events``, ``<app id>-sla-commands`` and ``<app id>-kpi-commands`` (all keyed by
ticket id, so co-partitioned), with the changelog-backed tables ``sla-clocks`` and
``kpi-tickets`` keyed by ticket id, and a timer each (names: ``streams/topology.py``). The KPI
half is ``streams/kpi_worker.KpiPart``; this module is the SLA half and the loop.

Why this shape:

* ``app.timer`` runs on every worker, and a faust table can only be written while iterating a
  stream. So the timer only *finds* due tickets (in a worker-local index of the partitions this
  worker actively owns) and sends one command per partition to the command topic; the agent,
  which owns that partition, ticks the tickets and writes the table.
* The memory store also holds standby copies of partitions owned elsewhere; the index is rebuilt
  from the table after every rebalance, for owned partitions only, and deadlines already past
  fire at once.
* Events are delivered (awaited) before the state that records them is stored: a crash in
  between re-derives them with the same ids. Consumers dedupe on ``event_id``. The KPI
  stage's records go in the same delivery wait, and both tables are stored after it.
* ``concurrency=1`` and micro-batches (``faust_adapter.take_ahead``): one delivery wait per
  batch, not per message (opening 10k clocks one by one took a minute). Table writes inside
  ``take`` go through ``faust_adapter.write_table_batch`` (faust-streaming #497) with the
  ticket's partition.
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

from core.logs import log_deadletters, source_context
from core.settings import Settings
from schemas.routing import RoutedTicket
from sinks.kafka import Sink, Sinks
from sla.stage import SlaStage, owned_partitions
from sla.tracker import sla_config
from streams.faust_adapter import (
    batch_agent,
    collect_write,
    in_message,
    is_rebalancing,
    producer_send,
    raw_topic,
    store_states,
    table_reader,
    take_ahead,
)
from streams.handoff import Handoff
from streams.kpi_worker import KpiPart
from streams.metrics import SlaMetrics
from streams.topics import SLA_EVENTS, TICKETS_DEADLETTER, TICKETS_ROUTED
from streams.topology import Topology
from streams.worker import publish_or_die, routed_sends

log = logging.getLogger(__name__)



def register_sla(app: faust.App, settings: Settings, topo: Topology, holder: Any,
                 clock: Callable[[], datetime], registry: CollectorRegistry,
                 handoff: Handoff[RoutedTicket] | None = None) -> Any:
    """``handoff``: the routed tickets this worker's routing agent sent, taken instead of
    parsed when they come back (``streams/handoff.py``)."""
    spec = topo.sla
    parse_routed = RoutedTicket.model_validate_json
    stage = SlaStage(sla_config(settings), route=lambda ticket: holder.active.route(ticket),
                     clock=clock, commands_topic=topo.commands_topic,
                     parse_routed=parse_routed if handoff is None else handoff.parser(parse_routed))
    metrics = SlaMetrics(registry)
    # Values are JSON bytes (value_type=bytes → the raw codec), not dicts: see SlaStage.load.
    table = app.Table(topo.sla_table.name, default=None, partitions=settings.partitions,
                      value_type=bytes)

    inputs = raw_topic(app, *spec.inputs)
    send = producer_send(app)
    commands = Sink(send, topo.commands_topic, "sla_command/1")
    sla_events = Sink(send, SLA_EVENTS.name, "sla_event/1")
    routed = Sink(send, TICKETS_ROUTED.name, "routed/1")
    deadletters = Sink(send, TICKETS_DEADLETTER.name, "deadletter/1")
    queues = Sinks(send, "routed/1")
    kpi = KpiPart(app, settings, topo, clock, registry)

    async def store(writes: list[tuple[int, str, bytes | None]]) -> None:
        await store_states(app, table, writes, "SLA state")

    async def sla_agent(stream: Any) -> None:
        read = table_reader(table)
        async for events in take_ahead(stream, settings.batch_size,
                                       within=settings.sla_batch_within_s):
            messages = [in_message(event.message) for event in events]
            started = time.perf_counter()
            try:
                out = stage.handle_batch(
                    [m for m in messages if m.topic != topo.kpi_commands_topic], read)
            except Exception:  # a bug, not bad input: keep the clocks of every other ticket
                log.exception("SLA stage failed on a batch of %d (first record's coordinates "
                              "given)", len(messages), extra=source_context(messages[0]))
                continue
            stage_seconds = time.perf_counter() - started
            sends: list[Callable[[], Any]] = [
                partial(sla_events.send_all, [(e.ticket_id, e) for e in out.events]),
                partial(deadletters.send_all, [(d.deadletter_id, d) for d in out.deadletters]),
            ]
            sends += routed_sends(routed, queues, out.reroutes)
            kpi_out = kpi.handle(messages, out)
            if kpi_out is not None:
                sends += kpi.sends(kpi_out[0])
            # Delivered first, stored second: a crash in between re-derives the same events.
            await publish_or_die(*sends, give_up_after_s=settings.publish_retry_s)
            writes: list[tuple[int, str, bytes | None]] = []
            started = time.perf_counter()
            stage.stored(out.steps, read, partial(collect_write, writes))
            stage_seconds += time.perf_counter() - started  # the stage's work, not the sends
            await store(writes)
            if kpi_out is not None:
                await kpi.store(*kpi_out)
            metrics.observe(out.events, out.reroutes, out.deadletters, out.breaches)
            log_deadletters(log, out.deadletters)
            metrics.forgotten.inc(sum(step.forget for step in out.steps))
            metrics.worker.stages({"sla": stage_seconds})
            metrics.worker.batch_done(spec.name, time.time())

    rebuild = {"needed": True}

    async def _after_rebalance(sender: Any, *args: Any, **kwargs: Any) -> None:
        rebuild["needed"] = True  # tables are restored by now: re-index what we own

    app.on_rebalance_complete.connect(_after_rebalance)  # type: ignore[arg-type]

    @app.timer(interval=settings.sla_tick_s)
    async def sla_timer() -> None:
        # Runs on every worker; each fires only what it actively owns.
        if is_rebalancing(app):
            return
        owned = owned_partitions(app.consumer.assignment(), topo.commands_topic)
        if rebuild["needed"]:
            rebuild["needed"] = False
            scheduled = stage.rebuild(list(table.items()), owned)
            metrics.rebuilds.inc()
            log.info("SLA index rebuilt: %d tickets on partitions %s", scheduled, sorted(owned))
        due = stage.due_commands(owned)
        if due:
            try:
                await commands.send_encoded((None, body, partition) for partition, body in due)
            except Exception as exc:
                log.warning("could not send SLA tick commands (%s); retrying", exc)
                stage.reschedule(due)
        metrics.scheduled.set(len(stage.index))
        metrics.census(stage.census)

    return batch_agent(app, inputs, spec.name)(sla_agent)

"""Per-ticket KPIs in the worker: the KPI half of the per-ticket agent ``ticketflow.sla``
(``streams/sla_worker.py``), which reads ``tickets.routed``, ``helpdesk.events``, the SLA
commands and ``<app id>-kpi-commands`` (all keyed by ticket id, so co-partitioned). The KPI
stage gets the same routed messages and help-desk events, the KPI commands, and the
``sla.breached`` events the SLA stage derived in the same batch (:func:`kpi.stage.interleave`);
it keeps a changelog-backed table ``kpi-tickets`` keyed by ticket id and a timer (names:
``streams/topology.py``). The pure core is :class:`kpi.stage.KpiStage`.

Why one agent for both: they read the same messages with the same key. As a second agent the
KPI stage made faust consume every routed message again and all of ``sla.events`` (two or
three messages per ticket, most not breaches), which doubled the worker's CPU per ticket
(issue 11's figures in README "Figures").

* ``app.timer`` runs on every worker and cannot write a table: it only *finds* tickets whose
  FCR window closed (or that are abandoned) in a worker-local index of the partitions this
  worker actively owns, and sends one tick command per partition to that partition of the
  command topic; the agent owning it closes the tickets and writes the table. The index is
  rebuilt from the table after every rebalance.
* The same command topic carries recontacts: a ticket's first routing tells each related
  earlier contact of its customer, keyed by that ticket's id, so the command lands on the
  partition that holds its state.
* Records, facts and commands are delivered (awaited, one batched send per topic through a
  ``Sink``, together with the SLA stage's) before the states are stored: a crash in between
  re-derives them with the same ids.
* Table writes inside ``take`` go through ``faust_adapter.write_table_batch`` (faust-streaming
  #497) with the ticket's input partition; the table holds JSON bytes parsed on use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import faust
from prometheus_client import CollectorRegistry

from core.logs import source_context
from core.settings import Settings
from kpi.stage import KpiStage, Output, fact_messages, interleave
from kpi.tracker import kpi_config
from schemas.kpi import KpiFcr, KpiTicket
from sinks.kafka import Sink
from sla.stage import InMessage, owned_partitions
from sla.stage import Output as SlaOutput
from streams.faust_adapter import (
    collect_write,
    is_rebalancing,
    producer_send,
    store_states,
    table_reader,
)
from streams.metrics import KpiMetrics, kpi_metrics
from streams.topics import KPI_FCR, KPI_TICKETS
from streams.topology import Topology

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


class KpiPart:
    """The KPI stage, its table, sinks, metrics and timer, driven by the SLA agent's loop."""

    def __init__(self, app: faust.App, settings: Settings, topo: Topology,
                 clock: Callable[[], datetime], registry: CollectorRegistry) -> None:
        self.app = app
        self.topo = topo
        self.stage = KpiStage(kpi_config(settings), clock=clock,
                              commands_topic=topo.kpi_commands_topic)
        self.metrics = kpi_metrics(registry)
        self.table = app.Table(topo.kpi_table.name, default=None,
                               partitions=settings.partitions, value_type=bytes)
        self.read = table_reader(self.table)
        send = producer_send(app)
        self.tickets = Sink(send, KPI_TICKETS.name, "kpi_ticket/1")
        self.fcr = Sink(send, KPI_FCR.name, "kpi_fcr/1")
        self.facts = Sink(send, topo.kpi_facts_topic, "kpi_facts/1")
        self.commands = Sink(send, topo.kpi_commands_topic, "kpi_command/1")
        self._register_timer()

    def handle(self, messages: Sequence[InMessage], sla_out: SlaOutput
               ) -> tuple[Output, float] | None:
        """The batch's KPI output and the seconds it took (None when the stage failed: logged,
        the SLA half goes on)."""
        started = time.perf_counter()
        try:
            out = self.stage.handle_batch(
                interleave(messages, sla_out, self.topo.commands_topic,
                           self.topo.kpi_commands_topic), self.read)
        except Exception:  # a bug, not bad input: keep every other ticket's KPIs going
            log.exception("KPI stage failed on a batch of %d (first record's coordinates "
                          "given)", len(messages), extra=source_context(messages[0]))
            return None
        for skipped in out.skipped:
            log.warning("KPI stage skipped a message that is not what its topic carries",
                        extra=source_context(skipped))
        return out, time.perf_counter() - started

    def sends(self, out: Output) -> list[Callable[[], Any]]:
        return [
            partial(self.tickets.send_all,
                    [(r.ticket_id, r) for r in out.records if isinstance(r, KpiTicket)]),
            partial(self.fcr.send_all,
                    [(r.ticket_id, r) for r in out.records if isinstance(r, KpiFcr)]),
            partial(self.facts.send_all, [(b.intent, b) for b in fact_messages(out.facts)]),
            partial(self.commands.send_all, [(c.ticket_id, c) for c in out.commands]),
        ]

    async def store(self, out: Output, seconds: float) -> None:
        """Store the writes (after delivery) and observe them with the stage's ``seconds``
        (deriving and storing: one observation per batch, as for the other stages)."""
        writes: list[tuple[int, str, bytes | None]] = []
        started = time.perf_counter()
        self.stage.stored(out, self.read, partial(collect_write, writes))
        seconds += time.perf_counter() - started
        await store_states(self.app, self.table, writes, "KPI state")
        observe(self.metrics, out)
        self.metrics.kpi_states.set(len(self.stage.index))
        self.metrics.worker.stages({AGENT_STAGE: seconds})

    def _register_timer(self) -> None:
        app, stage, topo = self.app, self.stage, self.topo
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
                tracked = stage.rebuild(list(self.table.items()), owned)
                log.info("KPI index rebuilt: %d tickets on partitions %s", tracked,
                         sorted(owned))
            due = stage.due_commands(owned)
            if due:
                try:
                    await self.commands.send_encoded(
                        (None, body, partition) for partition, body in due)
                except Exception as exc:
                    log.warning("could not send KPI tick commands (%s); retrying", exc)
                    stage.reschedule(due)
            self.metrics.kpi_states.set(len(stage.index))

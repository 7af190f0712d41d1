"""Hourly KPI rollups and volume spikes in the worker: one faust agent over the internal
``<app id>-kpi-facts`` topic (KpiFact records keyed by intent, so one worker holds all of an
intent's cells and its whole volume), a changelog-backed table ``kpi-rollups`` (names:
``streams/topology.py``), and the pure core :class:`kpi.rollups.RollupStage`.

Shaped like the SLA agent (``streams/sla_worker.py``):

* ``take_ahead`` micro-batches, ``concurrency=1``; the stage runs on the event loop (a batch
  is parsing and counting, no I/O).
* Records first, state second: the batch's ``KpiRollup`` records (``kpi.rollups``, keyed by
  ``rollup_id``) and ``KpiAlert`` records (``kpi.alerts``, keyed by intent) are delivered
  (awaited, ``publish_or_die``) before the table writes that record them; a crash in between
  re-derives them from the old state with the same ids (an alert's id is its intent and hour).
* Table writes through ``faust_adapter.store_states`` (``write_table_batch``: faust-streaming
  #497) with the fact's input partition, values JSON bytes parsed on use.
* No timer: hours close by event time, when a ticket's ``received`` fact (of any intent)
  moves the partition's watermark, so nothing has to be woken up (and a partition that gets no
  new ticket keeps its last hours open: in a replay, until tickets of a later time arrive).
* Gauges (``ticketflow_kpi_intent_volume_ratio``, ``ticketflow_kpi_volume_spike``) are set by
  the worker owning the intent's partition; after a rebalance it drops the intents it no longer
  owns and sets those it now owns from the recovered table.
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
from kpi.rollups import RollupStage, Volume, rollup_config
from sinks.kafka import Sink
from sla.stage import owned_partitions
from streams.faust_adapter import (
    batch_agent,
    in_message,
    producer_send,
    raw_topic,
    store_states,
    table_reader,
    take_ahead,
)
from streams.metrics import KpiMetrics, kpi_metrics
from streams.topics import KPI_ALERTS, KPI_ROLLUPS
from streams.topology import Topology
from streams.worker import publish_or_die

log = logging.getLogger(__name__)



class VolumeGauges:
    """The volume gauges this worker exports, and which partition each intent's came from."""

    def __init__(self, metrics: KpiMetrics) -> None:
        self.metrics = metrics
        self.shown: dict[str, int] = {}

    def show(self, volumes: dict[str, Volume]) -> None:
        for intent, volume in volumes.items():
            self.metrics.set_volume(intent, volume.ratio, volume.spiking)
            self.shown[intent] = volume.partition

    def drop(self, intents: list[str]) -> None:
        for intent in intents:
            self.metrics.drop_intent(intent)
            self.shown.pop(intent, None)

    def keep_only(self, owned: set[int]) -> list[str]:
        """Drop the intents whose partition this worker no longer owns; returns them."""
        gone = [intent for intent, p in self.shown.items() if p not in owned]
        self.drop(gone)
        return gone


def register_kpi_rollup(app: faust.App, settings: Settings, topo: Topology,
                        clock: Callable[[], datetime], registry: CollectorRegistry) -> Any:
    spec = topo.kpi_rollup
    stage = RollupStage(rollup_config(settings), clock)
    metrics = kpi_metrics(registry)
    gauges = VolumeGauges(metrics)
    (rollups_table,) = spec.tables
    table = app.Table(rollups_table.name, default=None, partitions=settings.partitions,
                      value_type=bytes)
    inputs = raw_topic(app, *spec.inputs)
    send = producer_send(app)
    rollups = Sink(send, KPI_ROLLUPS.name, "kpi_rollup/1")
    alerts = Sink(send, KPI_ALERTS.name, "kpi_alert/1")

    async def kpi_rollup_agent(stream: Any) -> None:
        read = table_reader(table)
        async for events in take_ahead(stream, settings.batch_size,
                                       within=settings.batch_within_s):
            messages = [in_message(event.message) for event in events]
            started = time.perf_counter()
            try:
                out = stage.handle_batch(messages, read)
            except Exception:  # a bug, not bad input: keep every other intent's rollups
                log.exception("KPI rollup stage failed on a batch of %d (first record's "
                              "coordinates given)", len(messages),
                              extra=source_context(messages[0]))
                continue
            stage_seconds = time.perf_counter() - started
            if out.invalid:
                log.warning("%d KPI facts skipped: not a KpiFact (first record's coordinates "
                            "given)", out.invalid, extra=source_context(messages[0]))
            # Delivered first, stored second: a crash in between re-derives the same records.
            await publish_or_die(
                partial(rollups.send_all, [(r.rollup_id, r) for r in out.rollups]),
                partial(alerts.send_all, [(a.intent, a) for a in out.alerts]),
                give_up_after_s=settings.publish_retry_s,
            )
            await store_states(app, table, out.writes, "KPI rollup state")
            metrics.records.labels(KPI_ROLLUPS.name).inc(len(out.rollups))
            metrics.records.labels(KPI_ALERTS.name).inc(len(out.alerts))
            metrics.facts_late.inc(out.late)
            gauges.drop(out.forgotten)
            gauges.show(out.volumes)
            metrics.worker.stages({"kpi_rollup": stage_seconds})
            metrics.worker.batch_done(spec.name, time.time())

    async def _after_rebalance(sender: Any, *args: Any, **kwargs: Any) -> None:
        # tables are restored by now: export what this worker owns, and only that
        try:
            owned = owned_partitions(app.consumer.assignment(), topo.kpi_facts_topic)
            gone = gauges.keep_only(owned)
            gauges.show(stage.volumes(table_reader(table), sorted(owned)))
        except Exception:  # the gauges catch up with the next batch; the agent goes on
            log.exception("KPI volume gauges not updated after the rebalance")
            return
        log.info("KPI rollups: partitions %s owned, gauges of %d intents dropped",
                 sorted(owned), len(gone))

    app.on_rebalance_complete.connect(_after_rebalance)  # type: ignore[arg-type]

    return batch_agent(app, inputs, spec.name)(kpi_rollup_agent)

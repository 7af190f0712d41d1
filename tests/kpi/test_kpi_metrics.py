"""What the per-ticket KPI stage reports to Prometheus for a stage output (streams/kpi_worker)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from kpi.stage import KpiStage
from kpi.tracker import KpiConfig
from sla.policies import load_policies_text
from streams.kpi_worker import observe
from streams.metrics import kpi_metrics, worker_metrics

from .test_kpi_stage import (
    POLICIES,
    WED,
    Clock,
    D,
    H,
    M,
    Table,
    hd,
    routed,
    run,
    solve,
    tick,
    ticket,
)


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def test_the_accessor_registers_the_families_once_per_registry() -> None:
    registry = CollectorRegistry()
    assert kpi_metrics(registry) is kpi_metrics(registry)
    assert kpi_metrics(registry).worker is worker_metrics(registry)
    assert kpi_metrics(CollectorRegistry()) is not kpi_metrics(registry)


def test_records_and_csat_are_observed_by_channel_and_queue() -> None:
    registry = CollectorRegistry()
    metrics = kpi_metrics(registry)
    policies = load_policies_text(POLICIES, "kpi-test-policies")
    stage, table = KpiStage(KpiConfig(policies), Clock(WED)), Table()
    out = run(stage, table, routed(ticket(channel="chat"), queue="orders"),
              hd("agent_replied", WED + 2 * M), hd("csat_submitted", WED + 3 * M, score=4),
              solve(WED + H), hd("csat_submitted", WED + M, score=1))  # older: not applied
    observe(metrics, out)
    assert value(registry, "ticketflow_kpi_first_response_seconds_sum", channel="chat") == 120
    assert value(registry, "ticketflow_kpi_queue_first_response_seconds_count",
                 queue="orders") == 1
    assert value(registry, "ticketflow_kpi_resolution_seconds_sum", channel="chat") == 3600
    assert value(registry, "ticketflow_kpi_queue_resolution_seconds_sum", queue="orders") == 3600
    assert value(registry, "ticketflow_kpi_csat_score_total", queue="orders") == 4
    assert value(registry, "ticketflow_kpi_csat_responses_total", queue="orders") == 1
    assert value(registry, "ticketflow_kpi_records_total", topic="kpi.tickets") == 1
    assert value(registry, "ticketflow_kpi_records_total", topic="kpi.fcr") is None

    observe(metrics, tick(stage, table, WED + 9 * D))
    assert value(registry, "ticketflow_kpi_fcr_decided_total", queue="orders", fcr="true") == 1
    assert value(registry, "ticketflow_kpi_records_total", topic="kpi.fcr") == 1

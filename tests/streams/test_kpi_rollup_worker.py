"""The ``ticketflow.kpi_rollup`` agent's thin parts without a broker: what it registers, and
the volume gauges it exports (set, dropped for intents it no longer owns). The agent itself
runs in tests/integration/test_kpi_rollup_live.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from core.settings import Settings
from kpi.rollups import Volume
from streams.app import build_app
from streams.faust_adapter import OffsetGuard
from streams.kpi_rollup_worker import VolumeGauges, register_kpi_rollup
from streams.metrics import KpiMetrics, kpi_metrics
from streams.topology import topology
from tests.conftest import FIXED_NOW as NOW


def test_it_registers_the_topologys_agent_and_table(tmp_path: Path) -> None:
    settings = Settings(app_id="shop-eu", data_dir=tmp_path)
    registry = CollectorRegistry()

    async def build() -> Any:
        app = build_app(settings, "127.0.0.1:9", OffsetGuard.with_registry(CollectorRegistry()))
        register_kpi_rollup(app, settings, topology("shop-eu"), lambda: NOW, registry)
        return app

    app = asyncio.run(build())
    spec = topology("shop-eu").kpi_rollup
    assert {name: set(a.channel.topics) for name, a in app.agents.items()} == {
        "ticketflow.kpi_rollup": {"shop-eu-kpi-facts"}}
    assert {name: t.changelog_topic.get_topic_name() for name, t in app.tables.items()} == {
        t.name: t.changelog for t in spec.tables}
    # the KPI families are the registry's one KpiMetrics (the per-ticket agent shares it)
    assert kpi_metrics(registry) is kpi_metrics(registry)
    assert registry.get_sample_value("ticketflow_kpi_facts_late_total") == 0.0


def spike(registry: CollectorRegistry, intent: str) -> float | None:
    return registry.get_sample_value("ticketflow_kpi_volume_spike", {"intent": intent})


def ratio(registry: CollectorRegistry, intent: str) -> float | None:
    return registry.get_sample_value("ticketflow_kpi_intent_volume_ratio", {"intent": intent})


def test_gauges_of_intents_no_longer_owned_are_dropped() -> None:
    registry = CollectorRegistry()
    gauges = VolumeGauges(KpiMetrics(registry))
    gauges.show({"wismo": Volume(partition=0, ratio=3.5, spiking=True),
                 "refund": Volume(partition=1, ratio=0.4, spiking=False),
                 "damaged": Volume(partition=2, ratio=1.0, spiking=False)})
    assert (spike(registry, "wismo"), ratio(registry, "wismo")) == (1.0, 3.5)
    assert (spike(registry, "refund"), ratio(registry, "refund")) == (0.0, 0.4)
    assert sorted(gauges.keep_only({0, 2})) == ["refund"]
    assert spike(registry, "refund") is None and ratio(registry, "refund") is None
    assert spike(registry, "wismo") == 1.0
    gauges.drop(["damaged"])  # forgotten by the stage
    assert ratio(registry, "damaged") is None
    assert gauges.keep_only(set()) == ["wismo"]
    assert gauges.shown == {}
    gauges.drop(["never-shown"])  # harmless

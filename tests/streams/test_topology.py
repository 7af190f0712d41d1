"""The topology module is what the worker runs and what ARCHITECTURE.md shows."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from core.settings import Settings
from streams.app import build_app
from streams.faust_adapter import OffsetGuard
from streams.kpi_rollup_worker import register_kpi_rollup
from streams.metrics import PipelineMetrics, RepliesMetrics, RoutingMetrics
from streams.sla_worker import register_sla
from streams.topics import all_topics
from streams.topology import render_markdown, topology
from streams.worker import register_pipeline, register_routing

ROOT = Path(__file__).resolve().parents[2]


def registered(app_id: str, tmp_path: Path) -> Any:
    """A worker's faust app with every agent and table registered (nothing connects)."""
    settings = Settings(app_id=app_id, data_dir=tmp_path)

    async def build() -> Any:
        app = build_app(settings, "127.0.0.1:9", OffsetGuard.with_registry(CollectorRegistry()))
        topo = topology(app_id)
        unused: Any = SimpleNamespace()
        register_pipeline(app, settings, topo.pipeline, unused,
                          PipelineMetrics(CollectorRegistry()))
        register_routing(app, settings, topo.route, unused, unused, unused,
                         RoutingMetrics(CollectorRegistry()), unused,
                         RepliesMetrics(CollectorRegistry()))
        register_sla(app, settings, topo, unused, unused, CollectorRegistry())
        register_kpi_rollup(app, settings, topo, unused, CollectorRegistry())
        return app

    return asyncio.run(build())


def test_the_worker_registers_exactly_the_topology(tmp_path: Path) -> None:
    topo = topology("shop-eu")
    app = registered("shop-eu", tmp_path)
    agents = {name: set(agent.channel.topics) for name, agent in app.agents.items()}
    assert agents == {a.name: set(a.inputs) for a in topo.agents}
    tables = {name: table.changelog_topic.get_topic_name() for name, table in app.tables.items()}
    assert tables == {t.name: t.changelog for a in topo.agents for t in a.tables}


def test_internal_topics_are_named_after_the_app_id() -> None:
    a, b = topology("shop-eu"), topology("shop-us")

    def internal(t: Any) -> set[str]:
        return {t.commands_topic, t.kpi_commands_topic, t.kpi_facts_topic,
                *(tb.changelog for ag in t.agents for tb in ag.tables)}

    internal_a, internal_b = internal(a), internal(b)
    assert not internal_a & internal_b
    assert all(name.startswith("shop-eu-") for name in internal_a)
    shared = {spec.name for spec in all_topics()}
    assert not internal_a & shared
    created = {spec.name for spec in all_topics("shop-eu")}
    assert {a.commands_topic, a.kpi_commands_topic, a.kpi_facts_topic} <= created


def test_architecture_shows_the_generated_topology() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- topology:begin -->\n(.*?)<!-- topology:end -->", text, re.S)
    assert block, "ARCHITECTURE.md lost its generated topology block"
    assert block.group(1) == render_markdown(topology("ticketflow")), (
        "ARCHITECTURE.md is stale: paste the output of `ticketflow topology` between the markers")

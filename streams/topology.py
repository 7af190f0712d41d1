"""The stream topology in one place: every agent, what it reads (and by which key), what it
writes, and the tables it keeps. The worker registers its agents from this description
(``streams/worker.py``, ``streams/sla_worker.py``) and ARCHITECTURE.md's diagram is generated
from it (``ticketflow topology``; a test keeps the two equal).

Every hop is a micro-batch over ``faust_adapter.take_ahead`` (faust's ``take_events``, the next
batch handed over while the body works) with ``concurrency=1`` (faust-streaming #606),
a pure function in its own module at the core; nothing uses ``group_by``, so there is no
repartition topic. Internal topics (the SLA command topic, the tables' changelogs) carry the app
id, so two deployments with different ``TICKETFLOW_APP_ID`` can share one cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.topics import (
    HELPDESK_EVENTS,
    KPI_ALERTS,
    KPI_FCR,
    KPI_ROLLUPS,
    KPI_TICKETS,
    REPLIES_SUGGESTED,
    ROUTING_RULES,
    SLA_EVENTS,
    TICKETS_DEADLETTER,
    TICKETS_NORMALIZED,
    TICKETS_ROUTED,
    changelog_topic,
    inbound_topics,
    kpi_commands_topic,
    kpi_facts_topic,
    sla_commands_topic,
)

QUEUES = "queue.<name>"
"""The per-queue topics, one per queue the active ruleset declares."""


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    value: str
    changelog: str


@dataclass(frozen=True)
class Agent:
    name: str
    inputs: tuple[str, ...]
    key: str
    """What the input records are keyed by, so what one partition holds together."""
    core: str
    """The pure function each batch goes through."""
    outputs: tuple[str, ...]
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Topology:
    app_id: str
    pipeline: Agent
    route: Agent
    sla: Agent
    """Per ticket: the SLA clocks, then the KPIs over the same messages (one agent, so faust
    consumes each routed message and help-desk event once, and no ``sla.events`` at all)."""
    kpi_rollup: Agent

    @property
    def agents(self) -> tuple[Agent, ...]:
        return (self.pipeline, self.route, self.sla, self.kpi_rollup)

    @property
    def sla_table(self) -> Table:
        return self.sla.tables[0]

    @property
    def kpi_table(self) -> Table:
        return self.sla.tables[1]

    @property
    def commands_topic(self) -> str:
        return sla_commands_topic(self.app_id).name

    @property
    def kpi_commands_topic(self) -> str:
        return kpi_commands_topic(self.app_id).name

    @property
    def kpi_facts_topic(self) -> str:
        return kpi_facts_topic(self.app_id).name


CONTACTS_TABLE = "customer-contacts"
SLA_TABLE = "sla-clocks"
KPI_TABLE = "kpi-tickets"
KPI_ROLLUP_TABLE = "kpi-rollups"


def topology(app_id: str) -> Topology:
    commands = sla_commands_topic(app_id).name
    kpi_commands = kpi_commands_topic(app_id).name
    kpi_facts = kpi_facts_topic(app_id).name
    return Topology(
        app_id=app_id,
        pipeline=Agent(
            name="ticketflow.pipeline",
            inputs=inbound_topics(),
            key="none",
            core="streams.pipeline.Pipeline.process_safely: normalize, classify, enrich",
            outputs=(TICKETS_NORMALIZED.name, TICKETS_DEADLETTER.name),
        ),
        route=Agent(
            name="ticketflow.route",
            inputs=(TICKETS_NORMALIZED.name,),
            key="customer key",
            core="routing_rules.stage.route_batch: contacts, reprioritize, route; then "
                 "streams.replies_batch.suggest_encoded for the first routings (where the "
                 "pipeline runs)",
            outputs=(TICKETS_ROUTED.name, QUEUES, REPLIES_SUGGESTED.name,
                     TICKETS_DEADLETTER.name),
            tables=(Table(CONTACTS_TABLE, key="customer key",
                          value="recent contacts (JSON)",
                          changelog=changelog_topic(app_id, CONTACTS_TABLE)),),
        ),
        sla=Agent(
            name="ticketflow.sla",
            inputs=(TICKETS_ROUTED.name, HELPDESK_EVENTS.name, commands, kpi_commands),
            key="ticket_id",
            core="sla.stage.SlaStage.handle_batch: open, move and fire clocks; re-route; then "
                 "kpi.stage.KpiStage.handle_batch over the same messages and the breaches: "
                 "per-ticket KPIs, FCR across channels",
            outputs=(SLA_EVENTS.name, TICKETS_ROUTED.name, QUEUES, TICKETS_DEADLETTER.name,
                     commands, KPI_TICKETS.name, KPI_FCR.name, kpi_facts, kpi_commands),
            tables=(Table(SLA_TABLE, key="ticket_id",
                          value="clock state (JSON); <ticket_id>/ticket: the ticket copy",
                          changelog=changelog_topic(app_id, SLA_TABLE)),
                    Table(KPI_TABLE, key="ticket_id", value="KPI state (JSON)",
                          changelog=changelog_topic(app_id, KPI_TABLE))),
        ),
        kpi_rollup=Agent(
            name="ticketflow.kpi_rollup",
            inputs=(kpi_facts,),
            key="intent",
            core="kpi.rollups.RollupStage.handle_batch: hourly rollups, volume spikes",
            outputs=(KPI_ROLLUPS.name, KPI_ALERTS.name),
            tables=(Table(KPI_ROLLUP_TABLE, key="intent",
                          value="open hours, kept hours and the volume baseline (JSON)",
                          changelog=changelog_topic(app_id, KPI_ROLLUP_TABLE)),),
        ),
    )


def render_markdown(t: Topology) -> str:
    """The topology as ARCHITECTURE.md shows it: a Mermaid flowchart and a table."""
    ids: dict[str, str] = {}

    def node(topic: str) -> str:
        if topic not in ids:
            ids[topic] = f"t{len(ids)}"
        return ids[topic]

    inbound = "inbound.* (one per channel)"
    lines = ["```mermaid", "flowchart LR"]
    edges: list[str] = []
    for agent in t.agents:
        aid = agent.name.replace(".", "_")
        tables = "".join(f"<br/>table {tb.name}" for tb in agent.tables)
        lines.append(f'  {aid}[["{agent.name}<br/>key: {agent.key}{tables}"]]')
        sources = [inbound] if agent is t.pipeline else list(agent.inputs)
        edges += [f"  {node(topic)} --> {aid}" for topic in sources]
        edges += [f"  {aid} --> {node(topic)}" for topic in agent.outputs]
    edges += [f"  {node(ROUTING_RULES.name)} -. active ruleset .-> {a.name.replace('.', '_')}"
              for a in (t.route, t.sla)]
    # Mermaid labels are HTML: "<name>" would vanish as a tag
    lines += [f'  {nid}(["{topic.replace("<", "#lt;").replace(">", "#gt;")}"])'
              for topic, nid in ids.items()]
    lines += edges
    lines.append("```")
    lines += ["", "| agent | reads (key) | pure core | writes | tables (changelog) |",
              "|---|---|---|---|---|"]
    for agent in t.agents:
        inputs = "`inbound.*`" if agent is t.pipeline else ", ".join(
            f"`{i}`" for i in agent.inputs)
        tables = "; ".join(f"`{tb.name}` by {tb.key} (`{tb.changelog}`)"
                           for tb in agent.tables) or "—"
        lines.append(f"| `{agent.name}` | {inputs} ({agent.key}) | `{agent.core}` | "
                     f"{', '.join(f'`{o}`' for o in agent.outputs)} | {tables} |")
    return "\n".join(lines) + "\n"

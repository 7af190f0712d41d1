"""The worker's metric classes (streams/metrics.py) and the pieces that feed them: stage
durations from the pipeline, routed tickets, breaches, the SLA census, rebalances, the runtime
collectors. Label values must come from bounded sets: never a ticket id or a customer."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from channels import RawRecord
from core.settings import Settings
from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from routing_rules.testing import RECEIVED_AT, apply_override, base_ticket
from schemas import Source, Ticket
from schemas.routing import RoutedTicket
from sla.census import OpenCensus
from sla.policies import load_policies_text
from sla.stage import SlaStage
from sla.tracker import SlaConfig, TicketSla
from streams.faust_adapter import OffsetGuard
from streams.metrics import (
    PipelineMetrics,
    RoutingMetrics,
    SlaMetrics,
    register_runtime_collectors,
    worker_metrics,
)
from streams.pipeline import NamedStage, Pipeline, encode_output
from tests.conftest import ManualClock as Clock
from tests.sla.conftest import SHORT_POLICIES_YAML

RECEIVED = datetime.fromisoformat(RECEIVED_AT)
RULESET = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def ticket(n: int, **overrides: Any) -> Ticket:
    data = base_ticket("Where is my parcel?")
    data["ticket_id"] = f"tk_{n:024x}"
    for path, v in overrides.items():
        apply_override(data, path.replace("__", "."), v)
    return Ticket.model_validate(data)


def routed(t: Ticket, attempt: int = 1) -> RoutedTicket:
    return RoutedTicket(ticket=t, decision=RULESET.route(t), routed_at=RECEIVED,
                        attempt=attempt)


# --- shared per registry -------------------------------------------------------------------


def test_every_agents_metrics_share_one_set_of_worker_metrics_per_registry() -> None:
    registry = CollectorRegistry()
    # each registers its own families; the shared ones only once (a second would raise)
    pipeline, routing, sla = (PipelineMetrics(registry), RoutingMetrics(registry),
                              SlaMetrics(registry))
    assert pipeline.worker is routing.worker is sla.worker is worker_metrics(registry)
    assert worker_metrics(CollectorRegistry()) is not pipeline.worker
    pipeline.worker.batch_done("ticketflow.pipeline", 1_700_000_000.5)
    sla.worker.stages({"sla": 0.02})
    assert value(registry, "ticketflow_last_batch_timestamp_seconds",
                 agent="ticketflow.pipeline") == 1_700_000_000.5
    assert value(registry, "ticketflow_stage_duration_seconds_count", stage="sla") == 1
    assert value(registry, "ticketflow_stage_duration_seconds_bucket", stage="sla",
                 le="0.025") == 1
    assert value(registry, "ticketflow_stage_duration_seconds_bucket", stage="sla",
                 le="0.01") == 0


# --- pipeline --------------------------------------------------------------------------------


def webform_record(i: int) -> RawRecord:
    body = (f'{{"submission_id": "s{i}", "submitted_at": "{RECEIVED_AT}", '
            '"email": "someone@example.com", "message": "Where is my parcel?"}').encode()
    return RawRecord(channel="webform", value=body, timestamp=RECEIVED,
                     source=Source(topic="inbound.webform", partition=0, offset=i))


def test_the_pipeline_times_normalizing_and_each_stage_that_ran() -> None:
    ticks = itertools.count()
    clock_reads: list[float] = []

    def timer() -> float:  # each read 1.5 s after the one before
        clock_reads.append(next(ticks) * 1.5)
        return clock_reads[-1]

    def drop_all(tickets: Any) -> list[Ticket]:
        return []

    stages = [NamedStage("classify", lambda ts: ts), NamedStage("enrich", drop_all),
              NamedStage("never", lambda ts: ts)]
    out = Pipeline(lambda: RECEIVED, stages=stages, timer=timer).process(
        [webform_record(1), webform_record(2)])
    assert out.durations == {"normalize": 1.5, "classify": 1.5, "enrich": 1.5}
    assert "never" not in out.durations  # no ticket left to run it on
    registry = CollectorRegistry()
    PipelineMetrics(registry).observe(["webform", "webform"], encode_output(out), 5.0)
    for stage in ("normalize", "classify", "enrich"):
        assert value(registry, "ticketflow_stage_duration_seconds_sum", stage=stage) == 1.5


def test_triage_is_counted_per_channel_for_flagged_tickets_only() -> None:
    from streams.pipeline import BatchOutput

    flagged = ticket(1, classification__needs_triage=True)
    sure = ticket(2)
    unclassified = ticket(3).model_copy(update={"classification": None})
    registry = CollectorRegistry()
    PipelineMetrics(registry).observe(
        ["webform"] * 3, encode_output(BatchOutput(tickets=[flagged, sure, unclassified])), 0.1)
    assert value(registry, "ticketflow_triage_total", channel="webform") == 1
    assert value(registry, "ticketflow_tickets_total", channel="webform") == 3


# --- routing ---------------------------------------------------------------------------------


def test_first_routings_are_counted_by_queue_intent_and_priority_with_their_latency() -> None:
    registry = CollectorRegistry()
    metrics = RoutingMetrics(registry)
    general = routed(ticket(1))  # the demo ruleset's default: general, P3
    vip = routed(ticket(2, enrichment__customer__segment="vip",
                        classification__intent="refund"))
    assert general.decision.default_applied and not vip.decision.default_applied
    again = routed(ticket(3), attempt=2)  # an SLA re-route: not a first routing
    metrics.observe_routed([general, vip, again], RECEIVED + timedelta(seconds=2))
    assert value(registry, "ticketflow_routed_total", queue="general", intent="other",
                 priority="P3") == 1
    assert value(registry, "ticketflow_routed_total", queue=vip.decision.queue,
                 intent="refund", priority=vip.decision.priority.value) == 1
    assert value(registry, "ticketflow_routing_default_total", queue="general") == 1
    assert value(registry, "ticketflow_routing_default_total", queue=vip.decision.queue) is None
    assert value(registry, "ticketflow_e2e_latency_seconds_count", channel="webform") == 2
    assert value(registry, "ticketflow_e2e_latency_seconds_sum", channel="webform") == 4.0
    assert value(registry, "ticketflow_e2e_latency_seconds_bucket", channel="webform",
                 le="1.0") == 0
    assert value(registry, "ticketflow_e2e_latency_seconds_bucket", channel="webform",
                 le="2.5") == 2


def test_a_ticket_received_in_the_future_counts_zero_latency_not_negative() -> None:
    registry = CollectorRegistry()
    RoutingMetrics(registry).observe_routed([routed(ticket(1))],
                                            RECEIVED - timedelta(seconds=30))
    assert value(registry, "ticketflow_e2e_latency_seconds_sum", channel="webform") == 0.0


# --- SLA -------------------------------------------------------------------------------------


def test_sla_metrics_count_live_and_replayed_breaches_apart_and_set_the_gauges() -> None:
    clock = Clock(RECEIVED + timedelta(seconds=10))
    stage = SlaStage(SlaConfig(load_policies_text(SHORT_POLICIES_YAML, "short")),
                     RULESET.route, clock)
    table: dict[str, Any] = {}

    def put(partition: int, key: str, v: bytes | None) -> None:
        if v is None:
            table.pop(key, None)
        else:
            table[key] = v

    from tests.sla.test_stage import routed_msg

    registry = CollectorRegistry()
    metrics = SlaMetrics(registry)
    fresh = [routed_msg(RoutedTicket(ticket=ticket(i, enrichment__customer__segment="high"),
                                     decision=RULESET.route(ticket(i)), routed_at=clock.now))
             for i in range(3)]
    out = stage.handle_batch(fresh, table.get)
    stage.stored(out.steps, table.get, put)
    metrics.census(stage.census)
    assert value(registry, "ticketflow_sla_open_tickets", queue="general",
                 policy="standard") == 3
    assert value(registry, "ticketflow_sla_open_clocks", queue="general", policy="standard",
                 metric="resolution") == 3

    from sla.stage import COMMANDS_TOPIC
    from tests.sla.test_stage import message

    def tick() -> Any:
        [(partition, body)] = stage.due_commands({0})
        out = stage.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
        stage.stored(out.steps, table.get, put)
        return out

    clock.now = RECEIVED + timedelta(seconds=91)  # first responses at 75 %
    tick()
    metrics.census(stage.census)
    assert value(registry, "ticketflow_sla_warned_clocks", queue="general", policy="standard",
                 metric="first_response") == 3
    # at 2 min every first response breaches, live, 0.5 s after its deadline
    clock.now = RECEIVED + timedelta(minutes=2, seconds=0.5)
    out = tick()
    # and an old ticket, first seen now: replayed
    old = ticket(9).model_copy(update={"received_at": RECEIVED - timedelta(days=3)})
    late = stage.handle(routed_msg(RoutedTicket(ticket=old, decision=RULESET.route(old),
                                                routed_at=clock.now)), table.get)
    stage.stored(late.steps, table.get, put)
    for o in (out, late):
        metrics.observe(o.events, o.reroutes, o.deadletters, o.breaches)
    metrics.census(stage.census)
    assert value(registry, "ticketflow_sla_breaches_total", queue="general",
                 policy="standard", metric="first_response", segment="high") == 3
    assert value(registry, "ticketflow_sla_breach_lateness_seconds_count",
                 metric="first_response") == 3
    assert value(registry, "ticketflow_sla_breach_lateness_seconds_sum",
                 metric="first_response") == 1.5
    assert value(registry, "ticketflow_sla_breaches_replayed_total", queue="general",
                 policy="standard", metric="first_response") == 1
    assert value(registry, "ticketflow_sla_breaches_replayed_total", queue="general",
                 policy="standard", metric="resolution") == 1
    assert value(registry, "ticketflow_sla_events_total", type="sla.breached",
                 metric="first_response") == 4
    # the breached first responses are no longer open; the resolutions run on
    assert value(registry, "ticketflow_sla_open_clocks", queue="general", policy="standard",
                 metric="first_response") == 0
    assert value(registry, "ticketflow_sla_open_clocks", queue="general", policy="standard",
                 metric="resolution") == 3
    assert value(registry, "ticketflow_sla_warned_clocks", queue="general", policy="standard",
                 metric="first_response") == 0  # warned earlier, then breached


def test_a_gauge_whose_count_fell_to_zero_says_zero() -> None:
    registry = CollectorRegistry()
    metrics = SlaMetrics(registry)
    census = OpenCensus()
    state = TicketSla.model_validate({
        "ticket_id": "tk_" + "1" * 24, "partition": 0, "attempt": 1, "queue": "billing",
        "clocks": [{"ticket_id": "tk_" + "1" * 24, "metric": "resolution", "policy": "gold",
                    "channel": "email", "priority": "P2", "status": "running",
                    "target": {"within": "PT1H"}, "warnings": [0.75],
                    "warnings_emitted": [0.75], "deadline": RECEIVED_AT}]})
    census.set(state.ticket_id, state)
    metrics.census(census)
    labels = {"queue": "billing", "policy": "gold"}
    assert value(registry, "ticketflow_sla_open_tickets", **labels) == 1
    assert value(registry, "ticketflow_sla_warned_clocks", **labels, metric="resolution") == 1
    census.rebuild([])  # a rebalance took the partition away
    metrics.census(census)
    assert value(registry, "ticketflow_sla_open_tickets", **labels) == 0
    assert value(registry, "ticketflow_sla_open_clocks", **labels, metric="resolution") == 0
    assert value(registry, "ticketflow_sla_warned_clocks", **labels, metric="resolution") == 0


# --- labels ----------------------------------------------------------------------------------


def test_no_label_value_is_a_ticket_id_or_a_customer() -> None:
    registry = CollectorRegistry()
    t = ticket(5, enrichment__customer__segment="vip")
    RoutingMetrics(registry).observe_routed([routed(t)], RECEIVED)
    PipelineMetrics(registry)
    SlaMetrics(registry)
    label_values = {v for family in registry.collect() for s in family.samples
                    for v in s.labels.values()}
    assert label_values  # the check below looks at something
    assert t.customer.email is not None
    for forbidden in (t.ticket_id, t.customer.email, "customer:C0001", t.body):
        assert not any(forbidden in v for v in label_values), forbidden


# --- the worker's wiring ---------------------------------------------------------------------


def test_the_runtime_collectors_go_on_the_injected_registry() -> None:
    registry = CollectorRegistry()
    register_runtime_collectors(registry)
    cpu = value(registry, "process_cpu_seconds_total")
    assert cpu is not None and cpu > 0
    assert value(registry, "process_resident_memory_bytes")
    assert value(registry, "python_gc_collections_total", generation="0") is not None
    assert any(f.name == "python_info" for f in registry.collect())
    assert value(CollectorRegistry(), "process_cpu_seconds_total") is None  # not global


def test_timed_returns_the_result_and_how_long_it_took() -> None:
    from streams.worker import timed

    result, seconds = timed(lambda: sum(range(1000)))
    assert result == 499500 and 0 <= seconds < 5


def test_every_partition_assignment_counts_a_rebalance(tmp_path: Path) -> None:
    from streams.app import build_app
    from streams.worker import count_rebalances

    async def run() -> float | None:
        registry = CollectorRegistry()
        app = build_app(Settings(app_id="metrics-test", data_dir=tmp_path), "127.0.0.1:9",
                        OffsetGuard.with_registry(CollectorRegistry()))
        count_rebalances(app, worker_metrics(registry))
        assert value(registry, "ticketflow_rebalances_total") == 0
        await app.on_partitions_assigned.send(set())  # as faust does after each rebalance
        await app.on_partitions_assigned.send(set())
        return value(registry, "ticketflow_rebalances_total")

    assert asyncio.run(run()) == 2


@pytest.mark.parametrize("name", ["ticketflow_rules_reloads_total",
                                  "ticketflow_rules_refused_total"])
def test_the_old_ruleset_counters_are_gone(name: str) -> None:
    from streams.rules_reload import RulesetHolder

    registry = CollectorRegistry()
    RulesetHolder(RULESET, registry)
    assert value(registry, name) is None
    assert value(registry, "ticketflow_ruleset_reloads_total", result="refused") == 0

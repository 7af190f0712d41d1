"""Live and replayed breaches (``sla.clock.breach_is_live``, ``sla.tracker.breaches``).

A breach is live when its clock was open, as far as the stage knew, when its deadline passed;
only then is its lateness a measure of ticketflow. A deadline that was already past when the
stage learned of it (an old ticket replayed, a backlog, a late help-desk event that starts or
resumes a clock) gives a replayed breach: counted apart, never a lateness sample. This is what
keeps one ingest of an old corpus from adding months of "lateness"."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry

from sla.clock import breach_is_live
from sla.policies import PolicySet
from sla.stage import COMMANDS_TOPIC, SlaStage
from sla.tracker import SlaConfig, TicketSla
from streams.metrics import SlaMetrics
from tests.sla.conftest import RECEIVED, ROUTED, TID, Router, make_ticket, tid
from tests.sla.test_stage import (
    Clock,
    Table,
    helpdesk_msg,
    message,
    route_and_store,
    routed_msg,
    tick,
)

S = timedelta(seconds=1)
M = timedelta(minutes=1)
FR_DEADLINE = RECEIVED + 2 * M  # short policies, standard: first response 2 min


@pytest.fixture
def clock() -> Clock:
    return Clock(ROUTED)


@pytest.fixture
def stage(short_policies: PolicySet, router: Router, clock: Clock) -> SlaStage:
    return SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def test_a_clock_that_runs_out_while_open_is_a_live_breach(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)  # at ROUTED, a minute before the deadline
    clock.now = FR_DEADLINE + 0.3 * S
    out = tick(stage, table, clock.now)
    [breach] = out.breaches
    assert (breach.event.type, breach.event.metric) == ("sla.breached", "first_response")
    assert breach.live
    assert breach.lateness_s == 0.3
    assert (breach.queue, breach.segment) == ("general", "unknown")  # not enriched


def test_a_ticket_first_seen_after_its_deadlines_gives_replayed_breaches_only(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    # an old corpus ingested today: the routed message arrives a week after received_at
    table = Table()
    clock.now = RECEIVED + timedelta(days=7)
    out = stage.handle(routed_msg(router.routed(routed_at=clock.now)), table.get)
    stage.stored(out.steps, table.get, table.put)
    assert [(b.event.metric, b.live) for b in out.breaches] == [
        ("first_response", False), ("resolution", False)]
    registry = CollectorRegistry()
    metrics = SlaMetrics(registry)
    metrics.observe(out.events, out.reroutes, out.deadletters, out.breaches)
    assert sample(registry, "ticketflow_sla_breaches_replayed_total", queue="general",
                  policy="standard", metric="first_response") == 1
    assert sample(registry, "ticketflow_sla_breaches_replayed_total", queue="general",
                  policy="standard", metric="resolution") == 1
    for metric in ("first_response", "resolution"):
        assert sample(registry, "ticketflow_sla_breach_lateness_seconds_count",
                      metric=metric) == 0
        assert sample(registry, "ticketflow_sla_breaches_total", queue="general",
                      policy="standard", metric=metric, segment="regular") == 0
    # the published events are the same as ever: counted by type, a week late
    assert sample(registry, "ticketflow_sla_events_total", type="sla.breached",
                  metric="first_response") == 1


def test_a_replayed_corpus_adds_no_lateness_at_all(
        short_policies: PolicySet, router: Router, clock: Clock) -> None:
    """The issue's measurement: one ingest of old tickets gave a lateness sum of 5.4e8 s."""
    stage = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    registry = CollectorRegistry()
    metrics = SlaMetrics(registry)
    table = Table()
    clock.now = RECEIVED + timedelta(days=30)
    batch = [routed_msg(router.routed(make_ticket(tid(i)), routed_at=clock.now), i % 4)
             for i in range(40)]
    out = stage.handle_batch(batch, table.get)
    stage.stored(out.steps, table.get, table.put)
    metrics.observe(out.events, out.reroutes, out.deadletters, out.breaches)
    # and the ticks that follow find nothing more to breach
    clock.now += timedelta(days=1)
    for partition in range(4):
        ids = [tid(i) for i in range(40) if i % 4 == partition]
        more = tick(stage, table, clock.now, *ids, partition=partition)
        metrics.observe(more.events, more.reroutes, more.deadletters, more.breaches)
    assert len(out.breaches) == 80 and not any(b.live for b in out.breaches)
    for metric in ("first_response", "resolution"):
        assert sample(registry, "ticketflow_sla_breach_lateness_seconds_sum", metric=metric) == 0
        assert sample(registry, "ticketflow_sla_breach_lateness_seconds_count",
                      metric=metric) == 0
        assert sample(registry, "ticketflow_sla_breaches_replayed_total", queue="general",
                      policy="standard", metric=metric) == 40


def test_a_breach_after_a_restart_is_live_and_late_by_the_downtime(
        short_policies: PolicySet, router: Router, clock: Clock) -> None:
    stage = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    table = Table()
    route_and_store(stage, router, table)
    # the worker is down from now until 5 minutes past the deadline; a new one takes over
    clock.now = FR_DEADLINE + 5 * M
    fresh = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    fresh.rebuild(table.items(), {0})
    [(partition, body)] = fresh.due_commands({0})  # the restarted timer's command
    out = fresh.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
    [breach] = out.breaches
    assert breach.live and breach.lateness_s == 300.0


def test_a_late_reply_to_an_open_clock_is_a_live_breach(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    # no tick ran since the deadline (say the timer was held up); the reply comes after it
    clock.now = FR_DEADLINE + 6 * S
    out = stage.handle(helpdesk_msg("agent_replied", FR_DEADLINE + 5 * S, agent_id="a1"),
                       table.get)
    [breach] = out.breaches
    assert breach.event.metric == "first_response"
    assert breach.live and breach.lateness_s == 6.0


def test_a_clock_started_by_a_late_helpdesk_event_breaches_as_replayed(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    clock.now = RECEIVED + 60 * S
    out = stage.handle(helpdesk_msg("agent_replied", RECEIVED + 60 * S, agent_id="a1"),
                       table.get)
    stage.stored(out.steps, table.get, table.put)
    # the customer's answer at +3 min reaches the stage only at +20 min (a help-desk backlog):
    # its next-response clock (2 min) was over before ticketflow heard of it
    clock.now = RECEIVED + 20 * M
    out = stage.handle(helpdesk_msg("customer_replied", RECEIVED + 3 * M), table.get)
    stage.stored(out.steps, table.get, table.put)
    assert out.breaches == []  # started now, breached at the next tick
    out = tick(stage, table, clock.now)
    [breach] = out.breaches
    assert (breach.event.metric, breach.event.cycle, breach.live) == ("next_response", 1, False)


def test_a_clock_resumed_too_late_breaches_as_replayed_one_resumed_in_time_live(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    clock.now = RECEIVED + 10 * M
    for event in (helpdesk_msg("agent_replied", RECEIVED + 1 * M, agent_id="a1"),
                  helpdesk_msg("status_changed", RECEIVED + 10 * M, status="pending")):
        out = stage.handle(event, table.get)
        stage.stored(out.steps, table.get, table.put)
    # resolution paused after 10 of its 60 min; reopened at +20 min (50 min left: due at
    # +70 min), but the help desk sends that only at +2 h
    clock.now = RECEIVED + 120 * M
    out = stage.handle(helpdesk_msg("status_changed", RECEIVED + 20 * M, status="open"),
                       table.get)
    stage.stored(out.steps, table.get, table.put)
    resolution = next(c for c in out.steps[-1].state.clocks if c.metric == "resolution")
    assert resolution.deadline == RECEIVED + 70 * M and resolution.armed_at == clock.now
    [breach] = tick(stage, table, clock.now).breaches
    assert (breach.event.metric, breach.live) == ("resolution", False)

    # the same pause and reopening, heard in time: the clock was open when it ran out
    table = Table()
    clock.now = ROUTED
    route_and_store(stage, router, table, ticket_id=tid(2))
    for at, event in ((RECEIVED + 10 * M, helpdesk_msg("status_changed", RECEIVED + 10 * M,
                                                       ticket_id=tid(2), status="pending")),
                      (RECEIVED + 20 * M, helpdesk_msg("status_changed", RECEIVED + 20 * M,
                                                       ticket_id=tid(2), status="open"))):
        clock.now = at
        out = stage.handle(event, table.get)
        stage.stored(out.steps, table.get, table.put)
    clock.now = RECEIVED + 70 * M + 2 * S
    breaches = tick(stage, table, clock.now, tid(2)).breaches
    assert [(b.event.metric, b.live, b.lateness_s) for b in breaches] == [
        ("resolution", True, 2.0)]


def test_a_state_stored_before_armed_at_existed_cannot_give_a_live_breach(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    data = json.loads(table[TID])
    for c in data["clocks"]:
        del c["armed_at"]
    table[TID] = json.dumps(data).encode()
    clock.now = FR_DEADLINE + S
    [breach] = tick(stage, table, clock.now).breaches
    assert not breach.live


def test_breaches_carry_the_queue_and_the_customers_segment(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    vip = make_ticket(tid(1), enrichment__customer__segment="vip")
    unknown = make_ticket(tid(2))  # not enriched: no customer
    clock.now = RECEIVED + 10 * S  # before the vip's first response is due (1 min)
    for ticket in (vip, unknown):
        out = stage.handle(routed_msg(router.routed(ticket, routed_at=clock.now)), table.get)
        stage.stored(out.steps, table.get, table.put)
    assert TicketSla.model_validate_json(table[tid(1)]).segment == "vip"
    clock.now = RECEIVED + 3 * M
    out = tick(stage, table, clock.now, tid(1), tid(2))
    labels = sorted((b.event.ticket_id, b.queue, b.event.policy, b.segment, b.live)
                    for b in out.breaches)
    assert labels == [(tid(1), "vip", "urgent", "vip", True),
                      (tid(2), "general", "standard", "unknown", True)]


def test_breach_is_live_pairs_the_event_with_its_clock_by_metric_cycle_and_deadline(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    state = route_and_store(stage, router, table)
    clock.now = FR_DEADLINE + S
    [breach] = tick(stage, table, clock.now).breaches
    event = breach.event
    assert breach_is_live(event, state.clocks)
    # the same clock armed after its deadline (its armed_at moved): replayed
    late = tuple(c.model_copy(update={"armed_at": FR_DEADLINE}) for c in state.clocks)
    assert not breach_is_live(event, late)
    # no clock of that deadline before the step: armed in the step, at emitted_at
    assert not breach_is_live(event, ())
    assert breach_is_live(event.model_copy(update={"emitted_at": FR_DEADLINE - S}), ())
    # another ticket's clock is not this one's
    other = tuple(c.model_copy(update={"ticket_id": tid(9)}) for c in state.clocks)
    assert not breach_is_live(event, other)
    assert ROUTED < FR_DEADLINE

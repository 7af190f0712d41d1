"""The open-ticket and open/warned-clock counts the SLA stage keeps as it stores states
(``sla.census``): always what a full recount of the owned partitions' states would say."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from sla.census import OpenCensus, share_of
from sla.policies import PolicySet
from sla.stage import SlaStage
from sla.tracker import SlaConfig, TicketSla
from tests.sla.conftest import RECEIVED, ROUTED, Router, make_ticket, tid
from tests.sla.test_stage import Clock, Table, helpdesk_msg, routed_msg, tick

S = timedelta(seconds=1)
M = timedelta(minutes=1)
GENERAL = ("general", "standard")


@pytest.fixture
def clock() -> Clock:
    return Clock(ROUTED)


@pytest.fixture
def stage(short_policies: PolicySet, router: Router, clock: Clock) -> SlaStage:
    return SlaStage(SlaConfig(short_policies, assign_within=10 * M, forget_after=M),
                    router, clock)


def recount(table: Table, owned: set[int] | None = None) -> OpenCensus:
    census = OpenCensus()
    census.rebuild((key, TicketSla.model_validate_json(raw)) for key, raw in table.items()
                   if "/" not in key
                   and (owned is None or TicketSla.model_validate_json(raw).partition in owned))
    return census


def counts(census: OpenCensus) -> tuple[dict, dict, dict]:
    """The non-zero counts (a zero keeps its key so its gauge says 0)."""
    return tuple({k: n for k, n in c.items() if n}  # type: ignore[return-value]
                 for c in (census.tickets, census.clocks, census.warned))


def route(stage: SlaStage, router: Router, table: Table, *ids: str, partition: int = 0,
          **overrides: str) -> None:
    batch = [routed_msg(router.routed(make_ticket(i, **overrides)), partition) for i in ids]
    out = stage.handle_batch(batch, table.get)
    stage.stored(out.steps, table.get, table.put)


def event(stage: SlaStage, table: Table, *args: object, **kwargs: object) -> None:
    out = stage.handle(helpdesk_msg(*args, **kwargs), table.get)  # type: ignore[arg-type]
    stage.stored(out.steps, table.get, table.put)


def test_routed_tickets_are_open_with_their_running_clocks(
        stage: SlaStage, router: Router) -> None:
    table = Table()
    route(stage, router, table, tid(1), tid(2), tid(3))
    census = stage.census
    assert census.tickets == {GENERAL: 3}
    assert census.clocks == {(*GENERAL, "first_response"): 3, (*GENERAL, "resolution"): 3}
    assert census.warned == {}  # next_response idle: not open
    assert len(census) == 3


def test_warnings_replies_pauses_breaches_and_forgetting_move_the_counts(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route(stage, router, table, tid(1), tid(2))
    clock.now = RECEIVED + 91 * S  # first response at 75 %
    tick(stage, table, clock.now, tid(1), tid(2))
    assert stage.census.warned == {(*GENERAL, "first_response"): 2}

    event(stage, table, "agent_replied", clock.now, ticket_id=tid(1), agent_id="a1")
    assert stage.census.warned == {(*GENERAL, "first_response"): 1}
    assert stage.census.clocks[(*GENERAL, "first_response")] == 1

    event(stage, table, "status_changed", clock.now, ticket_id=tid(1), status="pending")
    # paused: still open (the ticket is not done), still counted
    assert stage.census.clocks[(*GENERAL, "resolution")] == 2

    clock.now = RECEIVED + 2 * M  # tid(2)'s first response breaches: no longer open/warned
    tick(stage, table, clock.now, tid(2))
    assert stage.census.warned[(*GENERAL, "first_response")] == 0  # 0, key kept
    assert stage.census.clocks[(*GENERAL, "first_response")] == 0
    assert stage.census.tickets[GENERAL] == 2  # both still have a resolution clock

    event(stage, table, "status_changed", clock.now, ticket_id=tid(1), status="solved")
    assert stage.census.tickets[GENERAL] == 1
    clock.now += 2 * M  # past the grace period: tid(1) forgotten
    tick(stage, table, clock.now, tid(1))
    assert tid(1) not in table
    assert counts(stage.census) == counts(recount(table))
    assert stage.census.tickets[GENERAL] == 1


def test_a_rerouted_ticket_moves_to_its_new_queue(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route(stage, router, table, tid(1))
    clock.now = ROUTED + 5 * S
    out = stage.handle(helpdesk_msg("declined", clock.now, ticket_id=tid(1), agent_id="a1"),
                       table.get)
    stage.stored(out.steps, table.get, table.put)
    [rerouted] = out.reroutes
    assert stage.census.tickets == {(rerouted.decision.queue, "standard"): 1} | (
        {GENERAL: 0} if rerouted.decision.queue != "general" else {})


def test_a_rebuild_counts_the_owned_partitions_only_and_zeroes_the_rest(
        stage: SlaStage, router: Router) -> None:
    table = Table()
    route(stage, router, table, tid(1), tid(2), partition=0)
    route(stage, router, table, tid(3), partition=1,
          enrichment__customer__segment="vip")  # queue vip, policy urgent
    assert stage.census.tickets == {GENERAL: 2, ("vip", "urgent"): 1}
    stage.rebuild(table.items(), {0})
    assert stage.census.tickets == {GENERAL: 2, ("vip", "urgent"): 0}
    assert len(stage.census) == 2
    stage.rebuild(table.items(), set())
    assert counts(stage.census) == ({}, {}, {})
    assert set(stage.census.tickets) == {GENERAL, ("vip", "urgent")}


def test_an_unrouted_state_and_a_ticket_with_no_open_clock_have_no_share(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    event(stage, table, "assigned", ROUTED, ticket_id=tid(1), agent_id="a1")  # early event
    assert share_of(TicketSla.model_validate_json(table[tid(1)])) is None
    assert len(stage.census) == 0
    route(stage, router, table, tid(2))
    share = share_of(TicketSla.model_validate_json(table[tid(2)]))
    assert share == ("general", "standard", ("first_response", "resolution"), ())


def test_the_kept_counts_equal_a_recount_after_any_sequence(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    rng = random.Random(13)
    table = Table()
    ids = [tid(i) for i in range(30)]
    route(stage, router, table, *ids[:20])
    seen: set[str] = set()  # the run went through every kind of count
    for _ in range(300):
        clock.now += rng.choice([0, 5, 30, 60]) * S
        ticket_id = rng.choice(ids)
        kind = rng.randrange(6)
        if kind == 0:
            route(stage, router, table, ticket_id)
        elif kind == 1:
            event(stage, table, "agent_replied", clock.now, ticket_id=ticket_id, agent_id="a")
        elif kind == 2:
            event(stage, table, "customer_replied", clock.now, ticket_id=ticket_id)
        elif kind == 3:
            event(stage, table, "status_changed", clock.now, ticket_id=ticket_id,
                  status=rng.choice(["pending", "open", "solved", "on_hold"]))
        else:
            for partition, body in stage.due_commands({0}):
                out = stage.handle_batch([_command(partition, body)], table.get)
                stage.stored(out.steps, table.get, table.put)
        assert counts(stage.census) == counts(recount(table))
        seen |= {name for name, c in zip(("tickets", "clocks", "warned"),
                                         counts(stage.census), strict=True) if c}
    assert seen == {"tickets", "clocks", "warned"}
    assert sum(stage.census.tickets.values()) < 20  # and many tickets were done by the end


def _command(partition: int, body: bytes):  # type: ignore[no-untyped-def]
    from sla.stage import COMMANDS_TOPIC
    from tests.sla.test_stage import message

    return message(COMMANDS_TOPIC, body, partition, key=None)

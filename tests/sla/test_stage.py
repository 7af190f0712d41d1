from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import pytest

from schemas.deadletter import ErrorCode
from schemas.routing import RoutedTicket
from sla.events import SlaEvent
from sla.policies import PolicySet
from sla.stage import (
    COMMANDS_TOPIC,
    HELPDESK_TOPIC,
    ROUTED_TOPIC,
    InMessage,
    SlaStage,
    TickCommand,
    owned_partitions,
)
from sla.tracker import SlaConfig, TicketSla
from tests.conftest import ManualClock as Clock
from tests.sla.conftest import RECEIVED, ROUTED, TID, Router, make_ticket, tid

S = timedelta(seconds=1)
M = timedelta(minutes=1)
FR_WARN_75 = RECEIVED + 90 * S
FR_DEADLINE = RECEIVED + 2 * M
RES_WARN_75 = RECEIVED + 45 * M


def empty_table(ticket_id: str) -> Any:
    return None


class Table(dict[str, Any]):
    """A dict standing in for the faust table, counting writes."""

    def __init__(self) -> None:
        super().__init__()
        self.puts: list[str] = []
        self.ticket_puts: list[str] = []  # the ticket copies, kept under "<id>/ticket"
        self.deletes: list[str] = []  # tombstones

    def put(self, partition: int, key: str, value: Any) -> None:
        if value is None:
            assert key in self  # only what exists is deleted
            self.deletes.append(key)
            del self[key]
            return
        if key.endswith("/ticket"):
            self.ticket_puts.append(key)
        else:
            assert json.loads(value)["partition"] == partition  # the ticket's own partition
            self.puts.append(key)
        self[key] = value


@pytest.fixture
def clock() -> Clock:
    return Clock(ROUTED)


@pytest.fixture
def stage(short_policies: PolicySet, router: Router, clock: Clock) -> SlaStage:
    return SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)


def message(topic: str, value: bytes | str, partition: int = 0, offset: int = 7,
            key: str | None = TID) -> InMessage:
    raw = value.encode() if isinstance(value, str) else value
    return InMessage(topic=topic, partition=partition, offset=offset, value=raw,
                     timestamp=RECEIVED, key=key.encode() if key is not None else None)


def routed_msg(routed: RoutedTicket, partition: int = 0) -> InMessage:
    return message(ROUTED_TOPIC, routed.model_dump_json(), partition,
                   key=routed.ticket.ticket_id)


def helpdesk_msg(type_: str, at: datetime, ticket_id: str = TID, partition: int = 0,
                 **extra: Any) -> InMessage:
    body = {"ticket_id": ticket_id, "type": type_, "at": at.isoformat(), **extra}
    return message(HELPDESK_TOPIC, json.dumps(body), partition, key=ticket_id)


def kinds(events: list[Any]) -> list[tuple[str, str, str]]:
    return [(e.ticket_id, e.type, e.metric) for e in events]


def route_and_store(stage: SlaStage, router: Router, table: Table, ticket_id: str = TID,
                    partition: int = 0) -> TicketSla:
    out = stage.handle(routed_msg(router.routed(make_ticket(ticket_id)), partition), table.get)
    stage.stored(out.steps, table.get, table.put)
    return out.steps[0].state


def test_routed_message_opens_clocks_and_is_stored(stage: SlaStage, router: Router) -> None:
    table = Table()
    out = stage.handle(routed_msg(router.routed(), partition=1), table.get)
    assert kinds(out.events) == [(TID, "sla.applied", "first_response"),
                                 (TID, "sla.applied", "resolution")]
    assert all(isinstance(e, SlaEvent) and e.emitted_at == ROUTED for e in out.events)
    assert out.reroutes == [] and out.deadletters == []
    assert table == {}  # nothing stored before stored()
    stage.stored(out.steps, table.get, table.put)
    assert table.puts == [TID] and table.ticket_puts == [TID + "/ticket"]
    state = TicketSla.model_validate_json(table[TID])
    assert state == out.steps[0].state.model_copy(update={"ticket": None})
    assert stage.load(table.get, TID, with_ticket=True) == out.steps[0].state
    assert state.partition == 1 and state.attempt == 1
    assert isinstance(table[TID], bytes)  # JSON bytes, parsed on use
    assert stage.index.next_at() == FR_WARN_75
    assert len(stage.index) == 1


def test_redelivered_routed_message_is_not_rewritten(stage: SlaStage, router: Router,
                                                     short_policies: PolicySet,
                                                     clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    assert table.puts == [TID]
    clock.now = ROUTED + 5 * S
    out = stage.handle(routed_msg(router.routed()), table.get)
    assert out.events == [] and out.reroutes == []
    stage.stored(out.steps, table.get, table.put)
    assert table.puts == [TID]  # no second write
    assert stage.index.next_at() == FR_WARN_75

    # the same after a restart: a new stage reading the state from the table
    fresh = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    out = fresh.handle(routed_msg(router.routed()), table.get)
    assert out.events == []
    fresh.stored(out.steps, table.get, table.put)
    assert table.puts == [TID]


def test_helpdesk_event_moves_clocks(stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    clock.now = RECEIVED + 61 * S
    out = stage.handle(helpdesk_msg("agent_replied", RECEIVED + 60 * S, agent_id="a1"),
                       table.get)
    assert kinds(out.events) == [(TID, "sla.fulfilled", "first_response")]
    assert out.events[0].emitted_at == clock.now
    stage.stored(out.steps, table.get, table.put)
    assert table.puts == [TID, TID]
    stored = TicketSla.model_validate_json(table[TID])
    assert [c.status for c in stored.clocks] == ["fulfilled", "idle", "running"]
    # the assignment deadline (routed + 10 min) is next now the first response is done
    assert stage.index.next_at() == ROUTED + 10 * M


def test_helpdesk_event_before_routed_is_kept(stage: SlaStage, router: Router,
                                              clock: Clock) -> None:
    table = Table()
    clock.now = RECEIVED + 31 * S
    out = stage.handle(helpdesk_msg("assigned", RECEIVED + 30 * S, agent_id="a1",
                                    extra_field="ignored"), table.get)
    assert out.events == [] and out.deadletters == []
    stage.stored(out.steps, table.get, table.put)
    waiting = TicketSla.model_validate_json(table[TID])
    assert waiting.ticket is None and len(waiting.early_events) == 1
    # nothing to fire; only forgetting it if its routed message never comes
    assert stage.index.next_at() == RECEIVED + 30 * S + timedelta(days=7)

    clock.now = ROUTED
    out = stage.handle(routed_msg(router.routed()), table.get)
    stage.stored(out.steps, table.get, table.put)
    state = TicketSla.model_validate_json(table[TID])
    assert state.assigned_to == "a1" and state.early_events == ()
    assert stage.index.next_at() == FR_WARN_75


SURVEYS = [("csat_submitted", {"score": 1}), ("csat_submitted", {"score": 5, "comment": "ok"}),
           ("nps_submitted", {"score": 0}), ("nps_submitted", {"score": 10, "comment": None})]


@pytest.mark.parametrize(("type_", "fields"), SURVEYS)
def test_a_survey_result_moves_no_clock_and_stores_nothing(
        stage: SlaStage, router: Router, clock: Clock, type_: str, fields: dict[str, Any]) -> None:
    """CSAT and NPS are survey results, not agent or customer actions: accepted (no dead
    letter, so no rejection counted), no step, the stored state and the schedule untouched."""
    table = Table()
    route_and_store(stage, router, table)
    before, scheduled = dict(table), stage.index.next_at()
    clock.now = RECEIVED + 61 * S
    out = stage.handle(helpdesk_msg(type_, RECEIVED + 60 * S, **fields), table.get)
    assert out.steps == [] and out.events == [] and out.deadletters == [] and out.reroutes == []
    stage.stored(out.steps, table.get, table.put)
    assert table == before and table.puts == [TID]
    assert stage.index.next_at() == scheduled == FR_WARN_75
    # the clocks still wait for the agent: the survey did not count as a reply
    out = stage.handle(helpdesk_msg("agent_replied", RECEIVED + 62 * S), table.get)
    assert kinds(out.events) == [(TID, "sla.fulfilled", "first_response")]


def test_a_survey_before_the_routed_message_is_not_kept(stage: SlaStage, router: Router,
                                                        clock: Clock) -> None:
    """Unlike a clock event it is not kept for later: nothing to apply, and its comment
    (personal data) is never stored by this worker (no state, so nothing for erasure)."""
    table = Table()
    clock.now = RECEIVED + 31 * S
    out = stage.handle(helpdesk_msg("nps_submitted", RECEIVED + 30 * S, score=9), table.get)
    stage.stored(out.steps, table.get, table.put)
    assert table == {} and len(stage.index) == 0
    batch = [helpdesk_msg("csat_submitted", RECEIVED + 30 * S, score=2,
                          comment="Call me on +44 7700 900123"),
             helpdesk_msg("assigned", RECEIVED + 31 * S, agent_id="a1")]
    out = stage.handle_batch(batch, table.get)
    assert out.deadletters == [] and len(out.steps) == 1
    stage.stored(out.steps, table.get, table.put)
    waiting = TicketSla.model_validate_json(table[TID])
    assert [e.type for e in waiting.early_events] == ["assigned"]
    assert "7700" not in repr(dict(table))


def test_declined_reroutes_and_the_echo_is_a_redelivery(stage: SlaStage, router: Router,
                                                        clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    clock.now = RECEIVED + 70 * S
    out = stage.handle(helpdesk_msg("declined", RECEIVED + 70 * S, agent_id="a1"), table.get)
    assert out.events == []
    assert [(r.attempt, r.exclude_agents) for r in out.reroutes] == [(2, ("a1",))]
    stage.stored(out.steps, table.get, table.put)
    assert TicketSla.model_validate_json(table[TID]).attempt == 2
    puts = len(table.puts)
    # the worker publishes the re-route to tickets.routed; it comes back to this stage
    echo = stage.handle(routed_msg(out.reroutes[0]), table.get)
    assert echo.events == [] and echo.reroutes == []
    stage.stored(echo.steps, table.get, table.put)
    assert len(table.puts) == puts


def test_due_commands_round_trip_through_handle(stage: SlaStage, router: Router,
                                                clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    clock.now = FR_WARN_75 - S
    assert stage.due_commands({0}) == []
    clock.now = FR_DEADLINE
    commands = stage.due_commands({0})
    assert len(commands) == 1
    partition, body = commands[0]
    command = TickCommand.model_validate_json(body)
    assert partition == 0
    assert command.at == FR_DEADLINE and command.tickets == (TID,)
    assert stage.due_commands({0}) == []  # handed over: not sent twice

    clock.now = FR_DEADLINE + 2 * S  # the command is consumed a little later
    out = stage.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
    # the breach overtakes both warnings
    assert kinds(out.events) == [(TID, "sla.breached", "first_response")]
    assert out.events[0].emitted_at == clock.now
    stage.stored(out.steps, table.get, table.put)
    assert TicketSla.model_validate_json(table[TID]).clocks[0].status == "breached"
    assert stage.index.next_at() == ROUTED + 10 * M  # the assignment deadline

    # the same command redelivered: nothing new
    again = stage.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
    assert again.events == []


def test_command_time_is_used_when_the_clock_lags(stage: SlaStage, router: Router,
                                                  clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table)
    body = TickCommand(at=FR_DEADLINE, tickets=(TID,)).model_dump_json()
    clock.now = FR_DEADLINE - 30 * S  # this worker's clock is behind the sender's
    out = stage.handle(message(COMMANDS_TOPIC, body), table.get)
    assert kinds(out.events) == [(TID, "sla.breached", "first_response")]
    assert out.events[0].emitted_at == FR_DEADLINE


def test_due_commands_chunk_per_partition(stage: SlaStage, router: Router,
                                          clock: Clock) -> None:
    table = Table()
    on_p0 = [tid(n) for n in range(1, 6)]
    on_p1 = [tid(n) for n in range(6, 8)]
    on_p2 = [tid(9)]
    for ticket_id in on_p0:
        route_and_store(stage, router, table, ticket_id, partition=0)
    for ticket_id in on_p1:
        route_and_store(stage, router, table, ticket_id, partition=1)
    route_and_store(stage, router, table, on_p2[0], partition=2)

    clock.now = FR_DEADLINE
    commands = stage.due_commands({0, 1}, chunk=2)
    parsed = [(p, TickCommand.model_validate_json(b).tickets) for p, b in commands]
    assert [(p, len(t)) for p, t in parsed] == [(0, 2), (0, 2), (0, 1), (1, 2)]
    assert sorted(t for p, ts in parsed if p == 0 for t in ts) == on_p0
    assert sorted(t for p, ts in parsed if p == 1 for t in ts) == on_p1

    out_events: list[Any] = []
    for partition, body in commands:
        out = stage.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
        stage.stored(out.steps, table.get, table.put)
        out_events += out.events
    assert sorted(kinds(out_events)) == sorted(
        (t, "sla.breached", "first_response") for t in on_p0 + on_p1)


def test_command_for_a_ticket_of_another_partition_is_ignored(stage: SlaStage,
                                                              router: Router,
                                                              clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table, partition=0)
    clock.now = FR_DEADLINE
    body = TickCommand(at=FR_DEADLINE, tickets=(TID, tid(99))).model_dump_json()
    out = stage.handle(message(COMMANDS_TOPIC, body, partition=1, key=None), table.get)
    assert out.steps == [] and out.events == []
    # the right partition fires it; the unknown ticket is skipped
    out = stage.handle(message(COMMANDS_TOPIC, body, partition=0, key=None), table.get)
    assert kinds(out.events) == [(TID, "sla.breached", "first_response")]
    assert len(out.steps) == 1


def test_rebuild_indexes_owned_partitions_only(
        stage: SlaStage, router: Router, clock: Clock, short_policies: PolicySet) -> None:
    table = Table()
    a, b, c, closed = tid(1), tid(2), tid(3), tid(4)
    route_and_store(stage, router, table, a, partition=0)
    route_and_store(stage, router, table, b, partition=1)
    route_and_store(stage, router, table, c, partition=2)
    route_and_store(stage, router, table, closed, partition=0)
    out = stage.handle(helpdesk_msg("status_changed", ROUTED, closed, status="solved"),
                       table.get)
    stage.stored(out.steps, table.get, table.put)
    assert TicketSla.model_validate_json(table[closed]).closed

    fresh = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    # the solved one is indexed too: to be forgotten a week after it was solved
    assert fresh.rebuild([*table.items(), (tid(5), None)], {0, 2}) == 3
    assert fresh.index.next_at() == FR_WARN_75
    assert fresh.index.pop_due(FR_DEADLINE, {0, 1, 2}) == {0: [a], 2: [c]}

    # a rebuild for another assignment forgets what it indexed before
    assert fresh.rebuild(table.items(), {1}) == 1
    assert fresh.index.pop_due(FR_DEADLINE, {0, 1, 2}) == {1: [b]}


def test_after_a_rebuild_a_redelivery_costs_no_write(stage: SlaStage, router: Router,
                                                       clock: Clock,
                                                       short_policies: PolicySet) -> None:
    table = Table()
    route_and_store(stage, router, table)
    fresh = SlaStage(SlaConfig(short_policies, assign_within=10 * M), router, clock)
    fresh.rebuild(table.items(), {0})
    out = fresh.handle(routed_msg(router.routed()), table.get)
    assert out.events == []
    fresh.stored(out.steps, table.get, table.put)
    assert table.puts == [TID]


def test_invalid_helpdesk_json_is_dead_lettered(stage: SlaStage, clock: Clock) -> None:
    table = Table()
    clock.now = RECEIVED + 5 * M
    raw = b'{"ticket_id": "tk_1", "type": '
    out = stage.handle(message(HELPDESK_TOPIC, raw, partition=2, offset=41), table.get)
    assert out.steps == [] and out.events == [] and out.reroutes == []
    assert len(out.deadletters) == 1
    dl = out.deadletters[0]
    assert dl.error_code == ErrorCode.INVALID_JSON
    assert dl.channel == "helpdesk"
    assert (dl.source.topic, dl.source.partition, dl.source.offset, dl.source.key) == (
        HELPDESK_TOPIC, 2, 41, TID)
    assert base64.b64decode(dl.payload_base64) == raw and dl.payload_size == len(raw)
    assert dl.failed_at == clock.now
    stage.stored(out.steps, table.get, table.put)
    assert table == {} and len(stage.index) == 0


def test_helpdesk_event_missing_a_field_is_dead_lettered(stage: SlaStage) -> None:
    raw = json.dumps({"type": "assigned", "at": RECEIVED.isoformat()})
    out = stage.handle(message(HELPDESK_TOPIC, raw), empty_table)
    assert [d.error_code for d in out.deadletters] == [ErrorCode.MISSING_FIELD]
    assert "ticket_id" in out.deadletters[0].reason
    assert out.steps == []


def test_helpdesk_event_with_a_bad_value_is_dead_lettered(stage: SlaStage) -> None:
    raw = json.dumps({"ticket_id": TID, "type": "teleported", "at": RECEIVED.isoformat()})
    out = stage.handle(message(HELPDESK_TOPIC, raw), empty_table)
    assert [d.error_code for d in out.deadletters] == [ErrorCode.SCHEMA_VALIDATION]
    assert any(d.startswith("type:") for d in out.deadletters[0].details)


def test_reschedule_puts_tickets_back(stage: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(stage, router, table, tid(1), partition=0)
    route_and_store(stage, router, table, tid(2), partition=1)
    clock.now = FR_DEADLINE
    commands = stage.due_commands({0, 1})
    assert [p for p, _ in commands] == [0, 1]
    assert len(stage.index) == 0
    stage.reschedule(commands)  # sending them failed
    assert len(stage.index) == 2
    assert stage.index.next_at() == FR_DEADLINE
    clock.now = FR_DEADLINE + S
    again = stage.due_commands({0, 1})
    assert [(p, TickCommand.model_validate_json(b).tickets) for p, b in again] == [
        (0, (tid(1),)), (1, (tid(2),))]
    assert [TickCommand.model_validate_json(b).at for _, b in again] == [clock.now] * 2


class TP(NamedTuple):
    topic: str
    partition: int


def test_owned_partitions_are_those_of_the_command_topic() -> None:
    assignment = [TP(COMMANDS_TOPIC, 0), TP(ROUTED_TOPIC, 1), TP(COMMANDS_TOPIC, 3),
                  TP(HELPDESK_TOPIC, 0)]
    assert owned_partitions(assignment, COMMANDS_TOPIC) == {0, 3}
    assert owned_partitions([], COMMANDS_TOPIC) == set()


def test_a_batch_threads_each_tickets_newest_state(stage: SlaStage, router: Router) -> None:
    """Routed + a reply for the same ticket in one micro-batch: the reply sees the open clocks,
    and only the final state is written, once."""
    table = Table()
    out = stage.handle_batch([routed_msg(router.routed()),
                              helpdesk_msg("agent_replied", RECEIVED + 30 * S)], table.get)
    assert [e.type for e in out.events].count("sla.fulfilled") == 1
    stage.stored(out.steps, table.get, table.put)
    assert table.puts == [TID]
    assert TicketSla.model_validate_json(table[TID]).clocks[0].status == "fulfilled"


def test_assignment_timeout_tick_loads_the_routed_ticket_and_reroutes(
        stage: SlaStage, router: Router, clock: Clock) -> None:
    """The routed ticket is stored apart from the state; a tick that reaches the assignment
    deadline loads it back and re-routes (attempt 2, reason unassigned)."""
    table = Table()
    state = route_and_store(stage, router, table)
    assert state.assign_by is not None
    clock.now = state.assign_by
    body = TickCommand(at=state.assign_by, tickets=(TID,)).model_dump_json()
    out = stage.handle(message(COMMANDS_TOPIC, body, key=None), table.get)
    assert [(r.attempt, r.ticket.routing.reason if r.ticket.routing else None)
            for r in out.reroutes] == [(2, "unassigned")]
    stage.stored(out.steps, table.get, table.put)
    assert table.ticket_puts == [TID + "/ticket", TID + "/ticket"]  # opened, then re-routed
    reloaded = stage.load(table.get, TID, with_ticket=True)
    assert reloaded is not None and reloaded.ticket is not None
    assert reloaded.ticket.routing is not None and reloaded.ticket.routing.attempt == 2


# --- bounded state: solved tickets are forgotten after a grace period ----------------------

GRACE = timedelta(hours=1)


@pytest.fixture
def forgetful(short_policies: PolicySet, router: Router, clock: Clock) -> SlaStage:
    return SlaStage(SlaConfig(short_policies, assign_within=10 * M, forget_after=GRACE),
                    router, clock)


def tick(stage: SlaStage, table: Table, at: datetime, *ids: str, partition: int = 0) -> Any:
    body = TickCommand(at=at, tickets=ids or (TID,)).model_dump_json()
    out = stage.handle(message(COMMANDS_TOPIC, body, partition, key=None), table.get)
    stage.stored(out.steps, table.get, table.put)
    return out


def route_and_solve(stage: SlaStage, router: Router, table: Table, clock: Clock) -> datetime:
    """The ticket routed, then solved a minute after it came in; returns when."""
    route_and_store(stage, router, table)
    solved_at = RECEIVED + 60 * S
    clock.now = solved_at
    out = stage.handle(helpdesk_msg("status_changed", solved_at, status="solved"), table.get)
    stage.stored(out.steps, table.get, table.put)
    return solved_at


def test_solved_ticket_is_deleted_after_the_grace_period(
        forgetful: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    solved_at = route_and_solve(forgetful, router, table, clock)
    state = TicketSla.model_validate_json(table[TID])
    assert state.closed and state.closed_at == solved_at
    assert {c.status for c in state.clocks} <= {"fulfilled", "stopped"}
    # solved: no re-route can happen, so the ticket copy is already gone
    assert table.deletes == [TID + "/ticket"]
    assert forgetful.index.next_at() == solved_at + GRACE

    clock.now = solved_at + GRACE - S
    assert tick(forgetful, table, clock.now).steps[0].forget is False
    assert TID in table

    clock.now = solved_at + GRACE
    out = tick(forgetful, table, clock.now)
    assert out.events == [] and out.steps[0].forget
    assert table == {} and table.deletes == [TID + "/ticket", TID]
    assert len(forgetful.index) == 0
    # a late tick for it finds nothing and writes nothing
    assert tick(forgetful, table, clock.now + S).steps == []
    assert table == {}


def test_a_ticket_reopened_within_the_grace_period_is_kept(
        forgetful: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    route_and_store(forgetful, router, table)
    clock.now = RECEIVED + 60 * S
    for status, at in (("solved", RECEIVED + 60 * S), ("open", RECEIVED + 70 * S)):
        out = forgetful.handle(helpdesk_msg("status_changed", at, status=status), table.get)
        forgetful.stored(out.steps, table.get, table.put)
    state = TicketSla.model_validate_json(table[TID])
    assert not state.closed and state.closed_at is None
    clock.now = RECEIVED + 60 * S + GRACE
    out = tick(forgetful, table, clock.now)
    assert not any(step.forget for step in out.steps) and TID in table


def test_a_helpdesk_only_state_is_forgotten_when_its_ticket_never_comes(
        forgetful: SlaStage, clock: Clock) -> None:
    table = Table()
    at = RECEIVED + 30 * S
    clock.now = at
    out = forgetful.handle(helpdesk_msg("assigned", at, agent_id="a1"), table.get)
    forgetful.stored(out.steps, table.get, table.put)
    assert forgetful.index.next_at() == at + GRACE
    clock.now = at + GRACE
    tick(forgetful, table, clock.now)
    assert table == {} and table.deletes == [TID]


def test_an_event_after_forgetting_in_the_same_batch_starts_afresh(
        forgetful: SlaStage, router: Router, clock: Clock) -> None:
    table = Table()
    solved_at = route_and_solve(forgetful, router, table, clock)
    clock.now = solved_at + GRACE
    late = solved_at + GRACE
    batch = [message(COMMANDS_TOPIC, TickCommand(at=late, tickets=(TID,)).model_dump_json(),
                     key=None),
             helpdesk_msg("customer_replied", late)]
    out = forgetful.handle_batch(batch, table.get)
    assert [step.forget for step in out.steps] == [True, False]
    forgetful.stored(out.steps, table.get, table.put)
    # the old state is not resurrected: what is kept is a new help-desk-only state
    state = TicketSla.model_validate_json(table[TID])
    assert not state.is_routed and len(state.early_events) == 1 and state.clocks == ()


def test_without_a_grace_period_nothing_is_forgotten(router: Router,
                                                     short_policies: PolicySet,
                                                     clock: Clock) -> None:
    keeper = SlaStage(SlaConfig(short_policies, forget_after=None), router, clock)
    table = Table()
    route_and_store(keeper, router, table)
    clock.now = RECEIVED + 60 * S
    out = keeper.handle(helpdesk_msg("status_changed", clock.now, status="solved"), table.get)
    keeper.stored(out.steps, table.get, table.put)
    assert len(keeper.index) == 0  # nothing to fire, nothing to forget
    clock.now += timedelta(days=365)
    assert not any(step.forget for step in tick(keeper, table, clock.now).steps)
    assert TID in table


def test_the_ticket_copy_goes_once_no_reroute_can_happen(
        short_policies: PolicySet, router: Router, clock: Clock) -> None:
    once = SlaStage(SlaConfig(short_policies, assign_within=10 * M, max_attempts=1), router,
                    clock)
    table = Table()
    route_and_store(once, router, table)
    assert table.ticket_puts == [] and TID + "/ticket" not in table


def test_a_state_from_an_earlier_version_keeps_working_and_is_deleted_whole(
        forgetful: SlaStage, router: Router, clock: Clock) -> None:
    """Earlier versions stored the whole RoutedTicket under ``<id>/routed``."""
    table = Table()
    routed = router.routed()
    route_and_store(forgetful, router, table)
    table[TID + "/routed"] = table.pop(TID + "/ticket") and routed.model_dump_json().encode()
    loaded = forgetful.load(table.get, TID, with_ticket=True)
    assert loaded is not None and loaded.ticket == routed.ticket
    clock.now = RECEIVED + 60 * S
    out = forgetful.handle(helpdesk_msg("status_changed", clock.now, status="closed"),
                           table.get)
    forgetful.stored(out.steps, table.get, table.put)
    clock.now += GRACE
    tick(forgetful, table, clock.now)
    assert table == {} and set(table.deletes) == {TID, TID + "/routed"}

"""The KPI definitions, driven through KpiStage with an injected clock and a dict as table."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kpi.stage import (
    HELPDESK_TOPIC,
    ROUTED_TOPIC,
    SLA_TOPIC,
    InMessage,
    KpiStage,
    Output,
)
from kpi.tracker import KpiConfig, TicketKpi, customer_key
from schemas.kpi import KpiFcr, KpiTicket, kpi_record_id
from schemas.routing import Decision, RoutedTicket
from schemas.ticket import Ticket
from sla.events import SlaEvent, sla_event_id
from sla.policies import PolicySet, load_policies_text
from tests.sla.conftest import make_ticket, tid

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
D = timedelta(days=1)
M = timedelta(minutes=1)

POLICIES = """\
calendars:
  support:
    timezone: Europe/Paris
    weekly: {mon: ["09:00-18:00"], tue: ["09:00-18:00"], wed: ["09:00-18:00"],
             thu: ["09:00-18:00"], fri: ["09:00-18:00"]}
default_policy: standard
policies:
  standard:
    first_response: {default: {all: 2m}, email: {all: {within: 4h, calendar: support, cap: 24h}}}
    next_response: {default: {all: 2h}}
    resolution: {default: {all: 1d}, email: {all: {within: 2d, calendar: support}}}
"""
WED = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday, 11:00 in Paris
CUSTOMER = "customer:c-42"


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Table(dict[str, Any]):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def put(self, partition: int, key: str, value: bytes | None) -> None:
        self.writes += 1
        if value is None:
            assert key in self
            del self[key]
        else:
            self[key] = value


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies_text(POLICIES, "kpi-test-policies")


@pytest.fixture
def clock() -> Clock:
    return Clock(WED)


@pytest.fixture
def stage(policies: PolicySet, clock: Clock) -> KpiStage:
    return KpiStage(KpiConfig(policies), clock)


def ticket(n: int = 1, *, channel: str = "email", at: datetime = WED, intent: str = "order_status",
           customer: str = CUSTOMER, conversation: str = "conv-1") -> Ticket:
    return make_ticket(tid(n), channel=channel, received_at=at.isoformat(),
                       classification__intent=intent, enrichment__customer_key=customer,
                       enrichment__contacts={"last_24h": 1, "last_7d": 1,
                                             "conversation_id": conversation})


def routed(t: Ticket, *, attempt: int = 1, queue: str = "orders",
           routed_at: datetime | None = None) -> InMessage:
    decision = Decision(queue=queue, topic=f"queue.{queue}", priority="P3", matched=(),
                        default_applied=True, ruleset_name="test", ruleset_version="v1")
    body = RoutedTicket(ticket=t, decision=decision, routed_at=routed_at or t.received_at + M,
                        attempt=attempt)
    return InMessage(ROUTED_TOPIC, 0, 0, body.model_dump_json().encode(), t.received_at)


def hd(type_: str, at: datetime, n: int = 1, **fields: Any) -> InMessage:
    body = {"ticket_id": tid(n), "type": type_, "at": at.isoformat(), **fields}
    return InMessage(HELPDESK_TOPIC, 0, 0, json.dumps(body).encode(), at)


def breach(metric: str, at: datetime, n: int = 1) -> InMessage:
    event = SlaEvent(event_id=sla_event_id(tid(n), metric, at, "sla.breached"), type="sla.breached",
                     ticket_id=tid(n), metric=metric, policy="standard", target=120,
                     business=False, deadline=at, emitted_at=at, previous_state="running",
                     current_state="breached")
    return InMessage(SLA_TOPIC, 0, 0, event.model_dump_json().encode(), at)


def solve(at: datetime, n: int = 1) -> InMessage:
    return hd("status_changed", at, n, status="solved")


def run(stage: KpiStage, table: Table, *messages: InMessage) -> Output:
    out = stage.handle_batch(messages, table.get)
    stage.stored(out, table.get, table.put)
    return out


def tick(stage: KpiStage, table: Table, now: datetime, *ids: str) -> Output:
    out = stage.tick(ids or [k for k in table if not k.startswith("customer/")], table.get, now)
    stage.stored(out, table.get, table.put)
    return out


def only(out: Output, kind: type) -> Any:
    found = [r for r in out.records if isinstance(r, kind)]
    assert len(found) == 1, out.records
    return found[0]


# --- KpiTicket ----------------------------------------------------------------------------------

def test_solved_ticket_emits_its_kpis_once(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    out = run(stage, table, routed(t), hd("assigned", WED + M, agent_id="a1"),
              hd("agent_replied", WED + 30 * M, agent_id="a1"), solve(WED + 2 * H))
    record = only(out, KpiTicket)
    assert record.record_id == kpi_record_id(t.ticket_id, "kpi.ticket")
    assert (record.channel, record.intent, record.queue, record.priority) == (
        "email", "order_status", "orders", "P3")
    assert record.language == "en" and record.segment == "regular"
    assert record.first_response_s == 1800 and record.first_response_business_s == 1800
    assert record.resolution_s == 7200 and record.resolution_business_s == 7200
    assert (record.agent_replies, record.reassignments, record.reroutes) == (1, 0, 0)
    assert not record.reopened and record.sla_met.first_response and record.csat_score is None
    # a second close, more events: no second record
    assert run(stage, table, hd("status_changed", WED + 3 * H, status="closed")).records == []


def test_business_seconds_across_a_night_and_a_weekend(stage: KpiStage) -> None:
    table = Table()
    friday_evening = paris(20, 17)  # an hour before closing
    t = ticket(at=friday_evening)
    out = run(stage, table, routed(t), hd("agent_replied", paris(23, 10)),
              solve(paris(24, 10)))
    record = only(out, KpiTicket)
    assert record.first_response_s == (65 * H).total_seconds()  # Fri 17:00 → Mon 10:00
    assert record.first_response_business_s == (2 * H).total_seconds()  # Fri 17-18, Mon 9-10
    assert record.resolution_s == (89 * H).total_seconds()
    assert record.resolution_business_s == (11 * H).total_seconds()  # + Mon 10-18, Tue 9-10


def test_calendar_free_targets_count_calendar_seconds(stage: KpiStage) -> None:
    table = Table()
    t = ticket(channel="chat", at=paris(20, 17))
    record = only(run(stage, table, routed(t), hd("agent_replied", paris(23, 10)),
                      solve(paris(23, 11))), KpiTicket)
    assert record.first_response_business_s == record.first_response_s == 65 * 3600


def test_reroutes_queue_and_reassignments(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    out = run(stage, table, routed(t), hd("assigned", WED + M, agent_id="a1"),
              hd("declined", WED + 2 * M, agent_id="a1"), routed(t, attempt=2, queue="vip"),
              routed(t, attempt=2, queue="vip"),  # redelivered
              hd("assigned", WED + 3 * M, agent_id="a2"),
              hd("assigned", WED + 4 * M, agent_id="a3"),
              routed(t, attempt=1),  # an old attempt, late: ignored
              hd("agent_replied", WED + 5 * M), solve(WED + H))
    record = only(out, KpiTicket)
    assert (record.reroutes, record.reassignments, record.queue) == (1, 2, "vip")


def test_sla_met_per_metric_from_breaches(stage: KpiStage) -> None:
    table = Table()
    t = ticket(channel="chat")
    record = only(run(stage, table, routed(t), breach("first_response", WED + 2 * M),
                      breach("first_response", WED + 2 * M),
                      hd("agent_replied", WED + 5 * M), solve(WED + H)), KpiTicket)
    assert record.sla_met.model_dump() == {"first_response": False, "next_response": True,
                                           "resolution": True}


# --- reopen, late events, CSAT -----------------------------------------------------------------

def test_reopen_after_solve_is_reported_by_the_follow_up_and_fails_fcr(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    first = run(stage, table, routed(t), hd("agent_replied", WED + M), solve(WED + H))
    assert only(first, KpiTicket).reopened is False
    out = run(stage, table, hd("status_changed", WED + D, status="open"),
              hd("agent_replied", WED + D + H), solve(WED + D + 2 * H))
    assert out.records == []  # emitted once, on the first solve
    fcr = only(tick(stage, table, WED + H + 7 * D + 2 * H), KpiFcr)
    assert fcr.reopened is True and fcr.agent_replies == 2 and fcr.fcr is False
    assert fcr.solved_at == WED + H  # the first solve


def test_events_before_the_routed_message_count(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    early = run(stage, table, hd("agent_replied", WED + M), solve(WED + H),
                hd("csat_submitted", WED + 2 * H, score=4))
    assert early.records == []  # waits for the routed message
    record = only(run(stage, table, routed(t)), KpiTicket)
    assert record.first_response_s == 60 and record.resolution_s == 3600
    assert record.csat_score == 4


def test_late_events_after_emission_go_to_the_follow_up(stage: KpiStage) -> None:
    table = Table()
    t = ticket(channel="chat")
    run(stage, table, routed(t), hd("agent_replied", WED + M), solve(WED + H))
    out = run(stage, table, breach("resolution", WED + H),  # derived after the solve
              hd("agent_replied", WED + 30 * M))  # a help-desk event that came late
    assert out.records == []
    fcr = only(tick(stage, table, WED + 8 * D), KpiFcr)
    assert fcr.sla_met.resolution is False and fcr.agent_replies == 2 and fcr.fcr is False


def test_csat_before_and_after_emission(stage: KpiStage) -> None:
    table = Table()
    t1, t2 = ticket(1), ticket(2, intent="refund", conversation="conv-2")
    out = run(stage, table, routed(t1), hd("agent_replied", WED + M),
              hd("csat_submitted", WED + 30 * M, score=5, comment="great"), solve(WED + H),
              routed(t2), hd("agent_replied", WED + M, 2), solve(WED + H, 2))
    by_id = {r.ticket_id: r for r in out.records if isinstance(r, KpiTicket)}
    assert by_id[t1.ticket_id].csat_score == 5 and by_id[t2.ticket_id].csat_score is None
    run(stage, table, hd("csat_submitted", WED + D, 2, score=2),
        hd("nps_submitted", WED + D, 2, score=9),
        hd("csat_submitted", WED + D, 2, score=9),  # out of range: ignored
        hd("nps_submitted", WED + D, 2, score=11))
    fcrs = {r.ticket_id: r for r in tick(stage, table, WED + 8 * D).records}
    assert (fcrs[t2.ticket_id].csat_score, fcrs[t2.ticket_id].nps_score) == (2, 9)
    assert fcrs[t1.ticket_id].csat_score == 5


# --- FCR across channels -----------------------------------------------------------------------

def _solved_by_email(stage: KpiStage, table: Table) -> Ticket:
    t = ticket(1, channel="email")
    run(stage, table, routed(t), hd("agent_replied", WED + H), solve(WED + 2 * H))
    return t


def test_fcr_true_without_a_new_contact(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    assert tick(stage, table, WED + 2 * H + 7 * D).records == []  # grace: still waiting
    fcr = only(tick(stage, table, WED + 2 * H + 7 * D + H), KpiFcr)
    assert fcr.fcr is True and fcr.record_id == kpi_record_id(t.ticket_id, "kpi.fcr")
    assert fcr.ticket_record_id == kpi_record_id(t.ticket_id, "kpi.ticket")
    assert fcr.window_s == 7 * 86400
    assert (fcr.channel, fcr.intent, fcr.queue) == ("email", "order_status", "orders")


def test_same_intent_on_whatsapp_two_days_later_fails_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    again = ticket(2, channel="whatsapp", at=WED + 2 * D, conversation="conv-wa")
    run(stage, table, routed(again))
    fcr = only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr)
    assert fcr.fcr is False and fcr.recontact_ticket_id == again.ticket_id


def test_same_conversation_other_intent_fails_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    run(stage, table, routed(ticket(2, channel="chat", at=WED + D, intent="refund")))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is False


def test_same_intent_eight_days_later_keeps_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    # the window closes (and the FCR is decided) before the new contact
    assert only(tick(stage, table, WED + 2 * H + 7 * D + H), KpiFcr).fcr is True
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 8 * D)))
    assert t.ticket_id not in table


def test_contact_after_the_window_but_before_the_decision_keeps_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * H + 7 * D + M)))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_other_intent_in_another_conversation_keeps_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D, intent="refund",
                                    conversation="conv-2")))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_another_customer_keeps_fcr(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D,
                                    customer="customer:other")))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_new_contact_routed_before_the_earlier_ticket_still_counts(stage: KpiStage) -> None:
    table = Table()
    first, later = ticket(1), ticket(2, channel="chat", at=WED + D)
    run(stage, table, routed(later), routed(first), hd("agent_replied", WED + H),
        solve(WED + 2 * H))
    assert only(tick(stage, table, WED + 8 * D, first.ticket_id), KpiFcr).fcr is False


def test_more_than_one_agent_reply_is_not_fcr(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    run(stage, table, routed(t), hd("agent_replied", WED + H), hd("agent_replied", WED + 2 * H),
        solve(WED + 3 * H))
    assert only(tick(stage, table, WED + 8 * D), KpiFcr).fcr is False


def test_fcr_window_is_configurable(policies: PolicySet, clock: Clock) -> None:
    stage = KpiStage(KpiConfig(policies, fcr_window=timedelta(days=1), grace=timedelta(0)), clock)
    table = Table()
    t = _solved_by_email(stage, table)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D)))
    fcr = only(tick(stage, table, WED + 2 * H + D, t.ticket_id), KpiFcr)
    assert fcr.fcr is True and fcr.window_s == 86400


# --- duplicates after a crash, bounded state ---------------------------------------------------

def _batch() -> list[InMessage]:
    t1, t2 = ticket(1), ticket(2, channel="whatsapp", at=WED + D)
    return [routed(t1), hd("assigned", WED + M, agent_id="a1"), hd("agent_replied", WED + H),
            hd("csat_submitted", WED + 90 * M, score=3), breach("resolution", WED + 90 * M),
            solve(WED + 2 * H), routed(t2), hd("agent_replied", WED + D + M, 2),
            solve(WED + D + H, 2)]


def test_replaying_a_stored_batch_gives_nothing_new(stage: KpiStage) -> None:
    table = Table()
    first = run(stage, table, *_batch())
    assert len(first.records) == 2
    snapshot, writes = dict(table), table.writes
    again = run(stage, table, *_batch())
    assert again.records == [] and dict(table) == snapshot and table.writes == writes


def test_a_crash_before_storing_re_derives_the_same_records(stage: KpiStage) -> None:
    table = Table()
    lost = stage.handle_batch(_batch(), table.get)  # published, then the worker died
    redo = run(stage, table, *_batch(), *_batch())  # redelivered (twice over)
    assert [r.record_id for r in redo.records] == [r.record_id for r in lost.records]
    state = TicketKpi.model_validate_json(table[tid(1)])
    assert (state.agent_replies, state.reassignments, state.csat) == (1, 0, 3)
    fcrs = tick(stage, table, WED + 9 * D)
    assert tick(stage, table, WED + 9 * D).records == []
    ids = {r.ticket_id: r for r in fcrs.records}
    assert set(ids) == {tid(1), tid(2)} and ids[tid(1)].fcr is False  # t2: same intent


def test_everything_is_deleted_once_the_fcr_records_are_out(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, *_batch())
    assert customer_key(CUSTOMER) in table
    tick(stage, table, WED + 9 * D)
    assert dict(table) == {}


def test_a_ticket_never_solved_is_forgotten_without_a_record(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, routed(ticket()), hd("agent_replied", WED + H),
        hd("agent_replied", WED + D, 9))  # a help-desk event of a ticket never routed
    assert tick(stage, table, WED + 29 * D).records == [] and len(table) == 3
    assert tick(stage, table, WED + 31 * D).records == [] and dict(table) == {}


def test_the_timer_index_fires_due_tickets(stage: KpiStage, clock: Clock) -> None:
    table = Table()
    _solved_by_email(stage, table)
    assert stage.due(table.get, {0}).records == []
    clock.now = WED + 8 * D
    out = stage.due(table.get, {0})
    stage.stored(out, table.get, table.put)
    assert len(out.records) == 1 and dict(table) == {}
    assert stage.rebuild(table.items(), {0}) == 0


def test_invalid_help_desk_events_are_skipped(stage: KpiStage) -> None:
    table = Table()
    bad = [InMessage(HELPDESK_TOPIC, 0, 0, b"{not json", WED),
           hd("csat_submitted", WED, score="five"), hd("teleported", WED)]
    assert run(stage, table, *bad).records == [] and dict(table) == {}


def test_an_event_after_the_fcr_decision_makes_no_record(stage: KpiStage) -> None:
    table = Table()
    _solved_by_email(stage, table)
    tick(stage, table, WED + 8 * D)
    assert dict(table) == {}
    late = run(stage, table, hd("csat_submitted", WED + 9 * D, score=1))
    assert late.records == [] and list(table) == [tid(1)]  # unrouted: no record comes of it
    assert tick(stage, table, WED + 40 * D).records == [] and dict(table) == {}


def test_a_bool_is_not_a_score(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, hd("csat_submitted", WED, score=True))
    assert dict(table) == {}

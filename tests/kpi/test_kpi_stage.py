"""The KPI definitions, driven through KpiStage with an injected clock and a dict as table.

Cross-channel FCR goes through the routing stage's real contacts (``record_contact``, which
fills ``enrichment.contacts.recent``) and the recontact commands the stage sends, delivered
back to it as the command topic would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from enrichment.contacts import contacts_keep, record_contact
from kpi.stage import (
    COMMANDS_TOPIC,
    HELPDESK_TOPIC,
    ROUTED_TOPIC,
    InMessage,
    KpiStage,
    Output,
    Recontact,
    SlaBreach,
    Tick,
    fact_messages,
    interleave,
)
from kpi.tracker import KpiConfig, RoutedView, TicketKpi
from routing_rules.stage import with_contacts
from schemas.enrichment import Enrichment, OrderSummary
from schemas.kpi import (
    MAX_FACTS_PER_MESSAGE,
    KpiFact,
    KpiFcr,
    KpiTicket,
    kpi_fact_id,
    kpi_record_id,
)
from schemas.routing import Decision, RoutedTicket
from schemas.ticket import Ticket
from sla.events import SlaEvent, sla_event_id
from sla.policies import PolicySet, load_policies_text
from sla.stage import Output as SlaOutput
from sla.tracker import Step
from tests.conftest import ManualClock as Clock
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


KEEP = contacts_keep(timedelta(days=7))


class Contacts:
    """The routing stage's contacts per customer key (its pure core), so each routed ticket
    carries ``enrichment.contacts`` as the route agent would make them."""

    def __init__(self, keep: timedelta = KEEP) -> None:
        self.keep = keep
        self.states: dict[str, Any] = {}

    def __call__(self, t: Ticket) -> Ticket:
        assert t.enrichment is not None
        key = t.enrichment.customer_key
        self.states[key], contacts = record_contact(self.states.get(key), t, key, self.keep)
        return with_contacts(t, contacts)


def ticket(n: int = 1, *, channel: str = "email", at: datetime = WED, intent: str = "order_status",
           customer: str = CUSTOMER, order: str | None = "104512",
           orders: tuple[OrderSummary, ...] = ()) -> Ticket:
    t = make_ticket(tid(n), channel=channel, received_at=at.isoformat(),
                    classification__intent=intent,
                    order_numbers=[order] if order else [])
    return t.model_copy(update={"enrichment": Enrichment(
        status="ok", customer_key=customer, orders=orders,
        customer={"customer_id": customer, "segment": "regular", "lifetime_value": 10.0,
                  "currency": "EUR", "order_count": 1, "matched_by": "email"})})


def routed(t: Ticket, *, attempt: int = 1, queue: str = "orders",
           routed_at: datetime | None = None, contacts: Contacts | None = None) -> InMessage:
    """``t`` as routed (with its customer's contacts recorded by ``contacts``, or a fresh
    customer's)."""
    if attempt == 1 and t.enrichment is not None and t.enrichment.contacts is None:
        t = (contacts or Contacts())(t)
    decision = Decision(queue=queue, topic=f"queue.{queue}", priority="P3", matched=(),
                        default_applied=True, ruleset_name="test", ruleset_version="v1")
    body = RoutedTicket(ticket=t, decision=decision, routed_at=routed_at or t.received_at + M,
                        attempt=attempt)
    return InMessage(ROUTED_TOPIC, 0, 0, body.model_dump_json().encode(), t.received_at)


def hd(type_: str, at: datetime, n: int = 1, **fields: Any) -> InMessage:
    body = {"ticket_id": tid(n), "type": type_, "at": at.isoformat(), **fields}
    return InMessage(HELPDESK_TOPIC, 0, 0, json.dumps(body).encode(), at)


def breach(metric: str, at: datetime, n: int = 1) -> SlaBreach:
    event = SlaEvent(event_id=sla_event_id(tid(n), metric, at, "sla.breached"), type="sla.breached",
                     ticket_id=tid(n), metric=metric, policy="standard", target=120,
                     business=False, deadline=at, emitted_at=at, previous_state="running",
                     current_state="breached")
    return SlaBreach(0, event)


def solve(at: datetime, n: int = 1) -> InMessage:
    return hd("status_changed", at, n, status="solved")


def command(body: Recontact | Tick, partition: int = 0) -> InMessage:
    return InMessage(COMMANDS_TOPIC, partition, 0, body.model_dump_json().encode(), WED)


def run(stage: KpiStage, table: Table, *messages: InMessage, deliver: bool = True) -> Output:
    """One batch, stored; then (``deliver``) the recontact commands it sent, as the next
    batch, until none is left. The output of all of them."""
    total = Output()
    batch = list(messages)
    while batch:
        out = stage.handle_batch(batch, table.get)
        stage.stored(out, table.get, table.put)
        total.merge(out)
        batch = [command(c) for c in out.commands] if deliver else []
    return total


def tick(stage: KpiStage, table: Table, now: datetime, *ids: str) -> Output:
    out = stage.tick(ids or list(table), table.get, now)
    stage.stored(out, table.get, table.put)
    return out


def facts(out: Output, kind: str | None = None) -> list[KpiFact]:
    return [f for f in out.facts if kind is None or f.kind == kind]


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
    assert [(f.kind, f.at) for f in out.facts] == [("received", WED), ("solved", WED + 2 * H)]
    # a second close, more events: no second record, no second fact
    again = run(stage, table, hd("status_changed", WED + 3 * H, status="closed"))
    assert again.records == [] and again.facts == []


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


def test_a_replay_measures_from_the_routing_as_the_sla_clocks(policies: PolicySet,
                                                               clock: Clock) -> None:
    """TICKETFLOW_SLA_CLOCK_START=routed_at: old traffic replayed (received weeks ago), the
    help desk answering now."""
    stage = KpiStage(KpiConfig(policies, clock_start="routed_at"), clock)
    table = Table()
    t = ticket(channel="chat", at=WED - 20 * D)
    record = only(run(stage, table, routed(t, routed_at=WED), hd("agent_replied", WED + M),
                      solve(WED + H)), KpiTicket)
    assert (record.first_response_s, record.resolution_s) == (60, 3600)
    assert record.received_at == WED - 20 * D  # still when the customer wrote


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


def test_a_policy_this_worker_lacks_is_measured_and_named_as_the_default(
        stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    decision = Decision(queue="orders", topic="queue.orders", priority="P3", sla_policy="gold",
                        matched=(), default_applied=True, ruleset_name="t", ruleset_version="v")
    body = RoutedTicket(ticket=Contacts()(t), decision=decision, routed_at=WED)
    message = InMessage(ROUTED_TOPIC, 0, 0, body.model_dump_json().encode(), WED)
    record = only(run(stage, table, message, hd("agent_replied", WED + M), solve(WED + H)),
                  KpiTicket)
    assert record.sla_policy == "standard"  # whose calendars the business seconds used


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
    out = run(stage, table, routed(t))
    record = only(out, KpiTicket)
    assert record.first_response_s == 60 and record.resolution_s == 3600
    assert record.csat_score == 4
    # the survey's fact waited for the queue
    assert [(f.kind, f.csat_score, f.at) for f in facts(out, "csat")] == [("csat", 4, WED + 2 * H)]


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
    t1, t2 = ticket(1), ticket(2, intent="refund", order="105000")
    out = run(stage, table, routed(t1), hd("agent_replied", WED + M),
              hd("csat_submitted", WED + 30 * M, score=5, comment="great"), solve(WED + H),
              routed(t2), hd("agent_replied", WED + M, 2), solve(WED + H, 2))
    by_id = {r.ticket_id: r for r in out.records if isinstance(r, KpiTicket)}
    assert by_id[t1.ticket_id].csat_score == 5 and by_id[t2.ticket_id].csat_score is None
    later = run(stage, table, hd("csat_submitted", WED + D, 2, score=2),
                hd("nps_submitted", WED + D, 2, score=9),
                hd("csat_submitted", WED + D, 2, score=9),  # out of range: ignored
                hd("nps_submitted", WED + D, 2, score=11),
                hd("csat_submitted", WED + D, 2, score=2))  # the same answer again
    assert [(f.ticket_id, f.csat_score, f.at) for f in facts(later, "csat")] == [
        (t2.ticket_id, 2, WED + D)]
    fcrs = {r.ticket_id: r for r in tick(stage, table, WED + 8 * D).records}
    assert (fcrs[t2.ticket_id].csat_score, fcrs[t2.ticket_id].nps_score) == (2, 9)
    assert fcrs[t1.ticket_id].csat_score == 5
    assert [(f.ticket_id, f.csat_score, f.queue) for f in facts(out, "csat")] == [
        (t1.ticket_id, 5, "orders")]


# --- FCR across channels -----------------------------------------------------------------------

def _solved_by_email(stage: KpiStage, table: Table, contacts: Contacts | None = None) -> Ticket:
    t = ticket(1, channel="email")
    run(stage, table, routed(t, contacts=contacts), hd("agent_replied", WED + H),
        solve(WED + 2 * H))
    return t


def test_fcr_true_without_a_new_contact(stage: KpiStage) -> None:
    table = Table()
    t = _solved_by_email(stage, table)
    assert tick(stage, table, WED + 2 * H + 7 * D).records == []  # grace: still waiting
    out = tick(stage, table, WED + 2 * H + 7 * D + H)
    fcr = only(out, KpiFcr)
    assert fcr.fcr is True and fcr.record_id == kpi_record_id(t.ticket_id, "kpi.fcr")
    assert fcr.ticket_record_id == kpi_record_id(t.ticket_id, "kpi.ticket")
    assert fcr.window_s == 7 * 86400 and fcr.recontact_ticket_id is None
    assert (fcr.channel, fcr.intent, fcr.queue) == ("email", "order_status", "orders")
    [fact] = facts(out, "fcr")
    assert fact.fcr is True and fact.at == WED + 2 * H + 7 * D + H  # the due time: event time


def test_same_intent_on_whatsapp_two_days_later_fails_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    again = ticket(2, channel="whatsapp", at=WED + 2 * D, order=None)
    out = run(stage, table, routed(again, contacts=contacts), deliver=False)
    # the earlier ticket is told on its own partition: a command keyed by its id
    assert out.commands == [Recontact(ticket_id=t.ticket_id, by=again.ticket_id,
                                      at=again.received_at)]
    run(stage, table, *(command(c) for c in out.commands))
    fcr = only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr)
    assert fcr.fcr is False and fcr.recontact_ticket_id == again.ticket_id


def test_same_conversation_other_intent_fails_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    # the same order a day later: the routing stage threads it into the same conversation
    run(stage, table, routed(ticket(2, channel="chat", at=WED + D, intent="refund"),
                             contacts=contacts))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is False


def test_same_intent_eight_days_later_keeps_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    # the window closes (and the FCR is decided) before the new contact
    assert only(tick(stage, table, WED + 2 * H + 7 * D + H), KpiFcr).fcr is True
    out = run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 8 * D),
                                   contacts=contacts))
    assert len(out.commands) == 1  # sent all the same: this stage cannot know it was decided
    # it finds no state, so it starts one that no record comes from, forgotten in time
    assert TicketKpi.model_validate_json(table[t.ticket_id]).is_routed is False
    assert tick(stage, table, WED + 8 * D + 31 * D, t.ticket_id).records == []
    assert t.ticket_id not in table


def test_contact_after_the_window_but_before_the_decision_keeps_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * H + 7 * D + M),
                             contacts=contacts))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_other_intent_in_another_conversation_keeps_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    out = run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D,
                                          intent="refund", order="105000"), contacts=contacts))
    assert out.commands == []
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_another_customer_keeps_fcr(stage: KpiStage) -> None:
    table, contacts = Table(), Contacts()
    t = _solved_by_email(stage, table, contacts)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D,
                                    customer="customer:other"), contacts=contacts))
    assert only(tick(stage, table, WED + 8 * D, t.ticket_id), KpiFcr).fcr is True


def test_new_contact_routed_before_the_earlier_ticket_still_counts(stage: KpiStage) -> None:
    """The later contact was routed first (its recent contacts did not hold the earlier one):
    the earlier ticket, routed second, finds it in its own recent contacts."""
    table, contacts = Table(), Contacts()
    first, later = ticket(1), ticket(2, channel="chat", at=WED + D)
    out = run(stage, table, routed(later, contacts=contacts), routed(first, contacts=contacts),
              hd("agent_replied", WED + H), solve(WED + 2 * H))
    assert out.commands == []  # nothing to send: the later one is on this ticket's own state
    fcr = only(tick(stage, table, WED + 8 * D, first.ticket_id), KpiFcr)
    assert fcr.fcr is False and fcr.recontact_ticket_id == later.ticket_id


def test_a_recontact_before_the_earlier_tickets_routed_message_counts(stage: KpiStage) -> None:
    """Topics are read independently: the command can come before the ticket it is about."""
    table = Table()
    t = ticket(1)
    by = Recontact(ticket_id=t.ticket_id, by=tid(2), at=WED + D)
    run(stage, table, command(by), command(by))  # redelivered too
    run(stage, table, routed(t), hd("agent_replied", WED + H), solve(WED + 2 * H))
    fcr = only(tick(stage, table, WED + 8 * D), KpiFcr)
    assert fcr.fcr is False and fcr.recontact_ticket_id == tid(2)


def test_the_earliest_recontact_decides(stage: KpiStage) -> None:
    table = Table()
    t = ticket(1)
    run(stage, table, routed(t), hd("agent_replied", WED + H), solve(WED + 2 * H),
        command(Recontact(ticket_id=t.ticket_id, by=tid(3), at=WED + 9 * D)),
        command(Recontact(ticket_id=t.ticket_id, by=tid(2), at=WED + 3 * D)))
    fcr = only(tick(stage, table, WED + 8 * D), KpiFcr)
    assert fcr.recontact_ticket_id == tid(2)


def test_more_than_one_agent_reply_is_not_fcr(stage: KpiStage) -> None:
    table = Table()
    t = ticket()
    run(stage, table, routed(t), hd("agent_replied", WED + H), hd("agent_replied", WED + 2 * H),
        solve(WED + 3 * H))
    assert only(tick(stage, table, WED + 8 * D), KpiFcr).fcr is False


def test_fcr_window_is_configurable(policies: PolicySet, clock: Clock) -> None:
    stage = KpiStage(KpiConfig(policies, fcr_window=timedelta(days=1), grace=timedelta(0)), clock)
    table, contacts = Table(), Contacts(contacts_keep(timedelta(days=1)))
    t = _solved_by_email(stage, table, contacts)
    run(stage, table, routed(ticket(2, channel="whatsapp", at=WED + 2 * D), contacts=contacts))
    fcr = only(tick(stage, table, WED + 2 * H + D, t.ticket_id), KpiFcr)
    assert fcr.fcr is True and fcr.window_s == 86400


# --- facts --------------------------------------------------------------------------------------

def test_facts_received_solved_breach_with_order_facts(stage: KpiStage) -> None:
    table = Table()
    order = OrderSummary(number="104512", status="shipped", total=10.0, currency="EUR",
                         placed_at=WED - 5 * D, carrier="DHL", late=True,
                         matched_by="mentioned")
    t = ticket(orders=(order, order.model_copy(update={"number": "2"})))
    out = run(stage, table, breach("first_response", WED + 2 * M),  # before the routed message
              routed(t), hd("agent_replied", WED + 5 * M), solve(WED + H),
              breach("first_response", WED + 2 * M), breach("resolution", WED + 2 * H))
    assert [f.kind for f in out.facts] == ["received", "breach", "solved", "breach"]
    received, first, solved, resolution = out.facts
    assert received.at == WED and received.intent == "order_status"
    assert received.queue == "orders" and received.channel == "email"
    assert [(o.field, o.value) for o in received.order_facts] == [
        ("carrier", "DHL"), ("status", "shipped"), ("late", "true")]
    assert (first.metric, first.at) == ("first_response", WED + 2 * M)
    assert (solved.at, solved.first_response_s, solved.resolution_s) == (WED + H, 300, 3600)
    assert resolution.metric == "resolution"
    assert received.fact_id == kpi_fact_id(t.ticket_id, "received")
    assert len({f.fact_id for f in out.facts}) == 4


def test_a_ticket_without_intent_has_facts_of_intent_unknown(stage: KpiStage) -> None:
    table = Table()
    t = ticket().model_copy(update={"classification": None})
    [fact] = run(stage, table, routed(t)).facts
    assert fact.intent == "unknown"


def test_breaches_follow_the_message_that_caused_them_and_sla_commands_are_left_out() -> None:
    def event(type_: str) -> SlaEvent:
        return SlaEvent(event_id=sla_event_id(tid(1), "first_response", WED, type_), type=type_,
                        ticket_id=tid(1), metric="first_response", policy="standard",
                        target=120, business=False, deadline=WED, emitted_at=WED,
                        previous_state="running", current_state="breached")

    routed_msg = InMessage(ROUTED_TOPIC, 3, 0, b"{}", WED)
    sla_tick = InMessage("app-sla-commands", 3, 0, b"{}", WED)
    kpi_command = InMessage("app-kpi-commands", 3, 0, b"{}", WED)
    reply = InMessage(HELPDESK_TOPIC, 3, 0, b"{}", WED)
    breached, applied = event("sla.breached"), event("sla.applied")
    state: Any = SimpleNamespace(partition=3)
    # the SLA stage was given routed (0), tick (1) and reply (2): the tick fired the breach
    sla_out = SlaOutput(steps=[Step(state, [applied]), Step(state, [breached]), Step(state)],
                        origins=[0, 1, 2])
    got = interleave([routed_msg, sla_tick, kpi_command, reply], sla_out,
                     "app-sla-commands", "app-kpi-commands")
    assert got == [routed_msg, SlaBreach(3, breached), kpi_command, reply]


def test_the_routed_view_reads_what_the_routing_stage_writes() -> None:
    t = Contacts()(ticket())
    decision = Decision(queue="q", topic="queue.q", priority="P2", sla_policy="vip",
                        matched=(), default_applied=True, ruleset_name="r", ruleset_version="v")
    body = RoutedTicket(ticket=t, decision=decision, routed_at=WED, attempt=3)
    view = RoutedView.model_validate_json(body.model_dump_json())
    assert (view.attempt, view.decision.queue, view.decision.priority) == (3, "q", "P2")
    assert view.ticket.intent == "order_status" and view.ticket.received_at == WED
    assert t.enrichment is not None and t.enrichment.contacts is not None
    assert view.ticket.conversation_id == t.enrichment.contacts.conversation_id


# --- duplicates after a crash, bounded state ---------------------------------------------------

def _batch() -> list[InMessage]:
    contacts = Contacts()
    t1, t2 = ticket(1), ticket(2, channel="whatsapp", at=WED + D)
    return [routed(t1, contacts=contacts), hd("assigned", WED + M, agent_id="a1"),
            hd("agent_replied", WED + H), hd("csat_submitted", WED + 90 * M, score=3),
            breach("resolution", WED + 90 * M), solve(WED + 2 * H),
            routed(t2, contacts=contacts), hd("agent_replied", WED + D + M, 2),
            solve(WED + D + H, 2)]


def test_replaying_a_stored_batch_gives_nothing_new(stage: KpiStage) -> None:
    table = Table()
    first = run(stage, table, *_batch())
    assert len(first.records) == 2 and len(first.facts) == 6 and len(first.commands) == 1
    snapshot, writes = dict(table), table.writes
    again = run(stage, table, *_batch())
    assert again.records == [] and again.facts == [] and again.commands == []
    assert dict(table) == snapshot and table.writes == writes


def test_a_crash_before_storing_re_derives_the_same_records(stage: KpiStage) -> None:
    table = Table()
    lost = stage.handle_batch(_batch(), table.get)  # published, then the worker died
    redo = run(stage, table, *_batch(), *_batch())  # redelivered (twice over)
    assert [r.record_id for r in redo.records] == [r.record_id for r in lost.records]
    assert [f.fact_id for f in redo.facts] == [f.fact_id for f in lost.facts]
    assert redo.commands == lost.commands  # the same command: applied once
    state = TicketKpi.model_validate_json(table[tid(1)])
    assert (state.agent_replies, state.reassignments, state.csat) == (1, 0, 3)
    fcrs = tick(stage, table, WED + 9 * D)
    assert tick(stage, table, WED + 9 * D).records == []
    ids = {r.ticket_id: r for r in fcrs.records if isinstance(r, KpiFcr)}
    assert set(ids) == {tid(1), tid(2)} and ids[tid(1)].fcr is False  # t2: same intent
    assert ids[tid(1)].recontact_ticket_id == tid(2)


def test_everything_is_deleted_once_the_fcr_records_are_out(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, *_batch())
    assert set(table) == {tid(1), tid(2)}
    tick(stage, table, WED + 9 * D)
    assert dict(table) == {}


def test_a_ticket_never_solved_is_forgotten_without_a_record(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, routed(ticket()), hd("agent_replied", WED + H),
        hd("agent_replied", WED + D, 9),  # a help-desk event of a ticket never routed
        breach("first_response", WED + D, 8))  # an SLA event of one never routed
    assert tick(stage, table, WED + 7 * D).records == [] and len(table) == 3
    # the two never routed: a week after their last event (WED + D)
    assert tick(stage, table, WED + 8 * D + H).records == [] and set(table) == {tid(1)}
    assert tick(stage, table, WED + 29 * D).records == [] and set(table) == {tid(1)}
    assert tick(stage, table, WED + 31 * D).records == [] and dict(table) == {}


def test_a_late_event_after_the_state_was_deleted_is_forgotten_after_a_week(
        stage: KpiStage) -> None:
    table = Table()
    run(stage, table, *_batch())
    tick(stage, table, WED + 9 * D)
    assert dict(table) == {}
    late = WED + 10 * D
    run(stage, table, hd("agent_replied", late, 1))  # a note after the FCR decision
    assert set(table) == {tid(1)}
    assert tick(stage, table, late + 6 * D).records == [] and set(table) == {tid(1)}
    assert tick(stage, table, late + 7 * D + H).records == [] and dict(table) == {}


def test_the_timer_sends_tick_commands_for_its_own_partitions(stage: KpiStage,
                                                               clock: Clock) -> None:
    table = Table()
    _solved_by_email(stage, table)
    assert stage.due_commands({0}) == []
    clock.now = WED + 8 * D
    assert stage.due_commands({1}) == []  # not owned: dropped, another worker fires it
    assert stage.rebuild(table.items(), {0}) == 1
    [(partition, body)] = stage.due_commands({0})
    assert partition == 0 and Tick.model_validate_json(body).tickets == (tid(1),)
    assert stage.due_commands({0}) == []  # popped
    out = run(stage, table, InMessage(COMMANDS_TOPIC, 0, 1, body, WED + 8 * D))
    assert len(out.records) == 1 and dict(table) == {} and len(stage.index) == 0
    assert run(stage, table, InMessage(COMMANDS_TOPIC, 0, 2, body, WED + 8 * D)).records == []


def test_a_tick_command_only_closes_tickets_of_its_partition(stage: KpiStage,
                                                             clock: Clock) -> None:
    table = Table()
    _solved_by_email(stage, table)
    clock.now = WED + 8 * D
    wrong = Tick(at=clock.now, tickets=(tid(1),))
    assert run(stage, table, command(wrong, partition=3)).records == []
    assert tid(1) in table


def test_tick_commands_that_could_not_be_sent_are_put_back(stage: KpiStage,
                                                           clock: Clock) -> None:
    table = Table()
    _solved_by_email(stage, table)
    clock.now = WED + 8 * D
    due = stage.due_commands({0})
    stage.reschedule(due)
    assert stage.due_commands({0}) == due


def test_invalid_input_is_skipped_and_the_rest_of_the_batch_counts(stage: KpiStage) -> None:
    table = Table()
    strangers = [InMessage(ROUTED_TOPIC, 0, 7, b'{"ticket": {}}', WED),
                 InMessage(COMMANDS_TOPIC, 0, 9, b'{"type": "explode"}', WED)]
    bad = [InMessage(HELPDESK_TOPIC, 0, 0, b"{not json", WED),
           hd("csat_submitted", WED, score="five"), hd("teleported", WED), *strangers]
    out = run(stage, table, *bad, routed(ticket()), hd("agent_replied", WED + M),
              solve(WED + H))
    assert out.skipped == strangers  # the help desk's are dead-lettered by the SLA agent
    assert len(out.records) == 1 and list(table) == [tid(1)]


def test_an_event_after_the_fcr_decision_makes_no_record(stage: KpiStage) -> None:
    table = Table()
    _solved_by_email(stage, table)
    tick(stage, table, WED + 8 * D)
    assert dict(table) == {}
    late = run(stage, table, hd("csat_submitted", WED + 9 * D, score=1))
    assert late.records == [] and late.facts == [] and list(table) == [tid(1)]
    assert tick(stage, table, WED + 40 * D).records == [] and dict(table) == {}


def test_a_bool_is_not_a_score(stage: KpiStage) -> None:
    table = Table()
    run(stage, table, hd("csat_submitted", WED, score=True))
    assert dict(table) == {}


def test_facts_go_out_one_message_per_intent_in_order_split_at_the_limit() -> None:
    def f(i: int, intent: str) -> KpiFact:
        return KpiFact(fact_id=kpi_fact_id(f"t{i}", "received"), kind="received",
                       ticket_id=f"t{i}", at=WED + i * M, queue="q", channel="email",
                       intent=intent)

    many = [f(i, "refund") for i in range(MAX_FACTS_PER_MESSAGE + 1)]
    messages = fact_messages([f(-1, "order_status"), *many, f(-2, "order_status")])
    assert [(m.intent, len(m.facts)) for m in messages] == [
        ("order_status", 2), ("refund", MAX_FACTS_PER_MESSAGE), ("refund", 1)]
    assert [x.ticket_id for m in messages[1:] for x in m.facts] == [x.ticket_id for x in many]
    assert fact_messages([]) == []

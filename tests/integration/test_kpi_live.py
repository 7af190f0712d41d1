"""Per-ticket KPIs on a real broker: tickets go through the routing agent (so their customer's
contacts are real), a pretend help desk answers, and ``kpi.tickets`` must say what it was told;
with a tiny FCR window (settings), ``kpi.fcr`` decides first-contact resolution across channels
(the customer's e-mail, solved, followed by a WhatsApp message about the same thing).

The tickets are published on ``tickets.normalized`` with a source topic of their own
(``kpi-live``) and ids unique to the run, so no other test takes them for its own."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema

from schemas.enrichment import Enrichment
from schemas.export import JSON_DIR
from schemas.sla import HelpdeskEvent
from schemas.ticket import Ticket
from streams.admin import create_topics
from streams.kafka_io import make_consumer, make_producer
from streams.topics import internal_topics, kpi_facts_topic
from tests.sla.conftest import make_ticket
from ticketflow.sla_load import policies_yaml

from .conftest import PARTITIONS, wait_until

WINDOW_S = 20
GRACE_S = 2


def _ticket(run: str, name: str, *, channel: str, customer: str, at: datetime,
            intent: str) -> Ticket:
    ticket_id = "tk_" + hashlib.sha256(f"{run}\x1f{name}".encode()).hexdigest()[:24]
    t = make_ticket(ticket_id, channel=channel, received_at=at.isoformat(),
                    provider_message_id=f"{run}-{name}", classification__intent=intent,
                    order_numbers=["104512"],
                    source={"topic": "kpi-live", "partition": 0, "offset": 0})
    return t.model_copy(update={"enrichment": Enrichment(
        status="not_found", customer_key=customer, detail="kpi live test")})


def test_kpi_tickets_and_fcr_across_channels(start_worker, topics, tmp_path):
    run = f"kpi-{time.time_ns()}"
    t0 = datetime.now(UTC).replace(microsecond=0)
    customer, other = f"email:{run}@example.com", f"email:{run}-other@example.com"
    email = _ticket(run, "email", channel="email", customer=customer, at=t0 - timedelta(seconds=2),
                    intent="order_status")
    whatsapp = _ticket(run, "wa", channel="whatsapp", customer=customer,
                       at=t0 - timedelta(seconds=1), intent="order_status")
    single = _ticket(run, "single", channel="chat", customer=other,
                     at=t0 - timedelta(seconds=2), intent="refund")
    ours = {t.ticket_id for t in (email, whatsapp, single)}

    # SLA targets of an hour on every channel, no calendar, no assignment timeout: however
    # slowly this machine starts the worker, nothing breaches or is re-routed
    policies = tmp_path / "policies.yaml"
    policies.write_text(policies_yaml(timedelta(hours=1)), encoding="utf-8")
    worker = start_worker(TICKETFLOW_KPI_FCR_WINDOW_S=str(WINDOW_S),
                          TICKETFLOW_KPI_FCR_GRACE_S=str(GRACE_S),
                          TICKETFLOW_SLA_POLICIES_PATH=str(policies),
                          TICKETFLOW_SLA_ASSIGN_WITHIN_S="100000")
    app_id = worker.env["TICKETFLOW_APP_ID"]
    create_topics(topics, internal_topics(app_id), PARTITIONS)  # the worker makes them too
    consumer = make_consumer(topics, ["tickets.routed", "kpi.tickets", "kpi.fcr",
                                      kpi_facts_topic(app_id).name], from_beginning=False,
                             fetch_max_wait_ms=100)
    producer = make_producer(topics)
    seen: dict[str, dict[str, dict[str, Any]]] = {"tickets.routed": {}, "kpi.tickets": {},
                                                  "kpi.fcr": {}, "facts": {}}
    fact_messages: list[dict[str, Any]] = []

    def poll() -> None:
        for tp, records in consumer.poll(timeout_ms=200).items():
            for record in records:
                value = json.loads(record.value)
                if tp.topic == "tickets.routed":
                    if value["ticket"]["ticket_id"] in ours:
                        seen["tickets.routed"][value["ticket"]["ticket_id"]] = value
                elif tp.topic.endswith("-kpi-facts"):  # one message per intent and batch
                    if any(f["ticket_id"] in ours for f in value["facts"]):
                        fact_messages.append(value)
                    for fact in value["facts"]:
                        if fact["ticket_id"] in ours:
                            seen["facts"].setdefault(fact["ticket_id"], {})[
                                fact["fact_id"]] = fact
                elif value["ticket_id"] in ours:
                    seen[tp.topic].setdefault(value["ticket_id"], {})[
                        value["record_id"]] = value

    def helpdesk(ticket: Ticket, type_: str, at: datetime, **fields: Any) -> None:
        event = HelpdeskEvent(ticket_id=ticket.ticket_id, type=type_, at=at, **fields)
        producer.send("helpdesk.events", key=ticket.ticket_id.encode(),
                      value=event.model_dump_json().encode())

    try:
        # the e-mail first: the WhatsApp message then finds it among the customer's contacts
        for t, key in ((email, customer), (whatsapp, customer), (single, other)):
            producer.send("tickets.normalized", key=key.encode(),
                          value=t.model_dump_json().encode())
            producer.flush()
        wait_until(lambda: len(seen["tickets.routed"]) == 3, 120, "the three tickets routed",
                   poll)
        t1 = datetime.now(UTC).replace(microsecond=0)
        # the e-mail: two agents, one reply, a survey, solved (in this order, one partition)
        helpdesk(email, "assigned", t1 - timedelta(seconds=5), agent_id="agent-1")
        helpdesk(email, "assigned", t1 - timedelta(seconds=4), agent_id="agent-2")
        helpdesk(email, "agent_replied", t1 - timedelta(seconds=3), agent_id="agent-2")
        helpdesk(email, "assigned", t1 - timedelta(seconds=3), agent_id="agent-2")  # the same
        helpdesk(email, "csat_submitted", t1 - timedelta(seconds=1), score=4)
        helpdesk(email, "status_changed", t1, status="solved")
        # the other customer's chat: one reply, solved, nothing after
        helpdesk(single, "agent_replied", t1 - timedelta(seconds=2), agent_id="agent-3")
        helpdesk(single, "status_changed", t1 - timedelta(seconds=1), status="closed")
        producer.flush()
        wait_until(lambda: len(seen["kpi.tickets"]) == 2, 60,
                   lambda: f"kpi.tickets for both solved tickets (so far {seen['kpi.tickets']})",
                   poll)
        # decided once the window and grace have passed after each solve (wall clock)
        wait_until(lambda: len(seen["kpi.fcr"]) == 2, WINDOW_S + GRACE_S + 60,
                   lambda: f"kpi.fcr for both (so far {seen['kpi.fcr']})", poll)
    finally:
        consumer.close()
        producer.close()

    ticket_schema = json.loads((JSON_DIR / "kpi_ticket.json").read_text())
    fcr_schema = json.loads((JSON_DIR / "kpi_fcr.json").read_text())
    facts_schema = json.loads((JSON_DIR / "kpi_facts.json").read_text())
    assert whatsapp.ticket_id not in seen["kpi.tickets"]  # never solved: no record

    [record] = seen["kpi.tickets"][email.ticket_id].values()  # one record id
    jsonschema.validate(record, ticket_schema)
    decision = seen["tickets.routed"][email.ticket_id]["decision"]
    assert (record["channel"], record["intent"], record["queue"], record["priority"]) == (
        "email", "order_status", decision["queue"], decision["priority"])
    assert record["first_response_s"] == (t1 - timedelta(seconds=3)
                                          - email.received_at).total_seconds()
    assert record["resolution_s"] == (t1 - email.received_at).total_seconds()
    # no calendar in these policies: business seconds are calendar seconds
    assert record["resolution_business_s"] == record["resolution_s"]
    assert record["first_response_business_s"] == record["first_response_s"]
    assert record["sla_policy"] == "bench"
    assert datetime.fromisoformat(record["solved_at"]) == t1
    assert (record["agent_replies"], record["reassignments"], record["reroutes"]) == (1, 1, 0)
    assert record["reopened"] is False and record["csat_score"] == 4
    assert record["sla_met"] == {"first_response": True, "next_response": True,
                                 "resolution": True}

    [chat] = seen["kpi.tickets"][single.ticket_id].values()
    assert (chat["channel"], chat["agent_replies"], chat["reassignments"]) == ("chat", 1, 0)
    assert chat["csat_score"] is None
    assert chat["resolution_s"] == (t1 - timedelta(seconds=1)
                                    - single.received_at).total_seconds()

    [fcr_email] = seen["kpi.fcr"][email.ticket_id].values()
    [fcr_chat] = seen["kpi.fcr"][single.ticket_id].values()
    for fcr in (fcr_email, fcr_chat):
        jsonschema.validate(fcr, fcr_schema)
        assert fcr["window_s"] == WINDOW_S
    # the WhatsApp message came (before the solve even) about the same thing: not resolved
    # at first contact, although the e-mail had one reply and was not reopened
    assert fcr_email["fcr"] is False and fcr_email["recontact_ticket_id"] == whatsapp.ticket_id
    assert fcr_chat["fcr"] is True and fcr_chat["recontact_ticket_id"] is None
    assert fcr_email["csat_score"] == 4

    kinds = {tid: sorted(f["kind"] for f in facts.values())
             for tid, facts in seen["facts"].items()}
    assert kinds[email.ticket_id] == ["csat", "fcr", "received", "solved"]
    assert kinds[whatsapp.ticket_id] == ["received"]
    assert kinds[single.ticket_id] == ["fcr", "received", "solved"]
    for message in fact_messages:
        jsonschema.validate(message, facts_schema)
        assert {f["intent"] for f in message["facts"]} == {message["intent"]}
    for facts in seen["facts"].values():
        for fact in facts.values():
            assert fact["intent"] in ("order_status", "refund")


def test_each_ticket_counts_once_across_a_kill_and_restart(start_worker, topics, tmp_path):
    """A worker killed (-9) while it emits KPI records: the next one, recovering the
    ``kpi-tickets`` table from its changelog, emits the rest — and what the dead one may have
    emitted without storing comes again with the same record id and the same values."""
    run = f"kpi-kill-{time.time_ns()}"
    now = datetime.now(UTC).replace(microsecond=0)
    tickets = [_ticket(run, str(i), channel="webform", customer=f"email:{run}-{i}@example.com",
                       at=now - timedelta(seconds=60), intent="order_status")
               for i in range(40)]
    ours = {t.ticket_id for t in tickets}
    policies = tmp_path / "policies.yaml"
    policies.write_text(policies_yaml(timedelta(hours=1)), encoding="utf-8")
    env = {"TICKETFLOW_SLA_POLICIES_PATH": str(policies),
           "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "100000"}
    first = start_worker(**env)
    consumer = make_consumer(topics, ["tickets.routed", "kpi.tickets"], from_beginning=False,
                             fetch_max_wait_ms=100)
    producer = make_producer(topics)
    routed: set[str] = set()
    records: list[dict[str, Any]] = []

    def poll() -> None:
        for tp, batch in consumer.poll(timeout_ms=200).items():
            for record in batch:
                value = json.loads(record.value)
                if tp.topic == "tickets.routed":
                    if value["ticket"]["ticket_id"] in ours:
                        routed.add(value["ticket"]["ticket_id"])
                elif value["ticket_id"] in ours:
                    records.append(value)

    def answer(part: list[Ticket]) -> None:
        for i, t in enumerate(part):
            for type_, fields in (("agent_replied", {"agent_id": "a"}),
                                  ("status_changed", {"status": "solved"})):
                event = HelpdeskEvent(ticket_id=t.ticket_id, type=type_,
                                      at=now + timedelta(seconds=i), **fields)
                producer.send("helpdesk.events", key=t.ticket_id.encode(),
                              value=event.model_dump_json().encode())
        producer.flush()

    try:
        for t in tickets:
            assert t.enrichment is not None
            producer.send("tickets.normalized", key=t.enrichment.customer_key.encode(),
                          value=t.model_dump_json().encode())
        producer.flush()
        wait_until(lambda: routed == ours, 120, "every ticket routed", poll)
        answer(tickets[:20])
        wait_until(lambda: bool(records), 60, "a first KPI record", poll)
        first.kill()  # in the middle of the first half, or just after it
        before_kill = {r["ticket_id"] for r in records}
        answer(tickets[20:])
        start_worker(**env)
        def seen() -> set[str]:
            return {r["ticket_id"] for r in records}

        wait_until(lambda: seen() == ours, 120,
                   lambda: f"a KPI record for every ticket ({len(seen())} of {len(ours)})", poll)
    finally:
        consumer.close()
        producer.close()

    assert before_kill and before_kill != ours
    by_ticket: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_ticket.setdefault(record["ticket_id"], []).append(record)
    for ticket_id, copies in by_ticket.items():
        # a re-derived record is the same record: one id, the same values (emitted_at aside)
        assert len({c["record_id"] for c in copies}) == 1, ticket_id
        assert len({json.dumps({k: v for k, v in c.items() if k != "emitted_at"},
                               sort_keys=True) for c in copies}) == 1, ticket_id
    i = {t.ticket_id: n for n, t in enumerate(tickets)}
    for ticket_id, copies in by_ticket.items():
        assert copies[0]["resolution_s"] == 60 + i[ticket_id] % 20

"""The replay report: what suggestions over recorded traffic add up to."""

from __future__ import annotations

import json

from replies import ReplayReport, Replies, replay
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris, tid

WED_11 = paris(2026, 11, 18, 11)


def batch() -> list:
    shipped = order(status="shipped", carrier="DHL", tracking_number="JD1",
                    promised_delivery_at="2026-11-20T12:00:00+00:00")
    return [
        routed(WED_11, ticket_id=tid(1), channel="email", classification__intent="order_status",
               **shipped),
        routed(WED_11, ticket_id=tid(2), channel="email", classification__intent="refund",
               classification__confidence=0.6, **order(status="delivered")),
        routed(WED_11, ticket_id=tid(3), channel="email", classification__intent="refund",
               classification__confidence=0.6, classification__needs_triage=True,
               classification__sentiment__score=-0.9, **order(status="delivered")),
        routed(WED_11, ticket_id=tid(4), channel="chat",
               classification__intent="product_question"),
    ]


def test_counts_and_the_answerable_share(demo: Replies) -> None:
    report = ReplayReport().add_all(demo.suggest_batch(batch()))
    d = report.as_dict()
    assert (d["tickets"], d["acknowledged"], d["answered"], d["suppressed"]) == (4, 4, 1, 2)
    assert d["answerable"] == 3 and d["answerable_share"] == 0.333
    assert d["by_reason"] == {"low_confidence": 1, "needs_triage": 1,
                              "negative_sentiment": 1}
    assert d["by_kind"] == {"order_status": 1} and d["auto_resolvable"] == 1
    # the demo rules: orders and returns may send answers, triage and product acknowledgements
    assert d["auto_send"] == {"acknowledgement": 3, "answer": 1}
    assert [e["ticket_id"] for e in d["examples"]] == [tid(1)]
    json.dumps(d)  # one JSON line for the CLI and the demo


def test_nothing_answerable_has_no_share() -> None:
    assert ReplayReport().answerable_share is None
    assert "0 tickets" in ReplayReport().render()


def test_replay_counts_each_ticket_once_from_its_first_routing(demo: Replies) -> None:
    rows = [json.loads(r.model_dump_json()) for r in batch()]
    rerouted = dict(rows[0], attempt=2)
    bare_ticket = rows[1]["ticket"]
    report = replay([*rows, rows[0], rerouted, bare_ticket, {"not": "a record"}, [1, 2]],
                    demo.suggest)
    assert report.tickets == 4 and report.skipped == 3
    text = report.render()
    assert text.startswith("4 tickets: 4 acknowledged, 1 answered (33% of the 3 with an answer "
                           "kind; 1 would settle the question), 2 suppressed. Nothing was sent.")
    assert "suppressed needs_triage" in text and "3 record(s) skipped" in text


def test_lines_of_ticketflow_tail_are_read_too(demo: Replies) -> None:
    rows = [{"topic": "tickets.routed", "partition": 0, "offset": n, "key": r.ticket.ticket_id,
             "value": json.loads(r.model_dump_json())} for n, r in enumerate(batch())]
    report = replay(rows, demo.suggest)
    assert (report.tickets, report.skipped, report.answered) == (4, 0, 1)

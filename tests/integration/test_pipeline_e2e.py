"""The whole corpus through a real worker on a real broker: every raw message comes out exactly
once, as its expected tickets or as one dead letter with the expected error code; every routed
ticket gets one reply suggestion on ``replies.suggested`` that its JSON Schema accepts."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import jsonschema

import corpus
from schemas import DeadLetter, Ticket
from schemas.export import JSON_DIR
from schemas.routing import Decision, RoutedTicket
from streams.kafka_io import make_consumer, make_producer
from streams.topics import (
    INBOUND_MAX_MESSAGE_BYTES,
    REPLIES_SUGGESTED,
    TICKETS_DEADLETTER,
    TICKETS_NORMALIZED,
    TICKETS_ROUTED,
)
from ticketflow.ingest import publish

from .conftest import wait_until

Coord = tuple[str, int, int]


def collect(
    consumer: Any, into: dict[Coord, list[Ticket | DeadLetter]],
    enriched: dict[str, list[Ticket]] | None = None,
    decisions: dict[str, Decision] | None = None,
    suggestions: dict[str, list[dict[str, Any]]] | None = None,
) -> None:
    for tp, messages in consumer.poll(timeout_ms=200).items():
        for message in messages:
            if tp.topic == REPLIES_SUGGESTED.name:
                if suggestions is not None:
                    value = json.loads(message.value)
                    suggestions.setdefault(value["ticket_id"], []).append(value)
                continue
            if tp.topic == TICKETS_ROUTED.name:
                if enriched is not None:
                    routed = RoutedTicket.model_validate_json(message.value)
                    enriched.setdefault(routed.ticket.ticket_id, []).append(routed.ticket)
                    if decisions is not None:
                        decisions[routed.ticket.ticket_id] = routed.decision
                continue
            data = json.loads(message.value)
            record: Ticket | DeadLetter = (
                Ticket.model_validate(data) if tp.topic == TICKETS_NORMALIZED.name
                else DeadLetter.model_validate(data)
            )
            src = record.source
            into[(src.topic, src.partition, src.offset)].append(record)


def test_every_message_comes_out_exactly_once(topics: str, start_worker, tmp_path) -> None:
    files = corpus.load_manifest()
    oversize = tmp_path / "oversize.json"
    oversize.write_bytes(b'{"message": "' + b"x" * 1_100_000 + b'"}')

    consumer = make_consumer(
        topics, [TICKETS_NORMALIZED.name, TICKETS_DEADLETTER.name, TICKETS_ROUTED.name,
                 REPLIES_SUGGESTED.name], from_beginning=True)
    producer = make_producer(topics, max_request_size=INBOUND_MAX_MESSAGE_BYTES)
    start_worker()
    published = publish(producer, [(f.channel, f.path) for f in files] + [("webform", oversize)])
    producer.close()

    by_path = {f.path: f for f in files}
    expected = {(p.topic, p.partition, p.offset): by_path.get(p.path) for p in published}
    outcomes: dict[Coord, list[Ticket | DeadLetter]] = defaultdict(list)
    enriched: dict[str, list[Ticket]] = {}
    decisions: dict[str, Decision] = {}
    suggestions: dict[str, list[dict[str, Any]]] = {}

    def complete() -> bool:
        return all(
            coord in outcomes and (
                isinstance(outcomes[coord][0], DeadLetter)
                or len(outcomes[coord]) >= (f.expected_tickets if f else 1)
            )
            for coord, f in expected.items()
        )

    wait_until(complete, 180, "every published message to come out",
               lambda: collect(consumer, outcomes, enriched, decisions, suggestions))
    expected_ids = {t.ticket_id for rs in outcomes.values() for t in rs
                    if isinstance(t, Ticket)}
    wait_until(lambda: expected_ids <= set(enriched), 120,
               "every ticket to pass the per-customer stage",
               lambda: collect(consumer, outcomes, enriched, decisions, suggestions))
    wait_until(lambda: expected_ids <= set(suggestions), 60,
               "a reply suggestion for every routed ticket",
               lambda: collect(consumer, outcomes, enriched, decisions, suggestions))
    # Drain what is still in flight, so a late duplicate would be seen.
    for _ in range(5):
        collect(consumer, outcomes, enriched, decisions, suggestions)
    consumer.close()

    problems = []
    for coord, f in expected.items():
        got = outcomes[coord]
        if f is None:  # the oversized payload
            assert len(got) == 1 and isinstance(got[0], DeadLetter)
            assert got[0].error_code == "payload_too_large"
            assert got[0].payload_size == oversize.stat().st_size
            continue
        if f.expected_error:
            if not (len(got) == 1 and isinstance(got[0], DeadLetter)
                    and got[0].error_code == f.expected_error):
                problems.append(f"{f.path.name}: expected {f.expected_error}, got {got}")
        elif not (len(got) == f.expected_tickets and all(isinstance(r, Ticket) for r in got)):
            problems.append(f"{f.path.name}: expected {f.expected_tickets} ticket(s), got {got}")
    assert not problems, "\n".join(problems[:10])

    tickets = [r for rs in outcomes.values() for r in rs if isinstance(r, Ticket)
               and (r.source.topic, r.source.partition, r.source.offset) in expected]
    assert len({t.ticket_id for t in tickets}) == len(tickets), "duplicate ticket ids"
    assert sum(f.expected_tickets for f in files if not f.expected_error) == len(tickets)
    # classified in the same pass, one model for the batch
    assert all(t.classification is not None for t in tickets)
    versions = {t.classification.model_version for t in tickets if t.classification}
    assert len(versions) == 1

    # enriched from the seeded store: the corpus' customers are found
    statuses = [t.enrichment.status for t in tickets if t.enrichment]
    assert len(statuses) == len(tickets) and "unavailable" not in statuses
    assert statuses.count("ok") / len(statuses) > 0.8
    # and threaded per customer: contacts counted, one conversation id per ticket
    final = [enriched[t.ticket_id][0] for t in tickets]
    assert all(t.enrichment and t.enrichment.contacts for t in final)
    assert all(t.thread.conversation_id for t in final)
    repeat = [t for t in final if t.enrichment and t.enrichment.contacts
              and t.enrichment.contacts.last_7d > 1]
    assert repeat, "the corpus has customers writing on several channels"
    # routed: every ticket decided by the demo ruleset, with its reasons
    assert {t.ticket_id for t in final} <= set(decisions)
    assert all(decisions[t.ticket_id].matched for t in final)
    assert len({d.queue for d in decisions.values()}) >= 5


    # one reply suggestion per routed ticket, valid against its published JSON Schema
    schema = json.loads((JSON_DIR / "reply_suggestion.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    ours = [suggestions[t.ticket_id] for t in final]
    # one suggestion id per ticket (other tests on this broker route the same corpus tickets:
    # their workers' suggestions carry the same id, as a redelivery would)
    assert all(len({x["suggestion_id"] for x in s}) == 1 for s in ours)
    invalid = [e.message for s in ours for x in s for e in validator.iter_errors(x)]
    assert not invalid, invalid[:5]
    answered = [s[0] for s in ours if s[0]["answer"] is not None]
    assert answered and len(answered) < len(ours)  # the corpus has both
    assert {s[0]["acknowledgement"]["language"] for s in ours} >= {"en", "fr", "de", "es"}
    assert any(s[0]["suppressed"] for s in ours)

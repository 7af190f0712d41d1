from __future__ import annotations

import json
from datetime import UTC, datetime

from channels import RawRecord
from schemas import DeadLetter, Source, Ticket
from streams.pipeline import NamedStage, Pipeline, encode_output

from ..conftest import FIXED_NOW


def webform(submission_id: str, message: str = "Where is my order #104512?") -> bytes:
    return json.dumps({
        "submission_id": submission_id, "submitted_at": "2026-11-20T10:00:00Z",
        "name": "Ana Ruiz", "email": "Ana.Ruiz@Example.com", "topic": "Order status",
        "message": message,
    }).encode()


def record(value: bytes, offset: int, channel: str = "webform") -> RawRecord:
    return RawRecord(
        channel=channel, value=value,
        source=Source(topic=f"inbound.{channel}", partition=0, offset=offset),
        timestamp=datetime(2026, 11, 20, tzinfo=UTC),
    )


def test_batch_yields_tickets_and_deadletters_in_one_pass(fixed_clock) -> None:
    out = Pipeline(fixed_clock).process([
        record(webform("s1"), 0), record(b"{not json", 1), record(webform("s2"), 2),
    ])
    assert out.records == 3
    assert [t.provider_message_id for t in out.tickets] == ["s1", "s2"]
    assert [d.error_code for d in out.deadletters] == ["invalid_json"]
    assert out.deadletters[0].failed_at == FIXED_NOW
    assert out.tickets[0].customer.email == "ana.ruiz@example.com"
    assert out.tickets[0].order_numbers == ("104512",)


def test_same_record_twice_gives_same_ids(fixed_clock) -> None:
    pipeline = Pipeline(fixed_clock)
    first = pipeline.process([record(webform("s1"), 0), record(b"[]", 1)])
    again = pipeline.process([record(webform("s1"), 0), record(b"[]", 1)])
    assert first.tickets[0].ticket_id == again.tickets[0].ticket_id
    assert first.deadletters[0].deadletter_id == again.deadletters[0].deadletter_id


def test_payload_over_limit_is_deadlettered_with_its_bytes(fixed_clock) -> None:
    big = record(webform("s1", "x" * 200), 0)
    out = Pipeline(fixed_clock, max_payload_bytes=100).process([big])
    assert not out.tickets
    (dl,) = out.deadletters
    assert dl.error_code == "payload_too_large"
    assert dl.payload_size > 100
    assert "limit" in dl.reason


def test_unknown_channel_is_deadlettered(fixed_clock) -> None:
    out = Pipeline(fixed_clock).process([record(b"hello", 0, channel="fax")])
    assert out.deadletters[0].error_code == "unknown_channel"
    assert "fax" in out.deadletters[0].reason


def test_failing_stage_deadletters_only_the_poison_ticket(fixed_clock) -> None:
    def stage(tickets):
        if any("poison" in t.body for t in tickets):
            raise ValueError("cannot handle poison")
        return tickets

    out = Pipeline(fixed_clock, stages=[NamedStage("picky", stage)]).process([
        record(webform("ok1"), 0), record(webform("bad", "poison pill"), 1),
        record(webform("ok2"), 2),
    ])
    assert [t.provider_message_id for t in out.tickets] == ["ok1", "ok2"]
    (dl,) = out.deadletters
    assert dl.error_code == "internal_error"
    assert "picky" in dl.reason
    assert dl.source.offset == 1


def test_stage_runs_once_per_batch(fixed_clock) -> None:
    calls: list[int] = []

    def stage(tickets):
        calls.append(len(tickets))
        return tickets

    Pipeline(fixed_clock, stages=[NamedStage("count", stage)]).process(
        [record(webform(f"s{i}"), i) for i in range(5)]
    )
    assert calls == [5]


def test_process_safely_never_loses_a_batch(fixed_clock) -> None:
    class Broken(Pipeline):
        def process(self, records):
            raise RuntimeError("bug")

    out = Broken(fixed_clock).process_safely([record(webform("s1"), 0), record(b"x", 1)])
    assert not out.tickets
    assert [d.source.offset for d in out.deadletters] == [0, 1]
    assert all(isinstance(d, DeadLetter) and d.error_code == "internal_error"
               for d in out.deadletters)
    assert isinstance(Ticket, type)


PAYMENT_MESSAGE = ("Order #104512: card 4111 1111 1111 1111 charged twice, refund to "
                   "DE89 3704 0044 0532 0130 00. Call +49 151 23456789. password: hunter2")


def test_redaction_is_off_by_default(fixed_clock) -> None:
    out = Pipeline(fixed_clock).process([record(webform("s1", PAYMENT_MESSAGE), 0)])
    assert "4111 1111 1111 1111" in out.tickets[0].body
    assert not out.redactions


def test_redaction_while_normalizing_keeps_order_and_phone_numbers(fixed_clock) -> None:
    from prometheus_client import CollectorRegistry

    from streams.metrics import PipelineMetrics

    seen: list[Ticket] = []

    def stage(tickets):
        seen.extend(tickets)
        return tickets

    out = Pipeline(fixed_clock, stages=[NamedStage("next", stage)], redact=True).process(
        [record(webform("s1", PAYMENT_MESSAGE), 0)])
    ticket = out.tickets[0]
    for text in (ticket.body, ticket.body_original, seen[0].body):
        assert "4111" not in text and "DE89" not in text and "hunter2" not in text
        assert "[card]" in text and "[iban]" in text and "password: [password]" in text
        assert "#104512" in text and "+49 151 23456789" in text
    assert ticket.order_numbers == ("104512",)
    assert out.redactions == {"card": 2, "iban": 2, "password": 2}  # body and body_original
    registry = CollectorRegistry()
    PipelineMetrics(registry).observe(["webform"], encode_output(out), 0.01)
    for kind in ("card", "iban", "password"):
        assert registry.get_sample_value("ticketflow_redactions_total", {"kind": kind}) == 2


def test_encoded_output_is_keyed_by_customer_and_counted_for_the_metrics(fixed_clock) -> None:
    from routing_rules.stage import customer_key

    out = Pipeline(fixed_clock).process([
        record(webform("s1"), 0), record(b"{not json", 1), record(webform("s2"), 2),
    ])
    batch = encode_output(out)
    assert [(key, Ticket.model_validate_json(value), part) for key, value, part
            in batch.tickets] == [(customer_key(t).encode(), t, None) for t in out.tickets]
    ((key, value, _),) = batch.deadletters
    assert DeadLetter.model_validate_json(value) == out.deadletters[0]
    assert key == out.deadletters[0].deadletter_id.encode()
    assert batch.tickets_by_channel == {"webform": 2}
    assert batch.deadletters_by == {("webform", "invalid_json"): 1}
    assert batch.durations == out.durations


def test_a_batch_makes_the_tickets_record_by_record_normalizing_makes(fixed_clock) -> None:
    """Languages are detected for the whole batch at once, after normalizing: the tickets are
    the ones ``normalize`` gives for each record alone (language and confidence included)."""
    import corpus
    from channels import normalize

    records = [record(f.read_bytes(), offset, f.channel)
               for offset, f in enumerate(corpus.load_manifest())]
    alone = []
    for r in records:
        result = normalize(r, FIXED_NOW)
        if not isinstance(result, DeadLetter):
            alone += result
    batch = Pipeline(fixed_clock).process(records)
    assert len({t.language for t in alone}) > 3  # the corpus is multilingual
    assert batch.tickets == alone


def test_a_failing_batched_language_detection_falls_back_to_one_text_at_a_time(
        fixed_clock, monkeypatch) -> None:
    from classifiers import language

    def broken() -> None:
        raise RuntimeError("a bug in the batched detection")

    monkeypatch.setattr(language, "_batch_scorer", broken)
    out = Pipeline(fixed_clock).process([
        record(webform("s1", "Bonjour, ma commande n'est toujours pas arrivée"), 0),
        record(webform("s2", "Where is my order #104512? It is late."), 1)])
    assert [t.language for t in out.tickets] == ["fr", "en"]
    assert out.deadletters == []

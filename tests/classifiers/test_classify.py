from __future__ import annotations

from classifiers.classify import ClassifyInput, classify, classify_tickets
from schemas.classification import Intent, Priority


def test_batch_makes_one_model_call(intent_model, monkeypatch) -> None:
    calls: list[int] = []
    original = intent_model.predict

    def counting(texts, evidence=5):
        calls.append(len(texts))
        return original(texts, evidence)

    monkeypatch.setattr(intent_model, "predict", counting)
    classify([ClassifyInput(f"where is order {n}") for n in range(40)], intent_model)
    assert calls == [40]


def test_clear_requests_are_confident_and_explained(intent_model) -> None:
    (result,) = classify([ClassifyInput("I want a refund for the broken lamp, please")],
                         intent_model)
    assert result.intent in (Intent.REFUND, Intent.DAMAGED_OR_WRONG_ITEM)
    assert result.top_intents[0].intent == result.intent
    assert result.intent_evidence
    assert result.priority_factors[0].factor == "intent"
    assert result.model_version == intent_model.version


def test_threshold_flags_needs_triage(intent_model) -> None:
    items = [ClassifyInput("hmm"), ClassifyInput("where is my parcel, it has not arrived")]
    strict = classify(items, intent_model, threshold=1.0)
    lax = classify(items, intent_model, threshold=0.0)
    assert all(r.needs_triage for r in strict)
    assert not any(r.needs_triage for r in lax)


def test_empty_text_is_other_and_needs_triage(intent_model) -> None:
    (result,) = classify([ClassifyInput("   ")], intent_model)
    assert result.intent is Intent.OTHER and result.confidence == 0.0 and result.needs_triage


def test_one_megabyte_text_is_classified(intent_model) -> None:
    (result,) = classify([ClassifyInput("my parcel is late. " * 55_000)], intent_model)
    assert result.intent is Intent.ORDER_STATUS


def test_safety_hazard_makes_p1_on_live_chat(intent_model) -> None:
    (result,) = classify([ClassifyInput("the heater caught fire!! it is broken and dangerous",
                                        channel="chat")], intent_model)
    assert result.priority is Priority.P1
    assert result.urgency[0].kind.value == "safety_hazard"


def test_stage_attaches_classification_to_each_ticket(intent_model) -> None:
    import json
    from datetime import UTC, datetime

    from channels import RawRecord, normalize
    from schemas import Source

    raw = json.dumps({"submission_id": "s9", "submitted_at": "2026-11-20T10:00:00Z",
                      "email": "a@example.com", "message": "Where is my order 104512?"}).encode()
    now = datetime(2026, 11, 21, tzinfo=UTC)
    tickets = normalize(RawRecord("webform", raw, Source(topic="inbound.webform", partition=0,
                                                         offset=0), now), now)
    assert isinstance(tickets, tuple)
    (ticket,) = classify_tickets(tickets, intent_model)
    assert ticket.classification is not None
    assert ticket.classification.intent is Intent.ORDER_STATUS
    assert ticket.ticket_id == tickets[0].ticket_id

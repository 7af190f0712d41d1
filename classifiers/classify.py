"""``classify(batch)``: intent, sentiment, urgency and priority for a whole batch of tickets.

Pure given the model: one ``predict_proba`` for the batch; sentiment and urgency are cheap
per-text lexicon passes. Below ``threshold`` confidence a ticket is flagged ``needs_triage`` so
a rule can send it to people instead of acting on a silent wrong guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.intent import IntentModel
from classifiers.priority import prioritize
from classifiers.sentiment import analyze_sentiment
from classifiers.urgency import detect_urgency
from schemas import Ticket
from schemas.classification import Classification, Intent, IntentScore

DEFAULT_TRIAGE_THRESHOLD = 0.5
# Lexicon passes see at most this much text: enough for any real message, bounded for 1 MB ones.
MAX_LEXICON_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class ClassifyInput:
    text: str
    language: str = "und"
    channel: str = "email"
    customer_segment: str | None = None
    contacts_24h: int | None = None


def ticket_text(ticket: Ticket) -> str:
    return f"{ticket.subject}\n{ticket.body}" if ticket.subject else ticket.body


def classify(
    items: Sequence[ClassifyInput], model: IntentModel, threshold: float = DEFAULT_TRIAGE_THRESHOLD
) -> list[Classification]:
    predictions = model.predict([item.text for item in items])
    results = []
    for item, prediction in zip(items, predictions, strict=True):
        text = item.text[:MAX_LEXICON_CHARS]
        intent, confidence = prediction.intent, prediction.confidence
        top: tuple[IntentScore, ...] = prediction.top
        evidence: tuple[str, ...] = prediction.evidence
        if not text.strip():  # nothing to go on: say so rather than guess
            intent, confidence, evidence = Intent.OTHER, 0.0, ()
            top = (IntentScore(intent=Intent.OTHER, probability=0.0),)
        sentiment = analyze_sentiment(text, item.language)
        urgency = detect_urgency(text, item.language)
        priority = prioritize(
            intent=intent, urgency=urgency, sentiment=sentiment, channel=item.channel,
            text=text, customer_segment=item.customer_segment, contacts_24h=item.contacts_24h,
        )
        results.append(Classification(
            intent=intent,
            confidence=confidence,
            needs_triage=confidence < threshold,
            top_intents=top,
            intent_evidence=evidence,
            sentiment=sentiment,
            urgency=urgency,
            priority=priority.priority,
            priority_score=priority.score,
            priority_factors=priority.factors,
            model_version=model.version,
        ))
    return results


def classify_tickets(
    tickets: Sequence[Ticket], model: IntentModel, threshold: float = DEFAULT_TRIAGE_THRESHOLD
) -> list[Ticket]:
    """The pipeline stage: the same tickets, each with its ``classification``."""
    items = [
        ClassifyInput(text=ticket_text(t), language=t.language, channel=t.channel.value)
        for t in tickets
    ]
    return [
        t.model_copy(update={"classification": c})
        for t, c in zip(tickets, classify(items, model, threshold), strict=True)
    ]

"""What the classifiers add to a ticket: intent, sentiment, urgency cues and priority — each with
the evidence behind it, so an agent can see why."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.common import Record


class Intent(StrEnum):
    """Stable intent labels: routing rules and dashboards use them. Never rename one."""

    ORDER_STATUS = "order_status"
    DELIVERY_INFO = "delivery_info"
    SHIPPING_ADDRESS = "shipping_address"
    ORDER_CHANGE = "order_change"
    ORDER_CANCEL = "order_cancel"
    RETURN_EXCHANGE = "return_exchange"
    REFUND = "refund"
    DAMAGED_OR_WRONG_ITEM = "damaged_or_wrong_item"
    PAYMENT_BILLING = "payment_billing"
    INVOICE = "invoice"
    PRODUCT_QUESTION = "product_question"
    ACCOUNT = "account"
    COMPLAINT = "complaint"
    FEEDBACK = "feedback"
    HUMAN_AGENT = "human_agent"
    OTHER = "other"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class UrgencyKind(StrEnum):
    ANGER = "anger"
    LEGAL_THREAT = "legal_threat"
    CHARGEBACK = "chargeback"
    SAFETY_HAZARD = "safety_hazard"
    URGENT = "urgent"
    DEADLINE = "deadline"


class IntentScore(Record):
    intent: Intent
    probability: float = Field(ge=0.0, le=1.0)


class SentimentResult(Record):
    label: Literal["negative", "neutral", "positive"]
    score: float = Field(ge=-1.0, le=1.0, description="-1 very negative … +1 very positive.")
    drivers: tuple[str, ...] = Field(
        default=(), description="The words and signals that moved the score, strongest first."
    )


class UrgencyCue(Record):
    kind: UrgencyKind
    evidence: str = Field(description="The text that triggered the cue, as written.")


class PriorityFactor(Record):
    factor: str = Field(description="e.g. intent, urgency:chargeback, sentiment, channel.")
    points: int
    detail: str


class Classification(Record):
    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    needs_triage: bool = Field(
        description="Confidence below the threshold: a person should confirm the intent."
    )
    top_intents: tuple[IntentScore, ...] = Field(description="The three likeliest intents.")
    intent_evidence: tuple[str, ...] = Field(
        default=(), description="Words that weighed most for the predicted intent."
    )
    sentiment: SentimentResult
    urgency: tuple[UrgencyCue, ...] = ()
    priority: Priority
    priority_score: int
    priority_factors: tuple[PriorityFactor, ...]
    model_version: str

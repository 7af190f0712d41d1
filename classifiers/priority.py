"""Priority P1…P4 from points, every point recorded as a factor so an agent sees why.

Points: the intent's base, urgency cues, sentiment, the channel (live channels wait less
patiently), and two hooks the enrichment stage fills: customer segment and repeat contacts.
Two guarantees hold whatever the sum: safety hazards, legal threats and chargebacks are P1 or P2;
praise and newsletter/unsubscribe requests are P3 or P4.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.classification import (
    Intent,
    Priority,
    PriorityFactor,
    SentimentResult,
    UrgencyCue,
    UrgencyKind,
)

INTENT_POINTS: dict[Intent, int] = {
    Intent.DAMAGED_OR_WRONG_ITEM: 30,
    Intent.PAYMENT_BILLING: 30,
    Intent.COMPLAINT: 30,
    Intent.ORDER_CANCEL: 25,     # only cheap before it ships
    Intent.SHIPPING_ADDRESS: 25,  # likewise
    Intent.ORDER_CHANGE: 25,
    Intent.REFUND: 25,
    Intent.ORDER_STATUS: 20,
    Intent.HUMAN_AGENT: 20,
    Intent.RETURN_EXCHANGE: 15,
    Intent.DELIVERY_INFO: 10,
    Intent.PRODUCT_QUESTION: 10,  # a sale may hang on it
    Intent.INVOICE: 10,
    Intent.ACCOUNT: 10,
    Intent.OTHER: 5,
    Intent.FEEDBACK: 0,
}
URGENCY_POINTS: dict[UrgencyKind, int] = {
    UrgencyKind.SAFETY_HAZARD: 60,
    UrgencyKind.LEGAL_THREAT: 45,
    UrgencyKind.CHARGEBACK: 40,
    UrgencyKind.ANGER: 15,
    UrgencyKind.URGENT: 15,
    UrgencyKind.DEADLINE: 10,
}
CHANNEL_POINTS: dict[str, int] = {
    "chat": 10, "phone": 10, "whatsapp": 5, "sms": 5, "social": 5, "email": 0, "webform": 0,
}
SEGMENT_POINTS: dict[str, int] = {"vip": 20, "high": 10, "regular": 0, "new": 0}
CRITICAL = {UrgencyKind.SAFETY_HAZARD, UrgencyKind.LEGAL_THREAT, UrgencyKind.CHARGEBACK}
# score >= threshold → priority
THRESHOLDS: tuple[tuple[int, Priority], ...] = (
    (70, Priority.P1), (45, Priority.P2), (20, Priority.P3), (-1000, Priority.P4),
)
_UNSUBSCRIBE = re.compile(
    r"unsubscrib|newsletter|mailing list|stop (?:sending|emailing)|d[ée]sabonn|d[ée]sinscri|"
    r"abmelden|abbestellen|darme de baja|darse de baja|cancelar la suscripci",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PriorityResult:
    priority: Priority
    score: int
    factors: tuple[PriorityFactor, ...]


def _level(score: int) -> Priority:
    return next(p for threshold, p in THRESHOLDS if score >= threshold)


def prioritize(
    *,
    intent: Intent,
    urgency: Sequence[UrgencyCue],
    sentiment: SentimentResult,
    channel: str,
    text: str = "",
    customer_segment: str | None = None,
    contacts_24h: int | None = None,
) -> PriorityResult:
    factors = [PriorityFactor(factor="intent", points=INTENT_POINTS[intent],
                              detail=f"{intent.value} base")]
    for cue in urgency:
        factors.append(PriorityFactor(factor=f"urgency:{cue.kind.value}",
                                      points=URGENCY_POINTS[cue.kind], detail=cue.evidence))
    if sentiment.label == "negative":
        points = 10 if sentiment.score <= -0.6 else 5
        factors.append(PriorityFactor(factor="sentiment", points=points,
                                      detail=f"negative ({sentiment.score:+.2f})"))
    elif sentiment.label == "positive":
        factors.append(PriorityFactor(factor="sentiment", points=-5,
                                      detail=f"positive ({sentiment.score:+.2f})"))
    if CHANNEL_POINTS.get(channel, 0):
        factors.append(PriorityFactor(factor="channel", points=CHANNEL_POINTS[channel],
                                      detail=f"{channel}: the customer is waiting live"
                                      if channel in ("chat", "phone") else channel))
    if customer_segment and SEGMENT_POINTS.get(customer_segment, 0):
        factors.append(PriorityFactor(factor="customer_value",
                                      points=SEGMENT_POINTS[customer_segment],
                                      detail=f"{customer_segment} customer"))
    if contacts_24h is not None and contacts_24h >= 2:
        points = 20 if contacts_24h >= 3 else 10
        factors.append(PriorityFactor(factor="repeat_contact", points=points,
                                      detail=f"{contacts_24h} contacts in 24 h"))
    score = sum(f.points for f in factors)
    priority = _level(score)
    critical = [c for c in urgency if c.kind in CRITICAL]
    if critical and priority in (Priority.P3, Priority.P4):
        priority = Priority.P2
        factors.append(PriorityFactor(factor="floor", points=0,
                                      detail=f"{critical[0].kind.value}: at least P2"))
    low_stakes = intent is Intent.FEEDBACK or (
        intent is Intent.ACCOUNT and _UNSUBSCRIBE.search(text) is not None
    )
    if low_stakes and not critical and priority in (Priority.P1, Priority.P2):
        priority = Priority.P3
        factors.append(PriorityFactor(factor="ceiling", points=0,
                                      detail="praise or unsubscribe: at most P3"))
    return PriorityResult(priority, score, tuple(factors))

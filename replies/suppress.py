"""Why a factual answer must not be given, although the question has one. Two kinds of reason:

* about the message (this module): the classifier is unsure, the confidence is under the
  intent's threshold, the customer is strongly negative, an urgency cue the shop lists fired
  (safety, legal threat, chargeback), or the customer's segment is one the shop excludes — a
  person answers those, however plain the facts;
* about the order the answer would be about (``replies.facts``): no customer, no order, several
  orders, or an order number that is not this customer's.

Every reason that holds is listed (an agent sees all of them; the replay counts each), each
once, with a detail a person can read. ``needs_triage`` stands in for ``low_confidence`` when
both hold: the classifier's own threshold already said the intent is uncertain.
"""

from __future__ import annotations

from replies.config import RepliesConfig
from schemas.classification import Classification
from schemas.replies import Suppression
from schemas.ticket import Ticket


def message_reasons(ticket: Ticket, classification: Classification,
                    config: RepliesConfig) -> list[Suppression]:
    c = classification
    out: list[Suppression] = []
    threshold = config.threshold(c.intent)
    if c.needs_triage:
        out.append(Suppression(reason="needs_triage", detail=(
            f"the classifier is unsure: {c.intent.value} at {c.confidence:.2f}; a person "
            "confirms the intent first")))
    elif c.confidence < threshold:
        out.append(Suppression(reason="low_confidence", detail=(
            f"confidence {c.confidence:.2f} < {threshold:.2f} for {c.intent.value}")))
    if c.sentiment.score < config.negative_sentiment_below:
        drivers = ", ".join(c.sentiment.drivers[:3])
        out.append(Suppression(reason="negative_sentiment", detail=(
            f"sentiment {c.sentiment.score:+.2f} < {config.negative_sentiment_below:+.2f}"
            + (f" ({drivers})" if drivers else ""))))
    cues = [u for u in c.urgency if u.kind in config.suppress_urgency]
    if cues:
        out.append(Suppression(reason="urgency_cue", detail="; ".join(
            f"{u.kind.value}: {u.evidence!r}" for u in cues)))
    e = ticket.enrichment
    segment = e.customer.segment if e is not None and e.customer is not None else None
    if segment is not None and segment in config.excluded_segments:
        out.append(Suppression(reason="excluded_segment", detail=(
            f"customer segment {segment!r} is excluded from factual answers")))
    return out

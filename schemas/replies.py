"""Suggested replies, on ``replies.suggested`` keyed by ticket id: for every routed ticket an
acknowledgement with the promised first-reply time, and where the order facts answer the
question, a factual answer. Help desks show them to the agent, or send them when the routing
rules say so (``auto_send``).

One suggestion per ticket (its first routing); delivery is at-least-once, so dedupe on
``suggestion_id``, which depends on the ticket id only.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.common import Record

AnswerKind = Literal["order_status", "return", "address_change", "invoice"]
"""The questions a factual answer exists for (the shop maps intents to them)."""

SuppressionReason = Literal[
    "needs_triage",        # the classifier was not sure enough of any intent
    "low_confidence",      # the intent's confidence is under its threshold
    "negative_sentiment",  # the customer is strongly negative: a person answers
    "urgency_cue",         # safety hazard, legal threat or chargeback (any cue the shop lists)
    "excluded_segment",    # the customer's segment is one the shop excludes
    "customer_unknown",    # no customer (or a shared identity settled by a guess)
    "order_unknown",       # no order of this customer to answer from
    "order_ambiguous",     # several orders: which one is meant is not certain
    "order_not_customers",  # an order number mentioned that is not this customer's
    "no_template",         # no template for the answer in any usable language
]

AutoSend = Literal["none", "acknowledgement", "answer"]


def suggestion_id(ticket_id: str) -> str:
    """``rs_`` + the first 24 hex digits of sha256 over the ticket id: the same every time the
    suggestion is derived (redelivery, replay)."""
    return "rs_" + hashlib.sha256(f"reply\x1f{ticket_id}".encode()).hexdigest()[:24]


class ReplyText(Record):
    template: str = Field(description="The template file it was rendered from, e.g. "
                          "'order_status.fr.j2'.")
    language: str = Field(description="The language it is written in (ISO 639-1).")
    text: str
    characters: int = Field(ge=0)
    sms_segments: int | None = Field(
        default=None, ge=1, description="For SMS: how many segments it takes (GSM-7 or UCS-2).")
    trimmed: bool = Field(default=False,
                          description="Cut to the channel's length limit at a word boundary.")


class Promise(Record):
    """When a person will reply: the first-response deadline of the ticket's SLA policy, its
    business-hours calendar, holidays and cap."""

    reply_by: datetime | None = Field(
        description="The first-response deadline (UTC); null when the policy sets none.")
    reply_by_local: str | None = Field(
        default=None, description="The deadline in the calendar's time zone, ISO 8601.")
    timezone: str | None = None
    within_s: float | None = Field(default=None, ge=0,
                                   description="Seconds from the start of the clock.")
    open_now: bool = Field(description="Whether support is open when the clock starts (no "
                           "calendar: always open).")
    capped: bool = Field(default=False,
                         description="The calendar-time cap decided the deadline.")
    policy: str


class Fact(Record):
    name: str = Field(description="e.g. order.number, order.status, order.carrier, "
                      "order.tracking_url, order.promised_delivery_at, order.late, "
                      "return.days_left")
    value: str | int | float | bool | None


class Suppression(Record):
    reason: SuppressionReason
    detail: str = Field(description="What fired, for a person: e.g. 'confidence 0.41 < 0.70'.")


class ReplySuggestion(Record):
    """On ``replies.suggested`` keyed by ``ticket_id``."""

    schema_version: Literal[1] = 1
    suggestion_id: str = Field(pattern=r"^rs_[0-9a-f]{24}$",
                               description="Derived from the ticket id: dedupe on it.")
    ticket_id: str
    channel: str
    queue: str
    intent: str | None = Field(description="The classifier's intent; null if not classified.")
    language: str = Field(description="The ticket's language as detected ('und' possible).")
    created_at: datetime = Field(description="The routing time of the ticket (UTC): replays "
                                 "give the same suggestion.")
    promise: Promise
    acknowledgement: ReplyText
    answer_kind: AnswerKind | None = Field(
        default=None, description="The question a factual answer exists for; null: none.")
    answer: ReplyText | None = Field(
        default=None, description="The factual answer; null when suppressed or not answerable.")
    facts: tuple[Fact, ...] = Field(default=(), description="The facts the answer used.")
    suppressed: tuple[Suppression, ...] = Field(
        default=(), description="Why no factual answer was given although the question has one.")
    can_auto_resolve: bool = Field(
        description="The answer alone should settle the question (e.g. an order on its way and "
        "not late); a person still reviews the rest.")
    auto_send: AutoSend = Field(
        description="What the routing decision allows to send without a person: the "
        "acknowledgement, the answer (with the acknowledgement's promise), or nothing.")
    templates_version: str = Field(description="Content hash of the templates and config used.")

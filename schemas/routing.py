"""The routing decision and the routed message help desks consume (``tickets.routed`` and
``queue.<name>``): the ticket plus why it went where it went."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.classification import Priority
from schemas.common import Record
from schemas.ticket import Ticket


class MatchedRule(Record):
    rule_id: str
    description: str | None = None
    reasons: tuple[str, ...] = Field(
        description="The conditions that held, readable, e.g. 'intent == refund', "
        "'enrichment.customer.segment in [vip, high]'."
    )
    actions: tuple[str, ...] = Field(description="What the rule did, e.g. 'queue = refunds'.")


class Decision(Record):
    queue: str
    topic: str = Field(description="queue.<name>")
    priority: Priority
    tags: tuple[str, ...] = ()
    sla_policy: str | None = None
    flag_for_human: bool = False
    auto_reply: Literal["off", "acknowledge", "answer"] = Field(
        default="off",
        description="What a help desk may send the customer without a person: 'off' nothing; "
        "'acknowledge' the acknowledgement with the promised reply time; 'answer' the factual "
        "answer when replies.suggested has one that nothing suppressed, else the "
        "acknowledgement. Set per queue by the routing rules; records before it read 'off'.")
    matched: tuple[MatchedRule, ...] = Field(description="Rules that matched, in order.")
    default_applied: bool = Field(description="No specific rule decided the queue.")
    ruleset_name: str
    ruleset_version: str = Field(description="Content hash of the ruleset that decided.")


class RoutedTicket(Record):
    """One message on ``tickets.routed`` and on the chosen ``queue.<name>``. Dedupe on
    ``ticket.ticket_id``: delivery is at-least-once."""

    schema_version: Literal[1] = 1
    ticket: Ticket
    decision: Decision
    routed_at: AwareDatetime
    attempt: int = Field(default=1, ge=1, description="Routing attempt: 1, then +1 for each "
                         "re-route after a decline or an assignment timeout. Dedupe on "
                         "(ticket.ticket_id, attempt).")
    exclude_agents: tuple[str, ...] = Field(
        default=(), description="Agents who declined this ticket: do not assign it to them.")

"""The routing stage's pure core: contacts per customer across a batch, routing, dead letters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from channels import RawRecord
from enrichment.contacts import State
from routing_rules import CompiledRuleset
from routing_rules.stage import customer_key, route_batch
from schemas import ErrorCode, Source, Ticket
from schemas.enrichment import Enrichment
from tests.sla.conftest import make_ticket

from ..enrichment.helpers import NOW, ticket

ONLY_WEBFORM_TO = ("- {{id: web, when: {{field: channel, op: eq, value: webform}}, "
                   "then: {{queue: {}}}}}\n"
                   "- {{id: default, default: true, then: {{queue: general}}}}\n")


def enriched(t: Ticket) -> Ticket:
    return t.model_copy(update={"enrichment": Enrichment(
        status="not_found", customer_key=t.customer.identity_key, detail="test")})


def record(t: Ticket | bytes, partition: int = 1, offset: int = 0) -> RawRecord:
    value = t if isinstance(t, bytes) else t.model_dump_json().encode()
    return RawRecord("ticket", value, Source(topic="tickets.normalized", partition=partition,
                                             offset=offset), NOW)


def test_one_customers_tickets_in_one_batch_see_each_other(
    make: Callable[[str], CompiledRuleset],
) -> None:
    rules = make(ONLY_WEBFORM_TO.format("a"))
    first = enriched(ticket(submission="s1", at=NOW - timedelta(hours=2), order="104512"))
    second = enriched(ticket(submission="s2", at=NOW, order="104512"))
    stored: dict[str, State] = {}

    out = route_batch([record(first, offset=0), record(second, offset=1)], stored.get,
                      rules.route, NOW)

    contacts = [r.ticket.enrichment.contacts for r in out.routed if r.ticket.enrichment]
    assert [c.last_24h for c in contacts if c] == [1, 2]
    assert contacts[1] and contacts[1].previous_ticket_id == first.ticket_id
    assert contacts[0] and contacts[1] and contacts[0].conversation_id == \
        contacts[1].conversation_id
    assert [r.decision.queue for r in out.routed] == ["a", "a"]
    # one write per customer, on the input partition, holding both contacts
    assert [(w.partition, w.customer_key) for w in out.writes] == [(1, customer_key(first))]
    assert len(out.writes[0].state["c"]) == 2


def test_stored_state_is_read_and_a_redelivery_is_not_counted_twice(
    make: Callable[[str], CompiledRuleset],
) -> None:
    rules = make(ONLY_WEBFORM_TO.format("a"))
    t = enriched(ticket())
    first = route_batch([record(t)], {}.get, rules.route, NOW)
    stored = {w.customer_key: w.state for w in first.writes}
    again = route_batch([record(t)], stored.get, rules.route, NOW)
    assert again.routed[0].ticket == first.routed[0].ticket
    assert again.writes[0].state == first.writes[0].state


def test_a_record_that_is_not_a_ticket_is_dead_lettered_and_the_rest_routed(
    make: Callable[[str], CompiledRuleset],
) -> None:
    rules = make(ONLY_WEBFORM_TO.format("b"))
    good = enriched(ticket())
    out = route_batch([record(b'{"not": "a ticket"}', offset=7), record(good, offset=8)],
                      {}.get, rules.route, NOW)
    assert [r.ticket.ticket_id for r in out.routed] == [good.ticket_id]
    [dead] = out.deadletters
    assert dead.error_code is ErrorCode.SCHEMA_VALIDATION
    assert (dead.source.topic, dead.source.offset) == ("tickets.normalized", 7)
    assert dead.details  # which fields were wrong


def test_a_contacts_failure_routes_the_ticket_without_contacts(
    make: Callable[[str], CompiledRuleset],
) -> None:
    rules = make(ONLY_WEBFORM_TO.format("a"))
    t = enriched(ticket())

    def broken(key: str) -> State:
        return {"c": "not a list of contacts"}

    out = route_batch([record(t)], broken, rules.route, NOW)
    assert [r.ticket.ticket_id for r in out.routed] == [t.ticket_id]
    assert out.routed[0].ticket.enrichment and out.routed[0].ticket.enrichment.contacts is None
    assert out.writes == []


def test_customer_key_falls_back_to_the_channel_identity() -> None:
    t = ticket()
    assert customer_key(t) == t.customer.identity_key


def test_a_routing_failure_dead_letters_that_ticket_and_routes_the_rest(
    make: Callable[[str], CompiledRuleset],
) -> None:
    rules = make(ONLY_WEBFORM_TO.format("a"))
    bad, good = enriched(ticket(submission="bad")), enriched(ticket(submission="good"))

    def route(t: Ticket) -> Any:
        if t.ticket_id == bad.ticket_id:
            raise KeyError("queue")
        return rules.route(t)

    out = route_batch([record(bad, offset=1), record(good, offset=2)], {}.get, route, NOW)
    assert [r.ticket.ticket_id for r in out.routed] == [good.ticket_id]
    [dead] = out.deadletters
    assert dead.error_code is ErrorCode.INTERNAL_ERROR and dead.source.offset == 1


def test_expired_contacts_are_those_of_owned_partitions_a_week_behind_event_time(
    make: Callable[[str], CompiledRuleset],
) -> None:
    from routing_rules.stage import expired_contacts

    rules = make(ONLY_WEBFORM_TO.format("a"))
    stored: dict[str, State] = {}
    partitions: dict[str, int] = {}
    for n, (days_ago, partition) in enumerate([(10, 0), (8, 1), (2, 0)]):
        t = enriched(ticket(submission=f"s{n}", email=f"c{n}@example.com",
                            at=NOW - timedelta(days=days_ago)))
        out = route_batch([record(t, partition=partition)], stored.get, rules.route, NOW)
        assert out.latest_received == t.received_at
        for w in out.writes:
            stored[w.customer_key] = w.state
            partitions[w.customer_key] = w.partition
    old, old_elsewhere, _recent = list(stored)

    gone = expired_contacts(stored.items(), NOW, {0}, partitions.__getitem__)
    assert gone == [(0, old)]  # not the recent one; not the one on a partition owned elsewhere
    assert expired_contacts(stored.items(), NOW, {0, 1}, partitions.__getitem__) == [
        (0, old), (1, old_elsewhere)]
    # replayed old traffic: event time a week back, nothing is old enough yet
    assert expired_contacts(stored.items(), NOW - timedelta(days=7), {0, 1},
                            partitions.__getitem__) == []


def test_keep_is_passed_to_the_contacts_and_their_expiry(
    make: Callable[[str], CompiledRuleset],
) -> None:
    """The worker passes keep = FCR window + 7 d: a contact 10 days old is still listed in the
    next ticket's ``recent`` and its state is not expired, where the 7-day default drops it."""
    from enrichment.contacts import contacts_keep
    from routing_rules.stage import expired_contacts

    rules = make(ONLY_WEBFORM_TO.format("a"))
    keep = contacts_keep(timedelta(days=7))
    classified = make_ticket(classification__intent="refund").classification
    old = enriched(ticket(submission="old", at=NOW - timedelta(days=10))).model_copy(
        update={"classification": classified})  # the same intent: new follows old up
    new = enriched(ticket(submission="new", at=NOW)).model_copy(
        update={"classification": classified})
    stored: dict[str, State] = {}
    for t in (old, new):
        out = route_batch([record(t)], stored.get, rules.route, NOW, keep)
        stored.update({w.customer_key: w.state for w in out.writes})
    contacts = out.routed[0].ticket.enrichment.contacts  # type: ignore[union-attr]
    assert contacts is not None and [r.ticket_id for r in contacts.recent] == [old.ticket_id]
    key = customer_key(new)
    assert expired_contacts(stored.items(), NOW + timedelta(days=8), {1}, lambda _: 1, keep) == []
    assert expired_contacts(stored.items(), NOW + timedelta(days=8), {1}, lambda _: 1) == [
        (1, key)]

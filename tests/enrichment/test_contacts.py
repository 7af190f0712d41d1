from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from enrichment.contacts import (
    CONVERSATION_GAP,
    MAX_REMEMBERED,
    WINDOW_7D,
    WINDOW_24H,
    conversation_id_for,
    record_contact,
)
from schemas.enrichment import Contacts

from .helpers import NOW, ticket


def test_counts_windows_and_threads_the_same_matter() -> None:
    state = None
    seen = []
    for i, hours_ago in enumerate([200, 30, 5, 1]):
        t = ticket(submission=f"s{i}", at=NOW - timedelta(hours=hours_ago),
                   message="Where is order #104512?")
        state, contacts = record_contact(state, t, "customer:C0001")
        seen.append(contacts)
    last = seen[-1]
    assert (last.last_24h, last.last_7d) == (2, 3)  # the 200 h old one is outside 7 days
    # 200 h → 30 h is over 72 h: new conversation; 30 → 5 → 1 h: one conversation
    assert seen[0].conversation_id != seen[1].conversation_id
    assert seen[1].conversation_id == seen[2].conversation_id == seen[3].conversation_id
    assert last.previous_ticket_id == ticket(submission="s2").ticket_id


def test_another_order_opens_another_conversation() -> None:
    first = ticket(submission="a", at=NOW - timedelta(hours=2), message="order 104512 late")
    second = ticket(submission="b", at=NOW, message="and order 105000 is damaged")
    state, c1 = record_contact(None, first, "k")
    _, c2 = record_contact(state, second, "k")
    assert c1.conversation_id != c2.conversation_id
    assert c2.last_24h == 2


def test_redelivery_is_not_counted_twice_and_gives_the_same_answer() -> None:
    t = ticket()
    state, once = record_contact(None, t, "k")
    state2, twice = record_contact(state, t, "k")
    assert once == twice
    assert len(state2["c"]) == 1


def test_replay_from_scratch_is_deterministic() -> None:
    tickets = [ticket(submission=f"s{i}", at=NOW - timedelta(hours=i)) for i in range(5)]

    def run():
        state, out = None, []
        for t in reversed(tickets):
            state, c = record_contact(state, t, "k")
            out.append(c)
        return out

    assert run() == run()


def test_a_state_of_the_previous_version_is_read() -> None:
    """Changelogs written before the compact format still restore."""
    first = ticket(submission="a", at=NOW - timedelta(hours=3), message="order 104512 late")
    second = ticket(submission="b", at=NOW, message="still about 104512")
    state, _ = record_contact(None, first, "k")
    [[ticket_id, _, orders, conversation, previous]] = state["c"]
    old = {"contacts": [{"ticket_id": ticket_id, "at": first.received_at.isoformat(),
                         "orders": orders, "conversation_id": conversation,
                         "previous": previous}]}
    from_old, c2_old = record_contact(old, second, "k")
    from_new, c2_new = record_contact(state, second, "k")
    assert c2_old == c2_new
    assert c2_new.previous_ticket_id == first.ticket_id and c2_new.last_24h == 2
    assert from_old == from_new


def test_a_state_expires_once_its_newest_contact_is_a_week_before_the_watermark() -> None:
    from enrichment.contacts import is_expired

    state, _ = record_contact(None, ticket(submission="a", at=NOW - timedelta(days=9)), "c1")
    state, _ = record_contact(state, ticket(submission="b", at=NOW - timedelta(days=3)), "c1")
    assert not is_expired(state, NOW)  # the newer contact still counts in the 7-day window
    assert not is_expired(state, NOW + timedelta(days=4) - timedelta(seconds=1))
    assert is_expired(state, NOW + timedelta(days=4))
    assert is_expired(None, NOW) and is_expired({"v": 2, "c": []}, NOW)


def _reference(state: dict | None, t: Any, key: str) -> tuple[dict, Contacts]:
    """record_contact as first written (several passes, entries copied): the one-pass
    version must give exactly this."""
    entries = [list(e) for e in state["c"]] if state else []
    at = t.received_at.timestamp()
    known = next((e for e in entries if e[0] == t.ticket_id), None)
    if known is None:
        previous = max((e for e in entries if e[1] <= at), key=lambda e: e[1], default=None)
        orders = list(t.order_numbers)
        if (previous is not None and at - previous[1] <= CONVERSATION_GAP.total_seconds()
                and (not orders or not previous[2] or set(orders) & set(previous[2]))):
            conversation = previous[3]
        else:
            conversation = conversation_id_for(key, t.ticket_id)
        known = [t.ticket_id, at, orders, conversation, previous[0] if previous else None]
        entries.append(known)
    horizon = max(e[1] for e in entries) - WINDOW_7D.total_seconds()
    entries = sorted((e for e in entries if e[1] >= horizon), key=lambda e: e[1])[-MAX_REMEMBERED:]
    day, week = WINDOW_24H.total_seconds(), WINDOW_7D.total_seconds()
    return {"v": 2, "c": entries}, Contacts(
        last_24h=max(1, sum(known[1] - day < e[1] <= known[1] for e in entries)),
        last_7d=max(1, sum(known[1] - week < e[1] <= known[1] for e in entries)),
        conversation_id=known[3], previous_ticket_id=known[4])


def test_one_pass_matches_the_reference_on_random_histories() -> None:
    rng = random.Random(7)
    for trial in range(30):
        state = None
        tickets = [ticket(submission=f"s{trial}-{i}",
                          at=NOW - timedelta(hours=rng.choice([0, 1, 1, 5, 30, 80, 200])),
                          message=rng.choice(["order 104512", "order 105000", "hello"]))
                   for i in range(rng.randint(1, 260))]
        for t in tickets + rng.sample(tickets, min(5, len(tickets))):  # some redelivered
            expected = _reference(state, t, "k")
            state, contacts = record_contact(state, t, "k")
            assert (state, contacts) == expected

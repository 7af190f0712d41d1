from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from enrichment.contacts import (
    CONVERSATION_GAP,
    MAX_RECENT,
    MAX_REMEMBERED,
    WINDOW_7D,
    WINDOW_24H,
    contacts_keep,
    conversation_id_for,
    entries_of,
    is_expired,
    record_contact,
)
from schemas.enrichment import Contacts, RecentContact

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
    [[ticket_id, _, orders, conversation, previous, _intent]] = state["c"]
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


def _reference(state: dict | None, t: Any, key: str,
               keep: timedelta = WINDOW_7D) -> tuple[dict, Contacts]:
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
        intent = str(t.classification.intent) if t.classification else None
        known = [t.ticket_id, at, orders, conversation, previous[0] if previous else None,
                 intent]
        for i, e in enumerate(entries):  # earlier related contacts it follows up first
            follower = e[6] if len(e) > 6 else None
            if e[1] < at and _same_matter_ref(e, known) and (
                    follower is None or (follower[1], follower[0]) > (at, t.ticket_id)):
                entries[i] = [*e[:6], *([None] * (6 - len(e))), [t.ticket_id, at]]
        entries.append(known)
    horizon = max(e[1] for e in entries) - max(keep, WINDOW_7D).total_seconds()
    entries = sorted((e for e in entries if e[1] >= horizon), key=lambda e: e[1])[-MAX_REMEMBERED:]
    day, week = WINDOW_24H.total_seconds(), WINDOW_7D.total_seconds()
    followed = [e for e in entries[::-1] if e[0] != known[0] and e[1] <= known[1]
                and len(e) > 6 and e[6] is not None and e[6][0] == known[0]
                and _same_matter_ref(e, known)]
    later = [e for e in entries if e[1] > known[1] and _same_matter_ref(e, known)][:1]
    others = (followed + later)[:MAX_RECENT]
    return {"v": 3, "c": entries}, Contacts(
        last_24h=max(1, sum(known[1] - day < e[1] <= known[1] for e in entries)),
        last_7d=max(1, sum(known[1] - week < e[1] <= known[1] for e in entries)),
        conversation_id=known[3], previous_ticket_id=known[4],
        recent=tuple(RecentContact(ticket_id=e[0], received_at=datetime.fromtimestamp(e[1], UTC),
                                   intent=e[5] if len(e) > 5 else None, conversation_id=e[3])
                     for e in others))


def _same_matter_ref(a: list, b: list) -> bool:
    ia, ib = (a[5] if len(a) > 5 else None), (b[5] if len(b) > 5 else None)
    return a[3] == b[3] or (ia is not None and ia == ib)


def test_one_pass_matches_the_reference_on_random_histories() -> None:
    rng = random.Random(7)
    for trial in range(30):
        state = None
        tickets = [ticket(submission=f"s{trial}-{i}",
                          at=NOW - timedelta(hours=rng.choice([0, 1, 1, 5, 30, 80, 200])),
                          message=rng.choice(["order 104512", "order 105000", "hello"]))
                   for i in range(rng.randint(1, 260))]
        tickets = [_classified(t, rng.choice(["refund", "order_status"])) if rng.random() < 0.5
                   else t for t in tickets]
        keep = rng.choice([WINDOW_7D, timedelta(days=3), timedelta(days=14)])
        for t in tickets + rng.sample(tickets, min(5, len(tickets))):  # some redelivered
            expected = _reference(state, t, "k", keep)
            state, contacts = record_contact(state, t, "k", keep)
            assert (state, contacts) == expected


def _classified(t: Any, intent: str) -> Any:
    from tests.sla.conftest import make_ticket

    classification = make_ticket(classification__intent=intent).classification
    return t.model_copy(update={"classification": classification})


def test_recent_lists_the_contacts_this_one_follows_up() -> None:
    a = _classified(ticket(submission="a", at=NOW - timedelta(days=2), order="104512"),
                    "order_status")
    b = _classified(ticket(submission="b", at=NOW, order="105000"), "order_status")
    c = _classified(ticket(submission="c", at=NOW - timedelta(hours=1), order="104512"),
                    "refund")  # about a's order (a's conversation), received before b
    state, first = record_contact(None, a, "k")
    assert first.recent == ()
    state, second = record_contact(state, b, "k")  # the same intent as a: it follows a up
    assert [(r.ticket_id, r.intent) for r in second.recent] == [(a.ticket_id, "order_status")]
    assert second.recent[0].received_at == a.received_at
    assert second.recent[0].conversation_id == first.conversation_id
    state, third = record_contact(state, c, "k")  # recorded after b, received before it
    assert third.conversation_id == first.conversation_id
    # c is now a's first follower (earlier than b); b is unrelated to c (intent, conversation)
    assert [r.ticket_id for r in third.recent] == [a.ticket_id]
    _, again = record_contact(state, b, "k")  # a redelivery: b follows nothing up any more
    assert again.recent == ()


def test_a_related_contact_routed_first_is_listed_as_the_later_one() -> None:
    late = _classified(ticket(submission="x", at=NOW + timedelta(hours=1)), "refund")
    early = _classified(ticket(submission="y", at=NOW, message="something else"), "refund")
    state, _ = record_contact(None, late, "k")
    _, contacts = record_contact(state, early, "k")
    assert [r.ticket_id for r in contacts.recent] == [late.ticket_id]


def test_one_command_per_contact_however_often_a_customer_writes() -> None:
    """A customer writing 25 times about one thing: each contact follows up only the one
    before it (the others already have their first follower)."""
    state = None
    for i in range(MAX_RECENT + 5):
        state, contacts = record_contact(
            state, ticket(submission=f"s{i}", at=NOW + timedelta(minutes=i)), "k")
        assert len(contacts.recent) == (0 if i == 0 else 1)
    assert contacts.recent[0].received_at == NOW + timedelta(minutes=MAX_RECENT + 3)


def test_keep_remembers_contacts_for_the_fcr_window_plus_a_week() -> None:
    keep = contacts_keep(timedelta(days=7))
    assert keep == timedelta(days=14)
    assert contacts_keep(timedelta(hours=1)) == WINDOW_7D + timedelta(hours=1)
    old = _classified(ticket(submission="old", at=NOW - timedelta(days=10)), "refund")
    new = _classified(ticket(submission="new", at=NOW), "refund")
    state, _ = record_contact(None, old, "k", keep)
    kept, contacts = record_contact(state, new, "k", keep)
    assert [r.ticket_id for r in contacts.recent] == [old.ticket_id]
    assert contacts.last_7d == 1  # the counts keep their own windows
    dropped, contacts_7d = record_contact(state, new, "k")  # the 7-day default
    assert contacts_7d.recent == () and len(dropped["c"]) == 1
    assert not is_expired(kept, NOW + timedelta(days=13), keep)
    assert is_expired(kept, NOW + timedelta(days=14), keep)
    assert is_expired(kept, NOW + timedelta(days=7))  # the default keep


def test_a_version_2_state_is_read_and_its_contacts_have_no_intent() -> None:
    first = ticket(submission="a", at=NOW - timedelta(hours=3), message="order 104512 late")
    second = _classified(ticket(submission="b", at=NOW, message="still about 104512"), "refund")
    state, _ = record_contact(None, first, "k")
    v2 = {"v": 2, "c": [entry[:5] for entry in state["c"]]}
    assert entries_of(v2) == v2["c"]
    new_state, contacts = record_contact(v2, second, "k")
    assert new_state["v"] == 3 and contacts.previous_ticket_id == first.ticket_id
    assert [(r.ticket_id, r.intent) for r in contacts.recent] == [(first.ticket_id, None)]
    assert new_state["c"][-1][5] == "refund"

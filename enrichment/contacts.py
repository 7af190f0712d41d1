"""Repeat contacts and conversation threading, per customer — the pure core of the keyed stage.

State is one small JSON-able dict per customer key, kept in a faust table (changelog-backed) on
the partition that owns the key. Time is the ticket's own ``received_at``, never the wall clock,
so a replay after a crash computes the same counts and the same conversation ids; a redelivered
ticket is recognised by its id and not counted twice.

Retention: contacts are remembered ``keep`` after the customer's newest one (at least 7 days,
the longest count window). The KPI stage needs them for first-contact resolution across
channels — a new contact up to the FCR window after an earlier ticket's solve, which may itself
come days after that ticket — so the worker passes ``keep = max(7 d, FCR window + 7 d)``
(:func:`contacts_keep`: 14 days with the default window). Each ticket's ``Contacts.recent``
lists the contacts this ticket follows up — each related earlier contact (the same
conversation or the same intent: :func:`related`) that no related contact had followed before —
and the first related contact received after it, if one was routed first; the KPI stage tells
the former they were re-contacted (one command each, once in their lifetime) and checks the
latter itself. Marking each earlier contact with its first follower keeps that to one command
per ticket however often a customer writes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

from schemas import Ticket
from schemas.enrichment import Contacts, RecentContact

WINDOW_7D = timedelta(days=7)
WINDOW_24H = timedelta(hours=24)
# A new contact joins the open conversation when it comes within this long of the last one and
# is about the same order (or names none): the email and the chat about one problem.
CONVERSATION_GAP = timedelta(hours=72)
MAX_REMEMBERED = 200
MAX_RECENT = 20
"""Contacts listed in a ticket's ``Contacts.recent`` at most."""


def contacts_keep(fcr_window: timedelta) -> timedelta:
    """How long after a customer's newest contact the others are remembered: the 7-day count
    window, or an FCR window plus a week for the earlier ticket to be solved, if longer."""
    return max(WINDOW_7D, fcr_window + WINDOW_7D)

State = dict[str, Any]


def conversation_id_for(customer_key: str, first_ticket_id: str) -> str:
    digest = hashlib.sha256(f"{customer_key}\x1f{first_ticket_id}".encode()).hexdigest()
    return f"cv_{digest[:20]}"


def _same_matter(orders: list[str], previous_orders: list[str]) -> bool:
    return not orders or not previous_orders or bool(set(orders) & set(previous_orders))


# One remembered contact, compact because the whole state is written to the changelog once per
# batch and read for every ticket: [ticket_id, received_at as epoch seconds, order numbers,
# conversation_id, previous ticket_id, intent, follower]. Epoch seconds, not ISO text: no
# parsing per read, and they sort right whatever the offsets the times were written with.
# follower: [ticket_id, epoch seconds] of the first related contact received after it, once
# one was recorded (absent before). Version 2 entries have no intent (5 items): read as intent
# None, and kept as they are.
Entry = list[Any]
STATE_VERSION = 3


def _intent(entry: Entry) -> str | None:
    return entry[5] if len(entry) > 5 else None


def _follower(entry: Entry) -> list[Any] | None:
    return entry[6] if len(entry) > 6 else None


def related(a_intent: str | None, a_conversation: str | None, b_intent: str | None,
            b_conversation: str | None) -> bool:
    """Same matter: the same conversation, or the same (known) intent."""
    return ((a_conversation is not None and a_conversation == b_conversation)
            or (a_intent is not None and a_intent == b_intent))


def _followed(entries: list[Entry], known: Entry) -> list[Entry]:
    """``entries`` with each related earlier contact that had no follower received before
    ``known`` marked as followed by it (new lists: stored entries are never mutated)."""
    # :func:`related` inlined, with ``known``'s side read once: this runs for every remembered
    # contact of the customer on every ticket (up to MAX_REMEMBERED)
    known_id, known_at, conversation, intent = known[0], known[1], known[3], _intent(known)
    me = [known_id, known_at]
    out = []
    for entry in entries:
        if (entry[1] < known_at and entry is not known and entry[0] != known_id
                and ((conversation is not None and entry[3] == conversation)
                     or (intent is not None and len(entry) > 5 and entry[5] == intent))):
            follower = _follower(entry)
            if (follower is None or follower[1] > known_at
                    or (follower[1] == known_at and follower[0] > known_id)):
                entry = [*entry[:6], *([None] * (6 - len(entry))), me]
        out.append(entry)
    return out


def entries_of(state: State | None) -> list[Entry]:
    """The remembered contacts of a stored state, of this version or the two before. A new
    list; the entries themselves are shared with ``state`` (nothing here mutates an entry)."""
    if not state:
        return []
    if "c" in state:  # versions 2 and 3
        return list(state["c"])
    # version 1: {"contacts": [{"ticket_id", "at" (ISO 8601), "orders", "conversation_id",
    # "previous"}]} — still in the changelogs of deployments from before
    return [[c["ticket_id"], datetime.fromisoformat(c["at"]).timestamp(), list(c["orders"]),
             c["conversation_id"], c["previous"], None] for c in state.get("contacts", [])]


def last_contact_at(state: State | None) -> float | None:
    """The newest remembered contact's time (epoch seconds), None for an empty state."""
    entries = state.get("c") if state and "c" in state else entries_of(state)
    return max((entry[1] for entry in entries), default=None) if entries else None


def is_expired(state: State | None, watermark: datetime, keep: timedelta = WINDOW_7D) -> bool:
    """Whether no ticket received at or after ``watermark`` can see this customer's contacts:
    the newest is ``keep`` (at least 7 d, longer than the conversation gap) or more older. Such
    a state only takes memory; the stage deletes it."""
    newest = last_contact_at(state)
    keep_s = max(keep, WINDOW_7D).total_seconds()
    return newest is None or newest <= watermark.timestamp() - keep_s


_AT = itemgetter(1)
_GAP_S = CONVERSATION_GAP.total_seconds()
_DAY_S = WINDOW_24H.total_seconds()
_WEEK_S = WINDOW_7D.total_seconds()


def record_contact(
    state: State | None, ticket: Ticket, customer_key: str, keep: timedelta = WINDOW_7D
) -> tuple[State, Contacts]:
    """The new state and this ticket's Contacts. Idempotent per ticket id.

    One pass finds the ticket (a redelivery), the contact before it (the first of the latest,
    at or before it) and the latest time; a customer may have up to ``MAX_REMEMBERED``, within
    ``keep`` (at least 7 d) of the newest."""
    entries = entries_of(state)
    at = ticket.received_at.timestamp()
    ticket_id = ticket.ticket_id
    known = previous = None
    latest = None
    for entry in entries:
        entry_at = entry[1]
        if known is None and entry[0] == ticket_id:
            known = entry
        if entry_at <= at and (previous is None or entry_at > previous[1]):
            previous = entry
        if latest is None or entry_at > latest:
            latest = entry_at
    if known is None:
        orders = list(ticket.order_numbers)
        if (previous is not None and at - previous[1] <= _GAP_S
                and _same_matter(orders, previous[2])):
            conversation = previous[3]
        else:
            conversation = conversation_id_for(customer_key, ticket_id)
        classification = ticket.classification
        intent = str(classification.intent) if classification is not None else None
        known = [ticket_id, at, orders, conversation, previous[0] if previous else None, intent]
        entries = _followed(entries, known)
        entries.append(known)
        if latest is None or at > latest:
            latest = at
    assert latest is not None  # entries holds known at least
    horizon = latest - max(keep.total_seconds(), _WEEK_S)
    entries = sorted((e for e in entries if e[1] >= horizon), key=_AT)[-MAX_REMEMBERED:]
    at_known = known[1]
    day_start, week_start = at_known - _DAY_S, at_known - _WEEK_S
    last_24h = last_7d = 0
    for entry in entries:
        entry_at = entry[1]
        if entry_at <= at_known:
            if day_start < entry_at:
                last_24h += 1
            if week_start < entry_at:
                last_7d += 1
    result = Contacts(
        last_24h=max(1, last_24h),
        last_7d=max(1, last_7d),
        conversation_id=known[3],
        previous_ticket_id=known[4],
        recent=_recent(entries, known),
    )
    return {"v": STATE_VERSION, "c": entries}, result


_RECENT = RecentContact.__pydantic_validator__.validate_python


def _recent(entries: list[Entry], known: Entry) -> tuple[RecentContact, ...]:
    """The contacts ``known`` follows up (related, earlier, and marked with ``known`` as their
    first follower), newest first, and the first related contact received after it (routed
    before it), at most ``MAX_RECENT`` (``entries`` is sorted oldest first). The same on a
    redelivery: the marks are in the state."""
    out = []
    later = None
    known_id, known_at, conversation, intent = known[0], known[1], known[3], _intent(known)
    for entry in reversed(entries):
        if entry is known or entry[0] == known_id or not (
                (conversation is not None and entry[3] == conversation)
                or (intent is not None and len(entry) > 5 and entry[5] == intent)):
            continue  # not related (:func:`related`, inlined as in :func:`_followed`)
        if entry[1] > known_at:
            later = entry  # iterating newest first: the last one seen is the earliest
            continue
        follower = _follower(entry)
        if follower is None or follower[0] != known_id:
            continue
        out.append(_view(entry))
        if len(out) == MAX_RECENT:
            break
    if later is not None and len(out) < MAX_RECENT:
        out.append(_view(later))
    return tuple(out)


def _view(entry: Entry) -> RecentContact:
    # the core validator on a dict: ≈2 µs an entry where the model's constructor (or
    # model_construct) took ≈4 µs
    return _RECENT({"ticket_id": entry[0], "received_at": datetime.fromtimestamp(entry[1], UTC),
                    "intent": _intent(entry), "conversation_id": entry[3]})

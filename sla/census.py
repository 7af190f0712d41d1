"""How many tickets and clocks are open, per queue and policy, on the partitions a worker
actively owns: what the ``ticketflow_sla_open_*`` and ``ticketflow_sla_warned_clocks`` gauges
show.

Kept incrementally: the SLA stage hands every state it stores (and every ticket it forgets) to
:meth:`OpenCensus.set`, which moves that one ticket's share, so a batch costs what its tickets
cost, never a scan of the table. After an assignment change the stage recounts from the table
(:meth:`OpenCensus.rebuild`), in the same pass that rebuilds its deadline index.

* An **open clock** is one that started and is not done: ``running`` or ``paused``.
* An **open ticket** is a routed ticket with at least one open clock.
* A **warned clock** is an open clock that has emitted a warning and not (yet) a breach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from sla.tracker import UNKNOWN, TicketSla

OPEN: frozenset[str] = frozenset({"running", "paused"})


class Share(NamedTuple):
    """What one ticket adds to the counts."""

    queue: str
    policy: str
    open: tuple[str, ...]
    """The metrics of its open clocks."""
    warned: tuple[str, ...]
    """The metrics of its warned clocks."""


def share_of(state: TicketSla) -> Share | None:
    """The ticket's share; None when it has no open clock (or was not routed yet)."""
    if not state.is_routed:
        return None
    policy = None
    opened: tuple[str, ...] = ()
    warned: tuple[str, ...] = ()
    for c in state.clocks:  # a loop, not comprehensions: this runs for every stored state
        if c.status in OPEN:
            policy = policy or c.policy
            opened += (c.metric,)
            if c.warnings_emitted and not c.breach_emitted:
                warned += (c.metric,)
    if policy is None:
        return None
    return Share(state.queue or UNKNOWN, policy, opened, warned)


_Keys = tuple[tuple[str, str], list[tuple[str, str, str]], list[tuple[str, str, str]]]


class OpenCensus:
    def __init__(self) -> None:
        self._shares: dict[str, Share] = {}
        self._known: dict[Share, tuple[Share, _Keys]] = {}
        """Per distinct share (a few per queue), one copy that every ticket with it points to,
        and its count keys, made once."""
        self.tickets: Counter[tuple[str, str]] = Counter()
        """(queue, policy) → open tickets."""
        self.clocks: Counter[tuple[str, str, str]] = Counter()
        """(queue, policy, metric) → open clocks."""
        self.warned: Counter[tuple[str, str, str]] = Counter()
        """(queue, policy, metric) → warned clocks."""
        # A count that falls to zero keeps its key (its gauge must then say 0, not keep the
        # last value), also across rebuilds.

    def __len__(self) -> int:
        """Open tickets counted."""
        return len(self._shares)

    def set(self, ticket_id: str, state: TicketSla | None) -> None:
        """``ticket_id``'s newest state (None: forgotten, or no longer on an owned partition)."""
        new = share_of(state) if state is not None else None
        old = self._shares.get(ticket_id)
        if new == old:
            return
        if old is not None:
            self._add(old, -1)
            del self._shares[ticket_id]
        if new is not None:
            self._shares[ticket_id] = self._add(new, 1)

    def clear(self) -> None:
        """Count nothing (before a recount: :meth:`set` each owned ticket's state again)."""
        self._shares.clear()
        # every count to 0, keys kept
        self.tickets = Counter(dict.fromkeys(self.tickets, 0))
        self.clocks = Counter(dict.fromkeys(self.clocks, 0))
        self.warned = Counter(dict.fromkeys(self.warned, 0))

    def rebuild(self, states: Iterable[tuple[str, TicketSla]]) -> None:
        """Recount from these states only (those of the owned partitions)."""
        self.clear()
        for ticket_id, state in states:
            self.set(ticket_id, state)

    def _add(self, share: Share, n: int) -> Share:
        known = self._known.get(share)
        if known is None:
            q, p = share.queue, share.policy
            known = self._known[share] = (share, ((q, p), [(q, p, m) for m in share.open],
                                                  [(q, p, m) for m in share.warned]))
        ticket_key, clock_keys, warned_keys = known[1]
        self.tickets[ticket_key] += n
        for key in clock_keys:
            self.clocks[key] += n
        for key in warned_keys:
            self.warned[key] += n
        return known[0]

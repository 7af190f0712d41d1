"""When each ticket next needs a tick, per worker: a min-heap with lazy deletion.

Not durable and not shared: each worker rebuilds it from the ``sla-clocks`` table for the
partitions it actively owns whenever its assignment changes (deadlines already past then fire at
once), so it may forget anything without losing a breach.
"""

from __future__ import annotations

import builtins
import heapq
from collections.abc import Iterable
from datetime import datetime

_SLACK = 1024


class DeadlineIndex:
    def __init__(self) -> None:
        self._heap: list[tuple[datetime, str]] = []
        self._wanted: dict[str, tuple[datetime, int]] = {}

    def __len__(self) -> int:
        return len(self._wanted)

    def set(self, ticket_id: str, partition: int, when: datetime | None) -> None:
        """Wake ``ticket_id`` at ``when`` (replacing any earlier wish); None: never."""
        if when is None:
            self._wanted.pop(ticket_id, None)
            return
        if self._wanted.get(ticket_id) == (when, partition):
            return
        self._wanted[ticket_id] = (when, partition)
        heapq.heappush(self._heap, (when, ticket_id))
        if len(self._heap) > 2 * len(self._wanted) + _SLACK:
            self._compact()

    def _compact(self) -> None:
        """Drop superseded entries. Lazy deletion leaves one behind for every changed wish, and
        those far in the future (a warning hours away, superseded by a reply) would otherwise
        stay until their time: memory growing with every ticket, not with open ones."""
        self._heap = [(when, tid) for tid, (when, _) in self._wanted.items()]
        heapq.heapify(self._heap)

    def next_at(self) -> datetime | None:
        self._drop_stale()
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: datetime, owned: builtins.set[int]) -> dict[int, list[str]]:
        """Tickets due by ``now``, grouped by partition; they leave the index (the tick that
        handles them sets their next wake-up). Partitions not owned are dropped."""
        due: dict[int, list[str]] = {}
        while self._heap and self._heap[0][0] <= now:
            when, ticket_id = heapq.heappop(self._heap)
            wanted = self._wanted.get(ticket_id)
            if wanted is None or wanted[0] != when:
                continue  # superseded
            del self._wanted[ticket_id]
            if wanted[1] in owned:
                due.setdefault(wanted[1], []).append(ticket_id)
        return due

    def rebuild(self, entries: Iterable[tuple[str, int, datetime | None]]) -> None:
        self._wanted = {tid: (when, p) for tid, p, when in entries if when is not None}
        self._heap = [(when, tid) for tid, (when, _) in self._wanted.items()]
        heapq.heapify(self._heap)

    def _drop_stale(self) -> None:
        while self._heap:
            when, ticket_id = self._heap[0]
            wanted = self._wanted.get(ticket_id)
            if wanted is not None and wanted[0] == when:
                return
            heapq.heappop(self._heap)

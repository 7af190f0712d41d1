"""Records this worker has just sent, kept by their encoded bytes for an agent of the same
worker that will read them back from Kafka, so that agent does not parse them again.

The routing agent sends every routed ticket to ``tickets.routed``; the SLA agent of the same
worker (a lone worker owns every partition; in a group, a ticket's ``tickets.routed`` partition
may be another worker's) reads each one back a few milliseconds later and parsed it with
``RoutedTicket.model_validate_json``: 5.8 % of the worker's GIL time at 500 msg/s (py-spy
``--gil``, 2026-12-06), the largest single item of the SLA agent. A message whose bytes are
exactly the bytes this process encoded from a record is that record (schemas are frozen; the
round trip is tested on the benchmark's workload), so the reader takes the object instead of
parsing the bytes. Anything else — a message sent by another worker, by a replay, one evicted
because the reader lags far behind — is parsed as before: the handoff changes what is
computed, never what comes out.

Bounded: the oldest entries are dropped past ``limit``; an entry is taken once. Used on the event
loop only (the routing agent encodes there and the SLA agent parses there), so no lock.

Why 8,192 (a routed ticket is ≈ 19 KB of Python objects: ≈ 155 MB at most, reached only while
the SLA agent trails routing by that many tickets): under a backlog the SLA agent trails the
routing agent by batches (2,000–4,000 tickets in a 30k backlog on two cores). With 1,024 the
trail outgrew the handoff and the SLA agent parsed what it missed (7.8 % of the worker's GIL
time, py-spy ``--gil``); with 8,192 it took every ticket (``ticketflow_handoff_records_total``,
three runs of ``bench pipeline`` with a 20k backlog: ``handoff_taken_share`` 1.0). Only tickets this
worker's SLA agent will read are handed off (``worker.reads_back``), and a rebalance drops the
others (``retain``), so in a group the handoff does not fill with tickets another worker reads.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 8192


class Handoff(Generic[T]):
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("a handoff keeps at least one record")
        self.limit = limit
        # OrderedDict, not dict: dropping the oldest of a dict (``next(iter(d))``) scans past
        # the slots of every entry deleted before it until the dict is resized
        self._items: OrderedDict[bytes, T] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def put(self, sent: Iterable[tuple[bytes, T]]) -> None:
        """Remember each (encoded bytes, record) just sent; the oldest go past ``limit``."""
        items = self._items
        for encoded, record in sent:
            items[encoded] = record
            items.move_to_end(encoded)  # a re-send of the same bytes is the newest again
        while len(items) > self.limit:
            items.popitem(last=False)

    def retain(self, keep: Callable[[T], bool]) -> int:
        """Drop every entry whose record ``keep`` refuses; returns how many were dropped."""
        dropped = [encoded for encoded, record in self._items.items() if not keep(record)]
        for encoded in dropped:
            del self._items[encoded]
        return len(dropped)

    def take(self, encoded: bytes) -> T | None:
        """The record these bytes were encoded from, once; None when this process did not
        send them lately."""
        record = self._items.pop(encoded, None)
        if record is None:
            self.misses += 1
        else:
            self.hits += 1
        return record

    def parser(self, parse: Callable[[bytes], T]) -> Callable[[bytes], T]:
        """``parse`` for bytes this process did not just send, the record itself for those
        it did."""
        def take_or_parse(encoded: bytes) -> T:
            record = self.take(encoded)
            return parse(encoded) if record is None else record
        return take_or_parse

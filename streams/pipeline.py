"""One pass over a micro-batch: normalize every raw record, then run the ticket stages
(classify, enrich) over the whole batch at once; ``encode_output`` turns the result into the
records to send and the counts the metrics want (what crosses back from the pipeline process,
``streams/pipeline_process.py``).

Pure apart from the injected clock: the faust agent only feeds it and sends what it returns.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from channels import RawRecord, normalize
from channels.base import DeferredLanguages
from channels.dispatch import dead_letter
from channels.orders import DEMO_SHOP, OrderNumberFormat
from channels.redact import redact_ticket
from core.clock import Clock
from core.logs import log_deadletters, source_context
from routing_rules.stage import customer_key
from schemas import DeadLetter, ErrorCode, Ticket
from sinks.kafka import Item, encode

log = logging.getLogger(__name__)

# A stage takes the batch's tickets and returns them, enriched, in the same order.
Stage = Callable[[Sequence[Ticket]], Sequence[Ticket]]


@dataclass(frozen=True, slots=True)
class NamedStage:
    name: str
    run: Stage


@dataclass(slots=True)
class BatchOutput:
    tickets: list[Ticket] = field(default_factory=list)
    deadletters: list[DeadLetter] = field(default_factory=list)
    records: int = 0
    # card/iban/password values removed from this batch's tickets (TICKETFLOW_REDACT)
    redactions: Counter[str] = field(default_factory=Counter)
    # seconds each step took on this batch: "normalize", then every stage that ran (by name)
    durations: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EncodedBatch:
    """A batch's output as the records to send and what the metrics count of it: bytes and
    counts, no ``Ticket`` objects, so that it crosses a process boundary cheaply."""

    tickets: list[Item]
    """Keyed by customer: one customer's tickets share a partition of tickets.normalized, where
    the routing agent keeps their contacts."""
    deadletters: list[Item]
    tickets_by_channel: dict[str, int]
    triage_by_channel: dict[str, int]
    """Tickets whose intent the model was not sure of (classification.needs_triage)."""
    deadletters_by: dict[tuple[str, str], int]
    """(channel or "unknown", error code) -> dead letters."""
    redactions: dict[str, int]
    durations: dict[str, float]


def encode_output(output: BatchOutput) -> EncodedBatch:
    by_channel: Counter[str] = Counter()
    triage: Counter[str] = Counter()
    tickets: list[Item] = []
    for ticket in output.tickets:
        tickets.append((customer_key(ticket).encode(), encode(ticket), None))
        by_channel[ticket.channel.value] += 1
        if ticket.classification is not None and ticket.classification.needs_triage:
            triage[ticket.channel.value] += 1
    return EncodedBatch(
        tickets=tickets,
        deadletters=[(d.deadletter_id.encode(), encode(d), None) for d in output.deadletters],
        tickets_by_channel=dict(by_channel),
        triage_by_channel=dict(triage),
        deadletters_by=dict(Counter((d.channel or "unknown", d.error_code.value)
                                    for d in output.deadletters)),
        redactions=dict(output.redactions),
        durations=dict(output.durations),
    )


class Pipeline:
    def __init__(
        self,
        clock: Clock,
        max_payload_bytes: int = 1_000_000,
        stages: Sequence[NamedStage] = (),
        redact: bool = False,
        timer: Callable[[], float] = time.perf_counter,
        order_formats: tuple[OrderNumberFormat, ...] = DEMO_SHOP,
    ) -> None:
        self.clock = clock
        self.max_payload_bytes = max_payload_bytes
        self.stages = tuple(stages)
        self.redact = redact
        self.order_formats = order_formats
        self.timer = timer
        """Measures how long each step takes (``BatchOutput.durations``)."""

    def process(self, records: Sequence[RawRecord]) -> BatchOutput:
        now = self.clock()
        started = self.timer()
        out = BatchOutput(records=len(records))
        origin: dict[str, RawRecord] = {}
        languages = DeferredLanguages()  # detected for the whole batch at once
        normalized: list[Ticket] = []
        for record in records:
            result = normalize(record, now, self.max_payload_bytes, self.order_formats,
                               languages)
            if isinstance(result, DeadLetter):
                out.deadletters.append(result)
                continue
            for ticket in result:
                origin[ticket.ticket_id] = record
                normalized.append(ticket)
        for ticket in languages.settle(normalized):
            if self.redact:
                # part of normalizing: no later stage, topic or store sees the values
                ticket, found = redact_ticket(ticket)
                out.redactions += found
            out.tickets.append(ticket)
        out.durations["normalize"] = self.timer() - started
        for stage in self.stages:
            if not out.tickets:
                break  # nothing left to run on (and nothing to time)
            started = self.timer()
            out.tickets = self._run_stage(stage, out.tickets, origin, out.deadletters)
            out.durations[stage.name] = self.timer() - started
        return out

    def process_safely(self, records: Sequence[RawRecord]) -> BatchOutput:
        """``process`` that cannot raise: should a bug escape it, every record of the batch is
        dead-lettered with its original bytes instead of being lost. Each dead letter is
        logged (INFO) with the record it came from."""
        output = self._process_safely(records)
        log_deadletters(log, output.deadletters)
        return output

    def _process_safely(self, records: Sequence[RawRecord]) -> BatchOutput:
        try:
            return self.process(records)
        except Exception as exc:
            log.exception("pipeline failed on a batch of %d", len(records))
            now = self.clock()
            return BatchOutput(
                records=len(records),
                deadletters=[
                    dead_letter(r, ErrorCode.INTERNAL_ERROR,
                                f"The pipeline failed on this batch ({type(exc).__name__}: "
                                f"{exc}); replay the original after the fix.", now)
                    for r in records
                ],
            )

    def _run_stage(
        self,
        stage: NamedStage,
        tickets: list[Ticket],
        origin: dict[str, RawRecord],
        deadletters: list[DeadLetter],
    ) -> list[Ticket]:
        """Run a stage on the batch; if the batch call fails, isolate the ticket(s) that make it
        fail so one poison message cannot hold back the rest."""
        if not tickets:
            return tickets
        try:
            return list(stage.run(tickets))
        except Exception:
            log.exception("stage %s failed on a batch of %d; retrying one by one",
                          stage.name, len(tickets))
        kept: list[Ticket] = []
        for ticket in tickets:
            try:
                kept.extend(stage.run([ticket]))
            except Exception as exc:
                log.exception("stage %s failed on ticket %s; dead-lettered", stage.name,
                              ticket.ticket_id, extra=source_context(
                                  origin[ticket.ticket_id].source, ticket.ticket_id))
                deadletters.append(dead_letter(
                    origin[ticket.ticket_id], ErrorCode.INTERNAL_ERROR,
                    f"Stage {stage.name} failed on ticket {ticket.ticket_id} "
                    f"({type(exc).__name__}: {exc}); replay the original after the fix.",
                    self.clock(),
                ))
        return kept

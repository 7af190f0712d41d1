"""What the suggestions over a stretch of traffic add up to: ``ticketflow replies replay`` over
recorded routed messages, and the demo's final ``"replies"`` figures.

* ``acknowledged``: suggestions with an acknowledgement — every ticket gets one, so this is the
  tickets counted; ``answered``: with a factual answer.
* ``suppressed``: tickets whose answer was withheld for at least one reason; ``by_reason``
  counts each reason once per ticket (a ticket can have several).
* ``answerable``: tickets whose intent has an answer kind; ``answerable_share`` =
  answered / answerable (None when there is none): how much of what could be answered was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from schemas.replies import ReplySuggestion
from schemas.routing import RoutedTicket


@dataclass
class ReplayReport:
    examples_per_kind: int = 2
    tickets: int = 0
    acknowledged: int = 0
    answered: int = 0
    suppressed: int = 0
    answerable: int = 0
    auto_resolvable: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    auto_send: Counter[str] = field(default_factory=Counter)
    sms_over_one_segment: int = 0
    trimmed: int = 0
    skipped: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    _shown: Counter[str] = field(default_factory=Counter, repr=False)

    @property
    def answerable_share(self) -> float | None:
        return round(self.answered / self.answerable, 3) if self.answerable else None

    def add(self, s: ReplySuggestion) -> None:
        self.tickets += 1
        self.acknowledged += 1  # the schema requires one: counted, not assumed elsewhere
        self.auto_send[s.auto_send] += 1
        texts = [s.acknowledgement] + ([s.answer] if s.answer is not None else [])
        self.trimmed += sum(t.trimmed for t in texts)
        self.sms_over_one_segment += sum((t.sms_segments or 1) > 1 for t in texts)
        if s.answer_kind is None:
            return
        self.answerable += 1
        if s.suppressed:
            self.suppressed += 1
            self.by_reason.update({x.reason for x in s.suppressed})
        if s.answer is not None:
            self.answered += 1
            self.by_kind[s.answer_kind] += 1
            self.auto_resolvable += s.can_auto_resolve
            if self._shown[s.answer_kind] < self.examples_per_kind:
                self._shown[s.answer_kind] += 1
                self.examples.append({"ticket_id": s.ticket_id, "kind": s.answer_kind,
                                      "language": s.answer.language, "channel": s.channel,
                                      "text": s.answer.text})

    def add_all(self, suggestions: Iterable[ReplySuggestion]) -> ReplayReport:
        for s in suggestions:
            self.add(s)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets, "acknowledged": self.acknowledged,
            "answered": self.answered, "suppressed": self.suppressed,
            "answerable": self.answerable, "answerable_share": self.answerable_share,
            "auto_resolvable": self.auto_resolvable,
            "by_reason": dict(self.by_reason.most_common()),
            "by_kind": dict(self.by_kind.most_common()),
            "auto_send": dict(self.auto_send.most_common()),
            "trimmed": self.trimmed, "sms_over_one_segment": self.sms_over_one_segment,
            "skipped": self.skipped,
            "examples": self.examples,
        }

    def render(self) -> str:
        share = "-" if self.answerable_share is None else f"{self.answerable_share:.0%}"
        lines = [
            f"{self.tickets} tickets: {self.acknowledged} acknowledged, {self.answered} "
            f"answered ({share} of the {self.answerable} with an answer kind; "
            f"{self.auto_resolvable} would settle the question), {self.suppressed} suppressed. "
            "Nothing was sent.",
        ]
        if self.by_kind:
            lines.append("  answers: " + ", ".join(f"{k} {n}" for k, n in
                                                   self.by_kind.most_common()))
        for reason, count in self.by_reason.most_common():
            lines.append(f"  suppressed {reason:<20} {count:>5}")
        lines.append("  auto-send allowed: " + (", ".join(
            f"{k} {n}" for k, n in self.auto_send.most_common()) or "-"))
        if self.skipped:
            lines.append(f"  {self.skipped} record(s) skipped: not a routed message")
        if self.trimmed:
            lines.append(f"  {self.trimmed} text(s) trimmed to their channel's limit")
        for example in self.examples:
            text = example["text"].replace("\n", " ")
            lines.append(f"  e.g. {example['kind']} ({example['language']}, "
                         f"{example['channel']}, {example['ticket_id']}): {text[:100]!r}")
        return "\n".join(lines)


def replay(records: Iterable[dict[str, Any]], suggest: Callable[[RoutedTicket], ReplySuggestion],
           examples_per_kind: int = 2) -> ReplayReport:
    """Suggest for every routed message of ``records`` (a topic or a JSONL file, read by the
    caller; lines of ``ticketflow tail`` are unwrapped). One suggestion per ticket, from its
    first routing, as the stage makes it; redeliveries and re-routes are not counted again.
    What is not a routed message (a bare ticket, another record) is counted as skipped: a
    promise needs the routing decision."""
    report = ReplayReport(examples_per_kind=examples_per_kind)
    seen: set[str] = set()
    for data in records:
        if isinstance(data, dict) and isinstance(data.get("value"), dict) and "topic" in data:
            data = data["value"]  # a line of `ticketflow tail tickets.routed`
        try:
            routed = RoutedTicket.model_validate(data)
        except ValidationError:
            report.skipped += 1
            continue
        if routed.ticket.ticket_id in seen or routed.attempt > 1:
            continue
        seen.add(routed.ticket.ticket_id)
        report.add(suggest(routed))
    return report

"""A routed batch's reply suggestions (issue 16) as the records to send and the counts the
metrics want: what the routing agent gets back from wherever the suggestions are rendered (the
pipeline's child process or thread, ``streams/pipeline_process.py``).

Pure: the routed tickets in, ``Suggested`` out. A ticket no suggestion can be rendered for is
routed all the same; it is listed in ``failed`` with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from replies import Replies
from schemas.replies import ReplySuggestion
from schemas.routing import RoutedTicket
from sinks.kafka import Item, encode


@dataclass(frozen=True, slots=True)
class Suggested:
    items: list[Item]
    """Keyed by ticket id, for ``replies.suggested``."""
    failed: list[tuple[str, str]]
    """(ticket id, why) of the first routings no suggestion could be rendered for."""
    by_channel: dict[str, int]
    answered: dict[str, int]
    """Suggestions with a factual answer, by answer kind."""
    suppressed: dict[str, int]
    """Factual answers withheld, by reason (a suggestion may give several)."""
    auto_send: dict[str, int]


def suggest_first(replies: Replies, routed: Sequence[RoutedTicket]
                  ) -> tuple[list[ReplySuggestion], list[tuple[str, str]]]:
    """The suggestions for the batch's first routings (a re-route is acknowledged already),
    and (ticket id, why) for those none could be rendered for: the ticket is routed all the
    same, a suggestion is never worth a lost ticket."""
    out: list[ReplySuggestion] = []
    failed: list[tuple[str, str]] = []
    for r in routed:
        if r.attempt != 1:
            continue
        try:
            out.append(replies.suggest(r))
        except Exception as exc:  # a shop's template bug must not stop routing
            failed.append((r.ticket.ticket_id, f"{type(exc).__name__}: {exc}"))
    return out, failed


def suggest_encoded(replies: Replies, routed: Sequence[RoutedTicket]) -> Suggested:
    suggestions, failed = suggest_first(replies, routed)
    answered: Counter[str] = Counter()
    suppressed: Counter[str] = Counter()
    for s in suggestions:
        if s.answer is not None and s.answer_kind is not None:
            answered[s.answer_kind] += 1
        suppressed.update(suppression.reason for suppression in s.suppressed)
    return Suggested(
        items=[(s.ticket_id.encode(), encode(s), None) for s in suggestions],
        failed=failed,
        by_channel=dict(Counter(s.channel for s in suggestions)),
        answered=dict(answered),
        suppressed=dict(suppressed),
        auto_send=dict(Counter(s.auto_send for s in suggestions)),
    )


def suggest_from_json(replies: Replies, routed: Sequence[bytes]) -> Suggested:
    """``suggest_encoded`` over routed tickets as they are sent (``routed/1`` JSON)."""
    return suggest_encoded(replies, [RoutedTicket.model_validate_json(v) for v in routed])


def none_suggested(routed: Sequence[RoutedTicket], why: str) -> Suggested:
    """No suggestion for any first routing of the batch, each failed with ``why``."""
    return Suggested(items=[], failed=[(r.ticket.ticket_id, why) for r in routed
                                       if r.attempt == 1],
                     by_channel={}, answered={}, suppressed={}, auto_send={})

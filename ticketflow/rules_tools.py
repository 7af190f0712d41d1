"""Tools for rule editors: explain one ticket, replay recorded traffic against a changed
ruleset (nothing is published), publish a ruleset to running workers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import TicketflowError
from core.settings import PLAINTEXT, KafkaSecurity
from routing_rules import CompiledRuleset
from schemas import Ticket
from schemas.routing import Decision, RoutedTicket


def parse_recorded(data: dict[str, Any]) -> tuple[Ticket, Decision | None]:
    """A routed message (ticket + decision) or a bare ticket."""
    if "ticket" in data and "decision" in data:
        routed = RoutedTicket.model_validate(data)
        return routed.ticket, routed.decision
    return Ticket.model_validate(data), None


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise TicketflowError(f"{path}:{number}: not JSON ({exc.msg}).") from exc


def explain(decision: Decision) -> str:
    lines = [f"queue {decision.queue} ({decision.topic}), priority {decision.priority.value}"
             + (f", SLA {decision.sla_policy}" if decision.sla_policy else "")
             + (", flagged for a human" if decision.flag_for_human else "")
             + (f", auto-reply {decision.auto_reply}" if decision.auto_reply != "off" else ""),
             f"tags: {', '.join(decision.tags) or '-'}",
             f"ruleset {decision.ruleset_name} version {decision.ruleset_version}"
             + (" (default rule)" if decision.default_applied else "")]
    for rule in decision.matched:
        lines.append(f"  rule {rule.rule_id}" + (f": {rule.description}" if rule.description
                                                 else ""))
        lines += [f"    because {reason}" for reason in rule.reasons]
        lines += [f"    then {action}" for action in rule.actions]
    return "\n".join(lines)


def compare(recorded: Decision, now: Decision) -> str | None:
    """What changed between the decision a routed message recorded and today's, or None."""
    changes = [f"{name} {getattr(recorded, name)!s} → {getattr(now, name)!s}"
               for name in ("queue", "priority", "sla_policy", "flag_for_human", "auto_reply")
               if getattr(recorded, name) != getattr(now, name)]
    if not changes:
        return None
    before = ", ".join(r.rule_id for r in recorded.matched) or "-"
    after = ", ".join(r.rule_id for r in now.matched) or "-"
    return (f"differs from the recorded decision (ruleset version {recorded.ruleset_version}): "
            f"{'; '.join(changes)}; rules then: {before}; now: {after}")


def ticket_from_text(text: str, channel: str, model: Any, threshold: float) -> Ticket:
    """A ticket for plain text, as the pipeline would classify it (language detected, intent,
    sentiment, urgency, priority); not enriched."""
    from classifiers.classify import classify_tickets
    from classifiers.language import detect_language
    from routing_rules.testing import base_ticket

    data = base_ticket(text)
    language, confidence = detect_language(text)
    data.update({"channel": channel, "provider": channel, "language": language,
                 "language_confidence": confidence, "classification": None,
                 "source": {"topic": f"inbound.{channel}", "partition": 0, "offset": 0}})
    (ticket,) = classify_tickets([Ticket.model_validate(data)], model, threshold)
    return ticket


@dataclass
class ReplayReport:
    tickets: int = 0
    moved: int = 0
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    priority_changes: int = 0
    auto_reply_changes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets, "moved": self.moved,
            "priority_changes": self.priority_changes,
            "auto_reply_changes": self.auto_reply_changes,
            "moves": [{"from": a, "to": b, "count": n, "examples": self.examples[(a, b)]}
                      for (a, b), n in self.moves.most_common()],
        }

    def render(self) -> str:
        lines = [f"{self.tickets} tickets replayed: {self.moved} would move queue, "
                 f"{self.priority_changes} would change priority, {self.auto_reply_changes} "
                 "would change auto_reply. Nothing was published."]
        for (old, new), count in self.moves.most_common():
            lines.append(f"  {old:>14} → {new:<14} {count:>5}   e.g. "
                         + "; ".join(self.examples[(old, new)]))
        return "\n".join(lines)


def replay(
    recorded: Iterable[dict[str, Any]], new: CompiledRuleset, baseline: CompiledRuleset | None,
    examples: int = 3,
) -> ReplayReport:
    """Route every recorded ticket with ``new`` and compare with what was decided then (or
    with ``baseline`` for bare tickets). Deduplicates redelivered tickets by id."""
    report = ReplayReport()
    seen: set[str] = set()
    for data in recorded:
        ticket, old = parse_recorded(data)
        if ticket.ticket_id in seen:
            continue
        seen.add(ticket.ticket_id)
        if old is None:
            if baseline is None:
                raise TicketflowError("bare tickets need --baseline RULES to compare against")
            old = baseline.route(ticket)
        decision = new.route(ticket)
        report.tickets += 1
        report.priority_changes += decision.priority != old.priority
        report.auto_reply_changes += decision.auto_reply != old.auto_reply
        if decision.queue != old.queue:
            report.moved += 1
            key = (old.queue, decision.queue)
            report.moves[key] += 1
            shown = report.examples.setdefault(key, [])
            if len(shown) < examples:
                rule = decision.matched[-1].rule_id if decision.matched else "default"
                text = (ticket.subject or ticket.body)[:40]
                shown.append(f"{ticket.ticket_id} ({rule}: {text!r})")
    return report


def read_topic(
    bootstrap: str, topic: str, idle_s: float = 2.0, security: KafkaSecurity = PLAINTEXT
) -> Iterator[dict[str, Any]]:
    from ticketflow.tail import tail

    for message in tail(bootstrap, [topic], from_beginning=True, idle_timeout_s=idle_s,
                        security=security):
        if isinstance(message["value"], dict):
            yield message["value"]


def publish_ruleset(
    bootstrap: str, path: Path, name: str, security: KafkaSecurity = PLAINTEXT
) -> tuple[int, int]:
    """Send the ruleset file's text to routing.rules (key: its name). The caller lints first."""
    from streams.admin import create_topics
    from streams.kafka_io import make_producer
    from streams.topics import ROUTING_RULES

    create_topics(bootstrap, [ROUTING_RULES], partitions=1, security=security)
    producer = make_producer(bootstrap, security=security)
    try:
        meta = producer.send(ROUTING_RULES.name, key=name.encode(),
                             value=path.read_bytes()).get(timeout=30)
    finally:
        producer.close()
    return meta.partition, meta.offset


def published_ruleset_text(bootstrap: str, security: KafkaSecurity = PLAINTEXT,
                           idle_polls: int = 2) -> list[tuple[str, str]]:
    """(text, source) of every ruleset version on ``routing.rules``, in the order a worker
    reads them (empty when the topic is empty or missing)."""
    from streams.kafka_io import make_consumer
    from streams.topics import ROUTING_RULES

    consumer = make_consumer(bootstrap, [ROUTING_RULES.name], from_beginning=True,
                             security=security)
    try:
        found: list[tuple[int, int, int, str, str]] = []
        quiet = 0
        while quiet < idle_polls:
            batch = consumer.poll(timeout_ms=300)
            quiet = 0 if batch else quiet + 1
            for records in batch.values():
                found += [(r.timestamp, r.partition, r.offset,
                           (r.value or b"").decode("utf-8", "replace"),
                           f"{ROUTING_RULES.name}[{r.partition}]@{r.offset}") for r in records]
    finally:
        consumer.close()
    return [(text, source) for *_, text, source in sorted(found)]


def active_queues(settings: Any, from_broker: bool) -> tuple[str, dict[str, str]]:
    """(where the ruleset came from, its queues: name → description): the latest valid
    version published to ``routing.rules`` when ``from_broker``, else (or when none is valid)
    the ``TICKETFLOW_RULES_PATH`` file — what a worker would run."""
    from routing_rules import RulesetError, compile_ruleset, load_ruleset, load_ruleset_text

    if from_broker:
        active: tuple[str, dict[str, str]] | None = None
        for text, source in published_ruleset_text(settings.kafka_bootstrap,
                                                   settings.kafka_security):
            try:
                compiled = compile_ruleset(load_ruleset_text(text, source))
            except RulesetError:
                continue  # refused by the workers too
            active = (f"{compiled.name} {compiled.version} from {source}", compiled.queues)
        if active is not None:
            return active
    compiled = compile_ruleset(load_ruleset(settings.rules_path))
    return f"{compiled.name} {compiled.version} from {settings.rules_path}", compiled.queues

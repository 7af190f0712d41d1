"""How an existing help desk reads one ticketflow queue — a short kafka-python consumer.

    python examples/helpdesk_consumer.py --bootstrap 127.0.0.1:9092 --queue returns

* a consumer group, so several help-desk instances share the queue's partitions;
* offsets committed only after a message is handled (at-least-once);
* deduplication by (ticket id, routing attempt), because ticketflow delivers at-least-once too
  and routes a ticket again (``attempt`` + 1) after a decline or an assignment timeout;
* the message contract: schemas/json/routed.json (``schema_version`` 1);
* telling ticketflow what happened, on ``helpdesk.events`` (schemas/json/helpdesk.json):
  ``--assign-to AGENT`` reports each ticket as assigned, which stops its assignment timeout.

Works against Apache Kafka and the embedded Tansu broker (kafka-python and aiokafka groups get
partitions from Tansu; librdkafka-based clients did not in our tests).
"""

from __future__ import annotations

import argparse
import json
import os
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer


class SeenIds:
    """The last N ticket ids handled: enough to drop redeliveries, bounded in memory.
    A real help desk would check its own ticket store (unique external id) instead."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, ticket_id: str) -> bool:
        if ticket_id in self._ids:
            return False
        self._ids[ticket_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


def create_helpdesk_ticket(message: dict[str, Any]) -> None:
    """Stand-in for the help desk's API call (Zendesk: POST /api/v2/tickets …)."""
    ticket, decision = message["ticket"], message["decision"]
    why = "; ".join(f"{r['rule_id']}: {', '.join(r['reasons'])}" for r in decision["matched"])
    print(f"[{decision['priority']}] {ticket['ticket_id']} {ticket.get('subject') or ''} "
          f"— {decision['queue']} because {why}")


def helpdesk_event(ticket_id: str, type_: str, **fields: str) -> bytes:
    """One ``helpdesk.events`` message: agent_replied, customer_replied, status_changed (with
    ``status``), assigned or declined (with ``agent_id``); ``at`` is when it happened."""
    return json.dumps({"ticket_id": ticket_id, "type": type_,
                       "at": datetime.now(UTC).isoformat(), **fields}).encode()


def assign_all_to(bootstrap: str, agent: str) -> Callable[[dict[str, Any]], None]:
    producer = KafkaProducer(bootstrap_servers=bootstrap.split(","), acks="all")

    def handle(message: dict[str, Any]) -> None:
        create_helpdesk_ticket(message)
        if agent in message.get("exclude_agents", []):
            return  # this agent declined it before: leave it to someone else
        ticket_id = message["ticket"]["ticket_id"]  # the key keeps it co-partitioned
        producer.send("helpdesk.events", key=ticket_id.encode(),
                      value=helpdesk_event(ticket_id, "assigned", agent_id=agent)).get(10)

    return handle


def consume(
    bootstrap: str, queue: str, group: str, handle: Callable[[dict[str, Any]], None],
    max_messages: int | None = None, idle_timeout_ms: int = 0,
) -> int:
    consumer = KafkaConsumer(
        f"queue.{queue}", bootstrap_servers=bootstrap.split(","), group_id=group,
        enable_auto_commit=False, auto_offset_reset="earliest",
        consumer_timeout_ms=idle_timeout_ms or float("inf"),
        session_timeout_ms=6000, heartbeat_interval_ms=1000, max_poll_interval_ms=60000,
    )
    seen = SeenIds()
    handled = 0
    try:
        for record in consumer:
            message = json.loads(record.value)
            if message.get("schema_version") != 1:
                raise SystemExit(f"unsupported schema_version {message.get('schema_version')}")
            ticket_id = message["ticket"]["ticket_id"]
            if seen.first_time(f"{ticket_id}#{message.get('attempt', 1)}"):
                handle(message)
                handled += 1
            consumer.commit()  # after handling: a crash before this redelivers, never loses
            if max_messages is not None and handled >= max_messages:
                break
    finally:
        consumer.close()
    return handled


def parse_args(argv: list[str] | None, environ: dict[str, str]) -> argparse.Namespace:
    """The command line; ``--bootstrap`` defaults to TICKETFLOW_KAFKA_BOOTSTRAP, as in every
    ticketflow command, then to 127.0.0.1:9092."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap",
                        default=environ.get("TICKETFLOW_KAFKA_BOOTSTRAP") or "127.0.0.1:9092",
                        help="Kafka bootstrap servers (default: TICKETFLOW_KAFKA_BOOTSTRAP, "
                        "else 127.0.0.1:9092)")
    parser.add_argument("--queue", required=True, help="queue name, e.g. returns")
    parser.add_argument("--group", default="helpdesk")
    parser.add_argument("--assign-to", metavar="AGENT", help="report tickets as assigned")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args(None, dict(os.environ))
    handle = assign_all_to(args.bootstrap, args.assign_to) if args.assign_to else \
        create_helpdesk_ticket
    consume(args.bootstrap, args.queue, args.group, handle)


if __name__ == "__main__":
    main()

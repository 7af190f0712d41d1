"""Database down: tickets still flow, marked enrichment.status = unavailable. Nothing is lost."""

from __future__ import annotations

import json

import corpus
from streams.kafka_io import make_consumer, make_producer
from streams.topics import TICKETS_NORMALIZED
from ticketflow.ingest import publish

from .conftest import wait_until


def test_tickets_flow_unenriched_when_the_database_is_unreachable(topics, start_worker) -> None:
    files = [f for f in corpus.load_manifest() if f.channel == "webform" and not f.expected_error]
    consumer = make_consumer(topics, [TICKETS_NORMALIZED.name], from_beginning=False)
    start_worker(TICKETFLOW_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    producer = make_producer(topics)
    published = publish(producer, [(f.channel, f.path) for f in files])
    producer.close()
    offsets = {(p.topic, p.partition, p.offset) for p in published}
    seen: dict[tuple[str, int, int], dict] = {}

    def poll() -> None:
        for _tp, messages in consumer.poll(timeout_ms=200).items():
            for message in messages:
                ticket = json.loads(message.value)
                src = ticket["source"]
                coord = (src["topic"], src["partition"], src["offset"])
                if coord in offsets:
                    seen[coord] = ticket

    wait_until(lambda: set(seen) == offsets, 120, "every webform ticket despite the outage",
               poll)
    consumer.close()
    statuses = {t["enrichment"]["status"] for t in seen.values()}
    assert statuses == {"unavailable"}
    assert all("127.0.0.1:1" in (t["enrichment"]["detail"] or "") for t in seen.values())

"""`ticketflow gdpr erase` on the embedded broker: the tombstone lands on the partition of the
contacts changelog that holds the customer's state, the state's tickets are found and their SLA
keys tombstoned and audit rows deleted."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner
from kafka import KafkaProducer

from enrichment.contacts import record_contact
from store.db import make_engine
from store.models import Customer, RoutingDecision
from streams.admin import create_topics
from streams.kafka_io import make_consumer
from streams.topics import TopicSpec, changelog_topic
from tests.conftest import FIXED_NOW
from tests.enrichment.helpers import NOW, ticket
from tests.integration.conftest import PARTITIONS
from ticketflow.cli import cli
from ticketflow.seed import db_seed


def read_all(bootstrap: str, topic: str) -> list[tuple[int, bytes | None, bytes | None]]:
    """(partition, key, value) of every record on ``topic``, up to its end offsets now."""
    consumer = make_consumer(bootstrap, [topic], from_beginning=True, fetch_max_wait_ms=100)
    try:
        tps = list(consumer.assignment())
        end = consumer.end_offsets(tps)
        records = []
        while any(consumer.position(tp) < end[tp] for tp in tps):
            for batch in consumer.poll(timeout_ms=1000).values():
                records += [(r.partition, r.key, r.value) for r in batch]
        return records
    finally:
        consumer.close()


def test_erase_tombstones_the_contacts_key_on_the_partition_that_holds_it(
    topics: str, tmp_path: Path,
) -> None:
    bootstrap = topics
    app_id = f"gdpr-{secrets.token_hex(3)}"
    contacts = changelog_topic(app_id, "customer-contacts")
    sla = changelog_topic(app_id, "sla-clocks")
    create_topics(bootstrap, [TopicSpec(t, "table key", "changelog",
                                        {"cleanup.policy": "compact"}) for t in (contacts, sla)],
                  PARTITIONS)
    # where the producer of tickets.normalized puts a key: the same partitioner on a topic of
    # the same partition count, so this test writes nothing other tests read
    probe = f"{app_id}-normalized-probe"
    create_topics(bootstrap, [TopicSpec(probe, "customer key", "partition probe")], PARTITIONS)
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    db_seed(url, FIXED_NOW)

    # As the pipeline does: the ticket keyed by the bare customer key on tickets.normalized;
    # the producer's partitioner, not ticketflow's code, picks the partition.
    key = "customer:C0001"
    mine = [ticket(submission="g1", at=NOW - timedelta(hours=3)),
            ticket(submission="g2", at=NOW)]
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    meta = producer.send(probe, key=key.encode(), value=b"{}").get(30)
    state = None
    for t in mine:
        state, _ = record_contact(state, t, key)
    # ... and the routing agent stores the state on that input partition under the table's
    # JSON key; another customer's state is left alone
    producer.send(contacts, key=json.dumps(key).encode(), value=json.dumps(state).encode(),
                  partition=meta.partition).get(30)
    other_state, _ = record_contact(None, ticket(submission="other", email="z@z.example"),
                                    "customer:C0002")
    producer.send(contacts, key=b'"customer:C0002"', value=json.dumps(other_state).encode(),
                  partition=(meta.partition + 1) % PARTITIONS).get(30)
    producer.close()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.insert(RoutingDecision), [
            {"ticket_id": t.ticket_id, "decided_at": NOW, "queue": "general", "priority": "p3",
             "ruleset_version": "v1", "matched_rules": [], "decision": {}} for t in mine])

    result = CliRunner().invoke(
        cli, ["gdpr", "erase", "--customer", "C0001", "--bootstrap", bootstrap, "--json"],
        env={"TICKETFLOW_DATABASE_URL": url, "TICKETFLOW_APP_ID": app_id,
             "TICKETFLOW_PARTITIONS": str(PARTITIONS)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)

    records = read_all(bootstrap, contacts)
    tombstones = [(p, k) for p, k, v in records if v is None]
    assert (meta.partition, b'"customer:C0001"') in tombstones
    assert not any(k == b'"customer:C0002"' for _, k in tombstones)
    assert report["tombstones_published"][contacts] == len(report["customer_keys"])
    # every key the customer may be kept under (customer:…, email:…, whatsapp_id:…) is
    # tombstoned where the producer of tickets.normalized puts that bare key
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for customer_key in report["customer_keys"]:
        home = producer.send(probe, key=customer_key.encode(), value=b"{}").get(30).partition
        assert (home, json.dumps(customer_key).encode()) in tombstones, customer_key
    producer.close()
    # the state's tickets were found: their SLA keys tombstoned, their audit rows deleted
    assert sorted(report["ticket_ids"]) == sorted(t.ticket_id for t in mine)
    sla_keys = {k for _, k, v in read_all(bootstrap, sla) if v is None}
    assert {json.dumps(t.ticket_id).encode() for t in mine} <= sla_keys
    assert report["rows"]["routing_decisions"] == 2 and report["rows"]["customers"] == 1
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(RoutingDecision)) == 0
        assert conn.scalar(sa.select(Customer.id).where(Customer.id == "C0001")) is None
    engine.dispose()

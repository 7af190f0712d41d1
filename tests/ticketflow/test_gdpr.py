"""`ticketflow gdpr erase`: the tombstone plan (which topic, partition and key) and the command's
output, without a broker (the live test is tests/integration/test_gdpr_live.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from kafka.partitioner.default import murmur2

from enrichment.contacts import record_contact
from store.erasure import Subject
from tests.conftest import FIXED_NOW
from tests.enrichment.helpers import NOW, ticket
from ticketflow.cli import cli
from ticketflow.gdpr import contact_ticket_ids, customer_keys, plan_tombstones
from ticketflow.seed import db_seed

CONTACTS = "acme-customer-contacts-changelog"
SLA = "acme-sla-clocks-changelog"


def kafka_partition(key: bytes, partitions: int) -> int:
    """Kafka's default partitioner (murmur2, positive, modulo), from kafka-python: an oracle
    independent of the code under test."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def test_customer_keys_are_the_resolved_key_and_every_channel_identity() -> None:
    subject = Subject("C0001", "C0001", (("email", "a@b.example"), ("phone", "+34600000869")))
    assert customer_keys(subject) == ["customer:C0001", "email:a@b.example",
                                      "phone:+34600000869"]
    assert customer_keys(Subject("x@y.example", None, (("email", "x@y.example"),))) == [
        "email:x@y.example"]


def test_contacts_tombstones_go_to_the_partition_the_table_holds_the_key_on() -> None:
    keys = [f"customer:C{n:04d}" for n in range(1, 41)]
    plan = plan_tombstones("acme", 8, 8, keys, [])
    assert [t.topic for t in plan] == [CONTACTS] * len(keys)
    assert [t.key for t in plan] == keys
    # the table's partition is the one tickets.normalized's producer hashes the bare key to
    assert [t.partition for t in plan] == [kafka_partition(k.encode(), 8) for k in keys]
    # and the changelog key is the table's JSON encoding of it: hashing that instead would put
    # most tombstones on a partition that does not hold the key
    assert plan[0].raw_key == b'"customer:C0001"'
    assert any(t.partition != kafka_partition(t.raw_key, 8) for t in plan)


def test_sla_tombstones_cover_every_key_of_a_ticket_on_its_partition() -> None:
    plan = plan_tombstones("acme", 4, 6, ["customer:C1"], ["wa-123", "em-9"])
    sla = [(t.partition, t.key) for t in plan if t.topic == SLA]
    assert sla == [
        (kafka_partition(b"em-9", 6), "em-9"), (kafka_partition(b"em-9", 6), "em-9/ticket"),
        (kafka_partition(b"em-9", 6), "em-9/routed"),
        (kafka_partition(b"wa-123", 6), "wa-123"),
        (kafka_partition(b"wa-123", 6), "wa-123/ticket"),
        (kafka_partition(b"wa-123", 6), "wa-123/routed"),
    ]


def test_contact_ticket_ids_reads_a_stored_contacts_state() -> None:
    first = ticket(submission="s1", at=NOW - timedelta(hours=2))
    second = ticket(submission="s2", at=NOW)
    state, _ = record_contact(None, first, "customer:C1")
    state, _ = record_contact(state, second, "customer:C1")
    assert contact_ticket_ids(json.dumps(state).encode()) == {first.ticket_id, second.ticket_id}
    assert contact_ticket_ids(None) == set()
    assert contact_ticket_ids(b"not json") == set()


@pytest.fixture
def shop_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    db_seed(url, FIXED_NOW)
    return {"TICKETFLOW_DATABASE_URL": url, "TICKETFLOW_APP_ID": "acme",
            "TICKETFLOW_PARTITIONS": "4", "TICKETFLOW_KAFKA_BOOTSTRAP": ""}


def erase(env: dict[str, str], *args: str):
    return CliRunner().invoke(cli, ["gdpr", "erase", *args], env=env, catch_exceptions=False)


def test_dry_run_json_says_what_would_go_and_publishes_and_deletes_nothing(
    shop_env: dict[str, str],
) -> None:
    result = erase(shop_env, "--customer", "pablo.fernandez87@example.net", "--ticket", "wa-1",
                   "--dry-run", "--store-only", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["customer_id"] == "C0001" and report["dry_run"] is True
    assert report["rows"]["customers"] == 1 and report["rows"]["orders"] > 0
    assert report["rows"]["routing_decisions"] == 0  # no audit row for wa-1 in this shop
    assert report["tombstones_published"] == {}
    assert report["tombstones_planned"][CONTACTS] == len(report["customer_keys"])
    assert report["tombstones_planned"][SLA] == 3
    assert "customer:C0001" in report["customer_keys"]
    assert any(line.startswith("tickets.routed:") for line in report["not_reached"])
    again = json.loads(erase(shop_env, "--customer", "C0001", "--dry-run", "--store-only",
                             "--json").stdout)
    assert again["rows"] == report["rows"] | {"routing_decisions": 0}


def test_erase_then_erase_again_says_nothing_is_left(shop_env: dict[str, str]) -> None:
    first = erase(shop_env, "--customer", "C0001", "--store-only")
    assert first.exit_code == 0, first.output
    assert "store: deleted" in first.output and "customers            1" in first.output
    assert "retention.ms" in first.output and "help desks" in first.output
    second = erase(shop_env, "--customer", "C0001", "--store-only")
    assert second.exit_code == 0, second.output
    assert "store: nothing to delete" in second.output
    assert "no customer in the store matches 'C0001'" in second.output


def test_without_a_broker_it_asks_for_one_or_for_store_only(shop_env: dict[str, str]) -> None:
    result = erase(shop_env, "--customer", "C0001")
    assert result.exit_code == 1
    assert "--bootstrap" in result.output
    assert json.loads(erase(shop_env, "--customer", "C0001", "--dry-run", "--store-only",
                            "--json").stdout)["rows"]["customers"] == 1


def test_kpi_state_of_each_ticket_is_tombstoned_on_its_partition() -> None:
    # the KPI state names the customer key it follows for first-contact resolution
    plan = plan_tombstones("acme", 4, 6, ["customer:C1"], ["wa-123", "em-9"], kpi_partitions=5)
    kpi = [(t.partition, t.key) for t in plan if t.topic == "acme-kpi-tickets-changelog"]
    assert kpi == [(kafka_partition(b"em-9", 5), "em-9"), (kafka_partition(b"wa-123", 5), "wa-123")]

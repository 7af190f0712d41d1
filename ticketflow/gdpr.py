"""``ticketflow gdpr erase``: erase one customer from the store and from the compacted changelogs
of the worker's tables, and say what cannot be erased from here.

Order of work, so that a failure is fixed by running the command again: identify the customer
(read-only), read their contacts state to learn their ticket ids, publish the tombstones, and
only then delete the store rows. Deleting first would lose the identities that name the
changelog keys, so a failed publish could not be retried.

A tombstone erases a key only on the partition that holds it: the contacts table lives on the
partition of ``tickets.normalized`` the customer key hashes to (``customer_partition``), the SLA
table on the partition of ``tickets.routed`` the ticket id hashes to; both are written under the
table's own key encoding (``table_key``). :func:`plan_tombstones` is that rule, pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from core.errors import BrokerError
from core.settings import Settings
from enrichment.contacts import entries_of
from enrichment.enrich import resolved_customer_key
from sla.stage import routed_key, ticket_key
from store.erasure import Erasure, Subject
from streams.faust_adapter import key_partition, table_key
from streams.kafka_io import make_consumer, make_producer, read_to_end
from streams.topics import DAY_MS, INBOUND, KPI, OUTPUT, RESERVED, changelog_topic
from streams.topology import CONTACTS_TABLE, KPI_TABLE, SLA_TABLE
from streams.worker import customer_partition


@dataclass(frozen=True, slots=True)
class Tombstone:
    topic: str
    partition: int
    key: str
    """The table key; on the wire it is ``table_key(key)`` (JSON), with a None value."""

    @property
    def raw_key(self) -> bytes:
        return table_key(self.key)


def customer_keys(subject: Subject) -> list[str]:
    """Every key the routing agent may keep this customer's contacts under: the resolved
    ``customer:<id>``, and each channel identity ``kind:value`` (the key while enrichment had
    not resolved them: store down, or the identity not yet known)."""
    keys = [resolved_customer_key(subject.customer_id)] if subject.customer_id else []
    return keys + [f"{kind}:{value}" for kind, value in subject.identities]


def plan_tombstones(
    app_id: str, contacts_partitions: int, sla_partitions: int,
    keys: Iterable[str], ticket_ids: Iterable[str], kpi_partitions: int | None = None,
) -> list[Tombstone]:
    """The tombstones that erase ``keys`` from the contacts table, every SLA key of
    ``ticket_ids`` (state, ticket copy, legacy routed copy) from the SLA table and their KPI
    state (which names the customer key) from the KPI table, each on the partition its table
    holds it on."""
    contacts = changelog_topic(app_id, CONTACTS_TABLE)
    sla = changelog_topic(app_id, SLA_TABLE)
    kpi = changelog_topic(app_id, KPI_TABLE)
    kpi_n = sla_partitions if kpi_partitions is None else kpi_partitions
    plan = [Tombstone(contacts, customer_partition(key, contacts_partitions), key)
            for key in dict.fromkeys(keys)]
    for ticket_id in sorted(set(ticket_ids)):
        partition = key_partition(ticket_id.encode(), sla_partitions)
        plan += [Tombstone(sla, partition, key)
                 for key in (ticket_id, ticket_key(ticket_id), routed_key(ticket_id))]
        plan.append(Tombstone(kpi, key_partition(ticket_id.encode(), kpi_n), ticket_id))
    return plan


def contact_ticket_ids(value: bytes | None) -> set[str]:
    """The ticket ids a contacts state remembers (and the ones before them); none for a
    tombstone or a value that is not a contacts state."""
    if not value:
        return set()
    try:
        state = json.loads(value)
        entries = entries_of(state if isinstance(state, dict) else None)
        return {str(i) for entry in entries for i in (entry[0], entry[4]) if i}
    except (ValueError, KeyError, IndexError, TypeError):
        return set()


def not_reached(app_id: str) -> list[str]:
    """What this command cannot erase, and the setting that bounds how long it stays."""
    lines = []
    for spec in (*INBOUND, *OUTPUT, *RESERVED, *KPI):
        retention = spec.config.get("retention.ms")
        if retention is not None:
            lines.append(f"{spec.name}: records stay until retention deletes them "
                         f"(retention.ms={retention}, {int(retention) // DAY_MS} d)")
    lines += [
        "queue.<name>: records stay until the broker's default retention deletes them "
        "(log.retention.hours, 168 h unless changed)",
        f"{app_id}-sla-commands: ticket ids only, retention.ms={DAY_MS} (1 d)",
        f"{app_id}-kpi-commands: ticket ids, received times, intents and conversation ids, "
        f"no customer, retention.ms={7 * DAY_MS} (7 d)",
        f"{app_id}-kpi-facts: ticket ids, queues, intents and order facts (carrier, status), "
        f"no customer, retention.ms={7 * DAY_MS} (7 d)",
        "to erase sooner, lower a topic's retention.ms for a while, e.g. kafka-configs "
        "--alter --entity-type topics --entity-name tickets.routed --add-config "
        "retention.ms=3600000, then restore it",
        "copies already consumed: help desks and other consumers of tickets.routed, queue.* "
        "and sla.events — erase there too",
        "running workers keep the contacts and SLA state in memory until they restart (the "
        "contacts sweep drops it max(7 d, TICKETFLOW_KPI_FCR_WINDOW_S + 7 d) after the last "
        "contact, 14 d by default): restart them to drop it now",
        "compacted changelogs drop the erased values when the broker next compacts "
        "(segment.ms, min.cleanable.dirty.ratio); tombstones stay delete.retention.ms (1 d)",
        "backups of the database and of Kafka, and PostgreSQL's dead rows until VACUUM",
    ]
    return lines


class Changelogs:
    """The tables' changelogs on one broker: their partition counts, the contacts states of given
    keys, and the publishing of tombstones."""

    def __init__(self, settings: Settings, bootstrap: str, timeout_s: float = 30.0) -> None:
        self.app_id = settings.app_id
        self.bootstrap = bootstrap
        self.timeout_s = timeout_s
        self.security = settings.security_for(bootstrap)

    def partitions(self) -> dict[str, int]:
        """The partition count of each of the changelogs that exists, by table; a missing
        one means no worker of this app id has kept that table on this broker."""
        from streams.admin import admin_client, partition_counts

        names = {changelog_topic(self.app_id, t): t
                 for t in (CONTACTS_TABLE, SLA_TABLE, KPI_TABLE)}
        with admin_client(self.bootstrap, security=self.security) as admin:
            try:
                existing = [n for n in admin.list_topics() if n in names]
            except KafkaError as exc:
                raise BrokerError(f"could not list topics on {self.bootstrap}: {exc}") from exc
            counts = partition_counts(admin, existing) if existing else {}
        return {names[n]: count for n, count in counts.items() if count}

    def contact_states(self, keys: Sequence[str], partitions: int) -> dict[str, bytes | None]:
        """The latest value of each key on its partition of the contacts changelog."""
        topic = changelog_topic(self.app_id, CONTACTS_TABLE)
        wanted = {table_key(k): k for k in keys}
        tps = sorted({TopicPartition(topic, customer_partition(k, partitions)) for k in keys})
        latest: dict[str, bytes | None] = {}
        consumer = make_consumer(self.bootstrap, [topic], from_beginning=True,
                                 fetch_max_wait_ms=100, security=self.security)
        try:
            for record in read_to_end(consumer, tps, self.timeout_s):
                if record.key in wanted:
                    latest[wanted[record.key]] = record.value
        finally:
            consumer.close()
        return latest

    def publish(self, tombstones: Sequence[Tombstone]) -> dict[str, int]:
        """Send every tombstone to its partition and wait for the broker to have them all."""
        producer: KafkaProducer = make_producer(self.bootstrap, security=self.security)
        try:
            futures = [producer.send(t.topic, key=t.raw_key, value=None, partition=t.partition)
                       for t in tombstones]
            producer.flush(timeout=self.timeout_s)
            for future in futures:
                future.get(timeout=self.timeout_s)
        except KafkaError as exc:
            raise BrokerError(f"tombstones not all published ({exc}); nothing was deleted from "
                              "the store: run the command again") from exc
        finally:
            producer.close()
        counts: dict[str, int] = {}
        for t in tombstones:
            counts[t.topic] = counts.get(t.topic, 0) + 1
        return counts


def erase(settings: Settings, given: str, tickets: Sequence[str], dry_run: bool,
          bootstrap: str | None) -> dict[str, Any]:
    """The whole erasure (``bootstrap`` None: the store only) and its report."""
    from store.db import make_engine, make_session_factory, url_for
    from store.erasure import erase_customer, identify

    engine = make_engine(url_for(settings))
    sessions = make_session_factory(engine)
    notes: list[str] = []
    try:
        with sessions() as session:
            subject = identify(session, given)
        keys = customer_keys(subject)
        ticket_ids = set(tickets)
        published: dict[str, int] = {}
        contacts_n = sla_n = settings.partitions
        if bootstrap:
            changelogs = Changelogs(settings, bootstrap)
            found = changelogs.partitions()
            for table in (CONTACTS_TABLE, SLA_TABLE, KPI_TABLE):
                if table not in found:
                    notes.append(f"{changelog_topic(settings.app_id, table)} does not exist: "
                                 "no worker of this app id kept that table on this broker")
            contacts_n = found.get(CONTACTS_TABLE, contacts_n)
            sla_n = found.get(SLA_TABLE, sla_n)
            kpi_n = found.get(KPI_TABLE, settings.partitions)
            if CONTACTS_TABLE in found and keys:
                for value in changelogs.contact_states(keys, contacts_n).values():
                    ticket_ids |= contact_ticket_ids(value)
            # never produce to a missing changelog: that would create it, uncompacted
            existing = {changelog_topic(settings.app_id, t) for t in found}
            plan = [t for t in plan_tombstones(settings.app_id, contacts_n, sla_n, keys,
                                               ticket_ids, kpi_n) if t.topic in existing]
            if not dry_run:
                published = changelogs.publish(plan)
        else:
            notes.append("Kafka not used (--store-only): no changelog read, no tombstone "
                         "published; the planned tombstones are listed")
            plan = plan_tombstones(settings.app_id, contacts_n, sla_n, keys, ticket_ids)
        with sessions() as session:
            erasure = erase_customer(session, subject, ticket_ids, dry_run=dry_run)
    finally:
        engine.dispose()
    if subject.customer_id is None:
        notes.append(f"no customer in the store matches {given!r}: nothing of theirs is left "
                     "there (already erased, or never known)")
    return report(erasure, keys, plan, published, notes, settings.app_id)


def report(erasure: Erasure, keys: Sequence[str], plan: Sequence[Tombstone],
           published: dict[str, int], notes: Sequence[str], app_id: str) -> dict[str, Any]:
    planned: dict[str, int] = {}
    for t in plan:
        planned[t.topic] = planned.get(t.topic, 0) + 1
    return {
        "customer": erasure.subject.given,
        "customer_id": erasure.subject.customer_id,
        "dry_run": erasure.dry_run,
        "customer_keys": list(keys),
        "ticket_ids": list(erasure.ticket_ids),
        "rows": erasure.rows,
        "rows_total": erasure.total,
        "tombstones_planned": planned,
        "tombstones_published": published,
        "tombstones": [{"topic": t.topic, "partition": t.partition, "key": t.key}
                       for t in plan],
        "not_linked": list(erasure.unlinked),
        "notes": list(notes),
        "not_reached": not_reached(app_id),
    }


def render(result: dict[str, Any]) -> str:
    """The report for a person."""
    verb = "would delete" if result["dry_run"] else "deleted"
    who = result["customer_id"] or "no customer in the store"
    lines = [f"customer {result['customer']!r}: {who}"]
    if result["rows_total"] == 0:
        lines.append(f"store: nothing to delete ({verb} 0 rows)")
    else:
        lines.append(f"store: {verb} {result['rows_total']} rows")
    lines += [f"  {table:<20} {n}" for table, n in result["rows"].items()]
    lines.append(f"customer keys: {', '.join(result['customer_keys']) or 'none'}")
    lines.append(f"ticket ids found: {len(result['ticket_ids'])}")
    tombstones = result["tombstones_planned"]
    if result["dry_run"] or not result["tombstones_published"]:
        label = "tombstones planned, none published"
        counts = tombstones
    else:
        label = "tombstones published"
        counts = result["tombstones_published"]
    lines.append(f"{label}: {sum(counts.values())}")
    lines += [f"  {topic}: {n}" for topic, n in counts.items()]
    lines += [f"  {t['topic']}[{t['partition']}] {t['key']}" for t in result["tombstones"]]
    lines += [f"not linked: {line}" for line in result["not_linked"]]
    lines += [f"note: {line}" for line in result["notes"]]
    lines.append("not reached by this command:")
    lines += [f"  - {line}" for line in result["not_reached"]]
    return "\n".join(lines)

"""``ticketflow bench pipeline`` lists the KPI states a soak left behind from the table's
changelog on the broker: the last value of each key, a tombstone removing it."""

from __future__ import annotations

import secrets

from kafka import KafkaProducer

from streams.admin import create_topics
from streams.topics import TopicSpec, changelog_topic
from ticketflow.pipeline_bench import live_table_values


def test_live_table_values_are_each_keys_last_value_and_tombstones_remove_keys(
    topics: str,
) -> None:
    bootstrap = topics
    changelog = changelog_topic(f"bench-dump-{secrets.token_hex(3)}", "kpi-tickets")
    create_topics(bootstrap, [TopicSpec(changelog, "table key", "changelog",
                                        {"cleanup.policy": "compact"})], 2)
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for partition, key, value in [(0, b'"t1"', b"1"), (1, b'"t2"', b"2"), (0, b'"t3"', b"3"),
                                  (0, b'"t1"', b"1b"), (1, b'"t2"', None), (0, b'"t4"', b"4"),
                                  (0, b'"t4"', None), (0, b'"t4"', b"4b")]:
        producer.send(changelog, key=key, value=value, partition=partition)
    producer.flush(30)
    producer.close()

    assert live_table_values(bootstrap, changelog) == {
        b'"t1"': b"1b", b'"t3"': b"3", b'"t4"': b"4b"}

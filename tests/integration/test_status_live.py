"""``ticketflow status`` against a real embedded broker of its own (Tansu starts in
milliseconds), so every number it prints is known: hand-produced records in multi-record
batches, offsets committed for two groups, rulesets published (one valid, one not), queue
topics with records.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from kafka import KafkaProducer

from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from streams.admin import create_topics
from streams.kafka_offsets import BrokerOffsets
from streams.topics import TopicSpec, all_topics
from tests.integration.test_consumer_lag_live import commit, produce_batches
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.cli import cli

APP = "status-it"
WINDOW_S = 3.0


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[str]:
    with EmbeddedBroker(find_tansu(), log_path=tmp_path / "tansu.log") as broker:
        yield broker.bootstrap


def status(bootstrap: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["status", "--bootstrap", bootstrap, *args],
                                env={"TICKETFLOW_APP_ID": APP}, catch_exceptions=False)
    return result.exit_code, result.output


def test_status_prints_lag_rates_ruleset_and_queues_from_the_broker(own_broker: str) -> None:
    bootstrap = own_broker
    queues = [TopicSpec("queue.orders", "ticket_id", "o"), TopicSpec("queue.vip", "ticket_id",
                                                                     "v")]
    create_topics(bootstrap, [*all_topics(APP), *queues], partitions=2)
    first = time.monotonic()
    produce_batches(bootstrap, "inbound.email", {0: [5], 1: [2]})
    produce_batches(bootstrap, "inbound.sms", {0: [3]})
    produce_batches(bootstrap, "queue.orders", {0: [4], 1: [2]})
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    producer.send("routing.rules", key=b"demo-shop", value=DEFAULT_RULESET_PATH.read_bytes(),
                  partition=0)
    producer.flush()
    producer.send("routing.rules", key=b"demo-shop", value=b"rules: [not yaml", partition=0)
    producer.flush()
    producer.close()
    # a window of 3 s then holds only what comes next: the clock has to move past the above
    # deliberate: the condition is the time itself: the broker stamps records on arrival, so
    # only real seconds put the records above outside the rate window
    time.sleep(max(0.0, first + WINDOW_S + 0.5 - time.monotonic()))  # noqa: sleep
    produce_batches(bootstrap, "inbound.email", {0: [3]})
    with BrokerOffsets(bootstrap) as offsets:
        commit(offsets, APP, "inbound.email", {0: 6, 1: 2})
        commit(offsets, "other", "queue.orders", {0: 1})

    code, out = status(bootstrap, "--json", "--window", str(WINDOW_S))
    assert code == 0, out
    data = json.loads(out.strip().splitlines()[-1])

    groups = {g["group"]: g for g in data["groups"]}
    assert set(groups) == {APP, "other"}
    app_topics = {t["topic"]: t for t in groups[APP]["topics"]}
    # the worker's inputs, committed or not; only inbound.email has lag: 8 − 6 on partition 0
    assert {"inbound.email", "inbound.sms", "tickets.normalized", "tickets.routed",
            "helpdesk.events", f"{APP}-sla-commands"} <= set(app_topics)
    assert app_topics["inbound.email"] == {"topic": "inbound.email", "lag": 2,
                                           "lagging_partitions": {"0": 2}}
    # nothing committed on inbound.sms: the whole partition is still to read
    assert app_topics["inbound.sms"]["lag"] == 3
    assert groups[APP]["lag"] == 5
    assert groups["other"] == {"group": "other", "lag": 3, "committed": True, "topics": [
        {"topic": "queue.orders", "lag": 3, "lagging_partitions": {"0": 3}}]}

    rates = {r["topic"]: r for r in data["rates"]}
    assert rates["inbound.email"] == {"topic": "inbound.email", "messages": 3,
                                      "per_second": round(3 / WINDOW_S, 3)}
    assert rates["queue.orders"]["messages"] == 0
    assert rates["inbound.sms"]["messages"] == 0
    assert rates["tickets.routed"]["messages"] == 0

    demo = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))
    assert data["ruleset"]["name"] == demo.name and data["ruleset"]["version"] == demo.version
    assert data["ruleset"]["source"] == "routing.rules[0]@0"
    assert data["ruleset"]["refused_since"] == 1

    assert data["queues"] == [{"topic": "queue.orders", "size": 6},
                              {"topic": "queue.vip", "size": 0}]

    code, table = status(bootstrap)
    assert code == 0, table
    assert f"group {APP}: 5" in table and "partitions with lag: 0:2" in table
    assert f"{demo.name} version {demo.version} (routing.rules[0]@0" in table
    assert "1 later version(s) refused as invalid" in table
    # the default window, a minute, holds everything
    assert "(10 messages)" in table and "(6 messages)" in table and "(3 messages)" in table

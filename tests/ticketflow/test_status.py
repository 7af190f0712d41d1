from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner

from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from streams.kafka_offsets import RecordAt
from streams.lag import PartitionLag
from ticketflow.cli import cli
from ticketflow.status import (
    ActiveRuleset,
    GroupLag,
    QueueSize,
    Status,
    TopicLag,
    TopicRate,
    active_ruleset,
    as_dict,
    lag_by_topic,
    queue_sizes,
    render,
    topic_rates,
)

AT = datetime(2026, 12, 5, 3, 57, 47, tzinfo=UTC)
DEMO = DEFAULT_RULESET_PATH.read_bytes()


def test_lag_is_summed_per_topic_with_the_partitions_that_lag() -> None:
    rows = [PartitionLag("tf", "inbound.sms", 1, 10, 4, 6),
            PartitionLag("tf", "inbound.sms", 0, 3, 3, 0),
            PartitionLag("tf", "inbound.email", 2, 5, None, 5),
            PartitionLag("tf", "inbound.sms", 3, 9, 1, 8)]
    group = lag_by_topic("tf", rows, committed=True)
    assert group.topics == (TopicLag("inbound.email", 5, ((2, 5),)),
                            TopicLag("inbound.sms", 14, ((1, 6), (3, 8))))
    assert group.lag == 19


def test_rates_count_what_each_topic_received_in_the_window() -> None:
    ends = {("a", 0): 100, ("a", 1): 50, ("b", 0): 7}
    since = {("a", 0): 70, ("a", 1): 50, ("b", 0): 7}
    assert topic_rates(ends, since, window_s=60.0) == [TopicRate("a", 30, 0.5),
                                                       TopicRate("b", 0, 0.0)]


def test_queue_sizes_are_end_minus_start_of_queue_topics_only() -> None:
    ends = {("queue.orders", 0): 10, ("queue.orders", 1): 5, ("queue.vip", 0): 4,
            ("tickets.routed", 0): 99}
    starts = {("queue.orders", 0): 2, ("queue.vip", 0): 4}
    assert queue_sizes(ends, starts) == [QueueSize("queue.orders", 13), QueueSize("queue.vip", 0)]


def record(offset: int, value: bytes, at_ms: int, partition: int = 0) -> RecordAt:
    return RecordAt("routing.rules", partition, offset, at_ms, value)


def changed_demo() -> bytes:
    # another valid version: the description changed
    old = b"description: Default routing for the demo e-commerce shop."
    assert old in DEMO
    return DEMO.replace(old, b"description: Changed for the test.")


def test_the_active_ruleset_is_the_latest_valid_one_and_later_refusals_are_counted() -> None:
    demo = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))
    other = changed_demo()
    assert active_ruleset([]) is None
    assert active_ruleset([record(0, b"rules: [oops", 1000)]) is None

    active = active_ruleset([record(0, DEMO, 1000)])
    assert active == ActiveRuleset(demo.name, demo.version, "routing.rules[0]@0",
                                   datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))

    records = [record(0, DEMO, 1000), record(1, other, 2000), record(2, b"rules: [oops", 3000),
               record(3, b"", 4000)]
    active = active_ruleset(records)
    assert active is not None
    assert active.version != demo.version and active.source == "routing.rules[0]@1"
    assert active.refused_since == 2
    # a valid version after the refusals is active again, with nothing refused since
    active = active_ruleset([*records, record(4, DEMO, 5000)])
    assert active is not None and active.version == demo.version and active.refused_since == 0
    # across partitions: by record time, not by where it sits
    active = active_ruleset([record(0, other, 9000, partition=1), record(7, DEMO, 2000)])
    assert active is not None and active.version != demo.version


STATUS = Status(
    bootstrap="127.0.0.1:9092", at=AT, window_s=60.0,
    groups=(GroupLag("ticketflow", (TopicLag("inbound.phone", 38, ((1, 15), (2, 16), (3, 7))),
                                    TopicLag("tickets.routed", 0, ())), committed=True),
            GroupLag("new-app", (), committed=False)),
    rates=(TopicRate("inbound.email", 83, 83 / 60), TopicRate("inbound.sms", 0, 0.0)),
    ruleset=ActiveRuleset("demo-shop", "d3afefa5ea88e930", "routing.rules[0]@0",
                          datetime(2026, 12, 5, 3, 58, 29, tzinfo=UTC), refused_since=1),
    queues=(QueueSize("queue.orders", 111), QueueSize("queue.vip", 0)),
)


def test_the_table_shows_lag_rates_ruleset_and_queues() -> None:
    text = render(STATUS)
    assert "group ticketflow: 38" in text
    assert "inbound.phone" in text and "partitions with lag: 1:15 2:16 3:7" in text
    assert "group new-app: 0  (nothing committed yet)" in text
    assert "inbound.email" in text and "1.38/s  (83 messages)" in text
    assert "(1 other topic(s): no message)" in text
    assert "demo-shop version d3afefa5ea88e930 (routing.rules[0]@0, published " \
           "2026-12-05 03:58:29 UTC)" in text
    assert "1 later version(s) refused as invalid" in text
    assert "queue.orders" in text and "111" in text


def test_an_empty_broker_says_so_rather_than_printing_empty_tables() -> None:
    empty = Status("b:1", AT, 60.0, (), (TopicRate("inbound.sms", 0, 0.0),), None, ())
    text = render(empty)
    assert "no consumer groups" in text
    assert "no message on any topic in the last 60 s" in text
    assert "none: nothing valid on routing.rules" in text
    assert "no queue.* topics" in text


def test_the_json_object_has_everything_the_table_has() -> None:
    data = json.loads(json.dumps(as_dict(STATUS)))
    assert data["groups"][0] == {
        "group": "ticketflow", "lag": 38, "committed": True,
        "topics": [{"topic": "inbound.phone", "lag": 38,
                    "lagging_partitions": {"1": 15, "2": 16, "3": 7}},
                   {"topic": "tickets.routed", "lag": 0, "lagging_partitions": {}}]}
    assert data["rates"][0] == {"topic": "inbound.email", "messages": 83, "per_second": 1.383}
    assert data["ruleset"]["version"] == "d3afefa5ea88e930"
    assert data["ruleset"]["refused_since"] == 1
    assert data["queues"] == [{"topic": "queue.orders", "size": 111},
                              {"topic": "queue.vip", "size": 0}]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)


def test_status_without_a_broker_says_how_to_name_one() -> None:
    result = run("status", env={"TICKETFLOW_KAFKA_BOOTSTRAP": ""})
    assert result.exit_code == 1
    assert "--bootstrap" in result.output and "TICKETFLOW_KAFKA_BOOTSTRAP" in result.output


def test_status_on_an_unreachable_broker_is_one_actionable_line() -> None:
    result = run("status", "--bootstrap", "127.0.0.1:1", "--timeout", "1")
    assert result.exit_code == 1
    assert result.output.startswith("error: No Kafka broker answers at 127.0.0.1:1")
    assert "ticketflow broker" in result.output and "Traceback" not in result.output

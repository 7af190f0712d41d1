"""Waiting for a broker that is not up yet: backoff, one line when the wait starts and one when
it ends, the last error once the wait is over."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import BrokerError
from streams.admin import retry_until_reachable


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def failing(times: int, result: str = "topics") -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise BrokerError("No Kafka broker answers at b:9092")
        return result

    return calls, attempt


def test_a_broker_that_answers_at_once_is_used_without_a_word() -> None:
    said: list[str] = []
    time = FakeTime()
    calls, attempt = failing(0)
    assert retry_until_reachable(attempt, "b:9092", 120, said.append,
                                 time.sleep, time.clock) == "topics"
    assert (len(calls), said, time.sleeps) == (1, [], [])


def test_a_late_broker_is_waited_for_with_backoff_and_two_lines() -> None:
    said: list[str] = []
    time = FakeTime()
    calls, attempt = failing(6)
    assert retry_until_reachable(attempt, "b:9092", 120, said.append,
                                 time.sleep, time.clock) == "topics"
    assert len(calls) == 7
    assert time.sleeps == [1, 2, 4, 8, 15, 15]
    assert len(said) == 2
    assert "b:9092" in said[0] and "TICKETFLOW_BROKER_WAIT_S" in said[0]
    assert "answers" in said[1]


def test_the_error_comes_once_the_wait_is_over() -> None:
    said: list[str] = []
    time = FakeTime()
    calls, attempt = failing(1000)
    with pytest.raises(BrokerError, match="No Kafka broker answers"):
        retry_until_reachable(attempt, "b:9092", 20, said.append,
                              time.sleep, time.clock)
    assert time.now == 20  # the last sleep is cut to what is left of the wait
    assert time.sleeps == [1, 2, 4, 8, 5]
    assert len(calls) == 6  # a last try at the end of the wait
    assert len(said) == 1


def test_no_wait_gives_up_at_once() -> None:
    time = FakeTime()
    calls, attempt = failing(1)
    with pytest.raises(BrokerError):
        retry_until_reachable(attempt, "b:9092", 0, lambda _: None,
                              time.sleep, time.clock)
    assert (len(calls), time.sleeps) == (1, [])


def test_created_topics_get_the_settings_config_over_their_own() -> None:
    from streams.admin import new_topic
    from streams.topics import TICKETS_DEADLETTER

    topic = new_topic(TICKETS_DEADLETTER, 12, 3, {"min.insync.replicas": "2"})
    assert (topic.name, topic.num_partitions, topic.replication_factor) == (
        "tickets.deadletter", 12, 3)
    assert topic.topic_configs == {**TICKETS_DEADLETTER.config, "min.insync.replicas": "2"}
    assert "retention.ms" in topic.topic_configs  # the topic's own config is kept
    assert new_topic(TICKETS_DEADLETTER, 4, 1).topic_configs == TICKETS_DEADLETTER.config

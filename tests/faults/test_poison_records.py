"""A poison record on every channel, each followed by a good record on the same partition: one
dead letter per poison, with a specific code (never ``internal_error`` for input that is merely
bad), and the partition keeps moving — the good record behind it is routed."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

import corpus
from core.settings import Settings
from schemas import ErrorCode, Source
from streams.kafka_io import make_producer
from streams.topics import TICKETS_DEADLETTER, inbound_topic
from ticketflow.failover_bench import (
    OutputWatch,
    Tally,
    count_trial,
    expected_outputs,
    isolate_group,
)
from ticketflow.pipeline_bench import Workload, load_bases
from ticketflow.processes import WorkerProcess

from ..live import fail_if_exited, wait_until

JSON_CHANNELS = ("chat", "social", "whatsapp", "webform", "phone")
OVERSIZE = 1_200_000  # over the default TICKETFLOW_MAX_PAYLOAD_BYTES (1,000,000)


def poisons(channel: str) -> list[tuple[bytes, ErrorCode]]:
    """Bad payloads for ``channel`` and the code each must be dead-lettered with."""
    # raw e-mail is bytes by nature (8-bit bodies are legal): undecodable bytes without
    # headers are no e-mail, rather than bad text
    binary = ErrorCode.MIME_PARSE_ERROR if channel == "email" else ErrorCode.INVALID_UTF8
    found = [(b"\xff\xfe\x00 not text at all \xc3\x28", binary),
             (b"x" * OVERSIZE, ErrorCode.PAYLOAD_TOO_LARGE)]
    if channel in JSON_CHANNELS:
        found.append((b'{"truncated": [1, 2', ErrorCode.INVALID_JSON))
        found.append((b"[]", ErrorCode.SCHEMA_VALIDATION))
        found.append((b"[" * 10_000 + b"]" * 10_000, ErrorCode.INVALID_JSON))  # too deep
    if channel == "email":
        found.append((b"just a sentence, no headers", ErrorCode.MIME_PARSE_ERROR))
    return found


@dataclass
class WithCodes(Tally):
    """The tally, plus each dead letter's code and how many times it came out."""

    codes: dict[str, str] = field(default_factory=dict)
    deadletter_messages: Counter[str] = field(default_factory=Counter)

    def add(self, topic: str, value: bytes) -> str | None:
        seen = super().add(topic, value)
        if topic == TICKETS_DEADLETTER.name and seen is not None:
            self.codes[seen] = json.loads(value)["error_code"]
            self.deadletter_messages[seen] += 1
        return seen


@pytest.mark.timeout(420)
def test_a_poison_record_on_every_channel_is_one_specific_dead_letter_and_the_partition_moves_on(
    topics: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    group = f"ft-poison-{time.time_ns():x}"
    isolate_group(topics, group)
    workload = Workload(load_bases((f.channel, f.read_bytes()) for f in corpus.load_manifest()),
                        group)
    good = {}  # channel -> a good record of it (a unique variant)
    index = 0
    while len(good) < 7:
        variant = workload.record(index)
        index += 1
        if variant.ticket_ids and variant.channel not in good:
            good[variant.channel] = variant
    watch = OutputWatch(topics)
    tally = WithCodes()
    worker = start_worker(TICKETFLOW_APP_ID=group)
    producer = make_producer(topics, max_request_size=4 * 1024 * 1024)
    sent: list[tuple[str, bytes, Source]] = []
    wanted: dict[int, ErrorCode] = {}  # index in sent -> code of a poison
    try:
        for channel, variant in sorted(good.items()):
            topic = inbound_topic(channel)
            for partition in (0, 1):
                for value, code in poisons(channel):
                    wanted[len(sent)] = code
                    meta = producer.send(topic, value=value, partition=partition).get(30)
                    sent.append((channel, value, Source(topic=topic, partition=partition,
                                                        offset=meta.offset)))
            # behind the poisons on partition 1: the good record must still come out
            meta = producer.send(topic, value=variant.value, partition=1).get(30)
            sent.append((channel, variant.value, Source(topic=topic, partition=1,
                                                        offset=meta.offset)))
        producer.flush(30)
    finally:
        producer.close()
    expected = expected_outputs(sent, Settings().max_payload_bytes)
    try:
        def poll() -> None:
            fail_if_exited(worker)
            watch.poll(tally)

        wait_until(lambda: tally.missing(expected) == ([], []), 300,
                   lambda: f"every poison and good record out; {count_trial(expected, tally)}",
                   poll)
    finally:
        watch.close()

    assert set(expected.tickets) == {t for v in good.values() for t in v.ticket_ids}
    assert len(expected.deadletters) == len(wanted)  # one dead letter per poison record
    want = Counter(code.value for code in wanted.values())
    got = Counter(tally.codes[d] for d in expected.deadletters)
    assert got == want
    assert ErrorCode.INTERNAL_ERROR.value not in got
    assert all(tally.deadletter_messages[d] == 1 for d in expected.deadletters)

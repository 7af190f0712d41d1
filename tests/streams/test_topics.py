from schemas import Channel
from streams.topics import (
    TICKETS_DEADLETTER,
    TICKETS_NORMALIZED,
    all_topics,
    channel_of,
    inbound_topic,
    inbound_topics,
    queue_topic,
)


def test_one_inbound_topic_per_channel() -> None:
    assert set(inbound_topics()) == {f"inbound.{c}" for c in Channel}


def test_names_are_unique_and_reserved_ones_present() -> None:
    names = [spec.name for spec in all_topics()]
    assert len(names) == len(set(names))
    for reserved in ("tickets.routed", "sla.events", "helpdesk.events"):
        assert reserved in names


def test_outputs_are_keyed_by_their_ids_and_have_schemas() -> None:
    assert TICKETS_NORMALIZED.key == "ticket_id" and TICKETS_NORMALIZED.schema == "ticket.json"
    assert TICKETS_DEADLETTER.key == "deadletter_id"
    assert int(TICKETS_DEADLETTER.config["max.message.bytes"]) > 4 / 3 * 1_000_000


def test_topic_name_helpers_round_trip() -> None:
    assert channel_of(inbound_topic(Channel.EMAIL)) == "email"
    assert queue_topic("returns") == "queue.returns"

"""Live-chat transcripts → tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels import chat
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.chat", partition=0, offset=42)
CTX = RecordContext(source=SOURCE, timestamp=datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
FAILED_AT = datetime(2024, 5, 2, 9, 0, 1, tzinfo=UTC)


def transcript(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "transcript_id": "chat_8f2c1e",
        "visitor": {"id": "v_93a1", "name": "Lena Fischer", "email": " Lena.Fischer@Example.DE "},
        "page_url": "https://shop.example.com/orders/104512",
        "started_at": "2024-05-02T10:58:40+02:00",
        "ended_at": "2024-05-02T11:06:12+02:00",
        "messages": [
            {"id": "m1", "author": "bot", "author_name": "ShopBot",
             "text": "Hi! How can we help?", "sent_at": "2024-05-02T10:58:41+02:00"},
            {"id": "m2", "author": "visitor", "author_name": "Lena",
             "text": "My order #104512 arrived with a broken lid.",
             "sent_at": "2024-05-02T10:59:03+02:00"},
            {"id": "m3", "author": "system", "text": "Sam joined the chat",
             "sent_at": "2024-05-02T10:59:30+02:00"},
            {"id": "m4", "author": "agent", "author_name": "Sam",
             "text": "Sorry to hear that! Could you send a photo?",
             "sent_at": "2024-05-02T11:00:02+02:00"},
            {"id": "m5", "author": "visitor", "author_name": "Lena",
             "text": "  I'd rather have a replacement than a refund.  ",
             "sent_at": "2024-05-02T11:01:15+02:00"},
        ],
    }
    payload.update(overrides)
    return payload


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("chat", raw, SOURCE, CTX.timestamp), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


def test_transcript_becomes_one_ticket_from_the_visitors_lines() -> None:
    [ticket] = chat.normalize(encode(transcript()), CTX)

    assert ticket.channel == "chat"
    assert ticket.provider == "livechat"
    assert ticket.provider_message_id == "chat_8f2c1e"
    assert ticket.ticket_id == ticket_id_for("chat", "chat_8f2c1e")
    # the first visitor message, in UTC
    assert ticket.received_at == datetime(2024, 5, 2, 8, 59, 3, tzinfo=UTC)
    assert ticket.received_at.utcoffset() is not None
    assert ticket.received_at.tzinfo == UTC
    assert ticket.customer.email == "lena.fischer@example.de"
    assert ticket.customer.chat_visitor_id == "v_93a1"
    assert ticket.customer.display_name == "Lena Fischer"
    assert ticket.body == (
        "My order #104512 arrived with a broken lid.\n"
        "I'd rather have a replacement than a refund."
    )
    assert "Sorry to hear" not in ticket.body and "ShopBot" not in ticket.body
    assert ticket.body_original.splitlines() == [
        "bot: Hi! How can we help?",
        "visitor: My order #104512 arrived with a broken lid.",
        "system: Sam joined the chat",
        "agent: Sorry to hear that! Could you send a photo?",
        "visitor:   I'd rather have a replacement than a refund.  ",
    ]
    assert ticket.order_numbers == ("104512",)
    assert ticket.language == "en"
    assert ticket.subject is None
    assert ticket.thread.conversation_id == "chat:chat_8f2c1e"
    assert ticket.channel_details == {
        "page_url": "https://shop.example.com/orders/104512",
        "message_count": 5,
        "agent_replied": True,
    }
    assert ticket.source == SOURCE


def test_same_transcript_twice_gives_the_same_ticket() -> None:
    assert chat.normalize(encode(transcript()), CTX) == chat.normalize(encode(transcript()), CTX)


def test_messages_out_of_order_are_put_in_time_order() -> None:
    payload = transcript()
    payload["messages"].reverse()
    [ticket] = chat.normalize(encode(payload), CTX)
    assert ticket.body.startswith("My order #104512")
    assert ticket.received_at == datetime(2024, 5, 2, 8, 59, 3, tzinfo=UTC)


def test_bot_only_chat_without_agent_and_visitor_without_email() -> None:
    payload = transcript(
        visitor={"id": "v_1", "email": "not-an-address"},
        page_url=None,
        messages=[
            {"author": "bot", "text": "Hi!", "sent_at": "2024-05-02T09:00:00Z"},
            {"author": "visitor", "text": "Where is my parcel?",
             "sent_at": "2024-05-02T09:00:05Z"},
        ],
    )
    [ticket] = chat.normalize(encode(payload), CTX)
    assert ticket.customer.email is None
    assert ticket.customer.display_name is None
    assert ticket.customer.identity_key == "chat_visitor_id:v_1"
    assert ticket.channel_details == {
        "page_url": None, "message_count": 2, "agent_replied": False,
    }


@pytest.mark.parametrize(
    "messages",
    [
        [],
        [{"author": "bot", "text": "Hi! Anyone there?", "sent_at": "2024-05-02T09:00:00Z"},
         {"author": "system", "text": "Visitor left", "sent_at": "2024-05-02T09:05:00Z"}],
        [{"author": "visitor", "text": "   \n", "sent_at": "2024-05-02T09:00:00Z"},
         {"author": "agent", "text": "Hello?", "sent_at": "2024-05-02T09:01:00Z"}],
    ],
    ids=["no-messages", "bot-and-system-only", "blank-visitor-line"],
)
def test_no_visitor_text_is_an_empty_body(messages: list[dict[str, str]]) -> None:
    letter = dead_letter(encode(transcript(messages=messages)))
    assert letter.error_code == ErrorCode.EMPTY_BODY
    assert "visitor" in letter.reason


def test_malformed_json() -> None:
    letter = dead_letter(b'{"transcript_id": "chat_1", "messages": [')
    assert letter.error_code == ErrorCode.INVALID_JSON
    assert letter.channel == "chat"
    assert letter.source == SOURCE


def test_invalid_utf8() -> None:
    raw = encode(transcript()).replace(b"Lena Fischer", b"Lena \xff\xfe")
    assert dead_letter(raw).error_code == ErrorCode.INVALID_UTF8


def test_missing_required_fields() -> None:
    payload = transcript()
    del payload["visitor"]
    del payload["messages"]
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "visitor" in letter.reason and "messages" in letter.reason


@pytest.mark.parametrize(
    "overrides",
    [
        {"messages": "hello"},
        {"started_at": "yesterday"},
        {"started_at": "2024-05-02T10:58:40"},  # naive: the timezone is not guessed
        {"messages": [{"author": "customer", "text": "hi", "sent_at": "2024-05-02T09:00:00Z"}]},
    ],
    ids=["messages-not-a-list", "bad-date", "naive-date", "unknown-author"],
)
def test_wrong_types(overrides: dict[str, Any]) -> None:
    letter = dead_letter(encode(transcript(**overrides)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details


def test_not_an_object() -> None:
    assert dead_letter(b"[1, 2, 3]").error_code == ErrorCode.SCHEMA_VALIDATION

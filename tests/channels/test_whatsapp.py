"""WhatsApp Cloud API webhooks → tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels import whatsapp
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import Attachment, DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.whatsapp", partition=2, offset=1301, key="4915112345678")
CTX = RecordContext(source=SOURCE, timestamp=datetime(2024, 5, 29, 16, 30, tzinfo=UTC))
FAILED_AT = datetime(2024, 5, 29, 16, 30, 1, tzinfo=UTC)
CUSTOMER = "4915112345678"


def text_message(wamid: str, body: str, timestamp: str = "1717000000") -> dict[str, Any]:
    return {"from": CUSTOMER, "id": wamid, "timestamp": timestamp, "type": "text",
            "text": {"body": body}}


def webhook(*messages: dict[str, Any], contacts: list[dict[str, Any]] | None = None,
            statuses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A Cloud API ``messages`` webhook, shaped as Meta sends it."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    }
    if contacts is None:
        contacts = [{"profile": {"name": "Jana Becker"}, "wa_id": CUSTOMER}]
    if messages:
        value["contacts"] = contacts
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("whatsapp", raw, SOURCE, CTX.timestamp), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


WAMID = "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDNzA2RjNGQjg4QjIwQTk5NjIA"
REPLIED_TO = "wamid.HBgLMTU1NTA3ODM4ODEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"


def test_text_message() -> None:
    message = text_message(WAMID, "Hallo, wo bleibt meine Bestellung #104512? Danke!")
    message["context"] = {"from": "15550783881", "id": REPLIED_TO}
    [ticket] = whatsapp.normalize(encode(webhook(message)), CTX)

    assert ticket.channel == "whatsapp"
    assert ticket.provider == "whatsapp_cloud"
    assert ticket.provider_message_id == WAMID
    assert ticket.ticket_id == ticket_id_for("whatsapp", WAMID)
    assert ticket.received_at == datetime(2024, 5, 29, 16, 26, 40, tzinfo=UTC)
    assert ticket.received_at.tzinfo == UTC
    assert ticket.customer.whatsapp_id == "4915112345678"
    assert ticket.customer.phone == "+4915112345678"
    assert ticket.customer.display_name == "Jana Becker"
    assert ticket.customer.identity_key == "phone:+4915112345678"
    assert ticket.body == "Hallo, wo bleibt meine Bestellung #104512? Danke!"
    assert ticket.body_original == ticket.body
    assert ticket.language == "de"
    assert ticket.order_numbers == ("104512",)
    assert ticket.attachments == ()
    assert ticket.thread.message_id == WAMID
    assert ticket.thread.in_reply_to == REPLIED_TO
    assert ticket.channel_details == {
        "message_type": "text", "business_phone_number_id": "106540352242922",
    }
    assert ticket.source == SOURCE


def test_several_messages_give_several_tickets_with_stable_ids() -> None:
    raw = encode(webhook(
        text_message("wamid.AAA1", "Hi, my parcel hasn't arrived yet.", "1717000000"),
        text_message("wamid.AAA2", "Order 104512 by the way", "1717000009"),
    ))
    first = whatsapp.normalize(raw, CTX)
    again = whatsapp.normalize(raw, CTX)

    assert [t.provider_message_id for t in first] == ["wamid.AAA1", "wamid.AAA2"]
    assert len({t.ticket_id for t in first}) == 2
    assert [t.ticket_id for t in first] == [t.ticket_id for t in again]
    assert first[1].received_at == datetime(2024, 5, 29, 16, 26, 49, tzinfo=UTC)


def test_messages_across_entries_and_contacts_are_matched_by_wa_id() -> None:
    payload = webhook(text_message("wamid.AAA1", "Do you ship to Austria?"))
    other = {"from": "447700900123", "id": "wamid.BBB1", "timestamp": "1717000100",
             "type": "text", "text": {"body": "Is the blue jacket back in stock?"}}
    payload["entry"].append({"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "contacts": [{"profile": {"name": "Oliver"}, "wa_id": "447700900123"}],
        "messages": [other],
    }}]})
    austria, jacket = whatsapp.normalize(encode(payload), CTX)
    assert austria.customer.display_name == "Jana Becker"
    assert jacket.customer.display_name == "Oliver"
    assert jacket.customer.phone == "+447700900123"
    assert jacket.channel_details["business_phone_number_id"] is None


def test_contact_without_profile_or_not_matching_leaves_no_name() -> None:
    message = text_message("wamid.AAA1", "Hello, quick question about returns")
    [ticket] = whatsapp.normalize(
        encode(webhook(message, contacts=[{"wa_id": "33612345678"}])), CTX
    )
    assert ticket.customer.display_name is None


def test_image_with_caption_is_an_attachment() -> None:
    message = {"from": CUSTOMER, "id": "wamid.IMG1", "timestamp": "1717000000", "type": "image",
               "image": {"caption": "The lid was broken on arrival",
                         "mime_type": "image/jpeg", "sha256": "2Xx0Yj+Hc8o5p0dE1RaV5Qn0Nk=",
                         "id": "1076580830282536"}}
    [ticket] = whatsapp.normalize(encode(webhook(message)), CTX)
    assert ticket.body == "The lid was broken on arrival"
    assert ticket.language == "en"
    assert ticket.attachments == (
        Attachment(content_type="image/jpeg", provider_id="1076580830282536"),
    )
    assert ticket.channel_details["message_type"] == "image"


@pytest.mark.parametrize(
    ("kind", "media", "body", "content_type"),
    [
        ("image", {"id": "m1", "mime_type": "image/jpeg"}, "(sent an image without caption)",
         "image/jpeg"),
        ("document", {"id": "m2", "mime_type": "application/pdf", "filename": "invoice.pdf"},
         '(sent a document "invoice.pdf" without caption)', "application/pdf"),
        ("audio", {"id": "m3", "mime_type": "audio/ogg; codecs=opus", "voice": True},
         "(sent an audio message)", "audio/ogg; codecs=opus"),
        ("video", {"id": "m4"}, "(sent a video without caption)", "video/*"),
        ("sticker", {"id": "m5", "mime_type": "image/webp", "animated": False},
         "(sent a sticker)", "image/webp"),
    ],
)
def test_media_without_caption_says_what_was_sent(
    kind: str, media: dict[str, Any], body: str, content_type: str
) -> None:
    message = {"from": CUSTOMER, "id": f"wamid.{kind}", "timestamp": "1717000000", "type": kind,
               kind: media}
    [ticket] = whatsapp.normalize(encode(webhook(message)), CTX)
    assert ticket.body == body
    assert ticket.body_original == ""
    assert ticket.language == "und"  # our placeholder is not the customer's language
    [attachment] = ticket.attachments
    assert attachment.content_type == content_type
    assert attachment.provider_id == media["id"]
    assert attachment.filename == media.get("filename")


def test_reactions_are_skipped_and_unknown_types_are_described() -> None:
    reaction = {"from": CUSTOMER, "id": "wamid.R1", "timestamp": "1717000000", "type": "reaction",
                "reaction": {"message_id": "wamid.OUT1", "emoji": "\U0001f44d"}}
    location = {"from": CUSTOMER, "id": "wamid.L1", "timestamp": "1717000001", "type": "location",
                "location": {"latitude": 52.52, "longitude": 13.405}}
    unsupported = {"from": CUSTOMER, "id": "wamid.U1", "timestamp": "1717000002",
                   "type": "unsupported",
                   "errors": [{"code": 131051, "title": "Message type unknown"}]}
    tickets = whatsapp.normalize(encode(webhook(reaction, location, unsupported)), CTX)
    assert [t.body for t in tickets] == [
        "(sent a location message)", "(sent an unsupported message)",
    ]


def test_only_reactions_give_no_ticket() -> None:
    reaction = {"from": CUSTOMER, "id": "wamid.R1", "timestamp": "1717000000", "type": "reaction",
                "reaction": {"message_id": "wamid.OUT1", "emoji": "\u2764\ufe0f"}}
    assert whatsapp.normalize(encode(webhook(reaction)), CTX) == []


STATUS = {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1717000050",
          "recipient_id": CUSTOMER,
          "conversation": {"id": "c1", "origin": {"type": "service"}},
          "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"}}


def test_status_only_webhook_gives_no_ticket_and_a_no_messages_dead_letter() -> None:
    raw = encode(webhook(statuses=[STATUS]))
    assert whatsapp.normalize(raw, CTX) == []
    letter = dead_letter(raw)
    assert letter.error_code == ErrorCode.NO_MESSAGES
    assert letter.channel == "whatsapp"


def test_empty_text_is_an_empty_body() -> None:
    letter = dead_letter(encode(webhook(text_message("wamid.E1", "  \n "))))
    assert letter.error_code == ErrorCode.EMPTY_BODY


def test_malformed_json() -> None:
    raw = encode(webhook(text_message("wamid.A", "hi")))[:-3]
    assert dead_letter(raw).error_code == ErrorCode.INVALID_JSON


def test_invalid_utf8() -> None:
    raw = encode(webhook(text_message("wamid.A", "Gr\u00fc\u00dfe"))).replace(b"Gr", b"Gr\xfc")
    assert dead_letter(raw).error_code == ErrorCode.INVALID_UTF8


def test_missing_message_fields() -> None:
    message = text_message("wamid.A", "hello there")
    del message["from"]
    del message["timestamp"]
    letter = dead_letter(encode(webhook(message)))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "from" in letter.reason and "timestamp" in letter.reason


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account", "entry": {"id": "1"}},
        webhook({"from": CUSTOMER, "id": "wamid.A", "timestamp": "1717000000", "type": "text",
                 "text": {"body": 42}}),
    ],
    ids=["wrong-object", "entry-not-a-list", "body-not-a-string"],
)
def test_wrong_types(payload: dict[str, Any]) -> None:
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details


@pytest.mark.parametrize(
    "message",
    [
        {"from": CUSTOMER, "id": "wamid.A", "timestamp": "yesterday", "type": "text",
         "text": {"body": "hello"}},
        {"from": CUSTOMER, "id": "wamid.A", "timestamp": "1717000000", "type": "text"},
        {"from": CUSTOMER, "id": "wamid.A", "timestamp": "1717000000", "type": "image"},
    ],
    ids=["timestamp-not-a-number", "text-without-text", "image-without-image"],
)
def test_inconsistent_messages(message: dict[str, Any]) -> None:
    letter = dead_letter(encode(webhook(message)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert "wamid.A" in letter.reason or "yesterday" in letter.reason

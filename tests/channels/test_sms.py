"""Twilio inbound SMS/MMS webhooks (form-encoded) → tickets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from channels import sms
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import Attachment, DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.sms", partition=0, offset=5)
BROKER_TIME = datetime(2024, 5, 2, 11, 15, 30, tzinfo=UTC)
CTX = RecordContext(source=SOURCE, timestamp=BROKER_TIME)
FAILED_AT = datetime(2024, 5, 2, 11, 15, 31, tzinfo=UTC)
SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f"


def form(**overrides: Any) -> dict[str, Any]:
    """The fields of Twilio's inbound-message webhook, in the order Twilio sends them."""
    fields: dict[str, Any] = {
        "ToCountry": "US", "ToState": "CA", "SmsMessageSid": SID, "NumMedia": "0",
        "ToCity": "SAN FRANCISCO", "FromZip": "", "SmsSid": SID, "FromState": "",
        "SmsStatus": "received", "FromCity": "",
        "Body": "Hi, I'd like to change the delivery address for order 104512 please",
        "FromCountry": "GB", "To": "+14155550100", "ToZip": "94105", "NumSegments": "1",
        "MessageSid": SID, "AccountSid": "AC9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "From": "+447700900123", "ApiVersion": "2010-04-01",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def encode(fields: dict[str, Any]) -> bytes:
    return urlencode(fields).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("sms", raw, SOURCE, BROKER_TIME), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


def test_sms_becomes_a_ticket() -> None:
    raw = encode(form())
    assert b"From=%2B447700900123" in raw  # the "+" arrives percent-encoded, as from Twilio
    [ticket] = sms.normalize(raw, CTX)

    assert ticket.channel == "sms"
    assert ticket.provider == "twilio"
    assert ticket.provider_message_id == SID
    assert ticket.ticket_id == ticket_id_for("sms", SID)
    assert ticket.received_at == BROKER_TIME  # Twilio sends no timestamp
    assert ticket.customer.phone == "+447700900123"
    assert ticket.customer.identity_key == "phone:+447700900123"
    assert ticket.body == "Hi, I'd like to change the delivery address for order 104512 please"
    assert ticket.body_original == ticket.body
    assert ticket.subject is None
    assert ticket.language == "en"
    assert ticket.order_numbers == ("104512",)
    assert ticket.attachments == ()
    assert ticket.channel_details == {"to": "+14155550100", "num_segments": 1,
                                      "from_country": "GB"}
    assert sms.normalize(raw, CTX) == [ticket]


def test_national_number_uses_from_country_and_unicode_body() -> None:
    raw = encode(form(From="(415) 555-0123", FromCountry="US",
                      Body="¿Dónde está mi pedido 104512? Gracias 🙏", NumSegments=None))
    [ticket] = sms.normalize(raw, CTX)
    assert ticket.customer.phone == "+14155550123"
    assert ticket.body == "¿Dónde está mi pedido 104512? Gracias 🙏"
    assert ticket.language == "es"
    assert ticket.channel_details["num_segments"] is None


def test_unparseable_sender_leaves_phone_empty() -> None:
    [ticket] = sms.normalize(encode(form(From="ShopAlerts", FromCountry=None)), CTX)
    assert ticket.customer.phone is None
    assert ticket.channel_details["from_country"] is None


def test_mms_media_become_attachments() -> None:
    base = "https://api.twilio.com/2010-04-01/Accounts/AC9f8e/Messages/MM8a7b/Media/"
    raw = encode(form(
        NumMedia="2", Body="",
        MediaContentType0="image/jpeg", MediaUrl0=base + "ME1a",
        MediaContentType1="video/mp4", MediaUrl1=base + "ME2b",
    ))
    [ticket] = sms.normalize(raw, CTX)
    assert ticket.attachments == (
        Attachment(content_type="image/jpeg", url=base + "ME1a"),
        Attachment(content_type="video/mp4", url=base + "ME2b"),
    )
    assert ticket.body == "(sent 2 attachments without text: 1 image, 1 video)"
    assert ticket.body_original == ""
    assert ticket.language == "und"


def test_mms_with_text_and_missing_content_type() -> None:
    raw = encode(form(NumMedia="1", Body="Here's the damaged box",
                      MediaUrl0="https://api.twilio.com/media/ME1"))
    [ticket] = sms.normalize(raw, CTX)
    assert ticket.body == "Here's the damaged box"
    assert ticket.attachments == (
        Attachment(content_type="application/octet-stream", url="https://api.twilio.com/media/ME1"),
    )


def test_repeated_key_takes_the_first_value() -> None:
    raw = encode(form()) + b"&Body=second"
    [ticket] = sms.normalize(raw, CTX)
    assert ticket.body.startswith("Hi, I'd like")


@pytest.mark.parametrize("body", ["", "   "])
def test_empty_body_without_media(body: str) -> None:
    letter = dead_letter(encode(form(Body=body)))
    assert letter.error_code == ErrorCode.EMPTY_BODY
    assert SID in letter.reason


def test_body_field_absent_is_an_empty_body() -> None:
    assert dead_letter(encode(form(Body=None))).error_code == ErrorCode.EMPTY_BODY


def test_media_count_without_media_url() -> None:
    letter = dead_letter(encode(form(NumMedia="1")))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "MediaUrl0" in letter.reason


@pytest.mark.parametrize(
    "raw",
    [
        b'{"MessageSid": "SM1", "From": "+14155550123", "Body": "hi"}',
        b"MessageSid=SM1&From=%2B14155550123&Body",
        b"MessageSid=SM1&&Body=hi",
    ],
    ids=["json", "field-without-equals", "empty-field"],
)
def test_not_a_form(raw: bytes) -> None:
    letter = dead_letter(raw)
    assert letter.error_code == ErrorCode.INVALID_FORM
    assert "form" in letter.reason


def test_invalid_utf8_raw_and_percent_encoded() -> None:
    assert dead_letter(encode(form()).replace(b"Hi%2C", b"Hi\xff%2C")).error_code == (
        ErrorCode.INVALID_UTF8
    )
    # Latin-1 "é" percent-encoded: valid ASCII on the wire, invalid UTF-8 once decoded
    assert dead_letter(encode(form()).replace(b"Hi%2C", b"H%E9%2C")).error_code == (
        ErrorCode.INVALID_UTF8
    )


def test_missing_required_fields() -> None:
    letter = dead_letter(encode(form(MessageSid=None, From=None)))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "MessageSid" in letter.reason and "From" in letter.reason
    assert dead_letter(b"").error_code == ErrorCode.MISSING_FIELD


@pytest.mark.parametrize("overrides", [{"NumMedia": "two"}, {"NumMedia": "-1"},
                                       {"NumSegments": "1.5"}, {"MessageSid": ""}])
def test_wrong_types(overrides: dict[str, Any]) -> None:
    letter = dead_letter(encode(form(**overrides)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details

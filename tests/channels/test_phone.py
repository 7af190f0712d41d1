"""Call records and voicemails → tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels import phone
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import Attachment, DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.phone", partition=1, offset=9)
CTX = RecordContext(source=SOURCE, timestamp=datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
FAILED_AT = datetime(2024, 5, 2, 9, 0, 1, tzinfo=UTC)


def call(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "call_id": "CA5f1e9a0c",
        "kind": "voicemail",
        "direction": "inbound",
        "from": "+44 20 7946 0958",
        "to": "+1 415 555 0100",
        "caller_name": "J. Whitfield",
        "started_at": "2024-05-02T07:41:09-07:00",
        "duration_seconds": 48,
        "ivr_selection": "2-returns",
        "transcript": " Hi, this is James, I want to return order 104512, "
                      "the shoes are too small. ",
        "recording_url": "https://voip.example.com/recordings/RE91c2.wav?token=abc",
    }
    payload.update(overrides)
    return payload


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("phone", raw, SOURCE, CTX.timestamp), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


def test_voicemail_becomes_a_ticket_from_its_transcript() -> None:
    [ticket] = phone.normalize(encode(call()), CTX)

    assert ticket.channel == "phone"
    assert ticket.provider == "voip"
    assert ticket.provider_message_id == "CA5f1e9a0c"
    assert ticket.ticket_id == ticket_id_for("phone", "CA5f1e9a0c")
    assert ticket.received_at == datetime(2024, 5, 2, 14, 41, 9, tzinfo=UTC)
    assert ticket.received_at.tzinfo == UTC
    assert ticket.customer.phone == "+442079460958"
    assert ticket.customer.display_name == "J. Whitfield"
    assert ticket.subject is None
    assert ticket.body == (
        "Hi, this is James, I want to return order 104512, the shoes are too small."
    )
    assert ticket.body_original == call()["transcript"]
    assert ticket.order_numbers == ("104512",)
    assert ticket.language == "en"
    assert ticket.channel_details == {
        "kind": "voicemail",
        "direction": "inbound",
        "duration_seconds": 48,
        "ivr_selection": "2-returns",
        "recording_url": "https://voip.example.com/recordings/RE91c2.wav?token=abc",
    }
    assert ticket.attachments == (
        Attachment(
            filename="RE91c2.wav",
            content_type="audio/wav",
            url="https://voip.example.com/recordings/RE91c2.wav?token=abc",
        ),
    )


def test_same_record_twice_gives_the_same_ticket() -> None:
    assert phone.normalize(encode(call()), CTX) == phone.normalize(encode(call()), CTX)


def test_recording_without_known_extension_is_mp3_and_no_recording_no_attachment() -> None:
    [with_link] = phone.normalize(
        encode(call(recording_url="https://voip.example.com/rec/RE91c2")), CTX
    )
    assert with_link.attachments[0].content_type == "audio/mpeg"
    [without] = phone.normalize(encode(call(recording_url=None)), CTX)
    assert without.attachments == ()
    assert without.channel_details["recording_url"] is None


def test_call_with_national_number_and_no_caller_name() -> None:
    # No region is known for calls: a number without country code is not guessed.
    payload = call(kind="call", **{"from": "(415) 555-0123"}, caller_name=None, ivr_selection=None)
    [ticket] = phone.normalize(encode(payload), CTX)
    assert ticket.customer.phone is None
    assert ticket.customer.display_name is None
    assert ticket.channel_details["kind"] == "call"
    assert ticket.channel_details["ivr_selection"] is None


def test_outbound_call_customer_is_the_callee() -> None:
    payload = call(kind="call", direction="outbound", **{"from": "+14155550100",
                                                          "to": "+4915112345678"})
    [ticket] = phone.normalize(encode(payload), CTX)
    assert ticket.customer.phone == "+4915112345678"
    assert ticket.customer.display_name is None  # caller ID name is the shop's own


@pytest.mark.parametrize("transcript", [None, "", "   \n "])
def test_no_transcript_is_an_empty_body_asking_for_transcription(transcript: str | None) -> None:
    letter = dead_letter(encode(call(transcript=transcript)))
    assert letter.error_code == ErrorCode.EMPTY_BODY
    assert "transcri" in letter.reason
    assert "CA5f1e9a0c" in letter.reason


def test_transcript_key_absent_is_an_empty_body() -> None:
    payload = call()
    del payload["transcript"]
    assert dead_letter(encode(payload)).error_code == ErrorCode.EMPTY_BODY


def test_malformed_json() -> None:
    assert dead_letter(b"{'call_id': 'CA1'}").error_code == ErrorCode.INVALID_JSON


def test_invalid_utf8() -> None:
    raw = encode(call()).replace(b"Whitfield", b"Whitf\xc3\x28eld")
    assert dead_letter(raw).error_code == ErrorCode.INVALID_UTF8


def test_missing_from_and_started_at() -> None:
    payload = call()
    del payload["from"]
    del payload["started_at"]
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "from" in letter.reason and "started_at" in letter.reason


@pytest.mark.parametrize(
    "overrides",
    [{"duration_seconds": "long"}, {"duration_seconds": -3}, {"kind": "fax"},
     {"direction": "sideways"}, {"started_at": "noon"}],
)
def test_wrong_types(overrides: dict[str, Any]) -> None:
    letter = dead_letter(encode(call(**overrides)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details


def test_call_body_keeps_only_the_callers_turns() -> None:
    from channels.phone import customer_speech

    transcript = (
        "Agent: Thank you for calling, I can refund that for you.\n"
        "Caller: My order 104512 arrived broken.\n"
        "Agent: Sorry to hear that.\n"
        "Caller: Please send a new one."
    )
    assert customer_speech(transcript) == "My order 104512 arrived broken.\nPlease send a new one."


def test_unlabelled_voicemail_is_kept_whole() -> None:
    from channels.phone import customer_speech

    voicemail = "Hi, it's Tom again: call me back about order 104512, thanks."
    assert customer_speech(voicemail) == voicemail

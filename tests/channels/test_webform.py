"""Website contact-form submissions → tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels import webform
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from channels.webform import region_from_locale
from schemas import DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.webform", partition=0, offset=3)
CTX = RecordContext(source=SOURCE, timestamp=datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
FAILED_AT = datetime(2024, 5, 2, 9, 0, 1, tzinfo=UTC)


def submission(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "submission_id": "wf_01HWX3K9Q2",
        "form_id": "contact-v2",
        "submitted_at": "2024-05-02T10:12:45+02:00",
        "name": "Camille Martin",
        "email": " Camille.Martin@Exemple.FR",
        "phone": "06 12 34 56 78",
        "order_number": "#204512",
        "topic": "Retour / remboursement",
        "message": "Bonjour, je souhaite retourner la commande n° 104512, la taille ne va pas. "
                   "Merci de me dire comment procéder.",
        "page_url": "https://shop.example.com/fr/contact",
        "locale": "fr-FR",
    }
    payload.update(overrides)
    return payload


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("webform", raw, SOURCE, CTX.timestamp), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


def test_submission_becomes_a_ticket() -> None:
    [ticket] = webform.normalize(encode(submission()), CTX)

    assert ticket.channel == "webform"
    assert ticket.provider == "webform"
    assert ticket.provider_message_id == "wf_01HWX3K9Q2"
    assert ticket.ticket_id == ticket_id_for("webform", "wf_01HWX3K9Q2")
    assert ticket.received_at == datetime(2024, 5, 2, 8, 12, 45, tzinfo=UTC)
    assert ticket.received_at.tzinfo == UTC
    assert ticket.customer.email == "camille.martin@exemple.fr"
    assert ticket.customer.phone == "+33612345678"  # national number, region from locale
    assert ticket.customer.display_name == "Camille Martin"
    assert ticket.subject == "Retour / remboursement"
    assert ticket.body.startswith("Bonjour, je souhaite retourner")
    assert ticket.body_original == submission()["message"]
    assert ticket.language == "fr"
    # the form field first, then what the text mentions
    assert ticket.order_numbers == ("204512", "104512")
    assert ticket.channel_details == {
        "form_id": "contact-v2",
        "topic": "Retour / remboursement",
        "page_url": "https://shop.example.com/fr/contact",
        "locale": "fr-FR",
    }
    assert webform.normalize(encode(submission()), CTX) == [ticket]


def test_us_number_with_region_and_international_number_without() -> None:
    [us] = webform.normalize(encode(submission(phone="(415) 555-0123", locale="en_US")), CTX)
    assert us.customer.phone == "+14155550123"
    [uk] = webform.normalize(encode(submission(phone="+44 20 7946 0958", locale="en")), CTX)
    assert uk.customer.phone == "+442079460958"
    [unknown] = webform.normalize(encode(submission(phone="(415) 555-0123", locale=None)), CTX)
    assert unknown.customer.phone is None


def test_optional_fields_absent() -> None:
    payload = {
        "submission_id": "wf_2", "submitted_at": "2024-05-02T08:00:00Z",
        "email": "a.b@example.com", "message": "Do you have gift cards?",
    }
    [ticket] = webform.normalize(encode(payload), CTX)
    assert ticket.customer.phone is None and ticket.customer.display_name is None
    assert ticket.subject is None
    assert ticket.order_numbers == ()
    assert ticket.channel_details == {"form_id": None, "topic": None, "page_url": None,
                                      "locale": None}


def test_unusable_order_number_field_is_ignored() -> None:
    [ticket] = webform.normalize(encode(submission(order_number="last week's order",
                                                   message="Where is my stuff?")), CTX)
    assert ticket.order_numbers == ()


@pytest.mark.parametrize(
    ("locale", "region"),
    [("fr-FR", "FR"), ("de_at", "AT"), ("zh-Hant-TW", "TW"), ("fr", None), ("es-419", None),
     ("", None), (None, None)],
)
def test_region_from_locale(locale: str | None, region: str | None) -> None:
    assert region_from_locale(locale) == region


@pytest.mark.parametrize("email", ["camille.martin", "camille@", "two@at@example.com", "a b@x.fr"])
def test_invalid_email(email: str) -> None:
    letter = dead_letter(encode(submission(email=email)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert "email" in letter.reason
    assert letter.details


@pytest.mark.parametrize("message", ["", "  \n\t "])
def test_empty_message(message: str) -> None:
    letter = dead_letter(encode(submission(message=message)))
    assert letter.error_code == ErrorCode.EMPTY_BODY
    assert "wf_01HWX3K9Q2" in letter.reason


def test_malformed_json() -> None:
    assert dead_letter(b'{"submission_id": "wf_1",}').error_code == ErrorCode.INVALID_JSON


def test_invalid_utf8() -> None:
    raw = encode(submission()).replace(b"Martin", b"Mart\x80n")
    assert dead_letter(raw).error_code == ErrorCode.INVALID_UTF8


def test_missing_required_fields() -> None:
    payload = submission()
    del payload["email"]
    del payload["message"]
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "email" in letter.reason and "message" in letter.reason


@pytest.mark.parametrize(
    "overrides",
    [{"submitted_at": "2 May"}, {"submitted_at": "2024-05-02T10:12:45"}, {"message": 42},
     {"email": ["a@b.fr"]}],
    ids=["bad-date", "naive-date", "message-not-text", "email-not-text"],
)
def test_wrong_types(overrides: dict[str, Any]) -> None:
    letter = dead_letter(encode(submission(**overrides)))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details

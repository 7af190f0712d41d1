"""Identity normalization and order-number extraction, shared by every channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from channels.base import (
    NormalizationError,
    attachment_kind,
    datetime_from_epoch,
    describe_attachments,
)
from channels.identity import normalize_email, normalize_phone
from channels.orders import canonical_order_number, extract_order_numbers
from schemas import Attachment, ErrorCode


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("(415) 555-0123", "US", "+14155550123"),
        ("415.555.0123", "US", "+14155550123"),
        ("+1 415 555 0123", None, "+14155550123"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("+44 20 7946 0958", "FR", "+442079460958"),  # an explicit country code wins
        ("020 7946 0958", "GB", "+442079460958"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("4915112345678", None, "+4915112345678"),  # WhatsApp: bare international digits
        ("whatsapp:+4915112345678", None, "+4915112345678"),  # Twilio's WhatsApp sender
        ("  +14155550123  ", None, "+14155550123"),
    ],
)
def test_normalize_phone(value: str, region: str | None, expected: str) -> None:
    assert normalize_phone(value, region) == expected


@pytest.mark.parametrize(
    ("value", "region"),
    [
        (None, None), ("", None), ("   ", None),
        ("(415) 555-0123", None),  # national format, no region to read it in
        ("anonymous", None), ("Restricted", "US"),
        ("12", None), ("+1 415", None),
        ("06 12 34 56 78", "XX"),  # unknown region
    ],
)
def test_normalize_phone_rejects(value: str | None, region: str | None) -> None:
    assert normalize_phone(value, region) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Lena.Fischer@Example.DE ", "lena.fischer@example.de"),
        ("<support+orders@shop.example.com>", "support+orders@shop.example.com"),
        ("a@b.co", "a@b.co"),
        (None, None), ("", None), ("lena", None), ("lena@example", None),
        ("lena@@example.de", None), ("Lena Fischer <lena@example.de>", None),
        ("le na@example.de", None),
    ],
)
def test_normalize_email(value: str | None, expected: str | None) -> None:
    assert normalize_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("#104512", "104512"), (" 104512 ", "104512"), ("# 104512", "104512"),
     ("10451", None), ("1045123", None), ("order 104512", None), ("", None)],
)
def test_canonical_order_number(value: str, expected: str | None) -> None:
    assert canonical_order_number(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where is #104512?", ("104512",)),
        ("my order 104512 has not arrived", ("104512",)),
        ("Order number: 104512", ("104512",)),
        ("order no. 104512", ("104512",)),
        ("Bestellung Nr. 104512", ("104512",)),
        ("Bestellnummer 104512", ("104512",)),
        ("commande n° 104512", ("104512",)),
        ("Commande N°104512", ("104512",)),
        ("pedido número 104512", ("104512",)),
        ("ordine 104512", ("104512",)),
        ("bestelling 104512", ("104512",)),
        ("encomenda 104512", ("104512",)),
        # bare numbers are not orders: postcodes, amounts, phone numbers, longer ids
        # The shop's format (six digits starting with 1) is taken wherever it stands alone;
        # enrichment verifies candidates against the store.
        ("Ship to 75011 Paris, my parcel 104512", ("104512",)),
        ("Ship to 75011 Paris, I paid 1,049.00 on 2026-11-21", ()),
        ("Bestellnr. 106270", ("106270",)),
        ("Pedido n.º 106389 y el 105889", ("106389", "105889")),
        ("refund status 104364?", ("104364",)),
        ("order number 1 0 5 5 8 3 please", ("105583",)),
        ("call me on +1 415 555 0123", ()),
        ("tracking 1Z999AA10123456784, ref 1234567", ()),
        ("call me on 0612345678", ()),
        ("order 1045123 or #1045123", ()),
        ("reorder 104512", ("104512",)),
    ],
)
def test_extract_order_numbers_from_text(text: str, expected: tuple[str, ...]) -> None:
    assert extract_order_numbers([], text) == expected


def test_extract_order_numbers_keeps_text_order_and_dedupes() -> None:
    text = "My order 104512 arrived, but #204512 did not. Again: order #104512."
    assert extract_order_numbers([], text) == ("104512", "204512")


def test_explicit_order_numbers_come_first() -> None:
    assert extract_order_numbers(["#304512", "not a number", "304512"],
                                 "about order 104512 and #304512") == ("304512", "104512")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1714640000123, "ms", datetime(2024, 5, 2, 8, 53, 20, 123000, tzinfo=UTC)),
        ("1714640000557", "ms", datetime(2024, 5, 2, 8, 53, 20, 557000, tzinfo=UTC)),
        ("1717000000", "s", datetime(2024, 5, 29, 16, 26, 40, tzinfo=UTC)),
        (0, "s", datetime(1970, 1, 1, tzinfo=UTC)),
    ],
)
def test_datetime_from_epoch(value: int | str, unit: str, expected: datetime) -> None:
    result = datetime_from_epoch(value, "ms" if unit == "ms" else "s", "test timestamp")
    assert result == expected
    assert result.tzinfo == UTC


@pytest.mark.parametrize("value", ["soon", "", "nan", "inf", 10**20])
def test_datetime_from_epoch_rejects(value: int | str) -> None:
    with pytest.raises(NormalizationError) as caught:
        datetime_from_epoch(value, "s", "test timestamp")
    assert caught.value.code == ErrorCode.SCHEMA_VALIDATION
    assert "test timestamp" in caught.value.reason


def test_describe_attachments() -> None:
    def of(*types: str) -> list[Attachment]:
        return [Attachment(content_type=t) for t in types]

    assert describe_attachments(of("image/jpeg")) == "(sent 1 image attachment without text)"
    assert describe_attachments(of("audio/ogg", "audio/*")) == (
        "(sent 2 audio attachments without text)"
    )
    assert describe_attachments(of("image/*", "application/pdf", "image/png")) == (
        "(sent 3 attachments without text: 2 image, 1 file)"
    )
    assert describe_attachments([]) == ""
    assert attachment_kind("Video/MP4") == "video"
    assert attachment_kind("text/vcard") == "file"

"""A shop's own order-number formats (TICKETFLOW_SHOP_FILE): found in text, subject lines and
form fields; validated with messages that say what to fix."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from channels import RawRecord, normalize
from channels.orders import (
    DEMO_SHOP,
    OrderFormatError,
    OrderNumberFormat,
    canonical_order_number,
    explain_order_numbers,
    extract_order_numbers,
    load_order_formats,
    parse_order_formats,
    shop_order_formats,
)
from core.errors import ConfigError
from schemas import Source, Ticket

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

SHOP = parse_order_formats([
    {"name": "erp sales order", "pattern": r"SO-\d{4}-\d{5}", "upper": True,
     "ignore_case": True},
    {"name": "amazon", "pattern": r"\d{3}-\d{7}-\d{7}"},
    {"name": "short code", "pattern": r"#(?P<number>[A-Z0-9]{6})", "upper": True,
     "ignore_case": True},
    {"name": "shopify", "pattern": r"#(\d{4,5})"},
    {"name": "eight digits", "pattern": r"\d{8}"},
], "test")


@pytest.mark.parametrize(("text", "expected"), [
    ("Please cancel SO-2024-00017 today", ("SO-2024-00017",)),
    ("re: so-2024-00017", ("SO-2024-00017",)),
    ("Amazon order 123-1234567-1234567 never came", ("123-1234567-1234567",)),
    ("Where is #a1b2c3?", ("A1B2C3",)),
    ("where is my order #1001", ("1001",)),
    ("order #10012 and 20241130", ("10012", "20241130")),
    # not inside longer codes or numbers
    ("ref XSO-2024-00017 and 1123-1234567-1234567", ()),
    ("call 0612345678", ()),
    ("#1001234 is a phone extension", ()),
])
def test_shop_formats_find_their_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert extract_order_numbers([], text, SHOP) == expected


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    (r"\d{5}", "order 12345 please", ("12345",)),
    (r"\d{7}", "order 1234567 please, not 12345678", ("1234567",)),
    (r"9\d{5}", "Please cancel order 900302; where is my order 900201?", ("900302", "900201")),
])
def test_digit_lengths(pattern: str, text: str, expected: tuple[str, ...]) -> None:
    formats = parse_order_formats([{"name": "n", "pattern": pattern}], "test")
    assert extract_order_numbers([], text, formats) == expected


def test_form_fields_take_exactly_one_number_of_a_format() -> None:
    assert canonical_order_number(" so-2024-00017 ", SHOP) == "SO-2024-00017"
    assert canonical_order_number("#1001", SHOP) == "1001"
    assert canonical_order_number("order SO-2024-00017", SHOP) is None
    assert extract_order_numbers(["#a1b2c3", "nothing"], "and #1001", SHOP) == ("A1B2C3", "1001")


def test_the_demo_shop_formats_are_the_default() -> None:
    assert shop_order_formats(None) is DEMO_SHOP
    assert extract_order_numbers([], "where is my order 900201? #104512") == ("104512",)


def test_a_format_for_form_fields_only_is_not_used_in_text() -> None:
    formats = parse_order_formats([{"name": "any", "pattern": r"\d{4}", "in_text": False}], "t")
    assert extract_order_numbers(["4711"], "and 1234 in text", formats) == ("4711",)


def test_explain_names_the_format_that_found_each_number() -> None:
    text = "SO-2024-00017, then #1001"
    assert explain_order_numbers(["#A1B2C3"], text, SHOP) == [
        ("A1B2C3", "short code (form field)"), ("SO-2024-00017", "erp sales order"),
        ("1001", "shopify")]


@pytest.mark.parametrize(("entries", "message"), [
    ([], "non-empty list"),
    ("SO-\\d+", "non-empty list"),
    ([{"pattern": r"\d+"}], "'name' is missing"),
    ([{"name": "x"}], "'pattern' is missing"),
    ([{"name": "x", "pattern": "a("}], "not a valid regular expression: missing ), "
     "unterminated subpattern at position 1"),
    ([{"name": "x", "pattern": r"\d*"}], "matches an empty string"),
    ([{"name": "x", "pattern": r"(SO)-(\d+)"}], "name the one that is the order number"),
    ([{"name": "x", "pattern": r"\d+", "upper": "yes"}], "'upper' must be true or false"),
    ([{"name": "x", "pattern": r"\d+", "colour": "red"}], "unknown key(s) colour"),
    ([{"name": "x", "pattern": r"SO-\d{5}", "examples": ["order SO-123"]}],
     "finds no order number in its example 'order SO-123'"),
])
def test_bad_formats_say_what_to_fix(entries: object, message: str) -> None:
    with pytest.raises(OrderFormatError) as info:
        parse_order_formats(entries, "shop.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("shop.yaml")
    assert isinstance(info.value, ConfigError)  # the CLI shows it as one line, exit 1


def test_load_from_a_shop_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text("order_numbers:\n  - name: erp\n    pattern: 'SO-\\d{4}-\\d{5}'\n"
                    "    examples: ['SO-2024-00017']\n", encoding="utf-8")
    (fmt,) = load_order_formats(path)
    assert fmt == OrderNumberFormat("erp", r"SO-\d{4}-\d{5}")
    with pytest.raises(OrderFormatError, match="Cannot read the shop file"):
        load_order_formats(tmp_path / "missing.yaml")
    path.write_text("order_numbers: [", encoding="utf-8")
    with pytest.raises(OrderFormatError, match="not valid YAML"):
        load_order_formats(path)
    path.write_text("name: my shop\n", encoding="utf-8")
    with pytest.raises(OrderFormatError, match="'order_numbers' list"):
        load_order_formats(path)


def _record(channel: str, value: bytes) -> RawRecord:
    return RawRecord(channel=channel, value=value,
                     source=Source(topic=f"inbound.{channel}", partition=0, offset=1),
                     timestamp=NOW)


def test_normalizers_use_the_shop_formats_in_subjects_bodies_and_form_fields() -> None:
    email = (b"From: Ana <ana@example.com>\r\nTo: help@shop.example\r\n"
             b"Subject: Order SO-2024-00017\r\nMessage-ID: <m1@example.com>\r\n"
             b"Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\nAlso #1001 please.\r\n")
    (ticket,) = normalize(_record("email", email), NOW, order_formats=SHOP)
    assert isinstance(ticket, Ticket)
    assert ticket.order_numbers == ("SO-2024-00017", "1001")
    form = json.dumps({"submission_id": "f1", "submitted_at": "2026-11-30T10:00:00Z",
                       "email": "ana@example.com", "message": "It never came",
                       "order_number": "so-2024-00017"}).encode()
    result = normalize(_record("webform", form), NOW, order_formats=SHOP)
    assert not isinstance(result, Exception)
    (ticket,) = result  # type: ignore[misc]
    assert ticket.order_numbers == ("SO-2024-00017",)
    # the same messages with the demo shop's formats find none of these
    (demo,) = normalize(_record("email", email), NOW)  # type: ignore[misc]
    assert demo.order_numbers == ()

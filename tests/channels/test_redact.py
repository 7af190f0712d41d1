"""Redaction of card numbers, IBANs and passwords; order and phone numbers are left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.orders import extract_order_numbers
from channels.redact import iban_valid, luhn_valid, redact


def with_luhn_digit(prefix: str) -> str:
    """``prefix`` plus the check digit that makes it Luhn-valid."""
    return next(prefix + d for d in "0123456789" if luhn_valid(prefix + d))


@pytest.mark.parametrize("card", [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
    "5555 5555 5555 4444", "3782 822463 10005", "6011 0009 9013 9424",
    "4222222222222",  # 13 digits
])
def test_luhn_valid_card_numbers_are_redacted(card: str) -> None:
    text, counts = redact(f"My card {card} was charged twice.")
    assert text == "My card [card] was charged twice."
    assert counts == {"card": 1}


def test_a_number_failing_luhn_is_kept() -> None:
    text = "Reference 4111 1111 1111 1112 please"
    assert redact(text) == (text, {})


@pytest.mark.parametrize("iban", [
    "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
    "FR14 2004 1010 0505 0001 3M02 606", "GB82 WEST 1234 5698 7654 32",
])
def test_checksum_valid_ibans_are_redacted(iban: str) -> None:
    text, counts = redact(f"Refund to {iban} THANKS, Anna")
    assert text == "Refund to [iban] THANKS, Anna"
    assert counts == {"iban": 1}


def test_an_iban_with_a_wrong_checksum_is_kept() -> None:
    text = "Refund to DE89 3704 0044 0532 0130 01 please"
    assert redact(text) == (text, {})
    assert not iban_valid("DE89370400440532013001")


@pytest.mark.parametrize(("written", "expected"), [
    ("password: hunter2", "password: [password]"),
    ("My Password=hunter2 ok", "My Password=[password] ok"),
    ("mot de passe : Soleil!42", "mot de passe : [password]"),
    ("Passwort: geheim123", "Passwort: [password]"),
    ("contraseña: secreto", "contraseña: [password]"),
])
def test_password_values_are_redacted_in_every_language(written: str, expected: str) -> None:
    text, counts = redact(written)
    assert text == expected
    assert counts == {"password": 1}


def test_order_numbers_are_not_redacted() -> None:
    text = ("Order #104512 and 104513, also 1 0 4 5 1 4; orders 104515 104516 104517 all late")
    assert redact(text) == (text, {})
    assert extract_order_numbers([], redact(text)[0])  # still found after redaction


@pytest.mark.parametrize("phone", [
    "+49 151 23456789", "+33 6 12 34 56 78", "0049 151 2345 6789", "0151 2345 6789",
    "+1-202-555-0143", "(415) 555-2671",
])
def test_phone_numbers_are_not_redacted(phone: str) -> None:
    text = f"Call me on {phone} tomorrow"
    assert redact(text) == (text, {})


def test_a_phone_number_that_happens_to_pass_luhn_is_kept() -> None:
    subscriber = with_luhn_digit("3512345678901")  # 14 digits, starts like a card could
    assert luhn_valid(subscriber)
    text = f"Call +49 {subscriber}"
    assert redact(text) == (text, {})
    # the same digits alone are a card number
    assert redact(subscriber)[0] == "[card]"


def test_counts_by_kind_in_one_text() -> None:
    text, counts = redact("Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, "
                          "password: x1, and again 5555555555554444.")
    assert text == "Card [card], IBAN [iban], password: [password], and again [card]."
    assert counts == {"card": 2, "iban": 1, "password": 1}


@given(st.text())
def test_redacting_twice_changes_nothing(text: str) -> None:
    once, _ = redact(text)
    assert redact(once) == (once, {})

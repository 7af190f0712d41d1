"""Normalizing customer identities so the same person matches across channels."""

from __future__ import annotations

import re

import phonenumbers

# No control characters: RFC 5321 allows none in an address, and the store could not look up
# one holding a NUL (PostgreSQL text cannot contain it).
_EMAIL = re.compile(r"^[^@\s<>\x00-\x1f\x7f]+@[^@\s<>\x00-\x1f\x7f]+\.[^@\s<>\x00-\x1f\x7f]+$")


def normalize_email(value: str | None) -> str | None:
    """Lower-cased, trimmed address; None when it is not an address at all."""
    if not value:
        return None
    candidate = value.strip().strip("<>").lower()
    return candidate if _EMAIL.match(candidate) else None


def normalize_phone(value: str | None, default_region: str | None = None) -> str | None:
    """E.164 (``+14155550123``) or None when the number cannot be parsed as valid.

    WhatsApp ids are bare international digits; Twilio sends E.164; callers type anything.
    """
    if not value:
        return None
    text = value.strip()
    if text.startswith("whatsapp:"):
        text = text.removeprefix("whatsapp:")
    if text.isdigit() and default_region is None:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

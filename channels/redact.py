"""Optional redaction of payment data and passwords customers paste into messages
(``TICKETFLOW_REDACT``): card numbers, IBANs and "password: …" values are replaced by
``[card]``, ``[iban]`` and ``[password]`` before a ticket leaves the worker.

Pure functions. Each candidate is verified (Luhn for cards, ISO 13616 mod-97 for IBANs) so
that order numbers, phone numbers and other long digit runs stay as they are: a help desk needs
those. A card needs a major-network first digit (2–6): phone numbers start with ``+``, ``0`` or
``00`` and shop order numbers with ``1``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from schemas import Ticket

Kind = Literal["card", "iban", "password"]
KINDS: tuple[Kind, ...] = ("card", "iban", "password")
REPLACEMENT: dict[Kind, str] = {"card": "[card]", "iban": "[iban]", "password": "[password]"}

# 13-19 digits, single spaces or dashes between them; not glued to other digits, a '+' (an
# international phone number) or a dash run, nor the account part of an IBAN whose checksum
# failed (those digits are not a card, even when they pass Luhn)
_CARD = re.compile(r"(?<![\d+\-])(?<![A-Z]{2}\d{2} )[2-6](?:[ \-]?\d){12,18}(?![\d])")
# "+49 " or "+1-" right before a candidate: an international phone number
_PHONE_PREFIX = re.compile(r"\+\d{1,3}[ \-]?$")
# country code, check digits, then the BBAN in groups (printed in fours, or unbroken)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b")
# the label, a colon or '=', then the value up to the next blank (a comma or full stop right
# before it ends the sentence, not the password)
_PASSWORD = re.compile(
    r"(?i)\b(password|passwort|kennwort|mot de passe|contrase(?:ñ|n)a|pwd)"
    r"(\s*[:=]\s*)(\S+?)(?=[,;.]?(?:\s|$))"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616: 15-34 characters, letters as 10-35, moved check digits, remainder 1 by 97."""
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _cards(text: str, counts: Counter[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"[ \-]", "", match.group())
        if _PHONE_PREFIX.search(text, max(0, match.start() - 6), match.start()):
            return match.group()  # the subscriber part of "+49 351 …"
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            counts["card"] += 1
            return REPLACEMENT["card"]
        return match.group()

    return _CARD.sub(replace, text)


def _ibans(text: str, counts: Counter[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group()
        # the pattern may have taken a following word in capitals: drop trailing groups until
        # the checksum holds
        groups = found.split(" ")
        for end in range(len(groups), 0, -1):
            if iban_valid("".join(groups[:end])):
                counts["iban"] += 1
                rest = " ".join(groups[end:])
                return REPLACEMENT["iban"] + (f" {rest}" if rest else "")
        return found

    return _IBAN.sub(replace, text)


def _passwords(text: str, counts: Counter[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(3) == REPLACEMENT["password"]:
            return match.group()  # already redacted (a second pass changes nothing)
        counts["password"] += 1
        return f"{match.group(1)}{match.group(2)}{REPLACEMENT['password']}"

    return _PASSWORD.sub(replace, text)


def redact(text: str) -> tuple[str, Counter[str]]:
    """``text`` with card numbers, IBANs and password values replaced; how many of each kind.
    Passwords first (a password may look like a number), then IBANs (their digits may pass
    Luhn), then cards."""
    counts: Counter[str] = Counter()
    text = _passwords(text, counts)
    text = _ibans(text, counts)
    text = _cards(text, counts)
    return text, counts


def redact_ticket(ticket: Ticket) -> tuple[Ticket, Counter[str]]:
    """The ticket with its subject, body and original body redacted, and the counts over all
    three (the same card in the body and the original body counts twice: two copies removed).
    Order numbers were read before, from the clear text, so routing still sees them."""
    counts: Counter[str] = Counter()
    update: dict[str, str] = {}
    for name in ("subject", "body", "body_original"):
        value = getattr(ticket, name)
        if not value:
            continue
        redacted, found = redact(value)
        if found:
            update[name] = redacted
            counts += found
    return (ticket.model_copy(update=update) if update else ticket), counts

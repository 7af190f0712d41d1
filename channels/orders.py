"""Finding the shop's order numbers in free text.

The demo shop numbers orders like Shopify does: six digits, written ``#104512`` or after a word
for "order" in the languages we serve. A bare six-digit number elsewhere (a postcode, an amount) is
not taken: it would send agents after the wrong order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ORDER_WORDS = (
    r"order|ordernumber|order\s*no|order\s*number|bestellung|bestellnummer|auftrag|"
    r"commande|cde|pedido|ordine|bestelling|encomenda|n[°º]|nr|no"
)
_PATTERNS = (
    re.compile(r"#\s?(\d{6})\b"),
    re.compile(rf"\b(?:{_ORDER_WORDS})\.?\s*(?:#|:|n[°º]|nr\.?|no\.?|number|num[eé]ro|nummer|número)?\s*(\d{{6}})\b",
               re.IGNORECASE),
)
_CANONICAL = re.compile(r"^#?\s*(\d{6})$")


def canonical_order_number(value: str) -> str | None:
    """``'#104512'``, ``' 104512 '`` → ``'104512'``; anything else → None."""
    match = _CANONICAL.match(value.strip())
    return match.group(1) if match else None


def extract_order_numbers(explicit: Iterable[str], text: str) -> tuple[str, ...]:
    """Order numbers given in form fields first, then those found in the text; no duplicates."""
    found: list[str] = []
    for value in explicit:
        number = canonical_order_number(value)
        if number and number not in found:
            found.append(number)
    # In the order they appear in the text (the first mentioned is usually the one meant),
    # whichever pattern found them.
    matches = sorted(
        (match.start(1), match.group(1))
        for pattern in _PATTERNS
        for match in pattern.finditer(text)
    )
    for _, number in matches:
        if number not in found:
            found.append(number)
    return tuple(found)

"""Finding the shop's order numbers in free text and form fields.

The demo shop numbers orders like Shopify does: six digits starting with 1 (``104512``). People
write them every way — ``#104512``, "order 104512", "Bestellnr. 106270", "Pedido n.º 106389",
"refund status 104364?", or read out digit by digit on the phone ("1 0 4 6 9 0") — so we take
the shop's format wherever it stands alone, plus any six digits written after ``#``. Numbers inside
longer digit runs, prices or dates are not taken. Enrichment checks each candidate against the
store, so a stray match costs one lookup, while a missed one costs an agent's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HASH = re.compile(r"#\s?(\d{6})\b")
_SHOP_FORMAT = re.compile(r"(?<![\d.,/+\-])\b(1\d{5})\b(?![.,/\-]?\d)")
_SPOKEN = re.compile(r"(?<!\d)(?<!\d )(1(?: \d){5})(?! ?\d)")
_CANONICAL = re.compile(r"^#?\s*(\d{6})$")


def canonical_order_number(value: str) -> str | None:
    """``'#104512'``, ``' # 104512 '`` → ``'104512'``; anything else → None."""
    match = _CANONICAL.match(value.strip())
    return match.group(1) if match else None


def extract_order_numbers(explicit: Iterable[str], text: str) -> tuple[str, ...]:
    """Order numbers given in form fields first, then those in the text in the order they
    appear (the first mentioned is usually the one meant); no duplicates."""
    found: list[str] = []
    for value in explicit:
        number = canonical_order_number(value)
        if number and number not in found:
            found.append(number)
    matches = sorted(
        (match.start(1), match.group(1).replace(" ", ""))
        for pattern in (_HASH, _SHOP_FORMAT, _SPOKEN)
        for match in pattern.finditer(text)
    )
    for _, number in matches:
        if number not in found:
            found.append(number)
    return tuple(found)

"""Finding the shop's order numbers in free text, subject lines and form fields.

Every shop numbers its orders its own way: Shopify's ``#1001``, an ERP's ``SO-2024-00017``,
Amazon's ``123-1234567-1234567``, short codes like ``#A1B2C3``. A shop declares its formats as
named regular expressions (:class:`OrderNumberFormat`, loaded from the shop file by
:func:`load_order_formats`); without a shop file the demo shop's formats apply
(:data:`DEMO_SHOP`).

The demo shop numbers orders like Shopify does: six digits starting with 1 (``104512``). People
write them every way — ``#104512``, "order 104512", "Bestellnr. 106270", "Pedido n.º 106389",
"refund status 104364?", or read out digit by digit on the phone ("1 0 4 6 9 0") — so its
formats take the shop's format wherever it stands alone, plus any six digits written after
``#``. Numbers inside longer digit runs, prices or dates are not taken. Enrichment checks each
candidate against the store, so a stray match costs one lookup, while a missed one costs an
agent's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

NUMBER_GROUP = "number"


@dataclass(frozen=True)
class OrderNumberFormat:
    """One way the shop writes order numbers.

    ``pattern`` finds a number in text. The order number is the pattern's ``number`` group if
    it has one, else its only group, else the whole match; spaces inside it are removed ("1 0 4
    6 9 0" read out on the phone) and, with ``upper``, letters are upper-cased (``#a1b2c3`` and
    ``#A1B2C3`` are one order). ``bounded`` (default) adds ``(?<![A-Za-z0-9])`` before and
    ``(?![A-Za-z0-9])`` after the pattern, so it is not taken from inside a longer code. A form
    field's value is taken when it *is* one number of a format (surrounding spaces ignored)."""

    name: str
    pattern: str
    upper: bool = False
    ignore_case: bool = False
    bounded: bool = True
    in_text: bool = True
    """False: a format for form fields only (the demo shop takes any six digits there)."""
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    whole: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flags = re.IGNORECASE if self.ignore_case else 0
        body = f"(?:{self.pattern})"
        if self.bounded:
            body = f"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"
        object.__setattr__(self, "regex", re.compile(body, flags))
        object.__setattr__(self, "whole", re.compile(rf"\s*(?:{self.pattern})\s*", flags))

    def number(self, match: re.Match[str]) -> tuple[int, str]:
        """(where the number starts in the text, the number as the store keys it)."""
        groups = match.re.groupindex
        if NUMBER_GROUP in groups:
            index: int = groups[NUMBER_GROUP]
        elif match.re.groups == 1:
            index = 1
        else:
            index = 0
        value = match.group(index).replace(" ", "")
        return match.start(index), value.upper() if self.upper else value


DEMO_SHOP: tuple[OrderNumberFormat, ...] = (
    OrderNumberFormat("hash six digits", r"#\s?(\d{6})\b", bounded=False),
    OrderNumberFormat("demo shop", r"(?<![\d.,/+\-])\b(1\d{5})\b(?![.,/\-]?\d)", bounded=False),
    OrderNumberFormat("spoken digits", r"(?<!\d)(?<!\d )(1(?: \d){5})(?! ?\d)", bounded=False),
    OrderNumberFormat("form field", r"#?\s*(\d{6})", bounded=False, in_text=False),
)
"""The demo shop's formats: what applies without a shop file."""


def canonical_order_number(value: str,
                           formats: Sequence[OrderNumberFormat] = DEMO_SHOP) -> str | None:
    """A form field's value as an order number, if it is exactly one number of a format:
    ``'#104512'``, ``' # 104512 '`` → ``'104512'`` for the demo shop; anything else → None."""
    for fmt in formats:
        match = fmt.whole.fullmatch(value)
        if match is not None:
            return fmt.number(match)[1]
    return None


def extract_order_numbers(explicit: Iterable[str], text: str,
                          formats: Sequence[OrderNumberFormat] = DEMO_SHOP) -> tuple[str, ...]:
    """Order numbers given in form fields first, then those in the text in the order they
    appear (the first mentioned is usually the one meant); no duplicates."""
    found: list[str] = []
    for value in explicit:
        number = canonical_order_number(value, formats)
        if number and number not in found:
            found.append(number)
    matches = sorted(fmt.number(match) for fmt in formats if fmt.in_text
                     for match in fmt.regex.finditer(text))
    for _, number in matches:
        if number not in found:
            found.append(number)
    return tuple(found)


def explain_order_numbers(explicit: Iterable[str], text: str,
                          formats: Sequence[OrderNumberFormat] = DEMO_SHOP
                          ) -> list[tuple[str, str]]:
    """(order number, the name of the format that found it) for each number
    :func:`extract_order_numbers` returns, in the same order: what ``ticketflow normalize``
    shows a shop checking its patterns."""
    names: dict[str, str] = {}
    for value in explicit:
        for fmt in formats:
            match = fmt.whole.fullmatch(value)
            if match is not None:
                names.setdefault(fmt.number(match)[1], f"{fmt.name} (form field)")
                break
    for _, number, name in sorted((*fmt.number(m), fmt.name) for fmt in formats if fmt.in_text
                                  for m in fmt.regex.finditer(text)):
        names.setdefault(number, name)
    return [(n, names[n]) for n in extract_order_numbers(explicit, text, formats)]


# --- the shop file ----------------------------------------------------------------------------

_KEYS = {"name", "pattern", "upper", "ignore_case", "bounded", "in_text", "examples"}


class OrderFormatError(ConfigError):
    """A shop file's order-number format is wrong; the message says which and why."""


def parse_order_formats(entries: Any, where: str) -> tuple[OrderNumberFormat, ...]:
    """The ``order_numbers`` list of a shop file, validated: each entry a mapping with a
    ``name`` and a ``pattern`` that compiles, does not match an empty string, has at most one
    group unless one is named ``number``, and finds each of its ``examples`` (optional list of
    texts; the check a shop would otherwise do by hand)."""
    if not isinstance(entries, list) or not entries:
        raise OrderFormatError(f"{where}: order_numbers must be a non-empty list of "
                               "{name, pattern} entries.")
    formats = []
    for i, entry in enumerate(entries, start=1):
        at = f"{where}: order_numbers[{i}]"
        if not isinstance(entry, dict):
            raise OrderFormatError(f"{at}: expected a mapping with name and pattern.")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise OrderFormatError(f"{at}: unknown key(s) {', '.join(unknown)}; allowed: "
                                   f"{', '.join(sorted(_KEYS))}.")
        name, pattern = entry.get("name"), entry.get("pattern")
        if not isinstance(name, str) or not name.strip():
            raise OrderFormatError(f"{at}: 'name' is missing (a few words, e.g. 'sales order').")
        if not isinstance(pattern, str) or not pattern:
            raise OrderFormatError(f"{at} ({name}): 'pattern' is missing (a regular "
                                   "expression).")
        for flag in ("upper", "ignore_case", "bounded", "in_text"):
            if flag in entry and not isinstance(entry[flag], bool):
                raise OrderFormatError(f"{at} ({name}): '{flag}' must be true or false.")
        try:
            re.compile(pattern)  # its own error positions, not the bounded wrapper's
            fmt = OrderNumberFormat(name=name, pattern=pattern,
                                    upper=entry.get("upper", False),
                                    ignore_case=entry.get("ignore_case", False),
                                    bounded=entry.get("bounded", True),
                                    in_text=entry.get("in_text", True))
        except re.error as exc:
            raise OrderFormatError(f"{at} ({name}): the pattern {pattern!r} is not a valid "
                                   f"regular expression: {exc}.") from exc
        if fmt.regex.fullmatch("") is not None or re.compile(pattern).fullmatch(""):
            raise OrderFormatError(f"{at} ({name}): the pattern {pattern!r} matches an empty "
                                   "string; it would find an order number everywhere.")
        if fmt.regex.groups > 1 and NUMBER_GROUP not in fmt.regex.groupindex:
            raise OrderFormatError(
                f"{at} ({name}): the pattern has {fmt.regex.groups} groups; name the one that "
                "is the order number (?P<number>...) or make the others non-capturing (?:...).")
        examples = entry.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise OrderFormatError(f"{at} ({name}): 'examples' must be a list of texts.")
        for example in examples:
            if not any(True for _ in fmt.regex.finditer(example)):
                raise OrderFormatError(f"{at} ({name}): the pattern {pattern!r} finds no order "
                                       f"number in its example {example!r}.")
        formats.append(fmt)
    return tuple(formats)


def load_order_formats(path: Path) -> tuple[OrderNumberFormat, ...]:
    """The order-number formats of a shop file (YAML with an ``order_numbers`` list)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OrderFormatError(f"Cannot read the shop file {path}: {exc.strerror}.") from exc
    except yaml.YAMLError as exc:
        raise OrderFormatError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or "order_numbers" not in data:
        raise OrderFormatError(f"{path}: expected a mapping with an 'order_numbers' list.")
    return parse_order_formats(data["order_numbers"], str(path))


def shop_order_formats(shop_file: Path | None) -> tuple[OrderNumberFormat, ...]:
    """The formats ``TICKETFLOW_SHOP_FILE`` declares, or the demo shop's when it is unset."""
    return DEMO_SHOP if shop_file is None else load_order_formats(shop_file)

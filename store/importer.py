"""Loading a shop's own customers and orders into the store (``ticketflow db import``).

Two files, each optional, as CSV (UTF-8, comma-separated, header row; a BOM is fine) or as JSON
lines (``.jsonl``/``.ndjson``: one object per line with the same field names).

``customers.csv``
    ``id`` (required, up to 32 characters), ``name``, ``email``, ``phone``, ``tier``,
    ``currency`` (ISO 4217, e.g. EUR), ``country`` (ISO 3166 alpha-2, used to read national phone
    numbers such as ``06 12 34 56 78``), and optionally the channel identities ``whatsapp_id``,
    ``messenger_psid``, ``instagram_id``, ``x_user_id``, ``chat_visitor_id``. Any identity column
    may hold several values separated by ``;`` (in JSON lines: a list or a ``;`` string). Emails
    are lower-cased and phones stored in E.164; a value that is not an email address or a valid
    phone number rejects the row. An identity column present in the file replaces that kind of
    identity for the customer; a column absent leaves existing identities alone. Several customers
    may share an email (a family). Without ``currency``, a new customer takes the currency of
    most of their imported orders (else USD). ``segment`` (vip, high, regular or new) and
    ``lifetime_value`` (decimal) are the shop's own figures: they win over the ones computed
    from the orders (an empty cell clears them, so the computed ones apply again).

``orders.csv``
    ``number`` (required; a leading ``#`` is dropped), ``customer_id`` (required: a customer in
    the store or in the customers file), ``status`` (placed, paid, shipped, delivered, cancelled
    or returned), ``total`` (decimal, e.g. 59.90), ``currency``, ``placed_at`` (required),
    ``shipped_at``, ``delivered_at``, ``carrier``, ``tracking_number``,
    ``promised_delivery_at``; in JSON lines also ``lines``: a list of ``{"sku", "name",
    "quantity", "price"}`` objects. Dates are ISO 8601 (``2026-11-20T14:05:00Z``,
    ``2026-11-20T15:05:00+01:00`` or ``2026-11-20``); without an offset they are taken as UTC.

``order_lines.csv``
    ``order_number`` (required: an order in the store or in the orders file), ``sku``
    (required), ``name`` (required), ``quantity`` (whole number ≥ 1, default 1), ``price`` (the
    unit price, decimal). The lines given for an order replace the lines stored for it.

Rows are merged by primary key (customer ``id``, order ``number``): new ones are inserted,
existing ones updated with the columns the file has (an empty cell clears the stored value, except
an empty ``currency``, which keeps it); columns the file lacks keep their stored values. A bad row
(bad date, unknown customer, bad status, duplicate key, ...) is rejected with its line number and
the reason, and the rest is imported.
Afterwards the aggregates (lifetime value, order count, first and last order) of every customer
touched are recomputed from their orders. Everything is written in one transaction.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from channels.identity import normalize_email, normalize_phone
from schemas.enrichment import Segment
from store.aggregates import chunks, recompute_aggregates
from store.errors import StoreError, store_errors
from store.models import (
    IDENTITY_KINDS,
    ORDER_STATUSES,
    Customer,
    CustomerIdentity,
    Order,
    OrderLine,
)
from store.types import as_utc

DEFAULT_CURRENCY = "USD"
OPTIONAL_ORDER_FIELDS = (
    "shipped_at", "delivered_at", "promised_delivery_at", "carrier", "tracking_number",
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_KEY = re.compile(r"^\S{1,32}$")
CENT = Decimal("0.01")
SEGMENTS: tuple[str, ...] = get_args(Segment)


@dataclass(frozen=True, slots=True)
class Rejection:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(slots=True)
class ImportSummary:
    customers_inserted: int = 0
    customers_updated: int = 0
    identities_written: int = 0
    orders_inserted: int = 0
    orders_updated: int = 0
    order_lines_written: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def __str__(self) -> str:
        """``3 customers inserted, 5 orders inserted, 1 row rejected:`` and one line per
        rejected row (``orders.jsonl:6: status 'sent' is not one of …``)."""
        counts = [
            (self.customers_inserted, "customer", "inserted"),
            (self.customers_updated, "customer", "updated"),
            (self.orders_inserted, "order", "inserted"),
            (self.orders_updated, "order", "updated"),
            (self.order_lines_written, "order line", "written"),
        ]
        parts = [f"{n} {noun}{'' if n == 1 else 's'} {verb}" for n, noun, verb in counts if n]
        rejected = len(self.rejected)
        if rejected:
            parts.append(f"{rejected} row{'' if rejected == 1 else 's'} rejected")
        head = ", ".join(parts) or "nothing to import"
        if not rejected:
            return head
        return head + ":\n" + "\n".join(f"  {r}" for r in self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "customers_inserted": self.customers_inserted,
            "customers_updated": self.customers_updated,
            "identities_written": self.identities_written,
            "orders_inserted": self.orders_inserted, "orders_updated": self.orders_updated,
            "order_lines_written": self.order_lines_written,
            "rejected": [{"file": r.file, "line": r.line, "reason": r.reason}
                         for r in self.rejected],
        }


class _Reject(ValueError):
    pass


def import_files(
    session: Session, customers: Path | None, orders: Path | None,
    lines: Path | None = None,
) -> ImportSummary:
    """Import the customers, orders and/or order-lines files (see the module doc); commits."""
    summary = ImportSummary()
    customer_rows = _parse_file(customers, _customer_row, summary) if customers else []
    order_rows = _parse_file(orders, _order_row, summary) if orders else []
    line_rows = _parse_lines(lines, summary) if lines else []
    with store_errors(session.get_bind().engine.url):
        known = _existing(session, Customer.id, [c["id"] for c in customer_rows])
        wanted = {o["customer_id"] for o in order_rows} - {c["id"] for c in customer_rows}
        known |= _existing(session, Customer.id, sorted(wanted))
        order_rows = _keep_known_customers(order_rows, customer_rows, known, orders, summary)
        _fill_currency(customer_rows, order_rows, known)
        _write_customers(session, customer_rows, known, summary)
        touched = {c["id"] for c in customer_rows} | _write_orders(session, order_rows, summary)
        _write_lines(session, order_rows, line_rows, lines, summary)
        recompute_aggregates(session, touched)
        session.commit()
    return summary


# ----------------------------------------------------------------------------- reading


def _parse_file(
    path: Path, parse: Any, summary: ImportSummary
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, record in _records(path):
        try:
            row = parse(record)
            key = row.get("id") or row["number"]
            if key in seen:
                raise _Reject(f"duplicate key {key!r} (first on line {seen[key]})")
        except _Reject as exc:
            summary.rejected.append(Rejection(path.name, line, str(exc)))
            continue
        seen[key] = line
        row["_line"] = line
        rows.append(row)
    return rows


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of a CSV or JSON-lines file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{"):
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                record = {"__error__": f"not JSON: {exc.msg}"}
            if not isinstance(record, dict):
                record = {"__error__": "not a JSON object"}
            yield number, record
        return
    reader = csv.DictReader(text.splitlines(keepends=True))
    start = 2
    for record in reader:
        if None in record:
            record = {"__error__": f"{len(record[None])} more field(s) than the header has"}
        yield start, record
        start = reader.line_num + 1


def _text(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _values(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name)
    items = value if isinstance(value, list) else str(value or "").split(";")
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _customer_row(record: Mapping[str, Any]) -> dict[str, Any]:
    if "__error__" in record:
        raise _Reject(record["__error__"])
    cid = _text(record, "id")
    if not cid or not _KEY.match(cid):
        raise _Reject(f"id {cid!r}: required, up to 32 characters without spaces")
    row: dict[str, Any] = {"id": cid}
    for name in ("name", "tier"):
        if name in record:
            row[name] = _text(record, name)
    if "segment" in record:
        segment = (_text(record, "segment") or "").lower() or None
        if segment is not None and segment not in SEGMENTS:
            raise _Reject(f"segment {segment!r} is not one of {', '.join(SEGMENTS)}")
        row["segment_override"] = segment
    if "lifetime_value" in record:
        value = _text(record, "lifetime_value")
        row["lifetime_value_override"] = (None if value is None
                                          else _money(value, "lifetime_value"))
    currency = (_text(record, "currency") or "").upper()
    if currency and not _CURRENCY.match(currency):
        raise _Reject(f"currency {currency!r} is not a three-letter code like EUR")
    row["currency"] = currency or None
    country = (_text(record, "country") or "").upper() or None
    if country and not _COUNTRY.match(country):
        raise _Reject(f"country {country!r} is not a two-letter code like FR")
    identities: dict[str, list[str]] = {}
    for kind in IDENTITY_KINDS:
        if kind in record:
            identities[kind] = [_identity(kind, v, country) for v in _values(record, kind)]
    row["_identities"] = identities
    return row


def _identity(kind: str, value: str, country: str | None) -> str:
    if kind == "email":
        email = normalize_email(value)
        if email is None:
            raise _Reject(f"email {value!r} is not an email address")
        return email
    if kind == "phone":
        phone = normalize_phone(value, country)
        if phone is None:
            raise _Reject(f"phone {value!r} is not a valid number: write it as +<country code>"
                          "<number> or give the customer's country")
        return phone
    return value


def _order_row(record: Mapping[str, Any]) -> dict[str, Any]:
    if "__error__" in record:
        raise _Reject(record["__error__"])
    number = (_text(record, "number") or "").removeprefix("#").strip()
    if not _KEY.match(number):
        raise _Reject(f"number {number!r}: required, up to 32 characters without spaces")
    customer_id = _text(record, "customer_id")
    if not customer_id:
        raise _Reject("customer_id is required")
    status = (_text(record, "status") or "").lower()
    if status not in ORDER_STATUSES:
        raise _Reject(f"status {status!r} is not one of {', '.join(ORDER_STATUSES)}")
    currency = (_text(record, "currency") or "").upper()
    if not _CURRENCY.match(currency):
        raise _Reject(f"currency {currency!r} is not a three-letter code like EUR")
    placed_at = _date("placed_at", _text(record, "placed_at"))
    if placed_at is None:
        raise _Reject("placed_at is required")
    row: dict[str, Any] = {
        "number": number, "customer_id": customer_id, "status": status,
        "total": _money(_text(record, "total")), "currency": currency, "placed_at": placed_at,
    }
    if "lines" in record:
        items = record["lines"]
        if not isinstance(items, list):
            raise _Reject("lines must be a list of {sku, name, quantity, price} objects")
        row["_lines"] = [_line(number, item, f"lines[{i}]") for i, item in enumerate(items, 1)]
    for name in OPTIONAL_ORDER_FIELDS:  # absent columns leave stored values alone
        if name in record:
            text = _text(record, name)
            row[name] = _date(name, text) if name.endswith("_at") else text
    return row


def _money(text: str | None, name: str = "total") -> Decimal:
    try:
        value = Decimal(text or "")
    except InvalidOperation:
        raise _Reject(f"{name} {text!r} is not an amount like 59.90") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise _Reject(f"{name} {text!r} is not an amount like 59.90")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _line(order_number: str, record: Any, where: str = "") -> dict[str, Any]:
    """One order line: ``order_number`` given by the caller (inline ``lines``) or the row."""
    at = f"{where}: " if where else ""
    if not isinstance(record, Mapping):
        raise _Reject(f"{at}not a {{sku, name, quantity, price}} object")
    sku, name = _text(record, "sku"), _text(record, "name")
    if not sku or len(sku) > 64:
        raise _Reject(f"{at}sku {sku!r}: required, up to 64 characters")
    if not name or len(name) > 200:
        raise _Reject(f"{at}name {name!r}: required, up to 200 characters")
    quantity_text = _text(record, "quantity") or "1"
    if not quantity_text.isdigit() or int(quantity_text) < 1:
        raise _Reject(f"{at}quantity {quantity_text!r} is not a whole number of at least 1")
    return {"order_number": order_number, "sku": sku, "title": name,
            "quantity": int(quantity_text), "unit_price": _money(_text(record, "price"),
                                                                 "price")}


def _parse_lines(path: Path, summary: ImportSummary) -> list[dict[str, Any]]:
    rows = []
    for line, record in _records(path):
        try:
            if "__error__" in record:
                raise _Reject(record["__error__"])
            number = (_text(record, "order_number") or "").removeprefix("#").strip()
            if not _KEY.match(number):
                raise _Reject(f"order_number {number!r}: required, up to 32 characters "
                              "without spaces")
            row = _line(number, record)
        except _Reject as exc:
            summary.rejected.append(Rejection(path.name, line, str(exc)))
            continue
        row["_line"] = line
        rows.append(row)
    return rows


def _date(name: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        raise _Reject(f"{name} {text!r} is not an ISO 8601 date like 2026-11-20T14:05:00Z") \
            from None


# ----------------------------------------------------------------------------- writing


def _existing(session: Session, column: Any, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(sorted(set(keys))):
        found.update(session.scalars(select(column).where(column.in_(part))))
    return found


def _keep_known_customers(
    orders: list[dict[str, Any]], customers: list[dict[str, Any]], known: set[str],
    path: Path | None, summary: ImportSummary,
) -> list[dict[str, Any]]:
    available = known | {c["id"] for c in customers}
    kept = []
    for order in orders:
        if order["customer_id"] in available:
            kept.append(order)
        else:
            name = path.name if path else "orders"
            summary.rejected.append(Rejection(
                name, order["_line"], f"unknown customer {order['customer_id']!r}: not in the "
                "store nor in the customers file"))
    return kept


def _write_lines(
    session: Session, orders: list[dict[str, Any]], lines: list[dict[str, Any]],
    path: Path | None, summary: ImportSummary,
) -> None:
    """The lines given for an order (inline or in the lines file) replace its stored ones; a
    line for an order neither stored nor imported is rejected."""
    by_order: dict[str, list[dict[str, Any]]] = {}
    for order in orders:
        if "_lines" in order:
            by_order.setdefault(order["number"], []).extend(order["_lines"])
    imported = {o["number"] for o in orders}
    stored = _existing(session, Order.number,
                       [r["order_number"] for r in lines if r["order_number"] not in imported])
    for row in lines:
        number = row["order_number"]
        if number in imported or number in stored:
            by_order.setdefault(number, []).append(
                {k: v for k, v in row.items() if not k.startswith("_")})
        else:
            summary.rejected.append(Rejection(
                path.name if path else "order_lines", row["_line"],
                f"unknown order {number!r}: not in the store nor in the orders file"))
    numbers = sorted(by_order)
    for part in chunks(numbers):
        session.execute(delete(OrderLine).where(OrderLine.order_number.in_(part)))
    values = [line for number in numbers for line in by_order[number]]
    if values:
        session.execute(insert(OrderLine), values)
    summary.order_lines_written += len(values)


def _fill_currency(
    customers: list[dict[str, Any]], orders: list[dict[str, Any]], known: set[str]
) -> None:
    for customer in customers:
        if customer["currency"] or customer["id"] in known:
            continue
        used = Counter(o["currency"] for o in orders if o["customer_id"] == customer["id"])
        customer["currency"] = used.most_common(1)[0][0] if used else DEFAULT_CURRENCY


def _write_customers(
    session: Session, rows: list[dict[str, Any]], known: set[str], summary: ImportSummary
) -> None:
    defaults = {"name": None, "tier": None, "order_count": 0, "lifetime_value": Decimal(0),
                "segment_override": None, "lifetime_value_override": None}
    fresh = [_columns(r, defaults) for r in rows if r["id"] not in known]
    changed = [{k: v for k, v in _columns(r, {}).items() if v is not None or k != "currency"}
               for r in rows if r["id"] in known]
    if fresh:
        session.execute(insert(Customer), fresh)
    if changed:
        session.execute(update(Customer), changed)  # bulk UPDATE by primary key
    summary.customers_inserted += len(fresh)
    summary.customers_updated += len(changed)
    replaced: dict[str, list[str]] = {}
    identities: list[dict[str, Any]] = []
    for row in rows:
        for kind, values in row["_identities"].items():
            if row["id"] in known:
                replaced.setdefault(kind, []).append(row["id"])
            identities += [{"customer_id": row["id"], "kind": kind, "value": v}
                           for v in dict.fromkeys(values)]
    for kind, ids in sorted(replaced.items()):
        for part in chunks(ids):
            session.execute(delete(CustomerIdentity).where(
                CustomerIdentity.kind == kind, CustomerIdentity.customer_id.in_(part)))
    if identities:
        session.execute(insert(CustomerIdentity), identities)
    summary.identities_written += len(identities)


def _write_orders(
    session: Session, rows: list[dict[str, Any]], summary: ImportSummary
) -> set[str]:
    """Upsert orders; the customers whose orders changed (new and previous owners)."""
    previous: dict[str, str] = {}
    for part in chunks([r["number"] for r in rows]):
        rows_found = session.execute(
            select(Order.number, Order.customer_id).where(Order.number.in_(part))).tuples()
        previous.update((number, owner) for number, owner in rows_found)
    defaults = dict.fromkeys(OPTIONAL_ORDER_FIELDS)
    fresh = [_columns(r, defaults) for r in rows if r["number"] not in previous]
    changed = [_columns(r, {}) for r in rows if r["number"] in previous]
    if fresh:
        session.execute(insert(Order), fresh)
    if changed:
        session.execute(update(Order), changed)  # bulk UPDATE by primary key
    summary.orders_inserted += len(fresh)
    summary.orders_updated += len(changed)
    return {r["customer_id"] for r in rows} | set(previous.values())


def _columns(row: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    return {**defaults, **{k: v for k, v in row.items() if not k.startswith("_")}}

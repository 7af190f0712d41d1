"""`ticketflow db import`: a shop's customers and orders from CSV or JSON lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.errors import StoreError
from store.importer import import_files
from store.models import Customer, CustomerIdentity, Order
from store.queries import lookup_batch

CUSTOMERS = """\
id,name,email,phone,country,tier,whatsapp_id
A1,Ada Lovelace,ADA@Example.com; ada.l@example.com,+44 20 7946 0018,GB,gold,
A2,Bob Stone,bob@example.com,(415) 555-0100,US,,14155550100
A3,No Mail,not-an-email,,,,
A4,Bad Phone,bad@example.com,12,,,
A1,Ada Again,ada@example.com,,,,
,Nameless,x@example.com,,,,
A5,Carla Ruiz,carla@example.com,612 345 678,ES,,
"""

ORDERS = """\
number,customer_id,status,total,currency,placed_at,shipped_at,delivered_at,carrier,tracking_number,promised_delivery_at
#104100,A1,delivered,120.50,GBP,2026-09-01T10:00:00Z,2026-09-02,2026-09-04T12:00:00+01:00,DPD,RM1,2026-09-06
104101,A1,shipped,30,gbp,2026-11-10T09:00:00Z,2026-11-11T09:00:00Z,,Evri,EV1,2026-11-15T00:00:00Z
104102,A1,returned,15.00,GBP,2026-10-01T09:00:00Z,,,,,
104103,A2,sent,10.00,USD,2026-11-10T09:00:00Z,,,,,
104104,A9,paid,10.00,USD,2026-11-10T09:00:00Z,,,,,
104105,A2,paid,10.00,USD,last tuesday,,,,,
104106,A2,paid,ten,USD,2026-11-10T09:00:00Z,,,,,
104107,A2,paid,10.00,USD,2026-11-12T09:00:00-05:00,,,,,
104107,A2,paid,11.00,USD,2026-11-12T09:00:00-05:00,,,,,
104108,A3,paid,5.00,EUR,2026-11-12T09:00:00Z,,,,,
104109,A5,placed,42.00,EUR,2026-11-20,,,,,
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_are_imported_and_bad_ones_reported_by_line(
    session: Session, tmp_path: Path
) -> None:
    summary = import_files(session, write(tmp_path / "customers.csv", CUSTOMERS),
                           write(tmp_path / "orders.csv", ORDERS))
    reasons = {(r.file, r.line): r.reason for r in summary.rejected}
    assert set(reasons) == {
        ("customers.csv", 4), ("customers.csv", 5), ("customers.csv", 6), ("customers.csv", 7),
        ("orders.csv", 5), ("orders.csv", 6), ("orders.csv", 7), ("orders.csv", 8),
        ("orders.csv", 10), ("orders.csv", 11),
    }
    assert "not an email address" in reasons[("customers.csv", 4)]
    assert "not a valid number" in reasons[("customers.csv", 5)]
    assert "duplicate key 'A1' (first on line 2)" in reasons[("customers.csv", 6)]
    assert "id" in reasons[("customers.csv", 7)]
    assert "status 'sent' is not one of placed, paid" in reasons[("orders.csv", 5)]
    assert "unknown customer 'A9'" in reasons[("orders.csv", 6)]
    assert "placed_at 'last tuesday' is not an ISO 8601 date" in reasons[("orders.csv", 7)]
    assert "total 'ten'" in reasons[("orders.csv", 8)]
    assert "duplicate key '104107'" in reasons[("orders.csv", 10)]
    assert "unknown customer 'A3'" in reasons[("orders.csv", 11)]  # A3 itself was rejected
    assert str(summary.rejected[0]).startswith("customers.csv:4: ")
    assert not summary.ok
    assert (summary.customers_inserted, summary.orders_inserted) == (3, 5)

    ada = session.get(Customer, "A1")
    assert ada is not None
    assert (ada.name, ada.tier, ada.currency) == ("Ada Lovelace", "gold", "GBP")
    assert ada.order_count == 3 and ada.lifetime_value == Decimal("150.50")  # not the return
    assert ada.first_order_at == datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    assert ada.last_order_at == datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    carla = session.get(Customer, "A5")
    assert carla is not None and carla.currency == "EUR"  # from her orders
    order = session.get(Order, "104100")
    assert order is not None
    assert order.delivered_at == datetime(2026, 9, 4, 11, 0, tzinfo=UTC)
    assert order.shipped_at == datetime(2026, 9, 2, tzinfo=UTC)
    late = session.get(Order, "104107")
    assert late is not None and late.placed_at == datetime(2026, 11, 12, 14, 0, tzinfo=UTC)
    assert late.total == Decimal("10.00")  # the first of the duplicates

    identities = {(i.kind, i.value) for i in session.scalars(
        sa.select(CustomerIdentity).where(CustomerIdentity.customer_id.in_(["A1", "A2", "A5"])))}
    assert identities == {
        ("email", "ada@example.com"), ("email", "ada.l@example.com"),
        ("phone", "+442079460018"), ("email", "bob@example.com"), ("phone", "+14155550100"),
        ("whatsapp_id", "14155550100"), ("email", "carla@example.com"),
        ("phone", "+34612345678"),
    }


def test_json_lines_with_the_same_fields(session: Session, tmp_path: Path) -> None:
    customers = tmp_path / "customers.jsonl"
    customers.write_text("\n".join([
        json.dumps({"id": "J1", "name": "Jo", "email": ["J@x.example", "j2@x.example"],
                    "phone": "+33 6 11 22 33 44", "currency": "eur"}),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "J2", "email": "j2@x.example", "instagram_id": 12345}),
    ]) + "\n", encoding="utf-8")
    orders = tmp_path / "orders.ndjson"
    orders.write_text("\n".join([
        json.dumps({"number": "104200", "customer_id": "J1", "status": "Delivered",
                    "total": 19.9, "currency": "EUR", "placed_at": "2026-11-01T08:00:00Z",
                    "delivered_at": "2026-11-03T08:00:00Z"}),
        json.dumps({"number": "104201", "customer_id": "J2", "status": "paid",
                    "total": "5", "currency": "EUR"}),
    ]) + "\n", encoding="utf-8")
    summary = import_files(session, customers, orders)
    assert [(r.file, r.line) for r in summary.rejected] == [
        ("customers.jsonl", 3), ("customers.jsonl", 4), ("orders.ndjson", 2)]
    assert "placed_at is required" in summary.rejected[-1].reason
    facts = lookup_batch(session, [("email", "j2@x.example"), ("instagram_id", "12345")],
                         ["104200"])
    assert [c.id for c in facts.customers_by_identity[("email", "j2@x.example")]] == ["J1", "J2"]
    assert [c.id for c in facts.customers_by_identity[("instagram_id", "12345")]] == ["J2"]
    assert facts.orders_by_number["104200"].status == "delivered"
    j1 = session.get(Customer, "J1")
    assert j1 is not None and j1.currency == "EUR" and j1.lifetime_value == Decimal("19.90")


def test_reimport_merges_by_key_and_recomputes_everyone_touched(
    session: Session, tmp_path: Path
) -> None:
    import_files(session, write(tmp_path / "c.csv", CUSTOMERS), write(tmp_path / "o.csv", ORDERS))
    # A1 gets a new name and a new email list; no phone column: A1's phone stays.
    # Order 104101 moves from A1 to A2; 104100 is now returned.
    summary = import_files(
        session,
        write(tmp_path / "c2.csv", "id,name,email\nA1,Ada King,ada.king@example.com\n"),
        write(tmp_path / "o2.csv", "number,customer_id,status,total,currency,placed_at\n"
              "104101,A2,shipped,30,USD,2026-11-10T09:00:00Z\n"
              "104100,A1,returned,120.50,GBP,2026-09-01T10:00:00Z\n"),
    )
    assert summary.ok
    assert (summary.customers_inserted, summary.customers_updated) == (0, 1)
    assert (summary.orders_inserted, summary.orders_updated) == (0, 2)
    session.expire_all()
    ada = session.get(Customer, "A1")
    assert ada is not None
    assert (ada.name, ada.tier, ada.currency) == ("Ada King", "gold", "GBP")
    assert (ada.order_count, ada.lifetime_value) == (2, Decimal("0.00"))
    bob = session.get(Customer, "A2")
    assert bob is not None and (bob.order_count, bob.lifetime_value) == (2, Decimal("40.00"))
    emails = set(session.scalars(sa.select(CustomerIdentity.value).where(
        CustomerIdentity.customer_id == "A1", CustomerIdentity.kind == "email")))
    assert emails == {"ada.king@example.com"}
    phones = set(session.scalars(sa.select(CustomerIdentity.value).where(
        CustomerIdentity.customer_id == "A1", CustomerIdentity.kind == "phone")))
    assert phones == {"+442079460018"}
    shipped = session.get(Order, "104101")
    assert shipped is not None and shipped.carrier == "Evri"  # columns not given are kept


def test_orders_alone_for_customers_already_in_the_store(session: Session, tmp_path: Path) -> None:
    import_files(session, write(tmp_path / "c.csv", "id,name,currency\nB1,Ben,EUR\n"), None)
    summary = import_files(session, None, write(
        tmp_path / "o.csv",
        "number,customer_id,status,total,currency,placed_at\n"
        "104300,B1,delivered,10,EUR,2026-11-01\n"))
    assert summary.ok and summary.orders_inserted == 1
    ben = session.get(Customer, "B1")
    assert ben is not None and ben.order_count == 1 and ben.lifetime_value == Decimal("10.00")


def test_an_unreadable_file_is_a_store_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot read"):
        import_files(session, tmp_path / "missing.csv", None)


def test_extra_fields_in_a_csv_row_reject_it(session: Session, tmp_path: Path) -> None:
    summary = import_files(session, write(tmp_path / "c.csv", "id,name\nE1,Eve,extra\nE2,Ed\n"),
                           None)
    assert [(r.line, "more field" in r.reason) for r in summary.rejected] == [(2, True)]
    assert session.get(Customer, "E2") is not None

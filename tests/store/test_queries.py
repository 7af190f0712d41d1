"""lookup_batch: identity resolution, orders, latest open order, query count, time zones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from corpus import load_customers
from store.db import make_engine
from store.errors import StoreError
from store.importer import import_files
from store.models import Customer, Order
from store.queries import lookup_batch
from tests.store.conftest import counting
from ticketflow.seed import SeedSummary

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def write(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


@pytest.fixture
def shop(session: Session, tmp_path: Path) -> Session:
    """A few customers and orders, loaded through the importer as a shop would."""
    customers = write(tmp_path / "customers.csv", """
id,name,email,phone,country,tier,currency,whatsapp_id
K1,Anna Weber,Anna.Weber@Example.COM,0151 23456789,DE,gold,EUR,4915123456789
K2,Tom Weber,anna.weber@example.com;tom@example.com,,DE,,EUR,
K3,Jean Roux,jean@example.fr,06 12 34 56 78,FR,,EUR,
K4,Lee Park,lee@example.com,+1 (415) 555-0142,,,USD,
""")
    def day(offset: int) -> str:
        return (T0 + timedelta(days=offset)).isoformat()

    header = ("number,customer_id,status,total,currency,placed_at,shipped_at,delivered_at,"
              "carrier,tracking_number,promised_delivery_at")
    lines = [
        f"104001,K1,delivered,59.90,EUR,{day(-40)},{day(-39)},{day(-37)},DHL,JD1,{day(-35)}",
        f"104002,K1,shipped,20.00,EUR,{day(-10)},{day(-9)},,DHL,JD2,{day(-5)}",
        f"104003,K1,paid,35.00,EUR,{day(-2)},,,,,{day(3)}",
        f"104004,K1,delivered,99.00,EUR,{day(-1)},,,,,",
        f"104005,K1,cancelled,10.00,EUR,{day(0)},,,,,",
        "104010,K3,delivered,15.00,EUR,2026-10-01T10:00:00+02:00,,2026-10-03T09:30:00+02:00,,,",
        "104020,K4,placed,12.50,USD,2026-11-20T08:00:00-08:00,,,,,",
    ]
    orders = write(tmp_path / "orders.csv", "\n".join([header, *lines]))
    summary = import_files(session, customers, orders)
    assert summary.rejected == []
    return session


def test_mixed_case_email_is_found_under_the_key_given(shop: Session) -> None:
    facts = lookup_batch(shop, [("email", "ANNA.weber@example.com ")], [])
    ((key, matches),) = facts.customers_by_identity.items()
    assert key == ("email", "ANNA.weber@example.com ")
    assert sorted(c.id for c in matches) == ["K1", "K2"]  # a shared family address


def test_a_shared_email_returns_every_customer_and_a_personal_one_only_its_owner(
    shop: Session,
) -> None:
    facts = lookup_batch(shop, [("email", "anna.weber@example.com"),
                                ("email", "tom@example.com")], [])
    shared = facts.customers_by_identity[("email", "anna.weber@example.com")]
    assert [c.id for c in shared] == ["K1", "K2"]
    assert [c.id for c in facts.customers_by_identity[("email", "tom@example.com")]] == ["K2"]


def test_repeated_identities_are_asked_once(shop: Session) -> None:
    facts = lookup_batch(shop, [("email", "tom@example.com")] * 3, ["104002", "#104002"])
    assert [c.id for c in facts.customers_by_identity[("email", "tom@example.com")]] == ["K2"]
    assert list(facts.orders_by_number) == ["104002"]


def test_phone_formats_are_normalized_at_import(shop: Session) -> None:
    facts = lookup_batch(shop, [("phone", "+4915123456789"), ("phone", "+33612345678"),
                                ("phone", "+14155550142"), ("phone", "+33 6 12 34 56 78")], [])
    found = {value: [c.id for c in m] for (_, value), m in facts.customers_by_identity.items()}
    assert found == {"+4915123456789": ["K1"], "+33612345678": ["K3"],
                     "+14155550142": ["K4"], "+33 6 12 34 56 78": ["K3"]}


def test_unknown_and_unusable_identities_are_absent(shop: Session) -> None:
    facts = lookup_batch(shop, [("email", "nobody@example.com"), ("email", "not an email"),
                                ("phone", "12"), ("whatsapp_id", "49000"),
                                ("fax", "123"), ("instagram_id", "  ")], ["999999", ""])
    assert facts.customers_by_identity == {}
    assert facts.orders_by_number == {}
    assert facts.latest_open_order_by_customer == {}


def test_other_identity_kinds_match_exactly(shop: Session) -> None:
    facts = lookup_batch(shop, [("whatsapp_id", "4915123456789")], [])
    assert [c.id for c in facts.customers_by_identity[("whatsapp_id", "4915123456789")]] == ["K1"]


def test_customer_facts_carry_the_recomputed_aggregates(shop: Session) -> None:
    facts = lookup_batch(shop, [("phone", "+4915123456789")], [])
    (anna,) = facts.customers_by_identity[("phone", "+4915123456789")]
    assert anna.name == "Anna Weber" and anna.tier == "gold" and anna.currency == "EUR"
    assert anna.order_count == 4  # the cancelled order does not count
    assert anna.lifetime_value == pytest.approx(59.90 + 20 + 35 + 99)
    assert anna.first_order_at == T0 - timedelta(days=40)
    assert anna.last_order_at == T0 - timedelta(days=1)


def test_orders_by_number_accepts_a_hash_and_keys_by_the_stored_number(shop: Session) -> None:
    facts = lookup_batch(shop, [], ["#104002", "104010", "104999"])
    assert set(facts.orders_by_number) == {"104002", "104010"}
    order = facts.orders_by_number["104002"]
    assert (order.customer_id, order.status, order.total, order.currency) == (
        "K1", "shipped", 20.0, "EUR")
    assert (order.carrier, order.tracking_number) == ("DHL", "JD2")
    assert order.promised_delivery_at == T0 - timedelta(days=5)
    assert order.delivered_at is None
    assert facts.latest_open_order_by_customer == {}  # no customer resolved


def test_latest_open_order_is_the_newest_placed_paid_or_shipped(shop: Session) -> None:
    facts = lookup_batch(shop, [("email", "anna.weber@example.com"),
                                ("email", "jean@example.fr"), ("email", "lee@example.com")], [])
    latest = facts.latest_open_order_by_customer
    # K1: 104004 (delivered) and 104005 (cancelled) are newer but closed; 104003 is paid.
    assert latest["K1"].number == "104003"
    assert latest["K4"].number == "104020"
    assert "K2" not in latest  # no orders
    assert "K3" not in latest  # only a delivered order


def test_datetimes_are_aware_utc_on_every_backend(shop: Session) -> None:
    facts = lookup_batch(shop, [("email", "jean@example.fr"), ("email", "lee@example.com")],
                         ["104010", "104020"])
    order = facts.orders_by_number["104010"]
    assert order.placed_at == datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    assert order.delivered_at == datetime(2026, 10, 3, 7, 30, tzinfo=UTC)
    lee = facts.latest_open_order_by_customer["K4"]
    assert lee.placed_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    (jean,) = facts.customers_by_identity[("email", "jean@example.fr")]
    stamps = [order.placed_at, order.delivered_at, lee.placed_at, jean.first_order_at,
              jean.last_order_at]
    for stamp in stamps:
        assert stamp is not None and stamp.utcoffset() == timedelta(0)
        assert stamp.tzinfo is UTC


def test_non_utc_input_is_stored_as_the_same_instant(session: Session) -> None:
    paris = timezone(timedelta(hours=1))
    session.add(Customer(id="Z1", name="Z", currency="EUR", lifetime_value=Decimal(0),
                         order_count=0))
    session.add(Order(number="100001", customer_id="Z1", status="placed", total=Decimal(1),
                      currency="EUR", placed_at=datetime(2026, 11, 20, 9, 0, tzinfo=paris)))
    session.commit()
    facts = lookup_batch(session, [], ["100001"])
    assert facts.orders_by_number["100001"].placed_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert facts.orders_by_number["100001"].placed_at.tzinfo is UTC


def test_empty_input_sends_no_query(engine: Engine) -> None:
    with Session(engine) as session, counting(engine) as counter:
        facts = lookup_batch(session, [], [])
    assert counter.statements == []
    assert facts.customers_by_identity == {} and facts.orders_by_number == {}


def test_a_500_identity_batch_takes_at_most_three_selects(
    seeded: tuple[Engine, SeedSummary],
) -> None:
    engine, _ = seeded
    roster = load_customers()
    identities: list[tuple[str, str]] = []
    for person in roster:
        identities += [("email", person["email"].upper()), ("phone", person["phone"])]
        identities += [(k, person[k]) for k in ("whatsapp_id", "instagram_id") if person[k]]
    with engine.connect() as conn:
        emails = conn.execute(sa.text("SELECT value FROM customer_identities "
                                      "WHERE kind = 'email' ORDER BY value")).scalars()
        identities += [("email", e) for e in emails]
    identities += [("email", f"stranger{i}@example.org") for i in range(50)]
    identities = list(dict.fromkeys(identities))[:500]
    assert len(identities) == 500
    numbers = [o["number"] for p in roster for o in p["orders"]] + ["099999", "#000001"]
    with Session(engine) as session, counting(engine) as counter:
        facts = lookup_batch(session, identities, numbers)
    assert counter.selects <= 3, counter.statements
    assert len(counter.statements) == counter.selects
    for person in roster:
        key = ("email", person["email"].upper())
        assert [c.id for c in facts.customers_by_identity[key]] == [person["customer_id"]]
    assert not any(k[1].startswith("stranger") for k in facts.customers_by_identity)
    assert len(facts.orders_by_number) == sum(len(p["orders"]) for p in roster)
    resolved = {c.id for m in facts.customers_by_identity.values() for c in m}
    assert set(facts.latest_open_order_by_customer) <= resolved
    assert facts.latest_open_order_by_customer  # the roster has open orders
    for cid, order in facts.latest_open_order_by_customer.items():
        assert order.customer_id == cid and order.status in ("placed", "paid", "shipped")


def test_lookup_against_an_unmigrated_database_says_to_upgrade(
    new_database: Callable[[], str],
) -> None:
    engine = make_engine(new_database())
    with Session(engine) as session, pytest.raises(StoreError, match="ticketflow db upgrade"):
        lookup_batch(session, [("email", "a@example.com")], [])
    engine.dispose()

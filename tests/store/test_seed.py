"""The demo seed: the corpus roster in full, filled up to ~1,000 customers and ~5,000 orders."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from channels.identity import normalize_email
from corpus import CUSTOMERS_PATH, load_customers
from store.importer import import_files
from store.models import Customer, CustomerIdentity, Order, OrderLine
from tests.store.conftest import SEED_NOW
from ticketflow.seed import SeedSummary, seed

ROSTER_KINDS = ("whatsapp_id", "messenger_psid", "instagram_id", "x_user_id", "chat_visitor_id")


def rows(engine: Engine, model: Any) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(sa.select(model)))


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_every_roster_customer_is_there_with_all_identities(
    seeded: tuple[Engine, SeedSummary],
) -> None:
    engine, _ = seeded
    customers = {c.id: c for c in rows(engine, Customer)}
    identities = defaultdict(set)
    for identity in rows(engine, CustomerIdentity):
        identities[identity.customer_id].add((identity.kind, identity.value))
    for person in load_customers():
        cid = person["customer_id"]
        assert customers[cid].name == person["name"]
        expected = {("email", normalize_email(person["email"])), ("phone", person["phone"])}
        expected |= {(kind, person[kind]) for kind in ROSTER_KINDS if person[kind]}
        assert identities[cid] == expected, cid


def test_every_roster_order_is_there_as_written(seeded: tuple[Engine, SeedSummary]) -> None:
    engine, _ = seeded
    orders = {o.number: o for o in rows(engine, Order)}
    lines = defaultdict(list)
    for line in rows(engine, OrderLine):
        lines[line.order_number].append(line)
    named = 0
    for person in load_customers():
        for written in person["orders"]:
            order = orders[written["number"]]
            if "carrier" in written:  # the corpus burst's late parcels: one carrier
                assert order.carrier == written["carrier"] and order.tracking_number
                named += 1
            assert order.customer_id == person["customer_id"]
            assert order.status == written["status"]
            assert order.total == Decimal(str(written["total"]))
            assert order.currency == written["currency"]
            assert order.placed_at == parse(written["placed_at"])
            assert sorted(line.title for line in lines[order.number]) == sorted(written["items"])
            if order.status in ("delivered", "returned"):
                assert order.placed_at < order.shipped_at < order.delivered_at
                assert order.carrier and order.tracking_number
    assert named >= 20


def test_the_store_is_filled_up_with_consistent_generated_data(
    seeded: tuple[Engine, SeedSummary],
) -> None:
    engine, summary = seeded
    customers = rows(engine, Customer)
    orders = rows(engine, Order)
    assert len(customers) >= 1000 and summary.customers == len(customers)
    assert len(orders) >= 5000 and summary.orders == len(orders)
    assert all(len(o.number) == 6 and o.number.startswith("1") for o in orders)
    assert summary.order_lines > len(orders)
    with Session(engine) as session:
        orphans = session.scalar(sa.select(sa.func.count()).select_from(Order).where(
            ~sa.exists().where(OrderLine.order_number == Order.number)))
    assert orphans == 0


def test_customer_aggregates_agree_with_their_orders(seeded: tuple[Engine, SeedSummary]) -> None:
    engine, _ = seeded
    by_customer: dict[str, list[Order]] = defaultdict(list)
    for order in rows(engine, Order):
        by_customer[order.customer_id].append(order)
    for customer in rows(engine, Customer):
        counted = [o for o in by_customer[customer.id] if o.status != "cancelled"]
        valued = [o.total for o in counted
                  if o.status != "returned" and o.currency == customer.currency]
        assert customer.order_count == len(counted), customer.id
        assert customer.lifetime_value == sum(valued, Decimal("0.00")), customer.id
        assert customer.first_order_at == min((o.placed_at for o in counted), default=None)
        assert customer.last_order_at == max((o.placed_at for o in counted), default=None)
        if by_customer[customer.id]:
            assert customer.created_at < min(o.placed_at for o in by_customer[customer.id])


def test_some_roster_customers_are_vips(seeded: tuple[Engine, SeedSummary]) -> None:
    engine, summary = seeded
    roster_ids = {p["customer_id"] for p in load_customers()}
    vips = [c for c in rows(engine, Customer) if c.id in roster_ids
            and (c.lifetime_value >= 1000 or c.order_count >= 10)]
    assert len(vips) >= 5
    assert set(summary.vip_customer_ids) == {c.id for c in vips}
    assert {c.tier for c in vips} <= {"gold", "platinum"}


def test_some_orders_are_late_and_some_past_the_return_window(
    seeded: tuple[Engine, SeedSummary],
) -> None:
    engine, _ = seeded
    orders = rows(engine, Order)
    late = [o for o in orders if o.status in ("placed", "paid", "shipped")
            and o.promised_delivery_at is not None and o.promised_delivery_at < SEED_NOW]
    assert len(late) >= 20
    assert any(o.status == "shipped" for o in late)
    past = [o for o in orders if o.status == "delivered" and o.delivered_at is not None
            and o.delivered_at < SEED_NOW - timedelta(days=30)]
    assert len(past) >= 100
    recent = [o for o in orders if o.delivered_at is not None
              and SEED_NOW - timedelta(days=30) <= o.delivered_at <= SEED_NOW]
    assert recent  # inside the return window too


def test_some_generated_customers_share_an_email(seeded: tuple[Engine, SeedSummary]) -> None:
    engine, _ = seeded
    owners = defaultdict(set)
    for identity in rows(engine, CustomerIdentity):
        owners[(identity.kind, identity.value)].add(identity.customer_id)
    shared = [k for k, ids in owners.items() if len(ids) > 1]
    assert shared and all(kind == "email" for kind, _ in shared)
    roster_ids = {p["customer_id"] for p in load_customers()}
    assert not any(owners[k] & roster_ids for k in shared)  # the corpus resolves unambiguously


def snapshot(engine: Engine) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return tuple(
            sorted(tuple(map(str, row)) for row in conn.execute(
                sa.select(*[c for c in table.c if c.name != "id"])))
            for table in (Customer.__table__, CustomerIdentity.__table__, Order.__table__,
                          OrderLine.__table__)
        )


def test_seeding_twice_is_idempotent_and_keeps_imported_rows(
    engine: Engine, tmp_path: Path
) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,email\nSHOP-1,Own Customer,own@example.com\n")
    with Session(engine) as session:
        import_files(session, customers, None)
        first = seed(session, CUSTOMERS_PATH, SEED_NOW, n_customers=300, n_orders=1200)
    before = snapshot(engine)
    with Session(engine) as session:
        second = seed(session, CUSTOMERS_PATH, SEED_NOW, n_customers=300, n_orders=1200)
    assert snapshot(engine) == before
    assert (first.customers, first.orders, first.order_lines) == (
        second.customers, second.orders, second.order_lines)
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 301
        assert session.scalar(sa.select(sa.func.count()).select_from(Order)) == 1200
        assert session.get(Customer, "SHOP-1") is not None


def test_seeding_is_deterministic_and_quick(engine: Engine, backend: str) -> None:
    started = time.perf_counter()
    with Session(engine) as session:
        summary = seed(session, CUSTOMERS_PATH, SEED_NOW)
    elapsed = time.perf_counter() - started
    if backend == "sqlite":
        assert elapsed < 5.0
    assert summary.customers == 1000 and summary.orders == 5000
    assert summary.roster_customers == 60 and summary.roster_orders == 197


@pytest.mark.parametrize("n_customers", [60, 100])
def test_small_seeds_still_hold_the_whole_roster(engine: Engine, n_customers: int) -> None:
    with Session(engine) as session:
        summary = seed(session, CUSTOMERS_PATH, SEED_NOW, n_customers=n_customers, n_orders=400)
    assert summary.customers == n_customers
    if n_customers > summary.roster_customers:
        assert summary.orders == 400
    else:  # nobody to give generated orders to: the roster's and the VIPs' history only
        assert summary.roster_orders < summary.orders < 400

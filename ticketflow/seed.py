"""Deterministic demo data for the enrichment store (``ticketflow db seed``).

Every customer of the sample corpus roster (``corpus/customers.json``) is loaded with all their
channel identities and all their orders (same numbers, statuses, totals and dates), plus line
items from the demo catalogue. Generated customers and orders then fill the store up to
``n_customers`` and ``n_orders``. Some roster customers get years of order history and become
VIPs; some orders are late (promised date before ``now``, not delivered); many were delivered
more than 30 days before ``now`` (past the return window). Generated dates are relative to
``now``; roster dates are kept as written (late November 2026), even after ``now``.

Idempotent by delete-and-reload of its own rows: seeding first deletes every customer and order
the seed is about to write (by id and number; their identities and lines go with them), so a
second run leaves the same data, and rows imported under other ids are left alone.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from channels.identity import normalize_email, normalize_phone
from corpus import CUSTOMERS_PATH
from corpus.phrases import CARRIERS, NAMES, PRODUCTS
from store.aggregates import chunks, recompute_aggregates
from store.db import make_engine, make_session_factory
from store.errors import store_errors
from store.migrate import upgrade
from store.models import Customer, CustomerIdentity, Order, OrderLine
from store.types import as_utc

CURRENCY = {"US": "USD", "GB": "GBP", "FR": "EUR", "DE": "EUR", "ES": "EUR"}
COUNTRY_WEIGHTS = {"US": 40, "GB": 25, "FR": 12, "DE": 12, "ES": 11}
SHIPPING_CENTS = {"USD": 595, "GBP": 399, "EUR": 495}
PROMISED_DAYS = 5
VIP_ROSTER_CUSTOMERS = 8
SHARED_EMAIL_FAMILIES = 5
ROSTER_IDENTITY_KINDS = (
    "whatsapp_id", "messenger_psid", "instagram_id", "x_user_id", "chat_visitor_id",
)
# Tiers of the demo shop's loyalty programme, by lifetime value.
TIERS = ((Decimal(2500), "platinum"), (Decimal(1000), "gold"), (Decimal(300), "silver"))


@dataclass(frozen=True, slots=True)
class SeedSummary:
    customers: int
    identities: int
    orders: int
    order_lines: int
    roster_customers: int
    roster_orders: int
    vip_customer_ids: tuple[str, ...]
    seconds: float

    def __str__(self) -> str:
        return (f"demo shop seeded in {self.seconds:.1f} s: {self.customers} customers "
                f"({self.roster_customers} from the sample corpus), {self.identities} "
                f"identities, {self.orders} orders ({self.roster_orders} from the corpus), "
                f"{self.order_lines} order lines; VIP customers: "
                f"{', '.join(self.vip_customer_ids) or 'none'}")


@dataclass
class _Rows:
    customers: list[dict[str, Any]] = field(default_factory=list)
    identities: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)


def seed(
    session: Session,
    customers_path: Path,
    now: datetime,
    n_customers: int = 1000,
    n_orders: int = 5000,
    seed: int = 2026,
) -> SeedSummary:
    """Load the roster and fill up with generated data (see the module doc); commits."""
    started = time.perf_counter()
    roster: list[dict[str, Any]] = json.loads(customers_path.read_text(encoding="utf-8"))
    rows = _generate(roster, as_utc(now), n_customers, n_orders, random.Random(seed))
    with store_errors(session.get_bind().engine.url):
        _replace(session, rows)
        session.commit()
    vips = tuple(sorted(c["id"] for c in rows.customers if c.get("_vip")))
    return SeedSummary(
        customers=len(rows.customers), identities=len(rows.identities), orders=len(rows.orders),
        order_lines=len(rows.lines), roster_customers=len(roster),
        roster_orders=sum(len(c["orders"]) for c in roster), vip_customer_ids=vips,
        seconds=round(time.perf_counter() - started, 3),
    )


def _replace(session: Session, rows: _Rows) -> None:
    customer_ids = [c["id"] for c in rows.customers]
    numbers = [o["number"] for o in rows.orders]
    for part in chunks(numbers):
        session.execute(delete(OrderLine).where(OrderLine.order_number.in_(part)))
        session.execute(delete(Order).where(Order.number.in_(part)))
    for part in chunks(customer_ids):
        session.execute(delete(CustomerIdentity).where(CustomerIdentity.customer_id.in_(part)))
        owned = select(Order.number).where(Order.customer_id.in_(part))
        session.execute(delete(OrderLine).where(OrderLine.order_number.in_(owned)))
        session.execute(delete(Order).where(Order.customer_id.in_(part)))
        session.execute(delete(Customer).where(Customer.id.in_(part)))
    session.execute(insert(Customer), [_public(c) for c in rows.customers])
    session.execute(insert(CustomerIdentity), rows.identities)
    session.execute(insert(Order), rows.orders)
    session.execute(insert(OrderLine), rows.lines)
    recompute_aggregates(session, customer_ids)
    _assign_tiers(session, customer_ids)


def _assign_tiers(session: Session, customer_ids: Sequence[str]) -> None:
    for part in chunks(customer_ids):
        session.execute(update(Customer).where(Customer.id.in_(part)).values(tier=None))
        for floor, tier in reversed(TIERS):
            session.execute(
                update(Customer)
                .where(Customer.id.in_(part), Customer.lifetime_value >= floor)
                .values(tier=tier)
            )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


# ----------------------------------------------------------------------------- generation


@dataclass(frozen=True, slots=True)
class _Plan:
    """An order to generate: for whom, and when (placed between ``lo`` and ``hi``)."""

    buyer: tuple[str, str, str]  # customer id, currency, country
    lo: datetime
    hi: datetime
    sizes: tuple[int, ...] = (1, 1, 1, 2, 2, 3)  # items per order, drawn uniformly


def _generate(
    roster: list[dict[str, Any]], now: datetime, n_customers: int, n_orders: int,
    rng: random.Random,
) -> _Rows:
    rows = _Rows()
    used_numbers = {o["number"] for c in roster for o in c["orders"]}
    plans: list[_Plan] = []
    vips = set(rng.sample(sorted(c["customer_id"] for c in roster),
                          min(VIP_ROSTER_CUSTOMERS, len(roster))))
    for person in roster:
        _add_roster_customer(rows, person, now, rng, vip=person["customer_id"] in vips)
        if person["customer_id"] in vips:  # years of bigger orders before the roster's
            earliest = min((_parse(o["placed_at"]) for o in person["orders"]), default=now)
            buyer = (person["customer_id"], rows.customers[-1]["currency"], person["country"])
            history = _Plan(buyer, now - timedelta(days=3 * 365), earliest - timedelta(days=1),
                            sizes=(2, 3))
            plans += [history] * rng.randint(14, 22)
    generated = _generated_customers(rows, roster, n_customers, now, rng)
    remaining = max(0, n_orders - len(rows.orders) - len(plans))
    if generated:
        weights = [min(rng.paretovariate(1.8), 25.0) for _ in generated]
        for buyer in rng.choices(generated, weights=weights, k=remaining):
            plans.append(_Plan(buyer, now - timedelta(days=3 * 365), now))
    numbers = _order_numbers(len(plans), used_numbers, rng)
    dated = sorted(((_placed_between(p.lo, p.hi, rng), p) for p in plans),
                   key=lambda pair: (pair[0], pair[1].buyer))
    for number, (placed, plan) in zip(numbers, dated, strict=True):
        items = rng.sample(PRODUCTS, rng.choice(plan.sizes))
        status = _status_for_age(now - placed, rng)
        _add_order(rows, number, plan.buyer, status, placed, items, None, rng)
    _backdate_signups(rows)
    return rows


def _backdate_signups(rows: _Rows) -> None:
    """Nobody orders before signing up: ``created_at`` at latest a day before the first order."""
    first: dict[str, datetime] = {}
    for order in rows.orders:
        cid = order["customer_id"]
        first[cid] = min(first.get(cid, order["placed_at"]), order["placed_at"])
    for customer in rows.customers:
        if customer["id"] in first:
            latest = first[customer["id"]] - timedelta(days=1)
            customer["created_at"] = min(customer["created_at"], latest)


def _add_roster_customer(
    rows: _Rows, person: dict[str, Any], now: datetime, rng: random.Random, vip: bool
) -> None:
    cid = person["customer_id"]
    orders = person["orders"]
    currency = orders[0]["currency"] if orders else CURRENCY.get(person["country"], "USD")
    first = min((_parse(o["placed_at"]) for o in orders), default=now)
    rows.customers.append(_customer(cid, person["name"], currency, first, rng, vip))
    _add_identity(rows, cid, "email", normalize_email(person["email"]))
    _add_identity(rows, cid, "phone", normalize_phone(person["phone"]))
    for kind in ROSTER_IDENTITY_KINDS:
        _add_identity(rows, cid, kind, person.get(kind))
    titles = {name: (name, usd) for name, _, usd in PRODUCTS}
    for order in orders:
        items = [(titles[t][0], "", titles[t][1]) if t in titles else (t, "", 0)
                 for t in order["items"]]
        order_rng = random.Random(f"{cid}:{order['number']}")
        _add_order(rows, order["number"], (cid, order["currency"], person["country"]),
                   order["status"], _parse(order["placed_at"]), items,
                   Decimal(str(order["total"])), order_rng, carrier=order.get("carrier"))


def _generated_customers(
    rows: _Rows, roster: list[dict[str, Any]], n_customers: int, now: datetime,
    rng: random.Random,
) -> list[tuple[str, str, str]]:
    taken = {c["customer_id"] for c in roster}
    firsts = sorted({n.split()[0] for names in NAMES.values() for n in names})
    lasts = sorted({n.split()[-1] for names in NAMES.values() for n in names})
    countries, weights = zip(*COUNTRY_WEIGHTS.items(), strict=True)
    made: list[tuple[str, str, str]] = []
    index = 0
    while len(rows.customers) < n_customers:
        index += 1
        cid = f"C{index:04d}"
        if cid in taken:
            continue
        country = rng.choices(countries, weights)[0]
        first, last = rng.choice(firsts), rng.choice(lasts)
        currency = CURRENCY[country]
        since = now - timedelta(days=rng.randint(1, 4 * 365))
        rows.customers.append(_customer(cid, f"{first} {last}", currency, since, rng, False))
        slug = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        _add_identity(rows, cid, "email", normalize_email(f"{slug}.{index}@shop-demo.example"))
        phone = _phone(country, index)
        _add_identity(rows, cid, "phone", phone)
        if phone and rng.random() < 0.35:
            _add_identity(rows, cid, "whatsapp_id", phone.removeprefix("+"))
        if rng.random() < 0.15:
            _add_identity(rows, cid, "messenger_psid", str(rng.randrange(10**15, 10**16)))
        if rng.random() < 0.12:
            _add_identity(rows, cid, "instagram_id", str(rng.randrange(10**15, 10**16)))
        if rng.random() < 0.08:
            _add_identity(rows, cid, "x_user_id", str(rng.randrange(10**8, 10**19)))
        if rng.random() < 0.3:
            _add_identity(rows, cid, "chat_visitor_id", f"v_{rng.getrandbits(64):016x}")
        made.append((cid, currency, country))
    # Families sharing one address: a second customer gets the first one's email too.
    emails = {r["customer_id"]: r["value"] for r in rows.identities if r["kind"] == "email"}
    for _ in range(min(SHARED_EMAIL_FAMILIES, len(made) // 2)):
        owner, relative = (m[0] for m in rng.sample(made, 2))
        _add_identity(rows, relative, "email", emails[owner])
    return made


def _customer(
    cid: str, name: str, currency: str, first_order: datetime, rng: random.Random, vip: bool
) -> dict[str, Any]:
    return {
        "id": cid, "name": name, "tier": None, "lifetime_value": Decimal("0.00"),
        "currency": currency, "order_count": 0, "first_order_at": None, "last_order_at": None,
        "created_at": first_order - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23)),
        "_vip": vip,
    }


def _add_identity(rows: _Rows, cid: str, kind: str, value: str | None) -> None:
    if value:
        rows.identities.append({"customer_id": cid, "kind": kind, "value": value})


def _add_order(
    rows: _Rows, number: str, buyer: tuple[str, str, str], status: str, placed: datetime,
    items: Sequence[tuple[str, str, int]], total: Decimal | None, rng: random.Random,
    carrier: str | None = None,
) -> None:
    """``carrier``: the roster's when it names one (the corpus burst's late parcels all travel
    with one carrier), else one of the country's, picked for shipped orders."""
    cid, currency, country = buyer
    prices = [_price(usd, currency) for _, _, usd in items]
    if total is None:
        subtotal = sum(prices)
        total = Decimal(subtotal + (0 if subtotal >= 5000 else SHIPPING_CENTS[currency])) / 100
    shipped = delivered = promised = None
    named, carrier, tracking = carrier, None, None
    if status != "cancelled":
        promised = placed + timedelta(days=PROMISED_DAYS)
    if status in ("shipped", "delivered", "returned"):
        shipped = placed + timedelta(hours=rng.randint(12, 48))
        # drawn either way, so a named carrier leaves the rest of this order's data unchanged
        carrier = rng.choice(CARRIERS.get(country) or CARRIERS["US"])
        carrier = named or carrier
        tracking = _tracking(carrier, rng)
    if status in ("delivered", "returned") and shipped is not None:
        delivered = shipped + timedelta(hours=rng.randint(40, 110))
    rows.orders.append({
        "number": number, "customer_id": cid, "status": status, "total": total,
        "currency": currency, "placed_at": placed, "shipped_at": shipped,
        "delivered_at": delivered, "carrier": carrier, "tracking_number": tracking,
        "promised_delivery_at": promised,
    })
    for (title, _, _), cents in zip(items, prices, strict=True):
        rows.lines.append({
            "order_number": number, "sku": _sku(title), "title": title,
            "quantity": 1, "unit_price": Decimal(cents) / 100,
        })


def _status_for_age(age: timedelta, rng: random.Random) -> str:
    days = age.total_seconds() / 86400
    if days < 2:
        return rng.choices(["placed", "paid"], [40, 60])[0]
    if days < 6:
        return rng.choices(["paid", "shipped", "cancelled"], [20, 65, 15])[0]
    if days < 14:  # some parcels get stuck in transit: late
        return rng.choices(["shipped", "delivered", "cancelled"], [40, 50, 10])[0]
    if days < 30:
        return rng.choices(["shipped", "delivered", "returned", "cancelled"], [6, 74, 12, 8])[0]
    return rng.choices(["delivered", "returned", "cancelled"], [78, 12, 10])[0]


def _placed_between(lo: datetime, hi: datetime, rng: random.Random) -> datetime:
    """Recent dates more likely: a third in the last 30 days before ``hi``."""
    span = max((hi - lo).total_seconds(), 3600.0)
    if rng.random() < 0.33:
        span = min(span, 30 * 86400.0)
    seconds = int(span * rng.random() ** 1.5)
    return (hi - timedelta(seconds=seconds)).replace(microsecond=0)


def _order_numbers(count: int, used: set[str], rng: random.Random) -> list[str]:
    """Distinct six-digit numbers starting with 1, none of ``used``, ascending."""
    pool = [n for n in range(100000, 200000) if str(n) not in used]
    return [str(n) for n in sorted(rng.sample(pool, count))]


def _phone(country: str, index: int) -> str | None:
    raw = {
        "US": f"+1212555{2000 + index:04d}", "GB": f"+4477009{10000 + index:05d}",
        "FR": f"+3361{index:07d}", "DE": f"+4915100{index:06d}", "ES": f"+34611{index:06d}",
    }[country]
    return normalize_phone(raw)


def _price(usd_cents: int, currency: str) -> int:
    """The catalogue price in cents in ``currency`` (as the corpus generator prices orders)."""
    if currency == "USD":
        return usd_cents
    rate = 0.79 if currency == "GBP" else 0.93
    return round(usd_cents * rate / 100) * 100 - 1


def _sku(title: str) -> str:
    words = [w for w in title.upper().replace("-", " ").split() if w.isalnum()]
    return "-".join(w[:4] for w in words)[:64] or "ITEM"


def _tracking(carrier: str, rng: random.Random) -> str:
    digits = "".join(rng.choices("0123456789", k=18))
    if carrier == "UPS":
        return "1Z" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPRSTVWXYZ", k=16))
    if carrier == "DHL":
        return "JD" + digits
    return digits[: rng.choice([12, 14, 16])]


def _parse(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def db_seed(
    database_url: str,
    now: datetime,
    customers_path: Path = CUSTOMERS_PATH,
    n_customers: int = 1000,
    n_orders: int = 5000,
    random_seed: int = 2026,
) -> SeedSummary:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return seed(session, customers_path, now, n_customers, n_orders, random_seed)
    finally:
        engine.dispose()

"""GDPR erasure in the store, on the seeded demo shop: exactly the customer's rows go, nobody
else's, and a second run deletes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from corpus import CUSTOMERS_PATH
from store.db import make_engine
from store.erasure import ErasureError, erase_customer, identify
from store.migrate import upgrade
from store.models import Customer, CustomerIdentity, Order, OrderLine, RoutingDecision
from tests.store.conftest import SEED_NOW
from ticketflow.seed import seed

ROSTER_ID = "C0001"  # corpus/customers.json: e-mail, phone and orders
ROSTER_EMAIL = "pablo.fernandez87@example.net"
OTHER_ID = "C0002"


@pytest.fixture
def shop(new_database: Callable[[], str]) -> Iterator[Engine]:
    """A freshly seeded demo shop per test (erasure writes), with audit rows for two tickets of
    the roster customer and one of another customer."""
    url = new_database()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed(session, CUSTOMERS_PATH, SEED_NOW)
        session.add_all([
            decision("T-mine-1", "v1"), decision("T-mine-1", "v2"), decision("T-mine-2", "v1"),
            decision("T-other", "v1"),
        ])
        session.commit()
    yield engine
    engine.dispose()


def decision(ticket_id: str, version: str) -> RoutingDecision:
    return RoutingDecision(ticket_id=ticket_id, decided_at=SEED_NOW - timedelta(hours=1),
                           queue="general", priority="p3", ruleset_version=version,
                           matched_rules=[], decision={})


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {model.__tablename__: conn.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (Customer, CustomerIdentity, Order, OrderLine, RoutingDecision)}


def owned(engine: Engine, customer_id: str) -> dict[str, int]:
    """The rows of one customer, per table (audit excluded: it has no customer column)."""
    with engine.connect() as conn:
        numbers = sa.select(Order.number).where(Order.customer_id == customer_id)
        return {
            "order_lines": conn.scalar(sa.select(sa.func.count()).select_from(OrderLine)
                                       .where(OrderLine.order_number.in_(numbers))),
            "orders": conn.scalar(sa.select(sa.func.count()).select_from(Order)
                                  .where(Order.customer_id == customer_id)),
            "customer_identities": conn.scalar(
                sa.select(sa.func.count()).select_from(CustomerIdentity)
                .where(CustomerIdentity.customer_id == customer_id)),
            "customers": conn.scalar(sa.select(sa.func.count()).select_from(Customer)
                                     .where(Customer.id == customer_id)),
        }


def test_erasure_deletes_exactly_the_customers_rows_and_their_tickets_audit(
    shop: Engine,
) -> None:
    before, mine, other = counts(shop), owned(shop, ROSTER_ID), owned(shop, OTHER_ID)
    assert mine["orders"] > 0 and mine["order_lines"] > 0 and mine["customer_identities"] > 1
    with Session(shop) as session:
        subject = identify(session, ROSTER_ID)
        erasure = erase_customer(session, subject, ["T-mine-1", "T-mine-2"])

    assert erasure.rows == {**mine, "routing_decisions": 3}
    assert owned(shop, ROSTER_ID) == dict.fromkeys(mine, 0)
    assert owned(shop, OTHER_ID) == other
    after = counts(shop)
    assert {t: before[t] - after[t] for t in before} == erasure.rows
    with shop.connect() as conn:
        assert conn.scalars(sa.select(RoutingDecision.ticket_id)).all() == ["T-other"]
    assert "no customer column" in erasure.unlinked[0]


def test_a_second_run_deletes_nothing(shop: Engine) -> None:
    with Session(shop) as session:
        first = erase_customer(session, identify(session, ROSTER_ID), ["T-mine-1"])
    with Session(shop) as session:
        subject = identify(session, ROSTER_ID)
        second = erase_customer(session, subject, ["T-mine-1"])
    assert first.total > 0
    assert subject.customer_id is None and second.total == 0
    assert set(second.rows.values()) == {0}


def test_dry_run_counts_what_would_go_and_changes_nothing(shop: Engine) -> None:
    before, mine = counts(shop), owned(shop, ROSTER_ID)
    with Session(shop) as session:
        erasure = erase_customer(session, identify(session, ROSTER_ID), ["T-mine-2"],
                                 dry_run=True)
    assert erasure.dry_run and erasure.rows == {**mine, "routing_decisions": 1}
    assert counts(shop) == before


def test_an_email_or_phone_names_the_customer_with_all_their_identities(shop: Engine) -> None:
    with Session(shop) as session:
        by_email = identify(session, "  Pablo.Fernandez87@EXAMPLE.net ")
        by_phone = identify(session, "+34 600 000 869")
        by_id = identify(session, ROSTER_ID)
    assert by_email.customer_id == by_phone.customer_id == ROSTER_ID
    assert ("email", ROSTER_EMAIL) in by_id.identities
    assert ("whatsapp_id", "34600000869") in by_id.identities
    assert set(by_email.identities) == set(by_id.identities)


def test_an_unknown_email_still_names_its_identity_so_its_keys_can_be_erased(
    shop: Engine,
) -> None:
    with Session(shop) as session:
        subject = identify(session, "Nobody@Example.org")
        erasure = erase_customer(session, subject)
    assert subject.customer_id is None
    assert subject.identities == (("email", "nobody@example.org"),)
    assert erasure.total == 0


def test_a_shared_email_is_refused_with_the_ids_to_choose_from(shop: Engine) -> None:
    with shop.connect() as conn:
        email, owners = conn.execute(
            sa.select(CustomerIdentity.value, sa.func.count())
            .where(CustomerIdentity.kind == "email")
            .group_by(CustomerIdentity.value).having(sa.func.count() > 1)).first() or ("", 0)
    assert owners > 1, "the demo shop has families sharing an e-mail"
    before = counts(shop)
    with Session(shop) as session, pytest.raises(ErasureError, match="erase one by its"):
        identify(session, email)
    assert counts(shop) == before

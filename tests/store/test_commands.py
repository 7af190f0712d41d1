"""The functions behind `ticketflow db upgrade|seed|import` work on a fresh database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from store.commands import db_import, db_upgrade
from store.db import make_engine
from store.queries import lookup_batch
from tests.store.conftest import SEED_NOW
from ticketflow.seed import db_seed


def test_upgrade_seed_and_import_on_a_fresh_database(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    assert db_upgrade(url) == "0002"
    summary = db_seed(url, SEED_NOW, n_customers=120, n_orders=600)
    assert (summary.customers, summary.orders) == (120, 600)
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,email\nS1,Sam,sam@example.com\n", encoding="utf-8")
    imported = db_import(url, customers, None)
    assert imported.ok and imported.customers_inserted == 1
    engine = make_engine(url)
    with Session(engine) as session:
        facts = lookup_batch(session, [("email", "SAM@example.com")], [])
    engine.dispose()
    assert [c.id for c in facts.customers_by_identity[("email", "SAM@example.com")]] == ["S1"]

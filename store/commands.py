"""What ``ticketflow db upgrade|seed|import`` do, as plain functions: the CLI parses options,
calls one of these and prints the result. Each opens and disposes its own engine; ``seed`` and
``import_`` migrate first, so they work on a fresh database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from corpus import CUSTOMERS_PATH
from store.db import make_engine, make_session_factory
from store.importer import ImportSummary, import_files
from store.migrate import current_revision, upgrade
from store.seed import SeedSummary, seed


def db_upgrade(database_url: str, revision: str = "head") -> str | None:
    """Migrate; the revision the database is at afterwards."""
    upgrade(database_url, revision)
    return current_revision(database_url)


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


def db_import(database_url: str, customers: Path | None, orders: Path | None) -> ImportSummary:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return import_files(session, customers, orders)
    finally:
        engine.dispose()

"""What ``ticketflow db upgrade|seed|import`` do, as plain functions: the CLI parses options,
calls one of these and prints the result. Each opens and disposes its own engine; ``seed`` and
``import_`` migrate first, so they work on a fresh database."""

from __future__ import annotations

from pathlib import Path

from store.db import make_engine, make_session_factory
from store.importer import ImportSummary, import_files
from store.migrate import current_revision, upgrade


def db_upgrade(database_url: str, revision: str = "head") -> str | None:
    """Migrate; the revision the database is at afterwards."""
    upgrade(database_url, revision)
    return current_revision(database_url)


def db_import(database_url: str, customers: Path | None, orders: Path | None,
              lines: Path | None = None) -> ImportSummary:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return import_files(session, customers, orders, lines)
    finally:
        engine.dispose()

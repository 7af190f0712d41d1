"""Engines and sessions for the enrichment store: SQLite (a file in the data dir) by default,
PostgreSQL in production. Nothing connects until asked to."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError
from core.settings import Settings
from store.errors import store_errors

SQLITE_BUSY_TIMEOUT_S = 10.0
PG_CONNECT_TIMEOUT_S = 5


def url_for(settings: Settings) -> str:
    """The configured database URL (with its TLS settings), else the SQLite file in the data dir
    (created). It may hold the password: pass it to engines, never to a log or a message."""
    return configured_url(settings) or default_url(settings.data_dir)


def configured_url(settings: Settings) -> str | None:
    """``TICKETFLOW_DATABASE_URL`` with the ``TICKETFLOW_DATABASE_SSL*`` settings added to its
    query, where psycopg reads them as libpq parameters; None when unset. The URL is the one
    place for them because it reaches every engine, Alembic's and the worker processes' included.
    Raises ``ConfigError`` for TLS settings on a database that is not PostgreSQL."""
    if settings.database_url is None:
        return None
    raw = settings.database_url.get_secret_value()
    tls = {name: str(value) for name, value in (
        ("sslmode", settings.database_sslmode),
        ("sslrootcert", settings.database_sslrootcert),
        ("sslcert", settings.database_sslcert),
        ("sslkey", settings.database_sslkey),
    ) if value is not None}
    if not tls:
        return raw
    with store_errors(raw):
        parsed = with_installed_driver(make_url(raw))
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            f"TICKETFLOW_DATABASE_SSL* settings ({', '.join(sorted(tls))}) apply to PostgreSQL "
            f"only, and TICKETFLOW_DATABASE_URL is {parsed.get_backend_name()}: unset them")
    # explicit settings win over the same parameters written in the URL
    return parsed.update_query_dict(tls).render_as_string(hide_password=False)


def default_url(data_dir: Path) -> str:
    """``sqlite:///<data_dir>/ticketflow.db`` (absolute), creating ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'ticketflow.db').resolve()}"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# What a bare backend name means here: the drivers ticketflow installs. SQLAlchemy's own default
# for "postgresql://" is psycopg2, which is not a dependency; psycopg (3) is.
_INSTALLED_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def with_installed_driver(url: URL) -> URL:
    """``postgresql://…`` and ``postgres://…`` (as hosting providers hand them out) use the
    installed psycopg 3; a URL naming its driver (``postgresql+asyncpg://``) is left alone."""
    drivername = _INSTALLED_DRIVERS.get(url.drivername)
    return url if drivername is None else url.set(drivername=drivername)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``. SQLite: usable from executor threads, foreign keys enforced, waits
    for locks; PostgreSQL: connections checked before use, short connect timeout. ``kwargs`` go
    to ``create_engine``. Raises ``StoreError`` for a bad URL or a missing driver."""
    with store_errors(url):
        parsed = with_installed_driver(make_url(url))
        connect_args: dict[str, Any] = dict(kwargs.pop("connect_args", {}))
        if parsed.get_backend_name() == "sqlite":
            connect_args.setdefault("check_same_thread", False)
            connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
            engine = create_engine(parsed, connect_args=connect_args, **kwargs)
            event.listen(engine, "connect", _enable_sqlite_foreign_keys)
            return engine
        if parsed.get_backend_name() == "postgresql":
            connect_args.setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, connect_args=connect_args, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (facts are read, then handed on)."""
    return sessionmaker(engine, expire_on_commit=False)


def check(engine: Engine) -> None:
    """Connect once: ``StoreUnavailable``/``StoreError`` with what to fix when that fails."""
    with store_errors(engine.url), engine.connect() as conn:
        conn.execute(text("SELECT 1"))

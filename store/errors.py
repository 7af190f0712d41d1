"""The store's errors, and the translation of SQLAlchemy/driver errors into them at the edge.

``StoreUnavailable`` is transient (connection refused, database locked, timeout): retry later.
Any other ``StoreError`` needs someone to fix something; its message says what.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from core.errors import TicketflowError

URL_SETTING = "TICKETFLOW_DATABASE_URL"

_TRANSIENT = (
    "connection refused", "could not connect", "connection failed",
    "database is locked", "server closed the connection", "terminating connection",
    "connection reset", "no route to host", "name or service not known",
    "temporary failure in name resolution", "the database system is starting up",
    "the database system is shutting down", "too many clients", "connection is closed",
    "ssl connection has been closed",
)


_DATABASE_MISSING = re.compile(r'database "([^"]+)" does not exist')
_ROLE_MISSING = re.compile(r'role "([^"]+)" does not exist')


# The package to install for a driver SQLAlchemy could not load, by URL driver name.
DRIVER_PACKAGES = {
    "psycopg": "psycopg[binary]", "psycopg2": "psycopg2-binary", "asyncpg": "asyncpg",
    "pg8000": "pg8000", "pymysql": "PyMySQL", "mysqldb": "mysqlclient",
    "mysqlconnector": "mysql-connector-python", "pyodbc": "pyodbc", "oracledb": "oracledb",
}


def driver_package(url: URL | str) -> str | None:
    """What ``pip install`` needs for the URL's driver, when known."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except sa_exc.ArgumentError:
        return None
    driver = parsed.get_driver_name()
    if parsed.get_backend_name() in ("postgresql", "postgres") and "+" not in parsed.drivername:
        driver = "psycopg"  # store.db.with_installed_driver: a bare postgresql:// is psycopg 3
    return DRIVER_PACKAGES.get(driver)


class StoreError(TicketflowError):
    """The enrichment store cannot be used until something is fixed."""


class StoreUnavailable(StoreError):
    """The enrichment store is unreachable or busy right now; retrying later may succeed."""


def describe(url: URL | str) -> str:
    """Where the database is, for messages: ``postgresql at host:port`` or the SQLite path."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except sa_exc.ArgumentError:
        return "the database"
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return f"the sqlite database {parsed.database or ':memory:'}"
    port = parsed.port or {"postgresql": 5432, "mysql": 3306}.get(backend)
    return f"{backend} at {parsed.host or 'localhost'}{f':{port}' if port else ''}"


def _detail(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:300]


def translate(exc: Exception, url: URL | str) -> StoreError:
    """The ticketflow error for a SQLAlchemy or driver error raised against ``url``."""
    where = describe(url)
    detail = _detail(exc)
    low = detail.lower()
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, sa_exc.NoSuchModuleError | ModuleNotFoundError):
        package = driver_package(url)
        advice = (f"pip install '{package}'" if package else
                  "install the driver the URL names after '+'")
        return StoreError(
            f"no database driver for {where}: {advice}, or fix {URL_SETTING} "
            "(postgresql://… uses the installed psycopg 3) "
            f"({detail})"
        )
    if isinstance(exc, sa_exc.ArgumentError):
        return StoreError(f"not a usable database URL: {detail}; check {URL_SETTING}")
    orig_type = type(getattr(exc, "orig", None) or exc).__name__
    if "no such table" in low or orig_type == "UndefinedTable":
        return StoreError(
            f"{where} has no ticketflow tables ({detail}): run `ticketflow db upgrade`"
        )
    if missing := _DATABASE_MISSING.search(detail):
        return StoreError(
            f"{where} has no database {missing.group(1)!r}: create it (createdb "
            f"{missing.group(1)}) or fix {URL_SETTING}"
        )
    if role := _ROLE_MISSING.search(detail):
        return StoreError(
            f"{where} has no user {role.group(1)!r}: fix the user in {URL_SETTING}"
        )
    if "authentication failed" in low or "no password supplied" in low:
        return StoreError(
            f"{where} refused the login ({detail}): check user and password in {URL_SETTING}"
        )
    if "unable to open database file" in low:
        return StoreError(
            f"cannot open {where}: does its directory exist and is it writable? "
            f"check {URL_SETTING}"
        )
    if "database is locked" in low:
        return StoreUnavailable(
            f"{where} is locked by another writer: retry, or use PostgreSQL "
            f"({URL_SETTING}) when several processes write"
        )
    if isinstance(exc, sa_exc.TimeoutError):
        return StoreUnavailable(f"no free connection to {where} in time (pool exhausted): {detail}")
    if "readonly database" in low or "read-only" in low:
        return StoreError(f"{where} is read-only ({detail}): check its file permissions")
    if "timeout" in low or "timed out" in low:
        return StoreUnavailable(
            f"{where} did not answer in time ({detail}): is it overloaded or unreachable? "
            f"check {URL_SETTING}"
        )
    disconnect = isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    if disconnect or any(marker in low for marker in _TRANSIENT):
        return StoreUnavailable(
            f"cannot connect to {where}: is it running? check {URL_SETTING} ({detail})"
        )
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return StoreUnavailable(f"{where} failed: {detail}; check that it is up and reachable")
    return StoreError(f"{where} rejected the operation: {detail}")


@contextmanager
def store_errors(url: URL | str) -> Iterator[None]:
    """Translate SQLAlchemy errors raised inside the block into ``StoreError``s."""
    try:
        yield
    except (sa_exc.SQLAlchemyError, ModuleNotFoundError) as exc:
        raise translate(exc, url) from exc

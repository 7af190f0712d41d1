"""Engines, the default URL, and library errors translated into actionable ticketflow errors."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from core.errors import TicketflowError
from store.db import check, default_url, make_engine
from store.errors import StoreError, StoreUnavailable, describe, translate
from store.migrate import upgrade
from store.models import Customer, CustomerIdentity
from store.queries import lookup_batch
from tests.store.conftest import postgres_problem

DEAD_PG = "postgresql+psycopg://postgres:secret@127.0.0.1:1/test"


def test_default_url_is_an_absolute_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "state" / "nested"
    url = default_url(data_dir)
    assert data_dir.is_dir()
    assert url == f"sqlite:///{data_dir.resolve() / 'ticketflow.db'}"
    upgrade(url)
    assert (data_dir / "ticketflow.db").is_file()


def test_sqlite_engines_enforce_foreign_keys_and_cross_threads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(CustomerIdentity(customer_id="GHOST", kind="email", value="g@example.com"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
    engine.dispose()


def test_identities_go_with_their_customer(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Customer(id="D1", currency="EUR", lifetime_value=Decimal(0), order_count=0,
                             created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        session.flush()
        session.add(CustomerIdentity(customer_id="D1", kind="email", value="d@example.com"))
        session.commit()
        session.execute(sa.delete(Customer).where(Customer.id == "D1"))
        session.commit()
        assert session.scalar(sa.select(sa.func.count()).select_from(CustomerIdentity)) == 0


def test_postgres_engines_ping_before_use() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert engine.pool._pre_ping
    engine.dispose()


def test_unreachable_postgres_is_transient_with_what_to_check() -> None:
    engine = make_engine(DEAD_PG)
    with pytest.raises(StoreUnavailable) as caught:
        check(engine)
    message = str(caught.value)
    assert message.startswith("cannot connect to postgresql at 127.0.0.1:1: is it running?")
    assert "TICKETFLOW_DATABASE_URL" in message
    assert "secret" not in message
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, TicketflowError)
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
    with Session(engine) as session, pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:1"):
        lookup_batch(session, [("email", "a@example.com")], ["104512"])
    engine.dispose()


def test_upgrade_against_unreachable_postgres_is_transient() -> None:
    with pytest.raises(StoreUnavailable, match=r"cannot connect to postgresql at 127\.0\.0\.1:1"):
        upgrade(DEAD_PG)


def test_a_locked_sqlite_database_is_transient(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade(url)
    holder = sqlite3.connect(tmp_path / "locked.db")
    holder.execute("BEGIN EXCLUSIVE")
    engine = make_engine(url, connect_args={"timeout": 0.05})
    try:
        with Session(engine) as session, pytest.raises(StoreUnavailable, match="locked"):
            lookup_batch(session, [("email", "a@example.com")], [])
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()


def test_a_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    with pytest.raises(StoreError, match="does its directory exist") as caught:
        check(engine)
    assert not isinstance(caught.value, StoreUnavailable)


@pytest.mark.parametrize(("url", "expected"), [
    ("mysql+nosuchdriver://u@h/db", "no database driver"),
    ("definitely not a url", "not a usable database URL"),
])
def test_bad_urls_are_store_errors(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected):
        make_engine(url)


def test_a_missing_postgres_database_says_to_create_it() -> None:
    if problem := postgres_problem():
        pytest.skip(problem)
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/tf_no_such_db")
    with pytest.raises(StoreError, match="has no database 'tf_no_such_db': create it"):
        check(engine)
    engine.dispose()


def test_describe_never_shows_the_password() -> None:
    assert describe(DEAD_PG) == "postgresql at 127.0.0.1:1"
    assert describe("postgresql+psycopg://u:pw@db.internal/x") == "postgresql at db.internal:5432"
    assert describe("sqlite:////tmp/x.db") == "the sqlite database /tmp/x.db"


def test_other_errors_are_translated_but_not_transient() -> None:
    error = sa.exc.IntegrityError("INSERT ...", {}, Exception("UNIQUE constraint failed"))
    translated = translate(error, "sqlite:////tmp/x.db")
    assert type(translated) is StoreError
    assert "UNIQUE constraint failed" in str(translated)


def test_postgres_tls_settings_go_into_the_url(tmp_path: Path) -> None:
    from core.settings import Settings
    from store.db import url_for

    root = tmp_path / "root.crt"
    root.write_text("x")
    settings = Settings(database_url="postgresql+psycopg://app:pw@db/tf?sslmode=prefer",
                        database_sslmode="verify-full", database_sslrootcert=root)
    url = make_url(url_for(settings))
    assert url.query == {"sslmode": "verify-full", "sslrootcert": str(root)}  # settings win
    assert url.password == "pw"  # kept for the driver; the rendered form hides it
    assert "pw" not in repr(make_engine(url_for(settings)).url)


def test_a_url_without_tls_settings_is_unchanged(tmp_path: Path) -> None:
    from core.settings import Settings
    from store.db import url_for

    raw = "postgresql+psycopg://app:p%40ss@db:5433/tf?application_name=x"
    assert url_for(Settings(database_url=raw, data_dir=tmp_path)) == raw
    assert url_for(Settings(data_dir=tmp_path)).startswith("sqlite:///")


def test_tls_settings_on_sqlite_are_a_config_error(tmp_path: Path) -> None:
    from core.errors import ConfigError
    from core.settings import Settings
    from store.db import url_for

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", database_sslmode="require")
    with pytest.raises(ConfigError, match="PostgreSQL only"):
        url_for(settings)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_urls_use_the_installed_driver(scheme: str) -> None:
    engine = make_engine(f"{scheme}://postgres@127.0.0.1:5432/test")
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
    if problem := postgres_problem():
        pytest.skip(problem)
    engine = make_engine(f"{scheme}://postgres@127.0.0.1:5432/test")
    check(engine)  # connects with psycopg 3
    engine.dispose()


@pytest.mark.parametrize(("url", "package"), [
    ("postgresql+psycopg2://u@h/db", "pip install 'psycopg2-binary'"),
    ("mysql+pymysql://u@h/db", "pip install 'PyMySQL'"),
    ("mysql+nosuchdriver://u@h/db", "install the driver the URL names after '+'"),
])
def test_a_missing_driver_names_the_package_to_install(url: str, package: str) -> None:
    with pytest.raises(StoreError) as caught:
        make_engine(url)
    assert package in str(caught.value)

"""Store fixtures, parametrized over SQLite (a temp file) and PostgreSQL.

PostgreSQL is ``postgresql+psycopg://postgres@127.0.0.1:5432/test``; every variant runs in a
fresh schema (``tf_test_<random>``, selected through ``search_path``) dropped at the end, and is
skipped with the reason when the server cannot be reached.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from corpus import CUSTOMERS_PATH
from store.db import make_engine
from store.errors import describe
from store.migrate import upgrade
from store.models import Base
from ticketflow.seed import SeedSummary, seed

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
SEED_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

_pg_problem: list[str] = []


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used (cached), or None."""
    if not _pg_problem:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            _pg_problem.append("")
        except Exception as exc:
            reason = " ".join(str(getattr(exc, "orig", exc)).split())[:200]
            _pg_problem.append(f"{describe(PG_URL)} not reachable ({reason}); start it to run "
                               "the postgresql variants")
        finally:
            engine.dispose()
    return _pg_problem[0] or None


@contextmanager
def fresh_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file or a new PostgreSQL schema."""
    if backend == "sqlite":
        tmp_dir.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{tmp_dir / f'store-{secrets.token_hex(4)}.db'}"
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    schema = f"tf_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and (problem := postgres_problem()):
        pytest.skip(problem)
    return str(request.param)


@pytest.fixture(scope="session")
def new_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], str]]:
    """Make further empty databases of this backend, all dropped at the end of the session."""
    tmp = tmp_path_factory.mktemp(f"store-{backend}")
    with ExitStack() as stack:
        yield lambda: stack.enter_context(fresh_database(backend, tmp))


@pytest.fixture(scope="session")
def migrated_url(new_database: Callable[[], str]) -> str:
    url = new_database()
    upgrade(url)
    return url


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    """An engine on the session's migrated database, emptied before each test."""
    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def seeded(new_database: Callable[[], str]) -> Iterator[tuple[Engine, SeedSummary]]:
    """A database seeded once per backend with the demo data (read-only for tests)."""
    url = new_database()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        summary = seed(session, CUSTOMERS_PATH, SEED_NOW)
    yield engine, summary
    engine.dispose()


class QueryCounter:
    """Counts the statements an engine sends (a ``before_cursor_execute`` listener)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def selects(self) -> int:
        return sum(1 for s in self.statements if s.lstrip().upper().startswith("SELECT"))

    def __call__(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.statements.append(statement)


@contextmanager
def counting(engine: Engine) -> Iterator[QueryCounter]:
    counter = QueryCounter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)

"""The Alembic migration creates exactly the tables the models describe, on both backends."""

from __future__ import annotations

import configparser
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from store.db import make_engine
from store.migrate import MIGRATIONS_DIR, alembic_config, current_revision, head_revision, upgrade
from store.models import Base

REPO = Path(__file__).resolve().parents[2]


def differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_creates_what_the_models_describe(new_database: Callable[[], str]) -> None:
    url = new_database()
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) == head_revision() == "0002"
    assert differences(url) == []
    engine = make_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    upgrade(url)  # at head already: a no-op
    assert current_revision(url) == "0002"


def test_a_drifted_model_is_noticed(migrated_url: str) -> None:
    """The comparison is not vacuous: a column the migration lacks shows up."""
    metadata = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["customers"].append_column(sa.Column("loyalty_points", sa.Integer()))
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert [d[0] for d in diff] == ["add_column"]


def test_downgrade_to_base_and_up_again(new_database: Callable[[], str]) -> None:
    url = new_database()
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert current_revision(url) is None
    engine = make_engine(url)
    try:
        assert "customers" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    upgrade(url)
    assert differences(url) == []


def test_upgrade_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    upgrade(url)
    assert current_revision(url) == head_revision()
    assert MIGRATIONS_DIR.is_absolute()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()


def test_alembic_ini_at_the_root_points_at_the_same_migrations() -> None:
    parser = configparser.ConfigParser()
    parser.read(REPO / "alembic.ini")
    assert parser["alembic"]["script_location"] == "store/migrations"
    assert "sqlalchemy.url" not in parser["alembic"]
    config = Config(str(REPO / "alembic.ini"))
    config.set_main_option("script_location", str(REPO / "store" / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == head_revision()


def test_offline_sql_renders_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config("postgresql+psycopg://u@h/db"), "head", sql=True)
    sql = capsys.readouterr().out
    for table in Base.metadata.sorted_tables:
        assert f"CREATE TABLE {table.name}" in sql

"""Secrets from files (TICKETFLOW_<SECRET>_FILE, as Docker and Kubernetes mount them) and the
topic settings a replicated cluster needs (TICKETFLOW_MIN_INSYNC_REPLICAS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import SECRET_FILES, Settings

URL = "postgresql+psycopg://ticketflow:s3cr3t pw@postgres:5432/ticketflow"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_the_database_url_is_read_from_its_file_without_the_trailing_newline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "database_url"
    secret.write_text(URL + "\n")
    monkeypatch.setenv("TICKETFLOW_DATABASE_URL_FILE", str(secret))
    s = Settings()
    assert s.database_url is not None
    assert s.database_url.get_secret_value() == URL  # the inner space is the password's
    assert "s3cr3t" not in repr(s) and "s3cr3t" not in str(s.model_dump())


def test_every_secret_has_a_file_form(tmp_path: Path) -> None:
    for name, file_name in SECRET_FILES.items():
        path = tmp_path / name
        path.write_text(f"value-of-{name}\r\n")
        extra: dict[str, object] = {}
        if name == "kafka_sasl_password":  # a SASL password needs the rest of SASL
            extra = {"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "PLAIN",
                     "kafka_sasl_username": "u"}
        value = getattr(settings(**{file_name: path}, **extra), name)
        assert value.get_secret_value() == f"value-of-{name}"


def test_a_secret_set_both_ways_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "database_url"
    secret.write_text(URL)
    with pytest.raises(ConfigError, match="both TICKETFLOW_DATABASE_URL and "
                                          "TICKETFLOW_DATABASE_URL_FILE are set"):
        settings(database_url="sqlite://", database_url_file=secret)


def test_a_missing_or_empty_secret_file_is_refused_without_showing_a_secret(
        tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"TICKETFLOW_DATABASE_URL_FILE=.*nope: cannot read"):
        settings(database_url_file=tmp_path / "nope")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match=r"TICKETFLOW_DATABASE_URL_FILE=.*empty is empty"):
        settings(database_url_file=empty)


def test_without_a_file_the_environment_value_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETFLOW_DATABASE_URL", URL)
    s = Settings()
    assert s.database_url is not None and s.database_url.get_secret_value() == URL
    assert s.database_url_file is None


def test_min_insync_replicas_becomes_topic_config(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().topic_config == {}  # the broker's default
    monkeypatch.setenv("TICKETFLOW_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("TICKETFLOW_MIN_INSYNC_REPLICAS", "2")
    assert Settings().topic_config == {"min.insync.replicas": "2"}


def test_min_insync_replicas_above_the_replication_factor_is_refused() -> None:
    with pytest.raises(ConfigError, match="MIN_INSYNC_REPLICAS=2 is above "
                                          "TICKETFLOW_REPLICATION_FACTOR=1"):
        settings(min_insync_replicas=2)
    assert settings(replication_factor=3, min_insync_replicas=3).min_insync_replicas == 3

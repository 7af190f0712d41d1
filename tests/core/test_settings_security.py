"""Security settings: secrets hidden in repr/str, invalid combinations refused at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError, TicketflowError
from core.settings import PLAINTEXT, Settings

CA = Path(__file__).parent.parent / "streams" / "tls" / "ca.pem"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_secrets_are_not_in_repr_or_str() -> None:
    s = settings(
        database_url="postgresql+psycopg://app:db-pw-123@db/tf",
        kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="PLAIN",
        kafka_sasl_username="router", kafka_sasl_password="sasl-pw-456",
        kafka_ssl_cafile=CA, kafka_ssl_key_password="key-pw-789",
    )
    for shown in (repr(s), str(s), repr(s.kafka_security), str(s.model_dump())):
        for secret in ("db-pw-123", "sasl-pw-456", "key-pw-789"):
            assert secret not in shown
    assert "router" in repr(s)  # the user name is not a secret: it helps to debug


def test_secrets_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("TICKETFLOW_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("TICKETFLOW_KAFKA_SASL_USERNAME", "router")
    monkeypatch.setenv("TICKETFLOW_KAFKA_SASL_PASSWORD", "pw")
    security = Settings().kafka_security
    assert security.sasl_password is not None
    assert security.sasl_password.get_secret_value() == "pw"
    assert security.uses_sasl and not security.uses_ssl


def test_default_is_plaintext() -> None:
    assert settings().kafka_security == PLAINTEXT


def test_a_sasl_mechanism_without_user_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="needs TICKETFLOW_KAFKA_SASL_USERNAME"):
        settings(kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="PLAIN",
                 kafka_sasl_password="pw")


def test_sasl_without_mechanism_is_refused() -> None:
    with pytest.raises(ConfigError, match="TICKETFLOW_KAFKA_SASL_MECHANISM"):
        settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="u",
                 kafka_sasl_password="pw")


def test_sasl_settings_with_a_protocol_without_sasl_are_refused() -> None:
    with pytest.raises(ConfigError, match="SASL_PLAINTEXT or SASL_SSL"):
        settings(kafka_sasl_mechanism="PLAIN", kafka_sasl_username="u")


def test_a_missing_ca_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(TicketflowError, match=f"TICKETFLOW_KAFKA_SSL_CAFILE={missing}: no such"):
        settings(kafka_security_protocol="SSL", kafka_ssl_cafile=missing)


def test_a_missing_postgres_root_cert_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TICKETFLOW_DATABASE_SSLROOTCERT"):
        settings(database_sslrootcert=tmp_path / "root.crt")


def test_tls_files_without_a_tls_protocol_are_refused() -> None:
    with pytest.raises(ConfigError, match="set it to SSL or SASL_SSL"):
        settings(kafka_ssl_cafile=CA)


def test_security_applies_to_the_configured_broker_only() -> None:
    s = settings(kafka_bootstrap="kafka:9093", kafka_security_protocol="SSL")
    assert s.security_for("kafka:9093").protocol == "SSL"
    assert s.security_for("127.0.0.1:40123") == PLAINTEXT  # an embedded broker

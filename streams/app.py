"""Building the faust app from Settings. Nothing connects until the worker starts it."""

from __future__ import annotations

import faust

from streams.topics import DEADLETTER_MAX_MESSAGE_BYTES, INBOUND_MAX_MESSAGE_BYTES
from ticketflow.settings import Settings


def build_app(settings: Settings, bootstrap: str) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=[f"kafka://{hostport}" for hostport in bootstrap.split(",")],
        store="memory://",
        datadir=str(settings.data_dir / "faust"),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # Tansu has no transactions (InitProducerId fails): at-least-once + deterministic ids.
        processing_guarantee="at_least_once",
        producer_acks=-1,
        producer_max_request_size=DEADLETTER_MAX_MESSAGE_BYTES,
        consumer_max_fetch_size=INBOUND_MAX_MESSAGE_BYTES,
        consumer_auto_offset_reset="earliest",
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        topic_disable_leader=True,
        web_enabled=False,
        autodiscover=False,
    )

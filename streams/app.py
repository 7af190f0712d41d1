"""Building the faust app from Settings. Nothing connects until the worker starts it."""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka

from streams.topics import DEADLETTER_MAX_MESSAGE_BYTES, INBOUND_MAX_MESSAGE_BYTES
from ticketflow.settings import Settings


def _transport_class(fetch_max_wait_ms: int) -> type[faust_aiokafka.Transport]:
    """faust's aiokafka transport with the consumer's fetch wait set: faust hard-codes 1500 ms,
    and Tansu holds a fetch for a good part of that even when records arrive, which made SLA
    tick commands (a round trip through Kafka) up to 0.7 s late."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_max_wait_ms  # read when the consumer starts
            return consumer

    class PromptConsumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        Consumer = PromptConsumer

    return Transport


class TicketflowApp(faust.App):
    fetch_max_wait_ms = 1500

    def _new_transport(self) -> Any:
        transport = _transport_class(self.fetch_max_wait_ms)
        return transport(self.conf.broker_consumer, self)


def build_app(settings: Settings, bootstrap: str) -> faust.App:
    app = TicketflowApp(
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
        # aiokafka's send() waits for a round trip whenever a partition's batch is full; at the
        # 16 KB default that was every few SLA states (≈0.8 ms per send on Tansu).
        producer_max_batch_size=1024 * 1024,
        consumer_max_fetch_size=INBOUND_MAX_MESSAGE_BYTES,
        consumer_auto_offset_reset="earliest",
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        topic_disable_leader=True,
        web_enabled=False,
        autodiscover=False,
    )
    app.fetch_max_wait_ms = settings.fetch_max_wait_ms
    return app

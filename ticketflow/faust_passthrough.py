"""A bare faust app for ``ticketflow bench pipeline``: one agent forwarding every record of the
``inbound.*`` topics to one output topic in ``take_events`` batches, nothing else — the ceiling
a faust agent sets on this broker, to compare the pipeline with.

It is plain faust-streaming (no ticketflow adapter, no Sink): what a new user's first agent would
be. Run it in a child process, so its event loop and GIL are its own, as a worker's are::

    python -m ticketflow.faust_passthrough BOOTSTRAP APP_ID OUT_TOPIC [BATCH WITHIN_S PARTITIONS]
"""

from __future__ import annotations

import sys
from typing import Any

from core.settings import PLAINTEXT, KafkaSecurity
from streams.topics import inbound_topics


def build_app(bootstrap: str, app_id: str, out_topic: str, batch: int = 500,
              within_s: float = 0.05, partitions: int = 4,
              security: KafkaSecurity = PLAINTEXT) -> Any:
    import faust

    from streams.kafka_security import faust_options

    app = faust.App(
        app_id,
        broker=[f"kafka://{hostport}" for hostport in bootstrap.split(",")],
        store="memory://",
        topic_partitions=partitions,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        # the same short group timings as the worker's (Tansu's first join waits this long)
        broker_rebalance_timeout=6.0,
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        topic_disable_leader=True,
        web_enabled=False,
        autodiscover=False,
        **faust_options(security),
    )
    source = app.topic(*inbound_topics(), key_serializer="raw", value_serializer="raw")
    out = app.topic(out_topic, key_serializer="raw", value_serializer="raw")

    @app.agent(source)
    async def forward(stream: Any) -> None:
        async for events in stream.take_events(batch, within=within_s):
            for event in events:
                await out.send(key=event.message.key, value=event.message.value)

    return app


def main(argv: list[str]) -> None:
    import faust

    bootstrap, app_id, out_topic = argv[:3]
    batch = int(argv[3]) if len(argv) > 3 else 500
    within_s = float(argv[4]) if len(argv) > 4 else 0.05
    partitions = int(argv[5]) if len(argv) > 5 else 4
    from core.settings import Settings

    # the parent's TICKETFLOW_* environment: its security when BOOTSTRAP is the configured broker
    security = Settings().security_for(bootstrap)
    app = build_app(bootstrap, app_id, out_topic, batch, within_s, partitions, security)
    faust.Worker(app, loglevel="warn", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main(sys.argv[1:])
